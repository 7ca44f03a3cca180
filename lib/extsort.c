/* extsort.c: sorting fixed-size records that may not fit in memory.  Records
 * are gathered in a bounded buffer; a full buffer is sorted and written to a
 * temporary file as a run, and the runs are merged at the end, so memory is
 * the buffer plus a small read-ahead per run, whatever the number of records. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cpl.h"

#define RUN_READAHEAD 4096 /* bytes read at once from each run while merging */

struct run {
	off_t off, end;  /* the run's unread bytes in the file */
	char *buf;
	size_t have, pos; /* records in buf, next one */
};

struct cpl_sorter {
	size_t size, cap, n; /* record size; buffer capacity and fill, in records */
	int (*cmp)(const void *, const void *);
	char *buf;
	int fd;              /* runs; -1 while everything fits */
	off_t fend;
	struct run *runs;
	size_t nruns;
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

static void spill(cpl_sorter *s)
{
	if (!s->n)
		return;
	qsort(s->buf, s->n, s->size, s->cmp);
	if (s->fd < 0)
		s->fd = tmp_fd();
	s->runs = xrealloc(s->runs, (s->nruns + 1) * sizeof *s->runs);
	struct run *r = &s->runs[s->nruns++];
	memset(r, 0, sizeof *r);
	r->off = s->fend;
	write_all(s->fd, s->buf, s->n * s->size, s->fend);
	s->fend += (off_t)(s->n * s->size);
	r->end = s->fend;
	s->n = 0;
}

void sorter_add(cpl_sorter *s, const void *rec)
{
	if (s->n == s->cap)
		spill(s);
	memcpy(s->buf + s->n * s->size, rec, s->size);
	s->n++;
}

/* 1 if run r has a current record (refilling its read-ahead as needed). */
static int run_fill(cpl_sorter *s, struct run *r)
{
	if (r->pos < r->have)
		return 1;
	if (r->off >= r->end)
		return 0;
	size_t per = RUN_READAHEAD / s->size ? RUN_READAHEAD / s->size : 1;
	size_t want = (size_t)(r->end - r->off) / s->size;
	if (want > per)
		want = per;
	if (!r->buf)
		r->buf = xmalloc(per * s->size);
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

void sorter_finish(cpl_sorter *s)
{
	if (s->nruns == 0) {
		qsort(s->buf, s->n, s->size, s->cmp);
		s->next = 0;
		return;
	}
	spill(s);
	free(s->buf);
	s->buf = NULL;
	s->merging = 1;
	s->heap = xmalloc(s->nruns * sizeof *s->heap);
	for (size_t i = 0; i < s->nruns; i++)
		if (run_fill(s, &s->runs[i]))
			s->heap[s->nheap++] = i;
	for (size_t i = s->nheap / 2; i-- > 0;)
		heap_down(s, i);
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
	if (!s->last)
		s->last = xmalloc(s->size);
	size_t i = s->heap[0];
	struct run *r = &s->runs[i];
	memcpy(s->last, run_cur(s, i), s->size);
	r->pos++;
	if (!run_fill(s, r))
		s->heap[0] = s->heap[--s->nheap];
	if (s->nheap)
		heap_down(s, 0);
	return s->last;
}

void sorter_free(cpl_sorter *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nruns; i++)
		free(s->runs[i].buf);
	free(s->runs);
	free(s->heap);
	free(s->buf);
	free(s->last);
	if (s->fd >= 0)
		close(s->fd);
	free(s);
}
