/* caseread.c: what cplclassify reads of one case (main input or --history):
 * where its columns are, their normalised values (computed once per record),
 * the rules and cues that match, and its event for casewindow.c's sweep. */
#include <stdlib.h>
#include <string.h>
#include "cpl.h"

static const char *const case_cols[CASE_NCOLS] = {
	"case_id", "created_at", "channel", "customer_id", "customer_level", "region",
	"issue_region", "text", "closed_at", "status", "escalated",
};

/* issue key parts that are not input columns */
enum { K_CATEGORY = -2, K_SUBCATEGORY = -3, K_CAUSE = -4 };

static void split_key(cpl_classifier *k, const char *spec)
{
	const char *p = spec;
	while (*p) {
		size_t n = strcspn(p, ",+ ");
		if (n) {
			char *part = xstrndup(p, n);
			for (char *c = part; *c; c++)
				if (!((*c >= 'a' && *c <= 'z') || *c == '_'))
					cpl_die(CPL_EXIT_USAGE, "--issue-key: '%s' is not a column name like subcategory or region "
						"(a header is given a name with --map, as in --map region=%s)", part, part);
			k->key_parts = xrealloc(k->key_parts, (k->nkey_parts + 1) * sizeof *k->key_parts);
			k->key_parts[k->nkey_parts++] = part;
		}
		p += n;
		if (*p)
			p++;
	}
	if (!k->nkey_parts)
		cpl_die(CPL_EXIT_USAGE, "--issue-key: name at least one field");
}

static void scratch_alloc(cpl_classifier *k)
{
	k->rnorm = xcalloc(k->rules->nfields + 1, sizeof *k->rnorm);
	k->rlen = xcalloc(k->rules->nfields + 1, sizeof *k->rlen);
	k->cnorm = xcalloc(k->cues->nfields + 1, sizeof *k->cnorm);
	k->clen = xcalloc(k->cues->nfields + 1, sizeof *k->clen);
	k->jnorm = xcalloc(k->njfields + 1, sizeof *k->jnorm);
	k->jlen = xcalloc(k->njfields + 1, sizeof *k->jlen);
	k->scanned = NULL;
}

static void scratch_free(cpl_classifier *k)
{
	free(k->rnorm);
	free(k->rlen);
	free(k->cnorm);
	free(k->clen);
	free(k->jnorm);
	free(k->jlen);
}

/* The fields of the joint scan: the rules' fields, then the cues' that no
 * rule reads. */
static void join_fields(cpl_classifier *k)
{
	const cpl_rules *rs = k->rules;
	const cpl_cues *cs = k->cues;
	k->jfield = xcalloc(rs->nfields + cs->nfields + 1, sizeof *k->jfield);
	k->rule_j = xcalloc(rs->nfields + 1, sizeof *k->rule_j);
	k->cue_j = xcalloc(cs->nfields + 1, sizeof *k->cue_j);
	size_t n = 0;
	for (size_t i = 0; i < rs->nfields; i++) {
		k->rule_j[i] = (int)n;
		k->jfield[n++] = (int)i;
	}
	for (size_t i = 0; i < cs->nfields; i++) {
		size_t j = 0;
		while (j < rs->nfields && strcmp(rs->fields[j], cs->fields[i]))
			j++;
		if (j == rs->nfields) {
			j = n;
			k->jfield[n++] = -1 - (int)i;
		}
		k->cue_j[i] = (int)j;
	}
	k->njfields = n;
}

static void joint_item(const void *table, size_t i, int *field, const char **pattern)
{
	const cpl_classifier *k = table;
	if (i < k->rules->n) {
		rule_item(k->rules, i, field, pattern);
		*field = k->rule_j[*field];
	} else {
		cue_item(k->cues, i - k->rules->n, field, pattern);
		*field = k->cue_j[*field];
	}
}

void classifier_setup(cpl_classifier *k, const char *issue_key)
{
	split_key(k, issue_key);
	join_fields(k);
	scratch_alloc(k);
}

void caselayout_init(cpl_classifier *k, cpl_caselayout *L, size_t ncols,
	int (*find)(void *ctx, const char *canonical), void *ctx)
{
	memset(L, 0, sizeof *L);
	L->ncols = ncols;
	for (int c = 0; c < CASE_NCOLS; c++)
		L->col[c] = find(ctx, case_cols[c]);
	L->rule_col = xcalloc(k->rules->nfields + 1, sizeof *L->rule_col);
	for (size_t i = 0; i < k->rules->nfields; i++)
		L->rule_col[i] = find(ctx, k->rules->fields[i]);
	L->cue_col = xcalloc(k->cues->nfields + 1, sizeof *L->cue_col);
	for (size_t i = 0; i < k->cues->nfields; i++)
		L->cue_col[i] = find(ctx, k->cues->fields[i]);
	L->key_col = xcalloc(k->nkey_parts + 1, sizeof *L->key_col);
	for (size_t i = 0; i < k->nkey_parts; i++) {
		const char *p = k->key_parts[i];
		L->key_col[i] = !strcmp(p, "category") ? K_CATEGORY : !strcmp(p, "subcategory") ? K_SUBCATEGORY :
			!strcmp(p, "cause") ? K_CAUSE : find(ctx, p);
	}
	L->subcat_col = -1;
	L->norm = xcalloc(ncols + 1, sizeof *L->norm);
	L->stamp = xcalloc(ncols + 1, sizeof *L->stamp);
	L->cur = 1;
	k->scanned = NULL; /* L may sit where an earlier layout was */
}

void caselayout_free(cpl_caselayout *L)
{
	for (size_t i = 0; i < L->ncols; i++)
		norm_free(&L->norm[i]);
	free(L->norm);
	free(L->stamp);
	free(L->rule_col);
	free(L->cue_col);
	free(L->key_col);
}

void caselayout_next(cpl_caselayout *L) { L->cur++; }

static size_t joint_n(const cpl_classifier *k) { return k->rules->n + k->cues->n; }

void classifier_share(cpl_classifier *k, cpl_classifier *v, const cpl_caselayout *L, cpl_caselayout *vl)
{
	prefilter_build(&k->pf, k->njfields, joint_n(k), joint_item, k); /* before any thread reads it */
	*v = *k;
	v->rules = rules_share(k->rules);
	v->window = NULL;
	prefilter_share(&k->pf, &v->pf);
	scratch_alloc(v);
	*vl = *L;
	vl->norm = xcalloc(L->ncols + 1, sizeof *vl->norm);
	vl->stamp = xcalloc(L->ncols + 1, sizeof *vl->stamp);
	vl->cur = 1;
}

void classifier_worker(cpl_classifier *k, cpl_caselayout *L, int i, cpl_classifier *kv, cpl_caselayout *vl,
	cpl_classifier **ko, cpl_caselayout **Lo)
{
	if (i == 0) {
		*ko = k;
		*Lo = L;
		return;
	}
	classifier_share(k, kv, L, vl);
	*ko = kv;
	*Lo = vl;
}

void classifier_share_free(cpl_classifier *v, cpl_caselayout *vl)
{
	rules_share_free(v->rules);
	prefilter_drop(&v->pf);
	scratch_free(v);
	for (size_t i = 0; i < vl->ncols; i++)
		norm_free(&vl->norm[i]);
	free(vl->norm);
	free(vl->stamp);
}

const char *case_raw(const cpl_caseview *v, int col, size_t *len)
{
	if (col < 0 || (size_t)col >= v->n) {
		*len = 0;
		return "";
	}
	*len = v->f[col].len;
	return v->f[col].s;
}

/* The normalised value of a column for the current record (computed once). */
const char *case_norm(cpl_classifier *k, cpl_caselayout *L, const cpl_caseview *v, int col, size_t *len)
{
	if (col < 0 || (size_t)col >= v->n) {
		*len = 0;
		return NULL;
	}
	if (L->stamp[col] != L->cur) {
		text_normalize(&L->norm[col], v->f[col].s, v->f[col].len, k->want_pos);
		L->stamp[col] = L->cur;
	}
	*len = L->norm[col].out.len;
	return L->norm[col].out.s;
}

/* Hits found on normalised bytes, moved to characters of the original. */
static void hits_to_chars(cpl_classifier *k, cpl_caselayout *L, cpl_hit *h, size_t n, const int *fieldcol, int cue)
{
	for (size_t i = 0; i < n; i++) {
		int field = cue ? k->cues->c[h[i].rule].field : k->rules->r[h[i].rule].field;
		cpl_norm *nm = &L->norm[fieldcol[field]];
		int s = nm->pos[h[i].start];
		int e = h[i].end > h[i].start ? nm->pos[h[i].end - 1] + 1 : s;
		h[i].start = s;
		h[i].end = e;
	}
}

/* The joint scan of the record, once for both tables. */
static void case_scan(cpl_classifier *k, cpl_caselayout *L, const cpl_caseview *v)
{
	if (k->scanned == L && k->scanned_cur == L->cur)
		return;
	for (size_t j = 0; j < k->njfields; j++) {
		int f = k->jfield[j];
		int col = f >= 0 ? L->rule_col[f] : L->cue_col[-1 - f];
		k->jnorm[j] = case_norm(k, L, v, col, &k->jlen[j]);
	}
	prefilter_scan(&k->pf, k->njfields, joint_n(k), joint_item, k, k->jnorm, k->jlen);
	k->scanned = L;
	k->scanned_cur = L->cur;
}

void case_categorize(cpl_classifier *k, cpl_caselayout *L, const cpl_caseview *v, cpl_verdict *vd)
{
	for (size_t i = 0; i < k->rules->nfields; i++)
		k->rnorm[i] = case_norm(k, L, v, L->rule_col[i], &k->rlen[i]);
	case_scan(k, L, v);
	rules_match(k->rules, &k->pf, 0, k->rnorm, k->rlen, k->want_pos, vd);
	if (k->want_pos)
		hits_to_chars(k, L, vd->hits, vd->nhits, L->rule_col, 0);
}

void case_cues(cpl_classifier *k, cpl_caselayout *L, const cpl_caseview *v, unsigned kinds, cpl_cuehits *ch)
{
	for (size_t i = 0; i < k->cues->nfields; i++)
		k->cnorm[i] = case_norm(k, L, v, L->cue_col[i], &k->clen[i]);
	ch->n = 0;
	case_scan(k, L, v);
	ch->limit = cues_match(k->cues, &k->pf, k->rules->n, kinds, k->cnorm, k->clen, k->want_pos,
		&ch->h, &ch->n, &ch->cap);
	if (k->want_pos)
		hits_to_chars(k, L, ch->h, ch->n, L->cue_col, 1);
}

static int fired(const cpl_classifier *k, const cpl_cuehits *ch, int kind)
{
	for (size_t i = 0; i < ch->n; i++)
		if (k->cues->c[ch->h[i].rule].kind == kind)
			return 1;
	return 0;
}

void case_issue_key(cpl_classifier *k, cpl_caselayout *L, const cpl_caseview *v, const cpl_verdict *vd, cpl_buf *out)
{
	buf_clear(out);
	for (size_t i = 0; i < k->nkey_parts; i++) {
		if (i)
			buf_addc(out, '/');
		int c = L->key_col[i];
		if (c == K_CATEGORY)
			buf_adds(out, vd->category);
		else if (c == K_SUBCATEGORY)
			buf_adds(out, vd->subcategory);
		else if (c == K_CAUSE)
			buf_adds(out, vd->cause);
		else {
			size_t len;
			const char *s = case_norm(k, L, v, c, &len);
			if (s) {
				s = region_core(s, &len);
				buf_add(out, s, len);
			}
		}
	}
	buf_addc(out, 0);
	out->len--;
}

uint64_t case_customer(cpl_classifier *k, cpl_caselayout *L, const cpl_caseview *v)
{
	size_t len;
	const char *s = case_norm(k, L, v, L->col[CASE_CUSTOMER], &len);
	return s ? customer_key(s, len) : 0;
}

/* The level rules are regular expressions tried in turn, 900 instructions
 * a case; the answer for a value is kept (the layout is the thread's own). */
int case_level(cpl_classifier *k, cpl_caselayout *L, const cpl_caseview *v)
{
	size_t len;
	const char *s = case_norm(k, L, v, L->col[CASE_LEVEL], &len);
	if (!s || !len)
		return -1;
	if (len > CASE_LEVEL_MEMO_LEN)
		return levels_find(k->levels, s, len);
	const unsigned char *u = (const unsigned char *)s;
	unsigned h = ((unsigned)len * 31u + u[0] * 7u + u[len / 2] * 13u + u[len - 1]) % CASE_LEVEL_MEMO;
	if (L->level_memo[h].len == len && !memcmp(L->level_memo[h].s, s, len))
		return L->level_memo[h].lv;
	int lv = levels_find(k->levels, s, len);
	L->level_memo[h].len = (unsigned char)len;
	memcpy(L->level_memo[h].s, s, len);
	L->level_memo[h].lv = lv;
	return lv;
}

/* CPL_NOTIME when empty or unparsable (*bad set for the latter) */
static int64_t time_of(const cpl_caseview *v, int col, int *bad)
{
	size_t len;
	const char *s = case_raw(v, col, &len);
	int empty = 0;
	int64_t t = len ? time_parse(s, len, &empty) : CPL_NOTIME;
	*bad = len && t == CPL_NOTIME && !empty;
	return t;
}

int case_bad_times(const cpl_caselayout *L, const cpl_caseview *v)
{
	int created, closed;
	time_of(v, L->col[CASE_CREATED], &created);
	time_of(v, L->col[CASE_CLOSED], &closed);
	return (created ? CASE_BAD_CREATED : 0) | (closed ? CASE_BAD_CLOSED : 0);
}

/* The name of a case for repeat_of and messages: its case_id, else FILE:LINE. */
void case_name(const cpl_caselayout *L, const cpl_caseview *v, cpl_buf *out)
{
	size_t len;
	const char *s = case_raw(v, L->col[CASE_ID], &len);
	buf_clear(out);
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len)
		buf_add(out, s, len);
	else
		buf_printf(out, "%s:%ld", v->file, v->line);
}

int case_event(cpl_classifier *k, cpl_caselayout *L, const cpl_caseview *v, const cpl_verdict *vd,
	const cpl_cuehits *ch, int input, cpl_case *c, cpl_buf *key, cpl_buf *name)
{
	int bad_created, bad_closed;
	*c = (cpl_case){.input = input, .recno = v->recno, .has_problem = vd->rule >= 0};
	c->t = time_of(v, L->col[CASE_CREATED], &bad_created);
	/* closed: closed_at, else (for a closed status) its receipt time, the
	 * best that is known; CPL_NOTIME while it is open */
	c->closed = time_of(v, L->col[CASE_CLOSED], &bad_closed);
	if (c->closed == CPL_NOTIME && fired(k, ch, CUE_CLOSED))
		c->closed = c->t;
	int flags = (bad_created ? CASE_BAD_CREATED : 0) | (bad_closed ? CASE_BAD_CLOSED : 0);
	if (c->t == CPL_NOTIME && !input)
		c->t = c->closed; /* a history case only needs to be known as closed */
	if (c->t == CPL_NOTIME)
		return flags | CASE_NO_EVENT;
	c->cust = case_customer(k, L, v);
	int lv = case_level(k, L, v);
	c->vip = lv >= 0 && k->levels->l[lv].vip;
	case_issue_key(k, L, v, vd, key);
	c->key = hash_bytes(key->s, key->len);
	c->problem = hash_bytes(vd->subcategory, strlen(vd->subcategory));
	if (c->closed != CPL_NOTIME) {
		case_name(L, v, name);
		c->name = name->s;
		c->namelen = name->len;
	}
	return flags;
}

int case_add(cpl_classifier *k, cpl_caselayout *L, const cpl_caseview *v, const cpl_verdict *vd,
	const cpl_cuehits *ch, int input)
{
	static cpl_buf key, name;
	cpl_case c;
	int flags = case_event(k, L, v, vd, ch, input, &c, &key, &name);
	if (!(flags & CASE_NO_EVENT))
		window_add(k->window, &c);
	return flags & ~CASE_NO_EVENT;
}
