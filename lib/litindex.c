/* litindex.c: which patterns of a whole table may match a text, in one scan.
 * Each pattern's required literals (literals.c) are filed under their first
 * character; walking the text once finds every literal present, and only
 * the patterns with one of theirs present (or with none to look for) need
 * their regex run.  A table of 150 rules then runs a handful per text. */
#include <stdlib.h>
#include <string.h>
#include "cpl.h"

typedef struct entry {
	const char *lit;
	size_t len;
	int id;
	int next; /* the next entry under the same first character, or -1 */
} entry;

struct cpl_litindex {
	int nids;
	unsigned char *always; /* per id: nothing to look for, always run */
	entry *e;
	size_t ne;
	int *head;             /* first character (BMP) -> first entry, or -1 */
	int astral;            /* entries starting beyond the BMP */
	cpl_literals **keep;   /* owners of the strings */
	size_t nkeep;
};

cpl_litindex *litindex_new(void)
{
	cpl_litindex *x = xcalloc(1, sizeof *x);
	x->head = xmalloc(0x10000 * sizeof *x->head);
	for (int i = 0; i < 0x10000; i++)
		x->head[i] = -1;
	x->astral = -1;
	return x;
}

void litindex_add(cpl_litindex *x, int id, const char *pattern)
{
	if (id >= x->nids) {
		x->always = xrealloc(x->always, (size_t)id + 1);
		memset(x->always + x->nids, 0, (size_t)(id + 1 - x->nids));
		x->nids = id + 1;
	}
	cpl_literals *l = literals_compile(pattern);
	const char *const *s;
	size_t n = literals_strings(l, &s);
	if (!l || !n) {
		literals_free(l);
		x->always[id] = 1;
		return;
	}
	x->keep = xrealloc(x->keep, (x->nkeep + 1) * sizeof *x->keep);
	x->keep[x->nkeep++] = l;
	x->e = xrealloc(x->e, (x->ne + n) * sizeof *x->e);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(s[i]);
		uint32_t first;
		utf8_decode((const unsigned char *)s[i], len, &first);
		int *h = first < 0x10000 ? &x->head[first] : &x->astral;
		x->e[x->ne] = (entry){s[i], len, id, *h};
		*h = (int)x->ne++;
	}
}

void litindex_scan(const cpl_litindex *x, const char *text, size_t len, unsigned char *maybe)
{
	for (int i = 0; i < x->nids; i++)
		if (x->always[i])
			maybe[i] = 1;
	const unsigned char *s = (const unsigned char *)text, *end = s + len;
	while (s < end) {
		uint32_t cp;
		int n = 1;
		if (*s < 0x80)
			cp = *s;
		else
			n = utf8_decode(s, (size_t)(end - s), &cp);
		for (int k = cp < 0x10000 ? x->head[cp] : x->astral; k >= 0; k = x->e[k].next) {
			const entry *e = &x->e[k];
			if (!maybe[e->id] && e->len <= (size_t)(end - s) && !memcmp(s, e->lit, e->len))
				maybe[e->id] = 1;
		}
		s += n;
	}
}

void litindex_free(cpl_litindex *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->nkeep; i++)
		literals_free(x->keep[i]);
	free(x->keep);
	free(x->e);
	free(x->head);
	free(x->always);
	free(x);
}
