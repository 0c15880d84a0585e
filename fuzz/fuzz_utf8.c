/* SPDX-License-Identifier: ISC */
/* Fuzzes utf8.c (RFC 3629 3, 4): the byte loop and the 32-byte blocks
 * against a second reading of the syntax, in one step and cut into many. */
#include "fuzz.h"

/*
 * RFC 3629 4, the range each byte after the first must be in.  s[0..n)
 * from a character start: -1 when valid, else the offset of the first
 * bad character, and *reveal, where a byte-by-byte reader can first tell
 * (the byte that is no continuation; the last byte of a whole sequence
 * with a wrong value; n when the input ends inside one).
 */
static long
fz_utf8_ref(const uint8_t *s, size_t n, size_t *reveal)
{
	size_t i = 0, len, k;
	unsigned lo, hi;
	int wrong;

	while (i < n) {
		if (s[i] <= 0x7f) {
			i++;
			continue;
		}
		lo = 0x80;
		hi = 0xbf;
		if (s[i] >= 0xc2 && s[i] <= 0xdf)
			len = 2;
		else if (s[i] >= 0xe0 && s[i] <= 0xef)
			len = 3;
		else if (s[i] >= 0xf0 && s[i] <= 0xf4)
			len = 4;
		else {
			*reveal = i;
			return (long)i;
		}
		if (s[i] == 0xe0)
			lo = 0xa0;
		else if (s[i] == 0xed)
			hi = 0x9f;
		else if (s[i] == 0xf0)
			lo = 0x90;
		else if (s[i] == 0xf4)
			hi = 0x8f;
		wrong = 0;
		for (k = 1; k < len; k++) {
			if (i + k == n || s[i + k] < 0x80 || s[i + k] > 0xbf) {
				*reveal = i + k;
				return (long)i;
			}
			if (k == 1 && (s[i + k] < lo || s[i + k] > hi))
				wrong = 1;
		}
		if (wrong) {
			*reveal = i + len - 1;
			return (long)i;
		}
		i += len;
	}
	return -1;
}

/* The size of the next step, of left bytes, from *seed (0: all). */
static size_t
next_step(uint32_t *seed, size_t left)
{
	size_t k;

	if (*seed == 0)
		return left;
	*seed = *seed * 1103515245u + 12345u;
	k = 1 + (*seed >> 16) % (*seed & 0x80000000u ? 200 : 13);
	return k < left ? k : left;
}

/* One run: steps of sizes from seed (0: one step), each from a copy of
 * exactly its size.  The bad offset (-1: none); *call the step that said
 * so (the number of steps for mc_utf8_finish), *st the state at the end. */
static long
run(const uint8_t *d, size_t n, uint32_t seed, size_t *call, size_t *ncall,
    struct mc_utf8 *st)
{
	size_t k, at = 0;
	uint8_t *c;
	int r = 0;

	mc_utf8_init(st);
	*ncall = 0;
	while (at < n && r == 0) {
		k = next_step(&seed, n - at);
		c = malloc(k);
		FZ_ASSERT(c != NULL, "out of memory");
		memcpy(c, d + at, k);
		r = mc_utf8_step(st, c, k);
		free(c);
		FZ_ASSERT(r == 0 || r == -1, "mc_utf8_step returned %d", r);
		at += k;
		(*ncall)++;
	}
	*call = *ncall - 1;
	if (r == 0) {
		FZ_ASSERT(st->off == n, "off %llu after %zu bytes",
		    (unsigned long long)st->off, n);
		r = mc_utf8_finish(st);
		*call = *ncall;
	}
	if (r == 0)
		return -1;
	FZ_ASSERT(mc_utf8_step(st, d, n) == -1 && mc_utf8_finish(st) == -1,
	    "not sticky");
	return (long)st->bad_off;
}

/* The step that reveal falls in, for the same seed. */
static size_t
call_of(size_t reveal, size_t n, uint32_t seed)
{
	size_t k, at = 0, c = 0;

	while (at < n) {
		k = next_step(&seed, n - at);
		if (reveal < at + k)
			return c;
		at += k;
		c++;
	}
	return c;
}

static const char *const ways[] = { "scalar", "avx2" };

/* d[0..n) in one step and cut, each way, against the reference. */
static void
check(const uint8_t *d, size_t n)
{
	struct mc_utf8 st, first;
	size_t reveal = 0, call, ncall, w, s;
	uint32_t seeds[2] = { 0, (uint32_t)n * 2654435761u | 1 };
	long want = fz_utf8_ref(d, n, &reveal), got;

	for (s = 0; s < 2; s++)
		for (w = 0; w < sizeof(ways) / sizeof(ways[0]); w++) {
			if (mc_codec_force(MC_CODEC_UTF8, ways[w]) == -1)
				continue;
			got = run(d, n, seeds[s], &call, &ncall, &st);
			FZ_ASSERT(got == want, "%s, seed %u: bad at %ld, want "
			    "%ld", ways[w], seeds[s], got, want);
			FZ_ASSERT(want == -1 || call == call_of(reveal, n,
			    seeds[s]), "%s, seed %u: told in step %zu of %zu,"
			    " want %zu", ways[w], seeds[s], call, ncall,
			    call_of(reveal, n, seeds[s]));
			if (w == 0)
				first = st;
			FZ_ASSERT(memcmp(&st, &first, sizeof(st)) == 0,
			    "%s, seed %u: another state at the end", ways[w],
			    seeds[s]);
		}
	mc_codec_force(MC_CODEC_UTF8, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * The input as it is, and after valid Chinese text of 0..95 bytes (as
 * many as its first byte says, mod 96): random bytes are seldom valid for
 * long, and the text takes the rest past the first blocks, at every
 * offset from their edges.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	size_t pre, i;
	uint8_t *b;

	check(d, n);
	if (n == 0)
		return 0;
	pre = d[0] % 96;
	b = malloc(pre + n);
	FZ_ASSERT(b != NULL, "out of memory");
	for (i = 0; i + 3 <= pre; i += 3) {
		b[i] = 0xe4;		/* U+4E2D */
		b[i + 1] = 0xb8;
		b[i + 2] = 0xad;
	}
	for (; i < pre; i++)
		b[i] = 'a';
	memcpy(b + pre, d, n);
	check(b, pre + n);
	free(b);
	return 0;
}
