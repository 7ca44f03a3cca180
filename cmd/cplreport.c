/* cplreport: the report of a period over classified (and optionally
 * deadlined and phrase-checked) complaint records, in text, Markdown, HTML,
 * JSON or CSV; ad-hoc count tables (--by); and partial states that merge
 * into exactly the single run's report (--partial, --merge). */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "report.h"

enum { O_DAY, O_FROM, O_TO, O_NOW, O_FORMAT, O_LANG, O_TOP, O_BY, O_CASES, O_NO_MASK,
	O_LABELS, O_PARTIAL, O_MERGE };

static const cpl_option options[] = {
	[O_DAY]     = {"day", 0, "DATE", "report one day: YYYY-MM-DD, yesterday or today (see --now)"},
	[O_FROM]    = {"from", 0, "DATE", "first day (or time) of the period"},
	[O_TO]      = {"to", 0, "DATE", "last day (or time) of the period, inclusive"},
	[O_NOW]     = {"now", 0, "TIME", "what yesterday and today are relative to (default: the clock)"},
	[O_FORMAT]  = {"format", 'f', "FMT", "text (default), md, html, json or csv"},
	[O_LANG]    = {"lang", 0, "LANG", "labels in zh or en (default: from LANG)"},
	[O_TOP]     = {"top", 0, "N", "rows of each ranked table (default 10; --by: all)"},
	[O_BY]      = {"by", 0, "COL,...", "only a count table grouped by these columns"},
	[O_CASES]   = {"cases", 0, "N", "overdue and at-risk cases listed, oldest first (default 20)"},
	[O_NO_MASK] = {"no-mask", 0, NULL, "show customer and ID-card numbers unmasked"},
	[O_LABELS]  = {"labels", 0, "FILE", "labels replacing those of the built-in report-labels.csv"},
	[O_PARTIAL] = {"partial", 0, NULL, "write the aggregation state instead of the report"},
	[O_MERGE]   = {"merge", 0, NULL, "the FILEs are states from --partial: merge them"},
	{0},
};

static struct {
	const char *day, *from, *to, *now, *by, *labels;
	const char *format, *lang;
	long top, cases;
	int top_set, cases_set, no_mask, partial, merge;
} opt = {.format = "text", .top = 10, .cases = REPORT_CASES_DEFAULT};

static void on_option(int idx, const char *arg)
{
	switch (idx) {
	case O_DAY: opt.day = arg; break;
	case O_FROM: opt.from = arg; break;
	case O_TO: opt.to = arg; break;
	case O_NOW: opt.now = arg; break;
	case O_FORMAT:
		if (strcmp(arg, "text") && strcmp(arg, "md") && strcmp(arg, "html") && strcmp(arg, "json") && strcmp(arg, "csv"))
			cpl_die(CPL_EXIT_USAGE, "--format: expected text, md, html, json or csv, got '%s'", arg);
		opt.format = arg;
		break;
	case O_LANG:
		if (strcmp(arg, "zh") && strcmp(arg, "en"))
			cpl_die(CPL_EXIT_USAGE, "--lang: expected zh or en, got '%s'", arg);
		opt.lang = arg;
		break;
	case O_TOP: opt.top = opt_long("top", arg, 1, 1000000); opt.top_set = 1; break;
	case O_BY: opt.by = arg; break;
	case O_CASES: opt.cases = opt_long("cases", arg, 0, REPORT_CASES_MAX); opt.cases_set = 1; break;
	case O_NO_MASK: opt.no_mask = 1; break;
	case O_LABELS: opt.labels = arg; break;
	case O_PARTIAL: opt.partial = 1; break;
	case O_MERGE: opt.merge = 1; break;
	}
}

/* zh when the first locale variable that names a language names Chinese */
static const char *default_lang(void)
{
	static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	for (int i = 0; i < 3; i++) {
		const char *v = getenv(vars[i]);
		if (!v || !*v || !strcmp(v, "C") || !strcmp(v, "POSIX") || !strncmp(v, "C.", 2))
			continue;
		return !strncmp(v, "zh", 2) ? "zh" : "en";
	}
	return "en";
}

/* ---- the period ---- */

static int64_t now_time(void)
{
	if (!opt.now)
		return time_now();
	int64_t t = time_parse(opt.now, strlen(opt.now), NULL);
	if (t == CPL_NOTIME)
		cpl_die(CPL_EXIT_USAGE, "--now: not a time: '%s'", opt.now);
	return t;
}

static int64_t midnight_after(int64_t t, int days)
{
	int y, mo, d;
	time_to_local(t, &y, &mo, &d, NULL, NULL, NULL, NULL);
	civil_from_days(days_from_civil(y, mo, d) + days, &y, &mo, &d);
	return time_from_local(y, mo, d, 0, 0, 0);
}

/* A date (yesterday, today, or any shape time_parse reads) as the start of
 * its day; *timed says the argument named a time of day too. */
static int64_t parse_date(const char *flag, const char *arg, int *timed)
{
	*timed = 0;
	if (!strcmp(arg, "today") || !strcmp(arg, "今天"))
		return midnight_after(now_time(), 0);
	if (!strcmp(arg, "yesterday") || !strcmp(arg, "昨天"))
		return midnight_after(now_time(), -1);
	int64_t t = time_parse(arg, strlen(arg), NULL);
	if (t == CPL_NOTIME)
		cpl_die(CPL_EXIT_USAGE, "--%s: expected YYYY-MM-DD, yesterday or today, got '%s'", flag, arg);
	*timed = strpbrk(arg, ":T") || strstr(arg, "时") || strstr(arg, "点");
	return *timed ? t : midnight_after(t, 0);
}

static void set_period(report *r)
{
	int timed;
	if (opt.day && (opt.from || opt.to))
		cpl_die(CPL_EXIT_USAGE, "--day and --from/--to: give one or the other");
	if (opt.day) {
		r->from = parse_date("day", opt.day, &timed);
		if (timed) /* it would count from that time to midnight, as a day */
			cpl_die(CPL_EXIT_USAGE, "--day '%s': a date, not a time (--from and --to take times)", opt.day);
		r->to = midnight_after(r->from, 1);
	}
	if (opt.from)
		r->from = parse_date("from", opt.from, &timed);
	if (opt.to) {
		r->to = parse_date("to", opt.to, &timed);
		r->to = timed ? r->to + 1 : midnight_after(r->to, 1);
	}
	if (r->from != CPL_NOTIME && r->to != CPL_NOTIME && r->from >= r->to)
		cpl_die(CPL_EXIT_USAGE, "--from/--to: the period ends before it begins");
	r->has_period = opt.day || opt.from || opt.to;
	if (r->from != CPL_NOTIME && r->to != CPL_NOTIME)
		r->prev_from = r->from - (r->to - r->from);
}

/* --merge: options that decide what was counted must agree with the states */
static void check_merge_settings(report *acc)
{
	if (opt.day || opt.from || opt.to) {
		report *want = report_new();
		set_period(want);
		if (want->from != acc->from || want->to != acc->to)
			cpl_die(CPL_EXIT_USAGE, "--merge: the states were counted for another period than the one asked for");
		report_free(want);
	}
	if (opt.by && (!acc->by || strcmp(opt.by, acc->by)))
		cpl_die(CPL_EXIT_USAGE, "--merge: the states were counted with --by '%s', not '%s'", acc->by ? acc->by : "", opt.by);
	if (!opt.by && acc->by && !opt.partial)
		opt.by = acc->by;
	if (opt.cases_set && opt.cases != acc->cases_max)
		cpl_die(CPL_EXIT_USAGE, "--merge: the states were counted with --cases %d, not %ld", acc->cases_max, opt.cases);
}

/* ---- writing ---- */

static void write_out(report *r, cpl_writer *w)
{
	if (opt.partial) {
		report_state_write(r, w);
		return;
	}
	int64_t first, last;
	if (report_empty_period(r, &first, &last)) { /* a wrong --day, or a stale export: say so, cron mails it */
		char a[20], b[20];
		cpl_warn("no case in the period: the input's cases run from %s to %s", time_format(first, a),
			time_format(last, b));
	}
	report_view v = {
		.lang = opt.lang ? opt.lang : default_lang(),
		.labels = opt.labels,
		.top = r->by ? (opt.top_set ? opt.top : 0) : opt.top,
		.mask = !opt.no_mask,
		.now = opt.now ? now_time() : CPL_NOTIME,
	};
	if (!strcmp(opt.format, "json")) {
		report_write_json(r, &v, w);
		return;
	}
	rdoc *d = r->by ? report_by_doc(r, &v) : report_doc(r, &v);
	switch (opt.format[0]) {
	case 't': report_write_text(d, w); break;
	case 'm': report_write_md(d, w); break;
	case 'h': report_write_html(d, w); break;
	case 'c': report_write_csv(d, w); break;
	}
	report_doc_free(d);
}

static int merge(int argc, char **argv, int first)
{
	signal(SIGPIPE, SIG_DFL);
	report *acc = NULL;
	if (first >= argc)
		report_state_read(&acc, "-");
	for (int i = first; i < argc; i++)
		report_state_read(&acc, argv[i]);
	if (!cpl_opt.tz && acc->tz)
		time_set_zone(acc->tz); /* the states' days, unless --tz says otherwise */
	check_merge_settings(acc);
	int fd = cpl_opt.output ? outfile_open(cpl_opt.output) : 1;
	const char *name = cpl_opt.output ? cpl_opt.output : "<stdout>";
	cpl_writer *w = writer_open(fd, name, cpl_opt.out_delim, cpl_opt.excel);
	write_out(acc, w);
	writer_close(w);
	if (close(fd) != 0)
		cpl_die(CPL_EXIT_IO, "write error: %s:", name);
	if (cpl_opt.output)
		outfile_commit();
	report_free(acc);
	return CPL_EXIT_OK;
}

/* The record loop, on two threads where there are two processors: the
 * reading thread parses the CSV, and the columns the report reads are
 * copied out (pack, in any thread) and counted in record order (count).
 * Counting is what cannot be shared; it overlaps the parsing. */
typedef struct layout {
	struct { int rc, idx; } have[RC_COUNT]; /* the columns the log has */
	int nhave;
	int bycol[16];
	size_t nby;
} layout;

typedef struct counting {
	report *r;
	cpl_run *run;
	const layout *lay;
	report_fields f;
} counting;

static void put_field(cpl_buf *out, const cpl_field *f)
{
	uint32_t len = (uint32_t)f->len; /* the record layer refuses fields of 4 GB */
	buf_add(out, &len, sizeof len);
	buf_add(out, f->s, f->len);
	buf_addc(out, 0);
}

static void pack(void *wctx, const cpl_record *rec, const cpl_field *f, size_t n, cpl_buf *out)
{
	const layout *lay = wctx;
	(void)rec;
	(void)n;
	for (int k = 0; k < lay->nhave; k++)
		put_field(out, &f[lay->have[k].idx]);
	for (size_t i = 0; i < lay->nby; i++)
		put_field(out, &f[lay->bycol[i]]);
}

static const char *take_field(const char **p, size_t *len)
{
	uint32_t n;
	memcpy(&n, *p, sizeof n);
	const char *s = *p + sizeof n;
	*p = s + n + 1;
	*len = n;
	return s;
}

static void count(void *ctx, const char *out, size_t len)
{
	counting *c = ctx;
	const layout *lay = c->lay;
	(void)len;
	for (int k = 0; k < lay->nhave; k++) {
		int rc = lay->have[k].rc;
		c->f.s[rc] = take_field(&out, &c->f.len[rc]);
	}
	for (size_t i = 0; i < lay->nby; i++)
		c->f.by[i] = take_field(&out, &c->f.bylen[i]);
	const char *problem = report_add(c->r, &c->f);
	if (problem)
		run_problem(c->run, "%s", problem);
}

int main(int argc, char **argv)
{
	static const cpl_cmd cmd = {
		.name = "cplreport",
		.usage = "[options] [FILE...]  |  --merge [options] [STATE...]",
		.summary = "write the complaint report of a period, a count table, or a partial state",
		.options = options,
		.on_option = on_option,
		.needs_input = 1,
	};
	cpl_set_prog(argv[0]);
	int first = opts_parse(&cmd, argc, argv);
	if (opt.labels && !opt.partial) /* refused before a long input is read, not after */
		report_labels_load(&(report_view){.labels = opt.labels});
	if (opt.merge)
		return merge(argc, argv, first);

	report *r = report_new();
	set_period(r);
	r->cases_max = (int)opt.cases;
	const char *tz = getenv("TZ"); /* as time_set_zone() left it */
	r->tz = tz && *tz ? xstrdup(tz) : NULL;
	cpl_run *run = run_start(&cmd, argc, argv, first);
	cpl_writer *w = run_writer(run);
	int col[RC_COUNT];
	for (int c = 0; c < RC_COUNT; c++) {
		col[c] = run_col(run, report_colnames[c]);
		if (col[c] >= 0)
			r->cols |= (uint64_t)1 << c;
	}
	r->empty = run_ncols(run) == 0;
	if (r->has_period && !RHAS(r, RC_CREATED) && !r->empty)
		run_need_col(run, "created_at");
	layout lay = {.nhave = 0};
	if (opt.by) {
		char *names = xstrdup(opt.by);
		for (char *p = strtok(names, ","); p; p = strtok(NULL, ",")) {
			if (lay.nby == 16)
				cpl_die(CPL_EXIT_USAGE, "--by: at most 16 columns");
			lay.bycol[lay.nby++] = run_need_col(run, p);
		}
		if (!lay.nby)
			cpl_die(CPL_EXIT_USAGE, "--by: name at least one column");
		free(names);
		r->by = xstrdup(opt.by);
	}
	/* the columns the log has, listed once: the absent ones stay NULL */
	for (int c = 0; c < RC_COUNT; c++)
		if (col[c] >= 0)
			lay.have[lay.nhave].rc = c, lay.have[lay.nhave++].idx = col[c];
	counting cs = {.r = r, .run = run, .lay = &lay, .f = {.nby = lay.nby}};
	void *wctx[2] = {&lay, &lay};
	int nw = run_workers(run);
	run_stage st = {.nworkers = nw < 2 ? nw : 2, .wctx = wctx, .match = pack, .commit = count, .ctx = &cs,
		.once = 1, .match_in_reader = 1};
	run_prepass(run, &st);
	write_out(r, w);
	report_free(r);
	return run_finish(run);
}
