/* SPDX-License-Identifier: ISC */
/* RFC 2047 encoded-words for the checker: syntax (2), length (2), charset
 * (3), encodings (4), placement (5). */
#include <string.h>
#include <strings.h>

#include "check.h"

struct word {
	size_t len;		/* the whole word */
	const char *cs;		/* charset, without *language */
	size_t cslen;
	int b;			/* B, else Q */
	const char *text;
	size_t tlen;
};

static int
wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* RFC 2047 2 token: no space, controls or especials. */
static int
ewtokenc(unsigned char c)
{
	return c > 32 && c < 127 && strchr("()<>@,;:\"/[]?.=", c) == NULL;
}

/* A well-formed encoded-word at s: 1 and *w filled, else 0. */
static int
parse_word(const char *s, size_t n, struct word *w)
{
	size_t i = 2, k;

	if (n < 8 || s[0] != '=' || s[1] != '?')
		return 0;
	w->cs = s + 2;
	while (i < n && (ewtokenc((unsigned char)s[i]) || s[i] == '.'))
		i++;
	if (i == 2 || i + 2 >= n || s[i] != '?')
		return 0;
	w->cslen = i - 2;
	for (k = 0; k < w->cslen && w->cs[k] != '*'; k++)
		;
	w->cslen = k;		/* RFC 2231 5: charset*language */
	i++;
	if (strchr("BbQq", s[i]) == NULL || s[i] == '\0' || s[i + 1] != '?')
		return 0;
	w->b = s[i] == 'B' || s[i] == 'b';
	i += 2;
	w->text = s + i;
	while (i < n && s[i] != '?' && (unsigned char)s[i] > 32 &&
	    (unsigned char)s[i] < 127)
		i++;
	if (i + 1 >= n || s[i] != '?' || s[i + 1] != '=')
		return 0;
	w->tlen = (size_t)(s + i - w->text);
	w->len = i + 2;
	return 1;
}

/* Decodes w's text into u8 (and notes 8-bit bytes); -1 when it is not
 * base64 or Q (RFC 2047 4.1, 4.2). */
static int
decode(const struct word *w, struct mc_utf8 *u8, int *eight)
{
	const char *t = w->text;
	size_t i, n = w->tlen, pad = 0;
	unsigned acc = 0;
	unsigned char b;
	int bits = 0, v;

	if (w->b && n % 4 != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (w->b) {
			if (t[i] == '=') {
				if (i + 2 < n ||
				    (i + 2 == n && t[n - 1] != '='))
					return -1;
				pad++;
				continue;
			}
			if (pad > 0 || (v = ck_b64v(t[i])) < 0)
				return -1;
			acc = acc << 6 | (unsigned)v;
			if ((bits += 6) < 8)
				continue;
			bits -= 8;
			b = (unsigned char)(acc >> bits);
		} else if (t[i] == '=') {
			if (i + 2 >= n || ck_hexv(t[i + 1]) < 0 ||
			    ck_hexv(t[i + 2]) < 0)
				return -1;
			b = (unsigned char)(ck_hexv(t[i + 1]) << 4 |
			    ck_hexv(t[i + 2]));
			i += 2;
		} else
			b = t[i] == '_' ? ' ' : (unsigned char)t[i];
		*eight |= b >= 0x80;
		mc_utf8_step(u8, &b, 1);
	}
	return 0;
}

/* The rules for one well-formed word at v[i]. */
static void
word_rules(struct mc_check *c, const struct word *w, uint64_t line)
{
	struct mc_utf8 u8;
	int eight = 0;

	if (w->len > MC_EW_MAX)
		ck_say(c, R_2047_LONG, line, "an encoded-word of %zu "
		    "characters (at most %d)", w->len, MC_EW_MAX);
	if (!ck_charset_known(w->cs, w->cslen))
		ck_say(c, R_2047_CHARSET, line, "an encoded-word in the "
		    "unknown charset \"%.*s\"", (int)(w->cslen > 40 ? 40 :
		    w->cslen), w->cs);
	mc_utf8_init(&u8);
	if (decode(w, &u8, &eight) == -1)
		ck_say(c, R_2047_DECODE, line, "an encoded-word whose %s text "
		    "does not decode", w->b ? "base64" : "Q");
	else if (w->cslen == 5 && strncasecmp(w->cs, "utf-8", 5) == 0 &&
	    (u8.bad || mc_utf8_finish(&u8) == -1))
		ck_say(c, R_UTF8, line, "an encoded-word declared UTF-8 that "
		    "is not (or splits a character)");
	else if (eight && ((w->cslen == 8 &&
	    strncasecmp(w->cs, "us-ascii", 8) == 0) || (w->cslen == 5 &&
	    strncasecmp(w->cs, "ascii", 5) == 0)))
		ck_say(c, R_2047_DECODE, line, "an encoded-word declared "
		    "US-ASCII holds 8-bit bytes");
}

/* What may stand right before and after an encoded-word: white space in
 * text (RFC 2047 5 (1)), also a comment's or a list's punctuation in
 * structured fields (5 (2), (3)). */
static int
may_precede(char ch, int structured)
{
	return wsp(ch) || (structured == 1 && strchr("(,:", ch) != NULL);
}

static int
may_follow(char ch, int structured)
{
	return wsp(ch) || (structured == 1 && strchr("),<;", ch) != NULL);
}

/* A token "=?...?=" that is no encoded-word: where it ends, else 0. */
static size_t
malformed(const char *s, size_t n)
{
	size_t e = 0;

	while (e < n && !wsp(s[e]))
		e++;
	while (e > 0 && strchr(")\",;", s[e - 1]) != NULL)
		e--;
	return e >= 4 && s[e - 2] == '?' && s[e - 1] == '=' ? e : 0;
}

void
ck_words(struct mc_check *c, const char *v, size_t n, size_t off,
    int structured)
{
	struct word w;
	size_t i, e;
	int inq = 0, ok, pre, post;

	for (i = 0; i < n; i++) {
		if (structured == 1 && inq && v[i] == '\\') {
			i++;
			continue;
		}
		if (structured == 1 && v[i] == '"')
			inq = !inq;
		if (v[i] != '=' || i + 1 == n || v[i + 1] != '?')
			continue;
		pre = i == 0 || may_precede(v[i - 1], structured) ||
		    (inq && v[i - 1] == '"');
		ok = parse_word(v + i, n - i, &w);
		if (!ok) {
			if (pre && (e = malformed(v + i, n - i)) != 0) {
				ck_say(c, R_2047_SYNTAX, ck_field_line(c,
				    off + i), "\"%.*s\" is not an "
				    "encoded-word", (int)(e > 60 ? 60 : e),
				    v + i);
				i += e - 1;
			}
			continue;
		}
		post = i + w.len == n || may_follow(v[i + w.len], structured) ||
		    (inq && v[i + w.len] == '"');
		if (structured == -1 && !(pre && post))
			continue;	/* not a word of its own: text */
		if (inq || !pre || !post)
			ck_say(c, R_2047_PLACEMENT, ck_field_line(c, off + i),
			    "an encoded-word %s", inq ? "inside a quoted "
			    "string" : "not set apart by white space");
		word_rules(c, &w, ck_field_line(c, off + i));
		i += w.len - 1;
	}
}

void
ck_words_line(struct mc_check *c, const unsigned char *p, size_t n)
{
	const char *s = (const char *)p;
	struct word w;
	size_t i;
	int words = 0;

	for (i = 0; i + 1 < n; i++) {
		if (s[i] != '=' || s[i + 1] != '?' ||
		    !parse_word(s + i, n - i, &w))
			continue;
		/* A word over 75 has its own finding (ck_words). */
		if (w.len > MC_EW_MAX)
			return;
		words++;
		i += w.len - 1;
	}
	if (words > 0)
		ck_say(c, R_2047_LINE, c->line, "a header line of %zu "
		    "characters holds an encoded-word (at most %d)", n,
		    MC_EW_COLS);
}
