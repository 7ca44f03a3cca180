/* norm.c: the normaliser over arbitrary bytes.  Every pos[] entry must be a
 * character index within the original text, never going backwards, with
 * pos[out.len] the count of characters; the result must not depend on
 * whether pos was asked for, and normalising twice changes nothing more. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static cpl_norm a, b, c;
	cpl_on_exit(abort);
	const char *s = (const char *)data;
	text_normalize(&a, s, size, 1);
	int chars = a.pos[a.out.len];
	if (chars < 0 || (size_t)chars > size)
		abort();
	for (size_t i = 0; i < a.out.len; i++)
		if (a.pos[i] < 0 || a.pos[i] > chars || (i && a.pos[i] < a.pos[i - 1]))
			abort();
	if (a.out.len && a.pos[a.out.len] < a.pos[a.out.len - 1])
		abort();
	if (a.out.s[a.out.len] != 0)
		abort();
	text_normalize(&b, s, size, 0);
	if (b.out.len != a.out.len || memcmp(a.out.s, b.out.s, a.out.len))
		abort();
	text_normalize(&c, a.out.s, a.out.len, 0);
	if (c.out.len != a.out.len || memcmp(a.out.s, c.out.s, a.out.len))
		abort(); /* idempotent */
	return 0;
}
