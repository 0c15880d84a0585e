/* SPDX-License-Identifier: ISC */
/* The sign-safe form of an entity (RFC 3156 3, 5; RFC 8551 3.1; SPEC 6). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "mc.h"

#define RBUF	(64 * 1024)	/* read buffer; longer lines come in pieces */
#define HOLD	(64 * 1024)	/* a 7bit body up to this may stay 7bit */
#define B64COLS	76		/* RFC 2045 6.8 */

enum { P_EOF, P_LINE, P_CUT };

/*
 * What is done with the lines of a body:
 * SKIP   preamble and epilogue (RFC 2046 5.1.1: to be ignored), dropped;
 * HOLD   a 7bit leaf, kept in memory while it may stay as it is;
 * QP     re-encoded quoted-printable (8bit text, or 7bit that breaks a rule);
 * QPFIX  a quoted-printable body, line by line (see qpfix_line);
 * B64    a base64 body, its characters in lines of 76;
 * BIN    an 8bit or binary body that is not text, re-encoded base64;
 * CHECK  a body that cannot be re-encoded (message/partial, an unknown
 *        encoding): written as it is when it keeps the rules, else 65.
 */
enum mode { M_SKIP, M_HOLD, M_QP, M_QPFIX, M_B64, M_BIN, M_CHECK };

/* Where a body ended: at the end of the input, or at a delimiter line of
 * the multipart at level lvl of the stack (close: its close delimiter). */
struct end {
	int eof;
	int lvl;
	int close;
};

struct ss {
	int fd;
	const char *name;
	struct mc_out *out;
	struct mc_error *err;
	const char *reserved;	/* no line may start "--" reserved */
	size_t rlen;
	unsigned char *rbuf;
	size_t rpos, rend;
	int eof;
	int bol;		/* the piece returned starts a line */
	int nextbol;
	int crlf;		/* the last line read ended in CRLF */
	int eolcrlf;		/* the line end fed to BIN was CRLF */
	uint64_t line;		/* lines read, for messages */
	char bounds[MC_MAX_DEPTH + 1][MC_BOUNDARY_MAX + 1];
	size_t blen[MC_MAX_DEPTH + 1];
	int nb;
	/* the leaf being converted */
	enum mode mode;
	mc_entity *leaf;	/* its header, while HOLD keeps it back */
	unsigned char *hold;
	size_t holdlen, lstart;	/* lstart: where the held line starts */
	struct mc_qp qp;
	struct mc_b64 b64;
	char b64line[B64COLS];
	size_t b64n;
};

/* The input cannot be made sign-safe: why, and the line read last. */
static int
fail(struct ss *s, const char *why)
{
	if (s->line > 0)
		mc_fail(s->err, MC_EDATA, 0, s->name, "%s (line %llu)", why,
		    (unsigned long long)s->line);
	else
		mc_fail(s->err, MC_EDATA, 0, s->name, "%s", why);
	return -1;
}

static int
out_failed(struct ss *s)
{
	mc_fail(s->err, MC_EIO, s->out->sys, "output", NULL);
	return -1;
}

/*
 * The next piece of input: a whole line without its LF or CRLF (P_LINE),
 * a piece of a line longer than the buffer or a last line without a line
 * end (P_CUT), or the end (P_EOF).  The piece lives until the next call.
 */
static int
piece(struct ss *s, const unsigned char **p, size_t *n)
{
	unsigned char *b = s->rbuf, *nl;
	size_t k;
	ssize_t r;

	s->bol = s->nextbol;
	for (;;) {
		k = s->rend - s->rpos;
		if ((nl = memchr(b + s->rpos, '\n', k)) != NULL) {
			*p = b + s->rpos;
			*n = (size_t)(nl - *p);
			s->rpos += *n + 1;
			s->crlf = *n > 0 && (*p)[*n - 1] == '\r';
			*n -= (size_t)s->crlf;
			s->nextbol = 1;
			s->line++;
			return P_LINE;
		}
		if (s->eof || k == RBUF) {
			if (k == 0)
				return P_EOF;
			/* A CR may be the first half of a CRLF. */
			if (!s->eof && b[s->rend - 1] == '\r')
				k--;
			*p = b + s->rpos;
			*n = k;
			s->rpos += k;
			s->nextbol = 0;
			return P_CUT;
		}
		memmove(b, b + s->rpos, k);
		s->rpos = 0;
		s->rend = k;
		do
			r = read(s->fd, b + k, RBUF - k);
		while (r == -1 && errno == EINTR);
		if (r == -1) {
			mc_fail(s->err, MC_EIO, errno, s->name, NULL);
			return -1;
		}
		if (r == 0)
			s->eof = 1;
		s->rend += (size_t)r;
	}
}

/* RFC 2046 5.1.1: the level of the multipart whose delimiter line p[0..n)
 * is, innermost first, or -1; *close for a close delimiter.  "--", the
 * boundary, "--" for the close delimiter, then only transport padding. */
static int
delimiter(const struct ss *s, const unsigned char *p, size_t n, int *close)
{
	size_t k;
	int i;

	if (n < 3 || p[0] != '-' || p[1] != '-')
		return -1;
	for (i = s->nb - 1; i >= 0; i--) {
		k = s->blen[i];
		if (n < 2 + k || memcmp(p + 2, s->bounds[i], k) != 0)
			continue;
		k += 2;
		*close = n >= k + 2 && p[k] == '-' && p[k + 1] == '-';
		k += *close ? 2 : 0;
		while (k < n && (p[k] == ' ' || p[k] == '\t'))
			k++;
		if (k == n)
			return i;
	}
	return -1;
}

/* The rules of SPEC 6 for a line written as it is: 7-bit, no NUL or bare
 * CR, at most 998 octets, no trailing white space, not "From " or a lone
 * ".", and not a delimiter line of the reserved boundary.  Its phrase,
 * or NULL when it keeps them. */
static const char *
line_why(const struct ss *s, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] >= 0x80 || p[i] == '\0' || p[i] == '\r')
			return p[i] >= 0x80 ? "an 8-bit byte" :
			    "a NUL or a bare CR";
	if (n > MC_LINE_MAX)
		return "a line longer than 998 octets";
	if (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		return "trailing white space";
	if ((n == 1 && p[0] == '.') || (n >= 5 && memcmp(p, "From ", 5) == 0))
		return "a line that is \".\" or starts with \"From \"";
	if (s->reserved != NULL && n >= 2 + s->rlen && p[0] == '-' &&
	    p[1] == '-' && memcmp(p + 2, s->reserved, s->rlen) == 0)
		return "a line like the boundary around it";
	return NULL;
}

static int
put_line(struct ss *s, const void *p, size_t n)
{
	if (mc_out_write(s->out, p, n) == -1 || mc_out_eol(s->out) == -1)
		return out_failed(s);
	return 0;
}

/*
 * A header block, each line without trailing white space (an empty
 * continuation dropped: it would end the header).  cte non-NULL: the
 * Content-Transfer-Encoding fields are left out and "cte" put last.
 */
static int
put_header(struct ss *s, const mc_entity *h, const char *cte)
{
	const unsigned char *p, *end, *nl;
	const char *why;
	char msg[96];
	size_t n;
	int drop = 0;

	p = (const unsigned char *)(h->hdr.len > 0 ? h->hdr.p : "");
	for (end = p + h->hdr.len; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (p[0] != ' ' && p[0] != '\t')
			drop = cte != NULL && strncasecmp((const char *)p,
			    "Content-Transfer-Encoding:", 26) == 0;
		for (n = (size_t)(nl - p); n > 0 && (p[n - 1] == ' ' ||
		    p[n - 1] == '\t'); n--)
			;
		if (drop || n == 0)
			continue;
		if ((why = line_why(s, p, n)) != NULL) {
			snprintf(msg, sizeof(msg), "%s in a header", why);
			return fail(s, msg);
		}
		if (put_line(s, p, n) == -1)
			return -1;
	}
	if (cte != NULL && (mc_out_puts(s->out, "Content-Transfer-Encoding: ")
	    == -1 || put_line(s, cte, strlen(cte)) == -1))
		return out_failed(s);
	return put_line(s, "", 0);
}

/* HOLD found that the body must be re-encoded: the header with the new
 * encoding, then what was held, through the encoder. */
static int
hold_to_qp(struct ss *s)
{
	if (put_header(s, s->leaf, "quoted-printable") == -1)
		return -1;
	mc_qp_init(&s->qp, s->out);
	s->mode = M_QP;
	if (mc_qp_step(&s->qp, s->hold, s->holdlen) == -1)
		return out_failed(s);
	return 0;
}

/* HOLD: the held line that just ended; re-encodes when it breaks a rule. */
static int
hold_line_end(struct ss *s)
{
	if (line_why(s, s->hold + s->lstart, s->holdlen - s->lstart) != NULL)
		return hold_to_qp(s);
	return 0;
}

static int
is_hex(unsigned c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' &&
	    (c | 0x20) <= 'f');
}

/* RFC 2045 6.8, Table 1, and the pad character. */
static const unsigned char b64_alphabet[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0,
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

static int
is_b64(unsigned c)
{
	return b64_alphabet[c & 0xff];
}

/*
 * A quoted-printable line made safe, with what it decodes to kept (RFC
 * 2045 6.7): trailing white space dropped (rule 3: decoders drop it), a
 * leading "F" of "From " and a lone "." encoded, and what is not valid
 * there encoded as well (8-bit bytes, controls, an "=" that starts no
 * escape or soft break: decoders keep those as they are).
 */
static int
qpfix_line(struct ss *s, const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char o[MC_LINE_MAX + 4];
	size_t i, k = 0;
	unsigned c;

	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	for (i = 0; i < n && k <= MC_LINE_MAX; i++) {
		c = p[i];
		if (c == '=' && i + 2 < n && is_hex(p[i + 1]) &&
		    is_hex(p[i + 2])) {
			/* An escape, in upper case as RFC 2045 6.7 (1). */
			o[k++] = '=';
			o[k++] = (unsigned char)(p[i + 1] & ~(p[i + 1] >> 1 &
			    0x20));
			o[k++] = (unsigned char)(p[i + 2] & ~(p[i + 2] >> 1 &
			    0x20));
			i += 2;
			continue;
		}
		if ((c == '=' && i + 1 < n) || c >= 0x7f ||
		    (c < 0x20 && c != '\t') || (i == 0 && ((c == 'F' &&
		    n >= 5 && memcmp(p, "From ", 5) == 0) ||
		    (c == '.' && n == 1)))) {
			o[k++] = '=';
			o[k++] = (unsigned char)hex[c >> 4];
			o[k++] = (unsigned char)hex[c & 15];
		} else
			o[k++] = (unsigned char)c;
	}
	if (k > MC_LINE_MAX)
		return fail(s, "a quoted-printable line longer than 998 octets");
	if (mc_out_write(s->out, o, k) == -1)
		return out_failed(s);
	return 0;
}

/* B64: the base64 characters of p[0..n) in lines of 76; white space
 * dropped (RFC 2045 6.8: decoders ignore line breaks). */
static int
b64_chars(struct ss *s, const unsigned char *p, size_t n)
{
	size_t i;

	/* Lines of 76 already: as they are. */
	if (s->b64n == 0 && n == B64COLS && s->bol) {
		for (i = 0; i < n && is_b64(p[i]); i++)
			;
		if (i == n)
			return put_line(s, p, n);
	}
	for (i = 0; i < n; i++) {
		if (p[i] == ' ' || p[i] == '\t' || p[i] == '\r')
			continue;
		if (!is_b64(p[i]))
			return fail(s, "a character that is not base64 in a "
			    "base64 body");
		s->b64line[s->b64n++] = (char)p[i];
		if (s->b64n == B64COLS) {
			s->b64n = 0;
			if (put_line(s, s->b64line, B64COLS) == -1)
				return -1;
		}
	}
	return 0;
}

/* B64, at the start of a line with no characters carried: the lines of
 * 76 base64 characters and a LF that follow in the buffer, as the tools
 * write them, go out as they are, many at a time (no such line can be a
 * delimiter: "-" is not base64).  The LF output only. */
static int
b64_lines(struct ss *s)
{
	const unsigned char *b = s->rbuf + s->rpos, *p = b, *end;
	size_t i;

	end = s->rbuf + s->rend;
	while (end - p > B64COLS && p[B64COLS] == '\n') {
		for (i = 0; i < B64COLS && b64_alphabet[p[i]]; i++)
			;
		if (i < B64COLS)
			break;
		p += B64COLS + 1;
		s->line++;
	}
	if (p == b)
		return 0;
	s->rpos += (size_t)(p - b);
	if (mc_out_write(s->out, b, (size_t)(p - b)) == -1)
		return out_failed(s);
	return 1;
}

/* Content bytes of the body being converted (a line or a piece of one). */
static int
feed(struct ss *s, const unsigned char *p, size_t n)
{
	const char *why;
	char msg[128];

	switch (s->mode) {
	case M_SKIP:
		return 0;
	case M_HOLD:
		if (s->holdlen + n + 1 > HOLD) {
			if (hold_to_qp(s) == -1)
				return -1;
			return feed(s, p, n);
		}
		memcpy(s->hold + s->holdlen, p, n);
		s->holdlen += n;
		return 0;
	case M_QP:
		return mc_qp_step(&s->qp, p, n) == -1 ? out_failed(s) : 0;
	case M_QPFIX:
		if (!s->bol || (!s->nextbol && !s->eof))
			return fail(s, "a quoted-printable line longer than "
			    "998 octets");
		return qpfix_line(s, p, n);
	case M_B64:
		return b64_chars(s, p, n);
	case M_BIN:
		return mc_b64_step(&s->b64, p, n) == -1 ? out_failed(s) : 0;
	case M_CHECK:
		if (!s->bol || (!s->nextbol && !s->eof))
			return fail(s, "a line longer than 998 octets in a body "
			    "that cannot be re-encoded");
		if ((why = line_why(s, p, n)) != NULL) {
			snprintf(msg, sizeof(msg), "%s in a body that cannot "
			    "be re-encoded", why);
			return fail(s, msg);
		}
		if (mc_out_write(s->out, p, n) == -1)
			return out_failed(s);
		return 0;
	}
	return 0;
}

/* A line end inside the content of the body being converted. */
static int
feed_eol(struct ss *s)
{
	switch (s->mode) {
	case M_HOLD:
		if (hold_line_end(s) == -1)
			return -1;
		if (s->mode == M_HOLD) {
			s->hold[s->holdlen++] = '\n';
			s->lstart = s->holdlen;
			return 0;
		}
		/* FALLTHROUGH */
	case M_QP:
		return mc_qp_step(&s->qp, "\n", 1) == -1 ? out_failed(s) : 0;
	case M_BIN:
		return mc_b64_step(&s->b64, s->eolcrlf ? "\r\n" : "\n",
		    s->eolcrlf ? 2 : 1) == -1 ? out_failed(s) : 0;
	case M_QPFIX:
	case M_CHECK:
		return mc_out_eol(s->out) == -1 ? out_failed(s) : 0;
	default:
		return 0;
	}
}

/*
 * Feeds a body to the current mode up to its end: a delimiter line of an
 * enclosing multipart, or the end of the input.  The line end before a
 * delimiter belongs to the delimiter (RFC 2046 5.1.1), not to the body.
 */
static int
body(struct ss *s, struct end *e)
{
	const unsigned char *p;
	size_t n;
	int r, lvl, close, pending = 0, crlf = 0;

	for (;;) {
		if (s->mode == M_B64 && s->nextbol && s->b64n == 0 &&
		    !s->out->crlf && (r = b64_lines(s)) != 0) {
			if (r == -1)
				return -1;
			/* feed_eol does nothing for B64. */
			pending = 1;
			continue;
		}
		if ((r = piece(s, &p, &n)) == -1)
			return -1;
		if (r == P_EOF)
			break;
		if (s->bol && (r == P_LINE || s->eof) &&
		    (lvl = delimiter(s, p, n, &close)) >= 0) {
			e->eof = 0;
			e->lvl = lvl;
			e->close = close;
			return 0;
		}
		s->eolcrlf = crlf;
		if (pending && feed_eol(s) == -1)
			return -1;
		if (feed(s, p, n) == -1)
			return -1;
		pending = r == P_LINE;
		crlf = s->crlf;
	}
	e->eof = 1;
	e->lvl = -1;
	s->eolcrlf = crlf;
	return pending ? feed_eol(s) : 0;
}

/* The end of a leaf's body. */
static int
leaf_finish(struct ss *s)
{
	switch (s->mode) {
	case M_HOLD:
		if (hold_line_end(s) == -1)
			return -1;
		if (s->mode == M_QP)
			return leaf_finish(s);
		if (put_header(s, s->leaf, NULL) == -1)
			return -1;
		if (mc_out_text(s->out, (const char *)s->hold, s->holdlen)
		    == -1)
			return out_failed(s);
		return 0;
	case M_QP:
		return mc_qp_finish(&s->qp) == -1 ? out_failed(s) : 0;
	case M_BIN:
		return mc_b64_finish(&s->b64) == -1 ? out_failed(s) : 0;
	case M_B64:
		if (s->b64n > 0 && put_line(s, s->b64line, s->b64n) == -1)
			return -1;
		s->b64n = 0;
		return 0;
	default:
		return 0;
	}
}

static int entity(struct ss *, int, const char *, struct end *);

/* The unfolded value of the Content-Type field of h into v. */
static void
content_type(const mc_entity *h, struct mc_buf *v)
{
	const char *p = h->hdr.len > 0 ? h->hdr.p : "", *end, *nl;
	int in = 0;

	for (end = p + h->hdr.len; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (p[0] != ' ' && p[0] != '\t') {
			if (in)
				break;
			if ((in = strncasecmp(p, "Content-Type:", 13) == 0))
				p += 13;
		}
		if (in)
			mc_buf_add(v, p, (size_t)(nl - p));
	}
}

/* The value of the parameter at *p (RFC 2045 5.1: a token or a
 * quoted-string) into v; *p moves past it.  -1 when it is neither. */
static int
param_value(const char **p, struct mc_buf *v)
{
	const char *q = *p;

	if (*q == '"') {
		for (q++; *q != '"' && *q != '\0'; q++) {
			if (*q == '\\' && q[1] != '\0')
				q++;
			mc_buf_addc(v, *q);
		}
		if (*q++ != '"')
			return -1;
		*p = q;
		return 0;
	}
	for (; *q != '\0' && *q != ';' && *q != ' ' && *q != '\t'; q++)
		mc_buf_addc(v, *q);
	*p = q;
	return v->len > 0 && mc_is_token(v->p) ? 0 : -1;
}

/* The boundary parameter of h's Content-Type (RFC 2045 5.1 parameters,
 * strictly: a list that does not parse has none) into s->bounds[s->nb];
 * -1 when there is not one of RFC 2046 5.1.1's 1..70 characters. */
static int
boundary_of(struct ss *s, const mc_entity *h)
{
	struct mc_buf ct, v;
	const char *p, *a;
	size_t an;
	int found = 0;

	s->blen[s->nb] = 0;
	mc_buf_init(&ct);
	mc_buf_init(&v);
	content_type(h, &ct);
	for (p = ct.p ? ct.p : ""; *p == ' ' || *p == '\t'; p++)
		;
	for (; *p != '\0' && *p != ';' && *p != ' ' && *p != '\t'; p++)
		;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p++ != ';')
			break;
		while (*p == ' ' || *p == '\t')
			p++;
		for (a = p; *p != '\0' && *p != '=' && *p != ';' && *p != ' ' &&
		    *p != '\t'; p++)
			;
		an = (size_t)(p - a);
		v.len = 0;
		if (an == 0 || *p++ != '=' || param_value(&p, &v) == -1)
			break;
		if (an == 8 && strncasecmp(a, "boundary", 8) == 0 &&
		    found++ == 0 && !v.oom && v.len <= MC_BOUNDARY_MAX) {
			memcpy(s->bounds[s->nb], v.p ? v.p : "", v.len);
			s->bounds[s->nb][v.len] = '\0';
			s->blen[s->nb] = v.len;
		}
	}
	/* All parsed; RFC 2046 5.1.1: 1..70 characters, no final space. */
	found = *p == '\0' ? found : 0;
	mc_buf_free(&ct);
	mc_buf_free(&v);
	return found == 1 && s->blen[s->nb] > 0 &&
	    s->blen[s->nb] <= MC_BOUNDARY_MAX &&
	    s->bounds[s->nb][s->blen[s->nb] - 1] != ' ' ? 0 : -1;
}

/* RFC 2046 5.1.2: the boundary just read is not one of those around it,
 * whose delimiters would be ambiguous. */
static int
boundary_new(const struct ss *s)
{
	int i;

	for (i = 0; i < s->nb; i++)
		if (strcmp(s->bounds[i], s->bounds[s->nb]) == 0)
			return 0;
	return 1;
}

static int
put_delimiter(struct ss *s, int lvl, int close, int first)
{
	const char *b = s->bounds[lvl];

	if ((!first && mc_out_eol(s->out) == -1) ||
	    mc_out_puts(s->out, "--") == -1 || mc_out_puts(s->out, b) == -1 ||
	    (close && mc_out_puts(s->out, "--") == -1) ||
	    mc_out_eol(s->out) == -1)
		return out_failed(s);
	if (s->reserved != NULL && strncmp(b, s->reserved, s->rlen) == 0)
		return fail(s, "a multipart whose boundary starts with the "
		    "one around it");
	return 0;
}

/* RFC 2046 5.1: the parts one by one, then the epilogue up to the end of
 * the enclosing body.  The preamble and the epilogue are left out.  h is
 * freed. */
static int
multipart(struct ss *s, mc_entity *h, int depth, struct end *e)
{
	const char *deftype = strcmp(h->rtype, "multipart/digest") == 0 ?
	    "message/rfc822" : "text/plain";
	int lvl = s->nb, first = 1, rc;

	/* RFC 2045 6.4: no encoding but the identity ones. */
	if (h->rcte != MC_CTE_7BIT && h->rcte != MC_CTE_8BIT)
		rc = fail(s, "a multipart with a transfer encoding other "
		    "than 7bit, 8bit or binary");
	else if (boundary_of(s, h) == -1)
		rc = fail(s, "a multipart without a valid boundary parameter");
	else if (!boundary_new(s))
		rc = fail(s, "a multipart inside one with the same boundary");
	else
		rc = put_header(s, h, h->rcte == MC_CTE_8BIT ? "7bit" : NULL);
	mc_entity_free(h);
	if (rc == -1)
		return -1;
	s->nb++;
	s->mode = M_SKIP;
	if (body(s, e) == -1)
		return -1;
	for (;;) {
		if (e->eof || e->lvl != lvl || (first && e->close))
			return fail(s, first ? "a multipart without parts" :
			    "a multipart without its close delimiter");
		if (e->close)
			break;
		if (put_delimiter(s, lvl, 0, first) == -1 ||
		    entity(s, depth + 1, deftype, e) == -1)
			return -1;
		first = 0;
	}
	if (put_delimiter(s, lvl, 1, 0) == -1)
		return -1;
	s->nb--;
	s->mode = M_SKIP;
	return body(s, e);
}

/* The header block of the next entity into a new read entity *h. */
static int
header(struct ss *s, int depth, const char *deftype, mc_entity **h)
{
	struct mc_buf b;
	const unsigned char *p;
	size_t n;
	int r, close;

	mc_buf_init(&b);
	for (;;) {
		if ((r = piece(s, &p, &n)) == -1)
			goto fail;
		if (r == P_EOF || (r == P_CUT && !s->eof) || (s->nb > 0 &&
		    delimiter(s, p, n, &close) >= 0)) {
			fail(s, depth > 1 ? "no empty line after a header "
			    "block" : s->line == 0 ? "not a MIME entity: "
			    "empty input" : "not a MIME entity: no empty line "
			    "after the header");
			goto fail;
		}
		if (n == 0 && r == P_LINE)
			break;
		mc_buf_add(&b, p, n);
		mc_buf_addc(&b, '\n');
		if (b.len > MC_HEADER_MAX) {
			fail(s, "a header block over 256 KiB");
			goto fail;
		}
	}
	if (depth == 1 && b.len == 0) {
		fail(s, "not a MIME entity: no header fields");
		goto fail;
	}
	if (b.oom || (*h = mc_entity_alloc(MC_K_READ)) == NULL) {
		mc_fail(s->err, MC_ENOMEM, 0, s->name, NULL);
		goto fail;
	}
	if (mc_header_parse(*h, b.p ? b.p : "", b.len, s->name,
	    depth == 1 ? NULL : deftype, 1, s->err) != MC_OK) {
		mc_entity_free(*h);
		goto fail;
	}
	mc_buf_free(&b);
	return 0;
fail:
	*h = NULL;
	mc_buf_free(&b);
	return -1;
}

/* How many Content-Transfer-Encoding fields h has: readers that take
 * the first and readers that take the last must see the same. */
static int
cte_fields(const mc_entity *h)
{
	const char *p = h->hdr.len > 0 ? h->hdr.p : "", *end, *nl;
	int n = 0;

	for (end = p + h->hdr.len; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n += strncasecmp(p, "Content-Transfer-Encoding:", 26) == 0;
	}
	return n;
}

/* The mode for a leaf's body, and its header now unless HOLD keeps it. */
static int
leaf_start(struct ss *s, mc_entity *h)
{
	int text = strncmp(h->rtype, "text/", 5) == 0;
	int message = strncmp(h->rtype, "message/", 8) == 0;
	const char *cte = NULL;

	if (h->rcte == MC_CTE_BASE64)
		s->mode = M_B64;
	else if (h->rcte == MC_CTE_QP)
		s->mode = M_QPFIX;
	else if (message || h->rcte == MC_CTE_AUTO)
		s->mode = M_CHECK;	/* RFC 2046 5.2: no other encoding */
	else if (h->rcte == MC_CTE_7BIT) {
		s->mode = M_HOLD;
		s->holdlen = s->lstart = 0;
		s->leaf = h;
		return 0;
	} else if (text) {
		s->mode = M_QP;
		cte = "quoted-printable";
		mc_qp_init(&s->qp, s->out);
	} else {
		s->mode = M_BIN;
		cte = "base64";
		mc_b64_init(&s->b64, s->out);
	}
	s->b64n = 0;
	return put_header(s, h, cte);
}

/* One entity: its header, then its body by type; depth counts from 1. */
static int
entity(struct ss *s, int depth, const char *deftype, struct end *e)
{
	mc_entity *h;
	int rc;

	if (depth > MC_MAX_DEPTH)
		return fail(s, "entities nested more than 32 deep");
	if (header(s, depth, deftype, &h) == -1)
		return -1;
	if (cte_fields(h) > 1) {
		mc_entity_free(h);
		return fail(s, "two Content-Transfer-Encoding fields");
	}
	if (strncmp(h->rtype, "multipart/", 10) == 0)
		return multipart(s, h, depth, e);
	if (strcmp(h->rtype, "message/rfc822") == 0) {
		/* RFC 2046 5.2.1: 7bit, 8bit or binary; the message inside
		 * is made safe as an entity of its own. */
		rc = h->rcte != MC_CTE_7BIT && h->rcte != MC_CTE_8BIT ?
		    fail(s, "a message/rfc822 part in a transfer encoding "
		    "other than 7bit or 8bit") :
		    put_header(s, h, h->rcte == MC_CTE_8BIT ? "7bit" : NULL);
		mc_entity_free(h);
		return rc == -1 ? -1 : entity(s, depth + 1, "text/plain", e);
	}
	s->leaf = NULL;
	rc = leaf_start(s, h);
	if (rc == 0)
		rc = body(s, e);
	if (rc == 0)
		rc = leaf_finish(s);
	s->leaf = NULL;
	mc_entity_free(h);
	return rc;
}

enum mc_err
mc_signsafe_fd(int fd, const char *name, mc_write_fn fn, void *arg,
    const struct mc_signsafe_opts *opts, struct mc_error *err)
{
	struct mc_error local;
	struct ss *s;
	struct end e;
	enum mc_err rc = MC_OK;

	if (err == NULL)
		err = &local;
	if (name == NULL)
		name = "standard input";
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->out = malloc(sizeof(*s->out))) == NULL ||
	    (s->rbuf = malloc(RBUF)) == NULL ||
	    (s->hold = malloc(HOLD)) == NULL) {
		rc = mc_fail(err, MC_ENOMEM, 0, name, NULL);
		goto out;
	}
	s->fd = fd;
	s->name = name;
	s->err = err;
	s->nextbol = 1;
	if (opts != NULL && opts->boundary != NULL) {
		s->reserved = opts->boundary;
		s->rlen = strlen(opts->boundary);
	}
	mc_out_init(s->out, fn, arg, opts != NULL &&
	    (opts->flags & MC_CRLF) != 0);
	if (entity(s, 1, NULL, &e) == -1 || mc_out_flush(s->out) == -1) {
		rc = s->out->failed ? mc_fail(err, MC_EIO, s->out->sys,
		    "output", NULL) : err->code;
		goto out;
	}
out:
	if (s != NULL) {
		free(s->out);
		free(s->rbuf);
		free(s->hold);
	}
	free(s);
	return rc;
}
