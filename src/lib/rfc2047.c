/* SPDX-License-Identifier: ISC */
/* RFC 2047 encoded-words: 2 (length), 4 (B and Q), 5 (where), 6.2 (spaces). */
#include <string.h>

#include "mc.h"

#define EW_EXTRA	12	/* "=?utf-8?B?" and "?=" */
#define EW_ROOM		20	/* columns left worth filling */
#define WORD_MAX	76	/* a plain word on a folded line (RFC 5322) */

/* RFC 2047 5 (3): the characters a Q word may hold as they are in a
 * phrase; used everywhere so one encoder serves all places. */
static int
qsafe(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '!' || c == '*' || c == '+' ||
	    c == '-' || c == '/';
}

static size_t
qlen(unsigned char c)
{
	return qsafe(c) || c == ' ' ? 1 : 3;
}

static size_t
b64len(size_t n)
{
	return (n + 2) / 3 * 4;
}

/* How many bytes of s, in whole characters, fit in one word of at most
 * cap characters. */
static size_t
take(const char *s, size_t n, int b64, size_t cap)
{
	size_t k = 0, q = 0, c, i, add;

	while (k < n) {
		c = mc_utf8_unit(s + k, n - k);
		if (b64) {
			if (EW_EXTRA + b64len(k + c) > cap)
				break;
		} else {
			for (add = 0, i = 0; i < c; i++)
				add += qlen((unsigned char)s[k + i]);
			if (EW_EXTRA + q + add > cap)
				break;
			q += add;
		}
		k += c;
	}
	return k;
}

static void
word(struct mc_buf *w, const char *s, size_t n, int b64)
{
	static const char hex[] = "0123456789ABCDEF";
	char tmp[4 * ((MC_EW_MAX + 2) / 3) + 1];
	unsigned char c;
	size_t i;

	w->len = 0;
	mc_buf_adds(w, b64 ? "=?utf-8?B?" : "=?utf-8?Q?");
	if (b64) {
		mc_b64_plain(tmp, s, n);
		mc_buf_adds(w, tmp);
	} else {
		for (i = 0; i < n; i++) {
			c = (unsigned char)s[i];
			if (qsafe(c))
				mc_buf_addc(w, (char)c);
			else if (c == ' ')
				mc_buf_addc(w, '_');
			else {
				mc_buf_addc(w, '=');
				mc_buf_addc(w, hex[c >> 4]);
				mc_buf_addc(w, hex[c & 15]);
			}
		}
	}
	mc_buf_adds(w, "?=");
}

/* B or Q, whichever is shorter for the whole run (Q on a tie, being
 * readable). */
static int
choose_b64(const char *s, size_t n)
{
	size_t i, q;

	for (q = 0, i = 0; i < n; i++)
		q += qlen((unsigned char)s[i]);
	return b64len(n) < q;
}

/*
 * Encoded-words for s[0..n).  Text that fits one word is one word, folded
 * as a whole; longer text fills the rest of the current line first when at
 * least EW_ROOM columns are left there.  Right after the field name, where
 * the line cannot fold, the first word is sized to the line's rest.
 */
void
mc_2047_words(struct mc_fold *f, const char *s, size_t n, int space)
{
	struct mc_buf w;
	size_t k, col, room;
	int b64, first = 1;

	b64 = choose_b64(s, n);
	mc_buf_init(&w);
	while (n > 0) {
		k = 0;
		if (first && (f->empty || take(s, n, b64, MC_EW_MAX) < n)) {
			col = f->b->len - f->line + (space || f->empty ? 1 : 0);
			room = col < MC_EW_COLS ? MC_EW_COLS - col : 0;
			if (room > MC_EW_MAX)
				room = MC_EW_MAX;
			if (room >= EW_ROOM || f->empty)
				k = take(s, n, b64, room);
		}
		if (k == 0)
			k = take(s, n, b64, MC_EW_MAX);
		if (k == 0)		/* cannot happen: a character fits */
			k = mc_utf8_unit(s, n);
		word(&w, s, k, b64);
		if (w.oom) {
			f->b->oom = 1;
			break;
		}
		mc_fold_token(f, w.p, w.len, first ? space : 1, 1);
		s += k;
		n -= k;
		first = 0;
	}
	mc_buf_free(&w);
}

/* RFC 2047 6.2: text that a decoder would take for an encoded-word. */
static int
looks_encoded(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i++)
		if (s[i] == '=' && s[i + 1] == '?')
			break;
	for (i += 2; i + 1 < n; i++)
		if (s[i] == '?' && s[i + 1] == '=')
			return 1;
	return 0;
}

static int
plain_ascii(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			return 0;
	return !looks_encoded(s, n);
}

/* Whether the word s[0..n), after ws white space characters, must be
 * encoded: non-ASCII, controls, encoded-word look-alikes, or too long for
 * a line (the extra white space goes in front of it; the first word of a
 * field cannot fold, so it has the rest of the name's line). */
static int
needs(const struct mc_fold *f, const char *s, size_t n, size_t ws,
    int first)
{
	if (!plain_ascii(s, n))
		return 1;
	if (first)
		return f->b->len - f->line + 1 + n > MC_FOLD_COLS;
	return (ws > 0 ? ws - 1 : 0) + n > WORD_MAX;
}

static const char *
word_end(const char *p, const char *end)
{
	while (p < end && !mc_wsp(*p))
		p++;
	return p;
}

static const char *
skip_ws(const char *p, const char *end)
{
	while (p < end && mc_wsp(*p))
		p++;
	return p;
}

/* The fold point: the first white space character before a token. */
static int
fold_space(const char *ws, size_t n)
{
	return n > 0 && ws[0] == '\t' ? '\t' : 1;
}

void
mc_2047_unstructured(struct mc_fold *f, const char *value)
{
	const char *p, *end, *ws, *w, *we, *q, *qe, *rs;
	size_t wsn;

	p = skip_ws(value, value + strlen(value));
	end = p + strlen(p);
	while (end > p && mc_wsp(end[-1]))
		end--;
	for (ws = p; p < end; ws = we, p = skip_ws(we, end)) {
		w = p;
		we = word_end(w, end);
		wsn = (size_t)(w - ws);
		if (!needs(f, w, (size_t)(we - w), wsn, f->empty)) {
			/* White space is kept: one character is the fold
			 * point, the rest goes in front of the word. */
			rs = wsn > 1 ? ws + 1 : w;
			mc_fold_token(f, rs, (size_t)(we - rs),
			    fold_space(ws, wsn), 0);
			continue;
		}
		/* RFC 2047 6.2: white space between encoded-words is not
		 * displayed, so adjacent words that need encoding are one run
		 * with the white space inside. */
		for (;;) {
			q = skip_ws(we, end);
			if (q == end)
				break;
			qe = word_end(q, end);
			if (!needs(f, q, (size_t)(qe - q), (size_t)(q - we), 0))
				break;
			we = qe;
		}
		rs = wsn > 1 ? ws + 1 : w;
		mc_2047_words(f, rs, (size_t)(we - rs), fold_space(ws, wsn));
	}
}

/*
 * A phrase (RFC 5322 3.2.5): atoms when every word is one and single
 * spaces part them, else one quoted-string (folded at its white space,
 * which unfolding gives back, RFC 5322 3.2.4), else encoded-words: one
 * when it fits.  White space inside is kept as it is; at the ends it is
 * dropped.
 */
/* The words of a phrase into v, with single spaces or the white space
 * between them; *atoms when it can stay a run of atoms, *enc when it
 * needs RFC 2047. */
static void
phrase_scan(const char *value, struct mc_buf *v, int *atoms, int *enc)
{
	const char *p, *end, *w, *we, *ws = NULL;
	size_t i, n, esc;

	*atoms = 1;
	*enc = 0;
	end = value + strlen(value);
	for (p = skip_ws(value, end); p < end; p = skip_ws(we, end)) {
		w = p;
		we = word_end(w, end);
		if (v->len > 0) {
			/* A run of white space, or a TAB, needs quotes to
			 * stay as it is. */
			if (w - ws != 1 || *ws != ' ')
				*atoms = 0;
			mc_buf_add(v, ws, (size_t)(w - ws));
		}
		ws = we;
		mc_buf_add(v, w, (size_t)(we - w));
		n = (size_t)(we - w);
		if (!plain_ascii(w, n))
			*enc = 1;
		for (esc = 0, i = 0; i < n; i++) {
			if (!mc_atext((unsigned char)w[i]))
				*atoms = 0;
			if (w[i] == '"' || w[i] == '\\')
				esc++;
		}
		/* A word and its quotes must fit a folded line. */
		if (n + esc + 2 > WORD_MAX)
			*enc = 1;
	}
}

void
mc_2047_phrase(struct mc_fold *f, const char *value, int space)
{
	struct mc_buf v, t;
	const char *p, *end, *w, *we, *ws;
	int atoms, enc, first;

	mc_buf_init(&v);
	mc_buf_init(&t);
	phrase_scan(value, &v, &atoms, &enc);
	if (v.oom) {
		f->b->oom = 1;
		goto out;
	}
	if (v.len == 0) {
		mc_fold_token(f, "\"\"", 2, space, 0);
		goto out;
	}
	if (enc) {
		/* SPEC 3: one encoded-word where it fits. */
		mc_2047_words(f, v.p, v.len, space);
		goto out;
	}
	first = 1;
	end = v.p + v.len;
	for (p = v.p, ws = p; p < end; ws = we, p = skip_ws(we, end)) {
		w = p;
		we = word_end(w, end);
		if (atoms) {
			mc_fold_token(f, w, (size_t)(we - w),
			    first ? space : 1, 0);
			first = 0;
			continue;
		}
		t.len = 0;
		if (first)
			mc_buf_addc(&t, '"');
		else	/* the first white space is the fold point */
			mc_buf_add(&t, ws + 1, (size_t)(w - ws - 1));
		for (; w < we; w++) {
			if (*w == '"' || *w == '\\')
				mc_buf_addc(&t, '\\');
			mc_buf_addc(&t, *w);
		}
		if (we == end)
			mc_buf_addc(&t, '"');
		if (t.oom) {
			f->b->oom = 1;
			goto out;
		}
		mc_fold_token(f, t.p, t.len, first ? space :
		    fold_space(ws, (size_t)(p - ws)), 0);
		first = 0;
	}
out:
	mc_buf_free(&v);
	mc_buf_free(&t);
}
