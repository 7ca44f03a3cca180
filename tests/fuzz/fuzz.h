/* fuzz.h: what the libFuzzer harnesses share.  A fatal error of the library
 * (cpl_die: a refused table, a bad flag) is an answer, not a crash: the exit
 * hook jumps back into the harness instead of ending the process. */
#include <fcntl.h>
#include <getopt.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "cpl.h"

static jmp_buf fuzz_jump;
static int fuzz_armed;

static void fuzz_on_exit(void)
{
	if (fuzz_armed) {
		fuzz_armed = 0;
		longjmp(fuzz_jump, 1);
	}
}

/* A file holding the bytes, as /dev/fd/N (the caller closes fd). */
static const char *fuzz_file(const uint8_t *data, size_t size, int *fd)
{
	static char path[64];
	*fd = memfd_create("fuzz", 0);
	if (*fd < 0)
		abort();
	size_t off = 0;
	while (off < size) {
		ssize_t n = write(*fd, data + off, size - off);
		if (n <= 0)
			abort();
		off += (size_t)n;
	}
	lseek(*fd, 0, SEEK_SET);
	snprintf(path, sizeof path, "/dev/fd/%d", *fd);
	return path;
}
