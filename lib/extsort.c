/* extsort.c: sorting fixed-size records that may not fit in memory.  Records
 * are gathered in a bounded buffer; a full buffer is sorted and written to a
 * temporary file as a run, and the runs are merged at the end.  The merge
 * reads each run through a slice of that same buffer, so it can merge at most
 * as many runs as the buffer has slices (the fan-in); whenever the runs of
 * one size reach the fan-in they are merged into one larger run on the spot.
 * Memory is thus the buffer and nothing else (plus a few words per level of
 * runs), whatever the number of records. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cpl.h"

#define RUN_READAHEAD 4096 /* bytes read at once from each run while merging */

struct run {
	off_t off, end;  /* the run's unread bytes in the file */
	char *buf;       /* its slice of the sorter's buffer while it is merged */
	size_t have, pos; /* records in buf, next one */
	int level;       /* 0: written from the buffer; n+1: merged from runs of level n */
};

struct cpl_sorter {
	size_t size, cap, n; /* record size; buffer capacity and fill, in records */
	int (*cmp)(const void *, const void *);
	char *buf;
	size_t slice;        /* records per merge slice of buf */
	size_t fanin;        /* runs merged at once: buf's slices, one kept for output */
	int fd;              /* runs; -1 while everything fits */
	off_t fend;
	struct run *runs;    /* in the order their records were added: ties go to the earlier */
	size_t nruns, runcap;
	size_t *heap, nheap; /* merge: run indexes ordered by their current record */
	size_t next;         /* in-memory iteration */
	int merging;
	char *last;          /* the record handed out while merging */
};

cpl_sorter *sorter_new(size_t recsize, size_t mem_bytes, int (*cmp)(const void *, const void *))
{
	cpl_sorter *s = xcalloc(1, sizeof *s);
	s->size = recsize;
	s->cap = mem_bytes / recsize;
	if (s->cap < 16)
		s->cap = 16;
	s->cmp = cmp;
	s->buf = xmalloc(s->cap * recsize);
	/* at least three slices: two runs in, one out */
	s->slice = RUN_READAHEAD / recsize ? RUN_READAHEAD / recsize : 1;
	if (s->slice > s->cap / 4)
		s->slice = s->cap / 4;
	s->fanin = s->cap / s->slice - 1;
	s->heap = xmalloc(s->fanin * sizeof *s->heap);
	s->fd = -1;
	return s;
}

static void write_all(int fd, const char *p, size_t n, off_t off)
{
	while (n) {
		ssize_t w = pwrite(fd, p, n, off);
		if (w <= 0)
			cpl_die(CPL_EXIT_IO, "write error: temporary file:");
		p += w, n -= (size_t)w, off += w;
	}
}

/* 1 if run r has a current record (refilling its slice as needed). */
static int run_fill(cpl_sorter *s, struct run *r)
{
	if (r->pos < r->have)
		return 1;
	if (r->off >= r->end)
		return 0;
	size_t want = (size_t)(r->end - r->off) / s->size;
	if (want > s->slice)
		want = s->slice;
	size_t bytes = want * s->size, got = 0;
	while (got < bytes) {
		ssize_t n = pread(s->fd, r->buf + got, bytes - got, r->off + (off_t)got);
		if (n <= 0)
			cpl_die(CPL_EXIT_IO, "read error: temporary file:");
		got += (size_t)n;
	}
	r->off += (off_t)bytes;
	r->have = want;
	r->pos = 0;
	return 1;
}

static const void *run_cur(cpl_sorter *s, size_t i)
{
	struct run *r = &s->runs[i];
	return r->buf + r->pos * s->size;
}

static int heap_less(cpl_sorter *s, size_t a, size_t b)
{
	int c = s->cmp(run_cur(s, s->heap[a]), run_cur(s, s->heap[b]));
	return c < 0 || (c == 0 && s->heap[a] < s->heap[b]); /* earlier run first: stable */
}

static void heap_down(cpl_sorter *s, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < s->nheap && heap_less(s, l, m))
			m = l;
		if (r < s->nheap && heap_less(s, r, m))
			m = r;
		if (m == i)
			return;
		size_t t = s->heap[i];
		s->heap[i] = s->heap[m];
		s->heap[m] = t;
		i = m;
	}
}

/* Start merging runs [from, nruns), each through its slice of buf. */
static void merge_start(cpl_sorter *s, size_t from)
{
	s->nheap = 0;
	for (size_t i = from; i < s->nruns; i++) {
		struct run *r = &s->runs[i];
		r->buf = s->buf + (i - from) * s->slice * s->size;
		r->have = r->pos = 0;
		if (run_fill(s, r))
			s->heap[s->nheap++] = i;
	}
	for (size_t i = s->nheap / 2; i-- > 0;)
		heap_down(s, i);
}

/* Advance the run at the top of the heap past its current record. */
static void merge_pop(cpl_sorter *s)
{
	struct run *r = &s->runs[s->heap[0]];
	r->pos++;
	if (!run_fill(s, r))
		s->heap[0] = s->heap[--s->nheap];
	if (s->nheap)
		heap_down(s, 0);
}

/* Merge runs [from, nruns) into one run at the end of the file, in their
 * place; the slice after theirs gathers the output. */
static void merge_runs(cpl_sorter *s, size_t from)
{
	size_t k = s->nruns - from;
	char *out = s->buf + k * s->slice * s->size;
	size_t nout = 0;
	struct run m = {.off = s->fend, .level = s->runs[from].level + 1}; /* the highest level is first */
	off_t lo = s->runs[from].off, hi = s->runs[s->nruns - 1].end;
	merge_start(s, from);
	while (s->nheap) {
		memcpy(out + nout * s->size, run_cur(s, s->heap[0]), s->size);
		if (++nout == s->slice) {
			write_all(s->fd, out, nout * s->size, s->fend);
			s->fend += (off_t)(nout * s->size);
			nout = 0;
		}
		merge_pop(s);
	}
	write_all(s->fd, out, nout * s->size, s->fend);
	s->fend += (off_t)(nout * s->size);
	m.end = s->fend;
#ifdef FALLOC_FL_PUNCH_HOLE
	/* the merged runs are read: give their disk space back (where the file
	 * system can) */
	(void)fallocate(s->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, lo, hi - lo);
#else
	(void)lo, (void)hi;
#endif
	s->nruns = from;
	s->runs[s->nruns++] = m;
}

static void spill(cpl_sorter *s)
{
	if (!s->n)
		return;
	qsort(s->buf, s->n, s->size, s->cmp);
	if (s->fd < 0)
		s->fd = tmp_fd();
	if (s->nruns == s->runcap) {
		s->runcap = s->runcap ? 2 * s->runcap : 16;
		s->runs = xrealloc(s->runs, s->runcap * sizeof *s->runs);
	}
	struct run *r = &s->runs[s->nruns++];
	memset(r, 0, sizeof *r);
	r->off = s->fend;
	write_all(s->fd, s->buf, s->n * s->size, s->fend);
	s->fend += (off_t)(s->n * s->size);
	r->end = s->fend;
	s->n = 0;
	/* as many runs of one level as can be merged at once: merge them (which
	 * may complete the next level).  Levels only fall along the array, so
	 * the runs to merge are the last ones. */
	while (s->nruns >= s->fanin && s->runs[s->nruns - s->fanin].level == s->runs[s->nruns - 1].level)
		merge_runs(s, s->nruns - s->fanin);
}

void sorter_add(cpl_sorter *s, const void *rec)
{
	if (s->n == s->cap)
		spill(s);
	memcpy(s->buf + s->n * s->size, rec, s->size);
	s->n++;
}

void sorter_finish(cpl_sorter *s)
{
	if (s->nruns == 0) {
		qsort(s->buf, s->n, s->size, s->cmp);
		s->next = 0;
		return;
	}
	spill(s);
	/* more runs than slices: merge the last (smallest) ones first */
	while (s->nruns > s->fanin) {
		size_t k = s->nruns - s->fanin + 1; /* merging k runs leaves fanin */
		merge_runs(s, s->nruns - (k < s->fanin ? k : s->fanin));
	}
	s->merging = 1;
	s->last = xmalloc(s->size);
	merge_start(s, 0);
}

/* The next record in order, or NULL.  Valid until the next call. */
const void *sorter_next(cpl_sorter *s)
{
	if (!s->merging) {
		if (s->next >= s->n)
			return NULL;
		return s->buf + s->next++ * s->size;
	}
	if (!s->nheap)
		return NULL;
	memcpy(s->last, run_cur(s, s->heap[0]), s->size);
	merge_pop(s);
	return s->last;
}

void sorter_free(cpl_sorter *s)
{
	if (!s)
		return;
	free(s->runs);
	free(s->heap);
	free(s->buf);
	free(s->last);
	if (s->fd >= 0)
		close(s->fd);
	free(s);
}
