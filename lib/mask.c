/* mask.c: customer numbers and ID-card numbers hidden (138****1234) in any
 * text: mobile (also +86, 3-4-4 groups), landline with area code, 18-digit
 * ID-card numbers, ASCII or full-width digits; and whole identifiers. */
#include <string.h>
#include "cpl.h"

/* One digit at s[i]: its value, and its width in bytes (1, or 3 when
 * full-width); -1 when not a digit. */
static int digit_at(const char *s, size_t len, size_t i, int *w)
{
	unsigned char c = (unsigned char)s[i];
	if (c >= '0' && c <= '9') {
		*w = 1;
		return c - '0';
	}
	/* U+FF10..U+FF19: EF BC 90..99 */
	if (c == 0xEF && i + 2 < len && (unsigned char)s[i + 1] == 0xBC &&
		(unsigned char)s[i + 2] >= 0x90 && (unsigned char)s[i + 2] <= 0x99) {
		*w = 3;
		return (unsigned char)s[i + 2] - 0x90;
	}
	return -1;
}

/* An X closing an ID-card number (X, x, or full-width U+FF38 / U+FF58):
 * its width in bytes, or 0. */
static int id_x_at(const char *s, size_t len, size_t i)
{
	if (i < len && (s[i] == 'X' || s[i] == 'x'))
		return 1;
	if (i + 2 < len && (unsigned char)s[i] == 0xEF &&
		(((unsigned char)s[i + 1] == 0xBC && (unsigned char)s[i + 2] == 0xB8) ||
		 ((unsigned char)s[i + 1] == 0xBD && (unsigned char)s[i + 2] == 0x98)))
		return 3;
	return 0;
}

#define MAXD 24

typedef struct run {
	size_t at[MAXD + 4]; /* byte offset of each digit (and of a closing X) */
	int val[MAXD + 4];
	int w[MAXD + 4];
	int n;               /* digits */
	size_t end;          /* byte after the run */
} run;

/* The run of digits starting at i. */
static void read_run(const char *s, size_t len, size_t i, run *r)
{
	r->n = 0;
	int w, d;
	while (i < len && (d = digit_at(s, len, i, &w)) >= 0) {
		if (r->n < MAXD + 2) {
			r->at[r->n] = i;
			r->val[r->n] = d;
			r->w[r->n] = w;
		}
		r->n++;
		i += (size_t)w;
	}
	r->end = i;
}

/* Mask the digits of a run numbered [keep_head, n - keep_tail). */
static void emit_masked(cpl_buf *out, const char *s, size_t from, const run *r, int n, int keep_head, int keep_tail)
{
	size_t p = from;
	for (int k = 0; k < n; k++) {
		buf_add(out, s + p, r->at[k] - p); /* separators between groups */
		if (k >= keep_head && k < n - keep_tail)
			buf_addc(out, '*');
		else
			buf_add(out, s + r->at[k], (size_t)r->w[k]);
		p = r->at[k] + (size_t)r->w[k];
	}
}

/* Groups of 3, 4, 4 digits joined by one '-' or ' ' (138-1234-5678). */
static int grouped_mobile(const char *s, size_t len, const run *first, run *joined)
{
	if (first->n != 3 || first->val[0] != 1)
		return 0;
	*joined = *first;
	size_t i = first->end;
	for (int g = 0; g < 2; g++) {
		if (i >= len || (s[i] != '-' && s[i] != ' '))
			return 0;
		run next;
		read_run(s, len, i + 1, &next);
		if (next.n != 4)
			return 0;
		for (int k = 0; k < 4; k++) {
			joined->at[joined->n] = next.at[k];
			joined->val[joined->n] = next.val[k];
			joined->w[joined->n] = next.w[k];
			joined->n++;
		}
		i = next.end;
	}
	joined->end = i;
	return 1;
}

/* A landline: 0 + 2 or 3 digits, '-', 7 or 8 digits (025-86661234). */
static int grouped_landline(const char *s, size_t len, const run *first, run *joined)
{
	if ((first->n != 3 && first->n != 4) || first->val[0] != 0)
		return 0;
	size_t i = first->end;
	if (i >= len || s[i] != '-')
		return 0;
	run next;
	read_run(s, len, i + 1, &next);
	if (next.n != 7 && next.n != 8)
		return 0;
	*joined = *first;
	for (int k = 0; k < next.n; k++) {
		joined->at[joined->n] = next.at[k];
		joined->val[joined->n] = next.val[k];
		joined->w[joined->n] = next.w[k];
		joined->n++;
	}
	joined->end = next.end;
	return 1;
}

size_t mask_text(cpl_buf *out, const char *s, size_t len)
{
	size_t masked = 0, i = 0, copied = 0;
	while (i < len) {
		int w;
		if (digit_at(s, len, i, &w) < 0) {
			i++;
			continue;
		}
		run r, j;
		read_run(s, len, i, &r);
		int done = 0;
		if (r.n <= MAXD) {
			int x = r.n == 17 ? id_x_at(s, len, r.end) : 0;
			if (r.n == 18 || x) {
				/* ID card: keep 3 and 4 (the last may be X) */
				buf_add(out, s + copied, i - copied);
				if (x) {
					r.at[17] = r.end;
					r.w[17] = x;
					r.end += (size_t)x;
				}
				emit_masked(out, s, i, &r, 18, 3, 4);
				done = 1;
			} else if (r.n == 11 && r.val[0] == 1) {
				buf_add(out, s + copied, i - copied);
				emit_masked(out, s, i, &r, 11, 3, 4);
				done = 1;
			} else if (r.n == 13 && r.val[0] == 8 && r.val[1] == 6 && r.val[2] == 1) {
				buf_add(out, s + copied, i - copied);
				emit_masked(out, s, i, &r, 13, 5, 4);
				done = 1;
			} else if (r.n >= 10 && r.n <= 12 && r.val[0] == 0) {
				buf_add(out, s + copied, i - copied);
				emit_masked(out, s, i, &r, r.n, 3, 4);
				done = 1;
			} else if (grouped_mobile(s, len, &r, &j) || grouped_landline(s, len, &r, &j)) {
				int after;
				if (j.end >= len || digit_at(s, len, j.end, &after) < 0) {
					buf_add(out, s + copied, i - copied);
					emit_masked(out, s, i, &j, j.n, 3, 4);
					r = j;
					done = 1;
				}
			}
		}
		if (done) {
			masked++;
			copied = r.end;
		}
		i = r.end;
	}
	buf_add(out, s + copied, len - copied);
	return masked;
}

void mask_value(cpl_buf *out, const char *s, size_t len)
{
	size_t start = out->len;
	if (mask_text(out, s, len) || len == 0)
		return;
	out->len = start;
	size_t chars = 0;
	for (size_t i = 0; i < len; chars++) {
		uint32_t cp;
		i += (size_t)utf8_decode((const unsigned char *)s + i, len - i, &cp);
	}
	size_t head = chars >= 7 ? 3 : 1, tail = chars >= 7 ? 4 : 0;
	if (chars <= 1)
		head = 0;
	size_t k = 0;
	for (size_t i = 0; i < len; k++) {
		uint32_t cp;
		int n = utf8_decode((const unsigned char *)s + i, len - i, &cp);
		if (k < head || k >= chars - tail)
			buf_add(out, s + i, (size_t)n);
		else
			buf_addc(out, '*');
		i += (size_t)n;
	}
}
