/* SPDX-License-Identifier: ISC */
/* Unit tests for utf8.c: RFC 3629 3 and 4. */
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
		if (cp < 0x80) {
			b[0] = (unsigned char)cp;
			n = 1;
		} else if (cp < 0x800) {
			b[0] = (unsigned char)(0xc0 | cp >> 6);
			b[1] = (unsigned char)(0x80 | (cp & 0x3f));
			n = 2;
		} else if (cp < 0x10000) {
			b[0] = (unsigned char)(0xe0 | cp >> 12);
			b[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
			b[2] = (unsigned char)(0x80 | (cp & 0x3f));
			n = 3;
		} else {
			b[0] = (unsigned char)(0xf0 | cp >> 18);
			b[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
			b[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
			b[3] = (unsigned char)(0x80 | (cp & 0x3f));
			n = 4;
		}
		if (mc_utf8_charlen(b, (size_t)n) != n ||
		    mc_utf8_step(&st, b, (size_t)n) != 0)
			fail_msg("U+%04X rejected", (unsigned)cp);
	}
	assert_int_equal(mc_utf8_finish(&st), 0);
	/* and every surrogate is refused */
	for (cp = 0xd800; cp <= 0xdfff; cp++) {
		b[0] = (unsigned char)(0xe0 | cp >> 12);
		b[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
