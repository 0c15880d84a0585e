/* SPDX-License-Identifier: ISC */
/* Tokens: RFC 5322 2.2 (field names), 3.2.2 (CFWS), 3.2.3 (atext); RFC 2045 5.1. */
#include <string.h>

#include "mc.h"

int
mc_atext(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' &&
	    strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* RFC 2045 5.1 tspecials. */
static int
tspecial(unsigned char c)
{
	return c != '\0' && strchr("()<>@,;:\\\"/[]?=", c) != NULL;
}

int
mc_tokenc(unsigned char c)
{
	return c > 0x20 && c < 0x7f && !tspecial(c);
}

int
mc_all(const char *s, int (*ok)(unsigned char))
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!ok((unsigned char)*s))
			return 0;
	return 1;
}

int
mc_is_token(const char *s)
{
	return mc_all(s, mc_tokenc);
}

/* s[0..n) is a token of 1 to max characters. */
static int
token_n(const char *s, size_t n, size_t max)
{
	size_t i;

	if (n == 0 || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if (!mc_tokenc((unsigned char)s[i]))
			return 0;
	return 1;
}

int
mc_type_ok(const char *s, size_t n, size_t max)
{
	const char *slash = memchr(s, '/', n);

	return slash != NULL && token_n(s, (size_t)(slash - s), max) &&
	    token_n(slash + 1, n - (size_t)(slash + 1 - s), max);
}

const char *
mc_base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL && s[1] != '\0' ? s + 1 : path;
}

/* The comment at p (a "("), nested at most MC_COMMENT_DEPTH deep; its
 * text, unescaped and without the outer parentheses, goes to text. */
static int
comment(const char **pp, struct mc_buf *text)
{
	const char *p = *pp + 1;
	int depth = 1;

	for (;; p++) {
		if (*p == '\0')
			return MC_CFWS_OPEN;
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '(' && ++depth > MC_COMMENT_DEPTH)
			return MC_CFWS_DEEP;
		else if (*p == ')' && --depth == 0)
			break;
		if (text != NULL)
			mc_buf_addc(text, *p);
	}
	*pp = p + 1;
	return 1;
}

int
mc_cfws(const char **pp, struct mc_buf *first)
{
	struct mc_buf t;
	const char *p = *pp, *s, *e;
	int any = 0, r;

	for (;;) {
		while (mc_wsp(*p)) {
			p++;
			any = 1;
		}
		if (*p != '(')
			break;
		mc_buf_init(&t);
		r = comment(&p, first != NULL && first->len == 0 ? &t : NULL);
		if (r > 0 && t.len > 0) {
			for (s = t.p, e = s + t.len; mc_wsp(*s); s++)
				;
			while (e > s && mc_wsp(e[-1]))
				e--;
			mc_buf_add(first, s, (size_t)(e - s));
		}
		mc_buf_free(&t);
		if (r < 0)
			return r;
		any = 1;
	}
	*pp = p;
	return any;
}

int
mc_fieldname_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	/* RFC 5322 3.6.8: printable ASCII but ":". */
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 32 || (unsigned char)s[i] >= 127 ||
		    s[i] == ':')
			return 0;
	return 1;
}

int
mc_field_name(const char *s, size_t n, int obs, size_t *namelen)
{
	const char *colon = memchr(s, ':', n);
	size_t k;

	if (colon == NULL)
		return MC_FIELD_NOCOLON;
	k = (size_t)(colon - s);
	/* RFC 5322 4.5.1 (obsolete): white space before the colon. */
	while (obs && k > 0 && mc_wsp(s[k - 1]))
		k--;
	if (k == 0)
		return MC_FIELD_NONAME;
	if (!mc_fieldname_ok(s, k))
		return MC_FIELD_BADNAME;
	*namelen = k;
	return (int)(colon + 1 - s);
}

void
mc_unfold_init(struct mc_unfold *u,
    enum mc_err (*fn)(void *, char *, unsigned long), void *arg)
{
	mc_buf_init(&u->f);
	u->line = 0;
	u->fn = fn;
	u->arg = arg;
}

enum mc_err
mc_unfold_line(struct mc_unfold *u, const char *p, size_t n,
    unsigned long line)
{
	enum mc_err rc = MC_OK;

	if (n > 0 && mc_wsp(p[0])) {
		if (u->f.len == 0)
			rc = MC_EDATA;
		/* RFC 5322 2.2.3: unfolding removes the line end. */
		mc_buf_add(&u->f, p, n);
	} else {
		if (u->f.len > 0)
			rc = u->fn(u->arg, u->f.p, u->line);
		u->f.len = 0;
		mc_buf_add(&u->f, p, n);
		u->line = line;
	}
	if (rc == MC_OK && u->f.oom)
		rc = MC_ENOMEM;
	if (rc != MC_OK)
		mc_buf_free(&u->f);
	return rc;
}

enum mc_err
mc_unfold_end(struct mc_unfold *u)
{
	enum mc_err rc = MC_OK;

	if (u->f.len > 0)
		rc = u->fn(u->arg, u->f.p, u->line);
	mc_buf_free(&u->f);
	return rc;
}
