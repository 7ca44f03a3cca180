/* report_state.c: --partial and --merge: the state as CSV (magic row,
 * settings, counter rows, listed cases, end row), several states to a file,
 * folded together only when they were counted with the same settings. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "report.h"

#define MAGIC "cplreport-state"
#define VERSION "1"

/* Our own minimal quoting, whatever -D says: a state is always ','-separated. */
static void field(cpl_writer *w, int first, const char *s, size_t len)
{
	if (!first)
		writer_lit(w, ",");
	if (!csv_needs_quote(s, len, ',')) {
		writer_raw(w, s, len);
		return;
	}
	writer_lit(w, "\"");
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			writer_lit(w, "\"");
		writer_raw(w, s + i, 1);
	}
	writer_lit(w, "\"");
}

static void fields(cpl_writer *w, int first, const char *s) { field(w, first, s, strlen(s)); }

static void num(cpl_writer *w, int64_t v)
{
	if (v == CPL_NOTIME)
		writer_lit(w, ",");
	else
		writer_rawf(w, ",%lld", (long long)v);
}

static void cols_string(const report *r, cpl_buf *b)
{
	buf_clear(b);
	for (int c = 0; c < RC_COUNT; c++)
		if (RHAS(r, c)) {
			if (b->len)
				buf_addc(b, ';');
			buf_adds(b, report_colnames[c]);
		}
}

void report_state_write(const report *r, cpl_writer *w)
{
	fields(w, 1, MAGIC);
	fields(w, 0, VERSION);
	writer_lit(w, "\n");
	fields(w, 1, "S");
	fields(w, 0, "period");
	num(w, r->from);
	num(w, r->to);
	num(w, r->prev_from);
	writer_rawf(w, ",%d\n", r->has_period);
	fields(w, 1, "S");
	fields(w, 0, "by");
	fields(w, 0, r->by ? r->by : "");
	writer_lit(w, "\n");
	writer_rawf(w, "S,cases,%d\n", r->cases_max);
	fields(w, 1, "S");
	fields(w, 0, "tz");
	fields(w, 0, r->tz ? r->tz : "");
	writer_lit(w, "\n");
	cpl_buf cols = {0};
	cols_string(r, &cols);
	fields(w, 1, "S");
	fields(w, 0, "cols");
	fields(w, 0, buf_str(&cols));
	writer_rawf(w, ",%d\n", r->empty);
	buf_free(&cols);
	for (int i = 0; i < RM_COUNT; i++) {
		const rmap *m = r->m[i];
		rmap_entry **e = rmap_sorted(m, -1);
		for (size_t k = 0; k < m->n; k++) {
			fields(w, 1, "M");
			fields(w, 0, report_mapnames[i]);
			field(w, 0, e[k]->key, e[k]->keylen);
			const int64_t *v = rmap_vals(m, e[k]);
			for (int s = 0; s < m->nslots; s++)
				writer_rawf(w, ",%lld", (long long)v[s]);
			writer_lit(w, "\n");
		}
		free(e);
	}
	for (int l = 0; l < LIST_COUNT; l++)
		for (size_t i = 0; i < r->nlist[l]; i++) {
			const rcase *c = &r->list[l][i];
			writer_rawf(w, "L,%s,%lld", l == LIST_OVERDUE ? "overdue" : "at_risk", (long long)c->created);
			for (int k = 0; k < L_COUNT; k++)
				fields(w, 0, c->f[k]);
			writer_lit(w, "\n");
		}
	writer_lit(w, "E\n");
}

/* ---- reading ---- */

typedef struct reading {
	const char *file;
	long line;
	report *cur;      /* settings of the state being read */
	int settled;      /* its settings were checked against the total */
	int in_state;
	long state_line;  /* where the state being read starts */
} reading;

static _Noreturn void bad(const reading *rd, const char *fmt, const char *arg)
{
	cpl_die_at(CPL_EXIT_USAGE, rd->file, rd->line, fmt, arg);
}

static int64_t parse_num(const reading *rd, const cpl_field *f, int empty_ok)
{
	if (f->len == 0 && empty_ok)
		return CPL_NOTIME;
	char *e;
	errno = 0;
	long long v = strtoll(f->s, &e, 10);
	if (f->len == 0 || *e || errno)
		bad(rd, "not a cplreport state: '%s' is not a number", f->s);
	return v;
}

static uint64_t parse_cols(const reading *rd, const char *s)
{
	uint64_t bits = 0;
	while (*s) {
		const char *e = strchr(s, ';');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		int found = -1;
		for (int c = 0; c < RC_COUNT; c++)
			if (strlen(report_colnames[c]) == n && !memcmp(report_colnames[c], s, n))
				found = c;
		if (found < 0)
			bad(rd, "not a cplreport state: unknown column '%s'", s);
		bits |= (uint64_t)1 << found;
		s += n + (e != NULL);
	}
	return bits;
}

static int same_str(const char *a, const char *b) { return !strcmp(a ? a : "", b ? b : ""); }

/* The first row after the settings: compare them with the total's. */
static void settle(reading *rd, report **acc)
{
	if (rd->settled)
		return;
	rd->settled = 1;
	long row = rd->line;
	rd->line = rd->state_line; /* a mismatch is the state's, not a row's */
	report *c = rd->cur;
	if (!*acc) {
		report *a = report_new();
		a->from = c->from;
		a->to = c->to;
		a->prev_from = c->prev_from;
		a->has_period = c->has_period;
		a->by = c->by ? xstrdup(c->by) : NULL;
		a->tz = c->tz ? xstrdup(c->tz) : NULL;
		a->cases_max = c->cases_max;
		a->cols = c->cols;
		a->empty = c->empty;
		*acc = a;
		rd->line = row;
		return;
	}
	report *a = *acc;
	if (a->from != c->from || a->to != c->to || a->prev_from != c->prev_from || a->has_period != c->has_period)
		bad(rd, "this state was counted for another period than the first state%s", "");
	if (!same_str(a->by, c->by))
		bad(rd, "this state was counted with --by '%s', unlike the first state", c->by ? c->by : "");
	if (a->cases_max != c->cases_max)
		bad(rd, "this state was counted with another --cases than the first state%s", "");
	if (!same_str(a->tz, c->tz))
		bad(rd, "this state was counted in the time zone '%s', unlike the first state", c->tz ? c->tz : "");
	if (a->empty) {
		a->cols = c->cols;
		a->empty = c->empty;
	} else if (!c->empty && a->cols != c->cols) {
		bad(rd, "this state was counted from input with other columns than the first state%s", "");
	}
	rd->line = row;
}

static int map_id(const reading *rd, const char *name)
{
	for (int i = 0; i < RM_COUNT; i++)
		if (!strcmp(report_mapnames[i], name))
			return i;
	bad(rd, "not a cplreport state: unknown map '%s'", name);
}

static void need(const reading *rd, const cpl_record *rec, size_t n)
{
	if (rec->n != n) {
		char what[64];
		snprintf(what, sizeof what, "%zu fields where %zu belong", rec->n, n);
		bad(rd, "not a cplreport state: %s", what);
	}
}

void report_state_read(report **acc, const char *path)
{
	cpl_input_opts o = {.delim = ','};
	cpl_reader *in = reader_open(path, &o);
	if (!in)
		cpl_die(CPL_EXIT_IO, "cannot open '%s':", path ? path : "<stdin>");
	reading rd = {.file = reader_name(in)};
	int nstates = 0;
	cpl_record *rec;
	while ((rec = reader_next(in))) {
		rd.line = rec->line;
		if (reader_problem(in))
			bad(&rd, "not a cplreport state: %s", reader_problem(in));
		const char *tag = rec->f[0].s;
		if (rec->f[0].len >= 3 && !memcmp(tag, "\xEF\xBB\xBF", 3))
			tag += 3;
		if (!strcmp(tag, MAGIC)) {
			if (rd.in_state)
				bad(&rd, "the state before this line is cut short (no end row)%s", "");
			if (rec->n < 2 || strcmp(rec->f[1].s, VERSION))
				bad(&rd, "a cplreport state of version '%s', this is version " VERSION, rec->n > 1 ? rec->f[1].s : "");
			report_free(rd.cur);
			rd.cur = report_new();
			rd.settled = 0;
			rd.in_state = 1;
			rd.state_line = rec->line;
			nstates++;
			continue;
		}
		if (!rd.in_state) {
			if (rec->n == 1 && rec->f[0].len == 0)
				continue; /* a blank line between states */
			bad(&rd, "not a cplreport state (made with cplreport --partial): '%.40s'", tag);
		}
		if (!strcmp(tag, "S")) {
			if (rd.settled || rec->n < 2)
				bad(&rd, "not a cplreport state: a setting out of place%s", "");
			const char *k = rec->f[1].s;
			if (!strcmp(k, "period")) {
				need(&rd, rec, 6);
				rd.cur->from = parse_num(&rd, &rec->f[2], 1);
				rd.cur->to = parse_num(&rd, &rec->f[3], 1);
				rd.cur->prev_from = parse_num(&rd, &rec->f[4], 1);
				rd.cur->has_period = (int)parse_num(&rd, &rec->f[5], 0);
			} else if (!strcmp(k, "by")) {
				need(&rd, rec, 3);
				free(rd.cur->by);
				rd.cur->by = rec->f[2].len ? xstrdup(rec->f[2].s) : NULL;
			} else if (!strcmp(k, "tz")) {
				need(&rd, rec, 3);
				free(rd.cur->tz);
				rd.cur->tz = rec->f[2].len ? xstrdup(rec->f[2].s) : NULL;
			} else if (!strcmp(k, "cases")) {
				need(&rd, rec, 3);
				int64_t n = parse_num(&rd, &rec->f[2], 0);
				if (n < 0 || n > REPORT_CASES_MAX)
					bad(&rd, "not a cplreport state: --cases %s out of range", rec->f[2].s);
				rd.cur->cases_max = (int)n;
			} else if (!strcmp(k, "cols")) {
				need(&rd, rec, 4);
				rd.cur->cols = parse_cols(&rd, rec->f[2].s);
				rd.cur->empty = (int)parse_num(&rd, &rec->f[3], 0);
			} else {
				bad(&rd, "not a cplreport state: unknown setting '%s'", k);
			}
		} else if (!strcmp(tag, "M")) {
			settle(&rd, acc);
			if (rec->n < 3)
				need(&rd, rec, 4);
			int id = map_id(&rd, rec->f[1].s);
			rmap *m = (*acc)->m[id];
			need(&rd, rec, 3 + (size_t)m->nslots);
			int64_t v[32];
			for (int s = 0; s < m->nslots; s++)
				v[s] = parse_num(&rd, &rec->f[3 + s], 0);
			rmap_fold(m, rec->f[2].s, rec->f[2].len, v);
		} else if (!strcmp(tag, "L")) {
			settle(&rd, acc);
			need(&rd, rec, 3 + L_COUNT);
			int l = !strcmp(rec->f[1].s, "overdue") ? LIST_OVERDUE
				: !strcmp(rec->f[1].s, "at_risk") ? LIST_AT_RISK : -1;
			if (l < 0)
				bad(&rd, "not a cplreport state: unknown list '%s'", rec->f[1].s);
			rcase c = {.created = parse_num(&rd, &rec->f[2], 0)};
			for (int k = 0; k < L_COUNT; k++)
				c.f[k] = (char *)rec->f[3 + k].s;
			report_list_add(*acc, l, &c);
		} else if (!strcmp(tag, "E")) {
			settle(&rd, acc);
			rd.in_state = 0;
		} else {
			bad(&rd, "not a cplreport state: unknown row '%s'", tag);
		}
	}
	rd.line = 0;
	if (reader_io_error(in)) {
		errno = reader_io_error(in);
		cpl_die(CPL_EXIT_IO, "read error: %s:", rd.file);
	}
	if (rd.in_state)
		cpl_die_at(CPL_EXIT_USAGE, rd.file, 0, "the last state is cut short (no end row): was its cplreport --partial killed?");
	if (!nstates)
		cpl_die_at(CPL_EXIT_USAGE, rd.file, 0, "no cplreport state in it (make one with cplreport --partial)");
	report_free(rd.cur);
	reader_close(in);
}
