/* classpass.c: cplclassify's first pass, and --history files: every case is
 * matched once, its matches spooled to a temporary file for the second pass
 * and its event handed to the sweep (memory bounded by the windows). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cpl.h"

/* One list of hits of the spool, as it is, added to out. */
static void copy_hits(cpl_spoolin *spool, cpl_buf *out)
{
	int32_t head[3];
	const char *p = spoolin_next(spool, sizeof head);
	if (!p)
		cpl_die(CPL_EXIT_IO, "read error: temporary file: the input changed between the two passes");
	memcpy(head, p, sizeof head);
	if (head[0] < 0)
		cpl_die(CPL_EXIT_IO, "read error: temporary file: it changed under the run");
	buf_add(out, head, sizeof head);
	size_t n = (size_t)head[0] * sizeof(cpl_hit);
	if (n) {
		if (!(p = spoolin_next(spool, n)))
			cpl_die(CPL_EXIT_IO, "read error: temporary file: the input changed between the two passes");
		buf_add(out, p, n);
	}
}

void classify_copy(cpl_spoolin *spool, cpl_buf *out)
{
	copy_hits(spool, out);
	copy_hits(spool, out);
}

/* A list classify_copy added, at *p (moved past it). */
static int take_hits(const char **p, cpl_hit **h, size_t *n, size_t *cap, int *limit)
{
	int32_t head[3];
	memcpy(head, *p, sizeof head);
	*p += sizeof head;
	*n = (size_t)head[0];
	*limit = head[1];
	if (*n > *cap) {
		*cap = *n;
		*h = xrealloc(*h, *cap * sizeof **h);
	}
	if (*n)
		memcpy(*h, *p, *n * sizeof **h);
	*p += *n * sizeof **h;
	return head[2];
}

int classify_take(const char **p, cpl_verdict *vd, cpl_cuehits *ch)
{
	take_hits(p, &vd->hits, &vd->nhits, &vd->cap, &vd->limit);
	return take_hits(p, &ch->h, &ch->n, &ch->cap, &ch->limit);
}

/* What a worker matches with: the classifier and layout (the first
 * worker's are the caller's; the others share their tables), and its own
 * verdict, cue hits and buffers. */
typedef struct matcher {
	cpl_classifier *k, kv;
	cpl_caselayout *L, Lv;
	cpl_verdict vd;
	cpl_cuehits ch;
	cpl_buf key, name;
} matcher;

typedef struct pass {
	cpl_classifier *k;
	FILE *spool;
	cpl_buf hits; /* for the spool, written in blocks */
	uint64_t recno;
} pass;

/* What match_case writes for the commit: the sweep's event, then the name
 * and the two spooled hit lists. */
typedef struct matched {
	cpl_case c;
	int32_t flags;
	uint32_t namelen;
} matched;

static void put_hits(cpl_buf *out, const cpl_hit *h, size_t n, int limit, int flags)
{
	int32_t head[3] = {(int32_t)n, limit, flags};
	buf_add(out, head, sizeof head);
	if (n)
		buf_add(out, h, n * sizeof *h);
}

static void match_case(void *wctx, const cpl_record *rec, const cpl_field *f, size_t n, cpl_buf *out)
{
	matcher *m = wctx;
	cpl_caseview v = {f, n, rec->file, rec->line, 0}; /* the number: the commit's */
	caselayout_next(m->L);
	case_categorize(m->k, m->L, &v, &m->vd);
	case_cues(m->k, m->L, &v, CASE_ALL_CUES, &m->ch);
	matched e = {0};
	e.flags = case_event(m->k, m->L, &v, &m->vd, &m->ch, 1, &e.c, &m->key, &m->name);
	if (!(e.flags & CASE_NO_EVENT) && e.c.name)
		e.namelen = (uint32_t)e.c.namelen;
	e.c.name = NULL;
	buf_add(out, &e, sizeof e);
	if (e.namelen)
		buf_add(out, m->name.s, e.namelen);
	put_hits(out, m->vd.hits, m->vd.nhits, m->vd.limit, 0);
	put_hits(out, m->ch.h, m->ch.n, m->ch.limit, e.flags & ~CASE_NO_EVENT);
}

static void commit_case(void *ctx, const char *out, size_t len)
{
	pass *p = ctx;
	matched e;
	memcpy(&e, out, sizeof e);
	const char *name = out + sizeof e;
	const char *hits = name + e.namelen;
	e.c.recno = ++p->recno;
	if (!(e.flags & CASE_NO_EVENT)) {
		e.c.name = e.namelen ? name : NULL;
		window_add(p->k->window, &e.c);
	}
	buf_add(&p->hits, hits, len - (size_t)(hits - out));
	if (p->hits.len >= SPOOL_BLOCK) {
		tmp_write(p->spool, p->hits.s, p->hits.len);
		buf_clear(&p->hits);
	}
}

FILE *classify_first_pass(cpl_classifier *k, cpl_run *run, cpl_caselayout *L, char **buf)
{
	pass p = {.k = k, .spool = tmp_file(buf)};
	int nw = run_workers(run);
	matcher *m = xcalloc((size_t)nw, sizeof *m);
	void **wctx = xcalloc((size_t)nw, sizeof *wctx);
	for (int i = 0; i < nw; i++) {
		classifier_worker(k, L, i, &m[i].kv, &m[i].Lv, &m[i].k, &m[i].L);
		wctx[i] = &m[i];
	}
	run_stage st = {.nworkers = nw, .wctx = wctx, .match = match_case, .commit = commit_case, .ctx = &p};
	run_prepass(run, &st);
	tmp_write(p.spool, p.hits.s, p.hits.len);
	buf_free(&p.hits);
	for (int i = 0; i < nw; i++) {
		if (i)
			classifier_share_free(&m[i].kv, &m[i].Lv);
		free(m[i].ch.h);
		verdict_free(&m[i].vd);
		buf_free(&m[i].key);
		buf_free(&m[i].name);
	}
	free(m);
	free(wctx);
	return p.spool;
}

/* ------------------------------------------------------------ history */

typedef struct header { char **cols; size_t n; } header;

static int history_find(void *ctx, const char *canonical)
{
	header *h = ctx;
	return column_find(h->cols, h->n, canonical);
}

/* Earlier cases: only the closed ones matter, as what a case can repeat. */
void classify_history(cpl_classifier *k, const char *path)
{
	cpl_reader *rd = reader_open(path, &cpl_opt.in);
	if (!rd)
		cpl_die(CPL_EXIT_IO, "cannot open '%s':", path);
	cpl_record *rec = reader_next(rd);
	if (!rec) {
		reader_close(rd);
		return;
	}
	header h = {xcalloc(rec->n + 1, sizeof *h.cols), rec->n};
	for (size_t i = 0; i < h.n; i++)
		h.cols[i] = xstrndup(rec->f[i].s, rec->f[i].len);
	cpl_caselayout L;
	caselayout_init(k, &L, h.n, history_find, &h);
	for (size_t i = 0; i < h.n && L.subcat_col < 0; i++)
		if (!strcmp(h.cols[i], "subcategory"))
			L.subcat_col = (int)i;
	for (size_t i = 0; i < h.n; i++)
		free(h.cols[i]);
	free(h.cols);
	if (L.col[CASE_CUSTOMER] < 0 || (L.col[CASE_CREATED] < 0 && L.col[CASE_CLOSED] < 0))
		cpl_die_at(CPL_EXIT_USAGE, path, rec->line, "--history: no customer_id and created_at or closed_at columns: it cannot show repeats");
	if (L.subcat_col < 0 && L.col[CASE_TEXT] < 0)
		cpl_die_at(CPL_EXIT_USAGE, path, rec->line, "--history: neither a subcategory nor a text column: the problem of its cases is unknown");
	cpl_verdict vd = {0};
	cpl_cuehits ch = {0};
	cpl_field *f = xmalloc((L.ncols + 1) * sizeof *f);
	cpl_buf sub = {0}, joined = {0};
	while ((rec = reader_next(rd))) {
		record_shape(rec, L.ncols, f, &joined);
		cpl_caseview v = {f, L.ncols, rec->file, rec->line, 0};
		caselayout_next(&L);
		if (L.subcat_col >= 0) {
			/* an earlier run's verdict stands */
			size_t len;
			const char *s = case_raw(&v, L.subcat_col, &len);
			buf_clear(&sub);
			buf_add(&sub, s, len);
			buf_addc(&sub, 0);
			vd.subcategory = vd.category = sub.s;
			vd.cause = "";
			vd.rule = len && strcmp(sub.s, "other") ? 0 : -1;
		} else {
			case_categorize(k, &L, &v, &vd);
		}
		case_cues(k, &L, &v, 1u << CUE_CLOSED, &ch);
		case_add(k, &L, &v, &vd, &ch, 0);
	}
	if (reader_io_error(rd)) {
		errno = reader_io_error(rd);
		cpl_die(CPL_EXIT_IO, "read error: %s:", path);
	}
	reader_close(rd);
	free(f);
	buf_free(&sub);
	buf_free(&joined);
	free(ch.h);
	verdict_free(&vd);
	caselayout_free(&L);
}
