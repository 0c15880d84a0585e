/* SPDX-License-Identifier: ISC */
/* dkim.c: RFC 6376 3.4 canonicalization, header splitting and selection. */
#include <stdio.h>

#include "unit.h"

static void
collect(void *arg, const void *p, size_t n)
{
	mc_buf_add(arg, p, n);
}

/* The canonical body of s[0..n), fed in pieces of step bytes (0: all). */
static void
body(struct mc_buf *out, const char *s, size_t n, int relaxed, size_t step)
{
	static struct mc_dkim_body st;
	size_t i, k;

	mc_buf_init(out);
	mc_dkim_body_init(&st, relaxed, collect, out);
	for (i = 0; i < n; i += k) {
		k = step == 0 || n - i < step ? n - i : step;
		mc_dkim_body_step(&st, s + i, k);
	}
	mc_dkim_body_finish(&st);
	mc_buf_addc(out, '\0');
	out->len--;
	assert_int_equal(st.total, out->len);
}

static void
body_is(const char *in, int relaxed, const char *want)
{
	struct mc_buf b;
	size_t step;

	for (step = 0; step < 4; step++) {
		body(&b, in, strlen(in), relaxed, step);
		assert_string_equal(b.p, want);
		mc_buf_free(&b);
	}
}

static const char *
header(struct mc_buf *b, const char *f, int relaxed)
{
	mc_buf_init(b);
	mc_dkim_canon_header(b, f, strlen(f), relaxed, 1);
	return b->p;
}

/* RFC 6376 3.4.5, the example, in its CRLF form and its LF form. */
static void
test_rfc6376_example(void **state)
{
	struct mc_buf b;

	(void)state;
	assert_string_equal(header(&b, "A: X", 1), "a:X\r\n");
	mc_buf_free(&b);
	assert_string_equal(header(&b, "B : Y\t\r\n\tZ  ", 1), "b:Y Z\r\n");
	mc_buf_free(&b);
	assert_string_equal(header(&b, "B : Y\t\n\tZ  ", 1), "b:Y Z\r\n");
	mc_buf_free(&b);
	assert_string_equal(header(&b, "B : Y\t\n\tZ  ", 0),
	    "B : Y\t\r\n\tZ  \r\n");
	mc_buf_free(&b);
	assert_string_equal(header(&b, "B : Y\t\r\n\tZ  ", 0),
	    "B : Y\t\r\n\tZ  \r\n");
	mc_buf_free(&b);
	body_is(" C \r\nD \t E\r\n\r\n\r\n", 1, " C\r\nD E\r\n");
	body_is(" C \nD \t E\n\n\n", 1, " C\r\nD E\r\n");
	body_is(" C \r\nD \t E\r\n\r\n\r\n", 0, " C \r\nD \t E\r\n");
	body_is(" C \nD \t E\n\n\n", 0, " C \r\nD \t E\r\n");
}

/* 3.4.3, 3.4.4: empty bodies, a last line without its end, empty lines
 * inside kept, bare CR as data, white space lines. */
static void
test_body_edges(void **state)
{
	(void)state;
	body_is("", 0, "\r\n");
	body_is("", 1, "");
	body_is("\n\n\r\n", 0, "\r\n");
	body_is("\n\n\r\n", 1, "");
	body_is("a", 0, "a\r\n");
	body_is("a", 1, "a\r\n");
	body_is("a\n\n\nb\n\n", 0, "a\r\n\r\n\r\nb\r\n");
	body_is("a\n \t\nb\n  \n\t\n", 1, "a\r\n\r\nb\r\n");
	body_is("a\n \t\nb\n  \n\t\n", 0, "a\r\n \t\r\nb\r\n  \r\n\t\r\n");
	body_is("a\rb\r\r\n", 0, "a\rb\r\r\n");
	body_is("a \rb \r \r\n", 1, "a \rb \r\r\n");
	body_is("x\r", 0, "x\r\r\n");
	body_is("\t lead  and  tail \t\n", 1, " lead and tail\r\n");
	body_is("trail  ", 1, "trail\r\n");
}

/* A byte at a time, in odd pieces, scalar or AVX2: the same bytes. */
static void
test_pieces_and_ways(void **state)
{
	static const char alphabet[] = "ab  \t\t\r\n\n x";
	struct mc_buf want, got;
	uint64_t seed = 0x5eed;
	char s[3000];
	size_t i, step, round;
	int relaxed;

	(void)state;
	for (round = 0; round < 200; round++) {
		for (i = 0; i < sizeof(s); i++)
			s[i] = round % 2 == 0 && unit_xorshift(&seed) % 4 ?
			    'a' : alphabet[unit_xorshift(&seed) %
			    (sizeof(alphabet) - 1)];
		for (relaxed = 0; relaxed < 2; relaxed++) {
			assert_int_equal(mc_dkim_force("scalar"), 0);
			body(&want, s, sizeof(s), relaxed, 1);
			mc_dkim_force(NULL);
			for (step = 0; step < 70; step += 7) {
				body(&got, s, sizeof(s), relaxed, step);
				assert_int_equal(got.len, want.len);
				assert_memory_equal(got.p, want.p, want.len);
				mc_buf_free(&got);
			}
			if (mc_dkim_force("avx2") == 0) {
				body(&got, s, sizeof(s), relaxed, 0);
				assert_memory_equal(got.p, want.p, want.len);
				mc_buf_free(&got);
			}
			mc_dkim_force(NULL);
			mc_buf_free(&want);
		}
	}
	assert_int_equal(mc_dkim_force("neon"), -1);
}

static void
split_fails(const char *block, const char *why)
{
	struct mc_dkim_field v[4];
	struct mc_error err;
	size_t nv;

	assert_int_equal(mc_dkim_split(block, strlen(block), v, 4, &nv, "msg",
	    &err), MC_EDATA);
	assert_string_equal(err.what, "msg");
	assert_non_null(strstr(err.detail, why));
}

static void
test_split(void **state)
{
	static const char block[] = "From: a@b\r\nSubject: x\r\n y\r\n"
	    "X-Obs : z\n";
	struct mc_dkim_field v[4];
	struct mc_error err;
	size_t nv;

	(void)state;
	assert_int_equal(mc_dkim_split(block, strlen(block), v, 4, &nv, "m",
	    &err), MC_OK);
	assert_int_equal(nv, 3);
	assert_int_equal(v[0].namelen, 4);
	assert_int_equal(v[0].len, 9);
	assert_int_equal(v[1].len, strlen("Subject: x\r\n y"));
	assert_int_equal(v[2].namelen, 5);
	assert_int_equal(v[2].len, strlen("X-Obs : z"));
	split_fails(" cont\nFrom: a\n", "a continuation before any field");
	split_fails("From: a\nno colon\n", "line 2");
	split_fails("From: a\n: x\n", "no field name");
	split_fails("Fr om: a\n", "no field name");
	split_fails("From: a\rb\n", "a bare CR in line 1");
	split_fails("From: a\nX: \001\n", "a control character in line 2");
	split_fails("A: 1\nB: 2\nC: 3\nD: 4\nE: 5\n", "more than 4");
}

/* 5.4.2: instances from the bottom up; a name listed once more than it
 * occurs adds nothing; h= names match without case. */
static void
test_header_input(void **state)
{
	static const char block[] = "From: a@b\nTo: one\nto: two\nSubject: s\n";
	static const char sig[] = "DKIM-Signature: v=1; h=from:To : to:TO:"
	    "from;\n b=";
	struct mc_dkim_field v[8];
	struct mc_error err;
	struct mc_buf b;
	size_t nv;

	(void)state;
	assert_int_equal(mc_dkim_split(block, strlen(block), v, 8, &nv, "m",
	    &err), MC_OK);
	mc_buf_init(&b);
	mc_dkim_header_input(&b, v, nv, "from:To : to:TO:from", sig,
	    strlen(sig), 1);
	assert_string_equal(b.p, "from:a@b\r\nto:two\r\nto:one\r\n"
	    "dkim-signature:v=1; h=from:To : to:TO:from; b=");
	b.len = 0;
	mc_dkim_header_input(&b, v, nv, "subject", sig, strlen(sig), 0);
	assert_string_equal(b.p, "Subject: s\r\nDKIM-Signature: v=1; "
	    "h=from:To : to:TO:from;\r\n b=");
	mc_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc6376_example),
		cmocka_unit_test(test_body_edges),
		cmocka_unit_test(test_pieces_and_ways),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_header_input),
	};

	return cmocka_run_group_tests_name("dkim", tests, NULL, NULL);
}
