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
 * with memory bounded by the windows; lib/run.c keeps the records as read in
 * a temporary file.  The second pass takes them from there (no CSV to parse
 * again, and a pipe needs no copy) and writes each record with its spooled
 * matches and its findings.  Without
 * created_at there is nothing to sweep and one pass does it all.
 *
 * The work is in lib/: caseread.c (one case), classpass.c (the first pass,
 * --history), classout.c (the added columns, --explain). */
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
	int issue_key_given;
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
	case O_ISSUE_KEY: opt.issue_key = arg; opt.issue_key_given = 1; break;
	case O_PRIORITY: urgency_order_parse(arg, opt.order); break;
	case O_EXPLAIN:
		opt.explain = 1;
		opt.explain_file = arg && *arg && strcmp(arg, "-") ? arg : NULL;
		break;
	}
}

/* ------------------------------------------------------------ main */

static int run_find(void *run, const char *canonical) { return run_col(run, canonical); }

/* The second pass: each record with its matches (spooled by the first
 * pass) and the sweep's findings; annex_case takes them in order, in the
 * reading thread, and each_case writes the record in a worker's view. */
typedef struct second {
	cpl_classifier *k;
	cpl_spoolin in;
	uint64_t recno;
} second;

typedef struct poster {
	cpl_classifier *k, kv;
	cpl_caselayout *L, Lv;
	cpl_classout *out;
	cpl_verdict vd;
	cpl_cuehits cue;
	cpl_field *f;
} poster;

static void annex_case(void *ctx, cpl_buf *out)
{
	second *s = ctx;
	uint64_t recno = ++s->recno;
	cpl_case_findings fd;
	window_findings(s->k->window, recno, &fd);
	const char *of = fd.repeat_of;
	fd.repeat_of = NULL;
	buf_add(out, &recno, sizeof recno);
	buf_add(out, &fd, sizeof fd);
	if (fd.repeat) { /* NUL-ended, as the sweep gives it */
		buf_add(out, of, fd.repeat_of_len);
		buf_addc(out, 0);
	}
	classify_copy(&s->in, out);
}

static void each_case(void *wctx, cpl_run *run, const char *an, size_t len)
{
	poster *m = wctx;
	uint64_t recno;
	cpl_case_findings fd;
	memcpy(&recno, an, sizeof recno);
	an += sizeof recno;
	memcpy(&fd, an, sizeof fd);
	an += sizeof fd;
	if (fd.repeat) {
		fd.repeat_of = an;
		an += fd.repeat_of_len + 1;
	}
	for (size_t i = 0; i < m->L->ncols; i++)
		m->f[i].s = run_field(run, (int)i, &m->f[i].len);
	cpl_caseview v = {m->f, m->L->ncols, run_file(run), run_line(run), recno};
	caselayout_next(m->L);
	int bad = classify_take(&an, &m->vd, &m->cue);
	rules_decide(m->k->rules, &m->vd);
	classout_case(m->out, m->L, &v, &m->vd, &m->cue, bad, &fd);
	run_emit(run);
}

/* On every processor (run_postpass), unless there is one, or --explain
 * writes the cases' reasons in order as it goes. */
static void second_pass_spooled(cpl_classifier *k, cpl_run *run, cpl_caselayout *L, FILE *spool,
	cpl_classout *out)
{
	second s = {.k = k};
	spoolin_open(&s.in, spool);
	int nw = opt.explain ? 1 : run_workers(run);
	poster *m = xcalloc((size_t)nw, sizeof *m);
	cpl_run **views = xcalloc((size_t)nw, sizeof *views);
	void **wctx = xcalloc((size_t)nw, sizeof *wctx);
	for (int i = 0; i < nw; i++) {
		classifier_worker(k, L, i, &m[i].kv, &m[i].Lv, &m[i].k, &m[i].L);
		views[i] = nw > 1 ? run_view(run) : run;
		m[i].out = nw > 1 ? classout_view(out, m[i].k, views[i]) : out;
		m[i].f = xcalloc(L->ncols + 1, sizeof *m[i].f);
		wctx[i] = &m[i];
	}
	if (nw > 1) {
		run_post ps = {.nworkers = nw, .views = views, .wctx = wctx, .annex = annex_case, .ctx = &s,
			.each = each_case};
		run_postpass(run, &ps);
	} else {
		cpl_buf an = {0};
		while (run_next(run)) {
			buf_clear(&an);
			annex_case(&s, &an);
			each_case(&m[0], run, an.s, an.len);
		}
		buf_free(&an);
	}
	for (int i = 0; i < nw; i++) {
		if (nw > 1) {
			classout_free(m[i].out);
			run_view_free(run, views[i]);
		}
		if (i)
			classifier_share_free(&m[i].kv, &m[i].Lv);
		free(m[i].f);
		free(m[i].cue.h);
		verdict_free(&m[i].vd);
	}
	free(m);
	free(views);
	free(wctx);
	spoolin_close(&s.in);
}

/* The second pass; without a created_at column there is no first pass,
 * and this one matches each record as it is read. */
static void second_pass(cpl_classifier *k, cpl_run *run, cpl_caselayout *L, FILE *spool, cpl_classout *out)
{
	if (spool) {
		second_pass_spooled(k, run, L, spool, out);
		return;
	}
	cpl_verdict vd = {0};
	cpl_cuehits cue = {0};
	cpl_field *f = xcalloc(L->ncols + 1, sizeof *f);
	uint64_t recno = 0;
	while (run_next(run)) {
		for (size_t i = 0; i < L->ncols; i++)
			f[i].s = run_field(run, (int)i, &f[i].len);
		cpl_caseview v = {f, L->ncols, run_file(run), run_line(run), ++recno};
		caselayout_next(L);
		case_categorize(k, L, &v, &vd);
		case_cues(k, L, &v, CASE_ALL_CUES, &cue);
		int bad = case_bad_times(L, &v);
		cpl_case_findings fd = {0};
		classout_case(out, L, &v, &vd, &cue, bad, &fd);
		run_emit(run);
	}
	free(f);
	free(cue.h);
	verdict_free(&vd);
}

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

	/* the tables live as long as the process (static: reachable at exit) */
	static cpl_classifier k;
	k.rules = rules_load(opt.rules);
	for (size_t i = 0; i < opt.add_rules.n; i++)
		rules_extend(k.rules, opt.add_rules.v[i]);
	k.cues = cues_load(opt.cues);
	for (size_t i = 0; i < opt.add_cues.n; i++)
		cues_extend(k.cues, opt.add_cues.v[i]);
	k.levels = levels_load(opt.levels);
	if (opt.sensitive.n) {
		k.sensitive = hmap_new();
		for (size_t i = 0; i < opt.sensitive.n; i++)
			customer_list_load(k.sensitive, opt.sensitive.v[i]);
	}
	k.want_pos = opt.explain;
	classifier_setup(&k, opt.issue_key);
	FILE *explain_out = NULL;
	if (opt.explain) {
		explain_out = stderr;
		if (opt.explain_file && !(explain_out = fopen(opt.explain_file, "w")))
			cpl_die(CPL_EXIT_IO, "cannot open '%s':", opt.explain_file);
	}

	cpl_run *run = run_start(&cmd, argc, argv, first);
	cpl_caselayout L;
	caselayout_init(&k, &L, run_ncols(run), run_find, run);
	for (size_t i = 0; i < k.nkey_parts && run_ncols(run) && opt.issue_key_given; i++)
		if (L.key_col[i] == -1) /* a name mistyped, most likely: said, not silently empty */
			cpl_warn("--issue-key: the input has no '%s' column: that part of every issue_key is empty",
				k.key_parts[i]);
	if (L.col[CASE_TEXT] < 0)
		run_need_col(run, "text");
	FILE *spool = NULL;
	char *spool_buf = NULL;
	if (L.col[CASE_CREATED] >= 0) {
		cpl_window_opts wo = {
			.batch_window = opt.batch_window, .batch_more = opt.batch_ordinary,
			.batch_vip_more = opt.batch_vip, .repeat_months = opt.repeat_months,
			.repeat_secs = opt.repeat_secs, .harass_calls = opt.harass_calls,
			.harass_window = opt.harass_window,
		};
		k.window = window_new(&wo);
		for (size_t i = 0; i < opt.history.n; i++)
			classify_history(&k, opt.history.v[i]);
		spool = classify_first_pass(&k, run, &L, &spool_buf);
		window_sweep(k.window);
	} else if (opt.history.n) {
		cpl_warn("no created_at column: --history is not used (repeats need the time of each case)");
	}
	cpl_classout_opts oo = {
		.explain = explain_out, .order = opt.order,
		.batch_window = opt.batch_window, .harass_window = opt.harass_window,
	};
	cpl_classout *out = classout_new(&k, run, &oo);
	second_pass(&k, run, &L, spool, out);
	classout_free(out);
	tmp_file_close(spool, spool_buf);
	if (explain_out && explain_out != stderr && fclose(explain_out) != 0)
		cpl_die(CPL_EXIT_IO, "write error: %s:", opt.explain_file);
	if (explain_out == stderr)
		fflush(stderr);
	int rc = run_finish(run);
	caselayout_free(&L);
	return rc;
}
