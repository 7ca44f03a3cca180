/* spool.c: temporary files (unlinked at once, in $TMPDIR or /tmp), and
 * making the input readable twice: a command that needs two passes copies a
 * pipe on stdin into such a file and puts it on fd 0, so that messages still
 * name <stdin> and the second pass simply seeks back. */
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

FILE *tmp_file(void)
{
	int fd = tmp_fd();
	FILE *f = fdopen(fd, "w+");
	if (!f)
		cpl_die(CPL_EXIT_IO, "cannot open a temporary file:");
	return f;
}

static void copy_all(int from, int to, const char *what)
{
	char buf[65536];
	for (;;) {
		ssize_t n = read(from, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			cpl_die(CPL_EXIT_IO, "read error: %s:", what);
		if (n == 0)
			break;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(to, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				cpl_die(CPL_EXIT_IO, "write error: temporary copy of %s:", what);
			off += w;
		}
	}
}

int64_t spool_stdin(void)
{
	struct stat st;
	if (fstat(0, &st) == 0 && S_ISREG(st.st_mode)) {
		off_t at = lseek(0, 0, SEEK_CUR);
		if (at >= 0)
			return (int64_t)at; /* a file already: read it again from here */
	}
	int fd = tmp_fd();
	copy_all(0, fd, "<stdin>");
	if (lseek(fd, 0, SEEK_SET) != 0 || dup2(fd, 0) < 0)
		cpl_die(CPL_EXIT_IO, "cannot reread <stdin>:");
	close(fd);
	return 0;
}

int spool_is_rereadable(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *spool_path(const char *path)
{
	int in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		cpl_die(CPL_EXIT_IO, "cannot open '%s':", path);
	int fd = tmp_fd();
	copy_all(in, fd, path);
	close(in);
	char *name = xmalloc(32);
	snprintf(name, 32, "/dev/fd/%d", fd);
	return name; /* the copy stays open for the life of the process */
}
