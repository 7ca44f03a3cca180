/* floor-libcsv.c: plain libcsv, parse and write back with minimal quoting
 * through stdio; the lowest cost of reading and writing CSV with the
 * library cpl uses. */
#include <csv.h>
#include <stdio.h>
#include <string.h>

static int nfield;

static void on_field(void *s, size_t len, void *data)
{
	(void)data;
	if (nfield++)
		putchar(',');
	if (memchr(s, ',', len) || memchr(s, '"', len) || memchr(s, '\n', len) || memchr(s, '\r', len))
		csv_fwrite(stdout, s, len);
	else
		fwrite(s, 1, len, stdout);
}

static void on_record(int c, void *data)
{
	(void)c; (void)data;
	if (nfield)
		putchar('\n');
	nfield = 0;
}

int main(void)
{
	static char buf[256 * 1024];
	struct csv_parser p;
	csv_init(&p, 0);
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, stdin)) > 0)
		csv_parse(&p, buf, n, on_field, on_record, NULL);
	csv_fini(&p, on_field, on_record, NULL);
	csv_free(&p);
	return fflush(stdout) != 0;
}
