/* spool.c: temporary files, unlinked at once, in $TMPDIR or /tmp (the
 * records run_prepass keeps, cplclassify's matches and sorted events). */
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

void tmp_rewind(FILE *f)
{
	if (fflush(f) || fseek(f, 0, SEEK_SET))
		cpl_die(CPL_EXIT_IO, "write error: temporary file:");
}

void tmp_file_close(FILE *f, char *buf)
{
	if (f)
		fclose(f);
	free(buf);
}
