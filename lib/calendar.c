/* calendar.c: mainland China's business calendar.  Working days are Monday
 * to Friday minus public holidays plus the make-up working days on weekends
 * (调休上班), read from data/calendar.csv or a user file; business hours are
 * one or more intervals of the day.  The first computation builds a table
 * indexed by day (working flag, running count of working days), so that
 * adding working days or business hours costs a few array lookups, whatever
 * the distance. */
#include <stdlib.h>
#include <string.h>
#include "cpl.h"

/* The table spans these years; a due time outside them cannot be computed. */
#define FIRST_YEAR 1900
#define LAST_YEAR 2199
#define NYEARS (LAST_YEAR - FIRST_YEAR + 1)
#define MAX_INTERVALS 8

enum { DAY_WORKING = 1, DAY_COVERED = 2 };

struct entry {
	int32_t day;  /* days since 1970-01-01 */
	char work;    /* 1 work (make-up day), 0 off (holiday) */
	long line;
	int file;     /* which file gave it, for duplicate checks */
};

struct cpl_calendar {
	struct entry *entries;
	size_t nentries, cap;
	int32_t *entry_at;     /* [days of the table] entry index + 1, or 0 */
	int nfiles;
	char covered[NYEARS];  /* the calendar has the State Council's dates for this year */
	char some[NYEARS];     /* it has a date in this year */
	char warned[NYEARS];   /* the weekly-pattern warning was given */

	/* business hours: seconds since local midnight */
	int nint;
	int32_t open[MAX_INTERVALS], close[MAX_INTERVALS];
	int64_t day_secs;      /* business seconds in a working day */

	/* built on first use */
	int built;
	int64_t base;          /* day number of FIRST_YEAR-01-01 */
	int32_t ndays;
	unsigned char *flags;  /* [ndays] */
	int32_t *before;       /* [ndays+1] working days before day i */
	int32_t *working;      /* [nworking] index of the k-th working day */
	int32_t nworking;
	int32_t *uncovered_before; /* [ndays+1] uncovered days before day i */
};

static int parse_date(const char *s, size_t len, int64_t *day)
{
	int y, m, d;
	if (len != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (size_t i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < FIRST_YEAR || y > LAST_YEAR || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	*day = days_from_civil(y, m, d);
	return 0;
}

static int weekday(int64_t day) { return (int)((day % 7 + 11) % 7); } /* 0 = Sunday */
static int year_of(int64_t day) { int y, m, d; civil_from_days(day, &y, &m, &d); return y; }

static void add_entry(cpl_calendar *cal, const cpl_table *t, size_t row, int64_t day, int work)
{
	/* a date given twice in one file is a mistake; a later file overrides */
	int32_t *at = &cal->entry_at[day - days_from_civil(FIRST_YEAR, 1, 1)];
	if (*at) {
		struct entry *e = &cal->entries[*at - 1];
		if (e->file == cal->nfiles) {
			int y, m, d;
			civil_from_days(day, &y, &m, &d);
			table_die(t, row, "%04d-%02d-%02d appears twice (first on line %ld)", y, m, d, e->line);
		}
		e->work = (char)work;
		e->line = t->lines[row];
		e->file = cal->nfiles;
		return;
	}
	if (cal->nentries == cal->cap) {
		cal->cap = cal->cap ? cal->cap * 2 : 128;
		cal->entries = xrealloc(cal->entries, cal->cap * sizeof *cal->entries);
	}
	cal->entries[cal->nentries++] = (struct entry){(int32_t)day, (char)work, t->lines[row], cal->nfiles};
	*at = (int32_t)cal->nentries;
	cal->some[year_of(day) - FIRST_YEAR] = 1;
}

static void read_file(cpl_calendar *cal, const char *path)
{
	static const char *const required[] = {"date", "kind", NULL};
	if (cal->built)
		cpl_die(CPL_EXIT_USAGE, "internal error: calendar file added after use");
	cpl_table *t = table_load(path, "calendar.csv", required);
	int cdate = table_col(t, "date"), ckind = table_col(t, "kind");
	cal->nfiles++;
	for (size_t r = 0; r < t->nrows; r++) {
		const char *ds = t->rows[r][cdate], *ks = t->rows[r][ckind];
		int work;
		if (!strcmp(ks, "off"))
			work = 0;
		else if (!strcmp(ks, "work"))
			work = 1;
		else
			table_die(t, r, "kind '%s': expected off (a holiday) or work (a make-up working day)", ks);
		int64_t from, to;
		const char *dots = strstr(ds, "..");
		if (dots ? parse_date(ds, (size_t)(dots - ds), &from) || parse_date(dots + 2, strlen(dots + 2), &to)
			 : parse_date(ds, strlen(ds), &from))
			table_die(t, r, "date '%s': expected YYYY-MM-DD or FROM..TO, years %d-%d", ds, FIRST_YEAR, LAST_YEAR);
		if (!dots)
			to = from;
		if (to < from || to - from > 366)
			table_die(t, r, "date '%s': the range runs backwards or spans more than a year", ds);
		for (int64_t day = from; day <= to; day++) {
			int wd = weekday(day);
			if (work && wd != 0 && wd != 6)
				table_die(t, r, "%s is a weekday: a make-up working day (work) falls on a Saturday or Sunday", ds);
			add_entry(cal, t, r, day, work);
		}
	}
	table_free(t);
}

cpl_calendar *calendar_load(const char *path)
{
	cpl_calendar *cal = xcalloc(1, sizeof *cal);
	cal->entry_at = xcalloc((size_t)(days_from_civil(LAST_YEAR + 1, 1, 1) - days_from_civil(FIRST_YEAR, 1, 1)),
		sizeof *cal->entry_at);
	const char *why;
	if (calendar_set_hours(cal, "09:00-18:00", &why) < 0)
		cpl_die(CPL_EXIT_USAGE, "internal error: %s", why);
	read_file(cal, path);
	return cal;
}

void calendar_add_file(cpl_calendar *cal, const char *path) { read_file(cal, path); }

static int parse_clock(const char **p, int32_t *secs)
{
	const char *s = *p;
	int h = 0, m = 0, n = 0;
	while (*s >= '0' && *s <= '9' && n < 2)
		h = h * 10 + (*s++ - '0'), n++;
	if (!n || *s++ != ':')
		return -1;
	if (!(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9'))
		return -1;
	m = (s[0] - '0') * 10 + (s[1] - '0');
	s += 2;
	if (m > 59 || h > 24 || (h == 24 && m))
		return -1;
	*secs = h * 3600 + m * 60;
	*p = s;
	return 0;
}

int calendar_set_hours(cpl_calendar *cal, const char *spec, const char **why)
{
	int32_t open[MAX_INTERVALS], close[MAX_INTERVALS];
	int n = 0;
	const char *p = spec;
	for (;;) {
		if (n == MAX_INTERVALS) {
			*why = "more than 8 intervals";
			return -1;
		}
		if (parse_clock(&p, &open[n]) || *p++ != '-' || parse_clock(&p, &close[n])) {
			*why = "expected HH:MM-HH:MM, or intervals separated by commas (08:30-12:00,13:30-17:30)";
			return -1;
		}
		if (close[n] <= open[n]) {
			*why = "an interval ends before it starts (business hours stay within one day)";
			return -1;
		}
		if (n && open[n] < close[n - 1]) {
			*why = "the intervals overlap or are out of order";
			return -1;
		}
		n++;
		if (!*p)
			break;
		if (*p++ != ',') {
			*why = "expected HH:MM-HH:MM, or intervals separated by commas (08:30-12:00,13:30-17:30)";
			return -1;
		}
	}
	cal->nint = n;
	cal->day_secs = 0;
	for (int i = 0; i < n; i++) {
		cal->open[i] = open[i];
		cal->close[i] = close[i];
		cal->day_secs += close[i] - open[i];
	}
	return 0;
}

static void build(cpl_calendar *cal)
{
	cal->base = days_from_civil(FIRST_YEAR, 1, 1);
	cal->ndays = (int32_t)(days_from_civil(LAST_YEAR + 1, 1, 1) - cal->base);
	cal->flags = xmalloc((size_t)cal->ndays);
	for (int32_t i = 0; i < cal->ndays; i++) {
		int wd = weekday(cal->base + i);
		cal->flags[i] = wd != 0 && wd != 6 ? DAY_WORKING : 0;
	}
	/* a year is covered by the State Council's dates for it, which always
	 * have National Day off: a company's own days alone do not cover it */
	for (size_t k = 0; k < cal->nentries; k++) {
		int y, m, d;
		civil_from_days(cal->entries[k].day, &y, &m, &d);
		if (m == 10 && d == 1 && !cal->entries[k].work)
			cal->covered[y - FIRST_YEAR] = 1;
	}
	for (int y = FIRST_YEAR; y <= LAST_YEAR; y++)
		if (cal->covered[y - FIRST_YEAR]) {
			int64_t a = days_from_civil(y, 1, 1) - cal->base, b = days_from_civil(y + 1, 1, 1) - cal->base;
			for (int64_t i = a; i < b; i++)
				cal->flags[i] |= DAY_COVERED;
		}
	for (size_t k = 0; k < cal->nentries; k++) {
		int64_t i = cal->entries[k].day - cal->base;
		cal->flags[i] = (unsigned char)((cal->flags[i] & ~DAY_WORKING) | (cal->entries[k].work ? DAY_WORKING : 0));
	}
	cal->before = xmalloc(((size_t)cal->ndays + 1) * sizeof *cal->before);
	cal->uncovered_before = xmalloc(((size_t)cal->ndays + 1) * sizeof *cal->uncovered_before);
	cal->working = xmalloc((size_t)cal->ndays * sizeof *cal->working);
	int32_t w = 0, u = 0;
	for (int32_t i = 0; i < cal->ndays; i++) {
		cal->before[i] = w;
		cal->uncovered_before[i] = u;
		if (cal->flags[i] & DAY_WORKING)
			cal->working[w++] = i;
		if (!(cal->flags[i] & DAY_COVERED))
			u++;
	}
	cal->before[cal->ndays] = w;
	cal->uncovered_before[cal->ndays] = u;
	cal->nworking = w;
	cal->built = 1;
}

/* Days a..b (table indexes, inclusive) decided by the weekly pattern alone:
 * say so once per year. */
static void check_covered(cpl_calendar *cal, int64_t a, int64_t b)
{
	if (cal->uncovered_before[b + 1] == cal->uncovered_before[a])
		return;
	for (int y = year_of(cal->base + a); y <= year_of(cal->base + b); y++) {
		if (cal->covered[y - FIRST_YEAR] || cal->warned[y - FIRST_YEAR])
			continue;
		cal->warned[y - FIRST_YEAR] = 1;
		if (cal->some[y - FIRST_YEAR])
			cpl_warn("warning: the calendar has some dates of %d but not the State Council's (no National Day "
				"on 1 October): its other days are taken as Monday to Friday, without holidays or make-up "
				"days (add them with --calendar-add)", y);
		else
			cpl_warn("warning: the calendar has no data for %d: its working days are taken as "
				"Monday to Friday, without holidays or make-up days (add them with --calendar-add)", y);
	}
}

/* Table index of t's local day, and the seconds since local midnight. */
static int64_t local_day(cpl_calendar *cal, int64_t t, int32_t *sod)
{
	int y, mo, d, h, mi, s;
	time_to_local(t, &y, &mo, &d, &h, &mi, &s, NULL);
	*sod = h * 3600 + mi * 60 + s;
	return days_from_civil(y, mo, d) - cal->base;
}

static int64_t at_local(cpl_calendar *cal, int64_t idx, int32_t sod)
{
	int y, m, d;
	civil_from_days(cal->base + idx, &y, &m, &d);
	return time_from_local(y, m, d, sod / 3600, sod / 60 % 60, sod % 60);
}

int64_t calendar_add_working_days(cpl_calendar *cal, int64_t t, int n)
{
	if (!cal->built)
		build(cal);
	int32_t sod;
	int64_t r = local_day(cal, t, &sod);
	if (n < 1 || r < 0 || r >= cal->ndays)
		return CPL_NOTIME;
	/* the day of receipt does not count, whatever the hour */
	int64_t k = (int64_t)cal->before[r + 1] + n - 1;
	if (k >= cal->nworking)
		return CPL_NOTIME;
	int64_t due = cal->working[k];
	check_covered(cal, r + 1, due);
	return at_local(cal, due, cal->close[cal->nint - 1]);
}

/* Business seconds of a working day that lie before the time of day sod. */
static int64_t business_before(const cpl_calendar *cal, int32_t sod)
{
	int64_t n = 0;
	for (int i = 0; i < cal->nint && sod > cal->open[i]; i++)
		n += (sod < cal->close[i] ? sod : cal->close[i]) - cal->open[i];
	return n;
}

/* The time of day at which o business seconds (0 < o <= day_secs) have passed:
 * ending exactly on a closing time stays there, not at the next opening. */
static int32_t business_at(const cpl_calendar *cal, int64_t o)
{
	for (int i = 0; i < cal->nint; i++) {
		int64_t len = cal->close[i] - cal->open[i];
		if (o <= len)
			return (int32_t)(cal->open[i] + o);
		o -= len;
	}
	return cal->close[cal->nint - 1];
}

/* Where t is on a line of business seconds that runs through every working
 * day: a time outside business hours is where the next business second
 * starts. */
static int64_t position(const cpl_calendar *cal, int64_t r, int32_t sod)
{
	int64_t pos = (int64_t)cal->before[r] * cal->day_secs;
	if (cal->flags[r] & DAY_WORKING)
		pos += business_before(cal, sod);
	return pos;
}

int64_t calendar_business_seconds_between(cpl_calendar *cal, int64_t a, int64_t b)
{
	if (!cal->built)
		build(cal);
	int32_t sa, sb;
	int64_t ra = local_day(cal, a, &sa), rb = local_day(cal, b, &sb);
	if (ra < 0 || ra >= cal->ndays || rb < 0 || rb >= cal->ndays)
		return CPL_NOTIME;
	return position(cal, rb, sb) - position(cal, ra, sa);
}

int64_t calendar_add_business_seconds(cpl_calendar *cal, int64_t t, int64_t secs)
{
	if (!cal->built)
		build(cal);
	int32_t sod;
	int64_t r = local_day(cal, t, &sod);
	if (secs < 1 || r < 0 || r >= cal->ndays)
		return CPL_NOTIME;
	int64_t end = position(cal, r, sod) + secs;
	int64_t k = (end - 1) / cal->day_secs;
	if (k >= cal->nworking)
		return CPL_NOTIME;
	int64_t due = cal->working[k];
	check_covered(cal, r, due);
	return at_local(cal, due, business_at(cal, end - k * cal->day_secs));
}

void calendar_free(cpl_calendar *cal)
{
	if (!cal)
		return;
	free(cal->entries);
	free(cal->entry_at);
	free(cal->flags);
	free(cal->before);
	free(cal->working);
	free(cal->uncovered_before);
	free(cal);
}
