/* opts.c: one option parser for the four commands.  The shared flags
 * (delimiters, --map, --encoding, --excel, -o, --tz) are handled here, the
 * command's own are passed back to it; --help is generated from the same
 * tables, so help, parser and man page cannot drift apart unnoticed. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cpl.h"

cpl_shared cpl_opt = { .in = { .delim = ',' }, .out_delim = ',' };

enum { S_DELIM, S_TAB, S_ODELIM, S_NOHEADER, S_MAP, S_ENCODING, S_EXCEL, S_OUTPUT, S_TZ, S_HELP, S_VERSION, S_COUNT };

static const cpl_option shared[] = {
	[S_DELIM]    = {"delimiter", 'd', "C", "input field delimiter (default ,)"},
	[S_TAB]      = {"tab", 't', NULL, "input is tab-separated"},
	[S_ODELIM]   = {"output-delimiter", 'D', "C", "output field delimiter (default ,)"},
	[S_NOHEADER] = {"no-header", 0, NULL, "input has no header row; columns are 1, 2, ..."},
	[S_MAP]      = {"map", 0, "CANON=HEADER,...", "name the input column for a canonical column"},
	[S_ENCODING] = {"encoding", 0, "ENC", "input encoding: utf-8 (default), gb18030, gbk"},
	[S_EXCEL]    = {"excel", 0, NULL, "write for Excel: UTF-8 BOM and CRLF"},
	[S_OUTPUT]   = {"output", 'o', "FILE", "write to FILE (atomically) instead of stdout"},
	[S_TZ]       = {"tz", 0, "ZONE", "local time zone (default $TZ, else Asia/Shanghai)"},
	[S_HELP]     = {"help", 'h', NULL, "show this help and exit"},
	[S_VERSION]  = {"version", 'V', NULL, "show the version and exit"},
};

static char parse_delim(const char *name, const char *arg)
{
	if (!strcmp(arg, "\\t") || !strcmp(arg, "tab") || !strcmp(arg, "\t"))
		return '\t';
	if (strlen(arg) != 1 || arg[0] == '"' || arg[0] == '\n' || arg[0] == '\r')
		cpl_die(CPL_EXIT_USAGE, "--%s: expected one character, got '%s'", name, arg);
	return arg[0];
}

/* Write help text from column 30, wrapped at word boundaries so that no line
 * is wider than 79 columns (a CJK character takes two). */
static void print_help(FILE *f, const char *s)
{
	enum { COL = 30, WIDTH = 79 };
	int col = COL;
	while (*s) {
		const char *w = s;
		int ww = 0;
		while (*w && *w != ' ') {
			unsigned char c = (unsigned char)*w;
			ww += c >= 0xe0 ? 2 : (c & 0xc0) != 0x80;
			w++;
		}
		if (col > COL && col + 1 + ww > WIDTH) {
			fprintf(f, "\n%*s", COL, "");
			col = COL;
		} else if (col > COL) {
			fputc(' ', f);
			col++;
		}
		fwrite(s, 1, (size_t)(w - s), f);
		col += ww;
		for (s = w; *s == ' '; s++)
			;
	}
	fputc('\n', f);
}

static void print_options(FILE *f, const cpl_option *o, size_t n)
{
	for (size_t i = 0; i < n && o[i].name; i++) {
		char left[64];
		if (o[i].shortopt)
			snprintf(left, sizeof left, "-%c, --%s%s%s", o[i].shortopt, o[i].name,
				o[i].arg && o[i].arg[0] != '[' ? " " : "", o[i].arg ? o[i].arg : "");
		else
			snprintf(left, sizeof left, "    --%s%s%s", o[i].name,
				o[i].arg && o[i].arg[0] != '[' ? " " : "", o[i].arg ? o[i].arg : "");
		if (strlen(left) > 26)
			fprintf(f, "  %s\n  %-26s  ", left, "");
		else
			fprintf(f, "  %-26s  ", left);
		print_help(f, o[i].help);
	}
}

void opts_usage(const cpl_cmd *cmd, FILE *f)
{
	fprintf(f, "usage: %s %s\n%s\n\n", cmd->name, cmd->usage, cmd->summary);
	if (cmd->options && cmd->options[0].name) {
		fprintf(f, "Options:\n");
		print_options(f, cmd->options, (size_t)-1);
		fputc('\n', f);
	}
	fprintf(f, "Shared options:\n");
	print_options(f, shared, S_COUNT);
	fprintf(f, "\nSee %s(1) and cpl(7).\n", cmd->name);
}

int opts_parse(const cpl_cmd *cmd, int argc, char **argv)
{
	size_t ncmd = 0;
	while (cmd->options && cmd->options[ncmd].name)
		ncmd++;
	struct option *lo = xcalloc(S_COUNT + ncmd + 1, sizeof *lo);
	char shorts[128] = ":";
	size_t k = 0;
	for (int pass = 0; pass < 2; pass++) {
		const cpl_option *o = pass ? cmd->options : shared;
		size_t n = pass ? ncmd : S_COUNT;
		for (size_t i = 0; i < n; i++, k++) {
			lo[k].name = o[i].name;
			/* an argument named "[=FILE]" is optional: --flag or --flag=FILE */
			lo[k].has_arg = !o[i].arg ? no_argument : o[i].arg[0] == '[' ? optional_argument : required_argument;
			lo[k].val = (pass ? 2000 : 1000) + (int)i;
			if (o[i].shortopt) {
				size_t l = strlen(shorts);
				shorts[l] = (char)o[i].shortopt;
				shorts[l + 1] = 0;
				if (o[i].arg)
					strcat(shorts, o[i].arg[0] == '[' ? "::" : ":");
			}
		}
	}
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		if (c < 1000 && c != '?' && c != ':') {
			/* a short option: find its entry */
			int found = -1;
			for (size_t i = 0; i < S_COUNT; i++)
				if (shared[i].shortopt == c) found = 1000 + (int)i;
			for (size_t i = 0; i < ncmd; i++)
				if (cmd->options[i].shortopt == c) found = 2000 + (int)i;
			c = found;
		}
		if (c == '?' || c == -1) {
			if (optopt)
				cpl_warn("unknown option '-%c'", optopt);
			else
				cpl_warn("unknown option '%s'", argv[optind - 1]);
			fprintf(stderr, "Try '%s --help' for more information.\n", cmd->name);
			exit(CPL_EXIT_USAGE);
		}
		if (c == ':') {
			cpl_warn("option '%s' needs an argument", argv[optind - 1]);
			fprintf(stderr, "Try '%s --help' for more information.\n", cmd->name);
			exit(CPL_EXIT_USAGE);
		}
		if (c >= 2000) {
			cmd->on_option(c - 2000, optarg);
			continue;
		}
		switch (c - 1000) {
		case S_DELIM: cpl_opt.in.delim = parse_delim("delimiter", optarg); break;
		case S_TAB: cpl_opt.in.delim = '\t'; break;
		case S_ODELIM: cpl_opt.out_delim = parse_delim("output-delimiter", optarg); break;
		case S_NOHEADER: cpl_opt.in.no_header = 1; break;
		case S_MAP: column_map_add(optarg); break;
		case S_ENCODING:
			decoder_close(decoder_open(optarg)); /* refuse an unknown one now */
			cpl_opt.in.encoding = optarg;
			break;
		case S_EXCEL: cpl_opt.excel = 1; break;
		case S_OUTPUT: cpl_opt.output = optarg; break;
		case S_TZ: cpl_opt.tz = optarg; break;
		case S_HELP: opts_usage(cmd, stdout); exit(0);
		case S_VERSION: printf("%s (cpl) %s\n", cmd->name, CPL_VERSION); exit(0);
		}
	}
	free(lo);
	time_set_zone(cpl_opt.tz);
	return optind;
}

long opt_long(const char *name, const char *arg, long min, long max)
{
	char *e;
	long v = strtol(arg, &e, 10);
	if (e == arg || *e || v < min || v > max)
		cpl_die(CPL_EXIT_USAGE, "--%s: expected a whole number from %ld to %ld, got '%s'", name, min, max, arg);
	return v;
}

double opt_double(const char *name, const char *arg, double min, double max)
{
	char *e;
	double v = strtod(arg, &e);
	if (e == arg || *e || v < min || v > max)
		cpl_die(CPL_EXIT_USAGE, "--%s: expected a number from %g to %g, got '%s'", name, min, max, arg);
	return v;
}
