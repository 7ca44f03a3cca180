/* report_html.c: the report as one self-contained HTML page: inline style
 * sheet (data/report-style.txt), inline SVG charts with integer coordinates,
 * no script, nothing fetched, a print style for A4; all text escaped. */
#include <stdlib.h>
#include <string.h>
#include "report.h"

static cpl_buf esc;

static void text(cpl_writer *w, const char *s)
{
	buf_clear(&esc);
	escape_html(&esc, s, strlen(s));
	writer_raw(w, esc.s, esc.len);
}

/* s cut to at most max display columns, with an ellipsis */
static void text_cut(cpl_writer *w, const char *s, size_t max)
{
	if (report_text_width(s) <= max) {
		text(w, s);
		return;
	}
	cpl_buf cut = {0};
	size_t len = strlen(s), width = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		int n = utf8_decode((const unsigned char *)s + i, len - i, &cp);
		char one[8] = {0};
		memcpy(one, s + i, (size_t)n < sizeof one - 1 ? (size_t)n : sizeof one - 1);
		size_t cw = report_text_width(one);
		if (width + cw > max - 1)
			break;
		buf_add(&cut, s + i, (size_t)n);
		width += cw;
		i += (size_t)n;
	}
	buf_adds(&cut, "…");
	text(w, cut.s);
	buf_free(&cut);
}

static long long value(const rtable *t, size_t row, int col)
{
	if (col < 0 || (size_t)col >= t->ncols)
		return 0;
	long long v = strtoll(t->cells[row][col], NULL, 10);
	return v > 0 ? v : 0;
}

/* Bar charts are drawn W wide at 1:1 and only shrink when the page is
 * narrower; the deadline chart is wider. */
enum { W = 460, WIDE = 640, LABEL = 150, BAR = 230, ROW = 22 };

static void svg_open(cpl_writer *w, const rtable *t, int width, int height)
{
	writer_rawf(w, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\"><title>",
		width, height, width, height);
	text(w, t->title ? t->title : t->id);
	writer_lit(w, "</title>");
}

/* the row summing the rest of a ranked table is left out of its chart */
static size_t charted(const rtable *t)
{
	return t->nrows && !strcmp(t->keys[t->nrows - 1], "_rest") ? t->nrows - 1 : t->nrows;
}

static void bars(const rtable *t, cpl_writer *w)
{
	long long max = 0;
	size_t n = charted(t);
	for (size_t i = 0; i < n; i++)
		if (value(t, i, t->chart_col) > max)
			max = value(t, i, t->chart_col);
	if (!n || !max)
		return;
	int h = (int)n * ROW + 6;
	svg_open(w, t, W, h);
	for (size_t i = 0; i < n; i++) {
		long long v = value(t, i, t->chart_col);
		int y = 3 + (int)i * ROW;
		long long len = v * BAR / max;
		if (v && len < 1)
			len = 1;
		writer_rawf(w, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", LABEL - 8, y + 15);
		text_cut(w, t->cells[i][0], 20);
		writer_rawf(w, "</text><rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%lld\" height=\"%d\" rx=\"2\"/>",
			LABEL, y + 3, len, ROW - 6);
		writer_rawf(w, "<text x=\"%lld\" y=\"%d\">%lld</text>", LABEL + len + 6, y + 15, v);
	}
	writer_rawf(w, "<line class=\"axis\" x1=\"%d\" y1=\"0\" x2=\"%d\" y2=\"%d\"/></svg>\n", LABEL, LABEL, h);
}

static void stack(const rtable *t, cpl_writer *w)
{
	if (!t->nrows)
		return;
	int h = (int)t->nrows * (ROW + 8) + 6;
	int area = WIDE - LABEL - 10;
	svg_open(w, t, WIDE, h);
	for (size_t i = 0; i < t->nrows; i++) {
		int y = 3 + (int)i * (ROW + 8);
		long long total = 0;
		for (int c = 0; c < t->chart_ncols; c++)
			total += value(t, i, t->chart_col + c);
		writer_rawf(w, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", LABEL - 8, y + 17);
		text_cut(w, t->cells[i][0], 22);
		writer_lit(w, "</text>");
		if (!total) {
			writer_rawf(w, "<rect class=\"c2\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" opacity=\"0.3\"/>",
				LABEL, y + 3, area, ROW - 2);
			continue;
		}
		long long cum = 0;
		for (int c = 0; c < t->chart_ncols; c++) {
			long long v = value(t, i, t->chart_col + c);
			long long x0 = LABEL + cum * area / total;
			cum += v;
			long long x1 = LABEL + cum * area / total;
			if (x1 > x0)
				writer_rawf(w, "<rect class=\"c%d\" x=\"%lld\" y=\"%d\" width=\"%lld\" height=\"%d\"><title>%lld</title></rect>",
					c, x0, y + 3, x1 - x0, ROW - 2, v);
		}
	}
	writer_lit(w, "</svg>\n<div class=\"legend\">");
	for (int c = 0; c < t->chart_ncols; c++) {
		writer_rawf(w, "<span><i class=\"c%d\"></i>", c);
		text(w, t->colhead[t->chart_col + c]);
		writer_lit(w, "</span>");
	}
	writer_lit(w, "</div>\n");
}

static void columns(const rtable *t, cpl_writer *w)
{
	long long max = 0;
	for (size_t i = 0; i < t->nrows; i++)
		if (value(t, i, t->chart_col) > max)
			max = value(t, i, t->chart_col);
	if (!t->nrows || !max)
		return;
	enum { H = 190, TOP = 20, PLOT = 140 };
	svg_open(w, t, W, H);
	int slot = (W - 40) / (int)t->nrows, bw = slot * 3 / 5;
	for (size_t i = 0; i < t->nrows; i++) {
		long long v = value(t, i, t->chart_col);
		long long bh = v * PLOT / max;
		if (v && bh < 1)
			bh = 1;
		int x = 20 + (int)i * slot + (slot - bw) / 2;
		writer_rawf(w, "<rect class=\"bar\" x=\"%d\" y=\"%lld\" width=\"%d\" height=\"%lld\" rx=\"2\"/>",
			x, TOP + PLOT - bh, bw, bh);
		writer_rawf(w, "<text x=\"%d\" y=\"%lld\" text-anchor=\"middle\">%lld</text>", x + bw / 2, TOP + PLOT - bh - 5, v);
		writer_rawf(w, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">", x + bw / 2, TOP + PLOT + 18);
		text_cut(w, t->cells[i][0], 14);
		writer_lit(w, "</text>");
	}
	writer_rawf(w, "<line class=\"axis\" x1=\"10\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/></svg>\n", TOP + PLOT, W - 10, TOP + PLOT);
}

static void tiles(const rtable *t, cpl_writer *w, int show_title)
{
	if (show_title && t->title) {
		writer_lit(w, "<h3>");
		text(w, t->title);
		writer_lit(w, "</h3>");
	}
	writer_lit(w, "<div class=\"tiles\">");
	for (size_t i = 0; i < t->nrows; i++) {
		writer_lit(w, "<div class=\"tile\"><span class=\"v\">");
		text(w, t->cells[i][1]);
		writer_lit(w, "</span><span class=\"k\">");
		text(w, t->cells[i][0]);
		writer_lit(w, "</span></div>");
	}
	writer_lit(w, "</div>\n");
}

static void table(const rtable *t, cpl_writer *w, int show_title)
{
	writer_rawf(w, "<div class=\"block\" id=\"%s\">", t->id);
	if (show_title && t->title) {
		writer_lit(w, "<h3>");
		text(w, t->title);
		writer_lit(w, "</h3>");
	}
	if (t->chart == CHART_BARS)
		bars(t, w);
	else if (t->chart == CHART_STACK)
		stack(t, w);
	else if (t->chart == CHART_COLUMNS)
		columns(t, w);
	if (t->nrows) {
		writer_lit(w, "<table><thead><tr>");
		for (size_t c = 0; c < t->ncols; c++) {
			writer_raw(w, (t->numeric >> c) & 1 ? "<th class=\"n\">" : "<th>", (t->numeric >> c) & 1 ? 14 : 4);
			text(w, t->colhead[c]);
			writer_lit(w, "</th>");
		}
		writer_lit(w, "</tr></thead><tbody>\n");
		for (size_t i = 0; i < t->nrows; i++) {
			writer_lit(w, "<tr>");
			for (size_t c = 0; c < t->ncols; c++) {
				writer_raw(w, (t->numeric >> c) & 1 ? "<td class=\"n\">" : "<td>", (t->numeric >> c) & 1 ? 14 : 4);
				text(w, t->cells[i][c]);
				writer_lit(w, "</td>");
			}
			writer_lit(w, "</tr>\n");
		}
		writer_lit(w, "</tbody></table>");
	}
	if (t->note) {
		writer_lit(w, "<p class=\"note\">");
		text(w, t->note);
		writer_lit(w, "</p>");
	}
	writer_lit(w, "</div>\n");
}

static int is_metric(const rtable *t) { return !strcmp(t->colid[0], "metric") && t->ncols == 2; }
static int is_narrow(const rtable *t) { return !is_metric(t) && t->ncols <= 3; }
static int titled(const rsection *s, const rtable *t) { return t->title && (s->nt > 1 || strcmp(t->title, s->title)); }

void report_write_html(const rdoc *d, cpl_writer *w)
{
	size_t csslen = 0;
	const char *css = data_embedded("report-style.txt", &csslen);
	writer_rawf(w, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<meta name=\"generator\" content=\"cplreport %s\">\n<title>",
		strcmp(d->lang, "en") ? "zh-CN" : "en", CPL_VERSION);
	text(w, d->title);
	writer_raw(w, " · ", strlen(" · "));
	text(w, d->subtitle);
	writer_lit(w, "</title>\n<style>\n");
	if (css)
		writer_raw(w, css, csslen);
	writer_lit(w, "</style>\n</head>\n<body>\n<header><h1>");
	text(w, d->title);
	writer_lit(w, "</h1><p class=\"sub\">");
	text(w, d->subtitle);
	writer_lit(w, "</p></header>\n<main>\n");
	for (size_t i = 0; i < d->ns; i++) {
		const rsection *s = d->s[i];
		writer_rawf(w, "<section id=\"sec-%s\">\n<h2>", s->id);
		text(w, s->title);
		writer_lit(w, "</h2>\n");
		int narrow = 0;
		for (size_t k = 0; k < s->nt; k++)
			narrow += is_narrow(s->t[k]);
		/* key figures as tiles, narrow tables side by side, wide ones full width */
		for (size_t k = 0; k < s->nt; k++)
			if (is_metric(s->t[k]))
				tiles(s->t[k], w, s->t[k]->title && strcmp(s->t[k]->title, s->title));
		if (narrow > 1)
			writer_lit(w, "<div class=\"grid\">\n");
		for (size_t k = 0; k < s->nt; k++)
			if (is_narrow(s->t[k]))
				table(s->t[k], w, titled(s, s->t[k]));
		if (narrow > 1)
			writer_lit(w, "</div>\n");
		for (size_t k = 0; k < s->nt; k++)
			if (!is_metric(s->t[k]) && !is_narrow(s->t[k]))
				table(s->t[k], w, titled(s, s->t[k]));
		writer_lit(w, "</section>\n");
	}
	writer_lit(w, "</main>\n<footer>\n");
	for (size_t i = 0; i < d->nfooter; i++) {
		writer_lit(w, "<p>");
		text(w, d->footer[i]);
		writer_lit(w, "</p>\n");
	}
	writer_lit(w, "</footer>\n</body>\n</html>\n");
}
