/* SPDX-License-Identifier: ISC */
/* Unit tests for scan.c: the transfer encoding of a text (SPEC 2, 3). */
#include "unit.h"

static uint64_t rng = 0x853c49e6748fea9bULL;

static uint32_t
rnd(void)
{
	return unit_xorshift(&rng);
}

/* chunk 0: one call; -1: random sizes; else that size. */
static void
scan(struct mc_scan *s, const void *p, size_t n, long chunk)
{
	const char *c = p;
	size_t i, k;

	mc_scan_init(s);
	for (i = 0; i < n; i += k) {
		k = chunk == 0 ? n : chunk < 0 ? 1 + rnd() % 50 : (size_t)chunk;
		if (k > n - i)
			k = n - i;
		mc_scan_step(s, c + i, k);
	}
	mc_scan_finish(s);
}

static char *
repeat(const char *piece, size_t times, size_t *len)
{
	size_t pl = strlen(piece), i;
	char *p = malloc(pl * times + 1);

	assert_non_null(p);
	for (i = 0; i < times; i++)
		memcpy(p + i * pl, piece, pl);
	p[pl * times] = '\0';
	*len = pl * times;
	return p;
}

/* The size of the real quoted-printable form, LF line ends. */
static uint64_t
qp_size(const void *p, size_t n)
{
	struct mc_out *out = malloc(sizeof(*out));
	struct memsink m;
	struct mc_qp st;
	uint64_t len;

	assert_non_null(out);
	mc_buf_init(&m.b);
	m.fail_after = 0;
	mc_out_init(out, memsink_write, &m, 0);
	mc_qp_init(&st, out);
	mc_qp_step(&st, p, n);
	mc_qp_finish(&st);
	assert_int_equal(mc_out_flush(out), 0);
	len = m.b.len;
	mc_buf_free(&m.b);
	free(out);
	return len;
}

/*
 * The choice for the text p[0..n) that s scanned, with its quoted-printable
 * size; and asked without it, mc_scan_choose must give the same answer or
 * ask for the size (MC_CTE_AUTO).
 */
static enum mc_cte
choose(const struct mc_scan *s, const void *p, size_t n)
{
	uint64_t qp = qp_size(p, n);
	enum mc_cte with = mc_scan_choose(s, &qp);
	enum mc_cte without = mc_scan_choose(s, NULL);

	if (without != MC_CTE_AUTO && without != with)
		fail_msg("%d without the quoted-printable size, %d with it",
		    (int)without, (int)with);
	return with;
}

/* A random text in t (initialised here): fewer than max pieces, each
 * one of pieces[0..n) (a "" piece stands for a NUL). */
static void
random_text(struct mc_buf *t, const char *const *pieces, size_t n,
    size_t max)
{
	const char *pc;
	size_t k;

	mc_buf_init(t);
	mc_buf_add(t, "", 0);
	for (k = rnd() % max; k > 0; k--) {
		pc = pieces[rnd() % n];
		mc_buf_add(t, pc, pc[0] ? strlen(pc) : 1);
	}
	assert_false(t->oom);
}

/*
 * Each case: the text, its length, the choice, and why 7bit and 8bit
 * cannot carry it (NULL: they can).
 */
static const struct {
	const char *text;
	size_t len;
	enum mc_cte cte;
	const char *why7, *why8;
} cases[] = {
	{ "", 0, MC_CTE_7BIT, NULL, NULL },
	{ "Hello, world.\nSecond line\n", 26, MC_CTE_7BIT, NULL, NULL },
	/* SPEC 2: every entity ends with a line break, which QP's soft
	 * break gives without changing the text. */
	{ "no newline at the end", 21, MC_CTE_QP, NULL, NULL },
	{ "crlf\r\nlines\r\n", 13, MC_CTE_7BIT, NULL, NULL },
	{ "tabs\tand ~ symbols {}\n", 22, MC_CTE_7BIT, NULL, NULL },
	/* short: "Gr=C3=BC=C3=9Fe" is longer than "R3LDvMOfZQo=" */
	{ "Gr\xc3\xbc\xc3\x9f" "e\n", 8, MC_CTE_BASE64,
	    "8-bit data at byte 2", NULL },
	{ "a\0b\n", 4, MC_CTE_QP, "a NUL byte", "a NUL byte" },
	{ "\xff\0", 2, MC_CTE_BASE64, "8-bit data at byte 0", "a NUL byte" },
	{ "a\rb\n", 4, MC_CTE_QP, "a bare CR", "a bare CR" },
	/* "ab=0D=" and a soft line end: 7 bytes against 5 */
	{ "ab\r", 3, MC_CTE_BASE64, "a bare CR", "a bare CR" },
	{ "a\r\r\n", 4, MC_CTE_QP, "a bare CR", "a bare CR" },
	{ "a\n.\nb\n", 6, MC_CTE_QP, "a line that is a lone \".\"",
	    "a line that is a lone \".\"" },
	{ "a\r\n.\r\n", 6, MC_CTE_QP, "a line that is a lone \".\"",
	    "a line that is a lone \".\"" },
	{ "end\n.", 5, MC_CTE_QP, "a line that is a lone \".\"",
	    "a line that is a lone \".\"" },
	{ ".", 1, MC_CTE_QP, "a line that is a lone \".\"",
	    "a line that is a lone \".\"" },
	{ "..\n. \n.a\n", 9, MC_CTE_7BIT, NULL, NULL },
	{ "..\n. \n.a", 8, MC_CTE_QP, NULL, NULL },
	{ "From me\n", 8, MC_CTE_QP, "a line starting with \"From \"",
	    "a line starting with \"From \"" },
	{ "x\r\nFrom ", 8, MC_CTE_QP, "a line starting with \"From \"",
	    "a line starting with \"From \"" },
	{ "From\nfrom me\n>From me\n From me\nFromage\n", 39, MC_CTE_7BIT,
	    NULL, NULL },
	{ "\xe2\x82\xac\n.\n", 6, MC_CTE_BASE64, "8-bit data at byte 0",
	    "a line that is a lone \".\"" },
};

static void
test_table(void **state)
{
	struct mc_scan s;
	const char *w;
	size_t i;
	long chunk;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (chunk = 0; chunk <= 2; chunk++) {
			scan(&s, cases[i].text, cases[i].len, chunk);
			if (choose(&s, cases[i].text, cases[i].len) !=
			    cases[i].cte)
				fail_msg("case %zu: %d", i, (int)choose(&s,
				    cases[i].text, cases[i].len));
			w = mc_scan_why_not(&s, MC_CTE_7BIT);
			if (cases[i].why7 == NULL)
				assert_null(w);
			else
				assert_string_equal(w, cases[i].why7);
			w = mc_scan_why_not(&s, MC_CTE_8BIT);
			if (cases[i].why8 == NULL)
				assert_null(w);
			else
				assert_string_equal(w, cases[i].why8);
			assert_null(mc_scan_why_not(&s, MC_CTE_QP));
			assert_null(mc_scan_why_not(&s, MC_CTE_BASE64));
			assert_int_equal(s.bytes, cases[i].len);
		}
}

/* RFC 5322 2.1.1: 998 octets a line, without its line end. */
static void
test_long_line(void **state)
{
	struct mc_scan s;
	char *p;
	size_t n;

	(void)state;
	p = repeat("a", 998, &n);
	p[997] = '\n';
	scan(&s, p, n, 0);
	assert_int_equal(choose(&s, p, n), MC_CTE_7BIT);
	assert_int_equal(s.maxline, 997);

	free(p);

	/* 998 octets, but no final line break (SPEC 2). */
	p = repeat("a", 998, &n);
	scan(&s, p, n, 0);
	assert_int_equal(choose(&s, p, n), MC_CTE_QP);
	assert_null(mc_scan_why_not(&s, MC_CTE_7BIT));
	assert_true(s.noeol);
	assert_int_equal(s.maxline, 998);
	free(p);

	p = repeat("a", 999, &n);
	scan(&s, p, n, 7);
	assert_int_equal(choose(&s, p, n), MC_CTE_QP);
	assert_string_equal(mc_scan_why_not(&s, MC_CTE_7BIT),
	    "a line of 999 octets");
	assert_string_equal(mc_scan_why_not(&s, MC_CTE_8BIT),
	    "a line of 999 octets");
	free(p);

	p = repeat("b", 1200, &n);
	p[998] = '\r';
	p[999] = '\n';			/* 998 + CRLF, then 200 */
	scan(&s, p, n, -1);
	assert_int_equal(s.maxline, 998);
	assert_int_equal(s.lines, 2);
	/* 7bit but for its last line, which has no line break. */
	assert_int_equal(choose(&s, p, n), MC_CTE_QP);
	p[999] = 'b';			/* now a bare CR in a long line */
	scan(&s, p, n, 0);
	assert_string_equal(mc_scan_why_not(&s, MC_CTE_7BIT),
	    "a line of 1200 octets");
	free(p);
}

/* Mostly-ASCII UTF-8 goes quoted-printable, Chinese base64. */
static void
test_charsets(void **state)
{
	struct mc_scan s;
	char *p;
	size_t n;

	(void)state;
	p = repeat("Die Stra\xc3\x9f" "e hei\xc3\x9f" "t Hauptstra\xc3\x9f"
	    "e, und das ist gut so.\n", 50, &n);
	scan(&s, p, n, -1);
	assert_int_equal(choose(&s, p, n), MC_CTE_QP);
	assert_true(qp_size(p, n) < mc_b64_size(n, 1));
	assert_string_equal(mc_scan_why_not(&s, MC_CTE_7BIT),
	    "8-bit data at byte 8");
	assert_null(mc_scan_why_not(&s, MC_CTE_8BIT));
	assert_int_equal(s.nonascii, 50 * 6);
	assert_int_equal(s.utf8.bad, 0);
	free(p);

	p = repeat("\xe4\xb8\xad\xe6\x96\x87\xe7\x9a\x84\xe6\x96\x87\xe6\x9c"
	    "\xac\xef\xbc\x8c\xe5\xbe\x88\xe9\x95\xbf\xe3\x80\x82\n", 40, &n);
	scan(&s, p, n, 1);
	assert_int_equal(choose(&s, p, n), MC_CTE_BASE64);
	assert_true(qp_size(p, n) > mc_b64_size(n, 1));
	/* ... plain without counting the quoted-printable size */
	assert_int_equal(mc_scan_choose(&s, NULL), MC_CTE_BASE64);
	assert_string_equal(mc_scan_why_not(&s, MC_CTE_7BIT),
	    "8-bit data at byte 0");
	assert_null(mc_scan_why_not(&s, MC_CTE_8BIT));
	assert_int_equal(s.utf8.bad, 0);
	free(p);

	/* Invalid UTF-8 is seen in the same pass. */
	scan(&s, "abc\xe4\xb8x", 6, 1);
	assert_int_equal(s.utf8.bad, 1);
	assert_int_equal(s.utf8.bad_off, 3);
}

/* Quoted-printable wins a tie; otherwise the smaller one. */
static void
test_tie(void **state)
{
	struct mc_scan s;
	uint64_t qp;

	(void)state;
	scan(&s, "\0\0\0\0\0\0", 6, 0);
	/* "=00" x 6, "=", LF */
	assert_int_equal(qp_size("\0\0\0\0\0\0", 6), 20);
	assert_int_equal(mc_b64_size(6, 1), 9);
	assert_int_equal(choose(&s, "\0\0\0\0\0\0", 6), MC_CTE_BASE64);
	qp = 9;
	assert_int_equal(mc_scan_choose(&s, &qp), MC_CTE_QP);
	qp = 10;
	assert_int_equal(mc_scan_choose(&s, &qp), MC_CTE_BASE64);
}

/* The boundary scan rides along. */
static void
test_bound(void **state)
{
	struct mc_scan s;
	static const char text[] = "text\n--=_QQQ.x\n--=_RR\n";

	(void)state;
	scan(&s, text, sizeof(text) - 1, 3);
	assert_int_equal(s.bound.run[0][0], 2);	/* Q, then QQ */
	assert_int_equal(s.bound.run[1][1], 1);	/* R, then R */
	assert_int_equal(choose(&s, text, sizeof(text) - 1), MC_CTE_7BIT);
}

/* Random text: any chunking gives the same result. */
static void
test_chunking(void **state)
{
	static const char *pieces[] = {
		"a", " ", "\n", "\r\n", "\r", ".", "From ", "\xc3\xa9", "\0",
		"--=_Q", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	};
	struct mc_scan a, b;
	struct mc_buf t;
	size_t i;

	(void)state;
	for (i = 0; i < 300; i++) {
		random_text(&t, pieces, sizeof(pieces) / sizeof(pieces[0]) -
		    (i % 2 ? 0 : 4), 300);
		scan(&a, t.p, t.len, 0);
		scan(&b, t.p, t.len, i % 4 == 0 ? 1 : -1);
		assert_int_equal(a.bytes, b.bytes);
		assert_int_equal(a.nonascii, b.nonascii);
		assert_int_equal(a.lines, b.lines);
		assert_int_equal(a.maxline, b.maxline);
		assert_int_equal(a.nul, b.nul);
		assert_int_equal(a.barecr, b.barecr);
		assert_int_equal(a.dotline, b.dotline);
		assert_int_equal(a.fromline, b.fromline);
		assert_memory_equal(a.bound.run, b.bound.run,
		    sizeof(a.bound.run));
		assert_string_equal(a.why7, b.why7);
		assert_string_equal(a.why8, b.why8);
		assert_int_equal(choose(&a, t.p, t.len), choose(&b, t.p,
		    t.len));
		mc_buf_free(&t);
	}
}

/* Every decision and count of b is a's. */
static void
same_scan(const struct mc_scan *a, const struct mc_scan *b, size_t align,
    long chunk)
{
	if (a->bytes != b->bytes || a->nonascii != b->nonascii ||
	    (a->nonascii > 0 && a->first8 != b->first8) ||
	    a->lines != b->lines || a->maxline != b->maxline ||
	    a->nul != b->nul || a->barecr != b->barecr ||
	    a->dotline != b->dotline || a->fromline != b->fromline ||
	    a->utf8.bad != b->utf8.bad ||
	    (a->utf8.bad && a->utf8.bad_off != b->utf8.bad_off) ||
	    memcmp(a->bound.run, b->bound.run, sizeof(a->bound.run)) != 0 ||
	    strcmp(a->why7, b->why7) != 0 || strcmp(a->why8, b->why8) != 0)
		fail_msg("align %zu, chunk %ld: differs from byte by byte",
		    align, chunk);
}

/* The text at every alignment, in every chunking, against byte by
 * byte. */
static void
all_ways(const char *p, size_t n)
{
	static const long chunks[] = { 0, 2, 3, 5, 7, 8, 9, 15, 16, 17, -1 };
	struct mc_scan ref, s;
	char *buf = malloc(n + 16);
	size_t a, k;

	assert_non_null(buf);
	scan(&ref, p, n, 1);
	for (a = 0; a < 9; a++) {
		memcpy(buf + a, p, n);
		for (k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
			scan(&s, buf + a, n, chunks[k]);
			same_scan(&ref, &s, a, chunks[k]);
		}
	}
	free(buf);
}

/*
 * The fast way through a line (words, memchr) gives what the byte rules
 * give: a special byte at every position of lines around the word size,
 * in ASCII and in 8-bit text, every alignment and chunking.
 */
static void
test_fast_paths(void **state)
{
	static const char *special[] = {
		"\0", "\r", "\r\n", "\n", "\x80", "\xc3\xa9", "\xff", ".",
		"From ", "F", "\r\r\n", "\0\r", "\r\xe4\xb8\xad", "--=_QRR",
	};
	/* nine bytes each, cut anywhere */
	static const char *fill[] = { "abcdefgh ", "\xe4\xb8\xad-x\xc3\xa9yz" };
	struct mc_buf t;
	size_t pos, i, f, k;

	(void)state;
	for (f = 0; f < 2; f++)
		for (pos = 0; pos <= 40; pos++)
			for (i = 0; i < sizeof(special) / sizeof(special[0]);
			    i++) {
				mc_buf_init(&t);
				mc_buf_add(&t, "", 0);
				for (k = 0; k < pos; k++)
					mc_buf_addc(&t, fill[f][k % 9]);
				mc_buf_adds(&t, special[i]);
				for (k = pos; k < 40; k++)
					mc_buf_addc(&t, fill[f][k % 9]);
				mc_buf_adds(&t, "\n");
				for (k = 0; k < pos; k++)
					mc_buf_addc(&t, 'y');
				mc_buf_adds(&t, special[i]);
				mc_buf_adds(&t, "\n.\n");
				for (k = 0; k < pos; k++)
					mc_buf_addc(&t, 'z');
				mc_buf_add(&t, special[i], special[i][0] ?
				    strlen(special[i]) : 1);
				assert_false(t.oom);
				all_ways(t.p, t.len);
				mc_buf_free(&t);
			}
}

/* Random texts with long lines: the same, every way. */
static void
test_fast_random(void **state)
{
	static const char *pieces[] = {
		"a", " ", "\n", "\r\n", "\r", ".", "From ", "\xc3\xa9", "\0",
		"--=_Q", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		"\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad", "\xff", "\xe4",
	};
	struct mc_buf t;
	size_t i;

	(void)state;
	for (i = 0; i < 200; i++) {
		random_text(&t, pieces, sizeof(pieces) / sizeof(pieces[0]) -
		    (i % 2 ? 0 : 4), 200);
		all_ways(t.p, t.len);
		mc_buf_free(&t);
	}
}

/*
 * Without the quoted-printable size mc_scan_choose answers as with it
 * (choose checks that), or asks for it.  Texts from all ASCII to all
 * 8-bit, CRLF and empty lines included, and around the tie: pieces from a
 * window of the list, which slides from the ASCII ones to the 8-bit ones.
 * Both answers come up often, and mostly 8-bit text never needs the size.
 */
static void
test_deferred_qp(void **state)
{
	static const char *pieces[] = {
		"a", "b c", "\n", "\r\n", "=", "\t", ".", "From ",
		"\xc3\xa9", "\xe4\xb8\xad", "\xf0\x9f\x98\x80", "\xff",
	};
	static const size_t window[][2] = {
		{ 0, 8 }, { 0, 9 }, { 0, 10 }, { 0, 11 }, { 0, 12 }, { 4, 12 },
		{ 8, 12 },
	};
	const size_t *w;
	struct mc_scan s;
	struct mc_buf t;
	size_t i, asked = 0, plain = 0;

	(void)state;
	for (i = 0; i < 3000; i++) {
		w = window[i % (sizeof(window) / sizeof(window[0]))];
		random_text(&t, pieces + w[0], w[1] - w[0], 400);
		scan(&s, t.p, t.len, -1);
		(void)choose(&s, t.p, t.len);
		if (mc_scan_choose(&s, NULL) == MC_CTE_AUTO)
			asked++;
		else if (w[0] == 8) {
			assert_int_equal(mc_scan_choose(&s, NULL),
			    t.len > 0 ? MC_CTE_BASE64 : MC_CTE_7BIT);
			plain++;
		}
		mc_buf_free(&t);
	}
	assert_true(asked > 100);
	assert_true(plain > 100);
}

/*
 * A text of only 8-bit characters goes base64 without the size.  Short
 * CRLF lines with some 8-bit text are just quoted-printable: a floor that
 * forgot that CRLF gives one octet would wrongly say base64.
 */
static void
test_deferred_qp_edges(void **state)
{
	static const struct {
		const char *line;
		enum mc_cte without, with;
	} edge[] = {
		{ "\xe4\xb8\xad\xe6\x96\x87\n", MC_CTE_BASE64, MC_CTE_BASE64 },
		/* 12000 octets quoted-printable, 12158 base64: the floor is
		 * exact here */
		{ "abcde\xc3\xa9\r\n", MC_CTE_AUTO, MC_CTE_QP },
		/* 11000 and 10809 */
		{ "abcd\xc3\xa9\r\n", MC_CTE_BASE64, MC_CTE_BASE64 },
		{ "abcdefghij\xc3\xa9\r\n", MC_CTE_AUTO, MC_CTE_QP },
	};
	struct mc_scan s;
	char *p;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(edge) / sizeof(edge[0]); i++) {
		p = repeat(edge[i].line, 1000, &n);
		scan(&s, p, n, 0);
		assert_int_equal(mc_scan_choose(&s, NULL), edge[i].without);
		assert_int_equal(choose(&s, p, n), edge[i].with);
		free(p);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_charsets),
		cmocka_unit_test(test_tie),
		cmocka_unit_test(test_bound),
		cmocka_unit_test(test_chunking),
		cmocka_unit_test(test_fast_paths),
		cmocka_unit_test(test_fast_random),
		cmocka_unit_test(test_deferred_qp),
		cmocka_unit_test(test_deferred_qp_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
