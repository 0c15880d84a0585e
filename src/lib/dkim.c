/* SPDX-License-Identifier: ISC */
/* DKIM canonicalization: RFC 6376 3.4.1-3.4.5, header selection 5.4.2, 3.7. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mc.h"

/*
 * The header block.
 */

static enum mc_err
bad_header(struct mc_error *err, const char *what, const char *why,
    size_t line)
{
	return mc_fail(err, MC_EDATA, 0, what, "not a message header: %s%zu",
	    why, line);
}

/* The length of the name at p[0..n) when the line is "name WSP* :",
 * else 0 (RFC 5322 3.6.8, and obs-optional's white space before the
 * colon, 4.5.8). */
static size_t
field_name(const char *p, size_t n)
{
	size_t i, k;

	for (i = 0; i < n && p[i] > 32 && p[i] < 127 && p[i] != ':'; i++)
		;
	for (k = i; k < n && (p[k] == ' ' || p[k] == '\t'); k++)
		;
	return k < n && p[k] == ':' ? i : 0;
}

enum mc_err
mc_dkim_split(const char *p, size_t n, struct mc_dkim_field *v, size_t max,
    size_t *nv, const char *what, struct mc_error *err)
{
	const char *eol;
	size_t i = 0, j, len, end, line = 0, k = 0, name;
	unsigned char c;

	*nv = 0;
	while (i < n) {
		line++;
		eol = memchr(p + i, '\n', n - i);
		len = eol != NULL ? (size_t)(eol - (p + i)) : n - i;
		end = len > 0 && p[i + len - 1] == '\r' ? len - 1 : len;
		for (j = 0; j < end; j++) {
			c = (unsigned char)p[i + j];
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return bad_header(err, what, c == '\r' ?
				    "a bare CR in line " : "a control character "
				    "in line ", line);
		}
		if (end > 0 && (p[i] == ' ' || p[i] == '\t')) {
			if (k == 0)
				return bad_header(err, what, "a continuation "
				    "before any field, line ", line);
			v[k - 1].len = i + end - (size_t)(v[k - 1].p - p);
		} else {
			if ((name = field_name(p + i, end)) == 0)
				return bad_header(err, what, "no field name and "
				    "colon in line ", line);
			if (k == max)
				return mc_fail(err, MC_EDATA, 0, what,
				    "more than %zu header fields", max);
			v[k].p = p + i;
			v[k].len = end;
			v[k].namelen = name;
			v[k++].used = 0;
		}
		i += len + (eol != NULL);
	}
	*nv = k;
	return MC_OK;
}

/* 3.4.1 simple: the field as it is, in its CRLF form. */
static void
canon_simple(struct mc_buf *b, const char *p, size_t n)
{
	size_t i, from = 0;

	for (i = 0; i < n; i++)
		if (p[i] == '\n' && (i == 0 || p[i - 1] != '\r')) {
			mc_buf_add(b, p + from, i - from);
			mc_buf_add(b, "\r\n", 2);
			from = i + 1;
		}
	mc_buf_add(b, p + from, n - from);
}

/* 3.4.2 relaxed: the name in lower case, the value unfolded, each run of
 * white space one SP, none at its ends or around the colon. */
static void
canon_relaxed(struct mc_buf *b, const char *p, size_t n)
{
	size_t i, name = field_name(p, n);
	int wsp = 0, started = 0;
	char c;

	for (i = 0; i < name; i++)
		mc_buf_addc(b, p[i] >= 'A' && p[i] <= 'Z' ?
		    (char)(p[i] - 'A' + 'a') : p[i]);
	mc_buf_addc(b, ':');
	i = (size_t)((const char *)memchr(p + name, ':', n - name) - p) + 1;
	for (; i < n; i++) {
		c = p[i];
		if (c == ' ' || c == '\t' || c == '\n' || (c == '\r' &&
		    i + 1 < n && p[i + 1] == '\n')) {
			wsp = 1;
			continue;
		}
		if (wsp && started)
			mc_buf_addc(b, ' ');
		wsp = 0;
		started = 1;
		mc_buf_addc(b, c);
	}
}

void
mc_dkim_canon_header(struct mc_buf *b, const char *p, size_t n, int relaxed,
    int crlf)
{
	if (relaxed && field_name(p, n) > 0)
		canon_relaxed(b, p, n);
	else
		canon_simple(b, p, n);
	if (crlf)
		mc_buf_add(b, "\r\n", 2);
}

static int
is_fws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

void
mc_dkim_header_input(struct mc_buf *b, struct mc_dkim_field *v, size_t nv,
    const char *hlist, const char *sig, size_t siglen, int relaxed)
{
	const char *s = hlist, *e;
	size_t i, n;

	for (i = 0; i < nv; i++)
		v[i].used = 0;
	while (*s != '\0') {
		while (is_fws(*s) || *s == ':')
			s++;
		for (e = s; *e != '\0' && *e != ':' && !is_fws(*e); e++)
			;
		if ((n = (size_t)(e - s)) == 0)
			break;
		/* 5.4.2: the last instance not yet signed, then upwards. */
		for (i = nv; i-- > 0;)
			if (!v[i].used && v[i].namelen == n &&
			    strncasecmp(v[i].p, s, n) == 0) {
				v[i].used = 1;
				mc_dkim_canon_header(b, v[i].p, v[i].len,
				    relaxed, 1);
				break;
			}
		s = e;
	}
	mc_dkim_canon_header(b, sig, siglen, relaxed, 0);
}

/*
 * The body.
 */

static void
flush(struct mc_dkim_body *st)
{
	if (st->len > 0) {
		st->fn(st->arg, st->buf, st->len);
		st->total += st->len;
		st->len = 0;
	}
}

static inline void
put(struct mc_dkim_body *st, const void *p, size_t n)
{
	if (n > sizeof(st->buf) - st->len) {
		flush(st);
		if (n >= sizeof(st->buf)) {
			st->fn(st->arg, p, n);
			st->total += n;
			return;
		}
	}
	memcpy(st->buf + st->len, p, n);
	st->len += n;
}

/* The first content of a line: the empty lines held back were not at
 * the end of the body after all. */
static inline void
line_content(struct mc_dkim_body *st)
{
	if (st->started)
		return;
	for (; st->empty > 0; st->empty--)
		put(st, "\r\n", 2);
	st->started = 1;
}

static inline void
line_end(struct mc_dkim_body *st)
{
	st->wsp = 0;
	if (st->started) {
		put(st, "\r\n", 2);
		st->started = 0;
		st->any = 1;
	} else
		st->empty++;
}

/* A byte that does not end a line. */
static inline void
ordinary(struct mc_dkim_body *st, unsigned char c)
{
	/* 3.4.4 (b): a run of WSP is one SP, (a) none at a line's end. */
	if (st->relaxed && (c == ' ' || c == '\t')) {
		st->wsp = 1;
		return;
	}
	line_content(st);
	if (st->wsp) {
		put(st, " ", 1);
		st->wsp = 0;
	}
	put(st, &c, 1);
}

/* One byte of the input: LF or CRLF ends a line, a bare CR is data. */
static inline void
byte(struct mc_dkim_body *st, unsigned char c)
{
	if (st->cr) {
		st->cr = 0;
		if (c == '\n') {
			line_end(st);
			return;
		}
		ordinary(st, '\r');
	}
	if (c == '\r')
		st->cr = 1;
	else if (c == '\n')
		line_end(st);
	else
		ordinary(st, c);
}

/* Simple: the bytes before the next CR or LF go out as they are. */
static size_t
simple_run(const unsigned char *s, size_t n)
{
	const unsigned char *lf = memchr(s, '\n', n), *cr;

	if (lf != NULL)
		n = (size_t)(lf - s);
	cr = memchr(s, '\r', n);
	return cr != NULL ? (size_t)(cr - s) : n;
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(MC_NO_SIMD)
#define HAVE_AVX2 1
#include <immintrin.h>

/*
 * Relaxed: the bytes that go out as they are, 32 at a time: any byte
 * but SP, TAB, CR and LF, and an SP that one of those does not follow.
 * A byte is one of the four when a lookup by its low nibble gives the
 * byte itself (bytes from 0x80 look up 0 and never match).
 */
__attribute__((target("avx2"))) static size_t
relaxed_run_avx2(const unsigned char *s, size_t n)
{
	const __m256i t = _mm256_setr_epi8(' ', 0, 0, 0, 0, 0, 0, 0, 0,
	    '\t', '\n', 0, 0, '\r', 0, 0, ' ', 0, 0, 0, 0, 0, 0, 0, 0,
	    '\t', '\n', 0, 0, '\r', 0, 0);
	const __m256i sp = _mm256_set1_epi8(' ');
	__m256i a, b, ma, mb, sa;
	unsigned m;
	size_t i = 0;

	for (; i + 33 <= n; i += 32) {
		a = _mm256_loadu_si256((const __m256i *)(s + i));
		b = _mm256_loadu_si256((const __m256i *)(s + i + 1));
		ma = _mm256_cmpeq_epi8(_mm256_shuffle_epi8(t, a), a);
		mb = _mm256_cmpeq_epi8(_mm256_shuffle_epi8(t, b), b);
		sa = _mm256_cmpeq_epi8(a, sp);
		m = (unsigned)_mm256_movemask_epi8(_mm256_or_si256(
		    _mm256_andnot_si256(sa, ma), _mm256_and_si256(sa, mb)));
		if (m != 0)
			return i + (size_t)__builtin_ctz(m);
	}
	return i;
}
#endif

/* How mc_dkim_body_step goes: the fast runs, or byte by byte. */
enum { WAY_FAST, WAY_SCALAR };
static int way = WAY_FAST;

int
mc_dkim_force(const char *name)
{
	if (name == NULL || strcmp(name, "scalar") == 0) {
		way = name == NULL ? WAY_FAST : WAY_SCALAR;
		return 0;
	}
#ifdef HAVE_AVX2
	if (strcmp(name, "avx2") == 0 && mc_cpu_avx2()) {
		way = WAY_FAST;
		return 0;
	}
#endif
	return -1;
}

void
mc_dkim_body_init(struct mc_dkim_body *st, int relaxed, mc_dkim_sink fn,
    void *arg)
{
	st->relaxed = relaxed;
	st->fn = fn;
	st->arg = arg;
	st->cr = st->started = st->wsp = st->any = 0;
	st->empty = st->total = 0;
	st->len = 0;
}

/* The bytes from s that go out unchanged in the middle of a line, by the
 * fast way; 0 when there is none. */
static size_t
run(const struct mc_dkim_body *st, const unsigned char *s, size_t n)
{
	if (way != WAY_FAST)
		return 0;
	if (!st->relaxed)
		return simple_run(s, n);
#ifdef HAVE_AVX2
	if (mc_cpu_avx2())
		return relaxed_run_avx2(s, n);
#endif
	return 0;
}

void
mc_dkim_body_step(struct mc_dkim_body *st, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i = 0, k;

	while (i < n) {
		if (st->started && !st->wsp && !st->cr &&
		    (k = run(st, s + i, n - i)) > 0) {
			put(st, s + i, k);
			if ((i += k) == n)
				break;
		}
		byte(st, s[i++]);
	}
}

void
mc_dkim_body_finish(struct mc_dkim_body *st)
{
	if (st->cr) {
		st->cr = 0;
		ordinary(st, '\r');
	}
	/* 3.4.3, 3.4.4: a last line without a line end gets CRLF, as SMTP
	 * would give it; the empty lines at the end are dropped. */
	st->wsp = 0;
	if (st->started) {
		put(st, "\r\n", 2);
		st->started = 0;
		st->any = 1;
	}
	/* 3.4.3: a simple empty body is one CRLF; relaxed, nothing. */
	if (!st->relaxed && !st->any)
		put(st, "\r\n", 2);
	st->empty = 0;
	flush(st);
}
