/* cpldeadline: by when must each complaint be answered and resolved, on
 * mainland China's business calendar, and is it late.  Picks the case's
 * policy (lib/policy.c), computes the due times (lib/calendar.c) and judges
 * each target at --now: met, breached, open, at_risk or overdue. */
#include <stdlib.h>
#include <string.h>
#include "cpl.h"

enum { O_POLICY, O_CALENDAR, O_CALENDAR_ADD, O_HOURS, O_AT_RISK, O_NOW };

static const cpl_option options[] = {
	[O_POLICY] = {"policy", 0, "FILE", "policy table to use instead of the built-in one"},
	[O_CALENDAR] = {"calendar", 0, "FILE", "business calendar to use instead of the built-in one"},
	[O_CALENDAR_ADD] = {"calendar-add", 0, "FILE", "add or correct dates of the calendar (repeatable)"},
	[O_HOURS] = {"hours", 0, "SPEC", "business hours HH:MM-HH:MM[,HH:MM-HH:MM...] (default 09:00-18:00)"},
	[O_AT_RISK] = {"at-risk", 0, "SHARE", "at risk when more than SHARE of the time is used (default 0.8)"},
	[O_NOW] = {"now", 0, "TIME", "judge the status at TIME (default: the current time)"},
	{0},
};

static const char *policy_path, *calendar_path, *hours = "09:00-18:00", *now_arg;
static const char **calendar_adds;
static int ncalendar_adds;
static double at_risk_share = 0.8;

static void on_option(int idx, const char *arg)
{
	switch (idx) {
	case O_POLICY: policy_path = arg; break;
	case O_CALENDAR: calendar_path = arg; break;
	case O_CALENDAR_ADD:
		calendar_adds = xrealloc(calendar_adds, (size_t)(ncalendar_adds + 1) * sizeof *calendar_adds);
		calendar_adds[ncalendar_adds++] = arg;
		break;
	case O_HOURS: hours = arg; break;
	case O_AT_RISK: at_risk_share = opt_double("at-risk", arg, 0, 1); break;
	case O_NOW: now_arg = arg; break;
	}
}

/* The three columns of one target. */
struct target_cols {
	const char *what; /* "reply" or "resolve", for messages */
	int due, status, left;
};

static cpl_calendar *cal;
static int64_t now;

/* v in decimal at the end of out; returns its length.  By hand: a
 * vsnprintf per open target was a tenth of the command's own cost. */
static size_t format_minutes(int64_t v, char out[24])
{
	char *p = out + 24;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10));
	if (v < 0)
		*--p = '-';
	return (size_t)(out + 24 - p);
}

/* Is done before received, at the precision done was written in as far as
 * its value tells?  A time at local midnight may be a date alone (closed
 * 2026-11-21, received that day at 10:00, is not before it), one on the
 * minute may have been written without seconds. */
static int before(int64_t done, int64_t received)
{
	int h, mi, s, rh, rmi, rs;
	time_to_local(done, NULL, NULL, NULL, &h, &mi, &s, NULL);
	time_to_local(received, NULL, NULL, NULL, &rh, &rmi, &rs, NULL);
	if (!h && !mi && !s)
		received -= (int64_t)rh * 3600 + rmi * 60 + rs;
	else if (!s)
		received -= rs;
	return done < received;
}

/* The share of a target's time used at now, in the target's own time: the
 * business hours of working days for 8bh and 5wd (a holiday uses none of
 * it), the clock for 24h and 15d. */
static double used_share(const cpl_sla_target *tg, int64_t received, int64_t due)
{
	if (tg->within.kind != SLA_CLOCK) {
		int64_t used = calendar_business_seconds_between(cal, received, now);
		int64_t all = calendar_business_seconds_between(cal, received, due);
		if (used != CPL_NOTIME && all != CPL_NOTIME && all > 0)
			return (double)used / (double)all;
	}
	return due > received ? (double)(now - received) / (double)(due - received) : 1;
}

static void judge(cpl_run *run, const struct target_cols *tc, const cpl_sla_target *tg,
	int created, int64_t received, int64_t paused)
{
	if (!tg->set)
		return; /* the policy sets no such target: the columns stay empty */
	int64_t due = sla_due(cal, received, &tg->within);
	if (due == CPL_NOTIME) {
		run_problem(run, "%s due time: beyond the years the calendar can count (1900-2199)", tc->what);
		return;
	}
	due += paused;
	char buf[20];
	if (!*time_format(due, buf)) { /* past 9999-12-31: no date to write */
		run_problem(run, "%s due time: beyond the year 9999", tc->what);
		return;
	}
	run_sets(run, tc->due, buf);

	size_t len;
	const char *s = run_field(run, tg->done_idx, &len);
	int empty;
	int64_t done = time_parse(s, len, &empty);
	if (done == CPL_NOTIME && !empty) {
		run_problem(run, "%s: cannot read '%.*s' as a time, so the %s status is unknown",
			run_colname(run, (size_t)tg->done_idx), (int)(len > 60 ? 60 : len), s, tc->what);
		return;
	}
	if (done != CPL_NOTIME && before(done, received)) { /* a slip of the keyboard or of the clock */
		char a[20], b[20];
		run_problem(run, "%s %s is before %s %s, so the %s status is unknown",
			run_colname(run, (size_t)tg->done_idx), time_format(done, a), run_colname(run, (size_t)created),
			time_format(received, b), tc->what);
		return;
	}
	if (done != CPL_NOTIME) {
		run_sets(run, tc->status, done <= due ? "met" : "breached");
		return;
	}
	const char *status = "open";
	if (now > due)
		status = "overdue";
	else if (now > received && used_share(tg, received, due) > at_risk_share)
		status = "at_risk";
	run_sets(run, tc->status, status);
	int64_t left = due - now;
	left = left >= 0 ? left / 60 : -((-left + 59) / 60); /* whole minutes, rounded down */
	char num[24];
	size_t n = format_minutes(left, num);
	run_set(run, tc->left, num + sizeof num - n, n);
}

/* Why no policy matched: the values the policies test. */
static void no_policy(cpl_run *run, const cpl_policies *ps, const cpl_field *values)
{
	char msg[512];
	size_t n = 0;
	msg[0] = 0;
	for (int c = 0; c < POLICY_NCRIT && n < sizeof msg - 1; c++) {
		if (!values[c].s)
			continue;
		int w = snprintf(msg + n, sizeof msg - n, "%s%s '%.*s'", n ? ", " : "", policy_case_column[c],
			(int)(values[c].len > 40 ? 40 : values[c].len), values[c].s);
		if (w > 0)
			n += (size_t)w < sizeof msg - n ? (size_t)w : sizeof msg - n - 1;
	}
	run_problem(run, "no policy of %s matches this case (%s)", ps->name,
		n ? msg : "the log has none of the columns the policies test");
}

int main(int argc, char **argv)
{
	static const cpl_cmd cmd = {
		.name = "cpldeadline",
		.usage = "[options] [FILE...]",
		.summary = "add due times and SLA status on the Chinese business calendar",
		.options = options,
		.on_option = on_option,
		.needs_input = 1,
	};
	cpl_set_prog(argv[0]);
	int first = opts_parse(&cmd, argc, argv);

	/* tables first: a bad one is refused before any input is read */
	cal = calendar_load(calendar_path);
	for (int i = 0; i < ncalendar_adds; i++)
		calendar_add_file(cal, calendar_adds[i]);
	const char *why;
	if (calendar_set_hours(cal, hours, &why) < 0)
		cpl_die(CPL_EXIT_USAGE, "--hours '%s': %s", hours, why);
	now = time_now();
	if (now_arg) {
		now = time_parse(now_arg, strlen(now_arg), NULL);
		if (now == CPL_NOTIME)
			cpl_die(CPL_EXIT_USAGE, "--now: cannot read '%s' as a time (YYYY-MM-DD HH:MM:SS)", now_arg);
	}
	cpl_policies *ps = policy_load(policy_path);

	cpl_run *run = run_start(&cmd, argc, argv, first);
	int created = run_need_col(run, "created_at");
	int crit[POLICY_NCRIT];
	for (int c = 0; c < POLICY_NCRIT; c++)
		crit[c] = run_col(run, policy_case_column[c]);
	int replied = run_col(run, "first_reply_at"), closed = run_col(run, "closed_at");
	int paused_col = run_col(run, "paused_min");
	/* a row whose target names a column the log lacks does not apply to it */
	for (size_t r = 0; r < ps->n; r++) {
		cpl_policy *p = &ps->rows[r];
		p->reply.done_idx = p->reply.done_col ? run_col(run, p->reply.done_col) : replied;
		p->resolve.done_idx = p->resolve.done_col ? run_col(run, p->resolve.done_col) : closed;
		if ((p->reply.done_col && p->reply.done_idx < 0) || (p->resolve.done_col && p->resolve.done_idx < 0))
			p->usable = 0;
	}
	int policy_slot = run_add_col(run, "sla_policy");
	struct target_cols reply = {"reply", 0, 0, 0}, resolve = {"resolve", 0, 0, 0};
	reply.due = run_add_col(run, "reply_due");
	resolve.due = run_add_col(run, "resolve_due");
	reply.status = run_add_col(run, "reply_status");
	resolve.status = run_add_col(run, "resolve_status");
	reply.left = run_add_col(run, "reply_left_min");
	resolve.left = run_add_col(run, "resolve_left_min");

	while (run_next(run)) {
		cpl_field values[POLICY_NCRIT];
		for (int c = 0; c < POLICY_NCRIT; c++) {
			if (crit[c] < 0)
				values[c] = (cpl_field){NULL, 0};
			else
				values[c].s = run_field(run, crit[c], &values[c].len);
		}
		const cpl_policy *p = policy_match(ps, values);
		if (!p) {
			no_policy(run, ps, values);
			run_emit(run);
			continue;
		}
		run_sets(run, policy_slot, p->name);

		size_t len;
		const char *s = run_field(run, created, &len);
		int empty;
		int64_t received = time_parse(s, len, &empty);
		if (received == CPL_NOTIME) {
			if (empty)
				run_problem(run, "%s is empty: no due times", run_colname(run, (size_t)created));
			else
				run_problem(run, "%s: cannot read '%.*s' as a time: no due times",
					run_colname(run, (size_t)created), (int)(len > 60 ? 60 : len), s);
			run_emit(run);
			continue;
		}
		int64_t paused = 0;
		if (paused_col >= 0) {
			s = run_field(run, paused_col, &len);
			char *e = (char *)s;
			double m = len ? strtod(s, &e) : 0;
			while (*e == ' ' || *e == '\t')
				e++;
			if (len && (e == s || (size_t)(e - s) != len || !(m >= 0 && m <= 10.0 * 366 * 24 * 60)))
				run_problem(run, "%s '%.*s': expected minutes, a number of 0 or more; taken as 0",
					run_colname(run, (size_t)paused_col), (int)(len > 60 ? 60 : len), s);
			else
				paused = (int64_t)(m * 60 + 0.5);
		}
		judge(run, &reply, &p->reply, created, received, paused);
		judge(run, &resolve, &p->resolve, created, received, paused);
		run_emit(run);
	}
	int status = run_finish(run);
	policy_free(ps);
	calendar_free(cal);
	return status;
}
