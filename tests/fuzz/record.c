/* record.c: the record layer over arbitrary bytes, from memory and from a
 * file with and without an input encoding.  The first byte picks the
 * delimiter and the encoding.  Every field must be NUL-terminated at its
 * length, lines must not go backwards, record numbers must count from 1. */
#include "fuzz.h"

static const char *const encodings[] = {NULL, "gb18030", "gbk", "utf-8"};

static void check(cpl_reader *r)
{
	cpl_record *rec;
	long recno = 0, line = 0;
	while ((rec = reader_next(r))) {
		if (rec->recno != ++recno || rec->line < line || rec->n == 0)
			abort();
		line = rec->line;
		for (size_t i = 0; i < rec->n; i++)
			if (rec->f[i].s[rec->f[i].len] != 0)
				abort();
		const char *p = reader_problem(r);
		if (p && !*p)
			abort();
	}
	if (reader_next(r)) /* stays at the end */
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned sel = data[0];
	data++, size--;
	static const char delims[] = {',', '\t', ';', '|'};
	cpl_input_opts o = {.delim = delims[sel & 3], .encoding = encodings[(sel >> 2) & 3]};
	cpl_on_exit(abort); /* the record layer never dies on its input */

	cpl_reader *r = reader_open_mem("fuzz", (const char *)data, size, &o);
	check(r);
	reader_close(r);

	int fd;
	const char *path = fuzz_file(data, size, &fd);
	r = reader_open(path, &o);
	if (!r)
		abort();
	check(r);
	if (reader_io_error(r))
		abort();
	reader_close(r);
	close(fd);
	return 0;
}
