/* SPDX-License-Identifier: ISC */
/*
 * Shared by the libFuzzer harnesses: a memory sink, independent decoders
 * (base64, quoted-printable, RFC 2047, RFC 2231) and checkers for folded
 * fields and MIME structure.  They are written from the RFCs, not from
 * the library, so that a harness compares the library with a second
 * reading of the same rules.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <dirent.h>
#include <unistd.h>

#include "mc.h"
#include "hooks.h"

/* A property that does not hold: say which, and abort (libFuzzer keeps
 * the input as a crash artifact). */
#define FZ_ASSERT(cond, ...) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "\nproperty failed at %s:%d: %s\n  ",	\
		    __FILE__, __LINE__, #cond);				\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

/* A fixed instant: the output is a function of the input alone. */
#define FZ_EPOCH 1700000000

static inline int
fz_sink(void *arg, const void *p, size_t n)
{
	struct mc_buf *b = arg;

	mc_buf_add(b, p, n);
	return b->oom ? 12 : 0;
}

static inline int
fz_wsp(int c)
{
	return c == ' ' || c == '\t';
}

/* s[0..n) with every CRLF made LF, into out. */
static inline void
fz_crlf_to_lf(const char *s, size_t n, struct mc_buf *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!(s[i] == '\r' && i + 1 < n && s[i + 1] == '\n'))
			mc_buf_addc(out, s[i]);
}

static inline int
fz_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Base64 (RFC 4648 4), strict: groups of four, "=" only at the end of the
 * last group, nothing but the alphabet.  -1 when invalid.
 */
static inline int
fz_b64_val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static inline int
fz_b64_decode(const char *s, size_t n, struct mc_buf *out)
{
	size_t i, j;
	int v[4], pad;

	if (n % 4 != 0)
		return -1;
	for (i = 0; i < n; i += 4) {
		pad = 0;
		for (j = 0; j < 4; j++) {
			if (s[i + j] == '=' && i + 4 == n && j >= 2) {
				pad++;
				v[j] = 0;
				continue;
			}
			if (pad > 0 || (v[j] = fz_b64_val(s[i + j])) < 0)
				return -1;
		}
		mc_buf_addc(out, (char)(v[0] << 2 | v[1] >> 4));
		if (pad < 2)
			mc_buf_addc(out, (char)((v[1] & 15) << 4 | v[2] >> 2));
		if (pad < 1)
			mc_buf_addc(out, (char)((v[2] & 3) << 6 | v[3]));
	}
	return 0;
}

/*
 * Checks one line of an encoded body: base64 lines are at most 76
 * characters of the alphabet, "=" at the end; quoted-printable lines at
 * most 76 printable characters (TAB too) that do not end in white space,
 * with "=" only as "=XX" (upper-case hex) or a final soft break.
 */
static inline int
fz_qp_line_ok(const char *s, size_t n, const char **why)
{
	size_t i;
	unsigned char c;

	if (n > 76)
		return *why = "a quoted-printable line over 76 characters", 0;
	if (n > 0 && fz_wsp(s[n - 1]))
		return *why = "white space at the end of a line", 0;
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '=') {
			if (i + 1 == n) {
				if (i > 0 && fz_wsp(s[i - 1]))
					return *why = "white space before a "
					    "soft break", 0;
				continue;
			}
			if (i + 2 >= n ||
			    !((s[i + 1] >= '0' && s[i + 1] <= '9') ||
			    (s[i + 1] >= 'A' && s[i + 1] <= 'F')) ||
			    !((s[i + 2] >= '0' && s[i + 2] <= '9') ||
			    (s[i + 2] >= 'A' && s[i + 2] <= 'F')))
				return *why = "an = that is not =XX", 0;
			i += 2;
		} else if (!(c == '\t' || (c >= 32 && c < 127)))
			return *why = "a byte that QP must encode", 0;
	}
	return 1;
}

/*
 * Decodes quoted-printable text whose lines end in eol ("\n" or "\r\n")
 * into out, hard line ends as "\n".  soft: when not NULL, the offsets in
 * out of the soft breaks are appended (as size_t) for the caller to check.
 * -1 on invalid input (see fz_qp_line_ok), *why set.
 */
static inline int
fz_qp_decode(const char *s, size_t n, const char *eol, struct mc_buf *out,
    struct mc_buf *soft, const char **why)
{
	size_t el = strlen(eol), i, len;
	const char *end = s + n, *nl;
	int last, softb;

	while (s < end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		last = nl == NULL;
		if (last)
			nl = end;
		len = (size_t)(nl - s);
		if (!last && el == 2) {
			if (len == 0 || s[len - 1] != '\r')
				return *why = "an LF without CR in CRLF output",
				    -1;
			len--;
		}
		if (memchr(s, '\r', len) != NULL)
			return *why = "a raw CR in quoted-printable output", -1;
		if (!fz_qp_line_ok(s, len, why))
			return -1;
		softb = 0;
		for (i = 0; i < len; i++) {
			if (s[i] != '=') {
				mc_buf_addc(out, s[i]);
				continue;
			}
			if (i + 1 == len) {
				softb = 1;
				break;
			}
			mc_buf_addc(out, (char)(fz_hex(s[i + 1]) << 4 |
			    fz_hex(s[i + 2])));
			i += 2;
		}
		if (softb) {
			if (soft != NULL) {
				size_t at = out->len;
				mc_buf_add(soft, &at, sizeof(at));
			}
			if (last)
				return *why = "a soft break at the end", -1;
			s = nl + 1;
			continue;
		}
		if (!last)
			mc_buf_addc(out, '\n');
		s = last ? end : nl + 1;
	}
	return 0;
}

/*
 * RFC 2047 encoded-words: "=?" charset "?" B|Q "?" text "?=", at most 75
 * characters (2), utf-8 the only charset this library writes.  Appends the
 * decoded bytes to out and returns 1; 0 when w[0..n) is not an
 * encoded-word; -1 when it is one but broken (*why says how).
 */
static inline int
fz_ew_decode(const char *w, size_t n, struct mc_buf *out, const char **why)
{
	const char *t;
	size_t tn, i;
	int c;

	if (n < 12 || memcmp(w, "=?", 2) != 0 ||
	    memcmp(w + n - 2, "?=", 2) != 0)
		return 0;
	if (strncasecmp(w + 2, "utf-8?", 6) != 0 ||
	    (w[8] != 'B' && w[8] != 'b' && w[8] != 'Q' && w[8] != 'q') ||
	    w[9] != '?')
		return 0;
	if (n > MC_EW_MAX)
		return *why = "an encoded-word over 75 characters", -1;
	t = w + 10;
	tn = n - 12;
	/* RFC 2047 2: encoded-text has no "?" and no white space; other
	 * text is not an encoded-word at all. */
	for (i = 0; i < tn; i++)
		if (t[i] == '?' || (unsigned char)t[i] <= 32 ||
		    (unsigned char)t[i] >= 127)
			return 0;
	if (w[8] == 'B' || w[8] == 'b') {
		if (fz_b64_decode(t, tn, out) == -1)
			return *why = "bad base64 in an encoded-word", -1;
		return 1;
	}
	for (i = 0; i < tn; i++) {
		if (t[i] == '_')
			mc_buf_addc(out, ' ');
		else if (t[i] == '=') {
			if (i + 2 >= tn || (c = fz_hex(t[i + 1])) < 0 ||
			    fz_hex(t[i + 2]) < 0)
				return *why = "a bad =XX in a Q word", -1;
			mc_buf_addc(out, (char)(c << 4 | fz_hex(t[i + 2])));
			i += 2;
		} else
			mc_buf_addc(out, t[i]);
	}
	return 1;
}

/* Whether a white-space separated token is one of the encoded-words this
 * library writes (a trailing "," or a surrounding quote aside). */
static inline int
fz_ew_token(const char *w, size_t n)
{
	if (n > 0 && (w[n - 1] == ',' || w[n - 1] == '"' || w[n - 1] == ';'))
		n--;
	if (n > 0 && w[n - 1] == '"')
		n--;
	if (n > 0 && w[0] == '"') {
		w++;
		n--;
	}
	/* name="=?utf-8?B?...?=" (compat parameters) */
	if (n > 0 && memchr(w, '=', n) != NULL && w[n - 1] == '=') {
		const char *eq = memchr(w, '"', n);
		if (eq != NULL) {
			n -= (size_t)(eq + 1 - w);
			w = eq + 1;
		}
	}
	return n >= 12 && strncasecmp(w, "=?utf-8?", 8) == 0 &&
	    memcmp(w + n - 2, "?=", 2) == 0;
}

/*
 * A folded header field f[0..n) written by the library, lines ended by
 * "\n": the field ends in "\n", each line after the first starts with
 * white space, no line is longer than 998 octets, and a line is at most
 * 78 columns (76 when it holds an encoded-word) unless it is a single
 * token that cannot be folded.
 */
static inline void
fz_check_folded(const char *f, size_t n, const char *what)
{
	const char *s = f, *end = f + n, *nl, *p, *q;
	size_t len, lim;
	int first = 1, ew, tokens;

	FZ_ASSERT(n > 0 && f[n - 1] == '\n', "%s: the field does not end in "
	    "a line end", what);
	for (; s < end; s = nl + 1, first = 0) {
		nl = memchr(s, '\n', (size_t)(end - s));
		len = (size_t)(nl - s);
		FZ_ASSERT(memchr(s, '\r', len) == NULL, "%s: a CR in a header "
		    "line: %.*s", what, (int)len, s);
		FZ_ASSERT(len <= MC_LINE_MAX, "%s: a line of %zu octets", what,
		    len);
		FZ_ASSERT(first || (len > 0 && fz_wsp(s[0])), "%s: a "
		    "continuation line without leading white space: %.*s",
		    what, (int)len, s);
		FZ_ASSERT(first || len > 1, "%s: a line of white space alone",
		    what);
		/* The tokens of the line: after "Name:" on the first. */
		p = s;
		if (first) {
			p = memchr(s, ':', len);
			FZ_ASSERT(p != NULL, "%s: no colon: %.*s", what,
			    (int)len, s);
			p++;
		}
		ew = 0;
		tokens = 0;
		while (p < nl) {
			while (p < nl && fz_wsp(*p))
				p++;
			if (p == nl)
				break;
			for (q = p; q < nl && !fz_wsp(*q); q++) {
				/* A quoted local part ("a b"@c) is part of
				 * its address: no fold point inside. */
				const char *r = q;
				if (*q != '"')
					continue;
				for (r = q + 1; r < nl && *r != '"'; r++)
					if (*r == '\\' && r + 1 < nl)
						r++;
				if (r + 1 < nl && r[1] == '@')
					q = r;
			}
			tokens++;
			if (fz_ew_token(p, (size_t)(q - p)))
				ew = 1;
			p = q;
		}
		lim = ew ? MC_EW_COLS : MC_FOLD_COLS;
		FZ_ASSERT(len <= lim || tokens <= 1, "%s: a line of %zu "
		    "columns (limit %zu) that could have been folded: %.*s",
		    what, len, lim, (int)len, s);
		FZ_ASSERT(!first || tokens > 0 || nl + 1 == end, "%s: the "
		    "first line is empty but the field goes on", what);
	}
}

/* Unfolds a field (RFC 5322 2.2.3): its line ends removed, the final one
 * too.  The value after "Name:" goes to out. */
static inline void
fz_unfold_value(const char *f, size_t n, struct mc_buf *out)
{
	const char *colon = memchr(f, ':', n);
	size_t i;

	for (i = (size_t)(colon - f) + 1; i < n; i++)
		if (f[i] != '\n')
			mc_buf_addc(out, f[i]);
}

/*
 * RFC 2047 6.2 display of an unstructured value v[0..n) (unfolded):
 * encoded-words decoded; white space between two encoded-words dropped;
 * after_colon: one leading space (the one after the colon) dropped.  -1
 * for a broken
 * encoded-word.
 */
static inline int
fz_2047_display(const char *v, size_t n, int after_colon, struct mc_buf *out,
    const char **why)
{
	const char *p = v, *end = v + n, *ws, *w;
	int prev_ew = 0, r;

	if (after_colon && p < end && *p == ' ')
		p++;
	while (p < end) {
		ws = p;
		while (p < end && fz_wsp(*p))
			p++;
		w = p;
		while (p < end && !fz_wsp(*p))
			p++;
		if (w == p) {
			mc_buf_add(out, ws, (size_t)(w - ws));
			break;
		}
		{
			struct mc_buf d;
			mc_buf_init(&d);
			r = fz_ew_decode(w, (size_t)(p - w), &d, why);
			if (r == -1) {
				mc_buf_free(&d);
				return -1;
			}
			if (r == 1) {
				if (!prev_ew || ws == v)
					mc_buf_add(out, ws, (size_t)(w - ws));
				mc_buf_add(out, d.p ? d.p : "", d.len);
			} else
				mc_buf_add(out, ws, (size_t)(p - ws));
			mc_buf_free(&d);
			prev_ew = r == 1;
		}
	}
	return 0;
}

/*
 * Parameters (RFC 2045 5.1) of an unstructured-free field value: after
 * the first token, "; attr=token" or "; attr=quoted-string".  Calls fn
 * for each with the attribute and the value (quoted-string unescaped);
 * returns -1 on a syntax error.
 */
typedef void (*fz_param_fn)(void *arg, const char *attr, size_t an,
    const char *val, size_t vn, int quoted);

static inline int
fz_tspecial(int c)
{
	return c != '\0' && strchr("()<>@,;:\\\"/[]?=", c) != NULL;
}

static inline int
fz_params(const char *v, size_t n, fz_param_fn fn, void *arg)
{
	const char *p = v, *end = v + n, *a, *ae;
	struct mc_buf val;
	int quoted;

	while (p < end && fz_wsp(*p))
		p++;
	while (p < end && *p != ';' && !fz_wsp(*p))
		p++;
	mc_buf_init(&val);
	for (;;) {
		while (p < end && fz_wsp(*p))
			p++;
		if (p == end)
			break;
		if (*p != ';')
			goto bad;
		p++;
		while (p < end && fz_wsp(*p))
			p++;
		a = p;
		while (p < end && *p != '=' && !fz_wsp(*p) && *p != ';')
			p++;
		ae = p;
		if (a == ae || p == end || *p != '=')
			goto bad;
		p++;
		val.len = 0;
		quoted = 0;
		if (p < end && *p == '"') {
			quoted = 1;
			for (p++; p < end && *p != '"'; p++) {
				if (*p == '\\') {
					if (++p == end)
						goto bad;
				}
				mc_buf_addc(&val, *p);
			}
			if (p == end)
				goto bad;
			p++;
		} else {
			for (; p < end && *p != ';' && !fz_wsp(*p); p++) {
				if (fz_tspecial((unsigned char)*p) ||
				    (unsigned char)*p <= 32 ||
				    (unsigned char)*p >= 127)
					goto bad;
				mc_buf_addc(&val, *p);
			}
			if (val.len == 0)
				goto bad;
		}
		fn(arg, a, (size_t)(ae - a), val.p ? val.p : "", val.len,
		    quoted);
	}
	mc_buf_free(&val);
	return 0;
bad:
	mc_buf_free(&val);
	return -1;
}

/*
 * MIME structure.  fz_header_end: the offset just past the empty line
 * ending the header block of p[0..n) (LF line ends), or 0.
 */
static inline size_t
fz_header_end(const char *p, size_t n)
{
	size_t i;

	if (n > 0 && p[0] == '\n')
		return 1;
	for (i = 0; i + 1 < n; i++)
		if (p[i] == '\n' && p[i + 1] == '\n')
			return i + 2;
	return 0;
}

/* The unfolded value of the first field called name in the header block
 * h[0..n) into out; the number of such fields. */
static inline int
fz_field(const char *h, size_t n, const char *name, struct mc_buf *out)
{
	const char *s = h, *end = h + n, *nl;
	size_t nlen = strlen(name);
	int count = 0, in = 0;

	for (; s < end; s = nl + 1) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (nl == NULL)
			nl = end;
		if (fz_wsp(*s)) {
			if (in)
				mc_buf_add(out, s, (size_t)(nl - s));
			continue;
		}
		in = 0;
		if ((size_t)(nl - s) > nlen &&
		    strncasecmp(s, name, nlen) == 0 && s[nlen] == ':') {
			if (count++ == 0) {
				in = 1;
				mc_buf_add(out, s + nlen + 1,
				    (size_t)(nl - s) - nlen - 1);
			}
		}
	}
	return count;
}

struct fz_boundary {
	struct mc_buf b;
	int n;
};

static inline void
fz_boundary_param(void *arg, const char *a, size_t an, const char *v,
    size_t vn, int quoted)
{
	struct fz_boundary *fb = arg;

	if (an == 8 && strncasecmp(a, "boundary", 8) == 0) {
		fb->n++;
		fb->b.len = 0;
		mc_buf_add(&fb->b, v, vn);
	}
}

/* What the structure check found, for a harness to look at. */
struct fz_part {
	const char *p;
	size_t n;
};

struct fz_mime {
	int gen;		/* headers made by the library: folding rules */
	/* An entity the library read and passes through as it is: 1 for
	 * the entity checked, n > 1 for the first part of the first part
	 * ... (n - 1 times) below it; 0 for none.  It is checked for a
	 * header block and one Content-Type only, and kept in foreign. */
	int foreign_at;
	struct fz_part foreign;
	int leaves;		/* leaves seen */
	int depth;		/* deepest nesting */
};

/*
 * Checks an entity p[0..n) with LF line ends: a header block of fields
 * ("Name: value", continuations after the first) ending in an empty line,
 * one Content-Type; a multipart's boundary (1..70 characters) starts no
 * line of its parts, which are each checked; a leaf's body is valid in its
 * transfer encoding.  message/rfc822 bodies are not looked into, nor are
 * read entities (gen 0 below the top).
 */
static inline void
fz_check_entity(const char *p, size_t n, int depth, struct fz_mime *m)
{
	size_t he, i, ln;
	const char *s, *end, *nl, *body, *part = NULL;
	struct mc_buf ct, cte;
	struct fz_boundary fb;
	int nparts = 0, closed = 0, nct, at = m->foreign_at;

	FZ_ASSERT(depth <= MC_MAX_DEPTH + 2, "nested too deep");
	if (at == 1) {
		m->foreign.p = p;
		m->foreign.n = n;
	}
	if (depth > m->depth)
		m->depth = depth;
	he = fz_header_end(p, n);
	FZ_ASSERT(he > 0, "no empty line after a header block: %.*s",
	    (int)(n < 200 ? n : 200), p);
	/* Header lines. */
	for (s = p; s < p + he - 1; s = nl + 1) {
		nl = memchr(s, '\n', (size_t)(p + he - 1 - s));
		ln = (size_t)(nl - s);
		FZ_ASSERT(ln <= MC_LINE_MAX, "a header line of %zu octets", ln);
		if (fz_wsp(s[0])) {
			FZ_ASSERT(s != p, "the header starts with a "
			    "continuation");
			continue;
		}
		for (i = 0; i < ln && s[i] != ':'; i++)
			FZ_ASSERT((unsigned char)s[i] > 32 &&
			    (unsigned char)s[i] < 127, "a bad field name: "
			    "%.*s", (int)ln, s);
		FZ_ASSERT(i < ln && i > 0, "not a header field: %.*s",
		    (int)ln, s);
		if (m->gen && at != 1) {
			/* The whole field, with its continuations. */
			const char *fe = nl + 1;
			while (fe < p + he - 1 && fz_wsp(*fe))
				fe = (const char *)memchr(fe, '\n',
				    (size_t)(p + he - fe)) + 1;
			fz_check_folded(s, (size_t)(fe - s), "header");
			for (i = 0; i < (size_t)(fe - s); i++)
				FZ_ASSERT((unsigned char)s[i] < 128,
				    "8-bit byte in a header made by the "
				    "library");
		}
	}
	body = p + he;
	end = p + n;
	mc_buf_init(&ct);
	mc_buf_init(&cte);
	nct = fz_field(p, he, "Content-Type", &ct);
	FZ_ASSERT(nct == 1, "%d Content-Type fields", nct);
	if (at == 1) {
		m->leaves++;
		mc_buf_free(&ct);
		return;
	}
	fz_field(p, he, "Content-Transfer-Encoding", &cte);
	s = ct.p;
	while (fz_wsp(*s))
		s++;
	if (strncasecmp(s, "multipart/", 10) == 0) {
		mc_buf_init(&fb.b);
		fb.n = 0;
		FZ_ASSERT(fz_params(ct.p, ct.len, fz_boundary_param, &fb) == 0,
		    "bad Content-Type parameters: %s", ct.p);
		FZ_ASSERT(fb.n == 1 && fb.b.len >= 1 && fb.b.len <= 70,
		    "a multipart without one boundary of 1..70 characters");
		for (s = body; s < end; s = nl + 1) {
			nl = memchr(s, '\n', (size_t)(end - s));
			if (nl == NULL)
				nl = end;
			ln = (size_t)(nl - s);
			if (!(ln >= 2 + fb.b.len && memcmp(s, "--", 2) == 0 &&
			    memcmp(s + 2, fb.b.p, fb.b.len) == 0))
				continue;
			FZ_ASSERT(!closed, "a delimiter after the close "
			    "delimiter");
			if (part != NULL) {
				/* The line end before it is the delimiter's. */
				FZ_ASSERT(s > part && s[-1] == '\n', "no "
				    "line end before a delimiter");
				{
					struct fz_mime sub = *m;
					sub.foreign_at = at > 1 && nparts == 1 ?
					    at - 1 : 0;
					fz_check_entity(part,
					    (size_t)(s - 1 - part), depth + 1,
					    &sub);
					m->leaves = sub.leaves;
					m->depth = sub.depth;
					if (sub.foreign.p != NULL)
						m->foreign = sub.foreign;
				}
			} else
				FZ_ASSERT(s == body, "a preamble");
			if (ln == 2 + fb.b.len + 2 &&
			    memcmp(s + 2 + fb.b.len, "--", 2) == 0)
				closed = 1;
			else {
				FZ_ASSERT(ln == 2 + fb.b.len, "a line that "
				    "starts with the boundary: %.*s", (int)ln,
				    s);
				nparts++;
			}
			part = nl + 1;
		}
		FZ_ASSERT(closed && nparts > 0, "a multipart without parts or "
		    "close delimiter");
		mc_buf_free(&fb.b);
	} else {
		m->leaves++;
		if (cte.len > 0 && strstr(cte.p, "base64") != NULL) {
			for (s = body; s < end; s = nl + 1) {
				struct mc_buf d;
				nl = memchr(s, '\n', (size_t)(end - s));
				FZ_ASSERT(nl != NULL, "a base64 line without "
				    "its line end");
				ln = (size_t)(nl - s);
				FZ_ASSERT(ln <= 76 && ln > 0, "a base64 line "
				    "of %zu", ln);
				FZ_ASSERT(ln == 76 || nl + 1 == end,
				    "a short base64 line before the last");
				mc_buf_init(&d);
				FZ_ASSERT(fz_b64_decode(s, ln, &d) == 0,
				    "invalid base64: %.*s", (int)ln, s);
				mc_buf_free(&d);
			}
		} else if (cte.len > 0 &&
		    strstr(cte.p, "quoted-printable") != NULL) {
			struct mc_buf d;
			const char *why = "";
			mc_buf_init(&d);
			FZ_ASSERT(fz_qp_decode(body, (size_t)(end - body), "\n",
			    &d, NULL, &why) == 0, "bad quoted-printable: %s",
			    why);
			mc_buf_free(&d);
		} else if (m->gen && strncasecmp(s, "message/", 8) != 0) {
			/* 7bit or 8bit text made by the library. */
			for (i = 0; s = body + i, i < (size_t)(end - body);
			    i = (size_t)(nl - body) + 1) {
				nl = memchr(s, '\n', (size_t)(end - s));
				if (nl == NULL)
					nl = end;
				ln = (size_t)(nl - s);
				FZ_ASSERT(ln <= MC_LINE_MAX, "a body line of "
				    "%zu octets", ln);
				FZ_ASSERT(!(ln == 1 && s[0] == '.'), "a lone "
				    "\".\" line");
				FZ_ASSERT(!(ln >= 5 && memcmp(s, "From ", 5)
				    == 0), "a line starting with \"From \"");
				FZ_ASSERT(memchr(s, '\0', ln) == NULL,
				    "a NUL in a 7bit/8bit body");
			}
		}
	}
	mc_buf_free(&ct);
	mc_buf_free(&cte);
}

/* The lowest free descriptor: a leaked one would take it. */
static inline int
fz_lowest_free(void)
{
	int fd = dup(0);

	close(fd);
	return fd;
}

/* Nonzero when dir holds no file (temporary files all removed). */
static inline int
fz_dir_empty(const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	int n = 0;

	while (dp != NULL && (de = readdir(dp)) != NULL)
		n += de->d_name[0] != '.';
	if (dp != NULL)
		closedir(dp);
	return n == 0;
}

#endif /* FUZZ_H */
