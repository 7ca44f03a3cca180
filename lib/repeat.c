/* repeat.c: 重复投诉.  The cases of one customer about one problem come in
 * order of receipt; a case is a repeat when an earlier one of them was closed
 * within the window (default three calendar months) before it was received.
 * Only the group's closed cases still inside the window are kept. */
#include <stdlib.h>
#include <string.h>
#include "cpl.h"

struct cpl_repeats {
	int months;
	int64_t secs;
	cpl_closed *e;
	size_t n, cap;
};

cpl_repeats *repeats_new(int months, int64_t secs)
{
	cpl_repeats *r = xcalloc(1, sizeof *r);
	r->months = months;
	r->secs = secs;
	return r;
}

/* The earliest closing time that still makes a case received at t a repeat. */
int64_t repeats_cutoff(const cpl_repeats *r, int64_t t)
{
	if (!r->months)
		return t - r->secs;
	int y, mo, d, h, mi, s, wd;
	time_to_local(t, &y, &mo, &d, &h, &mi, &s, &wd);
	mo -= r->months;
	while (mo < 1) {
		mo += 12;
		y--;
	}
	if (d > days_in_month(y, mo))
		d = days_in_month(y, mo); /* 05-31 minus three months is 02-28 */
	return time_from_local(y, mo, d, h, mi, s);
}

void repeats_group(cpl_repeats *r) { r->n = 0; }

const cpl_closed *repeats_find(cpl_repeats *r, int64_t t)
{
	int64_t cutoff = repeats_cutoff(r, t);
	const cpl_closed *best = NULL;
	size_t k = 0;
	for (size_t i = 0; i < r->n; i++) {
		if (r->e[i].closed < cutoff && r->e[i].closed <= t)
			continue; /* closed too long ago for this case and every later one */
		r->e[k++] = r->e[i];
	}
	r->n = k;
	for (size_t i = 0; i < r->n; i++) {
		const cpl_closed *c = &r->e[i];
		/* closed after this case came in: it was still open then */
		if (c->closed < cutoff || c->closed > t)
			continue;
		if (!best || c->closed > best->closed || (c->closed == best->closed && c->order > best->order))
			best = c;
	}
	return best;
}

void repeats_add(cpl_repeats *r, const cpl_closed *c)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 8;
		r->e = xrealloc(r->e, r->cap * sizeof *r->e);
	}
	r->e[r->n++] = *c;
}

void repeats_free(cpl_repeats *r)
{
	if (!r)
		return;
	free(r->e);
	free(r);
}
