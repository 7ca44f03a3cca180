/* report_map.c: the counting maps the report aggregates into: a string key
 * leads to a fixed row of 64-bit counters, each summed or kept as a minimum
 * or maximum, so that two maps fold into one exactly and in any order. */
#include <stdlib.h>
#include <string.h>
#include "report.h"

rmap *rmap_new(int nslots, const char *ops)
{
	rmap *m = xcalloc(1, sizeof *m);
	m->nslots = nslots;
	m->ops = ops;
	m->icap = 16;
	m->index = xcalloc(m->icap, sizeof *m->index);
	return m;
}

void rmap_free(rmap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++)
		free(m->e[i].key);
	free(m->e);
	free(m->index);
	free(m->vals);
	free(m);
}

static void grow_index(rmap *m)
{
	free(m->index);
	m->icap *= 2;
	m->index = xcalloc(m->icap, sizeof *m->index);
	for (size_t k = 0; k < m->n; k++) {
		size_t i = rmap_slot(m, m->e[k].key, m->e[k].keylen, m->e[k].hash);
		m->index[i] = k + 1;
	}
}

const int64_t *rmap_find(const rmap *m, const char *key, size_t len)
{
	size_t i = rmap_slot(m, key, len, rmap_hash(key, len));
	return m->index[i] ? m->vals + m->e[m->index[i] - 1].row * (size_t)m->nslots : NULL;
}

int64_t *rmap_vals(const rmap *m, const rmap_entry *e) { return m->vals + e->row * (size_t)m->nslots; }

int64_t *rmap_insert(rmap *m, const char *key, size_t len, uint64_t h, size_t i)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 16;
		m->e = xrealloc(m->e, m->cap * sizeof *m->e);
		m->vals = xrealloc(m->vals, m->cap * (size_t)m->nslots * sizeof *m->vals);
	}
	rmap_entry *e = &m->e[m->n];
	e->key = xstrndup(key, len);
	e->keylen = len;
	e->hash = h;
	e->row = m->n;
	int64_t *v = m->vals + e->row * (size_t)m->nslots;
	for (int s = 0; s < m->nslots; s++)
		v[s] = m->ops[s] == 'n' ? INT64_MAX : m->ops[s] == 'x' ? INT64_MIN : 0;
	m->index[i] = ++m->n;
	if (m->n * 4 > m->icap * 3)
		grow_index(m);
	return v;
}

void rmap_fold(rmap *m, const char *key, size_t len, const int64_t *v)
{
	int64_t *row = rmap_row(m, key, len);
	for (int s = 0; s < m->nslots; s++) {
		if (m->ops[s] == 'n') {
			if (v[s] < row[s])
				row[s] = v[s];
		} else if (m->ops[s] == 'x') {
			if (v[s] > row[s])
				row[s] = v[s];
		} else {
			row[s] += v[s];
		}
	}
}

static const rmap *sort_map;
static int sort_slot;

static int keycmp(const rmap_entry *a, const rmap_entry *b)
{
	size_t n = a->keylen < b->keylen ? a->keylen : b->keylen;
	int c = memcmp(a->key, b->key, n);
	if (c)
		return c;
	return a->keylen < b->keylen ? -1 : a->keylen > b->keylen;
}

static int by_slot(const void *pa, const void *pb)
{
	const rmap_entry *a = *(const rmap_entry *const *)pa, *b = *(const rmap_entry *const *)pb;
	if (sort_slot >= 0) {
		int64_t va = rmap_vals(sort_map, a)[sort_slot], vb = rmap_vals(sort_map, b)[sort_slot];
		if (va != vb)
			return va > vb ? -1 : 1;
	}
	return keycmp(a, b);
}

rmap_entry **rmap_sorted(const rmap *m, int slot)
{
	rmap_entry **v = xmalloc((m->n + 1) * sizeof *v);
	for (size_t i = 0; i < m->n; i++)
		v[i] = &m->e[i];
	sort_map = m;
	sort_slot = slot;
	qsort(v, m->n, sizeof *v, by_slot);
	return v;
}
