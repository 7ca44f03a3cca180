/* letter.c: seed 001's apology letter (致歉信格式) as a table of its six
 * parts in their expected order, and the check that each part is there and
 * in its place. */
#include <string.h>
#include "cpl.h"

void letter_load(phrase_set *s, const char *path)
{
	static const char *const need[] = {"id", "pattern", NULL};
	cpl_table *t = table_load(path, "letter.csv", need);
	if (t->nrows == 0)
		cpl_die_at(CPL_EXIT_USAGE, t->name, 1, "no letter parts");
	for (size_t row = 0; row < t->nrows; row++) {
		phrase_rule r;
		phrase_rule_parse(&r, t, row, PHRASE_LETTER);
		for (size_t i = 0; i < s->n; i++)
			if (!strcmp(s->rules[i].id, r.id))
				table_die(t, row, "part '%s': the id is already a rule's", r.id);
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 64;
			s->rules = xrealloc(s->rules, s->cap * sizeof *s->rules);
		}
		s->rules[s->n++] = r;
	}
	s->tables = xrealloc(s->tables, (s->ntables + 1) * sizeof *s->tables);
	s->tables[s->ntables++] = t;
}

/* Each part is looked for after the end of the part before it; a part found
 * only earlier is misplaced, one found nowhere is missing (reported where
 * it should have been).  Returns the points of the parts found in order. */
double letter_check(const phrase_set *s, const char *t, size_t len, phrase_result *res)
{
	size_t cursor = 0, ms, me;
	double earned = 0;
	for (size_t i = 0; i < s->n; i++) {
		const phrase_rule *r = &s->rules[i];
		if (!r->enabled || r->kind != PHRASE_LETTER)
			continue;
		int got = regex_match(r->re, t, len, cursor, &ms, &me);
		if (got == 1) {
			cursor = me;
			earned += r->weight;
			continue;
		}
		if (got == 0 && cursor > 0)
			got = regex_match(r->re, t, len, 0, &ms, &me);
		if (got < 0) {
			if (!res->limit_hit)
				res->limit_hit = r;
			continue;
		}
		if (got == 1) {
			phrase_add_finding(res, r, ms, me, 0);
			res->f[res->n - 1].misplaced = 1;
		} else {
			phrase_add_finding(res, r, cursor, cursor, 1);
		}
	}
	return earned;
}
