/* SPDX-License-Identifier: ISC */
/* A linter for messages: lines, structure (RFC 2046 5.1) and the rules. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* One table of the rules: every path names a rule through it. */
static const struct {
	const char *name;
	enum mc_severity sev;
	const char *rfc;
} rules[R_NRULES] = {
	[R_FROM_MISSING] = { "from-missing", MC_ERROR, "RFC 5322 3.6" },
	[R_DATE_MISSING] = { "date-missing", MC_ERROR, "RFC 5322 3.6" },
	[R_FIELD_REPEATED] = { "field-repeated", MC_ERROR,
	    "RFC 5322 3.6, RFC 2045 3" },
	[R_HEADER_SYNTAX] = { "header-syntax", MC_ERROR, "RFC 5322 2.2" },
	[R_HEADER_8BIT] = { "header-8bit", MC_ERROR, "RFC 5322 2.2" },
	[R_LINE_LONG] = { "line-too-long", MC_ERROR, "RFC 5322 2.1.1" },
	[R_ADDRESS] = { "address-syntax", MC_ERROR, "RFC 5322 3.4" },
	[R_DATE] = { "date-syntax", MC_ERROR, "RFC 5322 3.3" },
	[R_MSGID] = { "msgid-syntax", MC_ERROR, "RFC 5322 3.6.4" },
	[R_MIME_VERSION_MISSING] = { "mime-version-missing", MC_ERROR,
	    "RFC 2045 4" },
	[R_MIME_VERSION] = { "mime-version-syntax", MC_ERROR, "RFC 2045 4" },
	[R_CT_SYNTAX] = { "content-type-syntax", MC_ERROR, "RFC 2045 5.1" },
	[R_CD_SYNTAX] = { "disposition-syntax", MC_ERROR, "RFC 2183 2" },
	[R_PARAM_REPEATED] = { "param-repeated", MC_ERROR, "RFC 2045 5.1" },
	[R_CHARSET_UNKNOWN] = { "charset-unknown", MC_WARNING,
	    "RFC 2046 4.1.2" },
	[R_CTE_UNKNOWN] = { "cte-unknown", MC_ERROR, "RFC 2045 6.1" },
	[R_MULTIPART_ENCODED] = { "multipart-encoded", MC_ERROR,
	    "RFC 2045 6.4" },
	[R_RFC822_ENCODED] = { "rfc822-encoded", MC_ERROR,
	    "RFC 2046 5.2.1" },
	[R_BODY_8BIT] = { "body-8bit", MC_ERROR, "RFC 2045 2.7, 6.2" },
	[R_BODY_NUL] = { "body-nul", MC_ERROR, "RFC 2045 2.7, 2.8" },
	[R_B64_ALPHABET] = { "b64-alphabet", MC_ERROR, "RFC 2045 6.8" },
	[R_B64_PADDING] = { "b64-padding", MC_ERROR, "RFC 2045 6.8" },
	[R_B64_LINE] = { "b64-line-too-long", MC_ERROR, "RFC 2045 6.8" },
	[R_QP_ESCAPE] = { "qp-bad-escape", MC_ERROR, "RFC 2045 6.7 (1)" },
	[R_QP_RAW] = { "qp-raw-byte", MC_ERROR, "RFC 2045 6.7 (1), (2)" },
	[R_QP_TRAILING] = { "qp-trailing-space", MC_ERROR,
	    "RFC 2045 6.7 (3)" },
	[R_QP_SOFT] = { "qp-soft-break", MC_WARNING, "RFC 2045 6.7 (3), (5)" },
	[R_QP_LINE] = { "qp-line-too-long", MC_ERROR, "RFC 2045 6.7 (5)" },
	[R_BOUNDARY_MISSING] = { "boundary-missing", MC_ERROR,
	    "RFC 2046 5.1.1" },
	[R_BOUNDARY_SYNTAX] = { "boundary-syntax", MC_ERROR,
	    "RFC 2046 5.1.1" },
	[R_BOUNDARY_NOT_FOUND] = { "boundary-not-found", MC_ERROR,
	    "RFC 2046 5.1.1" },
	[R_BOUNDARY_NOT_CLOSED] = { "boundary-not-closed", MC_ERROR,
	    "RFC 2046 5.1.1" },
	[R_BOUNDARY_IN_BODY] = { "boundary-in-body", MC_ERROR,
	    "RFC 2046 5.1.1" },
	[R_BOUNDARY_NESTED] = { "boundary-nested", MC_ERROR,
	    "RFC 2046 5.1.2" },
	[R_PART_EMPTY] = { "part-empty", MC_WARNING, "RFC 2046 5.1.1" },
	[R_2047_SYNTAX] = { "2047-syntax", MC_ERROR, "RFC 2047 2" },
	[R_2047_LONG] = { "2047-word-too-long", MC_ERROR, "RFC 2047 2" },
	[R_2047_LINE] = { "2047-line-too-long", MC_WARNING, "RFC 2047 2" },
	[R_2047_PLACEMENT] = { "2047-placement", MC_ERROR, "RFC 2047 5" },
	[R_2047_CHARSET] = { "2047-charset", MC_WARNING, "RFC 2047 3" },
	[R_2047_DECODE] = { "2047-decode", MC_ERROR, "RFC 2047 4" },
	[R_2231_CONT] = { "2231-continuation", MC_ERROR, "RFC 2231 3" },
	[R_2231_ORDER] = { "2231-order", MC_WARNING, "RFC 2231 3" },
	[R_2231_SYNTAX] = { "2231-syntax", MC_ERROR, "RFC 2231 4" },
	[R_UTF8] = { "utf8-invalid", MC_ERROR, "RFC 3629 3" },
	[R_LONE_DOT] = { "lone-dot", MC_WARNING, "RFC 5321 4.5.2" },
	[R_FROM_LINE] = { "from-line", MC_WARNING, "RFC 4155 2" },
	[R_BARE_CR] = { "bare-cr", MC_WARNING, "RFC 5322 2.3" },
	[R_EOL_MIXED] = { "eol-mixed", MC_WARNING, "RFC 5322 2.3" },
	[R_LIMIT_FIELD] = { "limit-field", MC_WARNING, "RFC 5322 2.1.1" },
	[R_LIMIT_DEPTH] = { "limit-depth", MC_WARNING, "RFC 2046 5.1" },
};

const char *
ck_rule_name(enum ck_rule r)
{
	return rules[r].name;
}

int
mc_check_rule(int i, struct mc_finding *f)
{
	if (i < 0 || i >= R_NRULES)
		return -1;
	memset(f, 0, sizeof(*f));
	f->rule = rules[i].name;
	f->severity = rules[i].sev;
	f->rfc = rules[i].rfc;
	return 0;
}

void
ck_say(struct mc_check *c, enum ck_rule r, uint64_t line, const char *fmt,
    ...)
{
	struct mc_finding f;
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(c->msg, sizeof(c->msg), fmt, ap);
	va_end(ap);
	/* One line of printable text, whatever the input held. */
	for (i = 0; c->msg[i] != '\0'; i++)
		if ((unsigned char)c->msg[i] < 0x20 ||
		    (unsigned char)c->msg[i] >= 0x7f)
			c->msg[i] = '?';
	f.line = line;
	f.rule = rules[r].name;
	f.severity = rules[r].sev;
	f.rfc = rules[r].rfc;
	f.message = c->msg;
	if (f.severity == MC_ERROR)
		c->errors++;
	else
		c->warnings++;
	if (c->fn != NULL)
		c->fn(c->arg, &f);
}

int
ck_once(struct mc_check *c, enum ck_rule r)
{
	uint64_t bit = (uint64_t)1 << r;

	if (c->body.said & bit)
		return 0;
	c->body.said |= bit;
	return 1;
}

mc_check *
mc_check_new(unsigned flags, mc_finding_fn fn, void *arg)
{
	mc_check *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->flags = flags;
	c->fn = fn;
	c->arg = arg;
	c->line = 1;
	c->mode = CK_HEADER;
	ck_header_begin(c, !(flags & MC_CHECK_ENTITY));
	c->ent.top = 1;
	return c;
}

void
mc_check_free(mc_check *c)
{
	free(c);
}

/* The part that ends here: its body, or its header block. */
static void
end_part(struct mc_check *c, uint64_t line)
{
	if (c->mode == CK_HEADER) {
		if (c->hdr_empty && c->nframes > 0)
			ck_say(c, R_PART_EMPTY, line, "a part with neither "
			    "header nor body");
		ck_header_end(c);
	} else if (c->mode == CK_BODY)
		ck_body_end(c);
}

/* Multiparts from the innermost down to frames[k] end without their
 * close delimiter. */
static void
unwind(struct mc_check *c, int k, uint64_t line)
{
	struct ck_frame *f;

	while (c->nframes > k) {
		f = &c->frames[--c->nframes];
		if (f->parts == 0)
			ck_say(c, R_BOUNDARY_NOT_FOUND, line, "%s \"%s\" has "
			    "no part (no line \"--%s\")", f->type, f->boundary,
			    f->boundary);
		else
			ck_say(c, R_BOUNDARY_NOT_CLOSED, line, "%s \"%s\" is "
			    "never closed", f->type, f->boundary);
	}
}

/* A line with the delimiter of frames[k]: RFC 2046 5.1.1. */
static void
delimiter(struct mc_check *c, int k, int close)
{
	struct ck_frame *f = &c->frames[k];

	end_part(c, c->line);
	unwind(c, k + 1, c->line);
	if (close) {
		if (f->parts == 0)
			ck_say(c, R_BOUNDARY_NOT_FOUND, c->line, "%s \"%s\" "
			    "closes before its first part", f->type,
			    f->boundary);
		c->nframes = k;
		c->mode = CK_EPILOGUE;
		return;
	}
	f->parts++;
	c->mode = CK_HEADER;
	ck_header_begin(c, 0);
	if (strcmp(f->type, "multipart/digest") == 0)
		c->ent.digest_parent = 1;
}

/* RFC 2046 5.1.1: "--" boundary ["--"] transport-padding, in the first
 * piece of a line.  Returns 1 when the line was a delimiter. */
static int
find_delimiter(struct mc_check *c, const unsigned char *p, size_t n,
    int last)
{
	const struct ck_frame *f;
	const unsigned char *r, *end = p + n;
	int k, close, prefix = -1;

	for (k = c->nframes - 1; k >= 0; k--) {
		f = &c->frames[k];
		if (n < 2 + f->blen || memcmp(p + 2, f->boundary, f->blen) != 0)
			continue;
		r = p + 2 + f->blen;
		close = end - r >= 2 && r[0] == '-' && r[1] == '-';
		if (close)
			r += 2;
		while (r < end && (*r == ' ' || *r == '\t'))
			r++;
		if (r == end && last) {
			delimiter(c, k, close);
			return 1;
		}
		if (prefix == -1)
			prefix = k;
	}
	if (prefix != -1)
		ck_say(c, R_BOUNDARY_IN_BODY, c->line, "a line starts with "
		    "the boundary \"%s\" but is no delimiter",
		    c->frames[prefix].boundary);
	return 0;
}

static int
boundary_nested(const struct ck_frame *f, const char *b, size_t n)
{
	size_t m = f->blen < n ? f->blen : n;

	return memcmp(f->boundary, b, m) == 0;
}

/* After a header block: what its body is (RFC 2045 6.4, RFC 2046 5). */
static void
start_body(struct mc_check *c)
{
	struct ck_entity *e = &c->ent;
	struct ck_frame *f;
	int k, multi = strncmp(e->type, "multipart/", 10) == 0;
	int msg = strcmp(e->type, "message/rfc822") == 0 ||
	    (e->type[0] == '\0' && e->digest_parent);
	int plain = e->cte == MC_CTE_7BIT || e->cte == MC_CTE_8BIT ||
	    e->binary;

	if ((multi || msg) && !plain && e->cte != MC_CTE_AUTO)
		ck_say(c, multi ? R_MULTIPART_ENCODED : R_RFC822_ENCODED,
		    e->cte_line, "%s is encoded %s (only 7bit, 8bit or "
		    "binary)", msg ? "message/rfc822" : e->type,
		    e->cte == MC_CTE_BASE64 ? "base64" : "quoted-printable");
	if (multi && e->has_boundary) {
		if (c->nframes == CK_DEPTH) {
			if (!c->depth_said++)
				ck_say(c, R_LIMIT_DEPTH, e->ct_line, "more "
				    "than %d nested multiparts: not checked "
				    "inside", CK_DEPTH);
			c->mode = CK_EPILOGUE;
			return;
		}
		for (k = 0; k < c->nframes; k++)
			if (boundary_nested(&c->frames[k], e->boundary,
			    strlen(e->boundary)))
				ck_say(c, R_BOUNDARY_NESTED, e->ct_line,
				    "boundary \"%s\" %s the enclosing \"%s\"",
				    e->boundary, strlen(e->boundary) ==
				    c->frames[k].blen ? "is" : "overlaps",
				    c->frames[k].boundary);
		f = &c->frames[c->nframes++];
		memcpy(f->boundary, e->boundary, sizeof(f->boundary));
		f->blen = strlen(f->boundary);
		memcpy(f->type, e->type, sizeof(f->type));
		f->line = e->ct_line;
		f->parts = 0;
		c->mode = CK_PREAMBLE;
	} else if (multi) {
		c->mode = CK_EPILOGUE;	/* no boundary: said already */
	} else if (msg && (plain || e->cte == MC_CTE_AUTO)) {
		c->mode = CK_HEADER;
		ck_header_begin(c, 1);
	} else {
		c->mode = CK_BODY;
		ck_body_begin(c);
	}
}

/* Rules for every line: length, "From ", a lone ".". */
static void
line_rules(struct mc_check *c, const unsigned char *p, size_t n, int first,
    int last)
{
	if (last && c->llen > MC_LINE_MAX && !c->ent.binary &&
	    !c->line_said++)
		ck_say(c, R_LINE_LONG, c->line, "a line of %llu octets (at "
		    "most %d)", (unsigned long long)c->llen, MC_LINE_MAX);
	if (!first || c->mode == CK_HEADER)
		return;
	if (last && n == 1 && p[0] == '.' && !c->dot_said++)
		ck_say(c, R_LONE_DOT, c->line, "a line that is a lone \".\" "
		    "(sendmail without -i ends the message there)");
	if (n >= 5 && memcmp(p, "From ", 5) == 0 && !c->from_said++)
		ck_say(c, R_FROM_LINE, c->line, "a line starts with \"From \" "
		    "(mbox readers take it for a new message)");
}

/* One piece of a line: the whole line, or CK_LINE octets of a long one;
 * first and last say which.  No line end in p. */
static void
piece(struct mc_check *c, const unsigned char *p, size_t n, int first,
    int last)
{
	const unsigned char *cr;

	if (!c->cr_said && (cr = memchr(p, '\r', n)) != NULL) {
		c->cr_said = 1;
		ck_say(c, R_BARE_CR, c->line, "a CR that does not end a line");
	}
	line_rules(c, p, n, first, last);
	if (first && c->nframes > 0 && n >= 2 && p[0] == '-' && p[1] == '-' &&
	    find_delimiter(c, p, n, last))
		return;
	if (c->mode == CK_HEADER) {
		if (first && last && n == 0) {
			ck_header_end(c);
			start_body(c);
			return;
		}
		if (!c->piece_to_body && ck_header_line(c, p, n, first, last)
		    == 0)
			return;
		if (first) {
			/* Not a header line: the body starts here. */
			ck_header_end(c);
			start_body(c);
			c->piece_to_body = !last;
			if (c->mode == CK_HEADER)
				return;
		}
	}
	if (last)
		c->piece_to_body = 0;
	if (c->mode == CK_BODY)
		ck_body_line(c, p, n, first, last);
}

/* RFC 5322 2.3: one kind of line end; 1 LF, 2 CRLF. */
static void
eol_seen(struct mc_check *c, int eol)
{
	if (c->eol == 0)
		c->eol = eol;
	else if (eol != c->eol && !c->eol_said++)
		ck_say(c, R_EOL_MIXED, c->line, "a line ends in %s, the first "
		    "in %s", eol == 2 ? "CRLF" : "LF",
		    eol == 2 ? "LF" : "CRLF");
}

/* A line ends: its last piece, its line end checked. */
static void
line_end(struct mc_check *c, int eol)
{
	size_t n = c->blen;

	if (eol && n > 0 && c->buf[n - 1] == '\r') {
		n--;
		eol = 2;
	}
	if (eol != 0)
		eol_seen(c, eol);
	c->llen += n;
	piece(c, c->buf, n, !c->piece, 1);
	c->blen = 0;
	c->llen = 0;
	c->piece = 0;
	c->line++;
}

/* The buffer is full and the line goes on: check what it holds, keeping
 * a final CR, which may be half of the line end. */
static void
flush_piece(struct mc_check *c)
{
	size_t n = c->blen, keep = c->buf[n - 1] == '\r';

	c->llen += n - keep;
	piece(c, c->buf, n - keep, !c->piece, 0);
	c->piece = 1;
	c->blen = keep;
	if (keep)
		c->buf[0] = '\r';
}

void
mc_check_step(mc_check *c, const void *data, size_t len)
{
	const unsigned char *p = data, *nl;
	size_t n, take;

	while (len > 0) {
		nl = memchr(p, '\n', len);
		n = nl != NULL ? (size_t)(nl - p) : len;
		/* The common case: a whole line in the input, checked where
		 * it is. */
		if (nl != NULL && c->blen == 0 && n <= CK_LINE) {
			size_t m = n;
			int eol = 1;
			if (m > 0 && p[m - 1] == '\r') {
				m--;
				eol = 2;
			}
			eol_seen(c, eol);
			c->llen = m;
			piece(c, p, m, 1, 1);
			c->llen = 0;
			c->line++;
			p += n + 1;
			len -= n + 1;
			continue;
		}
		while (n > 0) {
			if (c->blen == sizeof(c->buf))
				flush_piece(c);
			take = sizeof(c->buf) - c->blen;
			if (take > n)
				take = n;
			memcpy(c->buf + c->blen, p, take);
			c->blen += take;
			p += take;
			len -= take;
			n -= take;
		}
		if (nl != NULL) {
			line_end(c, 1);
			p++;
			len--;
		}
	}
}

void
mc_check_finish(mc_check *c)
{
	uint64_t last;

	if (c->blen > 0 || c->piece)
		line_end(c, 0);
	last = c->line > 1 ? c->line - 1 : 1;
	c->line = last;
	if (c->mode == CK_HEADER)
		end_part(c, last);
	else if (c->mode == CK_BODY)
		ck_body_end(c);
	unwind(c, 0, last);
}

int
ck_hexv(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}
