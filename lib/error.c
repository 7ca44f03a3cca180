/* error.c: the one message style of every command,
 * "cplfoo: FILE:LINE: what", lowercase, no full stop, and the cleanup that
 * runs before a fatal exit. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cpl.h"

const char *cpl_prog = "cpl";
static void (*exit_hook)(void);

void cpl_set_prog(const char *argv0)
{
	const char *s = strrchr(argv0, '/');
	cpl_prog = s ? s + 1 : argv0;
}

void cpl_on_exit(void (*fn)(void)) { exit_hook = fn; }

/* A format ending in ':' gets the system error appended. */
static void vmsg(const char *file, long line, const char *fmt, va_list ap)
{
	int saved = errno;
	flockfile(stderr); /* one line, whichever thread says what */
	fprintf(stderr, "%s: ", cpl_prog);
	if (file && line > 0)
		fprintf(stderr, "%s:%ld: ", file, line);
	else if (file)
		fprintf(stderr, "%s: ", file);
	vfprintf(stderr, fmt, ap);
	size_t n = strlen(fmt);
	if (n && fmt[n - 1] == ':')
		fprintf(stderr, " %s", strerror(saved));
	fputc('\n', stderr);
	funlockfile(stderr);
}

void cpl_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(NULL, 0, fmt, ap);
	va_end(ap);
}

void cpl_warn_at(const char *file, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(file, line, fmt, ap);
	va_end(ap);
}

_Noreturn void cpl_die(int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(NULL, 0, fmt, ap);
	va_end(ap);
	if (exit_hook)
		exit_hook();
	exit(status);
}

_Noreturn void cpl_die_at(int status, const char *file, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(file, line, fmt, ap);
	va_end(ap);
	if (exit_hook)
		exit_hook();
	exit(status);
}
