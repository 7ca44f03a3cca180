/* unit.c: C tests of library functions whose edges a command-level test
 * would reach only indirectly.  Run one by name: test-unit NAME (see unit.bats). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cpl.h"

static int failures;
#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); failures++; } } while (0)
#define CHECK_STR(got, want) do { const char *g_ = (got), *w_ = (want); if (strcmp(g_, w_)) { fprintf(stderr, "%s:%d: got '%s', want '%s'\n", __FILE__, __LINE__, g_, w_); failures++; } } while (0)

static const char *fmt(const char *s)
{
	static char out[20];
	int64_t t = time_parse(s, strlen(s), NULL);
	if (t == CPL_NOTIME)
		return "NOTIME";
	return time_format(t, out);
}

static void test_time_shapes(void)
{
	time_set_zone("Asia/Shanghai");
	CHECK_STR(fmt("2026-11-22 10:05:00"), "2026-11-22 10:05:00");
	CHECK_STR(fmt("2026-11-22T10:05:00+08:00"), "2026-11-22 10:05:00");
	CHECK_STR(fmt("2026-11-22T02:05:00Z"), "2026-11-22 10:05:00");
	CHECK_STR(fmt("2026-11-22T10:05:00+0000"), "2026-11-22 18:05:00");
	CHECK_STR(fmt("2026/11/22 9:05"), "2026-11-22 09:05:00");
	CHECK_STR(fmt("2026/11/22 9:05:07"), "2026-11-22 09:05:07");
	CHECK_STR(fmt("2026年11月22日 10时05分"), "2026-11-22 10:05:00");
	CHECK_STR(fmt("2026年11月22日10时05分30秒"), "2026-11-22 10:05:30");
	CHECK_STR(fmt("2026年11月22日"), "2026-11-22 00:00:00");
	CHECK_STR(fmt("2026-11-22"), "2026-11-22 00:00:00");
	CHECK_STR(fmt("2026.11.22 10:05"), "2026-11-22 10:05:00");
	CHECK_STR(fmt("20261122100500"), "2026-11-22 10:05:00");
	CHECK_STR(fmt("2026-11-22 10:05:00.123"), "2026-11-22 10:05:00");
	CHECK_STR(fmt("  2026-11-22 10:05:00  "), "2026-11-22 10:05:00");
	CHECK_STR(fmt("46348.5"), "2026-11-22 12:00:00"); /* an Excel serial number */
	/* compact with no seconds, and with a space after the date */
	CHECK_STR(fmt("202611221005"), "2026-11-22 10:05:00");
	CHECK_STR(fmt("20261122 1005"), "2026-11-22 10:05:00");
	CHECK_STR(fmt("20261122 100507"), "2026-11-22 10:05:07");
	/* the 12-hour clock: AM/PM after the time, 上午/下午 before it (Chinese Excel) */
	CHECK_STR(fmt("2026/11/3 8:05:00 PM"), "2026-11-03 20:05:00");
	CHECK_STR(fmt("2026/11/3 8:05 am"), "2026-11-03 08:05:00");
	CHECK_STR(fmt("2026/11/3 12:05 AM"), "2026-11-03 00:05:00");
	CHECK_STR(fmt("2026/11/3 12:05 PM"), "2026-11-03 12:05:00");
	CHECK_STR(fmt("2026/11/3 下午 8:05:00"), "2026-11-03 20:05:00");
	CHECK_STR(fmt("2026/11/3 上午12:30"), "2026-11-03 00:30:00");
	CHECK_STR(fmt("2026年11月3日 下午8时5分"), "2026-11-03 20:05:00");
	CHECK_STR(fmt("2026/11/03 08:05:00 下午"), "2026-11-03 20:05:00");
}

static void test_time_impossible(void)
{
	time_set_zone("Asia/Shanghai");
	CHECK_STR(fmt("2026-02-29 10:00"), "NOTIME");
	CHECK_STR(fmt("2026-13-45"), "NOTIME");
	CHECK_STR(fmt("2026-11-22 24:00"), "NOTIME");
	CHECK_STR(fmt("2026-11-22 10:60"), "NOTIME");
	CHECK_STR(fmt("昨天下午"), "NOTIME");
	CHECK_STR(fmt("2026-11-22 10:05 garbage"), "NOTIME");
	CHECK_STR(fmt("2026/11/3 13:05 PM"), "NOTIME");
	CHECK_STR(fmt("2026/11/3 0:05 AM"), "NOTIME");
	CHECK_STR(fmt("2026/11/3 下午 8:05 PM"), "NOTIME");
	CHECK_STR(fmt("2026/11/3 8:05 PM 下午"), "NOTIME");
	CHECK_STR(fmt("20261122 105"), "NOTIME");
	CHECK_STR(fmt("20261122 1005 x"), "NOTIME");
	CHECK_STR(fmt("2026112210"), "NOTIME");
	CHECK_STR(fmt("2024-02-29 10:00"), "2024-02-29 10:00:00");
	int empty = 0;
	CHECK(time_parse("  ", 2, &empty) == CPL_NOTIME && empty == 1);
	CHECK(time_parse("x", 1, &empty) == CPL_NOTIME && empty == 0);
}

static void test_time_zones(void)
{
	time_set_zone("UTC");
	CHECK_STR(fmt("2026-11-22T10:05:00+08:00"), "2026-11-22 02:05:00");
	time_set_zone("Europe/Berlin");
	CHECK_STR(fmt("2026-07-01 12:00:00"), "2026-07-01 12:00:00");
	int64_t t = time_parse("2026-07-01 12:00:00", 19, NULL);
	time_set_zone("UTC");
	char out[20];
	CHECK_STR(time_format(t, out), "2026-07-01 10:00:00"); /* CEST is UTC+2 */
	time_set_zone("Asia/Shanghai");
	int y, mo, d, h, mi, s, wd;
	time_to_local(time_parse("2026-11-22 10:05:00", 19, NULL), &y, &mo, &d, &h, &mi, &s, &wd);
	CHECK(wd == 0); /* a Sunday */
	CHECK(days_from_civil(1970, 1, 1) == 0);
	civil_from_days(days_from_civil(2026, 3, 1) - 1, &y, &mo, &d);
	CHECK(y == 2026 && mo == 2 && d == 28);
}

static void test_durations(void)
{
	int64_t s; int mo;
	CHECK(duration_parse("60m", &s, &mo) == 0 && s == 3600);
	CHECK(duration_parse("2h", &s, &mo) == 0 && s == 7200);
	CHECK(duration_parse("3mo", &s, &mo) == 0 && mo == 3);
	CHECK(duration_parse("15s", &s, &mo) == 0 && s == 15);
	CHECK(duration_parse("x", &s, &mo) != 0);
	CHECK(duration_parse("5q", &s, &mo) != 0);
}

static void test_normalize(void)
{
	cpl_norm n = {0};
	CHECK_STR(text_normalize(&n, "用戶來電反映手機沒有信號", strlen("用戶來電反映手機沒有信號"), 0), "用户来电反映手机没有信号");
	CHECK_STR(text_normalize(&n, "ＡＢＣ１２３，！", strlen("ＡＢＣ１２３，！"), 0), "ABC123,!");
	CHECK_STR(text_normalize(&n, "  a \t\r\n b\xE3\x80\x80\xE3\x80\x80" "c  ", strlen("  a \t\r\n b\xE3\x80\x80\xE3\x80\x80" "c  "), 0), "a b c");
	CHECK_STR(text_normalize(&n, "這不是我們的事", strlen("這不是我們的事"), 0), "这不是我们的事");
	CHECK_STR(text_normalize(&n, "a\xEF\xBB\xBF" "b", 5, 0), "ab");
	/* positions map back to characters of the original */
	const char *src = "  您好，請問";
	const char *out = text_normalize(&n, src, strlen(src), 1);
	CHECK_STR(out, "您好,请问");
	CHECK(n.pos[0] == 2);               /* 您 is the third character */
	CHECK(n.pos[strlen("您好")] == 4);  /* the comma */
	CHECK(n.pos[strlen(out)] == 7);     /* the end */
	norm_free(&n);
}

static void test_utf8(void)
{
	size_t bad;
	CHECK(utf8_valid("abc中文", strlen("abc中文"), &bad));
	CHECK(!utf8_valid("ab\xC3", 3, &bad) && bad == 2);
	CHECK(!utf8_valid("\xED\xA0\x80", 3, &bad)); /* a surrogate */
	CHECK(!utf8_valid("\xC0\xAF", 2, &bad));     /* overlong */
	CHECK(utf8_chars("中a文", strlen("中a文")) == 3);
}

/* The byte-at-a-time answer, from utf8_decode: where the first invalid
 * byte is, or len. */
static size_t first_bad(const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		int n = utf8_decode((const unsigned char *)s + i, len - i, &cp);
		if (cp == 0xFFFD && n == 1)
			return i;
		i += (size_t)n;
	}
	return len;
}

/* The validator reads sixteen bytes at a time and carries a character
 * across windows: put each kind of character and each kind of fault at
 * every position of a CJK-and-ASCII line, and compare with first_bad. */
static void test_utf8_windows(void)
{
	static const char *const inserts[] = {
		"\xE4\xB8\xAD", "\xC2\xB7", "\xE0\xA4\x85", "\xED\x9F\xBF", "\xF0\x9F\x98\x80", "\xEF\xBC\x8C",
		"\x80", "\xE4\xB8", "\xE0\x80\x80", "\xED\xA0\x80", "\xC0\xAF", "\xF5\x80\x80\x80",
		"\xE4\xB8\xAD\xAD", "", "a",
	};
	const char *base = "受理工单2026年11月21日客户来电反映宽带无法上网请核实处理abc";
	size_t blen = strlen(base);
	char buf[160];
	for (size_t k = 0; k < sizeof inserts / sizeof *inserts; k++) {
		size_t il = strlen(inserts[k]);
		for (size_t at = 0; at <= blen; at++) {
			memcpy(buf, base, at);
			memcpy(buf + at, inserts[k], il);
			memcpy(buf + at + il, base + at, blen - at);
			size_t len = blen + il, want = first_bad(buf, len), bad = 999, nuls = 99;
			int ok = utf8_valid(buf, len, &bad);
			CHECK(ok == (want == len));
			CHECK(ok || bad == want);
			CHECK(utf8_valid_nuls(buf, len, &nuls) == ok);
			CHECK(!ok || nuls == 0);
		}
	}
	/* NULs counted in ASCII runs, between characters, and at the ends */
	static const char nul_line[] = "\0ab\0\xE4\xB8\xAD\0" "abcdefghijklmnopqrstuvwxyz\0\xE6\x96\x87\xE6\x96\x87\xE6\x96\x87\xE6\x96\x87\xE6\x96\x87\xE6\x96\x87\0";
	size_t nuls = 0;
	CHECK(utf8_valid_nuls(nul_line, sizeof nul_line - 1, &nuls) && nuls == 5);
}

/* text_normalize against a plain reading of its rules, character by
 * character: its runs of Chinese and ASCII, the room it makes as it writes
 * and the positions must not change what comes out. */
/* s with every byte outside printable ASCII as \xHH, for a failure's message */
static const char *hex_of(const char *s, char *out, size_t cap)
{
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && o + 5 < cap; p++)
		o += (size_t)snprintf(out + o, cap - o, *p >= 0x20 && *p < 0x7F ? "%c" : "\\x%02X", *p);
	out[o] = 0;
	return out;
}

static void norm_reference(const char *s, size_t len, cpl_buf *o, int *chars)
{
	buf_clear(o);
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	int pend = 0;
	*chars = 0;
	while (p < end) {
		uint32_t cp;
		p += utf8_decode(p, (size_t)(end - p), &cp);
		++*chars;
		if (cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0x3000 || cp == 0xA0 || cp == 0x2028 || cp == 0x2029) {
			pend = 1;
			continue;
		}
		if (cp == 0xFEFF || cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xAD)
			continue;
		if (cp >= 0xFF01 && cp <= 0xFF5E)
			cp -= 0xFEE0;
		else if (cp >= 0x3400)
			cp = text_t2s(cp);
		if (pend && o->len)
			buf_addc(o, ' ');
		pend = 0;
		char b[4];
		buf_add(o, b, (size_t)utf8_encode(cp, b));
	}
	buf_str(o);
}

static void test_normalize_reference(void)
{
	static const char *const pieces[] = {"您", "好", "們", "這", "Ａ", "，", " ", "\t", "\xE3\x80\x80", "\xEF\xBB\xBF",
		"\xE2\x80\x8B", "ab", "1", "\xFF", "\xE4\xB8", "\xED\xA0\x80", "\xE0\x80\x80", "\xF0\xA0\x80\x80",
		"\xC2\xA0", "\xC3\xA9", "。", "信號", "\n"};
	enum { NP = sizeof pieces / sizeof *pieces };
	cpl_norm n = {0};
	cpl_buf want = {0};
	char text[256];
	unsigned seed = 11;
	for (int round = 0; round < 6000; round++) {
		text[0] = 0;
		int parts = 1 + round % 12;
		for (int i = 0; i < parts; i++) {
			seed = seed * 1103515245u + 12345u;
			strcat(text, pieces[(seed >> 16) % NP]);
		}
		size_t len = strlen(text);
		int chars;
		norm_reference(text, len, &want, &chars);
		for (int pos = 0; pos < 2; pos++) {
			const char *got = text_normalize(&n, text, len, pos);
			if (strcmp(got, want.s) != 0 || n.out.len != want.len) {
				char h1[1024], h2[1024], h3[1024];
				fprintf(stderr, "normalize '%s' (positions %d): got '%s', want '%s'\n", hex_of(text, h1, sizeof h1),
					pos, hex_of(got, h2, sizeof h2), hex_of(want.s, h3, sizeof h3));
				failures++;
			}
			if (pos) {
				int ok = n.pos[n.out.len] == chars;
				for (size_t i = 0; i + 1 <= n.out.len; i++)
					ok &= n.pos[i] <= n.pos[i + 1] && n.pos[i] < chars;
				if (!ok) {
					fprintf(stderr, "normalize '%s': positions out of order or past %d\n", text, chars);
					failures++;
				}
			}
		}
	}
	/* a long text whose every byte grows to three (U+FFFD), with positions:
	 * the output outgrows the room made for the input's length */
	static char bad[30001];
	memset(bad, 0xFF, 30000);
	const char *got = text_normalize(&n, bad, 30000, 1);
	CHECK(n.out.len == 90000 && strlen(got) == 90000 && memcmp(got + 89997, "\xEF\xBF\xBD", 3) == 0);
	CHECK(n.pos[89999] == 29999 && n.pos[90000] == 30000);
	buf_free(&want);
	norm_free(&n);
}

static void test_fast_paths(void)
{
	/* the word-at-a-time quote check, at every position of a long field */
	char f[40];
	for (int pos = 0; pos < 33; pos++) {
		const char specials[] = {',', '"', '\n', '\r', ';'};
		for (size_t k = 0; k < sizeof specials; k++) {
			memset(f, 'x', 33);
			f[pos] = specials[k];
			CHECK(csv_needs_quote(f, 33, ',') == (specials[k] != ';'));
			CHECK(csv_needs_quote(f, 33, ';') == (specials[k] != ','));
		}
	}
	memcpy(f, "中文内容没有特殊字符的长字段", 9 * 3);
	CHECK(!csv_needs_quote(f, 27, ','));
	CHECK(!csv_needs_quote(" !#$%&'()*+-./0123456789", 24, ','));
	/* every UTF-8 length and the special lead bytes */
	size_t bad;
	CHECK(utf8_valid("\xC2\x80\xE0\xA0\x80\xED\x9F\xBF\xF0\x90\x80\x80\xF4\x8F\xBF\xBF", 16, &bad));
	CHECK(!utf8_valid("\xE0\x80\x80", 3, &bad));         /* overlong three bytes */
	CHECK(!utf8_valid("\xF4\x90\x80\x80", 4, &bad));     /* above U+10FFFF */
	CHECK(!utf8_valid("\xF0\x80\x80\x80", 4, &bad));     /* overlong four bytes */
	CHECK(!utf8_valid("abcdefgh\xE4\xB8", 10, &bad) && bad == 8); /* cut after an ASCII run */
	CHECK(!utf8_valid("\xE4\xB8\xAD" "abcdefghij" "\x80", 14, &bad) && bad == 13);
	test_utf8_windows();
}

static void test_regex_limit(void)
{
	cpl_regex *re = regex_compile("(a+)+$", "test", 1);
	char *s = xmalloc(20001);
	memset(s, 'a', 20000);
	s[19999] = 'b';
	s[20000] = 0;
	CHECK(regex_match(re, s, 20000, 0, NULL, NULL) == -1);
	CHECK(regex_match(re, "aaa", 3, 0, NULL, NULL) == 1);
	regex_free(re);
	free(s);
	/* caseless, and safe on invalid UTF-8 */
	re = regex_compile("vip", "test", 1);
	CHECK(regex_match(re, "\xFF VIP", 5, 0, NULL, NULL) == 1);
	regex_free(re);
}

static void test_columns(void)
{
	CHECK_STR(column_canonical(" 投诉内容 ", strlen(" 投诉内容 ")), "text");
	CHECK_STR(column_canonical("工单编号", strlen("工单编号")), "case_id");
	CHECK_STR(column_canonical("Case_ID", 7), "case_id");
	CHECK(column_canonical("备注", strlen("备注")) == NULL);
}

static void test_table_embedded(void)
{
	static const char *const req[] = {"canonical", "aliases", NULL};
	cpl_table *t = table_load(NULL, "columns.csv", req);
	CHECK(t->nrows > 10);
	CHECK_STR(table_get(t, 0, "canonical"), "case_id");
	table_free(t);
}

/* cplclassify's containers: the external sort across many runs, and the
 * hash map's removal (backward shift) against a plain array. */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void test_extsort(void)
{
	cpl_sorter *s = sorter_new(sizeof(uint64_t), 128, cmp_u64); /* 16 records a run */
	uint64_t sum = 0;
	for (uint64_t i = 0; i < 5000; i++) {
		uint64_t v = hash_mix(i) % 1000;
		sum += v;
		sorter_add(s, &v);
	}
	sorter_finish(s);
	const uint64_t *p;
	uint64_t last = 0, got = 0, n = 0;
	int sorted = 1;
	while ((p = sorter_next(s))) {
		if (*p < last)
			sorted = 0;
		last = *p;
		got += *p;
		n++;
	}
	CHECK(sorted);
	CHECK(n == 5000);
	CHECK(got == sum);
	sorter_free(s);
}

static void test_hmap(void)
{
	enum { N = 20000 };
	static unsigned char in[N];
	cpl_hmap *m = hmap_new();
	size_t live = 0, wrong = 0;
	for (uint64_t step = 0; step < 200000; step++) {
		uint64_t r = hash_mix(step);
		uint64_t k = r % N;
		if (r >> 63) {
			int created;
			*hmap_put(m, k, k * 7, &created) = (uintptr_t)k;
			wrong += created != !in[k];
			live += !in[k];
			in[k] = 1;
		} else {
			hmap_del(m, k, k * 7);
			live -= in[k];
			in[k] = 0;
		}
	}
	CHECK(wrong == 0);
	CHECK(hmap_count(m) == live);
	int ok = 1;
	for (uint64_t k = 0; k < N; k++) {
		uintptr_t *v = hmap_get(m, k, k * 7);
		if (in[k] != (v != NULL) || (v && *v != k))
			ok = 0;
	}
	CHECK(ok);
	hmap_free(m);
}

/* An alternative is sure only when its strings alone make a match: each
 * string of a sure alternative's clause, as the whole text and in upper
 * case, is matched by the pattern itself; the constructs that decide
 * beside the strings make it unsure. */
static int sure_at(const char *pattern, size_t alt)
{
	cpl_literals *l = literals_compile_folded(pattern);
	int sure = l && alt < literals_alternatives(l) && literals_alternative_sure(l, alt);
	literals_free(l);
	return sure;
}

static void check_sure_sound(const char *pattern)
{
	cpl_literals *l = literals_compile_folded(pattern);
	cpl_regex *re = regex_compile(pattern, "test", 1);
	for (size_t a = 0; l && a < literals_alternatives(l); a++) {
		if (!literals_alternative_sure(l, a))
			continue;
		CHECK(literals_clauses(l, a) == 1);
		const char *const *s;
		size_t n = literals_clause(l, a, 0, &s);
		for (size_t i = 0; i < n; i++) {
			char up[256];
			snprintf(up, sizeof up, "%s", s[i]);
			for (char *p = up; *p; p++)
				if (*p >= 'a' && *p <= 'z')
					*p -= 32;
			if (regex_match(re, s[i], strlen(s[i]), 0, NULL, NULL) != 1 ||
			    regex_match(re, up, strlen(up), 0, NULL, NULL) != 1) {
				fprintf(stderr, "sure string '%s' of alternative %zu does not match %s\n", s[i], a, pattern);
				failures++;
			}
		}
	}
	regex_free(re);
	literals_free(l);
}

/* What an escape is read as: \xhh takes two hex digits at most, so the
 * letters after it are literals a match holds (pcre2 reads \x41BC as A, B,
 * C); \x{...} and \d are no literal. */
static int has_string(const char *pattern, const char *want)
{
	cpl_literals *l = literals_compile_folded(pattern);
	const char *const *s;
	size_t n = literals_strings(l, &s);
	int found = 0;
	for (size_t i = 0; i < n; i++)
		found |= !strcmp(s[i], want);
	literals_free(l);
	return found;
}

static void test_literals_escapes(void)
{
	CHECK(has_string("\\x41BC投诉", "bc投诉"));
	CHECK(has_string("\\x4BC投诉", "c投诉"));
	CHECK(has_string("\\x{41}BC投诉", "bc投诉"));
	CHECK(has_string("\\d+号码被标记", "号码被标记"));
	cpl_regex *re = regex_compile("\\x41BC投诉", "test", 1);
	CHECK(regex_match(re, "abc投诉", strlen("abc投诉"), 0, NULL, NULL) == 1);
	regex_free(re);
}

static void test_literals_sure(void)
{
	CHECK(sure_at("活动", 0));
	CHECK(sure_at("(?:被)?标记(?:为)?|号码.{0,4}拦截", 0));
	CHECK(!sure_at("(?:被)?标记(?:为)?|号码.{0,4}拦截", 1));
	CHECK(sure_at("退费|(?:要求|申请)(?:赔偿|补偿)", 1));
	CHECK(sure_at("WLAN(?:认证|登录)", 0));
	CHECK(sure_at("(?:投诉)??电话", 0));     /* lazy: the same texts */
	CHECK(!sure_at("(?>投|投诉)电话", 0));    /* atomic: never matches 投诉电话 */
	CHECK(!sure_at("(?:投诉)?+投诉", 0));     /* possessive: never matches 投诉 */
	CHECK(!sure_at("优惠(?!券)", 0));        /* an assertion decides */
	CHECK(!sure_at("(?<!不)满意", 0));
	CHECK(!sure_at("\\b停机", 0));
	CHECK(!sure_at("^停机", 0));
	CHECK(!sure_at("(?-i)WLAN|无线", 1));    /* an option reaches later alternatives */
	CHECK(!sure_at("无线|(?i:wlan)", 0));
	CHECK(!sure_at("停机{2}", 0));
	CHECK(!sure_at("停机+", 0));
	CHECK(!sure_at("停[机]", 0));
	cpl_rules *rs = rules_load(NULL);
	size_t nsure = 0;
	for (size_t i = 0; i < rs->n; i++) {
		check_sure_sound(regex_pattern(rs->r[i].re));
		cpl_literals *l = literals_compile_folded(regex_pattern(rs->r[i].re));
		for (size_t a = 0; l && a < literals_alternatives(l); a++)
			nsure += literals_alternative_sure(l, a);
		literals_free(l);
	}
	CHECK(nsure > 100); /* the default rules have many plain alternatives */
	rules_free(rs);
	cpl_cues *cs = cues_load(NULL);
	for (size_t i = 0; i < cs->n; i++)
		check_sure_sound(regex_pattern(cs->c[i].re));
	cues_free(cs);
}

/* The literal index: which patterns may match, and which surely do, before
 * and after more patterns are added to it (its scan layout made again). */
static void scan_ids(cpl_litindex *x, const char *text, unsigned char *maybe, size_t n)
{
	memset(maybe, 0, n);
	litindex_scan(x, text, strlen(text), maybe);
}

static void test_litindex(void)
{
	unsigned char m[8];
	cpl_litindex *x = litindex_new();
	litindex_add(x, 0, "投诉电话");
	litindex_add(x, 1, "(?:被)?标记.{0,4}骚扰");
	litindex_add(x, 2, "sim卡|\xF0\xA0\x80\x80");   /* an ASCII word; U+20000 */
	scan_ids(x, "要求投诉电话", m, 8);
	CHECK(m[0] == (LIT_SURE | 1) && !m[1] && !m[2]);
	scan_ids(x, "号码被标记为骚扰", m, 8);
	CHECK(!m[0] && m[1] == 1 && !m[2]); /* may match: the regex decides */
	scan_ids(x, "SIM卡丢了", m, 8);
	CHECK(!m[0] && !m[1] && m[2] == (LIT_SURE | 1));
	scan_ids(x, "名字里有\xF0\xA0\x80\x80", m, 8);
	CHECK(m[2] == (LIT_SURE | 1));
	scan_ids(x, "\xC5\xBFim卡丢了", m, 8); /* U+017F: may, not sure */
	CHECK(m[2] == 1 && !m[0]);
	/* more after a scan: the strings are filed again, shared ones once */
	litindex_add(x, 3, "电话(?:打不通|无法接通)");
	litindex_add(x, 4, "投诉电话|客服");
	scan_ids(x, "投诉电话打不通", m, 8);
	CHECK(m[0] == (LIT_SURE | 1) && m[3] == (LIT_SURE | 1) && m[4] == (LIT_SURE | 1) && !m[1]);
	scan_ids(x, "客服", m, 8);
	CHECK(!m[0] && !m[3] && m[4] == (LIT_SURE | 1));
	/* the last place one of an id's strings may be: the last 投诉电话 or 客服
	 * for 4, the last 标记 or 骚扰 for 1; none for an id not found */
	scan_ids(x, "投诉电话客服投诉电话, 客服说", m, 8);
	CHECK(litindex_last(x, 4) == strlen("投诉电话客服投诉电话, "));
	CHECK(litindex_last(x, 0) == strlen("投诉电话客服"));
	scan_ids(x, "标记骚扰标记为骚扰电话标记", m, 8);
	CHECK(m[1] && litindex_last(x, 1) == strlen("标记骚扰标记为骚扰电话"));
	CHECK(litindex_last(x, 0) == SIZE_MAX);
	scan_ids(x, "\xC5\xBFim卡丢了sim卡", m, 8); /* U+017F: s anywhere */
	CHECK(litindex_last(x, 2) == SIZE_MAX);
	litindex_free(x);
	x = litindex_new(); /* nothing to look for */
	scan_ids(x, "\xC5\xBFim", m, 8);
	CHECK(!m[0]);
	litindex_free(x);
}

/* Alternatives run alone: each top-level one is found in the pattern where
 * it is; they run apart only when none refers to or reaches into another;
 * after a scan, an alternative may match only when its strings were all
 * found (or the scan cannot tell). */
static void check_spans(const char *pattern, const char *const *want, size_t n)
{
	cpl_literals *l = literals_compile_folded(pattern);
	CHECK(literals_alternatives(l) == n);
	for (size_t a = 0; a < n && a < literals_alternatives(l); a++) {
		size_t off, len = literals_alternative_span(l, a, &off);
		if (len != strlen(want[a]) || memcmp(pattern + off, want[a], len)) {
			fprintf(stderr, "%s: alternative %zu is '%.*s', not '%s'\n", pattern, a, (int)len, pattern + off, want[a]);
			failures++;
		}
	}
	literals_free(l);
}

static int apart(const char *pattern)
{
	cpl_literals *l = literals_compile_folded(pattern);
	int a = literals_alternatives_apart(l);
	literals_free(l);
	return a;
}

static void test_alternatives_apart(void)
{
	static const char *const a1[] = {"(?:没有|未)收到", "(?<!为)不知情", "退[^订]{0,4}费"};
	check_spans("(?:没有|未)收到|(?<!为)不知情|退[^订]{0,4}费", a1, 3);
	static const char *const a2[] = {"a\\|b", "[|)]c"}; /* an escaped bar, a bar in a class */
	check_spans("a\\|b|[|)]c", a2, 2);
	CHECK(apart("(?:没有|未)收到|(?<!为)不知情|(?=信号)信号差|(?>投诉)电话|(有)线"));
	CHECK(!apart("(?:没有|未)收到"));                  /* one alternative */
	CHECK(!apart("(投诉)电话|再次\\1"));   /* a back reference */
	CHECK(!apart("(?<n>投诉)|\\k<n>"));
	CHECK(!apart("(?i)sim|卡"));         /* an option reaching on */
	CHECK(!apart("投诉|(?-i:SIM)卡"));
	CHECK(!apart("(*UCP)投诉|卡"));
	CHECK(!apart("(?|(a)|(b))\\1|c"));
	CHECK(!apart("\\Q(?i)\\E|c"));

	unsigned char m[4];
	cpl_litindex *x = litindex_new();
	litindex_add(x, 0, "(?:没有|未)收到|不知情|退.{0,4}费");
	litindex_add(x, 1, "投诉");
	scan_ids(x, "退订后还在扣费", m, 4);
	CHECK(m[0] && !litindex_alternative_found(x, 0, 0) && !litindex_alternative_found(x, 0, 1) &&
		litindex_alternative_found(x, 0, 2));
	scan_ids(x, "没有收到也不知情", m, 4);
	CHECK(litindex_alternative_found(x, 0, 0) && litindex_alternative_found(x, 0, 1) &&
		!litindex_alternative_found(x, 0, 2));
	scan_ids(x, "收到", m, 4); /* half of alternative 0 */
	CHECK(!m[0] && !litindex_alternative_found(x, 0, 0));
	CHECK(!litindex_alternative_found(x, 1, 0) && litindex_alternative_found(x, 1, 5) == -1); /* 5: cannot tell */
	litindex_free(x);
}

/* Dozens of strings on one pair are searched by the text's third character:
 * every string is still found exactly where it is, whatever its third
 * character (none, ASCII in either case, CJK, beyond the BMP), and also at
 * the end of the text. */
static void test_litindex_long_bucket(void)
{
	static const char *const lits[] = {"信号", "信号差", "信号不好", "信号不稳", "信号塔", "信号覆盖",
		"信号ab", "信号\xF0\xA0\x80\x80", "信号中断", "信号故障", "信号时有时无", "信号不",
		/* longer than 16 bytes, alike in their first and last 8: the middle decides */
		"信号不好差不好信号", "信号不好塔不好信号"};
	enum { N = sizeof lits / sizeof *lits };
	static const char *const pieces[] = {"信号", "差", "不好", "不稳", "塔", "覆盖", "AB", "ab", "\xF0\xA0\x80\x80",
		"中断", "故障", "时有时无", "时有", "不", "很", "号", "信"};
	enum { NP = sizeof pieces / sizeof *pieces };
	cpl_litindex *x = litindex_new();
	for (int i = 0; i < N; i++)
		litindex_add(x, i, lits[i]);
	unsigned char m[N];
	unsigned seed = 7;
	char text[256];
	/* the two long ones, whole, cut short by a character, and side by side */
	static const char *const fixed[] = {"信号不好差不好信号", "啊信号不好塔不好信号", "信号不好差不好信",
		"信号不好塔不好信号信号不好差不好信号很"};
	enum { NF = sizeof fixed / sizeof *fixed };
	for (int round = 0; round < NF + 4000; round++) {
		text[0] = 0;
		int parts = 1 + round % 6;
		for (int p = 0; p < parts && round >= NF; p++) {
			seed = seed * 1103515245u + 12345u;
			strcat(text, pieces[(seed >> 16) % NP]);
		}
		if (round < NF)
			strcpy(text, fixed[round]);
		scan_ids(x, text, m, N);
		for (int i = 0; i < N; i++) {
			int want = (i == 6 ? strcasestr(text, lits[i]) : strstr(text, lits[i])) != NULL;
			if ((m[i] != 0) != want) {
				fprintf(stderr, "text '%s', string '%s': found %d, want %d\n", text, lits[i], m[i], want);
				failures++;
			}
			/* no earlier than where the string last is */
			const char *at = NULL;
			for (const char *p = text; (p = i == 6 ? strcasestr(p, lits[i]) : strstr(p, lits[i])); p++)
				at = p;
			if (at && litindex_last(x, i) < (size_t)(at - text)) {
				fprintf(stderr, "text '%s', string '%s': last at %zu, said %zu\n", text, lits[i],
					(size_t)(at - text), litindex_last(x, i));
				failures++;
			}
		}
	}
	litindex_free(x);
}

/* A rule run where its literals say (from before the first, starting no
 * later than the last) finds what the rule run over the whole text finds,
 * at the same place; with no place wanted (sure, or its alternatives run
 * alone) it says the same yes or no: the default rules over texts made of
 * their own examples, repeated and cut, with other words between. */
/* pf->list: the patterns whose maybe is set, ascending, whatever order
 * their words come up in: a few (sorted in place), many (read back from
 * maybe) and with the long s (letter patterns added). */
static const char *const list_pats[] = {
	"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸", "子", "丑", "寅", "卯", "辰", "巳",
	"午", "未", "申", "酉", "戌", "亥", "金", "木", "水", "火", "土", "日", "月", "星", "风", "云",
	"雷", "雨", "sim", "\\d+", "山", "川", "江", "河",
};
enum { NLIST_PATS = sizeof list_pats / sizeof *list_pats };

static void list_item(const void *table, size_t i, int *field, const char **pattern)
{
	(void)table;
	*field = (int)(i % 2); /* two fields */
	*pattern = list_pats[i];
}

static void check_list(cpl_prefilter *pf, const char *a, const char *b, size_t want)
{
	const char *norms[2] = {a, b};
	size_t lens[2] = {strlen(a), strlen(b)};
	prefilter_scan(pf, 2, NLIST_PATS, list_item, NULL, norms, lens);
	size_t n = 0;
	for (size_t i = 0; i < NLIST_PATS; i++)
		if (pf->maybe[i]) {
			CHECK(n < pf->nlist && pf->list[n] == (int)i);
			n++;
		}
	CHECK(n == pf->nlist);
	CHECK(n == want);
}

static void test_prefilter_list(void)
{
	cpl_prefilter pf = {0};
	/* field 0 reads the even ids, field 1 the odd; \d+ (35) always runs
	 * on a field 1 that is not empty */
	check_list(&pf, "河水甲", "", 2); /* 河 is field 1's */
	check_list(&pf, "江甲丙", "河乙", 6);
	check_list(&pf, "江辰甲丙戊庚壬子寅辰午申戌金水土月风雷sim山江",
		"河川雨云星日火木亥酉未巳卯丑癸辛己丁乙", NLIST_PATS);
	check_list(&pf, "\xC5\xBFim甲", "乙", 4);
	prefilter_drop(&pf);
}

static void test_prefilter_bounds(void)
{
	static const char *const req[] = {"id", "pattern", NULL};
	cpl_table *t = table_load(NULL, "categories.csv", req);
	cpl_rules *rs = rules_load(NULL);
	char **ex = NULL;
	size_t nex = 0;
	for (size_t row = 0; row < t->nrows; row++) {
		const char *list = table_get(t, row, "must_match"), *p;
		size_t n;
		while (example_next(&list, &p, &n)) {
			ex = xrealloc(ex, (nex + 1) * sizeof *ex);
			ex[nex++] = xstrndup(p, n);
		}
	}
	CHECK(nex > 200);
	static const char *const filler[] = {"", "客户来电", "，", "被", "没有", "不", "开通", "了", "业务",
		"说", "流量包", "费用", "我", "。"};
	enum { NFILL = sizeof filler / sizeof *filler };
	cpl_norm norm = {0};
	cpl_buf text = {0};
	cpl_prefilter pf = {0};
	unsigned seed = 11;
	long runs = 0, matched = 0;
	for (int round = 0; round < 3000; round++) {
		buf_clear(&text);
		int parts = 1 + round % 5;
		for (int k = 0; k < parts; k++) {
			seed = seed * 1103515245u + 12345u;
			const char *e = ex[(seed >> 8) % nex];
			size_t len = strlen(e);
			if ((seed >> 4) % 3 == 0 && len > 6) { /* a piece of it, cut at a character */
				len = len / 2;
				while (len > 0 && ((unsigned char)e[len] & 0xC0) == 0x80)
					len--;
			}
			buf_add(&text, e, len);
			buf_adds(&text, filler[(seed >> 20) % NFILL]);
		}
		const char *s = text_normalize(&norm, text.s ? text.s : "", text.len, 0);
		size_t len = strlen(s);
		const char *norms[8] = {s};
		size_t lens[8] = {len};
		CHECK(rs->nfields <= 8);
		cpl_verdict vd = {0};
		prefilter_scan(&pf, rs->nfields, rs->n, rule_item, rs, norms, lens);
		rules_match(rs, &pf, 0, norms, lens, 1, &vd);
		verdict_free(&vd);
		for (size_t i = 0; i < rs->n; i++) {
			if (!pf.maybe[i] || rs->r[i].field != 0)
				continue;
			size_t ms = 0, me = 0, ws = 0, we = 0;
			int got = prefilter_match(&pf, i, rs->r[i].re, s, len, 1, &ms, &me);
			int want = regex_match(rs->r[i].re, s, len, 0, &ws, &we);
			size_t ys, ye; /* no place wanted: sure, or its alternatives alone */
			int yes = prefilter_match(&pf, i, rs->r[i].re, s, len, 0, &ys, &ye);
			runs++;
			matched += want == 1;
			if (yes != want) {
				fprintf(stderr, "rule %s on '%s': %d with no place wanted, over the whole text %d\n",
					rs->r[i].id, s, yes, want);
				failures++;
			}
			if (got != want || (want == 1 && (ms != ws || me != we))) {
				fprintf(stderr, "rule %s on '%s': %d at %zu-%zu, over the whole text %d at %zu-%zu\n",
					rs->r[i].id, s, got, ms, me, want, ws, we);
				failures++;
			}
		}
	}
	CHECK(runs > 5000 && matched > 1000 && matched < runs); /* both ways, many times */
	norm_free(&norm);
	buf_free(&text);
	prefilter_drop(&pf);
	for (size_t i = 0; i < nex; i++)
		free(ex[i]);
	free(ex);
	rules_free(rs);
	table_free(t);
}

/* Messages diverted from stderr (the record layer's reading thread): each
 * arrives as the line stderr would have had, without its newline, with the
 * status of a fatal one or -1; after cpl_divert_messages(NULL), stderr
 * again. */
static char said_line[8192];
static size_t said_len;
static int said_status, said_count;
static void catch_say(int status, const char *line, size_t len)
{
	CHECK(len < sizeof said_line && strlen(line) == len);
	said_len = len < sizeof said_line ? len : sizeof said_line - 1;
	memcpy(said_line, line, said_len);
	said_line[said_len] = 0;
	said_status = status;
	said_count++;
}

static void test_divert(void)
{
	cpl_divert_messages(catch_say);
	cpl_warn_at("a.csv", 12, "field %d: %s", 3, "bad");
	CHECK_STR(said_line, "test-unit: a.csv:12: field 3: bad");
	CHECK(said_status == -1);
	cpl_warn_at("b.csv", 0, "empty");
	CHECK_STR(said_line, "test-unit: b.csv: empty");
	errno = ENOENT;
	cpl_warn("cannot open '%s':", "x.csv");
	CHECK_STR(said_line, "test-unit: cannot open 'x.csv': No such file or directory");
	/* a message longer than the line's room is cut, not overrun */
	static char big[6000];
	memset(big, 'x', sizeof big - 1);
	cpl_warn_at("c.csv", 7, "%s:", big);
	CHECK(said_len == 4095 && !strncmp(said_line, "test-unit: c.csv:7: xxx", 23));
	CHECK(said_line[4094] == 'x');
	said_count = 0;
	cpl_divert_messages(NULL);
	cpl_warn("a warning on stderr, as the test expects");
	CHECK(said_count == 0);
}

static const struct { const char *name; void (*fn)(void); } tests[] = {
	{"time_shapes", test_time_shapes},
	{"time_impossible", test_time_impossible},
	{"time_zones", test_time_zones},
	{"durations", test_durations},
	{"normalize", test_normalize},
	{"normalize_reference", test_normalize_reference},
	{"utf8", test_utf8},
	{"fast_paths", test_fast_paths},
	{"regex_limit", test_regex_limit},
	{"columns", test_columns},
	{"table_embedded", test_table_embedded},
	{"extsort", test_extsort},
	{"hmap", test_hmap},
	{"literals_sure", test_literals_sure},
	{"literals_escapes", test_literals_escapes},
	{"litindex", test_litindex},
	{"alternatives_apart", test_alternatives_apart},
	{"litindex_long_bucket", test_litindex_long_bucket},
	{"prefilter_bounds", test_prefilter_bounds},
	{"prefilter_list", test_prefilter_list},
	{"divert", test_divert},
};

int main(int argc, char **argv)
{
	cpl_set_prog("test-unit");
	for (size_t i = 0; i < sizeof tests / sizeof *tests; i++) {
		if (argc > 1 && strcmp(argv[1], tests[i].name))
			continue;
		if (argc == 1)
			printf("%s\n", tests[i].name);
		else
			tests[i].fn();
	}
	return failures ? 1 : 0;
}
