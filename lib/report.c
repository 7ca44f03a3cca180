/* report.c: the report's aggregation state: each record of the period is
 * counted into integer maps and bounded case lists, in a way that does not
 * depend on record order, so states of any split fold into the whole's. */
#include <stdlib.h>
#include <string.h>
#include "report.h"

const char *const report_colnames[RC_COUNT] = {
	[RC_CASE_ID] = "case_id", [RC_CREATED] = "created_at", [RC_CHANNEL] = "channel",
	[RC_CUSTOMER] = "customer_id", [RC_LEVEL] = "customer_level", [RC_REGION] = "region",
	[RC_AGENT] = "agent_id", [RC_STATUS] = "status", [RC_CLOSED] = "closed_at",
	[RC_DEPARTMENT] = "department", [RC_PROBLEMS] = "cpl_problems",
	[RC_CATEGORY] = "category", [RC_SUBCATEGORY] = "subcategory", [RC_URGENCY] = "urgency",
	[RC_URGENT_TYPES] = "urgent_types", [RC_CTYPE] = "complainant_type",
	[RC_EMOTION] = "emotion", [RC_HARASSMENT] = "harassment", [RC_ISSUE_KEY] = "issue_key",
	[RC_BATCH] = "batch_id", [RC_REPEAT_OF] = "repeat_of",
	[RC_POLICY] = "sla_policy", [RC_REPLY_DUE] = "reply_due", [RC_RESOLVE_DUE] = "resolve_due",
	[RC_REPLY_STATUS] = "reply_status", [RC_RESOLVE_STATUS] = "resolve_status",
	[RC_REPLY_LEFT] = "reply_left_min", [RC_RESOLVE_LEFT] = "resolve_left_min",
	[RC_SCORE] = "phrase_score", [RC_ERRORS] = "phrase_errors",
	[RC_WARNINGS] = "phrase_warnings", [RC_FINDINGS] = "phrase_findings",
	[RC_MISSING] = "phrase_missing",
};

const char *const report_mapnames[RM_COUNT] = {
	[RM_TOTALS] = "totals", [RM_SPAN] = "span", [RM_URGENT] = "urgent",
	[RM_CATEGORY] = "category", [RM_SUBCATEGORY] = "subcategory", [RM_CHANNEL] = "channel",
	[RM_REGION] = "region", [RM_LEVEL] = "customer_level", [RM_CTYPE] = "complainant_type",
	[RM_EMOTION] = "emotion", [RM_SLA] = "sla", [RM_SLA_POLICY] = "sla_policy",
	[RM_SLA_DEPT] = "sla_department", [RM_BATCH] = "batch", [RM_BATCH_ISSUE] = "batch_issue",
	[RM_BATCH_REGION] = "batch_region", [RM_BATCH_CUSTOMER] = "batch_customer",
	[RM_REPEAT_CUSTOMER] = "repeat_customer", [RM_PHRASE] = "phrase",
	[RM_PHRASE_SCORE] = "phrase_score", [RM_PHRASE_RULE] = "phrase_rule",
	[RM_PHRASE_ERROR_RULE] = "phrase_error_rule", [RM_PHRASE_MISSING] = "phrase_missing",
	[RM_PHRASE_AGENT] = "phrase_agent", [RM_BY] = "by",
	[RM_PREV_TOTALS] = "prev_totals", [RM_PREV_CATEGORY] = "prev_category",
	[RM_PREV_SLA] = "prev_sla", [RM_PREV_PHRASE] = "prev_phrase",
};

const char *const report_sla_status[SLA_NSTATUS] = {"met", "breached", "open", "at_risk", "overdue"};

static const char totals_ops[T_COUNT + 1] = "ssssssssssss";
static const char sla_ops[S_COUNT + 1] = "sssssssssssss";
static const char phrase_ops[P_COUNT + 1] = "ssssss";

static void map_spec(int id, int *nslots, const char **ops)
{
	switch (id) {
	case RM_TOTALS: case RM_PREV_TOTALS: *nslots = T_COUNT; *ops = totals_ops; return;
	case RM_SPAN: *nslots = SP_COUNT; *ops = "nxnx"; return;
	case RM_SLA: case RM_SLA_POLICY: case RM_SLA_DEPT: case RM_PREV_SLA:
		*nslots = S_COUNT; *ops = sla_ops; return;
	case RM_BATCH: *nslots = B_COUNT; *ops = "snx"; return;
	case RM_PHRASE: case RM_PHRASE_AGENT: case RM_PREV_PHRASE:
		*nslots = P_COUNT; *ops = phrase_ops; return;
	default: *nslots = 1; *ops = "s"; return;
	}
}

report *report_new(void)
{
	report *r = xcalloc(1, sizeof *r);
	r->from = r->to = r->prev_from = CPL_NOTIME;
	r->cases_max = REPORT_CASES_DEFAULT;
	for (int i = 0; i < RM_COUNT; i++) {
		int n;
		const char *ops;
		map_spec(i, &n, &ops);
		r->m[i] = rmap_new(n, ops);
	}
	rmap_row(r->m[RM_TOTALS], "", 0);
	rmap_row(r->m[RM_SPAN], "", 0);
	return r;
}

static void rcase_free(rcase *c)
{
	for (int k = 0; k < L_COUNT; k++)
		free(c->f[k]);
}

void report_free(report *r)
{
	if (!r)
		return;
	for (int i = 0; i < RM_COUNT; i++)
		rmap_free(r->m[i]);
	for (int l = 0; l < LIST_COUNT; l++) {
		for (size_t i = 0; i < r->nlist[l]; i++)
			rcase_free(&r->list[l][i]);
		free(r->list[l]);
	}
	free(r->by);
	free(r->tz);
	free(r);
}

/* ---- small helpers over fields ---- */

/* The row of the empty key (the totals): the first entry when it holds it. */
static int64_t *row0(rmap *m)
{
	if (m->n && !m->e[0].keylen)
		return rmap_vals(m, &m->e[0]);
	return rmap_row(m, "", 0);
}

/* space, tab, CR, LF: one compare and a bit test */
#define TRIM_SET ((1ULL << ' ') | (1ULL << '\t') | (1ULL << '\r') | (1ULL << '\n'))
static inline int trim_space(char c) { return (unsigned char)c <= ' ' && (TRIM_SET >> (unsigned char)c & 1); }

/* inline, and on locals: it runs a dozen times per record, on fields that
 * rarely have anything to trim */
static inline void trim(const char **s, size_t *len)
{
	const char *p = *s;
	size_t n = *len;
	while (n && trim_space(*p))
		p++, n--;
	while (n && trim_space(p[n - 1]))
		n--;
	*s = p;
	*len = n;
}

/* strncasecmp(s, word, n) == 0 for a word of n bytes without NUL, inline:
 * the C locale folds ASCII only, and a NUL in s is a difference there too */
static inline int ascii_caseeq(const char *s, const char *word, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char a = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + ('a' - 'A')) : s[i];
		char b = word[i] >= 'A' && word[i] <= 'Z' ? (char)(word[i] + ('a' - 'A')) : word[i];
		if (a != b)
			return 0;
	}
	return 1;
}

static int is(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word);
	return len == n && ascii_caseeq(s, word, n);
}

static long field_long(const char *s, size_t len)
{
	char tmp[32];
	trim(&s, &len);
	if (len && len <= 18) { /* plain digits, the usual case: no strtol */
		long v = 0;
		size_t i = 0;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			v = v * 10 + (s[i] - '0');
		if (i == len)
			return v;
	}
	if (!len || len >= sizeof tmp)
		return 0;
	memcpy(tmp, s, len);
	tmp[len] = 0;
	char *e;
	long v = strtol(tmp, &e, 10);
	return *e ? 0 : v;
}

int64_t report_parse_milli(const char *s, size_t len)
{
	trim(&s, &len);
	if (!len)
		return -1;
	int64_t whole = 0, frac = 0;
	size_t i = 0;
	int nd = 0;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, nd++)
		if (whole < 1000000000)
			whole = whole * 10 + (s[i] - '0');
	if (!nd)
		return -1;
	if (i < len && s[i] == '.') {
		i++;
		int scale = 100;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			frac += (s[i] - '0') * scale;
			scale /= 10;
		}
	}
	if (i != len)
		return -1;
	return whole * 1000 + frac;
}

/* Build a compound key: the parts joined by REPORT_KEYSEP, trimmed, with any
 * separator inside a part made a space. */
static void key_add(cpl_buf *k, const char *s, size_t len)
{
	trim(&s, &len);
	size_t at = k->len;
	buf_add(k, s, len);
	char *p = k->s ? k->s + at : NULL;
	while (p && (p = memchr(p, REPORT_KEYSEP, (size_t)(k->s + k->len - p))))
		*p++ = ' ';
}

static cpl_buf kbuf;

static const char *key1(const char *s, size_t len, size_t *klen)
{
	trim(&s, &len);
	if (!memchr(s, REPORT_KEYSEP, len)) { /* the field itself is the key */
		*klen = len;
		return len ? s : "";
	}
	buf_clear(&kbuf);
	key_add(&kbuf, s, len);
	*klen = kbuf.len;
	return kbuf.s ? kbuf.s : "";
}

static const char *key2(const char *a, size_t alen, const char *b, size_t blen, size_t *klen)
{
	buf_clear(&kbuf);
	key_add(&kbuf, a, alen);
	buf_addc(&kbuf, REPORT_KEYSEP);
	key_add(&kbuf, b, blen);
	*klen = kbuf.len;
	return kbuf.s;
}

static void count1(rmap *m, const char *s, size_t len)
{
	size_t kl;
	const char *k = key1(s, len, &kl);
	rmap_row(m, k, kl)[0]++;
}

/* The next item of a ';'-separated list, trimmed, from *p (before end);
 * 0 when the list is done. */
static int next_item(const char **p, const char *end, const char **item, size_t *n)
{
	if (*p >= end)
		return 0;
	const char *q = memchr(*p, ';', (size_t)(end - *p));
	if (!q)
		q = end;
	*item = *p;
	*n = (size_t)(q - *p);
	trim(item, n);
	*p = q + 1;
	return 1;
}

/* Calls fn for each distinct, non-empty item of a ';'-separated list. */
static void each_item(const char *s, size_t len, void (*fn)(void *, const char *, size_t), void *arg)
{
	const char *seen[32];
	size_t seenlen[32], nseen = 0;
	const char *p = s, *item;
	size_t n;
	while (next_item(&p, s + len, &item, &n)) {
		int dup = 0;
		for (size_t i = 0; i < nseen && !dup; i++)
			dup = seenlen[i] == n && !memcmp(seen[i], item, n);
		if (n && !dup) {
			if (nseen < 32) {
				seen[nseen] = item;
				seenlen[nseen++] = n;
			}
			fn(arg, item, n);
		}
	}
}

static void count_item(void *m, const char *s, size_t len) { count1(m, s, len); }

/* Error-level rules: ids written as forbidden.ID, and the rules cplphrase's
 * built-in table (phrases.csv) makes forbidden or error-level. */
static rmap *error_rules;

static int is_error_rule(const char *s, size_t len)
{
	if (len > 10 && !memcmp(s, "forbidden.", 10))
		return 1;
	if (!error_rules) {
		error_rules = rmap_new(1, "s");
		if (data_embedded("phrases.csv", NULL)) {
			cpl_table *t = table_load(NULL, "phrases.csv", NULL);
			if (table_col(t, "id") >= 0 && table_col(t, "kind") >= 0)
				for (size_t i = 0; i < t->nrows; i++) {
					const char *id = table_get(t, i, "id"), *level = table_get(t, i, "level");
					int err = *level ? !strcmp(level, "error") : !strcmp(table_get(t, i, "kind"), "forbidden");
					if (err)
						rmap_row(error_rules, id, strlen(id))[0] = 1;
				}
			table_free(t);
		}
	}
	return rmap_find(error_rules, s, len) != NULL;
}

static void count_error_rule(void *m, const char *s, size_t len)
{
	if (is_error_rule(s, len))
		count1(m, s, len);
}

static void count_finding(void *r, const char *s, size_t len)
{
	count1(((report *)r)->m[RM_PHRASE_RULE], s, len);
	count_error_rule(((report *)r)->m[RM_PHRASE_ERROR_RULE], s, len);
}

static int has_item(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word), l;
	const char *p = s, *item;
	while (next_item(&p, s + len, &item, &l))
		if (l == n && !memcmp(item, word, n))
			return 1;
	return 0;
}

static int sla_status(const char *s, size_t len)
{
	/* the words' lengths, so that only a word of the right length is compared */
	static size_t wlen[SLA_NSTATUS];
	if (!wlen[0])
		for (int i = 0; i < SLA_NSTATUS; i++)
			wlen[i] = strlen(report_sla_status[i]);
	trim(&s, &len);
	for (int i = 0; i < SLA_NSTATUS; i++)
		if (len == wlen[i] && ascii_caseeq(s, report_sla_status[i], len))
			return i;
	return -1;
}

/* ---- the status of a case ---- */

static cpl_table *status_table;
static struct { const char *value; size_t len; char status; } *status_rows; /* the table, read once */
/* the values ASCII-lowercased -> status of the first row that has it: a
 * lookup instead of a strncasecmp down the table per record */
static rmap *status_map;
#define STATUS_KEYMAX 64

static size_t ascii_lower(char *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		out[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + ('a' - 'A')) : s[i];
	return len;
}

int report_case_status(const char *status, size_t slen, const char *closed, size_t clen)
{
	if (!status_table) {
		static const char *const req[] = {"value", "status", NULL};
		status_table = table_load(NULL, "report-status.csv", req);
		status_rows = xcalloc(status_table->nrows + 1, sizeof *status_rows);
		status_map = rmap_new(1, "s");
		for (size_t i = 0; i < status_table->nrows; i++) {
			const char *st = table_get(status_table, i, "status");
			if (strcmp(st, "closed") && strcmp(st, "pending") && strcmp(st, "open"))
				table_die(status_table, i, "status must be closed, pending or open, not '%s'", st);
			status_rows[i].value = table_get(status_table, i, "value");
			status_rows[i].len = strlen(status_rows[i].value);
			status_rows[i].status = st[0];
			char low[STATUS_KEYMAX];
			if (status_rows[i].len <= STATUS_KEYMAX) {
				int64_t *v = rmap_row(status_map, low,
					ascii_lower(low, status_rows[i].value, status_rows[i].len));
				if (!v[0])
					v[0] = st[0];
			}
		}
	}
	trim(&status, &slen);
	if (slen && slen <= STATUS_KEYMAX) {
		/* as it is first: the keys have no capitals, so a value found as it
		 * is has none either (the usual case: 处理中, closed) */
		const int64_t *v = rmap_find(status_map, status, slen);
		if (!v) {
			char low[STATUS_KEYMAX];
			v = rmap_find(status_map, low, ascii_lower(low, status, slen));
		}
		if (v)
			return (int)v[0];
	} else if (slen) {
		for (size_t i = 0; i < status_table->nrows; i++)
			if (status_rows[i].len == slen && !strncasecmp(status, status_rows[i].value, slen))
				return status_rows[i].status;
	}
	trim(&closed, &clen);
	return clen ? 'c' : 'o';
}

/* ---- the case lists ---- */

static int rcase_cmp(const rcase *a, const rcase *b)
{
	if (a->created != b->created)
		return a->created < b->created ? -1 : 1;
	for (int k = 0; k < L_COUNT; k++) {
		int c = strcmp(a->f[k] ? a->f[k] : "", b->f[k] ? b->f[k] : "");
		if (c)
			return c;
	}
	return 0;
}

void report_list_add(report *r, int l, rcase *c)
{
	size_t n = r->nlist[l], max = (size_t)r->cases_max;
	if (max == 0 || (n == max && rcase_cmp(c, &r->list[l][n - 1]) >= 0))
		return;
	rcase copy = {.created = c->created};
	for (int k = 0; k < L_COUNT; k++)
		copy.f[k] = xstrdup(c->f[k] ? c->f[k] : "");
	if (!r->list[l])
		r->list[l] = xcalloc(max + 1, sizeof *r->list[l]);
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (rcase_cmp(&r->list[l][mid], &copy) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (n == max) {
		rcase_free(&r->list[l][n - 1]);
		n--;
	}
	memmove(&r->list[l][lo + 1], &r->list[l][lo], (n - lo) * sizeof copy);
	r->list[l][lo] = copy;
	r->nlist[l] = n + 1;
}

static void offer_case(report *r, const report_fields *f, int64_t t, int reply, int resolve)
{
	int over = reply == SLA_OVERDUE || resolve == SLA_OVERDUE;
	int risk = !over && (reply == SLA_AT_RISK || resolve == SLA_AT_RISK);
	if (!over && !risk)
		return;
	int want = over ? SLA_OVERDUE : SLA_AT_RISK;
	int rep = reply == want, res = resolve == want;
	static cpl_buf tmp[L_COUNT];
	rcase c = {.created = t == CPL_NOTIME ? INT64_MAX : t};
	/* a full list keeps no case newer than its last: say so before the
	 * fields are copied (report_list_add would say the same after) */
	int l = over ? LIST_OVERDUE : LIST_AT_RISK;
	size_t n = r->nlist[l], max = (size_t)r->cases_max;
	if (max == 0 || (n == max && c.created > r->list[l][n - 1].created))
		return;
	static const int src[L_COUNT] = {
		[L_CASE_ID] = RC_CASE_ID, [L_DEPARTMENT] = RC_DEPARTMENT, [L_AGENT] = RC_AGENT,
		[L_SUBCATEGORY] = RC_SUBCATEGORY, [L_CUSTOMER] = RC_CUSTOMER, [L_REGION] = RC_REGION,
		[L_TARGET] = -1, [L_DUE] = -1, [L_LEFT] = -1,
	};
	for (int k = 0; k < L_COUNT; k++) {
		const char *s = "";
		size_t len = 0;
		if (src[k] >= 0) {
			s = f->s[src[k]] ? f->s[src[k]] : "";
			len = f->len[src[k]];
		} else if (k == L_TARGET) {
			s = rep && res ? "reply;resolve" : rep ? "reply" : "resolve";
			len = strlen(s);
		} else {
			int col = k == L_DUE ? (rep ? RC_REPLY_DUE : RC_RESOLVE_DUE)
				: (rep ? RC_REPLY_LEFT : RC_RESOLVE_LEFT);
			s = f->s[col] ? f->s[col] : "";
			len = f->len[col];
		}
		trim(&s, &len);
		buf_clear(&tmp[k]);
		buf_add(&tmp[k], s, len);
		for (char *p = tmp[k].s; p && (p = memchr(p, 0, (size_t)(tmp[k].s + tmp[k].len - p))); )
			*p++ = ' ';
		c.f[k] = (char *)buf_str(&tmp[k]);
	}
	report_list_add(r, l, &c);
}

/* ---- counting one record ---- */

#define F(c) (f->s[c] ? f->s[c] : ""), f->len[c]
#define HAS(c) (f->s[c] != NULL)

static void add_sla(rmap *m, const char *key, size_t klen, int reply, int resolve)
{
	int64_t *v = key ? rmap_row(m, key, klen) : row0(m);
	v[S_CASES]++;
	if (reply >= 0)
		v[S_REPLY + reply]++;
	if (resolve >= 0)
		v[S_RESOLVE + resolve]++;
	if (reply == SLA_OVERDUE || resolve == SLA_OVERDUE)
		v[S_ANY_OVERDUE]++;
	else if (reply == SLA_AT_RISK || resolve == SLA_AT_RISK)
		v[S_ANY_AT_RISK]++;
}

static void add_phrase(int64_t *v, int64_t milli, long errors, long warnings)
{
	v[P_CASES]++;
	if (milli >= 0) {
		v[P_SCORED]++;
		v[P_SCORE_SUM] += milli;
	}
	v[P_ERRORS] += errors;
	v[P_WARNINGS] += warnings;
	if (errors > 0)
		v[P_WITH_ERRORS]++;
}

static int is_repeat(const report_fields *f)
{
	const char *s;
	size_t len;
	if (HAS(RC_REPEAT_OF)) {
		s = f->s[RC_REPEAT_OF];
		len = f->len[RC_REPEAT_OF];
		trim(&s, &len);
		if (len)
			return 1;
	}
	return HAS(RC_URGENT_TYPES) && has_item(F(RC_URGENT_TYPES), "repeat");
}

static int is_urgent(const report_fields *f)
{
	const char *s;
	size_t len;
	if (HAS(RC_URGENCY)) {
		s = f->s[RC_URGENCY];
		len = f->len[RC_URGENCY];
		trim(&s, &len);
		return is(s, len, "urgent");
	}
	if (HAS(RC_URGENT_TYPES)) {
		s = f->s[RC_URGENT_TYPES];
		len = f->len[RC_URGENT_TYPES];
		trim(&s, &len);
		return len > 0;
	}
	return 0;
}

/* What the previous period keeps: the totals, categories, deadlines, score. */
static void add_core(const report_fields *f, rmap *totals, rmap *category, rmap *sla, rmap *phrase,
	int *reply_out, int *resolve_out, int64_t *milli_out, long *errors_out, long *warnings_out)
{
	long errors = 0, warnings = 0;
	int64_t *tot = row0(totals);
	tot[T_RECEIVED]++;
	if (HAS(RC_STATUS) || HAS(RC_CLOSED)) {
		int st = report_case_status(F(RC_STATUS), F(RC_CLOSED));
		if (st == 'c')
			tot[T_CLOSED]++;
		else
			tot[T_OPEN]++;
		if (st == 'p')
			tot[T_PENDING]++;
	}
	if (is_urgent(f))
		tot[T_URGENT]++;
	if (HAS(RC_HARASSMENT) && field_long(F(RC_HARASSMENT)) == 1)
		tot[T_HARASSMENT]++;
	if (is_repeat(f))
		tot[T_REPEATS]++;
	if (HAS(RC_BATCH)) {
		const char *s = f->s[RC_BATCH];
		size_t len = f->len[RC_BATCH];
		trim(&s, &len);
		if (len)
			tot[T_BATCH_CASES]++;
	}
	if (HAS(RC_PROBLEMS)) {
		const char *s = f->s[RC_PROBLEMS];
		size_t len = f->len[RC_PROBLEMS];
		trim(&s, &len);
		if (len)
			tot[T_PROBLEMS]++;
	}
	if (HAS(RC_CATEGORY))
		count1(category, F(RC_CATEGORY));
	int reply = HAS(RC_REPLY_STATUS) ? sla_status(F(RC_REPLY_STATUS)) : -1;
	int resolve = HAS(RC_RESOLVE_STATUS) ? sla_status(F(RC_RESOLVE_STATUS)) : -1;
	if (HAS(RC_REPLY_STATUS) || HAS(RC_RESOLVE_STATUS))
		add_sla(sla, NULL, 0, reply, resolve);
	int64_t milli = -1;
	if (HAS(RC_SCORE)) {
		milli = report_parse_milli(F(RC_SCORE));
		if (milli > 100000)
			milli = 100000;
		errors = HAS(RC_ERRORS) ? field_long(F(RC_ERRORS)) : 0;
		warnings = HAS(RC_WARNINGS) ? field_long(F(RC_WARNINGS)) : 0;
		add_phrase(row0(phrase), milli, errors, warnings);
	}
	*reply_out = reply;
	*resolve_out = resolve;
	*milli_out = milli;
	*errors_out = errors;
	*warnings_out = warnings;
}

static const char *score_bucket(int64_t milli)
{
	return milli < 60000 ? "0-59" : milli < 70000 ? "60-69" : milli < 80000 ? "70-79"
		: milli < 90000 ? "80-89" : "90-100";
}

const char *report_add(report *r, const report_fields *f)
{
	static char msg[160];
	const char *problem = NULL;
	row0(r->m[RM_TOTALS])[T_READ]++;
	int64_t t = CPL_NOTIME;
	if (HAS(RC_CREATED)) {
		int empty = 0;
		t = time_parse(F(RC_CREATED), &empty);
		if (t == CPL_NOTIME && !empty) {
			size_t n = f->len[RC_CREATED] > 40 ? 40 : f->len[RC_CREATED];
			snprintf(msg, sizeof msg, "created_at '%.*s' is not a time: %s", (int)n, f->s[RC_CREATED],
				r->has_period ? "the case is left out of the period's figures"
					: "the case is counted, but in no day or hour");
			for (char *p = msg; *p; p++)
				if ((unsigned char)*p < ' ')
					*p = ' ';
			problem = msg;
		}
	}
	int64_t *span = row0(r->m[RM_SPAN]);
	if (t != CPL_NOTIME) {
		if (t < span[SP_MIN]) span[SP_MIN] = t;
		if (t > span[SP_MAX]) span[SP_MAX] = t;
	}
	if (r->has_period) {
		int64_t *tot = row0(r->m[RM_TOTALS]);
		if (t == CPL_NOTIME) {
			tot[T_SKIP_NOTIME]++;
			return problem;
		}
		if ((r->from != CPL_NOTIME && t < r->from) || (r->to != CPL_NOTIME && t >= r->to)) {
			tot[T_SKIP_OUTSIDE]++;
			if (r->prev_from != CPL_NOTIME && t >= r->prev_from && t < r->from) {
				int a, b;
				int64_t c;
				long e, w;
				add_core(f, r->m[RM_PREV_TOTALS], r->m[RM_PREV_CATEGORY], r->m[RM_PREV_SLA],
					r->m[RM_PREV_PHRASE], &a, &b, &c, &e, &w);
			}
			return problem;
		}
	}
	span = row0(r->m[RM_SPAN]);
	if (t != CPL_NOTIME) {
		if (t < span[SP_IN_MIN]) span[SP_IN_MIN] = t;
		if (t > span[SP_IN_MAX]) span[SP_IN_MAX] = t;
	}

	int reply, resolve;
	int64_t milli;
	long errors, warnings;
	add_core(f, r->m[RM_TOTALS], r->m[RM_CATEGORY], r->m[RM_SLA], r->m[RM_PHRASE], &reply, &resolve, &milli,
		&errors, &warnings);

	if (HAS(RC_URGENT_TYPES))
		each_item(F(RC_URGENT_TYPES), count_item, r->m[RM_URGENT]);
	if (HAS(RC_SUBCATEGORY))
		count1(r->m[RM_SUBCATEGORY], F(RC_SUBCATEGORY));
	if (HAS(RC_CHANNEL))
		count1(r->m[RM_CHANNEL], F(RC_CHANNEL));
	if (HAS(RC_REGION))
		count1(r->m[RM_REGION], F(RC_REGION));
	if (HAS(RC_LEVEL))
		count1(r->m[RM_LEVEL], F(RC_LEVEL));
	if (HAS(RC_CTYPE))
		count1(r->m[RM_CTYPE], F(RC_CTYPE));
	if (HAS(RC_EMOTION))
		count1(r->m[RM_EMOTION], F(RC_EMOTION));

	size_t kl;
	const char *k;
	if (HAS(RC_REPLY_STATUS) || HAS(RC_RESOLVE_STATUS)) {
		if (HAS(RC_POLICY)) {
			k = key1(F(RC_POLICY), &kl);
			add_sla(r->m[RM_SLA_POLICY], k, kl, reply, resolve);
		}
		if (HAS(RC_DEPARTMENT)) {
			k = key1(F(RC_DEPARTMENT), &kl);
			add_sla(r->m[RM_SLA_DEPT], k, kl, reply, resolve);
		}
		offer_case(r, f, t, reply, resolve);
	}

	if (HAS(RC_BATCH)) {
		k = key1(F(RC_BATCH), &kl);
		if (kl) {
			int64_t *b = rmap_row(r->m[RM_BATCH], k, kl);
			b[B_CASES]++;
			if (t != CPL_NOTIME) {
				if (t < b[B_FIRST]) b[B_FIRST] = t;
				if (t > b[B_LAST]) b[B_LAST] = t;
			}
			/* the id outlives kbuf, which key2 reuses: a copy, in a
			 * buffer kept from record to record */
			static cpl_buf idbuf;
			buf_clear(&idbuf);
			buf_add(&idbuf, k, kl);
			const char *id = buf_str(&idbuf);
			if (HAS(RC_ISSUE_KEY)) {
				k = key2(id, strlen(id), F(RC_ISSUE_KEY), &kl);
				rmap_row(r->m[RM_BATCH_ISSUE], k, kl)[0]++;
			}
			if (HAS(RC_REGION)) {
				k = key2(id, strlen(id), F(RC_REGION), &kl);
				rmap_row(r->m[RM_BATCH_REGION], k, kl)[0]++;
			}
			if (HAS(RC_CUSTOMER)) {
				k = key2(id, strlen(id), F(RC_CUSTOMER), &kl);
				rmap_row(r->m[RM_BATCH_CUSTOMER], k, kl)[0]++;
			}
		}
	}

	if (is_repeat(f))
		count1(r->m[RM_REPEAT_CUSTOMER], F(RC_CUSTOMER));

	if (HAS(RC_SCORE)) {
		if (milli >= 0)
			rmap_row(r->m[RM_PHRASE_SCORE], score_bucket(milli), strlen(score_bucket(milli)))[0]++;
		k = key1(F(RC_AGENT), &kl);
		add_phrase(rmap_row(r->m[RM_PHRASE_AGENT], k, kl), milli, errors, warnings);
	}
	if (HAS(RC_FINDINGS)) {
		each_item(F(RC_FINDINGS), count_finding, r);
	}
	if (HAS(RC_MISSING))
		each_item(F(RC_MISSING), count_item, r->m[RM_PHRASE_MISSING]);

	if (f->nby) {
		buf_clear(&kbuf);
		for (size_t i = 0; i < f->nby; i++) {
			if (i)
				buf_addc(&kbuf, REPORT_KEYSEP);
			key_add(&kbuf, f->by[i] ? f->by[i] : "", f->bylen[i]);
		}
		rmap_row(r->m[RM_BY], kbuf.s ? kbuf.s : "", kbuf.len)[0]++;
	}
	return problem;
}

void report_merge(report *a, const report *b)
{
	for (int i = 0; i < RM_COUNT; i++) {
		const rmap *m = b->m[i];
		for (size_t k = 0; k < m->n; k++)
			rmap_fold(a->m[i], m->e[k].key, m->e[k].keylen, rmap_vals(m, &m->e[k]));
	}
	for (int l = 0; l < LIST_COUNT; l++)
		for (size_t i = 0; i < b->nlist[l]; i++)
			report_list_add(a, l, &b->list[l][i]);
}

/* One pass over the batch x customer keys ("batch\x1fcustomer"; no part holds
 * the separator), each counted to its batch.  Sorting them to find each
 * batch's run cost more than the whole count: they are as many as the
 * batch cases. */
int64_t *report_batch_customers(const report *r)
{
	const rmap *bm = r->m[RM_BATCH], *cm = r->m[RM_BATCH_CUSTOMER];
	int64_t *n = xcalloc(bm->n + 1, sizeof *n);
	for (size_t i = 0; i < cm->n; i++) {
		const char *k = cm->e[i].key, *sep = memchr(k, REPORT_KEYSEP, cm->e[i].keylen);
		if (!sep || sep + 1 == k + cm->e[i].keylen)
			continue; /* an empty customer */
		long b = rmap_index(bm, k, (size_t)(sep - k));
		if (b >= 0)
			n[b]++;
	}
	return n;
}

/* ---- the period shown ---- */

static int64_t day_start(int64_t t)
{
	int y, mo, d;
	time_to_local(t, &y, &mo, &d, NULL, NULL, NULL, NULL);
	return time_from_local(y, mo, d, 0, 0, 0);
}

int report_period(const report *r, int64_t *from, int64_t *to)
{
	const int64_t *span = rmap_find(r->m[RM_SPAN], "", 0);
	int have = span && span[SP_IN_MIN] != INT64_MAX;
	*from = r->from;
	*to = r->to;
	if (*from == CPL_NOTIME) {
		if (!have)
			return 0;
		*from = day_start(span[SP_IN_MIN]);
	}
	if (*to == CPL_NOTIME) {
		if (!have)
			return 0;
		int y, mo, d;
		time_to_local(span[SP_IN_MAX], &y, &mo, &d, NULL, NULL, NULL, NULL);
		int64_t next = days_from_civil(y, mo, d) + 1;
		civil_from_days(next, &y, &mo, &d);
		*to = time_from_local(y, mo, d, 0, 0, 0);
	}
	return 1;
}

int report_empty_period(const report *r, int64_t *first, int64_t *last)
{
	const int64_t *span = rmap_find(r->m[RM_SPAN], "", 0);
	const int64_t *tot = rmap_find(r->m[RM_TOTALS], "", 0);
	if (!r->has_period || !span || span[SP_MIN] == INT64_MAX || (tot && tot[T_RECEIVED]))
		return 0;
	*first = span[SP_MIN];
	*last = span[SP_MAX];
	return 1;
}

int report_has_previous(const report *r)
{
	if (r->prev_from == CPL_NOTIME || r->from == CPL_NOTIME)
		return 0;
	const int64_t *span = rmap_find(r->m[RM_SPAN], "", 0);
	if (!span || span[SP_MIN] == INT64_MAX)
		return 0;
	int64_t len = r->from - r->prev_from;
	return span[SP_MIN] < r->prev_from + (len < 86400 ? len : 86400);
}
