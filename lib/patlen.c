/* patlen.c: the most bytes one match of a (caseless) pattern can span, read
 * from the pattern: a rule whose literals are first found at byte p need not
 * be run from before p minus this (classify.c, cues.c). */
#include <string.h>
#include "cpl.h"

#define BIG ((size_t)1 << 40) /* beyond any text: unbounded */

typedef struct reader { const char *p; int fail; } reader;

static size_t alt(reader *r);

static size_t add(size_t a, size_t b) { return a + b >= BIG ? BIG : a + b; }
static size_t mul(size_t a, size_t n) { return n && a >= BIG / n ? BIG : a * n; }

/* One character: its bytes, or those of a case variant (k and U+212A). */
static size_t char_bytes(const char **p)
{
	const unsigned char *s = (const unsigned char *)*p;
	if (*s < 0x80) {
		(*p)++;
		return ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z') ? 3 : 1;
	}
	uint32_t cp;
	int n = utf8_decode(s, strlen(*p), &cp);
	*p += n;
	return cp >= 0x3400 && cp <= 0x9FFF ? 3 : 4; /* CJK has no case */
}

static size_t escape(reader *r)
{
	char c = *++r->p;
	if (!c) {
		r->fail = 1;
		return 0;
	}
	if (strchr("bBAzZGKE", c)) {
		r->p++;
		return 0;
	}
	if (c == 'R') {
		r->p++;
		return 2; /* \r\n */
	}
	if (strchr("XQgk123456789", c)) {
		r->fail = 1; /* unbounded, or a back reference */
		return 0;
	}
	if (strchr("xopP", c) && r->p[1] == '{') {
		const char *e = strchr(r->p, '}');
		if (!e) {
			r->fail = 1;
			return 0;
		}
		r->p = e + 1;
		return 4;
	}
	if (c == 'c') {
		r->p += r->p[1] ? 2 : 1;
		return 1;
	}
	if ((unsigned char)c < 0x80 && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) {
		r->p++;
		for (int i = 0; c == 'x' && i < 2 && *r->p && strchr("0123456789abcdefABCDEF", *r->p); i++)
			r->p++; /* \xhh: one character */
		return 4;
	}
	if (c == '0') {
		r->p++;
		for (int i = 0; i < 2 && *r->p >= '0' && *r->p <= '7'; i++)
			r->p++;
		return 4;
	}
	return char_bytes(&r->p);
}

static void skip_class(reader *r)
{
	r->p++;
	if (*r->p == '^')
		r->p++;
	if (*r->p == ']')
		r->p++;
	while (*r->p && *r->p != ']') {
		if (*r->p == '\\' && r->p[1])
			r->p += 2;
		else if (*r->p == '[' && r->p[1] == ':') {
			const char *e = strstr(r->p, ":]");
			r->p = e ? e + 2 : r->p + 1;
		} else
			r->p++;
	}
	if (*r->p != ']')
		r->fail = 1;
	else
		r->p++;
}

static size_t group(reader *r)
{
	r->p++;
	int zero = 0;
	if (*r->p == '?') {
		const char *q = r->p + 1;
		if (*q == ':' || *q == '>' || *q == '|')
			r->p = q + 1;
		else if (*q == '=' || *q == '!')
			r->p = q + 1, zero = 1;
		else if (*q == '<' && (q[1] == '=' || q[1] == '!'))
			r->p = q + 2, zero = 1;
		else if (*q == '<' || *q == '\'' || (*q == 'P' && q[1] == '<')) {
			const char *e = strchr(q + 1, *q == '\'' ? '\'' : '>');
			if (!e) {
				r->fail = 1;
				return 0;
			}
			r->p = e + 1;
		} else {
			/* inline options: (?i) (?-i) (?i:...); others we do not read */
			while (*q && (((*q | 0x20) >= 'a' && (*q | 0x20) <= 'z') || *q == '-' || *q == '^')) {
				if (*q == 'x' || *q == 'n' || *q == 's')
					r->fail = 1;
				q++;
			}
			if (r->fail || (*q != ')' && *q != ':')) {
				r->fail = 1;
				return 0;
			}
			r->p = q + 1;
			if (*q == ')')
				return 0;
		}
	}
	size_t n = alt(r);
	if (*r->p != ')') {
		r->fail = 1;
		return 0;
	}
	r->p++;
	return zero ? 0 : n;
}

static size_t atom(reader *r)
{
	char c = *r->p;
	switch (c) {
	case '(': return group(r);
	case '[': skip_class(r); return 4;
	case '\\': return escape(r);
	case '^': case '$': r->p++; return 0;
	case '.': r->p++; return 4;
	case '*': case '+': case '?': r->fail = 1; return 0;
	}
	return char_bytes(&r->p);
}

/* After an atom: its most repeats, 1 when none; BIG when unbounded. */
static size_t repeats(reader *r)
{
	size_t max = 1;
	char c = *r->p;
	if (c == '?') {
		r->p++;
	} else if (c == '*' || c == '+') {
		r->p++;
		max = BIG;
	} else if (c == '{' && r->p[1] >= '0' && r->p[1] <= '9') {
		const char *q = r->p + 1;
		size_t a = 0, b;
		while (*q >= '0' && *q <= '9')
			a = a * 10 + (size_t)(*q++ - '0');
		b = a;
		if (*q == ',') {
			q++;
			if (*q == '}')
				b = BIG;
			else
				for (b = 0; *q >= '0' && *q <= '9'; q++)
					b = b * 10 + (size_t)(*q - '0');
		}
		if (*q != '}') {
			r->fail = 1; /* a literal brace: rare, not read */
			return 1;
		}
		r->p = q + 1;
		max = b > BIG ? BIG : b;
	} else {
		return 1;
	}
	if (*r->p == '?' || *r->p == '+')
		r->p++;
	return max;
}

static size_t seq(reader *r)
{
	size_t n = 0;
	while (!r->fail && *r->p && *r->p != '|' && *r->p != ')') {
		size_t a = atom(r);
		if (r->fail)
			break;
		size_t k = repeats(r);
		n = add(n, k >= BIG ? (a ? BIG : 0) : mul(a, k));
	}
	return n;
}

static size_t alt(reader *r)
{
	size_t n = seq(r);
	while (!r->fail && *r->p == '|') {
		r->p++;
		size_t b = seq(r);
		if (b > n)
			n = b;
	}
	return n;
}

size_t pattern_max_len(const char *pattern)
{
	reader r = {pattern, 0};
	size_t n = alt(&r);
	return r.fail || *r.p || n >= BIG ? PATLEN_UNBOUNDED : n;
}
