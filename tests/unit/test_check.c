/* SPDX-License-Identifier: ISC */
/* Unit tests for check*.c (mime-check): each rule broken, and mended. */
#include "unit.h"

#include <stdio.h>

/* Lines 1-2 of most cases; {cN} in a case is N copies of c. */
#define FROM	"From: a@example.org\n"
#define DATE	"Date: Wed, 25 Nov 2026 21:15:20 +0000\n"
#define HDR	FROM DATE
#define MV	"MIME-Version: 1.0\n"
#define QP	"Content-Transfer-Encoding: quoted-printable\n"
#define B64	"Content-Transfer-Encoding: base64\n"
#define MIXED	"Content-Type: multipart/mixed; boundary=b\n"

struct rcase {
	const char *rule;
	uint64_t line;
	const char *bad;	/* gives exactly that finding at that line */
	size_t badlen;
	const char *good;	/* the same mended: no finding */
	size_t goodlen;
};

#define CASE(r, l, b, g) { r, l, b, sizeof(b) - 1, g, sizeof(g) - 1 }

static const struct rcase cases[] = {
	CASE("from-missing", 2, DATE "\nhi\n", HDR "\nhi\n"),
	CASE("date-missing", 2, FROM "\nhi\n", HDR "\nhi\n"),
	CASE("field-repeated", 4, HDR "Subject: a\nSubject: b\n\nhi\n",
	    HDR "Subject: a\n\nhi\n"),
	CASE("header-syntax", 3, HDR "Subject a\n\nhi\n",
	    HDR "Subject: a\n\nhi\n"),
	CASE("header-8bit", 3, HDR "Subject: caf\xc3\xa9\n\nhi\n",
	    HDR "Subject: =?utf-8?q?caf=C3=A9?=\n\nhi\n"),
	CASE("line-too-long", 4, HDR "\n{x999}\n", HDR "\n{x998}\n"),
	CASE("address-syntax", 1, "From: a\n" DATE "\nhi\n", HDR "\nhi\n"),
	CASE("date-syntax", 2, FROM "Date: yesterday\n\nhi\n", HDR "\nhi\n"),
	CASE("msgid-syntax", 3, HDR "Message-ID: <abc>\n\nhi\n",
	    HDR "Message-ID: <abc@example.org>\n\nhi\n"),
	CASE("mime-version-missing", 4, HDR "Content-Type: text/plain\n\nhi\n",
	    HDR MV "Content-Type: text/plain\n\nhi\n"),
	CASE("mime-version-syntax", 3, HDR "MIME-Version: 2.0\n\nhi\n",
	    HDR "MIME-Version: 1.0 (a comment)\n\nhi\n"),
	CASE("content-type-syntax", 4, HDR MV "Content-Type: text\n\nhi\n",
	    HDR MV "Content-Type: text/plain\n\nhi\n"),
	CASE("disposition-syntax", 4,
	    HDR MV "Content-Disposition: attachment; filename\n\nhi\n",
	    HDR MV "Content-Disposition: attachment; filename=a.txt\n\nhi\n"),
	CASE("param-repeated", 4,
	    HDR MV "Content-Type: text/plain; charset=utf-8; charset=utf-8\n"
	    "\nhi\n", HDR MV "Content-Type: text/plain; charset=utf-8\n\nhi\n"),
	CASE("charset-unknown", 4,
	    HDR MV "Content-Type: text/plain; charset=klingon\n\nhi\n",
	    HDR MV "Content-Type: text/plain; charset=\"utf-8\"\n\nhi\n"),
	CASE("cte-unknown", 4,
	    HDR MV "Content-Transfer-Encoding: x-uuencode\n\nhi\n",
	    HDR MV "Content-Transfer-Encoding: 7bit\n\nhi\n"),
	CASE("multipart-encoded", 5, HDR MV MIXED B64 "\n--b\n\nhi\n--b--\n",
	    HDR MV MIXED "Content-Transfer-Encoding: 8bit\n\n--b\n\nhi\n"
	    "--b--\n"),
	CASE("rfc822-encoded", 5, HDR MV "Content-Type: message/rfc822\n" B64
	    "\nRnJvbTogYUBiLmMKCmhpCg==\n",
	    HDR MV "Content-Type: message/rfc822\n\n" HDR "\nhi\n"),
	CASE("body-8bit", 4, HDR "\ncaf\xc3\xa9\n", HDR MV
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n\ncaf\xc3\xa9\n"),
	CASE("body-nul", 4, HDR "\na\0b\n", HDR "\na b\n"),
	CASE("b64-alphabet", 6, HDR MV B64 "\naGVs!bG8=\n",
	    HDR MV B64 "\naGVsbG8=\n"),
	CASE("b64-padding", 6, HDR MV B64 "\naGVsbG8\n",
	    HDR MV B64 "\naGVsbG8=\n"),
	CASE("b64-line-too-long", 6, HDR MV B64 "\n{A80}\n",
	    HDR MV B64 "\n{A76}\nAAAA\n"),
	CASE("qp-bad-escape", 6, HDR MV QP "\na=ZZb\n", HDR MV QP "\na=3Db\n"),
	CASE("qp-raw-byte", 6, HDR MV QP "\ncaf\xc3\xa9\n",
	    HDR MV QP "\ncaf=C3=A9\n"),
	CASE("qp-trailing-space", 6, HDR MV QP "\na \n", HDR MV QP "\na=20\n"),
	CASE("qp-soft-break", 6, HDR MV QP "\na= \nb\n",
	    HDR MV QP "\na=\nb\n"),
	CASE("qp-line-too-long", 6, HDR MV QP "\n{x77}\n",
	    HDR MV QP "\n{x75}=\nxx\n"),
	CASE("boundary-missing", 4,
	    HDR MV "Content-Type: multipart/mixed\n\n--b\n\nhi\n--b--\n",
	    HDR MV MIXED "\n--b\n\nhi\n--b--\n"),
	CASE("boundary-syntax", 4,
	    HDR MV "Content-Type: multipart/mixed; boundary=\"{b71}\"\n\n"
	    "--{b71}\n\nhi\n--{b71}--\n",
	    HDR MV "Content-Type: multipart/mixed; boundary=\"{b70}\"\n\n"
	    "--{b70}\n\nhi\n--{b70}--\n"),
	CASE("boundary-not-found", 6, HDR MV MIXED "\nhi\n",
	    HDR MV MIXED "\n--b\n\nhi\n--b--\n"),
	CASE("boundary-not-closed", 8, HDR MV MIXED "\n--b\n\nhi\n",
	    HDR MV MIXED "\n--b\n\nhi\n--b--\n"),
	CASE("boundary-in-body", 9, HDR MV MIXED "\n--b\n\nhi\n--bx\n--b--\n",
	    HDR MV MIXED "\n--b\n\nhi\nx--bx\n--b--\n"),
	CASE("boundary-nested", 7, HDR MV MIXED "\n--b\n"
	    "Content-Type: multipart/mixed; boundary=bc\n\n--bc\n\nhi\n"
	    "--bc--\n--b--\n", HDR MV MIXED "\n--b\n"
	    "Content-Type: multipart/mixed; boundary=c\n\n--c\n\nhi\n"
	    "--c--\n--b--\n"),
	CASE("part-empty", 7, HDR MV MIXED "\n--b\n--b\n\nhi\n--b--\n",
	    HDR MV MIXED "\n--b\n\nhi\n--b--\n"),
	CASE("2047-syntax", 3, HDR "Subject: =?utf-8?x?abc?=\n\nhi\n",
	    HDR "Subject: =?utf-8?q?abc?=\n\nhi\n"),
	CASE("2047-word-too-long", 3,
	    HDR "Subject: =?utf-8?q?{a70}?=\n\nhi\n",
	    HDR "Subject: =?utf-8?q?{a35}?=\n =?utf-8?q?{a35}?=\n\nhi\n"),
	CASE("2047-line-too-long", 3,
	    HDR "Subject: =?utf-8?q?a?= {x70}\n\nhi\n",
	    HDR "Subject: =?utf-8?q?a?=\n {x70}\n\nhi\n"),
	CASE("2047-placement", 3, HDR "Subject: x=?utf-8?q?a?=\n\nhi\n",
	    HDR "Subject: x =?utf-8?q?a?=\n\nhi\n"),
	CASE("2047-charset", 3, HDR "Subject: =?klingon?q?a?=\n\nhi\n",
	    HDR "Subject: =?iso-8859-1?q?a?=\n\nhi\n"),
	CASE("2047-decode", 3, HDR "Subject: =?utf-8?b?YWJ?=\n\nhi\n",
	    HDR "Subject: =?utf-8?b?YWJj?=\n\nhi\n"),
	CASE("2231-continuation", 4,
	    HDR MV "Content-Type: text/plain; name*1=b\n\nhi\n",
	    HDR MV "Content-Type: text/plain; name*0=a; name*1=b\n\nhi\n"),
	CASE("2231-order", 4,
	    HDR MV "Content-Type: text/plain; name*1=b; name*0=a\n\nhi\n",
	    HDR MV "Content-Type: text/plain; name*0=a; name*1=b\n\nhi\n"),
	CASE("2231-syntax", 4,
	    HDR MV "Content-Type: text/plain; name*=utf-8'en\n\nhi\n",
	    HDR MV "Content-Type: text/plain; name*=utf-8''a%20b\n\nhi\n"),
	CASE("utf8-invalid", 7, HDR MV
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n\ncaf\xc3\n", HDR MV
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n\ncaf\xc3\xa9\n"),
	CASE("lone-dot", 4, HDR "\n.\n", HDR "\n..\n"),
	CASE("from-line", 4, HDR "\nFrom here\n", HDR "\n>From here\n"),
	CASE("bare-cr", 4, HDR "\na\rb\n", HDR "\na b\n"),
	CASE("eol-mixed", 2, "From: a@example.org\r\n" DATE "\nhi\n",
	    HDR "\nhi\n"),
};

struct found {
	struct mc_buf b;	/* "LINE RULE SEVERITY\n" per finding */
	int n;
	char rule[64];
	uint64_t line;
};

static void
collect(void *arg, const struct mc_finding *f)
{
	struct found *fd = arg;

	assert_non_null(f->rfc);
	assert_true(strncmp(f->rfc, "RFC ", 4) == 0);
	assert_non_null(f->message);
	assert_null(strchr(f->message, '\n'));
	mc_buf_printf(&fd->b, "%llu %s %d %s\n", (unsigned long long)f->line,
	    f->rule, f->severity, f->message);
	if (fd->n++ == 0) {
		snprintf(fd->rule, sizeof(fd->rule), "%s", f->rule);
		fd->line = f->line;
	}
}

/* s[0..n) with {cN} made N copies of c. */
static void
expand(struct mc_buf *out, const char *s, size_t n)
{
	size_t i, k;
	char *end;
	unsigned long count;

	for (i = 0; i < n; i++) {
		if (s[i] == '{' && i + 2 < n && s[i + 2] >= '0' &&
		    s[i + 2] <= '9') {
			count = strtoul(s + i + 2, &end, 10);
			assert_int_equal(*end, '}');
			for (k = 0; k < count; k++)
				mc_buf_addc(out, s[i + 1]);
			i = (size_t)(end - s);
		} else
			mc_buf_addc(out, s[i]);
	}
	assert_false(out->oom);
}

/* Checks p[0..n) fed in chunks of chunk octets (0: at once). */
static void
run(struct found *fd, const char *p, size_t n, size_t chunk,
    unsigned flags)
{
	mc_check *c;
	size_t i, k;

	memset(fd, 0, sizeof(*fd));
	mc_buf_init(&fd->b);
	c = mc_check_new(flags, collect, fd);
	assert_non_null(c);
	for (i = 0; i < n; i += k) {
		k = chunk == 0 || chunk > n - i ? n - i : chunk;
		mc_check_step(c, p + i, k);
	}
	mc_check_finish(c);
	mc_check_free(c);
}

static void
test_rules(void **state)
{
	struct mc_buf bad, good;
	struct found fd, fd1;
	struct mc_finding rf;
	size_t i;
	int r, covered[64] = { 0 };

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mc_buf_init(&bad);
		mc_buf_init(&good);
		expand(&bad, cases[i].bad, cases[i].badlen);
		expand(&good, cases[i].good, cases[i].goodlen);
		run(&fd, bad.p, bad.len, 0, 0);
		if (fd.n != 1 || strcmp(fd.rule, cases[i].rule) != 0 ||
		    fd.line != cases[i].line)
			fail_msg("%s: want one finding at line %llu, got:\n%s",
			    cases[i].rule, (unsigned long long)cases[i].line,
			    fd.b.p ? fd.b.p : "(none)\n");
		/* Streaming: one octet at a time finds the same. */
		run(&fd1, bad.p, bad.len, 1, 0);
		assert_string_equal(fd.b.p, fd1.b.p);
		mc_buf_free(&fd1.b);
		mc_buf_free(&fd.b);
		run(&fd, good.p, good.len, 0, 0);
		if (fd.n != 0)
			fail_msg("%s mended: want no finding, got:\n%s",
			    cases[i].rule, fd.b.p);
		mc_buf_free(&fd.b);
		mc_buf_free(&bad);
		mc_buf_free(&good);
		for (r = 0; mc_check_rule(r, &rf) == 0; r++)
			if (strcmp(rf.rule, cases[i].rule) == 0)
				covered[r] = 1;
	}
	/* Every rule but the two limits (test_limits) has its case. */
	for (r = 0; mc_check_rule(r, &rf) == 0; r++)
		if (strncmp(rf.rule, "limit-", 6) != 0 && !covered[r])
			fail_msg("rule %s has no case", rf.rule);
}

/* The same messages with CRLF line ends: still no finding. */
static void
test_crlf(void **state)
{
	struct mc_buf good, crlf;
	struct found fd;
	size_t i, k;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mc_buf_init(&good);
		mc_buf_init(&crlf);
		expand(&good, cases[i].good, cases[i].goodlen);
		for (k = 0; k < good.len; k++) {
			if (good.p[k] == '\n')
				mc_buf_addc(&crlf, '\r');
			mc_buf_addc(&crlf, good.p[k]);
		}
		run(&fd, crlf.p, crlf.len, 7, 0);
		if (fd.n != 0)
			fail_msg("%s mended, CRLF: want no finding, got:\n%s",
			    cases[i].rule, fd.b.p);
		mc_buf_free(&fd.b);
		mc_buf_free(&good);
		mc_buf_free(&crlf);
	}
}

/* A Subject folded over lines of 991 octets. */
static void
long_field(struct mc_buf *b, int lines)
{
	int i;

	mc_buf_adds(b, HDR "Subject: x\n");
	for (i = 0; i < lines; i++) {
		mc_buf_addc(b, ' ');
		expand(b, "{y990}\n", 7);
	}
	mc_buf_adds(b, "\nhi\n");
}

/* depth multiparts, each inside the first part of the one before. */
static void
nested(struct mc_buf *b, int depth)
{
	int i;

	mc_buf_adds(b, HDR MV);
	for (i = 1; i <= depth; i++)
		mc_buf_printf(b, "Content-Type: multipart/mixed; "
		    "boundary=b%02d\n\n--b%02d\n", i, i);
	mc_buf_adds(b, "\nhi\n");
	for (i = depth; i >= 1; i--)
		mc_buf_printf(b, "--b%02d--\n", i);
}

static void
expect_one(const struct mc_buf *b, const char *rule, uint64_t line)
{
	struct found fd;

	run(&fd, b->p, b->len, 0, 0);
	if (fd.n != 1 || strcmp(fd.rule, rule) != 0 || fd.line != line)
		fail_msg("want one %s at line %llu, got:\n%s", rule,
		    (unsigned long long)line, fd.b.p ? fd.b.p : "(none)\n");
	mc_buf_free(&fd.b);
}

static void
expect_none(const struct mc_buf *b, unsigned flags)
{
	struct found fd;

	run(&fd, b->p, b->len, 0, flags);
	if (fd.n != 0)
		fail_msg("want no finding, got:\n%s", fd.b.p);
	mc_buf_free(&fd.b);
}

/* Bounds that hostile input reaches are findings, not failures. */
static void
test_limits(void **state)
{
	struct mc_buf b;

	mc_buf_init(&b);
	long_field(&b, 70);	/* over 64 KiB unfolded */
	expect_one(&b, "limit-field", 3);
	b.len = 0;
	long_field(&b, 60);
	expect_none(&b, 0);
	b.len = 0;
	nested(&b, MC_MAX_DEPTH + 1);
	expect_one(&b, "limit-depth", 3 * (MC_MAX_DEPTH + 1) + 1);
	b.len = 0;
	nested(&b, MC_MAX_DEPTH);
	expect_none(&b, 0);
	mc_buf_free(&b);
}

static void
test_entity_and_mbox(void **state)
{
	static const char ent[] = "Content-Type: text/plain\n\nhi\n";
	static const char mbox[] = "From a@example.org Wed Nov 25 21:15:20 "
	    "2026\n" HDR "\nhi\n";
	struct mc_buf b;
	struct found fd;

	mc_buf_init(&b);
	mc_buf_adds(&b, ent);
	expect_none(&b, MC_CHECK_ENTITY);
	run(&fd, b.p, b.len, 0, 0);
	assert_string_equal(fd.b.p, "2 from-missing 2 no From field\n"
	    "2 date-missing 2 no Date field\n"
	    "2 mime-version-missing 2 Content- fields but no MIME-Version: "
	    "1.0\n");
	mc_buf_free(&fd.b);
	b.len = 0;
	mc_buf_adds(&b, mbox);
	expect_none(&b, 0);
	mc_buf_free(&b);
}

/* Garbage of every kind: the same findings however it is cut up, and
 * nothing grows (ASan sees any overflow). */
static void
test_hostile(void **state)
{
	static const char *const bits[] = { "--b\n", "--b--\n", "\n", "\r",
	    "Content-Type: multipart/mixed; boundary=b\n", "=?utf-8?q?",
	    "?=", "Content-Transfer-Encoding: base64\n", "=", "\xff",
	    "Content-Transfer-Encoding: quoted-printable\n", " ", "\0",
	    "Content-Type: message/rfc822\n", "name*1*=%", "(", "\"",
	    "Content-Type: text/plain; charset=utf-8\n", "{x1500}" };
	uint64_t rng = 0x9e3779b97f4a7c15ULL;
	struct mc_buf b, piece;
	struct found f0, f1;
	int round, i;
	size_t k;

	for (round = 0; round < 200; round++) {
		mc_buf_init(&b);
		for (i = 0; i < 60; i++) {
			k = unit_xorshift(&rng) % (sizeof(bits) /
			    sizeof(bits[0]));
			mc_buf_init(&piece);
			expand(&piece, bits[k], bits[k][0] == '\0' ? 1 :
			    strlen(bits[k]));
			mc_buf_add(&b, piece.p, piece.len);
			mc_buf_free(&piece);
		}
		run(&f0, b.p, b.len, 0, 0);
		run(&f1, b.p, b.len, 1 + unit_xorshift(&rng) % 13, 0);
		assert_string_equal(f0.b.p ? f0.b.p : "", f1.b.p ? f1.b.p :
		    "");
		mc_buf_free(&f0.b);
		mc_buf_free(&f1.b);
		mc_buf_free(&b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_entity_and_mbox),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
