/* SPDX-License-Identifier: ISC */
/* Message-IDs and Content-IDs: RFC 5322 3.6.4, RFC 2392 2. */
#include <stdlib.h>
#include <string.h>

#include "mc.h"

/* A longer id would not fit a header line (RFC 5322 2.1.1) with its
 * field name. */
#define ID_MAX	900

enum mc_err
mc_msgid_norm(char **out, const char *id, int need_at, struct mc_error *err)
{
	const char *s = id, *at = NULL;
	size_t n = strlen(id), i;
	unsigned char c;
	char *p;

	*out = NULL;
	/* One pair of angle brackets is optional. */
	if (n >= 2 && s[0] == '<' && s[n - 1] == '>') {
		s++;
		n -= 2;
	}
	if (n == 0)
		return mc_fail(err, MC_EDATA, 0, "", "empty message ID");
	if (n > ID_MAX)
		return mc_fail(err, MC_EDATA, 0, "", "message ID too long");
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c <= 0x20 || c >= 0x7f)
			return mc_fail(err, MC_EDATA, 0, "", "%s in message ID "
			    "\"%.60s\"", c == ' ' || c == '\t' ? "white space" :
			    c >= 0x80 ? "non-ASCII character" :
			    "control character", id);
		/* RFC 5322 3.6.4: specials but "@", "." and the brackets of
		 * a no-fold-literal cannot be in an id. */
		if (strchr("<>()\\\",;:", c) != NULL)
			return mc_fail(err, MC_EDATA, 0, "",
			    "'%c' in message ID \"%.60s\"", c, id);
		if (c == '@') {
			if (at != NULL && need_at)
				return mc_fail(err, MC_EDATA, 0, "",
				    "more than one '@' in message ID "
				    "\"%.60s\"", id);
			at = s + i;
		}
	}
	if (need_at && (at == NULL || at == s || at == s + n - 1))
		return mc_fail(err, MC_EDATA, 0, "",
		    "message ID \"%.60s\" is not of the form left@right", id);
	if ((p = malloc(n + 3)) == NULL)
		return mc_fail(err, MC_ENOMEM, 0, "", NULL);
	p[0] = '<';
	memcpy(p + 1, s, n);
	p[n + 1] = '>';
	p[n + 2] = '\0';
	*out = p;
	return MC_OK;
}

char *
mc_msgid_make(const unsigned char uniq[16], const char *domain)
{
	/* RFC 4648 6 base32, lowercase, unpadded: 26 characters for 128
	 * bits. */
	static const char a[] = "abcdefghijklmnopqrstuvwxyz234567";
	size_t dlen, i, bit;
	unsigned v;
	char *p;

	if (domain == NULL)
		domain = "localhost";
	dlen = strlen(domain);
	if ((p = malloc(1 + 26 + 1 + dlen + 2)) == NULL)
		return NULL;
	p[0] = '<';
	for (i = 0, bit = 0; i < 26; i++, bit += 5) {
		v = (unsigned)uniq[bit / 8] << 8;
		if (bit / 8 + 1 < 16)
			v |= uniq[bit / 8 + 1];
		p[1 + i] = a[(v >> (11 - bit % 8)) & 31];
	}
	p[27] = '@';
	memcpy(p + 28, domain, dlen);
	p[28 + dlen] = '>';
	p[29 + dlen] = '\0';
	return p;
}
