/* SPDX-License-Identifier: ISC */
/* rfc2231.c: parameters, decoded again (RFC 2045 5.1, RFC 2231 3, 4, 7). */
#include <stdio.h>

#include "unit.h"

static char *
field(const char *name, const char *value, int compat)
{
	struct mc_buf b;
	struct mc_fold f;

	mc_buf_init(&b);
	mc_fold_begin(&f, &b, "Content-Disposition");
	mc_fold_token(&f, "attachment", 10, 1, 0);
	mc_2231_param(&f, name, value, compat);
	mc_2231_param(&f, "size", "1234", 0);
	mc_fold_end(&f);
	return b.p;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
tspecial(char c)
{
	return c != '\0' && strchr("()<>@,;:\\\"/[]?=", c) != NULL;
}

static int
has_ew(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i + 8 <= n; i++)
		if (strncmp(p + i, "=?utf-8?", 8) == 0)
			return 1;
	return 0;
}

/*
 * A strict reader of what we write: checks the lines (78 columns, 76 with
 * an encoded-word), unfolds, and puts together the value of parameter
 * name from name=, name*= or name*0*=/name*1= ... (in order, from 0);
 * each extended segment must decode to whole UTF-8 characters.  NULL
 * when anything is off.
 */
static char *
param(const char *fld, const char *name)
{
	struct mc_buf u, v, seg;
	const char *p, *nl, *q;
	size_t n, nlen = strlen(name);
	unsigned want = 0, idx;
	int ext, cont, found = 0;

	mc_buf_init(&u);
	mc_buf_init(&v);
	mc_buf_init(&seg);
	for (p = fld; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			goto bad;
		n = (size_t)(nl - p);
		if (n > MC_FOLD_COLS || (n > MC_EW_COLS && has_ew(p, n)))
			goto bad;
		mc_buf_add(&u, p, n);
	}
	if (u.p == NULL || (p = strchr(u.p, ';')) == NULL)
		goto bad;
	while (*p == ';') {
		p++;
		p += strspn(p, " \t");
		q = p;
		while (*p != '\0' && *p != '=' && *p != '*')
			p++;
		if ((size_t)(p - q) != nlen || strncmp(q, name, nlen) != 0) {
			/* Another parameter: skip its value. */
			p += strcspn(p, "=");
			if (*p++ != '=')
				goto bad;
			if (*p == '"') {
				for (p++; *p != '"'; p++)
					if (*p == '\0' ||
					    (*p == '\\' && *++p == '\0'))
						goto bad;
				p++;
			} else
				p += strcspn(p, "; ");
			p += strspn(p, " \t");
			continue;
		}
		cont = ext = 0;
		idx = 0;
		if (*p == '*' && p[1] >= '0' && p[1] <= '9') {
			cont = 1;
			for (p++; *p >= '0' && *p <= '9'; p++)
				idx = idx * 10 + (unsigned)(*p - '0');
			if (idx != want++)
				goto bad;
		} else if (found)
			goto bad;
		found = 1;
		if (*p == '*') {
			ext = 1;
			p++;
		}
		if (*p++ != '=')
			goto bad;
		seg.len = 0;
		if (ext) {
			if (idx == 0) {
				if (strncmp(p, "utf-8''", 7) != 0)
					goto bad;
				p += 7;
			}
			for (; *p != '\0' && *p != ';'; p++) {
				if (*p == '%') {
					if (hexval(p[1]) < 0 ||
					    hexval(p[2]) < 0)
						goto bad;
					mc_buf_addc(&seg, (char)(hexval(p[1]) *
					    16 + hexval(p[2])));
					p += 2;
				} else if (*p <= ' ' || *p >= 0x7f ||
				    tspecial(*p) || *p == '*' || *p == '\'')
					goto bad;
				else
					mc_buf_addc(&seg, *p);
			}
			/* No character is split between segments. */
			if (!mc_utf8_valid(seg.p ? seg.p : "", seg.len))
				goto bad;
		} else if (*p == '"') {
			for (p++; *p != '"'; p++) {
				if (*p == '\\')
					p++;
				if (*p == '\0')
					goto bad;
				mc_buf_addc(&seg, *p);
			}
			p++;
		} else {
			for (; *p != '\0' && *p != ';'; p++) {
				if (*p <= ' ' || *p >= 0x7f || tspecial(*p))
					goto bad;
				mc_buf_addc(&seg, *p);
			}
		}
		mc_buf_add(&v, seg.p ? seg.p : "", seg.len);
		p += strspn(p, " \t");
		(void)cont;
	}
	if (*p != '\0' || !found)
		goto bad;
	mc_buf_addc(&v, '\0');
	mc_buf_free(&u);
	mc_buf_free(&seg);
	return v.p;
bad:
	fprintf(stderr, "cannot read %s from: %s", name, fld);
	mc_buf_free(&u);
	mc_buf_free(&v);
	mc_buf_free(&seg);
	return NULL;
}

static void
test_token(void **state)
{
	(void)state;
	assert_true(mc_is_token("report.pdf"));
	assert_true(mc_is_token("a-b_c!#$%&'*+^`{|}~"));
	assert_false(mc_is_token(""));
	assert_false(mc_is_token("a b"));
	assert_false(mc_is_token("a\tb"));
	assert_false(mc_is_token("caf\xc3\xa9"));
	assert_false(mc_is_token("a\x7f"));
	assert_false(mc_is_token("a\x01"));
	/* RFC 2045 5.1 tspecials, each */
	assert_false(mc_is_token("("));
	assert_false(mc_is_token(")"));
	assert_false(mc_is_token("<"));
	assert_false(mc_is_token(">"));
	assert_false(mc_is_token("@"));
	assert_false(mc_is_token(","));
	assert_false(mc_is_token(";"));
	assert_false(mc_is_token(":"));
	assert_false(mc_is_token("\\"));
	assert_false(mc_is_token("\""));
	assert_false(mc_is_token("/"));
	assert_false(mc_is_token("["));
	assert_false(mc_is_token("]"));
	assert_false(mc_is_token("?"));
	assert_false(mc_is_token("="));
}

static const struct {
	const char *name, *value, *out;
} exact[] = {
	{ "filename", "report.pdf",
	  "Content-Disposition: attachment; filename=report.pdf; size=1234\n" },
	{ "filename", "my report.pdf",
	  "Content-Disposition: attachment; filename=\"my report.pdf\"; "
	  "size=1234\n" },
	/* Quotes and backslashes: RFC 2231, which every reader gets right. */
	{ "filename", "a \"b\" \\c;d",
	  "Content-Disposition: attachment; filename*=utf-8''a%20%22b%22%20%5Cc%3Bd;\n"
	  " size=1234\n" },
	{ "filename", "",
	  "Content-Disposition: attachment; filename=\"\"; size=1234\n" },
	/* Tokens, but with RFC 2231's "*", "'" or "%": quoted. */
	{ "filename", "100%*'.txt",
	  "Content-Disposition: attachment; filename=\"100%*'.txt\"; size=1234\n" },
	/* RFC 2231 4: "*", "'", "%" and space are percent-encoded. */
	{ "title", "This is ***fun*** \xc3\xbc",
	  "Content-Disposition: attachment;\n"
	  " title*=utf-8''This%20is%20%2A%2A%2Afun%2A%2A%2A%20%C3%BC; size=1234\n" },
	{ "filename", "\xe6\x8a\xa5\xe5\x91\x8a.pdf",
	  "Content-Disposition: attachment; filename*=utf-8''%E6%8A%A5%E5%91%8A.pdf;"
	  "\n size=1234\n" },
	/* RFC 2231 3: URL*0/URL*1, here in one piece as it fits. */
	{ "URL", "ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar",
	  "Content-Disposition: attachment;\n"
	  " URL=\"ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar\";"
	  " size=1234\n" },
	{ "name", "\xe6\x8a\xa5\xe5\x91\x8a.pdf",
	  "Content-Disposition: attachment; name=\"=?utf-8?B?5oql5ZGKLnBkZg==?=\";"
	  "\n size=1234\n" },
};

static void
test_exact(void **state)
{
	size_t i;
	char *s;

	(void)state;
	for (i = 0; i < sizeof(exact) / sizeof(exact[0]); i++) {
		s = field(exact[i].name, exact[i].value,
		    strcmp(exact[i].name, "name") == 0);
		assert_string_equal(s, exact[i].out);
		free(s);
	}
}

static const char *const values[] = {
	"report.pdf",
	"my report.pdf",
	/* RFC 2231 3's URL, longer, so that it continues. */
	"ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer/bulk-mailer/"
	"bulk-mailer.tar",
	/* A long Chinese file name. */
	"\xe8\xbf\x99\xe6\x98\xaf\xe4\xb8\x80\xe4\xb8\xaa\xe9\x9d\x9e\xe5\xb8"
	"\xb8\xe9\x95\xbf\xe7\x9a\x84\xe4\xb8\xad\xe6\x96\x87\xe6\x96\x87\xe4"
	"\xbb\xb6\xe5\x90\x8d\xe7\xa7\xb0\xe7\x94\xa8\xe4\xba\x8e\xe6\xb5\x8b"
	"\xe8\xaf\x95\xe5\x8f\x82\xe6\x95\xb0\xe7\xbb\xad\xe8\xa1\x8c\xe5\x8a"
	"\x9f\xe8\x83\xbd\xe6\x98\xaf\xe5\x90\xa6\xe6\xad\xa3\xe7\xa1\xae.pdf",
	/* Quotes and backslashes that continue: no \" is cut. */
	"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\""
	"\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\",
	"a;b=c (d) [e] <f> @g ,h :i /j ?k",
	"tab\there\x01" "ctl",
	"\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0"
	"\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80.png",
};

/* Every value comes back; long ones continue (*0, *1, ...). */
static void
test_roundtrip(void **state)
{
	size_t i;
	char *s, *v;

	(void)state;
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		s = field("filename", values[i], 0);
		v = param(s, "filename");
		assert_non_null(v);
		assert_string_equal(v, values[i]);
		free(v);
		v = param(s, "size");
		assert_non_null(v);
		assert_string_equal(v, "1234");
		free(v);
		if (strlen(values[i]) > 60)
			assert_non_null(strstr(s, "filename*1"));
		free(s);
	}
}

/* The Chinese name: segments of whole characters, several lines. */
static void
test_chinese(void **state)
{
	char *s;
	const char *p;
	int segs = 0;

	(void)state;
	s = field("filename", values[3], 0);
	assert_non_null(strstr(s, "\n filename*0*=utf-8''%E8%BF%99"));
	for (p = s; (p = strstr(p, "filename*")) != NULL; p++)
		segs++;
	assert_true(segs >= 5);
	/* Each segment starts a character: "%E" + a lead byte. */
	for (p = s; (p = strstr(p, "filename*")) != NULL; p++) {
		p = strchr(p, '=') + 1;
		if (strncmp(p, "utf-8''", 7) == 0)
			p += 7;
		assert_true(strncmp(p, "%E", 2) == 0 || *p == '.');
	}
	free(s);
}

/* Decodes the compat form: one quoted-string of B words. */
static char *
compat_value(const char *fld)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	struct mc_buf u, v;
	const char *p, *nl, *e;
	char *out;
	unsigned acc;
	int bits, d;

	mc_buf_init(&u);
	mc_buf_init(&v);
	for (p = fld; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		assert_true(nl - p <= MC_EW_COLS);
		mc_buf_add(&u, p, (size_t)(nl - p));
	}
	p = strstr(u.p, "name=\"") + 6;
	e = strchr(p, '"');
	while (p < e) {
		assert_true(strncmp(p, "=?utf-8?B?", 10) == 0);
		p += 10;
		acc = 0;
		bits = 0;
		for (; *p != '?'; p++) {
			if (*p == '=')
				continue;
			d = (int)(strchr(b64, *p) - b64);
			acc = acc << 6 | (unsigned)d;
			if ((bits += 6) >= 8) {
				bits -= 8;
				mc_buf_addc(&v, (char)(acc >> bits));
			}
		}
		assert_true(p[1] == '=');
		p += 2;
		p += strspn(p, " ");
	}
	mc_buf_addc(&v, '\0');
	out = v.p;
	mc_buf_free(&u);
	return out;
}

static void
test_compat(void **state)
{
	char *s, *v;
	size_t i;

	(void)state;
	for (i = 3; i < sizeof(values) / sizeof(values[0]); i++) {
		if (i == 4 || i == 5)
			continue;	/* ASCII: not the compat form */
		s = field("name", values[i], 1);
		v = compat_value(s);
		assert_string_equal(v, values[i]);
		free(v);
		free(s);
	}
	/* An ASCII value keeps the RFC 2045 form. */
	s = field("name", "plain.txt", 1);
	assert_non_null(strstr(s, " name=plain.txt;"));
	free(s);
}

/* Random names of ASCII, specials and UTF-8: decoded back, lines within
 * bounds, characters never split. */
static void
test_random(void **state)
{
	static const char *const pool[] = {
		"a", "Report", " ", ".", "\"", "\\", ";", "%", "*", "'", "=",
		"caf\xc3\xa9", "\xe6\x8a\xa5\xe5\x91\x8a", "\xf0\x9f\x98\x80",
		"2026", "-", "_", "(x)",
	};
	struct mc_buf in;
	uint32_t seed = 2231;
	char *s, *v;
	int i, j, n;

	(void)state;
	mc_buf_init(&in);
	for (i = 0; i < 3000; i++) {
		in.len = 0;
		seed = seed * 1664525 + 1013904223;
		n = 1 + (int)((seed >> 8) % 80);
		for (j = 0; j < n; j++) {
			seed = seed * 1664525 + 1013904223;
			mc_buf_adds(&in, pool[(seed >> 8) %
			    (sizeof(pool) / sizeof(pool[0]))]);
		}
		s = field("filename", in.p, 0);
		v = param(s, "filename");
		assert_non_null(v);
		assert_string_equal(v, in.p);
		free(v);
		free(s);
	}
	mc_buf_free(&in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_token),
		cmocka_unit_test(test_exact),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_chinese),
		cmocka_unit_test(test_compat),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
