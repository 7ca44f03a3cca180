/* columns.c: what a header in a real export means.  Canonical names
 * (case_id, created_at, text, ...) and their Chinese aliases come from
 * data/columns.csv; --map canonical=header,... names the rest. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "cpl.h"

static cpl_table *aliases;
static char **map_canon, **map_header;
static size_t nmap;

/* Header text as compared: trimmed (ASCII and ideographic spaces) and ASCII lowercased. */
static char *fold(const char *s, size_t len)
{
	for (;;) {
		if (len && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) { s++, len--; continue; }
		if (len >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0) { s += 3, len -= 3; continue; }
		break;
	}
	for (;;) {
		if (len && strchr(" \t\r\n", s[len - 1])) { len--; continue; }
		if (len >= 3 && memcmp(s + len - 3, "\xE3\x80\x80", 3) == 0) { len -= 3; continue; }
		break;
	}
	char *out = xstrndup(s, len);
	for (char *p = out; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return out;
}

static void load(void)
{
	static const char *const req[] = {"canonical", "aliases", NULL};
	if (!aliases)
		aliases = table_load(NULL, "columns.csv", req);
}

const char *column_canonical(const char *header, size_t len)
{
	load();
	char *h = fold(header, len);
	const char *found = NULL;
	for (size_t r = 0; r < aliases->nrows && !found; r++) {
		const char *canon = aliases->rows[r][0];
		if (strcmp(h, canon) == 0) {
			found = canon;
			break;
		}
		const char *a = aliases->rows[r][1];
		while (*a) {
			size_t n = strcspn(a, ";");
			char *alias = fold(a, n);
			int eq = strcmp(alias, h) == 0;
			free(alias);
			if (eq) {
				found = canon;
				break;
			}
			a += n;
			if (*a == ';')
				a++;
		}
	}
	free(h);
	return found;
}

void column_map_add(const char *spec)
{
	const char *p = spec;
	while (*p) {
		size_t n = strcspn(p, ",");
		const char *eq = memchr(p, '=', n);
		if (!eq || eq == p || eq == p + n - 1)
			cpl_die(CPL_EXIT_USAGE, "--map: expected canonical=header, got '%.*s'", (int)n, p);
		map_canon = xrealloc(map_canon, (nmap + 1) * sizeof *map_canon);
		map_header = xrealloc(map_header, (nmap + 1) * sizeof *map_header);
		map_canon[nmap] = xstrndup(p, (size_t)(eq - p));
		map_header[nmap] = fold(eq + 1, (size_t)(p + n - eq - 1));
		nmap++;
		p += n;
		if (*p == ',')
			p++;
	}
}

const char *column_mapped(const char *canonical)
{
	for (size_t i = nmap; i-- > 0;)
		if (strcmp(map_canon[i], canonical) == 0)
			return map_header[i];
	return NULL;
}

/* for run.c: compare a header with a --map target */
int column_header_is(const char *header, size_t len, const char *folded)
{
	char *h = fold(header, len);
	int eq = strcmp(h, folded) == 0;
	free(h);
	return eq;
}

/* When column_find took header i for canonical by an alias (no --map, no
 * header of that very name), the next header that is an alias of it too,
 * which column_find passed over; -1. */
int column_find_next(char *const *cols, size_t n, const char *canonical, int i)
{
	if (i < 0 || column_mapped(canonical) || !strcmp(cols[i], canonical))
		return -1;
	for (size_t k = (size_t)i + 1; k < n; k++) {
		const char *c = column_canonical(cols[k], strlen(cols[k]));
		if (c && !strcmp(c, canonical))
			return (int)k;
	}
	return -1;
}

/* The index of a canonical column among header names: the header --map
 * names for it, else one named exactly so, else one of its aliases; -1. */
int column_find(char *const *cols, size_t n, const char *canonical)
{
	const char *mapped = column_mapped(canonical);
	if (mapped) {
		for (size_t i = 0; i < n; i++)
			if (column_header_is(cols[i], strlen(cols[i]), mapped))
				return (int)i;
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (!strcmp(cols[i], canonical))
			return (int)i;
	for (size_t i = 0; i < n; i++) {
		const char *c = column_canonical(cols[i], strlen(cols[i]));
		if (c && !strcmp(c, canonical))
			return (int)i;
	}
	return -1;
}
