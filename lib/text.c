/* text.c: the normaliser every match runs on.  Traditional characters become
 * simplified (a character table generated from OpenCC's dictionary: see
 * tools/gen-t2s.sh and the bench notes for why not OpenCC itself), full-width
 * ASCII becomes half-width, invisible characters go, and whitespace runs
 * (including U+3000 and line breaks) fold to one space.  Each output byte can
 * be mapped back to the character of the original it came from, so findings
 * point into the text the user wrote. */
#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>
#include <threads.h>
#include "cpl.h"

static uint32_t *bmp;        /* bmp[cp] = simplified cp, 0 = unchanged */
static uint32_t (*astral)[2]; /* sorted pairs beyond the BMP */
static size_t nastral;

static inline int is_space_cp(uint32_t cp)
{
	return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0x3000 || cp == 0xA0 ||
		cp == 0x2028 || cp == 0x2029;
}

static inline int is_invisible(uint32_t cp)
{
	return cp == 0xFEFF || cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xAD;
}

/* keep[c >> 6] bit c & 63: the three-byte character c is copied as it is
 * (not a space, an invisible, a full-width form or a traditional character,
 * and well formed: no surrogate, no overlong form).  8 KB, where bmp is
 * 256 KB: the test for nearly every character of a Chinese text stays in
 * the first-level cache. */
static uint64_t keep[0x10000 / 64];

static void load_keep(void)
{
	for (uint32_t c = 0x800; c < 0x10000; c++)
		if (!(c >= 0xD800 && c <= 0xDFFF) && !is_space_cp(c) && !is_invisible(c) &&
		    !(c >= 0xFF01 && c <= 0xFF5E) && !(c >= 0x3400 && bmp[c]))
			keep[c >> 6] |= 1ull << (c & 63);
}

static int cmp_pair(const void *a, const void *b)
{
	uint32_t x = ((const uint32_t *)a)[0], y = ((const uint32_t *)b)[0];
	return x < y ? -1 : x > y;
}

static void load_t2s(void)
{
	size_t len;
	const char *d = data_embedded("t2s.tsv", &len);
	bmp = xcalloc(0x10000, sizeof *bmp);
	const unsigned char *p = (const unsigned char *)d, *end = d ? p + len : p;
	while (p < end) {
		const unsigned char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if (*p != '#') {
			uint32_t from, to;
			int n = utf8_decode(p, (size_t)(eol - p), &from);
			if (p + n < eol && p[n] == '\t') {
				utf8_decode(p + n + 1, (size_t)(eol - p - n - 1), &to);
				if (from < 0x10000) {
					bmp[from] = to;
				} else {
					astral = xrealloc(astral, (nastral + 1) * sizeof *astral);
					astral[nastral][0] = from;
					astral[nastral][1] = to;
					nastral++;
				}
			}
		}
		p = eol + 1;
	}
	if (nastral)
		qsort(astral, nastral, sizeof *astral, cmp_pair);
	load_keep();
}

/* The tables are made once, by whichever thread needs them first;
 * call_once costs a hundred instructions a call, so a flag is read first. */
static once_flag t2s_once = ONCE_FLAG_INIT;
static atomic_int t2s_ready;

static void t2s_load_once(void)
{
	load_t2s();
	atomic_store_explicit(&t2s_ready, 1, memory_order_release);
}

static inline void t2s_need(void)
{
	if (!atomic_load_explicit(&t2s_ready, memory_order_acquire))
		call_once(&t2s_once, t2s_load_once);
}

uint32_t text_t2s(uint32_t cp)
{
	t2s_need();
	if (cp < 0x10000)
		return bmp[cp] ? bmp[cp] : cp;
	uint32_t key[2] = {cp, 0};
	uint32_t (*hit)[2] = bsearch(key, astral, nastral, sizeof *astral, cmp_pair);
	return hit ? (*hit)[1] : cp;
}

/* Room for need more output bytes (and their positions) after the used
 * ones, and 8 more. */
static void make_room(cpl_norm *n, size_t used, size_t need, int want_pos)
{
	n->out.len = used;
	buf_grow(&n->out, need + 8);
	if (want_pos && n->pos_cap < n->out.cap) {
		n->pos_cap = n->out.cap;
		n->pos = xrealloc(n->pos, n->pos_cap * sizeof *n->pos);
	}
}

/* The write point and everything the loop reads are locals: stored through
 * n->out they would be read again after every byte written (a char store
 * may alias anything).  A run checks for room for itself, one character
 * for 8 bytes, the most it writes (a space and four bytes). */
const char *text_normalize(cpl_norm *n, const char *s, size_t len, int want_pos)
{
	t2s_need();
	cpl_buf *o = &n->out;
	unsigned char *buf;
	size_t wl = 0, lim; /* written; room up to lim, with 8 bytes beyond */
	int *pos;
#define ROOM(need) (make_room(n, wl, (need), want_pos), buf = (unsigned char *)o->s, lim = o->cap - 8, pos = n->pos)
	ROOM(len);
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	int chars = 0;
	int pending_space = 0; /* a space is written only before a non-space */
	int space_at = 0;
	while (p < end) {
		/* a run copied as it is: of Chinese characters the table keeps
		 * (most of any text), or else of plain ASCII (no spaces, no
		 * controls); width: its bytes per character */
		if (!pending_space) {
			const unsigned char *q = p;
			uint32_t c;
			int width = 3;
			while (utf8_take3(q, end, &c) && keep[c >> 6] >> (c & 63) & 1)
				q += 3;
			if (q == p) {
				width = 1;
				while (q < end && *q > 0x20 && *q < 0x7F)
					q++;
			}
			if (q > p) {
				size_t k = (size_t)(q - p);
				if (wl + k > lim)
					ROOM(k);
				if (want_pos)
					for (size_t i = 0; i < k; i++)
						pos[wl + i] = chars + (int)(i / (size_t)width);
				memcpy(buf + wl, p, k);
				wl += k;
				chars += (int)(k / (size_t)width);
				p = q;
				continue;
			}
		}
		/* one character: a space, dropped, changed or copied */
		if (wl > lim)
			ROOM(8);
		uint32_t cp;
		int k = utf8_next(p, end, &cp);
		const unsigned char *src = p;
		p += k;
		int at = chars++;
		if (is_space_cp(cp)) {
			if (!pending_space)
				space_at = at;
			pending_space = 1;
			continue;
		}
		if (is_invisible(cp))
			continue;
		int same = 0;
		if (cp >= 0xFF01 && cp <= 0xFF5E)
			cp -= 0xFEE0;
		else if (cp >= 0x3400 && cp < 0x10000 && bmp[cp])
			cp = bmp[cp];
		else if (cp >= 0x10000)
			cp = text_t2s(cp);
		else
			same = cp != 0xFFFD || k == 3; /* unchanged: copy the bytes */
		if (pending_space) {
			pending_space = 0;
			if (wl) {
				if (want_pos)
					pos[wl] = space_at;
				buf[wl++] = ' ';
			}
		}
		int nw;
		if (same) {
			memcpy(buf + wl, src, (size_t)k);
			nw = k;
		} else if (cp < 0x80) {
			buf[wl] = (unsigned char)cp;
			nw = 1;
		} else {
			nw = utf8_encode(cp, (char *)buf + wl);
		}
		if (want_pos)
			for (int i = 0; i < nw; i++)
				pos[wl + (size_t)i] = at;
		wl += (size_t)nw;
	}
	o->len = wl;
	buf[wl] = 0;
	if (want_pos)
		pos[wl] = chars;
	return o->s;
#undef ROOM
}

void norm_free(cpl_norm *n)
{
	buf_free(&n->out);
	free(n->pos);
	n->pos = NULL;
	n->pos_cap = 0;
}
