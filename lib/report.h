/* report.h: what cplreport's files share among themselves (like mblaze's
 * blaze822_priv.h): the aggregation state, its counting maps, and the
 * document the formats render.  The rest of cpl sees only cpl.h. */
#ifndef CPL_REPORT_H
#define CPL_REPORT_H

#include <string.h>
#include "cpl.h"

/* ---- report_map.c: string key -> a fixed row of 64-bit counters ---- */

/* Each slot of a row is summed ('s'), or kept as the minimum ('n') or the
 * maximum ('x'), so that maps merge exactly and in any order. */
/* A map can hold hundreds of thousands of keys (a batch's customers), so an
 * entry is 16 bytes: the key (in the map's own key blocks, NUL-terminated),
 * its length, and the low half of its hash; the entry's place in e is its
 * row's place in vals. */
typedef struct rmap_entry {
	char *key;
	uint32_t keylen;
	uint32_t hash;
} rmap_entry;

typedef struct rmap_keys rmap_keys;

typedef struct rmap {
	int nslots;
	const char *ops;
	size_t n, cap;      /* entries */
	rmap_entry *e;
	uint32_t *index;    /* open addressing: entry + 1, 0 = free */
	size_t icap;
	int64_t *vals;
	rmap_keys *keys;    /* the blocks the keys are copied into */
	char *keys_free;    /* the free bytes of the first block */
	size_t keys_left;
} rmap;

rmap *rmap_new(int nslots, const char *ops);
void rmap_free(rmap *m);

/* The lookup is inline: the report makes a dozen per record, and the
 * calls were a third of their cost. */
/* Eight bytes at a time (a lookup per counted field per record), mixed at
 * the end; only the index uses it: no order or output depends on it.  The
 * tail is read with fixed-size loads (the last eight bytes again, or two
 * overlapping fours, or three bytes): a memcpy of a variable length is a
 * call, and was a third of the hash. */
static inline uint64_t rmap_hash(const char *s, size_t len)
{
	const uint64_t k = 0x9E3779B97F4A7C15ULL;
	uint64_t h = len * k, w;
	if (len >= 8) {
		const char *last = s + len - 8;
		for (; s < last; s += 8) {
			memcpy(&w, s, 8);
			h = (h ^ w) * k;
			h ^= h >> 32;
		}
		memcpy(&w, last, 8);
		h = (h ^ w) * k;
	} else if (len >= 4) {
		uint32_t a, b;
		memcpy(&a, s, 4);
		memcpy(&b, s + len - 4, 4);
		h = (h ^ ((uint64_t)a << 32 | b)) * k;
	} else if (len) {
		const unsigned char *u = (const unsigned char *)s;
		w = (uint64_t)u[0] | (uint64_t)u[len / 2] << 8 | (uint64_t)u[len - 1] << 16;
		h = (h ^ w) * k;
	}
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ULL;
	return h ^ (h >> 32);
}

/* Are a and b (len bytes each) the same?  Keys are short and, once the
 * hashes agree, almost always equal: fixed-size loads, no memcmp call. */
static inline int rmap_same(const char *a, const char *b, size_t len)
{
	uint64_t x, y;
	uint32_t u, v;
	if (len >= 8) {
		size_t i = 0;
		for (; i + 8 < len; i += 8) {
			memcpy(&x, a + i, 8);
			memcpy(&y, b + i, 8);
			if (x != y)
				return 0;
		}
		memcpy(&x, a + len - 8, 8);
		memcpy(&y, b + len - 8, 8);
		return x == y;
	}
	if (len >= 4) {
		memcpy(&u, a, 4);
		memcpy(&v, b, 4);
		if (u != v)
			return 0;
		memcpy(&u, a + len - 4, 4);
		memcpy(&v, b + len - 4, 4);
		return u == v;
	}
	for (size_t i = 0; i < len; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

static inline size_t rmap_slot(const rmap *m, const char *key, size_t len, uint64_t h)
{
	size_t mask = m->icap - 1, i = (size_t)h & mask;
	for (;;) {
		size_t k = m->index[i];
		if (!k)
			return i;
		const rmap_entry *e = &m->e[k - 1];
		if (e->hash == (uint32_t)h && e->keylen == len && rmap_same(e->key, key, len))
			return i;
		i = (i + 1) & mask;
	}
}

/* Add key at the free index slot i that rmap_slot gave; its row, neutral. */
int64_t *rmap_insert(rmap *m, const char *key, size_t len, uint64_t h, size_t i);

/* The row for key, created with neutral values when absent.  Valid until the
 * next insertion. */
static inline int64_t *rmap_row(rmap *m, const char *key, size_t len)
{
	uint64_t h = rmap_hash(key, len);
	size_t i = rmap_slot(m, key, len, h);
	if (m->index[i])
		return m->vals + (m->index[i] - 1) * (size_t)m->nslots;
	return rmap_insert(m, key, len, h, i);
}
/* The row for key, or NULL. */
const int64_t *rmap_find(const rmap *m, const char *key, size_t len);
/* The place of key's entry in m->e, or -1. */
long rmap_index(const rmap *m, const char *key, size_t len);
int64_t *rmap_vals(const rmap *m, const rmap_entry *e);
/* Fold a row into the one for key, slot by slot. */
void rmap_fold(rmap *m, const char *key, size_t len, const int64_t *v);
/* The entries, by slot descending and key ascending (slot < 0: by key);
 * a malloc'd array of m->n pointers. */
rmap_entry **rmap_sorted(const rmap *m, int slot);
/* In a compound map's keys sorted by key ("id\x1fvalue"), the run of id's:
 * sorted[*lo] .. sorted[*hi - 1]. */
void rmap_run(rmap_entry **sorted, size_t n, const char *id, size_t idlen, size_t *lo, size_t *hi);

/* ---- report.c: the aggregation ---- */

/* The columns the report reads; bit RC_x of report.cols says it is there. */
enum {
	RC_CASE_ID, RC_CREATED, RC_CHANNEL, RC_CUSTOMER, RC_LEVEL, RC_REGION, RC_AGENT,
	RC_STATUS, RC_CLOSED, RC_DEPARTMENT, RC_PROBLEMS,
	RC_CATEGORY, RC_SUBCATEGORY, RC_URGENCY, RC_URGENT_TYPES, RC_CTYPE, RC_EMOTION,
	RC_HARASSMENT, RC_ISSUE_KEY, RC_BATCH, RC_REPEAT_OF,
	RC_POLICY, RC_REPLY_DUE, RC_RESOLVE_DUE, RC_REPLY_STATUS, RC_RESOLVE_STATUS,
	RC_REPLY_LEFT, RC_RESOLVE_LEFT,
	RC_SCORE, RC_ERRORS, RC_WARNINGS, RC_FINDINGS, RC_MISSING,
	RC_COUNT
};
extern const char *const report_colnames[RC_COUNT];
#define RHAS(r, c) (((r)->cols >> (c)) & 1)

/* The maps of the state.  RM_PREV_* hold the previous period. */
enum {
	RM_TOTALS, RM_SPAN, RM_URGENT, RM_CATEGORY, RM_SUBCATEGORY, RM_CHANNEL,
	RM_REGION, RM_LEVEL, RM_CTYPE, RM_EMOTION, RM_SLA, RM_SLA_POLICY, RM_SLA_DEPT,
	RM_BATCH, RM_BATCH_ISSUE, RM_BATCH_REGION, RM_BATCH_CUSTOMER,
	RM_REPEAT_CUSTOMER, RM_PHRASE, RM_PHRASE_SCORE, RM_PHRASE_RULE, RM_PHRASE_ERROR_RULE,
	RM_PHRASE_MISSING, RM_PHRASE_AGENT, RM_BY,
	RM_PREV_TOTALS, RM_PREV_CATEGORY, RM_PREV_SLA, RM_PREV_PHRASE,
	RM_COUNT
};
extern const char *const report_mapnames[RM_COUNT];

/* slots of RM_TOTALS (one row, key "") */
enum { T_READ, T_RECEIVED, T_CLOSED, T_OPEN, T_PENDING, T_URGENT, T_HARASSMENT,
	T_REPEATS, T_BATCH_CASES, T_PROBLEMS, T_SKIP_OUTSIDE, T_SKIP_NOTIME, T_COUNT };
/* RM_SPAN: created_at of all records, and of those in the period */
enum { SP_MIN, SP_MAX, SP_IN_MIN, SP_IN_MAX, SP_COUNT };
/* RM_SLA, RM_SLA_POLICY, RM_SLA_DEPT: status counts of both targets */
enum { SLA_MET, SLA_BREACHED, SLA_OPEN, SLA_AT_RISK, SLA_OVERDUE, SLA_NSTATUS };
extern const char *const report_sla_status[SLA_NSTATUS];
enum { S_CASES, S_REPLY, S_RESOLVE = S_REPLY + SLA_NSTATUS,
	S_ANY_OVERDUE = S_RESOLVE + SLA_NSTATUS, S_ANY_AT_RISK, S_COUNT };
/* RM_BATCH */
enum { B_CASES, B_FIRST, B_LAST, B_COUNT };
/* RM_PHRASE (one row) and RM_PHRASE_AGENT */
enum { P_CASES, P_SCORED, P_SCORE_SUM, P_ERRORS, P_WARNINGS, P_WITH_ERRORS, P_COUNT };

/* A listed overdue or at-risk case. */
enum { L_CASE_ID, L_TARGET, L_DUE, L_LEFT, L_DEPARTMENT, L_AGENT, L_SUBCATEGORY,
	L_CUSTOMER, L_REGION, L_COUNT };
typedef struct rcase {
	int64_t created; /* INT64_MAX when unknown: listed last */
	char *f[L_COUNT];
} rcase;
enum { LIST_OVERDUE, LIST_AT_RISK, LIST_COUNT };

#define REPORT_CASES_DEFAULT 20
#define REPORT_CASES_MAX 1000
#define REPORT_KEYSEP '\x1f' /* joins the parts of a compound key */

typedef struct report {
	/* settings: what was counted; states merge only when these agree */
	int64_t from, to;       /* period [from, to), CPL_NOTIME = open */
	int has_period;
	int64_t prev_from;      /* previous period [prev_from, from), or CPL_NOTIME */
	char *by;               /* --by as given ("agent_id,category"), or NULL */
	int cases_max;          /* length of the case lists */
	char *tz;               /* the zone the period was read in ($TZ after --tz) */
	uint64_t cols;          /* RC_ bits */
	int empty;              /* no input at all (no header) */

	rmap *m[RM_COUNT];
	rcase *list[LIST_COUNT];
	size_t nlist[LIST_COUNT];
} report;

/* One record's fields, by RC_ index (s NULL when the column is absent). */
typedef struct report_fields {
	const char *s[RC_COUNT];
	size_t len[RC_COUNT];
	const char *by[16];
	size_t bylen[16];
	size_t nby;
} report_fields;

report *report_new(void);
void report_free(report *r);
/* Count one record.  Returns NULL, or a problem with it (the record is
 * counted as skipped). */
const char *report_add(report *r, const report_fields *f);
/* Keep c among the oldest cases_max of a list (c's strings are taken). */
void report_list_add(report *r, int list, rcase *c);
/* Fold state b into a (same settings). */
void report_merge(report *a, const report *b);
/* Status of a record from the status column and closed_at: 'c'losed,
 * 'p'ending, 'o'pen. */
int report_case_status(const char *status, size_t slen, const char *closed, size_t clen);
/* The period actually shown: [from, to) with the open ends filled in from
 * the data; 0 when there is nothing to show. */
int report_period(const report *r, int64_t *from, int64_t *to);
/* Does the input reach back to the start of the previous period? */
int report_has_previous(const report *r);
/* A period asked for holds no case though the input has some: 1, and the
 * times of its first and last case. */
int report_empty_period(const report *r, int64_t *first, int64_t *last);
/* Parse a score like 87, 87.5 or 87.25 into thousandths; -1 when not a number. */
int64_t report_parse_milli(const char *s, size_t len);
/* For each batch (in the order of r->m[RM_BATCH]->e), how many distinct
 * non-empty customers it holds; a malloc'd array. */
int64_t *report_batch_customers(const report *r);

/* ---- report_state.c: --partial and --merge ---- */

void report_state_write(const report *r, cpl_writer *w);
/* Read every state in path (NULL or "-": stdin) and fold it into *acc
 * (created from the first one).  Dies on a state that is not one, is cut
 * short, or was counted with other settings. */
void report_state_read(report **acc, const char *path);

/* ---- report_doc.c: the report as sections of tables, in one language ---- */

typedef struct report_view {
	const char *lang;       /* "zh" or "en" */
	const char *labels;     /* --labels FILE, or NULL */
	long top;
	int mask;
	int64_t now;            /* CPL_NOTIME unless --now */
} report_view;

enum { CHART_NONE, CHART_BARS, CHART_STACK, CHART_COLUMNS };

typedef struct rtable {
	const char *id;
	char *title;           /* may be NULL */
	size_t ncols;
	const char **colid;
	char **colhead;
	uint32_t numeric;      /* bit i: column i holds numbers the report computed */
	size_t nrows, caprows;
	char **keys;           /* stable code of each row */
	char ***cells;
	int chart;             /* CHART_ */
	int chart_col, chart_ncols; /* the columns a chart draws */
	char *note;
	size_t nrest;          /* --by: groups --top left out (0: none), */
	long long rest;        /* and their cases */
} rtable;

typedef struct rsection {
	const char *id;
	char *title;
	rtable **t;
	size_t nt;
} rsection;

typedef struct rdoc {
	const char *lang;
	char *title;
	char *subtitle;
	rsection **s;
	size_t ns;
	char **footer;
	size_t nfooter;
	void *owned;           /* freed with the document */
	/* the footer's figures, for the formats that want numbers */
	int has_period;
	int64_t read, in_period, skip_outside, skip_notime, problems;
} rdoc;

/* The label of a code ("category.network") in the view's language; the code
 * itself (after its last '.') when the label table lacks it. */
/* The built-in labels and v->labels' table, loaded at the first label asked
 * for or now; a bad table is a usage error. */
void report_labels_load(const report_view *v);
const char *report_label(const report_view *v, const char *code);
const char *report_label2(const report_view *v, const char *prefix, const char *code);
rdoc *report_doc(const report *r, const report_view *v);
rdoc *report_by_doc(const report *r, const report_view *v);
void report_doc_free(rdoc *d);
/* Numbers as the report prints them, from integers only (deterministic). */
void report_fmt_pct(char *out, size_t n, int64_t num, int64_t den);   /* "12.5%" or "-" */
void report_fmt_ratio(char *out, size_t n, int64_t num, int64_t den); /* "0.1250" or "null" */
void report_fmt_milli(char *out, size_t n, int64_t milli, int decimals);

/* ---- the formats ---- */
/* Columns a string takes on a terminal (CJK wide characters take two). */
size_t report_text_width(const char *s);
void report_write_text(const rdoc *d, cpl_writer *w);  /* report_text.c */
void report_write_md(const rdoc *d, cpl_writer *w);    /* report_md.c */
void report_write_html(const rdoc *d, cpl_writer *w);  /* report_html.c */
void report_write_csv(const rdoc *d, cpl_writer *w);   /* report_csv.c */
void report_write_json(const report *r, const report_view *v, cpl_writer *w); /* report_json.c */

#endif
