/* SPDX-License-Identifier: ISC */
/* date.c: RFC 5322 3.3 dates written and normalized (4.3 obsolete forms). */
#include <stdio.h>
#include <time.h>

#include "unit.h"

static void
tz(const char *zone)
{
	setenv("TZ", zone, 1);
	tzset();
}

static void
test_format(void **state)
{
	char out[40];

	(void)state;
	tz("UTC");
	mc_date_format(out, 0, 0);
	assert_string_equal(out, "Thu, 01 Jan 1970 00:00:00 +0000");
	mc_date_format(out, 1795641320, 1);
	assert_string_equal(out, "Wed, 25 Nov 2026 21:15:20 +0000");
	mc_date_format(out, 1795641320, 0);
	assert_string_equal(out, "Wed, 25 Nov 2026 21:15:20 +0000");

	tz("Asia/Shanghai");
	mc_date_format(out, 1795641320, 0);
	assert_string_equal(out, "Thu, 26 Nov 2026 05:15:20 +0800");
	/* utc ignores the zone. */
	mc_date_format(out, 1795641320, 1);
	assert_string_equal(out, "Wed, 25 Nov 2026 21:15:20 +0000");

	tz("America/New_York");
	mc_date_format(out, 1795641320, 0);
	assert_string_equal(out, "Wed, 25 Nov 2026 16:15:20 -0500");
	mc_date_format(out, 1783000000, 0);	/* summer: EDT */
	assert_string_equal(out, "Thu, 02 Jul 2026 09:46:40 -0400");

	tz("Asia/Kolkata");
	mc_date_format(out, 1795641320, 0);
	assert_string_equal(out, "Thu, 26 Nov 2026 02:45:20 +0530");

	/* English names whatever the locale (LC_TIME is not used). */
	tz("UTC");
	mc_date_format(out, 951782400, 0);	/* a leap day */
	assert_string_equal(out, "Tue, 29 Feb 2000 00:00:00 +0000");
}

static const struct {
	const char *in, *out;
} valid[] = {
	{ "Wed, 25 Nov 2026 21:15:20 +0000", "Wed, 25 Nov 2026 21:15:20 +0000" },
	{ "25 Nov 2026 21:15:20 +0000", "Wed, 25 Nov 2026 21:15:20 +0000" },
	{ "Wed, 25 Nov 2026 21:15 +0000", "Wed, 25 Nov 2026 21:15:00 +0000" },
	{ "wed, 25 nov 2026 21:15:20 -0330", "Wed, 25 Nov 2026 21:15:20 -0330" },
	{ "  Thu , 5 Nov 2026 01:02:03 +1400  ",
	  "Thu, 05 Nov 2026 01:02:03 +1400" },
	/* RFC 5322 A.5: comments and white space everywhere. */
	{ "Thu,\t13\t Feb 1969 23:32 -0330 (Newfoundland Time)",
	  "Thu, 13 Feb 1969 23:32:00 -0330" },
	{ "(day) Fri, (date) 21 Nov 1997 (time) 09 : 55 : 06 (zone) -0600",
	  "Fri, 21 Nov 1997 09:55:06 -0600" },
	/* RFC 5322 4.3: two- and three-digit years. */
	{ "21 Nov 97 09:55:06 GMT", "Fri, 21 Nov 1997 09:55:06 +0000" },
	{ "1 Jan 49 00:00:00 +0000", "Fri, 01 Jan 2049 00:00:00 +0000" },
	{ "1 Jan 50 00:00:00 +0000", "Sun, 01 Jan 1950 00:00:00 +0000" },
	{ "1 Jan 100 00:00:00 +0000", "Sat, 01 Jan 2000 00:00:00 +0000" },
	/* Obsolete zones. */
	{ "1 Jul 2003 10:52:37 UT", "Tue, 01 Jul 2003 10:52:37 +0000" },
	{ "1 Jul 2003 10:52:37 EST", "Tue, 01 Jul 2003 10:52:37 -0500" },
	{ "1 Jul 2003 10:52:37 EDT", "Tue, 01 Jul 2003 10:52:37 -0400" },
	{ "1 Jul 2003 10:52:37 CST", "Tue, 01 Jul 2003 10:52:37 -0600" },
	{ "1 Jul 2003 10:52:37 CDT", "Tue, 01 Jul 2003 10:52:37 -0500" },
	{ "1 Jul 2003 10:52:37 MST", "Tue, 01 Jul 2003 10:52:37 -0700" },
	{ "1 Jul 2003 10:52:37 MDT", "Tue, 01 Jul 2003 10:52:37 -0600" },
	{ "1 Jul 2003 10:52:37 PST", "Tue, 01 Jul 2003 10:52:37 -0800" },
	{ "1 Jul 2003 10:52:37 pdt", "Tue, 01 Jul 2003 10:52:37 -0700" },
	{ "1 Jul 2003 10:52:37 Z", "Tue, 01 Jul 2003 10:52:37 -0000" },
	{ "1 Jul 2003 10:52:37 -0000", "Tue, 01 Jul 2003 10:52:37 -0000" },
	/* Leap years. */
	{ "29 Feb 2000 12:00:00 +0000", "Tue, 29 Feb 2000 12:00:00 +0000" },
	{ "29 Feb 2024 12:00:00 +0000", "Thu, 29 Feb 2024 12:00:00 +0000" },
	{ "Tue, 29 Feb 2028 12:00:00 +0000", "Tue, 29 Feb 2028 12:00:00 +0000" },
	{ "31 Dec 9999 23:59:59 +9959", "Fri, 31 Dec 9999 23:59:59 +9959" },
	{ "1 Jan 1900 00:00:00 +0000", "Mon, 01 Jan 1900 00:00:00 +0000" },
};

static void
test_normalize(void **state)
{
	char out[40];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		if (mc_date_normalize(out, valid[i].in, 0) != 0)
			fprintf(stderr, "rejected: %s\n", valid[i].in);
		assert_int_equal(mc_date_normalize(out, valid[i].in, 0), 0);
		assert_string_equal(out, valid[i].out);
	}
}

static const char *const invalid[] = {
	"",
	"   ",
	"yesterday",
	"Wed, 25 Nov 2026",
	"Wed 25 Nov 2026 21:15:20 +0000",	/* no comma */
	"Wen, 25 Nov 2026 21:15:20 +0000",
	"Thu, 25 Nov 2026 21:15:20 +0000",	/* the 25th is a Wednesday */
	"Wed, 5 Nov 2026 01:02:03 +1400",
	"Sat, 29 Feb 2028 12:00:00 +0000",
	"25 Nov 2026 21:15:20",			/* no zone */
	"25 Nov 2026 21:15:20 +000",
	"25 Nov 2026 21:15:20 +00000",
	"25 Nov 2026 21:15:20 +0060",
	"25 Nov 2026 21:15:20 0000",
	"25 Nov 2026 21:15:20 XYZ",
	"25 Nov 2026 21:15:20 J",
	"25 Nov 2026 21:15:20+0000",
	"25 Nov 2026 24:00:00 +0000",
	"25 Nov 2026 23:60:00 +0000",
	"25 Nov 2026 23:59:60 +0000",
	"25 Nov 2026 1:05:00 +0000",
	"25 November 2026 21:15:20 +0000",
	"25 Nox 2026 21:15:20 +0000",
	"25Nov 2026 21:15:20 +0000",
	"0 Nov 2026 21:15:20 +0000",
	"31 Nov 2026 21:15:20 +0000",
	"32 Dec 2026 21:15:20 +0000",
	"123 Dec 2026 21:15:20 +0000",
	"29 Feb 1900 12:00:00 +0000",		/* 1900 is not leap */
	"29 Feb 2023 12:00:00 +0000",
	"1 Jan 1899 00:00:00 +0000",
	"1 Jan 10000 00:00:00 +0000",
	"1 Jan 7 00:00:00 +0000",
	"25 Nov 2026 21:15:20 +0000 trailing",
	"25 Nov 2026 21:15:20 +0000 (open",
	"25 Nov 2026 21:15:20 +0000 ((((((((((((((((((((x))))))))))))))))))))",
	"@",
	"@-1",
	"@+5",
	"@12x",
	"@ 12",
	"@253402300800",
	"@99999999999999999999999999",
};

static void
test_invalid(void **state)
{
	char out[40];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		if (mc_date_normalize(out, invalid[i], 0) != -1)
			fprintf(stderr, "accepted: %s\n", invalid[i]);
		assert_int_equal(mc_date_normalize(out, invalid[i], 0), -1);
	}
}

static void
test_epoch(void **state)
{
	char out[40];

	(void)state;
	tz("Asia/Shanghai");
	assert_int_equal(mc_date_normalize(out, "@1795641320", 1), 0);
	assert_string_equal(out, "Wed, 25 Nov 2026 21:15:20 +0000");
	assert_int_equal(mc_date_normalize(out, "@1795641320", 0), 0);
	assert_string_equal(out, "Thu, 26 Nov 2026 05:15:20 +0800");
	assert_int_equal(mc_date_normalize(out, "@0", 1), 0);
	assert_string_equal(out, "Thu, 01 Jan 1970 00:00:00 +0000");
	assert_int_equal(mc_date_normalize(out, "@000000000042", 1), 0);
	assert_string_equal(out, "Thu, 01 Jan 1970 00:00:42 +0000");
	/* The last instant whose year is four digits in every zone. */
	assert_int_equal(mc_date_normalize(out, "@253402214400", 1), 0);
	assert_string_equal(out, "Fri, 31 Dec 9999 00:00:00 +0000");
	assert_int_equal(mc_date_normalize(out, "@253402214401", 1), -1);
	tz("UTC");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_epoch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
