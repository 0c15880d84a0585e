/* SPDX-License-Identifier: ISC */
/* Unit tests for error.c: codes, phrases and details. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"

static void
phrases(void **state)
{
	enum mc_err c, d;

	for (c = MC_OK; c <= MC_EUNAVAIL; c++) {
		assert_non_null(mc_strerror(c));
		assert_true(strlen(mc_strerror(c)) > 0);
		assert_string_not_equal(mc_strerror(c), "unknown error");
		for (d = MC_OK; d < c; d++)
			assert_string_not_equal(mc_strerror(c),
			    mc_strerror(d));
	}
	assert_string_equal(mc_strerror((enum mc_err)99), "unknown error");
}

static void
fail_fills(void **state)
{
	struct mc_error err;
	char what[400];

	memset(&err, 0x55, sizeof(err));
	assert_int_equal(mc_fail(&err, MC_EDATA, 0, "body.txt",
	    "invalid UTF-8 at byte %d", 12), MC_EDATA);
	assert_int_equal(err.code, MC_EDATA);
	assert_int_equal(err.sys, 0);
	assert_string_equal(err.what, "body.txt");
	assert_string_equal(err.detail, "invalid UTF-8 at byte 12");
	assert_string_equal(mc_error_reason(&err), "invalid UTF-8 at byte 12");

	/* No detail: the errno's text, else the code's phrase. */
	assert_int_equal(mc_fail(&err, MC_ENOINPUT, ENOENT, "x", NULL),
	    MC_ENOINPUT);
	assert_string_equal(err.detail, "");
	assert_int_equal(err.sys, ENOENT);
	assert_string_equal(mc_error_reason(&err), strerror(ENOENT));
	assert_int_equal(mc_fail(&err, MC_EUSAGE, 0, NULL, NULL), MC_EUSAGE);
	assert_string_equal(err.what, "");
	assert_string_equal(mc_error_reason(&err), mc_strerror(MC_EUSAGE));

	/* Long strings are cut, still terminated. */
	memset(what, 'w', sizeof(what) - 1);
	what[sizeof(what) - 1] = '\0';
	mc_fail(&err, MC_EIO, 0, what, "%s", what);
	assert_int_equal(strlen(err.what), sizeof(err.what) - 1);
	assert_int_equal(strlen(err.detail), sizeof(err.detail) - 1);

	/* err may be NULL. */
	assert_int_equal(mc_fail(NULL, MC_EIO, 5, "x", "y"), MC_EIO);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(phrases),
		cmocka_unit_test(fail_fills),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
