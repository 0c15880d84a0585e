/* SPDX-License-Identifier: ISC */
/* Unit tests for utf8.c: RFC 3629 3 and 4. */
#include <stdio.h>

#include "unit.h"

/* bad: -1 when valid, else the offset of the first bad sequence. */
static const struct {
	const char *s;
	size_t len;
	long bad;
} cases[] = {
	{ "", 0, -1 },
	{ "plain ASCII", 11, -1 },
	{ "\x7f\x01", 2, -1 },
	{ "\xc2\x80", 2, -1 },				/* U+0080 */
	{ "caf\xc3\xa9", 5, -1 },
	{ "\xdf\xbf", 2, -1 },				/* U+07FF */
	{ "\xe0\xa0\x80", 3, -1 },			/* U+0800 */
	{ "\xe2\x82\xac", 3, -1 },			/* U+20AC */
	{ "\xed\x9f\xbf", 3, -1 },			/* U+D7FF */
	{ "\xee\x80\x80", 3, -1 },			/* U+E000 */
	{ "\xef\xbf\xbf", 3, -1 },			/* U+FFFF */
	{ "\xf0\x90\x80\x80", 4, -1 },			/* U+10000 */
	{ "\xf0\x9f\x98\x80!", 5, -1 },
	{ "\xf4\x8f\xbf\xbf", 4, -1 },			/* U+10FFFF */
	{ "\0\0", 2, -1 },				/* NUL is UTF-8 */
	/* Stray continuation bytes. */
	{ "\x80", 1, 0 },
	{ "abc\xbf", 4, 3 },
	{ "\xc3\xa9\xa9", 3, 2 },
	/* Bytes that start nothing. */
	{ "\xc0\xaf", 2, 0 },				/* overlong "/" */
	{ "a\xc1\xbf", 3, 1 },
	{ "ab\xf5\x80\x80\x80", 6, 2 },
	{ "\xfe", 1, 0 },
	{ "xy\xff", 3, 2 },
	/* RFC 3629 3: overlong forms. */
	{ "\xe0\x80\xaf", 3, 0 },
	{ "ab\xe0\x9f\xbf", 5, 2 },
	{ "\xf0\x8f\xbf\xbf", 4, 0 },
	{ "\xf0\x80\x80\xaf", 4, 0 },
	/* Surrogates. */
	{ "\xed\xa0\x80", 3, 0 },
	{ "z\xed\xbf\xbf", 4, 1 },
	/* Past U+10FFFF. */
	{ "\xf4\x90\x80\x80", 4, 0 },
	{ "\xf7\xbf\xbf\xbf", 4, 0 },
	/* Cut short, by another byte or by the end. */
	{ "\xc3", 1, 0 },
	{ "x\xe2\x82", 3, 1 },
	{ "\xf0\x9f\x98", 3, 0 },
	{ "\xc3" "A", 2, 0 },
	{ "\xe2\x82" "A", 3, 0 },
	{ "ok \xc3\xa9 \xe2\x82 x", 10, 6 },
	{ "\xe2\x82\xac\xe2\x82\xe2\x82\xac", 8, 3 },
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* Runs the validator in pieces of size chunk; the bad offset or -1. */
static long
run(const char *s, size_t n, size_t chunk)
{
	struct mc_utf8 st;
	size_t i, k;
	int r = 0;

	mc_utf8_init(&st);
	for (i = 0; i < n; i += k) {
		k = n - i < chunk ? n - i : chunk;
		if ((r = mc_utf8_step(&st, s + i, k)) == -1)
			break;
	}
	if (r == 0)
		r = mc_utf8_finish(&st);
	/* sticky */
	if (r == -1) {
		assert_int_equal(st.bad, 1);
		assert_int_equal(mc_utf8_step(&st, "a", 1), -1);
		assert_int_equal(mc_utf8_finish(&st), -1);
		return (long)st.bad_off;
	}
	assert_int_equal(st.off, n);
	return -1;
}

static void
test_table(void **state)
{
	size_t i, chunk;

	(void)state;
	for (i = 0; i < NCASES; i++)
		for (chunk = 1; chunk <= 5; chunk++)
			if (run(cases[i].s, cases[i].len, chunk) !=
			    cases[i].bad)
				fail_msg("case %zu, chunk %zu", i, chunk);
}

static void
test_valid(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NCASES; i++)
		assert_int_equal(mc_utf8_valid(cases[i].s, cases[i].len),
		    cases[i].bad == -1);
}

static void
test_charlen(void **state)
{
	const unsigned char *u = (const unsigned char *)
	    "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";

	(void)state;
	assert_int_equal(mc_utf8_charlen(u, 10), 1);
	assert_int_equal(mc_utf8_charlen(u + 1, 9), 2);
	assert_int_equal(mc_utf8_charlen(u + 3, 7), 3);
	assert_int_equal(mc_utf8_charlen(u + 6, 4), 4);
	/* Not within n bytes. */
	assert_int_equal(mc_utf8_charlen(u + 6, 3), 0);
	assert_int_equal(mc_utf8_charlen(u + 1, 1), 0);
	assert_int_equal(mc_utf8_charlen(u, 0), 0);
	/* A continuation byte starts nothing. */
	assert_int_equal(mc_utf8_charlen(u + 2, 8), 0);
	assert_int_equal(mc_utf8_charlen((const unsigned char *)
	    "\xed\xa0\x80", 3), 0);
	assert_int_equal(mc_utf8_charlen((const unsigned char *)
	    "\xc0\x80", 2), 0);
	assert_int_equal(mc_utf8_charlen((const unsigned char *)
	    "\xf4\x90\x80\x80", 4), 0);
	assert_int_equal(mc_utf8_charlen((const unsigned char *)
	    "\xf4\x8f\xbf\xbf", 4), 4);
}

/* The UTF-8 form of cp (surrogates too) into b; its length. */
static int
enc(unsigned char *b, uint32_t cp)
{
	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		b[0] = (unsigned char)(0xc0 | cp >> 6);
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		b[0] = (unsigned char)(0xe0 | cp >> 12);
		b[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	b[0] = (unsigned char)(0xf0 | cp >> 18);
	b[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
	b[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	b[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Every code point, encoded here, is valid; the validator agrees with
 * charlen on it. */
static void
test_all_code_points(void **state)
{
	struct mc_utf8 st;
	unsigned char b[4];
	uint32_t cp;
	int n;

	(void)state;
	mc_utf8_init(&st);
	for (cp = 0; cp <= 0x10ffff; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		n = enc(b, cp);
		if (mc_utf8_charlen(b, (size_t)n) != n ||
		    mc_utf8_step(&st, b, (size_t)n) != 0)
			fail_msg("U+%04X rejected", (unsigned)cp);
	}
	assert_int_equal(mc_utf8_finish(&st), 0);
	/* and every surrogate is refused */
	for (cp = 0xd800; cp <= 0xdfff; cp++) {
		enc(b, cp);
		assert_int_equal(mc_utf8_charlen(b, 3), 0);
		assert_int_equal(run((const char *)b, 3, 1), 0);
	}
}

/* The offset counts across many steps. */
static void
test_offset(void **state)
{
	char buf[10000];
	long r;

	(void)state;
	memset(buf, 'a', sizeof(buf));
	buf[7777] = (char)0xc3;
	r = run(buf, sizeof(buf), 1000);
	assert_int_equal(r, 7777);
	r = run(buf, sizeof(buf), 7778);	/* cut right after the lead */
	assert_int_equal(r, 7777);
}

/*
 * The fast ways (ASCII sixteen or eight at a time, whole sequences at
 * once) give what one byte at a time gives: every case of the table at
 * every position in ASCII and in CJK text, every alignment and chunking.
 */
static void
test_fast_paths(void **state)
{
	static const size_t chunks[] = { 2, 3, 4, 7, 8, 9, 15, 16, 17, 33,
	    100000 };
	static const char *units[] = { "a", "b", "\xe4\xb8\xad", "!" };
	char text[400], buf[416];
	size_t i, f, pos, n, a, k, u;
	long want;

	(void)state;
	for (f = 0; f < 2; f++)
		for (i = 0; i < NCASES; i++)
			for (pos = 0; pos <= 40; pos++) {
				/* pos units of fill (ASCII, or CJK and
				 * ASCII), the case, 40 more */
				n = 0;
				for (k = 0; k < pos + 40; k++) {
					if (k == pos) {
						memcpy(text + n, cases[i].s,
						    cases[i].len);
						n += cases[i].len;
					}
					u = 2 * f + k % 2;
					memcpy(text + n, units[u],
					    strlen(units[u]));
					n += strlen(units[u]);
				}
				want = run(text, n, 1);
				for (a = 0; a < 16; a++) {
					memcpy(buf + a, text, n);
					for (k = 0; k < sizeof(chunks) /
					    sizeof(chunks[0]); k++)
						if (run(buf + a, n, chunks[k]) !=
						    want)
							fail_msg("case %zu at %zu"
							    ", align %zu, chunk"
							    " %zu", i, pos, a,
							    chunks[k]);
				}
			}
}

/*
 * Differential tests: the validator against a second reading of the
 * rules, over random text with errors near the edges of its 32-byte
 * blocks, cut into steps every which way.  Each input goes through both
 * ways mc_utf8_step has, forced in turn with mc_utf8_force: the byte loop
 * ("scalar") and the blocks ("avx2", on a CPU with AVX2; without it only
 * the byte loop is tested, and the suite says so).
 */
static const char *ways[] = { "scalar", "avx2" };
#define NWAYS (sizeof(ways) / sizeof(ways[0]))

/*
 * RFC 3629 4, the syntax of a character, read as the range each byte
 * after the first must be in.  For the character at s[0..n): its length
 * when valid, else 0 and *reveal, where a validator reading byte by byte
 * can first tell: at the byte that is no continuation, at the last byte
 * of a whole sequence with a wrong value, or at n when the input ends
 * inside it (only mc_utf8_finish can tell then).
 */
static size_t
ref_char(const unsigned char *s, size_t n, size_t *reveal)
{
	unsigned lo = 0x80, hi = 0xbf;
	size_t len, k;
	int wrong = 0;

	if (s[0] <= 0x7f)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else {
		*reveal = 0;
		return 0;
	}
	if (s[0] == 0xe0)
		lo = 0xa0;	/* %xE0 %xA0-BF UTF8-tail */
	else if (s[0] == 0xed)
		hi = 0x9f;	/* %xED %x80-9F UTF8-tail */
	else if (s[0] == 0xf0)
		lo = 0x90;	/* %xF0 %x90-BF 2( UTF8-tail ) */
	else if (s[0] == 0xf4)
		hi = 0x8f;	/* %xF4 %x80-8F 2( UTF8-tail ) */
	for (k = 1; k < len; k++) {
		if (k == n) {
			*reveal = n;
			return 0;
		}
		if (s[k] < 0x80 || s[k] > 0xbf) {
			*reveal = k;
			return 0;
		}
		if (k == 1 && (s[k] < lo || s[k] > hi))
			wrong = 1;
	}
	if (wrong) {
		*reveal = len - 1;
		return 0;
	}
	return len;
}

/* s[0..n) by the reference: -1 when valid, else the offset of the bad
 * character, and *reveal from the start of s. */
static long
ref_check(const unsigned char *s, size_t n, size_t *reveal)
{
	size_t i = 0, len;

	while (i < n) {
		if ((len = ref_char(s + i, n - i, reveal)) == 0) {
			*reveal += i;
			return (long)i;
		}
		i += len;
	}
	return -1;
}

/* What a run saw: the bad offset (-1: none), which call said so (the
 * index of the step that returned -1, ncuts for mc_utf8_finish, -1 for
 * none), and the state at the end. */
struct outcome {
	long bad;
	long call;
	struct mc_utf8 st;
};

/* Feeds s[0..n) in steps of cuts[0..ncuts), each step from a copy of
 * exactly its size, so that AddressSanitizer sees any read past it. */
static void
feed(const unsigned char *s, size_t n, const size_t *cuts, size_t ncuts,
    struct outcome *o)
{
	struct mc_utf8 was;
	unsigned char *c;
	size_t i, at = 0;
	int r;

	mc_utf8_init(&o->st);
	o->bad = -1;
	o->call = -1;
	for (i = 0; i < ncuts; i++) {
		c = malloc(cuts[i]);
		assert_non_null(c);
		memcpy(c, s + at, cuts[i]);
		r = mc_utf8_step(&o->st, c, cuts[i]);
		free(c);
		at += cuts[i];
		if (r == -1) {
			o->call = (long)i;
			break;
		}
		assert_int_equal(r, 0);
	}
	if (o->call == -1 && mc_utf8_finish(&o->st) == -1)
		o->call = (long)ncuts;
	if (o->call == -1) {
		assert_int_equal(at, n);
		assert_int_equal(o->st.off, n);
		return;
	}
	/* sticky, and nothing changes */
	was = o->st;
	assert_int_equal(o->st.bad, 1);
	assert_int_equal(mc_utf8_step(&o->st, s, n), -1);
	assert_int_equal(mc_utf8_finish(&o->st), -1);
	assert_memory_equal(&was, &o->st, sizeof(was));
	o->bad = (long)o->st.bad_off;
}

/* s[0..n) cut as cuts[] through each way: all agree with the reference
 * and end in the same state. */
static void
check_cuts(const unsigned char *s, size_t n, const size_t *cuts,
    size_t ncuts, const char *what)
{
	struct outcome o[NWAYS];
	size_t reveal = 0, at, c, w;
	long want, want_call = -1;

	want = ref_check(s, n, &reveal);
	if (want != -1) {
		for (at = 0, c = 0; c < ncuts && at + cuts[c] <= reveal; c++)
			at += cuts[c];
		want_call = (long)c;
	}
	for (w = 0; w < NWAYS; w++) {
		if (mc_codec_force(MC_CODEC_UTF8, ways[w]) == -1) {
			o[w] = o[0];
			continue;
		}
		feed(s, n, cuts, ncuts, &o[w]);
		if (o[w].bad != want || o[w].call != want_call)
			fail_msg("%s, %zu bytes in %zu steps, %s: bad at %ld "
			    "in step %ld, want %ld in step %ld", what, n,
			    ncuts, ways[w], o[w].bad, o[w].call, want,
			    want_call);
		assert_memory_equal(&o[w].st, &o[0].st, sizeof(o[0].st));
	}
	mc_codec_force(MC_CODEC_UTF8, NULL);
}

/* The ways of cutting n bytes into steps that check_chunked tries. */
enum { CUT_WHOLE, CUT_RANDOM, CUT_SMALL, CUT_MEDIUM, CUT_31, CUT_32, CUT_33,
    CUT_65, CUT_ONE, NCUTS };

static size_t
make_cuts(size_t *cuts, size_t n, int how, uint64_t *rng)
{
	size_t k, at, nc = 0;

	for (at = 0; at < n; at += k) {
		switch (how) {
		case CUT_WHOLE:
			k = n;
			break;
		case CUT_RANDOM:
			k = 1 + unit_xorshift(rng) % n;
			break;
		case CUT_SMALL:
			k = 1 + unit_xorshift(rng) % 40;
			break;
		case CUT_MEDIUM:
			k = 1 + unit_xorshift(rng) % 300;
			break;
		case CUT_31:
			k = 31;
			break;
		case CUT_32:
			k = 32;
			break;
		case CUT_33:
			k = 33;
			break;
		case CUT_65:
			k = 65;
			break;
		default:
			k = 1;
			break;
		}
		if (k > n - at)
			k = n - at;
		cuts[nc++] = k;
	}
	return nc;
}

/* s[0..n) through check_cuts cut each way in hows[], or every way. */
static void
check_chunked(const unsigned char *s, size_t n, const int *hows,
    size_t nhows, uint64_t *rng, const char *what)
{
	size_t *cuts = malloc((n + 1) * sizeof(*cuts));
	size_t h, nc;
	int how;

	assert_non_null(cuts);
	for (h = 0; h < (hows != NULL ? nhows : NCUTS); h++) {
		how = hows != NULL ? hows[h] : (int)h;
		nc = make_cuts(cuts, n, how, rng);
		check_cuts(s, n, cuts, nc, what);
	}
	free(cuts);
}

/*
 * A random character of len bytes (CJK half the time for 3); now and then
 * one at an edge of a range RFC 3629 allows, or one with a first byte
 * that limits the second (E0, ED, F0, F4) or is next to one that does.
 */
static size_t
put_char(unsigned char *d, int len, uint64_t *rng)
{
	static const uint32_t edges[] = { 0x7f, 0x80, 0x7ff, 0x800, 0xfff,
	    0x1000, 0xd7ff, 0xe000, 0xffff, 0x10000, 0x3ffff, 0x40000,
	    0xfffff, 0x100000, 0x10ffff };
	static const struct {
		int len;
		uint32_t lo, hi;
	} leads[] = {
		{ 2, 0x80, 0xbf },		/* C2 */
		{ 2, 0x7c0, 0x7ff },		/* DF */
		{ 3, 0x800, 0xfff },		/* E0 */
		{ 3, 0xc000, 0xcfff },		/* EC */
		{ 3, 0xd000, 0xd7ff },		/* ED */
		{ 3, 0xe000, 0xefff },		/* EE */
		{ 4, 0x10000, 0x3ffff },	/* F0 */
		{ 4, 0xc0000, 0xfffff },	/* F3 */
		{ 4, 0x100000, 0x10ffff },	/* F4 */
	};
	uint32_t r = unit_xorshift(rng), cp;
	size_t k;

	if (r % 32 == 0)
		return (size_t)enc(d, edges[r / 32 % (sizeof(edges) /
		    sizeof(edges[0]))]);
	if (r % 32 < 8) {
		k = r / 32 % (sizeof(leads) / sizeof(leads[0]));
		if (leads[k].len == len)
			return (size_t)enc(d, leads[k].lo + unit_xorshift(rng) %
			    (leads[k].hi - leads[k].lo + 1));
	}
	r = unit_xorshift(rng);
	switch (len) {
	case 1:
		cp = r % 0x80;
		break;
	case 2:
		cp = 0x80 + r % (0x800 - 0x80);
		break;
	case 3:
		if (r % 2)
			cp = 0x4e00 + r / 2 % (0xa000 - 0x4e00);
		else if ((cp = 0x800 + r / 2 % (0x10000 - 0x800)) >= 0xd800 &&
		    cp <= 0xdfff)
			cp -= 0x800;
		break;
	default:
		cp = 0x10000 + r % 0x100000;
		break;
	}
	return (size_t)enc(d, cp);
}

/* The errors put_error makes. */
enum { E_STRAY, E_OVERLONG_2, E_OVERLONG_3, E_OVERLONG_4, E_SURROGATE,
    E_PAST_MAX, E_F5_FF, E_LONE, E_CUT, E_EXTRA_TAIL, E_TWO_LEADS,
    E_RANDOM, NERRORS };

/* An error of the kind into d; its length. */
static size_t
put_error(unsigned char *d, int kind, uint64_t *rng)
{
	static const unsigned char lone[] = { 0xc0, 0xc1, 0xf5, 0xf6, 0xf7,
	    0xf8, 0xfb, 0xfc, 0xfd, 0xfe, 0xff };
	uint32_t r = unit_xorshift(rng);
	unsigned char t = (unsigned char)(0x80 | (r & 0x3f));	/* tail */
	size_t n, k;

	r >>= 6;
	switch (kind) {
	case E_STRAY:
		d[0] = (unsigned char)(0x80 | (r & 0x3f));
		return 1;
	case E_OVERLONG_2:
		d[0] = (unsigned char)(0xc0 | (r & 1));
		d[1] = t;
		return 2;
	case E_OVERLONG_3:
		d[0] = 0xe0;
		d[1] = (unsigned char)(0x80 | (r & 0x1f));
		d[2] = t;
		return 3;
	case E_OVERLONG_4:
		d[0] = 0xf0;
		d[1] = (unsigned char)(0x80 | (r & 0x0f));
		d[2] = t;
		d[3] = t;
		return 4;
	case E_SURROGATE:
		d[0] = 0xed;
		d[1] = (unsigned char)(0xa0 | (r & 0x1f));
		d[2] = t;
		return 3;
	case E_PAST_MAX:
		d[0] = 0xf4;
		d[1] = (unsigned char)(0x90 + r % 0x30);
		d[2] = t;
		d[3] = t;
		return 4;
	case E_F5_FF:	/* with the tails of a four-byte sequence */
		d[0] = (unsigned char)(0xf5 + r % 11);
		d[1] = d[2] = d[3] = t;
		return 4;
	case E_LONE:
		d[0] = lone[r % sizeof(lone)];
		return 1;
	case E_CUT:	/* a lead and fewer tails than it needs */
		n = put_char(d, 2 + (int)(r % 3), rng);
		return n <= 1 ? n : 1 + (r >> 4) % (n - 1);
	case E_EXTRA_TAIL:
		n = put_char(d, 2 + (int)(r % 3), rng);
		d[n] = t;
		return n + 1;
	case E_TWO_LEADS:
		n = put_char(d + 1, 3, rng);
		d[0] = d[1];
		return n + 1;
	default:
		n = 1 + r % 4;
		for (k = 0; k < n; k++)
			d[k] = (unsigned char)unit_xorshift(rng);
		return n;
	}
}

/* Kinds of text: how often each length of character comes. */
static const struct {
	const char *name;
	unsigned w[4];
} styles[] = {
	{ "Chinese", { 1, 0, 30, 0 } },
	{ "Cyrillic", { 4, 30, 0, 0 } },
	{ "emoji", { 2, 0, 1, 20 } },
	{ "mixed", { 10, 5, 5, 5 } },
	{ "ASCII", { 60, 1, 1, 1 } },
};
#define NSTYLES (sizeof(styles) / sizeof(styles[0]))

static size_t
put_styled(unsigned char *d, size_t style, uint64_t *rng)
{
	const unsigned *w = styles[style].w;
	unsigned r = unit_xorshift(rng) % (w[0] + w[1] + w[2] + w[3]);
	int len = 1;

	while (r >= w[len - 1]) {
		r -= w[len - 1];
		len++;
	}
	return put_char(d, len, rng);
}

/*
 * Random texts of up to 2000 bytes in each style with no, one or two
 * errors, each at a random position near a 32-byte edge (the blocks
 * start where a step or the byte loop hands over, so every position
 * relative to them comes up), now and then cut inside the last
 * character; through the reference, the byte loop and the blocks, in
 * every way of cutting into steps.
 */
static void
test_differential(void **state)
{
	enum { MAXLEN = 2000 };
	uint64_t rng = 0x9e3779b97f4a7c15u;
	unsigned char *text = malloc(MAXLEN + 16);
	size_t iter, len, n, nerr, e, err[2], style;
	char what[80];
	int kind;

	(void)state;
	assert_non_null(text);
	if (mc_codec_force(MC_CODEC_UTF8, "avx2") == -1)
		print_message("utf8: no AVX2 here, the byte loop alone is "
		    "tested\n");
	mc_codec_force(MC_CODEC_UTF8, NULL);
	for (iter = 0; iter < 3000; iter++) {
		style = iter % NSTYLES;
		len = 1 + unit_xorshift(&rng) % (iter % 8 == 0 ? MAXLEN : 300);
		nerr = unit_xorshift(&rng) % 3;
		kind = -1;
		for (e = 0; e < nerr; e++) {
			/* 32 k + d, d in -4..35 */
			err[e] = 32 * (unit_xorshift(&rng) % (len / 32 + 1));
			err[e] += unit_xorshift(&rng) % 40;
			err[e] = err[e] >= 4 ? err[e] - 4 : 0;
		}
		if (nerr == 2 && err[1] < err[0]) {
			e = err[0];
			err[0] = err[1];
			err[1] = e;
		}
		n = 0;
		e = 0;
		while (n < len) {
			if (e < nerr && err[e] <= n) {
				kind = (int)(unit_xorshift(&rng) % NERRORS);
				n += put_error(text + n, kind, &rng);
				e++;
			} else
				n += put_styled(text + n, style, &rng);
		}
		if (unit_xorshift(&rng) % 4 == 0)
			n -= unit_xorshift(&rng) % 4 % n;
		snprintf(what, sizeof(what), "text %zu (%s, %zu errors, "
		    "the last of kind %d)", iter, styles[style].name, nerr,
		    kind);
		check_chunked(text, n, NULL, 0, &rng, what);
	}
	free(text);
}

/*
 * 100 KiB of Chinese with one error of each kind at each offset of a
 * 64-byte window around the block edge at 64 KiB (blocks are counted
 * from the start of a step: in one step, the window covers every
 * position in a block and its neighbours); and the same text, valid,
 * ending at each offset of the window, inside a character or not.
 */
static void
test_differential_long(void **state)
{
	enum { LEN = 100 * 1024, EDGE = 64 * 1024 };
	static const int hows[] = { CUT_WHOLE, CUT_RANDOM, CUT_MEDIUM };
	uint64_t rng = 0x2545f4914f6cdd1du;
	unsigned char *text = malloc(LEN + 16);
	size_t n, at, off;
	char what[80];
	int kind;

	(void)state;
	assert_non_null(text);
	for (off = EDGE - 32; off < EDGE + 32; off++)
		for (kind = 0; kind < NERRORS; kind++) {
			/* CJK up to off exactly: an ASCII byte or a
			 * two-byte character makes up the rest */
			for (n = 0; n < off - off % 3; n += 3)
				enc(text + n, 0x4e00 + unit_xorshift(&rng) %
				    0x5200);
			if (off % 3 == 1)
				text[n++] = 'a';
			else if (off % 3 == 2)
				n += (size_t)enc(text + n, 0x430);
			n += put_error(text + n, kind, &rng);
			for (; n + 3 <= LEN; n += 3)
				enc(text + n, 0x4e00 + unit_xorshift(&rng) %
				    0x5200);
			snprintf(what, sizeof(what), "error of kind %d at %zu",
			    kind, off);
			check_chunked(text, n, hows, sizeof(hows) /
			    sizeof(hows[0]), &rng, what);
		}
	for (n = 0; n + 3 <= LEN; n += 3)
		enc(text + n, 0x4e00 + unit_xorshift(&rng) % 0x5200);
	for (at = EDGE - 32; at < EDGE + 32; at++) {
		snprintf(what, sizeof(what), "valid Chinese cut at %zu", at);
		check_chunked(text, at, hows, sizeof(hows) / sizeof(hows[0]),
		    &rng, what);
	}
	free(text);
}

/*
 * Every string of four bytes from one of each class the rules tell apart
 * (ASCII; continuations at the edges of the second byte's ranges; each
 * kind of first byte) in ASCII text, across a block edge: the first
 * block, the middle ones and the last one, which overlaps the one
 * before it, each see every error there is within four bytes.
 */
static void
test_windows(void **state)
{
	static const unsigned char set[] = { 0x41, 0x7f, 0x80, 0x8f, 0x90,
	    0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xef,
	    0xf0, 0xf1, 0xf4, 0xf5, 0xff };
	enum { N = sizeof(set) };
	static const size_t lens[] = { 40, 100 }, at[] = { 28, 29, 30, 31, 32,
	    33, 34, 36, 60, 61, 62, 63, 64, 65, 66, 67 };
	unsigned char text[100];
	size_t w, k, len, pos, one;
	char what[80];

	(void)state;
	for (w = 0; w < 4 * N * N * N * N; w++) {
		len = lens[w % 2];
		pos = at[w % (sizeof(at) / sizeof(at[0]))] % (len - 3);
		memset(text, 'a', sizeof(text));
		for (k = 0; k < 4; k++)
			text[pos + k] = set[w / 4 / (k == 0 ? 1 : k == 1 ?
			    N : k == 2 ? N * N : N * N * N) % N];
		one = len;
		snprintf(what, sizeof(what), "%02x %02x %02x %02x at %zu of "
		    "%zu", text[pos], text[pos + 1], text[pos + 2],
		    text[pos + 3], pos, len);
		check_cuts(text, len, &one, 1, what);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_charlen),
		cmocka_unit_test(test_all_code_points),
		cmocka_unit_test(test_offset),
		cmocka_unit_test(test_fast_paths),
		cmocka_unit_test(test_differential),
		cmocka_unit_test(test_differential_long),
		cmocka_unit_test(test_windows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
