/* classify.c: the category rule table (data/categories.csv, or --rules and
 * --add-rules files) and its scoring: every matching rule adds its weight to
 * its category, the best positive score wins, and the winning category's
 * strongest rule gives the subcategory and the cause. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cpl.h"

static const char *const causes[] = {"", "product", "service", "price", NULL};

static int is_code(const char *s, int dots)
{
	if (!islower((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_' && !(dots && (*s == '.' || *s == '-')))
			return 0;
	return 1;
}

int rules_field(cpl_rules *rs, const char *name)
{
	for (size_t i = 0; i < rs->nfields; i++)
		if (!strcmp(rs->fields[i], name))
			return (int)i;
	rs->fields = xrealloc(rs->fields, (rs->nfields + 1) * sizeof *rs->fields);
	rs->fields[rs->nfields] = xstrdup(name);
	return (int)rs->nfields++;
}

static int category_index(cpl_rules *rs, const char *name)
{
	for (size_t i = 0; i < rs->ncats; i++)
		if (!strcmp(rs->cats[i], name))
			return (int)i;
	rs->cats = xrealloc(rs->cats, (rs->ncats + 1) * sizeof *rs->cats);
	rs->cats[rs->ncats] = xstrdup(name);
	return (int)rs->ncats++;
}

static void rule_free(cpl_catrule *r)
{
	free(r->id);
	free(r->category);
	free(r->subcategory);
	free(r->cause);
	free(r->file);
	regex_free(r->re);
}

/* A category a table brings in that is a slip from one known before it,
 * or from one of more rules (biling beside billing): said, as a new
 * category is taken as it is written (rules-custom.csv adds store). */
static void said_new_categories(const cpl_rules *rs, const cpl_table *t, size_t ncats_before)
{
	size_t *count = xcalloc(rs->ncats + 1, sizeof *count);
	for (size_t i = 0; i < rs->n; i++)
		count[rs->r[i].cat]++;
	for (size_t c = ncats_before; c < rs->ncats; c++)
		for (size_t d = 0; d < rs->ncats; d++) {
			/* one edit: device is not service, remarketing not marketing */
			if (d == c || column_edits(rs->cats[c], rs->cats[d]) > 1 || (d >= ncats_before && count[d] <= count[c]))
				continue;
			long line = 0;
			for (size_t row = 0; row < t->nrows && !line; row++)
				if (!strcmp(table_get(t, row, "category"), rs->cats[c]))
					line = t->lines[row];
			cpl_warn_at(t->name, line, "category '%s' is new: did you mean '%s'?", rs->cats[c], rs->cats[d]);
			break;
		}
	free(count);
}

/* Read one table into rs: a rule whose id is already known replaces it
 * (that is how --add-rules corrects a built-in rule), others are appended. */
static void add_table(cpl_rules *rs, const char *path)
{
	static const char *const req[] = {"id", "category", "subcategory", "cause", "weight", "pattern", NULL};
	cpl_table *t = table_load(path, "categories.csv", req);
	size_t first_new = rs->n, ncats_before = rs->ncats;
	for (size_t row = 0; row < t->nrows; row++) {
		const char *id = table_get(t, row, "id");
		const char *cat = table_get(t, row, "category");
		const char *sub = table_get(t, row, "subcategory");
		const char *cause = table_get(t, row, "cause");
		const char *w = table_get(t, row, "weight");
		const char *pat = table_get(t, row, "pattern");
		const char *field = table_get(t, row, "field");
		if (!*id)
			table_die(t, row, "empty rule id");
		if (!is_code(cat, 0))
			table_die(t, row, "rule '%s': category '%s' is not a lowercase code like billing", id, cat);
		if (*sub && !is_code(sub, 1))
			table_die(t, row, "rule '%s': subcategory '%s' is not a lowercase code like billing.refund", id, sub);
		if (*sub && strcmp(sub, cat) && (strncmp(sub, cat, strlen(cat)) || sub[strlen(cat)] != '.'))
			table_die(t, row, "rule '%s': subcategory '%s' is not one of category '%s' (%s.something)", id, sub,
				cat, cat);
		size_t k = 0;
		while (causes[k] && strcmp(causes[k], cause))
			k++;
		if (!causes[k])
			table_die(t, row, "rule '%s': cause '%s' is not product, service, price or empty", id, cause);
		char *end;
		double weight = strtod(w, &end);
		if (!*w || *end || !isfinite(weight))
			table_die(t, row, "rule '%s': weight '%s' is not a number", id, w);
		if (!*pat)
			table_die(t, row, "rule '%s': empty pattern", id);
		if (*field && !is_code(field, 0))
			table_die(t, row, "rule '%s': field '%s' is not a canonical column name like text or channel", id, field);
		cpl_regex *re = regex_compile(pat, t->name, t->lines[row]);
		regex_check_examples(re, table_get(t, row, "must_match"), table_get(t, row, "must_not_match"),
			t->name, t->lines[row], id);
		cpl_catrule nr = {
			.id = xstrdup(id), .category = xstrdup(cat),
			.subcategory = xstrdup(*sub ? sub : cat), .cause = xstrdup(cause),
			.weight = weight, .field = rules_field(rs, *field ? field : "text"),
			.cat = category_index(rs, cat), .re = re,
			.file = xstrdup(t->name), .line = t->lines[row],
		};
		size_t at = rs->n;
		for (size_t i = 0; i < rs->n; i++)
			if (!strcmp(rs->r[i].id, id)) {
				if (i >= first_new)
					table_die(t, row, "rule id '%s' appears twice (first at line %ld)", id, rs->r[i].line);
				at = i;
				break;
			}
		if (at == rs->n) {
			rs->r = xrealloc(rs->r, (rs->n + 1) * sizeof *rs->r);
			rs->n++;
		} else {
			rule_free(&rs->r[at]);
		}
		rs->r[at] = nr;
	}
	said_new_categories(rs, t, ncats_before);
	table_free(t);
	rs->score = xrealloc(rs->score, (rs->ncats + 1) * sizeof *rs->score);
	rs->best = xrealloc(rs->best, (rs->ncats + 1) * sizeof *rs->best);
}

void rule_item(const void *table, size_t i, int *field, const char **pattern)
{
	const cpl_catrule *r = &((const cpl_rules *)table)->r[i];
	*field = r->field;
	*pattern = regex_pattern(r->re);
}

cpl_rules *rules_load(const char *path)
{
	cpl_rules *rs = xcalloc(1, sizeof *rs);
	rules_field(rs, "text");
	/* Without a built-in table (a build from a tree that lacks it) every
	 * case is 'other' until --rules names one. */
	if (path || data_embedded("categories.csv", NULL))
		add_table(rs, path);
	rs->score = xrealloc(rs->score, (rs->ncats + 1) * sizeof *rs->score);
	rs->best = xrealloc(rs->best, (rs->ncats + 1) * sizeof *rs->best);
	return rs;
}

void rules_free(cpl_rules *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n; i++)
		rule_free(&rs->r[i]);
	free(rs->r);
	free_strings(rs->fields, rs->nfields);
	free_strings(rs->cats, rs->ncats);
	free(rs->score);
	free(rs->best);
	free(rs);
}

void rules_extend(cpl_rules *rs, const char *path)
{
	add_table(rs, path);
}

static void add_hit(cpl_verdict *v, int rule, int start, int end)
{
	if (v->nhits == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 16;
		v->hits = xrealloc(v->hits, v->cap * sizeof *v->hits);
	}
	v->hits[v->nhits++] = (cpl_hit){rule, start, end};
}

void rules_match(cpl_rules *rs, const cpl_prefilter *pf, size_t base, const char *const *norm,
	const size_t *len, int where, cpl_verdict *v)
{
	v->nhits = 0;
	v->limit = -1;
	/* run only the rules whose words the text holds */
	size_t end;
	for (size_t j = prefilter_range(pf, base, rs->n, &end); j < end; j++) {
		size_t id = (size_t)pf->list[j], i = id - base;
		const cpl_catrule *r = &rs->r[i];
		const char *s = norm[r->field];
		if (!s || !len[r->field])
			continue;
		size_t ms, me;
		int m = prefilter_match(pf, id, r->re, s, len[r->field], where, &ms, &me);
		if (m > 0)
			add_hit(v, (int)i, (int)ms, (int)me);
		else if (m < 0 && v->limit < 0)
			v->limit = (int)i;
	}
	rules_decide(rs, v);
}

void rules_decide(cpl_rules *rs, cpl_verdict *v)
{
	for (size_t c = 0; c < rs->ncats; c++) {
		rs->score[c] = 0;
		rs->best[c] = -1;
	}
	for (size_t h = 0; h < v->nhits; h++) {
		int i = v->hits[h].rule;
		const cpl_catrule *r = &rs->r[i];
		rs->score[r->cat] += r->weight;
		int b = rs->best[r->cat];
		if (b < 0 || r->weight > rs->r[b].weight || (r->weight == rs->r[b].weight && i < b))
			rs->best[r->cat] = i;
	}
	int win = -1;
	for (size_t c = 0; c < rs->ncats; c++) {
		if (rs->best[c] < 0 || rs->score[c] <= 0)
			continue;
		if (win < 0 || rs->score[c] > rs->score[win] ||
		    (rs->score[c] == rs->score[win] && rs->best[c] < rs->best[win]))
			win = (int)c;
	}
	if (win < 0) {
		v->rule = -1;
		v->category = v->subcategory = "other";
		v->cause = "";
		v->score = 0;
		return;
	}
	const cpl_catrule *r = &rs->r[rs->best[win]];
	v->rule = rs->best[win];
	v->category = r->category;
	v->subcategory = r->subcategory;
	v->cause = r->cause;
	v->score = rs->score[win];
}

double rules_score(const cpl_rules *rs, int cat) { return rs->score[cat]; }

void verdict_free(cpl_verdict *v)
{
	free(v->hits);
	v->hits = NULL;
	v->nhits = v->cap = 0;
}

cpl_rules *rules_share(cpl_rules *rs)
{
	cpl_rules *v = xmalloc(sizeof *v);
	*v = *rs;
	v->score = xcalloc(rs->ncats + 1, sizeof *v->score);
	v->best = xcalloc(rs->ncats + 1, sizeof *v->best);
	return v;
}

void rules_share_free(cpl_rules *v)
{
	if (!v)
		return;
	free(v->score);
	free(v->best);
	free(v);
}
