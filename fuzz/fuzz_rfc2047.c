/* SPDX-License-Identifier: ISC */
/*
 * Fuzzes rfc2047.c and fold.c with unstructured values (Subject and other
 * fields): folded lines of at most 78 columns, 76 with an encoded-word;
 * every encoded-word at most 75 characters holding whole UTF-8 characters;
 * and what a reader displays (RFC 2047 6.2) is the value, its leading and
 * trailing white space trimmed.
 */
#include "fuzz.h"

/* The values the library takes: UTF-8 without controls but TAB (entity.c
 * checks them before they get here). */
static int
acceptable(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t') ||
		    s[i] == 0x7f)
			return 0;
	return mc_utf8_valid(s, n);
}

/* Every encoded-word of the field decodes, alone, to whole characters. */
static void
words_whole(const char *v, size_t n)
{
	const char *p = v, *end = v + n, *w, *why = "";
	struct mc_buf d;
	int r;

	while (p < end) {
		while (p < end && fz_wsp(*p))
			p++;
		w = p;
		while (p < end && !fz_wsp(*p))
			p++;
		if (w == p)
			break;
		mc_buf_init(&d);
		r = fz_ew_decode(w, (size_t)(p - w), &d, &why);
		FZ_ASSERT(r != -1, "%s: %.*s", why, (int)(p - w), w);
		FZ_ASSERT(r == 0 || mc_utf8_valid(d.p ? d.p : "", d.len),
		    "an encoded-word splits a character: %.*s", (int)(p - w),
		    w);
		mc_buf_free(&d);
	}
}

static void
one(const char *name, const char *value, size_t n)
{
	struct mc_buf b, v, shown;
	struct mc_fold f;
	const char *why = "", *s = value, *e = value + n;

	mc_buf_init(&b);
	mc_buf_init(&v);
	mc_buf_init(&shown);
	mc_fold_begin(&f, &b, name);
	mc_2047_unstructured(&f, value);
	mc_fold_end(&f);
	FZ_ASSERT(!b.oom, "out of memory");
	fz_check_folded(b.p, b.len, name);
	FZ_ASSERT(b.len > strlen(name) && memcmp(b.p, name, strlen(name)) == 0
	    && b.p[strlen(name)] == ':', "the field does not start with "
	    "its name");
	for (size_t i = 0; i < b.len; i++)
		FZ_ASSERT((unsigned char)b.p[i] < 0x80, "8-bit byte in the "
		    "field: %s", b.p);
	fz_unfold_value(b.p, b.len, &v);
	words_whole(v.p ? v.p : "", v.len);
	FZ_ASSERT(fz_2047_display(v.p ? v.p : "", v.len, 1, &shown, &why) == 0,
	    "%s", why);
	while (s < e && fz_wsp(*s))
		s++;
	while (e > s && fz_wsp(e[-1]))
		e--;
	FZ_ASSERT(shown.len == (size_t)(e - s) && (shown.len == 0 ||
	    memcmp(shown.p, s, shown.len) == 0),
	    "displayed as \"%.*s\", not \"%.*s\"; field:\n%s",
	    (int)shown.len, shown.p ? shown.p : "", (int)(e - s), s, b.p);
	mc_buf_free(&b);
	mc_buf_free(&v);
	mc_buf_free(&shown);
}

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *value;

	if (n > MC_PARAM_MAX || !acceptable((const char *)d, n) ||
	    memchr(d, '\0', n) != NULL)
		return 0;
	if ((value = malloc(n + 1)) == NULL)
		return 0;
	memcpy(value, d, n);
	value[n] = '\0';
	one("Subject", value, n);
	/* A long field name leaves less room on the first line. */
	one("X-A-Rather-Long-Field-Name-For-Folding", value, n);
	one("Content-Description", value, n);
	free(value);
	return 0;
}
