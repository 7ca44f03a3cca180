/* policy.c: service-level policies: the table that picks, per case, the first
 * row whose criteria match (urgency, urgent type, category, subcategory,
 * channel, customer level), and the durations of its targets (48h, 15d, 5wd,
 * 8bh, 15s), parsed once at load and turned into due times on the calendar. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cpl.h"

const char *const policy_criteria[POLICY_NCRIT] = {
	"urgency", "urgent_type", "category", "subcategory", "channel", "customer_level",
};
const char *const policy_case_column[POLICY_NCRIT] = {
	"urgency", "urgent_types", "category", "subcategory", "channel", "customer_level",
};

int sla_duration_parse(const char *s, cpl_sla_duration *d)
{
	/* a whole or decimal number, then the unit */
	const char *p = s;
	int64_t whole = 0, frac = 0, scale = 1;
	int digits = 0;
	while (*p >= '0' && *p <= '9') {
		if (whole > 100000000)
			return -1;
		whole = whole * 10 + (*p++ - '0');
		digits++;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			if (scale < 1000000) {
				frac = frac * 10 + (*p - '0');
				scale *= 10;
			}
			p++;
			digits++;
		}
	}
	if (!digits)
		return -1;
	static const struct { const char *unit; int kind; int64_t secs; } units[] = {
		{"s", SLA_CLOCK, 1}, {"m", SLA_CLOCK, 60}, {"min", SLA_CLOCK, 60},
		{"h", SLA_CLOCK, 3600}, {"d", SLA_CLOCK, 86400},
		{"wd", SLA_WORKING_DAYS, 1}, {"bh", SLA_BUSINESS_SECONDS, 3600},
	};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(p, units[i].unit))
			continue;
		if (units[i].kind == SLA_WORKING_DAYS && frac)
			return -1; /* a working day is counted whole */
		int64_t amount = whole * units[i].secs + frac * units[i].secs / scale;
		if (amount < 1 || amount > (int64_t)200 * 366 * 86400)
			return -1;
		d->kind = units[i].kind;
		d->amount = amount;
		return 0;
	}
	return -1;
}

int64_t sla_due(cpl_calendar *cal, int64_t from, const cpl_sla_duration *d)
{
	switch (d->kind) {
	case SLA_WORKING_DAYS:
		return calendar_add_working_days(cal, from, (int)d->amount);
	case SLA_BUSINESS_SECONDS:
		return calendar_add_business_seconds(cal, from, d->amount);
	default:
		return from + d->amount;
	}
}

/* "5wd" or "15s@chat_greeted_at": the duration, and the column that marks
 * the target done when it is not the usual one. */
static void parse_target(const cpl_table *t, size_t row, const char *col, cpl_sla_target *tg)
{
	const char *cell = table_get(t, row, col);
	memset(tg, 0, sizeof *tg);
	if (!*cell)
		return;
	char *dur = xstrdup(cell);
	char *at = strchr(dur, '@');
	if (at) {
		*at++ = 0;
		while (*at == ' ')
			at++;
		if (!*at)
			table_die(t, row, "%s '%s': expected a column name after '@'", col, cell);
		tg->done_col = xstrdup(at);
	}
	size_t n = strlen(dur);
	while (n && dur[n - 1] == ' ')
		dur[--n] = 0;
	if (sla_duration_parse(dur, &tg->within))
		table_die(t, row, "%s '%s': expected a duration above zero: Ns, Nm, Nh, Nd, Nwd (whole working days) or Nbh", col, cell);
	free(dur);
	tg->set = 1;
}

/* "a;b;c" into trimmed alternatives; NULL for an empty cell (anything). */
static cpl_policy_value *split_alternatives(const char *cell, size_t *n)
{
	*n = 0;
	if (!*cell)
		return NULL;
	size_t cap = 1;
	for (const char *p = cell; *p; p++)
		cap += *p == ';';
	cpl_policy_value *v = xcalloc(cap, sizeof *v);
	const char *p = cell;
	for (;;) {
		const char *e = strchr(p, ';');
		if (!e)
			e = p + strlen(p);
		const char *a = p, *b = e;
		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		if (b > a) {
			v[*n].s = xstrndup(a, (size_t)(b - a));
			v[*n].len = (size_t)(b - a);
			(*n)++;
		}
		if (!*e)
			break;
		p = e + 1;
	}
	if (!*n) {
		free(v);
		return NULL;
	}
	return v;
}

cpl_policies *policy_load(const char *path)
{
	static const char *const required[] = {
		"policy", "urgency", "urgent_type", "category", "subcategory", "channel",
		"customer_level", "reply_within", "resolve_within", NULL,
	};
	cpl_table *t = table_load(path, "policy.csv", required);
	cpl_policies *ps = xcalloc(1, sizeof *ps);
	ps->name = xstrdup(t->name);
	ps->rows = xcalloc(t->nrows + 1, sizeof *ps->rows);
	for (size_t r = 0; r < t->nrows; r++) {
		cpl_policy *p = &ps->rows[ps->n];
		const char *name = table_get(t, r, "policy");
		if (!*name)
			table_die(t, r, "a row with no policy name");
		for (size_t k = 0; k < ps->n; k++)
			if (!strcmp(ps->rows[k].name, name))
				table_die(t, r, "policy '%s' appears twice (first on line %ld)", name, ps->rows[k].line);
		p->name = xstrdup(name);
		p->line = t->lines[r];
		for (int c = 0; c < POLICY_NCRIT; c++)
			p->want[c] = split_alternatives(table_get(t, r, policy_criteria[c]), &p->nwant[c]);
		for (size_t k = 0; k < p->nwant[POLICY_URGENCY]; k++) {
			const char *u = p->want[POLICY_URGENCY][k].s;
			if (strcasecmp(u, "normal") && strcasecmp(u, "urgent"))
				table_die(t, r, "urgency '%s': expected normal, urgent or empty (any)", u);
		}
		parse_target(t, r, "reply_within", &p->reply);
		parse_target(t, r, "resolve_within", &p->resolve);
		p->usable = 1;
		ps->n++;
	}
	if (!ps->n)
		cpl_die_at(CPL_EXIT_USAGE, t->name, 1, "no policies: every case would be a problem");
	table_free(t);
	return ps;
}

static inline char ascii_fold(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c; }

/* strncasecmp's answer (the C locale folds ASCII only) without its call:
 * it runs for every wanted value of every row tried, per case.  A value
 * holds no NUL, so a NUL in the case's field is a difference, as there. */
static inline int same(const char *a, size_t alen, const cpl_policy_value *v)
{
	if (alen != v->len)
		return 0;
	for (size_t i = 0; i < alen; i++)
		if (ascii_fold(a[i]) != ascii_fold(v->s[i]))
			return 0;
	return 1;
}

/* Does the case's value (one, or a ';'-list for urgent types) hold one of the wanted? */
static int criterion_matches(const cpl_policy *p, int c, const cpl_field *value)
{
	const char *s = value->s, *end = value->s + value->len;
	for (;;) {
		const char *e = s;
		if (c == POLICY_URGENT_TYPE)
			while (e < end && *e != ';')
				e++;
		else
			e = end;
		const char *a = s, *b = e;
		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		for (size_t k = 0; k < p->nwant[c]; k++)
			if (same(a, (size_t)(b - a), &p->want[c][k]))
				return 1;
		if (e >= end)
			return 0;
		s = e + 1;
	}
}

/* The case's values as the rows test them, prepared once per case rather
 * than once per row tried: each trimmed, and the urgent types split into
 * their items (on first use: most cases fail the urgency first). */
#define MAX_ITEMS 32
struct case_values {
	cpl_field v[POLICY_NCRIT];  /* trimmed, once bit c of ready is set */
	unsigned ready;
	cpl_field item[MAX_ITEMS];
	int nitem;                  /* -1: not split yet; -2: too many, use criterion_matches */
};

static cpl_field trimmed(cpl_field f)
{
	const char *a = f.s, *b = f.s + f.len;
	while (a < b && (*a == ' ' || *a == '\t'))
		a++;
	while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
		b--;
	return (cpl_field){a, (size_t)(b - a)};
}

static void split_items(struct case_values *cv, const cpl_field *value)
{
	const char *s = value->s, *end = value->s + value->len;
	cv->nitem = 0;
	for (;;) {
		const char *e = memchr(s, ';', (size_t)(end - s));
		if (!e)
			e = end;
		cpl_field it = trimmed((cpl_field){s, (size_t)(e - s)});
		if (it.len) { /* an empty item matches no wanted value */
			if (cv->nitem == MAX_ITEMS) {
				cv->nitem = -2;
				return;
			}
			cv->item[cv->nitem++] = it;
		}
		if (e >= end)
			return;
		s = e + 1;
	}
}

static inline int wanted(const cpl_policy *p, int c, const cpl_field *f)
{
	for (size_t k = 0; k < p->nwant[c]; k++)
		if (same(f->s, f->len, &p->want[c][k]))
			return 1;
	return 0;
}

const cpl_policy *policy_match(const cpl_policies *ps, const cpl_field *values)
{
	struct case_values cv;
	cv.nitem = -1;
	cv.ready = 0;
	for (size_t r = 0; r < ps->n; r++) {
		const cpl_policy *p = &ps->rows[r];
		if (!p->usable)
			continue;
		int c = 0;
		for (; c < POLICY_NCRIT; c++) {
			if (!p->want[c])
				continue;
			if (!values[c].s)
				break;
			if (c != POLICY_URGENT_TYPE) {
				if (!(cv.ready & 1u << c)) {
					cv.v[c] = trimmed(values[c]);
					cv.ready |= 1u << c;
				}
				if (!wanted(p, c, &cv.v[c]))
					break;
				continue;
			}
			if (cv.nitem == -1)
				split_items(&cv, &values[c]);
			if (cv.nitem == -2) {
				if (!criterion_matches(p, c, &values[c]))
					break;
				continue;
			}
			int i = 0;
			while (i < cv.nitem && !wanted(p, c, &cv.item[i]))
				i++;
			if (i == cv.nitem)
				break;
		}
		if (c == POLICY_NCRIT)
			return p;
	}
	return NULL;
}

void policy_free(cpl_policies *ps)
{
	if (!ps)
		return;
	for (size_t r = 0; r < ps->n; r++) {
		cpl_policy *p = &ps->rows[r];
		for (int c = 0; c < POLICY_NCRIT; c++) {
			for (size_t k = 0; k < p->nwant[c]; k++)
				free(p->want[c][k].s);
			free(p->want[c]);
		}
		free(p->reply.done_col);
		free(p->resolve.done_col);
		free(p->name);
	}
	free(ps->rows);
	free(ps->name);
	free(ps);
}
