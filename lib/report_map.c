/* report_map.c: the counting maps the report aggregates into: a string key
 * leads to a fixed row of 64-bit counters, each summed or kept as a minimum
 * or maximum, so that two maps fold into one exactly and in any order. */
#include <stdlib.h>
#include <string.h>
#include "report.h"

/* Keys are copied into blocks that never move, so entries keep pointers. */
struct rmap_keys {
	rmap_keys *next;
	char bytes[];
};
enum { KEYBLOCK = 64 * 1024 - 64 };

static char *key_copy(rmap *m, const char *key, size_t len)
{
	char *p;
	if (len + 1 <= m->keys_left) {
		p = m->keys_free;
		m->keys_free += len + 1;
		m->keys_left -= len + 1;
	} else {
		rmap_keys *b;
		if (len + 1 > KEYBLOCK / 8) {
			/* a long key: a block of its own, behind the one being filled */
			b = xmalloc(sizeof *b + len + 1);
			b->next = m->keys ? m->keys->next : NULL;
			if (m->keys)
				m->keys->next = b;
			else
				m->keys = b;
			p = b->bytes;
		} else {
			b = xmalloc(sizeof *b + KEYBLOCK);
			b->next = m->keys;
			m->keys = b;
			p = b->bytes;
			m->keys_free = p + len + 1;
			m->keys_left = KEYBLOCK - (len + 1);
		}
	}
	memcpy(p, key, len);
	p[len] = 0;
	return p;
}

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
	for (rmap_keys *b = m->keys, *next; b; b = next) {
		next = b->next;
		free(b);
	}
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
		/* the keys are distinct: the first free slot from the hash */
		size_t i = m->e[k].hash & (m->icap - 1);
		while (m->index[i])
			i = (i + 1) & (m->icap - 1);
		m->index[i] = (uint32_t)(k + 1);
	}
}

long rmap_index(const rmap *m, const char *key, size_t len)
{
	size_t i = rmap_slot(m, key, len, rmap_hash(key, len));
	return (long)m->index[i] - 1;
}

const int64_t *rmap_find(const rmap *m, const char *key, size_t len)
{
	long k = rmap_index(m, key, len);
	return k >= 0 ? m->vals + (size_t)k * (size_t)m->nslots : NULL;
}

int64_t *rmap_vals(const rmap *m, const rmap_entry *e) { return m->vals + (size_t)(e - m->e) * (size_t)m->nslots; }

int64_t *rmap_insert(rmap *m, const char *key, size_t len, uint64_t h, size_t i)
{
	if (len > UINT32_MAX || m->n == UINT32_MAX - 1)
		cpl_die(CPL_EXIT_IO, "out of memory: more than 4 billion keys in one report table, or a key of 4 GB");
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 16;
		m->e = xrealloc(m->e, m->cap * sizeof *m->e);
		m->vals = xrealloc(m->vals, m->cap * (size_t)m->nslots * sizeof *m->vals);
	}
	rmap_entry *e = &m->e[m->n];
	e->key = key_copy(m, key, len);
	e->keylen = (uint32_t)len;
	e->hash = (uint32_t)h;
	int64_t *v = m->vals + m->n * (size_t)m->nslots;
	for (int s = 0; s < m->nslots; s++)
		v[s] = m->ops[s] == 'n' ? INT64_MAX : m->ops[s] == 'x' ? INT64_MIN : 0;
	m->index[i] = (uint32_t)++m->n;
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

void rmap_run(rmap_entry **sorted, size_t n, const char *id, size_t idlen, size_t *lo, size_t *hi)
{
	size_t a = 0, b = n;
	while (a < b) { /* the first key at or after "id\x1f" */
		size_t mid = (a + b) / 2;
		const rmap_entry *x = sorted[mid];
		size_t k = x->keylen < idlen ? x->keylen : idlen;
		int c = memcmp(x->key, id, k);
		if (!c)
			c = x->keylen <= idlen ? -1
				: (unsigned char)x->key[idlen] < (unsigned char)REPORT_KEYSEP ? -1
				: (unsigned char)x->key[idlen] > (unsigned char)REPORT_KEYSEP ? 1 : 0;
		if (c < 0)
			a = mid + 1;
		else
			b = mid;
	}
	*lo = a;
	while (a < n && sorted[a]->keylen > idlen && !memcmp(sorted[a]->key, id, idlen)
		&& sorted[a]->key[idlen] == REPORT_KEYSEP)
		a++;
	*hi = a;
}
