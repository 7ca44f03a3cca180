/* cues.c: the cue table (data/cues.csv, or --cues and --add-cues files):
 * patterns that say a case is urgent in a given way, what the complainant
 * wants, how upset they are, that the call is nonsense, or (on the status
 * column) that a case is closed.  Each cue names its kind and value. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "cpl.h"

static const char *const kind_names[CUE_NKINDS] = {
	[CUE_URGENT] = "urgent", [CUE_COMPLAINANT] = "complainant", [CUE_EMOTION] = "emotion",
	[CUE_HARASSMENT] = "harassment", [CUE_CLOSED] = "closed",
};
const char *const complainant_names[] = {"inform", "correct", "compensate", NULL};
const char *const emotion_names[] = {"calm", "upset", "angry", NULL};
static const char *const harassment_values[] = {"", "nonsense", NULL};
static const char *const closed_values[] = {"", "closed", NULL};

static int lookup(const char *const *names, const char *v)
{
	for (int i = 0; names[i]; i++)
		if (!strcmp(names[i], v))
			return i;
	return -1;
}

static int field_index(cpl_cues *cs, const char *name)
{
	for (size_t i = 0; i < cs->nfields; i++)
		if (!strcmp(cs->fields[i], name))
			return (int)i;
	cs->fields = xrealloc(cs->fields, (cs->nfields + 1) * sizeof *cs->fields);
	cs->fields[cs->nfields] = xstrdup(name);
	return (int)cs->nfields++;
}

static int field_ok(const char *s)
{
	if (!islower((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

static void add_table(cpl_cues *cs, const char *path)
{
	static const char *const req[] = {"id", "kind", "value", "pattern", NULL};
	cpl_table *t = table_load(path, "cues.csv", req);
	size_t first_new = cs->n;
	for (size_t row = 0; row < t->nrows; row++) {
		const char *id = table_get(t, row, "id");
		const char *kind = table_get(t, row, "kind");
		const char *value = table_get(t, row, "value");
		const char *field = table_get(t, row, "field");
		const char *pat = table_get(t, row, "pattern");
		if (!*id)
			table_die(t, row, "empty cue id");
		int k = 0;
		while (k < CUE_NKINDS && strcmp(kind_names[k], kind))
			k++;
		if (k == CUE_NKINDS)
			table_die(t, row, "cue '%s': kind '%s' is not urgent, complainant, emotion, harassment or closed", id, kind);
		int v = -1;
		switch (k) {
		case CUE_URGENT:
			v = urgent_type(value, strlen(value));
			if (v == URG_BATCH || v == URG_REPEAT)
				table_die(t, row, "cue '%s': %s is found from the cases' times, not from a pattern", id, value);
			if (v < 0)
				table_die(t, row, "cue '%s': '%s' is not an urgent type (major, over_level, escalated, cross_region, important_customer, sensitive_customer)", id, value);
			break;
		case CUE_COMPLAINANT:
			if ((v = lookup(complainant_names, value)) < 0)
				table_die(t, row, "cue '%s': complainant '%s' is not inform, correct or compensate", id, value);
			break;
		case CUE_EMOTION:
			if ((v = lookup(emotion_names, value)) < 0)
				table_die(t, row, "cue '%s': emotion '%s' is not calm, upset or angry", id, value);
			break;
		case CUE_HARASSMENT:
			if ((v = lookup(harassment_values, value)) < 0)
				table_die(t, row, "cue '%s': harassment value '%s' is not nonsense", id, value);
			v = 1;
			break;
		case CUE_CLOSED:
			if ((v = lookup(closed_values, value)) < 0)
				table_die(t, row, "cue '%s': closed value '%s' is not closed", id, value);
			v = 1;
			break;
		}
		if (*field && !field_ok(field))
			table_die(t, row, "cue '%s': field '%s' is not a canonical column name like text or status", id, field);
		if (!*pat)
			table_die(t, row, "cue '%s': empty pattern", id);
		cpl_regex *re = regex_compile(pat, t->name, t->lines[row]);
		regex_check_examples(re, table_get(t, row, "must_match"), table_get(t, row, "must_not_match"),
			t->name, t->lines[row], id);
		cpl_cue nc = {
			.id = xstrdup(id), .kind = k, .value = v,
			.field = field_index(cs, *field ? field : (k == CUE_CLOSED ? "status" : "text")),
			.re = re, .file = xstrdup(t->name), .line = t->lines[row],
		};
		size_t at = cs->n;
		for (size_t i = 0; i < cs->n; i++)
			if (!strcmp(cs->c[i].id, id)) {
				if (i >= first_new)
					table_die(t, row, "cue id '%s' appears twice (first at line %ld)", id, cs->c[i].line);
				at = i;
				break;
			}
		if (at == cs->n) {
			cs->c = xrealloc(cs->c, (cs->n + 1) * sizeof *cs->c);
			cs->n++;
		} else {
			free(cs->c[at].id);
			free(cs->c[at].file);
			regex_free(cs->c[at].re);
		}
		cs->c[at] = nc;
	}
	table_free(t);
}

cpl_cues *cues_load(const char *path)
{
	cpl_cues *cs = xcalloc(1, sizeof *cs);
	field_index(cs, "text");
	add_table(cs, path);
	return cs;
}

void cues_free(cpl_cues *cs)
{
	if (!cs)
		return;
	for (size_t i = 0; i < cs->n; i++) {
		free(cs->c[i].id);
		free(cs->c[i].file);
		regex_free(cs->c[i].re);
	}
	free(cs->c);
	free_strings(cs->fields, cs->nfields);
	free(cs);
}

void cue_item(const void *table, size_t i, int *field, const char **pattern)
{
	const cpl_cue *c = &((const cpl_cues *)table)->c[i];
	*field = c->field;
	*pattern = regex_pattern(c->re);
}

void cues_extend(cpl_cues *cs, const char *path)
{
	add_table(cs, path);
}

/* The cues of the kinds in kinds (a bit mask of 1 << CUE_...) that match,
 * after a scan of pf where the cues are ids base ..; hits use the same
 * shape as category hits, placed only when where is set.  Returns the
 * index of a cue that hit the match limit, or -1. */
int cues_match(cpl_cues *cs, const cpl_prefilter *pf, size_t base, unsigned kinds,
	const char *const *norm, const size_t *len, int where, cpl_hit **hits, size_t *nhits, size_t *cap)
{
	int limit = -1;
	size_t end;
	for (size_t j = prefilter_range(pf, base, cs->n, &end); j < end; j++) {
		size_t id = (size_t)pf->list[j], i = id - base;
		const cpl_cue *c = &cs->c[i];
		if (!(kinds & (1u << c->kind)))
			continue;
		const char *s = norm[c->field];
		if (!s || !len[c->field])
			continue;
		size_t ms, me;
		int m = prefilter_match(pf, id, c->re, s, len[c->field], where, &ms, &me);
		if (m > 0) {
			if (*nhits == *cap) {
				*cap = *cap ? *cap * 2 : 16;
				*hits = xrealloc(*hits, *cap * sizeof **hits);
			}
			(*hits)[(*nhits)++] = (cpl_hit){(int)i, (int)ms, (int)me};
		} else if (m < 0 && limit < 0) {
			limit = (int)i;
		}
	}
	return limit;
}
