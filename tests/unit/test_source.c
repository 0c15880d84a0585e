/* SPDX-License-Identifier: ISC */
/* Unit tests for source.c: the epoch source and SOURCE_DATE_EPOCH. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "unit.h"

static void
draw(const struct mc_source *src, unsigned char *buf, size_t n)
{
	assert_int_equal(mc_source_bytes(src, buf, n), 0);
}

/* Deterministic: a fixed function of the epoch and of the draws so far. */
static void
epoch_deterministic(void **state)
{
	struct mc_epoch_state s1, s2, s3;
	struct mc_source a, b, c;
	unsigned char x1[16], x2[16], y1[16], y2[16], z[16], zero[16];

	mc_source_epoch(&a, &s1, 1700000000);
	mc_source_epoch(&b, &s2, 1700000000);
	mc_source_epoch(&c, &s3, 1700000001);
	assert_int_equal(mc_source_now(&a), 1700000000);
	assert_int_equal(mc_source_now(&c), 1700000001);
	assert_int_equal(mc_source_utc(&a), 1);
	draw(&a, x1, 16);
	draw(&a, x2, 16);
	draw(&b, y1, 16);
	draw(&b, y2, 16);
	draw(&c, z, 16);
	/* Same epoch, same draws: same bytes. */
	assert_memory_equal(x1, y1, 16);
	assert_memory_equal(x2, y2, 16);
	/* The second draw differs from the first; another epoch differs. */
	assert_memory_not_equal(x1, x2, 16);
	assert_memory_not_equal(x1, z, 16);
	memset(zero, 0, sizeof(zero));
	assert_memory_not_equal(x1, zero, 16);
	/* Starting over gives the first bytes again. */
	mc_source_epoch(&a, &s1, 1700000000);
	draw(&a, y1, 16);
	assert_memory_equal(x1, y1, 16);
	/* Time does not move under it. */
	assert_int_equal(mc_source_now(&a), 1700000000);
	/* Epoch 0 is an epoch too. */
	mc_source_epoch(&c, &s3, 0);
	assert_int_equal(mc_source_now(&c), 0);
	draw(&c, z, 16);
	assert_memory_not_equal(z, zero, 16);
}

/* Bytes from a long draw look spread out, not repeated in blocks. */
static void
epoch_bytes_vary(void **state)
{
	struct mc_epoch_state st;
	struct mc_source src;
	unsigned char buf[4096];
	int seen[256], distinct = 0;
	size_t i;

	mc_source_epoch(&src, &st, 42);
	draw(&src, buf, sizeof(buf));
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < sizeof(buf); i++)
		seen[buf[i]] = 1;
	for (i = 0; i < 256; i++)
		distinct += seen[i];
	assert_true(distinct > 200);
	for (i = 8; i < sizeof(buf); i += 8)
		assert_memory_not_equal(buf + i - 8, buf + i, 8);
}

static void
system_source(void **state)
{
	unsigned char a[16], b[16];
	time_t now = time(NULL), t;

	assert_int_equal(mc_source_bytes(NULL, a, 16), 0);
	assert_int_equal(mc_source_bytes(NULL, b, 16), 0);
	assert_memory_not_equal(a, b, 16);
	t = mc_source_now(NULL);
	assert_true(t >= now && t <= now + 5);
	assert_int_equal(mc_source_utc(NULL), 0);
}

static enum mc_err
from_env(const char *value, struct mc_source *src, struct mc_epoch_state *st,
    struct mc_error *err)
{
	if (value == NULL)
		unsetenv("SOURCE_DATE_EPOCH");
	else
		setenv("SOURCE_DATE_EPOCH", value, 1);
	memset(err, 0, sizeof(*err));
	memset(src, 0, sizeof(*src));
	return mc_source_from_env(src, st, err);
}

static void
source_date_epoch(void **state)
{
	static const struct {
		const char *v;
		time_t t;
	} ok[] = {
		{ "0", 0 }, { "1", 1 }, { "1700000000", 1700000000 },
		{ "253402300799", (time_t)253402300799LL },
	};
	static const char *const bad[] = {
		"abc", "-1", "12x", "x12", " 12", "12 ", "+12", "1.5", "0x10",
		"99999999999999999999", "9223372036854775807",
		"18446744073709551616",
	};
	struct mc_epoch_state st;
	struct mc_source src;
	struct mc_error err;
	unsigned char a[16], b[16];
	time_t now = time(NULL);
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(from_env(ok[i].v, &src, &st, &err), MC_OK);
		assert_int_equal(mc_source_now(&src), ok[i].t);
		assert_int_equal(mc_source_utc(&src), 1);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (from_env(bad[i], &src, &st, &err) != MC_EUSAGE) {
			print_error("SOURCE_DATE_EPOCH=\"%s\" taken\n", bad[i]);
			fail();
		}
		assert_int_equal(err.code, MC_EUSAGE);
		assert_string_equal(err.what, "SOURCE_DATE_EPOCH");
		assert_non_null(strstr(err.detail, bad[i]));
	}
	/* The epoch source it gives is the same as mc_source_epoch's. */
	assert_int_equal(from_env("1700000000", &src, &st, &err), MC_OK);
	draw(&src, a, 16);
	{
		struct mc_epoch_state s2;
		struct mc_source e;

		mc_source_epoch(&e, &s2, 1700000000);
		draw(&e, b, 16);
	}
	assert_memory_equal(a, b, 16);

	/* Unset or empty: the system source. */
	assert_int_equal(from_env(NULL, &src, &st, &err), MC_OK);
	assert_int_equal(mc_source_utc(&src), 0);
	assert_true(mc_source_now(&src) >= now);
	draw(&src, a, 16);
	draw(&src, b, 16);
	assert_memory_not_equal(a, b, 16);
	assert_int_equal(from_env("", &src, &st, &err), MC_OK);
	assert_int_equal(mc_source_utc(&src), 0);
	assert_true(mc_source_now(&src) >= now);
	unsetenv("SOURCE_DATE_EPOCH");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(epoch_deterministic),
		cmocka_unit_test(epoch_bytes_vary),
		cmocka_unit_test(system_source),
		cmocka_unit_test(source_date_epoch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
