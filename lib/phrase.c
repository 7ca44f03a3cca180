/* phrase.c: the service-script rules of cplphrase (禁言, the better phrase to
 * use instead, the elements a good reply needs, and the ones that must come
 * together), loaded from tables; the check of one normalised reply, and its
 * weighted score. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cpl.h"

static const char *const kind_names[PHRASE_NKINDS] = {
	[PHRASE_FORBIDDEN] = "forbidden",
	[PHRASE_SUBSTITUTION] = "substitution",
	[PHRASE_REQUIRED] = "required",
	[PHRASE_CONDITIONAL] = "conditional",
	[PHRASE_LETTER] = "letter",
};

/* What a finding of each kind costs, or what an element earns, unless the
 * table says otherwise. */
static const double default_weight[PHRASE_NKINDS] = {20, 5, 5, 3, 7};

const char *phrase_kind_name(int kind)
{
	return kind >= 0 && kind < PHRASE_NKINDS ? kind_names[kind] : "?";
}

static int kind_from_name(const char *s)
{
	for (int k = 0; k < PHRASE_NKINDS; k++)
		if (!strcmp(s, kind_names[k]))
			return k;
	return -1;
}

static int parse_enabled(const cpl_table *t, size_t row)
{
	const char *v = table_get(t, row, "enabled");
	if (!*v || !strcmp(v, "1") || !strcmp(v, "yes") || !strcmp(v, "true"))
		return 1;
	if (!strcmp(v, "0") || !strcmp(v, "no") || !strcmp(v, "false"))
		return 0;
	table_die(t, row, "enabled: expected 1 or 0 (yes/no), got '%s'", v);
}

static int parse_scope(const cpl_table *t, size_t row)
{
	const char *v = table_get(t, row, "scope");
	if (!*v || !strcmp(v, "all"))
		return 0;
	int sign = 0;
	if (!strncmp(v, "first:", 6))
		sign = 1;
	else if (!strncmp(v, "last:", 5))
		sign = -1;
	char *e;
	long n = sign ? strtol(v + (sign > 0 ? 6 : 5), &e, 10) : 0;
	if (!sign || *e || n < 1 || n > 1000)
		table_die(t, row, "scope: expected all, first:N or last:N (sentences), got '%s'", v);
	return sign * (int)n;
}

/* Does the rule fire on this (normalised) text, scope aside?  For the
 * examples: the pattern matches and its 'unless' does not. */
static int fires(const phrase_rule *r, const char *t, size_t len)
{
	int got = regex_match(r->re, t, len, 0, NULL, NULL);
	if (got == 1 && r->unless)
		got = regex_match(r->unless, t, len, 0, NULL, NULL) == 1 ? 0 : 1;
	return got;
}

/* Examples ("a | b") as the matcher sees them: each normalised like a
 * reply, so that 这 不是 我们的事 is checked as it would be matched. */
static char *examples_as_matched(const char *ex)
{
	cpl_buf out = {0};
	cpl_norm norm = {0};
	const char *list = ex, *p;
	size_t n;
	while (example_next(&list, &p, &n)) {
		if (out.len)
			buf_adds(&out, " | ");
		if (memchr(p, ' ', n))
			buf_adds(&out, phrase_prepare(&norm, p, n, 0));
		else
			buf_add(&out, p, n); /* as written, for the message if it fails */
	}
	norm_free(&norm);
	return out.s ? out.s : xstrdup("");
}

static void check_rule_examples(const phrase_rule *r, const cpl_table *t, size_t row)
{
	const char *must = table_get(t, row, "must_match");
	const char *must_not = table_get(t, row, "must_not_match");
	if (!r->unless) {
		char *m = examples_as_matched(must), *mn = examples_as_matched(must_not);
		regex_check_examples(r->re, m, mn, t->name, t->lines[row], r->id);
		free(m);
		free(mn);
		return;
	}
	/* with an exception the examples say when the rule as a whole fires */
	cpl_norm norm = {0};
	for (int want = 1; want >= 0; want--) {
		const char *list = want ? must : must_not, *p;
		size_t n;
		while (example_next(&list, &p, &n)) {
			const char *s = phrase_prepare(&norm, p, n, 0);
			if (*s && fires(r, s, strlen(s)) != want)
				table_die(t, row, "rule '%s' %s its example '%.*s'", r->id,
					want ? "does not match" : "matches", (int)n, p);
		}
	}
	norm_free(&norm);
}

/* The literals read from a pattern must be in every text it matches: a
 * must-match example without them means the reading was wrong, and the
 * rule then runs on every text. */
static void check_literals(phrase_rule *r, const char *must)
{
	if (!r->needs)
		return;
	cpl_norm norm = {0};
	const char *list = must, *p;
	size_t n;
	while (r->needs && example_next(&list, &p, &n)) {
		const char *s = phrase_prepare(&norm, p, n, 0);
		size_t len = norm.out.len;
		if (regex_match(r->re, s, len, 0, NULL, NULL) == 1 && !literals_may_match(r->needs, s, len)) {
			literals_free(r->needs);
			r->needs = NULL;
		}
	}
	norm_free(&norm);
}

/* One row of a rule table.  kind < 0: read from the 'kind' column. */
void phrase_rule_parse(phrase_rule *r, const cpl_table *t, size_t row, int kind)
{
	memset(r, 0, sizeof *r);
	const char *id = table_get(t, row, "id");
	if (!*id)
		table_die(t, row, "a rule needs an id");
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || *p == '.'))
			table_die(t, row, "rule id '%s': use lowercase ASCII letters, digits, '_', '-' and '.'", id);
	if (kind < 0) {
		const char *k = table_get(t, row, "kind");
		kind = kind_from_name(k);
		if (kind < 0 || kind == PHRASE_LETTER)
			table_die(t, row, "rule '%s': kind must be forbidden, substitution, required or conditional, not '%s'", id, k);
	}
	r->id = xstrdup(id);
	r->kind = kind;
	r->file = t->name;
	r->line = t->lines[row];
	r->enabled = parse_enabled(t, row);
	r->scope = parse_scope(t, row);
	const char *lv = table_get(t, row, "level");
	if (!*lv)
		r->level = kind == PHRASE_FORBIDDEN ? PHRASE_ERROR : PHRASE_WARNING;
	else if (!strcmp(lv, "error"))
		r->level = PHRASE_ERROR;
	else if (!strcmp(lv, "warning"))
		r->level = PHRASE_WARNING;
	else
		table_die(t, row, "rule '%s': level must be error or warning, not '%s'", id, lv);
	if (r->level == PHRASE_ERROR && kind != PHRASE_FORBIDDEN && kind != PHRASE_SUBSTITUTION)
		table_die(t, row, "rule '%s': a %s element is never error level: a short but polite reply has no errors",
			id, kind_names[kind]);
	const char *w = table_get(t, row, "weight");
	if (!*w) {
		r->weight = default_weight[kind];
	} else {
		char *e;
		r->weight = strtod(w, &e);
		if (e == w || *e || !(r->weight >= 0 && r->weight <= 100))
			table_die(t, row, "rule '%s': weight must be a number from 0 to 100, got '%s'", id, w);
	}
	r->message = xstrdup(table_get(t, row, "message"));
	r->suggestion = xstrdup(table_get(t, row, "suggestion"));
	const char *pat = table_get(t, row, "pattern");
	if (!*pat)
		table_die(t, row, "rule '%s' has no pattern", id);
	r->re = regex_compile(pat, t->name, t->lines[row]);
	if (regex_match(r->re, "", 0, 0, NULL, NULL) == 1)
		table_die(t, row, "rule '%s': the pattern matches the empty text, so it would fire everywhere", id);
	/* CPL_PHRASE_NO_PREFILTER: run every pattern on every text (to compare) */
	if (!getenv("CPL_PHRASE_NO_PREFILTER"))
		r->needs = literals_compile(pat);
	const char *unless = table_get(t, row, "unless");
	if (*unless) {
		if (kind == PHRASE_REQUIRED || kind == PHRASE_LETTER)
			table_die(t, row, "rule '%s': a %s rule takes no 'unless' (add the wording to its pattern)", id, kind_names[kind]);
		r->unless = regex_compile(unless, t->name, t->lines[row]);
	} else if (kind == PHRASE_CONDITIONAL) {
		table_die(t, row, "rule '%s': a conditional rule needs 'unless', what must come with the pattern", id);
	}
	check_rule_examples(r, t, row);
	check_literals(r, table_get(t, row, "must_match"));
}

static const char *const rule_cols[] = {"id", "kind", "pattern", NULL};

static phrase_rule *find_rule(phrase_set *s, const char *id)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->rules[i].id, id))
			return &s->rules[i];
	return NULL;
}

static phrase_rule *append_rule(phrase_set *s)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->rules = xrealloc(s->rules, s->cap * sizeof *s->rules);
	}
	return &s->rules[s->n++];
}

static void free_rule(phrase_rule *r)
{
	free(r->id);
	free(r->message);
	free(r->suggestion);
	regex_free(r->re);
	regex_free(r->unless);
	literals_free(r->needs);
}

/* Rows of an extension table replace the rule of the same id in place; a row
 * with only an id and enabled=0 switches a rule off. */
static void add_table(phrase_set *s, cpl_table *t, int extend)
{
	for (size_t row = 0; row < t->nrows; row++) {
		const char *id = table_get(t, row, "id");
		phrase_rule *old = *id ? find_rule(s, id) : NULL;
		if (old && !extend)
			table_die(t, row, "rule '%s' appears twice (first at line %ld)", id, old->line);
		if (old && !*table_get(t, row, "pattern") && !*table_get(t, row, "kind")) {
			old->enabled = parse_enabled(t, row);
			continue;
		}
		phrase_rule r;
		phrase_rule_parse(&r, t, row, -1);
		if (old) {
			free_rule(old);
			*old = r;
		} else {
			*append_rule(s) = r;
		}
	}
}

phrase_set *phrase_load(const char *path)
{
	phrase_set *s = xcalloc(1, sizeof *s);
	cpl_table *t = table_load(path, "phrases.csv", rule_cols);
	add_table(s, t, 0);
	s->tables = xrealloc(s->tables, (s->ntables + 1) * sizeof *s->tables);
	s->tables[s->ntables++] = t; /* rules point at its name */
	phrase_weights(s, NULL);
	return s;
}

void phrase_extend(phrase_set *s, const char *path)
{
	static const char *const need[] = {"id", NULL};
	cpl_table *t = table_load(path, NULL, need);
	add_table(s, t, 1);
	s->tables = xrealloc(s->tables, (s->ntables + 1) * sizeof *s->tables);
	s->tables[s->ntables++] = t;
}

void phrase_weights(phrase_set *s, const char *path)
{
	static const char *const need[] = {"kind", "points", NULL};
	cpl_table *t = table_load(path, "phrase-score.csv", need);
	for (int k = 0; k < PHRASE_NKINDS; k++)
		s->budget[k] = 0;
	for (size_t row = 0; row < t->nrows; row++) {
		const char *k = table_get(t, row, "kind");
		int kind = kind_from_name(k);
		if (kind != PHRASE_FORBIDDEN && kind != PHRASE_SUBSTITUTION)
			table_die(t, row, "kind must be forbidden or substitution (the other kinds earn their rules' weights), not '%s'", k);
		const char *v = table_get(t, row, "points");
		char *e;
		double p = strtod(v, &e);
		if (e == v || *e || !(p >= 0 && p <= 100))
			table_die(t, row, "points must be a number from 0 to 100, got '%s'", v);
		s->budget[kind] = p;
	}
	table_free(t);
}

int phrase_disable(phrase_set *s, const char *name)
{
	int n = 0, kind = kind_from_name(name);
	for (size_t i = 0; i < s->n; i++)
		if (s->rules[i].kind == kind || !strcmp(s->rules[i].id, name)) {
			s->rules[i].enabled = 0;
			n++;
		}
	return n;
}

void phrase_enable_kind(phrase_set *s, int kind, int on)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->rules[i].kind == kind)
			s->rules[i].enabled = on;
}

static void lit_forget(const phrase_set *s);

void phrase_set_free(phrase_set *s)
{
	if (!s)
		return;
	lit_forget(s);
	for (size_t i = 0; i < s->n; i++)
		free_rule(&s->rules[i]);
	for (size_t i = 0; i < s->ntables; i++)
		table_free(s->tables[i]);
	free(s->tables);
	free(s->rules);
	free(s);
}

static size_t char_len(const unsigned char *p, const unsigned char *end)
{
	uint32_t cp;
	return (size_t)utf8_next(p, end, &cp);
}

/* Is the character before byte i (or at i) wide (CJK, its punctuation) or
 * punctuation, rather than a letter or digit?  -1 when there is none. */
static int wide_at(const char *s, size_t len, size_t i)
{
	if (i >= len)
		return -1;
	unsigned char c = (unsigned char)s[i];
	if (c < 0x80)
		return !((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) ? 0 : -2;
	uint32_t cp;
	utf8_decode((const unsigned char *)s + i, len - i, &cp);
	return cp >= 0x2E80 ? 1 : 0;
}

static int wide_before(const char *s, size_t i)
{
	if (i == 0)
		return -1;
	size_t j = i - 1;
	while (j > 0 && ((unsigned char)s[j] & 0xC0) == 0x80)
		j--;
	return wide_at(s, i, j);
}

/* Spaces between Chinese characters (or between one and punctuation) carry
 * no meaning in Chinese: 这 不是 我们的事 is 这不是我们的事.  Letters and
 * digits keep their spaces (工号 1024). */
static void drop_wide_spaces(cpl_buf *o, int *pos)
{
	size_t w = 0;
	for (size_t i = 0; i < o->len; i++) {
		if (o->s[i] == ' ') {
			int a = wide_before(o->s, i), b = wide_at(o->s, o->len, i + 1);
			if (a >= 0 && b >= 0 && (a || b))
				continue;
		}
		o->s[w] = o->s[i];
		if (pos)
			pos[w] = pos[i];
		w++;
	}
	if (pos)
		pos[w] = pos[o->len];
	o->len = w;
	o->s[w] = 0;
}

const char *phrase_prepare(cpl_norm *n, const char *s, size_t len, int want_pos)
{
	const char *nl = memchr(s, '\n', len);
	text_normalize(n, s, len, want_pos || nl);
	if (nl) {
		/* A line break is a sentence boundary: the space it folded into
		 * becomes '\n' again (still whitespace to the patterns). */
		const unsigned char *p = (const unsigned char *)s, *end = p + len;
		int ci = 0;
		char *o = n->out.s;
		for (size_t i = 0; i < n->out.len; i++) {
			if (o[i] != ' ')
				continue;
			int from = n->pos[i], to = n->pos[i + 1];
			for (; ci < from && p < end; ci++)
				p += char_len(p, end);
			for (; ci < to && p < end; ci++) {
				if (*p == '\n')
					o[i] = '\n';
				p += char_len(p, end);
			}
		}
	}
	if (memchr(n->out.s, ' ', n->out.len))
		drop_wide_spaces(&n->out, want_pos || nl ? n->pos : NULL);
	return n->out.s;
}

/* The bytes a sentence's end can start with (。 is E3 80 82, … E2 80 A6),
 * and NUL, which ends the text. */
static const unsigned char may_end[256] = {
	['!'] = 1, ['?'] = 1, [';'] = 1, ['\n'] = 1, ['.'] = 1, [0xE2] = 1, [0xE3] = 1, [0] = 1,
};

/* Sentence starts: after a run of 。！？；… or a line break (and the closing
 * quotes and spaces that follow it).  t is NUL-terminated (phrase_prepare's
 * text), so the skipping loop needs no length test. */
static void split_sentences(phrase_result *res, const char *t, size_t len)
{
	res->nsent = 0;
	const unsigned char *u = (const unsigned char *)t, *end = u + len;
	size_t i = 0;
	while (i < len) {
		if (res->nsent == res->sentcap) {
			res->sentcap = res->sentcap ? res->sentcap * 2 : 16;
			res->sent = xrealloc(res->sent, res->sentcap * sizeof *res->sent);
		}
		res->sent[res->nsent++] = i;
		int ended = 0;
		while (i < len) {
			/* inside a sentence only a terminator matters: skip the bytes
			 * that cannot start one (a NUL within the text stops it too,
			 * and is read as the character it is) */
			if (!ended) {
				while (!may_end[u[i]])
					i++;
				if (i >= len)
					break;
			}
			uint32_t cp;
			size_t k = (size_t)utf8_next(u + i, end, &cp);
			int term = cp == '!' || cp == '?' || cp == ';' || cp == '\n' || cp == 0x3002 || cp == 0x2026 ||
				(cp == '.' && !(i + 1 < len && ((t[i + 1] >= '0' && t[i + 1] <= '9') || (t[i + 1] | 0x20) >= 'a')));
			int tail = cp == ' ' || cp == '"' || cp == '\'' || cp == ')' ||
				cp == 0x201D || cp == 0x2019 || cp == 0x300D || cp == 0x300F;
			if (term)
				ended = 1;
			else if (ended && !tail)
				break;
			i += k;
		}
	}
}

/* The bytes of the text a rule of this scope looks at. */
static void scope_range(const phrase_result *res, int scope, size_t len, size_t *from, size_t *to)
{
	*from = 0;
	*to = len;
	if (scope > 0 && (size_t)scope < res->nsent)
		*to = res->sent[scope];
	else if (scope < 0 && (size_t)-scope < res->nsent)
		*from = res->sent[res->nsent - (size_t)-scope];
}

void phrase_add_finding(phrase_result *res, const phrase_rule *rule, size_t start, size_t end, int missing)
{
	if (res->n == res->cap) {
		res->cap = res->cap ? res->cap * 2 : 16;
		res->f = xrealloc(res->f, res->cap * sizeof *res->f);
	}
	size_t seq = res->n;
	res->f[res->n++] = (phrase_finding){rule, start, end, missing, seq, 0};
}

/* Does s..e overlap a forbidden or substitution finding made before?  The
 * bytes of those are marked, so a reply of thousands of findings costs
 * their length, not their count squared. */
static int overlaps_said(const phrase_result *res, size_t s, size_t e)
{
	for (size_t i = s; i < e; i++)
		if (res->said[i])
			return 1;
	return 0;
}

static int by_position(const void *a, const void *b)
{
	const phrase_finding *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* By position: a reply has a few findings, nearly in order already, and
 * qsort costs more than the whole sort here.  by_position is a total order
 * (seq breaks ties), so any sort gives the same order. */
static void sort_findings(phrase_finding *f, size_t n)
{
	if (n > 32) {
		qsort(f, n, sizeof *f, by_position);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		phrase_finding x = f[i];
		size_t j = i;
		for (; j > 0 && by_position(&f[j - 1], &x) > 0; j--)
			f[j] = f[j - 1];
		f[j] = x;
	}
}

/* 1 found, 0 not, -1 match limit (noted in res). */
static int search(phrase_result *res, const phrase_rule *r, const cpl_regex *re, const char *t,
	size_t from, size_t to, size_t *ms, size_t *me)
{
	int got = regex_match(re, t, to, from, ms, me);
	if (got < 0 && !res->limit_hit)
		res->limit_hit = r;
	return got;
}

/* Which rules can match a text at all, from one scan for the literals
 * their patterns need (litindex.c); built at the first check of a set (a
 * process checks with one set).  A rule whose literals missed one of its
 * own examples (see check_literals) always runs. */
static struct {
	const phrase_set *set;
	size_t nrules;
	cpl_litindex *ix;
	unsigned char *may;
	unsigned char *may0; /* what may is before a scan: 1 for the rules that always run */
	size_t *at; /* where each rule's first literal is (read only where may is 1) */
	int *same_as; /* per rule: a rule whose pattern is its 'unless', or -1 */
	signed char *found; /* per rule, this text: its pattern matches anywhere (1, 0), or -1 not known */
	int *sure; /* per required rule: the id of its plain words (sure_pattern), or -1 */
	size_t *sure_len; /* and the longest of them, in bytes */
	size_t nids; /* rules and then the ids of words */
} lit;

#define NOWHERE ((size_t)-1)

static void lit_forget(const phrase_set *s)
{
	if (lit.set != s)
		return;
	litindex_free(lit.ix);
	free(lit.may);
	free(lit.may0);
	free(lit.at);
	free(lit.same_as);
	free(lit.found);
	free(lit.sure);
	free(lit.sure_len);
	memset(&lit, 0, sizeof lit);
}

/* A required element is nearly always there, and a regex call to find it
 * costs more than the scan for all the rules' literals.  So the words of
 * its sure alternatives (literals_alternative_sure: 抱歉, (你|您|妳)好,
 * 满意(吗|么|不)) go into the index as one more id: a text holding one of
 * them, whole within the rule's scope, holds a match and needs no regex. */

/* A set of a few strings, built when the rules are indexed. */
#define MAXWORDS 64

typedef struct words {
	size_t n;
	char *s[MAXWORDS];
} words;

static void words_free(words *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->s[i]);
	w->n = 0;
}

static int words_add(words *w, const char *s, size_t len)
{
	for (size_t i = 0; i < w->n; i++)
		if (strlen(w->s[i]) == len && !memcmp(w->s[i], s, len))
			return 1;
	if (w->n == MAXWORDS)
		return 0;
	w->s[w->n++] = xstrndup(s, len);
	return 1;
}

/* A word starting with a character replies are full of (literals_common)
 * is tried at nearly every place one is: dearer than the regex it saves. */
static int starts_common(const char *w)
{
	uint32_t cp;
	utf8_decode((const unsigned char *)w, strlen(w), &cp);
	return literals_common(cp);
}

/* The words of the sure top-level alternatives of a pattern, as a
 * pattern for the index ("" when none).  A word of one character is left
 * out (the index files it apart and it says little), and so is one that
 * starts with a common character (您看这样可以吗): the index would try it
 * at every 您 of every reply, which costs more than the regex it saves. */
static void sure_pattern(cpl_buf *out, const char *pattern, size_t *maxlen)
{
	buf_clear(out);
	*maxlen = 0;
	words w = {0};
	cpl_literals *l = literals_compile_folded(pattern);
	for (size_t a = 0; a < literals_alternatives(l); a++) {
		if (!literals_alternative_sure(l, a))
			continue;
		const char *const *s;
		size_t n = literals_clause(l, a, 0, &s);
		for (size_t i = 0; i < n; i++)
			if (utf8_chars(s[i], strlen(s[i])) > 1 && !starts_common(s[i]))
				words_add(&w, s[i], strlen(s[i]));
	}
	literals_free(l);
	for (size_t i = 0; i < w.n; i++) {
		buf_adds(out, i ? "|" : "(?:");
		for (const char *c = w.s[i]; *c; c++) {
			if ((unsigned char)*c < 0x80 && !isalnum((unsigned char)*c))
				buf_addc(out, '\\'); /* a word, not a pattern: \. is a dot */
			buf_addc(out, *c);
		}
		if (strlen(w.s[i]) > *maxlen)
			*maxlen = strlen(w.s[i]);
	}
	if (w.n)
		buf_addc(out, ')');
	words_free(&w);
	buf_str(out);
}

static void lit_scan(const phrase_set *s, const char *t, size_t len)
{
	if (lit.set != s || lit.nrules != s->n) {
		lit_forget(lit.set);
		lit.set = s;
		lit.nrules = s->n;
		lit.ix = litindex_new();
		/* ids: the rules, then at most one of words per rule */
		lit.may = xcalloc(2 * s->n + 1, 1);
		lit.may0 = xcalloc(2 * s->n + 1, 1);
		lit.at = xcalloc(2 * s->n + 1, sizeof *lit.at);
		lit.same_as = xcalloc(s->n + 1, sizeof *lit.same_as);
		lit.found = xcalloc(s->n + 1, 1);
		lit.sure = xcalloc(s->n + 1, sizeof *lit.sure);
		lit.sure_len = xcalloc(s->n + 1, sizeof *lit.sure_len);
		/* apology_time's 'unless' is time_commitment's pattern: one search */
		for (size_t i = 0; i < s->n; i++) {
			lit.same_as[i] = -1;
			for (size_t j = 0; s->rules[i].unless && j < s->n && lit.same_as[i] < 0; j++)
				if (j != i && !strcmp(regex_pattern(s->rules[i].unless), regex_pattern(s->rules[j].re)))
					lit.same_as[i] = (int)j;
		}
		cpl_buf pat = {0};
		for (size_t i = 0; i < s->n; i++)
			if (s->rules[i].needs)
				litindex_add(lit.ix, (int)i, regex_pattern(s->rules[i].re));
		lit.nids = s->n;
		for (size_t i = 0; i < s->n; i++) {
			lit.sure[i] = -1;
			/* not with CPL_PHRASE_NO_PREFILTER (needs is NULL): then
			 * every pattern runs, as it says */
			if (s->rules[i].kind != PHRASE_REQUIRED || !s->rules[i].needs)
				continue;
			sure_pattern(&pat, regex_pattern(s->rules[i].re), &lit.sure_len[i]);
			if (pat.len) {
				lit.sure[i] = (int)lit.nids++;
				litindex_add(lit.ix, lit.sure[i], pat.s);
			}
		}
		buf_free(&pat);
		/* the scan sets at[] of the ids it finds; of the others only
		 * those that always run are read, and for them at stays this */
		for (size_t i = 0; i < lit.nids; i++) {
			lit.may0[i] = i < s->n && s->rules[i].needs == NULL;
			lit.at[i] = NOWHERE;
		}
	}
	memcpy(lit.may, lit.may0, lit.nids);
	memset(lit.found, -1, s->n);
	litindex_scan_at(lit.ix, t, len, lit.may, lit.at);
}

/* Is there a match in from..to at all (a required element: where does not
 * matter)?  A match holds one of the rule's literals, and nearly always
 * starts a little before the first of them: look from there first, which
 * skips the costly trying at every character before it; only when nothing
 * is found there, search the whole range. */
#define HINT_BACK 24 /* bytes: eight Chinese characters */

static int search_any(phrase_result *res, const phrase_rule *r, const char *t, size_t from, size_t to,
	size_t lit_at)
{
	size_t ms, me;
	if (lit_at != NOWHERE && lit_at > from + HINT_BACK && lit_at < to) {
		size_t st = lit_at - HINT_BACK;
		while (st > from && ((unsigned char)t[st] & 0xC0) == 0x80)
			st--;
		if (regex_match(r->re, t, to, st, &ms, &me) == 1)
			return 1;
	}
	return search(res, r, r->re, t, from, to, &ms, &me);
}

/* Does rule i's 'unless' match anywhere?  Known already when it is the
 * pattern of a rule checked on the whole text before. */
static int unless_matches(phrase_result *res, const phrase_rule *r, size_t i, const char *t, size_t len)
{
	int j = lit.same_as[i];
	if (j >= 0 && lit.found[j] >= 0)
		return lit.found[j];
	return search(res, r, r->unless, t, 0, len, NULL, NULL);
}

void phrase_check(const phrase_set *s, const char *t, size_t len, phrase_result *res)
{
	res->n = 0;
	res->errors = res->warnings = 0;
	res->limit_hit = NULL;
	if (res->saidcap < len + 1) {
		free(res->said);
		res->saidcap = len + 1;
		res->said = xmalloc(res->saidcap);
	}
	memset(res->said, 0, len + 1);
	split_sentences(res, t, len);
	lit_scan(s, t, len);
	double earned = 0, possible = 0, cost[PHRASE_NKINDS] = {0};
	int has_letter = 0;
	for (size_t i = 0; i < s->n; i++) {
		const phrase_rule *r = &s->rules[i];
		if (!r->enabled)
			continue;
		size_t from, to, ms, me;
		scope_range(res, r->scope, len, &from, &to);
		int may = lit.may[i];
		switch (r->kind) {
		case PHRASE_FORBIDDEN:
		case PHRASE_SUBSTITUTION: {
			int excused = -1; /* 'unless' looked up once, when first needed */
			size_t at = from;
			while (may && at <= to && search(res, r, r->re, t, at, to, &ms, &me) == 1) {
				if (me == ms) { /* an empty match: step over one character */
					at = ms + (ms < to ? char_len((const unsigned char *)t + ms, (const unsigned char *)t + len) : 1);
					continue;
				}
				at = me;
				if (excused < 0)
					excused = r->unless && unless_matches(res, r, i, t, len) == 1;
				if (excused)
					break;
				if (overlaps_said(res, ms, me))
					continue;
				memset(res->said + ms, 1, me - ms);
				phrase_add_finding(res, r, ms, me, 0);
				cost[r->kind] += r->weight;
			}
			break;
		}
		case PHRASE_REQUIRED: {
			possible += r->weight;
			int got, w = lit.sure[i];
			/* one of its words, whole within the scope: the first
			 * place of any of them is at[w] */
			if (w >= 0 && (lit.may[w] & LIT_SURE) && lit.at[w] != NOWHERE && lit.at[w] >= from &&
				lit.at[w] + lit.sure_len[i] <= to)
				got = 1;
			else
				got = may ? search_any(res, r, t, from, to, lit.at[i]) : 0;
			if (from == 0 && to == len)
				lit.found[i] = (signed char)(got < 0 ? -1 : got);
			if (got == 1)
				earned += r->weight;
			else
				phrase_add_finding(res, r, from, from, 1);
			break;
		}
		case PHRASE_CONDITIONAL:
			possible += r->weight;
			/* an 'unless' already known to match (apology_time's is
			 * time_commitment, found in most replies) settles the rule
			 * without looking for what triggers it */
			if (lit.same_as[i] >= 0 && lit.found[lit.same_as[i]] == 1)
				may = 0;
			if (may && search(res, r, r->re, t, from, to, &ms, &me) == 1 &&
				unless_matches(res, r, i, t, len) == 0)
				phrase_add_finding(res, r, ms, me, 0);
			else
				earned += r->weight;
			break;
		case PHRASE_LETTER:
			possible += r->weight;
			has_letter = 1;
			break;
		}
	}
	if (has_letter)
		earned += letter_check(s, t, len, res);
	for (int k = PHRASE_FORBIDDEN; k <= PHRASE_SUBSTITUTION; k++) {
		possible += s->budget[k];
		earned += cost[k] < s->budget[k] ? s->budget[k] - cost[k] : 0;
	}
	res->score = possible > 0 ? (int)lround(100 * earned / possible) : 100;
	sort_findings(res->f, res->n);
	for (size_t i = 0; i < res->n; i++) {
		if (res->f[i].rule->level == PHRASE_ERROR)
			res->errors++;
		else
			res->warnings++;
	}
}

void phrase_result_free(phrase_result *res)
{
	free(res->f);
	free(res->sent);
	free(res->said);
	memset(res, 0, sizeof *res);
}
