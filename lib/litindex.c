/* litindex.c: which patterns of a table may match a text, in one walk over
 * it: a pattern runs only when every clause of literals (literals.c) of one
 * of its alternatives is present; ASCII letters compare caseless. */
#include <stdlib.h>
#include <string.h>
#include "cpl.h"

typedef struct entry {
	const char *lit;
	size_t len;
	int head_len; /* bytes of the first character, equal when filed under it */
	int fold;     /* holds an ASCII letter: compare with case folded */
	int next;     /* the next entry under the same first character, or -1 */
	int link;     /* the clauses holding this string: first link, or -1 */
} entry;

typedef struct link { int clause, next; } link;

typedef struct alt { int id, c0, nc; } alt; /* clauses c0 .. c0 + nc - 1 */

typedef struct scratch {
	unsigned cur;          /* the scan: a clause or id stamped so is found */
	int nclauses, nids;    /* what the arrays are sized for */
	size_t nentries, nalts;
	unsigned *cstamp, *istamp, *estamp, *astamp;
	int *found;            /* clauses found by this scan */
	size_t nfound;
	size_t *cat;           /* per clause: offset of its first string found */
	size_t *best;          /* per id: where its earliest alternative needs to start */
} scratch;

struct cpl_litindex {
	int nids;
	unsigned char *always; /* per id: nothing to look for, always run */
	unsigned char *letter; /* per id: a literal holds an ASCII letter */
	entry *e;
	size_t ne;
	link *links;
	size_t nlinks;
	alt *alts;
	size_t nalts;
	int nclauses;
	int *clause_alt;       /* per clause: the alternative it belongs to */
	int *head;             /* first character (BMP) -> first entry, or -1 */
	uint64_t first[0x10000 / 64]; /* bit per BMP character: head is not -1 */
	int astral;            /* entries starting beyond the BMP */
	cpl_literals **keep;   /* owners of the strings */
	size_t nkeep;
	scratch *sc;           /* written by a scan (the index itself is not) */
};

cpl_litindex *litindex_new(void)
{
	cpl_litindex *x = xcalloc(1, sizeof *x);
	x->head = xmalloc(0x10000 * sizeof *x->head);
	for (int i = 0; i < 0x10000; i++)
		x->head[i] = -1;
	x->astral = -1;
	x->sc = xcalloc(1, sizeof *x->sc);
	return x;
}

static int add_clause(cpl_litindex *x, int id, const char *const *s, size_t n)
{
	int c = x->nclauses++;
	x->e = xrealloc(x->e, (x->ne + n) * sizeof *x->e);
	x->links = xrealloc(x->links, (x->nlinks + n) * sizeof *x->links);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(s[i]);
		uint32_t first;
		int hl = utf8_decode((const unsigned char *)s[i], len, &first);
		int *h = first < 0x10000 ? &x->head[first] : &x->astral;
		if (first < 0x10000)
			x->first[first >> 6] |= 1ull << (first & 63);
		int fold = 0;
		for (size_t k = 0; k < len; k++)
			fold |= s[i][k] >= 'a' && s[i][k] <= 'z';
		x->letter[id] |= (unsigned char)fold;
		/* one entry per string, however many clauses hold it */
		int k = *h;
		while (k >= 0 && !(x->e[k].len == len && !memcmp(x->e[k].lit, s[i], len)))
			k = x->e[k].next;
		if (k < 0) {
			x->e[x->ne] = (entry){s[i], len, first < 0x10000 ? hl : 0, fold, *h, -1};
			k = *h = (int)x->ne++;
		}
		x->links[x->nlinks] = (link){c, x->e[k].link};
		x->e[k].link = (int)x->nlinks++;
	}
	return c;
}

static void add_alt(cpl_litindex *x, int id, int c0, int nc)
{
	x->alts = xrealloc(x->alts, (x->nalts + 1) * sizeof *x->alts);
	x->clause_alt = xrealloc(x->clause_alt, ((size_t)x->nclauses + 1) * sizeof *x->clause_alt);
	for (int c = c0; c < c0 + nc; c++)
		x->clause_alt[c] = (int)x->nalts;
	x->alts[x->nalts++] = (alt){id, c0, nc};
}

void litindex_add(cpl_litindex *x, int id, const char *pattern)
{
	if (id >= x->nids) {
		x->always = xrealloc(x->always, (size_t)id + 1);
		memset(x->always + x->nids, 0, (size_t)(id + 1 - x->nids));
		x->letter = xrealloc(x->letter, (size_t)id + 1);
		memset(x->letter + x->nids, 0, (size_t)(id + 1 - x->nids));
		x->nids = id + 1;
	}
	cpl_literals *l = literals_compile_folded(pattern);
	const char *const *s;
	size_t n = literals_strings(l, &s);
	size_t nalt = literals_alternatives(l);
	for (size_t a = 0; a < nalt && n; a++)
		if (!literals_clauses(l, a))
			n = 0; /* an alternative that needs nothing */
	if (!l || !n) {
		literals_free(l);
		x->always[id] = 1;
		return;
	}
	x->keep = xrealloc(x->keep, (x->nkeep + 1) * sizeof *x->keep);
	x->keep[x->nkeep++] = l;
	if (!nalt) {
		add_alt(x, id, add_clause(x, id, s, n), 1);
		return;
	}
	for (size_t a = 0; a < nalt; a++) {
		size_t nc = literals_clauses(l, a);
		int c0 = x->nclauses;
		for (size_t c = 0; c < nc; c++) {
			n = literals_clause(l, a, c, &s);
			add_clause(x, id, s, n);
		}
		add_alt(x, id, c0, (int)nc);
	}
}

void litindex_scan(const cpl_litindex *x, const char *text, size_t len, unsigned char *maybe)
{
	litindex_scan_at(x, text, len, maybe, NULL);
}

/* s holds lit from byte i on (lowercase: with ASCII case folded) */
static int same_folded(const unsigned char *s, const char *lit, size_t i, size_t len)
{
	for (; i < len; i++) {
		unsigned char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c |= 0x20;
		if (c != (unsigned char)lit[i])
			return 0;
	}
	return 1;
}

static int same(const unsigned char *s, const char *lit, size_t i, size_t len)
{
	for (; i < len; i++)
		if (s[i] != (unsigned char)lit[i])
			return 0;
	return 1;
}

static void grow_scratch(const cpl_litindex *x)
{
	scratch *sc = x->sc;
	sc->cstamp = xrealloc(sc->cstamp, ((size_t)x->nclauses + 1) * sizeof *sc->cstamp);
	sc->cat = xrealloc(sc->cat, ((size_t)x->nclauses + 1) * sizeof *sc->cat);
	sc->istamp = xrealloc(sc->istamp, ((size_t)x->nids + 1) * sizeof *sc->istamp);
	sc->best = xrealloc(sc->best, ((size_t)x->nids + 1) * sizeof *sc->best);
	sc->estamp = xrealloc(sc->estamp, (x->ne + 1) * sizeof *sc->estamp);
	memset(sc->estamp, 0, (x->ne + 1) * sizeof *sc->estamp);
	sc->astamp = xrealloc(sc->astamp, (x->nalts + 1) * sizeof *sc->astamp);
	memset(sc->astamp, 0, (x->nalts + 1) * sizeof *sc->astamp);
	sc->found = xrealloc(sc->found, ((size_t)x->nclauses + 1) * sizeof *sc->found);
	sc->nentries = x->ne;
	sc->nalts = x->nalts;
	memset(sc->cstamp, 0, ((size_t)x->nclauses + 1) * sizeof *sc->cstamp);
	memset(sc->istamp, 0, ((size_t)x->nids + 1) * sizeof *sc->istamp);
	sc->cur = 0;
	sc->nclauses = x->nclauses;
	sc->nids = x->nids;
}

/* The same, and at[id] = a byte offset no match of id starts its literals
 * before: the latest of the first strings found of an alternative's clauses
 * (the earliest such alternative).  Left as it was for an id that always
 * runs, 0 when the text holds U+017F or U+212A and id's literals a letter. */
void litindex_scan_at(const cpl_litindex *x, const char *text, size_t len, unsigned char *maybe, size_t *at)
{
	scratch *sc = x->sc;
	if (sc->nclauses != x->nclauses || sc->nids != x->nids || sc->nentries != x->ne ||
	    sc->nalts != x->nalts || sc->cur == ~0u)
		grow_scratch(x); /* the first scan, one after an addition, or a wrap */
	unsigned cur = ++sc->cur;
	sc->nfound = 0;
	for (int i = 0; i < x->nids; i++)
		if (x->always[i])
			maybe[i] = 1;
	const unsigned char *s = (const unsigned char *)text, *end = s + len;
	int odd = 0; /* U+017F or U+212A, which caseless matching takes for s and k */
	while (s < end) {
		uint32_t cp;
		int n = 1;
		if (*s < 0x80) {
			cp = *s >= 'A' && *s <= 'Z' ? *s | 0x20u : *s;
		} else if ((*s & 0xF0) == 0xE0 && end - s >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
			/* most of the text: no literal starts inside these three bytes */
			cp = (uint32_t)(*s & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
			n = 3;
		} else {
			n = utf8_decode(s, (size_t)(end - s), &cp);
		}
		if (cp < 0x10000 && !(x->first[cp >> 6] >> (cp & 63) & 1)) {
			odd |= cp == 0x17F || cp == 0x212A; /* never a literal's first */
			s += n;
			continue;
		}
		for (int k = cp < 0x10000 ? x->head[cp] : x->astral; k >= 0; k = x->e[k].next) {
			const entry *e = &x->e[k];
			if (sc->estamp[k] == cur || e->len > (size_t)(end - s))
				continue;
			/* the first character is the one filed under (but for case) */
			size_t i = e->fold ? 0 : (size_t)e->head_len;
			if (!(e->fold ? same_folded(s, e->lit, 0, e->len) : same(s, e->lit, i, e->len)))
				continue;
			sc->estamp[k] = cur; /* found: its first place is what counts */
			size_t off = (size_t)(s - (const unsigned char *)text);
			for (int l = e->link; l >= 0; l = x->links[l].next) {
				int c = x->links[l].clause;
				if (sc->cstamp[c] != cur) {
					sc->cstamp[c] = cur;
					sc->cat[c] = off;
					sc->found[sc->nfound++] = c;
				}
			}
		}
		s += n;
	}
	/* the alternatives with a clause found: are all of theirs? */
	for (size_t f = 0; f < sc->nfound; f++) {
		int k = x->clause_alt[sc->found[f]];
		if (sc->astamp[k] == cur)
			continue;
		sc->astamp[k] = cur;
		const alt *a = &x->alts[k];
		size_t from = 0;
		int c = a->c0;
		for (; c < a->c0 + a->nc && sc->cstamp[c] == cur; c++)
			if (sc->cat[c] > from)
				from = sc->cat[c];
		if (c < a->c0 + a->nc)
			continue;
		if (sc->istamp[a->id] != cur || from < sc->best[a->id]) {
			sc->istamp[a->id] = cur;
			sc->best[a->id] = from;
		}
	}
	for (int i = 0; i < x->nids; i++) {
		int found = sc->istamp[i] == cur;
		if (odd && x->letter[i]) {
			/* a match may hold one of them in place of a letter: anywhere */
			maybe[i] = 1;
			if (at)
				at[i] = 0;
		} else if (found) {
			maybe[i] = 1;
			if (at)
				at[i] = sc->best[i];
		}
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
	free(x->alts);
	free(x->head);
	free(x->always);
	free(x->letter);
	free(x->sc->cstamp);
	free(x->sc->istamp);
	free(x->sc->cat);
	free(x->sc->best);
	free(x->sc->estamp);
	free(x->sc->astamp);
	free(x->sc->found);
	free(x->clause_alt);
	free(x->links);
	free(x->sc);
	free(x);
}
