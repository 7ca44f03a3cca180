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
static unsigned char *map_said; /* per --map: its slip was said */
static char **asked;   /* the names column_find was asked for, once each */
static unsigned char *asked_found; /* and found */
static size_t nasked;

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
		map_said = xrealloc(map_said, nmap + 1);
		map_said[nmap] = 0;
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

/* Where name is among the names column_find was asked for, or nasked. */
static size_t asked_at(const char *name)
{
	size_t i = 0;
	while (i < nasked && strcmp(asked[i], name))
		i++;
	return i;
}

static int note_asked(const char *canonical, int found)
{
	size_t i = asked_at(canonical);
	if (i == nasked) {
		asked = xrealloc(asked, (nasked + 1) * sizeof *asked);
		asked_found = xrealloc(asked_found, nasked + 1);
		asked[nasked] = xstrdup(canonical);
		asked_found[nasked++] = 0;
	}
	asked_found[i] |= found >= 0;
	return found;
}

/* The index of a canonical column among header names: the header --map
 * names for it, else one named exactly so, else one of its aliases; -1. */
static int find(char *const *cols, size_t n, const char *canonical)
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

int column_find(char *const *cols, size_t n, const char *canonical)
{
	return note_asked(canonical, find(cols, n, canonical));
}

int column_edits(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	if (na > 32 || nb > 32 || (na > nb ? na - nb : nb - na) > 3)
		return 4;
	int d[33][33];
	for (size_t i = 0; i <= na; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= nb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= na; i++)
		for (size_t j = 1; j <= nb; j++) {
			int v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < v) v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[na][nb] < 4 ? d[na][nb] : 4;
}

int column_near(const char *a, const char *b)
{
	size_t n = strlen(a) < strlen(b) ? strlen(a) : strlen(b);
	int most = n <= 4 ? 1 : n <= 9 ? 2 : 3;
	return strcmp(a, b) && column_edits(a, b) <= most;
}

static int is_canonical(const char *name)
{
	load();
	for (size_t r = 0; r < aliases->nrows; r++)
		if (!strcmp(aliases->rows[r][0], name))
			return 1;
	return 0;
}

/* A --map name nothing asked for and no canonical name: a misspelling
 * (of a name asked for) or a header name written where the canonical one
 * goes.  Each is said once. */
static int stray_map(size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (!strcmp(map_canon[k], map_canon[i]))
			return 0;
	return asked_at(map_canon[i]) == nasked && !is_canonical(map_canon[i]);
}

const char *column_map_near(const char *canonical)
{
	for (size_t i = 0; i < nmap; i++) {
		if (!stray_map(i))
			continue;
		const char *c = column_canonical(map_canon[i], strlen(map_canon[i]));
		if (c ? !strcmp(c, canonical) : column_near(map_canon[i], canonical)) {
			map_said[i] = 1; /* column_map_unread need not say it again */
			return map_canon[i];
		}
	}
	return NULL;
}

const char *column_map_unread(size_t *k, const char **meant)
{
	for (; *k < nmap; (*k)++) {
		size_t i = *k;
		if (map_said[i] || !stray_map(i))
			continue;
		const char *c = column_canonical(map_canon[i], strlen(map_canon[i]));
		for (size_t j = 0; !c && j < nasked; j++) /* a slip for a name found is another name */
			if (!asked_found[j] && column_near(map_canon[i], asked[j]))
				c = asked[j];
		if (c) {
			*meant = c;
			(*k)++;
			return map_canon[i];
		}
	}
	return NULL;
}

const char *column_near_in(char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (column_near(name, names[i]))
			return names[i];
	return NULL;
}

const char *column_near_name(char *const *cols, size_t n, const char *name)
{
	load();
	for (size_t r = 0; r < aliases->nrows; r++)
		if (column_near(name, aliases->rows[r][0]))
			return aliases->rows[r][0];
	return column_near_in(cols, n, name);
}
