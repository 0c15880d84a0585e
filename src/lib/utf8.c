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

int
mc_utf8_step(struct mc_utf8 *st, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i = 0;
	uint32_t cp;
	unsigned b;
	int k, len;

	if (st->bad)
		return -1;
	while (i < n) {
		if (st->need == 0) {
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
