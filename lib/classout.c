/* classout.c: the columns cplclassify adds to a case (category through
 * class_rules), from its matches and the sweep's findings, and --explain's
 * account, case by case, of which rules fired and why the case is urgent. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "cpl.h"

enum { S_CATEGORY, S_SUBCATEGORY, S_CAUSE, S_URGENCY, S_URGENT_TYPES, S_PRIORITY,
	S_COMPLAINANT, S_EMOTION, S_HARASSMENT, S_ISSUE_KEY, S_BATCH_ID, S_REPEAT_OF,
	S_CLASS_RULES, S_NSLOTS };
static const char *const slot_names[S_NSLOTS] = {
	"category", "subcategory", "cause", "urgency", "urgent_types", "priority",
	"complainant_type", "emotion", "harassment", "issue_key", "batch_id", "repeat_of",
	"class_rules",
};

struct cpl_classout {
	cpl_classifier *k;
	cpl_run *run;
	cpl_classout_opts o;
	int slot[S_NSLOTS];
	cpl_buf key, list, ids;
	/* --explain */
	cpl_buf name, text, why[URG_NTYPES];
};

cpl_classout *classout_new(cpl_classifier *k, cpl_run *run, const cpl_classout_opts *o)
{
	cpl_classout *x = xcalloc(1, sizeof *x);
	x->k = k;
	x->run = run;
	x->o = *o;
	for (int s = 0; s < S_NSLOTS; s++)
		x->slot[s] = run_add_col(run, slot_names[s]);
	return x;
}

cpl_classout *classout_view(const cpl_classout *x, cpl_classifier *k, cpl_run *run)
{
	cpl_classout *v = xcalloc(1, sizeof *v);
	v->k = k;
	v->run = run;
	v->o = x->o;
	memcpy(v->slot, x->slot, sizeof v->slot);
	return v;
}

void classout_free(cpl_classout *x)
{
	if (!x)
		return;
	buf_free(&x->key);
	buf_free(&x->list);
	buf_free(&x->ids);
	buf_free(&x->name);
	buf_free(&x->text);
	for (int t = 0; t < URG_NTYPES; t++)
		buf_free(&x->why[t]);
	free(x);
}

/* The original characters [cs, ce) of a field. */
static void original(const cpl_caseview *v, int col, int cs, int ce, cpl_buf *out)
{
	size_t len;
	const char *s = case_raw(v, col, &len);
	size_t i = 0, start = len, end = len;
	int ch = 0;
	while (i < len) {
		if (ch == cs)
			start = i;
		if (ch == ce) {
			end = i;
			break;
		}
		uint32_t cp;
		i += (size_t)utf8_decode((const unsigned char *)s + i, len - i, &cp);
		ch++;
	}
	if (start > end)
		start = end;
	buf_clear(out);
	for (size_t k = start; k < end; k++) /* one line: the explanation is line-based */
		buf_addc(out, s[k] == '\n' || s[k] == '\r' ? ' ' : s[k]);
}

/* A batch's id: B, when it started (local time, digits only), and its
 * issue key's hash, "B20261101080000-9096fe72".  By hand: snprintf cost
 * 3,300 instructions a batch case, in the pass that runs on one thread. */
static void batch_id(char id[64], int64_t start, uint64_t key)
{
	char t[20];
	uint32_t h = (uint32_t)(key >> 32);
	if (!*time_format(start, t)) { /* a year past 9999 */
		int y, mo, d, hh, mi, s;
		time_to_local(start, &y, &mo, &d, &hh, &mi, &s, NULL);
		snprintf(id, 64, "B%04d%02d%02d%02d%02d%02d-%08" PRIx32, y, mo, d, hh, mi, s, h);
		return;
	}
	char *p = id;
	*p++ = 'B';
	for (int i = 0; i < 19; i++)
		if (t[i] >= '0' && t[i] <= '9')
			*p++ = t[i];
	*p++ = '-';
	for (int i = 7; i >= 0; i--, h >>= 4)
		p[i] = "0123456789abcdef"[h & 15];
	p[8] = 0;
}

static void say(cpl_classout *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(cpl_classout *x, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(x->o.explain, "%s: ", buf_str(&x->name));
	vfprintf(x->o.explain, fmt, ap);
	fputc('\n', x->o.explain);
	va_end(ap);
}

static void why(cpl_classout *x, int type, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void why(cpl_classout *x, int type, const char *fmt, ...)
{
	if (!x->o.explain || x->why[type].len)
		return;
	va_list ap;
	va_start(ap, fmt);
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	buf_adds(&x->why[type], msg);
}

static const char *quoted(cpl_classout *x, const cpl_caseview *v, int col, const cpl_hit *h)
{
	original(v, col, h->start, h->end, &x->text);
	return buf_str(&x->text);
}

/* 60m, 24h, 90s: a window as the options write it */
static const char *duration(int64_t secs, char out[32])
{
	if (secs % 3600 == 0 && secs >= 7200)
		snprintf(out, 32, "%" PRId64 "h", secs / 3600);
	else if (secs % 60 == 0)
		snprintf(out, 32, "%" PRId64 "m", secs / 60);
	else
		snprintf(out, 32, "%" PRId64 "s", secs);
	return out;
}

/* The other categories the rules gave points to, highest first: how close
 * the decision was. */
static void runners_up(cpl_classout *x, const cpl_rules *rules, const cpl_verdict *vd)
{
	size_t n = rules->ncats;
	double *score = xcalloc(n + 1, sizeof *score);
	unsigned char *hit = xcalloc(n + 1, 1);
	for (size_t i = 0; i < vd->nhits; i++) {
		const cpl_catrule *cr = &rules->r[vd->hits[i].rule];
		score[cr->cat] += cr->weight;
		hit[cr->cat] = 1;
	}
	cpl_buf b = {0};
	for (;;) { /* the highest not listed yet; ties in table order */
		size_t best = n;
		for (size_t c = 0; c < n; c++)
			if (hit[c] && strcmp(rules->cats[c], vd->category) && (best == n || score[c] > score[best]))
				best = c;
		if (best == n)
			break;
		buf_printf(&b, "%s%s %g", b.len ? ", " : "", rules->cats[best], score[best]);
		hit[best] = 0;
	}
	if (b.len)
		say(x, "other categories scored: %s", buf_str(&b));
	buf_free(&b);
	free(score);
	free(hit);
}

static void explain(cpl_classout *x, cpl_caselayout *L, const cpl_caseview *v, const cpl_verdict *vd,
	const cpl_cuehits *cue, const cpl_case_findings *fd, unsigned urgent, int prio, int complainant, int emotion)
{
	const cpl_rules *rules = x->k->rules;
	const cpl_cues *cues = x->k->cues;
	if (vd->rule >= 0)
		say(x, "category %s, subcategory %s, cause %s (score %g)", vd->category, vd->subcategory,
			*vd->cause ? vd->cause : "-", vd->score);
	else
		say(x, "category other: no category rule scored above 0");
	runners_up(x, rules, vd);
	for (size_t i = 0; i < vd->nhits; i++) {
		const cpl_catrule *cr = &rules->r[vd->hits[i].rule];
		say(x, "rule %s (%s %+g) matched \"%s\" in %s at char %d", cr->id, cr->subcategory, cr->weight,
			quoted(x, v, L->rule_col[cr->field], &vd->hits[i]), rules->fields[cr->field], vd->hits[i].start + 1);
	}
	for (size_t i = 0; i < cue->n; i++) {
		const cpl_cue *c = &cues->c[cue->h[i].rule];
		if (c->kind == CUE_CLOSED)
			continue;
		const char *val = c->kind == CUE_URGENT ? urgent_type_names[c->value] :
			c->kind == CUE_COMPLAINANT ? complainant_names[c->value] :
			c->kind == CUE_EMOTION ? emotion_names[c->value] : "nonsense";
		say(x, "cue %s (%s) matched \"%s\" in %s at char %d", c->id, val,
			quoted(x, v, L->cue_col[c->field], &cue->h[i]), cues->fields[c->field], cue->h[i].start + 1);
	}
	for (int i = 0; i < URG_NTYPES; i++) {
		int t = x->o.order[i];
		if (urgent & (1u << t))
			say(x, "urgent %s: %s", urgent_type_names[t], buf_str(&x->why[t]));
	}
	char dur[32];
	if (fd->harass)
		say(x, "harassment: %ld cases from this customer with no real problem within %s",
			fd->harass_cases, duration(x->o.harass_window, dur));
	say(x, "%s, priority %d; complainant %s, emotion %s", urgent ? "urgent" : "normal", prio,
		complainant_names[complainant], emotion_names[emotion]);
}

static void add_id(cpl_buf *ids, const char *id)
{
	if (ids->len)
		buf_addc(ids, ';');
	buf_adds(ids, id);
}

void classout_case(cpl_classout *x, cpl_caselayout *L, const cpl_caseview *v, const cpl_verdict *vd,
	const cpl_cuehits *cue, int bad, const cpl_case_findings *fd)
{
	cpl_classifier *k = x->k;
	cpl_run *run = x->run;
	const int *slot = x->slot;
	if (vd->limit >= 0)
		run_problem(run, "rule '%s' hit the match limit: it is taken as not matching", k->rules->r[vd->limit].id);
	if (cue->limit >= 0)
		run_problem(run, "cue '%s' hit the match limit: it is taken as not matching", k->cues->c[cue->limit].id);
	if (bad & CASE_BAD_CREATED) {
		size_t len;
		const char *s = case_raw(v, L->col[CASE_CREATED], &len);
		run_problem(run, "created_at '%.*s' is not a time: the case cannot be part of a batch or a repeat",
			(int)(len > 40 ? 40 : len), s);
	}
	if (bad & CASE_BAD_CLOSED) {
		size_t len;
		const char *s = case_raw(v, L->col[CASE_CLOSED], &len);
		run_problem(run, "closed_at '%.*s' is not a time: a later case cannot repeat this one",
			(int)(len > 40 ? 40 : len), s);
	}
	if (x->o.explain) {
		case_name(L, v, &x->name);
		for (int t = 0; t < URG_NTYPES; t++)
			buf_clear(&x->why[t]);
	}
	const cpl_hit *ch = cue->h;
	unsigned urgent = 0;
	int complainant = 0, emotion = 0, harass = 0;
	for (size_t i = 0; i < cue->n; i++) {
		const cpl_cue *c = &k->cues->c[ch[i].rule];
		switch (c->kind) {
		case CUE_URGENT:
			if (!(urgent & (1u << c->value)) && x->o.explain)
				why(x, c->value, "cue %s matched \"%s\" in %s at char %d", c->id,
					quoted(x, v, L->cue_col[c->field], &ch[i]), k->cues->fields[c->field], ch[i].start + 1);
			urgent |= 1u << c->value;
			break;
		case CUE_COMPLAINANT: if (c->value > complainant) complainant = c->value; break;
		case CUE_EMOTION: if (c->value > emotion) emotion = c->value; break;
		case CUE_HARASSMENT: harass = 1; break;
		}
	}
	/* cross_region: the problem is in another place than the customer's */
	size_t rl, il;
	const char *r = case_norm(k, L, v, L->col[CASE_REGION], &rl);
	const char *ir = case_norm(k, L, v, L->col[CASE_ISSUE_REGION], &il);
	if (r && ir) {
		r = region_core(r, &rl);
		ir = region_core(ir, &il);
		if (rl && il && (rl != il || memcmp(r, ir, rl))) {
			why(x, URG_CROSS_REGION, "issue_region %.*s is not region %.*s", (int)il, ir, (int)rl, r);
			urgent |= 1u << URG_CROSS_REGION;
		}
	}
	int lv = case_level(k, L, v);
	if (lv >= 0 && k->levels->l[lv].important) {
		size_t len;
		const char *s = case_raw(v, L->col[CASE_LEVEL], &len);
		why(x, URG_IMPORTANT, "customer_level \"%.*s\" (level rule %s)", (int)len, s, k->levels->l[lv].id);
		urgent |= 1u << URG_IMPORTANT;
	}
	uint64_t cust = k->sensitive ? case_customer(k, L, v) : 0;
	if (cust && hmap_get(k->sensitive, cust, 0)) {
		why(x, URG_SENSITIVE, "customer_id is on the --sensitive list");
		urgent |= 1u << URG_SENSITIVE;
	}
	run_sets(run, slot[S_BATCH_ID], "");
	run_sets(run, slot[S_REPEAT_OF], "");
	if (fd->batch) {
		char when[20], id[64];
		batch_id(id, fd->batch_start, fd->batch_key);
		run_sets(run, slot[S_BATCH_ID], id);
		urgent |= 1u << URG_BATCH;
		if (x->o.explain) {
			case_issue_key(k, L, v, vd, &x->key);
			char dur[32];
			why(x, URG_BATCH, "%s: %ld customers (%ld VIP) with issue %s within %s, from %s",
				id, fd->customers, fd->vip_customers, x->key.s, duration(x->o.batch_window, dur),
				time_format(fd->batch_start, when));
		}
	}
	if (fd->repeat) {
		char when[20];
		run_set(run, slot[S_REPEAT_OF], fd->repeat_of, fd->repeat_of_len);
		urgent |= 1u << URG_REPEAT;
		why(x, URG_REPEAT, "the same customer and subcategory as %s, closed %s", fd->repeat_of,
			time_format(fd->repeat_closed, when));
	}
	if (fd->harass)
		harass = 1;

	run_sets(run, slot[S_CATEGORY], vd->category);
	run_sets(run, slot[S_SUBCATEGORY], vd->subcategory);
	run_sets(run, slot[S_CAUSE], vd->cause);
	run_sets(run, slot[S_URGENCY], urgent ? "urgent" : "normal");
	urgency_list(urgent, x->o.order, &x->list);
	run_set(run, slot[S_URGENT_TYPES], x->list.s ? x->list.s : "", x->list.len);
	int prio = urgency_priority(urgent, x->o.order);
	char prio_s[2] = {(char)('0' + prio), 0}; /* 1..9 */
	run_sets(run, slot[S_PRIORITY], prio_s);
	run_sets(run, slot[S_COMPLAINANT], complainant_names[complainant]);
	run_sets(run, slot[S_EMOTION], emotion_names[emotion]);
	run_sets(run, slot[S_HARASSMENT], harass ? "1" : "0");
	case_issue_key(k, L, v, vd, &x->key);
	run_set(run, slot[S_ISSUE_KEY], x->key.s, x->key.len);
	buf_clear(&x->ids);
	for (size_t i = 0; i < vd->nhits; i++)
		add_id(&x->ids, k->rules->r[vd->hits[i].rule].id);
	for (size_t i = 0; i < cue->n; i++)
		if (k->cues->c[ch[i].rule].kind != CUE_CLOSED)
			add_id(&x->ids, k->cues->c[ch[i].rule].id);
	run_set(run, slot[S_CLASS_RULES], x->ids.s ? x->ids.s : "", x->ids.len);
	if (x->o.explain)
		explain(x, L, v, vd, cue, fd, urgent, prio, complainant, emotion);
}
