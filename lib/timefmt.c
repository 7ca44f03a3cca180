/* timefmt.c: the one time parser.  Reads the shapes real exports use
 * (2026-11-22 10:05:00, 2026-11-22T10:05:00+08:00, 2026/11/22 9:05[:07],
 * with AM/PM or 上午/下午, 2026年11月22日 10时05分, 20261122100500,
 * 202611221005, 20261122 1005, a date alone, an Excel serial number) in
 * the local zone (--tz, else $TZ, else Asia/Shanghai), and writes
 * YYYY-MM-DD HH:MM:SS.  Times are int64 seconds since the epoch. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "cpl.h"

int64_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t yy = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

int days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

/* ---- the zone: offsets are cached per hour, as cases cluster in time ---- */

static int fixed_zone = 1;       /* offset known without asking libc */
static long fixed_offset = 8 * 3600;
/* per thread: cplclassify reads times in more than one */
static _Thread_local int64_t cache_local_hour = INT64_MIN, cache_utc_hour = INT64_MIN;
static _Thread_local long cache_local_off, cache_utc_off;

/* From tail_from (UTC) on, the zone's offset is tail_offset for good: the
 * zone file's last transition is behind and its rule has no summer time
 * (Asia/Shanghai since 1991).  Times there need no libc call: localtime_r
 * and mktime re-read $TZ and re-parse the zone's rule on every call, which
 * was most of cpldeadline's own cost.  INT64_MAX: no such tail. */
static int64_t tail_from = INT64_MAX;
static long tail_offset;
/* A local time converts without libc when it lies this far past tail_from,
 * whatever the offset before the last transition was. */
#define TAIL_MARGIN (2 * 86400)

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A POSIX TZ rule without summer time: a name, an offset, nothing else
 * ("CST-8", "<+0545>-5:45").  A rule naming a summer time zone has one. */
static int rule_is_fixed(const char *s, size_t len)
{
	size_t i = 0;
	if (i < len && s[i] == '<') {
		while (i < len && s[i] != '>')
			i++;
		if (i++ >= len)
			return 0;
	} else {
		size_t a = i;
		while (i < len && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z')))
			i++;
		if (i - a < 3)
			return 0;
	}
	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	size_t d = i;
	while (i < len && ((s[i] >= '0' && s[i] <= '9') || s[i] == ':'))
		i++;
	return i > d && i == len;
}

/* Where the offset of the zone file glibc reads for tz stops changing
 * (tail_from), or INT64_MAX when it does not, or the file is not one we
 * can vouch for (leap seconds, a summer time rule, unreadable). */
static int64_t zone_tail(const char *tz)
{
	const char *name = tz[0] == ':' ? tz + 1 : tz;
	char path[1024];
	const char *dir = getenv("TZDIR");
	if (name[0] == '/')
		snprintf(path, sizeof path, "%s", name);
	else
		snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return INT64_MAX;
	static unsigned char b[1 << 16];
	size_t n = fread(b, 1, sizeof b, fp);
	int whole = feof(fp);
	fclose(fp);
	if (!whole || n < 44 || memcmp(b, "TZif", 4))
		return INT64_MAX;
	/* the version 1 block, then (version 2 on) the 64-bit block and the rule */
	size_t at = 0;
	int v2 = b[4] >= '2';
	for (int pass = 0; pass <= v2; pass++) {
		if (n - at < 44)
			return INT64_MAX;
		const unsigned char *h = b + at + 20;
		uint32_t isut = be32(h), isstd = be32(h + 4), leap = be32(h + 8),
			timecnt = be32(h + 12), typecnt = be32(h + 16), charcnt = be32(h + 20);
		size_t tsize = pass ? 8 : 4;
		size_t body = timecnt * tsize + timecnt + typecnt * 6 + charcnt + leap * (tsize + 4) + isstd + isut;
		if (leap || typecnt == 0 || timecnt > 100000 || typecnt > 256 || charcnt > 1000 ||
			body > n - at - 44)
			return INT64_MAX;
		at += 44;
		if (pass < v2) {
			at += body;
			continue;
		}
		int64_t last = INT64_MIN;
		if (timecnt) {
			const unsigned char *t = b + at + (timecnt - 1) * tsize;
			last = tsize == 8 ? (int64_t)((uint64_t)be32(t) << 32 | be32(t + 4)) : (int32_t)be32(t);
		}
		at += body;
		if (v2) { /* the rule for times past the last transition: "\nCST-8\n" */
			if (at >= n || b[at] != '\n')
				return INT64_MAX;
			const char *r = (const char *)b + at + 1;
			const char *e = memchr(r, '\n', n - at - 1);
			if (!e || (e > r && !rule_is_fixed(r, (size_t)(e - r))))
				return INT64_MAX;
		}
		return last;
	}
	return INT64_MAX;
}

static long libc_offset(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!localtime_r(&tt, &tm))
		return LONG_MIN;
	return tm.tm_gmtoff;
}

/* After tzset(): find the tail, and check it against libc at a few times. */
static void set_tail(const char *tz)
{
	tail_from = INT64_MAX;
	int64_t from = zone_tail(tz);
	if (from == INT64_MAX)
		return;
	if (from < -((int64_t)1 << 40))
		from = -((int64_t)1 << 40); /* no transitions: constant since always */
	long off = libc_offset(from);
	static const int64_t probe[] = {0, 86400, 366 * 86400, 3600LL * 24 * 365 * 30, 3600LL * 24 * 365 * 70,
		3600LL * 24 * 365 * 130, 3600LL * 24 * 365 * 230};
	for (size_t i = 0; i < sizeof probe / sizeof probe[0]; i++)
		if (off == LONG_MIN || libc_offset(from + probe[i]) != off)
			return;
	tail_offset = off;
	tail_from = from;
}

void time_set_zone(const char *tz)
{
	if (!tz || !*tz)
		tz = getenv("TZ");
	if (!tz || !*tz)
		tz = "Asia/Shanghai";
	cache_local_hour = cache_utc_hour = INT64_MIN;
	const char *name = tz[0] == ':' ? tz + 1 : tz;
	int shanghai = !strcmp(name, "Asia/Shanghai") || !strcmp(name, "PRC") ||
		!strcmp(name, "Asia/Chongqing") || !strcmp(name, "Asia/Harbin") ||
		!strcmp(name, "Asia/Chungking");
	if (!strcmp(name, "UTC") || !strcmp(name, "Etc/UTC") || !strcmp(name, "UTC0")) {
		fixed_zone = 1;
		fixed_offset = 0;
		setenv("TZ", "UTC0", 1);
		tzset();
		return;
	}
	if (name[0] != '/' && !strchr("0123456789+-<", name[0]) && !strpbrk(name, ",")) {
		/* a zone name: it must exist, or glibc silently uses UTC */
		char path[512];
		struct stat st;
		snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", name);
		int posix_like = strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") >= 3 &&
			strpbrk(name, "0123456789") != NULL;
		if (stat(path, &st) != 0 && !posix_like) {
			if (shanghai) {
				/* no tzdata installed: China has had no DST since 1991 */
				fixed_zone = 1;
				fixed_offset = 8 * 3600;
				setenv("TZ", "CST-8", 1);
				tzset();
				return;
			}
			cpl_die(CPL_EXIT_USAGE, "unknown time zone '%s' (no /usr/share/zoneinfo/%s)", name, name);
		}
	}
	setenv("TZ", tz, 1);
	tzset();
	fixed_zone = 0;
	set_tail(tz);
}

static long offset_at_utc(int64_t t)
{
	if (fixed_zone)
		return fixed_offset;
	if (tail_from != INT64_MAX && t >= tail_from)
		return tail_offset;
	int64_t hour = t >= 0 ? t / 3600 : (t - 3599) / 3600;
	if (hour != cache_utc_hour) {
		time_t tt = (time_t)t;
		struct tm tm;
		localtime_r(&tt, &tm);
		cache_utc_off = tm.tm_gmtoff;
		cache_utc_hour = hour;
	}
	return cache_utc_off;
}

int64_t time_from_local(int y, int mo, int d, int h, int mi, int s)
{
	int64_t local = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
	if (fixed_zone)
		return local - fixed_offset;
	if (tail_from != INT64_MAX && local - tail_offset >= tail_from + TAIL_MARGIN)
		return local - tail_offset;
	int64_t hour = local >= 0 ? local / 3600 : (local - 3599) / 3600;
	if (hour != cache_local_hour) {
		struct tm tm = {0};
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = d;
		tm.tm_hour = h;
		tm.tm_min = 0;
		tm.tm_isdst = -1;
		time_t t = mktime(&tm);
		cache_local_off = (long)((days_from_civil(y, mo, d) * 86400 + h * 3600) - (int64_t)t);
		cache_local_hour = hour;
	}
	return local - cache_local_off;
}

void time_to_local(int64_t t, int *y, int *mo, int *d, int *h, int *mi, int *s, int *wday)
{
	int64_t local = t + offset_at_utc(t);
	int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	int64_t sec = local - days * 86400;
	int yy, mm, dd;
	civil_from_days(days, &yy, &mm, &dd);
	if (y) *y = yy;
	if (mo) *mo = mm;
	if (d) *d = dd;
	if (h) *h = (int)(sec / 3600);
	if (mi) *mi = (int)(sec / 60 % 60);
	if (s) *s = (int)(sec % 60);
	if (wday) *wday = (int)((days % 7 + 11) % 7); /* 1970-01-01 was a Thursday; 0 = Sunday */
}

char *time_format(int64_t t, char out[20])
{
	int y, mo, d, h, mi, s;
	time_to_local(t, &y, &mo, &d, &h, &mi, &s, NULL);
	if (y < 0 || y > 9999) {
		snprintf(out, 20, "%s", "");
		return out;
	}
	/* hand-rolled: snprintf is the cost of this function otherwise; the
	 * pairs of digits come from a table, a division fewer per field */
	static const char two[] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	memcpy(out, two + 2 * (y / 100), 2);
	memcpy(out + 2, two + 2 * (y % 100), 2);
	out[4] = '-';
	memcpy(out + 5, two + 2 * mo, 2);
	out[7] = '-';
	memcpy(out + 8, two + 2 * d, 2);
	out[10] = ' ';
	memcpy(out + 11, two + 2 * h, 2);
	out[13] = ':';
	memcpy(out + 14, two + 2 * mi, 2);
	out[16] = ':';
	memcpy(out + 17, two + 2 * s, 2);
	out[19] = 0;
	return out;
}

int64_t time_now(void) { return (int64_t)time(NULL); }

/* ---- parsing ---- */

struct scan {
	const unsigned char *p, *end;
};

static int skip_spaces(struct scan *sc)
{
	int n = 0;
	for (;;) {
		if (sc->p < sc->end && (*sc->p == ' ' || *sc->p == '\t')) { sc->p++; n++; continue; }
		if (sc->end - sc->p >= 3 && memcmp(sc->p, "\xE3\x80\x80", 3) == 0) { sc->p += 3; n++; continue; }
		return n;
	}
}

static int digits(struct scan *sc, int min, int max, int *val)
{
	int n = 0, v = 0;
	while (sc->p < sc->end && *sc->p >= '0' && *sc->p <= '9' && n < max) {
		v = v * 10 + (*sc->p - '0');
		sc->p++;
		n++;
	}
	*val = v;
	return n >= min;
}

/* A literal separator with its length: no strlen per try. */
struct alt {
	const char *s;
	size_t n;
};
#define ALT(s) {s, sizeof s - 1}

/* Accept one of the literal separators; returns which (1-based) or 0. */
static int lit(struct scan *sc, const struct alt *alts)
{
	for (int i = 0; alts[i].s; i++) {
		size_t n = alts[i].n;
		if ((size_t)(sc->end - sc->p) >= n && *sc->p == (unsigned char)alts[i].s[0] &&
			memcmp(sc->p, alts[i].s, n) == 0) {
			sc->p += n;
			return i + 1;
		}
	}
	return 0;
}

static int64_t excel_serial(const char *s, size_t len)
{
	/* 46348 or 46348.4201 : days since 1899-12-30 */
	char tmp[32];
	if (len >= sizeof tmp)
		return CPL_NOTIME;
	memcpy(tmp, s, len);
	tmp[len] = 0;
	char *e;
	errno = 0;
	double v = strtod(tmp, &e);
	if (*e || errno || v < 20000 || v > 80000)
		return CPL_NOTIME;
	int64_t days = (int64_t)v;
	int64_t secs = (int64_t)((v - (double)days) * 86400 + 0.5);
	int y, m, d;
	civil_from_days(days + days_from_civil(1899, 12, 30), &y, &m, &d);
	return time_from_local(y, m, d, 0, 0, 0) + secs;
}

/* Are the bytes of w digits where sepmask is 0, and those of sepval where
 * it is 0xFF?  Eight bytes at once: a digit XOR '0' is 0 to 9, so a byte of
 * it and the same byte plus 6 both stay below 0x10 (no carry can cross
 * into the next byte once the first test has passed). */
static inline int word_shape(uint64_t w, uint64_t sepmask, uint64_t sepval)
{
	const uint64_t high = 0xF0F0F0F0F0F0F0F0ULL;
	uint64_t d = (w ^ 0x3030303030303030ULL) & ~sepmask;
	return (w & sepmask) == sepval && !(d & high) && !((d + 0x0606060606060606ULL) & high);
}

/* Eight bytes as a little-endian word (one load where the machine is). */
static inline uint64_t le64(const unsigned char *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
		(uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

/* The usual shape, 2026-11-22 10:05:00, exactly 19 bytes: read directly,
 * its shape checked as three overlapping words (bytes 0-7, 8-15, 11-18;
 * byte k of a word is its bits 8k to 8k+7). */
static int read_usual(const unsigned char *q, int *y, int *mo, int *d, int *h, int *mi, int *sec)
{
	if (!word_shape(le64(q), 0xFFULL << 32 | 0xFFULL << 56, (uint64_t)'-' << 32 | (uint64_t)'-' << 56) ||
		!word_shape(le64(q + 8), 0xFFULL << 16 | 0xFFULL << 40, (uint64_t)' ' << 16 | (uint64_t)':' << 40) ||
		!word_shape(le64(q + 11), 0xFFULL << 16 | 0xFFULL << 40, (uint64_t)':' << 16 | (uint64_t)':' << 40))
		return 0;
	*y = (q[0] - '0') * 1000 + (q[1] - '0') * 100 + (q[2] - '0') * 10 + (q[3] - '0');
	*mo = (q[5] - '0') * 10 + (q[6] - '0');
	*d = (q[8] - '0') * 10 + (q[9] - '0');
	*h = (q[11] - '0') * 10 + (q[12] - '0');
	*mi = (q[14] - '0') * 10 + (q[15] - '0');
	*sec = (q[17] - '0') * 10 + (q[18] - '0');
	return 1;
}

/* A local date and time read from text, checked, as a time. */
static int64_t local_checked(int y, int mo, int d, int h, int mi, int sec)
{
	if (y < 1900 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
		h > 23 || mi > 59 || sec > 60)
		return CPL_NOTIME;
	if (sec == 60)
		sec = 59; /* a leap second reads as the second before it */
	return time_from_local(y, mo, d, h, mi, sec);
}

int64_t time_parse(const char *s, size_t len, int *empty)
{
	static const struct alt date_sep[] = {ALT("-"), ALT("/"), ALT("."), ALT("年"), {0}};
	static const struct alt month_end[] = {ALT("-"), ALT("/"), ALT("."), ALT("月"), {0}};
	static const struct alt day_end[] = {ALT("日"), ALT("号"), {0}};
	static const struct alt hour_end[] = {ALT(":"), ALT("时"), ALT("點"), ALT("点"), ALT("時"), {0}};
	static const struct alt min_end[] = {ALT(":"), ALT("分"), {0}};
	static const struct alt sec_end[] = {ALT("秒"), {0}};
	/* the 12-hour clock: the first five the morning, the others the afternoon */
	static const struct alt half_day[] = {ALT("上午"), ALT("AM"), ALT("am"), ALT("Am"), ALT("aM"),
		ALT("下午"), ALT("PM"), ALT("pm"), ALT("Pm"), ALT("pM"), {0}};
	int y, mo, d, h = 0, mi = 0, sec = 0;
	if (empty)
		*empty = 0;
	/* the usual shape first: it starts and ends with a digit, so there is
	 * nothing to trim */
	if (len == 19 && read_usual((const unsigned char *)s, &y, &mo, &d, &h, &mi, &sec))
		return local_checked(y, mo, d, h, mi, sec);
	struct scan sc = {(const unsigned char *)s, (const unsigned char *)s + len};
	skip_spaces(&sc);
	while (sc.end > sc.p && (sc.end[-1] == ' ' || sc.end[-1] == '\t' || sc.end[-1] == '\r' || sc.end[-1] == '\n'))
		sc.end--;
	if (sc.p == sc.end) {
		if (empty)
			*empty = 1;
		return CPL_NOTIME;
	}
	if (sc.end - sc.p == 19 && read_usual(sc.p, &y, &mo, &d, &h, &mi, &sec))
		goto check; /* the usual shape, with spaces around it */
	const unsigned char *start = sc.p;
	int nd = 0;
	while (start + nd < sc.end && start[nd] >= '0' && start[nd] <= '9')
		nd++;
	if (nd == 14 || nd == 12 || nd == 8) {
		/* 20261122100500, 202611221005, 20261122, 20261122 1005[00] */
		digits(&sc, 4, 4, &y); digits(&sc, 2, 2, &mo); digits(&sc, 2, 2, &d);
		if (nd == 8 && skip_spaces(&sc)) {
			const unsigned char *t = sc.p;
			while (t < sc.end && *t >= '0' && *t <= '9')
				t++;
			if (t != sc.end || (t - sc.p != 4 && t - sc.p != 6))
				return CPL_NOTIME;
			nd = 8 + (int)(t - sc.p);
		}
		if (nd >= 12) { digits(&sc, 2, 2, &h); digits(&sc, 2, 2, &mi); }
		if (nd == 14) digits(&sc, 2, 2, &sec);
		if (sc.p != sc.end)
			return CPL_NOTIME;
		goto check;
	}
	if (nd == 5)
		return excel_serial((const char *)sc.p, (size_t)(sc.end - sc.p));
	if (!digits(&sc, 4, 4, &y) || !lit(&sc, date_sep))
		return CPL_NOTIME;
	if (!digits(&sc, 1, 2, &mo) || !lit(&sc, month_end))
		return CPL_NOTIME;
	if (!digits(&sc, 1, 2, &d))
		return CPL_NOTIME;
	lit(&sc, day_end);
	int spaced = skip_spaces(&sc);
	if (sc.p == sc.end)
		goto check;
	if (!spaced && sc.p < sc.end && (*sc.p == 'T' || *sc.p == 't'))
		sc.p++, skip_spaces(&sc);
	int half = lit(&sc, half_day); /* 下午 8:05, as Chinese Excel writes it */
	if (half)
		skip_spaces(&sc);
	if (!digits(&sc, 1, 2, &h) || !lit(&sc, hour_end))
		return CPL_NOTIME;
	if (!digits(&sc, 1, 2, &mi))
		return CPL_NOTIME;
	int had_min_end = lit(&sc, min_end);
	if (had_min_end == 1 || (had_min_end == 2 && sc.p < sc.end && *sc.p >= '0' && *sc.p <= '9')) {
		if (!digits(&sc, 1, 2, &sec))
			return CPL_NOTIME;
		lit(&sc, sec_end);
		if (sc.p < sc.end && (*sc.p == '.' || *sc.p == ',')) {
			/* fractions of a second are dropped */
			sc.p++;
			int frac;
			if (!digits(&sc, 1, 9, &frac))
				return CPL_NOTIME;
		}
	}
	skip_spaces(&sc);
	if (!half && (half = lit(&sc, half_day))) /* 8:05 PM, 08:05:00 下午 */
		skip_spaces(&sc);
	if (half) { /* 12 AM is midnight, 12 PM noon */
		if (h < 1 || h > 12)
			return CPL_NOTIME;
		h = h % 12 + (half > 5 ? 12 : 0);
	}
	if (sc.p < sc.end) {
		/* a zone: Z, +08:00, +0800, +08 */
		int sign = 0, oh = 0, om = 0;
		if (*sc.p == 'Z' || *sc.p == 'z') {
			sc.p++;
			sign = 2;
		} else if (*sc.p == '+' || *sc.p == '-') {
			sign = *sc.p == '-' ? -1 : 1;
			sc.p++;
			if (!digits(&sc, 2, 2, &oh))
				return CPL_NOTIME;
			if (sc.p < sc.end && *sc.p == ':')
				sc.p++;
			if (sc.p < sc.end && !digits(&sc, 2, 2, &om))
				return CPL_NOTIME;
			if (oh > 14 || om > 59)
				return CPL_NOTIME;
		} else {
			return CPL_NOTIME;
		}
		if (sc.p != sc.end)
			return CPL_NOTIME;
		if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 60)
			return CPL_NOTIME;
		if (sec == 60)
			sec = 59;
		int64_t utc = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
		if (sign != 2)
			utc -= sign * (oh * 3600 + om * 60);
		return utc;
	}
check:
	return local_checked(y, mo, d, h, mi, sec);
}

int duration_parse(const char *s, int64_t *secs, int *months)
{
	char *e;
	errno = 0;
	double v = strtod(s, &e);
	if (e == s || errno || v < 0)
		return -1;
	*months = 0;
	if (!strcmp(e, "s") || !*e) *secs = (int64_t)v;
	else if (!strcmp(e, "m") || !strcmp(e, "min")) *secs = (int64_t)(v * 60);
	else if (!strcmp(e, "h")) *secs = (int64_t)(v * 3600);
	else if (!strcmp(e, "d")) *secs = (int64_t)(v * 86400);
	else if (!strcmp(e, "w")) *secs = (int64_t)(v * 7 * 86400);
	else if (!strcmp(e, "mo")) { *secs = 0; *months = (int)v; if (v != (int)v) return -1; }
	else return -1;
	return 0;
}
