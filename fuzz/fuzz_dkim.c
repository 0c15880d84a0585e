/* SPDX-License-Identifier: ISC */
/*
 * Fuzzes dkim.c (RFC 6376 3.4): the streaming body canonicalizers, byte
 * loop and AVX2, in one step and cut into many, and the header field
 * canonicalizers over the fields mc_dkim_split finds, against a second
 * reading of 3.4.1-3.4.4 done the plain way: whole strings, line by line.
 */
#include "fuzz.h"

/* The CRLF form: an LF that no CR precedes becomes CRLF. */
static void
ref_crlf(const char *s, size_t n, struct mc_buf *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
			mc_buf_addc(out, '\r');
		mc_buf_addc(out, s[i]);
	}
}

/* 3.4.4 (a), (b) on one line: a run of WSP is one SP, none at the end. */
static void
ref_relax_line(const char *s, size_t n, struct mc_buf *out)
{
	size_t i;
	int wsp = 0;

	while (n > 0 && fz_wsp(s[n - 1]))
		n--;
	for (i = 0; i < n; i++) {
		if (fz_wsp(s[i])) {
			wsp = 1;
			continue;
		}
		if (wsp)
			mc_buf_addc(out, ' ');
		wsp = 0;
		mc_buf_addc(out, s[i]);
	}
}

/*
 * 3.4.3 and 3.4.4 on the whole body: its lines are what CRLFs of its
 * CRLF form end, and a last line without one (a CRLF "is added"); each
 * relaxed line reduced; the empty lines at the end ignored; a simple
 * body with nothing left is one CRLF, a relaxed one nothing.
 */
static void
ref_line(const char *s, size_t n, int relaxed, struct mc_buf *lines,
    size_t *keep)
{
	size_t before = lines->len;

	if (relaxed)
		ref_relax_line(s, n, lines);
	else
		mc_buf_add(lines, s, n);
	/* Not empty: the body goes at least to its end. */
	if (lines->len > before)
		*keep = lines->len + 2;
	mc_buf_add(lines, "\r\n", 2);
}

static void
ref_body(const char *s, size_t n, int relaxed, struct mc_buf *out)
{
	struct mc_buf crlf, lines;
	size_t i, start = 0, keep = 0;

	mc_buf_init(&crlf);
	mc_buf_init(&lines);
	ref_crlf(s, n, &crlf);
	for (i = 0; i + 1 < crlf.len; i++)
		if (crlf.p[i] == '\r' && crlf.p[i + 1] == '\n') {
			ref_line(crlf.p + start, i - start, relaxed, &lines,
			    &keep);
			start = ++i + 1;
		}
	if (start < crlf.len)
		ref_line(crlf.p + start, crlf.len - start, relaxed, &lines,
		    &keep);
	mc_buf_add(out, lines.p, keep);
	if (!relaxed && keep == 0)
		mc_buf_add(out, "\r\n", 2);
	mc_buf_free(&crlf);
	mc_buf_free(&lines);
}

/*
 * 3.4.2 relaxed header: CRLF form, unfolded (every CRLF removed: inside
 * a field each one is followed by WSP), the name in lower case, runs of
 * WSP one SP, none at the value's end or around the colon.
 */
static void
ref_header(const char *s, size_t n, int relaxed, struct mc_buf *out)
{
	struct mc_buf crlf, flat, one;
	size_t i, colon, a, b;

	mc_buf_init(&crlf);
	ref_crlf(s, n, &crlf);
	if (!relaxed) {
		mc_buf_add(out, crlf.p, crlf.len);
		mc_buf_add(out, "\r\n", 2);
		mc_buf_free(&crlf);
		return;
	}
	mc_buf_init(&flat);
	mc_buf_init(&one);
	for (i = 0; i < crlf.len; i++)
		if (!(crlf.p[i] == '\r' && i + 1 < crlf.len &&
		    crlf.p[i + 1] == '\n') && !(crlf.p[i] == '\n' && i > 0 &&
		    crlf.p[i - 1] == '\r'))
			mc_buf_addc(&flat, crlf.p[i]);
	colon = (size_t)((char *)memchr(flat.p, ':', flat.len) - flat.p);
	for (i = 0; i < colon; i++)
		mc_buf_addc(&one, (char)(flat.p[i] >= 'A' && flat.p[i] <= 'Z' ?
		    flat.p[i] + 32 : flat.p[i]));
	for (a = colon; a > 0 && fz_wsp(one.p[a - 1]); a--)
		;
	mc_buf_add(out, one.p, a);
	mc_buf_addc(out, ':');
	for (b = colon + 1; b < flat.len && fz_wsp(flat.p[b]); b++)
		;
	ref_relax_line(flat.p + b, flat.len - b, out);
	mc_buf_add(out, "\r\n", 2);
	mc_buf_free(&crlf);
	mc_buf_free(&flat);
	mc_buf_free(&one);
}

static void
collect(void *arg, const void *p, size_t n)
{
	mc_buf_add(arg, p, n);
}

/* The step sizes come from the input's first bytes (0: one step). */
static void
lib_body(const char *s, size_t n, int relaxed, uint32_t seed,
    struct mc_buf *out)
{
	static struct mc_dkim_body st;
	size_t i, k;

	mc_dkim_body_init(&st, relaxed, collect, out);
	for (i = 0; i < n; i += k) {
		seed = seed * 1103515245u + 12345u;
		k = seed == 0 ? n - i : 1 + (seed >> 16) % 97;
		if (k > n - i)
			k = n - i;
		mc_dkim_body_step(&st, s + i, k);
	}
	mc_dkim_body_finish(&st);
	FZ_ASSERT(st.total == out->len, "total %llu, output %zu",
	    (unsigned long long)st.total, out->len);
}

static void
check_body(const char *s, size_t n, uint32_t seed)
{
	static const char *const ways[] = { "scalar", "avx2" };
	struct mc_buf want, got;
	size_t w;
	int relaxed;

	for (relaxed = 0; relaxed < 2; relaxed++) {
		mc_buf_init(&want);
		ref_body(s, n, relaxed, &want);
		for (w = 0; w < 2; w++) {
			if (mc_dkim_force(ways[w]) != 0)
				continue;
			mc_buf_init(&got);
			lib_body(s, n, relaxed, w == 0 ? 0 : seed, &got);
			FZ_ASSERT(got.len == want.len && (want.len == 0 ||
			    memcmp(got.p, want.p, want.len) == 0),
			    "%s %s body: %zu bytes, the reference %zu",
			    relaxed ? "relaxed" : "simple", ways[w], got.len,
			    want.len);
			mc_buf_free(&got);
		}
		mc_dkim_force(NULL);
		mc_buf_free(&want);
	}
}

/* Every field mc_dkim_split finds, both ways, as the reference has it. */
static void
check_header(const char *s, size_t n)
{
	static struct mc_dkim_field v[64];
	struct mc_error err;
	struct mc_buf want, got;
	size_t nv, i;
	int relaxed;

	if (mc_dkim_split(s, n, v, 64, &nv, "fuzz", &err) != MC_OK)
		return;
	for (i = 0; i < nv; i++)
		for (relaxed = 0; relaxed < 2; relaxed++) {
			mc_buf_init(&want);
			mc_buf_init(&got);
			ref_header(v[i].p, v[i].len, relaxed, &want);
			mc_dkim_canon_header(&got, v[i].p, v[i].len, relaxed, 1);
			FZ_ASSERT(got.len == want.len && memcmp(got.p, want.p,
			    want.len) == 0, "field %zu, %s: \"%.*s\" not \"%.*s\"",
			    i, relaxed ? "relaxed" : "simple", (int)got.len,
			    got.p, (int)want.len, want.p);
			mc_buf_free(&want);
			mc_buf_free(&got);
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t seed;

	if (size < 4)
		return 0;
	memcpy(&seed, data, 4);
	check_body((const char *)data + 4, size - 4, seed);
	check_header((const char *)data + 4, size - 4);
	return 0;
}
