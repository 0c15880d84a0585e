/* SPDX-License-Identifier: ISC */
/* Header blocks for the checker: RFC 5322 2.2, 3.3, 3.4, 3.6; RFC 2045 4-7. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"

enum kind { K_OTHER, K_TEXT, K_ADDR, K_DATE, K_MSGID, K_MSGIDS, K_CID,
	K_MIMEVER, K_CT, K_CTE, K_CD };

/* Fields with rules; single: at most once (RFC 5322 3.6, RFC 2045 3),
 * in a message's header only when msg is set. */
static const struct field {
	const char *name;
	enum kind kind;
	int single, msg;
} fields[] = {
	{ "Date", K_DATE, 1, 1 },
	{ "From", K_ADDR, 1, 1 },
	{ "Sender", K_ADDR, 1, 1 },
	{ "Reply-To", K_ADDR, 1, 1 },
	{ "To", K_ADDR, 1, 1 },
	{ "Cc", K_ADDR, 1, 1 },
	{ "Bcc", K_ADDR, 1, 1 },
	{ "Message-ID", K_MSGID, 1, 1 },
	{ "In-Reply-To", K_MSGIDS, 1, 1 },
	{ "References", K_MSGIDS, 1, 1 },
	{ "Subject", K_TEXT, 1, 1 },
	{ "Comments", K_TEXT, 0, 0 },
	{ "Resent-Date", K_DATE, 0, 0 },
	{ "Resent-From", K_ADDR, 0, 0 },
	{ "Resent-Sender", K_ADDR, 0, 0 },
	{ "Resent-To", K_ADDR, 0, 0 },
	{ "Resent-Cc", K_ADDR, 0, 0 },
	{ "Resent-Bcc", K_ADDR, 0, 0 },
	{ "Resent-Message-ID", K_MSGID, 0, 0 },
	{ "MIME-Version", K_MIMEVER, 1, 0 },
	{ "Content-Type", K_CT, 1, 0 },
	{ "Content-Transfer-Encoding", K_CTE, 1, 0 },
	{ "Content-Disposition", K_CD, 1, 0 },
	{ "Content-ID", K_CID, 1, 0 },
	{ "Content-Description", K_TEXT, 1, 0 },
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static uint32_t
field_bit(const char *name)
{
	size_t i;

	for (i = 0; i < NFIELDS; i++)
		if (strcmp(fields[i].name, name) == 0)
			break;
	return (uint32_t)1 << i;
}

void
ck_header_begin(struct mc_check *c, int is_message)
{
	memset(&c->ent, 0, sizeof(c->ent));
	c->ent.is_message = is_message;
	c->ent.cte = MC_CTE_7BIT;	/* RFC 2045 6.1: the default */
	c->ent.start_line = c->line;
	c->hdr_empty = 1;
	c->flen = 0;
	c->ftrunc = 0;
	c->nfl = 0;
	c->line_said = 0;
	c->body.said = 0;
}

uint64_t
ck_field_line(const struct mc_check *c, size_t off)
{
	int i;

	for (i = c->nfl - 1; i >= 0; i--)
		if (c->foffs[i] <= off)
			return c->fstarts[i];
	return c->fline;
}

/* The line of the field being assembled that starts at this offset. */
static void
field_add(struct mc_check *c, const unsigned char *p, size_t n, int first)
{
	if (first && c->nfl < CK_FLINES) {
		c->fstarts[c->nfl] = c->line;
		c->foffs[c->nfl++] = c->flen;
	}
	if (c->ftrunc)
		return;
	if (n > CK_FIELD - c->flen) {
		c->ftrunc = 1;
		ck_say(c, R_LIMIT_FIELD, c->fline, "a header field over %d "
		    "octets: not checked", CK_FIELD);
		return;
	}
	memcpy(c->field + c->flen, p, n);
	c->flen += n;
}

/* RFC 5322 3.2.2: skips white space and comments; -1 on an unclosed
 * comment. */
int
ck_cfws(const char **pp, const char *end)
{
	const char *p = *pp;
	int depth = 0;

	for (; p < end; p++) {
		if (depth > 0 && *p == '\\') {
			if (++p == end)
				return -1;
		} else if (*p == '(')
			depth++;
		else if (*p == ')' && depth > 0)
			depth--;
		else if (depth == 0 && *p != ' ' && *p != '\t')
			break;
	}
	*pp = p;
	return depth > 0 ? -1 : 0;
}

static int
atext(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' &&
	    strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* RFC 5322 3.2.3 dot-atom-text at *pp. */
static int
dot_atom(const char **pp, const char *end)
{
	const char *p = *pp;

	for (;;) {
		if (p == end || !atext((unsigned char)*p))
			return -1;
		while (p < end && atext((unsigned char)*p))
			p++;
		if (p == end || *p != '.')
			break;
		p++;
	}
	*pp = p;
	return 0;
}

/* RFC 5322 3.6.4 msg-id: "<" id-left "@" id-right ">", CFWS around;
 * Content-ID (RFC 2045 7) without the "@", which mime-compose leaves to
 * the author (SPEC 3). */
static int
msg_id(const char **pp, const char *end, int need_at)
{
	const char *p = *pp;

	if (ck_cfws(&p, end) == -1 || p == end || *p++ != '<' ||
	    dot_atom(&p, end) == -1)
		return -1;
	if (p < end && *p == '@') {
		p++;
		if (p < end && *p == '[') {
			p++;
			while (p < end && *p != ']' && *p != '[' &&
			    *p != '\\' && (unsigned char)*p > 32 &&
			    (unsigned char)*p < 127)
				p++;
			if (p == end || *p++ != ']')
				return -1;
		} else if (dot_atom(&p, end) == -1)
			return -1;
	} else if (need_at)
		return -1;
	if (p == end || *p++ != '>' || ck_cfws(&p, end) == -1)
		return -1;
	*pp = p;
	return 0;
}

static void
check_ids(struct mc_check *c, const char *name, const char *v, size_t n,
    int many, int need_at)
{
	const char *p = v, *end = v + n;
	int k = 0;

	while (msg_id(&p, end, need_at) == 0) {
		k++;
		if (p == end || !many)
			break;
	}
	if (p != end || k == 0)
		ck_say(c, R_MSGID, c->fline, "%s is not %s", name, many ?
		    "a list of <id@domain>" : need_at ? "one <id@domain>" :
		    "one <id>");
}

static void
check_addr(struct mc_check *c, const char *name, char *v, size_t n)
{
	struct mc_addrlist l = { NULL, 0, 0 };
	struct mc_error err;
	const char *p = v, *end = v + n;
	int nul;

	/* RFC 5322 3.6.3: Bcc may be empty. */
	if (ck_cfws(&p, end) == 0 && p == end &&
	    strcasecmp(name, "Bcc") == 0)
		return;
	v[n] = '\0';
	nul = memchr(v, '\0', n) != NULL;
	err.code = MC_OK;
	if (!nul && mc_addr_parse(&l, v, &err) == MC_OK) {
		mc_addrlist_free(&l);
		ck_words(c, v, n, (size_t)(v - c->field), 1);
		return;
	}
	mc_addrlist_free(&l);	/* a failed parse may leave its array */
	if (!nul && err.code == MC_ENOMEM)
		return;
	ck_say(c, R_ADDRESS, c->fline, "%s: %s", name, nul ?
	    "a NUL in an address list" : err.detail);
}

static void
check_date(struct mc_check *c, const char *name, char *v, size_t n)
{
	char out[40];
	const char *p = v;

	v[n] = '\0';
	while (*p == ' ' || *p == '\t')
		p++;
	/* "@SECONDS" is our tools' input form, not RFC 5322's. */
	if (*p == '@' || memchr(v, '\0', n) != NULL ||
	    mc_date_normalize(out, v, 1) == -1)
		ck_say(c, R_DATE, c->fline, "%s is not an RFC 5322 date",
		    name);
}

/* RFC 2045 4: "1.0", comments aside. */
static void
check_version(struct mc_check *c, const char *v, size_t n)
{
	const char *p = v, *end = v + n;
	char got[8];
	size_t k = 0;

	for (;;) {
		if (ck_cfws(&p, end) == -1)
			break;
		if (p == end)
			break;
		if (k == sizeof(got) - 1)
			break;
		got[k++] = *p++;
	}
	got[k] = '\0';
	if (p != end || strcmp(got, "1.0") != 0)
		ck_say(c, R_MIME_VERSION, c->fline, "MIME-Version is not "
		    "1.0");
}

/* RFC 2045 6.1: a known mechanism; x-tokens cannot be decoded either. */
static void
check_cte(struct mc_check *c, const char *v, size_t n)
{
	static const struct {
		const char *name;
		enum mc_cte cte;
	} t[] = {
		{ "7bit", MC_CTE_7BIT }, { "8bit", MC_CTE_8BIT },
		{ "binary", MC_CTE_AUTO }, { "quoted-printable", MC_CTE_QP },
		{ "base64", MC_CTE_BASE64 },
	};
	const char *p = v, *end = v + n, *s;
	size_t i;

	c->ent.cte_line = c->fline;
	if (ck_cfws(&p, end) == 0) {
		for (s = p; p < end && *p != ' ' && *p != '\t' && *p != '(';
		    p++)
			;
		for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
			const char *q = p;
			if (strlen(t[i].name) != (size_t)(p - s) ||
			    strncasecmp(s, t[i].name, (size_t)(p - s)) != 0 ||
			    ck_cfws(&q, end) == -1 || q != end)
				continue;
			c->ent.cte = t[i].cte;
			c->ent.binary = i == 2;
			return;
		}
	}
	c->ent.cte = MC_CTE_AUTO;
	ck_say(c, R_CTE_UNKNOWN, c->fline, "Content-Transfer-Encoding "
	    "\"%.*s\" is not 7bit, 8bit, binary, quoted-printable or base64",
	    (int)(n > 40 ? 40 : n), v);
}

static void
field_rules(struct mc_check *c, const struct field *f, char *v, size_t n)
{
	switch (f->kind) {
	case K_ADDR:
		check_addr(c, f->name, v, n);
		break;
	case K_DATE:
		check_date(c, f->name, v, n);
		break;
	case K_MSGID:
	case K_MSGIDS:
		check_ids(c, f->name, v, n, f->kind == K_MSGIDS, 1);
		break;
	case K_CID:
		check_ids(c, f->name, v, n, 0, 0);
		break;
	case K_MIMEVER:
		check_version(c, v, n);
		break;
	case K_CT:
		c->ent.ct_line = c->fline;
		ck_content_type(c, v, n);
		break;
	case K_CTE:
		check_cte(c, v, n);
		break;
	case K_CD:
		ck_disposition(c, v, n);
		break;
	case K_TEXT:
		ck_words(c, v, n, (size_t)(v - c->field), 0);
		break;
	case K_OTHER:
		break;
	}
}

/* The field in c->field is complete. */
static void
field_done(struct mc_check *c)
{
	const struct field *f = NULL;
	char *colon;
	size_t i, nlen;
	uint32_t bit;

	/* A header that starts with a continuation has no field there. */
	if (c->flen == 0 || c->ftrunc || c->field[0] == ' ' ||
	    c->field[0] == '\t' ||
	    (colon = memchr(c->field, ':', c->flen)) == NULL)
		goto out;
	nlen = (size_t)(colon - c->field);
	for (i = 0; i < NFIELDS; i++)
		if (strlen(fields[i].name) == nlen &&
		    strncasecmp(fields[i].name, c->field, nlen) == 0)
			f = &fields[i];
	if (f == NULL) {
		/* Unknown fields: only what looks like an encoded-word. */
		ck_words(c, colon + 1, c->flen - nlen - 1, nlen + 1, -1);
		goto out;
	}
	if (strncasecmp(f->name, "Content-", 8) == 0 ||
	    f->kind == K_MIMEVER)
		c->ent.mime_fields |= f->kind != K_MIMEVER;
	bit = (uint32_t)1 << (f - fields);
	if (f->single && (!f->msg || c->ent.is_message) &&
	    (c->ent.seen & bit))
		ck_say(c, R_FIELD_REPEATED, c->fline, "a second %s field",
		    f->name);
	c->ent.seen |= bit;
	field_rules(c, f, colon + 1, c->flen - nlen - 1);
out:
	c->flen = 0;
	c->ftrunc = 0;
	c->nfl = 0;
}

/* RFC 5322 2.2: a field name is printable ASCII but ":", then ":". */
static int
field_start(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && p[i] != ':'; i++)
		if (p[i] <= 32 || p[i] >= 127)
			return 0;
	return i > 0 && i < n;
}

int
ck_header_line(struct mc_check *c, const unsigned char *p, size_t n,
    int first, int last)
{
	size_t i;

	if (first) {
		if (n > 0 && (p[0] == ' ' || p[0] == '\t')) {
			if (c->hdr_empty) {
				ck_say(c, R_HEADER_SYNTAX, c->line, "the "
				    "header starts with a continuation line");
				c->fline = c->line;
			}
		} else if (field_start(p, n)) {
			field_done(c);
			c->fline = c->line;
			c->f8bit = 0;
		} else if (c->line == 1 && !(c->flags & MC_CHECK_ENTITY) &&
		    n >= 5 && memcmp(p, "From ", 5) == 0) {
			/* An mbox envelope line (RFC 4155), not the
			 * message's. */
			c->piece_to_body = 0;
			c->mbox = !last;
			return 0;
		} else {
			ck_say(c, R_HEADER_SYNTAX, c->line, "not a header "
			    "field (no empty line before the body?)");
			return 1;
		}
		c->hdr_empty = 0;
	}
	if (c->mbox) {
		c->mbox = !last;
		return 0;
	}
	field_add(c, p, n, first);
	for (i = 0; i < n; i++)
		if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\r') ||
		    p[i] >= 0x7f)
			break;
	if (i < n && !c->f8bit) {
		c->f8bit = 1;
		if (p[i] >= 0x80)
			ck_say(c, R_HEADER_8BIT, c->line, "raw 8-bit bytes in "
			    "%.*s (use RFC 2047)", (int)strcspn(c->field, ":"),
			    c->field);
		else
			ck_say(c, R_HEADER_SYNTAX, c->line, "a control "
			    "character in a header field");
	}
	if (first && last && n > MC_EW_COLS)
		ck_words_line(c, p, n);
	return 0;
}

void
ck_header_end(struct mc_check *c)
{
	struct ck_entity *e = &c->ent;

	field_done(c);
	/* RFC 5322 3.6 for the input's own header; an attached message
	 * (RFC 2046 5.2.1) may be a draft, and is passed on as it is. */
	if (!e->is_message || !e->top)
		return;
	if (!(e->seen & field_bit("From")))
		ck_say(c, R_FROM_MISSING, c->line, "no From field");
	if (!(e->seen & field_bit("Date")))
		ck_say(c, R_DATE_MISSING, c->line, "no Date field");
	if (e->top && e->mime_fields && !(e->seen & field_bit("MIME-Version")))
		ck_say(c, R_MIME_VERSION_MISSING, c->line, "Content- fields "
		    "but no MIME-Version: 1.0");
}
