/* cplclassify: pass-through skeleton (its columns come with its own issue). */
#include <stdlib.h>
#include "cpl.h"

static const cpl_option options[] = {
	{0},
};

static void on_option(int idx, const char *arg) { (void)idx; (void)arg; }

int main(int argc, char **argv)
{
	static const cpl_cmd cmd = {
		.name = "cplclassify",
		.usage = "[options] [FILE...]",
		.summary = "pass complaint records through",
		.options = options,
		.on_option = on_option,
		.needs_input = 1,
	};
	cpl_set_prog(argv[0]);
	int first = opts_parse(&cmd, argc, argv);
	cpl_run *run = run_start(&cmd, argc, argv, first);
	while (run_next(run))
		run_emit(run);
	return run_finish(run);
}
