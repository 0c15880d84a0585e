/* SPDX-License-Identifier: ISC */
/* Address lists: RFC 5322 3.4, 3.4.1, 4.4 (obs-phrase); RFC 5321 4.5.3.1;
 * IDNA 2008 domains (RFC 5891 5). */
#include <stdlib.h>
#include <string.h>

#include <idn2.h>

#include "mc.h"

#define LOCAL_MAX	64	/* RFC 5321 4.5.3.1.1 */
#define DOMAIN_MAX	255	/* RFC 5321 4.5.3.1.2 */
#define LABEL_MAX	63
#define SHOW		60	/* octets of the input quoted in a detail */

struct parse {
	const char *p;		/* the next character */
	struct mc_error *err;
	struct mc_buf name;	/* display name, words joined by spaces */
	struct mc_buf comment;	/* the first comment of the element */
	struct mc_buf spec;
};

/* A character of a word: atext, "." (RFC 5322 4.1 obs-phrase) or raw
 * UTF-8, which display names may hold. */
static int
wordc(unsigned char c)
{
	return mc_atext(c) || c == '.' || c >= 0x80;
}

static enum mc_err
bad(struct parse *ps, const char *fmt, const char *s, size_t n)
{
	if (n > SHOW)
		n = SHOW;
	return mc_fail(ps->err, MC_EDATA, 0, "", fmt, (int)n, s);
}

/* RFC 5322 3.2.2 CFWS; the text of the element's first comment is kept. */
static enum mc_err
cfws(struct parse *ps)
{
	switch (mc_cfws(&ps->p, &ps->comment)) {
	case MC_CFWS_OPEN:
		return mc_fail(ps->err, MC_EDATA, 0, "",
		    "unbalanced parenthesis in address list");
	case MC_CFWS_DEEP:
		return mc_fail(ps->err, MC_EDATA, 0, "",
		    "comments nested too deep in address list");
	}
	return MC_OK;
}

/* RFC 5322 3.2.4 quoted-string at ps->p; its content, unescaped, is
 * appended to out (may be NULL). */
static enum mc_err
quoted(struct parse *ps, struct mc_buf *out)
{
	const char *p = ps->p + 1;

	for (; *p != '"'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		if (*p == '\0')
			return mc_fail(ps->err, MC_EDATA, 0, "",
			    "unbalanced quote in address list");
		if (out != NULL)
			mc_buf_addc(out, *p);
	}
	ps->p = p + 1;
	return MC_OK;
}

static int
has_8bit(const char *s, size_t n)
{
	while (n-- > 0)
		if ((unsigned char)*s++ >= 0x80)
			return 1;
	return 0;
}

/* local-part: RFC 5322 3.4.1 dot-atom or quoted-string (ASCII only). */
static int
local_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > LOCAL_MAX)
		return 0;
	if (s[0] == '"')
		return n >= 2 && s[n - 1] == '"';
	for (i = 0; i < n; i++)
		if (s[i] == '.' ? i == 0 || i == n - 1 || s[i - 1] == '.' :
		    !mc_atext((unsigned char)s[i]))
			return 0;
	return 1;
}

/* domain: host names (RFC 5321 4.1.2: letters, digits, hyphens inside
 * labels) or a domain-literal. */
static int
domain_ok(const char *s, size_t n)
{
	size_t i, lab = 0;
	char c;

	if (n == 0 || n > DOMAIN_MAX)
		return 0;
	if (s[0] == '[')
		return n >= 2 && s[n - 1] == ']';
	for (i = 0; i < n; i++) {
		c = s[i];
		if (c == '.') {
			if (lab == 0 || s[i - 1] == '-')
				return 0;
			lab = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || (c == '-' && lab > 0)) {
			if (++lab > LABEL_MAX)
				return 0;
		} else
			return 0;
	}
	return lab > 0 && s[n - 1] != '-';
}

/* A domain with non-ASCII labels, as its A-labels (RFC 5891 5: UTS 46
 * mapping, then Punycode), which needs no SMTPUTF8: "bücher.de" is
 * "xn--bcher-kva.de".  The result goes to ps->spec. */
static enum mc_err
alabels(struct parse *ps, const char *ds, const char *de)
{
	char *u, *a = NULL;
	int rc;

	if (!mc_utf8_valid(ds, (size_t)(de - ds)))
		return bad(ps, "invalid UTF-8 in domain: \"%.*s\"", ds,
		    (size_t)(de - ds));
	if ((u = strndup(ds, (size_t)(de - ds))) == NULL)
		return mc_fail(ps->err, MC_ENOMEM, 0, "", NULL);
	rc = idn2_lookup_u8((const uint8_t *)u, (uint8_t **)&a,
	    IDN2_NONTRANSITIONAL);
	free(u);
	if (rc == IDN2_MALLOC)
		return mc_fail(ps->err, MC_ENOMEM, 0, "", NULL);
	if (rc != IDN2_OK || !domain_ok(a, strlen(a))) {
		free(a);
		return mc_fail(ps->err, MC_EDATA, 0, "",
		    "invalid international domain \"%.*s\": %s",
		    (int)(de - ds > SHOW ? SHOW : de - ds), ds,
		    rc != IDN2_OK ? idn2_strerror(rc) : "not a host name");
	}
	mc_buf_adds(&ps->spec, a);
	idn2_free(a);
	return MC_OK;
}

/* local-part "@" domain, the local part at [ls, le) already read;
 * ps->p is on the "@". */
static enum mc_err
addr_spec(struct parse *ps, const char *ls, const char *le)
{
	const char *ds, *de;
	enum mc_err e;

	ps->p++;
	if ((e = cfws(ps)) != MC_OK)
		return e;
	ds = ps->p;
	if (*ps->p == '[') {
		/* RFC 5322 3.4.1 domain-literal: dtext is ASCII but [ ] \. */
		while (*++ps->p != ']')
			if (*ps->p == '\0' || *ps->p == '[' ||
			    *ps->p == '\\' || (unsigned char)*ps->p < 0x21 ||
			    (unsigned char)*ps->p > 0x7e)
				return bad(ps, "invalid domain literal: "
				    "\"%.*s\"", ds, strcspn(ds, "]"));
		ps->p++;
	} else
		while (wordc((unsigned char)*ps->p))
			ps->p++;
	de = ps->p;
	if (has_8bit(ls, (size_t)(le - ls)))
		return bad(ps, "non-ASCII local part in \"%.*s\" needs "
		    "SMTPUTF8, which is not supported", ls, (size_t)(de - ls));
	if (!local_ok(ls, (size_t)(le - ls)))
		return bad(ps, "invalid local part in address: \"%.*s\"", ls,
		    (size_t)(de - ls));
	mc_buf_add(&ps->spec, ls, (size_t)(le - ls));
	mc_buf_addc(&ps->spec, '@');
	if (*ds != '[' && has_8bit(ds, (size_t)(de - ds))) {
		if ((e = alabels(ps, ds, de)) != MC_OK)
			return e;
		return cfws(ps);
	}
	if (!domain_ok(ds, (size_t)(de - ds)))
		return bad(ps, "invalid domain in address: \"%.*s\"", ls,
		    (size_t)(de - ls) + (de == ds ? strcspn(de, ",>") : 0));
	mc_buf_add(&ps->spec, ds, (size_t)(de - ds));
	return cfws(ps);
}

/* A local part: a word or a quoted-string. */
static enum mc_err
local_part(struct parse *ps, const char **ls, const char **le)
{
	enum mc_err e = MC_OK;

	*ls = ps->p;
	if (*ps->p == '"')
		e = quoted(ps, NULL);
	else
		while (wordc((unsigned char)*ps->p))
			ps->p++;
	*le = ps->p;
	return e;
}

/* "<" addr-spec ">" with ps->p on the "<". */
static enum mc_err
angle_addr(struct parse *ps)
{
	const char *start = ps->p, *ls, *le;
	enum mc_err e;

	ps->p++;
	if ((e = cfws(ps)) != MC_OK)
		return e;
	if (*ps->p == '@')
		return bad(ps, "source routes are not supported: \"%.*s\"",
		    start, strcspn(start, ">"));
	if ((e = local_part(ps, &ls, &le)) != MC_OK ||
	    (e = cfws(ps)) != MC_OK)
		return e;
	if (*ps->p != '@') {
		if (strchr(ps->p, '>') == NULL)
			return mc_fail(ps->err, MC_EDATA, 0, "",
			    "unbalanced '<' in address list");
		if (ls == le)
			return bad(ps, "empty address: \"%.*s\"", start,
			    strcspn(start, ">") + 1);
		return bad(ps, "address without a domain: \"%.*s\"", ls,
		    (size_t)(le - ls));
	}
	if ((e = addr_spec(ps, ls, le)) != MC_OK)
		return e;
	if (*ps->p != '>') {
		if (strchr(ps->p, '>') == NULL)
			return mc_fail(ps->err, MC_EDATA, 0, "",
			    "unbalanced '<' in address list");
		return bad(ps, "invalid address: \"%.*s\"", start,
		    strcspn(start, ">") + 1);
	}
	ps->p++;
	return cfws(ps);
}

static enum mc_err
push(struct mc_addrlist *l, struct parse *ps, int group)
{
	struct mc_addr *v, *a;
	struct mc_buf *nm;
	size_t cap;

	if (l->n >= MC_ADDRS_MAX)
		return mc_fail(ps->err, MC_EDATA, 0, "",
		    "more than %d addresses", MC_ADDRS_MAX);
	nm = ps->name.len > 0 ? &ps->name : &ps->comment;
	if (nm->len > 0 && !mc_utf8_valid(nm->p, nm->len))
		return bad(ps, "invalid UTF-8 in display name: \"%.*s\"",
		    nm->p, nm->len);
	if (ps->name.oom || ps->comment.oom || ps->spec.oom)
		return mc_fail(ps->err, MC_ENOMEM, 0, "", NULL);
	if (l->n == l->cap) {
		cap = l->cap ? l->cap * 2 : 4;
		if ((v = realloc(l->v, cap * sizeof(*v))) == NULL)
			return mc_fail(ps->err, MC_ENOMEM, 0, "", NULL);
		l->v = v;
		l->cap = cap;
	}
	a = &l->v[l->n];
	a->name = NULL;
	a->spec = NULL;
	a->members = 0;
	if ((nm->len > 0 && (a->name = mc_strdup(nm->p)) == NULL) ||
	    (!group && (a->spec = mc_strdup(ps->spec.p)) == NULL)) {
		free(a->name);
		return mc_fail(ps->err, MC_ENOMEM, 0, "", NULL);
	}
	l->n++;
	return MC_OK;
}

static enum mc_err group(struct mc_addrlist *, struct parse *,
    const char *);

/* One element of the list: a mailbox or a group (in_group: a mailbox). */
static enum mc_err
element(struct mc_addrlist *l, struct parse *ps, int in_group)
{
	const char *start, *ls = NULL, *le = NULL, *end;
	size_t items = 0;
	enum mc_err e;

	if ((e = cfws(ps)) != MC_OK)
		return e;
	start = ps->p;
	for (;;) {
		if ((e = cfws(ps)) != MC_OK)
			return e;
		if (*ps->p == '"') {
			ls = ps->p;
			if (ps->name.len > 0)
				mc_buf_addc(&ps->name, ' ');
			if ((e = quoted(ps, &ps->name)) != MC_OK)
				return e;
		} else if (wordc((unsigned char)*ps->p)) {
			ls = ps->p;
			while (wordc((unsigned char)*ps->p))
				ps->p++;
			if (ps->name.len > 0)
				mc_buf_addc(&ps->name, ' ');
			mc_buf_add(&ps->name, ls, (size_t)(ps->p - ls));
		} else
			break;
		le = ps->p;
		items++;
	}
	switch (*ps->p) {
	case '<':
		if ((e = angle_addr(ps)) != MC_OK)
			return e;
		return push(l, ps, 0);
	case ':':
		if (items == 0)
			return bad(ps, "group without a name: \"%.*s\"", start,
			    strcspn(start, ";,"));
		if (in_group)
			return bad(ps, "a group inside a group: \"%.*s\"", start,
			    strcspn(start, ";"));
		return group(l, ps, start);
	case '@':
		if (items != 1)
			return bad(ps, "invalid address: \"%.*s\"", start,
			    strcspn(start, ","));
		ps->name.len = 0;
		if ((e = addr_spec(ps, ls, le)) != MC_OK)
			return e;
		return push(l, ps, 0);
	case ',':
	case '\0':
		if (items == 0)
			return mc_fail(ps->err, MC_EDATA, 0, "",
			    "empty address in list");
		end = ps->p;
		while (end > start && mc_wsp(end[-1]))
			end--;
		return bad(ps, "address without a domain: \"%.*s\"", start,
		    (size_t)(end - start));
	case '>':
		return mc_fail(ps->err, MC_EDATA, 0, "",
		    "unbalanced '>' in address list");
	default:
		return bad(ps, "unexpected character in address: \"%.*s\"",
		    start, (size_t)(ps->p - start) + 1);
	}
}

/* RFC 5322 3.4 group: display-name ":" [mailbox-list] ";", with ps->p
 * on the ":" and the name read. */
static enum mc_err
group(struct mc_addrlist *l, struct parse *ps, const char *start)
{
	size_t at = l->n;
	enum mc_err e;

	ps->p++;
	if ((e = push(l, ps, 1)) != MC_OK || (e = cfws(ps)) != MC_OK)
		return e;
	while (*ps->p != ';') {
		ps->name.len = ps->spec.len = ps->comment.len = 0;
		if ((e = element(l, ps, 1)) != MC_OK)
			return e;
		l->v[at].members++;
		if (*ps->p == ',')
			ps->p++;
		else if (*ps->p != ';')
			return bad(ps, "a group without its closing ';': "
			    "\"%.*s\"", start, strlen(start));
	}
	ps->p++;
	return cfws(ps);
}

static enum mc_err
parse(struct mc_addrlist *l, struct parse *ps)
{
	const char *s;
	int first = 1;
	enum mc_err e;

	for (s = ps->p; *s != '\0'; s++)
		if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7f)
			return mc_fail(ps->err, MC_EDATA, 0, "",
			    "control character in address list");
	if ((e = cfws(ps)) != MC_OK)
		return e;
	if (*ps->p == '\0')
		return mc_fail(ps->err, MC_EDATA, 0, "", "empty address list");
	for (;;) {
		/* A comment before the list's first address is its own. */
		if (!first)
			ps->comment.len = 0;
		first = 0;
		ps->name.len = ps->spec.len = 0;
		if ((e = element(l, ps, 0)) != MC_OK)
			return e;
		if (*ps->p == '\0')
			return MC_OK;
		if (*ps->p == '>')
			return mc_fail(ps->err, MC_EDATA, 0, "",
			    "unbalanced '>' in address list");
		if (*ps->p != ',')
			return bad(ps, "missing ',' between addresses: "
			    "\"%.*s\"", ps->p, strcspn(ps->p, ","));
		ps->p++;
	}
}

enum mc_err
mc_addr_parse(struct mc_addrlist *l, const char *list, struct mc_error *err)
{
	struct parse ps;
	size_t n0 = l->n;
	enum mc_err e;

	ps.p = list;
	ps.err = err;
	mc_buf_init(&ps.name);
	mc_buf_init(&ps.comment);
	mc_buf_init(&ps.spec);
	e = parse(l, &ps);
	mc_buf_free(&ps.name);
	mc_buf_free(&ps.comment);
	mc_buf_free(&ps.spec);
	if (e != MC_OK) {
		/* Leave l as it was. */
		while (l->n > n0) {
			l->n--;
			free(l->v[l->n].name);
			free(l->v[l->n].spec);
		}
	}
	return e;
}

void
mc_addrlist_free(struct mc_addrlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].spec);
	}
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

/* Folds before a mailbox that fits a line but not the rest of this one,
 * rather than between its name and its address. */
static void
keep(struct mc_fold *f, const struct mc_addr *a, int comma)
{
	struct mc_buf t;
	struct mc_fold tf;
	size_t len;

	if (a->name == NULL || a->spec == NULL)
		return;
	mc_buf_init(&t);
	mc_fold_begin(&tf, &t, "");
	mc_2047_phrase(&tf, a->name, 1);
	/* ": " + name, then " <" spec ">" and the comma. */
	len = t.len - 2 + 3 + strlen(a->spec) + (comma ? 1 : 0);
	if (!t.oom && memchr(t.p, '\n', t.len) == NULL &&
	    len + 1 <= (tf.ew ? MC_EW_COLS : MC_FOLD_COLS))
		mc_fold_reserve(f, len, tf.ew);
	mc_buf_free(&t);
}

/* A mailbox, then sep (",", ";" or nothing), which stays with it. */
static void
mailbox(struct mc_fold *f, struct mc_buf *t, const struct mc_addr *a,
    const char *sep)
{
	keep(f, a, *sep != '\0');
	if (a->name != NULL) {
		mc_2047_phrase(f, a->name, 1);
		t->len = 0;
		mc_buf_printf(t, "<%s>", a->spec);
		if (t->oom)
			f->b->oom = 1;
		else
			mc_fold_token(f, t->p, t->len, 1, 0);
	} else
		mc_fold_token(f, a->spec, strlen(a->spec), 1, 0);
	if (*sep != '\0')
		mc_fold_token(f, sep, 1, 0, 0);
}

void
mc_addr_field(struct mc_buf *b, const char *name,
    const struct mc_addrlist *l)
{
	struct mc_fold f;
	struct mc_buf t;
	const struct mc_addr *a;
	size_t i, j;

	mc_buf_init(&t);
	mc_fold_begin(&f, b, name);
	for (i = 0; i < l->n; i++) {
		a = &l->v[i];
		if (a->spec != NULL) {
			mailbox(&f, &t, a, i + 1 < l->n ? "," : "");
			continue;
		}
		/* RFC 5322 3.4: display-name ":" [mailbox-list] ";"; RFC
		 * 2047 5 (3): white space between an encoded-word and ":". */
		mc_2047_phrase(&f, a->name ? a->name : "", 1);
		mc_fold_token(&f, ":", 1, b->len >= 2 &&
		    memcmp(b->p + b->len - 2, "?=", 2) == 0, 0);
		for (j = 1; j <= a->members; j++)
			mailbox(&f, &t, &l->v[i + j], j < a->members ? "," :
			    "");
		mc_fold_token(&f, ";", 1, 0, 0);
		i += a->members;
		if (i + 1 < l->n)
			mc_fold_token(&f, ",", 1, 0, 0);
	}
	mc_fold_end(&f);
	mc_buf_free(&t);
}
