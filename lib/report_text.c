/* report_text.c: the report as aligned plain text for a terminal or a mail
 * body: columns aligned by display width (CJK takes two), numbers right-
 * aligned, no control or bidi characters from case text. */
#include <stdlib.h>
#include <string.h>
#include "report.h"

static int wide(uint32_t cp)
{
	return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
		(cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
		(cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
		(cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
		(cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
		(cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
		(cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

static int zero_width(uint32_t cp)
{
	return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200D) ||
		(cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF;
}

size_t report_text_width(const char *s)
{
	size_t w = 0, len = strlen(s);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		i += (size_t)utf8_decode((const unsigned char *)s + i, len - i, &cp);
		w += zero_width(cp) ? 0 : wide(cp) ? 2 : 1;
	}
	return w;
}

static void pad(cpl_writer *w, size_t n)
{
	static const char spaces[] = "                                        ";
	while (n > 0) {
		size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
		writer_raw(w, spaces, k);
		n -= k;
	}
}

static void line(cpl_writer *w, const char *s, char under)
{
	writer_raw(w, s, strlen(s));
	writer_lit(w, "\n");
	if (under) {
		size_t n = report_text_width(s);
		for (size_t i = 0; i < n; i++)
			writer_raw(w, &under, 1);
		writer_lit(w, "\n");
	}
}

static void table(const rtable *t, cpl_writer *w)
{
	size_t nc = t->ncols;
	int header = (strcmp(t->colid[0], "metric") || nc != 2) && t->nrows; /* key-value tables need none */
	char ***cells = xcalloc(t->nrows, sizeof *cells);
	size_t *width = xcalloc(nc, sizeof *width);
	cpl_buf b = {0};
	for (size_t i = 0; i < t->nrows; i++) {
		cells[i] = xcalloc(nc, sizeof **cells);
		for (size_t c = 0; c < nc; c++) {
			buf_clear(&b);
			escape_terminal(&b, t->cells[i][c], strlen(t->cells[i][c]));
			cells[i][c] = xstrdup(buf_str(&b));
			size_t x = report_text_width(cells[i][c]);
			if (x > width[c])
				width[c] = x;
		}
	}
	if (header)
		for (size_t c = 0; c < nc; c++) {
			size_t x = report_text_width(t->colhead[c]);
			if (x > width[c])
				width[c] = x;
		}
	for (size_t i = header ? 0 : 1; i <= t->nrows; i++) {
		writer_lit(w, "  ");
		for (size_t c = 0; c < nc; c++) {
			const char *s = i == 0 ? t->colhead[c] : cells[i - 1][c];
			size_t x = report_text_width(s);
			int right = (t->numeric >> c) & 1;
			int last = c + 1 == nc;
			if (right)
				pad(w, width[c] - x);
			writer_raw(w, s, strlen(s));
			if (!right && !last)
				pad(w, width[c] - x);
			if (!last)
				writer_lit(w, "  ");
		}
		writer_lit(w, "\n");
	}
	if (t->note) {
		writer_lit(w, "  ");
		buf_clear(&b);
		escape_terminal(&b, t->note, strlen(t->note));
		line(w, buf_str(&b), 0);
	}
	for (size_t i = 0; i < t->nrows; i++) {
		for (size_t c = 0; c < nc; c++)
			free(cells[i][c]);
		free(cells[i]);
	}
	free(cells);
	free(width);
	buf_free(&b);
}

void report_write_text(const rdoc *d, cpl_writer *w)
{
	line(w, d->title, '=');
	line(w, d->subtitle, 0);
	for (size_t i = 0; i < d->ns; i++) {
		const rsection *s = d->s[i];
		writer_lit(w, "\n");
		line(w, s->title, '-');
		for (size_t k = 0; k < s->nt; k++) {
			const rtable *t = s->t[k];
			if (k)
				writer_lit(w, "\n");
			if (t->title && strcmp(t->title, s->title))
				line(w, t->title, 0);
			table(t, w);
		}
	}
	writer_lit(w, "\n");
	for (size_t i = 0; i < d->nfooter; i++)
		line(w, d->footer[i], 0);
}
