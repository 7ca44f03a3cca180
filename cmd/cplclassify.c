/* cplclassify: what kind of complaint each case is, how urgent, who is
 * complaining and how (PRODUCT.md §3).
 *
 * Why two passes.  Batch and repeat detection need, for each case, the cases
 * near it in time (the batch window; three months back for repeats); the
 * input need not be sorted by time, and records must come out in input
 * order.  Holding records back until their window has passed would cost
 * memory in proportion to how unsorted the input is: all of it for a log
 * exported newest first.  So when the input has a created_at column, the
 * first pass classifies every record, spools its matches to disk and hands
 * a compact event to lib/casewindow.c, which sorts the events on disk and
 * sweeps them (by time for batches, by customer and problem for repeats)
 * with memory bounded by the windows.  The second pass reads the input again
 * (a pipe on stdin is first copied to a temporary file: lib/spool.c) and
 * writes each record with its spooled matches and its findings.  Without
 * created_at there is nothing to sweep and one pass does it all. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cpl.h"

enum {
	O_RULES, O_ADD_RULES, O_CUES, O_ADD_CUES, O_LEVELS, O_SENSITIVE, O_HISTORY,
	O_BATCH_WINDOW, O_BATCH_ORDINARY, O_BATCH_VIP, O_REPEAT_WINDOW,
	O_HARASS_CALLS, O_HARASS_WINDOW, O_ISSUE_KEY, O_PRIORITY, O_EXPLAIN,
};

static const cpl_option options[] = {
	[O_RULES] = {"rules", 0, "FILE", "category rules: replace the built-in table"},
	[O_ADD_RULES] = {"add-rules", 0, "FILE", "category rules: add to the table (same id: replace)"},
	[O_CUES] = {"cues", 0, "FILE", "urgency, complainant, emotion, harassment cues: replace"},
	[O_ADD_CUES] = {"add-cues", 0, "FILE", "cues: add to the table (same id: replace)"},
	[O_LEVELS] = {"levels", 0, "FILE", "customer levels: which are important, which VIP"},
	[O_SENSITIVE] = {"sensitive", 0, "FILE", "sensitive customers, one number a line"},
	[O_HISTORY] = {"history", 0, "FILE", "earlier cases, for repeats (repeatable)"},
	[O_BATCH_WINDOW] = {"batch-window", 0, "DUR", "batch: length of the window (default 60m)"},
	[O_BATCH_ORDINARY] = {"batch-ordinary", 0, "N", "batch: more than N customers (default 10)"},
	[O_BATCH_VIP] = {"batch-vip", 0, "N", "batch: or more than N VIP customers (default 5)"},
	[O_REPEAT_WINDOW] = {"repeat-window", 0, "DUR", "repeat: closed within DUR before (default 3mo)"},
	[O_HARASS_CALLS] = {"harassment-calls", 0, "N", "harassment: N cases with no real problem (default 5, 0 off)"},
	[O_HARASS_WINDOW] = {"harassment-window", 0, "DUR", "harassment: within DUR (default 24h)"},
	[O_ISSUE_KEY] = {"issue-key", 0, "FIELDS", "the same problem (default subcategory,region)"},
	[O_PRIORITY] = {"priority", 0, "TYPES", "urgent types, most urgent first"},
	[O_EXPLAIN] = {"explain", 0, "[=FILE]", "say why, case by case, on stderr or in FILE"},
	{0},
};

typedef struct strlist { const char **v; size_t n; } strlist;

static struct {
	const char *rules, *cues, *levels, *issue_key, *explain_file;
	strlist add_rules, add_cues, sensitive, history;
	int64_t batch_window, harass_window, repeat_secs;
	long batch_ordinary, batch_vip, harass_calls;
	int repeat_months, explain;
	int order[URG_NTYPES];
} opt = {
	.issue_key = "subcategory,region",
	.batch_window = 3600, .batch_ordinary = 10, .batch_vip = 5,
	.repeat_months = 3, .harass_calls = 5, .harass_window = 86400,
};

static void push(strlist *l, const char *s)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	l->v[l->n++] = s;
}

static int64_t window_arg(const char *name, const char *arg, int months_ok, int *months)
{
	int64_t secs;
	int mo = 0;
	if (duration_parse(arg, &secs, &mo) < 0 || (!months_ok && mo) || (!mo && secs <= 0))
		cpl_die(CPL_EXIT_USAGE, "--%s: expected a duration like %s, got '%s'", name,
			months_ok ? "3mo or 90d" : "60m or 2h", arg);
	if (months)
		*months = mo;
	return secs;
}

static void on_option(int idx, const char *arg)
{
	switch (idx) {
	case O_RULES: opt.rules = arg; break;
	case O_ADD_RULES: push(&opt.add_rules, arg); break;
	case O_CUES: opt.cues = arg; break;
	case O_ADD_CUES: push(&opt.add_cues, arg); break;
	case O_LEVELS: opt.levels = arg; break;
	case O_SENSITIVE: push(&opt.sensitive, arg); break;
	case O_HISTORY: push(&opt.history, arg); break;
	case O_BATCH_WINDOW: opt.batch_window = window_arg("batch-window", arg, 0, NULL); break;
	case O_BATCH_ORDINARY: opt.batch_ordinary = opt_long("batch-ordinary", arg, 0, 1000000); break;
	case O_BATCH_VIP: opt.batch_vip = opt_long("batch-vip", arg, 0, 1000000); break;
	case O_REPEAT_WINDOW:
		opt.repeat_secs = window_arg("repeat-window", arg, 1, &opt.repeat_months);
		break;
	case O_HARASS_CALLS:
		opt.harass_calls = opt_long("harassment-calls", arg, 0, 1000000);
		if (opt.harass_calls == 1)
			cpl_die(CPL_EXIT_USAGE, "--harassment-calls: one case is not many: give 2 or more, or 0 to turn it off");
		break;
	case O_HARASS_WINDOW: opt.harass_window = window_arg("harassment-window", arg, 0, NULL); break;
	case O_ISSUE_KEY: opt.issue_key = arg; break;
	case O_PRIORITY: urgency_order_parse(arg, opt.order); break;
	case O_EXPLAIN:
		opt.explain = 1;
		opt.explain_file = arg && *arg && strcmp(arg, "-") ? arg : NULL;
		break;
	}
}

/* ------------------------------------------------------------ layout */

enum { C_CASE_ID, C_CREATED, C_CHANNEL, C_CUSTOMER, C_LEVEL, C_REGION, C_ISSUE_REGION,
	C_TEXT, C_CLOSED, C_STATUS, C_ESCALATED, C_NCOLS };
static const char *const col_names[C_NCOLS] = {
	"case_id", "created_at", "channel", "customer_id", "customer_level", "region",
	"issue_region", "text", "closed_at", "status", "escalated",
};

/* issue key parts that are not input columns */
enum { K_CATEGORY = -2, K_SUBCATEGORY = -3, K_CAUSE = -4, K_ABSENT = -1 };

/* Where one input (the main one or a history file) keeps what we read. */
typedef struct layout {
	int col[C_NCOLS];
	int *rule_col, *cue_col, *key_col;
	int subcat_col; /* history: a subcategory column from an earlier run */
	size_t ncols;
	/* per-record normalised values, by column */
	cpl_norm *norm;
	unsigned *stamp;
	unsigned cur;
} layout;

/* The record being looked at, whichever pass reads it. */
typedef struct view {
	cpl_field *f;
	size_t n;
	const char *file;
	long line;
	uint64_t recno;
} view;

static cpl_rules *rules;
static cpl_cues *cues;
static cpl_levels *levels;
static cpl_hmap *sensitive;
static char **key_parts;
static size_t nkey_parts;
static FILE *explain_out;

/* Find a canonical column in a header as run_col() does, for history files. */
static int header_find(char **cols, size_t n, const char *canonical)
{
	const char *mapped = column_mapped(canonical);
	if (mapped) {
		for (size_t i = 0; i < n; i++)
			if (column_header_is(cols[i], strlen(cols[i]), mapped))
				return (int)i;
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (!strcmp(cols[i], canonical))
			return (int)i;
	for (size_t i = 0; i < n; i++) {
		const char *c = column_canonical(cols[i], strlen(cols[i]));
		if (c && !strcmp(c, canonical))
			return (int)i;
	}
	return -1;
}

typedef int (*find_fn)(void *ctx, const char *canonical);

static void layout_init(layout *L, size_t ncols, find_fn find, void *ctx)
{
	memset(L, 0, sizeof *L);
	L->ncols = ncols;
	for (int c = 0; c < C_NCOLS; c++)
		L->col[c] = find(ctx, col_names[c]);
	L->rule_col = xcalloc(rules->nfields + 1, sizeof *L->rule_col);
	for (size_t i = 0; i < rules->nfields; i++)
		L->rule_col[i] = find(ctx, rules->fields[i]);
	L->cue_col = xcalloc(cues->nfields + 1, sizeof *L->cue_col);
	for (size_t i = 0; i < cues->nfields; i++)
		L->cue_col[i] = find(ctx, cues->fields[i]);
	L->key_col = xcalloc(nkey_parts + 1, sizeof *L->key_col);
	for (size_t i = 0; i < nkey_parts; i++) {
		const char *k = key_parts[i];
		L->key_col[i] = !strcmp(k, "category") ? K_CATEGORY : !strcmp(k, "subcategory") ? K_SUBCATEGORY :
			!strcmp(k, "cause") ? K_CAUSE : find(ctx, k);
	}
	L->subcat_col = -1;
	L->norm = xcalloc(ncols + 1, sizeof *L->norm);
	L->stamp = xcalloc(ncols + 1, sizeof *L->stamp);
	L->cur = 1;
}

static const char *raw(const view *v, int col, size_t *len)
{
	if (col < 0 || (size_t)col >= v->n) {
		*len = 0;
		return "";
	}
	*len = v->f[col].len;
	return v->f[col].s;
}

/* The normalised value of a column for the current record (computed once). */
static const char *norm(layout *L, const view *v, int col, size_t *len)
{
	if (col < 0 || (size_t)col >= v->n) {
		*len = 0;
		return NULL;
	}
	if (L->stamp[col] != L->cur) {
		text_normalize(&L->norm[col], v->f[col].s, v->f[col].len, opt.explain);
		L->stamp[col] = L->cur;
	}
	*len = L->norm[col].out.len;
	return L->norm[col].out.s;
}

static void next_record(layout *L) { L->cur++; }

/* Hits found on normalised bytes, moved to characters of the original. */
static void hits_to_chars(layout *L, cpl_hit *h, size_t n, const int *fieldcol, int cue)
{
	for (size_t i = 0; i < n; i++) {
		int field = cue ? cues->c[h[i].rule].field : rules->r[h[i].rule].field;
		cpl_norm *nm = &L->norm[fieldcol[field]];
		int s = nm->pos[h[i].start];
		int e = h[i].end > h[i].start ? nm->pos[h[i].end - 1] + 1 : s;
		h[i].start = s;
		h[i].end = e;
	}
}

/* ------------------------------------------------------------ per case */

static const char **rnorm, **cnorm;
static size_t *rlen, *clen;

static void categorize(layout *L, const view *v, cpl_verdict *vd)
{
	for (size_t i = 0; i < rules->nfields; i++)
		rnorm[i] = norm(L, v, L->rule_col[i], &rlen[i]);
	rules_match(rules, rnorm, rlen, vd);
	if (opt.explain)
		hits_to_chars(L, vd->hits, vd->nhits, L->rule_col, 0);
}

/* The cues that fired on a case. */
typedef struct cuehits {
	cpl_hit *h;
	size_t n, cap;
	int limit; /* a cue that hit the match limit, or -1 */
} cuehits;

#define ALL_CUES (1u << CUE_URGENT | 1u << CUE_COMPLAINANT | 1u << CUE_EMOTION | 1u << CUE_HARASSMENT | 1u << CUE_CLOSED)

static void match_cues(layout *L, const view *v, unsigned kinds, cuehits *ch)
{
	for (size_t i = 0; i < cues->nfields; i++)
		cnorm[i] = norm(L, v, L->cue_col[i], &clen[i]);
	ch->n = 0;
	ch->limit = cues_match(cues, kinds, cnorm, clen, &ch->h, &ch->n, &ch->cap);
	if (opt.explain)
		hits_to_chars(L, ch->h, ch->n, L->cue_col, 1);
}

static int fired(const cuehits *ch, int kind)
{
	for (size_t i = 0; i < ch->n; i++)
		if (cues->c[ch->h[i].rule].kind == kind)
			return 1;
	return 0;
}

static void issue_key(layout *L, const view *v, const cpl_verdict *vd, cpl_buf *out)
{
	buf_clear(out);
	for (size_t i = 0; i < nkey_parts; i++) {
		if (i)
			buf_addc(out, '/');
		int c = L->key_col[i];
		if (c == K_CATEGORY)
			buf_adds(out, vd->category);
		else if (c == K_SUBCATEGORY)
			buf_adds(out, vd->subcategory);
		else if (c == K_CAUSE)
			buf_adds(out, vd->cause);
		else {
			size_t len;
			const char *s = norm(L, v, c, &len);
			if (s) {
				s = region_core(s, &len);
				buf_add(out, s, len);
			}
		}
	}
	buf_addc(out, 0);
	out->len--;
}

static uint64_t customer_of(layout *L, const view *v)
{
	size_t len;
	const char *s = norm(L, v, L->col[C_CUSTOMER], &len);
	return s ? customer_key(s, len) : 0;
}

static int level_of(layout *L, const view *v)
{
	size_t len;
	const char *s = norm(L, v, L->col[C_LEVEL], &len);
	return s ? levels_find(levels, s, len) : -1;
}

/* created_at: CPL_NOTIME when empty or unparsable (*bad set for the latter) */
static int64_t time_of(const view *v, int col, int *bad)
{
	size_t len;
	const char *s = raw(v, col, &len);
	int empty = 0;
	int64_t t = len ? time_parse(s, len, &empty) : CPL_NOTIME;
	*bad = len && t == CPL_NOTIME && !empty;
	return t;
}

/* When the case was closed: closed_at, else (for a closed status) its
 * receipt time, the best that is known; CPL_NOTIME while it is open. */
static int64_t closed_of(layout *L, const view *v, int64_t created, const cuehits *ch)
{
	int bad;
	int64_t c = time_of(v, L->col[C_CLOSED], &bad);
	if (c != CPL_NOTIME)
		return c;
	return fired(ch, CUE_CLOSED) ? created : CPL_NOTIME;
}

/* ------------------------------------------------------------ events */

static cpl_window *window;

/* The name of a case for repeat_of and messages: its case_id, else FILE:LINE. */
static void case_name(layout *L, const view *v, cpl_buf *out)
{
	size_t len;
	const char *s = raw(v, L->col[C_CASE_ID], &len);
	buf_clear(out);
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len)
		buf_add(out, s, len);
	else
		buf_printf(out, "%s:%ld", v->file, v->line);
}

/* What the window detection needs to know of one case. */
static void add_case(layout *L, const view *v, const cpl_verdict *vd, const cuehits *ch, int input)
{
	static cpl_buf key, name;
	int bad;
	cpl_case c = {.input = input, .recno = v->recno, .has_problem = vd->rule >= 0};
	c.t = time_of(v, L->col[C_CREATED], &bad);
	c.closed = closed_of(L, v, c.t, ch);
	if (c.t == CPL_NOTIME && !input)
		c.t = c.closed; /* a history case only needs to be known as closed */
	if (c.t == CPL_NOTIME)
		return;
	c.cust = customer_of(L, v);
	int lv = level_of(L, v);
	c.vip = lv >= 0 && levels->l[lv].vip;
	issue_key(L, v, vd, &key);
	c.key = hash_bytes(key.s, key.len);
	c.problem = hash_bytes(vd->subcategory, strlen(vd->subcategory));
	if (c.closed != CPL_NOTIME) {
		case_name(L, v, &name);
		c.name = name.s;
		c.namelen = name.len;
	}
	window_add(window, &c);
}

/* ------------------------------------------------------------ pass 1 */

/* A record as run.c shapes it: as wide as the header, extra fields joined
 * into the last column, so both passes see the same values. */
static void shape(cpl_record *rec, size_t ncols, cpl_field **f, size_t *cap, cpl_buf *joined)
{
	if (*cap < ncols + 1) {
		*cap = ncols + 1;
		*f = xrealloc(*f, *cap * sizeof **f);
	}
	size_t keep = rec->n < ncols ? rec->n : ncols;
	memcpy(*f, rec->f, keep * sizeof **f);
	for (size_t i = keep; i < ncols; i++)
		(*f)[i] = (cpl_field){"", 0};
	if (rec->n > ncols && ncols > 0) {
		size_t last = 0;
		for (size_t i = ncols; i < rec->n; i++)
			if (rec->f[i].len)
				last = i + 1;
		if (last) {
			buf_clear(joined);
			for (size_t i = ncols - 1; i < last; i++) {
				if (i >= ncols)
					buf_addc(joined, cpl_opt.in.delim);
				buf_add(joined, rec->f[i].s, rec->f[i].len);
			}
			(*f)[ncols - 1] = (cpl_field){joined->s, joined->len};
		}
	}
}

static FILE *spool;

static void spool_hits(const cpl_hit *h, size_t n, int limit)
{
	int32_t head[2] = {(int32_t)n, limit};
	if (fwrite(head, sizeof head, 1, spool) != 1 || (n && fwrite(h, sizeof *h, n, spool) != n))
		cpl_die(CPL_EXIT_IO, "write error: temporary file:");
}

static void unspool_hits(cpl_hit **h, size_t *n, size_t *cap, int *limit)
{
	int32_t head[2];
	if (fread(head, sizeof head, 1, spool) != 1)
		cpl_die(CPL_EXIT_IO, "read error: temporary file: the input changed between the two passes");
	*n = (size_t)head[0];
	*limit = head[1];
	if (*n > *cap) {
		*cap = *n;
		*h = xrealloc(*h, *cap * sizeof **h);
	}
	if (*n && fread(*h, sizeof **h, *n, spool) != *n)
		cpl_die(CPL_EXIT_IO, "read error: temporary file: the input changed between the two passes");
}

static void first_pass(layout *L, char **inputs, int ninputs, int64_t stdin_start)
{
	cpl_verdict vd = {0};
	cuehits ch = {0};
	cpl_field *f = NULL;
	size_t fcap = 0;
	cpl_buf joined = {0};
	uint64_t recno = 0;
	off_t stdin_at = lseek(0, 0, SEEK_CUR);
	for (int i = 0; i < ninputs; i++) {
		int is_stdin = !strcmp(inputs[i], "-");
		if (is_stdin && lseek(0, (off_t)stdin_start, SEEK_SET) < 0)
			cpl_die(CPL_EXIT_IO, "cannot reread <stdin>:");
		cpl_reader *rd = reader_open(inputs[i], &cpl_opt.in);
		if (!rd)
			cpl_die(CPL_EXIT_IO, "cannot open '%s':", inputs[i]);
		cpl_record *rec;
		int header = !cpl_opt.in.no_header;
		while ((rec = reader_next(rd))) {
			if (header) {
				header = 0;
				continue;
			}
			shape(rec, L->ncols, &f, &fcap, &joined);
			view v = {f, L->ncols, rec->file, rec->line, ++recno};
			next_record(L);
			categorize(L, &v, &vd);
			match_cues(L, &v, ALL_CUES, &ch);
			spool_hits(vd.hits, vd.nhits, vd.limit);
			spool_hits(ch.h, ch.n, ch.limit);
			add_case(L, &v, &vd, &ch, 1);
		}
		if (reader_io_error(rd)) {
			errno = reader_io_error(rd);
			cpl_die(CPL_EXIT_IO, "read error: %s:", reader_name(rd));
		}
		reader_close(rd);
	}
	if (stdin_at >= 0)
		lseek(0, stdin_at, SEEK_SET);
	if (fflush(spool) || fseek(spool, 0, SEEK_SET))
		cpl_die(CPL_EXIT_IO, "write error: temporary file:");
	free(f);
	free(ch.h);
	buf_free(&joined);
	verdict_free(&vd);
}

/* ------------------------------------------------------------ history */

static int history_find(void *ctx, const char *canonical)
{
	cpl_record *h = ctx;
	static char **cols;
	static size_t ncols;
	if (!canonical) { /* reset */
		for (size_t i = 0; i < ncols; i++)
			free(cols[i]);
		free(cols);
		cols = NULL;
		ncols = 0;
		return 0;
	}
	if (!cols) {
		ncols = h->n;
		cols = xcalloc(ncols + 1, sizeof *cols);
		for (size_t i = 0; i < ncols; i++)
			cols[i] = xstrndup(h->f[i].s, h->f[i].len);
	}
	if (!strcmp(canonical, "subcategory")) {
		for (size_t i = 0; i < ncols; i++)
			if (!strcmp(cols[i], "subcategory"))
				return (int)i;
		return -1;
	}
	return header_find(cols, ncols, canonical);
}

/* Earlier cases: only the closed ones matter, as what a case can repeat. */
static void load_history(const char *path)
{
	cpl_reader *rd = reader_open(path, &cpl_opt.in);
	if (!rd)
		cpl_die(CPL_EXIT_IO, "cannot open '%s':", path);
	cpl_record *h = reader_next(rd);
	if (!h) {
		reader_close(rd);
		return;
	}
	layout L;
	layout_init(&L, h->n, history_find, h);
	L.subcat_col = history_find(h, "subcategory");
	history_find(NULL, NULL);
	if (L.col[C_CUSTOMER] < 0 || (L.col[C_CREATED] < 0 && L.col[C_CLOSED] < 0))
		cpl_die_at(CPL_EXIT_USAGE, path, h->line, "--history: no customer_id and created_at or closed_at columns: it cannot show repeats");
	if (L.subcat_col < 0 && L.col[C_TEXT] < 0)
		cpl_die_at(CPL_EXIT_USAGE, path, h->line, "--history: neither a subcategory nor a text column: the problem of its cases is unknown");
	cpl_verdict vd = {0};
	cuehits ch = {0};
	cpl_field *f = NULL;
	size_t fcap = 0;
	cpl_buf joined = {0}, sub = {0};
	cpl_record *rec;
	while ((rec = reader_next(rd))) {
		shape(rec, L.ncols, &f, &fcap, &joined);
		view v = {f, L.ncols, rec->file, rec->line, 0};
		next_record(&L);
		if (L.subcat_col >= 0) {
			/* an earlier run's verdict stands */
			size_t len;
			const char *s = raw(&v, L.subcat_col, &len);
			buf_clear(&sub);
			buf_add(&sub, s, len);
			buf_addc(&sub, 0);
			vd.subcategory = vd.category = sub.s;
			vd.cause = "";
			vd.rule = len && strcmp(sub.s, "other") ? 0 : -1;
		} else {
			categorize(&L, &v, &vd);
		}
		match_cues(&L, &v, 1u << CUE_CLOSED, &ch);
		add_case(&L, &v, &vd, &ch, 0);
	}
	if (reader_io_error(rd)) {
		errno = reader_io_error(rd);
		cpl_die(CPL_EXIT_IO, "read error: %s:", path);
	}
	reader_close(rd);
	free(f);
	buf_free(&joined);
	buf_free(&sub);
	free(ch.h);
	verdict_free(&vd);
}

/* ------------------------------------------------------------ tables */

static void load_sensitive(const char *path)
{
	size_t len;
	char *d = data_read_file(path, &len);
	char *p = d, *end = d + len;
	while (p < end) {
		char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		size_t n = strcspn(p, ",\t\r\n");
		if (p + n > eol)
			n = (size_t)(eol - p);
		cpl_norm nm = {0};
		const char *s = text_normalize(&nm, p, n, 0);
		if (*s && *s != '#') {
			uint64_t k = customer_key(s, strlen(s));
			if (k)
				*hmap_put(sensitive, k, 0, NULL) = 1;
		}
		norm_free(&nm);
		p = eol + 1;
	}
	free(d);
}

static void split_key(const char *spec)
{
	const char *p = spec;
	while (*p) {
		size_t n = strcspn(p, ",+ ");
		if (n) {
			char *k = xstrndup(p, n);
			for (char *c = k; *c; c++)
				if (!((*c >= 'a' && *c <= 'z') || *c == '_'))
					cpl_die(CPL_EXIT_USAGE, "--issue-key: '%s' is not a column name like subcategory or region", k);
			key_parts = xrealloc(key_parts, (nkey_parts + 1) * sizeof *key_parts);
			key_parts[nkey_parts++] = k;
		}
		p += n;
		if (*p)
			p++;
	}
	if (!nkey_parts)
		cpl_die(CPL_EXIT_USAGE, "--issue-key: name at least one field");
}

/* ------------------------------------------------------------ pass 2 */

enum { S_CATEGORY, S_SUBCATEGORY, S_CAUSE, S_URGENCY, S_URGENT_TYPES, S_PRIORITY,
	S_COMPLAINANT, S_EMOTION, S_HARASSMENT, S_ISSUE_KEY, S_BATCH_ID, S_REPEAT_OF,
	S_CLASS_RULES, S_NSLOTS };
static const char *const slot_names[S_NSLOTS] = {
	"category", "subcategory", "cause", "urgency", "urgent_types", "priority",
	"complainant_type", "emotion", "harassment", "issue_key", "batch_id", "repeat_of",
	"class_rules",
};

/* The original characters [cs, ce) of a field. */
static void original(const view *v, int col, int cs, int ce, cpl_buf *out)
{
	size_t len;
	const char *s = raw(v, col, &len);
	size_t i = 0, start = len, end = len;
	int ch = 0;
	while (i < len) {
		if (ch == cs)
			start = i;
		if (ch == ce) {
			end = i;
			break;
		}
		uint32_t cp;
		i += (size_t)utf8_decode((const unsigned char *)s + i, len - i, &cp);
		ch++;
	}
	if (start > end)
		start = end;
	buf_clear(out);
	for (size_t k = start; k < end; k++) /* one line: the explanation is line-based */
		buf_addc(out, s[k] == '\n' || s[k] == '\r' ? ' ' : s[k]);
}

typedef struct explainer {
	cpl_buf name, line, text, why[URG_NTYPES];
} explainer;

static void say(explainer *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(explainer *x, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(explain_out, "%s: ", buf_str(&x->name));
	vfprintf(explain_out, fmt, ap);
	fputc('\n', explain_out);
	va_end(ap);
}

static void why(explainer *x, int type, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void why(explainer *x, int type, const char *fmt, ...)
{
	if (!opt.explain || x->why[type].len)
		return;
	va_list ap;
	va_start(ap, fmt);
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	buf_adds(&x->why[type], msg);
}

static const char *quoted(explainer *x, const view *v, int col, const cpl_hit *h)
{
	original(v, col, h->start, h->end, &x->text);
	return buf_str(&x->text);
}

static const char *field_name(int col_is_rule, int field)
{
	return col_is_rule ? rules->fields[field] : cues->fields[field];
}

/* 60m, 24h, 90s: a window as the options write it */
static const char *duration(int64_t secs, char out[32])
{
	if (secs % 3600 == 0 && secs >= 7200)
		snprintf(out, 32, "%" PRId64 "h", secs / 3600);
	else if (secs % 60 == 0)
		snprintf(out, 32, "%" PRId64 "m", secs / 60);
	else
		snprintf(out, 32, "%" PRId64 "s", secs);
	return out;
}

static void second_pass(cpl_run *run, layout *L, int two_pass)
{
	int slot[S_NSLOTS];
	for (int s = 0; s < S_NSLOTS; s++)
		slot[s] = run_add_col(run, slot_names[s]);
	cpl_verdict vd = {0};
	cuehits cue = {0};
	cpl_buf key = {0}, list = {0}, ids = {0};
	explainer x = {0};
	cpl_field *f = xcalloc(L->ncols + 1, sizeof *f);
	uint64_t recno = 0;
	while (run_next(run)) {
		for (size_t i = 0; i < L->ncols; i++)
			f[i].s = run_field(run, (int)i, &f[i].len);
		view v = {f, L->ncols, run_file(run), run_line(run), ++recno};
		next_record(L);
		if (two_pass) {
			/* the first pass matched: read what it found */
			unspool_hits(&vd.hits, &vd.nhits, &vd.cap, &vd.limit);
			rules_decide(rules, &vd);
			unspool_hits(&cue.h, &cue.n, &cue.cap, &cue.limit);
		} else {
			categorize(L, &v, &vd);
			match_cues(L, &v, ALL_CUES, &cue);
		}
		if (vd.limit >= 0)
			run_problem(run, "rule '%s' hit the match limit: it is taken as not matching", rules->r[vd.limit].id);
		if (cue.limit >= 0)
			run_problem(run, "cue '%s' hit the match limit: it is taken as not matching", cues->c[cue.limit].id);
		cpl_hit *ch = cue.h;
		size_t nch = cue.n;

		int bad;
		time_of(&v, L->col[C_CREATED], &bad);
		if (bad) {
			size_t len;
			const char *s = raw(&v, L->col[C_CREATED], &len);
			run_problem(run, "created_at '%.*s' is not a time: the case cannot be part of a batch or a repeat",
				(int)(len > 40 ? 40 : len), s);
		}
		time_of(&v, L->col[C_CLOSED], &bad);
		if (bad) {
			size_t len;
			const char *s = raw(&v, L->col[C_CLOSED], &len);
			run_problem(run, "closed_at '%.*s' is not a time: a later case cannot repeat this one",
				(int)(len > 40 ? 40 : len), s);
		}
		cpl_case_findings fd;
		window_findings(window, recno, &fd);

		if (opt.explain) {
			case_name(L, &v, &x.name);
			for (int t = 0; t < URG_NTYPES; t++)
				buf_clear(&x.why[t]);
		}
		unsigned urgent = 0;
		int complainant = 0, emotion = 0, harass = 0;
		for (size_t i = 0; i < nch; i++) {
			const cpl_cue *c = &cues->c[ch[i].rule];
			switch (c->kind) {
			case CUE_URGENT:
				if (!(urgent & (1u << c->value)) && opt.explain)
					why(&x, c->value, "cue %s matched \"%s\" in %s at char %d", c->id,
						quoted(&x, &v, L->cue_col[c->field], &ch[i]), cues->fields[c->field], ch[i].start + 1);
				urgent |= 1u << c->value;
				break;
			case CUE_COMPLAINANT: if (c->value > complainant) complainant = c->value; break;
			case CUE_EMOTION: if (c->value > emotion) emotion = c->value; break;
			case CUE_HARASSMENT: harass = 1; break;
			}
		}
		/* cross_region: the problem is in another place than the customer's */
		size_t rl, il;
		const char *r = norm(L, &v, L->col[C_REGION], &rl);
		const char *ir = norm(L, &v, L->col[C_ISSUE_REGION], &il);
		if (r && ir) {
			r = region_core(r, &rl);
			ir = region_core(ir, &il);
			if (rl && il && (rl != il || memcmp(r, ir, rl))) {
				why(&x, URG_CROSS_REGION, "issue_region %.*s is not region %.*s", (int)il, ir, (int)rl, r);
				urgent |= 1u << URG_CROSS_REGION;
			}
		}
		int lv = level_of(L, &v);
		if (lv >= 0 && levels->l[lv].important) {
			size_t len;
			const char *s = raw(&v, L->col[C_LEVEL], &len);
			why(&x, URG_IMPORTANT, "customer_level \"%.*s\" (level rule %s)", (int)len, s, levels->l[lv].id);
			urgent |= 1u << URG_IMPORTANT;
		}
		uint64_t cust = customer_of(L, &v);
		if (cust && sensitive && hmap_get(sensitive, cust, 0)) {
			why(&x, URG_SENSITIVE, "customer_id is on the --sensitive list");
			urgent |= 1u << URG_SENSITIVE;
		}
		run_sets(run, slot[S_BATCH_ID], "");
		run_sets(run, slot[S_REPEAT_OF], "");
		if (fd.batch) {
			char when[20], id[64];
			int y, mo, d, h, mi, s, wd;
			time_to_local(fd.batch_start, &y, &mo, &d, &h, &mi, &s, &wd);
			snprintf(id, sizeof id, "B%04d%02d%02d%02d%02d%02d-%08" PRIx32, y, mo, d, h, mi, s,
				(uint32_t)(fd.batch_key >> 32));
			run_sets(run, slot[S_BATCH_ID], id);
			urgent |= 1u << URG_BATCH;
			if (opt.explain) {
				issue_key(L, &v, &vd, &key);
				char dur[32];
				why(&x, URG_BATCH, "%s: %ld customers (%ld VIP) with issue %s within %s, from %s",
					id, fd.customers, fd.vip_customers, key.s, duration(opt.batch_window, dur),
					time_format(fd.batch_start, when));
			}
		}
		if (fd.repeat) {
			char when[20];
			run_set(run, slot[S_REPEAT_OF], fd.repeat_of, fd.repeat_of_len);
			urgent |= 1u << URG_REPEAT;
			why(&x, URG_REPEAT, "the same customer and subcategory as %s, closed %s", fd.repeat_of,
				time_format(fd.repeat_closed, when));
		}
		if (fd.harass)
			harass = 1;

		run_sets(run, slot[S_CATEGORY], vd.category);
		run_sets(run, slot[S_SUBCATEGORY], vd.subcategory);
		run_sets(run, slot[S_CAUSE], vd.cause);
		run_sets(run, slot[S_URGENCY], urgent ? "urgent" : "normal");
		urgency_list(urgent, opt.order, &list);
		run_set(run, slot[S_URGENT_TYPES], list.s ? list.s : "", list.len);
		int prio = urgency_priority(urgent, opt.order);
		run_setf(run, slot[S_PRIORITY], "%d", prio);
		run_sets(run, slot[S_COMPLAINANT], complainant_names[complainant]);
		run_sets(run, slot[S_EMOTION], emotion_names[emotion]);
		run_sets(run, slot[S_HARASSMENT], harass ? "1" : "0");
		issue_key(L, &v, &vd, &key);
		run_set(run, slot[S_ISSUE_KEY], key.s, key.len);
		buf_clear(&ids);
		for (size_t i = 0; i < vd.nhits; i++)
			buf_printf(&ids, "%s%s", ids.len ? ";" : "", rules->r[vd.hits[i].rule].id);
		for (size_t i = 0; i < nch; i++)
			if (cues->c[ch[i].rule].kind != CUE_CLOSED)
				buf_printf(&ids, "%s%s", ids.len ? ";" : "", cues->c[ch[i].rule].id);
		run_set(run, slot[S_CLASS_RULES], ids.s ? ids.s : "", ids.len);

		if (opt.explain) {
			if (vd.rule >= 0)
				say(&x, "category %s, subcategory %s, cause %s (score %g)", vd.category, vd.subcategory,
					*vd.cause ? vd.cause : "-", vd.score);
			else
				say(&x, "category other: no category rule scored above 0");
			for (size_t i = 0; i < vd.nhits; i++) {
				const cpl_catrule *cr = &rules->r[vd.hits[i].rule];
				say(&x, "rule %s (%s %+g) matched \"%s\" in %s at char %d", cr->id, cr->subcategory, cr->weight,
					quoted(&x, &v, L->rule_col[cr->field], &vd.hits[i]), field_name(1, cr->field), vd.hits[i].start + 1);
			}
			for (size_t i = 0; i < nch; i++) {
				const cpl_cue *c = &cues->c[ch[i].rule];
				if (c->kind == CUE_CLOSED)
					continue;
				const char *val = c->kind == CUE_URGENT ? urgent_type_names[c->value] :
					c->kind == CUE_COMPLAINANT ? complainant_names[c->value] :
					c->kind == CUE_EMOTION ? emotion_names[c->value] : "nonsense";
				say(&x, "cue %s (%s) matched \"%s\" in %s at char %d", c->id, val,
					quoted(&x, &v, L->cue_col[c->field], &ch[i]), field_name(0, c->field), ch[i].start + 1);
			}
			for (int i = 0; i < URG_NTYPES; i++) {
				int t = opt.order[i];
				if (urgent & (1u << t))
					say(&x, "urgent %s: %s", urgent_type_names[t], buf_str(&x.why[t]));
			}
			char dur[32];
			if (fd.harass)
				say(&x, "harassment: %ld cases from this customer with no real problem within %s",
					fd.harass_cases, duration(opt.harass_window, dur));
			say(&x, "%s, priority %d; complainant %s, emotion %s", urgent ? "urgent" : "normal", prio,
				complainant_names[complainant], emotion_names[emotion]);
		}
		run_emit(run);
	}
	free(f);
	free(cue.h);
	buf_free(&key);
	buf_free(&list);
	buf_free(&ids);
	verdict_free(&vd);
}

/* ------------------------------------------------------------ main */

static cpl_run *the_run;
static int run_find(void *ctx, const char *canonical) { return run_col(the_run, canonical); }

int main(int argc, char **argv)
{
	static const cpl_cmd cmd = {
		.name = "cplclassify",
		.usage = "[options] [FILE...]",
		.summary = "classify complaint cases: category, cause, urgency, complainant, emotion",
		.options = options,
		.on_option = on_option,
		.needs_input = 1,
	};
	cpl_set_prog(argv[0]);
	urgency_order_default(opt.order);
	int first = opts_parse(&cmd, argc, argv);

	rules = rules_load(opt.rules);
	for (size_t i = 0; i < opt.add_rules.n; i++)
		rules_extend(rules, opt.add_rules.v[i]);
	cues = cues_load(opt.cues);
	for (size_t i = 0; i < opt.add_cues.n; i++)
		cues_extend(cues, opt.add_cues.v[i]);
	levels = levels_load(opt.levels);
	if (opt.sensitive.n) {
		sensitive = hmap_new();
		for (size_t i = 0; i < opt.sensitive.n; i++)
			load_sensitive(opt.sensitive.v[i]);
	}
	split_key(opt.issue_key);
	rnorm = xcalloc(rules->nfields + 1, sizeof *rnorm);
	rlen = xcalloc(rules->nfields + 1, sizeof *rlen);
	cnorm = xcalloc(cues->nfields + 1, sizeof *cnorm);
	clen = xcalloc(cues->nfields + 1, sizeof *clen);
	if (opt.explain) {
		explain_out = stderr;
		if (opt.explain_file && !(explain_out = fopen(opt.explain_file, "w")))
			cpl_die(CPL_EXIT_IO, "cannot open '%s':", opt.explain_file);
	}

	/* Both passes must read the same bytes: a pipe is copied first. */
	static char *dash[] = {"-"};
	char **inputs = first < argc ? argv + first : dash;
	int ninputs = first < argc ? argc - first : 1;
	int64_t stdin_start = 0;
	for (int i = 0; i < ninputs; i++) {
		if (!strcmp(inputs[i], "-"))
			stdin_start = spool_stdin();
		else if (!spool_is_rereadable(inputs[i]) && access(inputs[i], R_OK) == 0)
			inputs[i] = spool_path(inputs[i]);
	}

	cpl_run *run = run_start(&cmd, argc, argv, first);
	the_run = run;
	layout L;
	layout_init(&L, run_ncols(run), run_find, NULL);
	if (L.col[C_TEXT] < 0)
		run_need_col(run, "text");
	int two_pass = L.col[C_CREATED] >= 0;
	if (two_pass) {
		cpl_window_opts wo = {
			.batch_window = opt.batch_window, .batch_more = opt.batch_ordinary,
			.batch_vip_more = opt.batch_vip, .repeat_months = opt.repeat_months,
			.repeat_secs = opt.repeat_secs, .harass_calls = opt.harass_calls,
			.harass_window = opt.harass_window,
		};
		window = window_new(&wo);
		for (size_t i = 0; i < opt.history.n; i++)
			load_history(opt.history.v[i]);
		spool = tmp_file();
		first_pass(&L, inputs, ninputs, stdin_start);
		window_sweep(window);
	} else if (opt.history.n) {
		cpl_warn("no created_at column: --history is not used (repeats need the time of each case)");
	}
	second_pass(run, &L, two_pass);
	if (explain_out && explain_out != stderr && fclose(explain_out) != 0)
		cpl_die(CPL_EXIT_IO, "write error: %s:", opt.explain_file);
	if (explain_out == stderr)
		fflush(stderr);
	return run_finish(run);
}
