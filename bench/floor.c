/* floor.c: the record layer doing nothing else: read CSV through lib/run.c
 * and write every record back.  What a command costs beyond this is the
 * cost of its own work. */
#include "cpl.h"

static const cpl_option options[] = {{0}};
static void on_option(int idx, const char *arg) { (void)idx; (void)arg; }

int main(int argc, char **argv)
{
	static const cpl_cmd cmd = {
		.name = "floor", .usage = "[FILE...]", .summary = "copy CSV through the record layer",
		.options = options, .on_option = on_option, .needs_input = 1,
	};
	cpl_set_prog(argv[0]);
	cpl_run *run = run_start(&cmd, argc, argv, opts_parse(&cmd, argc, argv));
	while (run_next(run))
		run_emit(run);
	return run_finish(run);
}
