/* regex.c: every pattern cpl matches goes through here: pcre2 in UTF mode
 * with JIT, caseless, safe on invalid UTF-8, and bounded by match and depth
 * limits so that a pathological user pattern is reported, not a hang. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "cpl.h"

#define MATCH_LIMIT 1000000
#define DEPTH_LIMIT 10000

struct cpl_regex {
	pcre2_code *code;
	char *pattern;
	int jit;          /* compiled by the JIT: matched through its fast path */
};

/* per thread: cplclassify matches in more than one (compiled patterns are
 * shared, read only) */
static _Thread_local pcre2_match_context *mctx;
static _Thread_local pcre2_match_data *mdata;
static _Thread_local pcre2_jit_stack *jstack;
static _Thread_local PCRE2_SIZE limit_set; /* the context's offset limit */

static void init(void)
{
	if (mdata)
		return;
	mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(mctx, DEPTH_LIMIT);
	jstack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	if (jstack)
		pcre2_jit_stack_assign(mctx, NULL, jstack);
	mdata = pcre2_match_data_create(32, NULL);
	limit_set = PCRE2_UNSET;
}

/* CPL_NO_JIT=1 (for valgrind, which cannot follow JIT code) interprets;
 * read once, by the first compile (before any thread starts) */
static atomic_int no_jit = -1;

static cpl_regex *compile(const char *pattern, size_t len, int *err, PCRE2_SIZE *off)
{
	init();
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, len,
		PCRE2_UTF | PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF | PCRE2_USE_OFFSET_LIMIT, err, off, NULL);
	if (!code)
		return NULL;
	int plain = atomic_load_explicit(&no_jit, memory_order_relaxed);
	if (plain < 0) {
		plain = getenv("CPL_NO_JIT") != NULL;
		atomic_store_explicit(&no_jit, plain, memory_order_relaxed);
	}
	int jit = 0;
	if (!plain && pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0) { /* else interpreted */
		size_t size = 0;
		/* the fast path only where pcre2_match would take the JIT code with
		 * nothing to add: (*NO_JIT) leaves none, and the start-of-pattern
		 * verbs (*NOTEMPTY) ... are options pcre2_match folds in and
		 * pcre2_jit_match does not */
		jit = pcre2_pattern_info(code, PCRE2_INFO_JITSIZE, &size) == 0 && size > 0 &&
			!(len >= 2 && pattern[0] == '(' && pattern[1] == '*');
	}
	cpl_regex *re = xmalloc(sizeof *re);
	re->code = code;
	re->jit = jit;
	re->pattern = xstrndup(pattern, len);
	return re;
}

cpl_regex *regex_compile(const char *pattern, const char *file, long line)
{
	int err;
	PCRE2_SIZE off;
	cpl_regex *re = compile(pattern, strlen(pattern), &err, &off);
	if (!re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(err, msg, sizeof msg);
		/* the character, as a person counts, not the byte pcre2 gives */
		if (!off)
			cpl_die_at(CPL_EXIT_USAGE, file, line, "bad pattern at character 1: %s", (char *)msg);
		cpl_die_at(CPL_EXIT_USAGE, file, line, "bad pattern at character %zu ('%.*s' before it): %s",
			utf8_chars(pattern, off) + 1, (int)off, pattern, (char *)msg);
	}
	return re;
}

cpl_regex *regex_try_compile(const char *pattern, size_t len)
{
	int err;
	PCRE2_SIZE off;
	return compile(pattern, len, &err, &off);
}

int regex_match(const cpl_regex *re, const char *s, size_t len, size_t start,
	size_t *mstart, size_t *mend)
{
	return regex_match_upto(re, s, len, start, PCRE2_UNSET, mstart, mend);
}

int regex_match_upto(const cpl_regex *re, const char *s, size_t len, size_t start, size_t limit,
	size_t *mstart, size_t *mend)
{
	if (!mdata)
		init(); /* the first match of a thread */
	if (limit >= len)
		limit = PCRE2_UNSET; /* the same, and the context's usual state */
	if (limit != limit_set) {
		pcre2_set_offset_limit(mctx, limit);
		limit_set = limit;
	}
	/* the fast path skips pcre2_match's checks of its arguments (there is no
	 * UTF check to skip: PCRE2_MATCH_INVALID_UTF does without one) */
	int rc = re->jit ? pcre2_jit_match(re->code, (PCRE2_SPTR)s, len, start, 0, mdata, mctx)
		: pcre2_match(re->code, (PCRE2_SPTR)s, len, start, 0, mdata, mctx);
	if (rc >= 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(mdata);
		if (mstart) *mstart = ov[0];
		if (mend) *mend = ov[1];
		return 1;
	}
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	return -1;
}

const char *regex_pattern(const cpl_regex *re) { return re->pattern; }

int example_next(const char **list, const char **s, size_t *n)
{
	const char *p = *list;
	if (!p || !*p)
		return 0;
	const char *sep = strstr(p, " | ");
	*s = p;
	*n = sep ? (size_t)(sep - p) : strlen(p);
	*list = sep ? sep + 3 : p + *n;
	return 1;
}

void regex_check_examples(const cpl_regex *re, const char *must, const char *must_not,
	const char *file, long line, const char *rule_id)
{
	cpl_norm norm = {0};
	for (int want = 1; want >= 0; want--) {
		const char *list = want ? must : must_not, *p;
		size_t n;
		while (example_next(&list, &p, &n)) {
			const char *t = text_normalize(&norm, p, n, 0);
			if (*t && regex_match(re, t, strlen(t), 0, NULL, NULL) != want)
				cpl_die_at(CPL_EXIT_USAGE, file, line, "rule '%s' %s its example '%.*s'",
					rule_id, want ? "does not match" : "matches", (int)n, p);
		}
	}
	norm_free(&norm);
}

void regex_thread_end(void)
{
	pcre2_match_data_free(mdata);
	pcre2_jit_stack_free(jstack);
	pcre2_match_context_free(mctx);
	mdata = NULL;
	jstack = NULL;
	mctx = NULL;
}

void regex_free(cpl_regex *re)
{
	if (!re)
		return;
	pcre2_code_free(re->code);
	free(re->pattern);
	free(re);
}
