/* escape.c: case text made safe for the place it lands in: HTML, Markdown,
 * JSON strings, a terminal (no control or bidi-override characters), and
 * spreadsheet cells (no formula).  Invalid UTF-8 becomes U+FFFD. */
#include <string.h>
#include "cpl.h"

/* Calls put for each code point, with its original bytes. */
#define EACH_CP(s, len, body) do { \
	for (size_t i_ = 0; i_ < (len);) { \
		uint32_t cp; \
		int n_ = utf8_decode((const unsigned char *)(s) + i_, (len) - i_, &cp); \
		const char *at = (s) + i_; \
		int w = n_; \
		if (cp == 0xFFFD) { at = "\xEF\xBF\xBD"; w = 3; } \
		body \
		i_ += (size_t)n_; \
	} \
} while (0)

/* Characters that reorder or hide text on screen (Trojan Source). */
static int is_bidi(uint32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
		cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

static int in(const char *set, uint32_t cp) { return cp && cp < 128 && strchr(set, (int)cp); }

static int is_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0x2028 || cp == 0x2029;
}

void escape_html(cpl_buf *out, const char *s, size_t len)
{
	EACH_CP(s, len, {
		switch (cp) {
		case '&': buf_adds(out, "&amp;"); break;
		case '<': buf_adds(out, "&lt;"); break;
		case '>': buf_adds(out, "&gt;"); break;
		case '"': buf_adds(out, "&quot;"); break;
		case '\'': buf_adds(out, "&#39;"); break;
		default:
			if (is_control(cp) || is_bidi(cp))
				buf_addc(out, cp == '\t' || cp == '\n' || cp == '\r' ? ' ' : '?');
			else
				buf_add(out, at, (size_t)w);
		}
	});
}

void escape_md(cpl_buf *out, const char *s, size_t len)
{
	int first = 1;
	EACH_CP(s, len, {
		if (is_control(cp) || is_bidi(cp)) {
			buf_addc(out, cp == '\t' || cp == '\n' || cp == '\r' ? ' ' : '?');
		} else if (cp == '&') {
			buf_adds(out, "&amp;");
		} else if (cp == '<') {
			buf_adds(out, "&lt;");
		} else if (cp == '>') {
			buf_adds(out, "&gt;");
		} else if (in("\\`*_[]|~", cp)) {
			buf_addc(out, '\\');
			buf_addc(out, (char)cp);
		} else if (first && in("#+-!=:", cp)) {
			/* would start a heading, list, image or table rule */
			buf_addc(out, '\\');
			buf_addc(out, (char)cp);
		} else {
			buf_add(out, at, (size_t)w);
		}
		first = 0;
	});
}

void escape_json(cpl_buf *out, const char *s, size_t len)
{
	EACH_CP(s, len, {
		switch (cp) {
		case '"': buf_adds(out, "\\\""); break;
		case '\\': buf_adds(out, "\\\\"); break;
		case '\n': buf_adds(out, "\\n"); break;
		case '\r': buf_adds(out, "\\r"); break;
		case '\t': buf_adds(out, "\\t"); break;
		case '<': buf_adds(out, "\\u003c"); break; /* safe inside a <script> too */
		default:
			if (cp < 0x20 || cp == 0x7F || cp == 0x2028 || cp == 0x2029)
				buf_printf(out, "\\u%04x", (unsigned)cp);
			else
				buf_add(out, at, (size_t)w);
		}
	});
}

void escape_terminal(cpl_buf *out, const char *s, size_t len)
{
	EACH_CP(s, len, {
		if (is_control(cp) || is_bidi(cp))
			buf_addc(out, cp == '\t' || cp == '\n' || cp == '\r' ? ' ' : '?');
		else
			buf_add(out, at, (size_t)w);
	});
}

int csv_formula_risk(const char *s, size_t len)
{
	size_t i = 0;
	for (;;) { /* spaces before it, the ideographic one too */
		if (i < len && s[i] == ' ')
			i++;
		else if (i + 2 < len && !memcmp(s + i, "\xE3\x80\x80", 3))
			i += 3;
		else
			break;
	}
	if (i < len && in("=+-@\t\r", (unsigned char)s[i]))
		return 1;
	/* full-width ＝ ＋ － ＠ are read as formulas by some spreadsheets */
	if (i + 2 < len && (unsigned char)s[i] == 0xEF && (unsigned char)s[i + 1] == 0xBC) {
		unsigned char c = (unsigned char)s[i + 2];
		return c == 0x9D || c == 0x8B || c == 0x8D || c == 0xA0;
	}
	return 0;
}
