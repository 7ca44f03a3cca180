/* table.c: the table loader over a user file's bytes, and the loaders built
 * on it (calendar, policies, phrase rules).  The first byte
 * picks the loader.  Refusing a table (cpl_die) is a right answer; the exit
 * hook jumps back here.  Run with -detect_leaks=0: a refused table is not
 * freed (the process would end). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned sel = data[0] % 5;
	data++, size--;
	int fd;
	const char *path = fuzz_file(data, size, &fd);
	cpl_on_exit(fuzz_on_exit);
	fuzz_armed = 1;
	if (setjmp(fuzz_jump) == 0) {
		static const char *const req[] = {"id", "pattern", NULL};
		switch (sel) {
		case 0: {
			cpl_table *t = table_load(path, NULL, req);
			for (size_t r = 0; r < t->nrows; r++)
				for (size_t c = 0; c < t->ncols; c++)
					if (!t->rows[r][c])
						abort();
			table_free(t);
			break;
		}
		case 1: {
			cpl_table *t = table_load(path, NULL, NULL);
			table_free(t);
			break;
		}
		case 2: {
			cpl_calendar *cal = calendar_load(path);
			int64_t t0 = time_from_local(2026, 1, 28, 10, 0, 0);
			calendar_add_working_days(cal, t0, 5);
			calendar_add_business_seconds(cal, t0, 3600 * 30);
			calendar_free(cal);
			break;
		}
		case 3:
			policy_free(policy_load(path));
			break;
		case 4:
			phrase_set_free(phrase_load(path));
			break;
		}
	}
	fuzz_armed = 0;
	close(fd);
	return 0;
}
