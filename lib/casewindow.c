/* casewindow.c: the urgent types that depend on other cases: batches (many
 * customers, one issue, one window), repeats (the same customer and problem
 * after an earlier case was closed) and harassment by frequency.  Cases are
 * added in any order as compact events; the sweep sorts them on disk (by
 * time for bursts, by customer and problem for repeats), so memory is
 * bounded by the windows, not the input; findings come back by record
 * number, in input order. */
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <unistd.h>
#include "cpl.h"

enum { EV_INPUT = 1, EV_PROBLEM = 2, EV_VIP = 4, EV_CLOSED = 8 };

typedef struct event {
	int64_t t, closed;
	uint64_t key, cust, problem, order, ref;
	uint32_t reflen, flags;
} event;

enum { F_BATCH, F_REPEAT, F_HARASS };

typedef struct finding {
	uint64_t recno;
	int64_t a;  /* batch: start of the burst; repeat: when the earlier case closed */
	uint64_t b; /* batch: issue key hash; repeat: reference of the earlier case */
	uint32_t c, d, kind, pad;
} finding;

#define INPUT_ORDER (1ULL << 62) /* input cases sort after history cases of the same time */

struct cpl_window {
	cpl_window_opts o;
	cpl_sorter *by_time, *by_pair;
	cpl_sorter *found, *found_rep; /* batches and harassment; repeats */
	int ids_fd;
	uint64_t ids_end, history;
	cpl_buf ids_pending;   /* names not written yet: the last bytes before ids_end */
	const finding *next, *next_rep;
	int started, swept;
	cpl_buf ref;
};

static int by_time_cmp(const void *x, const void *y)
{
	const event *a = x, *b = y;
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

static int by_pair_cmp(const void *x, const void *y)
{
	const event *a = x, *b = y;
	if (a->cust != b->cust)
		return a->cust < b->cust ? -1 : 1;
	if (a->problem != b->problem)
		return a->problem < b->problem ? -1 : 1;
	return by_time_cmp(x, y);
}

static int found_cmp(const void *x, const void *y)
{
	const finding *a = x, *b = y;
	if (a->recno != b->recno)
		return a->recno < b->recno ? -1 : 1;
	return a->kind < b->kind ? -1 : a->kind > b->kind;
}

cpl_window *window_new(const cpl_window_opts *o)
{
	cpl_window *w = xcalloc(1, sizeof *w);
	w->o = *o;
	w->by_time = sorter_new(sizeof(event), 1 << 20, by_time_cmp);
	w->by_pair = sorter_new(sizeof(event), 1 << 20, by_pair_cmp);
	w->found = sorter_new(sizeof(finding), 256 << 10, found_cmp);
	w->found_rep = sorter_new(sizeof(finding), 256 << 10, found_cmp);
	w->ids_fd = -1;
	return w;
}

/* Case names (for repeat_of) live in a temporary file until needed, written
 * 256 KB at a time (one write per name cost more than the rest of keeping it). */
#define IDS_BUF (256 * 1024)

static void flush_names(cpl_window *w)
{
	if (!w->ids_pending.len)
		return;
	if (w->ids_fd < 0)
		w->ids_fd = tmp_fd();
	uint64_t at = w->ids_end - w->ids_pending.len;
	for (size_t off = 0; off < w->ids_pending.len;) {
		ssize_t n = pwrite(w->ids_fd, w->ids_pending.s + off, w->ids_pending.len - off, (off_t)(at + off));
		if (n <= 0)
			cpl_die(CPL_EXIT_IO, "write error: temporary file:");
		off += (size_t)n;
	}
	buf_clear(&w->ids_pending);
}

static void keep_name(cpl_window *w, event *e, const char *name, size_t len)
{
	if (w->ids_pending.len + len > IDS_BUF)
		flush_names(w);
	buf_add(&w->ids_pending, name, len);
	e->ref = w->ids_end;
	e->reflen = (uint32_t)len;
	w->ids_end += len;
}

void window_add(cpl_window *w, const cpl_case *c)
{
	if (c->t == CPL_NOTIME)
		return;
	event e = {.t = c->t, .closed = c->closed, .key = c->key, .cust = c->cust, .problem = c->problem};
	e.order = c->input ? INPUT_ORDER | c->recno : ++w->history;
	e.flags = (c->input ? EV_INPUT : 0) | (c->has_problem ? EV_PROBLEM : 0) | (c->vip ? EV_VIP : 0);
	int closed = c->closed != CPL_NOTIME && c->cust && c->has_problem;
	if (closed) {
		e.flags |= EV_CLOSED;
		keep_name(w, &e, c->name, c->namelen);
	}
	if (c->input)
		sorter_add(w->by_time, &e);
	if (c->cust && c->has_problem && (c->input || closed))
		sorter_add(w->by_pair, &e);
}

/* A finding, into the sorter found (the bursts' callbacks get it as ctx). */
static void add_finding(cpl_sorter *found, uint64_t recno, int kind, int64_t a, uint64_t b, uint32_t c, uint32_t d)
{
	finding f = {.recno = recno, .a = a, .b = b, .c = c, .d = d, .kind = (uint32_t)kind};
	sorter_add(found, &f);
}

static void mark_batch(void *ctx, uint64_t seq, int64_t start, uint64_t group, long n, long nvip)
{
	add_finding(ctx, seq, F_BATCH, start, group, (uint32_t)n, (uint32_t)nvip);
}

static void mark_harass(void *ctx, uint64_t seq, int64_t start, uint64_t group, long n, long nvip)
{
	add_finding(ctx, seq, F_HARASS, start, group, (uint32_t)n, 0);
}

/* Bursts, in time order: batches and harassment, into w->found. */
static void sweep_bursts(cpl_window *w)
{
	const event *e;
	sorter_finish(w->by_time);
	cpl_burst *batch = burst_new(w->o.batch_window, w->o.batch_more, w->o.batch_vip_more, mark_batch, w->found);
	cpl_burst *harass = w->o.harass_calls > 1 ?
		burst_new(w->o.harass_window, w->o.harass_calls - 1, -1, mark_harass, w->found) : NULL;
	while ((e = sorter_next(w->by_time))) {
		uint64_t recno = e->order & ~INPUT_ORDER;
		if (e->flags & EV_PROBLEM) {
			/* a case with no customer number counts as a customer of its own */
			uint64_t member = e->cust ? e->cust : hash_mix(recno ^ 0x5bd1e995u);
			burst_add(batch, e->t, e->key, member, (e->flags & EV_VIP) != 0, recno);
		} else if (harass && e->cust) {
			/* no real problem: how often does this caller open a case? */
			burst_add(harass, e->t, e->cust, recno, 0, recno);
		}
	}
	burst_free(batch);
	burst_free(harass);
	sorter_free(w->by_time);
	w->by_time = NULL;
	sorter_finish(w->found);
}

/* Repeats, by customer and problem, into w->found_rep (a thread of its
 * own may run this beside sweep_bursts: the two share nothing they write). */
static int sweep_repeats(void *arg)
{
	cpl_window *w = arg;
	const event *e;
	sorter_finish(w->by_pair);
	cpl_repeats *rep = repeats_new(w->o.repeat_months, w->o.repeat_secs);
	uint64_t cust = 0, problem = 0;
	int any = 0;
	while ((e = sorter_next(w->by_pair))) {
		if (!any || e->cust != cust || e->problem != problem) {
			repeats_group(rep);
			cust = e->cust;
			problem = e->problem;
			any = 1;
		}
		if (e->flags & EV_INPUT) {
			const cpl_closed *c = repeats_find(rep, e->t);
			if (c)
				add_finding(w->found_rep, e->order & ~INPUT_ORDER, F_REPEAT, c->closed, c->ref, c->reflen, 0);
		}
		if (e->flags & EV_CLOSED) {
			cpl_closed c = {e->closed, e->order, e->ref, e->reflen};
			repeats_add(rep, &c);
		}
	}
	repeats_free(rep);
	sorter_free(w->by_pair);
	w->by_pair = NULL;
	sorter_finish(w->found_rep);
	return 0;
}

/* The two sweeps read their own sorted events and write their own
 * findings: with a processor to spare they run side by side (a million
 * cases: 0.25-0.3 s for the bursts, 0.15 s for the repeats). */
void window_sweep(cpl_window *w)
{
	thrd_t t;
	int two = cpl_processors() > 1 && thrd_create(&t, sweep_repeats, w) == thrd_success;
	sweep_bursts(w);
	if (two)
		thrd_join(t, NULL);
	else
		sweep_repeats(w);
	w->swept = 1;
}

static void read_name(cpl_window *w, uint64_t ref, uint32_t len, cpl_buf *out)
{
	flush_names(w);
	buf_clear(out);
	buf_grow(out, len + 1);
	for (size_t got = 0; got < len;) {
		ssize_t n = pread(w->ids_fd, out->s + got, len - got, (off_t)(ref + got));
		if (n <= 0)
			cpl_die(CPL_EXIT_IO, "read error: temporary file:");
		got += (size_t)n;
	}
	out->len = len;
	out->s[len] = 0;
}

/* The findings of stream *next (sorted by recno) for recno, into f. */
static void take_findings(cpl_window *w, cpl_sorter *found, const finding **next, uint64_t recno,
	cpl_case_findings *f)
{
	while (*next && (*next)->recno <= recno) {
		const finding *n = *next;
		if (n->recno == recno) {
			if (n->kind == F_BATCH && !f->batch) {
				f->batch = 1;
				f->batch_start = n->a;
				f->batch_key = n->b;
				f->customers = n->c;
				f->vip_customers = n->d;
			} else if (n->kind == F_REPEAT && !f->repeat) {
				f->repeat = 1;
				f->repeat_closed = n->a;
				read_name(w, n->b, n->c, &w->ref);
				f->repeat_of = w->ref.s;
				f->repeat_of_len = w->ref.len;
			} else if (n->kind == F_HARASS && !f->harass) {
				f->harass = 1;
				f->harass_cases = n->c;
			}
		}
		*next = sorter_next(found);
	}
}

void window_findings(cpl_window *w, uint64_t recno, cpl_case_findings *f)
{
	memset(f, 0, sizeof *f);
	if (!w || !w->swept)
		return;
	if (!w->started) {
		w->next = sorter_next(w->found);
		w->next_rep = sorter_next(w->found_rep);
		w->started = 1;
	}
	take_findings(w, w->found, &w->next, recno, f);
	take_findings(w, w->found_rep, &w->next_rep, recno, f);
}

void window_free(cpl_window *w)
{
	if (!w)
		return;
	sorter_free(w->by_time);
	sorter_free(w->by_pair);
	sorter_free(w->found);
	sorter_free(w->found_rep);
	if (w->ids_fd >= 0)
		close(w->ids_fd);
	buf_free(&w->ids_pending);
	buf_free(&w->ref);
	free(w);
}
