/* SPDX-License-Identifier: ISC */
/* Fuzzes b64.c, the libb64 adapter and its faster codecs (RFC 2045 6.8):
 * decodes back, 76-column lines, incremental, sized right, every codec
 * the same bytes; and the one-line form of encoded-words. */
#include "fuzz.h"

static void
encode(const uint8_t *d, size_t n, int crlf, uint32_t seed,
    struct mc_buf *out)
{
	struct mc_out *o = malloc(sizeof(*o));
	struct mc_b64 b;
	size_t k;

	FZ_ASSERT(o != NULL, "out of memory");
	mc_out_init(o, fz_sink, out, crlf);
	mc_b64_init(&b, o);
	while (n > 0) {
		k = n;
		if (seed != 0) {
			seed = seed * 1103515245u + 12345u;
			k = 1 + (seed >> 16) % 131;
			if (k > n)
				k = n;
		}
		FZ_ASSERT(mc_b64_step(&b, d, k) == 0, "mc_b64_step failed");
		d += k;
		n -= k;
	}
	FZ_ASSERT(mc_b64_finish(&b) == 0, "mc_b64_finish failed");
	FZ_ASSERT(mc_out_flush(o) == 0, "flush failed");
	free(o);
}

/* The codecs b64.c has (those this CPU cannot run are skipped). */
static const char *const codecs[] = { "libb64", "scalar", "avx2" };

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct mc_buf one, chunked, dec, ref;
	const char *s, *nl, *end, *eol;
	size_t el, ln, pn, c;
	char *plain;
	int crlf;

	mc_buf_init(&ref);
	for (c = 0; c < 2 * sizeof(codecs) / sizeof(codecs[0]); c++) {
		crlf = (int)(c % 2);
		if (mc_codec_force(MC_CODEC_B64, codecs[c / 2]) == -1)
			continue;
		eol = crlf ? "\r\n" : "\n";
		el = strlen(eol);
		mc_buf_init(&one);
		mc_buf_init(&chunked);
		mc_buf_init(&dec);
		encode(d, n, crlf, 0, &one);
		encode(d, n, crlf, (uint32_t)n * 2654435761u | 1, &chunked);
		FZ_ASSERT(one.len == chunked.len && (one.len == 0 ||
		    memcmp(one.p, chunked.p, one.len) == 0),
		    "chunked output differs from one call");
		FZ_ASSERT(mc_b64_size(n, (int)el) == one.len,
		    "mc_b64_size says %llu, %zu written",
		    (unsigned long long)mc_b64_size(n, (int)el), one.len);
		FZ_ASSERT(n > 0 || one.len == 0, "output for empty input");
		/* Lines of exactly 76 but the last, each ended. */
		end = one.len > 0 ? one.p + one.len : one.p;
		for (s = one.p; one.len > 0 && s < end; s = nl + 1) {
			nl = memchr(s, '\n', (size_t)(end - s));
			FZ_ASSERT(nl != NULL, "the last line has no line end");
			ln = (size_t)(nl - s);
			if (crlf) {
				FZ_ASSERT(ln > 0 && s[ln - 1] == '\r',
				    "an LF without CR");
				ln--;
			}
			FZ_ASSERT(ln > 0 && ln <= MC_ENC_COLS,
			    "a line of %zu characters", ln);
			FZ_ASSERT(ln == MC_ENC_COLS || nl + 1 == end,
			    "a short line before the last");
			FZ_ASSERT(fz_b64_decode(s, ln, &dec) == 0,
			    "invalid base64: %.*s", (int)ln, s);
		}
		FZ_ASSERT(dec.len == n && (n == 0 ||
		    memcmp(dec.p, d, n) == 0), "decodes to other bytes");
		/* Every codec writes the same bytes (LF output compared). */
		if (!crlf && ref.len == 0)
			mc_buf_add(&ref, one.p ? one.p : "", one.len);
		else if (!crlf)
			FZ_ASSERT(one.len == ref.len && memcmp(one.p, ref.p,
			    one.len) == 0, "%s differs from %s", codecs[c / 2],
			    codecs[0]);
		mc_buf_free(&one);
		mc_buf_free(&chunked);
		mc_buf_free(&dec);
	}
	mc_codec_force(MC_CODEC_B64, NULL);
	mc_buf_free(&ref);

	/* mc_b64_plain: 4 * ceil(n / 3) characters, no line break. */
	pn = n < 1024 ? n : 1024;
	plain = malloc((pn + 2) / 3 * 4 + 1);
	FZ_ASSERT(plain != NULL, "out of memory");
	mc_b64_plain(plain, d, pn);
	FZ_ASSERT(strlen(plain) == (pn + 2) / 3 * 4, "mc_b64_plain wrote "
	    "%zu characters for %zu bytes", strlen(plain), pn);
	mc_buf_init(&dec);
	FZ_ASSERT(fz_b64_decode(plain, strlen(plain), &dec) == 0,
	    "mc_b64_plain: invalid base64");
	FZ_ASSERT(dec.len == pn && (pn == 0 || memcmp(dec.p, d, pn) == 0),
	    "mc_b64_plain decodes to other bytes");
	mc_buf_free(&dec);
	free(plain);
	return 0;
}
