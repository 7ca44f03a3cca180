/* suggest.c: what the agent should say to a classified case.  A template
 * table picks, for each part of the reply (opening, lead, body, closing),
 * the first row whose conditions hold on the case's columns: the seeds'
 * techniques (移情法, 3F法, 三明治法, 引导征询法) and seed 000's
 * regulation-backed answers, inside the standard opening and closing. */
#include <stdlib.h>
#include <string.h>
#include "cpl.h"

enum { SLOT_OPENING, SLOT_LEAD, SLOT_BODY, SLOT_CLOSING, NSLOTS };
static const char *const slot_names[NSLOTS] = {"opening", "lead", "body", "closing"};

/* Columns of the table that are not conditions on the case. */
static const char *const reserved[] = {"slot", "technique", "body", "enabled", "id", "source", "note", NULL};

typedef struct cond {
	size_t field;
	cpl_regex *re;   /* "~pattern": matched on the normalised value */
	char **vals;     /* else one of these values ("x*" a prefix) */
	size_t nvals;
} cond;

typedef struct tmpl {
	int slot, enabled;
	const char *technique, *body;
	cond *conds;
	size_t nconds;
	size_t *holes;   /* fields named by {placeholders} in the body */
	size_t nholes;
} tmpl;

struct suggest_set {
	cpl_table *t;
	tmpl *rows;
	size_t n;
	char **fields;
	size_t nfields;
	cpl_norm *norm;  /* per field, normalised once per case when a pattern needs it */
	int *normed;
};

static size_t field_index(suggest_set *s, const char *name, size_t len)
{
	for (size_t i = 0; i < s->nfields; i++)
		if (strlen(s->fields[i]) == len && !memcmp(s->fields[i], name, len))
			return i;
	s->fields = xrealloc(s->fields, (s->nfields + 1) * sizeof *s->fields);
	s->fields[s->nfields] = xstrndup(name, len);
	return s->nfields++;
}

static int is_reserved(const char *col)
{
	for (const char *const *p = reserved; *p; p++)
		if (!strcmp(*p, col))
			return 1;
	return !strncmp(col, "must_", 5);
}

static void parse_cond(suggest_set *s, cond *c, const char *col, const char *v, size_t row)
{
	c->field = field_index(s, col, strlen(col));
	if (v[0] == '~') {
		c->re = regex_compile(v + 1, s->t->name, s->t->lines[row]);
		return;
	}
	const char *p = v;
	while (*p) {
		const char *e = strchr(p, ';');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		while (n && *p == ' ')
			p++, n--;
		while (n && p[n - 1] == ' ')
			n--;
		if (n) {
			c->vals = xrealloc(c->vals, (c->nvals + 1) * sizeof *c->vals);
			c->vals[c->nvals++] = xstrndup(p, n);
		}
		p = e ? e + 1 : p + strlen(p);
	}
}

static void parse_holes(suggest_set *s, tmpl *m, size_t row)
{
	for (const char *p = m->body; (p = strchr(p, '{')); ) {
		const char *e = strchr(p, '}');
		size_t n = e ? (size_t)(e - p - 1) : 0;
		int ok = e && n > 0;
		for (size_t i = 1; ok && i <= n; i++)
			ok = (p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') || p[i] == '_';
		if (!ok)
			table_die(s->t, row, "body: a placeholder is {column}, lowercase ASCII, in '%s'", m->body);
		m->holes = xrealloc(m->holes, (m->nholes + 1) * sizeof *m->holes);
		m->holes[m->nholes++] = field_index(s, p + 1, n);
		p = e + 1;
	}
}

suggest_set *suggest_load(const char *path)
{
	static const char *const need[] = {"slot", "technique", "body", NULL};
	suggest_set *s = xcalloc(1, sizeof *s);
	s->t = table_load(path, "templates.csv", need);
	s->rows = xcalloc(s->t->nrows + 1, sizeof *s->rows);
	int last[NSLOTS] = {-1, -1, -1, -1};
	for (size_t row = 0; row < s->t->nrows; row++) {
		tmpl *m = &s->rows[s->n++];
		const char *slot = table_get(s->t, row, "slot");
		m->slot = -1;
		for (int k = 0; k < NSLOTS; k++)
			if (!strcmp(slot, slot_names[k]))
				m->slot = k;
		if (m->slot < 0)
			table_die(s->t, row, "slot must be opening, lead, body or closing, not '%s'", slot);
		const char *en = table_get(s->t, row, "enabled");
		m->enabled = !(!strcmp(en, "0") || !strcmp(en, "no") || !strcmp(en, "false"));
		m->technique = table_get(s->t, row, "technique");
		m->body = table_get(s->t, row, "body");
		if (!*m->body)
			table_die(s->t, row, "a template needs a body");
		for (size_t c = 0; c < s->t->ncols; c++) {
			const char *col = s->t->cols[c], *v = s->t->rows[row][c];
			if (!*col || !*v || is_reserved(col))
				continue;
			m->conds = xrealloc(m->conds, (m->nconds + 1) * sizeof *m->conds);
			memset(&m->conds[m->nconds], 0, sizeof *m->conds);
			parse_cond(s, &m->conds[m->nconds++], col, v, row);
		}
		parse_holes(s, m, row);
		if (m->enabled)
			last[m->slot] = (int)row;
	}
	/* the opening, the body and the closing are never left out: each needs
	 * a last row without conditions, for the cases no other row fits */
	for (int k = 0; k < NSLOTS; k++)
		if (k != SLOT_LEAD && (last[k] < 0 || s->rows[last[k]].nconds || s->rows[last[k]].nholes))
			cpl_die_at(CPL_EXIT_USAGE, s->t->name, 1,
				"slot '%s' needs a last row without conditions or placeholders, for the cases no other row fits",
				slot_names[k]);
	s->norm = xcalloc(s->nfields + 1, sizeof *s->norm);
	s->normed = xcalloc(s->nfields + 1, sizeof *s->normed);
	return s;
}

size_t suggest_nfields(const suggest_set *s) { return s->nfields; }
const char *suggest_field(const suggest_set *s, size_t i) { return s->fields[i]; }

static int value_is(const char *v, size_t vlen, const char *want)
{
	size_t n = strlen(want);
	if (n && want[n - 1] == '*')
		return vlen >= n - 1 && !memcmp(v, want, n - 1);
	return vlen == n && !memcmp(v, want, n);
}

/* Does one of the case's values (';'-separated, as in urgent_types) match? */
static int cond_holds(suggest_set *s, const cond *c, const char *v, size_t len)
{
	if (c->re) {
		if (!s->normed[c->field]) {
			text_normalize(&s->norm[c->field], v, len, 0);
			s->normed[c->field] = 1;
		}
		const cpl_buf *b = &s->norm[c->field].out;
		return regex_match(c->re, b->s, b->len, 0, NULL, NULL) == 1;
	}
	const char *p = v, *end = v + len;
	while (p <= end) {
		const char *e = memchr(p, ';', (size_t)(end - p));
		if (!e)
			e = end;
		const char *a = p, *b = e;
		while (a < b && *a == ' ')
			a++;
		while (b > a && b[-1] == ' ')
			b--;
		for (size_t i = 0; i < c->nvals; i++)
			if (value_is(a, (size_t)(b - a), c->vals[i]))
				return 1;
		p = e + 1;
	}
	return 0;
}

static void fill(cpl_buf *out, const tmpl *m, const char *const *vals, const size_t *lens)
{
	const char *p = m->body;
	for (size_t h = 0; h < m->nholes; h++) {
		const char *o = strchr(p, '{');
		buf_add(out, p, (size_t)(o - p));
		buf_add(out, vals[m->holes[h]], lens[m->holes[h]]);
		p = strchr(o, '}') + 1;
	}
	buf_adds(out, p);
}

void suggest_make(suggest_set *s, const char *const *vals, const size_t *lens, cpl_buf *technique, cpl_buf *reply)
{
	buf_clear(technique);
	buf_clear(reply);
	memset(s->normed, 0, s->nfields * sizeof *s->normed);
	for (int k = 0; k < NSLOTS; k++) {
		for (size_t i = 0; i < s->n; i++) {
			const tmpl *m = &s->rows[i];
			if (m->slot != k || !m->enabled)
				continue;
			int ok = 1;
			for (size_t c = 0; ok && c < m->nconds; c++)
				ok = cond_holds(s, &m->conds[c], vals[m->conds[c].field], lens[m->conds[c].field]);
			for (size_t h = 0; ok && h < m->nholes; h++)
				ok = lens[m->holes[h]] > 0;
			if (!ok)
				continue;
			fill(reply, m, vals, lens);
			size_t tl = strlen(m->technique);
			if (tl) {
				/* each technique once, in the order used */
				int seen = 0;
				const char *q = technique->s, *qe = technique->s + technique->len;
				while (q && q < qe && !seen) {
					const char *e = memchr(q, ';', (size_t)(qe - q));
					if (!e)
						e = qe;
					seen = (size_t)(e - q) == tl && !memcmp(q, m->technique, tl);
					q = e + 1;
				}
				if (!seen) {
					if (technique->len)
						buf_addc(technique, ';');
					buf_add(technique, m->technique, tl);
				}
			}
			break;
		}
	}
	buf_str(technique);
	buf_str(reply);
}

void suggest_free(suggest_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		for (size_t c = 0; c < s->rows[i].nconds; c++) {
			regex_free(s->rows[i].conds[c].re);
			for (size_t v = 0; v < s->rows[i].conds[c].nvals; v++)
				free(s->rows[i].conds[c].vals[v]);
			free(s->rows[i].conds[c].vals);
		}
		free(s->rows[i].conds);
		free(s->rows[i].holes);
	}
	for (size_t i = 0; i < s->nfields; i++) {
		free(s->fields[i]);
		norm_free(&s->norm[i]);
	}
	free(s->fields);
	free(s->norm);
	free(s->normed);
	free(s->rows);
	table_free(s->t);
	free(s);
}
