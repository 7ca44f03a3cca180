/* burst.c: bursts in a sliding time window.  Events come in time order, each
 * in a group (an issue, a caller) from a member (a customer, a case); when the
 * window ending at an event holds more distinct members of its group than a
 * threshold (or more distinct VIP members than another), every event of that
 * window is in a burst, and windows that share an event share the burst.
 * Memory holds only the events inside the window. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "cpl.h"

#define NONE UINT64_MAX

struct bev {
	int64_t t;
	uint64_t group, member, seq;
	uint32_t next; /* how far on the group's next event is; 0: none yet */
	unsigned char vip, marked;
};

struct group {
	uint64_t head, tail, first_unmarked;
	long events, distinct, distinct_vip;
	int64_t burst_start;
};

struct cpl_burst {
	int64_t window;
	long more_than, more_than_vip;
	burst_mark_fn mark;
	void *ctx;
	struct bev *ev;
	uint64_t cap, front, end; /* ring of absolute indexes [front, end) */
	cpl_hmap *groups;         /* group -> struct group * */
	cpl_hmap *members;        /* (group, member) -> events << 32 | vip events */
};

cpl_burst *burst_new(int64_t window, long more_than, long more_than_vip, burst_mark_fn fn, void *ctx)
{
	cpl_burst *b = xcalloc(1, sizeof *b);
	b->window = window;
	b->more_than = more_than;
	b->more_than_vip = more_than_vip;
	b->mark = fn;
	b->ctx = ctx;
	b->cap = 1024;
	b->ev = xmalloc(b->cap * sizeof *b->ev);
	b->groups = hmap_new();
	b->members = hmap_new();
	return b;
}

static struct bev *at(cpl_burst *b, uint64_t i) { return &b->ev[i & (b->cap - 1)]; }

/* The absolute index of the event after event i in its group, or NONE. */
static uint64_t next_of(cpl_burst *b, uint64_t i)
{
	uint32_t d = at(b, i)->next;
	return d ? i + d : NONE;
}

static void evict_front(cpl_burst *b)
{
	struct bev *e = at(b, b->front);
	uintptr_t *gv = hmap_get(b->groups, e->group, 0);
	struct group *g = (struct group *)*gv;
	uint64_t next = next_of(b, b->front);
	g->head = next;
	if (g->first_unmarked == b->front)
		g->first_unmarked = next;
	uintptr_t *mv = hmap_get(b->members, e->group, e->member);
	uint64_t n = *mv >> 32, nvip = *mv & 0xffffffffu;
	n--;
	if (e->vip && --nvip == 0)
		g->distinct_vip--;
	if (n == 0) {
		g->distinct--;
		hmap_del(b->members, e->group, e->member);
	} else {
		*mv = (uintptr_t)(n << 32 | nvip);
	}
	if (--g->events == 0) {
		free(g);
		hmap_del(b->groups, e->group, 0);
	}
	b->front++;
}

static void grow(cpl_burst *b)
{
	uint64_t ncap = b->cap * 2;
	if (ncap > (uint64_t)UINT32_MAX + 1) /* next would not fit */
		cpl_die(CPL_EXIT_IO, "out of memory: more than %" PRIu64 " cases in one window", b->cap);
	struct bev *nev = xmalloc(ncap * sizeof *nev);
	for (uint64_t i = b->front; i < b->end; i++)
		nev[i & (ncap - 1)] = *at(b, i);
	free(b->ev);
	b->ev = nev;
	b->cap = ncap;
}

void burst_add(cpl_burst *b, int64_t t, uint64_t group, uint64_t member, int vip, uint64_t seq)
{
	while (b->front < b->end && t - at(b, b->front)->t >= b->window)
		evict_front(b);
	if (b->end - b->front == b->cap)
		grow(b);
	uint64_t idx = b->end++;
	*at(b, idx) = (struct bev){t, group, member, seq, 0, (unsigned char)(vip != 0), 0};

	int created;
	uintptr_t *gv = hmap_put(b->groups, group, 0, &created);
	struct group *g;
	if (created) {
		g = xcalloc(1, sizeof *g);
		g->head = g->tail = g->first_unmarked = idx;
		*gv = (uintptr_t)g;
	} else {
		g = (struct group *)*gv;
		at(b, g->tail)->next = (uint32_t)(idx - g->tail); /* less than the ring's size */
		g->tail = idx;
		if (g->first_unmarked == NONE)
			g->first_unmarked = idx;
	}
	g->events++;
	uintptr_t *mv = hmap_put(b->members, group, member, &created);
	uint64_t n = created ? 0 : *mv >> 32, nvip = created ? 0 : *mv & 0xffffffffu;
	if (n == 0)
		g->distinct++;
	if (vip && nvip == 0)
		g->distinct_vip++;
	n++;
	if (vip)
		nvip++;
	*mv = (uintptr_t)(n << 32 | nvip);

	int hit = g->distinct > b->more_than || (b->more_than_vip >= 0 && g->distinct_vip > b->more_than_vip);
	if (!hit)
		return;
	/* the window's marked events, if any, come first: they belong to the
	 * burst this window continues */
	if (!at(b, g->head)->marked)
		g->burst_start = at(b, g->head)->t;
	for (uint64_t i = g->first_unmarked; i != NONE; i = next_of(b, i)) {
		struct bev *e = at(b, i);
		e->marked = 1;
		b->mark(b->ctx, e->seq, g->burst_start, group, g->distinct, g->distinct_vip);
	}
	g->first_unmarked = NONE;
}

void burst_free(cpl_burst *b)
{
	if (!b)
		return;
	while (b->front < b->end)
		evict_front(b);
	hmap_free(b->groups);
	hmap_free(b->members);
	free(b->ev);
	free(b);
}
