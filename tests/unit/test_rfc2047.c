/* SPDX-License-Identifier: ISC */
/* rfc2047.c: encoded-words, checked by decoding them again (RFC 2047 8). */
#include <stdio.h>

#include "unit.h"

static int
b64val(char c)
{
	const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789+/";
	const char *p = c != '\0' ? strchr(a, c) : NULL;

	return p != NULL ? (int)(p - a) : -1;
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

/* Decodes one encoded-word w[0..n) into out; 0, or -1 when it is not one
 * of ours (utf-8, B or Q, at most 75 characters, whole characters). */
static int
decode_word(const char *w, size_t n, struct mc_buf *out)
{
	size_t i, start = out->len;
	unsigned v = 0;
	int bits = 0, d;

	if (n < 12 || n > MC_EW_MAX || strncmp(w, "=?utf-8?", 8) != 0 ||
	    w[9] != '?' || w[n - 2] != '?' || w[n - 1] != '=')
		return -1;
	if (w[8] == 'B') {
		if ((n - 12) % 4 != 0)
			return -1;
		for (i = 10; i < n - 2 && w[i] != '='; i++) {
			if ((d = b64val(w[i])) < 0)
				return -1;
			v = v << 6 | (unsigned)d;
			if ((bits += 6) >= 8) {
				bits -= 8;
				mc_buf_addc(out, (char)(v >> bits));
			}
		}
	} else if (w[8] == 'Q') {
		for (i = 10; i < n - 2; i++) {
			if (w[i] == '_')
				mc_buf_addc(out, ' ');
			else if (w[i] == '=') {
				if (i + 2 >= n - 1 || hexval(w[i + 1]) < 0 ||
				    hexval(w[i + 2]) < 0)
					return -1;
				mc_buf_addc(out, (char)(hexval(w[i + 1]) * 16 +
				    hexval(w[i + 2])));
				i += 2;
			} else if ((w[i] >= 'a' && w[i] <= 'z') ||
			    (w[i] >= 'A' && w[i] <= 'Z') ||
			    (w[i] >= '0' && w[i] <= '9') ||
			    strchr("!*+-/", w[i]) != NULL)
				/* RFC 2047 5 (3): the phrase-safe set. */
				mc_buf_addc(out, w[i]);
			else
				return -1;
		}
	} else
		return -1;
	/* A word never splits a character. */
	if (!mc_utf8_valid(out->p + start, out->len - start))
		return -1;
	return 0;
}

static int
is_ew(const char *w, size_t n)
{
	return n >= 12 && strncmp(w, "=?", 2) == 0 &&
	    strncmp(w + n - 2, "?=", 2) == 0;
}

/*
 * Unfolds a field (checking line lengths: 78, 76 with an encoded-word, no
 * line of white space alone), drops "Name: ", and decodes it as a reader
 * would: white space between two encoded-words is dropped (RFC 2047 6.2).
 * Returns the text (malloc'd) or NULL when something is wrong.
 */
static char *
decode_field(const char *field)
{
	struct mc_buf u, out;
	const char *p, *nl, *w, *ws;
	size_t n;
	int prev_ew = 0;

	mc_buf_init(&u);
	mc_buf_init(&out);
	for (p = field; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			goto bad;
		n = (size_t)(nl - p);
		if (n > MC_FOLD_COLS || strspn(p, " \t") >= n)
			goto bad;
		for (w = p; w < nl; w++)
			if ((unsigned char)*w >= 0x80 ||
			    (unsigned char)*w < 0x09)
				goto bad;
		if (n > MC_EW_COLS) {
			for (w = p; w < nl; w += strcspn(w, " \t\n")) {
				w += strspn(w, " \t");
				if (is_ew(w, strcspn(w, " \t\n")))
					goto bad;
			}
		}
		mc_buf_add(&u, p, n);
	}
	if (u.p == NULL || (p = strchr(u.p, ':')) == NULL || p[1] != ' ')
		goto bad;
	p += 2;
	while (*p != '\0') {
		ws = p;
		p += strspn(p, " \t");
		w = p;
		p += strcspn(p, " \t");
		if (w == p)
			break;
		n = (size_t)(p - w);
		if (is_ew(w, n)) {
			if (!prev_ew)
				mc_buf_add(&out, ws, (size_t)(w - ws));
			if (decode_word(w, n, &out) == -1)
				goto bad;
			prev_ew = 1;
		} else {
			mc_buf_add(&out, ws, (size_t)(p - ws));
			prev_ew = 0;
		}
	}
	mc_buf_addc(&out, '\0');
	mc_buf_free(&u);
	return out.p;
bad:
	mc_buf_free(&u);
	mc_buf_free(&out);
	return NULL;
}

/* The same for a phrase: atoms, quoted-strings and encoded-words, words
 * joined by one space (none between two encoded-words). */
static char *
decode_phrase(const char *field)
{
	struct mc_buf u, out;
	const char *p, *w;
	char *r;
	size_t n;
	int prev_ew = 0, quoted;

	mc_buf_init(&u);
	mc_buf_init(&out);
	if ((r = decode_field(field)) == NULL)	/* checks the lines */
		return NULL;
	free(r);
	for (p = field; *p != '\0'; p++)
		if (*p != '\n')
			mc_buf_addc(&u, *p);
	p = strchr(u.p, ':') + 2;
	while (*p != '\0') {
		p += strspn(p, " \t");
		if (*p == '\0')
			break;
		quoted = *p == '"';
		if (out.len > 0 && !(prev_ew && !quoted && is_ew(p,
		    strcspn(p, " \t"))))
			mc_buf_addc(&out, ' ');
		if (quoted) {
			for (p++; *p != '"'; p++) {
				if (*p == '\\')
					p++;
				if (*p == '\0')
					goto bad;
				mc_buf_addc(&out, *p);
			}
			p++;
			prev_ew = 0;
			continue;
		}
		w = p;
		p += strcspn(p, " \t");
		n = (size_t)(p - w);
		if ((prev_ew = is_ew(w, n)) != 0) {
			if (decode_word(w, n, &out) == -1)
				goto bad;
		} else
			mc_buf_add(&out, w, n);
	}
	mc_buf_addc(&out, '\0');
	mc_buf_free(&u);
	return out.p;
bad:
	mc_buf_free(&u);
	mc_buf_free(&out);
	return NULL;
}

static char *
subject(const char *name, const char *value)
{
	struct mc_buf b;
	struct mc_fold f;

	mc_buf_init(&b);
	mc_fold_begin(&f, &b, name);
	mc_2047_unstructured(&f, value);
	mc_fold_end(&f);
	return b.p;
}

static char *
phrase(const char *value)
{
	struct mc_buf b;
	struct mc_fold f;

	mc_buf_init(&b);
	mc_fold_begin(&f, &b, "To");
	mc_2047_phrase(&f, value, 1);
	mc_fold_end(&f);
	return b.p;
}

/* Exact encodings. */
static const struct {
	const char *in, *out;
} exact[] = {
	{ "Hello world", "Subject: Hello world\n" },
	{ "\xe9\x82\xae\xe4\xbb\xb6\xe7\x9a\x84\xe4\xb8\xbb\xe9\xa2\x98",
	  "Subject: =?utf-8?B?6YKu5Lu255qE5Li76aKY?=\n" },
	/* RFC 2047 8: "=?ISO-8859-1?Q?Andr=E9?= Pirard", in UTF-8 */
	{ "Andr\xc3\xa9 Pirard", "Subject: =?utf-8?B?QW5kcsOp?= Pirard\n" },
	/* Adjacent words are one run, the space inside (RFC 2047 6.2). */
	{ "\xc3\xa9 \xc3\xa9", "Subject: =?utf-8?B?w6kgw6k=?=\n" },
	{ "a \xc3\xa9  b", "Subject: a =?utf-8?B?w6k=?=  b\n" },
	/* Leading and trailing white space go; inner white space stays. */
	{ "  a \t b\tc  ", "Subject: a \t b\tc\n" },
	/* A look-alike is encoded, so that it is not decoded. */
	{ "=?utf-8?Q?x?=", "Subject: =?utf-8?B?PT91dGYtOD9RP3g/PQ==?=\n" },
	{ "a\x01" "b", "Subject: =?utf-8?B?YQFi?=\n" },
	/* The phrase-safe set only; Q where it is the shorter. */
	{ "\xc3\xa9" "abcdefghijklmnopqrstuvwxyzABCD_=?\"",
	  "Subject: =?utf-8?Q?=C3=A9abcdefghijklmnopqrstuvwxyzABCD"
	  "=5F=3D=3F=22?=\n" },
};

static void
test_exact(void **state)
{
	size_t i;
	char *s;

	(void)state;
	for (i = 0; i < sizeof(exact) / sizeof(exact[0]); i++) {
		s = subject("Subject", exact[i].in);
		assert_string_equal(s, exact[i].out);
		free(s);
	}
}

static const struct {
	const char *in, *out;
} phrases[] = {
	{ "John Doe", "To: John Doe\n" },
	{ "  John   Doe ", "To: \"John   Doe\"\n" },
	{ " John Doe ", "To: John Doe\n" },
	{ "Doe, John", "To: \"Doe, John\"\n" },
	{ "J. R. Doe", "To: \"J. R. Doe\"\n" },
	{ "Say \"hi\" \\o/", "To: \"Say \\\"hi\\\" \\\\o/\"\n" },
	{ "", "To: \"\"\n" },
	{ "Zo\xc3\xab \xc3\x9c", "To: =?utf-8?B?Wm/DqyDDnA==?=\n" },
	/* RFC 2047 8 examples, in UTF-8: one word each. */
	{ "Keld J\xc3\xb8rn Simonsen",
	  "To: =?utf-8?Q?Keld_J=C3=B8rn_Simonsen?=\n" },
	{ "Andr\xc3\xa9 Pirard", "To: =?utf-8?Q?Andr=C3=A9_Pirard?=\n" },
	{ "Patrik F\xc3\xa4ltstr\xc3\xb6m",
	  "To: =?utf-8?B?UGF0cmlrIEbDpGx0c3Ryw7Zt?=\n" },
	{ "Keith Moore", "To: Keith Moore\n" },
	{ "=?utf-8?Q?x?=", "To: =?utf-8?B?PT91dGYtOD9RP3g/PQ==?=\n" },
};

static void
test_phrase(void **state)
{
	size_t i;
	char *s;

	(void)state;
	for (i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++) {
		s = phrase(phrases[i].in);
		assert_string_equal(s, phrases[i].out);
		free(s);
	}
}

/* RFC 2047 8's texts (in UTF-8) come back from the decoder. */
static const char *const rfc_texts[] = {
	"Keith Moore",
	"Keld J\xc3\xb8rn Simonsen",
	"Andr\xc3\xa9 Pirard",
	"If you can read this you understand the example.",
	"Olle J\xc3\xa4rvefelt",
	"Patrik F\xc3\xa4ltstr\xc3\xb6m",
	/* "=?iso-8859-8?b?7eXs+SDv4SDp7Oj08A==?=" in UTF-8 */
	"\xd7\x9d\xd7\x95\xd7\x9c\xd7\xa9 \xd7\x9f\xd7\x91 \xd7\x99\xd7\x9c"
	"\xd7\x98\xd7\xa4\xd7\xa0",
	"a", "a b", "ab",
};

static void
test_rfc_examples(void **state)
{
	size_t i;
	char *s, *d;

	(void)state;
	for (i = 0; i < sizeof(rfc_texts) / sizeof(rfc_texts[0]); i++) {
		s = subject("Subject", rfc_texts[i]);
		d = decode_field(s);
		assert_non_null(d);
		assert_string_equal(d, rfc_texts[i]);
		free(s);
		free(d);
		s = phrase(rfc_texts[i]);
		/* Non-ASCII phrases are one word: no space outside it. */
		if (strchr(rfc_texts[i], '\xd7') != NULL) {
			assert_null(strchr(s + 4, ' '));
		}
		d = decode_phrase(s);
		assert_non_null(d);
		assert_string_equal(d, rfc_texts[i]);
		free(s);
		free(d);
	}
}

/* A long subject: each word at most 75, lines at most 76, the first
 * word filling the "Subject: " line, no character split. */
static void
test_long(void **state)
{
	struct mc_buf in;
	char *s, *d, *nl;
	int i;

	(void)state;
	mc_buf_init(&in);
	for (i = 0; i < 60; i++)
		mc_buf_adds(&in, "\xe9\x82\xae\xe4\xbb\xb6");	/* 邮件 */
	s = subject("Subject", in.p);
	d = decode_field(s);
	assert_non_null(d);
	assert_string_equal(d, in.p);
	nl = strchr(s, '\n');
	assert_true(nl - s >= 70);
	free(s);
	free(d);

	/* A long name after a long field name. */
	s = subject("X-A-Very-Long-Header-Name-For-Testing-Purposes-Only-Here",
	    in.p);
	d = decode_field(s);
	assert_non_null(d);
	assert_string_equal(d, in.p);
	free(s);
	free(d);

	/* A long phrase: several words, all of them valid. */
	s = phrase(in.p);
	d = decode_phrase(s);
	assert_non_null(d);
	assert_string_equal(d, in.p);
	assert_non_null(strchr(s, '\n'));
	assert_true(strchr(s, '\n')[1] != '\0');
	free(s);
	free(d);

	/* An ASCII word too long for a line is encoded; its neighbours
	 * are not. */
	in.len = 0;
	mc_buf_adds(&in, "see ");
	for (i = 0; i < 100; i++)
		mc_buf_addc(&in, 'a' + i % 26);
	mc_buf_adds(&in, " ok");
	s = subject("Subject", in.p);
	assert_true(strncmp(s, "Subject: see =?utf-8?Q?", 23) == 0);
	assert_non_null(strstr(s, "?= ok\n"));
	d = decode_field(s);
	assert_non_null(d);
	assert_string_equal(d, in.p);
	free(s);
	free(d);

	/* A long run of spaces is kept, inside an encoded-word. */
	in.len = 0;
	mc_buf_adds(&in, "a");
	for (i = 0; i < 200; i++)
		mc_buf_addc(&in, ' ');
	mc_buf_adds(&in, "b");
	s = subject("Subject", in.p);
	d = decode_field(s);
	assert_non_null(d);
	assert_string_equal(d, in.p);
	free(s);
	free(d);
	mc_buf_free(&in);
}

/* mc_2047_words alone: the words of a buffer. */
static void
test_words(void **state)
{
	struct mc_buf b;
	struct mc_fold f;
	char *d;

	(void)state;
	mc_buf_init(&b);
	mc_fold_begin(&f, &b, "X");
	mc_fold_token(&f, "plain", 5, 1, 0);
	/* 12 bytes: B and Q are 16 characters; Q on a tie. */
	mc_2047_words(&f, "\xc3\xbc" "bersetzung", 12, 1);
	mc_fold_end(&f);
	assert_string_equal(b.p, "X: plain =?utf-8?Q?=C3=BCbersetzung?=\n");
	d = decode_field(b.p);
	assert_string_equal(d, "plain \xc3\xbc" "bersetzung");
	free(d);
	mc_buf_free(&b);
}

static const char *const pool[] = {
	"a", "the", "Hello", "world", "x", "re:", "(note)", "[tag]", "a.b",
	"=?", "?=", "=?x?=", "a_b", "e=mc2", "100%", "\"quoted\"", "back\\s",
	"caf\xc3\xa9", "\xc3\xbc" "ber", "Zo\xc3\xab", "\xc3\x9c",
	"\xe9\x82\xae\xe4\xbb\xb6", "\xe7\x9a\x84\xe4\xb8\xbb\xe9\xa2\x98",
	"\xf0\x9f\x98\x80", "\xf0\x9f\x8e\x89party", "na\xc3\xafve",
	"\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82",
	"supercalifragilisticexpialidocious",
	"antidisestablishmentarianism-and-more-words-joined-by-hyphens-to-"
	"make-it-long",
};

static const char *const names[] = {
	"Subject", "X-Mailer-Comment", "Comments",
	"X-A-Really-Long-Field-Name-That-Takes-Room",
};

static uint32_t
rnd(uint32_t *s)
{
	*s = *s * 1664525 + 1013904223;
	return *s >> 8;
}

/* Trims white space at both ends. */
static void
trim(struct mc_buf *b)
{
	size_t lead = strspn(b->p, " \t"), o = b->len;

	while (o > lead && (b->p[o - 1] == ' ' || b->p[o - 1] == '\t'))
		o--;
	memmove(b->p, b->p + lead, o - lead);
	b->len = o - lead;
	b->p[b->len] = '\0';
}

/* Thousands of random subjects: lines within bounds, and unfolding and
 * decoding gives the input back, trimmed. */
static void
test_random(void **state)
{
	struct mc_buf in;
	uint32_t seed = 2047;
	const char *want;
	size_t end;
	char *s, *d;
	int i, j, n;

	(void)state;
	mc_buf_init(&in);
	for (i = 0; i < 5000; i++) {
		in.len = 0;
		if (rnd(&seed) % 8 == 0)
			mc_buf_adds(&in, " \t");
		n = 1 + (int)(rnd(&seed) % 25);
		for (j = 0; j < n; j++) {
			if (j > 0) {
				switch (rnd(&seed) % 10) {
				case 0:
					mc_buf_adds(&in, "  ");
					break;
				case 1:
					mc_buf_addc(&in, '\t');
					break;
				case 2:
					mc_buf_adds(&in, " \t ");
					break;
				default:
					mc_buf_addc(&in, ' ');
				}
			}
			mc_buf_adds(&in, pool[rnd(&seed) %
			    (sizeof(pool) / sizeof(pool[0]))]);
		}
		if (rnd(&seed) % 8 == 0)
			mc_buf_adds(&in, "  ");
		s = subject(names[rnd(&seed) % 4], in.p);
		d = decode_field(s);
		if (d == NULL)
			fprintf(stderr, "bad field: %s", s);
		assert_non_null(d);
		want = in.p + strspn(in.p, " \t");
		end = strlen(want);
		while (end > 0 && (want[end - 1] == ' ' ||
		    want[end - 1] == '\t'))
			end--;
		assert_int_equal(strlen(d), end);
		assert_memory_equal(d, want, end);
		free(s);
		free(d);
		/* The same words as a display name: white space inside
		 * is kept (quoted or encoded), at the ends dropped. */
		s = phrase(in.p);
		d = decode_phrase(s);
		assert_non_null(d);
		trim(&in);
		assert_string_equal(d, in.p);
		free(s);
		free(d);
	}
	mc_buf_free(&in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact),
		cmocka_unit_test(test_phrase),
		cmocka_unit_test(test_rfc_examples),
		cmocka_unit_test(test_long),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
