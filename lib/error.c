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

/* Add to the message in buf (cap bytes, cut there) at *n, which counts
 * on past cap: the whole length. */
static void vput(char *buf, size_t cap, size_t *n, const char *fmt, va_list ap)
{
	int k = vsnprintf(*n < cap ? buf + *n : NULL, *n < cap ? cap - *n : 0, fmt, ap);
	if (k > 0)
		*n += (size_t)k;
}

static void put(char *buf, size_t cap, size_t *n, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void put(char *buf, size_t cap, size_t *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vput(buf, cap, n, fmt, ap);
	va_end(ap);
}

/* The message as one line, without its newline, in buf; its whole length,
 * which may be cap or more.  A format ending in ':' gets the system error
 * err appended. */
static size_t format_msg(char *buf, size_t cap, int err, const char *file, long line, const char *fmt, va_list ap)
{
	size_t n = 0;
	put(buf, cap, &n, "%s: ", cpl_prog);
	if (file && line > 0)
		put(buf, cap, &n, "%s:%ld: ", file, line);
	else if (file)
		put(buf, cap, &n, "%s: ", file);
	vput(buf, cap, &n, fmt, ap);
	size_t fl = strlen(fmt);
	if (fl && fmt[fl - 1] == ':')
		put(buf, cap, &n, " %s", strerror(err));
	return n;
}

/* status is the exit status of a fatal message, -1 for a warning.  A
 * diverted message is cut to fit 4 KB; one for stderr is said whole. */
static void vmsg(int status, const char *file, long line, const char *fmt, va_list ap)
{
	int saved = errno;
	char msg[4096];
	va_list again;
	va_copy(again, ap);
	size_t n = format_msg(msg, sizeof msg, saved, file, line, fmt, ap);
	void (*fn)(int, const char *, size_t) = divert;
	if (fn) {
		va_end(again); /* fn does not return from a fatal one */
		divert = NULL; /* a failure while handing it over is said here */
		fn(status, msg, n < sizeof msg ? n : sizeof msg - 1);
		divert = fn;
		return;
	}
	char *whole;
	if (n < sizeof msg) {
		cpl_say(msg, n);
	} else if ((whole = malloc(n + 1))) {
		format_msg(whole, n + 1, saved, file, line, fmt, again);
		cpl_say(whole, n);
		free(whole);
	} else {
		cpl_say(msg, sizeof msg - 1);
	}
	va_end(again);
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
