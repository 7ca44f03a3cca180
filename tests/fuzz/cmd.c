/* cmd.c: one whole command in-process: cpldeadline's main (compiled with
 * -Dmain=cmd_main) over the bytes as its standard input, output to
 * /dev/null.  Run with -detect_leaks=0 when a refused input ends in
 * cpl_die (the exit hook jumps back here, leaving the run unfreed). */
#include "fuzz.h"

int cmd_main(int argc, char **argv);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int devnull = -1;
	if (devnull < 0) {
		devnull = open("/dev/null", O_WRONLY);
		unsetenv("TZ");
	}
	int fd;
	fuzz_file(data, size, &fd);
	dup2(fd, 0);
	close(fd);
	dup2(devnull, 1);
	char a0[] = "cpldeadline", a1[] = "--now", a2[] = "2026-11-22 07:00:00";
	char *argv[] = {a0, a1, a2, NULL};
	optind = 0;
	cpl_on_exit(fuzz_on_exit);
	fuzz_armed = 1;
	if (setjmp(fuzz_jump) == 0) {
		int st = cmd_main(3, argv);
		if (st != 0 && st != 3)
			abort();
	}
	fuzz_armed = 0;
	return 0;
}
