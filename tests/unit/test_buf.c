/* SPDX-License-Identifier: ISC */
/* Unit tests for buf.c: growable, NUL-terminated byte strings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

static void
appends(void **state)
{
	struct mc_buf b;
	size_t i;

	mc_buf_init(&b);
	assert_null(b.p);
	assert_int_equal(b.len, 0);
	mc_buf_add(&b, "", 0);
	assert_non_null(b.p);
	assert_string_equal(b.p, "");
	mc_buf_adds(&b, "ab");
	mc_buf_addc(&b, 'c');
	mc_buf_add(&b, "d\0e", 3);
	assert_int_equal(b.len, 6);
	assert_memory_equal(b.p, "abcd\0e", 7);	/* NUL-terminated */
	mc_buf_printf(&b, "%d-%s", 42, "x");
	assert_int_equal(b.len, 10);
	assert_memory_equal(b.p + 6, "42-x", 5);
	assert_false(b.oom);
	/* Growth keeps the content. */
	for (i = 0; i < 100000; i++)
		mc_buf_addc(&b, (char)('a' + i % 26));
	assert_int_equal(b.len, 100010);
	assert_true(b.cap > b.len);
	assert_int_equal(b.p[b.len], '\0');
	for (i = 0; i < 100000; i++)
		assert_int_equal(b.p[10 + i], (char)('a' + i % 26));
	mc_buf_free(&b);
	assert_null(b.p);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	mc_buf_free(&b);
}

static void
printf_long(void **state)
{
	struct mc_buf b;
	char big[5000];

	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	mc_buf_init(&b);
	mc_buf_adds(&b, "<");
	mc_buf_printf(&b, "%s>%s", big, big);
	assert_int_equal(b.len, 1 + 2 * 4999 + 1);
	assert_int_equal(b.p[5000], '>');
	assert_int_equal(b.p[b.len], '\0');
	mc_buf_printf(&b, "%s", "");
	assert_int_equal(b.len, 1 + 2 * 4999 + 1);
	mc_buf_free(&b);
}

static void
strdup_copies(void **state)
{
	char s[] = "hello";
	char *p;

	assert_null(mc_strdup(NULL));
	assert_non_null(p = mc_strdup(s));
	assert_ptr_not_equal(p, s);
	s[0] = 'j';
	assert_string_equal(p, "hello");
	free(p);
	assert_non_null(p = mc_strdup(""));
	assert_string_equal(p, "");
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(appends),
		cmocka_unit_test(printf_long),
		cmocka_unit_test(strdup_copies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
