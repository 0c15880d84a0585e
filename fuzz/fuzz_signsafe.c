/* SPDX-License-Identifier: ISC */
/* Fuzzes signsafe.c (SPEC 6): safe lines, the same leaves, LF = CRLF. */
#include <ctype.h>

#include "fuzz.h"

/*
 * A second reading of an entity with LF line ends: its leaves in order,
 * each as its type and what its body decodes to.  Base64 bodies are kept
 * as their alphabet characters (white space out), other bodies decoded
 * leniently: quoted-printable as RFC 2045 6.7 asks of a robust decoder
 * (trailing white space out, "=" and two hex digits a byte, a final "="
 * a soft break, anything else as it is), 7bit, 8bit and binary as they
 * are.  The line end before a delimiter is the delimiter's (RFC 2046
 * 5.1.1); preambles and epilogues are not looked at.
 */
struct leaves {
	struct mc_buf list;	/* per leaf: "type\0" kind byte, len, bytes */
	int n;
};

static void
qp_lenient(const char *s, size_t n, struct mc_buf *out)
{
	const char *end = s + n, *nl;
	size_t ln, i;
	int soft;

	for (; s < end; s = nl + 1) {
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
			nl = end;
		for (ln = (size_t)(nl - s); ln > 0 && fz_wsp(s[ln - 1]); ln--)
			;
		for (soft = 0, i = 0; i < ln; i++) {
			if (s[i] == '=' && i + 2 < ln && fz_hex(s[i + 1]) >= 0 &&
			    fz_hex(s[i + 2]) >= 0) {
				mc_buf_addc(out, (char)(fz_hex(s[i + 1]) << 4 |
				    fz_hex(s[i + 2])));
				i += 2;
			} else if (s[i] == '=' && i + 1 == ln)
				soft = 1;
			else
				mc_buf_addc(out, s[i]);
		}
		if (nl < end && !soft)
			mc_buf_addc(out, '\n');
	}
}

static void
add_leaf(struct leaves *l, const char *type, char kind, const char *p,
    size_t n)
{
	uint64_t len = n;

	mc_buf_adds(&l->list, type);
	mc_buf_addc(&l->list, '\0');
	mc_buf_addc(&l->list, kind);
	mc_buf_add(&l->list, &len, sizeof(len));
	mc_buf_add(&l->list, p, n);
	l->n++;
}

/* The lower-case first token of a field value (type/subtype, encoding). */
static void
first_token(const struct mc_buf *v, char *out, size_t size)
{
	const char *p = v->p ? v->p : "";
	size_t k = 0;

	while (fz_wsp(*p))
		p++;
	for (; *p != '\0' && *p != ';' && !fz_wsp(*p) && *p != '(' &&
	    k + 1 < size; p++)
		out[k++] = (char)tolower((unsigned char)*p);
	out[k] = '\0';
}

/* Whether the line s[0..n) is a delimiter of b (close: "--" after it). */
static int
is_delim(const char *s, size_t n, const char *b, size_t bn, int *close)
{
	size_t k = 2 + bn;

	if (n < k || memcmp(s, "--", 2) != 0 || memcmp(s + 2, b, bn) != 0)
		return 0;
	*close = n >= k + 2 && s[k] == '-' && s[k + 1] == '-';
	for (k += *close ? 2 : 0; k < n && fz_wsp(s[k]); k++)
		;
	return k == n;
}

static void walk(const char *, size_t, const char *, struct leaves *, int);

static void
walk_multipart(const char *body, size_t n, const struct mc_buf *ct,
    const char *type, struct leaves *l, int depth)
{
	struct fz_boundary fb;
	const char *s = body, *end = body + n, *nl, *part = NULL;
	int close = 0;

	mc_buf_init(&fb.b);
	fb.n = 0;
	fz_params(ct->p, ct->len, fz_boundary_param, &fb);
	FZ_ASSERT(fb.n >= 1 && fb.b.len > 0, "a multipart without boundary");
	for (; s < end && !close; s = nl + 1) {
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
			nl = end;
		if (!is_delim(s, (size_t)(nl - s), fb.b.p, fb.b.len, &close))
			continue;
		if (part != NULL)
			walk(part, (size_t)(s - 1 - part), strcmp(type,
			    "multipart/digest") == 0 ? "message/rfc822" :
			    "text/plain", l, depth + 1);
		part = nl + 1;
	}
	FZ_ASSERT(close, "a multipart without its close delimiter");
	mc_buf_free(&fb.b);
}

static void
walk(const char *p, size_t n, const char *deftype, struct leaves *l,
    int depth)
{
	struct mc_buf ct, cte, dec;
	char type[128], enc[32];
	size_t he = fz_header_end(p, n), i;

	FZ_ASSERT(depth <= MC_MAX_DEPTH + 2, "nested too deep");
	/* RFC 2046 5.1.1: a part may be its header alone, the line end
	 * before the delimiter ending its last field. */
	if (he == 0 && depth > 1 && n > 0 && p[n - 1] == '\n')
		he = n;
	FZ_ASSERT(he > 0, "no header block");
	mc_buf_init(&ct);
	mc_buf_init(&cte);
	mc_buf_init(&dec);
	if (fz_field(p, he, "Content-Type", &ct) == 0)
		snprintf(type, sizeof(type), "%s", deftype);
	else
		first_token(&ct, type, sizeof(type));
	fz_field(p, he, "Content-Transfer-Encoding", &cte);
	first_token(&cte, enc, sizeof(enc));
	if (strncmp(type, "multipart/", 10) == 0)
		walk_multipart(p + he, n - he, &ct, type, l, depth);
	else if (strcmp(type, "message/rfc822") == 0)
		walk(p + he, n - he, "text/plain", l, depth + 1);
	else if (strcmp(enc, "base64") == 0) {
		for (i = he; i < n; i++)
			if (!fz_wsp(p[i]) && p[i] != '\n')
				mc_buf_addc(&dec, p[i]);
		add_leaf(l, type, 'b', dec.p ? dec.p : "", dec.len);
	} else if (strcmp(enc, "quoted-printable") == 0) {
		qp_lenient(p + he, n - he, &dec);
		add_leaf(l, type, 'd', dec.p ? dec.p : "", dec.len);
	} else
		add_leaf(l, type, 'd', p + he, n - he);
	mc_buf_free(&ct);
	mc_buf_free(&cte);
	mc_buf_free(&dec);
}

/* The next leaf at *off of l: its type, kind and bytes. */
static const char *
next_leaf(const struct leaves *l, size_t *off, char *kind, const char **b,
    size_t *bn)
{
	const char *type = l->list.p + *off;
	uint64_t len;

	*off += strlen(type) + 1;
	*kind = l->list.p[(*off)++];
	memcpy(&len, l->list.p + *off, sizeof(len));
	*off += sizeof(len);
	*b = l->list.p + *off;
	*bn = (size_t)len;
	*off += (size_t)len;
	return type;
}

/* Input and output have the same leaves, each decoding the same. */
static void
same_leaves(const struct leaves *in, const struct leaves *out)
{
	size_t io = 0, oo = 0, bn, cn;
	const char *ti, *to, *b, *c;
	struct mc_buf dec;
	char ki, ko;
	int i;

	FZ_ASSERT(in->n == out->n, "%d leaves in, %d out", in->n, out->n);
	for (i = 0; i < in->n; i++) {
		ti = next_leaf(in, &io, &ki, &b, &bn);
		to = next_leaf(out, &oo, &ko, &c, &cn);
		FZ_ASSERT(strcmp(ti, to) == 0, "leaf %d: %s became %s", i, ti,
		    to);
		mc_buf_init(&dec);
		if (ki != ko) {
			/* Bytes re-encoded base64 (binary data). */
			FZ_ASSERT(ki == 'd' && ko == 'b', "leaf %d: base64 "
			    "no longer", i);
			FZ_ASSERT(fz_b64_decode(c, cn, &dec) == 0, "leaf %d: "
			    "invalid base64", i);
			c = dec.p ? dec.p : "";
			cn = dec.len;
		}
		FZ_ASSERT(bn == cn && (bn == 0 || memcmp(b, c, bn) == 0),
		    "leaf %d (%s) decodes to %zu bytes, not the %zu of the "
		    "input", i, ti, cn, bn);
		mc_buf_free(&dec);
	}
}

/* SPEC 6: the rules every line of the output keeps. */
static void
check_lines(const char *p, size_t n)
{
	const char *end = p + n, *nl;
	size_t ln, i;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		ln = (size_t)(nl - p);
		for (i = 0; i < ln; i++)
			FZ_ASSERT((unsigned char)p[i] < 0x80 && p[i] != '\0' &&
			    p[i] != '\r', "byte 0x%02x in the output",
			    (unsigned char)p[i]);
		FZ_ASSERT(ln <= MC_LINE_MAX, "a line of %zu octets", ln);
		FZ_ASSERT(ln == 0 || !fz_wsp(p[ln - 1]), "trailing white "
		    "space: %.*s", (int)ln, p);
		FZ_ASSERT(!(ln == 1 && p[0] == '.'), "a lone \".\"");
		FZ_ASSERT(!(ln >= 5 && memcmp(p, "From ", 5) == 0),
		    "a line starting with \"From \"");
	}
}

static enum mc_err
convert(const uint8_t *d, size_t n, unsigned flags, struct mc_buf *out,
    struct mc_error *err)
{
	struct mc_signsafe_opts o = { flags, NULL };
	enum mc_err rc;
	int fd = mc_spool_fd(NULL);

	FZ_ASSERT(fd != -1, "no temporary file");
	FZ_ASSERT(n == 0 || write(fd, d, n) == (ssize_t)n, "write failed");
	FZ_ASSERT(lseek(fd, 0, SEEK_SET) == 0, "lseek failed");
	rc = mc_signsafe_fd(fd, "fuzz", fz_sink, out, &o, err);
	close(fd);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct mc_buf lf, crlf, want;
	struct mc_error err, err2;
	struct leaves lin, lout;
	enum mc_err rc;
	int fd0 = fz_lowest_free();
	size_t i;

	mc_buf_init(&lf);
	mc_buf_init(&crlf);
	mc_buf_init(&want);
	rc = convert(d, n, 0, &lf, &err);
	FZ_ASSERT(convert(d, n, MC_CRLF, &crlf, &err2) == rc, "LF and CRLF "
	    "runs disagree");
	FZ_ASSERT(rc == MC_OK || rc == MC_EDATA, "error %d: %s", rc,
	    mc_error_reason(&err));
	FZ_ASSERT(fz_lowest_free() == fd0, "a descriptor leaked");
	if (rc == MC_OK) {
		check_lines(lf.p ? lf.p : "", lf.len);
		/* The CRLF output is the LF output with each LF made CRLF. */
		for (i = 0; i < lf.len; i++)
			mc_buf_adds(&want, lf.p[i] == '\n' ? "\r\n" :
			    (char[]){ lf.p[i], 0 });
		FZ_ASSERT(want.len == crlf.len && (want.len == 0 ||
		    memcmp(want.p, crlf.p, want.len) == 0),
		    "the CRLF output is not the LF output with CRLF");
		/* The same leaves, decoding the same, when the input has no
		 * CR (the second reading knows only LF line ends). */
		if (memchr(d, '\r', n) == NULL) {
			memset(&lin, 0, sizeof(lin));
			memset(&lout, 0, sizeof(lout));
			mc_buf_init(&lin.list);
			mc_buf_init(&lout.list);
			walk((const char *)d, n, "text/plain", &lin, 1);
			walk(lf.p ? lf.p : "", lf.len, "text/plain", &lout, 1);
			same_leaves(&lin, &lout);
			mc_buf_free(&lin.list);
			mc_buf_free(&lout.list);
		}
	}
	mc_buf_free(&lf);
	mc_buf_free(&crlf);
	mc_buf_free(&want);
	return 0;
}
