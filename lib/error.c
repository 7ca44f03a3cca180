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

/* A thread that reads ahead of the record loop hands its messages over
 * rather than print them: they are said in record order by the loop. */
static _Thread_local void (*divert)(int status, const char *line, size_t len);

void cpl_divert_messages(void (*fn)(int status, const char *line, size_t len)) { divert = fn; }

/* A format ending in ':' gets the system error appended.  status is the
 * exit status of a fatal message, -1 for a warning. */
static void vmsg(int status, const char *file, long line, const char *fmt, va_list ap)
{
	int saved = errno;
	void (*fn)(int, const char *, size_t) = divert;
	if (fn) {
		char msg[4096];
		int n = 0;
		if (file && line > 0)
			n = snprintf(msg, sizeof msg, "%s: %s:%ld: ", cpl_prog, file, line);
		else if (file)
			n = snprintf(msg, sizeof msg, "%s: %s: ", cpl_prog, file);
		else
			n = snprintf(msg, sizeof msg, "%s: ", cpl_prog);
		if (n >= 0 && (size_t)n < sizeof msg)
			n += vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
		size_t fl = strlen(fmt);
		if (n >= 0 && (size_t)n < sizeof msg && fl && fmt[fl - 1] == ':')
			n += snprintf(msg + n, sizeof msg - (size_t)n, " %s", strerror(saved));
		size_t len = n < 0 ? 0 : (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1;
		divert = NULL; /* a failure while handing it over is said here */
		fn(status, msg, len);
		divert = fn;
		return;
	}
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

void cpl_say(const char *line, size_t len)
{
	flockfile(stderr);
	fwrite(line, 1, len, stderr);
	fputc('\n', stderr);
	funlockfile(stderr);
}

_Noreturn void cpl_exit(int status)
{
	if (exit_hook)
		exit_hook();
	exit(status);
}

void cpl_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(-1, NULL, 0, fmt, ap);
	va_end(ap);
}

void cpl_warn_at(const char *file, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(-1, file, line, fmt, ap);
	va_end(ap);
}

_Noreturn void cpl_die(int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(status, NULL, 0, fmt, ap);
	va_end(ap);
	cpl_exit(status);
}

_Noreturn void cpl_die_at(int status, const char *file, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(status, file, line, fmt, ap);
	va_end(ap);
	cpl_exit(status);
}
