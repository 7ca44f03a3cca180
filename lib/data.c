/* data.c: the default tables compiled into the programs (see tools/embed.c),
 * and reading the user files that replace them. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cpl.h"

struct cpl_embedded { const char *name; const unsigned char *data; size_t len; };
extern const struct cpl_embedded cpl_embedded_files[];

const char *data_embedded(const char *name, size_t *len)
{
	for (const struct cpl_embedded *e = cpl_embedded_files; e->name; e++)
		if (strcmp(e->name, name) == 0) {
			if (len)
				*len = e->len;
			return (const char *)e->data;
		}
	return NULL;
}

char *data_read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		cpl_die(CPL_EXIT_USAGE, "cannot open '%s':", path);
	cpl_buf b = {0};
	char tmp[65536];
	for (;;) {
		ssize_t n = read(fd, tmp, sizeof tmp);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			cpl_die(CPL_EXIT_IO, "read error: %s:", path);
		if (n == 0)
			break;
		buf_add(&b, tmp, (size_t)n);
	}
	close(fd);
	if (len)
		*len = b.len;
	return b.s ? b.s : xstrdup("");
}
