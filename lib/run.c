/* run.c: the record loop every command shares.  It opens the inputs one
 * after another, reads the header once, finds canonical columns, keeps the
 * input columns in order and adds (or replaces in place) the command's own,
 * and writes every record exactly once with its problems stated: on stderr
 * as "cplfoo: FILE:LINE: what", and in the cpl_problems column, where each
 * command owns its own part so that a re-run replaces it. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>
#include "cpl.h"

#define PROBLEMS_COL "cpl_problems"

struct cpl_saved {
	cpl_field *f;
	cpl_buf *vals;
	cpl_buf problems;
	size_t n, nslots;
	long line, recno;
	const char *file;
	int has_problem;
	char *store;
};

struct cpl_run {
	const cpl_cmd *cmd;
	char **inputs;
	int ninputs, cur_input;
	cpl_reader *rd;
	cpl_writer *w;
	int raw_output;   /* the command writes its own output */
	int header_done;
	int maps_checked;  /* check_maps has run */
	int empty;        /* no input at all */
	int first_is_data; /* --no-header: the row read as header is a record */
	int out_fd;

	size_t ncols;     /* input columns */
	char **cols;
	cpl_record *hdr_rec;
	size_t *col_len;  /* of each header name */
	uint64_t col_lens; /* bit len % 64 set for the length of each header name */
	size_t *perm;     /* the header came again in another order: the field of each column */
	cpl_field *pf;    /* a record's fields put in the first header's order */

	/* added columns: slot -> input index it replaces, or -1 when appended */
	size_t nslots;
	char **slot_names;
	int *slot_replaces;
	int *col_slot;    /* input index -> slot replacing it, or -1 */
	cpl_buf *vals;
	int problems_slot;
	int problems_in;  /* input index of an existing cpl_problems, or -1 */

	/* current record */
	cpl_record *rec;
	cpl_field *fields;
	size_t fcap;
	cpl_buf joined;   /* extra fields of a long row */
	cpl_buf problems; /* this command's problems with the current record */
	int has_problem;
	long nproblem_records;
	cpl_buf tmp;

	/* run_prepass: the records as read, kept for run_next to give again */
	int once;         /* or not kept: the pass was the run */
	FILE *replay;
	char *replay_buf;
	cpl_spoolin replay_in; /* reading it back */
	int replaying;
	cpl_record rrec;
	cpl_buf rbuf;
	cpl_field *rf;
	size_t rfcap;
	const char *rproblem;
	char **names;     /* per input: its name, as records give it */

	struct ahead *ahead; /* the thread reading ahead of run_next, if any */
	int ahead_tried;
	int view;         /* run_view's: a worker's records, its messages diverted */
};

/* Progress on a terminal: when stderr is a tty and the input a regular file
 * larger than 50 MB (or any regular file with -o), a line on stderr says how
 * far the reader has got, updated at most four times a second and cleared
 * at the end.  Never when stderr is a pipe, a file or absent (cron). */
#define PROGRESS_MIN (50LL * 1024 * 1024)
static struct {
	int on, shown, fd;
	long ms; /* between two updates: CPL_PROGRESS_MS, or 250 */
	long long size;
	unsigned long n;
	struct timespec last;
	const char *name, *cmd;
} progress;

static void progress_open(const cpl_cmd *cmd, cpl_reader *rd)
{
	struct stat st;
	progress.on = 0;
	progress.fd = reader_fd(rd);
	if (progress.fd < 0 || !isatty(2) || fstat(progress.fd, &st) != 0 || !S_ISREG(st.st_mode))
		return;
	if (st.st_size <= PROGRESS_MIN && !(cpl_opt.output && st.st_size > 0))
		return;
	const char *e = getenv("CPL_PROGRESS_MS");
	char *rest;
	long ms = e && *e ? strtol(e, &rest, 10) : 250;
	if (e && *e && (*rest || ms < 0))
		cpl_die(CPL_EXIT_USAGE, "CPL_PROGRESS_MS: '%s' is not a number of milliseconds", e);
	progress.on = 1;
	progress.ms = ms;
	progress.size = st.st_size;
	progress.name = reader_name(rd);
	progress.cmd = cmd->name;
	clock_gettime(CLOCK_MONOTONIC, &progress.last);
}

static void progress_tick(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if ((now.tv_sec - progress.last.tv_sec) * 1000 + (now.tv_nsec - progress.last.tv_nsec) / 1000000 < progress.ms)
		return;
	progress.last = now;
	off_t at = lseek(progress.fd, 0, SEEK_CUR);
	if (at < 0)
		return;
	flockfile(stderr); /* a committing thread may be stating a problem */
	fprintf(stderr, "\r%s: %s: %3d%% (%lld of %lld MB)\033[K", progress.cmd, progress.name,
		(int)(100 * (double)at / (double)progress.size), (long long)at >> 20, progress.size >> 20);
	progress.shown = 1;
	funlockfile(stderr);
}

/* A record read: every 512th, the progress line may move. */
static void progress_count(void)
{
	if (progress.on && ++progress.n % 512 == 0)
		progress_tick();
}

static void progress_hide(void)
{
	flockfile(stderr);
	if (progress.shown)
		fputs("\r\033[K", stderr);
	progress.shown = 0;
	funlockfile(stderr);
}

static void input_stalled(void *arg);

static void next_reader(cpl_run *r)
{
	if (r->rd) {
		int e = reader_io_error(r->rd);
		if (e) {
			errno = e;
			cpl_die(CPL_EXIT_IO, "read error: %s:", reader_name(r->rd));
		}
		reader_close(r->rd);
		r->rd = NULL;
		progress.on = 0;
	}
	while (r->cur_input < r->ninputs) {
		const char *path = r->inputs[r->cur_input++];
		r->rd = reader_open(path, &cpl_opt.in);
		if (!r->rd)
			cpl_die(CPL_EXIT_IO, "cannot open '%s':", path);
		reader_on_stall(r->rd, input_stalled, r);
		progress_open(r->cmd, r->rd);
		return;
	}
}

/* Field i of rec as a header name: a byte order mark before the first is
 * not part of it (an export joined with cat keeps its own). */
static cpl_field name_of(const cpl_record *rec, size_t i)
{
	cpl_field f = rec->f[i];
	if (!i && f.len >= 3 && !memcmp(f.s, "\xEF\xBB\xBF", 3))
		f.s += 3, f.len -= 3;
	return f;
}

/* Is rec the first input's header, its names in some order?  *perm: the
 * field of rec that holds each column, or NULL for the header's own order. */
static int header_order(const cpl_run *r, const cpl_record *rec, size_t **perm)
{
	size_t n = r->ncols;
	*perm = NULL;
	if (rec->n != n || !n)
		return 0;
	cpl_field f0 = name_of(rec, 0);
	size_t j = 0; /* the first field names a column: the rest is worth a look */
	while (j < n && (r->col_len[j] != f0.len || memcmp(r->cols[j], f0.s, f0.len)))
		j++;
	if (j == n)
		return 0;
	size_t *p = xmalloc(n * sizeof *p), k = 0;
	unsigned char *used = xcalloc(n, 1);
	int moved = 0;
	for (; k < n; k++) { /* column k: the field of rec that names it */
		size_t i = 0;
		for (; i < n; i++) {
			cpl_field f = name_of(rec, i);
			if (!used[i] && f.len == r->col_len[k] && !memcmp(f.s, r->cols[k], f.len))
				break;
		}
		if (i == n)
			break;
		used[i] = 1;
		p[k] = i;
		moved |= i != k;
	}
	free(used);
	if (k < n || !moved) {
		free(p);
		return k == n;
	}
	*perm = p;
	return 1;
}

/* The records from here on are read in the order perm gives (NULL: as they are). */
static void use_order(cpl_run *r, size_t *perm)
{
	free(r->perm);
	r->perm = perm;
	if (perm && !r->pf)
		r->pf = xmalloc((r->ncols + 1) * sizeof *r->pf);
}

/* The header of a later input must have the first's columns; in another
 * order, its records are put in the first's. */
static void check_header(cpl_run *r, cpl_record *h)
{
	size_t *perm;
	if (!header_order(r, h, &perm))
		cpl_die_at(CPL_EXIT_USAGE, h->file, h->line,
			"the header differs from the first input's: give files with the same columns");
	use_order(r, perm);
}

static void read_header(cpl_run *r)
{
	cpl_record *h = reader_next(r->rd);
	if (!h) {
		r->empty = 1;
		return;
	}
	r->hdr_rec = h;
	if (reader_problem(r->rd))
		cpl_warn_at(h->file, h->line, "header: %s", reader_problem(r->rd));
	r->ncols = h->n;
	r->cols = xcalloc(h->n, sizeof *r->cols);
	if (cpl_opt.in.no_header) {
		for (size_t i = 0; i < h->n; i++) {
			char name[32];
			snprintf(name, sizeof name, "%zu", i + 1);
			r->cols[i] = xstrdup(name);
		}
		/* the first row is data: hand it out again */
		r->first_is_data = 1;
		return;
	}
	r->col_len = xcalloc(h->n, sizeof *r->col_len);
	for (size_t i = 0; i < h->n; i++) {
		r->cols[i] = xstrndup(h->f[i].s, h->f[i].len);
		r->col_len[i] = h->f[i].len;
		r->col_lens |= 1ull << (h->f[i].len & 63) | 1ull << ((h->f[i].len + 3) & 63); /* + a BOM */
	}
}

cpl_run *run_start(const cpl_cmd *cmd, int argc, char **argv, int first)
{
	signal(SIGPIPE, SIG_DFL); /* cmd | head ends quietly */
	cpl_run *r = xcalloc(1, sizeof *r);
	r->cmd = cmd;
	r->problems_slot = -1;
	r->problems_in = -1;
	static char *dash[] = {"-"};
	if (first < argc) {
		r->inputs = argv + first;
		r->ninputs = argc - first;
	} else {
		r->inputs = dash;
		r->ninputs = 1;
	}
	int fd = 1;
	const char *oname = "<stdout>";
	if (cpl_opt.output) {
		fd = outfile_open(cpl_opt.output);
		oname = cpl_opt.output;
	}
	r->out_fd = fd;
	r->w = writer_open(fd, oname, cpl_opt.out_delim, cpl_opt.excel);
	next_reader(r);
	read_header(r);
	r->col_slot = xmalloc((r->ncols + 1) * sizeof *r->col_slot);
	for (size_t i = 0; i < r->ncols; i++) {
		r->col_slot[i] = -1;
		if (!strcmp(r->cols[i], PROBLEMS_COL) && r->problems_in < 0)
			r->problems_in = (int)i;
	}
	return r;
}

/* Two headers that are both aliases of the canonical column (投诉内容 and
 * 问题描述 for text), with no --map and no header of that very name to
 * decide: the first is read, and that is said once, not silently. */
/* The first input as messages name it. */
static const char *first_input(const cpl_run *r)
{
	return r->inputs[0][0] == '-' && !r->inputs[0][1] ? "<stdin>" : r->inputs[0];
}

static void say_ambiguous(const cpl_run *r, const char *canonical, int i)
{
	static const char *said[32];
	static size_t nsaid;
	int k = column_find_next(r->cols, r->ncols, canonical, i);
	if (k < 0)
		return;
	for (size_t s = 0; s < nsaid; s++)
		if (!strcmp(said[s], canonical))
			return;
	if (nsaid < sizeof said / sizeof *said)
		said[nsaid++] = canonical;
	if (!strcmp(r->cols[i], r->cols[k])) /* no --map can tell them apart */
		cpl_warn_at(first_input(r), 1, "two columns are named '%s' ('%s'): the first is read", r->cols[i], canonical);
	else
		cpl_warn_at(first_input(r), 1, "columns '%s' and '%s' are both '%s': '%s' is read; --map %s='%s' reads the other",
			r->cols[i], r->cols[k], canonical, r->cols[i], canonical, r->cols[k]);
}

int run_col(cpl_run *r, const char *canonical)
{
	int i = column_find(r->cols, r->ncols, canonical);
	say_ambiguous(r, canonical, i);
	const char *mapped = column_mapped(canonical);
	if (i < 0 && mapped && cpl_opt.in.no_header) {
		char *e;
		long n = strtol(mapped, &e, 10);
		if (!*e && n >= 1 && (size_t)n <= r->ncols)
			return (int)n - 1;
	}
	return i;
}

/* What is said of a column not found, into m: with instead, what the
 * command does without it.  1 when the header is GB18030 read as UTF-8,
 * which no command can do without. */
static int no_col_message(cpl_run *r, const char *option, const char *name, const char *instead, cpl_buf *m)
{
	cpl_buf seen = {0}, hint = {0};
	for (size_t k = 0; k < r->ncols && k < 20; k++)
		buf_printf(&seen, "%s%s", k ? "," : "", r->cols[k]);
	if (r->ncols > 20)
		buf_adds(&seen, ",...");
	const char *mapped = column_mapped(name), *slip = column_map_near(name);
	const char *near = column_near_name(r->cols, r->ncols, name);
	buf_printf(m, "%s%sno '%s' column", option ? option : "", option ? ": " : "", name);
	int gb = !utf8_valid(seen.s, seen.len, NULL) && looks_like_gb18030(seen.s, seen.len);
	if (gb) {
		/* a GB18030 export read as UTF-8: its header, readable (the
		 * reader's hint on the header has said the cure) */
		cpl_decoder *d = decoder_open("gb18030");
		size_t n = seen.len;
		long bad = 0;
		buf_adds(m, " (the header read as GB18030: ");
		decoder_convert(d, seen.s, &n, 1, m, &bad);
		decoder_close(d);
		buf_adds(m, ")");
	} else {
		if (slip)
			buf_printf(&hint, "; --map names '%s', not '%s'", slip, name);
		else if (near && (option || !mapped))
			buf_printf(&hint, ": did you mean '%s'?", near);
		else if (!option)
			buf_printf(&hint, "; name it with --map %s=HEADER", name);
		if (mapped)
			buf_printf(m, " (--map names '%s')", mapped);
		buf_printf(m, " (header: %s)", buf_str(&seen));
	}
	if (instead && !gb)
		buf_printf(m, ": %s", instead);
	buf_adds(m, buf_str(&hint));
	buf_free(&hint);
	buf_free(&seen);
	return gb;
}

_Noreturn void run_no_col(cpl_run *r, const char *option, const char *name)
{
	cpl_buf m = {0};
	no_col_message(r, option, name, NULL, &m);
	cpl_die_at(CPL_EXIT_USAGE, first_input(r), 1, "%s", buf_str(&m));
}

int run_want_col(cpl_run *r, const char *canonical, const char *instead)
{
	int i = run_col(r, canonical);
	if (i < 0 && !r->empty) {
		cpl_buf m = {0};
		if (no_col_message(r, NULL, canonical, instead, &m))
			cpl_die_at(CPL_EXIT_USAGE, first_input(r), 1, "%s", buf_str(&m));
		cpl_warn_at(first_input(r), 1, "%s", buf_str(&m));
		buf_free(&m);
	}
	return i;
}

int run_need_col(cpl_run *r, const char *canonical)
{
	int i = run_col(r, canonical);
	if (i < 0 && !r->empty)
		run_no_col(r, NULL, canonical);
	return i;
}

/* Once the command has looked its columns up, before the first record: a
 * --map name nothing read, that reads as a slip, is said. */
static void check_maps(cpl_run *r)
{
	if (r->maps_checked || r->empty)
		return;
	r->maps_checked = 1;
	const char *name, *meant;
	for (size_t k = 0; (name = column_map_unread(&k, &meant));)
		if (column_canonical(name, strlen(name)))
			cpl_warn("--map %s: that is a header of the column '%s': write --map %s=HEADER", name, meant, meant);
		else
			cpl_warn("--map %s: %s reads no column '%s': did you mean '%s'?", name, r->cmd->name, name, meant);
}

int run_add_col(cpl_run *r, const char *name)
{
	if (r->header_done)
		cpl_die(CPL_EXIT_USAGE, "internal error: column '%s' added after the header was written", name);
	for (size_t s = 0; s < r->nslots; s++)
		if (!strcmp(r->slot_names[s], name))
			return (int)s;
	int slot = (int)r->nslots++;
	r->slot_names = xrealloc(r->slot_names, r->nslots * sizeof *r->slot_names);
	r->slot_replaces = xrealloc(r->slot_replaces, r->nslots * sizeof *r->slot_replaces);
	r->vals = xrealloc(r->vals, r->nslots * sizeof *r->vals);
	memset(&r->vals[slot], 0, sizeof r->vals[slot]);
	r->slot_names[slot] = xstrdup(name);
	r->slot_replaces[slot] = -1;
	for (size_t i = 0; i < r->ncols; i++)
		if (!strcmp(r->cols[i], name) && r->col_slot[i] < 0) {
			r->slot_replaces[slot] = (int)i;
			r->col_slot[i] = slot;
			break;
		}
	return slot;
}

static void write_header(cpl_run *r)
{
	if (r->header_done)
		return;
	if (r->problems_slot < 0)
		r->problems_slot = run_add_col(r, PROBLEMS_COL);
	r->header_done = 1;
	if (r->empty)
		return;
	for (size_t i = 0; i < r->ncols; i++)
		writer_fields(r->w, r->cols[i]);
	for (size_t s = 0; s < r->nslots; s++)
		if (r->slot_replaces[s] < 0)
			writer_fields(r->w, r->slot_names[s]);
	writer_endrow(r->w);
}

/* Make the record as wide as the header, saying so when it was not. */
/* A record as wide as the header: what every reader of it must see. */
int record_shape(const cpl_record *rec, size_t ncols, cpl_field *f, cpl_buf *joined)
{
	size_t n = rec->n;
	size_t keep = n < ncols ? n : ncols;
	memcpy(f, rec->f, keep * sizeof *f);
	for (size_t i = keep; i < ncols; i++)
		f[i] = (cpl_field){"", 0};
	if (n <= ncols || ncols == 0)
		return 0;
	size_t last_nonempty = 0;
	for (size_t i = ncols; i < n; i++)
		if (rec->f[i].len)
			last_nonempty = i + 1;
	if (!last_nonempty)
		return 0;
	buf_clear(joined);
	for (size_t i = ncols - 1; i < last_nonempty; i++) {
		if (i >= ncols)
			buf_addc(joined, cpl_opt.in.delim);
		buf_add(joined, rec->f[i].s, rec->f[i].len);
	}
	f[ncols - 1] = (cpl_field){joined->s, joined->len};
	return 1;
}

/* What record_shape did to a record of n fields: SHAPE_SHORT, SHAPE_JOINED
 * (something to say), or 0. */
enum { SHAPE_SHORT = 1, SHAPE_JOINED = 2 };
static int shape_of(const cpl_record *rec, size_t ncols, int joined)
{
	if (rec->n < ncols && !(rec->n == 1 && rec->f[0].len == 0))
		return SHAPE_SHORT;
	return joined ? SHAPE_JOINED : 0;
}

/* A stray quote makes the reader take the lines after it, whole records
 * among them, for the rest of one field.  What a record shows of it: a
 * field that runs over several lines, best one that holds a quote; and
 * lines inside a field (neither its first nor its last) that read as a
 * record: as many delimiters as the header has, less one, after a first
 * field like the record's own (as long, and starting with the same byte:
 * case ids are alike).  Worked out only for a record of the wrong shape or
 * with line breaks in it; said beside the shape, or alone. */
typedef struct stray {
	uint32_t field;  /* 1 + that field; 0: none */
	uint32_t start;  /* the lines before it, after the record's first */
	uint32_t breaks; /* its line breaks */
	uint32_t whole;  /* its lines that read as records */
	uint32_t first;  /* the first of them, in lines after the record's first */
} stray;

/* Does the line [p, e) read as a record of ncols fields whose first is like first? */
static int reads_as_record(const char *p, const char *e, size_t ncols, const cpl_field *first)
{
	const char *d = memchr(p, cpl_opt.in.delim, (size_t)(e - p));
	if (!d || (size_t)(d - p) != first->len || (first->len && *p != *first->s))
		return 0;
	for (size_t n = 1; n + 1 < ncols; n++)
		if (!(d = memchr(d + 1, cpl_opt.in.delim, (size_t)(e - d - 1))))
			return 0;
	return 1;
}

static stray stray_of(const cpl_record *rec, size_t ncols, int shape)
{
	stray sq = {0, 0, 0, 0, 0};
	if (!shape && !rec->breaks)
		return sq; /* one line, the right shape: nothing to look for */
	int quoted = 0;
	uint32_t before = 0; /* the line breaks in the fields before */
	for (size_t i = 0; i < rec->n; i++) {
		const char *e = rec->f[i].s + rec->f[i].len;
		const char *nl = memchr(rec->f[i].s, '\n', rec->f[i].len);
		if (!nl)
			continue;
		uint32_t k = 0, whole = 0, first = 0;
		while (nl) {
			k++;
			const char *next = memchr(nl + 1, '\n', (size_t)(e - nl - 1));
			if (next && ncols >= 4 && reads_as_record(nl + 1, next, ncols, &rec->f[0]) && !whole++)
				first = before + k;
			nl = next;
		}
		int q = memchr(rec->f[i].s, '"', rec->f[i].len) != NULL;
		if (!sq.field || q > quoted || (q == quoted && (whole > sq.whole || (whole == sq.whole && k > sq.breaks)))) {
			sq = (stray){(uint32_t)i + 1, before, k, whole, first};
			quoted = q;
		}
		before += k;
	}
	return sq;
}

/* What r->rec (its line and file, at least) shows: its shape, and a stray
 * quote's trace: " (field 'text' runs over lines 11-15: if a quote in it
 * is stray, the records on those lines were read into this one)". */
static void shape_problem(cpl_run *r, size_t n, int shape, stray sq)
{
	if (!shape && !sq.whole)
		return;
	cpl_buf m = {0};
	if (shape == SHAPE_SHORT)
		buf_printf(&m, "%zu field%s, the header has %zu: the missing fields are left empty",
			n, n == 1 ? "" : "s", r->ncols);
	else if (shape == SHAPE_JOINED)
		buf_printf(&m, "%zu fields, the header has %zu: the extra fields are kept in the last column '%s'",
			n, r->ncols, r->cols[r->ncols - 1]);
	if (sq.field) {
		buf_adds(&m, shape ? " (field " : "field ");
		if (sq.field <= r->ncols)
			buf_printf(&m, "'%s'", r->cols[sq.field - 1]);
		else
			buf_printf(&m, "%u", sq.field);
		long from = r->rec->line + (long)sq.start;
		if (shape)
			buf_printf(&m, " runs over lines %ld-%ld: if a quote in it is stray, the records on those lines "
				"were read into this one)", from, from + (long)sq.breaks);
		else
			buf_printf(&m, " holds %u %s, from line %ld on: if a quote in it is stray, %s read into this one",
				sq.whole, sq.whole == 1 ? "line that reads as a whole record" : "lines that read as whole records",
				r->rec->line + (long)sq.first, sq.whole == 1 ? "that record was" : "those records were");
	}
	run_problem(r, "%s", buf_str(&m));
	buf_free(&m);
}

static void fit_to_header(cpl_run *r)
{
	cpl_record *rec = r->rec;
	size_t n = rec->n;
	if (r->fcap < r->ncols + 1) {
		r->fcap = r->ncols + 1;
		r->fields = xrealloc(r->fields, r->fcap * sizeof *r->fields);
	}
	int joined = record_shape(rec, r->ncols, r->fields, &r->joined);
	int shape = shape_of(rec, r->ncols, joined);
	shape_problem(r, n, shape, stray_of(rec, r->ncols, shape));
}

/* A row that is the header again, its names in any order (exports joined
 * with cat): said, and read as a header, not as a case; in another order
 * (of three columns or more), the records after it are put in the first
 * header's order. */
static int header_again(cpl_run *r, cpl_record *rec)
{
	if (cpl_opt.in.no_header || !(r->col_lens >> (rec->f[0].len & 63) & 1))
		return 0;
	size_t *perm;
	if (!header_order(r, rec, &perm))
		return 0;
	if (perm && r->ncols < 3) { /* two fields the other way round: as likely a case */
		free(perm);
		return 0;
	}
	use_order(r, perm);
	if (perm)
		cpl_warn_at(rec->file, rec->line, "the header again, its columns in another order (exports joined?): "
			"read as a header, and the records after it in its order");
	else
		cpl_warn_at(rec->file, rec->line, "the header again (exports joined?): read as a header, not as a case");
	return 1;
}

static void put_in_order(cpl_run *r, cpl_record *rec)
{
	if (rec->n != r->ncols)
		return; /* ragged: its shape is stated, as read */
	for (size_t k = 0; k < r->ncols; k++)
		r->pf[k] = rec->f[r->perm[k]];
	memcpy(rec->f, r->pf, r->ncols * sizeof *rec->f);
}

/* The next record of the inputs, or NULL at the end of the last. */
static cpl_record *read_record(cpl_run *r)
{
	if (r->first_is_data) {
		r->first_is_data = 0;
		return r->hdr_rec; /* the first row of a headerless input */
	}
	for (;;) {
		cpl_record *rec = r->rd ? reader_next(r->rd) : NULL;
		if (rec && header_again(r, rec))
			continue;
		if (rec && r->perm)
			put_in_order(r, rec);
		if (rec)
			return rec;
		use_order(r, NULL); /* the next input: its own header, checked */
		if (r->cur_input >= r->ninputs) {
			next_reader(r); /* closes, reporting a read error */
			return NULL;
		}
		next_reader(r);
		cpl_record *h = reader_next(r->rd);
		if (h && !cpl_opt.in.no_header)
			check_header(r, h);
		else if (h)
			return h;
	}
}

/* A record in the replay file: this head, the reader's problem (plen
 * bytes), n field lengths, then the fields, each with a NUL after it. */
typedef struct spooled {
	int64_t line, recno;
	uint32_t input, n, plen, breaks; /* breaks: the record's, at most UINT32_MAX */
	uint64_t size; /* bytes after the head */
} spooled;

/* The name records of input i give, kept for the records' second reading. */
static void note_name(cpl_run *r, size_t i, const char *file)
{
	if (i < (size_t)r->ninputs && !r->names[i])
		r->names[i] = xstrdup(file);
}

/* The record in its kept form, added to b.  The reader leaves a record's
 * fields one after another, each with a NUL after it: they are copied at
 * once when they lie so. */
static void spool_record(cpl_run *r, const cpl_record *rec, const char *problem, cpl_buf *b)
{
	spooled h = {rec->line, rec->recno, (uint32_t)(r->cur_input - 1), (uint32_t)rec->n,
		problem ? (uint32_t)strlen(problem) : 0, rec->breaks > UINT32_MAX ? UINT32_MAX : (uint32_t)rec->breaks, 0};
	size_t n = rec->n, bytes = 0;
	const cpl_field *f = rec->f;
	int together = 1;
	for (size_t i = 0; i < n; i++) {
		if (f[i].len > UINT32_MAX)
			cpl_die_at(CPL_EXIT_DATA, rec->file, rec->line, "a field of over 4 GB");
		bytes += f[i].len + 1;
		together &= i == 0 || f[i].s == f[i - 1].s + f[i - 1].len + 1;
	}
	together &= n > 0 && f[n - 1].s[f[n - 1].len] == 0;
	h.size = h.plen + n * sizeof(uint32_t) + bytes;
	buf_grow(b, sizeof h + (size_t)h.size);
	char *p = b->s + b->len;
	memcpy(p, &h, sizeof h);
	p += sizeof h;
	if (h.plen)
		memcpy(p, problem, h.plen);
	p += h.plen;
	for (size_t i = 0; i < n; i++, p += sizeof(uint32_t)) {
		uint32_t len = (uint32_t)f[i].len;
		memcpy(p, &len, sizeof len);
	}
	if (together) {
		memcpy(p, f[0].s, bytes);
	} else {
		for (size_t i = 0; i < n; i++) {
			memcpy(p, f[i].s, f[i].len);
			p[f[i].len] = 0;
			p += f[i].len + 1;
		}
	}
	b->len += sizeof h + (size_t)h.size;
	b->s[b->len] = 0;
}

/* The fields of a kept record, whose bytes after the head are at p. */
static void decode_fields(const spooled *h, const char *p, cpl_field *f)
{
	const char *lens = p + h->plen;
	const char *q = lens + (size_t)h->n * sizeof(uint32_t);
	for (uint32_t i = 0; i < h->n; i++) {
		uint32_t len;
		memcpy(&len, lens + (size_t)i * sizeof len, sizeof len);
		f[i] = (cpl_field){q, len};
		q += (size_t)len + 1;
	}
}

/* The record a kept one (head h, its bytes after the head at p) gives
 * run_next, in r->rrec: its fields point into p. */
static cpl_record *kept_record(cpl_run *r, const spooled *h, const char *p)
{
	if (r->rfcap < (size_t)h->n + 1) {
		r->rfcap = (size_t)h->n + 1;
		r->rf = xrealloc(r->rf, r->rfcap * sizeof *r->rf);
	}
	decode_fields(h, p, r->rf);
	r->rrec = (cpl_record){r->rf, h->n, (long)h->line, (long)h->recno, r->names[h->input], (long)h->breaks};
	return &r->rrec;
}

/* The next kept record of the replay file: its head into *h, and where the
 * bytes after it are (until the next read); NULL at the end. */
static const char *unspool_next(cpl_run *r, spooled *h)
{
	const char *p = spoolin_next(&r->replay_in, sizeof *h);
	if (!p)
		return NULL;
	memcpy(h, p, sizeof *h);
	if (h->input >= (uint32_t)r->ninputs || h->size > SIZE_MAX / 2 || h->plen > h->size)
		cpl_die(CPL_EXIT_IO, "read error: temporary file: it changed under the run");
	if (!(p = spoolin_next(&r->replay_in, (size_t)h->size)))
		cpl_die(CPL_EXIT_IO, "read error: temporary file: it changed under the run");
	return p;
}

/* The reader's problem with a kept record (whose bytes after the head h
 * are at p), NUL-terminated in b; NULL when it had none. */
static const char *kept_problem(const spooled *h, const char *p, cpl_buf *b)
{
	if (!h->plen)
		return NULL;
	buf_clear(b);
	buf_add(b, p, h->plen);
	return b->s;
}

static cpl_record *unspool_record(cpl_run *r)
{
	spooled h;
	const char *p = unspool_next(r, &h);
	if (!p)
		return NULL;
	r->rproblem = kept_problem(&h, p, &r->rbuf);
	return kept_record(r, &h, p);
}

/* With more than one processor, run_prepass reads in this thread and hands
 * the records, in blocks of the kept form, to one worker thread per other
 * processor: each takes the next block, matches its records into the
 * block's results, and commits the blocks that are next in order.  Reading
 * (CSV, encodings, the temporary file) and matching overlap, and the
 * matching of one block overlaps that of the next.  When every slot is
 * full, the reading thread matches a block itself rather than wait: it
 * keeps a processor of its own (a worker per processor left it a share of
 * one, and made it the first pass's longest road), and that processor is
 * not idle when the matching is the slower half. */
#define BLOCK_BYTES SPOOL_BLOCK /* what goes to the replay file at once, too */
#define MAX_WORKERS 8

typedef struct slot {
	cpl_buf in;  /* records, kept form */
	cpl_buf out; /* per record: a 4-byte length, then what match wrote;
	              * run_postpass: the block's output */
	cpl_buf annex, said; /* run_postpass: per record a 4-byte length and
	                      * what annex gave; the messages for stderr */
	int matched; /* out is ready to commit */
} slot;

typedef struct handoff {
	mtx_t m;
	cnd_t c;
	slot *slots;
	size_t nslots;
	size_t filled;  /* blocks handed over */
	size_t taken;   /* blocks a worker has taken */
	size_t commits; /* blocks committed (their slots free again) */
	int committing; /* a worker is committing */
	int done;       /* no more blocks */
	cpl_run *r;
	const run_stage *st;
	const run_post *post; /* run_postpass's, in place of st */
} handoff;

typedef struct worker_arg {
	handoff *ho;
	void *wctx;
	cpl_run *view; /* run_postpass */
	cpl_field *fv, *f;
	size_t fcap;
	cpl_buf joined;
} worker_arg;

/* What a run_stage with once set commits before each record's out: where
 * it is, what was said of its shape and the reader's problem (plen bytes
 * after this). */
typedef struct said {
	int64_t line;
	uint32_t input, n, shape, plen;
	stray sq;
	uint32_t pad; /* no padding the compiler leaves unset */
} said;

/* A record's out to st->commit; with once, its problems stated first (in
 * run_next's order) and then any commit adds, under the record's name. */
static void commit_one(cpl_run *r, const run_stage *st, const said *sd, const char *problem,
	const char *out, size_t len)
{
	if (!st->once) {
		st->commit(st->ctx, out, len);
		return;
	}
	cpl_record rec = {NULL, sd->n, (long)sd->line, 0, r->names[sd->input], 0}; /* for run_problem */
	r->rec = &rec;
	buf_clear(&r->problems);
	r->has_problem = 0;
	shape_problem(r, sd->n, (int)sd->shape, sd->sq);
	if (sd->plen)
		run_problem(r, "%.*s", (int)sd->plen, problem);
	st->commit(st->ctx, out, len);
	r->rec = NULL;
}

/* Match a record (of input number input, with the reader's problem of
 * plen bytes) into out, after its length and, with once, what commit_one
 * states of it. */
static void match_one(cpl_run *r, const run_stage *st, worker_arg *w, const cpl_record *rec, uint32_t input,
	const char *problem, uint32_t plen, cpl_buf *out)
{
	int joined = record_shape(rec, r->ncols, w->f, &w->joined);
	size_t head = out->len;
	uint32_t len = 0;
	buf_add(out, &len, sizeof len);
	if (st->once) {
		int shape = shape_of(rec, r->ncols, joined);
		said sd = {rec->line, input, (uint32_t)rec->n, (uint32_t)shape, plen, stray_of(rec, r->ncols, shape), 0};
		buf_add(out, &sd, sizeof sd);
		if (plen)
			buf_add(out, problem, plen);
	}
	st->match(w->wctx, rec, w->f, r->ncols, out);
	len = (uint32_t)(out->len - head - sizeof len);
	memcpy(out->s + head, &len, sizeof len);
}

/* Match every record of a block of the kept form into out. */
static void match_block(cpl_run *r, const run_stage *st, worker_arg *w, const cpl_buf *in, cpl_buf *out)
{
	buf_clear(out);
	for (size_t at = 0; at < in->len;) {
		spooled h;
		memcpy(&h, in->s + at, sizeof h);
		if (w->fcap < (size_t)h.n + 1) {
			w->fcap = (size_t)h.n + 1;
			w->fv = xrealloc(w->fv, w->fcap * sizeof *w->fv);
		}
		decode_fields(&h, in->s + at + sizeof h, w->fv);
		cpl_record rec = {w->fv, h.n, (long)h.line, (long)h.recno, r->names[h.input], (long)h.breaks};
		match_one(r, st, w, &rec, h.input, in->s + at + sizeof h, h.plen, out);
		at += sizeof h + (size_t)h.size;
	}
}

static void commit_block(cpl_run *r, const run_stage *st, const cpl_buf *out)
{
	for (size_t at = 0; at < out->len;) {
		uint32_t len;
		memcpy(&len, out->s + at, sizeof len);
		const char *p = out->s + at + sizeof len;
		at += sizeof len + len;
		said sd = {0};
		if (st->once) {
			memcpy(&sd, p, sizeof sd);
			p += sizeof sd;
			len -= (uint32_t)(sizeof sd + sd.plen);
		}
		commit_one(r, st, &sd, p, p + sd.plen, len);
	}
}

static void post_block(const run_post *ps, worker_arg *w, slot *sl);
static void post_commit(cpl_run *r, const slot *sl);

/* With ho->m held: take the next block handed over, match it (without the
 * lock), and commit the matched blocks that are next in order, unless
 * another thread is at it (it will see this one): no thread waits for
 * another's block.  0 when there was no block to take. */
static int work_one(worker_arg *w)
{
	handoff *ho = w->ho;
	if (ho->taken == ho->filled)
		return 0;
	slot *sl = &ho->slots[ho->taken++ % ho->nslots];
	mtx_unlock(&ho->m);
	if (ho->post)
		post_block(ho->post, w, sl);
	else if (!ho->st->match_in_reader)
		match_block(ho->r, ho->st, w, &sl->in, &sl->out);
	mtx_lock(&ho->m);
	sl->matched = 1;
	if (ho->committing)
		return 1;
	ho->committing = 1;
	slot *next;
	while ((next = &ho->slots[ho->commits % ho->nslots])->matched && ho->commits < ho->taken) {
		mtx_unlock(&ho->m);
		if (ho->post)
			post_commit(ho->r, next);
		else
			commit_block(ho->r, ho->st, &next->out);
		mtx_lock(&ho->m);
		next->matched = 0;
		ho->commits++;
		cnd_broadcast(&ho->c);
	}
	ho->committing = 0;
	return 1;
}

static int worker(void *arg)
{
	worker_arg *w = arg;
	handoff *ho = w->ho;
	mtx_lock(&ho->m);
	for (;;) {
		while (ho->taken == ho->filled && !ho->done)
			cnd_wait(&ho->c, &ho->m);
		if (!work_one(w))
			break; /* done, and every block taken */
	}
	mtx_unlock(&ho->m);
	regex_thread_end();
	return 0;
}

int cpl_processors(void)
{
	const char *e = getenv("CPL_THREADS"); /* 1: one thread (tests, timing) */
	if (e && *e)
		return atoi(e);
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

int run_workers(cpl_run *r)
{
	int n = cpl_processors();
	if (r->empty || n < 1)
		return 1;
	return n > MAX_WORKERS ? MAX_WORKERS : n;
}

/* The worker threads of a handoff whose wa[0 .. nw-1] are set, the last
 * left to the reading thread: 1 when at least one runs, else 0 (all is
 * done in the reading thread, and ho holds nothing to free). */
static int handoff_start(handoff *ho, worker_arg *wa, int nw, thrd_t *t, int *started)
{
	*started = 0;
	if (nw < 2 || mtx_init(&ho->m, mtx_plain) != thrd_success)
		return 0;
	if (cnd_init(&ho->c) != thrd_success) {
		mtx_destroy(&ho->m);
		return 0;
	}
	ho->slots = xcalloc(ho->nslots, sizeof *ho->slots);
	for (int i = 0; i < nw - 1; i++)
		if (thrd_create(&t[*started], worker, &wa[i]) == thrd_success)
			++*started;
	if (*started)
		return 1;
	cnd_destroy(&ho->c);
	mtx_destroy(&ho->m);
	free(ho->slots);
	ho->slots = NULL;
	return 0;
}

/* The reading thread's block is full: hand it over, helping (with helper's
 * context) while every slot is in use; the next block to fill, emptied. */
static slot *handoff_fill(handoff *ho, worker_arg *helper)
{
	mtx_lock(&ho->m);
	ho->filled++;
	cnd_broadcast(&ho->c);
	while (ho->filled - ho->commits >= ho->nslots)
		if (!work_one(helper))
			cnd_wait(&ho->c, &ho->m);
	mtx_unlock(&ho->m);
	slot *cur = &ho->slots[ho->filled % ho->nslots];
	buf_clear(&cur->in);
	buf_clear(&cur->out);
	buf_clear(&cur->annex);
	return cur;
}

/* At the end: the last block (cur) handed over when it holds anything,
 * every block worked and committed, the threads joined, the slots freed. */
static void handoff_end(handoff *ho, slot *cur, worker_arg *helper, thrd_t *t, int started)
{
	mtx_lock(&ho->m);
	if (cur->in.len || cur->out.len)
		ho->filled++;
	ho->done = 1;
	cnd_broadcast(&ho->c);
	while (work_one(helper)) /* and the rest, with the workers */
		;
	mtx_unlock(&ho->m);
	for (int i = 0; i < started; i++)
		thrd_join(t[i], NULL);
	cnd_destroy(&ho->c);
	mtx_destroy(&ho->m);
	for (size_t b = 0; b < ho->nslots; b++) {
		buf_free(&ho->slots[b].in);
		buf_free(&ho->slots[b].out);
		buf_free(&ho->slots[b].annex);
		buf_free(&ho->slots[b].said);
	}
	free(ho->slots);
}

void run_prepass(cpl_run *r, const run_stage *st)
{
	check_maps(r);
	if (!st->once)
		r->replay = tmp_file(&r->replay_buf);
	r->names = xcalloc((size_t)r->ninputs + 1, sizeof *r->names);
	int nw = st->nworkers < 1 ? 1 : st->nworkers > MAX_WORKERS ? MAX_WORKERS : st->nworkers;
	handoff ho = {.r = r, .st = st, .nslots = 2 * (size_t)nw + 2};
	worker_arg wa[MAX_WORKERS] = {{0}};
	thrd_t t[MAX_WORKERS];
	int started;
	/* threads when there is a processor to spare for them; the reading
	 * thread matches with the last context, and alone with the first
	 * when no thread could be made */
	if (cpl_processors() < 2 || r->empty)
		nw = 1;
	for (int i = 0; i < nw; i++) {
		wa[i] = (worker_arg){.ho = &ho, .wctx = st->wctx[i]};
		wa[i].f = xmalloc((r->ncols + 1) * sizeof *wa[i].f);
	}
	int threaded = handoff_start(&ho, wa, nw, t, &started);
	int nargs = threaded ? nw : 1;
	cpl_buf out = {0};
	slot *cur = threaded ? &ho.slots[0] : NULL;
	cpl_record *rec;
	while (!r->empty && (rec = read_record(r))) {
		progress_count();
		const char *problem = reader_problem(r->rd);
		uint32_t plen = problem ? (uint32_t)strlen(problem) : 0, input = (uint32_t)(r->cur_input - 1);
		note_name(r, input, rec->file);
		if (!threaded || st->match_in_reader) {
			if (r->replay) { /* gathered into blocks, as the workers' are */
				spool_record(r, rec, problem, &r->rbuf);
				if (r->rbuf.len >= SPOOL_BLOCK) {
					tmp_write(r->replay, r->rbuf.s, r->rbuf.len);
					buf_clear(&r->rbuf);
				}
			}
			match_one(r, st, &wa[nargs - 1], rec, input, problem, plen, threaded ? &cur->out : &out);
			if (!threaded) {
				commit_block(r, st, &out);
				buf_clear(&out);
				continue;
			}
			if (cur->out.len < BLOCK_BYTES)
				continue;
		} else {
			spool_record(r, rec, problem, &cur->in);
			if (cur->in.len < BLOCK_BYTES)
				continue;
			if (r->replay) /* the block as it is, with no copy */
				tmp_write(r->replay, cur->in.s, cur->in.len);
		}
		cur = handoff_fill(&ho, &wa[nw - 1]);
	}
	if (threaded) {
		if (r->replay && cur->in.len)
			tmp_write(r->replay, cur->in.s, cur->in.len);
		handoff_end(&ho, cur, &wa[nw - 1], t, started);
	}
	for (int i = 0; i < nw; i++) {
		free(wa[i].fv);
		free(wa[i].f);
		buf_free(&wa[i].joined);
	}
	buf_free(&out);
	if (st->once) {
		r->once = 1;
		return;
	}
	tmp_write(r->replay, r->rbuf.s, r->rbuf.len);
	buf_clear(&r->rbuf);
	spoolin_open(&r->replay_in, r->replay);
	r->replaying = 1;
}

/* Reading ahead.  Where there is a processor to spare, a thread of its own
 * parses the CSV (decoding, UTF-8 checks, the reader's problems) while
 * run_next's caller works on the records already read: it hands them
 * over in blocks of the kept form, in order, through AHEAD_SLOTS buffers.
 * A thread that waits is woken only when half the slots are ready for it
 * (or at the end): a wake-up costs tens of microseconds on a virtual
 * machine, and one per block made the reading thread the slower.
 * What the reading thread would say on stderr goes into the blocks
 * instead, where its record falls, and is said when run_next gets there;
 * a fatal error too: the records before it are given and written first,
 * as without the thread. */
#define AHEAD_SLOTS 8
#define AHEAD_WAKE (AHEAD_SLOTS / 2)
#define AHEAD_BYTES (128 * 1024)
#define AHEAD_SAY UINT32_MAX /* an item's input: a message, not a record */
#define AHEAD_FLUSH (UINT32_MAX - 1) /* or: the input paused here, flush */

struct ahead {
	mtx_t m;
	cnd_t c;
	cpl_buf blk[AHEAD_SLOTS];
	size_t filled, used; /* blocks handed over, blocks given out in full */
	int done, stop;
	int reader_waits, loop_waits;
	int unflushed;      /* records read since the last flush mark */
	thrd_t t;
	cpl_buf *fill;      /* the reading thread's block */
	cpl_buf *cur;       /* run_next's block */
	size_t at;          /* run_next's place in it */
	cpl_buf problem;    /* the current record's reader problem, NUL-ended */
};

static _Thread_local cpl_run *ahead_run; /* the run this thread reads for */

/* Hand the block being filled over (waking run_next's thread now if wake);
 * wait for a free one unless at the end. */
static void ahead_hand_over(struct ahead *a, int last, int wake)
{
	mtx_lock(&a->m);
	a->filled++;
	a->done = last;
	if (a->loop_waits && (last || wake || a->filled - a->used >= AHEAD_WAKE))
		cnd_broadcast(&a->c);
	while (!last && !a->stop && a->filled - a->used >= AHEAD_SLOTS) {
		a->reader_waits = 1;
		cnd_wait(&a->c, &a->m);
		a->reader_waits = 0;
	}
	int stop = a->stop;
	mtx_unlock(&a->m);
	if (stop)
		thrd_exit(0);
	a->fill = last ? NULL : &a->blk[a->filled % AHEAD_SLOTS];
	if (a->fill)
		buf_clear(a->fill);
}

/* A message of the reading thread, as an item of its block: a warning
 * (status -1) goes where the record being read falls; after a fatal one
 * the block is handed over as the last and the thread ends. */
static void ahead_say(int status, const char *line, size_t len)
{
	struct ahead *a = ahead_run->ahead;
	spooled h = {0, status, AHEAD_SAY, 0, (uint32_t)len, 0, len};
	buf_add(a->fill, &h, sizeof h);
	buf_add(a->fill, line, len);
	if (status < 0)
		return;
	ahead_hand_over(a, 1, 1);
	thrd_exit(0);
}

/* The input has nothing to read for now: the records read so far go over
 * at once, with a mark after them that has run_next flush the output. */
static void ahead_stalled(struct ahead *a)
{
	if (!a->unflushed)
		return;
	a->unflushed = 0;
	spooled h = {0, 0, AHEAD_FLUSH, 0, 0, 0, 0};
	buf_add(a->fill, &h, sizeof h);
	ahead_hand_over(a, 0, 1);
}

/* The next read of the input would wait (a pipe, a terminal): the records
 * written so far go out now rather than when 256 KB have piled up, so that
 * `tail -n +1 -f log | cpldeadline` keeps up.  The previous record has been
 * emitted whenever a read is due; the reading thread leaves the flush to
 * run_next's thread, which owns the output: it calls this again when it
 * reaches the mark. */
static void input_stalled(void *arg)
{
	cpl_run *r = arg;
	if (ahead_run == r)
		ahead_stalled(r->ahead);
	else if (r->w)
		writer_flush(r->w);
}

static int ahead_read(void *arg)
{
	cpl_run *r = arg;
	struct ahead *a = r->ahead;
	ahead_run = r;
	cpl_divert_messages(ahead_say);
	for (;;) {
		cpl_record *rec = NULL;
		while (a->fill->len < AHEAD_BYTES && (rec = read_record(r))) {
			progress_count();
			uint32_t input = (uint32_t)(r->cur_input - 1);
			note_name(r, input, rec->file);
			spool_record(r, rec, reader_problem(r->rd), a->fill);
			a->unflushed = 1;
		}
		ahead_hand_over(a, !rec, 0);
		if (!rec)
			return 0;
	}
}

/* Start the reading thread, when there is a processor for it. */
static void ahead_start(cpl_run *r)
{
	r->ahead_tried = 1;
	if (r->empty || cpl_processors() < 2)
		return;
	struct ahead *a = xcalloc(1, sizeof *a);
	if (!r->names)
		r->names = xcalloc((size_t)r->ninputs + 1, sizeof *r->names);
	a->fill = &a->blk[0];
	r->ahead = a;
	int m = mtx_init(&a->m, mtx_plain) == thrd_success;
	int c = m && cnd_init(&a->c) == thrd_success;
	if (c && thrd_create(&a->t, ahead_read, r) == thrd_success)
		return;
	r->ahead = NULL; /* read in this thread, as without a processor to spare */
	if (c)
		cnd_destroy(&a->c);
	if (m)
		mtx_destroy(&a->m);
	free(a);
}

/* Stop the reading thread (at the end, it has stopped already) and free
 * what it held. */
static void ahead_end(cpl_run *r)
{
	struct ahead *a = r->ahead;
	if (!a)
		return;
	mtx_lock(&a->m);
	a->stop = 1;
	cnd_broadcast(&a->c);
	mtx_unlock(&a->m);
	thrd_join(a->t, NULL);
	cnd_destroy(&a->c);
	mtx_destroy(&a->m);
	for (int i = 0; i < AHEAD_SLOTS; i++)
		buf_free(&a->blk[i]);
	buf_free(&a->problem);
	free(a);
	r->ahead = NULL;
}

/* The next record the reading thread handed over, saying its messages on
 * the way; NULL at the end.  Its reader problem is left in r->rproblem. */
static cpl_record *ahead_record(cpl_run *r)
{
	struct ahead *a = r->ahead;
	for (;;) {
		if (a->cur && a->at < a->cur->len) {
			spooled h;
			const char *p = a->cur->s + a->at;
			memcpy(&h, p, sizeof h);
			p += sizeof h;
			a->at += sizeof h + (size_t)h.size;
			if (h.input == AHEAD_FLUSH) {
				input_stalled(r);
				continue;
			}
			if (h.input == AHEAD_SAY) {
				progress_hide();
				cpl_say(p, h.plen);
				if (h.recno >= 0)
					cpl_exit((int)h.recno);
				continue;
			}
			r->rproblem = NULL;
			if (h.plen) { /* copied out: NUL-ended */
				buf_clear(&a->problem);
				buf_add(&a->problem, p, h.plen);
				r->rproblem = a->problem.s;
			}
			return kept_record(r, &h, p);
		}
		mtx_lock(&a->m);
		if (a->cur) { /* every record of it given: the slot is free */
			a->used++;
			a->cur = NULL;
			if (a->reader_waits && a->filled - a->used <= AHEAD_SLOTS - AHEAD_WAKE)
				cnd_broadcast(&a->c);
		}
		while (a->filled == a->used && !a->done) {
			a->loop_waits = 1;
			cnd_wait(&a->c, &a->m);
			a->loop_waits = 0;
		}
		if (a->filled > a->used) {
			a->cur = &a->blk[a->used % AHEAD_SLOTS];
			a->at = 0;
		}
		mtx_unlock(&a->m);
		if (!a->cur) {
			ahead_end(r);
			return NULL;
		}
	}
}

/* rec the current record: nothing set or said of it yet but its shape and
 * the reader's problem. */
static void record_begin(cpl_run *r, cpl_record *rec, const char *problem)
{
	r->rec = rec;
	buf_clear(&r->problems);
	r->has_problem = 0;
	for (size_t s = 0; s < r->nslots; s++)
		buf_clear(&r->vals[s]);
	fit_to_header(r);
	if (problem)
		run_problem(r, "%s", problem);
}

cpl_record *run_next(cpl_run *r)
{
	if (r->empty || r->once)
		return NULL;
	if (!r->ahead_tried && !r->replaying) { /* the first record */
		check_maps(r);
		ahead_start(r);
	}
	cpl_record *rec = r->replaying ? unspool_record(r) : r->ahead ? ahead_record(r) : read_record(r);
	if (!rec)
		return r->rec = NULL;
	if (!r->ahead) /* the reading thread counts its own */
		progress_count();
	record_begin(r, rec, r->replaying || r->ahead ? r->rproblem : reader_problem(r->rd));
	return rec;
}

const char *run_field(cpl_run *r, int idx, size_t *len)
{
	if (idx < 0 || (size_t)idx >= r->ncols || !r->rec) {
		if (len)
			*len = 0;
		return "";
	}
	if (len)
		*len = r->fields[idx].len;
	return r->fields[idx].s;
}

void run_set(cpl_run *r, int slot, const char *s, size_t len)
{
	buf_clear(&r->vals[slot]);
	buf_add(&r->vals[slot], s, len);
}

void run_sets(cpl_run *r, int slot, const char *s) { run_set(r, slot, s, strlen(s)); }

void run_setf(cpl_run *r, int slot, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof small) {
		run_set(r, slot, small, (size_t)n);
		return;
	}
	buf_clear(&r->vals[slot]);
	buf_grow(&r->vals[slot], (size_t)n);
	va_start(ap, fmt);
	vsnprintf(r->vals[slot].s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	r->vals[slot].len = (size_t)n;
}

void run_problem(cpl_run *r, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* '|' separates the commands' parts of cpl_problems */
	for (char *p = msg; *p; p++)
		if (*p == '|' || *p == '\n' || *p == '\r')
			*p = ' ';
	if (r->view) { /* into the worker's block, said when it is committed */
		cpl_warn_at(r->rec ? r->rec->file : NULL, r->rec ? r->rec->line : 0, "%s", msg);
	} else {
		flockfile(stderr); /* with cplreport, this may be another thread than the progress line's */
		progress_hide(); /* the message starts a clean line; the next tick redraws */
		cpl_warn_at(r->rec ? r->rec->file : NULL, r->rec ? r->rec->line : 0, "%s", msg);
		funlockfile(stderr);
	}
	if (!r->has_problem) {
		r->nproblem_records++;
		r->has_problem = 1;
	} else {
		buf_adds(&r->problems, "; ");
	}
	buf_adds(&r->problems, msg);
}

void run_mark_problem(cpl_run *r)
{
	if (!r->has_problem) {
		r->nproblem_records++;
		r->has_problem = 1;
	}
}

long run_problem_count(cpl_run *r) { return r->nproblem_records; }

/* cpl_problems = the other commands' parts, then ours. */
static void build_problems(cpl_run *r, cpl_buf *out)
{
	buf_clear(out);
	size_t plen = 0;
	const char *prev = r->problems_in >= 0 ? run_field(r, r->problems_in, &plen) : "";
	size_t namelen = strlen(cpl_prog);
	const char *p = prev, *end = prev + plen;
	while (p < end) {
		const char *sep = memmem(p, (size_t)(end - p), " | ", 3);
		const char *e = sep ? sep : end;
		int ours = (size_t)(e - p) > namelen + 1 && !memcmp(p, cpl_prog, namelen) && p[namelen] == ':';
		if (!ours && e > p) {
			if (out->len)
				buf_adds(out, " | ");
			buf_add(out, p, (size_t)(e - p));
		}
		p = sep ? sep + 3 : end;
	}
	if (r->has_problem && r->problems.len) {
		if (out->len)
			buf_adds(out, " | ");
		buf_printf(out, "%s: ", cpl_prog);
		buf_add(out, r->problems.s, r->problems.len);
	}
}

void run_emit(cpl_run *r)
{
	if (r->raw_output || !r->rec)
		return;
	write_header(r);
	build_problems(r, &r->tmp);
	run_set(r, r->problems_slot, r->tmp.s ? r->tmp.s : "", r->tmp.len);
	/* the input's columns that no slot replaces go out in runs */
	for (size_t i = 0, j; i < r->ncols; i = j) {
		for (j = i; j < r->ncols && r->col_slot[j] < 0; j++)
			;
		if (j > i)
			writer_record(r->w, r->fields + i, j - i);
		if (j < r->ncols) {
			int s = r->col_slot[j++];
			writer_field(r->w, r->vals[s].s ? r->vals[s].s : "", r->vals[s].len);
		}
	}
	for (size_t s = 0; s < r->nslots; s++)
		if (r->slot_replaces[s] < 0)
			writer_field(r->w, r->vals[s].s ? r->vals[s].s : "", r->vals[s].len);
	writer_endrow(r->w);
}

/* ---- the second reading on every processor ---- */

/* What a run (or a view) holds of the record in hand. */
static void record_state_free(cpl_run *r)
{
	for (size_t s = 0; s < r->nslots; s++)
		buf_free(&r->vals[s]);
	free(r->vals);
	free(r->fields);
	free(r->pf);
	free(r->perm);
	free(r->rf);
	buf_free(&r->joined);
	buf_free(&r->problems);
	buf_free(&r->tmp);
	buf_free(&r->rbuf);
}

cpl_run *run_view(cpl_run *r)
{
	if (r->raw_output || !r->replaying)
		cpl_die(CPL_EXIT_USAGE, "internal error: a view of a run with no kept records");
	write_header(r); /* every column is there now: the views share them */
	cpl_run *v = xmalloc(sizeof *v);
	/* the header, the columns and the inputs' names, read only; the rest
	 * (the record in hand, its values and problems) the view's own */
	*v = (cpl_run){.cmd = r->cmd, .ninputs = r->ninputs, .header_done = 1, .ncols = r->ncols,
		.cols = r->cols, .nslots = r->nslots, .slot_names = r->slot_names,
		.slot_replaces = r->slot_replaces, .col_slot = r->col_slot,
		.problems_slot = r->problems_slot, .problems_in = r->problems_in, .names = r->names,
		.ahead_tried = 1, .view = 1};
	v->vals = xcalloc(r->nslots + 1, sizeof *v->vals);
	v->w = writer_to_buf(NULL, cpl_opt.out_delim, cpl_opt.excel); /* as run_start's */
	return v;
}

void run_view_free(cpl_run *r, cpl_run *v)
{
	if (!v)
		return;
	r->nproblem_records += v->nproblem_records;
	writer_sink(v->w, NULL); /* nothing left in it: each block was flushed */
	writer_close(v->w);
	record_state_free(v);
	free(v);
}

/* A worker's messages, while it works on a block: into the block, each
 * with its length before it, to be said in order at the commit; a fatal
 * one is said now. */
static _Thread_local cpl_buf *post_said;

static void post_say(int status, const char *line, size_t len)
{
	if (status >= 0) {
		cpl_say(line, len);
		cpl_exit(status);
	}
	uint32_t n = (uint32_t)len;
	buf_add(post_said, &n, sizeof n);
	buf_add(post_said, line, n);
}

/* Every record of a block through ps->each in the worker's view; the
 * block's output and messages left in the slot. */
static void post_block(const run_post *ps, worker_arg *w, slot *sl)
{
	cpl_run *v = w->view;
	buf_clear(&sl->out);
	buf_clear(&sl->said);
	writer_sink(v->w, &sl->out);
	post_said = &sl->said;
	cpl_divert_messages(post_say);
	const char *an = sl->annex.s;
	for (size_t at = 0; at < sl->in.len;) {
		spooled h;
		memcpy(&h, sl->in.s + at, sizeof h);
		const char *p = sl->in.s + at + sizeof h;
		at += sizeof h + (size_t)h.size;
		const char *problem = kept_problem(&h, p, &v->rbuf);
		record_begin(v, kept_record(v, &h, p), problem);
		uint32_t alen;
		memcpy(&alen, an, sizeof alen);
		an += sizeof alen;
		ps->each(w->wctx, v, an, alen);
		an += alen;
	}
	writer_flush(v->w);
	writer_sink(v->w, NULL);
	cpl_divert_messages(NULL);
	v->rec = NULL;
}

static void post_commit(cpl_run *r, const slot *sl)
{
	if (sl->said.len) {
		flockfile(stderr);
		progress_hide();
		for (size_t at = 0; at < sl->said.len;) {
			uint32_t n;
			memcpy(&n, sl->said.s + at, sizeof n);
			cpl_say(sl->said.s + at + sizeof n, n);
			at += sizeof n + n;
		}
		funlockfile(stderr);
	}
	if (sl->out.len)
		writer_raw(r->w, sl->out.s, sl->out.len);
}

void run_postpass(cpl_run *r, const run_post *ps)
{
	if (!r->replaying)
		cpl_die(CPL_EXIT_USAGE, "internal error: run_postpass with no kept records");
	int nw = ps->nworkers < 1 ? 1 : ps->nworkers > MAX_WORKERS ? MAX_WORKERS : ps->nworkers;
	handoff ho = {.r = r, .post = ps, .nslots = 2 * (size_t)nw + 2};
	worker_arg wa[MAX_WORKERS] = {{0}};
	thrd_t t[MAX_WORKERS];
	int started;
	for (int i = 0; i < nw; i++)
		wa[i] = (worker_arg){.ho = &ho, .wctx = ps->wctx[i], .view = ps->views[i]};
	int threaded = handoff_start(&ho, wa, nw, t, &started);
	slot one = {0};
	slot *cur = threaded ? &ho.slots[0] : &one;
	spooled h;
	const char *p;
	while ((p = unspool_next(r, &h))) {
		progress_count();
		buf_add(&cur->in, &h, sizeof h);
		buf_add(&cur->in, p, (size_t)h.size);
		size_t at = cur->annex.len;
		uint32_t alen = 0;
		buf_add(&cur->annex, &alen, sizeof alen);
		ps->annex(ps->ctx, &cur->annex);
		alen = (uint32_t)(cur->annex.len - at - sizeof alen);
		memcpy(cur->annex.s + at, &alen, sizeof alen);
		if (cur->in.len < BLOCK_BYTES)
			continue;
		if (!threaded) {
			post_block(ps, &wa[nw - 1], cur);
			post_commit(r, cur);
			buf_clear(&cur->in);
			buf_clear(&cur->annex);
			continue;
		}
		cur = handoff_fill(&ho, &wa[nw - 1]);
	}
	if (threaded) {
		handoff_end(&ho, cur, &wa[nw - 1], t, started);
	} else if (cur->in.len) {
		post_block(ps, &wa[nw - 1], cur);
		post_commit(r, cur);
	}
	buf_free(&one.in);
	buf_free(&one.out);
	buf_free(&one.annex);
	buf_free(&one.said);
	r->rec = NULL;
}

cpl_saved *run_save(cpl_run *r)
{
	cpl_saved *s = xcalloc(1, sizeof *s);
	size_t total = 0;
	for (size_t i = 0; i < r->ncols; i++)
		total += r->fields[i].len + 1;
	s->store = xmalloc(total + 1);
	s->f = xmalloc((r->ncols + 1) * sizeof *s->f);
	char *p = s->store;
	for (size_t i = 0; i < r->ncols; i++) {
		memcpy(p, r->fields[i].s, r->fields[i].len);
		p[r->fields[i].len] = 0;
		s->f[i] = (cpl_field){p, r->fields[i].len};
		p += r->fields[i].len + 1;
	}
	s->n = r->ncols;
	s->nslots = r->nslots;
	s->vals = xcalloc(r->nslots + 1, sizeof *s->vals);
	for (size_t k = 0; k < r->nslots; k++)
		if (r->vals[k].len)
			buf_add(&s->vals[k], r->vals[k].s, r->vals[k].len);
	if (r->problems.len)
		buf_add(&s->problems, r->problems.s, r->problems.len);
	s->has_problem = r->has_problem;
	s->line = r->rec->line;
	s->recno = r->rec->recno;
	s->file = r->rec->file;
	return s;
}

void run_restore(cpl_run *r, cpl_saved *s)
{
	static cpl_record rec;
	rec.f = s->f;
	rec.n = s->n;
	rec.line = s->line;
	rec.recno = s->recno;
	rec.file = s->file;
	r->rec = &rec;
	if (r->fcap < s->n + 1) {
		r->fcap = s->n + 1;
		r->fields = xrealloc(r->fields, r->fcap * sizeof *r->fields);
	}
	memcpy(r->fields, s->f, s->n * sizeof *s->f);
	for (size_t k = 0; k < r->nslots; k++) {
		buf_clear(&r->vals[k]);
		if (k < s->nslots && s->vals[k].len)
			buf_add(&r->vals[k], s->vals[k].s, s->vals[k].len);
	}
	buf_clear(&r->problems);
	if (s->problems.len)
		buf_add(&r->problems, s->problems.s, s->problems.len);
	r->has_problem = s->has_problem;
}

void run_saved_free(cpl_saved *s)
{
	if (!s)
		return;
	for (size_t k = 0; k < s->nslots; k++)
		buf_free(&s->vals[k]);
	free(s->vals);
	buf_free(&s->problems);
	free(s->f);
	free(s->store);
	free(s);
}

cpl_writer *run_writer(cpl_run *r)
{
	r->raw_output = 1;
	return r->w;
}

size_t run_ncols(cpl_run *r) { return r->ncols; }
const char *run_colname(cpl_run *r, size_t idx) { return idx < r->ncols ? r->cols[idx] : ""; }
const char *run_file(cpl_run *r) { return r->rec ? r->rec->file : (r->rd ? reader_name(r->rd) : "<stdin>"); }
long run_line(cpl_run *r) { return r->rec ? r->rec->line : 0; }

int run_finish(cpl_run *r)
{
	if (!r->raw_output)
		write_header(r);
	ahead_end(r);
	if (r->rd)
		next_reader(r);
	progress_hide();
	progress.on = 0;
	writer_close(r->w); /* flushes; a failed write dies with status 4 */
	r->w = NULL;
	if (close(r->out_fd) != 0 && errno != EBADF)
		cpl_die(CPL_EXIT_IO, "write error: %s:", cpl_opt.output ? cpl_opt.output : "<stdout>");
	if (cpl_opt.output)
		outfile_commit();
	int status = r->nproblem_records ? CPL_EXIT_DATA : CPL_EXIT_OK;
	/* the run ends here: free what it holds, so leak checkers see none */
	for (size_t i = 0; i < r->ncols; i++)
		free(r->cols[i]);
	free(r->cols);
	free(r->col_len);
	for (size_t s = 0; s < r->nslots; s++)
		free(r->slot_names[s]);
	free(r->slot_names);
	free(r->slot_replaces);
	free(r->col_slot);
	record_state_free(r);
	spoolin_close(&r->replay_in);
	tmp_file_close(r->replay, r->replay_buf);
	free_strings(r->names, (size_t)r->ninputs);
	free(r);
	return status;
}
