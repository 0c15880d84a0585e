/* SPDX-License-Identifier: ISC */
/* The DKIM signer (RFC 6376, RFC 8463) on OpenSSL's libcrypto: mime-dkim only. */
#ifndef DKIM_H
#define DKIM_H

#include <time.h>

#include "mc.h"

enum dkim_alg { DKIM_ALG_KEY, DKIM_RSA_SHA256, DKIM_ED25519_SHA256 };

/* A private key for signing; opaque. */
struct dkim_key;

/* Loads a PEM private key (as openssl genpkey writes it; PKCS#1 RSA
 * too).  alg: what -a asked for, DKIM_ALG_KEY for the key's own.
 * MC_ENOINPUT for an unreadable file; MC_EDATA for a public key, an
 * encrypted key (no passphrase is ever asked for), anything else that is
 * not a private key, RSA under 1024 bits (RFC 8301 3.2), other key types
 * and a key not for alg. */
enum mc_err dkim_key_load(struct dkim_key **out, const char *path,
    enum dkim_alg alg, struct mc_error *err);
void dkim_key_free(struct dkim_key *k);
enum dkim_alg dkim_key_alg(const struct dkim_key *k);

/* Appends the record to publish (RFC 6376 3.6.1, RFC 8463 4.2), a line
 * "SELECTOR._domainkey.DOMAIN. IN TXT "v=DKIM1; k=...; p=..."" with the
 * text split into strings of at most 255 octets (RFC 1035 3.3). */
enum mc_err dkim_dns(const struct dkim_key *k, const char *selector,
    const char *domain, struct mc_buf *out, struct mc_error *err);

/* The body hash: SHA-256 of the canonical body, base64 (44 characters
 * and a NUL in bh). */
struct dkim_hash;
struct dkim_hash *dkim_hash_new(int relaxed);	/* NULL: out of memory */
void dkim_hash_step(struct dkim_hash *h, const void *p, size_t n);
enum mc_err dkim_hash_final(struct dkim_hash *h, char bh[45],
    struct mc_error *err);
void dkim_hash_free(struct dkim_hash *h);

/* Appends to b64 the base64 signature of the header hash input p[0..n)
 * (mc_dkim_header_input): SHA-256, then RSA PKCS#1 v1.5 or PureEdDSA
 * Ed25519 over the digest (RFC 8463 3).  Both are deterministic. */
enum mc_err dkim_sign_input(const struct dkim_key *k, const void *p,
    size_t n, struct mc_buf *b64, struct mc_error *err);

/* What to sign with: SPEC 6 mime-dkim. */
struct dkim_opts {
	const char *domain;
	const char *selector;
	int hrelaxed, brelaxed;		/* c= */
	const char *fields;	/* -h names, ':'-separated; NULL: defaults */
	time_t now;		/* t= */
	long long expire;	/* x= is t= plus this; 0: no x= */
};

/* -a NAME: 0, or -1 when NAME is not rsa-sha256 or ed25519-sha256. */
int dkim_parse_alg(const char *name, enum dkim_alg *alg);
/* -c HEADER/BODY (or HEADER alone: simple body, RFC 6376 3.5 c=) into
 * o; -1 when a name is not simple or relaxed. */
int dkim_parse_canon(const char *s, struct dkim_opts *o);
/* MC_EUSAGE naming the option when -d or -s is not a domain name
 * (letters, digits, hyphens; dot-separated), or -h is not a list of
 * field names that includes From (RFC 6376 5.4). */
enum mc_err dkim_opts_check(const struct dkim_opts *o, struct mc_error *err);

/*
 * A message being signed: dkim_read makes the first pass over fd (name
 * names it in errors), hashing the body and building the DKIM-Signature
 * field; dkim_write makes the second, writing that field and the message
 * as it was read, in its own line ends.  A pipe is spooled to $TMPDIR
 * in the first pass; a regular file is read twice, and dkim_write fails
 * (MC_EIO) when it changed in between.  MC_EDATA for a header that is
 * not one, no From or two.
 */
struct dkim_msg;
enum mc_err dkim_read(struct dkim_msg **out, const struct dkim_opts *o,
    const struct dkim_key *k, int fd, const char *name,
    struct mc_error *err);
enum mc_err dkim_write(struct dkim_msg *m, mc_write_fn fn, void *arg,
    struct mc_error *err);
void dkim_msg_free(struct dkim_msg *m);

#endif /* DKIM_H */
