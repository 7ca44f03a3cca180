/* utf8.c: UTF-8 validation and decoding, strict (no overlongs, no
 * surrogates), because input from Excel exports is often not UTF-8 at all. */
#include "cpl.h"

int utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned c = s[0];
	if (c < 0x80) { *cp = c; return 1; }
	int n; uint32_t v, min;
	if ((c & 0xE0) == 0xC0) { n = 2; v = c & 0x1F; min = 0x80; }
	else if ((c & 0xF0) == 0xE0) { n = 3; v = c & 0x0F; min = 0x800; }
	else if ((c & 0xF8) == 0xF0) { n = 4; v = c & 0x07; min = 0x10000; }
	else goto bad;
	if ((size_t)n > len) goto bad;
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80) goto bad;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) goto bad;
	*cp = v;
	return n;
bad:
	*cp = 0xFFFD;
	return 1;
}

/* Validation is on every field of every record, so it is written for speed:
 * ASCII eight bytes at a time, and the byte ranges of RFC 3629 checked
 * directly (no overlongs, no surrogates, nothing above U+10FFFF). */
int utf8_valid(const char *s, size_t len, size_t *bad_at)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		unsigned c = p[i];
		if (c < 0x80) {
			/* after an ASCII byte, look for more eight at a time */
			i++;
			while (i + 8 <= len) {
				uint64_t w;
				__builtin_memcpy(&w, p + i, 8);
				if (w & 0x8080808080808080ULL) break;
				i += 8;
			}
			continue;
		}
		size_t left = len - i;
		if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
			/* most CJK text: three bytes, no special ranges */
			if (left >= 3 && (p[i+1] & 0xC0) == 0x80 && (p[i+2] & 0xC0) == 0x80) { i += 3; continue; }
		} else if (c >= 0xC2 && c <= 0xDF) {
			if (left >= 2 && (p[i+1] & 0xC0) == 0x80) { i += 2; continue; }
		} else if (c == 0xE0) {
			if (left >= 3 && p[i+1] >= 0xA0 && p[i+1] <= 0xBF && (p[i+2] & 0xC0) == 0x80) { i += 3; continue; }
		} else if (c == 0xED) {
			if (left >= 3 && p[i+1] >= 0x80 && p[i+1] <= 0x9F && (p[i+2] & 0xC0) == 0x80) { i += 3; continue; }
		} else if (c >= 0xF0 && c <= 0xF4) {
			unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
			if (left >= 4 && p[i+1] >= lo && p[i+1] <= hi && (p[i+2] & 0xC0) == 0x80 && (p[i+3] & 0xC0) == 0x80) { i += 4; continue; }
		}
		if (bad_at) *bad_at = i;
		return 0;
	}
	return 1;
}

int utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) { out[0] = (char)cp; return 1; }
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t utf8_chars(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}
