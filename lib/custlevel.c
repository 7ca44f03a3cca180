/* custlevel.c: what a customer grade means (data/customer-levels.csv, or
 * --levels FILE): whether a case from that level is an important-customer
 * complaint (金卡以上, 政府, A级集团) and whether the customer counts as VIP
 * for batch detection.  The first row whose pattern matches decides. */
#include <stdlib.h>
#include <string.h>
#include "cpl.h"

static int flag(cpl_table *t, size_t row, const char *col)
{
	const char *v = table_get(t, row, col);
	if (!strcmp(v, "1") || !strcmp(v, "yes") || !strcmp(v, "是"))
		return 1;
	if (!strcmp(v, "0") || !strcmp(v, "no") || !strcmp(v, "否") || !*v)
		return 0;
	table_die(t, row, "%s '%s' is not 1 or 0", col, v);
}

cpl_levels *levels_load(const char *path)
{
	static const char *const req[] = {"id", "pattern", "important", "vip", NULL};
	cpl_table *t = table_load(path, "customer-levels.csv", req);
	cpl_levels *lv = xcalloc(1, sizeof *lv);
	lv->n = t->nrows;
	lv->l = xcalloc(t->nrows + 1, sizeof *lv->l);
	for (size_t row = 0; row < t->nrows; row++) {
		const char *id = table_get(t, row, "id");
		const char *pat = table_get(t, row, "pattern");
		if (!*id)
			table_die(t, row, "empty level id");
		if (!*pat)
			table_die(t, row, "level '%s': empty pattern", id);
		cpl_level *l = &lv->l[row];
		l->id = xstrdup(id);
		l->important = flag(t, row, "important");
		l->vip = flag(t, row, "vip");
		l->re = regex_compile(pat, t->name, t->lines[row]);
		regex_check_examples(l->re, table_get(t, row, "must_match"), table_get(t, row, "must_not_match"),
			t->name, t->lines[row], id);
	}
	table_free(t);
	return lv;
}

/* The row deciding a normalised level, or -1 (no row: neither important nor VIP). */
int levels_find(const cpl_levels *lv, const char *norm, size_t len)
{
	if (!len)
		return -1;
	for (size_t i = 0; i < lv->n; i++)
		if (regex_match(lv->l[i].re, norm, len, 0, NULL, NULL) > 0)
			return (int)i;
	return -1;
}
