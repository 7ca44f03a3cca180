/* alloc.c: allocation that dies cleanly, so no caller checks for NULL, and
 * cpl_buf, the growable byte buffer used everywhere a length is not known. */
#include <stdlib.h>
#include <string.h>
#include "cpl.h"

static _Noreturn void oom(size_t n)
{
	cpl_die(CPL_EXIT_IO, "out of memory (%zu bytes)", n);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) oom(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p) oom(n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) oom(n);
	return p;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

void free_strings(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

void buf_grow(cpl_buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->s = xrealloc(b->s, cap);
	b->cap = cap;
}

void buf_adds(cpl_buf *b, const char *s) { buf_add(b, s, strlen(s)); }

void buf_printf(cpl_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void buf_free(cpl_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

const char *buf_str(cpl_buf *b)
{
	if (!b->s)
		buf_grow(b, 0), b->s[0] = 0;
	return b->s;
}
