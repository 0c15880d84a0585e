/* SPDX-License-Identifier: ISC */
/* Unit tests for qp.c: quoted-printable, RFC 2045 6.7 and SPEC 2. */
#include "unit.h"

#include <stdio.h>

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint32_t
rnd(void)
{
	return unit_xorshift(&rng);
}

/*
 * The table: "~NNc" stands for NN copies of c, so that lines around the
 * 76-character limit stay readable.  crlf: the output uses CRLF.
 */
static const struct {
	const char *in, *out;
	int crlf;
} cases[] = {
	{ "", "", 0 },
	{ "hello\n", "hello\n", 0 },
	{ "hello", "hello=\n", 0 },		/* ends in a soft break */
	{ "tab\there\n", "tab\there\n", 0 },
	/* RFC 2045 6.7 (1): "=" is always encoded. */
	{ "a=b\n", "a=3Db\n", 0 },
	{ "=", "=3D=\n", 0 },
	/* 6.7 (2), (1): controls, DEL and 8-bit bytes encoded, in capitals. */
	{ "\x01\x1b\x7f\x80\xff", "=01=1B=7F=80=FF=\n", 0 },
	{ "caf\xc3\xa9\n", "caf=C3=A9\n", 0 },
	/* 6.7 (3): white space before a line end, or the end, encoded. */
	{ "trailing space \n", "trailing space=20\n", 0 },
	{ "trailing tab\t\n", "trailing tab=09\n", 0 },
	{ "two  \n", "two =20\n", 0 },
	{ "end space ", "end space=20=\n", 0 },
	{ " \t \n", " \t=20\n", 0 },
	{ "a \r\nb", "a=20\r\nb=\r\n", 1 },
	/* 6.7 (4): line ends, LF or CRLF in, as the output wants them. */
	{ "a\r\nb\r\n", "a\nb\n", 0 },
	{ "a\r\nb\nc", "a\r\nb\r\nc=\r\n", 1 },
	{ "\n\n", "\n\n", 0 },
	/* A bare CR is data. */
	{ "a\rb\n", "a=0Db\n", 0 },
	{ "a\r", "a=0D=\n", 0 },
	{ "\r\r\n", "=0D\r\n", 1 },
	/* SPEC 2: no line that is a lone ".". */
	{ ".\n", "=2E\n", 0 },
	{ ".", "=2E=\n", 0 },
	{ ".\r\n", "=2E\r\n", 1 },
	{ "a\n.\nb\n", "a\n=2E\nb\n", 0 },
	{ "..\n", "..\n", 0 },
	{ ". \n", ".=20\n", 0 },
	{ "a.\n", "a.\n", 0 },
	/* SPEC 2: no line starting with "From ". */
	{ "From here\n", "=46rom here\n", 0 },
	{ "x\nFrom y\n", "x\n=46rom y\n", 0 },
	{ "From ", "=46rom=20=\n", 0 },
	{ "From", "From=\n", 0 },
	{ "From\n", "From\n", 0 },
	{ "Fromage\n", "Fromage\n", 0 },
	{ " From x\n", " From x\n", 0 },
	{ "a From b\n", "a From b\n", 0 },
	/* 6.7 (5): lines of at most 76 characters, soft breaks. */
	{ "~76a\n", "~76a\n", 0 },
	{ "~76a", "~75a=\na=\n", 0 },
	{ "~77a\n", "~75a=\naa\n", 0 },
	{ "~77a", "~75a=\naa=\n", 0 },
	{ "~150a", "~75a=\n~75a=\n", 0 },
	{ "~151a\n", "~75a=\n~76a\n", 0 },
	{ "~152a\n", "~75a=\n~75a=\naa\n", 0 },
	{ "~77a\r\n", "~75a=\r\naa\r\n", 1 },
	/* The end of the text gets a soft break: 75 before its "=". */
	{ "~75a", "~75a=\n", 0 },
	{ "~76a", "~75a=\r\na=\r\n", 1 },
	{ "~72a=", "~72a=3D=\n", 0 },
	{ "~73a=", "~73a=\n=3D=\n", 0 },
	{ "~74a b", "~74a=\n b=\n", 0 },
	/* An =XX is never split. */
	{ "~73a=\n", "~73a=3D\n", 0 },
	{ "~74a=\n", "~74a=\n=3D\n", 0 },
	{ "~73a=x\n", "~73a=\n=3Dx\n", 0 },
	{ "~72a=x", "~72a=3D=\nx=\n", 0 },
	{ "~74a\xff\xfe", "~74a=\n=FF=FE=\n", 0 },
	/* No white space before a soft break either. */
	{ "~74a ~10b\n", "~74a=\n ~10b\n", 0 },
	{ "~73a ~10b\n", "~73a b=\n~9b\n", 0 },
	{ "~74a b\n", "~74a b\n", 0 },
	{ "~73a \n", "~73a=20\n", 0 },
	{ "~74a \n", "~74a=\n=20\n", 0 },
	{ "~75a \n", "~75a=\n=20\n", 0 },
	{ "~72a   b\n", "~72a=20=\n  b\n", 0 },
	{ "~71a \tb", "~71a \tb=\n", 0 },
	{ "~73a\t\tb", "~73a=\n\t\tb=\n", 0 },
	{ "~72a\t\tb", "~72a=09=\n\tb=\n", 0 },
	{ "~74a\t=\n", "~74a=\n\t=3D\n", 0 },
	/* A UTF-8 character stays on one line. */
	{ "~69a\xc3\xa9x\n", "~69a=C3=A9x\n", 0 },
	{ "~70a\xc3\xa9x\n", "~70a=\n=C3=A9x\n", 0 },
	{ "~70a\xc3\xa9", "~70a=\n=C3=A9=\n", 0 },
	{ "~65a\xf0\x9f\x98\x80x", "~65a=\n=F0=9F=98=80x=\n", 0 },
	{ "~72a \xe4\xb8\xad", "~72a=20=\n=E4=B8=AD=\n", 0 },
	{ "~73a \xe4\xb8\xad", "~73a=\n =E4=B8=AD=\n", 0 },
	/* An invalid sequence is split like single bytes. */
	{ "~72a\xc3" "Ab", "~72a=C3=\nAb=\n", 0 },
	{ "~71a\xe4\xb8", "~71a=E4=\n=B8=\n", 0 },
	/* "From " and "." at the start of a line after a soft break. */
	{ "~75aFrom x\n", "~75a=\n=46rom x\n", 0 },
	{ "~75a..\n", "~75a=\n..\n", 0 },
};

/* Expands "~NNc". */
static char *
expand(const char *s, size_t *len)
{
	struct mc_buf b;
	char *end;
	long n;

	mc_buf_init(&b);
	mc_buf_add(&b, "", 0);
	while (*s != '\0') {
		if (*s == '~') {
			n = strtol(s + 1, &end, 10);
			for (; n > 0; n--)
				mc_buf_addc(&b, *end);
			s = end + 1;
		} else
			mc_buf_addc(&b, *s++);
	}
	assert_false(b.oom);
	*len = b.len;
	return b.p;
}

/* Encodes in pieces: chunk 0 is one call, -1 random sizes, else that
 * size; checks the byte count. */
static void
encode(struct memsink *m, const void *p, size_t n, int crlf, long chunk)
{
	struct mc_out *out = malloc(sizeof(*out));
	struct mc_qp st;
	const unsigned char *s = p;
	size_t k, i = 0;

	assert_non_null(out);
	mc_buf_init(&m->b);
	mc_buf_add(&m->b, "", 0);
	m->fail_after = 0;
	mc_out_init(out, memsink_write, m, crlf);
	mc_qp_init(&st, out);
	while (i < n) {
		if (chunk == 0)
			k = n;
		else if (chunk < 0)
			k = 1 + rnd() % 40;
		else
			k = (size_t)chunk;
		if (k > n - i)
			k = n - i;
		assert_int_equal(mc_qp_step(&st, s + i, k), 0);
		i += k;
	}
	assert_int_equal(mc_qp_finish(&st), 0);
	assert_int_equal(mc_out_flush(out), 0);
	assert_int_equal(st.bytes, m->b.len);
	free(out);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * A strict decoder: fails the test on anything RFC 2045 6.7 or SPEC 2 does
 * not allow in our output.  Output line ends become LF.
 */
static void
decode(struct mc_buf *d, const char *s, size_t n, int crlf)
{
	size_t i = 0, ls, le, j;
	int ended, soft, hi, lo;

	mc_buf_init(d);
	mc_buf_add(d, "", 0);
	/* The output ends in a line end (a soft break when the text did
	 * not). */
	assert_true(n == 0 || s[n - 1] == '\n');
	while (i < n) {
		ls = i;
		while (i < n && s[i] != '\n')
			i++;
		le = i;
		if ((ended = i < n)) {
			if (crlf) {
				assert_true(le > ls && s[le - 1] == '\r');
				le--;
			}
			i++;
		}
		assert_true(le - ls <= 76);
		assert_false(le - ls == 1 && s[ls] == '.');
		assert_false(le - ls >= 5 && memcmp(s + ls, "From ", 5) == 0);
		/* Hex digits are never "=": a last "=" is a soft break. */
		if ((soft = le > ls && s[le - 1] == '=')) {
			assert_true(ended);
			le--;
		}
		/* RFC 2045 6.7 (3): no white space at the end of a line. */
		if (le > ls)
			assert_true(s[le - 1] != ' ' && s[le - 1] != '\t');
		for (j = ls; j < le; j++) {
			if (s[j] == '=') {
				assert_true(j + 2 < le);
				hi = hexval(s[j + 1]);
				lo = hexval(s[j + 2]);
				assert_true(hi >= 0 && lo >= 0);
				mc_buf_addc(d, (char)(hi << 4 | lo));
				j += 2;
				continue;
			}
			assert_true((s[j] > 32 && s[j] < 127) || s[j] == ' ' ||
			    s[j] == '\t');
			mc_buf_addc(d, s[j]);
		}
		if (ended && !soft)
			mc_buf_addc(d, '\n');
	}
	assert_false(d->oom);
}

static void
test_table(void **state)
{
	struct memsink m, p;
	char *in, *out;
	size_t i, nin, nout;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		in = expand(cases[i].in, &nin);
		out = expand(cases[i].out, &nout);
		encode(&m, in, nin, cases[i].crlf, 0);
		if (m.b.len != nout || memcmp(m.b.p, out, nout) != 0)
			fail_msg("case %zu: \"%s\" gave \"%s\"", i,
			    cases[i].in, m.b.p);
		encode(&p, in, nin, cases[i].crlf, 1);
		assert_string_equal(p.b.p, m.b.p);
		mc_buf_free(&p.b);
		mc_buf_free(&m.b);
		free(in);
		free(out);
	}
}

/* Random text made of the pieces that matter to the rules. */
static char *
random_text(size_t *len, int utf8only)
{
	static const char *pieces[] = {
		"a", "b", "Z", " ", "\t", "=", ".", "F", "From ", "rom ", "\n",
		"\r\n", "\xc3\xa9", "\xe4\xb8\xad", "\xf0\x9f\x98\x80", ".\n",
		"  ", "--", "\r", "\0", "\xff", "\x80", "\x7f", "\xc3",
	};
	size_t np = sizeof(pieces) / sizeof(pieces[0]) - (utf8only ? 6 : 0);
	struct mc_buf b;
	size_t n, i, k;
	const char *pc;

	mc_buf_init(&b);
	mc_buf_add(&b, "", 0);
	n = rnd() % 600;
	for (i = 0; i < n; i++) {
		if (rnd() % 8 == 0) {
			/* a run of letters, to reach the line limit */
			for (k = rnd() % 90; k > 0; k--)
				mc_buf_addc(&b, 'x');
			continue;
		}
		pc = pieces[rnd() % np];
		mc_buf_add(&b, pc, pc[0] == '\0' ? 1 : strlen(pc));
	}
	assert_false(b.oom);
	*len = b.len;
	return b.p;
}

/* CRLF in becomes LF, as the decoder writes line ends. */
static size_t
normalize(char *s, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++)
		if (!(s[i] == '\r' && i + 1 < n && s[i + 1] == '\n'))
			s[o++] = s[i];
	return o;
}

static void
test_roundtrip(void **state)
{
	struct memsink m, c;
	struct mc_buf d;
	size_t n, i;
	char *in;
	int crlf;

	(void)state;
	for (i = 0; i < 3000; i++) {
		in = random_text(&n, 0);
		crlf = (int)(i & 1);
		encode(&m, in, n, crlf, 0);
		/* Any chunking gives the same output. */
		encode(&c, in, n, crlf, i % 3 == 0 ? 1 : -1);
		assert_int_equal(c.b.len, m.b.len);
		assert_memory_equal(c.b.p, m.b.p, m.b.len);
		decode(&d, m.b.p, m.b.len, crlf);
		n = normalize(in, n);
		if (d.len != n || memcmp(d.p, in, n) != 0)
			fail_msg("round trip %zu differs", i);
		mc_buf_free(&c.b);
		mc_buf_free(&d);
		mc_buf_free(&m.b);
		free(in);
	}
}

/* Valid UTF-8 text: no soft break inside a character. */
static void
test_utf8_kept_whole(void **state)
{
	struct memsink m;
	size_t n, i, j;
	char *in;

	(void)state;
	for (i = 0; i < 1000; i++) {
		in = random_text(&n, 1);
		encode(&m, in, n, 0, -1);
		for (j = 0; j + 3 < m.b.len; j++)
			if (m.b.p[j] == '=' && m.b.p[j + 1] == '\n') {
				/* the next line must not open with a
				 * continuation byte (=80..=BF) */
				assert_false(m.b.p[j + 2] == '=' &&
				    (m.b.p[j + 3] == '8' || m.b.p[j + 3] == '9'
				    || m.b.p[j + 3] == 'A' ||
				    m.b.p[j + 3] == 'B'));
			}
		mc_buf_free(&m.b);
		free(in);
	}
}

static void
test_nul(void **state)
{
	struct memsink m;

	(void)state;
	encode(&m, "a\0b\0", 4, 0, 1);
	assert_int_equal(m.b.len, 10);
	assert_string_equal(m.b.p, "a=00b=00=\n");
	mc_buf_free(&m.b);
}

static void
test_long_line(void **state)
{
	struct memsink m;
	struct mc_buf d;
	char *in;
	size_t n = 100000, i, lines = 0;

	(void)state;
	in = malloc(n);
	assert_non_null(in);
	for (i = 0; i < n; i++)
		in[i] = (char)('a' + i % 26);
	encode(&m, in, n, 1, -1);
	for (i = 0; i < m.b.len; i++)
		lines += m.b.p[i] == '\n';
	/* 75 characters and "=" a line, the last one shorter. */
	assert_int_equal(lines, (n + 74) / 75);
	assert_int_equal(m.b.len, n + lines * 3);
	decode(&d, m.b.p, m.b.len, 1);
	assert_int_equal(d.len, n);
	assert_memory_equal(d.p, in, n);
	mc_buf_free(&d);
	mc_buf_free(&m.b);
	free(in);
}

/* One case of test_fast_paths: special at column col, then after, then a
 * long run of words. */
static void
fast_case(size_t col, const char *special, const char *after, int crlf)
{
	struct memsink one, bytes;
	struct mc_buf in, d;
	size_t n;

	mc_buf_init(&in);
	mc_buf_add(&in, "x\n", 2);
	for (n = 0; n < col; n++)
		mc_buf_addc(&in, (char)('a' + n % 7));
	mc_buf_adds(&in, special);
	mc_buf_adds(&in, after);
	for (n = 0; n < 200; n++)
		mc_buf_addc(&in, n % 6 == 5 ? ' ' : 'w');
	mc_buf_adds(&in, after);
	assert_false(in.oom);
	encode(&one, in.p, in.len, crlf, 0);
	encode(&bytes, in.p, in.len, crlf, 1);
	if (one.b.len != bytes.b.len ||
	    memcmp(one.b.p, bytes.b.p, one.b.len) != 0)
		fail_msg("column %zu, \"%s\" then \"%s\": one call and byte "
		    "by byte differ", col, special, after);
	decode(&d, one.b.p, one.b.len, crlf);
	n = normalize(in.p, in.len);
	assert_int_equal(d.len, n);
	assert_memory_equal(d.p, in.p, n);
	mc_buf_free(&d);
	mc_buf_free(&one.b);
	mc_buf_free(&bytes.b);
	mc_buf_free(&in);
}

/*
 * The fast paths (runs of plain text, runs of =XX) end at the same places
 * as the byte-at-a-time rules: a special byte at every column from 0 to
 * 80, before every kind of line end, gives the same bytes in one call as
 * one byte at a time, and decodes back.
 */
static void
test_fast_paths(void **state)
{
	static const char *special[] = {
		" ", "\t", "  ", "=", ".", "F", "From ", "\xc3\xa9",
		"\xe4\xb8\xad\xe4\xb8\xad", "\xff", "\r", "\x01",
	};
	static const char *after[] = {
		"", "b", "\n", "\r\n", " \n", "\t", "\xc3\xa9", "=\n",
		"From x\n", "\xf0\x9f\x98\x80", " \xf0\x9f\x98\x80",
	};
	size_t col, i, j;

	(void)state;
	for (col = 0; col <= 80; col++)
		for (i = 0; i < sizeof(special) / sizeof(special[0]); i++)
			for (j = 0; j < sizeof(after) / sizeof(after[0]); j++)
				fast_case(col, special[i], after[j],
				    (int)((col + i + j) & 1));
}

/* Count only, in pieces as encode() takes them. */
static uint64_t
count(const void *p, size_t n, long chunk)
{
	const unsigned char *s = p;
	struct mc_qp st;
	size_t k, i = 0;

	mc_qp_count_init(&st);
	while (i < n) {
		k = chunk == 0 ? n : chunk < 0 ? 1 + rnd() % 40 :
		    (size_t)chunk;
		if (k > n - i)
			k = n - i;
		assert_int_equal(mc_qp_step(&st, s + i, k), 0);
		i += k;
	}
	assert_int_equal(mc_qp_finish(&st), 0);
	return st.bytes;
}

static const long chunks[] = { 0, 1, 2, 3, 5, 7, 8, 13, 64, -1 };
#define NCHUNKS	(sizeof(chunks) / sizeof(chunks[0]))

/* Count only gives the length the encoder writes on an LF output. */
static void
count_case(const char *in, size_t n, long chunk)
{
	struct memsink m;
	uint64_t c;

	encode(&m, in, n, 0, chunk);
	if ((c = count(in, n, chunk)) != m.b.len)
		fail_msg("counted %llu, wrote %zu (chunk %ld)",
		    (unsigned long long)c, m.b.len, chunk);
	mc_buf_free(&m.b);
}

/*
 * Count only gives exactly the length the encoder writes, however either
 * is chunked: the table, thousands of random texts, and characters of
 * every length around the soft-break column.
 */
static void
test_count(void **state)
{
	static const char *chars[] = {
		"\xc3\xa9", "\xe4\xb8\xad", "\xf0\x9f\x98\x80", "\x01", "=",
	};
	static const char *tails[] = {
		"", "\n", "\r\n", "a", " \n", "\xe4\xb8", "\r", "=\n",
	};
	struct memsink one, bytes;
	struct mc_buf t;
	size_t i, j, k, col, n;
	char *in;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		in = expand(cases[i].in, &n);
		for (j = 0; j < NCHUNKS; j++)
			count_case(in, n, chunks[j]);
		free(in);
	}
	for (i = 0; i < 4000; i++) {
		in = random_text(&n, (int)(i % 2));
		count_case(in, n, chunks[i % NCHUNKS]);
		assert_int_equal(count(in, n, chunks[(i / NCHUNKS) % NCHUNKS]),
		    count(in, n, 0));
		free(in);
	}
	/* A run of =XX units reaching the soft-break column at every
	 * column, then every kind of end: the same bytes in one call as
	 * one byte at a time, and the count agrees. */
	for (col = 0; col < 80; col++)
		for (i = 0; i < sizeof(chars) / sizeof(chars[0]); i++)
			for (j = 0; j < sizeof(tails) / sizeof(tails[0]); j++) {
				mc_buf_init(&t);
				mc_buf_add(&t, "", 0);
				for (k = 0; k < col; k++)
					mc_buf_addc(&t, 'a');
				for (k = 0; k < 40; k++)
					mc_buf_adds(&t, chars[i]);
				mc_buf_adds(&t, tails[j]);
				mc_buf_adds(&t, "x");
				mc_buf_adds(&t, chars[i]);
				mc_buf_adds(&t, tails[j]);
				assert_false(t.oom);
				encode(&one, t.p, t.len, (int)(col & 1), 0);
				encode(&bytes, t.p, t.len, (int)(col & 1), 1);
				assert_int_equal(one.b.len, bytes.b.len);
				assert_memory_equal(one.b.p, bytes.b.p,
				    one.b.len);
				for (k = 0; k < NCHUNKS; k++)
					count_case(t.p, t.len, chunks[k]);
				mc_buf_free(&one.b);
				mc_buf_free(&bytes.b);
				mc_buf_free(&t);
			}
}

/* The ways mc_qp_force offers but "unit" (the rules alone); those this
 * build lacks are skipped. */
static const char *const paths[] = { NULL, "sse2", "scalar" };
#define NPATHS	(sizeof(paths) / sizeof(paths[0]))

/*
 * One case of test_line_paths: every path, in one call and in random
 * pieces (the fastest also byte by byte), gives the bytes of the rules
 * alone, which decode() finds valid (lines of at most 76, no white space
 * before a line end, no lone "." or "From ") and decoding to the input;
 * counting gives the size of the LF output.
 */
static void
paths_case(const char *in, size_t n, int crlf, size_t col,
    const char *special, const char *after)
{
	struct memsink want, got;
	struct mc_buf d;
	size_t i, nn;
	char *norm;
	long ch;

	assert_int_equal(mc_codec_force(MC_CODEC_QP, "unit"), 0);
	encode(&want, in, n, crlf, 0);
	decode(&d, want.b.p, want.b.len, crlf);
	norm = malloc(n + 1);
	assert_non_null(norm);
	memcpy(norm, in, n);
	nn = normalize(norm, n);
	if (d.len != nn || memcmp(d.p, norm, nn) != 0)
		fail_msg("column %zu, \"%s\" then \"%s\": does not decode "
		    "back", col, special, after);
	for (i = 0; i < NPATHS; i++) {
		if (mc_codec_force(MC_CODEC_QP, paths[i]) == -1)
			continue;
		for (ch = i == 0 ? 1 : 0; ch >= -1; ch--) {
			encode(&got, in, n, crlf, ch);
			if (got.b.len != want.b.len ||
			    memcmp(got.b.p, want.b.p, want.b.len) != 0)
				fail_msg("column %zu, \"%s\" then \"%s\": "
				    "%s, chunks %ld differ", col, special,
				    after, paths[i] ? paths[i] : "fastest", ch);
			mc_buf_free(&got.b);
			if (!crlf && count(in, n, ch) != want.b.len)
				fail_msg("column %zu, \"%s\" then \"%s\": "
				    "%s counts wrong", col, special, after,
				    paths[i] ? paths[i] : "fastest");
		}
	}
	mc_codec_force(MC_CODEC_QP, NULL);
	free(norm);
	mc_buf_free(&d);
	mc_buf_free(&want.b);
}

/*
 * The line-at-a-time fast path decides from where the soft-break column
 * falls: every kind of special byte at every column from 55 to 80, after
 * letters or words, then what may follow it, and again where a run of
 * words leaves it, with enough text after each for the fast path to look
 * at.  Two spaces in a row, a "." or "From " pushed to the start of a
 * line, and a UTF-8 character that does not fit all change where the
 * line breaks.
 */
static void
test_line_paths(void **state)
{
	static const char *special[] = {
		" ", "\t", "  ", "=", "\x80", "\xff", "\xc3\xa9",
		"\xe4\xb8\xad", "\xf0\x9f\x98\x80", ".", "From ", "\r", "\n",
		"\r\n",
	};
	static const char *after[] = {
		"", "b", " b", "\n", "\r\n", " \n", "b\n", "  b\n",
	};
	struct mc_buf in;
	size_t col, i, j, k, words;

	(void)state;
	for (col = 55; col <= 80; col++)
		for (i = 0; i < sizeof(special) / sizeof(special[0]); i++)
			for (j = 0; j < sizeof(after) / sizeof(after[0]); j++)
				for (words = 0; words <= 1; words++) {
					mc_buf_init(&in);
					mc_buf_add(&in, "x\n", 2);
					for (k = 0; k < col; k++)
						mc_buf_addc(&in, words &&
						    k % 5 == 4 ? ' ' :
						    (char)('a' + k % 7));
					mc_buf_adds(&in, special[i]);
					mc_buf_adds(&in, after[j]);
					for (k = 0; k < 150; k++)
						mc_buf_addc(&in, k % 6 == 5 ?
						    ' ' : 'w');
					mc_buf_adds(&in, special[i]);
					mc_buf_adds(&in, after[j]);
					for (k = 0; k < 150; k++)
						mc_buf_addc(&in, 'v');
					assert_false(in.oom);
					paths_case(in.p, in.len, (int)((col +
					    i + j + words) & 1), col,
					    special[i], after[j]);
					mc_buf_free(&in);
				}
}

/* mc_codec_force for quoted-printable: its names only, NULL to go back. */
static void
test_force(void **state)
{
	(void)state;
	assert_int_equal(mc_codec_force(MC_CODEC_QP, "unit"), 0);
	assert_int_equal(mc_codec_force(MC_CODEC_QP, "scalar"), 0);
	assert_int_equal(mc_codec_force(MC_CODEC_QP, "bogus"), -1);
	assert_int_equal(mc_codec_force(MC_CODEC_QP, NULL), 0);
}

static void
test_write_error(void **state)
{
	struct mc_out *out = malloc(sizeof(*out));
	struct memsink m;
	struct mc_qp st;
	char *in;
	size_t n = 300000;

	(void)state;
	assert_non_null(out);
	in = malloc(n);
	assert_non_null(in);
	memset(in, '=', n);
	mc_buf_init(&m.b);
	m.fail_after = 100;
	mc_out_init(out, memsink_write, &m, 0);
	mc_qp_init(&st, out);
	assert_int_equal(mc_qp_step(&st, in, n), -1);
	assert_int_equal(mc_qp_step(&st, in, 5), -1);
	assert_int_equal(mc_qp_finish(&st), -1);
	assert_int_equal(out->sys, 28);
	mc_buf_free(&m.b);
	free(out);
	free(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_utf8_kept_whole),
		cmocka_unit_test(test_nul),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_fast_paths),
		cmocka_unit_test(test_line_paths),
		cmocka_unit_test(test_force),
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_write_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
