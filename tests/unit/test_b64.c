/* SPDX-License-Identifier: ISC */
/* Unit tests for b64.c: base64 lines, RFC 2045 6.8 and RFC 4648 4, for
 * every codec (libb64, scalar, avx2), byte for byte against each other and
 * decoded by libb64's decoder. */
#include "unit.h"

#include <stdio.h>

#include <b64/cdecode.h>

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t
rnd(void)
{
	return unit_xorshift(&rng);
}

static unsigned char *
random_bytes(size_t n)
{
	unsigned char *p = malloc(n + 1);
	size_t i;

	assert_non_null(p);
	for (i = 0; i < n; i++)
		p[i] = (unsigned char)rnd();
	return p;
}

/* The codecs this CPU runs; libb64, the reference, first. */
static const char *const all_codecs[] = { "libb64", "scalar", "avx2" };
static const char *codecs[3];
static size_t ncodecs;

static int
setup(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++)
		if (mc_codec_force(MC_CODEC_B64, all_codecs[i]) == 0)
			codecs[ncodecs++] = all_codecs[i];
		else
			printf("b64: codec %s: not on this CPU, not tested\n",
			    all_codecs[i]);
	mc_codec_force(MC_CODEC_B64, NULL);
	return ncodecs >= 2 ? 0 : -1;
}

static void
use(const char *name)
{
	assert_int_equal(mc_codec_force(MC_CODEC_B64, name), 0);
	assert_string_equal(mc_codec_name(MC_CODEC_B64), name);
}

/* Encodes p in pieces: chunk 0 is one call, -1 random sizes, else that
 * size. */
static void
encode(struct memsink *m, const void *p, size_t n, int crlf, long chunk)
{
	struct mc_out *out = malloc(sizeof(*out));
	struct mc_b64 st;
	const unsigned char *s = p;
	size_t k, i = 0;

	assert_non_null(out);
	mc_buf_init(&m->b);
	m->fail_after = 0;
	mc_out_init(out, memsink_write, m, crlf);
	mc_b64_init(&st, out);
	while (i < n || (i == 0 && n == 0)) {
		if (chunk == 0)
			k = n;
		else if (chunk < 0)
			k = 1 + rnd() % 200;
		else
			k = (size_t)chunk;
		if (k > n - i)
			k = n - i;
		assert_int_equal(mc_b64_step(&st, s + i, k), 0);
		i += k;
		if (n == 0)
			break;
	}
	assert_int_equal(mc_b64_finish(&st), 0);
	assert_int_equal(mc_out_flush(out), 0);
	free(out);
}

/* Every line 76 characters of the alphabet but the last (1..76), each
 * ended by the right line end; decodes back to p. */
static void
check_encoding(const struct memsink *m, const unsigned char *p, size_t n,
    int crlf)
{
	base64_decodestate ds;
	const char *s = m->b.p ? m->b.p : "";
	size_t len = m->b.len, i = 0, col, eol = crlf ? 2 : 1;
	char *dec;
	int r;

	assert_int_equal(len, mc_b64_size(n, (int)eol));
	while (i < len) {
		for (col = 0; i < len && s[i] != '\r' && s[i] != '\n'; col++) {
			assert_true((s[i] >= 'A' && s[i] <= 'Z') ||
			    (s[i] >= 'a' && s[i] <= 'z') ||
			    (s[i] >= '0' && s[i] <= '9') || s[i] == '+' ||
			    s[i] == '/' || s[i] == '=');
			i++;
		}
		assert_true(col > 0 && col <= 76);
		if (i + eol < len)
			assert_int_equal(col, 76);
		assert_true(i + eol <= len);
		if (crlf) {
			assert_int_equal(s[i], '\r');
			assert_int_equal(s[i + 1], '\n');
		} else
			assert_int_equal(s[i], '\n');
		i += eol;
	}
	dec = malloc(len + 1);
	assert_non_null(dec);
	base64_init_decodestate(&ds);
	r = base64_decode_block(s, (int)len, dec, &ds);
	assert_int_equal((size_t)r, n);
	if (n > 0)
		assert_memory_equal(dec, p, n);
	free(dec);
}

/* Encodes p with the codec name and checks it: one call, one byte at a
 * time, or random pieces (chunk 0, 1, -1) give the same bytes. */
static void
encode_with(struct memsink *m, const char *name, const void *p, size_t n,
    int crlf, long chunk)
{
	use(name);
	encode(m, p, n, crlf, chunk);
}

/* Fails naming the codec and the input size. */
static void
same_as(const struct memsink *ref, const struct memsink *m, const char *name,
    size_t n, int crlf)
{
	size_t i;

	if (m->b.len == ref->b.len && (ref->b.len == 0 ||
	    memcmp(m->b.p, ref->b.p, ref->b.len) == 0))
		return;
	for (i = 0; i < m->b.len && i < ref->b.len; i++)
		if (m->b.p[i] != ref->b.p[i])
			break;
	fail_msg("codec %s, %zu bytes, %s: output differs from libb64's "
	    "at byte %zu (lengths %zu, %zu)", name, n, crlf ? "CRLF" : "LF",
	    i, m->b.len, ref->b.len);
}

static void
test_vectors(void **state)
{
	/* RFC 4648 10 */
	static const char *v[][2] = {
		{ "f", "Zg==\n" }, { "fo", "Zm8=\n" }, { "foo", "Zm9v\n" },
		{ "foob", "Zm9vYg==\n" }, { "fooba", "Zm9vYmE=\n" },
		{ "foobar", "Zm9vYmFy\n" },
	};
	struct memsink m;
	size_t i, c;

	(void)state;
	for (c = 0; c < ncodecs; c++) {
		for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
			encode_with(&m, codecs[c], v[i][0], strlen(v[i][0]),
			    0, 0);
			assert_string_equal(m.b.p, v[i][1]);
			mc_buf_free(&m.b);
		}
		encode_with(&m, codecs[c], "foobar", 6, 1, 0);
		assert_string_equal(m.b.p, "Zm9vYmFy\r\n");
		mc_buf_free(&m.b);
	}
	mc_codec_force(MC_CODEC_B64, NULL);
}

static void
test_empty(void **state)
{
	struct memsink m;
	size_t c;

	(void)state;
	for (c = 0; c < ncodecs; c++) {
		encode_with(&m, codecs[c], "", 0, 0, 0);
		assert_int_equal(m.b.len, 0);
		encode_with(&m, codecs[c], NULL, 0, 1, 1);
		assert_int_equal(m.b.len, 0);
	}
	assert_int_equal(mc_b64_size(0, 2), 0);
	mc_codec_force(MC_CODEC_B64, NULL);
}

static void
test_line_lengths(void **state)
{
	unsigned char p[57 * 3];
	struct memsink m;
	size_t c;

	(void)state;
	memset(p, 0xff, sizeof(p));
	for (c = 0; c < ncodecs; c++) {
		use(codecs[c]);
		/* 57 bytes: exactly one full line. */
		encode(&m, p, 57, 0, 0);
		assert_int_equal(m.b.len, 77);
		assert_int_equal(m.b.p[76], '\n');
		assert_int_equal(strchr(m.b.p, '\n') - m.b.p, 76);
		mc_buf_free(&m.b);
		/* 58 bytes: a full line and "/w==". */
		encode(&m, p, 58, 1, 0);
		assert_int_equal(m.b.len, 78 + 6);
		assert_string_equal(m.b.p + 78, "/w==\r\n");
		mc_buf_free(&m.b);
		/* 54..56: libb64's 72-character line is not let through. */
		encode(&m, p, 56, 0, 0);
		assert_int_equal(m.b.len, 76 + 1);
		assert_null(memchr(m.b.p, '\n', 76));
		mc_buf_free(&m.b);
		encode(&m, p, 54, 0, 0);
		assert_int_equal(m.b.len, 72 + 1);
		mc_buf_free(&m.b);
	}
	mc_codec_force(MC_CODEC_B64, NULL);
}

/* Every length 0..4096, LF and CRLF: every codec writes libb64's bytes,
 * and they decode back. */
static void
test_every_size(void **state)
{
	unsigned char *p = random_bytes(4096);
	struct memsink ref, m;
	size_t n, c;
	int crlf;

	(void)state;
	for (n = 0; n <= 4096; n++)
		for (crlf = 0; crlf <= 1; crlf++) {
			encode_with(&ref, "libb64", p, n, crlf, 0);
			check_encoding(&ref, p, n, crlf);
			for (c = 1; c < ncodecs; c++) {
				encode_with(&m, codecs[c], p, n, crlf, 0);
				same_as(&ref, &m, codecs[c], n, crlf);
				mc_buf_free(&m.b);
			}
			mc_buf_free(&ref.b);
		}
	/* Input at every offset of a buffer (the AVX2 loads are unaligned),
	 * ending right at the end of its allocation. */
	for (n = 0; n <= 300; n++)
		for (c = 0; c < ncodecs; c++) {
			unsigned char *q = malloc(n + 1);

			assert_non_null(q);
			memcpy(q, p + 4096 - n, n);
			encode_with(&ref, "libb64", q, n, 0, 0);
			encode_with(&m, codecs[c], q, n, 0, 0);
			same_as(&ref, &m, codecs[c], n, 0);
			mc_buf_free(&m.b);
			mc_buf_free(&ref.b);
			free(q);
		}
	free(p);
	mc_codec_force(MC_CODEC_B64, NULL);
}

/* Random lengths up to 4 MiB, LF and CRLF, in one call, one byte at a
 * time and in random pieces. */
static void
test_random_sizes(void **state)
{
	struct memsink ref, m;
	unsigned char *p;
	size_t n, c;
	int i, crlf;

	(void)state;
	for (i = 0; i < 6; i++) {
		n = i == 0 ? 4 * 1024 * 1024 : rnd() % (4 * 1024 * 1024 + 1);
		crlf = i & 1;
		p = random_bytes(n);
		encode_with(&ref, "libb64", p, n, crlf, 0);
		check_encoding(&ref, p, n, crlf);
		for (c = 0; c < ncodecs; c++) {
			encode_with(&m, codecs[c], p, n, crlf,
			    i < 2 ? 1 : i < 4 ? -1 : 0);
			same_as(&ref, &m, codecs[c], n, crlf);
			mc_buf_free(&m.b);
		}
		mc_buf_free(&ref.b);
		free(p);
	}
	mc_codec_force(MC_CODEC_B64, NULL);
}

/* Pieces of any size give the output of one call. */
static void
test_chunking(void **state)
{
	static const long chunks[] = { 1, 2, 3, 56, 57, 58, 113, 114, -1, -1 };
	struct memsink whole, part;
	unsigned char *p = random_bytes(5000);
	size_t i, n, c;
	int crlf;

	(void)state;
	for (c = 0; c < ncodecs; c++)
		for (n = 0; n <= 5000; n += 1 + n / 3)
			for (crlf = 0; crlf <= 1; crlf++) {
				encode_with(&whole, codecs[c], p, n, crlf, 0);
				for (i = 0; i < sizeof(chunks) /
				    sizeof(chunks[0]); i++) {
					encode(&part, p, n, crlf, chunks[i]);
					same_as(&whole, &part, codecs[c], n,
					    crlf);
					mc_buf_free(&part.b);
				}
				mc_buf_free(&whole.b);
			}
	free(p);
	mc_codec_force(MC_CODEC_B64, NULL);
}

static void
test_size(void **state)
{
	(void)state;
	assert_int_equal(mc_b64_size(1, 1), 5);
	assert_int_equal(mc_b64_size(57, 1), 77);
	assert_int_equal(mc_b64_size(57, 2), 78);
	assert_int_equal(mc_b64_size(58, 2), 76 + 2 + 4 + 2);
	assert_int_equal(mc_b64_size(1ULL << 30, 1),
	    (((1ULL << 30) + 2) / 3) * 4 + ((1ULL << 30) + 56) / 57);
}

static void
test_plain(void **state)
{
	static const char *v[][2] = {
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
		{ "foob", "Zm9vYg==" }, { "foobar", "Zm9vYmFy" },
	};
	unsigned char *p = random_bytes(400);
	struct memsink m;
	size_t i, j, k, n, c;
	char *dst, *flat;

	(void)state;
	for (c = 0; c < ncodecs; c++) {
		use(codecs[c]);
		for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
			n = strlen(v[i][0]);
			/* Exactly the documented size, so ASan sees any
			 * overrun. */
			dst = malloc((n + 2) / 3 * 4 + 1);
			assert_non_null(dst);
			mc_b64_plain(dst, v[i][0], n);
			assert_string_equal(dst, v[i][1]);
			free(dst);
		}
		/* The same characters as the line form, without line
		 * ends. */
		for (n = 0; n <= 400; n++) {
			dst = malloc((n + 2) / 3 * 4 + 1);
			assert_non_null(dst);
			mc_b64_plain(dst, p, n);
			assert_int_equal(strlen(dst), (n + 2) / 3 * 4);
			encode(&m, p, n, 0, 0);
			flat = malloc(m.b.len + 1);
			assert_non_null(flat);
			for (j = k = 0; j < m.b.len; j++)
				if (m.b.p[j] != '\n')
					flat[k++] = m.b.p[j];
			flat[k] = '\0';
			assert_string_equal(dst, flat);
			free(flat);
			free(dst);
			mc_buf_free(&m.b);
		}
	}
	free(p);
	mc_codec_force(MC_CODEC_B64, NULL);
}

static void
test_write_error(void **state)
{
	struct mc_out *out = malloc(sizeof(*out));
	/* More output than the output buffer holds, whatever its size. */
	size_t n = 3 * MC_OUT_BUF;
	unsigned char *p = random_bytes(n);
	struct memsink m;
	struct mc_b64 st;
	size_t c;

	(void)state;
	assert_non_null(out);
	for (c = 0; c < ncodecs; c++) {
		use(codecs[c]);
		mc_buf_init(&m.b);
		m.fail_after = 1000;
		mc_out_init(out, memsink_write, &m, 0);
		mc_b64_init(&st, out);
		/* More than the output buffer holds: the sink is reached and
		 * fails. */
		assert_int_equal(mc_b64_step(&st, p, n), -1);
		assert_int_equal(mc_b64_step(&st, p, 10), -1);
		assert_int_equal(mc_b64_finish(&st), -1);
		assert_int_equal(out->sys, 28);
		mc_buf_free(&m.b);
	}
	free(out);
	free(p);
	mc_codec_force(MC_CODEC_B64, NULL);
}

/* mc_codec_force chooses the codec; unknown names and the ways of the
 * other codecs change nothing; no environment variable does. */
static void
test_choice(void **state)
{
	const char *fastest;
	size_t c;

	(void)state;
	assert_int_equal(mc_codec_force(MC_CODEC_B64, NULL), 0);
	fastest = mc_codec_name(MC_CODEC_B64);
	assert_string_equal(fastest, codecs[ncodecs - 1]);
	for (c = 0; c < ncodecs; c++) {
		assert_int_equal(mc_codec_force(MC_CODEC_B64, codecs[c]), 0);
		assert_string_equal(mc_codec_name(MC_CODEC_B64), codecs[c]);
	}
	assert_int_equal(mc_codec_force(MC_CODEC_B64, "scalar"), 0);
	assert_int_equal(mc_codec_force(MC_CODEC_B64, "bogus"), -1);
	assert_int_equal(mc_codec_force(MC_CODEC_B64, "unit"), -1);
	assert_int_equal(mc_codec_force(MC_CODEC_B64, "sse2"), -1);
	assert_string_equal(mc_codec_name(MC_CODEC_B64), "scalar");
	assert_int_equal(mc_codec_force(MC_CODEC_B64, NULL), 0);
	assert_string_equal(mc_codec_name(MC_CODEC_B64), fastest);
	/* The variable of old is no switch any more. */
	setenv("MC_BASE64", "libb64", 1);
	assert_string_equal(mc_codec_name(MC_CODEC_B64), fastest);
	unsetenv("MC_BASE64");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_line_lengths),
		cmocka_unit_test(test_every_size),
		cmocka_unit_test(test_random_sizes),
		cmocka_unit_test(test_chunking),
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_choice),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
