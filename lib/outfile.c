/* outfile.c: -o FILE.  Output goes to a temporary file beside FILE and is
 * renamed over it only when the command finished well, so a cron mail step
 * or a web server never sees half a report.  A fatal error or SIGINT/SIGTERM
 * removes the temporary file. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cpl.h"

static char *final_path;
static char tmp_path[4096];
static volatile sig_atomic_t have_tmp;

void outfile_abandon(void)
{
	if (have_tmp) {
		unlink(tmp_path);
		have_tmp = 0;
	}
}

static void on_signal(int sig)
{
	if (have_tmp)
		unlink(tmp_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

int outfile_open(const char *path)
{
	if (strlen(path) + 16 > sizeof tmp_path)
		cpl_die(CPL_EXIT_USAGE, "output file name too long");
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path + 1) : 0;
	snprintf(tmp_path, sizeof tmp_path, "%.*s.%s.XXXXXX", dirlen, path, slash ? slash + 1 : path);
	/* the name is only the prefix up to the basename */
	int fd = mkstemp(tmp_path);
	if (fd < 0)
		cpl_die(CPL_EXIT_IO, "cannot create a temporary file beside '%s':", path);
	have_tmp = 1;
	final_path = xstrdup(path);
	/* the file gets the usual permissions, not mkstemp's 0600 */
	mode_t um = umask(0);
	umask(um);
	fchmod(fd, 0666 & ~um);
	cpl_on_exit(outfile_abandon);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	return fd;
}

void outfile_commit(void)
{
	if (!have_tmp)
		return;
	if (rename(tmp_path, final_path) != 0) {
		int e = errno;
		outfile_abandon();
		errno = e;
		cpl_die(CPL_EXIT_IO, "cannot rename the output into '%s':", final_path);
	}
	have_tmp = 0;
}
