/* utf8.c: UTF-8 validation and decoding, strict (no overlongs, no
 * surrogates), because input from Excel exports is often not UTF-8 at all. */
#include "cpl.h"
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

/* Validation is on every record, so it is written for speed.  The byte
 * ranges are those of RFC 3629 (no overlongs, no surrogates, nothing above
 * U+10FFFF), checked directly. */

/* One character at a time from *at up to stop (or a little past it, to
 * end the character), ASCII eight bytes at a time; 0 when the bytes at *at
 * are not UTF-8.  NUL bytes are counted into *zeros. */
static int bytes(const unsigned char *p, size_t len, size_t *at, size_t stop, size_t *zeros)
{
	const uint64_t high = 0x8080808080808080ULL, low7 = 0x7F7F7F7F7F7F7F7FULL;
	size_t i = *at;
	while (i < stop) {
		unsigned c = p[i];
		if (c < 0x80) {
			*zeros += c == 0;
			i++;
			while (i + 8 <= stop) {
				uint64_t w;
				__builtin_memcpy(&w, p + i, 8);
				if (w & high)
					break;
				/* the high bit of each byte that is not 0 */
				uint64_t t = (w + low7) & high;
				*zeros += 8 - (((t >> 7) * 0x0101010101010101ULL) >> 56);
				i += 8;
			}
			continue;
		}
		size_t left = len - i;
		if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
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
		*at = i;
		return 0;
	}
	*at = i;
	return 1;
}

static int scan(const unsigned char *p, size_t len, size_t *bad_at, size_t *nuls)
{
	size_t i = 0, zeros = 0;
#ifdef __SSE2__
	/* Sixteen bytes at a time while they are ASCII and three-byte
	 * characters (CJK text): the bit masks of lead bytes 1110xxxx and of
	 * continuation bytes 10xxxxxx must agree, a lead announcing the next
	 * two bytes, also across windows.  Leads E0 and ED, whose second byte
	 * has a narrower range, and any other byte send the window to the
	 * byte path. */
	const __m128i zero = _mm_setzero_si128();
	const __m128i f0 = _mm_set1_epi8((char)0xF0), e0 = _mm_set1_epi8((char)0xE0);
	const __m128i c0 = _mm_set1_epi8((char)0xC0), x80 = _mm_set1_epi8((char)0x80);
	const __m128i ed = _mm_set1_epi8((char)0xED);
	while (i + 16 <= len) {
		unsigned carry = 0;
		while (i + 16 <= len) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
			unsigned hi = (unsigned)_mm_movemask_epi8(v);
			unsigned z = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, zero));
			if (hi || carry) {
				unsigned lead = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(v, f0), e0));
				unsigned cont = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(v, c0), x80));
				unsigned odd = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, e0), _mm_cmpeq_epi8(v, ed)));
				unsigned want = lead << 1 | lead << 2 | carry;
				if (hi != (lead | cont) || cont != (want & 0xFFFF) || odd)
					break;
				carry = want >> 16;
			}
			for (; z; z &= z - 1)
				zeros++;
			i += 16;
		}
		/* back to the lead of a character the windows left open */
		i -= carry == 3 ? 1 : carry == 1 ? 2 : 0;
		size_t stop = i + 16 < len ? i + 16 : len;
		if (!bytes(p, len, &i, stop, &zeros)) {
			if (bad_at) *bad_at = i;
			return 0;
		}
	}
#endif
	if (!bytes(p, len, &i, len, &zeros)) {
		if (bad_at) *bad_at = i;
		return 0;
	}
	if (nuls)
		*nuls = zeros;
	return 1;
}

int utf8_valid(const char *s, size_t len, size_t *bad_at)
{
	return scan((const unsigned char *)s, len, bad_at, NULL);
}

int utf8_valid_nuls(const char *s, size_t len, size_t *nuls)
{
	return scan((const unsigned char *)s, len, NULL, nuls);
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
