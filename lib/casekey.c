/* casekey.c: when two cases have the same customer or the same place.
 * Customer numbers are compared without spaces, dashes and a +86 / 0086
 * prefix; regions without a trailing 市 or 地区, and placeholders such as
 * "-" or 无 mean no region at all.  Also the --sensitive list of customers. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cpl.h"

/* The customer of a normalised customer_id, as a hash; 0 when there is none. */
uint64_t customer_key(const char *s, size_t len)
{
	char buf[128];
	size_t n = 0;
	for (size_t i = 0; i < len && n < sizeof buf; i++)
		if (s[i] != ' ' && s[i] != '-' && s[i] != '(' && s[i] != ')')
			buf[n++] = s[i];
	const char *p = buf;
	size_t digits = 0;
	while (digits < n && p[digits] >= '0' && p[digits] <= '9')
		digits++;
	if (n == 14 && p[0] == '+' && p[1] == '8' && p[2] == '6')
		p += 3, n -= 3;
	else if (n == 15 && digits == 15 && !memcmp(p, "0086", 4))
		p += 4, n -= 4;
	else if (n == 13 && digits == 13 && !memcmp(p, "86", 2) && p[2] == '1')
		p += 2, n -= 2;
	if (!n)
		return 0;
	return hash_bytes(p, n);
}

static int is_placeholder(const char *s, size_t len)
{
#define NONE(s) {s, sizeof s - 1}
	static const struct { const char *s; size_t len; } none[] = {
		NONE("-"), NONE("--"), NONE("—"), NONE("——"), NONE("/"), NONE("无"), NONE("空"),
		NONE("同上"), NONE("n/a"), NONE("na"), NONE("null"), NONE("none"),
	};
#undef NONE
	if (len > 6) /* the longest, —— and 同上 */
		return 0;
	for (size_t i = 0; i < sizeof none / sizeof *none; i++)
		if (none[i].len == len && !strncasecmp(none[i].s, s, len))
			return 1;
	return 0;
}

/* A normalised region without its suffix; len 0 for no region. */
const char *region_core(const char *s, size_t *len)
{
	size_t n = *len;
	if (is_placeholder(s, n))
		n = 0;
	if (n > 6 && !memcmp(s + n - 6, "地区", 6))
		n -= 6;
	else if (n > 3 && !memcmp(s + n - 3, "市", 3))
		n -= 3;
	*len = n;
	return s;
}

/* A list of customers (--sensitive): one number a line, or the first field
 * of a CSV line; '#' starts a comment line. */
void customer_list_load(cpl_hmap *m, const char *path)
{
	size_t len;
	char *d = data_read_file(path, &len);
	char *p = d, *end = d + len;
	cpl_norm nm = {0};
	while (p < end) {
		char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		size_t n = strcspn(p, ",\t\r\n");
		if (p + n > eol)
			n = (size_t)(eol - p);
		const char *s = text_normalize(&nm, p, n, 0);
		if (*s && *s != '#') {
			uint64_t k = customer_key(s, strlen(s));
			if (k)
				*hmap_put(m, k, 0, NULL) = 1;
		}
		p = eol + 1;
	}
	norm_free(&nm);
	free(d);
}
