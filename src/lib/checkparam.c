/* SPDX-License-Identifier: ISC */
/* Content-Type and Content-Disposition for the checker: RFC 2045 5.1,
 * RFC 2046 5.1.1, RFC 2183 2, RFC 2231 3-4. */
#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "check.h"

#define PARAMS		32	/* parameter names followed per field */
#define PNAME		80	/* octets of a parameter name kept */
#define SECTIONS	1024	/* RFC 2231 sections followed per name */

/* One parameter name, with its RFC 2231 sections. */
struct pname {
	char name[PNAME];
	uint64_t sec[SECTIONS / 64];	/* bit k: section k seen */
	int nsec, maxsec;		/* sections seen, the highest */
	int plain;		/* seen without a section */
	int last;		/* the last section seen, -1 none */
	int order_said, ext, utf8;
	struct mc_utf8 u8;
};

struct pstate {
	struct mc_check *c;
	enum ck_rule syntax;	/* R_CT_SYNTAX or R_CD_SYNTAX */
	const char *field;
	int is_ct;
	struct pname v[PARAMS];
	int n;
	char val[MC_PARAM_MAX];	/* the value being read, unquoted */
	size_t vlen;
};

/* IANA names (and aliases) readers know; others get a warning. */
static const char *const charsets[] = {
	"us-ascii", "ascii", "ansi_x3.4-1968", "utf-8", "utf-16",
	"utf-16be", "utf-16le", "utf-32", "utf-32be", "utf-32le", "utf-7",
	"iso-8859-1",
	"iso-8859-2", "iso-8859-3", "iso-8859-4", "iso-8859-5",
	"iso-8859-6", "iso-8859-7", "iso-8859-8", "iso-8859-8-i",
	"iso-8859-9", "iso-8859-10", "iso-8859-11", "iso-8859-13",
	"iso-8859-14", "iso-8859-15", "iso-8859-16", "latin1",
	"windows-1250", "windows-1251", "windows-1252", "windows-1253",
	"windows-1254", "windows-1255", "windows-1256", "windows-1257",
	"windows-1258", "koi8-r", "koi8-u", "iso-2022-jp", "iso-2022-jp-2",
	"iso-2022-kr", "shift_jis", "euc-jp", "euc-kr", "gb2312", "gbk",
	"gb18030", "big5", "big5-hkscs", "tis-620", "ibm437", "ibm850",
	"ibm866", "macintosh", "hz-gb-2312", "unknown-8bit",
};

int
ck_charset_known(const char *cs, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(charsets) / sizeof(charsets[0]); i++)
		if (strlen(charsets[i]) == n &&
		    strncasecmp(charsets[i], cs, n) == 0)
			return 1;
	return 0;
}

static int
is_utf8(const char *cs, size_t n)
{
	return n == 5 && strncasecmp(cs, "utf-8", 5) == 0;
}

/* RFC 2045 5.1 token characters. */
static int
tokenc(unsigned char c)
{
	return c > 32 && c < 127 && strchr("()<>@,;:\\\"/[]?=", c) == NULL;
}

static const char *
token(const char *p, const char *end)
{
	while (p < end && tokenc((unsigned char)*p))
		p++;
	return p;
}

/* RFC 2046 5.1.1: 1..70 bchars, the last not a space. */
static int
boundary_ok(const char *b, size_t n)
{
	size_t i;

	if (n == 0 || n > MC_BOUNDARY_MAX || b[n - 1] == ' ')
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)b[i]) &&
		    strchr("'()+_,-./:=? ", b[i]) == NULL)
			return 0;
	return 1;
}

/* A quoted-string or a token at *pp into ps->val. */
static int
value(struct pstate *ps, const char **pp, const char *end)
{
	const char *p = *pp, *s;

	ps->vlen = 0;
	if (p < end && *p == '"') {
		for (p++; p < end && *p != '"'; p++) {
			if (*p == '\\' && ++p == end)
				return -1;
			if (ps->vlen < sizeof(ps->val))
				ps->val[ps->vlen++] = *p;
		}
		if (p == end)
			return -1;
		*pp = p + 1;
		return 0;
	}
	s = p;
	p = token(p, end);
	if (p == s)
		return -1;
	ps->vlen = (size_t)(p - s) < sizeof(ps->val) ? (size_t)(p - s) :
	    sizeof(ps->val);
	memcpy(ps->val, s, ps->vlen);
	*pp = p;
	return 0;
}

static struct pname *
pname_get(struct pstate *ps, const char *name, size_t n)
{
	struct pname *pn;
	int i;

	if (n >= PNAME)
		n = PNAME - 1;
	for (i = 0; i < ps->n; i++)
		if (strlen(ps->v[i].name) == n &&
		    strncasecmp(ps->v[i].name, name, n) == 0)
			return &ps->v[i];
	if (ps->n == PARAMS)
		return NULL;
	pn = &ps->v[ps->n++];
	memset(pn, 0, sizeof(*pn));
	memcpy(pn->name, name, n);
	pn->name[n] = '\0';
	pn->last = -1;
	return pn;
}

/* RFC 2231 4: [charset "'" language "'"] then attribute-chars and %XX. */
static int
ext_value(struct pstate *ps, struct pname *pn, int initial)
{
	const char *p = ps->val, *end = p + ps->vlen, *q;
	unsigned char b;
	size_t k = 0;

	if (initial) {
		if ((q = memchr(p, '\'', (size_t)(end - p))) == NULL ||
		    token(p, q) != q)
			return -1;
		if (q > p && !ck_charset_known(p, (size_t)(q - p)))
			ck_say(ps->c, R_CHARSET_UNKNOWN, ps->c->fline,
			    "%s: unknown charset \"%.*s\"", pn->name,
			    (int)(q - p), p);
		pn->utf8 = is_utf8(p, (size_t)(q - p));
		mc_utf8_init(&pn->u8);
		p = q + 1;
		if ((q = memchr(p, '\'', (size_t)(end - p))) == NULL)
			return -1;
		p = q + 1;
	}
	for (; p < end; p++) {
		if (*p == '%') {
			if (end - p < 3 || ck_hexv(p[1]) < 0 ||
			    ck_hexv(p[2]) < 0)
				return -1;
			b = (unsigned char)(ck_hexv(p[1]) << 4 |
			    ck_hexv(p[2]));
			p += 2;
		} else if (tokenc((unsigned char)*p) && *p != '*' &&
		    *p != '\'')
			b = (unsigned char)*p;
		else
			return -1;
		if (pn->utf8)
			mc_utf8_step(&pn->u8, &b, 1);
		ps->val[k++] = (char)b;
	}
	ps->vlen = k;
	return 0;
}

/* The parameters the checker acts on: boundary and charset. */
static void
known_param(struct pstate *ps, const char *name)
{
	struct ck_entity *e = &ps->c->ent;

	if (!ps->is_ct)
		return;
	if (strcasecmp(name, "boundary") == 0) {
		if (!boundary_ok(ps->val, ps->vlen))
			ck_say(ps->c, R_BOUNDARY_SYNTAX, ps->c->fline,
			    "boundary \"%.*s\" is not 1 to 70 of RFC 2046's "
			    "characters", (int)(ps->vlen > 80 ? 80 : ps->vlen),
			    ps->val);
		e->boundary_said = 1;
		if (ps->vlen > 0 && ps->vlen <= MC_BOUNDARY_MAX) {
			memcpy(e->boundary, ps->val, ps->vlen);
			e->boundary[ps->vlen] = '\0';
			e->has_boundary = 1;
		}
	} else if (strcasecmp(name, "charset") == 0) {
		if (!ck_charset_known(ps->val, ps->vlen))
			ck_say(ps->c, R_CHARSET_UNKNOWN, ps->c->fline,
			    "unknown charset \"%.*s\"", (int)(ps->vlen > 40 ?
			    40 : ps->vlen), ps->val);
		e->utf8 = is_utf8(ps->val, ps->vlen);
	}
}

/* RFC 2231 3: name, name*, name*N or name*N*. */
static void
param(struct pstate *ps, const char *a, size_t an, int quoted)
{
	const char *star = memchr(a, '*', an), *p, *end = a + an;
	struct pname *pn;
	long sec = -1, digits;
	int ext = 0, bad;
	uint64_t bit;

	if (star != NULL) {
		for (p = star + 1; p < end && *p >= '0' && *p <= '9' &&
		    sec < SECTIONS; p++)
			sec = (sec < 0 ? 0 : sec * 10) + (*p - '0');
		digits = p - star - 1;
		ext = p < end && *p == '*';
		if (digits == 0)
			ext = 1;
		else if (ext)
			p++;
		/* RFC 2231 3: no leading zero in a section number. */
		if (p != end || (digits > 1 && star[1] == '0')) {
			ck_say(ps->c, R_2231_SYNTAX, ps->c->fline, "%s: bad "
			    "parameter name \"%.*s\"", ps->field, (int)an, a);
			return;
		}
	}
	if ((pn = pname_get(ps, a, star ? (size_t)(star - a) : an)) == NULL)
		return;
	if (sec >= SECTIONS) {
		ck_say(ps->c, R_2231_CONT, ps->c->fline, "%s: section %ld "
		    "or more of %s", ps->field, (long)SECTIONS, pn->name);
		return;
	}
	if (sec >= 0) {
		bit = (uint64_t)1 << (sec % 64);
		if (pn->sec[sec / 64] & bit)
			ck_say(ps->c, R_PARAM_REPEATED, ps->c->fline, "%s: a "
			    "second %s*%ld", ps->field, pn->name, sec);
		else {
			if (sec < pn->last && !pn->order_said++)
				ck_say(ps->c, R_2231_ORDER, ps->c->fline,
				    "%s: %s*%ld after %s*%d", ps->field,
				    pn->name, sec, pn->name, pn->last);
			pn->nsec++;
		}
		pn->sec[sec / 64] |= bit;
		if (sec > pn->maxsec)
			pn->maxsec = (int)sec;
		pn->last = (int)sec;
	} else if (pn->plain & (ext ? 2 : 1))
		ck_say(ps->c, R_PARAM_REPEATED, ps->c->fline, "%s: a second "
		    "%s%s parameter", ps->field, pn->name, ext ? "*" : "");
	else
		pn->plain |= ext ? 2 : 1;
	/* RFC 2231 7: an extended value is never quoted; readers take it
	 * all the same, so it is read on. */
	bad = ext && ext_value(ps, pn, sec <= 0) == -1;
	if (ext && (quoted || bad))
		ck_say(ps->c, R_2231_SYNTAX, ps->c->fline, "%s: %.*s is not "
		    "charset'language'%%XX-encoded%s", ps->field, (int)an, a,
		    quoted && !bad ? " (it is quoted)" : "");
	if (bad)
		return;
	if (sec == -1)
		known_param(ps, pn->name);
}

/* RFC 2231 3: sections from 0 with no gap; a UTF-8 value valid. */
static void
params_end(struct pstate *ps)
{
	struct pname *pn;
	int i;

	for (i = 0; i < ps->n; i++) {
		pn = &ps->v[i];
		if (pn->nsec > 0 && pn->nsec != pn->maxsec + 1)
			ck_say(ps->c, R_2231_CONT, ps->c->fline, "%s: the "
			    "sections of %s do not run from %s*0 without a "
			    "gap", ps->field, pn->name, pn->name);
		if (pn->utf8 && !pn->order_said &&
		    (pn->u8.bad || mc_utf8_finish(&pn->u8) == -1))
			ck_say(ps->c, R_UTF8, ps->c->fline, "%s: %s* is "
			    "declared UTF-8 but is not", ps->field, pn->name);
	}
}

static void
params(struct pstate *ps, const char *p, const char *end)
{
	struct mc_check *c = ps->c;
	const char *a, *ae;
	int quoted;

	for (;;) {
		if (ck_cfws(&p, end) == -1)
			goto bad;
		if (p == end)
			break;
		if (*p++ != ';' || ck_cfws(&p, end) == -1)
			goto bad;
		if (p == end)
			break;	/* a final ";": harmless */
		a = p;
		ae = p = token(p, end);
		if (a == ae || ck_cfws(&p, end) == -1 || p == end ||
		    *p++ != '=' || ck_cfws(&p, end) == -1)
			goto bad;
		quoted = p < end && *p == '"';
		if (value(ps, &p, end) == -1)
			goto bad;
		param(ps, a, (size_t)(ae - a), quoted);
	}
	params_end(ps);
	return;
bad:
	ck_say(c, ps->syntax, ck_field_line(c, (size_t)(p - c->field)),
	    "%s: bad parameters near \"%.*s\"", ps->field,
	    (int)(end - p > 20 ? 20 : end - p), p);
	params_end(ps);
}

void
ck_content_type(struct mc_check *c, const char *v, size_t n)
{
	struct pstate ps;
	const char *p = v, *end = v + n, *t, *s;
	struct ck_entity *e = &c->ent;
	size_t i;

	if (ck_cfws(&p, end) == -1)
		goto bad;
	t = p;
	p = token(p, end);
	if (p == t || p == end || *p++ != '/')
		goto bad;
	s = p;
	p = token(p, end);
	if (p == s || (size_t)(p - t) >= CK_TYPE)
		goto bad;
	for (i = 0; i < (size_t)(p - t); i++)
		e->type[i] = (char)tolower((unsigned char)t[i]);
	e->type[i] = '\0';
	memset(&ps, 0, offsetof(struct pstate, val));
	ps.c = c;
	ps.syntax = R_CT_SYNTAX;
	ps.field = "Content-Type";
	ps.is_ct = 1;
	params(&ps, p, end);
	if (strncmp(e->type, "multipart/", 10) == 0 && !e->boundary_said)
		ck_say(c, R_BOUNDARY_MISSING, c->fline, "%s without a "
		    "boundary parameter", e->type);
	return;
bad:
	e->type[0] = '\0';
	ck_say(c, R_CT_SYNTAX, c->fline, "Content-Type \"%.*s\" is not "
	    "type/subtype", (int)(n > 40 ? 40 : n), v);
}

void
ck_disposition(struct mc_check *c, const char *v, size_t n)
{
	struct pstate ps;
	const char *p = v, *end = v + n, *t;

	if (ck_cfws(&p, end) == 0) {
		t = p;
		p = token(p, end);
	} else
		t = p = end;
	if (p == t) {
		ck_say(c, R_CD_SYNTAX, c->fline, "Content-Disposition has "
		    "no disposition type");
		return;
	}
	memset(&ps, 0, offsetof(struct pstate, val));
	ps.c = c;
	ps.syntax = R_CD_SYNTAX;
	ps.field = "Content-Disposition";
	params(&ps, p, end);
}
