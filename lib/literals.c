/* literals.c: the literal strings a pattern's every match must contain
 * (one of them), found by reading the pattern, so that a rule whose strings
 * are all absent from a text is not run at all.  Most replies hold none of
 * the words of most rules, and a memmem is far cheaper than a regex scan.
 * Patterns it cannot read get no prefilter: they always run. */
#include <stdlib.h>
#include <string.h>
#include "cpl.h"

#define MAXSET 64 /* strings in a set before we stop multiplying */

typedef struct strset {
	char **s;
	size_t n;
} strset;

/* What a piece of pattern matches: exactly one of a few literal strings
 * (exact), and/or at least one of some strings somewhere (req). */
typedef struct info {
	int exact_ok;
	strset exact;
	int sure;     /* exact is all it takes: no assertion, option, atomic
	               * group or possessive quantifier decides beside it */
	int req_ok;
	strset req;
} info;

struct cpl_literals {
	strset any;
	/* literals_compile_folded: per top-level alternative, clauses that
	 * must all hold (cl[alt[a]] up to cl[alt[a + 1]]); nalt 0 if unread */
	strset *cl;
	size_t ncl, *alt, nalt;
	unsigned char *sure; /* per alternative: literals_alternative_sure */
	size_t *span;        /* per alternative: its offset and length in the pattern */
	int apart;           /* literals_alternatives_apart */
};

typedef struct parser {
	const char *p;
	int fail;
	int fold; /* ASCII letters are literals, in lowercase (literals_compile_folded) */
	int options;    /* an inline option ((?i), (?-i:...)) was read: it may
	                 * reach into later alternatives */
	int refs;       /* a back reference (\1, \g, \k) was read */
} parser;

static void set_add(strset *s, const char *str, size_t len)
{
	for (size_t i = 0; i < s->n; i++)
		if (strlen(s->s[i]) == len && !memcmp(s->s[i], str, len))
			return;
	s->s = xrealloc(s->s, (s->n + 1) * sizeof *s->s);
	s->s[s->n++] = xstrndup(str, len);
}

static void set_free(strset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->s[i]);
	free(s->s);
	s->s = NULL;
	s->n = 0;
}

static void set_union(strset *to, const strset *from)
{
	for (size_t i = 0; i < from->n; i++)
		set_add(to, from->s[i], strlen(from->s[i]));
}

static int set_has_empty(const strset *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (!s->s[i][0])
			return 1;
	return 0;
}

static void info_free(info *x)
{
	set_free(&x->exact);
	set_free(&x->req);
	x->exact_ok = x->req_ok = 0;
}

static info none(void) { return (info){0}; }

static info empty_exact(void)
{
	info x = {0};
	x.exact_ok = 1;
	set_add(&x.exact, "", 0);
	return x;
}

static info literal(const char *s, size_t len)
{
	info x = {0};
	x.exact_ok = x.req_ok = x.sure = 1;
	set_add(&x.exact, s, len);
	set_add(&x.req, s, len);
	return x;
}

/* The requirement of a piece: its own, or its exact strings when none can
 * be empty. */
static int req_of(const info *x, strset *out)
{
	if (x->req_ok) {
		set_union(out, &x->req);
		return 1;
	}
	if (x->exact_ok && !set_has_empty(&x->exact)) {
		set_union(out, &x->exact);
		return 1;
	}
	return 0;
}

/* A character every reply is full of (您 six times in an average one). */
int literals_common(uint32_t cp)
{
	static const char common[] = "的是不我们您你妳了在有这那个一为会可以要好就到说请给问题么吗很也和都对";
	static uint64_t is_common[0x10000 / 64]; /* BMP bit map of the above */
	static int ready;
	if (!ready) {
		const unsigned char *c = (const unsigned char *)common;
		for (; *c; c += 3) {
			uint32_t k;
			utf8_decode(c, 3, &k);
			is_common[k >> 6] |= 1ull << (k & 63);
		}
		ready = 1;
	}
	return cp < 0x10000 && is_common[cp >> 6] >> (cp & 63) & 1;
}

/* How rare a string is likely to be in a reply or a complaint: characters
 * every reply is full of (and ASCII) count 1, other characters 3. */
size_t literals_rarity(const char *str, size_t len)
{
	size_t r = 0;
	const unsigned char *p = (const unsigned char *)str, *end = p + len;
	while (p < end) {
		uint32_t cp;
		int k = *p < 0x80 ? (cp = *p, 1) : utf8_decode(p, (size_t)(end - p), &cp);
		r += cp < 0x80 || literals_common(cp) ? 1 : 3;
		p += k;
	}
	return r;
}

/* The same, capped at two rare characters: for choosing a clause's strings. */
static size_t rarity(const char *str)
{
	size_t r = literals_rarity(str, strlen(str));
	return r > 6 ? 6 : r;
}

static size_t min_rarity(const strset *s)
{
	size_t m = (size_t)-1;
	for (size_t i = 0; i < s->n; i++)
		if (rarity(s->s[i]) < m)
			m = rarity(s->s[i]);
	return s->n ? m : 0;
}

/* A string that contains another of the set adds nothing: drop it. */
static void minimize(strset *s)
{
	size_t w = 0;
	for (size_t i = 0; i < s->n; i++) {
		int redundant = 0;
		for (size_t j = 0; j < s->n && !redundant; j++)
			if (j != i && s->s[j] && strstr(s->s[i], s->s[j]) &&
				(strlen(s->s[j]) < strlen(s->s[i]) || j < i))
				redundant = 1;
		if (redundant) {
			free(s->s[i]);
			s->s[i] = NULL;
		} else {
			s->s[w++] = s->s[i];
		}
	}
	s->n = w;
}

/* Is a better than b as a requirement?  The rarer its commonest string
 * (up to two rare characters), then the fewer strings (fewer searches). */
static int better(const strset *a, const strset *b)
{
	size_t ra = min_rarity(a), rb = min_rarity(b);
	return ra != rb ? ra > rb : a->n < b->n;
}

static int cross(strset *out, const strset *a, const strset *b)
{
	if (a->n * b->n > MAXSET)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		for (size_t j = 0; j < b->n; j++) {
			size_t la = strlen(a->s[i]), lb = strlen(b->s[j]);
			char *t = xmalloc(la + lb + 1);
			memcpy(t, a->s[i], la);
			memcpy(t + la, b->s[j], lb);
			set_add(out, t, la + lb);
			free(t);
		}
	return 1;
}

static info parse_alt(parser *ps);

static void skip_braces(parser *ps)
{
	if (*ps->p == '{') {
		const char *e = strchr(ps->p, '}');
		if (!e) {
			ps->fail = 1;
			return;
		}
		ps->p = e + 1;
	} else if (*ps->p) {
		ps->p++;
	}
}

static info parse_escape(parser *ps)
{
	char c = *++ps->p; /* after the backslash */
	if (!c) {
		ps->fail = 1;
		return none();
	}
	ps->p++;
	if (strchr("bBAzZGKE", c))
		return empty_exact();
	if (c == 'Q') {
		ps->fail = 1;
		return none();
	}
	if (c == 'g' || c == 'k' || (c >= '1' && c <= '9'))
		ps->refs = 1; /* (\101, an octal escape, is taken for one too) */
	if (c == 'x' || c == 'o' || c == 'p' || c == 'P' || c == 'g' || c == 'k' || c == 'N') {
		if (c == 'x' && *ps->p != '{') { /* \xhh: two digits at most */
			for (int k = 0; k < 2 && *ps->p && strchr("0123456789abcdefABCDEF", *ps->p); k++)
				ps->p++;
			return none();
		}
		if (c == 'k' && (*ps->p == '<' || *ps->p == '\'')) {
			const char *e = strchr(ps->p, *ps->p == '<' ? '>' : '\'');
			if (!e)
				ps->fail = 1;
			else
				ps->p = e + 1;
			return none();
		}
		if (c == 'g' && *ps->p != '{') {
			while (*ps->p == '-' || *ps->p == '+' || (*ps->p >= '0' && *ps->p <= '9'))
				ps->p++;
			return none();
		}
		skip_braces(ps);
		return none();
	}
	if (c == 'c') {
		if (*ps->p)
			ps->p++;
		return none();
	}
	if (c >= '0' && c <= '9') {
		while (*ps->p >= '0' && *ps->p <= '9')
			ps->p++;
		return none();
	}
	if (((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
		return none(); /* \d \w \s \h \R \n \t ...: a class or a control character */
	if ((unsigned char)c < 0x80)
		return literal(&c, 1); /* \. \? \( \\ ... */
	/* an escaped non-ASCII character is itself */
	ps->p--;
	uint32_t cp;
	int k = utf8_decode((const unsigned char *)ps->p, strlen(ps->p), &cp);
	const char *at = ps->p;
	ps->p += k;
	return cp >= 0x2E80 ? literal(at, (size_t)k) : none();
}

static void skip_class(parser *ps)
{
	ps->p++; /* [ */
	if (*ps->p == '^')
		ps->p++;
	if (*ps->p == ']')
		ps->p++;
	while (*ps->p && *ps->p != ']') {
		if (*ps->p == '\\' && ps->p[1])
			ps->p += 2;
		else if (*ps->p == '[' && ps->p[1] == ':') {
			const char *e = strstr(ps->p, ":]");
			ps->p = e ? e + 2 : ps->p + 1;
		} else
			ps->p++;
	}
	if (*ps->p != ']')
		ps->fail = 1;
	else
		ps->p++;
}

static info parse_group(parser *ps)
{
	ps->p++; /* ( */
	int look = 0, atomic = 0;
	if (*ps->p == '?') {
		const char *q = ps->p + 1;
		if (*q == ':' || *q == '>' || *q == '|') {
			atomic = *q == '>'; /* (?>a|ab)c never matches abc */
			ps->p = q + 1;
		} else if (*q == '=' || *q == '!') {
			ps->p = q + 1;
			look = 1;
		} else if (*q == '<' && (q[1] == '=' || q[1] == '!')) {
			ps->p = q + 2;
			look = 1;
		} else if (*q == '<' || *q == '\'' || (*q == 'P' && q[1] == '<')) {
			const char *e = strchr(q, *q == '\'' ? '\'' : '>');
			if (*q == '\'')
				e = strchr(q + 1, '\'');
			if (!e) {
				ps->fail = 1;
				return none();
			}
			ps->p = e + 1;
		} else if (*q == '#') {
			const char *e = strchr(q, ')');
			if (!e) {
				ps->fail = 1;
				return none();
			}
			ps->p = e + 1;
			return empty_exact();
		} else {
			/* inline options: (?i) (?-i) (?i:...); x would change how the
			 * pattern reads, so we do not try */
			while (*q && (((*q | 0x20) >= 'a' && (*q | 0x20) <= 'z') || *q == '-' || *q == '^')) {
				if (*q == 'x' || *q == 'n')
					ps->fail = 1;
				q++;
			}
			if (ps->fail || (*q != ')' && *q != ':')) {
				ps->fail = 1;
				return none();
			}
			ps->options = 1;
			ps->p = q + 1;
			if (*q == ')')
				return empty_exact();
		}
	}
	info in = parse_alt(ps);
	if (*ps->p != ')') {
		ps->fail = 1;
		info_free(&in);
		return none();
	}
	ps->p++;
	if (look) {
		info_free(&in);
		return empty_exact(); /* zero width: nothing consumed, nothing required */
	}
	if (atomic)
		in.sure = 0;
	return in;
}

static info parse_atom(parser *ps)
{
	const unsigned char c = (unsigned char)*ps->p;
	if (c == '(')
		return parse_group(ps);
	if (c == '[') {
		skip_class(ps);
		return none();
	}
	if (c == '\\')
		return parse_escape(ps);
	if (c == '^' || c == '$') {
		ps->p++;
		return empty_exact();
	}
	if (c == '.') {
		ps->p++;
		return none();
	}
	if (c == '*' || c == '+' || c == '?' || c == '{') {
		ps->fail = 1;
		return none();
	}
	if (c < 0x80) {
		ps->p++;
		if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
			char low = (char)(c | 0x20);
			/* caseless: the text may hold it in either case */
			return ps->fold ? literal(&low, 1) : none();
		}
		return literal(ps->p - 1, 1);
	}
	uint32_t cp;
	int k = utf8_decode((const unsigned char *)ps->p, strlen(ps->p), &cp);
	const char *at = ps->p;
	ps->p += k;
	/* CJK and its punctuation have no case; other letters might */
	return cp >= 0x2E80 && cp != 0xFFFD ? literal(at, (size_t)k) : none();
}

/* A quantifier after an atom: min and max (-1 unbounded); 0 when none,
 * QUANT_POSSESSIVE for a possessive one, else 1. */
#define QUANT_POSSESSIVE 2
static int parse_quant(parser *ps, long *min, long *max)
{
	char c = *ps->p;
	if (c == '?' || c == '*' || c == '+') {
		*min = c == '+';
		*max = c == '?' ? 1 : -1;
		ps->p++;
	} else if (c == '{') {
		char *e;
		long a = strtol(ps->p + 1, &e, 10);
		if (e == ps->p + 1) {
			ps->fail = 1; /* a literal '{': rare, not worth reading */
			return 0;
		}
		long b = a;
		if (*e == ',') {
			char *e2;
			b = strtol(e + 1, &e2, 10);
			if (e2 == e + 1)
				b = -1;
			e = e2;
		}
		if (*e != '}') {
			ps->fail = 1;
			return 0;
		}
		*min = a;
		*max = b;
		ps->p = e + 1;
	} else {
		return 0;
	}
	/* lazy is the same set of texts; possessive is not ((?:a)?+a never
	 * matches "a") */
	int possessive = *ps->p == '+';
	if (*ps->p == '?' || *ps->p == '+')
		ps->p++;
	return possessive ? QUANT_POSSESSIVE : 1;
}

static void finish_run(strset *run, int *run_ok, strset *best, int *have_best)
{
	if (*run_ok && run->n && !set_has_empty(run))
		minimize(run);
	if (*run_ok && run->n && !set_has_empty(run) && (!*have_best || better(run, best))) {
		set_free(best);
		set_union(best, run);
		*have_best = 1;
	}
	set_free(run);
	set_add(run, "", 0);
	*run_ok = 1;
}

static info parse_seq(parser *ps)
{
	info out = {0};
	strset run = {0}, best = {0};
	int run_ok = 1, have_best = 0, all_exact = 1, all_sure = 1, overflow = 0;
	set_add(&run, "", 0);
	while (!ps->fail && *ps->p && *ps->p != '|' && *ps->p != ')') {
		info a = parse_atom(ps);
		long min, max;
		int q = ps->fail ? 0 : parse_quant(ps, &min, &max);
		if (q) {
			if (q == QUANT_POSSESSIVE)
				a.sure = 0;
			if (min == 0) {
				if (max == 1 && a.exact_ok) {
					set_add(&a.exact, "", 0);
					set_free(&a.req);
					a.req_ok = 0;
				} else {
					info_free(&a);
				}
			} else if (!(min == 1 && max == 1)) {
				strset r = {0};
				int ok = req_of(&a, &r);
				info_free(&a);
				a.req = r;
				a.req_ok = ok;
			}
		}
		if (ps->fail) {
			info_free(&a);
			break;
		}
		if (a.exact_ok && !set_has_empty(&a.exact)) {
			/* the piece alone may be a better requirement than the run */
			strset r = {0};
			set_union(&r, &a.exact);
			minimize(&r);
			if (!have_best || better(&r, &best)) {
				set_free(&best);
				best = r;
				have_best = 1;
			} else {
				set_free(&r);
			}
		}
		if (a.exact_ok) {
			all_sure &= a.sure;
			strset next = {0};
			if (cross(&next, &run, &a.exact)) {
				set_free(&run);
				run = next;
			} else {
				set_free(&next);
				finish_run(&run, &run_ok, &best, &have_best);
				set_free(&run);
				set_union(&run, &a.exact);
				overflow = 1;
			}
		} else {
			all_exact = 0;
			finish_run(&run, &run_ok, &best, &have_best);
			strset r = {0};
			int got = req_of(&a, &r);
			if (got)
				minimize(&r);
			if (got && (!have_best || better(&r, &best))) {
				set_free(&best);
				best = r;
				have_best = 1;
			} else {
				set_free(&r);
			}
		}
		info_free(&a);
	}
	if (all_exact && !overflow) {
		out.exact_ok = 1;
		out.sure = all_sure;
		set_union(&out.exact, &run);
	}
	finish_run(&run, &run_ok, &best, &have_best);
	set_free(&run);
	if (have_best) {
		out.req_ok = 1;
		out.req = best;
	}
	return out;
}

static info parse_alt(parser *ps)
{
	info out = parse_seq(ps);
	strset req = {0};
	int req_ok = req_of(&out, &req);
	while (!ps->fail && *ps->p == '|') {
		ps->p++;
		info b = parse_seq(ps);
		if (out.exact_ok && b.exact_ok && out.exact.n + b.exact.n <= MAXSET) {
			set_union(&out.exact, &b.exact);
			out.sure &= b.sure;
		}
		else if (out.exact_ok) {
			set_free(&out.exact);
			out.exact_ok = 0;
		}
		if (req_ok && !req_of(&b, &req)) {
			req_ok = 0;
			set_free(&req);
		}
		info_free(&b);
	}
	set_free(&out.req);
	out.req_ok = req_ok;
	out.req = req;
	return out;
}

static int read_alternatives(cpl_literals *pf, const char *pattern);

static cpl_literals *compile(const char *pattern, int fold)
{
	parser ps = {.p = pattern, .fold = fold};
	info x = parse_alt(&ps);
	strset req = {0};
	int ok = !ps.fail && !*ps.p && req_of(&x, &req);
	info_free(&x);
	if (ok)
		minimize(&req);
	if (!ok || !req.n || set_has_empty(&req)) {
		set_free(&req);
		return NULL;
	}
	cpl_literals *pf = xcalloc(1, sizeof *pf);
	pf->any = req;
	return pf;
}

cpl_literals *literals_compile(const char *pattern) { return compile(pattern, 0); }

/* ASCII letters are read too, as lowercase: the caller compares with ASCII
 * case folded (and minds U+017F and U+212A, which pcre2 folds to s and k). */
cpl_literals *literals_compile_folded(const char *pattern)
{
	cpl_literals *pf = compile(pattern, 1);
	if (pf && !read_alternatives(pf, pattern)) {
		free(pf->sure);
		pf->sure = NULL;
		free(pf->span);
		pf->span = NULL;
		for (size_t i = 0; i < pf->ncl; i++)
			set_free(&pf->cl[i]);
		free(pf->cl);
		free(pf->alt);
		pf->cl = NULL;
		pf->alt = NULL;
		pf->ncl = pf->nalt = 0;
	}
	return pf;
}

int literals_may_match(const cpl_literals *pf, const char *s, size_t len)
{
	if (!pf)
		return 1;
	for (size_t i = 0; i < pf->any.n; i++)
		if (memmem(s, len, pf->any.s[i], strlen(pf->any.s[i])))
			return 1;
	return 0;
}

size_t literals_strings(const cpl_literals *pf, const char *const **out)
{
	*out = pf ? (const char *const *)pf->any.s : NULL;
	return pf ? pf->any.n : 0;
}

void literals_free(cpl_literals *pf)
{
	if (!pf)
		return;
	set_free(&pf->any);
	free(pf->sure);
	free(pf->span);
	for (size_t i = 0; i < pf->ncl; i++)
		set_free(&pf->cl[i]);
	free(pf->cl);
	free(pf->alt);
	free(pf);
}

static void add_clause(cpl_literals *pf, strset *r)
{
	if (!r->n || set_has_empty(r)) {
		set_free(r);
		return;
	}
	minimize(r);
	pf->cl = xrealloc(pf->cl, (pf->ncl + 1) * sizeof *pf->cl);
	pf->cl[pf->ncl++] = *r;
	memset(r, 0, sizeof *r);
}

/* Does every string of a contain one of b?  Then a clause b adds nothing to
 * a clause a: whatever holds a holds b. */
static int implies(const strset *a, const strset *b)
{
	for (size_t i = 0; i < a->n; i++) {
		size_t j = 0;
		while (j < b->n && !strstr(a->s[i], b->s[j]))
			j++;
		if (j == b->n)
			return 0;
	}
	return 1;
}

/* Drop the clauses from c0 on that another of them implies ({不} and {知}
 * beside {不知情}; of two equal ones, the later): every one is a string the
 * scan finds and a clause it tracks, and these filter nothing. */
static void prune_implied(cpl_literals *pf, size_t c0)
{
	size_t n = pf->ncl - c0, w = c0;
	unsigned char *drop = xcalloc(n ? n : 1, 1);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n && !drop[i]; j++)
			if (j != i && implies(&pf->cl[c0 + j], &pf->cl[c0 + i]) &&
			    (j < i || !implies(&pf->cl[c0 + i], &pf->cl[c0 + j])))
				drop[i] = 1;
	for (size_t i = 0; i < n; i++) {
		if (drop[i])
			set_free(&pf->cl[c0 + i]);
		else
			pf->cl[w++] = pf->cl[c0 + i];
	}
	pf->ncl = w;
	free(drop);
}

/* Each top-level alternative's clauses: the best requirement of the whole
 * sequence, and that of each of its pieces (all must hold, not just the
 * best: a stronger filter for the rules of a table).  0 when unread.  An
 * alternative that matches exactly a few texts, with nothing else deciding,
 * has those texts as its one clause, and is sure. */
static int read_alternatives(cpl_literals *pf, const char *pattern)
{
	parser ps = {.p = pattern, .fold = 1};
	for (;;) {
		pf->alt = xrealloc(pf->alt, (pf->nalt + 2) * sizeof *pf->alt);
		pf->sure = xrealloc(pf->sure, pf->nalt + 2);
		pf->span = xrealloc(pf->span, 2 * (pf->nalt + 2) * sizeof *pf->span);
		pf->span[2 * pf->nalt] = (size_t)(ps.p - pattern);
		pf->alt[pf->nalt] = pf->ncl;
		parser whole = ps;
		info x = parse_seq(&whole);
		int sure = !whole.fail && x.exact_ok && x.sure && x.exact.n && !set_has_empty(&x.exact);
		pf->sure[pf->nalt++] = (unsigned char)sure;
		strset r = {0};
		if (sure)
			set_union(&r, &x.exact);
		if (sure || (!whole.fail && req_of(&x, &r)))
			add_clause(pf, &r);
		set_free(&r);
		info_free(&x);
		while (!ps.fail && *ps.p && *ps.p != '|' && *ps.p != ')') {
			info a = parse_atom(&ps);
			long min = 1, max;
			if (!ps.fail)
				parse_quant(&ps, &min, &max);
			strset r2 = {0};
			if (!sure && !ps.fail && min > 0 && req_of(&a, &r2))
				add_clause(pf, &r2);
			set_free(&r2);
			info_free(&a);
		}
		if (ps.fail || whole.fail || whole.p != ps.p)
			return 0;
		prune_implied(pf, pf->alt[pf->nalt - 1]);
		pf->span[2 * pf->nalt - 1] = (size_t)(ps.p - pattern) - pf->span[2 * pf->nalt - 2];
		if (*ps.p != '|')
			break;
		ps.p++;
	}
	pf->alt[pf->nalt] = pf->ncl;
	if (ps.options) /* (?-i) may reach into the alternatives after it */
		memset(pf->sure, 0, pf->nalt);
	pf->apart = !ps.options && !ps.refs;
	return !*ps.p;
}

int literals_alternative_sure(const cpl_literals *pf, size_t alt) { return pf->sure[alt]; }

size_t literals_alternatives(const cpl_literals *pf) { return pf ? pf->nalt : 0; }

size_t literals_clauses(const cpl_literals *pf, size_t alt) { return pf->alt[alt + 1] - pf->alt[alt]; }

size_t literals_clause(const cpl_literals *pf, size_t alt, size_t c, const char *const **out)
{
	const strset *r = &pf->cl[pf->alt[alt] + c];
	*out = (const char *const *)r->s;
	return r->n;
}

size_t literals_alternative_span(const cpl_literals *pf, size_t alt, size_t *off)
{
	*off = pf->span[2 * alt];
	return pf->span[2 * alt + 1];
}

int literals_alternatives_apart(const cpl_literals *pf) { return pf && pf->nalt > 1 && pf->apart; }
