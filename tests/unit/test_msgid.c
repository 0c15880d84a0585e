/* SPDX-License-Identifier: ISC */
/* msgid.c: Message-IDs and Content-IDs (RFC 5322 3.6.4, RFC 2392). */
#include <stdio.h>

#include "unit.h"

static const struct {
	const char *in;
	int need_at;
	const char *out;
} valid[] = {
	{ "abc@example.org", 1, "<abc@example.org>" },
	{ "<abc@example.org>", 1, "<abc@example.org>" },
	{ "1.2.3-x_y+z@host.example", 1, "<1.2.3-x_y+z@host.example>" },
	{ "id@[192.0.2.1]", 1, "<id@[192.0.2.1]>" },
	{ "logo.png", 0, "<logo.png>" },
	{ "<logo>", 0, "<logo>" },
	{ "a@b@c", 0, "<a@b@c>" },
};

static void
test_valid(void **state)
{
	struct mc_error err;
	char *out;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		out = NULL;
		assert_int_equal(mc_msgid_norm(&out, valid[i].in,
		    valid[i].need_at, &err), MC_OK);
		assert_string_equal(out, valid[i].out);
		free(out);
	}
}

static const struct {
	const char *in;
	int need_at;
	const char *detail;
} invalid[] = {
	{ "", 0, "empty message ID" },
	{ "<>", 0, "empty message ID" },
	{ "abc", 1, "message ID \"abc\" is not of the form left@right" },
	{ "@b", 1, "message ID \"@b\" is not of the form left@right" },
	{ "a@", 1, "message ID \"a@\" is not of the form left@right" },
	{ "a@b@c", 1, "more than one '@' in message ID \"a@b@c\"" },
	{ "a b@c", 1, "white space in message ID \"a b@c\"" },
	{ "a\tb@c", 0, "white space in message ID \"a\tb@c\"" },
	{ "a\r\nb@c", 0, "control character in message ID \"a\r\nb@c\"" },
	{ "caf\xc3\xa9@c", 1, "non-ASCII character in message ID "
	  "\"caf\xc3\xa9@c\"" },
	{ "<a@b", 1, "'<' in message ID \"<a@b\"" },
	{ "a@b>", 1, "'>' in message ID \"a@b>\"" },
	{ "<<a@b>>", 1, "'<' in message ID \"<<a@b>>\"" },
	{ "<a>@<b>", 1, "'>' in message ID \"<a>@<b>\"" },
	{ "a(b)@c", 1, "'(' in message ID \"a(b)@c\"" },
	{ "a\"b@c", 1, "'\"' in message ID \"a\"b@c\"" },
	{ "a,b@c", 1, "',' in message ID \"a,b@c\"" },
};

static void
test_invalid(void **state)
{
	struct mc_error err;
	char *out;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		out = (char *)"untouched";
		memset(&err, 0, sizeof(err));
		assert_int_equal(mc_msgid_norm(&out, invalid[i].in,
		    invalid[i].need_at, &err), MC_EDATA);
		assert_null(out);
		assert_int_equal(err.code, MC_EDATA);
		assert_string_equal(err.detail, invalid[i].detail);
	}
}

static void
test_long(void **state)
{
	struct mc_error err;
	char id[1000], *out = NULL;

	(void)state;
	memset(id, 'a', 900);
	id[1] = '@';
	id[900] = '\0';
	assert_int_equal(mc_msgid_norm(&out, id, 1, &err), MC_OK);
	assert_int_equal(strlen(out), 902);
	free(out);
	id[900] = 'a';
	id[901] = '\0';
	assert_int_equal(mc_msgid_norm(&out, id, 1, &err), MC_EDATA);
	assert_string_equal(err.detail, "message ID too long");
}

static void
test_make(void **state)
{
	unsigned char u[16];
	char *s;
	int i;

	(void)state;
	/* Python: base64.b32encode(bytes(range(16))).lower() */
	for (i = 0; i < 16; i++)
		u[i] = (unsigned char)i;
	s = mc_msgid_make(u, "example.org");
	assert_string_equal(s, "<aaaqeayeaudaocajbifqydiob4@example.org>");
	free(s);
	memset(u, 0xff, sizeof(u));
	s = mc_msgid_make(u, NULL);
	assert_string_equal(s, "<77777777777777777777777774@localhost>");
	free(s);
	memset(u, 0, sizeof(u));
	u[15] = 1;
	s = mc_msgid_make(u, "x");
	assert_string_equal(s, "<aaaaaaaaaaaaaaaaaaaaaaaaae@x>");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_long),
		cmocka_unit_test(test_make),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
