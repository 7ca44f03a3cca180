/* text.c: the normaliser every match runs on.  Traditional characters become
 * simplified (a character table generated from OpenCC's dictionary: see
 * tools/gen-t2s.sh and the bench notes for why not OpenCC itself), full-width
 * ASCII becomes half-width, invisible characters go, and whitespace runs
 * (including U+3000 and line breaks) fold to one space.  Each output byte can
 * be mapped back to the character of the original it came from, so findings
 * point into the text the user wrote. */
#include <stdlib.h>
#include <string.h>
#include "cpl.h"

static uint32_t *bmp;        /* bmp[cp] = simplified cp, 0 = unchanged */
static uint32_t (*astral)[2]; /* sorted pairs beyond the BMP */
static size_t nastral;

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
	if (!d)
		return;
	const unsigned char *p = (const unsigned char *)d, *end = p + len;
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
	qsort(astral, nastral, sizeof *astral, cmp_pair);
}

uint32_t text_t2s(uint32_t cp)
{
	if (!bmp)
		load_t2s();
	if (cp < 0x10000)
		return bmp[cp] ? bmp[cp] : cp;
	uint32_t key[2] = {cp, 0};
	uint32_t (*hit)[2] = bsearch(key, astral, nastral, sizeof *astral, cmp_pair);
	return hit ? (*hit)[1] : cp;
}

static inline int is_space_cp(uint32_t cp)
{
	return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0x3000 || cp == 0xA0 ||
		cp == 0x2028 || cp == 0x2029;
}

static inline int is_invisible(uint32_t cp)
{
	return cp == 0xFEFF || cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xAD;
}

const char *text_normalize(cpl_norm *n, const char *s, size_t len, int want_pos)
{
	if (!bmp)
		load_t2s();
	cpl_buf *o = &n->out;
	buf_clear(o);
	buf_grow(o, len + 4);
	if (want_pos && n->pos_cap < len + 8) {
		n->pos_cap = len + 8;
		n->pos = xrealloc(n->pos, n->pos_cap * sizeof *n->pos);
	}
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	int chars = 0;
	int pending_space = 0; /* a space is written only before a non-space */
	int space_at = 0;
	while (p < end) {
		/* a run of plain ASCII (no spaces, no controls) is copied as it is */
		if (*p > 0x20 && *p < 0x7F && !pending_space) {
			const unsigned char *q = p;
			while (q < end && *q > 0x20 && *q < 0x7F)
				q++;
			size_t k = (size_t)(q - p);
			buf_grow(o, k + 5);
			if (want_pos) {
				if (o->len + k + 5 > n->pos_cap) {
					n->pos_cap = (o->len + k + 5) * 2;
					n->pos = xrealloc(n->pos, n->pos_cap * sizeof *n->pos);
				}
				for (size_t i = 0; i < k; i++)
					n->pos[o->len + i] = chars + (int)i;
			}
			memcpy(o->s + o->len, p, k);
			o->len += k;
			chars += (int)k;
			p = q;
			continue;
		}
		/* a Chinese character the table keeps (most of any text): copied */
		if (!pending_space && (*p & 0xF0) == 0xE0 && end - p >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
			uint32_t c = (uint32_t)(*p & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
			if (c >= 0x3400 && c < 0xD800 && !bmp[c]) {
				if (o->len + 6 > o->cap)
					buf_grow(o, 6);
				if (want_pos) {
					if (o->len + 6 > n->pos_cap) {
						n->pos_cap = (o->len + 6) * 2;
						n->pos = xrealloc(n->pos, n->pos_cap * sizeof *n->pos);
					}
					n->pos[o->len] = n->pos[o->len + 1] = n->pos[o->len + 2] = chars;
				}
				memcpy(o->s + o->len, p, 3);
				o->len += 3;
				chars++;
				p += 3;
				continue;
			}
		}
		uint32_t cp;
		int k;
		if (*p < 0x80) {
			cp = *p;
			k = 1;
		} else if ((*p & 0xF0) == 0xE0 && end - p >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 &&
			(cp = (uint32_t)(*p & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F)) >= 0x800 &&
			(cp < 0xD800 || cp > 0xDFFF)) {
			k = 3; /* well-formed three bytes, inline: nearly all Chinese */
		} else {
			k = utf8_decode(p, (size_t)(end - p), &cp);
		}
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
			if (o->len) {
				if (want_pos)
					n->pos[o->len] = space_at;
				o->s[o->len++] = ' ';
			}
		}
		/* an output character is at most 4 bytes: grow as needed */
		if (o->len + 6 > o->cap)
			buf_grow(o, 6);
		if (want_pos && o->len + 6 > n->pos_cap) {
			n->pos_cap = (o->len + 6) * 2;
			n->pos = xrealloc(n->pos, n->pos_cap * sizeof *n->pos);
		}
		int w;
		if (same) {
			memcpy(o->s + o->len, src, (size_t)k);
			w = k;
		} else if (cp < 0x80) {
			o->s[o->len] = (char)cp;
			w = 1;
		} else {
			w = utf8_encode(cp, o->s + o->len);
		}
		if (want_pos)
			for (int i = 0; i < w; i++)
				n->pos[o->len + (size_t)i] = at;
		o->len += (size_t)w;
	}
	o->s[o->len] = 0;
	if (want_pos)
		n->pos[o->len] = chars;
	return o->s;
}

void norm_free(cpl_norm *n)
{
	buf_free(&n->out);
	free(n->pos);
	n->pos = NULL;
	n->pos_cap = 0;
}
