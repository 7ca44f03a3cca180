/* table.c: the one loader for every table cpl reads (rules, policies, the
 * calendar, column aliases, lists).  A table is CSV that analysts edit in a
 * spreadsheet: a header row, '#' comment rows, cells trimmed.  The default
 * comes compiled in; a user file replaces it.  A bad table is refused with
 * file, line and reason. */
#include <stdlib.h>
#include <string.h>
#include "cpl.h"

static char *trimmed(const char *s, size_t len)
{
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	return xstrndup(s, len);
}

cpl_table *table_load(const char *path, const char *embedded, const char *const *required)
{
	cpl_table *t = xcalloc(1, sizeof *t);
	char *owned = NULL;
	const char *data;
	size_t len;
	if (path) {
		data = owned = data_read_file(path, &len);
		t->name = xstrdup(path);
	} else {
		data = data_embedded(embedded, &len);
		if (!data)
			cpl_die(CPL_EXIT_USAGE, "no built-in table '%s'", embedded);
		size_t n = strlen(embedded) + 16;
		t->name = xmalloc(n);
		snprintf(t->name, n, "%s (built in)", embedded);
	}
	cpl_input_opts o = { .delim = ',' };
	cpl_reader *r = reader_open_mem(t->name, data, len, &o);
	cpl_record *rec;
	size_t cap = 0;
	while ((rec = reader_next(r))) {
		const char *problem = reader_problem(r);
		if (problem)
			cpl_die_at(CPL_EXIT_USAGE, t->name, rec->line, "%s", problem);
		char *first = trimmed(rec->f[0].s, rec->f[0].len);
		int comment = first[0] == '#';
		int blank = !first[0] && rec->n == 1;
		free(first);
		if (comment || blank)
			continue;
		if (!t->cols) {
			t->ncols = rec->n;
			t->cols = xcalloc(rec->n, sizeof *t->cols);
			for (size_t i = 0; i < rec->n; i++) {
				t->cols[i] = trimmed(rec->f[i].s, rec->f[i].len);
				for (size_t j = 0; j < i; j++)
					if (t->cols[i][0] && strcmp(t->cols[i], t->cols[j]) == 0)
						cpl_die_at(CPL_EXIT_USAGE, t->name, rec->line, "column '%s' appears twice", t->cols[i]);
			}
			continue;
		}
		for (size_t i = t->ncols; i < rec->n; i++)
			if (rec->f[i].len && strspn(rec->f[i].s, " \t\r") != rec->f[i].len)
				cpl_die_at(CPL_EXIT_USAGE, t->name, rec->line,
					"%zu fields, but the header has %zu", rec->n, t->ncols);
		if (t->nrows == cap) {
			cap = cap ? cap * 2 : 64;
			t->rows = xrealloc(t->rows, cap * sizeof *t->rows);
			t->lines = xrealloc(t->lines, cap * sizeof *t->lines);
		}
		char **row = xcalloc(t->ncols, sizeof *row);
		for (size_t i = 0; i < t->ncols; i++)
			row[i] = i < rec->n ? trimmed(rec->f[i].s, rec->f[i].len) : xstrdup("");
		t->rows[t->nrows] = row;
		t->lines[t->nrows++] = rec->line;
	}
	reader_close(r);
	free(owned);
	if (!t->cols)
		cpl_die_at(CPL_EXIT_USAGE, t->name, 1, "empty table: no header row");
	for (const char *const *q = required; q && *q; q++)
		if (table_col(t, *q) < 0) {
			const char *near = column_near_in(t->cols, t->ncols, *q);
			if (near)
				cpl_die_at(CPL_EXIT_USAGE, t->name, 1, "missing column '%s' (is '%s' it?)", *q, near);
			cpl_die_at(CPL_EXIT_USAGE, t->name, 1, "missing column '%s'", *q);
		}
	return t;
}

int table_col(const cpl_table *t, const char *name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i], name) == 0)
			return (int)i;
	return -1;
}

const char *table_get(const cpl_table *t, size_t row, const char *col)
{
	int c = table_col(t, col);
	return c < 0 ? "" : t->rows[row][c];
}

_Noreturn void table_die(const cpl_table *t, size_t row, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cpl_die_at(CPL_EXIT_USAGE, t->name, t->lines[row], "%s", msg);
}

void table_free(cpl_table *t)
{
	if (!t)
		return;
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++)
			free(t->rows[r][c]);
		free(t->rows[r]);
	}
	for (size_t c = 0; c < t->ncols; c++)
		free(t->cols[c]);
	free(t->cols);
	free(t->rows);
	free(t->lines);
	free(t->name);
	free(t);
}
