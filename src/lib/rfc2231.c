/* SPDX-License-Identifier: ISC */
/* Parameters: RFC 2045 5.1 (token, quoted-string); RFC 2231 3, 4, 7. */
#include <string.h>

#include "mc.h"

/* " " + segment + ";" on a line of 78 columns (RFC 5322 2.1.1). */
#define SEG_MAX		(MC_FOLD_COLS - 2)
/* The same for encoded-words, on lines of 76 (RFC 2047 2). */
#define EWSEG_MAX	(MC_EW_COLS - 2)

/* RFC 2231 7 attribute-char: token characters but "*", "'" and "%". */
static int
attrc(unsigned char c)
{
	return mc_tokenc(c) && c != '*' && c != '\'' && c != '%';
}

/* A token of attribute-chars: a token with "*", "'" or "%" is quoted, as
 * readers that know RFC 2231 (Python's email) take them for its syntax. */
static int
attr_token(const char *s)
{
	return mc_all(s, attrc);
}

/* How a byte is written: 1 plain, 2 escaped (quoted-string), 3 %XX. */
static size_t
cost(unsigned char c, int ext)
{
	if (ext)
		return attrc(c) ? 1 : 3;
	return c == '"' || c == '\\' ? 2 : 1;
}

static void
put(struct mc_buf *t, unsigned char c, int ext)
{
	static const char hex[] = "0123456789ABCDEF";

	if (ext && !attrc(c)) {
		mc_buf_addc(t, '%');
		mc_buf_addc(t, hex[c >> 4]);
		mc_buf_addc(t, hex[c & 15]);
		return;
	}
	if (!ext && (c == '"' || c == '\\'))
		mc_buf_addc(t, '\\');
	mc_buf_addc(t, (char)c);
}

static void
emit(struct mc_fold *f, struct mc_buf *t, int first, int ew)
{
	if (t->oom) {
		f->b->oom = 1;
		return;
	}
	if (!first)
		mc_fold_token(f, ";", 1, 0, 0);
	mc_fold_token(f, t->p, t->len, 1, ew);
}

/*
 * RFC 2231 3: name*0=...; name*1=... (ext: name*0*=utf-8''%XX...), each
 * segment on a line of its own if need be, split between characters so
 * that no %XX, UTF-8 sequence or \" escape is cut.
 */
static void
continued(struct mc_fold *f, struct mc_buf *t, const char *name,
    const char *v, size_t n, int ext, int first)
{
	size_t pos = 0, c, i, k, head;
	unsigned seg;

	for (seg = 0; pos < n; seg++) {
		t->len = 0;
		mc_buf_printf(t, ext ? "%s*%u*=%s" : "%s*%u=\"", name, seg,
		    ext && seg == 0 ? "utf-8''" : "");
		head = t->len;
		while (pos < n) {
			c = mc_utf8_unit(v + pos, n - pos);
			for (k = 0, i = 0; i < c; i++)
				k += cost((unsigned char)v[pos + i], ext);
			if (t->len > head &&
			    t->len + k + (ext ? 0 : 1) > SEG_MAX)
				break;
			for (i = 0; i < c; i++)
				put(t, (unsigned char)v[pos + i], ext);
			pos += c;
		}
		if (!ext)
			mc_buf_addc(t, '"');
		emit(f, t, first && seg == 0, 0);
	}
}

/* RFC 2047 B words inside a quoted-string, as old Outlook reads them. */
static void
compat_words(struct mc_fold *f, struct mc_buf *t, const char *name,
    const char *v, size_t n, int first)
{
	char b64[4 * ((MC_EW_MAX + 2) / 3) + 1];
	size_t pos = 0, k, c, cap;
	int seg;

	for (seg = 0; pos < n; seg++) {
		t->len = 0;
		if (seg == 0)
			mc_buf_printf(t, "%s=\"", name);
		/* Room for the word and a closing quote. */
		cap = EWSEG_MAX - t->len - 1;
		if (cap > MC_EW_MAX)
			cap = MC_EW_MAX;
		for (k = 0; pos + k < n; k += c) {
			c = mc_utf8_unit(v + pos + k, n - pos - k);
			if (k > 0 && 12 + (k + c + 2) / 3 * 4 > cap)
				break;
		}
		mc_b64_plain(b64, v + pos, k);
		mc_buf_printf(t, "=?utf-8?B?%s?=", b64);
		pos += k;
		if (pos == n)
			mc_buf_addc(t, '"');
		if (t->oom) {
			f->b->oom = 1;
			return;
		}
		if (seg == 0 && !first)
			mc_fold_token(f, ";", 1, 0, 0);
		/* The space between words is inside the quotes. */
		mc_fold_token(f, t->p, t->len, 1, 1);
	}
}

void
mc_2231_param(struct mc_fold *f, const char *name, const char *value,
    int compat)
{
	struct mc_buf t;
	size_t n = strlen(value), nlen = strlen(name), i, q;
	int ext = 0, first = f->empty;

	for (q = 0, i = 0; i < n; i++) {
		/* Controls too: RFC 2231 carries any octet.  Quotes and
		 * backslashes as well: mblaze 1.1 and others misread the
		 * escapes of a quoted-string (RFC 2045 5.1).  And "=?":
		 * readers decode encoded-words even in quotes. */
		if ((unsigned char)value[i] >= 0x7f ||
		    (unsigned char)value[i] < 0x20 || value[i] == '"' ||
		    value[i] == '\\' || (value[i] == '=' && value[i + 1] ==
		    '?'))
			ext = 1;
		q += cost((unsigned char)value[i], 0);
	}
	mc_buf_init(&t);
	if (ext && compat)
		compat_words(f, &t, name, value, n, first);
	else if (!ext && attr_token(value) && nlen + 1 + n <= SEG_MAX) {
		mc_buf_printf(&t, "%s=%s", name, value);
		emit(f, &t, first, 0);
	} else if (!ext && nlen + 3 + q <= SEG_MAX) {
		mc_buf_printf(&t, "%s=\"", name);
		for (i = 0; i < n; i++)
			put(&t, (unsigned char)value[i], 0);
		mc_buf_addc(&t, '"');
		emit(f, &t, first, 0);
	} else if (ext) {
		for (q = 0, i = 0; i < n; i++)
			q += cost((unsigned char)value[i], 1);
		if (nlen + 9 + q <= SEG_MAX) {
			mc_buf_printf(&t, "%s*=utf-8''", name);
			for (i = 0; i < n; i++)
				put(&t, (unsigned char)value[i], 1);
			emit(f, &t, first, 0);
		} else
			continued(f, &t, name, value, n, 1, first);
	} else
		continued(f, &t, name, value, n, 0, first);
	mc_buf_free(&t);
}
