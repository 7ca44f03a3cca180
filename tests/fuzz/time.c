/* time.c: the timestamp parser over arbitrary bytes.  A parsed time must
 * format and convert back to local fields without trouble, and parse again
 * from its own formatting to the same second. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	if (!init) {
		unsetenv("TZ");
		time_set_zone(NULL);
		init = 1;
	}
	cpl_on_exit(abort);
	int empty = -1;
	int64_t t = time_parse((const char *)data, size, &empty);
	if (empty != 0 && empty != 1)
		abort();
	if (t == CPL_NOTIME)
		return 0;
	if (empty)
		abort();
	char out[20];
	time_format(t, out);
	int y, mo, d, h, mi, s, wd;
	time_to_local(t, &y, &mo, &d, &h, &mi, &s, &wd);
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h < 0 || h > 23 ||
	    mi < 0 || mi > 59 || s < 0 || s > 60 || wd < 0 || wd > 6)
		abort();
	/* the formatted time reads back as the same second (4-digit years) */
	if (y >= 1000 && y <= 9999) {
		int64_t back = time_parse(out, strlen(out), NULL);
		if (back != t && back != CPL_NOTIME) {
			/* a repeated local hour (DST) may read back an hour apart */
			if (back - t != 3600 && t - back != 3600)
				abort();
		}
	}
	/* durations too: the bytes as a NUL-terminated string */
	char *z = strndup((const char *)data, size);
	int64_t secs;
	int months;
	duration_parse(z, &secs, &months);
	free(z);
	return 0;
}
