/* report_json.c: the report as JSON in the stable shape of cplreport(1),
 * written from the state: codes, not labels; complete maps, ranked lists cut
 * at --top; rates from integer arithmetic; case text masked. */
#include <stdlib.h>
#include <string.h>
#include "report.h"

typedef struct json {
	cpl_buf b;
	int depth;
	int count[32]; /* members written at each depth */
	const report_view *v;
} json;

static void newline(json *j)
{
	buf_addc(&j->b, '\n');
	for (int i = 0; i < j->depth; i++)
		buf_adds(&j->b, "  ");
}

static void key(json *j, const char *k, size_t klen)
{
	if (j->count[j->depth]++)
		buf_addc(&j->b, ',');
	if (j->depth)
		newline(j);
	if (k) {
		buf_addc(&j->b, '"');
		escape_json(&j->b, k, klen);
		buf_adds(&j->b, "\": ");
	}
}

static void open_(json *j, const char *k, char c)
{
	key(j, k, k ? strlen(k) : 0);
	buf_addc(&j->b, c);
	j->depth++;
	j->count[j->depth] = 0;
}

static void close_(json *j, char c)
{
	int had = j->count[j->depth];
	j->depth--;
	if (had)
		newline(j);
	buf_addc(&j->b, c);
}

static void num(json *j, const char *k, int64_t v)
{
	key(j, k, k ? strlen(k) : 0);
	buf_printf(&j->b, "%lld", (long long)v);
}

static void raw(json *j, const char *k, const char *literal)
{
	key(j, k, k ? strlen(k) : 0);
	buf_adds(&j->b, literal);
}

/* case text: masked (mode 1: as text, 2: as a whole customer number) */
static void masked(json *j, cpl_buf *out, const char *s, size_t len, int mode)
{
	buf_clear(out);
	if (!j->v->mask || !mode)
		buf_add(out, s, len);
	else if (mode == 2)
		mask_value(out, s, len);
	else
		mask_text(out, s, len);
	buf_str(out);
}

static void str(json *j, const char *k, const char *s, size_t len, int mode)
{
	static cpl_buf m;
	key(j, k, k ? strlen(k) : 0);
	masked(j, &m, s, len, mode);
	buf_addc(&j->b, '"');
	escape_json(&j->b, m.s, m.len);
	buf_addc(&j->b, '"');
}

static void ratio(json *j, const char *k, int64_t a, int64_t b)
{
	char s[32];
	report_fmt_ratio(s, sizeof s, a, b);
	raw(j, k, s);
}

static void mean(json *j, const char *k, int64_t sum, int64_t n)
{
	if (n <= 0) {
		raw(j, k, "null");
		return;
	}
	char s[32];
	report_fmt_milli(s, sizeof s, (sum * 2 / n + 1) / 2, 2);
	raw(j, k, s);
}

/* a map of key -> count (slot 0), by count; mode as for masked() */
static void count_map(json *j, const char *k, const rmap *m, int mode)
{
	static cpl_buf mk;
	open_(j, k, '{');
	rmap_entry **e = rmap_sorted(m, 0);
	for (size_t i = 0; i < m->n; i++) {
		masked(j, &mk, e[i]->key, e[i]->keylen, mode);
		key(j, mk.s, mk.len);
		buf_printf(&j->b, "%lld", (long long)rmap_vals(m, e[i])[0]);
	}
	free(e);
	close_(j, '}');
}

static int64_t decided(const int64_t *v, int target)
{
	return v[target + SLA_MET] + v[target + SLA_BREACHED] + v[target + SLA_OVERDUE];
}

static void sla_target(json *j, const char *k, const int64_t *v, int base)
{
	open_(j, k, '{');
	for (int s = 0; s < SLA_NSTATUS; s++)
		num(j, report_sla_status[s], v[base + s]);
	ratio(j, "on_time_rate", v[base + SLA_MET], decided(v, base));
	close_(j, '}');
}

static void sla_targets(json *j, const report *r, const int64_t *v)
{
	static const int64_t zero[S_COUNT];
	v = v ? v : zero;
	if (RHAS(r, RC_REPLY_STATUS))
		sla_target(j, "reply", v, S_REPLY);
	if (RHAS(r, RC_RESOLVE_STATUS))
		sla_target(j, "resolve", v, S_RESOLVE);
}

static void sla_groups(json *j, const report *r, const char *k, const rmap *m)
{
	static cpl_buf mk;
	open_(j, k, '{');
	rmap_entry **e = rmap_sorted(m, S_CASES);
	for (size_t i = 0; i < m->n; i++) {
		const int64_t *v = rmap_vals(m, e[i]);
		masked(j, &mk, e[i]->key, e[i]->keylen, 1);
		key(j, mk.s, mk.len);
		buf_addc(&j->b, '{');
		j->depth++;
		j->count[j->depth] = 0;
		num(j, "cases", v[S_CASES]);
		sla_targets(j, r, v);
		num(j, "at_risk", v[S_ANY_AT_RISK]);
		num(j, "overdue", v[S_ANY_OVERDUE]);
		close_(j, '}');
	}
	free(e);
	close_(j, '}');
}

static void case_list(json *j, const report *r, const char *k, int l, int64_t total)
{
	static const char *const names[L_COUNT] = {
		[L_CASE_ID] = "case_id", [L_TARGET] = "target", [L_DUE] = "due", [L_LEFT] = "left_min",
		[L_DEPARTMENT] = "department", [L_AGENT] = "agent_id", [L_SUBCATEGORY] = "subcategory",
		[L_CUSTOMER] = "customer_id", [L_REGION] = "region",
	};
	open_(j, k, '{');
	num(j, "total", total);
	open_(j, "listed", '[');
	for (size_t i = 0; i < r->nlist[l]; i++) {
		const rcase *c = &r->list[l][i];
		open_(j, NULL, '{');
		str(j, "case_id", c->f[L_CASE_ID], strlen(c->f[L_CASE_ID]), 1);
		if (c->created != INT64_MAX) {
			char t[20];
			time_format(c->created, t);
			str(j, "created_at", t, strlen(t), 0);
		} else {
			raw(j, "created_at", "null");
		}
		for (int f = L_TARGET; f < L_COUNT; f++) {
			if (f == L_LEFT) {
				char *e;
				long long v = strtoll(c->f[f], &e, 10);
				if (*c->f[f] && !*e) {
					num(j, names[f], v);
					continue;
				}
				if (!*c->f[f]) {
					raw(j, names[f], "null");
					continue;
				}
			}
			str(j, names[f], c->f[f], strlen(c->f[f]), f == L_CUSTOMER ? 2 : f == L_TARGET ? 0 : 1);
		}
		close_(j, '}');
	}
	close_(j, ']');
	close_(j, '}');
}

static const rmap *batch_map;

static int batch_cmp(const void *pa, const void *pb)
{
	const rmap_entry *a = *(const rmap_entry *const *)pa, *b = *(const rmap_entry *const *)pb;
	int64_t fa = rmap_vals(batch_map, a)[B_FIRST], fb = rmap_vals(batch_map, b)[B_FIRST];
	if (fa != fb)
		return fa < fb ? -1 : 1;
	size_t k = a->keylen < b->keylen ? a->keylen : b->keylen;
	int c = memcmp(a->key, b->key, k);
	return c ? c : (a->keylen > b->keylen) - (a->keylen < b->keylen);
}

/* the values of a compound map ("id\x1fvalue") for one id, as a list */
static void values_of(json *j, const char *k, const rmap *m, rmap_entry **sorted,
	const char *id, size_t idlen, int mode)
{
	open_(j, k, '[');
	size_t lo, hi;
	rmap_run(sorted, m->n, id, idlen, &lo, &hi);
	for (size_t i = lo; i < hi; i++)
		if (sorted[i]->keylen > idlen + 1) /* not an empty value */
			str(j, NULL, sorted[i]->key + idlen + 1, sorted[i]->keylen - idlen - 1, mode);
	close_(j, ']');
}

static void batches(json *j, const report *r)
{
	const rmap *bm = r->m[RM_BATCH];
	rmap_entry **b = rmap_sorted(bm, -1);
	batch_map = bm;
	qsort(b, bm->n, sizeof *b, batch_cmp);
	rmap_entry **iss = rmap_sorted(r->m[RM_BATCH_ISSUE], -1);
	rmap_entry **reg = rmap_sorted(r->m[RM_BATCH_REGION], -1);
	int64_t *cus = report_batch_customers(r);
	open_(j, "batches", '[');
	for (size_t i = 0; i < bm->n; i++) {
		const int64_t *v = rmap_vals(bm, b[i]);
		open_(j, NULL, '{');
		str(j, "batch_id", b[i]->key, b[i]->keylen, 1);
		if (RHAS(r, RC_ISSUE_KEY))
			values_of(j, "issues", r->m[RM_BATCH_ISSUE], iss, b[i]->key, b[i]->keylen, 1);
		if (RHAS(r, RC_REGION))
			values_of(j, "regions", r->m[RM_BATCH_REGION], reg, b[i]->key, b[i]->keylen, 1);
		if (RHAS(r, RC_CREATED)) {
			char t[20];
			if (v[B_FIRST] != INT64_MAX) {
				str(j, "first", time_format(v[B_FIRST], t), 19, 0);
				str(j, "last", time_format(v[B_LAST], t), 19, 0);
			} else {
				raw(j, "first", "null");
				raw(j, "last", "null");
			}
		}
		num(j, "cases", v[B_CASES]);
		if (RHAS(r, RC_CUSTOMER))
			num(j, "customers", cus[b[i] - bm->e]);
		close_(j, '}');
	}
	close_(j, ']');
	free(b);
	free(iss);
	free(reg);
	free(cus);
}

static void period(json *j, const char *k, int64_t from, int64_t to, int ok)
{
	open_(j, k, '{');
	if (!ok) {
		raw(j, "from", "null");
		raw(j, "to", "null");
	} else {
		char a[20], b[20];
		time_format(from, a);
		time_format(to - 1, b);
		int whole = !strcmp(a + 11, "00:00:00") && !strcmp(b + 11, "23:59:59");
		if (whole)
			a[10] = b[10] = 0;
		str(j, "from", a, strlen(a), 0);
		str(j, "to", b, strlen(b), 0);
	}
	close_(j, '}');
}

static void totals(json *j, const report *r, const int64_t *t)
{
	open_(j, "totals", '{');
	num(j, "received", t[T_RECEIVED]);
	if (RHAS(r, RC_STATUS) || RHAS(r, RC_CLOSED)) {
		num(j, "closed", t[T_CLOSED]);
		num(j, "open", t[T_OPEN]);
		if (RHAS(r, RC_STATUS))
			num(j, "pending", t[T_PENDING]);
	}
	if (RHAS(r, RC_URGENCY) || RHAS(r, RC_URGENT_TYPES))
		num(j, "urgent", t[T_URGENT]);
	if (RHAS(r, RC_HARASSMENT))
		num(j, "harassment", t[T_HARASSMENT]);
	if (RHAS(r, RC_BATCH))
		num(j, "batch_cases", t[T_BATCH_CASES]);
	close_(j, '}');
}

static void records(json *j, const report *r, const int64_t *t)
{
	open_(j, "records", '{');
	num(j, "read", t[T_READ]);
	num(j, "in_period", t[T_RECEIVED]);
	num(j, "skipped", t[T_SKIP_OUTSIDE] + t[T_SKIP_NOTIME]);
	num(j, "skipped_outside", t[T_SKIP_OUTSIDE]);
	num(j, "skipped_no_time", t[T_SKIP_NOTIME]);
	num(j, "with_problems", t[T_PROBLEMS]);
	close_(j, '}');
	(void)r;
}

static void by_table(json *j, const report *r)
{
	char *names = xstrdup(r->by);
	const char *cols[16];
	int n = 0, cust[16];
	for (char *p = strtok(names, ","); p && n < 16; p = strtok(NULL, ",")) {
		const char *c = column_canonical(p, strlen(p));
		cust[n] = !strcmp(p, "customer_id") || (c && !strcmp(c, "customer_id"));
		cols[n++] = p;
	}
	open_(j, "by", '[');
	for (int c = 0; c < n; c++)
		str(j, NULL, cols[c], strlen(cols[c]), 0);
	close_(j, ']');
	const rmap *m = r->m[RM_BY];
	rmap_entry **e = rmap_sorted(m, 0);
	size_t shown = j->v->top > 0 && (size_t)j->v->top < m->n ? (size_t)j->v->top : m->n;
	open_(j, "rows", '[');
	for (size_t i = 0; i < shown; i++) {
		open_(j, NULL, '{');
		const char *p = e[i]->key, *end = p + e[i]->keylen;
		for (int c = 0; c < n; c++) {
			const char *q = memchr(p, REPORT_KEYSEP, (size_t)(end - p));
			if (!q || c == n - 1)
				q = end;
			str(j, cols[c], p, (size_t)(q - p), cust[c] ? 2 : 1);
			p = q < end ? q + 1 : end;
		}
		num(j, "count", rmap_vals(m, e[i])[0]);
		close_(j, '}');
	}
	close_(j, ']');
	int64_t rest = 0;
	for (size_t i = shown; i < m->n; i++)
		rest += rmap_vals(m, e[i])[0];
	num(j, "groups", (int64_t)m->n);
	num(j, "rest", rest);
	free(e);
	free(names);
}

void report_write_json(const report *r, const report_view *v, cpl_writer *w)
{
	json j = {.v = v};
	const int64_t *t = rmap_find(r->m[RM_TOTALS], "", 0);
	int64_t from, to;
	int ok = report_period(r, &from, &to);
	open_(&j, NULL, '{');
	str(&j, "report", "cplreport", 9, 0);
	num(&j, "version", 1);
	period(&j, "period", from, to, ok);
	if (v->now != CPL_NOTIME) {
		char n[20];
		str(&j, "now", time_format(v->now, n), 19, 0);
	}
	records(&j, r, t);
	if (r->by) {
		by_table(&j, r);
		close_(&j, '}');
		buf_addc(&j.b, '\n');
		writer_raw(w, j.b.s, j.b.len);
		buf_free(&j.b);
		return;
	}
	totals(&j, r, t);
	if (RHAS(r, RC_URGENT_TYPES))
		count_map(&j, "urgent_by_type", r->m[RM_URGENT], 1);
	if (RHAS(r, RC_CATEGORY))
		count_map(&j, "by_category", r->m[RM_CATEGORY], 1);
	if (RHAS(r, RC_SUBCATEGORY))
		count_map(&j, "by_subcategory", r->m[RM_SUBCATEGORY], 1);
	if (RHAS(r, RC_CHANNEL))
		count_map(&j, "by_channel", r->m[RM_CHANNEL], 1);
	if (RHAS(r, RC_REGION))
		count_map(&j, "by_region", r->m[RM_REGION], 1);
	if (RHAS(r, RC_LEVEL))
		count_map(&j, "by_customer_level", r->m[RM_LEVEL], 1);
	if (RHAS(r, RC_CTYPE))
		count_map(&j, "by_complainant_type", r->m[RM_CTYPE], 1);
	if (RHAS(r, RC_EMOTION))
		count_map(&j, "by_emotion", r->m[RM_EMOTION], 1);
	if (RHAS(r, RC_REPLY_STATUS) || RHAS(r, RC_RESOLVE_STATUS)) {
		const int64_t *s = rmap_find(r->m[RM_SLA], "", 0);
		static const int64_t zero[S_COUNT];
		s = s ? s : zero;
		open_(&j, "sla", '{');
		sla_targets(&j, r, s);
		if (RHAS(r, RC_POLICY))
			sla_groups(&j, r, "by_policy", r->m[RM_SLA_POLICY]);
		if (RHAS(r, RC_DEPARTMENT))
			sla_groups(&j, r, "by_department", r->m[RM_SLA_DEPT]);
		num(&j, "cases_limit", r->cases_max);
		case_list(&j, r, "overdue_cases", LIST_OVERDUE, s[S_ANY_OVERDUE]);
		case_list(&j, r, "at_risk_cases", LIST_AT_RISK, s[S_ANY_AT_RISK]);
		close_(&j, '}');
	}
	if (RHAS(r, RC_BATCH))
		batches(&j, r);
	if (RHAS(r, RC_REPEAT_OF) || RHAS(r, RC_URGENT_TYPES)) {
		open_(&j, "repeats", '{');
		num(&j, "count", t[T_REPEATS]);
		ratio(&j, "rate", t[T_REPEATS], t[T_RECEIVED]);
		if (RHAS(r, RC_CUSTOMER)) {
			const rmap *m = r->m[RM_REPEAT_CUSTOMER];
			rmap_entry **e = rmap_sorted(m, 0);
			size_t shown = v->top > 0 && (size_t)v->top < m->n ? (size_t)v->top : m->n;
			open_(&j, "top_customers", '[');
			for (size_t i = 0; i < shown; i++) {
				open_(&j, NULL, '{');
				str(&j, "customer_id", e[i]->key, e[i]->keylen, 2);
				num(&j, "repeats", rmap_vals(m, e[i])[0]);
				close_(&j, '}');
			}
			close_(&j, ']');
			free(e);
		}
		close_(&j, '}');
	}
	if (RHAS(r, RC_SCORE) || RHAS(r, RC_FINDINGS)) {
		const int64_t *p = rmap_find(r->m[RM_PHRASE], "", 0);
		static const int64_t pz[P_COUNT];
		p = p ? p : pz;
		open_(&j, "phrase", '{');
		if (RHAS(r, RC_SCORE)) {
			num(&j, "scored", p[P_SCORED]);
			mean(&j, "mean_score", p[P_SCORE_SUM], p[P_SCORED]);
			if (RHAS(r, RC_ERRORS)) {
				num(&j, "errors", p[P_ERRORS]);
				num(&j, "cases_with_errors", p[P_WITH_ERRORS]);
			}
			if (RHAS(r, RC_WARNINGS))
				num(&j, "warnings", p[P_WARNINGS]);
			open_(&j, "score_distribution", '{');
			static const char *const buckets[] = {"0-59", "60-69", "70-79", "80-89", "90-100"};
			for (int i = 0; i < 5; i++) {
				const int64_t *c = rmap_find(r->m[RM_PHRASE_SCORE], buckets[i], strlen(buckets[i]));
				num(&j, buckets[i], c ? c[0] : 0);
			}
			close_(&j, '}');
		}
		if (RHAS(r, RC_FINDINGS)) {
			count_map(&j, "errors_by_rule", r->m[RM_PHRASE_ERROR_RULE], 1);
			count_map(&j, "findings_by_rule", r->m[RM_PHRASE_RULE], 1);
		}
		if (RHAS(r, RC_MISSING))
			count_map(&j, "missing", r->m[RM_PHRASE_MISSING], 1);
		if (RHAS(r, RC_SCORE) && RHAS(r, RC_ERRORS)) {
			const rmap *am = r->m[RM_PHRASE_AGENT];
			rmap_entry **e = rmap_sorted(am, P_ERRORS);
			open_(&j, "agents", '[');
			size_t shown = 0;
			for (size_t i = 0; i < am->n && (v->top <= 0 || shown < (size_t)v->top); i++) {
				const int64_t *x = rmap_vals(am, e[i]);
				if (x[P_ERRORS] <= 0)
					break;
				open_(&j, NULL, '{');
				str(&j, "agent_id", e[i]->key, e[i]->keylen, 1);
				num(&j, "cases", x[P_CASES]);
				num(&j, "errors", x[P_ERRORS]);
				num(&j, "warnings", x[P_WARNINGS]);
				mean(&j, "mean_score", x[P_SCORE_SUM], x[P_SCORED]);
				close_(&j, '}');
				shown++;
			}
			close_(&j, ']');
			free(e);
		}
		close_(&j, '}');
	}
	if (report_has_previous(r)) {
		const int64_t *pt = rmap_find(r->m[RM_PREV_TOTALS], "", 0);
		static const int64_t tz[T_COUNT];
		pt = pt ? pt : tz;
		open_(&j, "previous", '{');
		period(&j, "period", r->prev_from, r->from, 1);
		totals(&j, r, pt);
		if (RHAS(r, RC_CATEGORY))
			count_map(&j, "by_category", r->m[RM_PREV_CATEGORY], 1);
		if (RHAS(r, RC_REPLY_STATUS) || RHAS(r, RC_RESOLVE_STATUS)) {
			open_(&j, "sla", '{');
			sla_targets(&j, r, rmap_find(r->m[RM_PREV_SLA], "", 0));
			close_(&j, '}');
		}
		if (RHAS(r, RC_REPEAT_OF) || RHAS(r, RC_URGENT_TYPES)) {
			open_(&j, "repeats", '{');
			num(&j, "count", pt[T_REPEATS]);
			ratio(&j, "rate", pt[T_REPEATS], pt[T_RECEIVED]);
			close_(&j, '}');
		}
		if (RHAS(r, RC_SCORE)) {
			const int64_t *p = rmap_find(r->m[RM_PREV_PHRASE], "", 0);
			open_(&j, "phrase", '{');
			mean(&j, "mean_score", p ? p[P_SCORE_SUM] : 0, p ? p[P_SCORED] : 0);
			close_(&j, '}');
		}
		close_(&j, '}');
	}
	close_(&j, '}');
	buf_addc(&j.b, '\n');
	writer_raw(w, j.b.s, j.b.len);
	buf_free(&j.b);
}
