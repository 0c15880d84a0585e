/* SPDX-License-Identifier: ISC */
/*
 * Fuzzes rfc2231.c: a parameter value (any octets but NUL) written with
 * mc_2231_param between two others is a field of ASCII lines of at most 78
 * columns (76 with an encoded-word), whose parameters parse (RFC 2045 5.1)
 * and reassemble (RFC 2231 3, 4: continuations, charset''%XX) to exactly
 * the value; with compat, a non-ASCII value is RFC 2047 words inside the
 * quotes, which decode to the value.  Quoted values are read as Python's
 * email and old Outlook read them: encoded-words inside are decoded.
 */
#include "fuzz.h"

#define SEGS 512

struct got {
	int plain, ext;			/* name=, name*= */
	struct mc_buf val;		/* their value */
	int quoted;
	int nseg;			/* name*N or name*N*, N < SEGS */
	struct mc_buf seg[SEGS];
	int segext[SEGS], segset[SEGS];
	int x1, other;			/* x=1 seen; other parameters */
};

static void
collect(void *arg, const char *a, size_t an, const char *v, size_t vn,
    int quoted)
{
	struct got *g = arg;
	size_t i;
	unsigned k;

	if (an == 1 && a[0] == 'x') {
		FZ_ASSERT(vn == 1 && v[0] == '1' && !g->x1, "x=%.*s",
		    (int)vn, v);
		g->x1 = 1;
		return;
	}
	if (an < 4 || memcmp(a, "name", 4) != 0) {
		g->other++;
		return;
	}
	if (an == 4) {
		g->plain++;
		g->quoted = quoted;
		mc_buf_add(&g->val, v, vn);
		return;
	}
	FZ_ASSERT(a[4] == '*', "parameter %.*s", (int)an, a);
	if (an == 5) {
		FZ_ASSERT(!quoted, "name*= quoted");
		g->ext++;
		mc_buf_add(&g->val, v, vn);
		return;
	}
	for (k = 0, i = 5; i < an && a[i] >= '0' && a[i] <= '9'; i++) {
		/* RFC 2231 3: no leading zeros. */
		FZ_ASSERT(!(i == 5 && a[i] == '0' && i + 1 < an &&
		    a[i + 1] != '*'), "a leading zero: %.*s", (int)an, a);
		k = k * 10 + (unsigned)(a[i] - '0');
		FZ_ASSERT(k < SEGS, "segment %u", k);
	}
	FZ_ASSERT(i > 5 && (i == an || (i + 1 == an && a[i] == '*')),
	    "parameter %.*s", (int)an, a);
	FZ_ASSERT(!g->segset[k], "segment %u twice", k);
	g->segset[k] = 1;
	g->segext[k] = i + 1 == an;
	FZ_ASSERT(!(g->segext[k] && quoted), "an extended segment quoted");
	mc_buf_init(&g->seg[k]);
	mc_buf_add(&g->seg[k], v, vn);
	if ((int)k + 1 > g->nseg)
		g->nseg = (int)k + 1;
}

/* RFC 2231 4: %XX, and attribute-chars as they are. */
static void
pct(const char *s, size_t n, struct mc_buf *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '%') {
			FZ_ASSERT(i + 2 < n && fz_hex(s[i + 1]) >= 0 &&
			    fz_hex(s[i + 2]) >= 0, "a bad %%XX");
			mc_buf_addc(out, (char)(fz_hex(s[i + 1]) << 4 |
			    fz_hex(s[i + 2])));
			i += 2;
			continue;
		}
		FZ_ASSERT(!fz_tspecial((unsigned char)s[i]) && s[i] != '*' &&
		    s[i] != '\'' && (unsigned char)s[i] > 32 &&
		    (unsigned char)s[i] < 127, "'%c' in an extended value",
		    s[i]);
		mc_buf_addc(out, s[i]);
	}
}

/* charset'language'%XX... (utf-8, no language) */
static void
ext_value(const char *s, size_t n, struct mc_buf *out)
{
	FZ_ASSERT(n >= 7 && strncasecmp(s, "utf-8''", 7) == 0,
	    "an extended value without utf-8'': %.*s", (int)n, s);
	pct(s + 7, n - 7, out);
}

static void
one(const char *value, size_t n, int compat, int ascii)
{
	struct mc_buf b, v, res;
	struct mc_fold f;
	struct got g;
	const char *why = "";
	size_t i;
	int k;

	mc_buf_init(&b);
	mc_buf_init(&v);
	mc_buf_init(&res);
	memset(&g, 0, sizeof(g));
	mc_buf_init(&g.val);
	mc_fold_begin(&f, &b, "Content-Type");
	mc_fold_token(&f, "application/octet-stream", 24, 1, 0);
	mc_2231_param(&f, "name", value, compat);
	mc_2231_param(&f, "x", "1", 0);
	mc_fold_end(&f);
	FZ_ASSERT(!b.oom, "out of memory");
	fz_check_folded(b.p, b.len, "Content-Type");
	for (i = 0; i < b.len; i++)
		FZ_ASSERT((unsigned char)b.p[i] < 0x80 && (b.p[i] >= 0x20 ||
		    b.p[i] == '\n'), "byte 0x%02x in the field",
		    (unsigned char)b.p[i]);
	fz_unfold_value(b.p, b.len, &v);
	FZ_ASSERT(fz_params(v.p, v.len, collect, &g) == 0,
	    "the parameters do not parse:\n%s", b.p);
	FZ_ASSERT(g.x1 && g.other == 0, "x=1 lost, or another parameter:\n%s",
	    b.p);
	FZ_ASSERT(g.plain + g.ext + (g.nseg > 0) == 1, "the value is given "
	    "%d times:\n%s", g.plain + g.ext + (g.nseg > 0), b.p);
	if (g.plain) {
		if (g.quoted) {
			/* RFC 2047 words inside the quotes, as old Outlook
			 * (and Python's email, with a defect) read them:
			 * only compat writes them, and a value that looks
			 * like one must not be written in quotes. */
			FZ_ASSERT(fz_2047_display(g.val.p, g.val.len, 0, &res,
			    &why) == 0, "compat: %s", why);
		} else
			mc_buf_add(&res, g.val.p ? g.val.p : "", g.val.len);
	} else if (g.ext)
		ext_value(g.val.p, g.val.len, &res);
	else {
		for (k = 0; k < g.nseg; k++) {
			FZ_ASSERT(g.segset[k], "segment %d missing:\n%s", k,
			    b.p);
			FZ_ASSERT(g.segext[k] == g.segext[0], "extended and "
			    "plain segments mixed");
			if (!g.segext[k])
				mc_buf_add(&res, g.seg[k].p ? g.seg[k].p : "",
				    g.seg[k].len);
			else if (k == 0)
				ext_value(g.seg[k].p, g.seg[k].len, &res);
			else
				pct(g.seg[k].p, g.seg[k].len, &res);
			mc_buf_free(&g.seg[k]);
		}
	}
	FZ_ASSERT(!compat || ascii || g.quoted, "compat: not quoted:\n%s", b.p);
	FZ_ASSERT(res.len == n && (n == 0 || memcmp(res.p, value, n) == 0),
	    "the value comes back as %zu other bytes:\n%s", res.len, b.p);
	mc_buf_free(&g.val);
	mc_buf_free(&b);
	mc_buf_free(&v);
	mc_buf_free(&res);
}

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *value;
	size_t i;
	int ascii = 1;

	if (n > MC_PARAM_MAX || memchr(d, '\0', n) != NULL ||
	    (value = malloc(n + 1)) == NULL)
		return 0;
	memcpy(value, d, n);
	value[n] = '\0';
	for (i = 0; i < n; i++)
		if (d[i] < 0x20 || d[i] >= 0x7f)
			ascii = 0;
	one(value, n, 0, ascii);
	one(value, n, 1, ascii);
	free(value);
	return 0;
}
