/* SPDX-License-Identifier: ISC */
/* Base64, RFC 2045 6.8 (alphabet RFC 4648 4): libb64 and two faster codecs. */
#include <string.h>

#include <b64/cencode.h>

#include "mc.h"

/*
 * Three codecs write the same bytes, line by line: 57 input bytes make one
 * line of 76 characters (RFC 2045 6.8: at most 76), then the line end.
 *   libb64  the reference, Debian's libb64 (the only user of <b64/...>);
 *   scalar  portable C, two characters per lookup in a 4096-entry table;
 *   avx2    32 characters per step with AVX2, on x86-64 CPUs that have it.
 * The fastest one the CPU runs is used (codec.c).  Tests force each
 * (hooks.h) and compare them byte for byte.
 */

#define LINE_IN		57	/* input bytes of one 76-character line */
#define LINE_OUT	76

struct mc_b64_codec {
	const char *name;
	/* n whole lines from src into dst, each with its line end; returns
	 * the bytes written, n * (76 + 1 or 2). */
	size_t (*lines)(unsigned char *dst, const unsigned char *src, size_t n,
	    int crlf);
	/* The last 1..56 bytes, padded, no line end; returns the length. */
	size_t (*tail)(unsigned char *dst, const unsigned char *src, size_t n);
};

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static unsigned char *
put_eol(unsigned char *d, int crlf)
{
	if (crlf)
		*d++ = '\r';
	*d++ = '\n';
	return d;
}

/*
 * libb64.  Debian's libb64 writes '\n' after every 72 characters and at
 * the end.  A line goes in as 54 bytes (72 characters, then libb64's
 * newline) and 3 more written over that newline, with a fresh state for
 * every line.
 */
static size_t
libb64_line(unsigned char *dst, const unsigned char *src)
{
	base64_encodestate s;
	char *d = (char *)dst;
	int r;

	base64_init_encodestate(&s);
	r = base64_encode_block((const char *)src, 54, d, &s);
	if (r > 0 && d[r - 1] == '\n')
		r--;
	r += base64_encode_block((const char *)src + 54, 3, d + r, &s);
	return (size_t)r;
}

static size_t
libb64_lines(unsigned char *dst, const unsigned char *src, size_t n, int crlf)
{
	unsigned char *d = dst;

	for (; n > 0; n--, src += LINE_IN)
		d = put_eol(d + libb64_line(d, src), crlf);
	return (size_t)(d - dst);
}

static size_t
libb64_tail(unsigned char *dst, const unsigned char *src, size_t n)
{
	base64_encodestate s;
	char tmp[LINE_OUT + 8];
	size_t i, len = 0;
	int r;

	base64_init_encodestate(&s);
	r = base64_encode_block((const char *)src, (int)n, tmp, &s);
	r += base64_encode_blockend(tmp + r, &s);
	for (i = 0; i < (size_t)r && len < LINE_OUT; i++)
		if (tmp[i] != '\n')
			dst[len++] = (unsigned char)tmp[i];
	return len;
}

/*
 * scalar.  pair[v] is the two characters of the 12-bit value v, built by
 * the preprocessor so that the table is constant data.
 */
#define CH(x)	((x) < 26 ? 'A' + (x) : (x) < 52 ? 'a' + (x) - 26 : \
	    (x) < 62 ? '0' + (x) - 52 : (x) == 62 ? '+' : '/')
#define P1(v)	{ CH((v) >> 6), CH((v) & 63) }
#define P4(v)	P1(v), P1((v) + 1), P1((v) + 2), P1((v) + 3)
#define P16(v)	P4(v), P4((v) + 4), P4((v) + 8), P4((v) + 12)
#define P64(v)	P16(v), P16((v) + 16), P16((v) + 32), P16((v) + 48)
#define P256(v)	P64(v), P64((v) + 64), P64((v) + 128), P64((v) + 192)
#define P1K(v)	P256(v), P256((v) + 256), P256((v) + 512), P256((v) + 768)
static const char pair[4096][2] = {
	P1K(0), P1K(1024), P1K(2048), P1K(3072)
};

/* Six bytes, big-endian, in the low 48 bits; reads eight. */
static uint64_t
load48(const unsigned char *s)
{
#if defined(__BYTE_ORDER__) && defined(__GNUC__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t v;

	memcpy(&v, s, 8);
	return __builtin_bswap64(v) >> 16;
#else
	return (uint64_t)s[0] << 40 | (uint64_t)s[1] << 32 |
	    (uint64_t)s[2] << 24 | (uint64_t)s[3] << 16 |
	    (uint64_t)s[4] << 8 | s[5];
#endif
}

/* Three bytes, four characters. */
static void
put3(unsigned char *d, const unsigned char *s)
{
	uint32_t v = (uint32_t)s[0] << 16 | (uint32_t)s[1] << 8 | s[2];

	memcpy(d, pair[v >> 12], 2);
	memcpy(d + 2, pair[v & 0xfff], 2);
}

static size_t
scalar_lines(unsigned char *dst, const unsigned char *src, size_t n, int crlf)
{
	unsigned char *d = dst;
	uint64_t v;
	size_t j;

	for (; n > 0; n--, src += LINE_IN) {
		/* Nine groups of six bytes read up to byte 56, the last. */
		for (j = 0; j < 9; j++) {
			v = load48(src + 6 * j);
			memcpy(d, pair[v >> 36], 2);
			memcpy(d + 2, pair[(v >> 24) & 0xfff], 2);
			memcpy(d + 4, pair[(v >> 12) & 0xfff], 2);
			memcpy(d + 6, pair[v & 0xfff], 2);
			d += 8;
		}
		put3(d, src + 54);
		d = put_eol(d + 4, crlf);
	}
	return (size_t)(d - dst);
}

/* RFC 4648 4: a last group of one or two bytes is padded with "=". */
static size_t
scalar_tail(unsigned char *dst, const unsigned char *src, size_t n)
{
	unsigned char *d = dst;
	uint32_t v;

	for (; n >= 3; n -= 3, src += 3, d += 4)
		put3(d, src);
	if (n > 0) {
		v = (uint32_t)src[0] << 16 |
		    (n > 1 ? (uint32_t)src[1] << 8 : 0);
		*d++ = (unsigned char)alphabet[v >> 18];
		*d++ = (unsigned char)alphabet[(v >> 12) & 63];
		*d++ = n > 1 ? (unsigned char)alphabet[(v >> 6) & 63] : '=';
		*d++ = '=';
	}
	return (size_t)(d - dst);
}

/*
 * avx2.  One step turns 24 bytes into 32 characters: each 128-bit lane
 * takes 12 bytes, four groups of three.  A line is three steps: bytes
 * 0..23 and 24..47 give characters 0..63, and bytes 33..56 give
 * characters 44..75, overlapping the second step by 20 characters, so
 * that every load and store stays within the line.
 */
/* -DMC_NO_SIMD builds the portable codecs alone (to test them as other
 * CPUs run them). */
#ifdef MC_X86_SIMD
#define HAVE_AVX2 1
#include <immintrin.h>

__attribute__((target("avx2"))) static inline __m256i
avx2_step(const unsigned char *s)
{
	/* Lane 0: bytes 0..11 of s; lane 1: bytes 12..23, loaded from s + 8
	 * so that nothing past s + 24 is read. */
	const __m256i spread = _mm256_setr_epi8(
	    1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10,
	    5, 4, 6, 5, 8, 7, 9, 8, 11, 10, 12, 11, 14, 13, 15, 14);
	/* Character class to offset: 0: 26..51, 1..10: 52..61, 11: 62,
	 * 12: 63, 13: 0..25. */
	const __m256i offset = _mm256_setr_epi8(
	    71, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -19, -16, 65, 0, 0,
	    71, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -19, -16, 65, 0, 0);
	__m256i v, a, b, idx, cls;

	v = _mm256_inserti128_si256(_mm256_castsi128_si256(
	    _mm_loadu_si128((const __m128i *)s)),
	    _mm_loadu_si128((const __m128i *)(s + 8)), 1);
	/*
	 * Each 32-bit word now holds the group b0 b1 b2 as the bytes
	 * b1 b0 b2 b1: its low 16 bits are b0:b1, with the first index in
	 * bits 10..15 and the second in 4..9; its high 16 bits are b1:b2,
	 * with the third in 6..11 and the fourth in 0..5.  A multiply moves
	 * each index to the bottom of its byte.
	 */
	v = _mm256_shuffle_epi8(v, spread);
	a = _mm256_mulhi_epu16(_mm256_and_si256(v,
	    _mm256_set1_epi32(0x0fc0fc00)), _mm256_set1_epi32(0x04000040));
	b = _mm256_mullo_epi16(_mm256_and_si256(v,
	    _mm256_set1_epi32(0x003f03f0)), _mm256_set1_epi32(0x01000010));
	idx = _mm256_or_si256(a, b);
	cls = _mm256_subs_epu8(idx, _mm256_set1_epi8(51));
	cls = _mm256_or_si256(cls, _mm256_and_si256(_mm256_cmpgt_epi8(
	    _mm256_set1_epi8(26), idx), _mm256_set1_epi8(13)));
	return _mm256_add_epi8(idx, _mm256_shuffle_epi8(offset, cls));
}

__attribute__((target("avx2"))) static size_t
avx2_lines(unsigned char *dst, const unsigned char *src, size_t n, int crlf)
{
	unsigned char *d = dst;

	for (; n > 0; n--, src += LINE_IN) {
		_mm256_storeu_si256((__m256i *)d, avx2_step(src));
		_mm256_storeu_si256((__m256i *)(d + 32), avx2_step(src + 24));
		_mm256_storeu_si256((__m256i *)(d + 44), avx2_step(src + 33));
		d = put_eol(d + LINE_OUT, crlf);
	}
	return (size_t)(d - dst);
}
#endif

enum { LIBB64, SCALAR, AVX2, NCODECS };
static const struct mc_b64_codec codecs[NCODECS] = {
	{ "libb64", libb64_lines, libb64_tail },
	{ "scalar", scalar_lines, scalar_tail },
#ifdef HAVE_AVX2
	{ "avx2", avx2_lines, scalar_tail },
#else
	{ "avx2", NULL, NULL },
#endif
};

/* Looked up at every init: nothing is cached that threads could race on. */
static const struct mc_b64_codec *
pick(void)
{
	switch (mc_way(MC_CODEC_B64)) {
	case MC_WAY_LIBB64:
		return &codecs[LIBB64];
#ifdef HAVE_AVX2
	case MC_WAY_AVX2:
		return &codecs[AVX2];
#endif
	default:
		return &codecs[SCALAR];
	}
}

void
mc_b64_init(struct mc_b64 *st, struct mc_out *out)
{
	st->out = out;
	st->codec = pick();
	st->ncarry = 0;
}

/* The bytes of one line with its line end. */
#define LINE_SIZE(out)	((size_t)LINE_OUT + ((out)->crlf ? 2 : 1))

int
mc_b64_step(struct mc_b64 *st, const void *p, size_t n)
{
	struct mc_out *out = st->out;
	const unsigned char *s = p;
	unsigned char *d;
	size_t k, room, line = LINE_SIZE(out);

	if (out->failed)
		return -1;
	if (st->ncarry > 0) {
		k = LINE_IN - st->ncarry;
		if (k > n)
			k = n;
		memcpy(st->carry + st->ncarry, s, k);
		st->ncarry += k;
		s += k;
		n -= k;
		if (st->ncarry < LINE_IN)
			return 0;
		st->ncarry = 0;
		if ((d = mc_out_reserve(out, line, &room)) == NULL)
			return -1;
		mc_out_commit(out, st->codec->lines(d, st->carry, 1,
		    out->crlf));
	}
	/* Whole lines from the caller's buffer straight into the output
	 * buffer, as many as it has room for at a time. */
	while (n >= LINE_IN) {
		if ((d = mc_out_reserve(out, line, &room)) == NULL)
			return -1;
		k = n / LINE_IN;
		if (k > room / line)
			k = room / line;
		mc_out_commit(out, st->codec->lines(d, s, k, out->crlf));
		s += k * LINE_IN;
		n -= k * LINE_IN;
	}
	if (n > 0)
		memcpy(st->carry, s, n);
	st->ncarry = n;
	return 0;
}

int
mc_b64_finish(struct mc_b64 *st)
{
	struct mc_out *out = st->out;
	unsigned char *d;
	size_t room, k;

	if (st->ncarry == 0)
		return out->failed ? -1 : 0;
	if ((d = mc_out_reserve(out, LINE_SIZE(out), &room)) == NULL)
		return -1;
	k = st->codec->tail(d, st->carry, st->ncarry);
	mc_out_commit(out, (size_t)(put_eol(d + k, out->crlf) - d));
	st->ncarry = 0;
	return 0;
}

uint64_t
mc_b64_size(uint64_t n, int eol)
{
	return (n + 2) / 3 * 4 + (n + LINE_IN - 1) / LINE_IN * (uint64_t)eol;
}

void
mc_b64_plain(char *dst, const void *src, size_t n)
{
	const char *s = src;
	base64_encodestate st;
	size_t k;
	int r;

	if (pick() != &codecs[LIBB64]) {
		dst[scalar_tail((unsigned char *)dst, src, n)] = '\0';
		return;
	}
	/* Pieces of 54 bytes, so libb64's only newline ends a piece. */
	base64_init_encodestate(&st);
	while (n > 0) {
		k = n < 54 ? n : 54;
		base64_init_encodestate(&st);
		r = base64_encode_block(s, (int)k, dst, &st);
		if (r > 0 && dst[r - 1] == '\n')
			r--;
		dst += r;
		s += k;
		n -= k;
	}
	r = base64_encode_blockend(dst, &st);
	if (r > 0 && dst[r - 1] == '\n')
		r--;
	dst[r] = '\0';
}
