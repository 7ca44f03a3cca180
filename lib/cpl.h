/* cpl.h: the one header of the cpl core library.  Prototypes are grouped
 * under the name of the file that defines them. */
#ifndef CPL_H
#define CPL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifndef CPL_VERSION
#define CPL_VERSION "0"
#endif

/* Exit status, the same for every command (documented in cpl(7)). */
enum {
	CPL_EXIT_OK = 0,
	CPL_EXIT_FINDINGS = 1, /* cplphrase --lint/--text: error-level findings */
	CPL_EXIT_USAGE = 2,    /* bad flag, bad table, missing column */
	CPL_EXIT_DATA = 3,     /* some records had problems; all were written */
	CPL_EXIT_IO = 4,       /* read or write failed */
};

/* error.c */
extern const char *cpl_prog;
void cpl_set_prog(const char *argv0);
_Noreturn void cpl_die(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cpl_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cpl_warn_at(const char *file, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
_Noreturn void cpl_die_at(int status, const char *file, long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Called before exiting on a fatal error (removes a half-written -o file). */
void cpl_on_exit(void (*fn)(void));
_Noreturn void cpl_exit(int status); /* the hook, then exit */
/* This thread's messages go to fn, formatted as one line without its
 * newline, rather than to stderr; status is the exit status of a fatal
 * one, for which fn must not return, and -1 for a warning.  NULL: stderr
 * again.  cpl_say writes such a line to stderr. */
void cpl_divert_messages(void (*fn)(int status, const char *line, size_t len));
void cpl_say(const char *line, size_t len);

/* alloc.c: allocation that dies cleanly, and a growable byte buffer. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void free_strings(char **v, size_t n); /* each of v's n strings, then v */

typedef struct cpl_buf {
	char *s;
	size_t len, cap;
} cpl_buf;
void buf_grow(cpl_buf *b, size_t extra); /* room for extra more bytes and a NUL */
/* The adds are inline: the commands make dozens per record, and the call
 * cost more than the copy. */
static inline void buf_add(cpl_buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap)
		buf_grow(b, n);
	if (n)
		memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = 0;
}
static inline void buf_addc(cpl_buf *b, char c)
{
	if (b->len + 2 > b->cap)
		buf_grow(b, 1);
	b->s[b->len++] = c;
	b->s[b->len] = 0;
}
static inline void buf_clear(cpl_buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = 0;
}
void buf_adds(cpl_buf *b, const char *s);
void buf_printf(cpl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_free(cpl_buf *b);
const char *buf_str(cpl_buf *b); /* NUL-terminated view */

/* utf8.c: UTF-8 checks and decoding. */
int utf8_valid(const char *s, size_t len, size_t *bad_at);
/* valid UTF-8, with the NUL bytes it holds counted into *nuls */
int utf8_valid_nuls(const char *s, size_t len, size_t *nuls);
/* Decode one code point at s (len > 0); returns its length, or 1 with *cp =
 * 0xFFFD for an invalid byte. */
int utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);
int utf8_encode(uint32_t cp, char out[4]);
size_t utf8_chars(const char *s, size_t len);
/* The four bytes at s (all four there to read) as one word, the first in
 * the low byte: a single load where the processor is little-endian.  The
 * hot loops over Chinese text read a character this way. */
static inline uint32_t load_le32(const unsigned char *s)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint32_t w;
	memcpy(&w, s, 4);
	return w;
#else
	return s[0] | (uint32_t)s[1] << 8 | (uint32_t)s[2] << 16 | (uint32_t)s[3] << 24;
#endif
}
/* A three-byte form (1110xxxx 10xxxxxx 10xxxxxx) at s, before end: 1 and
 * its code point in *cp (surrogates and overlong forms not refused), else 0.
 * The bytes are read as one word where four are left. */
static inline int utf8_take3(const unsigned char *s, const unsigned char *end, uint32_t *cp)
{
	uint32_t w;
	if (end - s >= 4)
		w = load_le32(s);
	else if (end - s == 3)
		w = s[0] | (uint32_t)s[1] << 8 | (uint32_t)s[2] << 16;
	else
		return 0;
	if ((w & 0xC0C0F0) != 0x8080E0)
		return 0;
	*cp = (w & 0x0F) << 12 | (w >> 2 & 0xFC0) | (w >> 16 & 0x3F);
	return 1;
}
/* The character at s (s < end) as utf8_decode reads it, ASCII and a
 * well-formed three-byte character (nearly all Chinese) without a call. */
static inline int utf8_next(const unsigned char *s, const unsigned char *end, uint32_t *cp)
{
	if (*s < 0x80) {
		*cp = *s;
		return 1;
	}
	if (utf8_take3(s, end, cp) && *cp >= 0x800 && (*cp < 0xD800 || *cp > 0xDFFF))
		return 3;
	return utf8_decode(s, (size_t)(end - s), cp);
}

/* encoding.c: input conversion to UTF-8 (glibc iconv). */
typedef struct cpl_decoder cpl_decoder;
/* NULL for "utf-8"; dies with a usage error for an encoding iconv lacks. */
cpl_decoder *decoder_open(const char *encoding);
/* Convert in[0..*inlen) appending UTF-8 to out.  An incomplete trailing
 * sequence is carried to the next call (or, when final, replaced).  Invalid
 * input becomes U+FFFD and is counted in *bad. */
void decoder_convert(cpl_decoder *d, const char *in, size_t *inlen, int final,
	cpl_buf *out, long *bad);
void decoder_close(cpl_decoder *d);
/* Would this byte string decode cleanly as GB18030?  For the hint on bad UTF-8. */
int looks_like_gb18030(const char *s, size_t len);
/* Does the field look like UTF-16 read as bytes: a byte order mark, or a
 * zero in every other byte, as ASCII in UTF-16 has? */
int looks_like_utf16(const char *s, size_t len);

/* csvio.c: the record layer over libcsv. */
typedef struct cpl_field {
	const char *s; /* NUL-terminated; may hold NUL bytes before len */
	size_t len;
} cpl_field;

typedef struct cpl_record {
	cpl_field *f;
	size_t n;
	long line;  /* line of the input where the record starts */
	long recno; /* 1 = first data record */
	const char *file;
	long breaks; /* line breaks inside its fields (0: the record is one line) */
} cpl_record;

typedef struct cpl_input_opts {
	char delim;
	int no_header;
	const char *encoding;
} cpl_input_opts;

typedef struct cpl_reader cpl_reader;
/* path NULL or "-" is stdin.  Returns NULL (with errno) when it cannot open. */
cpl_reader *reader_open(const char *path, const cpl_input_opts *o);
/* Read CSV held in memory (a table); data must outlive the reader. */
cpl_reader *reader_open_mem(const char *name, const char *data, size_t len, const cpl_input_opts *o);
/* Next record, or NULL at the end.  The record stays valid until the next call.
 * Problems found while reading (unterminated quote, invalid UTF-8) are reported
 * through reader_problem() on the record they concern. */
cpl_record *reader_next(cpl_reader *r);
/* Problems of the record last returned: NULL when none, else a message. */
const char *reader_problem(cpl_reader *r);
const char *reader_name(cpl_reader *r);
int reader_io_error(cpl_reader *r); /* errno of a read error, 0 if none */
/* fn(arg) is called when the input is a pipe, socket or terminal and the
 * next read would wait for it: the caller's moment to flush its output. */
void reader_on_stall(cpl_reader *r, void (*fn)(void *), void *arg);
void reader_close(cpl_reader *r);

typedef struct cpl_writer cpl_writer;
/* Writes to fd; flushes in large blocks; a failed write dies with status 4. */
cpl_writer *writer_open(int fd, const char *name, char delim, int excel);
void writer_field(cpl_writer *w, const char *s, size_t len);
void writer_fields(cpl_writer *w, const char *s); /* NUL-terminated */
void writer_record(cpl_writer *w, const cpl_field *f, size_t n); /* n fields */
void writer_endrow(cpl_writer *w);
void writer_raw(cpl_writer *w, const char *s, size_t len); /* non-CSV output */
/* writer_raw of a string literal, its length counted by the compiler */
#define writer_lit(w, lit) writer_raw((w), "" lit, sizeof(lit) - 1)
void writer_rawf(cpl_writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void writer_flush(cpl_writer *w);
void writer_close(cpl_writer *w);
/* A writer whose flushes add to *sink (a thread's share of the output, to
 * be written in order by another); writer_sink points it elsewhere. */
cpl_writer *writer_to_buf(cpl_buf *sink, char delim, int excel);
void writer_sink(cpl_writer *w, cpl_buf *sink);
/* Does this field need quoting with this delimiter? */
int csv_needs_quote(const char *s, size_t len, char delim);

/* outfile.c: -o FILE written beside FILE under a temporary name and renamed
 * at the end, so no reader ever sees half a file. */
int outfile_open(const char *path); /* returns fd; dies on failure */
void outfile_commit(void);         /* rename into place; dies on failure */
void outfile_abandon(void);        /* remove the temporary file */

/* columns.c: canonical column names and their aliases in real exports. */
/* Canonical name for a header as found in a file, or NULL.  Matches after
 * trimming and ASCII case folding, against data/columns.csv. */
const char *column_canonical(const char *header, size_t len);
/* Parse --map canonical=header,...; dies with a usage error on a bad spec. */
void column_map_add(const char *spec);
/* The header named by --map for canonical, or NULL. */
const char *column_mapped(const char *canonical);
/* Does a header, folded as aliases are, equal an already folded name? */
int column_header_is(const char *header, size_t len, const char *folded);
/* Two names a typing slip apart (not the same name). */
int column_near(const char *a, const char *b);
/* The edits from a to b (a character put in, left out, changed, or two
 * swapped), counted up to 4. */
int column_edits(const char *a, const char *b);
/* A --map name that no column_find asked for and no canonical name is,
 * near canonical or a header name of it: perhaps the --map meant for it;
 * or NULL. */
const char *column_map_near(const char *canonical);
/* Once the columns are looked up: the next --map name from *k that nothing
 * asked for and no canonical name is, and which reads as a slip for a name
 * asked for or as the header name of a canonical one (*meant); NULL when
 * there is none left. */
const char *column_map_unread(size_t *k, const char **meant);
/* The first of names[0..n) near name (a misspelling of it), or NULL. */
const char *column_near_in(char *const *names, size_t n, const char *name);
/* A canonical name or a header near name, or NULL. */
const char *column_near_name(char *const *cols, size_t n, const char *name);

/* text.c: the normaliser applied before any matching.  Traditional Chinese
 * to simplified, full-width ASCII to half-width, whitespace folded to one
 * space (and trimmed).  pos, when asked for, maps each byte of the result to
 * the character index in the original text it came from. */
typedef struct cpl_norm {
	cpl_buf out;
	int *pos;       /* pos[i]: original char index of out.s[i]; pos[out.len] = chars */
	size_t pos_cap;
} cpl_norm;
const char *text_normalize(cpl_norm *n, const char *s, size_t len, int want_pos);
/* Single code point maps, for callers that need them. */
uint32_t text_t2s(uint32_t cp);
void norm_free(cpl_norm *n);

/* timefmt.c: timestamps. */
#define CPL_NOTIME INT64_MIN
/* Set the local zone: NULL means $TZ, else Asia/Shanghai.  Dies with a usage
 * error for a zone the system does not know. */
void time_set_zone(const char *tz);
/* Parse one of the shapes of cpl(7); returns CPL_NOTIME for an empty string
 * (empty=1) or an unparsable one (empty=0). */
int64_t time_parse(const char *s, size_t len, int *empty);
/* Local calendar arithmetic. */
int64_t time_from_local(int y, int mo, int d, int h, int mi, int s);
void time_to_local(int64_t t, int *y, int *mo, int *d, int *h, int *mi, int *s, int *wday);
/* "YYYY-MM-DD HH:MM:SS" in the local zone, into out[20]. */
char *time_format(int64_t t, char out[20]);
int64_t time_now(void);
/* days since 1970-01-01 of a civil date, and back */
int64_t days_from_civil(int y, int m, int d);
void civil_from_days(int64_t z, int *y, int *m, int *d);
int days_in_month(int y, int m);
/* Parse "30m", "2h", "90s", "3mo", "1d" into seconds (months: *months set, 0 s). */
int duration_parse(const char *s, int64_t *secs, int *months);

/* data.c: embedded default data, and user files that replace it. */
/* The bytes of an embedded data file (by base name), or NULL. */
const char *data_embedded(const char *name, size_t *len);
/* Read a whole file; dies with an I/O error message on failure. */
char *data_read_file(const char *path, size_t *len);

/* table.c: the one loader for the CSV tables every command uses (rule
 * tables, policies, calendars, lists).  Lines whose first field starts with
 * '#' are comments.  Errors refuse the table with file, line and reason. */
typedef struct cpl_table {
	char *name; /* the user file, or "(default) NAME" */
	size_t ncols;
	char **cols;
	size_t nrows;
	char ***rows;   /* rows[r][c], NUL-terminated, never NULL */
	long *lines;    /* source line of each row */
} cpl_table;
/* Load path if not NULL, else the embedded default.  required: NULL-terminated
 * list of column names that must be present (others are allowed). */
cpl_table *table_load(const char *path, const char *embedded, const char *const *required);
/* Column index, or -1. */
int table_col(const cpl_table *t, const char *name);
const char *table_get(const cpl_table *t, size_t row, const char *col); /* "" if no column */
_Noreturn void table_die(const cpl_table *t, size_t row, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void table_free(cpl_table *t);

/* regex.c: pcre2 (UTF, JIT) with match limits, so that a pathological user
 * pattern ends with a reported error instead of a hang. */
typedef struct cpl_regex cpl_regex;
/* Compile for caseless UTF matching; on error dies with file:line. */
cpl_regex *regex_compile(const char *pattern, const char *file, long line);
/* The same for len bytes of pattern, NULL when they do not compile; safe
 * in any thread. */
cpl_regex *regex_try_compile(const char *pattern, size_t len);
/* 1 match, 0 no match, -1 match limit hit (or other matching error). */
int regex_match(const cpl_regex *re, const char *s, size_t len, size_t start,
	size_t *mstart, size_t *mend);
/* The same, for a match that starts at byte limit or before: the rest of
 * the text is still read (lookaheads, $), only no start later is tried. */
int regex_match_upto(const cpl_regex *re, const char *s, size_t len, size_t start, size_t limit,
	size_t *mstart, size_t *mend);
const char *regex_pattern(const cpl_regex *re);
/* Check a rule's examples ("a | b | c"): each must / must not match after
 * normalisation; dies with file:line naming the failing example. */
void regex_check_examples(const cpl_regex *re, const char *must, const char *must_not,
	const char *file, long line, const char *rule_id);
/* Step through a " | "-separated example list: the next example in *s, *n;
 * 0 at the end. */
int example_next(const char **list, const char **s, size_t *n);
void regex_free(cpl_regex *re);
/* Matching keeps its work space per thread: a thread that matched frees
 * it with this before it ends. */
void regex_thread_end(void);

/* opts.c: the option parser every command shares. */
typedef struct cpl_option {
	const char *name;  /* long name */
	int shortopt;      /* short letter, or 0 */
	const char *arg;   /* name of the argument, NULL for a flag */
	const char *help;
} cpl_option;

typedef struct cpl_cmd {
	const char *name;
	const char *usage;   /* e.g. "[options] [FILE...]" */
	const char *summary; /* one line */
	const cpl_option *options; /* command options, {0}-terminated */
	/* called for each command option, with its index in options[] */
	void (*on_option)(int idx, const char *arg);
	int needs_input;     /* 0: the command can run with no CSV input (cplphrase --text) */
} cpl_cmd;

typedef struct cpl_shared {
	cpl_input_opts in;
	char out_delim;
	int excel;
	const char *output;
	const char *tz;
} cpl_shared;
extern cpl_shared cpl_opt;

/* Parse argv; handles the shared flags itself, --help and --version.
 * Returns the index of the first operand. */
int opts_parse(const cpl_cmd *cmd, int argc, char **argv);
void opts_usage(const cpl_cmd *cmd, FILE *f);
/* Helpers for command options. */
long opt_long(const char *name, const char *arg, long min, long max);
double opt_double(const char *name, const char *arg, double min, double max);

/* run.c: the record loop every command shares.  It opens the inputs (all
 * files named, one after another, or stdin), reads the header, keeps the
 * input columns in order, adds or replaces the command's columns, and writes
 * each record exactly once, with its problems stated on stderr and in the
 * cpl_problems column. */
typedef struct cpl_run cpl_run;
cpl_run *run_start(const cpl_cmd *cmd, int argc, char **argv, int first_operand);
/* Index of a canonical column (aliases and --map honoured), or -1. */
int run_col(cpl_run *r, const char *canonical);
/* Like run_col, but dies with a usage error naming the header it saw. */
int run_need_col(cpl_run *r, const char *canonical);
/* Dies with that usage error for a column name not found ("option: "
 * before it when given), with a hint when the name or a --map is a slip. */
_Noreturn void run_no_col(cpl_run *r, const char *option, const char *name);
/* Like run_need_col, but a column not found is a warning that ends with
 * instead (what the command does without it), and -1. */
int run_want_col(cpl_run *r, const char *canonical, const char *instead);
/* Add an output column (replaced in place if the input has one of that name).
 * Returns its slot. */
int run_add_col(cpl_run *r, const char *name);
/* Next record (NULL at end).  Fields are the input's, padded to the header. */
cpl_record *run_next(cpl_run *r);
/* Field of the current record by column index ("" when idx < 0). */
const char *run_field(cpl_run *r, int idx, size_t *len);
/* Set an added column's value for the current record. */
void run_set(cpl_run *r, int slot, const char *s, size_t len);
void run_sets(cpl_run *r, int slot, const char *s);
void run_setf(cpl_run *r, int slot, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* State a problem with the current record (stderr and cpl_problems). */
void run_problem(cpl_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Write the current record with its added columns. */
void run_emit(cpl_run *r);
/* Keep a copy of the current record (with the values set so far) to emit
 * later with run_emit_saved(); used when a decision needs later records. */
typedef struct cpl_saved cpl_saved;
cpl_saved *run_save(cpl_run *r);
void run_restore(cpl_run *r, cpl_saved *s); /* make it current again */
void run_saved_free(cpl_saved *s);
/* The writer, for commands that write something other than records; after
 * this call no CSV header or records are written by the loop. */
cpl_writer *run_writer(cpl_run *r);
/* Header names of the input, for commands that need them all. */
size_t run_ncols(cpl_run *r);
const char *run_colname(cpl_run *r, size_t idx);
/* Current file and line, for messages. */
const char *run_file(cpl_run *r);
long run_line(cpl_run *r);
/* Flush, commit -o, and return the exit status (0, 3 or 4). */
int run_finish(cpl_run *r);
/* Count of records that had problems so far. */
long run_problem_count(cpl_run *r);
void run_mark_problem(cpl_run *r); /* count a problem reported elsewhere */

/* calendar.c: mainland China's business calendar (data/calendar.csv:
 * date,kind,name with kind off or work) and business hours.  Times are
 * epoch seconds, days are local.  A computation that needs a year the
 * calendar has no data for uses Monday-Friday and warns once per year. */
typedef struct cpl_calendar cpl_calendar;
/* The calendar of path, or the built-in one (NULL); dies on a bad file. */
cpl_calendar *calendar_load(const char *path);
/* Add the dates of another file; they override dates already known. */
void calendar_add_file(cpl_calendar *cal, const char *path);
/* "09:00-18:00" or with a break "08:30-12:00,13:30-17:30"; -1 and *why on error. */
int calendar_set_hours(cpl_calendar *cal, const char *spec, const char **why);
/* The close of business on the nth (>= 1) working day after t's day (t's day
 * does not count); CPL_NOTIME beyond 2199. */
int64_t calendar_add_working_days(cpl_calendar *cal, int64_t t, int n);
/* t plus secs counted only inside business hours of working days. */
int64_t calendar_add_business_seconds(cpl_calendar *cal, int64_t t, int64_t secs);
/* The business seconds from a to b (negative when b is before a);
 * CPL_NOTIME outside 1900-2199. */
int64_t calendar_business_seconds_between(cpl_calendar *cal, int64_t a, int64_t b);
void calendar_free(cpl_calendar *cal);

/* policy.c: service-level policies (data/policy.csv) and their durations. */
enum { SLA_CLOCK, SLA_WORKING_DAYS, SLA_BUSINESS_SECONDS };
typedef struct cpl_sla_duration {
	int kind;       /* SLA_CLOCK: seconds; SLA_WORKING_DAYS: days; SLA_BUSINESS_SECONDS */
	int64_t amount;
} cpl_sla_duration;
/* "15s", "30m", "48h", "15d", "5wd", "8bh" (decimals but for wd); -1 if bad. */
int sla_duration_parse(const char *s, cpl_sla_duration *d);
/* from + d on the calendar; CPL_NOTIME when it cannot be computed. */
int64_t sla_due(cpl_calendar *cal, int64_t from, const cpl_sla_duration *d);

enum { POLICY_URGENCY, POLICY_URGENT_TYPE, POLICY_CATEGORY, POLICY_SUBCATEGORY,
	POLICY_CHANNEL, POLICY_CUSTOMER_LEVEL, POLICY_NCRIT };
extern const char *const policy_criteria[POLICY_NCRIT];    /* policy table columns */
extern const char *const policy_case_column[POLICY_NCRIT]; /* case columns they test */
typedef struct cpl_policy_value { char *s; size_t len; } cpl_policy_value;
typedef struct cpl_sla_target {
	int set;                   /* 0: the policy has no such target */
	cpl_sla_duration within;
	char *done_col;            /* "15s@COLUMN": what marks it done, else NULL */
	int done_idx;              /* for the caller: the input column */
} cpl_sla_target;
typedef struct cpl_policy {
	char *name;
	long line;
	cpl_policy_value *want[POLICY_NCRIT]; /* alternatives; NULL: anything */
	size_t nwant[POLICY_NCRIT];
	cpl_sla_target reply, resolve;
	int usable;                /* the caller clears it to skip the row */
} cpl_policy;
typedef struct cpl_policies {
	char *name;
	cpl_policy *rows;
	size_t n;
} cpl_policies;
/* The table of path, or the built-in one (NULL); dies on a bad row. */
cpl_policies *policy_load(const char *path);
/* The first usable row matching a case: values[c] is the case's value for
 * criterion c, with s NULL when the log has no such column (then a row
 * asking for a value there does not match).  NULL when none matches. */
const cpl_policy *policy_match(const cpl_policies *ps, const cpl_field *values);
void policy_free(cpl_policies *ps);

/* phrase.c: the service-script rules of cplphrase (forbidden, substitution,
 * required, conditional), the check of one normalised reply, its score. */
enum { PHRASE_FORBIDDEN, PHRASE_SUBSTITUTION, PHRASE_REQUIRED, PHRASE_CONDITIONAL, PHRASE_LETTER, PHRASE_NKINDS };
enum { PHRASE_WARNING = 1, PHRASE_ERROR = 2 };
/* literals.c: the literal strings one of which every match of a pattern
 * contains, read from the pattern, to skip patterns that cannot match. */
typedef struct cpl_literals cpl_literals;
cpl_literals *literals_compile(const char *pattern); /* NULL: unreadable, always run */
int literals_may_match(const cpl_literals *l, const char *s, size_t len);
size_t literals_strings(const cpl_literals *l, const char *const **out);
void literals_free(cpl_literals *l);

typedef struct phrase_rule {
	char *id, *message, *suggestion;
	const char *file;   /* the table it came from */
	long line;
	int kind, level, enabled;
	int scope;          /* 0 anywhere, N > 0 the first N sentences, -N the last N */
	double weight;      /* what a finding costs, or what a present element earns */
	cpl_regex *re;      /* what is said (for a conditional rule, what triggers it) */
	cpl_regex *unless;  /* found anywhere in the text, the rule does not fire */
	cpl_literals *needs; /* what re cannot match without, or NULL */
} phrase_rule;
typedef struct phrase_set {
	phrase_rule *rules;
	size_t n, cap;
	double budget[PHRASE_NKINDS]; /* points of the forbidden and substitution kinds */
	cpl_table **tables;
	size_t ntables;
} phrase_set;
typedef struct phrase_finding {
	const phrase_rule *rule;
	size_t start, end;  /* bytes of the normalised text; start == end when missing */
	int missing;
	size_t seq;
	int misplaced;      /* a letter part found out of order */
} phrase_finding;
typedef struct phrase_result {
	phrase_finding *f;  /* sorted by position */
	size_t n, cap;
	int errors, warnings, score;
	const phrase_rule *limit_hit; /* a rule skipped at the match limit, or NULL */
	size_t *sent, nsent, sentcap; /* sentence starts */
	unsigned char *said;          /* per byte of the text: in a forbidden or substitution finding */
	size_t saidcap;
} phrase_result;
/* The rule table (NULL: the built-in phrases.csv); dies on a bad table. */
phrase_set *phrase_load(const char *path);
/* Add a user table: a rule of the same id is replaced, an id with only
 * enabled=0 switches a rule off. */
void phrase_extend(phrase_set *s, const char *path);
/* The points of the forbidden and substitution kinds (NULL: built in). */
void phrase_weights(phrase_set *s, const char *path);
/* One table row as a rule (kind < 0: from its 'kind' column), examples checked. */
void phrase_rule_parse(phrase_rule *r, const cpl_table *t, size_t row, int kind);
/* Switch off the rules of this id or kind; returns how many. */
int phrase_disable(phrase_set *s, const char *name);
void phrase_enable_kind(phrase_set *s, int kind, int on);
const char *phrase_kind_name(int kind);
/* Normalise for matching; line breaks stay as '\n' (sentence boundaries). */
const char *phrase_prepare(cpl_norm *n, const char *s, size_t len, int want_pos);
void phrase_check(const phrase_set *s, const char *t, size_t len, phrase_result *res);
void phrase_add_finding(phrase_result *res, const phrase_rule *rule, size_t start, size_t end, int missing);
void phrase_result_free(phrase_result *res);
void phrase_set_free(phrase_set *s);

/* letter.c: the six parts of an apology letter (致歉信), in order. */
void letter_load(phrase_set *s, const char *path);
/* Adds missing and misplaced parts to res; returns the points earned. */
double letter_check(const phrase_set *s, const char *t, size_t len, phrase_result *res);

/* suggest.c: the reply to suggest for a classified case, from templates. */
typedef struct suggest_set suggest_set;
suggest_set *suggest_load(const char *path);
/* The case columns the templates read (conditions and {placeholders}). */
size_t suggest_nfields(const suggest_set *s);
const char *suggest_field(const suggest_set *s, size_t i);
/* vals[i], lens[i]: the case's value of suggest_field(i) ("" when absent). */
void suggest_make(suggest_set *s, const char *const *vals, const size_t *lens,
	cpl_buf *technique, cpl_buf *reply);
void suggest_free(suggest_set *s);

/* lint.c: findings as linter lines, CSV or a JSON array. */
enum { LINT_LINE, LINT_CSV, LINT_JSON };
typedef struct lint_item {
	const char *id;     /* case id, or file name */
	long line, col;     /* col: characters of the original text, from 1 */
	int show_line;      /* the line format says ID:LINE:COL (plain text files) */
	const phrase_finding *finding;
	const char *text;   /* the words found, from the original text */
	size_t textlen;
} lint_item;
typedef struct lint_out lint_out;
int lint_format(const char *name); /* -1 if unknown */
lint_out *lint_open(cpl_writer *w, int format);
void lint_write(lint_out *o, const lint_item *it);
void lint_close(lint_out *o);

/* mask.c: customer numbers and ID-card numbers hidden (138****1234). */
/* Append s with every mobile, landline and 18-digit ID-card number in it
 * masked; returns how many were. */
size_t mask_text(cpl_buf *out, const char *s, size_t len);
/* Append a whole identifier (a customer number) masked, whatever its shape. */
void mask_value(cpl_buf *out, const char *s, size_t len);

/* escape.c: text made safe for where it lands (appends to out). */
void escape_html(cpl_buf *out, const char *s, size_t len);
void escape_md(cpl_buf *out, const char *s, size_t len);   /* inline text, table cells */
void escape_json(cpl_buf *out, const char *s, size_t len); /* inside the quotes */
void escape_terminal(cpl_buf *out, const char *s, size_t len); /* no control or bidi chars */
/* Would a spreadsheet read this cell as a formula (= + - @ tab CR first)? */
int csv_formula_risk(const char *s, size_t len);

/* hashmap.c: 64-bit string hashes; a map from a pair of them to a word. */
uint64_t hash_mix(uint64_t z);
uint64_t hash_bytes(const void *p, size_t len); /* never 0 */
typedef struct cpl_hmap cpl_hmap;
cpl_hmap *hmap_new(void);
uintptr_t *hmap_get(cpl_hmap *m, uint64_t a, uint64_t b);            /* NULL if absent */
uintptr_t *hmap_put(cpl_hmap *m, uint64_t a, uint64_t b, int *created); /* new values are 0 */
void hmap_del(cpl_hmap *m, uint64_t a, uint64_t b);
size_t hmap_count(const cpl_hmap *m);
void hmap_free(cpl_hmap *m);

/* spool.c: unlinked temporary files. */
int tmp_fd(void);
/* A temporary file for reading back; *buf is its buffer, for tmp_file_close. */
#define TMP_FILE_BUF (1 << 20)
FILE *tmp_file(char **buf);
/* A large block straight to the file, past its buffer (flushed first):
 * what is spooled record by record is gathered in blocks (SPOOL_BLOCK
 * bytes, or the blocks run_prepass hands its workers) and written so,
 * which cost the kernel a tenth of the copying that stdio's writes of the
 * same bytes, copied in record by record, did (bench/README.md). */
#define SPOOL_BLOCK (256 * 1024)
void tmp_write(FILE *f, const void *p, size_t n);
void tmp_file_close(FILE *f, char *buf);
/* A temporary file read back once, from its start, after it was written:
 * in large reads into a buffer of its own, what is asked for handed out
 * where it lies there, not copied once more as fread would. */
typedef struct cpl_spoolin {
	int fd;
	char *b;
	size_t cap, pos, end;
	int eof;
} cpl_spoolin;
void spoolin_open(cpl_spoolin *in, FILE *f); /* dies on error */
/* The next n bytes, valid until the next call: NULL at the end; dies when
 * fewer than n are left (what wrote it and what reads it disagree). */
const char *spoolin_next(cpl_spoolin *in, size_t n);
void spoolin_close(cpl_spoolin *in); /* the buffer, not the file */

/* extsort.c: external sort of fixed-size records (memory bounded by mem_bytes). */
typedef struct cpl_sorter cpl_sorter;
cpl_sorter *sorter_new(size_t recsize, size_t mem_bytes, int (*cmp)(const void *, const void *));
void sorter_add(cpl_sorter *s, const void *rec);
void sorter_finish(cpl_sorter *s);        /* then sorter_next in order */
const void *sorter_next(cpl_sorter *s);   /* NULL at the end; valid until the next call */
void sorter_free(cpl_sorter *s);

/* urgency.c: the eight urgent types, their ranking and the priority. */
enum { URG_MAJOR, URG_OVER_LEVEL, URG_BATCH, URG_REPEAT, URG_ESCALATED,
	URG_CROSS_REGION, URG_IMPORTANT, URG_SENSITIVE, URG_NTYPES };
extern const char *const urgent_type_names[URG_NTYPES];
int urgent_type(const char *name, size_t len); /* -1 if unknown */
void urgency_order_default(int order[URG_NTYPES]);
void urgency_order_parse(const char *list, int order[URG_NTYPES]); /* dies on error */
int urgency_priority(unsigned mask, const int order[URG_NTYPES]);   /* 1..9 */
void urgency_list(unsigned mask, const int order[URG_NTYPES], cpl_buf *out);

/* litindex.c: which patterns of a table may match a text, in one scan for
 * the literals (literals.c) they need. */
typedef struct cpl_litindex cpl_litindex;
cpl_litindex *litindex_new(void);
void litindex_add(cpl_litindex *x, int id, const char *pattern);
/* Sets maybe[id] nonzero for each pattern that may match (the caller
 * clears it), LIT_SURE when it does for certain: the text holds a string of
 * one of its sure alternatives (literals_alternative_sure). */
#define LIT_SURE 2
void litindex_scan(const cpl_litindex *x, const char *text, size_t len, unsigned char *maybe);
void litindex_free(cpl_litindex *x);

/* The literal prefilter of a table of patterns that each read one field
 * (category rules, cues): an index per field and, after a scan, per pattern
 * whether it may match and where its run needs to start.  Built at the
 * first scan. */
typedef struct cpl_split cpl_split;
typedef struct cpl_prefilter {
	cpl_litindex **index;  /* per field; NULL until built */
	size_t nfields, n;     /* fields and patterns it was built for */
	unsigned char *maybe;  /* per pattern, by the last scan */
	size_t *at, *maxlen;   /* per pattern: first literal's offset, longest match */
	int *field;            /* per pattern: the field it reads */
	int *list;             /* by the last scan: the patterns that may match, */
	size_t nlist;          /* in ascending order */
	int shared;            /* a view from prefilter_share: owns only its scratch */
	/* per pattern: its top-level alternatives to run alone, those whose
	 * strings the scan found, when they match apart; else NULL */
	struct cpl_split **split;
} cpl_prefilter;
/* Pattern i of the table: the field it reads and its text. */
typedef void (*prefilter_item_fn)(const void *table, size_t i, int *field, const char **pattern);
/* Scan the normalised fields (norm[f] NULL when absent), building first if
 * need be; then pf->maybe[i] (and pf->list, those set), and prefilter_match
 * to run i. */
void prefilter_scan(cpl_prefilter *pf, size_t nfields, size_t n, prefilter_item_fn item, const void *table,
	const char *const *norm, const size_t *len);
/* The patterns of ids base .. base + n - 1 that may match: list[j] for j
 * from the answer up to *end. */
size_t prefilter_range(const cpl_prefilter *pf, size_t base, size_t n, size_t *end);
/* Does pattern i (re), which the scan says may match, match s, as
 * regex_match answers?  Without where wanted, a pattern the scan knows to
 * match is not run (*ms = *me = 0); otherwise it runs from just before its
 * first literal, and tries no start after the last place one may be. */
int prefilter_match(const cpl_prefilter *pf, size_t i, const cpl_regex *re, const char *s, size_t len,
	int where, size_t *ms, size_t *me);
/* Build now (before threads share it), and the view another thread scans
 * with: the same index, its own scratch; dropped before pf. */
void prefilter_build(cpl_prefilter *pf, size_t nfields, size_t n, prefilter_item_fn item, const void *table);
void prefilter_share(const cpl_prefilter *pf, cpl_prefilter *v);
/* Forget it (a table that grows is built again at its next scan). */
void prefilter_drop(cpl_prefilter *pf);

/* classify.c: the category rule table and its scoring. */
typedef struct cpl_catrule {
	char *id, *category, *subcategory, *cause, *file;
	double weight;
	int field;  /* index into cpl_rules.fields */
	int cat;    /* index into cpl_rules.cats */
	long line;
	cpl_regex *re;
} cpl_catrule;
typedef struct cpl_rules {
	cpl_catrule *r;
	size_t n;
	char **fields;   /* canonical columns the rules read; fields[0] is "text" */
	size_t nfields;
	char **cats;
	size_t ncats;
	double *score;   /* per category, after rules_decide */
	int *best;
} cpl_rules;
/* A rule or cue that matched: its index and where (bytes of the normalised
 * field, or characters of the original once converted). */
typedef struct cpl_hit { int rule, start, end; } cpl_hit;
typedef struct cpl_verdict {
	const char *category, *subcategory, *cause;
	int rule;       /* the rule giving subcategory and cause; -1: other */
	double score;
	int limit;      /* a rule that hit the match limit, or -1 */
	cpl_hit *hits;
	size_t nhits, cap;
} cpl_verdict;
cpl_rules *rules_load(const char *path);          /* NULL: the built-in table */
void rules_extend(cpl_rules *rs, const char *path); /* same id replaces */
void rules_free(cpl_rules *rs);
int rules_field(cpl_rules *rs, const char *name);
/* The rules that match a case, after a scan of pf (prefilter_scan), which
 * was built with rule_item for ids base .. base + rs->n - 1 (or is shared
 * with other tables, as the classifier's is: caseread.c).  norm[i], len[i]:
 * the normalised value of fields[i] (NULL when absent).  Hits are placed
 * only when where is set: otherwise a rule the prefilter knows to match
 * (prefilter_match) is a hit without being run. */
void rules_match(cpl_rules *rs, const cpl_prefilter *pf, size_t base, const char *const *norm,
	const size_t *len, int where, cpl_verdict *v);
void rule_item(const void *rules, size_t i, int *field, const char **pattern);
void rules_decide(cpl_rules *rs, cpl_verdict *v);  /* from v->hits */
/* The same rules for another thread: shared patterns, its own work space
 * for the scores; rules_share_free before rs is freed. */
cpl_rules *rules_share(cpl_rules *rs);
void rules_share_free(cpl_rules *v);
void verdict_free(cpl_verdict *v);

/* cues.c: urgency, complainant, emotion, harassment and closed-status cues. */
enum { CUE_URGENT, CUE_COMPLAINANT, CUE_EMOTION, CUE_HARASSMENT, CUE_CLOSED, CUE_NKINDS };
extern const char *const complainant_names[]; /* inform, correct, compensate */
extern const char *const emotion_names[];     /* calm, upset, angry */
typedef struct cpl_cue {
	char *id, *file;
	int kind, value, field;
	long line;
	cpl_regex *re;
} cpl_cue;
typedef struct cpl_cues {
	cpl_cue *c;
	size_t n;
	char **fields;
	size_t nfields;
} cpl_cues;
cpl_cues *cues_load(const char *path);
void cues_extend(cpl_cues *cs, const char *path);
void cues_free(cpl_cues *cs);
/* The cues of the kinds in kinds (a bit mask of 1 << CUE_...) that match,
 * as rules_match; the index of a cue that hit the match limit, or -1. */
int cues_match(cpl_cues *cs, const cpl_prefilter *pf, size_t base, unsigned kinds,
	const char *const *norm, const size_t *len, int where, cpl_hit **hits, size_t *nhits, size_t *cap);
void cue_item(const void *cues, size_t i, int *field, const char **pattern);

/* custlevel.c: customer levels: important customer, VIP for batches. */
typedef struct cpl_level { char *id; int important, vip; cpl_regex *re; } cpl_level;
typedef struct cpl_levels { cpl_level *l; size_t n; } cpl_levels;
cpl_levels *levels_load(const char *path);
int levels_find(const cpl_levels *lv, const char *norm, size_t len); /* row or -1 */

/* burst.c: bursts of distinct members of a group in a sliding time window. */
typedef void (*burst_mark_fn)(void *ctx, uint64_t seq, int64_t burst_start, uint64_t group,
	long members, long vip_members);
typedef struct cpl_burst cpl_burst;
/* A window holding more than more_than distinct members (or more than
 * more_than_vip distinct VIP members; -1: no such rule) is a burst. */
cpl_burst *burst_new(int64_t window, long more_than, long more_than_vip, burst_mark_fn fn, void *ctx);
void burst_add(cpl_burst *b, int64_t t, uint64_t group, uint64_t member, int vip, uint64_t seq);
void burst_free(cpl_burst *b);

/* repeat.c: the closed cases of one customer and problem, for repeats.
 * Feed a group's cases in order of receipt; repeats_group() starts the next. */
typedef struct cpl_closed {
	int64_t closed;
	uint64_t order;      /* tie-break: later wins */
	uint64_t ref;        /* the caller's reference to the case */
	uint32_t reflen;
} cpl_closed;
typedef struct cpl_repeats cpl_repeats;
cpl_repeats *repeats_new(int months, int64_t secs);
int64_t repeats_cutoff(const cpl_repeats *r, int64_t t);
void repeats_group(cpl_repeats *r);
/* The latest case closed within the window before t (and not after it), or NULL. */
const cpl_closed *repeats_find(cpl_repeats *r, int64_t t);
void repeats_add(cpl_repeats *r, const cpl_closed *c);
void repeats_free(cpl_repeats *r);

/* casewindow.c: the urgent types that depend on other cases (batch, repeat)
 * and harassment by frequency; events sorted on disk, memory bounded by the
 * windows, findings handed back in input order. */
typedef struct cpl_window_opts {
	int64_t batch_window;
	long batch_more, batch_vip_more;   /* more than N customers, N VIP customers */
	int repeat_months;
	int64_t repeat_secs;               /* when repeat_months is 0 */
	long harass_calls;                 /* 0: off */
	int64_t harass_window;
} cpl_window_opts;
typedef struct cpl_case {
	int64_t t, closed;                 /* received; closed (CPL_NOTIME: open) */
	uint64_t key, cust, problem;       /* hashes: issue key, customer (0: none), subcategory */
	int input, has_problem, vip;       /* has_problem: a category other than other */
	uint64_t recno;                    /* input cases: record number, from 1 */
	const char *name;                  /* what repeat_of calls the case */
	size_t namelen;
} cpl_case;
typedef struct cpl_case_findings {
	int batch, repeat, harass;
	int64_t batch_start;
	uint64_t batch_key;
	long customers, vip_customers;
	int64_t repeat_closed;
	const char *repeat_of;             /* valid until the next call */
	size_t repeat_of_len;
	long harass_cases;
} cpl_case_findings;
typedef struct cpl_window cpl_window;
cpl_window *window_new(const cpl_window_opts *o);
void window_add(cpl_window *w, const cpl_case *c);
void window_sweep(cpl_window *w);
/* The findings of input record recno; ask in increasing recno. */
void window_findings(cpl_window *w, uint64_t recno, cpl_case_findings *f);
void window_free(cpl_window *w);

/* casekey.c: the same customer, the same place. */
uint64_t customer_key(const char *norm, size_t len); /* a hash; 0: no customer */
const char *region_core(const char *norm, size_t *len); /* without 市/地区; len 0: none */

/* run.c: progress on a terminal (docs, issue 9); csvio.c: the reader's file
 * descriptor (-1 when reading from memory), to see how far it has read. */
int reader_fd(cpl_reader *r);

/* litindex.c (for phrase.c, issue 7): litindex_scan, also giving the byte
 * offset of each id's first literal found in at[id]. */
void litindex_scan_at(const cpl_litindex *x, const char *text, size_t len, unsigned char *maybe, size_t *at);
/* After a scan that found id: a byte offset no match of id can start
 * after, as every match holds one of its literals (the last place where
 * one may be); SIZE_MAX when it cannot tell. */
size_t litindex_last(const cpl_litindex *x, int id);

/* issue 7, cplclassify's hot path and thin command (pclassify):
 * literals.c: like literals_compile, with ASCII letters read as lowercase
 * literals (for a caller comparing with ASCII case folded). */
cpl_literals *literals_compile_folded(const char *pattern);
/* A character every reply is full of (您, 的, 是 ...): a poor literal. */
int literals_common(uint32_t cp);
/* How rare the string is likely to be in a text: 1 for each ASCII or
 * common character, 3 for any other. */
size_t literals_rarity(const char *s, size_t len);
/* Of a folded one: its top-level alternatives (0: not read), each with
 * clauses that a match all holds a string of. */
size_t literals_alternatives(const cpl_literals *l);
size_t literals_clauses(const cpl_literals *l, size_t alt);
size_t literals_clause(const cpl_literals *l, size_t alt, size_t clause, const char *const **out);
/* Is alternative alt sure: it matches exactly a few texts, with no
 * assertion, inline option, atomic group or possessive quantifier beside
 * them ((?:被)?标记(?:为)?), and its one clause holds them (标记): a text
 * holding one of them (ASCII letters in any case) holds a match. */
int literals_alternative_sure(const cpl_literals *l, size_t alt);
/* Where alternative alt is in the pattern: its offset (*off) and length. */
size_t literals_alternative_span(const cpl_literals *l, size_t alt, size_t *off);
/* Are there several top-level alternatives, each matching alone as it does
 * in the whole: no back reference or inline option reaching from one to
 * another (what the reading cannot follow, \Q or (*VERB), leaves none)? */
int literals_alternatives_apart(const cpl_literals *l);
/* litindex.c: after a scan, may alternative alt of id match: 1 its strings
 * were all found, 0 not, -1 the scan cannot tell for id. */
int litindex_alternative_found(const cpl_litindex *x, int id, size_t alt);
/* What litindex_add read of id's pattern (NULL: it always runs). */
const cpl_literals *litindex_literals(const cpl_litindex *x, int id);
/* patlen.c: the most bytes a match of the pattern can span. */
#define PATLEN_UNBOUNDED ((size_t)-1)
size_t pattern_max_len(const char *pattern);
/* columns.c: a canonical column among header names (--map and aliases), or -1. */
int column_find(char *const *cols, size_t n, const char *canonical);
/* When column_find found cols[i] by an alias, the next header that is an
 * alias of canonical too, or -1: two columns where one is read. */
int column_find_next(char *const *cols, size_t n, const char *canonical, int i);
/* rec as wide as ncols into f (room for ncols + 1): missing fields empty,
 * extra ones joined into the last column (every byte kept), as run_next
 * does; returns 1 when extra fields were joined. */
int record_shape(const cpl_record *rec, size_t ncols, cpl_field *f, cpl_buf *joined);
/* run.c: for a command that must see every record before writing one: read
 * every record once and keep the records as read in a temporary file, from
 * which run_next then gives them again: the second pass parses no CSV, and
 * a pipe on stdin needs no copy.  Each record, shaped as run_next shapes it
 * (its problems are stated by the loop, not here), goes to match, which may
 * run in several threads at once, each with its own context wctx[i], and
 * writes what it found into out; commit then gets each record's out, in
 * record order, one call at a time.
 *
 * With once set, nothing is kept: the pass is the whole run and run_next
 * gives no record after it.  Each record's problems are then stated in
 * commit order, as run_next would (its shape, the reader's), and commit
 * may add its own with run_problem. */
typedef struct run_stage {
	int nworkers;  /* contexts in wctx: at most run_workers() */
	void **wctx;
	void (*match)(void *wctx, const cpl_record *rec, const cpl_field *f, size_t n, cpl_buf *out);
	void (*commit)(void *ctx, const char *out, size_t len);
	void *ctx;
	int once;
	int match_in_reader; /* match in the reading thread: the others commit */
} run_stage;
/* How many threads run_prepass can match in, the reading thread among them
 * (it matches with the last context): the processors, unless CPL_THREADS
 * says otherwise; 1 for an empty input. */
int run_workers(cpl_run *r);
/* Processors to use: $CPL_THREADS, else those online (1 or more). */
int cpl_processors(void);
void run_prepass(cpl_run *r, const run_stage *st);

/* After run_prepass, the kept records read again on every processor, with
 * the output in order: the reading thread takes each record with what
 * annex adds for it (in order: the command's own spooled findings), and
 * hands them in blocks to the workers; each has its own view of the run
 * (run_view: run_field, run_set, run_problem and run_emit work on it
 * alone) and calls each(wctx, view, annex, len), which ends with
 * run_emit(view).  The blocks' output and messages are written and said
 * in the input's order.  views and wctx: nworkers each (run_workers). */
typedef struct run_post {
	int nworkers;
	cpl_run **views;
	void **wctx;
	void (*annex)(void *ctx, cpl_buf *out);
	void *ctx;
	void (*each)(void *wctx, cpl_run *view, const char *annex, size_t len);
} run_post;
void run_postpass(cpl_run *r, const run_post *ps);
/* A view of r for a worker of run_postpass: made once every column is
 * added (it writes the header); freed with run_view_free, which adds its
 * problem records to r's. */
cpl_run *run_view(cpl_run *r);
void run_view_free(cpl_run *r, cpl_run *v);

/* casekey.c: a list of customers (one number a line, '#' comments) into m. */
void customer_list_load(cpl_hmap *m, const char *path);

/* caseread.c: what cplclassify reads of one case, from the main input or a
 * --history file: the columns, their normalised values, the rules and cues
 * that match, the case's event for the sweep of lib/casewindow.c. */
enum { CASE_ID, CASE_CREATED, CASE_CHANNEL, CASE_CUSTOMER, CASE_LEVEL, CASE_REGION,
	CASE_ISSUE_REGION, CASE_TEXT, CASE_CLOSED, CASE_STATUS, CASE_ESCALATED, CASE_NCOLS };
enum { CASE_BAD_CREATED = 1, CASE_BAD_CLOSED = 2 }; /* times that are not times */
enum { CASE_NO_EVENT = 4 };  /* case_event: no time, nothing for the sweep */
#define CASE_ALL_CUES (1u << CUE_URGENT | 1u << CUE_COMPLAINANT | 1u << CUE_EMOTION | \
	1u << CUE_HARASSMENT | 1u << CUE_CLOSED)
typedef struct cpl_classifier {
	cpl_rules *rules;
	cpl_cues *cues;
	cpl_levels *levels;
	cpl_hmap *sensitive;     /* --sensitive customers, or NULL */
	char **key_parts;        /* --issue-key */
	size_t nkey_parts;
	cpl_window *window;      /* the sweep of batches and repeats, or NULL */
	int want_pos;            /* --explain: hits in characters of the original */
	const char **rnorm, **cnorm; /* scratch: the rules' and cues' fields */
	size_t *rlen, *clen;
	/* One literal scan of a case serves both tables: the rules are ids
	 * 0 .. rules->n - 1 of pf and the cues follow; its fields are the
	 * columns either reads (jfield[j]: a rule field, or a cue field
	 * encoded as -1 - i), so a text both read is walked once. */
	cpl_prefilter pf;
	int *jfield, *rule_j, *cue_j;
	size_t njfields;
	const char **jnorm;
	size_t *jlen;
	const struct cpl_caselayout *scanned; /* pf holds the scan of this layout's */
	unsigned scanned_cur;                 /* record (its cur) */
} cpl_classifier;
enum { CASE_LEVEL_MEMO = 32, CASE_LEVEL_MEMO_LEN = 27 };
typedef struct cpl_caselayout {
	int col[CASE_NCOLS];     /* input columns, -1 when absent */
	int *rule_col, *cue_col, *key_col;
	int subcat_col;          /* history: a subcategory from an earlier run */
	size_t ncols;
	cpl_norm *norm;          /* per column: normalised value of this record */
	unsigned *stamp, cur;
	/* case_level's answers for the level values seen (a column holds a
	 * handful): a value's place is a hash of it; len 0 = free */
	struct { int lv; unsigned char len; char s[CASE_LEVEL_MEMO_LEN]; } level_memo[CASE_LEVEL_MEMO];
} cpl_caselayout;
typedef struct cpl_caseview {
	const cpl_field *f;
	size_t n;
	const char *file;
	long line;
	uint64_t recno;
} cpl_caseview;
typedef struct cpl_cuehits {
	cpl_hit *h;
	size_t n, cap;
	int limit;               /* a cue that hit the match limit, or -1 */
} cpl_cuehits;
/* After the tables are loaded: the issue key spec and the scratch space. */
void classifier_setup(cpl_classifier *k, const char *issue_key);
void caselayout_init(cpl_classifier *k, cpl_caselayout *L, size_t ncols,
	int (*find)(void *ctx, const char *canonical), void *ctx);
void caselayout_free(cpl_caselayout *L);
void caselayout_next(cpl_caselayout *L); /* a new record: forget its values */
/* k and its layout L for another thread: the tables shared (read only from
 * now on), the work space its own, no sweep; freed before k and L. */
void classifier_share(cpl_classifier *k, cpl_classifier *v, const cpl_caselayout *L, cpl_caselayout *vl);
void classifier_share_free(cpl_classifier *v, cpl_caselayout *vl);
/* Worker i's classifier and layout (*ko, *Lo): k and L themselves for the
 * first, views of them made in *kv and *vl for the others. */
void classifier_worker(cpl_classifier *k, cpl_caselayout *L, int i, cpl_classifier *kv, cpl_caselayout *vl,
	cpl_classifier **ko, cpl_caselayout **Lo);
const char *case_raw(const cpl_caseview *v, int col, size_t *len);
const char *case_norm(cpl_classifier *k, cpl_caselayout *L, const cpl_caseview *v, int col, size_t *len);
void case_categorize(cpl_classifier *k, cpl_caselayout *L, const cpl_caseview *v, cpl_verdict *vd);
void case_cues(cpl_classifier *k, cpl_caselayout *L, const cpl_caseview *v, unsigned kinds, cpl_cuehits *ch);
void case_issue_key(cpl_classifier *k, cpl_caselayout *L, const cpl_caseview *v, const cpl_verdict *vd, cpl_buf *out);
uint64_t case_customer(cpl_classifier *k, cpl_caselayout *L, const cpl_caseview *v);
int case_level(cpl_classifier *k, cpl_caselayout *L, const cpl_caseview *v);
int case_bad_times(const cpl_caselayout *L, const cpl_caseview *v); /* CASE_BAD_* */
void case_name(const cpl_caselayout *L, const cpl_caseview *v, cpl_buf *out);
/* Hand the case to the sweep; returns its CASE_BAD_* flags. */
int case_add(cpl_classifier *k, cpl_caselayout *L, const cpl_caseview *v, const cpl_verdict *vd,
	const cpl_cuehits *ch, int input);
/* What case_add hands the sweep, in *c (its name in *name, its issue key
 * built in *key: the caller's space, so that threads can each have one);
 * CASE_BAD_* flags, and CASE_NO_EVENT when the case has no time. */
int case_event(cpl_classifier *k, cpl_caselayout *L, const cpl_caseview *v, const cpl_verdict *vd,
	const cpl_cuehits *ch, int input, cpl_case *c, cpl_buf *key, cpl_buf *name);

/* classpass.c: the first of cplclassify's two passes, and --history files:
 * every case matched once, its matches spooled, its event handed to the sweep. */
void classify_history(cpl_classifier *k, const char *path);
/* Returns the spool, written, to read back with spoolin_open and
 * classify_copy() in input order; *buf is its buffer (tmp_file_close). */
FILE *classify_first_pass(cpl_classifier *k, cpl_run *run, cpl_caselayout *L, char **buf);
/* The next case's matches, copied as they are to out (in the second
 * pass's reading thread), and read from there (in a worker): returns its
 * CASE_BAD_* flags. */
void classify_copy(cpl_spoolin *spool, cpl_buf *out);
int classify_take(const char **p, cpl_verdict *vd, cpl_cuehits *ch);

/* classout.c: the columns cplclassify adds to a case, and --explain's
 * account of why, case by case. */
typedef struct cpl_classout cpl_classout;
typedef struct cpl_classout_opts {
	FILE *explain;           /* NULL: no explaining */
	const int *order;        /* urgent types, most urgent first */
	int64_t batch_window, harass_window;
} cpl_classout_opts;
cpl_classout *classout_new(cpl_classifier *k, cpl_run *run, const cpl_classout_opts *o);
/* The same columns and options, for a worker: its classifier view and its
 * run_view (freed with classout_free). */
cpl_classout *classout_view(const cpl_classout *x, cpl_classifier *k, cpl_run *run);
/* Set the columns of the current record of run; bad: CASE_BAD_* flags. */
void classout_case(cpl_classout *o, cpl_caselayout *L, const cpl_caseview *v, const cpl_verdict *vd,
	const cpl_cuehits *cue, int bad, const cpl_case_findings *fd);
void classout_free(cpl_classout *o);

#endif
