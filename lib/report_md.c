/* report_md.c: the report as Markdown (GitHub tables), for a wiki, a chat
 * message or an issue.  Every piece of text is escaped so that case text
 * cannot open a link, an image, HTML or break out of its table cell. */
#include <string.h>
#include "report.h"

static void text(cpl_writer *w, cpl_buf *b, const char *s)
{
	buf_clear(b);
	escape_md(b, s, strlen(s));
	writer_raw(w, b->s, b->len);
}

static void table(const rtable *t, cpl_writer *w, cpl_buf *b)
{
	if (!t->nrows)
		goto note;
	writer_lit(w, "|");
	for (size_t c = 0; c < t->ncols; c++) {
		writer_lit(w, " ");
		text(w, b, t->colhead[c]);
		writer_lit(w, " |");
	}
	writer_lit(w, "\n|");
	for (size_t c = 0; c < t->ncols; c++)
		writer_rawf(w, "%s|", (t->numeric >> c) & 1 ? "---:" : "---");
	writer_lit(w, "\n");
	for (size_t i = 0; i < t->nrows; i++) {
		writer_lit(w, "|");
		for (size_t c = 0; c < t->ncols; c++) {
			writer_lit(w, " ");
			text(w, b, t->cells[i][c]);
			writer_lit(w, " |");
		}
		writer_lit(w, "\n");
	}
	if (t->nrows && t->note)
		writer_lit(w, "\n");
note:
	if (t->note) {
		writer_lit(w, "_");
		text(w, b, t->note);
		writer_lit(w, "_\n");
	}
}

void report_write_md(const rdoc *d, cpl_writer *w)
{
	cpl_buf b = {0};
	writer_lit(w, "# ");
	text(w, &b, d->title);
	writer_lit(w, "\n\n");
	text(w, &b, d->subtitle);
	writer_lit(w, "\n");
	for (size_t i = 0; i < d->ns; i++) {
		const rsection *s = d->s[i];
		writer_lit(w, "\n## ");
		text(w, &b, s->title);
		writer_lit(w, "\n");
		for (size_t k = 0; k < s->nt; k++) {
			const rtable *t = s->t[k];
			if (t->title && strcmp(t->title, s->title)) {
				writer_lit(w, "\n### ");
				text(w, &b, t->title);
				writer_lit(w, "\n");
			}
			writer_lit(w, "\n");
			table(t, w, &b);
		}
	}
	writer_lit(w, "\n---\n");
	for (size_t i = 0; i < d->nfooter; i++) {
		writer_lit(w, "\n");
		text(w, &b, d->footer[i]);
		writer_lit(w, "\n");
	}
	buf_free(&b);
}
