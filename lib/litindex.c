/* litindex.c: which patterns of a table may match a text, in one walk over
 * it: a pattern runs only when every clause of literals (literals.c) of one
 * of its alternatives is present; ASCII letters compare caseless. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "cpl.h"

#if defined(__x86_64__) && defined(__GNUC__)
#define CPL_X86_POPCNT 1
#define HAVE_POPCNT() __builtin_cpu_supports("popcnt")
#else
#define CPL_X86_POPCNT 0
#define HAVE_POPCNT() 0
#endif

/* A string is filed under its first two characters (hashed), or, when it is
 * one character long, under that character: most characters of a Chinese
 * complaint start some string (不, 客, 费 ...), few pairs do, so a bit test
 * per character passes over nearly all the text. */
#define PAIR_BITS 16
#define NPAIR (1u << PAIR_BITS)
#define NONE 0x10000u /* one-character strings: the BMP */
#define WORDS(nbits) ((nbits) / 64)

typedef struct entry {
	const char *lit;
	size_t len;
	int next;     /* the next entry in the same bucket, or -1 */
	int link;     /* the clauses holding this string: first link, or -1 */
} entry;

typedef struct link { int clause, next; } link;

typedef struct alt { int id, c0, nc, sure; } alt; /* clauses c0 .. c0 + nc - 1 */

/* What a scan reads, laid out once all is added (freeze): the strings of a
 * bucket side by side, each with its clauses side by side, and the buckets
 * numbered densely through the bit maps (a bucket is the count of set bits
 * before its own), so a scan touches a few small arrays in order rather
 * than chains through large ones. */
typedef struct fentry {
	uint64_t head;       /* its first bytes (up to 8), to compare at once */
	const char *lit;
	uint32_t len;
	uint32_t third;      /* its third character + 1; 0: none, or not one to sort by */
	uint32_t link;       /* its clauses: flink[link] .. flink[link + nlink - 1] */
	uint32_t nlink : 31;
	uint32_t fold : 1;   /* holds an ASCII letter: compare caseless */
} fentry;

/* A pair bucket longer than this is searched by the text's third character:
 * alternations spelt out make buckets of dozens of strings on one pair
 * (信号瘫痪, 信号中断 ... 85 of them), and common pairs come up often. */
#define LONG_BUCKET 8

typedef struct flink {
	uint32_t clause;
	uint32_t alt : 31;
	uint32_t trig : 1;     /* the clause is its alternative's trigger */
} flink;

typedef struct frozen {
	size_t ne, nalts;      /* what it was made from */
	fentry *e;
	flink *l;
	uint32_t pair_rank[WORDS(NPAIR)], one_rank[WORDS(NONE)]; /* of the index's bit maps */
	uint32_t *pair_start, *one_start; /* per bucket, and one past the last */
	uint32_t astral0, astral1;        /* the one-character strings beyond the BMP */
	int popcnt;            /* the processor counts bits in one instruction */
	uint32_t *id_first, *id_ent; /* per id: its strings' entries, id_ent[id_first[id] ..] */
} frozen;

/* What a scan writes, per entry, clause, alternative and id, the fields of
 * one thing side by side (one cache line to touch, not one per field). */
typedef struct escan {
	unsigned stamp;        /* found by this scan */
	size_t last;           /* the last place its bucket came up */
} escan;

typedef struct cscan {
	unsigned stamp;        /* found by this scan */
	size_t first;          /* where */
} cscan;

typedef struct iscan {
	unsigned stamp;        /* an alternative of it found by this scan */
	unsigned sure;         /* a sure alternative of it found by this scan */
	size_t best;           /* where its earliest alternative needs to start */
} iscan;

typedef struct scratch {
	unsigned cur;          /* the scan: a thing stamped so is found */
	int nclauses, nids;    /* what the arrays are sized for */
	size_t nentries, nalts;
	escan *es;             /* per entry */
	cscan *cs;             /* per clause */
	unsigned *done;        /* per alternative: found by this scan */
	iscan *is;             /* per id */
	int *ids;              /* ids found by this scan */
	size_t nids_found;
	int *pend;             /* alternatives whose trigger clause this scan found */
	size_t npend;
	int odd;               /* the text holds U+017F or U+212A */
} scratch;

struct cpl_litindex {
	int nids;
	unsigned char *always; /* per id: nothing to look for, always run */
	unsigned char *letter; /* per id: a literal holds an ASCII letter */
	int *alt0;             /* per id: its first alternative in alts */
	const cpl_literals **lit; /* per id: what was read of its pattern, or NULL */
	int *always_ids, *letter_ids;
	int nalways, nletter;
	entry *e;
	size_t ne, ecap;
	link *links;
	size_t nlinks, lcap;
	alt *alts;
	size_t nalts, acap;
	int nclauses;
	int *clause_alt;       /* per clause: the alternative it belongs to */
	size_t cacap;
	int *pair_head;        /* pair hash -> first entry, or -1 */
	uint64_t pair[WORDS(NPAIR)];
	int *one_head;         /* one-character strings: character (BMP) -> entry */
	uint64_t one[WORDS(NONE)]; /* also U+017F and U+212A, for the scan to see */
	int one_astral;        /* one-character strings beyond the BMP */
	cpl_literals **keep;   /* owners of the strings */
	size_t nkeep;
	frozen *fz;            /* the layout a scan reads; made at the first */
	scratch *sc;           /* written by a scan (the index itself is not) */
	int shared;            /* a view from litindex_share: owns only sc */
};

/* The character at s, ASCII letters folded; the scan and the index read
 * strings through this one function, so their keys agree on any bytes. */
static inline int next_char(const unsigned char *s, const unsigned char *end, uint32_t *cp)
{
	if (*s < 0x80) {
		*cp = *s >= 'A' && *s <= 'Z' ? *s | 0x20u : *s;
		return 1;
	}
	if (utf8_take3(s, end, cp))
		return 3;
	return utf8_decode(s, (size_t)(end - s), cp);
}

static inline unsigned pair_hash(uint32_t a, uint32_t b)
{
	return ((a * 0x9E3779B1u) ^ (b * 0x85EBCA77u)) * 0xC2B2AE3Du >> (32 - PAIR_BITS);
}

#define GROW(p, cap, need) do { \
	if ((need) > (cap)) { \
		(cap) = (cap) * 2 > (need) ? (cap) * 2 : (need) + 16; \
		(p) = xrealloc((p), (cap) * sizeof *(p)); \
	} } while (0)

cpl_litindex *litindex_new(void)
{
	cpl_litindex *x = xcalloc(1, sizeof *x);
	x->one_astral = -1;
	x->one[0x17F >> 6] |= 1ull << (0x17F & 63); /* buckets with no string */
	x->one[0x212A >> 6] |= 1ull << (0x212A & 63);
	x->sc = xcalloc(1, sizeof *x->sc);
	return x;
}

static int *bucket(cpl_litindex *x, const char *lit, size_t len);

/* The chains strings are added through (1 MB, for adding only: a freeze
 * lets them go, and an addition after it files the strings again). */
static void chains(cpl_litindex *x)
{
	if (x->pair_head)
		return;
	x->pair_head = xmalloc(NPAIR * sizeof *x->pair_head);
	for (unsigned i = 0; i < NPAIR; i++)
		x->pair_head[i] = -1;
	x->one_head = xmalloc(NONE * sizeof *x->one_head);
	for (unsigned i = 0; i < NONE; i++)
		x->one_head[i] = -1;
	x->one_astral = -1;
	for (size_t k = 0; k < x->ne; k++) {
		int *h = bucket(x, x->e[k].lit, x->e[k].len);
		x->e[k].next = *h;
		*h = (int)k;
	}
}

/* The bucket a string is filed under (and its bit set). */
static int *bucket(cpl_litindex *x, const char *lit, size_t len)
{
	chains(x);
	const unsigned char *s = (const unsigned char *)lit, *end = s + len;
	uint32_t a, b;
	int n = next_char(s, end, &a);
	if ((size_t)n < len) {
		next_char(s + n, end, &b);
		unsigned h = pair_hash(a, b);
		x->pair[h >> 6] |= 1ull << (h & 63);
		return &x->pair_head[h];
	}
	if (a >= NONE)
		return &x->one_astral;
	x->one[a >> 6] |= 1ull << (a & 63);
	return &x->one_head[a];
}

/* Holds an ASCII letter (lowercase: the strings are folded): compared caseless. */
static int has_letter(const char *s, size_t len)
{
	for (size_t k = 0; k < len; k++)
		if (s[k] >= 'a' && s[k] <= 'z')
			return 1;
	return 0;
}

static int add_clause(cpl_litindex *x, int id, const char *const *s, size_t n)
{
	int c = x->nclauses++;
	GROW(x->e, x->ecap, x->ne + n);
	GROW(x->links, x->lcap, x->nlinks + n);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(s[i]);
		int *h = bucket(x, s[i], len);
		x->letter[id] |= (unsigned char)has_letter(s[i], len);
		/* one entry per string, however many clauses hold it */
		int k = *h;
		while (k >= 0 && !(x->e[k].len == len && !memcmp(x->e[k].lit, s[i], len)))
			k = x->e[k].next;
		if (k < 0) {
			x->e[x->ne] = (entry){s[i], len, *h, -1};
			k = *h = (int)x->ne++;
		}
		x->links[x->nlinks] = (link){c, x->e[k].link};
		x->e[k].link = (int)x->nlinks++;
	}
	return c;
}

static void add_alt(cpl_litindex *x, int id, int c0, int nc, int sure)
{
	GROW(x->alts, x->acap, x->nalts + 1);
	GROW(x->clause_alt, x->cacap, (size_t)x->nclauses + 1);
	for (int c = c0; c < c0 + nc; c++)
		x->clause_alt[c] = (int)x->nalts;
	x->alts[x->nalts++] = (alt){id, c0, nc, sure};
}

/* The ids that always run and those with a letter, as lists for the scan. */
static void list_ids(cpl_litindex *x)
{
	x->nalways = x->nletter = 0;
	for (int i = 0; i < x->nids; i++) {
		if (x->always[i])
			x->always_ids[x->nalways++] = i;
		if (x->letter[i])
			x->letter_ids[x->nletter++] = i;
	}
}

void litindex_add(cpl_litindex *x, int id, const char *pattern)
{
	if (id >= x->nids) {
		x->always = xrealloc(x->always, (size_t)id + 1);
		memset(x->always + x->nids, 0, (size_t)(id + 1 - x->nids));
		x->letter = xrealloc(x->letter, (size_t)id + 1);
		memset(x->letter + x->nids, 0, (size_t)(id + 1 - x->nids));
		x->always_ids = xrealloc(x->always_ids, ((size_t)id + 1) * sizeof *x->always_ids);
		x->letter_ids = xrealloc(x->letter_ids, ((size_t)id + 1) * sizeof *x->letter_ids);
		x->alt0 = xrealloc(x->alt0, ((size_t)id + 1) * sizeof *x->alt0);
		x->lit = xrealloc(x->lit, ((size_t)id + 1) * sizeof *x->lit);
		memset(x->lit + x->nids, 0, (size_t)(id + 1 - x->nids) * sizeof *x->lit);
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
		list_ids(x);
		return;
	}
	x->keep = xrealloc(x->keep, (x->nkeep + 1) * sizeof *x->keep);
	x->keep[x->nkeep++] = l;
	x->alt0[id] = (int)x->nalts;
	x->lit[id] = l;
	if (!nalt) {
		add_alt(x, id, add_clause(x, id, s, n), 1, 0);
	} else {
		for (size_t a = 0; a < nalt; a++) {
			size_t nc = literals_clauses(l, a);
			int c0 = x->nclauses;
			for (size_t c = 0; c < nc; c++) {
				n = literals_clause(l, a, c, &s);
				add_clause(x, id, s, n);
			}
			add_alt(x, id, c0, (int)nc, nc == 1 && literals_alternative_sure(l, a));
		}
	}
	list_ids(x);
}

void litindex_scan(const cpl_litindex *x, const char *text, size_t len, unsigned char *maybe)
{
	litindex_scan_at(x, text, len, maybe, NULL);
}

/* s holds lit (lowercase: with ASCII case folded) */
static int same_folded(const unsigned char *s, const char *lit, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c |= 0x20;
		if (c != (unsigned char)lit[i])
			return 0;
	}
	return 1;
}

static void grow_scratch(const cpl_litindex *x)
{
	scratch *sc = x->sc;
	sc->ids = xrealloc(sc->ids, ((size_t)x->nids + 1) * sizeof *sc->ids);
	sc->is = xrealloc(sc->is, ((size_t)x->nids + 1) * sizeof *sc->is);
	memset(sc->is, 0, ((size_t)x->nids + 1) * sizeof *sc->is);
	sc->es = xrealloc(sc->es, (x->ne + 1) * sizeof *sc->es);
	memset(sc->es, 0, (x->ne + 1) * sizeof *sc->es);
	sc->cs = xrealloc(sc->cs, ((size_t)x->nclauses + 1) * sizeof *sc->cs);
	memset(sc->cs, 0, ((size_t)x->nclauses + 1) * sizeof *sc->cs);
	sc->done = xrealloc(sc->done, (x->nalts + 1) * sizeof *sc->done);
	memset(sc->done, 0, (x->nalts + 1) * sizeof *sc->done);
	sc->pend = xrealloc(sc->pend, (x->nalts + 1) * sizeof *sc->pend);
	sc->nentries = x->ne;
	sc->nalts = x->nalts;
	sc->cur = 0;
	sc->nclauses = x->nclauses;
	sc->nids = x->nids;
}

static void frozen_free(frozen *fz)
{
	if (!fz)
		return;
	free(fz->e);
	free(fz->l);
	free(fz->pair_start);
	free(fz->one_start);
	free(fz->id_first);
	free(fz->id_ent);
	free(fz);
}

/* r[w]: the bits set before word w; returns all that are set. */
static size_t rank(const uint64_t *bits, uint32_t *r, size_t nwords)
{
	uint32_t n = 0;
	for (size_t w = 0; w < nwords; w++) {
		r[w] = n;
		n += (uint32_t)__builtin_popcountll(bits[w]);
	}
	return n;
}

/* The third character of a string + 1, when it is whole in the string: any
 * text that holds the string then decodes it the same way.  Otherwise (none,
 * or bytes next_char cannot read as one, such as a sequence cut at the end)
 * 0: the string is tried wherever its pair is, like one of two characters. */
static uint32_t third_of(const char *lit, size_t len)
{
	const unsigned char *s = (const unsigned char *)lit, *end = s + len;
	uint32_t cp = 0;
	int n = 0;
	for (int i = 0; i < 3; i++) {
		if (s >= end)
			return 0; /* fewer than three characters */
		n = next_char(s, end, &cp);
		s += n;
	}
	return n == 1 && cp == 0xFFFD ? 0 : cp + 1; /* U+FFFD of one byte: not read as a character */
}

static int by_third(const void *a, const void *b)
{
	uint32_t x = ((const fentry *)a)->third, y = ((const fentry *)b)->third;
	return x < y ? -1 : x > y;
}

/* Copy the chain from entry k on into fz->e at *ne, its links after *nl. */
static void freeze_chain(const cpl_litindex *x, frozen *fz, int k, size_t *ne, size_t *nl)
{
	for (; k >= 0; k = x->e[k].next) {
		const entry *e = &x->e[k];
		fentry *f = &fz->e[(*ne)++];
		*f = (fentry){.lit = e->lit, .len = (uint32_t)e->len, .third = third_of(e->lit, e->len),
			.link = (uint32_t)*nl, .fold = has_letter(e->lit, e->len) != 0};
		memcpy(&f->head, e->lit, e->len < 8 ? e->len : 8);
		for (int l = e->link; l >= 0; l = x->links[l].next) {
			int c = x->links[l].clause;
			fz->l[(*nl)++] = (flink){(uint32_t)c, (uint32_t)x->clause_alt[c], 0};
			f->nlink++;
		}
	}
}

/* The buckets of one bit map, in order: their chains copied, where each
 * starts into start (and one past the last). */
static void freeze_map(const cpl_litindex *x, frozen *fz, const uint64_t *bits, unsigned nbits,
	const int *heads, uint32_t *start, size_t *ne, size_t *nl)
{
	size_t b = 0;
	for (unsigned h = 0; h < nbits; h++)
		if (bits[h >> 6] >> (h & 63) & 1) {
			size_t first = *ne;
			start[b++] = (uint32_t)first;
			freeze_chain(x, fz, heads ? heads[h] : -1, ne, nl); /* no heads: nothing added */
			/* by third character (those without one first), for try_pair */
			qsort(fz->e + first, *ne - first, sizeof *fz->e, by_third);
		}
	start[b] = (uint32_t)*ne;
}

/* Per id, the entries of its strings (each once), for litindex_last. */
static void index_ids(const cpl_litindex *x, frozen *fz)
{
	size_t nids = (size_t)x->nids;
	uint32_t *n = xcalloc(nids + 1, sizeof *n), *seen = xmalloc((nids + 1) * sizeof *seen);
	for (int pass = 0; pass < 2; pass++) {
		memset(seen, 0xFF, (nids + 1) * sizeof *seen);
		for (uint32_t k = 0; k < fz->ne; k++) {
			const fentry *e = &fz->e[k];
			for (const flink *l = fz->l + e->link, *l1 = l + e->nlink; l < l1; l++) {
				int id = x->alts[l->alt].id;
				if (seen[id] == k)
					continue; /* the same string in another clause of the id */
				seen[id] = k;
				if (pass)
					fz->id_ent[n[id]++] = k;
				else
					n[id]++;
			}
		}
		if (pass)
			break;
		fz->id_first = xmalloc((nids + 1) * sizeof *fz->id_first);
		uint32_t at = 0;
		for (size_t id = 0; id < nids; id++) {
			fz->id_first[id] = at;
			at += n[id];
			n[id] = fz->id_first[id];
		}
		fz->id_first[nids] = at;
		fz->id_ent = xmalloc((at + 1) * sizeof *fz->id_ent);
	}
	free(n);
	free(seen);
}

/* Each alternative's trigger: the clause least likely to be found, as
 * literals_rarity guesses it: the one whose commonest string is rarest (of
 * two alike, the one with fewer strings).  A scan checks an alternative
 * only once its trigger is found: most clauses are found with no
 * alternative to check. */
static void triggers(const cpl_litindex *x, frozen *fz)
{
	size_t nc = (size_t)x->nclauses;
	uint32_t *rar = xcalloc(nc + 1, sizeof *rar), *n = xcalloc(nc + 1, sizeof *n);
	uint32_t *trig = xmalloc((x->nalts + 1) * sizeof *trig);
	for (size_t k = 0; k < fz->ne; k++) {
		const fentry *e = &fz->e[k];
		uint32_t r = (uint32_t)literals_rarity(e->lit, e->len);
		for (const flink *l = fz->l + e->link, *l1 = l + e->nlink; l < l1; l++) {
			n[l->clause]++;
			if (!rar[l->clause] || r < rar[l->clause])
				rar[l->clause] = r;
		}
	}
	for (size_t a = 0; a < x->nalts; a++) {
		int t = x->alts[a].c0;
		for (int c = t + 1; c < x->alts[a].c0 + x->alts[a].nc; c++)
			if (rar[c] > rar[t] || (rar[c] == rar[t] && n[c] < n[t]))
				t = c;
		trig[a] = (uint32_t)t;
	}
	for (size_t k = 0; k < fz->ne; k++)
		for (flink *l = fz->l + fz->e[k].link, *l1 = l + fz->e[k].nlink; l < l1; l++)
			l->trig = l->clause == trig[l->alt];
	free(rar);
	free(n);
	free(trig);
}

static int stale(const cpl_litindex *x)
{
	return !x->fz || x->fz->ne != x->ne || x->fz->nalts != x->nalts;
}

/* Lay out what a scan reads: after the last addition, before a scan. */
static void freeze(cpl_litindex *x)
{
	if (!stale(x))
		return;
	frozen_free(x->fz);
	frozen *fz = x->fz = xcalloc(1, sizeof *fz);
	fz->ne = x->ne;
	fz->nalts = x->nalts;
	fz->popcnt = HAVE_POPCNT();
	fz->e = xmalloc((x->ne + 1) * sizeof *fz->e);
	fz->l = xmalloc((x->nlinks + 1) * sizeof *fz->l);
	fz->pair_start = xmalloc((rank(x->pair, fz->pair_rank, WORDS(NPAIR)) + 1) * sizeof *fz->pair_start);
	fz->one_start = xmalloc((rank(x->one, fz->one_rank, WORDS(NONE)) + 1) * sizeof *fz->one_start);
	size_t ne = 0, nl = 0;
	freeze_map(x, fz, x->pair, NPAIR, x->pair_head, fz->pair_start, &ne, &nl);
	freeze_map(x, fz, x->one, NONE, x->one_head, fz->one_start, &ne, &nl);
	fz->astral0 = (uint32_t)ne;
	freeze_chain(x, fz, x->one_astral, &ne, &nl);
	fz->astral1 = (uint32_t)ne;
	index_ids(x, fz);
	triggers(x, fz);
	free(x->pair_head);
	free(x->one_head);
	x->pair_head = x->one_head = NULL;
}

/* Does the text at s (room left: room) hold e?  Its first 8 bytes and its
 * last 8 are compared as words, which sets apart the strings of a bucket
 * that share a beginning (给您带来不便, 给您带来了不便 ...); the middle, when
 * there is one, only once both agree. */
static inline int holds(const fentry *e, const unsigned char *s, size_t room)
{
	if (e->len > room)
		return 0;
	if (e->fold)
		return same_folded(s, e->lit, e->len);
	if (room < 8) { /* at the end of the text: no word to read */
		for (uint32_t i = 0; i < e->len; i++)
			if (s[i] != (unsigned char)e->lit[i])
				return 0;
		return 1;
	}
	uint64_t t;
	memcpy(&t, s, 8);
	uint64_t mask = e->len >= 8 ? ~0ull : (1ull << (8 * e->len)) - 1;
	if ((t & mask) != e->head)
		return 0;
	if (e->len <= 8)
		return 1;
	uint64_t u, v;
	memcpy(&u, s + e->len - 8, 8);
	memcpy(&v, e->lit + e->len - 8, 8);
	return u == v && (e->len <= 16 || !memcmp(s + 8, e->lit + 8, e->len - 16));
}

/* The strings of a bucket (entries k to k1) that the text holds at s
 * (offset off): each found the first time stamps its clauses with where
 * they were first found, and lists the alternatives whose trigger clause it
 * is, for settle() to check once the walk is over.  The scan goes left to
 * right, so a clause's first place is the least offset it is stamped at. */
static void try_entries(const cpl_litindex *x, uint32_t k, uint32_t k1, const unsigned char *s,
	const unsigned char *end, size_t off)
{
	const frozen *fz = x->fz;
	scratch *sc = x->sc;
	unsigned cur = sc->cur;
	size_t room = (size_t)(end - s);
	for (; k < k1; k++) {
		const fentry *e = &fz->e[k];
		escan *es = &sc->es[k];
		if (es->stamp == cur) {
			es->last = off; /* perhaps here again: no later than this */
			continue;
		}
		if (!holds(e, s, room))
			continue;
		es->stamp = cur; /* found: its first place is what counts */
		es->last = off;
		/* its clauses found, those not found before here: with no branch,
		 * for the text decides them */
		for (const flink *l = fz->l + e->link, *l1 = l + e->nlink; l < l1; l++) {
			cscan *cs = &sc->cs[l->clause];
			size_t fresh = cs->stamp != cur, was = cs->first;
			cs->first = was ^ ((was ^ off) & -fresh); /* fresh ? off : was */
			cs->stamp = cur;
			sc->pend[sc->npend] = (int)l->alt;
			sc->npend += fresh & l->trig;
		}
	}
}

/* The same, with no call for a bucket of one string found before: most
 * buckets hold one, and common characters (您, 的) come up again and again. */
static inline void try_bucket(const cpl_litindex *x, uint32_t k, uint32_t k1, const unsigned char *s,
	const unsigned char *end, size_t off)
{
	if (k1 - k == 1 && x->sc->es[k].stamp == x->sc->cur) {
		x->sc->es[k].last = off;
		return;
	}
	try_entries(x, k, k1, s, end, off);
}

/* A pair bucket (entries k to k1) at s, whose second character ends at
 * next: a long one is searched for the strings with no third character to
 * sort by, and for those whose third character is the text's. */
static inline __attribute__((always_inline)) void try_pair(const cpl_litindex *x, uint32_t k, uint32_t k1, const unsigned char *s,
	const unsigned char *next, const unsigned char *end, size_t off)
{
	if (k1 - k <= LONG_BUCKET) {
		try_bucket(x, k, k1, s, end, off);
		return;
	}
	const fentry *e = x->fz->e;
	uint32_t m = k;
	while (m < k1 && !e[m].third)
		m++;
	if (m > k)
		try_bucket(x, k, m, s, end, off);
	if (next >= end)
		return;
	uint32_t cp;
	next_char(next, end, &cp);
	cp++;
	uint32_t lo = m, hi = k1; /* the first whose third is cp or more */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (e[mid].third < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (hi = lo; hi < k1 && e[hi].third == cp; hi++)
		;
	if (hi > lo)
		try_bucket(x, lo, hi, s, end, off);
}

/* Bucket b of a bit map, when its bit h is set: the count of set bits
 * before it. */
static inline int bucket_at(const uint64_t *bits, const uint32_t *r, unsigned h, uint32_t *b)
{
	uint64_t w = bits[h >> 6];
	if (!(w >> (h & 63) & 1))
		return 0;
	*b = r[h >> 6] + (uint32_t)__builtin_popcountll(w & ((1ull << (h & 63)) - 1));
	return 1;
}

/* The walk over a text, for litindex_scan_at: compiled twice, so that
 * bucket_at's bit count is one instruction where the processor has it. */
static inline __attribute__((always_inline)) int walk(const cpl_litindex *x, const unsigned char *t, size_t len)
{
	const frozen *fz = x->fz;
	const unsigned char *s = t, *end = s + len, *prev = NULL;
	uint32_t pcp = 0, b;
	int odd = 0; /* U+017F or U+212A, which caseless matching takes for s and k */
	while (s < end) {
		uint32_t cp;
		int n = next_char(s, end, &cp);
		if (prev && bucket_at(x->pair, fz->pair_rank, pair_hash(pcp, cp), &b))
			try_pair(x, fz->pair_start[b], fz->pair_start[b + 1], prev, s + n, end, (size_t)(prev - t));
		if (cp < NONE) {
			if (bucket_at(x->one, fz->one_rank, cp, &b)) {
				try_bucket(x, fz->one_start[b], fz->one_start[b + 1], s, end, (size_t)(s - t));
				odd |= cp == 0x17F || cp == 0x212A;
			}
		} else if (fz->astral1 > fz->astral0) {
			try_bucket(x, fz->astral0, fz->astral1, s, end, (size_t)(s - t));
		}
		prev = s;
		pcp = cp;
		s += n;
	}
	return odd;
}

static int walk_plain(const cpl_litindex *x, const unsigned char *t, size_t len) { return walk(x, t, len); }

#if CPL_X86_POPCNT
__attribute__((target("popcnt")))
static int walk_popcnt(const cpl_litindex *x, const unsigned char *t, size_t len) { return walk(x, t, len); }
#else
#define walk_popcnt walk_plain
#endif

/* The alternatives whose trigger the walk found: each whose other clauses
 * were found too is found, where the last of its clauses was first found;
 * an id is found at its earliest alternative found. */
static void settle(const cpl_litindex *x, scratch *sc)
{
	unsigned cur = sc->cur;
	for (size_t i = 0; i < sc->npend; i++) {
		int ai = sc->pend[i];
		const alt *a = &x->alts[ai];
		size_t at = 0;
		unsigned ok = 1;
		for (const cscan *cs = sc->cs + a->c0, *c1 = cs + a->nc; cs < c1; cs++) {
			ok &= cs->stamp == cur;
			at = cs->first > at ? cs->first : at;
		}
		if (!ok)
			continue;
		sc->done[ai] = cur;
		iscan *is = &sc->is[a->id];
		if (a->sure)
			is->sure = cur;
		if (is->stamp != cur) {
			is->stamp = cur;
			is->best = at;
			sc->ids[sc->nids_found++] = a->id;
		} else if (at < is->best) {
			is->best = at;
		}
	}
}

/* The same, and at[id] = a byte offset no match of id starts its literals
 * before: the latest of the first strings found of an alternative's clauses
 * (the earliest such alternative).  Left as it was for an id that always
 * runs, 0 when the text holds U+017F or U+212A and id's literals a letter. */
void litindex_scan_at(const cpl_litindex *x, const char *text, size_t len, unsigned char *maybe, size_t *at)
{
	if (stale(x))
		freeze((cpl_litindex *)x); /* not shared yet: litindex_share freezes first */
	scratch *sc = x->sc;
	if (sc->nclauses != x->nclauses || sc->nids != x->nids || sc->nentries != x->ne ||
	    sc->nalts != x->nalts || sc->cur == ~0u)
		grow_scratch(x); /* the first scan, one after an addition, or a wrap */
	++sc->cur;
	sc->nids_found = 0;
	sc->npend = 0;
	for (int i = 0; i < x->nalways; i++)
		maybe[x->always_ids[i]] = 1;
	const unsigned char *t = (const unsigned char *)text;
	int odd = sc->odd = x->fz->popcnt ? walk_popcnt(x, t, len) : walk_plain(x, t, len);
	settle(x, sc);
	for (size_t i = 0; i < sc->nids_found; i++) {
		int id = sc->ids[i];
		maybe[id] = sc->is[id].sure == sc->cur ? LIT_SURE | 1 : 1;
		if (at)
			at[id] = sc->is[id].best;
	}
	if (odd) /* a match may hold one of them in place of a letter: anywhere */
		for (int i = 0; i < x->nletter; i++) {
			maybe[x->letter_ids[i]] = 1;
			if (at)
				at[x->letter_ids[i]] = 0;
		}
}

size_t litindex_last(const cpl_litindex *x, int id)
{
	const scratch *sc = x->sc;
	/* an id that always runs has no strings: SIZE_MAX from the loop */
	if (id < 0 || id >= x->nids || (sc->odd && x->letter[id]) || !x->fz || stale(x))
		return SIZE_MAX;
	const frozen *fz = x->fz;
	/* one more than the latest place, 0 for none; with no branch, for the
	 * text decides which strings were found */
	size_t last1 = 0;
	for (uint32_t j = fz->id_first[id]; j < fz->id_first[id + 1]; j++) {
		const escan *e = &sc->es[fz->id_ent[j]];
		size_t v = (e->last + 1) & -(size_t)(e->stamp == sc->cur);
		last1 = v > last1 ? v : last1;
	}
	return last1 ? last1 - 1 : SIZE_MAX;
}

const cpl_literals *litindex_literals(const cpl_litindex *x, int id)
{
	return id >= 0 && id < x->nids ? x->lit[id] : NULL;
}

int litindex_alternative_found(const cpl_litindex *x, int id, size_t a)
{
	const scratch *sc = x->sc;
	const cpl_literals *l = litindex_literals(x, id);
	if (!l || a >= literals_alternatives(l) || (sc->odd && x->letter[id]))
		return -1; /* always runs, not read so, or U+017F/U+212A about */
	size_t ai = (size_t)x->alt0[id] + a;
	return sc->done[ai] == sc->cur;
}

/* x for another thread: the same strings, its own scratch; freed (with
 * litindex_free) before x.  Nothing may be added to x once it is shared. */
static cpl_litindex *litindex_share(cpl_litindex *x)
{
	freeze(x); /* the views read it and never write */
	cpl_litindex *v = xmalloc(sizeof *v);
	memcpy(v, x, sizeof *v);
	v->sc = xcalloc(1, sizeof *v->sc);
	v->shared = 1;
	return v;
}

static void scratch_free(scratch *sc)
{
	free(sc->ids);
	free(sc->is);
	free(sc->es);
	free(sc->cs);
	free(sc->done);
	free(sc->pend);
	free(sc);
}

void litindex_free(cpl_litindex *x)
{
	if (!x)
		return;
	scratch_free(x->sc);
	if (x->shared) {
		free(x);
		return;
	}
	for (size_t i = 0; i < x->nkeep; i++)
		literals_free(x->keep[i]);
	free(x->keep);
	free(x->e);
	free(x->alts);
	free(x->pair_head);
	free(x->one_head);
	free(x->always_ids);
	free(x->letter_ids);
	free(x->always);
	free(x->letter);
	free(x->alt0);
	free(x->lit);
	free(x->clause_alt);
	free(x->links);
	frozen_free(x->fz);
	free(x);
}

/* ---- the prefilter of a pattern table ---- */

/* A pattern whose top-level alternatives match apart, as in
 * 未收到|不知情|退.{0,4}费: a run tries only the alternatives whose strings
 * the scan found, each compiled alone by the first thread to need it.  One
 * alternative is tried only where the text holds its first character; the
 * whole is tried at every character, every alternative in turn. */
struct cpl_split {
	char *pattern;
	size_t n;
	size_t *span;            /* per alternative: its offset and length */
	_Atomic(cpl_regex *) *re; /* per alternative: NULL until compiled */
};
static char split_failed;    /* re[a] when it did not compile alone */
#define SPLIT_FAILED ((cpl_regex *)(void *)&split_failed)

static cpl_split *split_new(const cpl_litindex *x, int id, const char *pattern)
{
	const cpl_literals *l = litindex_literals(x, id);
	if (!literals_alternatives_apart(l))
		return NULL;
	size_t n = literals_alternatives(l);
	cpl_split *sp = xmalloc(sizeof *sp);
	sp->pattern = xstrdup(pattern);
	sp->n = n;
	sp->span = xmalloc(2 * n * sizeof *sp->span);
	sp->re = xmalloc(n * sizeof *sp->re);
	for (size_t a = 0; a < n; a++) {
		sp->span[2 * a + 1] = literals_alternative_span(l, a, &sp->span[2 * a]);
		atomic_init(&sp->re[a], NULL);
	}
	return sp;
}

static void split_free(cpl_split *sp)
{
	if (!sp)
		return;
	for (size_t a = 0; a < sp->n; a++) {
		cpl_regex *re = atomic_load_explicit(&sp->re[a], memory_order_relaxed);
		if (re != SPLIT_FAILED)
			regex_free(re);
	}
	free(sp->re);
	free(sp->span);
	free(sp->pattern);
	free(sp);
}

/* Alternative a compiled, or NULL when it does not compile alone. */
static const cpl_regex *split_alternative(cpl_split *sp, size_t a)
{
	cpl_regex *re = atomic_load_explicit(&sp->re[a], memory_order_acquire);
	if (!re) {
		cpl_regex *mine = regex_try_compile(sp->pattern + sp->span[2 * a], sp->span[2 * a + 1]);
		if (!mine)
			mine = SPLIT_FAILED;
		re = NULL;
		if (atomic_compare_exchange_strong_explicit(&sp->re[a], &re, mine, memory_order_acq_rel,
			    memory_order_acquire))
			re = mine;
		else if (mine != SPLIT_FAILED) /* another thread was first */
			regex_free(mine);
	}
	return re == SPLIT_FAILED ? NULL : re;
}

void prefilter_build(cpl_prefilter *pf, size_t nfields, size_t n, prefilter_item_fn item, const void *table)
{
	if (pf->index)
		return;
	pf->nfields = nfields;
	pf->n = n;
	pf->index = xcalloc(nfields + 1, sizeof *pf->index);
	pf->maybe = xcalloc(n + 1, 1);
	pf->at = xcalloc(n + 1, sizeof *pf->at);
	pf->maxlen = xcalloc(n + 1, sizeof *pf->maxlen);
	pf->field = xcalloc(n + 1, sizeof *pf->field);
	pf->list = xcalloc(n + 1, sizeof *pf->list);
	pf->split = xcalloc(n + 1, sizeof *pf->split);
	for (size_t f = 0; f < nfields; f++)
		pf->index[f] = litindex_new();
	for (size_t i = 0; i < n; i++) {
		int field;
		const char *pattern;
		item(table, i, &field, &pattern);
		litindex_add(pf->index[field], (int)i, pattern);
		pf->field[i] = field;
		pf->maxlen[i] = pattern_max_len(pattern);
		pf->split[i] = split_new(pf->index[field], (int)i, pattern);
	}
}

/* pf->list after the scans: the ids whose maybe is set, in ascending order.
 * Each id is in one field's index, and an id that always runs has no
 * strings to be found by, so the indexes' lists do not overlap; only the
 * rare texts holding U+017F or U+212A add letter ids found already. */
static void list_maybe(cpl_prefilter *pf, int odd)
{
	size_t n = pf->nlist;
	if (odd || n > 32) { /* in order as they stand, and without repeats */
		n = 0;
		for (size_t i = 0; i < pf->n; i++)
			if (pf->maybe[i])
				pf->list[n++] = (int)i;
	} else {
		for (size_t i = 1; i < n; i++) {
			int id = pf->list[i];
			size_t j = i;
			for (; j > 0 && pf->list[j - 1] > id; j--)
				pf->list[j] = pf->list[j - 1];
			pf->list[j] = id;
		}
	}
	pf->nlist = n;
}

void prefilter_scan(cpl_prefilter *pf, size_t nfields, size_t n, prefilter_item_fn item, const void *table,
	const char *const *norm, const size_t *len)
{
	prefilter_build(pf, nfields, n, item, table);
	memset(pf->maybe, 0, pf->n);
	memset(pf->at, 0, pf->n * sizeof *pf->at);
	pf->nlist = 0;
	int odd = 0;
	for (size_t f = 0; f < pf->nfields; f++) {
		if (!norm[f] || !len[f])
			continue;
		const cpl_litindex *x = pf->index[f];
		litindex_scan_at(x, norm[f], len[f], pf->maybe, pf->at);
		for (int i = 0; i < x->nalways; i++)
			pf->list[pf->nlist++] = x->always_ids[i];
		for (size_t i = 0; i < x->sc->nids_found; i++)
			pf->list[pf->nlist++] = x->sc->ids[i];
		odd |= x->sc->odd && x->nletter;
	}
	list_maybe(pf, odd);
}

size_t prefilter_range(const cpl_prefilter *pf, size_t base, size_t n, size_t *end)
{
	size_t j = 0;
	while (j < pf->nlist && (size_t)pf->list[j] < base)
		j++;
	size_t e = j;
	while (e < pf->nlist && (size_t)pf->list[e] - base < n)
		e++;
	*end = e;
	return j;
}

/* Every match holds one of the pattern's literals, the first of which is at
 * byte at: the leftmost match starts no earlier than at - maxlen (at a
 * character boundary).  Lookbehinds still see the text before it. */
static size_t prefilter_from(const cpl_prefilter *pf, size_t i, const char *s)
{
	size_t at = pf->at[i], maxlen = pf->maxlen[i];
	if (maxlen == PATLEN_UNBOUNDED || at <= maxlen)
		return 0;
	size_t st = at - maxlen;
	while (st > 0 && ((unsigned char)s[st] & 0xC0) == 0x80)
		st--;
	return st;
}

int prefilter_match(const cpl_prefilter *pf, size_t i, const cpl_regex *re, const char *s, size_t len,
	int where, size_t *ms, size_t *me)
{
	if (!where && (pf->maybe[i] & LIT_SURE)) {
		*ms = *me = 0;
		return 1;
	}
	/* and no later than the last place one of its literals may be */
	const cpl_litindex *x = pf->index[pf->field[i]];
	size_t from = prefilter_from(pf, i, s), last = litindex_last(x, (int)i);
	cpl_split *sp = pf->split[i];
	if (where || !sp)
		return regex_match_upto(re, s, len, from, last, ms, me);
	/* no place wanted: does one of the alternatives found match? */
	for (size_t a = 0; a < sp->n; a++) {
		int found = litindex_alternative_found(x, (int)i, a);
		if (!found)
			continue;
		const cpl_regex *alone = found > 0 ? split_alternative(sp, a) : NULL;
		int m = alone ? regex_match_upto(alone, s, len, from, last, ms, me) : -1;
		if (m > 0)
			return m;
		if (m < 0) /* cannot tell, not compiled alone, or the match limit: the whole decides */
			return regex_match_upto(re, s, len, from, last, ms, me);
	}
	*ms = *me = 0;
	return 0;
}

void prefilter_share(const cpl_prefilter *pf, cpl_prefilter *v)
{
	*v = *pf; /* the sizes, and maxlen: read only */
	v->index = xcalloc(pf->nfields + 1, sizeof *v->index);
	for (size_t f = 0; f < pf->nfields; f++)
		v->index[f] = litindex_share(pf->index[f]);
	v->maybe = xcalloc(pf->n + 1, 1);
	v->at = xcalloc(pf->n + 1, sizeof *v->at);
	v->list = xcalloc(pf->n + 1, sizeof *v->list);
	v->shared = 1;
}

void prefilter_drop(cpl_prefilter *pf)
{
	if (pf->index)
		for (size_t f = 0; f < pf->nfields; f++)
			litindex_free(pf->index[f]);
	free(pf->index);
	free(pf->maybe);
	free(pf->at);
	free(pf->list);
	if (!pf->shared) {
		free(pf->maxlen);
		free(pf->field);
		for (size_t i = 0; pf->split && i < pf->n; i++)
			split_free(pf->split[i]);
		free(pf->split);
	}
	*pf = (cpl_prefilter){0};
}
