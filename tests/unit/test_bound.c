/* SPDX-License-Identifier: ISC */
/* Unit tests for bound.c: boundaries in no part, RFC 2046 5.1.1. */
#include "unit.h"

#include <ctype.h>

static const char markers[] = "QRSTUVWXYZKLMNPJ";
static const unsigned char uniq[12] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0xff
};

static uint64_t rng = 0xd1b54a32d192ed03ULL;

static uint32_t
rnd(void)
{
	return unit_xorshift(&rng);
}

/* chunk 0: one call; -1: random sizes; else that size. */
static void
scan(struct mc_bound *b, const char *p, size_t n, long chunk)
{
	size_t i, k;

	mc_bound_init(b);
	for (i = 0; i < n; i += k) {
		k = chunk == 0 ? n : chunk < 0 ? 1 + rnd() % 64 : (size_t)chunk;
		if (k > n - i)
			k = n - i;
		mc_bound_step(b, p + i, k);
	}
}

/* The hex of uniq in full, and cut to n characters. */
#define HEX	"000102030405060708090aff"

static void
test_format(void **state)
{
	struct mc_bound b;
	char out[MC_BOUNDARY_MAX + 1];
	size_t i;

	(void)state;
	mc_bound_init(&b);
	assert_int_equal(mc_bound_make(&b, uniq, out), 0);
	/* c1 = c2 = Q, one Q after the first: no line seen starts so. */
	assert_string_equal(out, "=_QQ." HEX);
	/* RFC 2046 5.1.1: bchars only, and no space at the end. */
	for (i = 0; out[i] != '\0'; i++)
		assert_non_null(strchr("0123456789abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=?", out[i]));
}

/* Pairs with a nonzero run. */
static int
nonzero(const struct mc_bound *b)
{
	int i, j, k = 0;

	for (i = 0; i < MC_BOUND_MARKERS; i++)
		for (j = 0; j < MC_BOUND_MARKERS; j++)
			k += b->run[i][j] != 0;
	return k;
}

static void
test_runs(void **state)
{
	static const char text[] =
	    "--=_QQQ.abc\n"		/* (Q,Q): 2, the Q's after the first */
	    "--=_QRRR\n"		/* (Q,R): 3 */
	    "  --=_RSSSSSSSS\n"		/* not at a line start */
	    "--=_sTt\n"			/* letters compared without case */
	    "--=_QRRRRR\r\n"		/* (Q,R): 5 */
	    "x\r--=_TUU\n"		/* a CR starts a line too: (T,U) 2 */
	    "--=_\n"
	    "--=_Q\n"			/* no second letter: nothing */
	    "--=_Q.RRRR\n"		/* "." is no marker */
	    "--=_QARRR\n"		/* nor is A */
	    "--=QRRRRRR\n"		/* not "--=_" */
	    "-=_QRRRRRRRR\n"
	    "--=_AQQQQ\n"
	    "--=_UVW\n"			/* (U,V): 1, W ends the run */
	    "--=_VW";			/* at the very end: (V,W) 1 */
	struct mc_bound b;
	char out[MC_BOUNDARY_MAX + 1];

	(void)state;
	scan(&b, text, sizeof(text) - 1, 0);
	assert_int_equal(b.run[0][0], 2);
	assert_int_equal(b.run[0][1], 5);
	assert_int_equal(b.run[2][3], 2);
	assert_int_equal(b.run[3][4], 2);
	assert_int_equal(b.run[4][5], 1);
	assert_int_equal(b.run[5][6], 1);
	assert_int_equal(nonzero(&b), 6);
	/* (Q,S) is the first pair never seen, in row-major order. */
	assert_int_equal(mc_bound_make(&b, uniq, out), 0);
	assert_string_equal(out, "=_QS." HEX);
}

static void
test_cap(void **state)
{
	char text[600];
	struct mc_bound b;

	(void)state;
	memcpy(text, "--=_", 4);
	memset(text + 4, 'Q', sizeof(text) - 4);
	scan(&b, text, sizeof(text), 7);
	assert_int_equal(b.run[0][0], 255);
	text[4] = 'R';
	scan(&b, text, sizeof(text), 7);
	assert_int_equal(b.run[1][0], 255);
	assert_int_equal(nonzero(&b), 1);
}

/* Lines starting "--=_" and two runs of markers, with random case, lengths
 * and other lines; the shortest boundary of every pair as a line, and when
 * floor > 0 a run of floor for every pair, so that many pairs are used. */
static char *
hostile(size_t *len, int maxrun, int floor)
{
	struct mc_buf b;
	int i, j, k, m1, m2;

	mc_buf_init(&b);
	for (i = 0; i < 3000; i++) {
		if (i % 10 == 0) {
			k = i / 10 % 256;
			mc_buf_adds(&b, "--=_");
			mc_buf_addc(&b, markers[k / 16]);
			mc_buf_addc(&b, markers[k % 16]);
			mc_buf_adds(&b, "." HEX "\n");
			if (floor > 0) {
				mc_buf_adds(&b, "--=_");
				mc_buf_addc(&b, markers[k / 16]);
				for (j = 0; j < floor; j++)
					mc_buf_addc(&b, markers[k % 16]);
				mc_buf_adds(&b, "\n");
			}
		}
		switch (rnd() % 5) {
		case 0:
			mc_buf_adds(&b, "plain text line");
			break;
		case 1:
			mc_buf_adds(&b, "--=_");
			break;
		default:
			mc_buf_adds(&b, "--=_");
			m1 = (int)(rnd() % 16);
			m2 = (int)(rnd() % 16);
			mc_buf_addc(&b, rnd() % 2 ? markers[m1] :
			    (char)tolower((unsigned char)markers[m1]));
			k = (int)(rnd() % (unsigned)(maxrun + 1));
			for (j = 0; j < k; j++)
				mc_buf_addc(&b, rnd() % 2 ? markers[m2] :
				    (char)tolower((unsigned char)markers[m2]));
			if (rnd() % 2)
				mc_buf_adds(&b, "." HEX);
			break;
		}
		mc_buf_adds(&b, rnd() % 4 ? "\n" : rnd() % 2 ? "\r\n" : "\r");
	}
	assert_false(b.oom);
	*len = b.len;
	return b.p;
}

/* Does any line of p (ended by LF or CR) start with "--" boundary,
 * compared without case? */
static int
occurs(const char *p, size_t n, const char *boundary)
{
	size_t i = 0, bl = strlen(boundary), j;

	while (i < n) {
		if (n - i >= bl + 2 && p[i] == '-' && p[i + 1] == '-') {
			for (j = 0; j < bl; j++)
				if (tolower((unsigned char)p[i + 2 + j]) !=
				    tolower((unsigned char)boundary[j]))
					break;
			if (j == bl)
				return 1;
		}
		while (i < n && p[i] != '\n' && p[i] != '\r')
			i++;
		i++;
	}
	return 0;
}

/* The pair of a boundary made here, and its k; checks the shape. */
static size_t
shape(const char *out, int *c1, int *c2)
{
	size_t k = 0, hl;

	assert_int_equal(out[0], '=');
	assert_int_equal(out[1], '_');
	assert_non_null(strchr(markers, out[2]));
	assert_non_null(strchr(markers, out[3]));
	*c1 = (int)(strchr(markers, out[2]) - markers);
	*c2 = (int)(strchr(markers, out[3]) - markers);
	while (out[3 + k] == out[3])
		k++;
	assert_int_equal(out[3 + k], '.');
	/* H: the hex, cut only as far as 70 characters need */
	hl = strlen(out + 4 + k);
	assert_true(hl == 24 || 4 + k + hl == MC_BOUNDARY_MAX);
	assert_memory_equal(out + 4 + k, HEX, hl);
	return k;
}

static void
test_proof(void **state)
{
	static const long chunks[] = { 0, 1, 2, 3, 5, -1 };
	struct mc_bound b, whole;
	char out[MC_BOUNDARY_MAX + 1], naive[MC_BOUNDARY_MAX + 1];
	char *text;
	size_t n, c, k;
	int round, c1, c2, i, j;

	(void)state;
	for (round = 0; round < 30; round++) {
		text = hostile(&n, 3 + round, round < 20 ? 0 : 31 + round);
		scan(&whole, text, n, 0);
		/* The test is worth something: the shortest boundary of
		 * every pair does occur. */
		for (c = 0; c < MC_BOUND_MARKERS * MC_BOUND_MARKERS; c++) {
			mc_bound_init(&b);
			memset(b.run, 1, sizeof(b.run));
			b.run[c / 16][c % 16] = 0;
			assert_int_equal(mc_bound_make(&b, uniq, naive), 0);
			assert_true(occurs(text, n, naive));
		}
		for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
			scan(&b, text, n, chunks[c]);
			assert_memory_equal(b.run, whole.run, sizeof(b.run));
			assert_int_equal(mc_bound_make(&b, uniq, out), 0);
			assert_true(strlen(out) <= MC_BOUNDARY_MAX);
			/* the smallest run, and one more of c2 */
			k = shape(out, &c1, &c2);
			assert_int_equal(k, b.run[c1][c2] + 1);
			for (i = 0; i < MC_BOUND_MARKERS; i++)
				for (j = 0; j < MC_BOUND_MARKERS; j++)
					assert_true(b.run[i][j] >=
					    b.run[c1][c2]);
			assert_false(occurs(text, n, out));
		}
		free(text);
	}
}

static void
test_merge_note(void **state)
{
	struct mc_bound a, b;
	char out[MC_BOUNDARY_MAX + 1];
	int i;

	(void)state;
	scan(&a, "--=_QQQ\n--=_RSSSSS\n", 19, 0);
	scan(&b, "--=_QQQQQ\n--=_RSS\n--=_ST\n", 25, 0);
	mc_bound_merge(&a, &b);
	assert_int_equal(a.run[0][0], 4);
	assert_int_equal(a.run[1][2], 5);
	assert_int_equal(a.run[2][3], 1);
	assert_int_equal(nonzero(&a), 3);
	/* b is left as it was */
	assert_int_equal(b.run[1][2], 2);

	/* A child's boundary counts as seen, and the parent's differs. */
	mc_bound_init(&a);
	assert_int_equal(mc_bound_make(&a, uniq, out), 0);
	assert_string_equal(out, "=_QQ." HEX);
	mc_bound_note(&a, out);
	assert_int_equal(a.run[0][0], 1);
	assert_int_equal(nonzero(&a), 1);
	assert_int_equal(mc_bound_make(&a, uniq, out), 0);
	assert_string_equal(out, "=_QR." HEX);
	mc_bound_note(&a, out);
	assert_int_equal(a.run[0][1], 1);
	assert_int_equal(mc_bound_make(&a, uniq, out), 0);
	assert_string_equal(out, "=_QS." HEX);
	/* Once every pair is used, the runs grow. */
	memset(a.run, 1, sizeof(a.run));
	assert_int_equal(mc_bound_make(&a, uniq, out), 0);
	assert_string_equal(out, "=_QQQ." HEX);
	mc_bound_note(&a, out);
	assert_int_equal(a.run[0][0], 2);
	assert_int_equal(mc_bound_make(&a, uniq, out), 0);
	assert_string_equal(out, "=_QRR." HEX);
	/* Noting keeps a scan in the middle of a line going. */
	mc_bound_init(&a);
	mc_bound_step(&a, "--=_TU", 6);
	mc_bound_note(&a, "=_QQQ.x");
	mc_bound_step(&a, "U\n", 2);
	assert_int_equal(a.run[0][0], 2);
	assert_int_equal(a.run[3][4], 2);
	assert_int_equal(nonzero(&a), 2);
	/* A boundary of another format is no marker run. */
	mc_bound_init(&a);
	mc_bound_note(&a, "simple boundary");
	mc_bound_note(&a, "=_Q");
	assert_int_equal(nonzero(&a), 0);
	/* A boundary with H cut to nothing counts in full. */
	memset(out, 'R', sizeof(out));
	memcpy(out, "=_Q", 3);
	memcpy(out + 69, ".", 2);
	mc_bound_note(&a, out);
	assert_int_equal(a.run[0][1], 66);
	for (i = 0; i < MC_BOUND_MARKERS; i++)
		assert_int_equal(a.run[i][i], 0);
}

static void
test_exhausted(void **state)
{
	struct mc_bound b;
	char out[MC_BOUNDARY_MAX + 1];
	int i, c1, c2;

	(void)state;
	mc_bound_init(&b);
	memset(b.run, 66, sizeof(b.run));
	/* "=_" + 1 + 67 + "." = 71 characters even with H empty */
	assert_int_equal(mc_bound_make(&b, uniq, out), -1);
	b.run[9][3] = 65;
	assert_int_equal(mc_bound_make(&b, uniq, out), 0);
	assert_int_equal(strlen(out), MC_BOUNDARY_MAX);
	assert_int_equal(shape(out, &c1, &c2), 66);
	assert_int_equal(c1, 9);
	assert_int_equal(c2, 3);
	assert_int_equal(out[69], '.');
	/* k = 65: one hex digit is left. */
	b.run[12][5] = 64;
	assert_int_equal(mc_bound_make(&b, uniq, out), 0);
	assert_int_equal(strlen(out), MC_BOUNDARY_MAX);
	assert_int_equal(out[68], '.');
	assert_int_equal(out[69], '0');
	/* k = 43: 23 of the 24 digits. */
	b.run[15][15] = 42;
	assert_int_equal(mc_bound_make(&b, uniq, out), 0);
	assert_int_equal(strlen(out), MC_BOUNDARY_MAX);
	assert_int_equal(shape(out, &c1, &c2), 43);
	assert_string_equal(out + 47, "000102030405060708090af");
	/* Ties go to the first pair in row-major order. */
	b.run[3][9] = 42;
	assert_int_equal(mc_bound_make(&b, uniq, out), 0);
	shape(out, &c1, &c2);
	assert_int_equal(c1, 3);
	assert_int_equal(c2, 9);
	/* k = 42 leaves room for all of H. */
	b.run[15][0] = 41;
	assert_int_equal(mc_bound_make(&b, uniq, out), 0);
	assert_int_equal(strlen(out), MC_BOUNDARY_MAX);
	assert_string_equal(out + 46, HEX);
	for (i = 0; i < MC_BOUND_MARKERS; i++)
		memset(b.run[i], 255, sizeof(b.run[i]));
	assert_int_equal(mc_bound_make(&b, uniq, out), -1);
}

/* The end-to-end input (tests/e2e/tools.sh, boundaryish.txt): "--=_" c^n
 * for every bchar c and n 1, 8 and 66.  It uses up the diagonal pairs to
 * 65 and no other. */
static void
test_e2e_lines(void **state)
{
	static const char bchars[] = "0123456789abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=?";
	static const int lens[] = { 1, 8, 66 };
	struct mc_buf t;
	struct mc_bound b;
	char out[MC_BOUNDARY_MAX + 1];
	size_t c;
	int i, j;

	(void)state;
	assert_int_equal(strlen(bchars), 74);
	mc_buf_init(&t);
	for (c = 0; bchars[c] != '\0'; c++)
		for (i = 0; i < 3; i++) {
			mc_buf_adds(&t, "--=_");
			for (j = 0; j < lens[i]; j++)
				mc_buf_addc(&t, bchars[c]);
			mc_buf_addc(&t, '\n');
		}
	mc_buf_adds(&t, "--\n--=_\n--\n");
	assert_false(t.oom);
	scan(&b, t.p, t.len, -1);
	for (i = 0; i < MC_BOUND_MARKERS; i++)
		assert_int_equal(b.run[i][i], 65);
	assert_int_equal(nonzero(&b), MC_BOUND_MARKERS);
	assert_int_equal(mc_bound_make(&b, uniq, out), 0);
	assert_string_equal(out, "=_QR." HEX);
	assert_false(occurs(t.p, t.len, out));
	mc_buf_free(&t);
}

/* mc_bound_any: only lines that a boundary of ours could match count. */
static void
test_any(void **state)
{
	struct mc_bound b;

	(void)state;
	scan(&b, "--=_\n--=_Q\n--=_Q.\n-=_QQ\n x--=_QQ\n", 33, 0);
	assert_false(mc_bound_any(&b));
	scan(&b, "text\n--=_qr\n", 12, 1);
	assert_true(mc_bound_any(&b));
}

/* The text at every alignment, in every chunking, against byte by
 * byte. */
static void
all_ways(const char *p, size_t n)
{
	static const long chunks[] = { 0, 2, 3, 5, 7, 8, 9, 16, 17, -1 };
	struct mc_bound ref, b;
	char *buf = malloc(n + 16);
	size_t a, k;

	assert_non_null(buf);
	scan(&ref, p, n, 1);
	for (a = 0; a < 9; a++) {
		memcpy(buf + a, p, n);
		for (k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
			scan(&b, buf + a, n, chunks[k]);
			if (memcmp(ref.run, b.run, sizeof(b.run)) != 0)
				fail_msg("align %zu, chunk %ld: differs from "
				    "byte by byte", a, chunks[k]);
		}
	}
	free(buf);
}

/*
 * Jumping from line end to line end (LF or CR, memchr) finds what the
 * byte rules find: line ends and delimiter-like lines at every position,
 * every alignment and chunking.
 */
static void
test_fast_paths(void **state)
{
	static const char *special[] = {
		"\n", "\r", "\r\n", "\n\r", "-", "\n-", "\r-",
		"\n--=_QRR.x\n", "\r--=_SSS\r", "\r\n--=_tuu--\n",
		"\n--=_QQQQ", "\n--=_", "\r--=", "\n\n--=_ZY",
	};
	struct mc_buf t;
	size_t pos, i, k;
	char c;

	(void)state;
	for (pos = 0; pos <= 40; pos++)
		for (i = 0; i < sizeof(special) / sizeof(special[0]); i++) {
			mc_buf_init(&t);
			mc_buf_add(&t, "", 0);
			/* the same, three times, with different things
			 * between: nothing, a line, a delimiter-like line */
			for (k = 0; k < 3; k++) {
				for (c = 0; (size_t)c < pos; c++)
					mc_buf_addc(&t, (char)('a' + c % 26));
				mc_buf_adds(&t, special[i]);
				mc_buf_adds(&t, k == 0 ? "" : k == 1 ?
				    "abc\n" : "--=_VW\n");
			}
			assert_false(t.oom);
			all_ways(t.p, t.len);
			mc_buf_free(&t);
		}
}

/* Random texts of the pieces that matter: the same, every way. */
static void
test_fast_random(void **state)
{
	static const char *pieces[] = {
		"\n", "\r", "\r\n", "-", "--", "--=_", "=_", "Q", "R", "s",
		"x", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "\xe4\xb8\xad",
	};
	struct mc_buf t;
	const char *pc;
	size_t i, k;

	(void)state;
	for (i = 0; i < 500; i++) {
		mc_buf_init(&t);
		mc_buf_add(&t, "", 0);
		for (k = rnd() % 200; k > 0; k--) {
			pc = pieces[rnd() % (sizeof(pieces) /
			    sizeof(pieces[0]))];
			mc_buf_adds(&t, pc);
		}
		assert_false(t.oom);
		all_ways(t.p, t.len);
		mc_buf_free(&t);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_any),
		cmocka_unit_test(test_fast_paths),
		cmocka_unit_test(test_fast_random),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_runs),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_proof),
		cmocka_unit_test(test_merge_note),
		cmocka_unit_test(test_exhausted),
		cmocka_unit_test(test_e2e_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
