/* spool.c: temporary files, unlinked at once, in $TMPDIR or /tmp (the
 * records run_prepass keeps, cplclassify's matches and sorted events), and
 * reading one back. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cpl.h"

int tmp_fd(void)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	size_t n = strlen(dir) + 32;
	char *path = xmalloc(n);
	snprintf(path, n, "%s/%s.XXXXXX", dir, cpl_prog ? cpl_prog : "cpl");
	int fd = mkstemp(path);
	if (fd < 0)
		cpl_die(CPL_EXIT_IO, "cannot create a temporary file in '%s':", dir);
	unlink(path);
	free(path);
	return fd;
}

FILE *tmp_file(char **buf)
{
	int fd = tmp_fd();
	FILE *f = fdopen(fd, "w+");
	if (!f)
		cpl_die(CPL_EXIT_IO, "cannot open a temporary file:");
	/* records go through it in the millions: 1 MB a system call, not the
	 * 4 KB stdio would take (it ignores a size given without a buffer) */
	*buf = xmalloc(TMP_FILE_BUF);
	setvbuf(f, *buf, _IOFBF, TMP_FILE_BUF);
	return f;
}

void tmp_write(FILE *f, const void *p, size_t n)
{
	if (fflush(f))
		cpl_die(CPL_EXIT_IO, "write error: temporary file:");
	for (const char *c = p; n;) {
		ssize_t w = write(fileno(f), c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			cpl_die(CPL_EXIT_IO, "write error: temporary file:");
		c += w;
		n -= (size_t)w;
	}
}

void tmp_file_close(FILE *f, char *buf)
{
	if (f)
		fclose(f);
	free(buf);
}

/* How much a read of a spool asks for: a few hundred kilobytes stay in the
 * processor's cache between the kernel's copy and their use. */
#define SPOOLIN_READ (256u << 10)

void spoolin_open(cpl_spoolin *in, FILE *f)
{
	if (fflush(f))
		cpl_die(CPL_EXIT_IO, "write error: temporary file:");
	*in = (cpl_spoolin){.fd = fileno(f), .cap = SPOOLIN_READ};
	if (lseek(in->fd, 0, SEEK_SET) != 0)
		cpl_die(CPL_EXIT_IO, "read error: temporary file:");
	in->b = xmalloc(in->cap);
}

const char *spoolin_next(cpl_spoolin *in, size_t n)
{
	while (in->end - in->pos < n && !in->eof) {
		/* what is left to the front, room for n and a read after it */
		size_t left = in->end - in->pos;
		memmove(in->b, in->b + in->pos, left);
		in->pos = 0;
		in->end = left;
		if (in->cap < n + SPOOLIN_READ) {
			in->cap = n + SPOOLIN_READ;
			in->b = xrealloc(in->b, in->cap);
		}
		ssize_t got = read(in->fd, in->b + in->end, in->cap - in->end);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			cpl_die(CPL_EXIT_IO, "read error: temporary file:");
		in->end += (size_t)got;
		in->eof = got == 0;
	}
	if (in->end - in->pos < n) {
		if (in->end == in->pos)
			return NULL;
		cpl_die(CPL_EXIT_IO, "read error: temporary file: it ends in the middle of a record");
	}
	const char *p = in->b + in->pos;
	in->pos += n;
	return p;
}

void spoolin_close(cpl_spoolin *in)
{
	free(in->b);
	*in = (cpl_spoolin){.fd = -1};
}
