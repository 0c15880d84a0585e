/* SPDX-License-Identifier: ISC */
/* Unit tests for out.c: buffered output, LF and CRLF, sticky failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

/* A sink that records every call. */
struct rec {
	struct mc_buf b;
	size_t calls;
	size_t sizes[4096];
	size_t fail_call;	/* fail this call (1-based); 0: never */
};

static int
rec_write(void *arg, const void *p, size_t n)
{
	struct rec *r = arg;

	r->calls++;
	if (r->fail_call != 0 && r->calls >= r->fail_call)
		return 28;
	if (r->calls <= 4096)
		r->sizes[r->calls - 1] = n;
	mc_buf_add(&r->b, p, n);
	return 0;
}

static struct mc_out *
out_new(struct rec *r, int crlf)
{
	struct mc_out *o;

	memset(r, 0, sizeof(*r));
	mc_buf_init(&r->b);
	mc_buf_add(&r->b, "", 0);
	assert_non_null(o = malloc(sizeof(*o)));
	mc_out_init(o, rec_write, r, crlf);
	return o;
}

/* Small writes are coalesced into calls of MC_OUT_BUF bytes. */
static void
coalesced(void **state)
{
	struct rec r;
	struct mc_out *o = out_new(&r, 0);
	char piece[100];
	size_t i, total = 0;

	for (i = 0; i < sizeof(piece); i++)
		piece[i] = (char)('a' + i % 26);
	for (i = 0; i < 20000; i++) {
		assert_int_equal(mc_out_write(o, piece, 1 + i % 100), 0);
		total += 1 + i % 100;
	}
	assert_int_equal(mc_out_flush(o), 0);
	assert_int_equal(r.b.len, total);
	assert_int_equal(r.calls, (total + MC_OUT_BUF - 1) / MC_OUT_BUF);
	for (i = 0; i + 1 < r.calls; i++)
		assert_true(r.sizes[i] >= 64 * 1024);
	/* The bytes, in order. */
	for (i = 0, total = 0; i < 20000; i++) {
		assert_memory_equal(r.b.p + total, piece, 1 + i % 100);
		total += 1 + i % 100;
	}
	/* Nothing written before the buffer fills or a flush. */
	mc_buf_free(&r.b);
	free(o);
	o = out_new(&r, 0);
	assert_int_equal(mc_out_puts(o, "hello"), 0);
	assert_int_equal(r.calls, 0);
	assert_int_equal(mc_out_flush(o), 0);
	assert_int_equal(r.calls, 1);
	assert_string_equal(r.b.p, "hello");
	/* An empty flush writes nothing. */
	assert_int_equal(mc_out_flush(o), 0);
	assert_int_equal(r.calls, 1);
	mc_buf_free(&r.b);
	free(o);
}

/* Large writes: no small calls, the bytes intact. */
static void
large_writes(void **state)
{
	struct rec r;
	struct mc_out *o = out_new(&r, 0);
	size_t n = 1000000, i;
	char *big;

	assert_non_null(big = malloc(n));
	for (i = 0; i < n; i++)
		big[i] = (char)(i * 7);
	assert_int_equal(mc_out_write(o, "x", 1), 0);
	assert_int_equal(mc_out_write(o, big, n), 0);
	assert_int_equal(mc_out_write(o, big, n), 0);
	assert_int_equal(mc_out_flush(o), 0);
	assert_int_equal(r.b.len, 2 * n + 1);
	assert_int_equal(r.b.p[0], 'x');
	assert_memory_equal(r.b.p + 1, big, n);
	assert_memory_equal(r.b.p + 1 + n, big, n);
	for (i = 0; i + 1 < r.calls; i++)
		assert_true(r.sizes[i] >= 64 * 1024);
	free(big);
	mc_buf_free(&r.b);
	free(o);
}

static void
line_ends(void **state)
{
	struct rec r;
	struct mc_out *o;

	o = out_new(&r, 0);
	assert_int_equal(mc_out_puts(o, "a"), 0);
	assert_int_equal(mc_out_eol(o), 0);
	assert_int_equal(mc_out_text(o, "b\nc\r\nd\re\n\n", 10), 0);
	assert_int_equal(mc_out_text(o, "tail", 4), 0);
	assert_int_equal(mc_out_text(o, "", 0), 0);
	assert_int_equal(mc_out_flush(o), 0);
	assert_string_equal(r.b.p, "a\nb\nc\nd\re\n\ntail");
	mc_buf_free(&r.b);
	free(o);

	o = out_new(&r, 1);
	assert_int_equal(mc_out_puts(o, "a"), 0);
	assert_int_equal(mc_out_eol(o), 0);
	assert_int_equal(mc_out_text(o, "b\nc\r\nd\re\n\n", 10), 0);
	assert_int_equal(mc_out_text(o, "\r\n", 2), 0);
	assert_int_equal(mc_out_flush(o), 0);
	assert_string_equal(r.b.p, "a\r\nb\r\nc\r\nd\re\r\n\r\n\r\n");
	mc_buf_free(&r.b);
	free(o);
}

/* Encoders writing into the buffer. */
static void
reserve_commit(void **state)
{
	struct rec r;
	struct mc_out *o = out_new(&r, 0);
	unsigned char *p;
	size_t room;

	assert_non_null(p = mc_out_reserve(o, 10, &room));
	assert_int_equal(room, MC_OUT_BUF);
	memcpy(p, "abc", 3);
	mc_out_commit(o, 3);
	assert_int_equal(mc_out_write(o, "d", 1), 0);
	assert_non_null(p = mc_out_reserve(o, 10, &room));
	assert_int_equal(room, MC_OUT_BUF - 4);
	/* Less room than asked for: flushed first. */
	mc_out_commit(o, room - 5);
	memset(p, 'z', room - 5);
	assert_int_equal(r.calls, 0);
	assert_non_null(p = mc_out_reserve(o, 10, &room));
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.b.len, MC_OUT_BUF - 5);
	assert_memory_equal(r.b.p, "abcdzz", 6);
	assert_int_equal(room, MC_OUT_BUF);
	mc_buf_free(&r.b);
	free(o);
}

/* After the first failed write every call fails and nothing is written. */
static void
sticky_failure(void **state)
{
	struct rec r;
	struct mc_out *o;
	size_t room;
	char big[MC_OUT_BUF + 10];

	memset(big, 'b', sizeof(big));
	o = out_new(&r, 0);
	r.fail_call = 1;
	assert_int_equal(mc_out_write(o, "abc", 3), 0);	/* buffered */
	assert_int_equal(mc_out_flush(o), -1);
	assert_int_equal(o->failed, 1);
	assert_int_equal(o->sys, 28);
	assert_int_equal(r.calls, 1);
	assert_int_equal(mc_out_write(o, "x", 1), -1);
	assert_int_equal(mc_out_puts(o, "x"), -1);
	assert_int_equal(mc_out_eol(o), -1);
	assert_int_equal(mc_out_text(o, "a\nb", 3), -1);
	assert_int_equal(mc_out_text(o, "", 0), -1);
	assert_int_equal(mc_out_write(o, big, sizeof(big)), -1);
	assert_int_equal(mc_out_flush(o), -1);
	assert_null(mc_out_reserve(o, 1, &room));
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.b.len, 0);
	mc_buf_free(&r.b);
	free(o);

	/* A failure in the middle of a large write. */
	o = out_new(&r, 1);
	r.fail_call = 2;
	assert_int_equal(mc_out_write(o, big, sizeof(big)), 0);
	assert_int_equal(r.calls, 1);
	assert_int_equal(mc_out_write(o, big, sizeof(big)), -1);
	assert_int_equal(o->sys, 28);
	assert_int_equal(mc_out_eol(o), -1);
	assert_int_equal(r.calls, 2);
	mc_buf_free(&r.b);
	free(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(coalesced),
		cmocka_unit_test(large_writes),
		cmocka_unit_test(line_ends),
		cmocka_unit_test(reserve_commit),
		cmocka_unit_test(sticky_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
