/* cplphrase: a linter for the service script (话术).  Checks the agents'
 * replies against rule tables built from the seeds (禁言, better phrases,
 * required and conditional elements), scores them, lints plain text and
 * apology letters, and suggests what to say to a classified case. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cpl.h"

enum { O_COLUMN, O_LINT, O_FORMAT, O_TEXT, O_LETTER, O_SUGGEST, O_RULES, O_ADD_RULES,
	O_DISABLE, O_WEIGHTS, O_LETTER_PARTS, O_TEMPLATES, O_LIST_RULES };

static const cpl_option options[] = {
	[O_COLUMN] = {"column", 0, "NAME", "check this column instead of reply"},
	[O_LINT] = {"lint", 0, NULL, "write the findings, one a line, instead of records"},
	[O_FORMAT] = {"format", 0, "FMT", "findings as line (default), csv or json"},
	[O_TEXT] = {"text", 0, NULL, "lint plain text: each FILE (or stdin) one document"},
	[O_LETTER] = {"letter", 0, NULL, "check an apology letter's six parts, in order"},
	[O_SUGGEST] = {"suggest", 0, NULL, "add technique and suggested_reply to classified records"},
	[O_RULES] = {"rules", 0, "FILE", "rule table replacing the built-in one"},
	[O_ADD_RULES] = {"add-rules", 0, "FILE", "rule table added to the rules (repeatable)"},
	[O_DISABLE] = {"disable", 0, "RULE,...", "switch rules off, by id or kind"},
	[O_WEIGHTS] = {"weights", 0, "FILE", "points of the forbidden and substitution kinds"},
	[O_LETTER_PARTS] = {"letter-parts", 0, "FILE", "letter parts replacing the built-in ones"},
	[O_TEMPLATES] = {"templates", 0, "FILE", "suggest templates replacing the built-in ones"},
	[O_LIST_RULES] = {"list-rules", 0, NULL, "write the rules in effect as CSV and exit"},
	{0},
};

static struct {
	const char *column, *rules, *weights, *letter_parts, *templates;
	const char **add_rules;
	size_t nadd;
	cpl_buf disable;
	int lint, text, letter, suggest, list_rules, format, format_given;
} opt;

static void on_option(int idx, const char *arg)
{
	switch (idx) {
	case O_COLUMN: opt.column = arg; break;
	case O_LINT: opt.lint = 1; break;
	case O_FORMAT:
		opt.format = lint_format(arg);
		if (opt.format < 0)
			cpl_die(CPL_EXIT_USAGE, "--format: expected line, csv or json, got '%s'", arg);
		opt.format_given = 1;
		break;
	case O_TEXT: opt.text = 1; break;
	case O_LETTER: opt.letter = 1; break;
	case O_SUGGEST: opt.suggest = 1; break;
	case O_RULES: opt.rules = arg; break;
	case O_ADD_RULES:
		opt.add_rules = xrealloc(opt.add_rules, (opt.nadd + 1) * sizeof *opt.add_rules);
		opt.add_rules[opt.nadd++] = arg;
		break;
	case O_DISABLE:
		if (opt.disable.len)
			buf_addc(&opt.disable, ',');
		buf_adds(&opt.disable, arg);
		break;
	case O_WEIGHTS: opt.weights = arg; break;
	case O_LETTER_PARTS: opt.letter_parts = arg; break;
	case O_TEMPLATES: opt.templates = arg; break;
	case O_LIST_RULES: opt.list_rules = 1; break;
	}
}

static void check_flags(void)
{
	if (opt.lint && opt.text)
		cpl_die(CPL_EXIT_USAGE, "--lint and --text: choose one (--text reads plain text, --lint CSV records)");
	if (opt.suggest && (opt.lint || opt.text || opt.letter))
		cpl_die(CPL_EXIT_USAGE, "--suggest adds columns to records: it does not go with --lint, --text or --letter");
	if (opt.format_given && !opt.lint && !opt.text)
		cpl_die(CPL_EXIT_USAGE, "--format is for the findings of --lint or --text");
	if (opt.letter_parts && !opt.letter)
		cpl_die(CPL_EXIT_USAGE, "--letter-parts is for --letter");
	if (opt.templates && !opt.suggest)
		cpl_die(CPL_EXIT_USAGE, "--templates is for --suggest");
	if (opt.column && opt.text)
		cpl_die(CPL_EXIT_USAGE, "--column is for CSV records, not --text");
}

static phrase_set *load_rules(void)
{
	phrase_set *s = phrase_load(opt.rules);
	for (size_t i = 0; i < opt.nadd; i++)
		phrase_extend(s, opt.add_rules[i]);
	if (opt.weights)
		phrase_weights(s, opt.weights);
	if (opt.letter) {
		/* a letter is not a call: its parts replace the reply's elements */
		phrase_enable_kind(s, PHRASE_REQUIRED, 0);
		phrase_enable_kind(s, PHRASE_CONDITIONAL, 0);
		letter_load(s, opt.letter_parts);
	}
	const char *p = opt.disable.len ? buf_str(&opt.disable) : "";
	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char *name = xstrndup(p, n);
		if (*name && !phrase_disable(s, name))
			cpl_die(CPL_EXIT_USAGE, "--disable: no rule or kind '%s' (see --list-rules)", name);
		free(name);
		p += n + (e != NULL);
	}
	return s;
}

static int list_rules(phrase_set *s)
{
	signal(SIGPIPE, SIG_DFL);
	int fd = cpl_opt.output ? outfile_open(cpl_opt.output) : 1;
	cpl_writer *w = writer_open(fd, cpl_opt.output ? cpl_opt.output : "<stdout>", cpl_opt.out_delim, cpl_opt.excel);
	static const char *const head[] = {"id", "kind", "level", "scope", "weight", "enabled", "message", "suggestion", "source"};
	for (size_t i = 0; i < sizeof head / sizeof *head; i++)
		writer_fields(w, head[i]);
	writer_endrow(w);
	char tmp[4096];
	for (size_t i = 0; i < s->n; i++) {
		const phrase_rule *r = &s->rules[i];
		writer_fields(w, r->id);
		writer_fields(w, phrase_kind_name(r->kind));
		writer_fields(w, r->level == PHRASE_ERROR ? "error" : "warning");
		if (r->scope)
			snprintf(tmp, sizeof tmp, "%s:%d", r->scope > 0 ? "first" : "last", abs(r->scope));
		else
			snprintf(tmp, sizeof tmp, "all");
		writer_fields(w, tmp);
		snprintf(tmp, sizeof tmp, "%g", r->weight);
		writer_fields(w, tmp);
		writer_fields(w, r->enabled ? "1" : "0");
		writer_fields(w, r->message);
		writer_fields(w, r->suggestion);
		snprintf(tmp, sizeof tmp, "%s:%ld", r->file, r->line);
		writer_fields(w, tmp);
		writer_endrow(w);
	}
	writer_close(w);
	if (close(fd) != 0 && errno != EBADF)
		cpl_die(CPL_EXIT_IO, "write error: %s:", cpl_opt.output ? cpl_opt.output : "<stdout>");
	if (cpl_opt.output)
		outfile_commit();
	return CPL_EXIT_OK;
}

static size_t char_len(const unsigned char *p, const unsigned char *end)
{
	if (*p < 0x80)
		return 1;
	uint32_t cp;
	return (size_t)utf8_decode(p, (size_t)(end - p), &cp);
}

/* A place asked for in the original text: character index ci, found at
 * byte off, line and column (from 1). */
typedef struct place { long ci; size_t off; long line, col; size_t ask; } place;

static int by_ci(const void *a, const void *b)
{
	const place *x = a, *y = b;
	return x->ci < y->ci ? -1 : x->ci > y->ci;
}

static int by_ask(const void *a, const void *b)
{
	const place *x = a, *y = b;
	return x->ask < y->ask ? -1 : x->ask > y->ask;
}

/* Every place of pl[0..n) located in one walk over s, in order of ci (a
 * reply of thousands of findings is walked once, not once a finding). */
static void locate(const char *s, size_t len, place *pl, size_t n)
{
	qsort(pl, n, sizeof *pl, by_ci);
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	long ci = 0, ln = 1, c = 1;
	for (size_t k = 0; k < n; k++) {
		for (; ci < pl[k].ci && p < end; ci++) {
			if (*p == '\n')
				ln++, c = 1;
			else
				c++;
			p += char_len(p, end);
		}
		pl[k].off = (size_t)(p - (const unsigned char *)s);
		pl[k].line = ln;
		pl[k].col = c;
	}
	qsort(pl, n, sizeof *pl, by_ask);
}

/* Write the findings of one text: id names it; show_line for plain text. */
static void lint_findings(lint_out *lo, const phrase_result *res, const cpl_norm *norm,
	const char *s, size_t len, const char *id, long rec_line, int show_line)
{
	static place *pl;
	static size_t cap;
	if (!res->n)
		return;
	if (cap < 2 * res->n) {
		cap = 2 * res->n;
		pl = xrealloc(pl, cap * sizeof *pl);
	}
	for (size_t i = 0; i < res->n; i++) { /* its start, and one past its end */
		const phrase_finding *f = &res->f[i];
		pl[2 * i] = (place){.ci = norm->pos[f->start], .ask = 2 * i};
		pl[2 * i + 1] = (place){.ci = f->end > f->start ? norm->pos[f->end - 1] + 1 : norm->pos[f->start],
			.ask = 2 * i + 1};
	}
	locate(s, len, pl, 2 * res->n);
	for (size_t i = 0; i < res->n; i++) {
		const phrase_finding *f = &res->f[i];
		lint_item it = { .id = id, .finding = f, .show_line = show_line, .line = rec_line };
		const place *a = &pl[2 * i], *b = &pl[2 * i + 1];
		it.col = show_line ? a->col : norm->pos[f->start] + 1;
		if (show_line)
			it.line = a->line;
		if (f->end > f->start) {
			it.text = s + a->off;
			it.textlen = b->off - a->off;
		}
		lint_write(lo, &it);
	}
}

/* The ids of a result's findings: what was said, and what was missing. */
static void finding_ids(const phrase_result *res, int missing, cpl_buf *out)
{
	/* the rules listed so far, each once: few, however many findings */
	static const phrase_rule **listed;
	static size_t lcap;
	size_t nlisted = 0;
	buf_clear(out);
	for (size_t i = 0; i < res->n; i++) {
		const phrase_finding *f = &res->f[i];
		if (f->missing != missing)
			continue;
		int seen = 0;
		for (size_t j = 0; j < nlisted && !seen; j++)
			seen = listed[j] == f->rule;
		if (seen)
			continue;
		if (nlisted == lcap) {
			lcap = lcap ? 2 * lcap : 16;
			listed = xrealloc(listed, lcap * sizeof *listed);
		}
		listed[nlisted++] = f->rule;
		if (out->len)
			buf_addc(out, ';');
		buf_adds(out, f->rule->id);
	}
}

/* A number into an added column, without printf (three per record). */
static void set_int(cpl_run *run, int slot, int v)
{
	char b[16], *p = b + sizeof b;
	unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	run_set(run, slot, p, (size_t)(b + sizeof b - p));
}

/* A column by canonical name (aliases, --map) or by its exact header. */
static int find_col(cpl_run *run, const char *name)
{
	int c = run_col(run, name);
	for (size_t i = 0; c < 0 && i < run_ncols(run); i++)
		if (!strcmp(run_colname(run, i), name))
			c = (int)i;
	return c;
}

/* How much a run needs the reply column: --suggest can do without it, a
 * pipe passes a log without it through (as a record with an empty reply),
 * and --lint has nothing to do without it. */
enum { REPLY_OPTIONAL, REPLY_WANTED, REPLY_NEEDED };

static int reply_col(cpl_run *run, int need)
{
	if (!opt.column)
		return need == REPLY_NEEDED ? run_need_col(run, "reply")
			: need == REPLY_WANTED ? run_want_col(run, "reply", "the records pass through without the phrase columns")
			: run_col(run, "reply");
	int c = find_col(run, opt.column);
	if (c < 0 && run_ncols(run) > 0)
		run_no_col(run, "--column", opt.column);
	return c;
}

static int read_all(int fd, cpl_buf *b)
{
	char tmp[65536];
	for (;;) {
		ssize_t n = read(fd, tmp, sizeof tmp);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		buf_add(b, tmp, (size_t)n);
	}
}

static int text_mode(phrase_set *rules, int argc, char **argv, int first)
{
	signal(SIGPIPE, SIG_DFL);
	int fd = cpl_opt.output ? outfile_open(cpl_opt.output) : 1;
	cpl_writer *w = writer_open(fd, cpl_opt.output ? cpl_opt.output : "<stdout>", cpl_opt.out_delim, cpl_opt.excel);
	lint_out *lo = lint_open(w, opt.format);
	cpl_decoder *dec = decoder_open(cpl_opt.in.encoding);
	static char *dash[] = {"-"};
	char **files = first < argc ? argv + first : dash;
	int nfiles = first < argc ? argc - first : 1;
	cpl_buf raw = {0}, text = {0};
	cpl_norm norm = {0};
	phrase_result res = {0};
	int errors = 0, problems = 0;
	for (int i = 0; i < nfiles; i++) {
		int stdin_ = !strcmp(files[i], "-");
		const char *name = stdin_ ? "<stdin>" : files[i];
		int in = stdin_ ? 0 : open(files[i], O_RDONLY | O_CLOEXEC);
		if (in < 0)
			cpl_die(CPL_EXIT_IO, "cannot open '%s':", files[i]);
		buf_clear(&raw);
		if (read_all(in, &raw) < 0)
			cpl_die(CPL_EXIT_IO, "read error: %s:", name);
		if (!stdin_)
			close(in);
		const char *s = raw.s ? raw.s : "";
		size_t len = raw.len;
		if (dec) {
			long bad = 0;
			size_t inlen = len;
			buf_clear(&text);
			decoder_convert(dec, s, &inlen, 1, &text, &bad);
			s = text.s ? text.s : "";
			len = text.len;
			if (bad) {
				cpl_warn_at(name, 0, "%ld bytes are not %s: read as U+FFFD", bad, cpl_opt.in.encoding);
				problems++;
			}
		}
		if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
			s += 3, len -= 3;
		size_t bad_at;
		if (!dec && !utf8_valid(s, len, &bad_at)) {
			cpl_warn_at(name, 0, "invalid UTF-8 at byte %zu%s", bad_at,
				looks_like_gb18030(s, len) ? " (it looks like GB18030: try --encoding gb18030)" : "");
			problems++;
		}
		const char *t = phrase_prepare(&norm, s, len, 1);
		if (!norm.out.len)
			continue;
		phrase_check(rules, t, norm.out.len, &res);
		if (res.limit_hit) {
			cpl_warn_at(name, 0, "rule '%s': the pattern hit the match limit; the rule was skipped", res.limit_hit->id);
			problems++;
		}
		errors += res.errors;
		lint_findings(lo, &res, &norm, s, len, name, 0, 1);
	}
	lint_close(lo);
	writer_close(w);
	if (close(fd) != 0 && errno != EBADF)
		cpl_die(CPL_EXIT_IO, "write error: %s:", cpl_opt.output ? cpl_opt.output : "<stdout>");
	if (cpl_opt.output)
		outfile_commit();
	decoder_close(dec);
	buf_free(&raw);
	buf_free(&text);
	norm_free(&norm);
	phrase_result_free(&res);
	return problems ? CPL_EXIT_DATA : errors ? CPL_EXIT_FINDINGS : CPL_EXIT_OK;
}

int main(int argc, char **argv)
{
	static const cpl_cmd cmd = {
		.name = "cplphrase",
		.usage = "[options] [FILE...]",
		.summary = "check agents' replies against the service script (话术), or suggest one",
		.options = options,
		.on_option = on_option,
		.needs_input = 0,
	};
	cpl_set_prog(argv[0]);
	int first = opts_parse(&cmd, argc, argv);
	check_flags();
	phrase_set *rules = load_rules();
	suggest_set *sug = opt.suggest ? suggest_load(opt.templates) : NULL;
	if (opt.list_rules || opt.text) {
		int rc = opt.list_rules ? list_rules(rules) : text_mode(rules, argc, argv, first);
		suggest_free(sug);
		phrase_set_free(rules);
		return rc;
	}

	cpl_run *run = run_start(&cmd, argc, argv, first);
	int col = reply_col(run, opt.lint ? REPLY_NEEDED : opt.suggest ? REPLY_OPTIONAL : REPLY_WANTED);
	int id_col = run_col(run, "case_id");
	lint_out *lo = opt.lint ? lint_open(run_writer(run), opt.format) : NULL;
	int s_score = -1, s_err = -1, s_warn = -1, s_find = -1, s_miss = -1, s_tech = -1, s_sugg = -1;
	if (!opt.lint && col >= 0) {
		s_score = run_add_col(run, "phrase_score");
		s_err = run_add_col(run, "phrase_errors");
		s_warn = run_add_col(run, "phrase_warnings");
		s_find = run_add_col(run, "phrase_findings");
		s_miss = run_add_col(run, "phrase_missing");
	}
	int *fcols = NULL;
	const char **fvals = NULL;
	size_t *flens = NULL, nf = 0;
	if (sug) {
		static const char *const classes[] = {"emotion", "complainant_type", "category", "subcategory"};
		int classified = 0;
		for (size_t i = 0; i < 4; i++)
			classified |= run_col(run, classes[i]) >= 0;
		if (!classified && run_ncols(run) > 0)
			cpl_die(CPL_EXIT_USAGE, "--suggest needs classified records (emotion, complainant_type, category, "
				"subcategory): run cplclassify first");
		nf = suggest_nfields(sug);
		fcols = xcalloc(nf + 1, sizeof *fcols);
		fvals = xcalloc(nf + 1, sizeof *fvals);
		flens = xcalloc(nf + 1, sizeof *flens);
		for (size_t i = 0; i < nf; i++)
			fcols[i] = find_col(run, suggest_field(sug, i));
		s_tech = run_add_col(run, "technique");
		s_sugg = run_add_col(run, "suggested_reply");
	}

	cpl_norm norm = {0};
	phrase_result res = {0};
	cpl_buf ids = {0}, idbuf = {0}, tech = {0}, reply = {0};
	long errors = 0;
	while (run_next(run)) {
		size_t len = 0;
		const char *s = run_field(run, col, &len);
		const char *t = col >= 0 ? phrase_prepare(&norm, s, len, opt.lint) : "";
		if (col >= 0 && norm.out.len) {
			phrase_check(rules, t, norm.out.len, &res);
			if (res.limit_hit)
				run_problem(run, "rule '%s': the pattern hit the match limit on this text; the rule was skipped",
					res.limit_hit->id);
			errors += res.errors;
			if (lo) {
				size_t idlen = 0;
				const char *id = run_field(run, id_col, &idlen);
				buf_clear(&idbuf);
				if (idlen)
					buf_add(&idbuf, id, idlen);
				else
					buf_printf(&idbuf, "%s:%ld", run_file(run), run_line(run));
				lint_findings(lo, &res, &norm, s, len, buf_str(&idbuf), run_line(run), 0);
			} else {
				set_int(run, s_score, res.score);
				set_int(run, s_err, res.errors);
				set_int(run, s_warn, res.warnings);
				finding_ids(&res, 0, &ids);
				run_set(run, s_find, ids.s ? ids.s : "", ids.len);
				finding_ids(&res, 1, &ids);
				run_set(run, s_miss, ids.s ? ids.s : "", ids.len);
			}
		}
		if (sug) {
			for (size_t i = 0; i < nf; i++)
				fvals[i] = run_field(run, fcols[i], &flens[i]);
			suggest_make(sug, fvals, flens, &tech, &reply);
			run_set(run, s_tech, tech.s, tech.len);
			run_set(run, s_sugg, reply.s, reply.len);
		}
		run_emit(run);
	}
	if (lo)
		lint_close(lo);
	int rc = run_finish(run);
	norm_free(&norm);
	phrase_result_free(&res);
	buf_free(&ids);
	buf_free(&idbuf);
	buf_free(&tech);
	buf_free(&reply);
	free(fcols);
	free(fvals);
	free(flens);
	suggest_free(sug);
	phrase_set_free(rules);
	if (rc == CPL_EXIT_OK && opt.lint && errors)
		rc = CPL_EXIT_FINDINGS;
	return rc;
}
