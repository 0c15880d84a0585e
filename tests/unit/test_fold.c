/* SPDX-License-Identifier: ISC */
/* fold.c: header folding at 78 columns, 76 with encoded-words. */
#include <stdio.h>

#include "unit.h"

static void
tok(struct mc_fold *f, const char *s, int space, int ew)
{
	mc_fold_token(f, s, strlen(s), space, ew);
}

/* Longest line of a field; fails on a line of white space alone. */
static size_t
longest(const char *s, size_t *ewline)
{
	size_t max = 0, n;
	const char *nl;
	int blank;

	*ewline = 0;
	while (*s != '\0') {
		nl = strchr(s, '\n');
		assert_non_null(nl);
		n = (size_t)(nl - s);
		blank = strspn(s, " \t") == n;
		assert_false(blank);
		if (n > max)
			max = n;
		if (memchr(s, '?', n) != NULL && n > *ewline)
			*ewline = n;
		s = nl + 1;
	}
	return max;
}

static void
test_first_token(void **state)
{
	struct mc_buf b;
	struct mc_fold f;
	char big[200];

	(void)state;
	mc_buf_init(&b);
	mc_fold_begin(&f, &b, "Subject");
	tok(&f, "Hello", 0, 0);		/* one space even when space is 0 */
	tok(&f, "world", 1, 0);
	mc_fold_end(&f);
	assert_string_equal(b.p, "Subject: Hello world\n");

	/* A token too long for the line still stays after the name. */
	b.len = 0;
	memset(big, 'x', 100);
	big[100] = '\0';
	mc_fold_begin(&f, &b, "X");
	tok(&f, big, 1, 0);
	tok(&f, "y", 1, 0);
	mc_fold_end(&f);
	assert_int_equal(b.len, 3 + 100 + 3 + 1);
	assert_memory_equal(b.p, "X: x", 4);
	assert_string_equal(b.p + 103, "\n y\n");
	mc_buf_free(&b);
}

static void
test_fold_at_78(void **state)
{
	struct mc_buf b;
	struct mc_fold f;
	char a[80];

	(void)state;
	mc_buf_init(&b);
	/* "Subject: " + 68 = 77, then " z" makes 79: folds. */
	memset(a, 'a', 68);
	a[68] = '\0';
	mc_fold_begin(&f, &b, "Subject");
	tok(&f, a, 1, 0);
	tok(&f, "z", 1, 0);
	mc_fold_end(&f);
	assert_int_equal(strchr(b.p, '\n') - b.p, 77);
	assert_string_equal(b.p + 77, "\n z\n");

	/* 67 + " z" is exactly 78: stays. */
	b.len = 0;
	a[67] = '\0';
	mc_fold_begin(&f, &b, "Subject");
	tok(&f, a, 1, 0);
	tok(&f, "z", 1, 0);
	mc_fold_end(&f);
	assert_int_equal(strchr(b.p, '\n') - b.p, 78);

	/* The same with an encoded-word on the line: 76 is the limit. */
	b.len = 0;
	a[65] = '\0';
	mc_fold_begin(&f, &b, "Subject");
	tok(&f, a, 1, 0);
	tok(&f, "=?utf-8?Q?z?=", 1, 1);
	mc_fold_end(&f);
	assert_string_equal(b.p + 74, "\n =?utf-8?Q?z?=\n");

	/* And a plain token after an encoded-word on the line. */
	b.len = 0;
	mc_fold_begin(&f, &b, "Subject");
	tok(&f, "=?utf-8?Q?z?=", 1, 1);
	a[50] = '\0';
	tok(&f, a, 1, 0);		/* 9 + 13 + 1 + 50 = 73 */
	tok(&f, "bcd", 1, 0);		/* 77 > 76: folds */
	tok(&f, "e", 1, 0);
	mc_fold_end(&f);
	assert_non_null(strstr(b.p, "\n bcd e\n"));
	mc_buf_free(&b);
}

static void
test_space0_and_refold(void **state)
{
	struct mc_buf b;
	struct mc_fold f;
	char a[80];

	(void)state;
	mc_buf_init(&b);
	mc_fold_begin(&f, &b, "To");
	tok(&f, "a", 1, 0);
	tok(&f, ",", 0, 0);
	tok(&f, "b", 1, 0);
	mc_fold_end(&f);
	assert_string_equal(b.p, "To: a, b\n");

	/* "To: " + 60 + " " + 13 = 78; the comma would make 79, so the
	 * last token moves to a line of its own, with its comma. */
	b.len = 0;
	memset(a, 'a', 60);
	a[60] = '\0';
	mc_fold_begin(&f, &b, "To");
	tok(&f, a, 1, 0);
	tok(&f, "<b@example.o>", 1, 0);
	tok(&f, ",", 0, 0);
	tok(&f, "c", 1, 0);
	mc_fold_end(&f);
	assert_string_equal(b.p + 3 + 1 + 60, "\n <b@example.o>, c\n");

	/* With an encoded-word, the line it moves to is an ew line. */
	b.len = 0;
	a[56] = '\0';
	mc_fold_begin(&f, &b, "To");
	tok(&f, a, 1, 0);
	tok(&f, "=?utf-8?Q?x?=", 1, 1);	/* 4 + 56 + 14 = 74 */
	tok(&f, ">>", 0, 0);			/* 76: fits */
	tok(&f, "!", 0, 0);			/* 77: moves */
	tok(&f, "x", 1, 0);
	mc_fold_end(&f);
	assert_string_equal(b.p + 60, "\n =?utf-8?Q?x?=>>! x\n");

	/* Nothing to move: the name's line cannot fold. */
	b.len = 0;
	a[76] = '\0';
	memset(a, 'a', 76);
	mc_fold_begin(&f, &b, "To");
	tok(&f, a, 1, 0);
	tok(&f, ",", 0, 0);
	mc_fold_end(&f);
	assert_int_equal(strchr(b.p, '\n') - b.p, 81);
	mc_buf_free(&b);
}

static void
test_tab(void **state)
{
	struct mc_buf b;
	struct mc_fold f;
	char a[80];

	(void)state;
	mc_buf_init(&b);
	mc_fold_begin(&f, &b, "Subject");
	tok(&f, "a", 1, 0);
	tok(&f, "b", '\t', 0);
	mc_fold_end(&f);
	assert_string_equal(b.p, "Subject: a\tb\n");

	b.len = 0;
	memset(a, 'a', 70);
	a[70] = '\0';
	mc_fold_begin(&f, &b, "Subject");
	tok(&f, a, 1, 0);
	tok(&f, "b", '\t', 0);
	mc_fold_end(&f);
	assert_string_equal(b.p + 79, "\n\tb\n");
	mc_buf_free(&b);
}

static void
test_reserve(void **state)
{
	struct mc_buf b;
	struct mc_fold f;

	(void)state;
	mc_buf_init(&b);
	/* Never right after the name. */
	mc_fold_begin(&f, &b, "To");
	mc_fold_reserve(&f, 200, 0);
	tok(&f, "Alice", 1, 0);
	/* Fits: nothing happens. */
	mc_fold_reserve(&f, 20, 0);
	tok(&f, "<a@example.org>", 1, 0);
	tok(&f, ",", 0, 0);
	/* 26 + 1 + 52 = 79: folds before the group; 51 would fit. */
	mc_fold_reserve(&f, 51, 0);
	assert_int_equal(b.p[b.len - 1], ',');
	mc_fold_reserve(&f, 52, 0);
	tok(&f, "Bob", 1, 0);
	tok(&f, "<b@example.org>", 1, 0);
	tok(&f, ",", 0, 0);
	/* A group too long for any line is still preceded by a space. */
	mc_fold_reserve(&f, 100, 0);
	tok(&f, ":", 0, 0);
	/* A reserve with nothing after it leaves no empty line. */
	mc_fold_reserve(&f, 100, 0);
	mc_fold_end(&f);
	assert_string_equal(b.p, "To: Alice <a@example.org>,\n"
	    " Bob <b@example.org>,\n :\n");
	mc_buf_free(&b);
}

/* Random tokens of 1 to 50 characters, some encoded-words, some short
 * ones with space 0 (never two in a row): no line over 78 (76 with an
 * encoded-word), and unfolding gives back the tokens. */
static void
test_random(void **state)
{
	struct mc_buf b, want;
	struct mc_fold f;
	uint32_t seed = 12345;
	const char *name;
	char t[80];
	size_t i, j, n, ntok, k, out;
	size_t ewline;
	int ew, space = 1;

	(void)state;
	mc_buf_init(&b);
	mc_buf_init(&want);
	for (i = 0; i < 3000; i++) {
		b.len = 0;
		want.len = 0;
		name = i % 2 ? "Subject" : "X-Long-Field-Name";
		mc_fold_begin(&f, &b, name);
		mc_buf_printf(&want, "%s:", name);
		seed = seed * 1103515245 + 12345;
		ntok = 1 + (seed >> 16) % 30;
		for (j = 0; j < ntok; j++) {
			seed = seed * 1103515245 + 12345;
			space = j == 0 || !space || (seed >> 12) % 5 != 0;
			ew = space && (seed >> 8) % 4 == 0;
			n = 1 + (seed >> 16) % (space ? 50 : 3);
			if (ew) {
				n = n < 15 ? 15 : n;
				memcpy(t, "=?utf-8?Q?", 10);
				memset(t + 10, 'q', n - 12);
				memcpy(t + n - 2, "?=", 2);
			} else
				for (k = 0; k < n; k++)
					t[k] = (char)('a' +
					    (seed >> (k % 20)) % 26);
			t[n] = '\0';
			mc_fold_token(&f, t, n, space, ew);
			if (space || j == 0)
				mc_buf_addc(&want, ' ');
			mc_buf_add(&want, t, n);
		}
		mc_fold_end(&f);
		mc_buf_addc(&want, '\n');
		assert_true(longest(b.p, &ewline) <= MC_FOLD_COLS);
		assert_true(ewline <= MC_EW_COLS);
		/* Unfold: drop the line breaks that are not the last. */
		for (out = 0, k = 0; k < b.len; k++)
			if (b.p[k] != '\n' || k == b.len - 1)
				b.p[out++] = b.p[k];
		b.p[out] = '\0';
		assert_string_equal(b.p, want.p);
	}
	mc_buf_free(&b);
	mc_buf_free(&want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_token),
		cmocka_unit_test(test_fold_at_78),
		cmocka_unit_test(test_space0_and_refold),
		cmocka_unit_test(test_tab),
		cmocka_unit_test(test_reserve),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
