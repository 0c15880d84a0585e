/* SPDX-License-Identifier: ISC */
/* addr.c: address lists (RFC 5322 3.4) parsed and written back. */
#include <stdio.h>

#include "unit.h"

static const struct {
	const char *in, *out;
} valid[] = {
	{ "a@b.c", "To: a@b.c\n" },
	{ "<a@b.c>", "To: a@b.c\n" },
	{ "  a@b.c  ", "To: a@b.c\n" },
	{ "Name <a@b>", "To: Name <a@b>\n" },
	{ "John Doe <john.doe@example.org>",
	  "To: John Doe <john.doe@example.org>\n" },
	{ "\"Doe, John\" <j@x>", "To: \"Doe, John\" <j@x>\n" },
	{ "\"John\" <j@x>", "To: John <j@x>\n" },
	{ "\"\" <j@x>", "To: j@x\n" },
	{ "Zo\xc3\xab \xc3\x9c <zoe@example.org>",
	  "To: =?utf-8?B?Wm/DqyDDnA==?= <zoe@example.org>\n" },
	{ "J. R. Doe <j@x>", "To: \"J. R. Doe\" <j@x>\n" },
	{ "a@b (Comment)", "To: Comment <a@b>\n" },
	{ "(Comment) a@b", "To: Comment <a@b>\n" },
	{ "Name <a@b> (Comment)", "To: Name <a@b>\n" },
	{ "a@b (nested (comment) here)",
	  "To: \"nested (comment) here\" <a@b>\n" },
	{ "a@b,c@d", "To: a@b, c@d\n" },
	{ " a@b ,\tc@d\t, <e@f> ", "To: a@b, c@d, e@f\n" },
	{ "\"x y\"@example.org", "To: \"x y\"@example.org\n" },
	{ "\"a\\\"b\"@example.org", "To: \"a\\\"b\"@example.org\n" },
	{ "a@[192.0.2.1]", "To: a@[192.0.2.1]\n" },
	{ "user+tag@sub-domain.example.org",
	  "To: user+tag@sub-domain.example.org\n" },
	{ "a@localhost", "To: a@localhost\n" },
	{ "< a@b >", "To: a@b\n" },
	{ "undisclosed-recipients:;", "To: undisclosed-recipients:;\n" },
	{ "undisclosed-recipients: ;, a@b",
	  "To: undisclosed-recipients:;, a@b\n" },
	{ "Say \"hi\" <a@b>", "To: Say hi <a@b>\n" },
	/* RFC 5322 3.4 groups with members, names encoded as any phrase. */
	{ "Team: a@x.org, b@y.org;", "To: Team: a@x.org, b@y.org;\n" },
	{ "Team : a@b (x) , \"q, r\" <c@d> ; ",
	  "To: Team: x <a@b>, \"q, r\" <c@d>;\n" },
	{ "\xc3\x89quipe: Zo\xc3\xab <z@x.org>, b@y.org;, c@d",
	  "To: =?utf-8?Q?=C3=89quipe?= : =?utf-8?Q?Zo=C3=AB?= <z@x.org>, "
	  "b@y.org;, c@d\n" },
	{ "Very long group name here: alice.long.name@example.org, "
	  "bob.longer.name@example.org, carol@example.org;, zed@z.org",
	  "To: Very long group name here: alice.long.name@example.org,\n"
	  " bob.longer.name@example.org, carol@example.org;, zed@z.org\n" },
	/* IDNA 2008 (RFC 5891 5, UTS 46 mapping): A-labels, no SMTPUTF8;
	 * xn--bcher-kva is RFC 3492's own example of Punycode. */
	{ "zoe@b\xc3\xbc" "cher.de", "To: zoe@xn--bcher-kva.de\n" },
	{ "a@B\xc3\xbc" "CHER.De", "To: a@xn--bcher-kva.de\n" },
	{ "Zo\xc3\xab <zoe@ex\xc3\xa4mple.org>",
	  "To: =?utf-8?Q?Zo=C3=AB?= <zoe@xn--exmple-cua.org>\n" },
	{ "a@xn--bcher-kva.de", "To: a@xn--bcher-kva.de\n" },
	{ "\"Say \\\"hi\\\"\" <a@b>", "To: \"Say \\\"hi\\\"\" <a@b>\n" },
	{ "Alice <a@example.org>, Bob <b@example.org>, Carol <c@example.org>, "
	  "Dave <d@example.org>",
	  "To: Alice <a@example.org>, Bob <b@example.org>, Carol <c@example.org>,\n"
	  " Dave <d@example.org>\n" },
};

static void
test_valid(void **state)
{
	struct mc_addrlist l = { NULL, 0, 0 };
	struct mc_error err;
	struct mc_buf b;
	size_t i;

	(void)state;
	mc_buf_init(&b);
	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		memset(&err, 0, sizeof(err));
		if (mc_addr_parse(&l, valid[i].in, &err) != MC_OK)
			fprintf(stderr, "%s: %s\n", valid[i].in, err.detail);
		assert_int_equal(err.code, MC_OK);
		b.len = 0;
		mc_addr_field(&b, "To", &l);
		assert_string_equal(b.p, valid[i].out);
		mc_addrlist_free(&l);
	}
	mc_buf_free(&b);
}

static void
test_parsed(void **state)
{
	struct mc_addrlist l = { NULL, 0, 0 };
	struct mc_error err;

	(void)state;
	assert_int_equal(mc_addr_parse(&l, "Zo\xc3\xab <z@x.org>, a@b (C), "
	    "g:;", &err), MC_OK);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].name, "Zo\xc3\xab");
	assert_string_equal(l.v[0].spec, "z@x.org");
	assert_string_equal(l.v[1].name, "C");
	assert_string_equal(l.v[1].spec, "a@b");
	assert_string_equal(l.v[2].name, "g");
	assert_null(l.v[2].spec);
	/* A second list appends. */
	assert_int_equal(mc_addr_parse(&l, "x@y", &err), MC_OK);
	assert_int_equal(l.n, 4);
	assert_null(l.v[3].name);
	/* A bad list leaves l as it was. */
	assert_int_equal(mc_addr_parse(&l, "p@q, r@s, bad", &err), MC_EDATA);
	assert_int_equal(l.n, 4);
	mc_addrlist_free(&l);
	assert_int_equal(l.n, 0);
	assert_null(l.v);
}

static const struct {
	const char *in, *detail;
} invalid[] = {
	{ "foo", "address without a domain: \"foo\"" },
	{ "Doe, John <j@x>", "address without a domain: \"Doe\"" },
	{ "a@b, foo bar", "address without a domain: \"foo bar\"" },
	{ "<foo>", "address without a domain: \"foo\"" },
	{ "", "empty address list" },
	{ "  ", "empty address list" },
	{ "(just a comment)", "empty address list" },
	{ "a@b,,c@d", "empty address in list" },
	{ "a@b,", "empty address in list" },
	{ ",a@b", "empty address in list" },
	{ "\"Doe <j@x>", "unbalanced quote in address list" },
	{ "a@b (open", "unbalanced parenthesis in address list" },
	{ "Name <a@b", "unbalanced '<' in address list" },
	{ "Name a@b>", "invalid address: \"Name a@b>\"" },
	{ "a@b>", "unbalanced '>' in address list" },
	{ "<>", "empty address: \"<>\"" },
	{ "zo\xc3\xab@example.org", "non-ASCII local part in "
	  "\"zo\xc3\xab@example.org\" needs SMTPUTF8, which is not supported" },
	{ "Zo\xc3\xab <zo\xc3\xab@b\xc3\xbc" "cher.de>", "non-ASCII local part in "
	  "\"zo\xc3\xab@b\xc3\xbc" "cher.de\" needs SMTPUTF8, which is not supported" },
	{ "a@b\xff.de", "invalid UTF-8 in domain: \"b\xff.de\"" },
	{ "a@\xe2\x98\x83.com", "invalid international domain \"\xe2\x98\x83.com\": "
	  "string contains a disallowed character" },
	{ "a@b\xc3\xbc" "cher..de",
	  "invalid international domain \"b\xc3\xbc" "cher..de\": not a host name" },
	{ "Zo\xeb <zoe@example.org>",
	  "invalid UTF-8 in display name: \"Zo\xeb\"" },
	{ "a@-b.c", "invalid domain in address: \"a@-b.c\"" },
	{ "a@b-.c", "invalid domain in address: \"a@b-.c\"" },
	{ "a@b..c", "invalid domain in address: \"a@b..c\"" },
	{ "a@b.c.", "invalid domain in address: \"a@b.c.\"" },
	{ "a@b_c.d", "invalid domain in address: \"a@b_c.d\"" },
	{ "a@", "invalid domain in address: \"a@\"" },
	{ ".a@b", "invalid local part in address: \".a@b\"" },
	{ "a..b@c", "invalid local part in address: \"a..b@c\"" },
	{ "@b.c", "invalid address: \"@b.c\"" },
	{ "<@r.net:a@b>", "source routes are not supported: \"<@r.net:a@b\"" },
	{ "a@b c@d", "missing ',' between addresses: \"c@d\"" },
	{ "a@b; c@d", "missing ',' between addresses: \"; c@d\"" },
	{ "g: a@b, c@d", "a group without its closing ';': \"g: a@b, c@d\"" },
	{ "g: a@b c@d;", "a group without its closing ';': \"g: a@b c@d;\"" },
	{ "g: h: a@b;;", "a group inside a group: \"h: a@b\"" },
	{ ":;", "group without a name: \":\"" },
	{ "a@b\r\nBcc: x@y", "control character in address list" },
	{ "a@[1.2.3", "invalid domain literal: \"[1.2.3\"" },
};

static void
test_invalid(void **state)
{
	struct mc_addrlist l = { NULL, 0, 0 };
	struct mc_error err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		memset(&err, 0, sizeof(err));
		assert_int_equal(mc_addr_parse(&l, invalid[i].in, &err),
		    MC_EDATA);
		assert_int_equal(err.code, MC_EDATA);
		assert_string_equal(err.what, "");
		assert_string_equal(err.detail, invalid[i].detail);
		assert_int_equal(l.n, 0);
	}
	mc_addrlist_free(&l);
}

/* Local parts over 64 octets and domains over 255 (RFC 5321 4.5.3.1). */
static void
test_lengths(void **state)
{
	struct mc_addrlist l = { NULL, 0, 0 };
	struct mc_error err;
	char s[400];

	(void)state;
	memset(s, 'a', 64);
	strcpy(s + 64, "@b");
	assert_int_equal(mc_addr_parse(&l, s, &err), MC_OK);
	memset(s, 'a', 65);
	strcpy(s + 65, "@b");
	assert_int_equal(mc_addr_parse(&l, s, &err), MC_EDATA);
	memset(s, 'a', 64);
	s[1] = '@';
	s[64] = '\0';		/* a 63-octet label */
	assert_int_equal(mc_addr_parse(&l, s, &err), MC_OK);
	memset(s, 'a', 66);
	s[1] = '@';
	s[66] = '\0';		/* a 64-octet label */
	assert_int_equal(mc_addr_parse(&l, s, &err), MC_EDATA);
	assert_int_equal(l.n, 2);
	mc_addrlist_free(&l);
}

/* MC_ADDRS_MAX addresses, and no more. */
static void
test_max(void **state)
{
	struct mc_addrlist l = { NULL, 0, 0 };
	struct mc_error err;
	struct mc_buf b;
	int i;

	(void)state;
	mc_buf_init(&b);
	for (i = 0; i < MC_ADDRS_MAX; i++)
		mc_buf_printf(&b, "%su%d@example.org", i ? ", " : "", i);
	assert_int_equal(mc_addr_parse(&l, b.p, &err), MC_OK);
	assert_int_equal(l.n, MC_ADDRS_MAX);
	assert_int_equal(mc_addr_parse(&l, "one@more", &err), MC_EDATA);
	assert_string_equal(err.detail, "more than 1000 addresses");
	assert_int_equal(l.n, MC_ADDRS_MAX);
	mc_addrlist_free(&l);
	mc_buf_free(&b);
}

/* A long list folds: no line over 78, 76 with an encoded-word; each
 * comma stays with its address. */
static void
test_fold(void **state)
{
	struct mc_addrlist l = { NULL, 0, 0 };
	struct mc_error err;
	struct mc_buf b, in;
	const char *p, *nl;
	size_t n;
	int i, lines = 0;

	(void)state;
	mc_buf_init(&b);
	mc_buf_init(&in);
	for (i = 0; i < 50; i++)
		mc_buf_printf(&in, "%s%s%d <person%d@example.org>",
		    i ? ", " : "",
		    i % 3 == 0 ? "J\xc3\xbcrgen M\xc3\xbcller " :
		    i % 3 == 1 ? "A Rather Long Display Name Number" : "X",
		    i, i);
	assert_int_equal(mc_addr_parse(&l, in.p, &err), MC_OK);
	mc_addr_field(&b, "Cc", &l);
	for (p = b.p; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		n = (size_t)(nl - p);
		assert_true(n <= MC_FOLD_COLS);
		if (memchr(p, '?', n) != NULL)
			assert_true(n <= MC_EW_COLS);
		assert_true(*p != ',');
		assert_true(p == b.p || *p == ' ');
		lines++;
	}
	assert_true(lines > 10);
	mc_addrlist_free(&l);
	mc_buf_free(&b);
	mc_buf_free(&in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_parsed),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_max),
		cmocka_unit_test(test_fold),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
