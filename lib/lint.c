/* lint.c: findings written for people and for programs: one linter line
 * each (ID:COL: LEVEL RULE: message (suggestion)), CSV, or one JSON array. */
#include <stdlib.h>
#include <string.h>
#include "cpl.h"

struct lint_out {
	cpl_writer *w;
	int format;
	long count;
	cpl_buf msg;
};

int lint_format(const char *name)
{
	if (!strcmp(name, "line"))
		return LINT_LINE;
	if (!strcmp(name, "csv"))
		return LINT_CSV;
	if (!strcmp(name, "json"))
		return LINT_JSON;
	return -1;
}

lint_out *lint_open(cpl_writer *w, int format)
{
	lint_out *o = xcalloc(1, sizeof *o);
	o->w = w;
	o->format = format;
	if (format == LINT_CSV) {
		static const char *const head[] = {"id", "line", "col", "level", "rule", "kind", "message", "text", "suggestion"};
		for (size_t i = 0; i < sizeof head / sizeof *head; i++)
			writer_fields(w, head[i]);
		writer_endrow(w);
	} else if (format == LINT_JSON) {
		writer_lit(w, "[");
	}
	return o;
}

/* A JSON string; bytes that are not UTF-8 become U+FFFD so the document
 * stays valid whatever the input held. */
static void json_str(cpl_writer *w, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	writer_lit(w, "\"");
	while (p < end) {
		if (*p == '"' || *p == '\\') {
			writer_lit(w, "\\");
			writer_raw(w, (const char *)p, 1);
			p++;
		} else if (*p < 0x20) {
			writer_rawf(w, "\\u%04x", *p);
			p++;
		} else if (*p < 0x80) {
			writer_raw(w, (const char *)p, 1);
			p++;
		} else {
			uint32_t cp;
			int k = utf8_decode(p, (size_t)(end - p), &cp);
			if (cp == 0xFFFD && k == 1)
				writer_lit(w, "\xEF\xBF\xBD");
			else
				writer_raw(w, (const char *)p, (size_t)k);
			p += k;
		}
	}
	writer_lit(w, "\"");
}

static void compose(cpl_buf *b, const phrase_finding *f)
{
	const phrase_rule *r = f->rule;
	buf_clear(b);
	if (f->missing && r->scope)
		buf_printf(b, "missing in the %s %d sentence%s: ", r->scope > 0 ? "first" : "last",
			abs(r->scope), abs(r->scope) == 1 ? "" : "s");
	else if (f->missing)
		buf_adds(b, "missing: ");
	else if (f->misplaced)
		buf_adds(b, "out of order: ");
	static const char *const plain[PHRASE_NKINDS] = {
		[PHRASE_FORBIDDEN] = "forbidden phrase", [PHRASE_SUBSTITUTION] = "better said another way",
		[PHRASE_REQUIRED] = "required element", [PHRASE_CONDITIONAL] = "condition not met",
		[PHRASE_LETTER] = "letter part",
	};
	buf_adds(b, r->message[0] ? r->message : plain[r->kind]);
	buf_str(b);
}

void lint_write(lint_out *o, const lint_item *it)
{
	const phrase_finding *f = it->finding;
	const phrase_rule *r = f->rule;
	const char *level = r->level == PHRASE_ERROR ? "error" : "warning";
	compose(&o->msg, f);
	cpl_writer *w = o->w;
	switch (o->format) {
	case LINT_LINE:
		writer_raw(w, it->id, strlen(it->id));
		if (it->show_line)
			writer_rawf(w, ":%ld", it->line);
		writer_rawf(w, ":%ld: %s %s: ", it->col, level, r->id);
		writer_raw(w, o->msg.s, o->msg.len);
		if (it->textlen) {
			writer_lit(w, ": \"");
			/* one line per finding, whatever the text held */
			for (size_t i = 0; i < it->textlen; i++)
				writer_raw(w, it->text[i] == '\n' || it->text[i] == '\r' ? " " : it->text + i, 1);
			writer_lit(w, "\"");
		}
		if (r->suggestion[0]) {
			writer_lit(w, " (");
			writer_raw(w, r->suggestion, strlen(r->suggestion));
			writer_lit(w, ")");
		}
		writer_lit(w, "\n");
		break;
	case LINT_CSV: {
		char num[32];
		writer_fields(w, it->id);
		snprintf(num, sizeof num, "%ld", it->line);
		writer_fields(w, num);
		snprintf(num, sizeof num, "%ld", it->col);
		writer_fields(w, num);
		writer_fields(w, level);
		writer_fields(w, r->id);
		writer_fields(w, phrase_kind_name(r->kind));
		writer_field(w, o->msg.s, o->msg.len);
		writer_field(w, it->text ? it->text : "", it->textlen);
		writer_fields(w, r->suggestion);
		writer_endrow(w);
		break;
	}
	case LINT_JSON:
		writer_raw(w, o->count ? ",\n{" : "\n{", o->count ? 3 : 2);
		writer_lit(w, "\"id\":");
		json_str(w, it->id, strlen(it->id));
		writer_rawf(w, ",\"line\":%ld,\"col\":%ld,\"level\":\"%s\",\"rule\":", it->line, it->col, level);
		json_str(w, r->id, strlen(r->id));
		writer_rawf(w, ",\"kind\":\"%s\",\"message\":", phrase_kind_name(r->kind));
		json_str(w, o->msg.s, o->msg.len);
		writer_lit(w, ",\"text\":");
		json_str(w, it->text ? it->text : "", it->textlen);
		writer_lit(w, ",\"suggestion\":");
		json_str(w, r->suggestion, strlen(r->suggestion));
		writer_lit(w, "}");
		break;
	}
	o->count++;
}

void lint_close(lint_out *o)
{
	if (o->format == LINT_JSON)
		writer_raw(o->w, o->count ? "\n]\n" : "]\n", o->count ? 3 : 2);
	buf_free(&o->msg);
	free(o);
}
