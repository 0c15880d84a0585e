/* SPDX-License-Identifier: ISC */
/* Fuzzes qp.c (RFC 2045 6.7, SPEC 2): decodes back, safe lines, incremental. */
#include "fuzz.h"

/*
 * Encodes d[0..n) in chunks whose sizes come from seed (0: one call), the
 * way path names (mc_qp_force); counts only when out is NULL.
 */
static void
encode(const uint8_t *d, size_t n, int crlf, uint32_t seed,
    const char *path, struct mc_buf *out, uint64_t *bytes)
{
	struct mc_out *o = malloc(sizeof(*o));
	struct mc_qp qp;
	size_t k;

	FZ_ASSERT(o != NULL, "out of memory");
	FZ_ASSERT(mc_codec_force(MC_CODEC_QP, path) == 0, "mc_qp_force failed");
	mc_out_init(o, fz_sink, out, crlf);
	if (out != NULL)
		mc_qp_init(&qp, o);
	else
		mc_qp_count_init(&qp);
	while (n > 0) {
		k = n;
		if (seed != 0) {
			seed = seed * 1103515245u + 12345u;
			k = 1 + (seed >> 16) % 13;
			if (k > n)
				k = n;
		}
		FZ_ASSERT(mc_qp_step(&qp, d, k) == 0, "mc_qp_step failed");
		d += k;
		n -= k;
	}
	FZ_ASSERT(mc_qp_finish(&qp) == 0, "mc_qp_finish failed");
	FZ_ASSERT(mc_out_flush(o) == 0, "flush failed");
	*bytes = qp.bytes;
	mc_codec_force(MC_CODEC_QP, NULL);
	free(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	/* The rules alone, and the fast path without SIMD. */
	static const char *const paths[] = { "unit", "scalar" };
	struct mc_buf one, chunked, dec, want, soft;
	const char *why = "", *s, *nl, *end;
	uint64_t bytes, bytes2;
	size_t i, at;
	int crlf;

	for (crlf = 0; crlf <= 1; crlf++) {
		mc_buf_init(&one);
		mc_buf_init(&chunked);
		mc_buf_init(&dec);
		mc_buf_init(&want);
		mc_buf_init(&soft);
		encode(d, n, crlf, 0, NULL, &one, &bytes);
		encode(d, n, crlf, (uint32_t)n * 2654435761u | 1, NULL,
		    &chunked, &bytes2);
		/* Incremental: any chunking gives the same output. */
		FZ_ASSERT(one.len == chunked.len && (one.len == 0 ||
		    memcmp(one.p, chunked.p, one.len) == 0),
		    "chunked output differs from one call");
		FZ_ASSERT(bytes == one.len && bytes2 == one.len,
		    "qp.bytes %llu but %zu written", (unsigned long long)bytes,
		    one.len);
		/* Every path gives the same bytes; counting gives the size
		 * of the LF output. */
		for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
			mc_buf_free(&chunked);
			mc_buf_init(&chunked);
			encode(d, n, crlf, 0, paths[i], &chunked, &bytes2);
			FZ_ASSERT(one.len == chunked.len && (one.len == 0 ||
			    memcmp(one.p, chunked.p, one.len) == 0),
			    "the %s path differs", paths[i]);
		}
		if (!crlf) {
			encode(d, n, 0, 0, NULL, NULL, &bytes2);
			FZ_ASSERT(bytes2 == one.len, "counted %llu, wrote %zu",
			    (unsigned long long)bytes2, one.len);
		}
		/* RFC 2045 6.7: valid, and it decodes back to the input
		 * with its line ends (LF or CRLF) as LF. */
		FZ_ASSERT(fz_qp_decode(one.p ? one.p : "", one.len,
		    crlf ? "\r\n" : "\n", &dec, &soft, &why) == 0,
		    "invalid quoted-printable: %s", why);
		fz_crlf_to_lf((const char *)d, n, &want);
		FZ_ASSERT(dec.len == want.len && (dec.len == 0 ||
		    memcmp(dec.p, want.p, dec.len) == 0),
		    "decodes to %zu bytes, not the %zu of the input", dec.len,
		    want.len);
		/* SPEC 2: no line is a lone "." or starts with "From ". */
		end = one.len > 0 ? one.p + one.len : one.p;
		for (s = one.p; one.len > 0 && s < end; s = nl + 1) {
			if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
				nl = end;
			size_t ln = (size_t)(nl - s);
			if (crlf && nl < end)
				ln--;
			FZ_ASSERT(!(ln == 1 && s[0] == '.'), "a lone \".\"");
			FZ_ASSERT(!(ln >= 5 && memcmp(s, "From ", 5) == 0),
			    "a line starting with \"From \"");
		}
		/* A soft break never splits a UTF-8 character. */
		for (i = 0; i + sizeof(at) <= soft.len; i += sizeof(at)) {
			memcpy(&at, soft.p + i, sizeof(at));
			if (at < dec.len && at > 0) {
				unsigned char c = (unsigned char)dec.p[at];
				if ((c & 0xc0) == 0x80) {
					/* Only a stray byte may be split. */
					size_t b = at;
					while (b > 0 && at - b < 4 &&
					    ((unsigned char)dec.p[b - 1] &
					    0xc0) == 0x80)
						b--;
					int k = b == 0 ? 0 : mc_utf8_charlen(
					    (const unsigned char *)dec.p + b -
					    1, dec.len - b + 1);
					FZ_ASSERT(k == 0 || b - 1 + (size_t)k <=
					    at, "a soft break inside a UTF-8 "
					    "character at %zu", at);
				}
			}
		}
		mc_buf_free(&one);
		mc_buf_free(&chunked);
		mc_buf_free(&dec);
		mc_buf_free(&want);
		mc_buf_free(&soft);
	}
	return 0;
}
