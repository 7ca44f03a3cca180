/* encoding.c: input in other encodings (GB18030, GBK: what Chinese Excel
 * writes) converted to UTF-8 with glibc iconv, streaming, with invalid bytes
 * replaced and counted rather than stopping the run. */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cpl.h"

struct cpl_decoder {
	iconv_t cd;
	char carry[16];
	size_t ncarry;
};

cpl_decoder *decoder_open(const char *enc)
{
	if (!enc || !*enc || !strcasecmp(enc, "utf-8") || !strcasecmp(enc, "utf8"))
		return NULL;
	const char *name = enc;
	if (!strcasecmp(enc, "gbk") || !strcasecmp(enc, "gb2312") || !strcasecmp(enc, "cp936"))
		name = "GB18030"; /* a superset; decodes every GBK file the same */
	iconv_t cd = iconv_open("UTF-8", name);
	if (cd == (iconv_t)-1)
		cpl_die(CPL_EXIT_USAGE, "unknown encoding '%s' (try gb18030, gbk, big5, utf-16)", enc);
	cpl_decoder *d = xcalloc(1, sizeof *d);
	d->cd = cd;
	return d;
}

static void convert(cpl_decoder *d, const char *in, size_t len, int final, cpl_buf *out, long *bad)
{
	char *ip = (char *)in;
	size_t il = len;
	while (il > 0) {
		buf_grow(out, il * 2 + 16);
		char *op = out->s + out->len;
		size_t ol = out->cap - out->len - 1;
		size_t rc = iconv(d->cd, &ip, &il, &op, &ol);
		out->len = (size_t)(op - out->s);
		out->s[out->len] = 0;
		if (rc != (size_t)-1)
			break;
		if (errno == E2BIG)
			continue;
		if (errno == EINVAL && !final) {
			/* an incomplete sequence at the end: keep it for next time */
			memcpy(d->carry, ip, il < sizeof d->carry ? il : sizeof d->carry);
			d->ncarry = il < sizeof d->carry ? il : sizeof d->carry;
			return;
		}
		/* EILSEQ, or EINVAL at the end: one bad byte becomes U+FFFD */
		buf_add(out, "\xEF\xBF\xBD", 3);
		(*bad)++;
		ip++, il--;
	}
}

void decoder_convert(cpl_decoder *d, const char *in, size_t *inlen, int final, cpl_buf *out, long *bad)
{
	if (!d->ncarry) {
		convert(d, in, *inlen, final, out, bad);
	} else {
		/* the carried bytes of an incomplete sequence go first */
		char *joined = xmalloc(d->ncarry + *inlen);
		memcpy(joined, d->carry, d->ncarry);
		memcpy(joined + d->ncarry, in, *inlen);
		size_t n = d->ncarry + *inlen;
		d->ncarry = 0;
		convert(d, joined, n, final, out, bad);
		free(joined);
	}
}

void decoder_close(cpl_decoder *d)
{
	if (!d)
		return;
	iconv_close(d->cd);
	free(d);
}

int looks_like_utf16(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
		return 1;
	size_t zero[2] = {0, 0}, n = len > 256 ? 256 : len;
	for (size_t i = 0; i < n; i++)
		zero[i & 1] += !u[i];
	/* the high bytes of ASCII and Latin text, one byte in two */
	return n >= 4 && (zero[0] * 3 >= n || zero[1] * 3 >= n);
}

int looks_like_gb18030(const char *s, size_t len)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		return 0;
	char out[4096];
	char *ip = (char *)s;
	size_t il = len > 1024 ? 1024 : len;
	int ok = 1;
	while (il > 0) {
		char *op = out;
		size_t ol = sizeof out;
		if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 && errno != E2BIG) {
			/* a sequence cut at our 1024-byte limit is still fine */
			ok = errno == EINVAL && len > 1024;
			break;
		}
	}
	iconv_close(cd);
	return ok;
}
