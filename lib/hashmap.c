/* hashmap.c: 64-bit string hashes and an open-addressing map keyed by a pair
 * of such hashes, for the grouping done while streaming (customers, issues,
 * customer+problem pairs).  Values are one machine word; removal keeps the
 * map compact (backward shift), so memory follows what is live, not what
 * was ever seen. */
#include <stdlib.h>
#include <string.h>
#include "cpl.h"

uint64_t hash_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* FNV-1a, then mixed; never 0, so 0 can mean "none". */
uint64_t hash_bytes(const void *p, size_t len)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	h = hash_mix(h ^ len);
	return h ? h : 1;
}

/* A slot is free when its key is (0, 0); that key itself, rare but
 * allowed, lives beside the table. */
struct slot {
	uint64_t a, b;
	uintptr_t v;
};

struct cpl_hmap {
	struct slot *s;
	size_t cap, n; /* cap a power of two; n counts the (0, 0) key too */
	int has_zero;
	uintptr_t zero;
};

static int used(const struct slot *s) { return s->a || s->b; }

cpl_hmap *hmap_new(void)
{
	cpl_hmap *m = xcalloc(1, sizeof *m);
	m->cap = 64;
	m->s = xcalloc(m->cap, sizeof *m->s);
	return m;
}

static size_t home(const cpl_hmap *m, uint64_t a, uint64_t b)
{
	return (size_t)hash_mix(a ^ (b * 0x9E3779B97F4A7C15ULL)) & (m->cap - 1);
}

static void grow(cpl_hmap *m, size_t cap)
{
	struct slot *old = m->s;
	size_t ocap = m->cap;
	m->cap = cap;
	m->s = xcalloc(cap, sizeof *m->s);
	for (size_t i = 0; i < ocap; i++)
		if (used(&old[i])) {
			size_t j = home(m, old[i].a, old[i].b);
			while (used(&m->s[j]))
				j = (j + 1) & (m->cap - 1);
			m->s[j] = old[i];
		}
	free(old);
}

uintptr_t *hmap_get(cpl_hmap *m, uint64_t a, uint64_t b)
{
	if (!a && !b)
		return m->has_zero ? &m->zero : NULL;
	for (size_t j = home(m, a, b);; j = (j + 1) & (m->cap - 1)) {
		if (!used(&m->s[j]))
			return NULL;
		if (m->s[j].a == a && m->s[j].b == b)
			return &m->s[j].v;
	}
}

uintptr_t *hmap_put(cpl_hmap *m, uint64_t a, uint64_t b, int *created)
{
	if (!a && !b) {
		if (created)
			*created = !m->has_zero;
		if (!m->has_zero) {
			m->has_zero = 1;
			m->zero = 0;
			m->n++;
		}
		return &m->zero;
	}
	if ((m->n + 1) * 4 > m->cap * 3)
		grow(m, m->cap * 2);
	size_t j = home(m, a, b);
	for (; used(&m->s[j]); j = (j + 1) & (m->cap - 1))
		if (m->s[j].a == a && m->s[j].b == b) {
			if (created)
				*created = 0;
			return &m->s[j].v;
		}
	m->s[j] = (struct slot){a, b, 0};
	m->n++;
	if (created)
		*created = 1;
	return &m->s[j].v;
}

void hmap_del(cpl_hmap *m, uint64_t a, uint64_t b)
{
	if (!a && !b) {
		if (m->has_zero) {
			m->has_zero = 0;
			m->n--;
		}
		return;
	}
	size_t mask = m->cap - 1, j = home(m, a, b);
	for (;; j = (j + 1) & mask) {
		if (!used(&m->s[j]))
			return;
		if (m->s[j].a == a && m->s[j].b == b)
			break;
	}
	/* backward shift: move later entries of the run into the hole */
	size_t hole = j;
	for (size_t k = (j + 1) & mask; used(&m->s[k]); k = (k + 1) & mask) {
		size_t h = home(m, m->s[k].a, m->s[k].b);
		/* k may move to hole if its home is not within (hole, k] cyclically */
		int between = hole <= k ? (h > hole && h <= k) : (h > hole || h <= k);
		if (!between) {
			m->s[hole] = m->s[k];
			hole = k;
		}
	}
	m->s[hole] = (struct slot){0, 0, 0};
	m->n--;
	/* shrink when mostly empty, so a burst that passed gives its memory back */
	if (m->cap > 64 && m->n * 8 < m->cap)
		grow(m, m->cap / 2);
}

size_t hmap_count(const cpl_hmap *m) { return m->n; }

void hmap_free(cpl_hmap *m)
{
	if (!m)
		return;
	free(m->s);
	free(m);
}
