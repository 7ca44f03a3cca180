/* classpass.c: cplclassify's first pass, and --history files: every case is
 * matched once, its matches spooled to a temporary file for the second pass
 * and its event handed to the sweep (memory bounded by the windows). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cpl.h"

static void spool_hits(FILE *spool, const cpl_hit *h, size_t n, int limit, int flags)
{
	int32_t head[3] = {(int32_t)n, limit, flags};
	if (fwrite(head, sizeof head, 1, spool) != 1 || (n && fwrite(h, sizeof *h, n, spool) != n))
		cpl_die(CPL_EXIT_IO, "write error: temporary file:");
}

static int unspool_hits(FILE *spool, cpl_hit **h, size_t *n, size_t *cap, int *limit)
{
	int32_t head[3];
	if (fread(head, sizeof head, 1, spool) != 1)
		cpl_die(CPL_EXIT_IO, "read error: temporary file: the input changed between the two passes");
	*n = (size_t)head[0];
	*limit = head[1];
	if (*n > *cap) {
		*cap = *n;
		*h = xrealloc(*h, *cap * sizeof **h);
	}
	if (*n && fread(*h, sizeof **h, *n, spool) != *n)
		cpl_die(CPL_EXIT_IO, "read error: temporary file: the input changed between the two passes");
	return head[2];
}

int classify_unspool(FILE *spool, cpl_verdict *vd, cpl_cuehits *ch)
{
	unspool_hits(spool, &vd->hits, &vd->nhits, &vd->cap, &vd->limit);
	return unspool_hits(spool, &ch->h, &ch->n, &ch->cap, &ch->limit);
}

typedef struct pass {
	cpl_classifier *k;
	cpl_caselayout *L;
	FILE *spool;
	cpl_verdict vd;
	cpl_cuehits ch;
	uint64_t recno;
} pass;

static void first_pass_case(void *ctx, const cpl_record *rec, const cpl_field *f, size_t n)
{
	pass *p = ctx;
	cpl_caseview v = {f, n, rec->file, rec->line, ++p->recno};
	caselayout_next(p->L);
	case_categorize(p->k, p->L, &v, &p->vd);
	case_cues(p->k, p->L, &v, CASE_ALL_CUES, &p->ch);
	int bad = case_add(p->k, p->L, &v, &p->vd, &p->ch, 1);
	spool_hits(p->spool, p->vd.hits, p->vd.nhits, p->vd.limit, 0);
	spool_hits(p->spool, p->ch.h, p->ch.n, p->ch.limit, bad);
}

FILE *classify_first_pass(cpl_classifier *k, cpl_run *run, cpl_caselayout *L)
{
	pass p = {.k = k, .L = L, .spool = tmp_file()};
	run_prepass(run, first_pass_case, &p);
	if (fflush(p.spool) || fseek(p.spool, 0, SEEK_SET))
		cpl_die(CPL_EXIT_IO, "write error: temporary file:");
	free(p.ch.h);
	verdict_free(&p.vd);
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
