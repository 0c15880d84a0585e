/* SPDX-License-Identifier: ISC */
/*
 * Fuzzes addr.c (RFC 5322 3.4) with the phrase writer of rfc2047.c: a list
 * that parses is written as a field of ASCII lines of at most 78 columns
 * (76 with an encoded-word, longer only for one unbreakable address), and
 * that field parses back, once unfolded and its encoded-words decoded, to
 * the same addresses and display names (white space runs in names
 * collapsed, as RFC 5322 3.2.5 phrases are).  A list that does not parse
 * is a data error with a reason, and leaves the list as it was.
 */
#include "fuzz.h"

/* A display name as shown: white space runs made one space, trimmed. */
static void
norm(const char *s, struct mc_buf *out)
{
	int sp = 0;

	out->len = 0;
	mc_buf_addc(out, '\0');
	out->len = 0;
	for (; s != NULL && *s != '\0'; s++) {
		if (fz_wsp(*s)) {
			sp = out->len > 0;
			continue;
		}
		if (sp)
			mc_buf_addc(out, ' ');
		sp = 0;
		mc_buf_addc(out, *s);
	}
}

/* A parsed display name with its encoded-words decoded (RFC 2047 6.2). */
static void
decode_name(const char *s, struct mc_buf *out)
{
	const char *why = "";
	struct mc_buf t;

	mc_buf_init(&t);
	FZ_ASSERT(fz_2047_display(s ? s : "", s ? strlen(s) : 0, 0, &t, &why)
	    == 0, "%s in name \"%s\"", why, s);
	mc_buf_addc(&t, '\0');
	norm(t.p, out);
	mc_buf_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct mc_addrlist l = { NULL, 0, 0 }, back = { NULL, 0, 0 };
	struct mc_error err;
	struct mc_buf field, v, a, b;
	char *list;
	size_t i;
	enum mc_err rc;

	if (memchr(d, '\0', n) != NULL || (list = malloc(n + 1)) == NULL)
		return 0;
	memcpy(list, d, n);
	list[n] = '\0';
	/* An address already in the list must survive a failed parse. */
	FZ_ASSERT(mc_addr_parse(&l, "pre@example.org", &err) == MC_OK,
	    "a plain address");
	memset(&err, 0, sizeof(err));
	rc = mc_addr_parse(&l, list, &err);
	if (rc != MC_OK) {
		FZ_ASSERT(rc == MC_EDATA || rc == MC_ENOMEM, "error %d", rc);
		FZ_ASSERT(err.code == rc && err.detail[0] != '\0',
		    "an error without a reason");
		FZ_ASSERT(l.n == 1 && strcmp(l.v[0].spec, "pre@example.org")
		    == 0, "a failed parse changed the list");
		mc_addrlist_free(&l);
		free(list);
		return 0;
	}
	FZ_ASSERT(l.n >= 2 && l.n <= MC_ADDRS_MAX, "%zu addresses", l.n);

	mc_buf_init(&field);
	mc_addr_field(&field, "To", &l);
	FZ_ASSERT(!field.oom, "out of memory");
	fz_check_folded(field.p, field.len, "To");
	for (i = 0; i < field.len; i++)
		FZ_ASSERT((unsigned char)field.p[i] < 0x80 &&
		    (field.p[i] >= 0x20 || field.p[i] == '\n' ||
		    field.p[i] == '\t'), "a byte 0x%02x in the field",
		    (unsigned char)field.p[i]);

	/* Parse the written field again. */
	mc_buf_init(&v);
	fz_unfold_value(field.p, field.len, &v);
	mc_buf_addc(&v, '\0');
	memset(&err, 0, sizeof(err));
	rc = mc_addr_parse(&back, v.p, &err);
	FZ_ASSERT(rc == MC_OK, "the written field does not parse: %s\n%s",
	    err.detail, field.p);
	FZ_ASSERT(back.n == l.n, "%zu addresses back, not %zu", back.n, l.n);
	mc_buf_init(&a);
	mc_buf_init(&b);
	for (i = 0; i < back.n; i++) {
		const struct mc_addr *x = &l.v[i], *y = &back.v[i];

		FZ_ASSERT((x->spec == NULL) == (y->spec == NULL) &&
		    (x->spec == NULL || strcmp(x->spec, y->spec) == 0),
		    "address %zu: %s, back %s", i, x->spec, y->spec);
		norm(x->name, &a);
		decode_name(y->name, &b);
		FZ_ASSERT(a.len == b.len && memcmp(a.p, b.p, a.len) == 0,
		    "address %zu: name \"%s\" back as \"%s\"; field:\n%s", i,
		    a.p, b.p, field.p);
	}
	mc_buf_free(&a);
	mc_buf_free(&b);
	mc_buf_free(&v);
	mc_buf_free(&field);
	mc_addrlist_free(&back);
	mc_addrlist_free(&l);
	free(list);
	return 0;
}
