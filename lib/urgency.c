/* urgency.c: the eight urgent types of seed 003 (紧急投诉), their ranking
 * for 分级优先处理 (configurable, --priority) and the priority 1-9 that
 * follows from it: the rank of a case's most urgent type, 9 for a normal case. */
#include <stdlib.h>
#include <string.h>
#include "cpl.h"

const char *const urgent_type_names[URG_NTYPES] = {
	[URG_MAJOR] = "major",
	[URG_OVER_LEVEL] = "over_level",
	[URG_BATCH] = "batch",
	[URG_REPEAT] = "repeat",
	[URG_ESCALATED] = "escalated",
	[URG_CROSS_REGION] = "cross_region",
	[URG_IMPORTANT] = "important_customer",
	[URG_SENSITIVE] = "sensitive_customer",
};

/* The default order of PRODUCT.md §3: most urgent first. */
static const int default_order[URG_NTYPES] = {
	URG_MAJOR, URG_OVER_LEVEL, URG_BATCH, URG_ESCALATED,
	URG_IMPORTANT, URG_SENSITIVE, URG_REPEAT, URG_CROSS_REGION,
};

int urgent_type(const char *name, size_t len)
{
	for (int i = 0; i < URG_NTYPES; i++)
		if (strlen(urgent_type_names[i]) == len && !memcmp(urgent_type_names[i], name, len))
			return i;
	return -1;
}

void urgency_order_default(int order[URG_NTYPES])
{
	memcpy(order, default_order, sizeof default_order);
}

/* "major,batch,...": the types named come first, in that order; the others
 * keep their default order after them. */
void urgency_order_parse(const char *list, int order[URG_NTYPES])
{
	int seen[URG_NTYPES] = {0};
	int n = 0;
	const char *p = list;
	while (*p) {
		size_t len = strcspn(p, ",; ");
		if (len) {
			int t = urgent_type(p, len);
			if (t < 0)
				cpl_die(CPL_EXIT_USAGE, "--priority: '%.*s' is not an urgent type (%s, %s, %s, %s, %s, %s, %s, %s)",
					(int)len, p, urgent_type_names[0], urgent_type_names[1], urgent_type_names[2],
					urgent_type_names[3], urgent_type_names[4], urgent_type_names[5],
					urgent_type_names[6], urgent_type_names[7]);
			if (seen[t])
				cpl_die(CPL_EXIT_USAGE, "--priority: '%.*s' is named twice", (int)len, p);
			seen[t] = 1;
			order[n++] = t;
		}
		p += len;
		if (*p)
			p++;
	}
	for (int i = 0; i < URG_NTYPES; i++)
		if (!seen[default_order[i]])
			order[n++] = default_order[i];
}

int urgency_priority(unsigned mask, const int order[URG_NTYPES])
{
	for (int i = 0; i < URG_NTYPES; i++)
		if (mask & (1u << order[i]))
			return i + 1;
	return URG_NTYPES + 1;
}

void urgency_list(unsigned mask, const int order[URG_NTYPES], cpl_buf *out)
{
	buf_clear(out);
	for (int i = 0; i < URG_NTYPES; i++)
		if (mask & (1u << order[i])) {
			if (out->len)
				buf_addc(out, ';');
			buf_adds(out, urgent_type_names[order[i]]);
		}
}
