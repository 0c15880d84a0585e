/* SPDX-License-Identifier: ISC */
/* UTF-8 validation, RFC 3629 3 and 4. */
#include <string.h>

#include "mc.h"

/* RFC 3629 3: the shortest form only. */
static const uint32_t min_cp[5] = { 0, 0, 0x80, 0x800, 0x10000 };

/* Length of a sequence from its first byte; 0 for a continuation byte
 * and for C0, C1, F5..FF, which start no valid sequence. */
static int
lead_len(unsigned b)
{
	if (b < 0x80)
		return 1;
	if (b >= 0xc2 && b <= 0xdf)
		return 2;
	if (b >= 0xe0 && b <= 0xef)
		return 3;
	if (b >= 0xf0 && b <= 0xf4)
		return 4;
	return 0;
}

/* RFC 3629 3: no surrogates, nothing past U+10FFFF. */
static int
cp_ok(uint32_t cp, int len)
{
	return cp >= min_cp[len] && (cp < 0xd800 || cp > 0xdfff) &&
	    cp <= 0x10ffff;
}

void
mc_utf8_init(struct mc_utf8 *st)
{
	memset(st, 0, sizeof(*st));
}

static int
bad(struct mc_utf8 *st, uint64_t off)
{
	st->bad = 1;
	st->bad_off = off;
	return -1;
}

#if defined(__SSE2__) && defined(__GNUC__) && !defined(MC_NO_SIMD)
#include <emmintrin.h>

/* The ASCII bytes at s[0..n): sixteen at a time (SSE2 is in every
 * x86-64), then eight; the rest is left to the byte loop. */
static size_t
ascii_run(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i + 16 <= n && _mm_movemask_epi8(_mm_loadu_si128(
	    (const __m128i *)(s + i))) == 0)
		i += 16;
	return i;
}
#else
static size_t
ascii_run(const unsigned char *s, size_t n)
{
	uint64_t w;
	size_t i = 0;

	/* Eight at a time: no byte of the word has its top bit set. */
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		if (w & 0x8080808080808080u)
			break;
	}
	return i;
}
#endif

/*
 * Blocks of 32 bytes at a time with AVX2, on x86-64 CPUs that have it
 * (chosen at run time; the rest of the build stays baseline x86-64).
 * The block check only says "all valid" or "something is wrong here":
 * what it cannot vouch for (a block with an error, the last bytes of p)
 * goes to the byte loop, which alone decides bad_off.
 */
#ifdef MC_X86_SIMD
#define HAVE_AVX2 1
#include <immintrin.h>

/*
 * What can be wrong where a byte follows another, as bits of one byte.
 * RFC 3629 4 shows that a sequence's first two bytes alone tell an
 * overlong form, a surrogate or a value past U+10FFFF: the ranges of the
 * second byte depend on the first.
 */
#define TOO_SHORT	0x01	/* a lead, then no continuation */
#define TOO_LONG	0x02	/* ASCII, then a continuation */
#define OVERLONG_3	0x04	/* E0, then 80..9F */
#define TOO_LARGE	0x08	/* F4..FF, then 90..BF */
#define SURROGATE	0x10	/* ED, then A0..BF */
#define OVERLONG_2	0x20	/* C0 or C1, then a continuation */
#define F_THEN_8X	0x40	/* F0 (overlong) or F5..FF, then 80..8F */
#define TWO_CONTS	0x80	/* a continuation, then one */
#define ANY_LOW		(TOO_SHORT | TOO_LONG | TWO_CONTS)

/*
 * Each bit above is a condition "high nibble of the earlier byte in A,
 * its low nibble in B, high nibble of the later byte in C": three
 * 16-entry tables, one per nibble, hold the bit where the nibble is in
 * its set, and the AND of the three lookups is the set of conditions
 * met.  After Keiser and Lemire, "Validating UTF-8 in less than one
 * instruction per byte" (2021), the lookup algorithm.
 */
#define BYTE(x)	((char)(x))
#define NIBBLES(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p)	\
	_mm256_setr_epi8(BYTE(a), BYTE(b), BYTE(c), BYTE(d),	\
	    BYTE(e), BYTE(f), BYTE(g), BYTE(h), BYTE(i), BYTE(j),	\
	    BYTE(k), BYTE(l), BYTE(m), BYTE(n), BYTE(o), BYTE(p),	\
	    BYTE(a), BYTE(b), BYTE(c), BYTE(d),			\
	    BYTE(e), BYTE(f), BYTE(g), BYTE(h), BYTE(i), BYTE(j),	\
	    BYTE(k), BYTE(l), BYTE(m), BYTE(n), BYTE(o), BYTE(p))

__attribute__((target("avx2"))) static inline __m256i
pair_errors(__m256i prev1, __m256i in)
{
	const __m256i lo4 = _mm256_set1_epi8(0x0f);
	const __m256i first_hi = NIBBLES(
	    TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG,	/* 0..7: ASCII */
	    TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG,
	    TWO_CONTS, TWO_CONTS, TWO_CONTS, TWO_CONTS,	/* 8..B */
	    TOO_SHORT | OVERLONG_2,			/* C */
	    TOO_SHORT,					/* D */
	    TOO_SHORT | OVERLONG_3 | SURROGATE,		/* E */
	    TOO_SHORT | TOO_LARGE | F_THEN_8X);		/* F */
	const __m256i first_lo = NIBBLES(
	    ANY_LOW | OVERLONG_3 | OVERLONG_2 | F_THEN_8X,	/* 0 */
	    ANY_LOW | OVERLONG_2,			/* 1 */
	    ANY_LOW, ANY_LOW,				/* 2, 3 */
	    ANY_LOW | TOO_LARGE,			/* 4 */
	    ANY_LOW | TOO_LARGE | F_THEN_8X,		/* 5 */
	    ANY_LOW | TOO_LARGE | F_THEN_8X,
	    ANY_LOW | TOO_LARGE | F_THEN_8X,
	    ANY_LOW | TOO_LARGE | F_THEN_8X,
	    ANY_LOW | TOO_LARGE | F_THEN_8X,
	    ANY_LOW | TOO_LARGE | F_THEN_8X,
	    ANY_LOW | TOO_LARGE | F_THEN_8X,
	    ANY_LOW | TOO_LARGE | F_THEN_8X,
	    ANY_LOW | TOO_LARGE | F_THEN_8X | SURROGATE,	/* D */
	    ANY_LOW | TOO_LARGE | F_THEN_8X,
	    ANY_LOW | TOO_LARGE | F_THEN_8X);		/* F */
	const __m256i second_hi = NIBBLES(
	    TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,	/* 0..7 */
	    TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
	    TOO_LONG | TWO_CONTS | OVERLONG_2 | OVERLONG_3 | F_THEN_8X,
	    TOO_LONG | TWO_CONTS | OVERLONG_2 | OVERLONG_3 | TOO_LARGE,
	    TOO_LONG | TWO_CONTS | OVERLONG_2 | TOO_LARGE | SURROGATE,
	    TOO_LONG | TWO_CONTS | OVERLONG_2 | TOO_LARGE | SURROGATE,
	    TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT);	/* C..F */
	__m256i a, b, c;

	a = _mm256_shuffle_epi8(first_hi,
	    _mm256_and_si256(_mm256_srli_epi16(prev1, 4), lo4));
	b = _mm256_shuffle_epi8(first_lo, _mm256_and_si256(prev1, lo4));
	c = _mm256_shuffle_epi8(second_hi,
	    _mm256_and_si256(_mm256_srli_epi16(in, 4), lo4));
	return _mm256_and_si256(_mm256_and_si256(a, b), c);
}

/*
 * The errors of the block in, prev1, prev2 and prev3 the bytes one, two
 * and three places before each of its bytes.  A continuation after a
 * continuation (TWO_CONTS) is right exactly where the byte two back is
 * E0..FF or the byte three back F0..FF; every other continuation is
 * checked by the pair tables.
 */
__attribute__((target("avx2"))) static inline __m256i
block_errors(__m256i in, __m256i prev1, __m256i prev2, __m256i prev3)
{
	/* Saturating subtraction: the top bit is set from E0 and F0 on. */
	__m256i third = _mm256_subs_epu8(prev2,
	    _mm256_set1_epi8(0xe0 - 0x80));
	__m256i fourth = _mm256_subs_epu8(prev3,
	    _mm256_set1_epi8(0xf0 - 0x80));
	__m256i must = _mm256_and_si256(_mm256_or_si256(third, fourth),
	    _mm256_set1_epi8((char)0x80));

	return _mm256_xor_si256(must, pair_errors(prev1, in));
}

#define LOAD(p)	_mm256_loadu_si256((const __m256i *)(const void *)(p))

/* How far before i starts the sequence that i cuts (0: none), when
 * s[i - 3..i) holds no error. */
static inline size_t
cut_back(const unsigned char *s, size_t i)
{
	if (s[i - 1] >= 0xc0)
		return 1;
	if (s[i - 2] >= 0xe0)
		return 2;
	if (s[i - 3] >= 0xf0)
		return 3;
	return 0;
}

/*
 * The length of the longest prefix of s[0..n), n >= 32 and s a sequence
 * start, that the blocks vouch for: whole sequences, all valid.  The
 * first block takes ASCII for what comes before s; the others read the
 * three bytes before them from s.  The last block overlaps the one before
 * it so as to end at n.  A block with an error stops it before the
 * block, and then before the sequence that the block's start cuts.
 */
__attribute__((target("avx2"))) static size_t
avx2_run(const unsigned char *s, size_t n)
{
	__m256i in = LOAD(s), err, first;
	size_t i;

	/* The first block's low lane follows zeros, its high lane the low. */
	first = _mm256_permute2x128_si256(in, in, 0x08);
	err = block_errors(in, _mm256_alignr_epi8(in, first, 15),
	    _mm256_alignr_epi8(in, first, 14),
	    _mm256_alignr_epi8(in, first, 13));
	if (!_mm256_testz_si256(err, err))
		return 0;
	for (i = 32; i < n; i += 32) {
		if (i + 32 > n) {
			/* The last block, again over some valid bytes. */
			if (n - 32 < 3)	/* not three bytes before it */
				break;
			i = n - 32;
		}
		in = LOAD(s + i);
		/* ASCII is wrong only after a cut sequence. */
		if (_mm256_movemask_epi8(in) == 0) {
			if (cut_back(s, i) != 0)
				break;
			continue;
		}
		err = block_errors(in, LOAD(s + i - 1), LOAD(s + i - 2),
		    LOAD(s + i - 3));
		if (!_mm256_testz_si256(err, err))
			break;
	}
	return i - cut_back(s, i);
}
#endif

/* Below this many bytes the block check does not pay for itself. */
#define BLOCKS_MIN	32

int
mc_utf8_step(struct mc_utf8 *st, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i = 0;
	uint32_t cp;
	unsigned b;
	int k, len;
#ifdef HAVE_AVX2
	size_t exact = 0;	/* bytes before it: the byte loop's */
	int blocks = n >= BLOCKS_MIN && mc_way(MC_CODEC_UTF8) == MC_WAY_AVX2;
#endif

	if (st->bad)
		return -1;
	while (i < n) {
		if (st->need == 0) {
#ifdef HAVE_AVX2
			/*
			 * At a sequence start, past the bytes left to the
			 * byte loop: blocks as far as they vouch for.  The
			 * byte loop takes it from there, at least over the
			 * block that stopped them (32 bytes from at most 3
			 * past i), so as not to ask them again about it.
			 */
			if (blocks && i >= exact && n - i >= BLOCKS_MIN) {
				i += avx2_run(s + i, n - i);
				exact = i + 3 + 32;
				if (i == n)
					break;
			}
#endif
			if (s[i] < 0x80) {
				i += ascii_run(s + i, n - i);
				while (i < n && s[i] < 0x80)
					i++;
				if (i == n)
					break;
			}
			b = s[i];
			if ((len = lead_len(b)) == 0)
				return bad(st, st->off + i);
			/* Fast path: a whole sequence in p is checked here;
			 * anything wrong in it is wrong at its lead, as the
			 * byte loop below finds too. */
			if ((size_t)len <= n - i) {
				cp = b & (0x7fu >> len);
				for (k = 1; k < len; k++) {
					if ((s[i + k] & 0xc0) != 0x80)
						return bad(st, st->off + i);
					cp = cp << 6 | (s[i + k] & 0x3f);
				}
				if (!cp_ok(cp, len))
					return bad(st, st->off + i);
				i += (size_t)len;
				continue;
			}
			st->len = len;
			st->start = st->off + i;
			st->cp = b & (0x7fu >> st->len);
			st->need = st->len - 1;
		} else {
			b = s[i];
			if ((b & 0xc0) != 0x80)
				return bad(st, st->start);
			st->cp = st->cp << 6 | (b & 0x3f);
			if (--st->need == 0 && !cp_ok(st->cp, st->len))
				return bad(st, st->start);
		}
		i++;
	}
	st->off += n;
	return 0;
}

int
mc_utf8_finish(struct mc_utf8 *st)
{
	if (st->bad)
		return -1;
	if (st->need > 0)
		return bad(st, st->start);
	return 0;
}

int
mc_utf8_charlen(const unsigned char *s, size_t n)
{
	uint32_t cp;
	int i, len;

	if (n == 0 || (len = lead_len(s[0])) == 0 || (size_t)len > n)
		return 0;
	if (len == 1)
		return 1;
	cp = s[0] & (0x7fu >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	return cp_ok(cp, len) ? len : 0;
}

size_t
mc_utf8_unit(const char *s, size_t n)
{
	int k = mc_utf8_charlen((const unsigned char *)s, n);

	return k > 0 ? (size_t)k : 1;
}

int
mc_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int k;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((k = mc_utf8_charlen(p + i, n - i)) == 0)
			return 0;
		i += (size_t)k;
	}
	return 1;
}
