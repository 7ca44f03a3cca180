/* report_doc.c: the report as a document of sections and tables, labelled
 * in one language, case text masked, numbers formatted from integers only;
 * the text, Markdown, HTML and CSV formats render it. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "report.h"

/* ---- labels ---- */

/* The built-in table, then --labels: a later row of a code wins. */
static cpl_table *labels[2];
static rmap *label_index; /* code -> table * 1000000 + row + 1 */

static void index_labels(int k)
{
	cpl_table *t = labels[k];
	rmap *seen = rmap_new(1, "s");
	for (size_t i = 0; i < t->nrows; i++) {
		const char *code = table_get(t, i, "code");
		if (!*code)
			table_die(t, i, "a label without a code");
		if (rmap_row(seen, code, strlen(code))[0]++)
			table_die(t, i, "code '%s' appears twice", code);
		rmap_row(label_index, code, strlen(code))[0] = (int64_t)k * 1000000 + (int64_t)i + 1;
	}
	rmap_free(seen);
}

void report_labels_load(const report_view *v)
{
	if (label_index)
		return;
	static const char *const req[] = {"code", "zh", "en", NULL};
	label_index = rmap_new(1, "s");
	labels[0] = table_load(NULL, "report-labels.csv", req);
	index_labels(0);
	if (v->labels) {
		labels[1] = table_load(v->labels, NULL, req);
		index_labels(1);
	}
}

static const char *lookup_label(const report_view *v, const char *code)
{
	report_labels_load(v);
	const int64_t *row = rmap_find(label_index, code, strlen(code));
	if (!row)
		return NULL;
	const cpl_table *t = labels[*row / 1000000];
	const char *s = table_get(t, (size_t)(*row % 1000000) - 1, strcmp(v->lang, "en") ? "zh" : "en");
	return *s ? s : NULL;
}

const char *report_label(const report_view *v, const char *code)
{
	const char *s = lookup_label(v, code);
	return s ? s : code;
}

const char *report_label2(const report_view *v, const char *prefix, const char *code)
{
	static cpl_buf b;
	buf_clear(&b);
	buf_printf(&b, "%s.%s", prefix, code);
	const char *s = lookup_label(v, b.s);
	return s ? s : code;
}

/* A label with {name} filled in: fill(v, code, "name", value, ..., NULL). */
static char *fill(const report_view *v, const char *code, ...)
{
	const char *t = report_label(v, code);
	cpl_buf out = {0};
	while (*t) {
		const char *open = strchr(t, '{'), *close = open ? strchr(open, '}') : NULL;
		if (!close) {
			buf_adds(&out, t);
			break;
		}
		buf_add(&out, t, (size_t)(open - t));
		va_list ap;
		va_start(ap, code);
		const char *name, *val = NULL;
		while ((name = va_arg(ap, const char *))) {
			const char *s = va_arg(ap, const char *);
			if (strlen(name) == (size_t)(close - open - 1) && !memcmp(name, open + 1, strlen(name)))
				val = s;
		}
		va_end(ap);
		if (val)
			buf_adds(&out, val);
		else
			buf_add(&out, open, (size_t)(close - open + 1));
		t = close + 1;
	}
	buf_str(&out);
	return out.s;
}

/* ---- numbers, from integers only ---- */

void report_fmt_pct(char *out, size_t n, int64_t num, int64_t den)
{
	if (den <= 0) {
		snprintf(out, n, "-");
		return;
	}
	int64_t pm = (num * 2000 + den) / (2 * den); /* per mille, rounded half up */
	snprintf(out, n, "%lld.%lld%%", (long long)(pm / 10), (long long)(pm % 10));
}

void report_fmt_ratio(char *out, size_t n, int64_t num, int64_t den)
{
	if (den <= 0) {
		snprintf(out, n, "null");
		return;
	}
	int64_t q = (num * 20000 + den) / (2 * den); /* in 1/10000 */
	snprintf(out, n, "%lld.%04lld", (long long)(q / 10000), (long long)(q % 10000));
}

void report_fmt_milli(char *out, size_t n, int64_t milli, int decimals)
{
	int64_t scale = decimals == 2 ? 10 : decimals == 1 ? 100 : 1000;
	int neg = milli < 0;
	int64_t a = neg ? -milli : milli;
	int64_t q = (a + scale / 2) / scale;
	if (decimals == 0)
		snprintf(out, n, "%s%lld", neg && q ? "-" : "", (long long)q);
	else if (decimals == 1)
		snprintf(out, n, "%s%lld.%lld", neg && q ? "-" : "", (long long)(q / 10), (long long)(q % 10));
	else
		snprintf(out, n, "%s%lld.%02lld", neg && q ? "-" : "", (long long)(q / 100), (long long)(q % 100));
}

static char *num(int64_t v)
{
	char b[32];
	snprintf(b, sizeof b, "%lld", (long long)v);
	return xstrdup(b);
}

static char *pct(int64_t a, int64_t b)
{
	char s[32];
	report_fmt_pct(s, sizeof s, a, b);
	return xstrdup(s);
}

/* mean of sum (thousandths) over n, one decimal */
static char *mean(int64_t sum, int64_t n)
{
	char s[32];
	if (n <= 0)
		return xstrdup("-");
	int64_t q = (sum * 2 / n + 1) / 2; /* thousandths, rounded */
	report_fmt_milli(s, sizeof s, q, 1);
	return xstrdup(s);
}

static void fmt_time(char *out, int64_t t, int with_time)
{
	char b[20];
	time_format(t, b);
	if (!with_time)
		b[10] = 0;
	else
		b[16] = 0; /* minutes */
	strcpy(out, b);
}

/* The bounds of [from, to) as a and b: dates when both fall at midnight,
 * else times to the second; returns whether they are dates. */
static int fmt_bounds(char *a, char *b, int64_t from, int64_t to)
{
	int h, mi, s, h2, mi2, s2;
	time_to_local(from, NULL, NULL, NULL, &h, &mi, &s, NULL);
	time_to_local(to, NULL, NULL, NULL, &h2, &mi2, &s2, NULL);
	int whole = !(h || mi || s || h2 || mi2 || s2);
	if (whole) {
		fmt_time(a, from, 0);
		fmt_time(b, to - 1, 0);
	} else {
		time_format(from, a);
		time_format(to - 1, b);
	}
	return whole;
}

/* ---- case text: masked (when asked) and never empty ---- */

static char *disp(const report_view *v, const char *s, size_t len)
{
	if (!len)
		return xstrdup(report_label(v, "value.empty"));
	cpl_buf b = {0};
	if (v->mask)
		mask_text(&b, s, len);
	else
		buf_add(&b, s, len);
	return b.s;
}

static char *disp_customer(const report_view *v, const char *s, size_t len)
{
	if (!len || !v->mask)
		return disp(v, s, len);
	cpl_buf b = {0};
	mask_value(&b, s, len);
	return b.s;
}

/* a row key from case data, masked like the text it stands for (a static
 * buffer: row() copies it) */
static const char *row_key(const report_view *v, const char *s, size_t len, int customer)
{
	static cpl_buf b;
	buf_clear(&b);
	if (!v->mask)
		buf_add(&b, s, len);
	else if (customer)
		mask_value(&b, s, len);
	else
		mask_text(&b, s, len);
	return buf_str(&b);
}

static char *disp_code(const report_view *v, const char *prefix, const char *code, size_t len)
{
	if (!len)
		return xstrdup(report_label(v, "value.empty"));
	const char *l = report_label2(v, prefix, code);
	const char *dot = strchr(code, '.');
	if (l == code && !strcmp(prefix, "rule") && dot) /* forbidden.ID */
		l = report_label2(v, prefix, dot + 1) == dot + 1 ? code : report_label2(v, prefix, dot + 1);
	return l == code ? disp(v, code, len) : xstrdup(l);
}

/* ---- building tables ---- */

static rtable *table_new(const report_view *v, const char *id, const char *const *colids)
{
	rtable *t = xcalloc(1, sizeof *t);
	t->id = id;
	char code[64];
	snprintf(code, sizeof code, "table.%s", id);
	t->title = xstrdup(report_label(v, code));
	while (colids[t->ncols])
		t->ncols++;
	t->colid = xcalloc(t->ncols, sizeof *t->colid);
	t->colhead = xcalloc(t->ncols, sizeof *t->colhead);
	for (size_t c = 0; c < t->ncols; c++) {
		t->colid[c] = colids[c];
		snprintf(code, sizeof code, "col.%s", colids[c]);
		t->colhead[c] = xstrdup(report_label(v, code));
	}
	return t;
}

/* A new row; its cells are taken (malloc'd strings), one per column. */
static void row(rtable *t, const char *key, ...)
{
	if (t->nrows == t->caprows) {
		t->caprows = t->caprows ? t->caprows * 2 : 16;
		t->keys = xrealloc(t->keys, t->caprows * sizeof *t->keys);
		t->cells = xrealloc(t->cells, t->caprows * sizeof *t->cells);
	}
	char **cells = xcalloc(t->ncols, sizeof *cells);
	va_list ap;
	va_start(ap, key);
	for (size_t c = 0; c < t->ncols; c++) {
		char *s = va_arg(ap, char *);
		cells[c] = s ? s : xstrdup("");
	}
	va_end(ap);
	t->keys[t->nrows] = xstrdup(key);
	t->cells[t->nrows++] = cells;
}

static rsection *section(rdoc *d, const report_view *v, const char *id)
{
	rsection *s = xcalloc(1, sizeof *s);
	s->id = id;
	char code[64];
	snprintf(code, sizeof code, "sec.%s", id);
	s->title = xstrdup(report_label(v, code));
	d->s = xrealloc(d->s, (d->ns + 1) * sizeof *d->s);
	d->s[d->ns++] = s;
	return s;
}

static void add_table(rsection *s, rtable *t)
{
	s->t = xrealloc(s->t, (s->nt + 1) * sizeof *s->t);
	s->t[s->nt++] = t;
}

static void footer(rdoc *d, char *line)
{
	d->footer = xrealloc(d->footer, (d->nfooter + 1) * sizeof *d->footer);
	d->footer[d->nfooter++] = line;
}

static const int64_t *totals(const report *r, int prev)
{
	static const int64_t zero[T_COUNT];
	const int64_t *t = rmap_find(r->m[prev ? RM_PREV_TOTALS : RM_TOTALS], "", 0);
	return t ? t : zero;
}

/* A count table over a map: label, count, and the share of base (no share
 * column when base < 0); the first top rows, then one row for the rest. */
static rtable *count_table(const report_view *v, const char *id, const char *colid,
	const rmap *m, const char *prefix, int customer, int64_t base, long top)
{
	const char *cols[] = {colid, "count", base >= 0 ? "share" : NULL, NULL};
	rtable *t = table_new(v, id, cols);
	t->numeric = 6;
	t->chart = CHART_BARS;
	t->chart_col = 1;
	rmap_entry **e = rmap_sorted(m, 0);
	size_t shown = top > 0 && (size_t)top < m->n ? (size_t)top : m->n;
	for (size_t i = 0; i < shown; i++) {
		int64_t n = rmap_vals(m, e[i])[0];
		char *label = prefix ? disp_code(v, prefix, e[i]->key, e[i]->keylen)
			: customer ? disp_customer(v, e[i]->key, e[i]->keylen)
			: disp(v, e[i]->key, e[i]->keylen);
		row(t, row_key(v, e[i]->key, e[i]->keylen, customer), label, num(n), base >= 0 ? pct(n, base) : NULL);
	}
	if (shown < m->n) {
		int64_t rest = 0;
		for (size_t i = shown; i < m->n; i++)
			rest += rmap_vals(m, e[i])[0];
		char n[32];
		snprintf(n, sizeof n, "%zu", m->n - shown);
		row(t, "_rest", fill(v, "note.rest", "n", n, NULL), num(rest), base >= 0 ? pct(rest, base) : NULL);
	}
	free(e);
	return t;
}

/* on-time rate: met over the decided (met, breached, overdue) */
static int64_t decided(const int64_t *v, int target)
{
	return v[target + SLA_MET] + v[target + SLA_BREACHED] + v[target + SLA_OVERDUE];
}

static rtable *sla_group_table(const report *r, const report_view *v, const char *id,
	const char *colid, const rmap *m, const char *prefix)
{
	int rep = RHAS(r, RC_REPLY_STATUS), res = RHAS(r, RC_RESOLVE_STATUS);
	const char *cols[8];
	int n = 0;
	cols[n++] = colid;
	cols[n++] = "cases";
	if (rep)
		cols[n++] = "reply_on_time";
	if (res)
		cols[n++] = "resolve_on_time";
	cols[n++] = "at_risk";
	cols[n++] = "overdue";
	cols[n] = NULL;
	rtable *t = table_new(v, id, cols);
	t->numeric = (1u << n) - 2;
	rmap_entry **e = rmap_sorted(m, S_CASES);
	size_t shown = v->top > 0 && (size_t)v->top < m->n ? (size_t)v->top : m->n;
	for (size_t i = 0; i < shown; i++) {
		const int64_t *x = rmap_vals(m, e[i]);
		char *c[8] = {0};
		int k = 0;
		c[k++] = prefix ? disp_code(v, prefix, e[i]->key, e[i]->keylen) : disp(v, e[i]->key, e[i]->keylen);
		c[k++] = num(x[S_CASES]);
		if (rep)
			c[k++] = pct(x[S_REPLY + SLA_MET], decided(x, S_REPLY));
		if (res)
			c[k++] = pct(x[S_RESOLVE + SLA_MET], decided(x, S_RESOLVE));
		c[k++] = num(x[S_ANY_AT_RISK]);
		c[k++] = num(x[S_ANY_OVERDUE]);
		row(t, row_key(v, e[i]->key, e[i]->keylen, 0), c[0], c[1], c[2], c[3], c[4], c[5], c[6]);
	}
	if (shown < m->n) {
		char nrest[32];
		snprintf(nrest, sizeof nrest, "%zu", m->n - shown);
		t->note = fill(v, "note.rest", "n", nrest, NULL);
	}
	free(e);
	return t;
}

static rtable *case_list(const report *r, const report_view *v, int l, int64_t total)
{
	static const char *const all[] = {"case_id", "created_at", "target", "due", "left_min",
		"department", "agent_id", "subcategory", "customer_id", NULL};
	static const int need[] = {RC_CASE_ID, RC_CREATED, -1, -2, -2, RC_DEPARTMENT, RC_AGENT,
		RC_SUBCATEGORY, RC_CUSTOMER};
	static const int field[] = {L_CASE_ID, -1, L_TARGET, L_DUE, L_LEFT, L_DEPARTMENT, L_AGENT,
		L_SUBCATEGORY, L_CUSTOMER};
	const char *cols[16];
	int src[16], n = 0;
	for (int i = 0; all[i]; i++) {
		int ok = need[i] == -1 || (need[i] == -2 ? RHAS(r, RC_REPLY_DUE) || RHAS(r, RC_RESOLVE_DUE)
			|| RHAS(r, RC_REPLY_LEFT) || RHAS(r, RC_RESOLVE_LEFT) : RHAS(r, need[i]));
		if (ok) {
			src[n] = i;
			cols[n++] = all[i];
		}
	}
	cols[n] = NULL;
	rtable *t = table_new(v, l == LIST_OVERDUE ? "overdue_cases" : "at_risk_cases", cols);
	for (int c = 0; c < n; c++)
		if (!strcmp(cols[c], "left_min"))
			t->numeric |= 1u << c;
	for (size_t i = 0; i < r->nlist[l]; i++) {
		const rcase *rc = &r->list[l][i];
		char *c[16] = {0};
		for (int k = 0; k < n; k++) {
			int f = field[src[k]];
			if (f < 0) {
				char b[20] = "";
				if (rc->created != INT64_MAX)
					fmt_time(b, rc->created, 1);
				c[k] = xstrdup(b);
			} else if (f == L_TARGET) {
				c[k] = xstrdup(report_label2(v, "target", rc->f[f]));
			} else if (f == L_CUSTOMER) {
				c[k] = disp_customer(v, rc->f[f], strlen(rc->f[f]));
			} else if (f == L_SUBCATEGORY) {
				c[k] = disp_code(v, "subcategory", rc->f[f], strlen(rc->f[f]));
			} else if (f == L_LEFT) {
				c[k] = xstrdup(rc->f[f]);
			} else if (f == L_DUE) {
				int64_t due = time_parse(rc->f[f], strlen(rc->f[f]), NULL);
				char b[20];
				if (due != CPL_NOTIME)
					fmt_time(b, due, 1);
				c[k] = due != CPL_NOTIME ? xstrdup(b) : disp(v, rc->f[f], strlen(rc->f[f]));
			} else {
				c[k] = disp(v, rc->f[f], strlen(rc->f[f]));
			}
		}
		row(t, row_key(v, rc->f[L_CASE_ID], strlen(rc->f[L_CASE_ID]), 0), c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8]);
	}
	char tot[32], listed[32], max[32];
	snprintf(tot, sizeof tot, "%lld", (long long)total);
	snprintf(listed, sizeof listed, "%zu", r->nlist[l]);
	snprintf(max, sizeof max, "%d", r->cases_max);
	t->note = total ? fill(v, "note.more", "total", tot, "listed", listed, "max", max, NULL)
		: xstrdup(report_label(v, "note.none"));
	return t;
}

static const report *sort_report;

static int batch_cmp(const void *pa, const void *pb)
{
	const rmap_entry *a = *(const rmap_entry *const *)pa, *b = *(const rmap_entry *const *)pb;
	const rmap *m = sort_report->m[RM_BATCH];
	int64_t fa = rmap_vals(m, a)[B_FIRST], fb = rmap_vals(m, b)[B_FIRST];
	if (fa != fb)
		return fa < fb ? -1 : 1;
	size_t k = a->keylen < b->keylen ? a->keylen : b->keylen;
	int c = memcmp(a->key, b->key, k);
	return c ? c : (a->keylen > b->keylen) - (a->keylen < b->keylen);
}

/* "value; value" of a batch's compound map */
static char *joined_values(const report_view *v, rmap_entry **e, size_t lo, size_t hi, size_t idlen)
{
	cpl_buf b = {0};
	for (size_t i = lo; i < hi; i++) {
		const char *s = e[i]->key + idlen + 1;
		size_t len = e[i]->keylen - idlen - 1;
		if (!len)
			continue;
		char *d = disp(v, s, len);
		if (b.len)
			buf_adds(&b, "; ");
		buf_adds(&b, d);
		free(d);
	}
	return b.s ? b.s : xstrdup("");
}

static rtable *batch_table(const report *r, const report_view *v)
{
	const char *cols[8];
	int n = 0;
	cols[n++] = "batch_id";
	if (RHAS(r, RC_ISSUE_KEY))
		cols[n++] = "issue";
	if (RHAS(r, RC_REGION))
		cols[n++] = "region";
	if (RHAS(r, RC_CREATED))
		cols[n++] = "window";
	cols[n++] = "cases";
	if (RHAS(r, RC_CUSTOMER))
		cols[n++] = "customers";
	cols[n] = NULL;
	rtable *t = table_new(v, "batches", cols);
	for (int c = 0; c < n; c++)
		if (!strcmp(cols[c], "cases") || !strcmp(cols[c], "customers"))
			t->numeric |= 1u << c;
	const rmap *bm = r->m[RM_BATCH];
	rmap_entry **b = rmap_sorted(bm, -1);
	sort_report = r;
	qsort(b, bm->n, sizeof *b, batch_cmp);
	rmap_entry **iss = rmap_sorted(r->m[RM_BATCH_ISSUE], -1);
	rmap_entry **reg = rmap_sorted(r->m[RM_BATCH_REGION], -1);
	int64_t *cus = report_batch_customers(r);
	for (size_t i = 0; i < bm->n; i++) {
		const int64_t *x = rmap_vals(bm, b[i]);
		char *c[8] = {0};
		int k = 0;
		size_t lo, hi;
		c[k++] = disp(v, b[i]->key, b[i]->keylen);
		if (RHAS(r, RC_ISSUE_KEY)) {
			rmap_run(iss, r->m[RM_BATCH_ISSUE]->n, b[i]->key, b[i]->keylen, &lo, &hi);
			c[k++] = joined_values(v, iss, lo, hi, b[i]->keylen);
		}
		if (RHAS(r, RC_REGION)) {
			rmap_run(reg, r->m[RM_BATCH_REGION]->n, b[i]->key, b[i]->keylen, &lo, &hi);
			c[k++] = joined_values(v, reg, lo, hi, b[i]->keylen);
		}
		if (RHAS(r, RC_CREATED)) {
			char w[64] = "", a[20], z[20];
			if (x[B_FIRST] != INT64_MAX) {
				fmt_time(a, x[B_FIRST], 1);
				fmt_time(z, x[B_LAST], 1);
				snprintf(w, sizeof w, "%s – %s", a, memcmp(a, z, 10) ? z : z + 11);
			}
			c[k++] = xstrdup(w);
		}
		c[k++] = num(x[B_CASES]);
		if (RHAS(r, RC_CUSTOMER))
			c[k++] = num(cus[b[i] - bm->e]);
		row(t, row_key(v, b[i]->key, b[i]->keylen, 0), c[0], c[1], c[2], c[3], c[4], c[5]);
	}
	free(b);
	free(iss);
	free(reg);
	free(cus);
	if (!bm->n)
		t->note = xstrdup(report_label(v, "note.none"));
	return t;
}

static rtable *metric_table(const report_view *v, const char *id)
{
	static const char *const cols[] = {"metric", "value", NULL};
	rtable *t = table_new(v, id, cols);
	t->numeric = 2;
	return t;
}

static void metric(rtable *t, const report_view *v, const char *key, char *value)
{
	char code[64];
	snprintf(code, sizeof code, "metric.%s", key);
	row(t, key, xstrdup(report_label(v, code)), value);
}

/* ---- change against the previous period ---- */

static char *change_count(int64_t now, int64_t before)
{
	char b[64], p[32];
	int64_t d = now - before;
	if (!before || !d)
		snprintf(b, sizeof b, "%s%lld", d > 0 ? "+" : "", (long long)d);
	else {
		int64_t a = d < 0 ? -d : d;
		report_fmt_pct(p, sizeof p, a, before);
		snprintf(b, sizeof b, "%s%lld (%s%s)", d > 0 ? "+" : "", (long long)d, d < 0 ? "-" : d > 0 ? "+" : "", p);
	}
	return xstrdup(b);
}

/* the change between two rates, in percentage points with one decimal */
static char *change_rate(const report_view *v, int64_t an, int64_t ad, int64_t bn, int64_t bd)
{
	if (ad <= 0 || bd <= 0)
		return xstrdup("-");
	/* per mille of each, rounded, then the difference */
	int64_t a = (an * 2000 + ad) / (2 * ad), b = (bn * 2000 + bd) / (2 * bd), d = a - b;
	char n[32];
	int64_t m = d < 0 ? -d : d;
	snprintf(n, sizeof n, "%s%lld.%lld", d > 0 ? "+" : d < 0 ? "-" : "", (long long)(m / 10), (long long)(m % 10));
	return fill(v, "value.pp", "n", n, NULL);
}

static void change_section(rdoc *d, const report *r, const report_view *v)
{
	rsection *s = section(d, v, "change");
	static const char *const cols[] = {"metric", "this", "previous", "change", NULL};
	char from[20], to[20];
	fmt_bounds(from, to, r->prev_from, r->from);
	rtable *t = table_new(v, "change", cols);
	free(t->title);
	char code[64];
	t->title = fill(v, "table.change", "from", from, "to", to, NULL);
	t->numeric = 14;
	const int64_t *a = totals(r, 0), *b = totals(r, 1);
	struct { const char *key; int slot; int col; } rows[] = {
		{"received", T_RECEIVED, -1}, {"closed", T_CLOSED, RC_STATUS}, {"open", T_OPEN, RC_STATUS},
		{"urgent", T_URGENT, RC_URGENCY}, {"repeats", T_REPEATS, RC_REPEAT_OF},
		{"batch_cases", T_BATCH_CASES, RC_BATCH},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int c = rows[i].col;
		int ok = c < 0 || RHAS(r, c) || (c == RC_STATUS && RHAS(r, RC_CLOSED)) ||
			(c == RC_URGENCY && RHAS(r, RC_URGENT_TYPES)) || (c == RC_REPEAT_OF && RHAS(r, RC_URGENT_TYPES));
		if (!ok)
			continue;
		snprintf(code, sizeof code, "metric.%s", rows[i].key);
		row(t, rows[i].key, xstrdup(report_label(v, code)), num(a[rows[i].slot]), num(b[rows[i].slot]),
			change_count(a[rows[i].slot], b[rows[i].slot]));
	}
	static const int64_t zero[S_COUNT];
	const int64_t *sa = rmap_find(r->m[RM_SLA], "", 0), *sb = rmap_find(r->m[RM_PREV_SLA], "", 0);
	sa = sa ? sa : zero;
	sb = sb ? sb : zero;
	for (int k = 0; k < 2; k++) {
		int col = k ? RC_RESOLVE_STATUS : RC_REPLY_STATUS, base = k ? S_RESOLVE : S_REPLY;
		if (!RHAS(r, col))
			continue;
		const char *key = k ? "resolve_on_time" : "reply_on_time";
		snprintf(code, sizeof code, "metric.%s", key);
		row(t, key, xstrdup(report_label(v, code)), pct(sa[base + SLA_MET], decided(sa, base)),
			pct(sb[base + SLA_MET], decided(sb, base)),
			change_rate(v, sa[base + SLA_MET], decided(sa, base), sb[base + SLA_MET], decided(sb, base)));
	}
	if (RHAS(r, RC_SCORE)) {
		static const int64_t pz[P_COUNT];
		const int64_t *pa = rmap_find(r->m[RM_PHRASE], "", 0), *pb = rmap_find(r->m[RM_PREV_PHRASE], "", 0);
		pa = pa ? pa : pz;
		pb = pb ? pb : pz;
		char *ma = mean(pa[P_SCORE_SUM], pa[P_SCORED]), *mb = mean(pb[P_SCORE_SUM], pb[P_SCORED]);
		char *ch = xstrdup("-");
		if (pa[P_SCORED] && pb[P_SCORED]) {
			/* difference of the rounded means, so the columns add up */
			int64_t qa = (pa[P_SCORE_SUM] * 2 / pa[P_SCORED] + 1) / 2;
			int64_t qb = (pb[P_SCORE_SUM] * 2 / pb[P_SCORED] + 1) / 2;
			qa = (qa + 50) / 100;
			qb = (qb + 50) / 100;
			int64_t dd = qa - qb, m = dd < 0 ? -dd : dd;
			char buf[32];
			snprintf(buf, sizeof buf, "%s%lld.%lld", dd > 0 ? "+" : dd < 0 ? "-" : "", (long long)(m / 10), (long long)(m % 10));
			free(ch);
			ch = xstrdup(buf);
		}
		row(t, "mean_score", xstrdup(report_label(v, "metric.mean_score")), ma, mb, ch);
	}
	if (RHAS(r, RC_CATEGORY)) {
		/* every category of either period, by this period's count */
		rmap *u = rmap_new(2, "ss");
		const rmap *ca = r->m[RM_CATEGORY], *cb = r->m[RM_PREV_CATEGORY];
		for (size_t i = 0; i < ca->n; i++)
			rmap_row(u, ca->e[i].key, ca->e[i].keylen)[0] += rmap_vals(ca, &ca->e[i])[0];
		for (size_t i = 0; i < cb->n; i++)
			rmap_row(u, cb->e[i].key, cb->e[i].keylen)[1] += rmap_vals(cb, &cb->e[i])[0];
		rmap_entry **e = rmap_sorted(u, 0);
		for (size_t i = 0; i < u->n; i++) {
			const int64_t *x = rmap_vals(u, e[i]);
			char key[256];
			snprintf(key, sizeof key, "category.%.*s", (int)(e[i]->keylen > 200 ? 200 : e[i]->keylen), e[i]->key);
			row(t, row_key(v, key, strlen(key), 0), disp_code(v, "category", e[i]->key, e[i]->keylen), num(x[0]), num(x[1]),
				change_count(x[0], x[1]));
		}
		free(e);
		rmap_free(u);
	}
	add_table(s, t);
}

/* ---- the document ---- */

static void title(rdoc *d, const report *r, const report_view *v, int by)
{
	int64_t from, to;
	char a[20], b[20];
	if (report_period(r, &from, &to)) {
		int whole = fmt_bounds(a, b, from, to);
		int oneday = whole && !strcmp(a, b);
		d->title = xstrdup(report_label(v, by ? "title.by" : oneday ? "title.day" : "title.period"));
		d->subtitle = fill(v, oneday ? "subtitle.day" : "subtitle.period", "from", a, "to", b, NULL);
	} else {
		d->title = xstrdup(report_label(v, by ? "title.by" : "title.period"));
		d->subtitle = xstrdup(report_label(v, "subtitle.all"));
	}
	if (v->now != CPL_NOTIME) {
		char n[20];
		time_format(v->now, n);
		char *now = fill(v, "subtitle.now", "now", n, NULL);
		cpl_buf s = {0};
		buf_printf(&s, "%s · %s", d->subtitle, now);
		free(d->subtitle);
		free(now);
		d->subtitle = s.s;
	}
}

static void footers(rdoc *d, const report *r, const report_view *v)
{
	const int64_t *t = totals(r, 0);
	d->has_period = r->has_period;
	d->read = t[T_READ];
	d->in_period = t[T_RECEIVED];
	d->skip_outside = t[T_SKIP_OUTSIDE];
	d->skip_notime = t[T_SKIP_NOTIME];
	d->problems = t[T_PROBLEMS];
	char read[32], in[32], sk[32], out[32], nt[32], pr[32];
	snprintf(read, sizeof read, "%lld", (long long)t[T_READ]);
	snprintf(in, sizeof in, "%lld", (long long)t[T_RECEIVED]);
	snprintf(sk, sizeof sk, "%lld", (long long)(t[T_SKIP_OUTSIDE] + t[T_SKIP_NOTIME]));
	snprintf(out, sizeof out, "%lld", (long long)t[T_SKIP_OUTSIDE]);
	snprintf(nt, sizeof nt, "%lld", (long long)t[T_SKIP_NOTIME]);
	snprintf(pr, sizeof pr, "%lld", (long long)t[T_PROBLEMS]);
	footer(d, fill(v, "footer.records", "read", read, "in", in, NULL));
	if (r->has_period)
		footer(d, fill(v, "footer.skipped", "skipped", sk, "outside", out, "notime", nt, NULL));
	if (t[T_PROBLEMS])
		footer(d, fill(v, "footer.problems", "n", pr, NULL));
	if (v->mask)
		footer(d, xstrdup(report_label(v, "footer.masked")));
	footer(d, fill(v, "footer.generated", "version", CPL_VERSION, NULL));
}

rdoc *report_doc(const report *r, const report_view *v)
{
	rdoc *d = xcalloc(1, sizeof *d);
	d->lang = v->lang;
	title(d, r, v, 0);
	const int64_t *tot = totals(r, 0);
	int64_t received = tot[T_RECEIVED];
	long top = v->top;

	rsection *s = section(d, v, "totals");
	rtable *t = metric_table(v, "totals");
	metric(t, v, "received", num(received));
	if (RHAS(r, RC_STATUS) || RHAS(r, RC_CLOSED)) {
		metric(t, v, "closed", num(tot[T_CLOSED]));
		metric(t, v, "open", num(tot[T_OPEN]));
		if (RHAS(r, RC_STATUS))
			metric(t, v, "pending", num(tot[T_PENDING]));
	}
	if (RHAS(r, RC_URGENCY) || RHAS(r, RC_URGENT_TYPES))
		metric(t, v, "urgent", num(tot[T_URGENT]));
	if (RHAS(r, RC_HARASSMENT))
		metric(t, v, "harassment", num(tot[T_HARASSMENT]));
	add_table(s, t);

	if (RHAS(r, RC_URGENT_TYPES)) {
		s = section(d, v, "urgent");
		add_table(s, count_table(v, "urgent_by_type", "urgent_type", r->m[RM_URGENT], "urgent", 0, received, 0));
	}
	if (RHAS(r, RC_CATEGORY) || RHAS(r, RC_SUBCATEGORY)) {
		s = section(d, v, "category");
		if (RHAS(r, RC_CATEGORY))
			add_table(s, count_table(v, "by_category", "category", r->m[RM_CATEGORY], "category", 0, received, top));
		if (RHAS(r, RC_SUBCATEGORY))
			add_table(s, count_table(v, "by_subcategory", "subcategory", r->m[RM_SUBCATEGORY], "subcategory", 0, received, top));
	}
	if (RHAS(r, RC_CHANNEL) || RHAS(r, RC_REGION) || RHAS(r, RC_LEVEL)) {
		s = section(d, v, "distribution");
		if (RHAS(r, RC_CHANNEL))
			add_table(s, count_table(v, "by_channel", "channel", r->m[RM_CHANNEL], NULL, 0, received, top));
		if (RHAS(r, RC_REGION))
			add_table(s, count_table(v, "by_region", "region", r->m[RM_REGION], NULL, 0, received, top));
		if (RHAS(r, RC_LEVEL))
			add_table(s, count_table(v, "by_customer_level", "customer_level", r->m[RM_LEVEL], NULL, 0, received, top));
	}
	if (RHAS(r, RC_CTYPE) || RHAS(r, RC_EMOTION)) {
		s = section(d, v, "complainant");
		if (RHAS(r, RC_CTYPE))
			add_table(s, count_table(v, "by_complainant_type", "complainant_type", r->m[RM_CTYPE], "complainant_type", 0, received, top));
		if (RHAS(r, RC_EMOTION))
			add_table(s, count_table(v, "by_emotion", "emotion", r->m[RM_EMOTION], "emotion", 0, received, top));
	}
	if (RHAS(r, RC_REPLY_STATUS) || RHAS(r, RC_RESOLVE_STATUS)) {
		s = section(d, v, "sla");
		static const char *const cols[] = {"target", "met", "breached", "open", "at_risk", "overdue", "on_time_rate", NULL};
		t = table_new(v, "sla", cols);
		t->numeric = 0x7e;
		t->chart = CHART_STACK;
		t->chart_col = 1;
		t->chart_ncols = 5;
		static const int64_t zero[S_COUNT];
		const int64_t *x = rmap_find(r->m[RM_SLA], "", 0);
		x = x ? x : zero;
		for (int k = 0; k < 2; k++) {
			if (!RHAS(r, k ? RC_RESOLVE_STATUS : RC_REPLY_STATUS))
				continue;
			int b = k ? S_RESOLVE : S_REPLY;
			const char *key = k ? "resolve" : "reply";
			row(t, key, xstrdup(report_label2(v, "target", key)), num(x[b + SLA_MET]), num(x[b + SLA_BREACHED]),
				num(x[b + SLA_OPEN]), num(x[b + SLA_AT_RISK]), num(x[b + SLA_OVERDUE]),
				pct(x[b + SLA_MET], decided(x, b)));
		}
		add_table(s, t);
		if (RHAS(r, RC_POLICY))
			add_table(s, sla_group_table(r, v, "sla_by_policy", "policy", r->m[RM_SLA_POLICY], "policy"));
		if (RHAS(r, RC_DEPARTMENT))
			add_table(s, sla_group_table(r, v, "sla_by_department", "department", r->m[RM_SLA_DEPT], NULL));
		add_table(s, case_list(r, v, LIST_OVERDUE, x[S_ANY_OVERDUE]));
		add_table(s, case_list(r, v, LIST_AT_RISK, x[S_ANY_AT_RISK]));
	}
	if (RHAS(r, RC_BATCH)) {
		s = section(d, v, "batches");
		t = metric_table(v, "batches");
		free(t->title);
		t->title = NULL;
		metric(t, v, "batches", num((int64_t)r->m[RM_BATCH]->n));
		metric(t, v, "batch_cases", num(tot[T_BATCH_CASES]));
		add_table(s, t);
		add_table(s, batch_table(r, v));
	}
	if (RHAS(r, RC_REPEAT_OF) || RHAS(r, RC_URGENT_TYPES)) {
		s = section(d, v, "repeats");
		t = metric_table(v, "repeats");
		free(t->title);
		t->title = NULL;
		metric(t, v, "repeats", num(tot[T_REPEATS]));
		metric(t, v, "repeat_rate", pct(tot[T_REPEATS], received));
		add_table(s, t);
		if (RHAS(r, RC_CUSTOMER)) {
			t = count_table(v, "repeat_customers", "customer_id", r->m[RM_REPEAT_CUSTOMER], NULL, 1, -1, top);
			t->colhead[1] = (free(t->colhead[1]), xstrdup(report_label(v, "col.repeats")));
			t->colid[1] = "repeats";
			if (!t->nrows)
				t->note = xstrdup(report_label(v, "note.none"));
			add_table(s, t);
		}
	}
	if (RHAS(r, RC_SCORE) || RHAS(r, RC_FINDINGS)) {
		s = section(d, v, "phrase");
		static const int64_t pz[P_COUNT];
		const int64_t *p = rmap_find(r->m[RM_PHRASE], "", 0);
		p = p ? p : pz;
		if (RHAS(r, RC_SCORE)) {
			t = metric_table(v, "phrase");
			metric(t, v, "scored", num(p[P_SCORED]));
			metric(t, v, "mean_score", mean(p[P_SCORE_SUM], p[P_SCORED]));
			if (RHAS(r, RC_ERRORS)) {
				metric(t, v, "errors", num(p[P_ERRORS]));
				metric(t, v, "with_errors", num(p[P_WITH_ERRORS]));
			}
			if (RHAS(r, RC_WARNINGS))
				metric(t, v, "warnings", num(p[P_WARNINGS]));
			add_table(s, t);
			static const char *const cols[] = {"range", "count", "share", NULL};
			t = table_new(v, "score_distribution", cols);
			t->numeric = 6;
			t->chart = CHART_COLUMNS;
			t->chart_col = 1;
			static const char *const buckets[] = {"0-59", "60-69", "70-79", "80-89", "90-100"};
			for (int i = 0; i < 5; i++) {
				const int64_t *c = rmap_find(r->m[RM_PHRASE_SCORE], buckets[i], strlen(buckets[i]));
				int64_t n = c ? c[0] : 0;
				row(t, buckets[i], xstrdup(buckets[i]), num(n), pct(n, p[P_SCORED]));
			}
			add_table(s, t);
		}
		if (RHAS(r, RC_FINDINGS)) {
			t = count_table(v, "errors_by_rule", "rule", r->m[RM_PHRASE_ERROR_RULE], "rule", 0, -1, top);
			if (!t->nrows)
				t->note = xstrdup(report_label(v, "note.none"));
			add_table(s, t);
		}
		if (RHAS(r, RC_MISSING)) {
			t = count_table(v, "missing", "element", r->m[RM_PHRASE_MISSING], "element", 0, -1, top);
			if (!t->nrows)
				t->note = xstrdup(report_label(v, "note.none"));
			add_table(s, t);
		}
		if (RHAS(r, RC_SCORE) && RHAS(r, RC_ERRORS)) {
			static const char *const cols[] = {"agent_id", "cases", "errors", "warnings", "mean_score", NULL};
			t = table_new(v, "agents", cols);
			t->numeric = 0x1e;
			t->chart = CHART_BARS;
			t->chart_col = 2;
			const rmap *am = r->m[RM_PHRASE_AGENT];
			rmap_entry **e = rmap_sorted(am, P_ERRORS);
			size_t shown = 0;
			for (size_t i = 0; i < am->n && (top <= 0 || shown < (size_t)top); i++) {
				const int64_t *x = rmap_vals(am, e[i]);
				if (x[P_ERRORS] <= 0)
					break;
				row(t, row_key(v, e[i]->key, e[i]->keylen, 0), disp(v, e[i]->key, e[i]->keylen), num(x[P_CASES]), num(x[P_ERRORS]),
					num(x[P_WARNINGS]), mean(x[P_SCORE_SUM], x[P_SCORED]));
				shown++;
			}
			free(e);
			if (!t->nrows)
				t->note = xstrdup(report_label(v, "note.none"));
			add_table(s, t);
		}
	}
	if (report_has_previous(r))
		change_section(d, r, v);
	footers(d, r, v);
	return d;
}

static int is_customer_col(const char *name)
{
	const char *c = column_canonical(name, strlen(name));
	return !strcmp(name, "customer_id") || (c && !strcmp(c, "customer_id"));
}

rdoc *report_by_doc(const report *r, const report_view *v)
{
	rdoc *d = xcalloc(1, sizeof *d);
	d->lang = v->lang;
	title(d, r, v, 1);
	char *by = fill(v, "subtitle.by", "by", r->by, NULL);
	cpl_buf sub = {0};
	buf_printf(&sub, "%s · %s", d->subtitle, by);
	free(by);
	free(d->subtitle);
	d->subtitle = sub.s;
	rsection *s = section(d, v, "by");
	/* the columns as the user named them, then the count */
	char *names = xstrdup(r->by);
	const char *cols[18];
	int n = 0, cust[17] = {0};
	for (char *p = strtok(names, ","); p && n < 16; p = strtok(NULL, ",")) {
		cust[n] = is_customer_col(p);
		cols[n++] = p;
	}
	cols[n] = "count";
	cols[n + 1] = NULL;
	rtable *t = table_new(v, "by", cols);
	for (int c = 0; c < n; c++) {
		free(t->colhead[c]);
		t->colhead[c] = xstrdup(cols[c]);
	}
	t->numeric = 1u << n;
	const rmap *m = r->m[RM_BY];
	rmap_entry **e = rmap_sorted(m, 0);
	size_t shown = v->top > 0 && (size_t)v->top < m->n ? (size_t)v->top : m->n;
	for (size_t i = 0; i < shown; i++) {
		if (t->nrows == t->caprows) {
			t->caprows = t->caprows ? t->caprows * 2 : 16;
			t->keys = xrealloc(t->keys, t->caprows * sizeof *t->keys);
			t->cells = xrealloc(t->cells, t->caprows * sizeof *t->cells);
		}
		char **cells = xcalloc(t->ncols, sizeof *cells);
		const char *p = e[i]->key, *end = p + e[i]->keylen;
		for (int c = 0; c < n; c++) {
			const char *q = memchr(p, REPORT_KEYSEP, (size_t)(end - p));
			if (!q || c == n - 1)
				q = end;
			cells[c] = cust[c] ? disp_customer(v, p, (size_t)(q - p)) : disp(v, p, (size_t)(q - p));
			p = q < end ? q + 1 : end;
		}
		cells[n] = num(rmap_vals(m, e[i])[0]);
		t->keys[t->nrows] = xstrdup("");
		t->cells[t->nrows++] = cells;
	}
	if (shown < m->n) {
		int64_t rest = 0;
		for (size_t i = shown; i < m->n; i++)
			rest += rmap_vals(m, e[i])[0];
		char k[32], c[32];
		snprintf(k, sizeof k, "%zu", m->n - shown);
		snprintf(c, sizeof c, "%lld", (long long)rest);
		t->nrest = m->n - shown;
		t->rest = (long long)rest;
		char *note = fill(v, "note.rest", "n", k, NULL);
		cpl_buf b = {0};
		buf_printf(&b, "%s: %s", note, c);
		free(note);
		t->note = b.s;
	}
	free(e);
	d->owned = names; /* the column ids point into it */
	t->chart = CHART_BARS;
	t->chart_col = n;
	add_table(s, t);
	footers(d, r, v);
	return d;
}

static void rtable_free(rtable *t)
{
	for (size_t i = 0; i < t->nrows; i++) {
		for (size_t c = 0; c < t->ncols; c++)
			free(t->cells[i][c]);
		free(t->cells[i]);
		free(t->keys[i]);
	}
	for (size_t c = 0; c < t->ncols; c++)
		free(t->colhead[c]);
	free(t->colhead);
	free(t->colid);
	free(t->cells);
	free(t->keys);
	free(t->title);
	free(t->note);
	free(t);
}

void report_doc_free(rdoc *d)
{
	for (size_t i = 0; i < d->ns; i++) {
		for (size_t k = 0; k < d->s[i]->nt; k++)
			rtable_free(d->s[i]->t[k]);
		free(d->s[i]->t);
		free(d->s[i]->title);
		free(d->s[i]);
	}
	for (size_t i = 0; i < d->nfooter; i++)
		free(d->footer[i]);
	free(d->footer);
	free(d->s);
	free(d->title);
	free(d->subtitle);
	free(d->owned);
	free(d);
}
