/* normalizers.c: what traditional->simplified conversion costs per record,
 * for the three candidates: cpl's own character table (text.c), OpenCC's
 * t2s (libopencc), and ICU's Traditional-Simplified transliterator.
 * Build and run: make bench-normalizers (needs libopencc-dev, libicu-dev). */
#include <opencc/opencc.h>
#include <unicode/utrans.h>
#include <unicode/ustring.h>
#include <string.h>
#include <time.h>
#include "cpl.h"

static const char *texts[] = {
	"用戶來電反映手機沒有信號，無法正常通話，要求儘快處理並給予賠償，客戶情緒激動，表示如不解決將向工信部投訴。",
	"用户来电反映手机没有信号，无法正常通话，要求尽快处理并给予赔偿，客户情绪激动，表示如不解决将向工信部投诉。",
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
	enum { N = 200000 };
	cpl_norm norm = {0};
	opencc_t occ = opencc_open("t2s.json");
	UErrorCode st = U_ZERO_ERROR;
	UChar id[64];
	u_uastrcpy(id, "Traditional-Simplified");
	UTransliterator *icu = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
	if (U_FAILURE(st)) { fprintf(stderr, "icu: %s\n", u_errorName(st)); return 1; }
	char out[4096];
	UChar ubuf[1024];
	printf("%-28s %14s %14s\n", "normaliser", "traditional", "simplified");
	for (int which = 0; which < 3; which++) {
		double us[2];
		int n = which == 2 ? N / 20 : N;
		for (int k = 0; k < 2; k++) {
			const char *t = texts[k];
			size_t len = strlen(t);
			double t0 = now();
			for (int i = 0; i < n; i++) {
				if (which == 0) {
					text_normalize(&norm, t, len, 1);
				} else if (which == 1) {
					opencc_convert_utf8_to_buffer(occ, t, len, out);
				} else {
					int32_t ulen;
					UErrorCode e = U_ZERO_ERROR;
					u_strFromUTF8(ubuf, 1024, &ulen, t, (int32_t)len, &e);
					int32_t limit = ulen;
					utrans_transUChars(icu, ubuf, &ulen, 1024, 0, &limit, &e);
				}
			}
			us[k] = (now() - t0) / n * 1e6;
		}
		printf("%-28s %11.2f us %11.2f us\n",
			which == 0 ? "cpl table (text.c)" : which == 1 ? "OpenCC t2s" : "ICU Traditional-Simplified", us[0], us[1]);
	}
	printf("(one %zu-character complaint text per record)\n", utf8_chars(texts[0], strlen(texts[0])));
	return 0;
}
