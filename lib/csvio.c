/* csvio.c: the record layer.  A streaming reader over libcsv that keeps
 * every byte of every field (spaces, NULs, embedded newlines), knows the line
 * each record starts on, and reports what is wrong with a record instead of
 * dropping it; and a writer with minimal quoting that gives fields back byte
 * for byte. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <csv.h>
#include "cpl.h"

#define READ_CHUNK (256 * 1024)

/* libcsv's parser states (csv.h does not export them) */
#define LIBCSV_FIELD_BEGUN 2

struct pending {
	size_t first; /* index into offs/lens */
	size_t n;
	long line;
	long breaks;  /* line breaks inside its fields */
	unsigned flags;
};
enum { P_UNTERMINATED = 1 };

struct cpl_reader {
	int fd;
	const char *mem;    /* reading from memory instead of fd */
	size_t memlen;
	char *name;
	struct csv_parser p;
	cpl_decoder *dec;
	char *chunk;
	cpl_buf conv;       /* decoded bytes waiting to be parsed */
	long dec_bad, dec_bad_seen;
	int started, eof, io_errno;

	/* fields parsed and not yet handed out */
	cpl_buf arena;
	size_t *offs, *lens, nfields, capfields;
	size_t cur_first;   /* first field of the record being parsed */
	long line;          /* line where the record being parsed starts */
	int last_term;
	struct pending *q;
	size_t qhead, qlen, qcap;

	/* the record handed out */
	cpl_record rec;
	cpl_field *fbuf;
	size_t fcap;
	long recno;
	cpl_buf problem;
	int has_problem;

	void (*stall)(void *); /* said before a read that would wait */
	void *stall_arg;
	int may_stall;      /* a pipe, socket or terminal: reads may wait */
};

static int no_space(unsigned char c) { (void)c; return 0; }

static void on_field(void *s, size_t len, void *data)
{
	cpl_reader *r = data;
	if (r->nfields == r->capfields) {
		r->capfields = r->capfields ? r->capfields * 2 : 256;
		r->offs = xrealloc(r->offs, r->capfields * sizeof *r->offs);
		r->lens = xrealloc(r->lens, r->capfields * sizeof *r->lens);
	}
	r->offs[r->nfields] = r->arena.len;
	r->lens[r->nfields] = len;
	r->nfields++;
	/* the field and its NUL, and the buffer's own NUL after them */
	cpl_buf *a = &r->arena;
	if (a->len + len + 2 > a->cap)
		buf_grow(a, len + 1);
	char *d = a->s + a->len;
	if (len)
		memcpy(d, s, len);
	d[len] = 0;
	d[len + 1] = 0;
	a->len += len + 1;
}

static void push_record(cpl_reader *r, unsigned flags, long breaks)
{
	if (r->qlen + r->qhead == r->qcap) {
		r->qcap = r->qcap ? r->qcap * 2 : 64;
		r->q = xrealloc(r->q, r->qcap * sizeof *r->q);
	}
	struct pending *pd = &r->q[r->qhead + r->qlen++];
	pd->first = r->cur_first;
	pd->n = r->nfields - r->cur_first;
	pd->line = r->line;
	pd->breaks = breaks;
	pd->flags = flags;
	r->cur_first = r->nfields;
}

static void on_record(int c, void *data)
{
	cpl_reader *r = data;
	if (r->nfields == r->cur_first) {
		/* no fields: a blank line, or the LF of a CRLF */
		if (!(c == '\n' && r->last_term == '\r') && c != -1)
			r->line++;
		r->last_term = c;
		return;
	}
	/* the newlines inside its fields, counted once over all of them */
	const char *p = r->arena.s + r->offs[r->cur_first], *end = r->arena.s + r->arena.len;
	long newlines = 0;
	while ((p = memchr(p, '\n', (size_t)(end - p)))) {
		newlines++;
		p++;
	}
	push_record(r, 0, newlines);
	r->line += newlines + 1;
	r->last_term = c;
}

cpl_reader *reader_open(const char *path, const cpl_input_opts *o)
{
	int fd = 0;
	const char *name = "<stdin>";
	if (path && strcmp(path, "-") != 0) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return NULL;
		name = path;
	}
	cpl_reader *r = xcalloc(1, sizeof *r);
	r->fd = fd;
	r->name = xstrdup(name);
	r->line = 1;
	r->chunk = xmalloc(READ_CHUNK);
	if (csv_init(&r->p, CSV_REPALL_NL | CSV_APPEND_NULL) != 0)
		cpl_die(CPL_EXIT_IO, "cannot initialise the csv parser");
	csv_set_space_func(&r->p, no_space);
	csv_set_blk_size(&r->p, 64 * 1024);
	csv_set_delim(&r->p, (unsigned char)(o && o->delim ? o->delim : ','));
	r->dec = decoder_open(o ? o->encoding : NULL);
	return r;
}

cpl_reader *reader_open_mem(const char *name, const char *data, size_t len, const cpl_input_opts *o)
{
	cpl_reader *r = reader_open(NULL, o);
	free(r->name);
	r->name = xstrdup(name);
	r->fd = -1;
	r->mem = data;
	r->memlen = len;
	return r;
}

void reader_on_stall(cpl_reader *r, void (*fn)(void *), void *arg)
{
	struct stat st;
	r->stall = fn;
	r->stall_arg = arg;
	r->may_stall = fn && !r->mem && r->fd >= 0 && fstat(r->fd, &st) == 0 &&
		(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || S_ISCHR(st.st_mode));
}

/* Would a read of fd wait?  Not when poll cannot tell. */
static int would_wait(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	return poll(&p, 1, 0) == 0;
}

const char *reader_name(cpl_reader *r) { return r->name; }
int reader_io_error(cpl_reader *r) { return r->io_errno; }
int reader_fd(cpl_reader *r) { return r->fd; }
const char *reader_problem(cpl_reader *r) { return r->has_problem ? r->problem.s : NULL; }

/* Drop fields already handed out, keeping the record being parsed. */
static void compact(cpl_reader *r)
{
	if (r->cur_first == 0)
		return;
	size_t keep = r->nfields - r->cur_first;
	size_t from = r->cur_first < r->nfields ? r->offs[r->cur_first] : r->arena.len;
	memmove(r->arena.s, r->arena.s + from, r->arena.len - from);
	r->arena.len -= from;
	for (size_t i = 0; i < keep; i++) {
		r->offs[i] = r->offs[r->cur_first + i] - from;
		r->lens[i] = r->lens[r->cur_first + i];
	}
	r->nfields = keep;
	r->cur_first = 0;
	r->qhead = r->qlen = 0;
}

static void parse(cpl_reader *r, const char *s, size_t n)
{
	if (!r->started) {
		r->started = 1;
		if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
			s += 3, n -= 3;
	}
	if (csv_parse(&r->p, s, n, on_field, on_record, r) != n)
		cpl_die(CPL_EXIT_IO, "%s: %s", r->name, csv_strerror(csv_error(&r->p)));
}

static void finish(cpl_reader *r)
{
	r->eof = 1;
	int unterminated = r->p.pstate == LIBCSV_FIELD_BEGUN && r->p.quoted;
	size_t before = r->qlen;
	csv_fini(&r->p, on_field, on_record, r);
	if (unterminated && r->qlen > before)
		r->q[r->qhead + r->qlen - 1].flags |= P_UNTERMINATED;
}

/* Read and parse until at least one record is queued or the input ends. */
static void fill(cpl_reader *r)
{
	compact(r);
	if (r->mem && !r->eof) {
		parse(r, r->mem, r->memlen);
		finish(r);
	}
	while (r->qlen == 0 && !r->eof) {
		if (r->may_stall && would_wait(r->fd))
			r->stall(r->stall_arg);
		ssize_t n = read(r->fd, r->chunk, READ_CHUNK);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r->io_errno = errno;
			n = 0;
		}
		if (!r->dec) {
			if (n == 0)
				finish(r);
			else
				parse(r, r->chunk, (size_t)n);
			continue;
		}
		size_t inlen = (size_t)n;
		buf_clear(&r->conv);
		decoder_convert(r->dec, r->chunk, &inlen, n == 0, &r->conv, &r->dec_bad);
		const char *s = r->conv.s;
		size_t len = r->conv.len;
		if (!r->started && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
			s += 3, len -= 3; /* U+FEFF written by iconv for a GB18030 BOM */
		if (len)
			parse(r, s, len);
		if (n == 0)
			finish(r);
	}
}

static void check_record(cpl_reader *r, const struct pending *pd)
{
	buf_clear(&r->problem);
	r->has_problem = 0;
	if (!r->dec && !(pd->flags & P_UNTERMINATED)) {
		/* The fields lie one after another in the arena, each ended by a
		 * NUL: a record is clean when all of it is valid UTF-8 and it
		 * holds only those NULs.  Otherwise the fields are looked at one
		 * by one, to say which and where. */
		const cpl_field *f = r->rec.f;
		size_t n = r->rec.n, nuls;
		if (utf8_valid_nuls(f[0].s, (size_t)(f[n - 1].s - f[0].s) + f[n - 1].len, &nuls) && nuls == n - 1)
			return;
	}
	if (pd->flags & P_UNTERMINATED) {
		buf_printf(&r->problem, "unterminated quoted field: it runs from this record to the end of the input");
		r->has_problem = 1;
	}
	for (size_t i = 0; i < r->rec.n; i++) {
		const cpl_field *f = &r->rec.f[i];
		static const char utf16[] = " (it reads as UTF-16: try --encoding utf-16)";
		size_t bad;
		int nul = memchr(f->s, 0, f->len) != NULL;
		/* the UTF-16 hint once, with the field's first problem; looked at
		 * only once there is one */
		int u16 = nul && !r->dec && looks_like_utf16(f->s, f->len);
		if (nul) {
			buf_printf(&r->problem, "%sNUL byte in field %zu%s", r->has_problem ? "; " : "", i + 1, u16 ? utf16 : "");
			r->has_problem = 1;
		}
		if (!r->dec && !utf8_valid(f->s, f->len, &bad)) {
			const char *hint = u16 ? "" : (!nul && looks_like_utf16(f->s, f->len)) ? utf16
				: looks_like_gb18030(f->s, f->len) ? " (it reads as GB18030: try --encoding gb18030)" : "";
			buf_printf(&r->problem, "%sinvalid UTF-8 in field %zu at byte %zu%s",
				r->has_problem ? "; " : "", i + 1, bad + 1, hint);
			r->has_problem = 1;
			break;
		}
		if (r->dec && r->dec_bad != r->dec_bad_seen && memmem(f->s, f->len, "\xEF\xBF\xBD", 3)) {
			buf_printf(&r->problem, "%sbytes that are not valid in the input encoding, replaced by U+FFFD",
				r->has_problem ? "; " : "");
			r->has_problem = 1;
		}
	}
}

cpl_record *reader_next(cpl_reader *r)
{
	if (r->qlen == 0)
		fill(r);
	if (r->qlen == 0)
		return NULL;
	struct pending *pd = &r->q[r->qhead++];
	r->qlen--;
	if (pd->n > r->fcap) {
		r->fcap = pd->n * 2;
		r->fbuf = xrealloc(r->fbuf, r->fcap * sizeof *r->fbuf);
	}
	for (size_t i = 0; i < pd->n; i++) {
		r->fbuf[i].s = r->arena.s + r->offs[pd->first + i];
		r->fbuf[i].len = r->lens[pd->first + i];
	}
	r->rec.f = r->fbuf;
	r->rec.n = pd->n;
	r->rec.line = pd->line;
	r->rec.breaks = pd->breaks;
	r->rec.recno = ++r->recno;
	r->rec.file = r->name;
	check_record(r, pd);
	if (r->qlen == 0 && r->dec)
		r->dec_bad_seen = r->dec_bad;
	return &r->rec;
}

void reader_close(cpl_reader *r)
{
	if (!r)
		return;
	if (r->fd > 0)
		close(r->fd);
	csv_free(&r->p);
	decoder_close(r->dec);
	free(r->name);
	free(r->chunk);
	buf_free(&r->conv);
	buf_free(&r->arena);
	buf_free(&r->problem);
	free(r->offs);
	free(r->lens);
	free(r->q);
	free(r->fbuf);
	free(r);
}

/* ---- writer ---- */

#define WBUF (256 * 1024)

struct cpl_writer {
	int fd;
	char *name;
	char delim;
	int excel;
	int nfield;
	char *b;
	size_t len;
	cpl_buf *sink; /* writer_to_buf: what a flush adds to, in place of fd */
};

static cpl_writer *writer_new(int fd, const char *name, char delim, int excel)
{
	cpl_writer *w = xcalloc(1, sizeof *w);
	w->fd = fd;
	w->name = xstrdup(name);
	w->delim = delim ? delim : ',';
	w->excel = excel;
	w->b = xmalloc(WBUF);
	return w;
}

cpl_writer *writer_open(int fd, const char *name, char delim, int excel)
{
	cpl_writer *w = writer_new(fd, name, delim, excel);
#ifdef F_SETPIPE_SZ
	/* A pipe holds 64 KB: a 256 KB flush into the next command of a
	 * pipeline would wait on it four times.  Room for a few flushes lets
	 * the two commands run side by side (Linux; a failure changes
	 * nothing but speed). */
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode) && fcntl(fd, F_GETPIPE_SZ) < 4 * WBUF)
		(void)fcntl(fd, F_SETPIPE_SZ, 4 * WBUF);
#endif
	if (excel)
		writer_lit(w, "\xEF\xBB\xBF");
	return w;
}

/* The same bytes as writer_open's would write, without a byte order mark,
 * added to *sink at each flush (writer_sink may move it). */
cpl_writer *writer_to_buf(cpl_buf *sink, char delim, int excel)
{
	cpl_writer *w = writer_new(-1, "<memory>", delim, excel);
	w->sink = sink;
	return w;
}

void writer_sink(cpl_writer *w, cpl_buf *sink) { w->sink = sink; }

void writer_flush(cpl_writer *w)
{
	if (w->fd < 0) { /* writer_to_buf's: with no sink, the bytes had nowhere to go */
		if (w->sink)
			buf_add(w->sink, w->b, w->len);
		w->len = 0;
		return;
	}
	size_t off = 0;
	while (off < w->len) {
		ssize_t n = write(w->fd, w->b + off, w->len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			cpl_die(CPL_EXIT_IO, "write error: %s:", w->name);
		}
		off += (size_t)n;
	}
	w->len = 0;
}

void writer_raw(cpl_writer *w, const char *s, size_t len)
{
	if (w->len + len > WBUF) {
		writer_flush(w);
		if (len > WBUF) {
			/* a huge field goes straight out */
			char *keep = w->b;
			size_t cap = w->len;
			w->b = (char *)s;
			w->len = len;
			writer_flush(w);
			w->b = keep;
			w->len = cap;
			return;
		}
	}
	memcpy(w->b + w->len, s, len);
	w->len += len;
}

void writer_rawf(cpl_writer *w, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		writer_raw(w, small, (size_t)n);
		return;
	}
	char *big = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	writer_raw(w, big, (size_t)n);
	free(big);
}

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* A byte below 0x23 (which holds '"', CR and LF) or equal to the delimiter,
 * somewhere in w: then the bytes are looked at one by one. */
static inline int word_suspect(uint64_t w, uint64_t dmask)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	uint64_t x = w ^ dmask;
	return ((((w - ones * 0x23) & ~w) | ((x - ones) & ~x)) & high) != 0;
}

static int bytes_need_quote(const unsigned char *p, size_t n, unsigned char delim)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] == delim || p[i] == '"' || p[i] == '\n' || p[i] == '\r')
			return 1;
	return 0;
}

int csv_needs_quote(const char *s, size_t len, char delim)
{
	/* eight bytes at a time, the last eight read again rather than byte
	 * by byte; a short field as two overlapping fours */
	const unsigned char *p = (const unsigned char *)s;
	const uint64_t dmask = 0x0101010101010101ULL * (unsigned char)delim;
	uint64_t w;
#ifdef __SSE2__
	if (len >= 16) {
		/* sixteen at a time, the four bytes compared exactly */
		const __m128i q = _mm_set1_epi8('"'), lf = _mm_set1_epi8('\n');
		const __m128i cr = _mm_set1_epi8('\r'), dl = _mm_set1_epi8(delim);
		for (size_t i = 0;; i += 16) {
			if (i + 16 > len)
				i = len - 16;
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
			__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, lf)),
				_mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, dl)));
			if (_mm_movemask_epi8(m))
				return 1;
			if (i + 16 == len)
				return 0;
		}
	}
#endif
	if (len >= 8) {
		for (size_t i = 0; i + 8 < len; i += 8) {
			memcpy(&w, p + i, 8);
			if (word_suspect(w, dmask) && bytes_need_quote(p + i, 8, (unsigned char)delim))
				return 1;
		}
		memcpy(&w, p + len - 8, 8);
		return word_suspect(w, dmask) && bytes_need_quote(p + len - 8, 8, (unsigned char)delim);
	}
	if (len >= 4) {
		uint32_t a, b;
		memcpy(&a, p, 4);
		memcpy(&b, p + len - 4, 4);
		w = (uint64_t)a << 32 | b;
		return word_suspect(w, dmask) && bytes_need_quote(p, len, (unsigned char)delim);
	}
	return bytes_need_quote(p, len, (unsigned char)delim);
}

void writer_field(cpl_writer *w, const char *s, size_t len)
{
	int sep = w->nfield++ != 0;
	if (!csv_needs_quote(s, len, w->delim)) {
		if (w->len + len + 1 <= WBUF) {
			/* the usual case: straight into the buffer */
			char *d = w->b + w->len;
			*d = w->delim;
			memcpy(d + sep, s, len);
			w->len += len + (size_t)sep;
			return;
		}
		if (sep)
			writer_raw(w, &w->delim, 1);
		writer_raw(w, s, len);
		return;
	}
	if (sep)
		writer_raw(w, &w->delim, 1);
	writer_lit(w, "\"");
	const char *p = s, *end = s + len, *q;
	while ((q = memchr(p, '"', (size_t)(end - p)))) {
		writer_raw(w, p, (size_t)(q - p) + 1);
		writer_lit(w, "\"");
		p = q + 1;
	}
	writer_raw(w, p, (size_t)(end - p));
	writer_lit(w, "\"");
}
void writer_fields(cpl_writer *w, const char *s) { writer_field(w, s, strlen(s)); }

void writer_record(cpl_writer *w, const cpl_field *f, size_t n)
{
	/* the kept form (fields one after another, a NUL after each) and
	 * nothing to quote in any: one look, one copy, the NULs between them
	 * made delimiters; otherwise field by field */
	size_t bytes = 0;
	int together = n > 0;
	for (size_t i = 0; i < n && together; i++) {
		together = i == 0 || f[i].s == f[i - 1].s + f[i - 1].len + 1;
		bytes += f[i].len + 1;
	}
	int sep = w->nfield != 0;
	if (together && w->len + bytes + (size_t)sep <= WBUF && !csv_needs_quote(f[0].s, bytes - 1, w->delim)) {
		char *d = w->b + w->len;
		if (sep)
			*d++ = w->delim;
		memcpy(d, f[0].s, bytes - 1);
		for (size_t i = 0, at = 0; i + 1 < n; i++) {
			at += f[i].len;
			d[at++] = w->delim;
		}
		w->len += bytes - 1 + (size_t)sep;
		w->nfield += (int)n;
		return;
	}
	for (size_t i = 0; i < n; i++)
		writer_field(w, f[i].s, f[i].len);
}

void writer_endrow(cpl_writer *w)
{
	if (w->excel)
		writer_lit(w, "\r\n");
	else
		writer_lit(w, "\n");
	w->nfield = 0;
}

void writer_close(cpl_writer *w)
{
	if (!w)
		return;
	writer_flush(w);
	free(w->name);
	free(w->b);
	free(w);
}
