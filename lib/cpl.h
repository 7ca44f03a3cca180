/* cpl.h: the one header of the cpl core library.  Prototypes are grouped
 * under the name of the file that defines them. */
#ifndef CPL_H
#define CPL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

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

/* alloc.c: allocation that dies cleanly, and a growable byte buffer. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

typedef struct cpl_buf {
	char *s;
	size_t len, cap;
} cpl_buf;
void buf_grow(cpl_buf *b, size_t extra);
void buf_add(cpl_buf *b, const void *p, size_t n);
void buf_adds(cpl_buf *b, const char *s);
void buf_addc(cpl_buf *b, char c);
void buf_printf(cpl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_clear(cpl_buf *b);
void buf_free(cpl_buf *b);
const char *buf_str(cpl_buf *b); /* NUL-terminated view */

/* utf8.c: UTF-8 checks and decoding. */
int utf8_valid(const char *s, size_t len, size_t *bad_at);
/* Decode one code point at s (len > 0); returns its length, or 1 with *cp =
 * 0xFFFD for an invalid byte. */
int utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);
int utf8_encode(uint32_t cp, char out[4]);
size_t utf8_chars(const char *s, size_t len);

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
void reader_close(cpl_reader *r);

typedef struct cpl_writer cpl_writer;
/* Writes to fd; flushes in large blocks; a failed write dies with status 4. */
cpl_writer *writer_open(int fd, const char *name, char delim, int excel);
void writer_field(cpl_writer *w, const char *s, size_t len);
void writer_fields(cpl_writer *w, const char *s); /* NUL-terminated */
void writer_endrow(cpl_writer *w);
void writer_raw(cpl_writer *w, const char *s, size_t len); /* non-CSV output */
void writer_rawf(cpl_writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void writer_flush(cpl_writer *w);
void writer_close(cpl_writer *w);
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
/* 1 match, 0 no match, -1 match limit hit (or other matching error). */
int regex_match(const cpl_regex *re, const char *s, size_t len, size_t start,
	size_t *mstart, size_t *mend);
const char *regex_pattern(const cpl_regex *re);
/* Check a rule's examples ("a | b | c"): each must / must not match after
 * normalisation; dies with file:line naming the failing example. */
void regex_check_examples(const cpl_regex *re, const char *must, const char *must_not,
	const char *file, long line, const char *rule_id);
void regex_free(cpl_regex *re);

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

#endif
