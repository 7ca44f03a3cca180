/* report_csv.c: the report as CSV, one figure a row (section, table, key,
 * label, metric, value), or the --by table itself; a text cell that would be
 * a spreadsheet formula gets a leading apostrophe. */
#include <string.h>
#include "report.h"

static void text(cpl_writer *w, const char *s)
{
	size_t len = strlen(s);
	if (!csv_formula_risk(s, len)) {
		writer_field(w, s, len);
		return;
	}
	cpl_buf b = {0};
	buf_addc(&b, '\'');
	buf_add(&b, s, len);
	writer_field(w, b.s, b.len);
	buf_free(&b);
}

static void cell(cpl_writer *w, const rtable *t, size_t c, const char *s)
{
	if ((t->numeric >> c) & 1)
		writer_fields(w, s);
	else
		text(w, s);
}

static void figure(cpl_writer *w, const char *section, const char *table, const char *key,
	const char *label, const char *metric, long long value)
{
	char v[32];
	snprintf(v, sizeof v, "%lld", value);
	writer_fields(w, section);
	writer_fields(w, table);
	text(w, key);
	text(w, label);
	writer_fields(w, metric);
	writer_fields(w, v);
	writer_endrow(w);
}

void report_write_csv(const rdoc *d, cpl_writer *w)
{
	if (d->ns == 1 && d->s[0]->nt == 1 && !strcmp(d->s[0]->t[0]->id, "by")) {
		/* the columns by their names and count, whatever the language, for
		 * scripts; then the groups --top leaves out, summed under _rest */
		const rtable *t = d->s[0]->t[0];
		for (size_t c = 0; c < t->ncols; c++)
			text(w, t->colid[c]);
		writer_endrow(w);
		for (size_t i = 0; i < t->nrows; i++) {
			for (size_t c = 0; c < t->ncols; c++)
				cell(w, t, c, t->cells[i][c]);
			writer_endrow(w);
		}
		if (t->nrest) {
			char n[32];
			snprintf(n, sizeof n, "%lld", t->rest);
			for (size_t c = 0; c + 1 < t->ncols; c++)
				writer_fields(w, c ? "" : "_rest");
			writer_fields(w, n);
			writer_endrow(w);
		}
		return;
	}
	static const char *const head[] = {"section", "table", "key", "label", "metric", "value"};
	for (int i = 0; i < 6; i++)
		writer_fields(w, head[i]);
	writer_endrow(w);
	for (size_t i = 0; i < d->ns; i++) {
		const rsection *s = d->s[i];
		for (size_t k = 0; k < s->nt; k++) {
			const rtable *t = s->t[k];
			for (size_t r = 0; r < t->nrows; r++)
				for (size_t c = 1; c < t->ncols; c++) {
					writer_fields(w, s->id);
					writer_fields(w, t->id);
					text(w, t->keys[r]);
					text(w, t->cells[r][0]);
					writer_fields(w, t->colid[c]);
					cell(w, t, c, t->cells[r][c]);
					writer_endrow(w);
				}
		}
	}
	figure(w, "records", "records", "read", "", "count", d->read);
	figure(w, "records", "records", "in_period", "", "count", d->in_period);
	if (d->has_period) {
		figure(w, "records", "records", "skipped_outside", "", "count", d->skip_outside);
		figure(w, "records", "records", "skipped_no_time", "", "count", d->skip_notime);
	}
	figure(w, "records", "records", "with_problems", "", "count", d->problems);
}
