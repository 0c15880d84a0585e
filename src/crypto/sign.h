/* SPDX-License-Identifier: ISC */
/* mime-sign's engines (SPEC 6): multipart/signed (RFC 1847) with an
 * OpenPGP signature through GPGME (RFC 3156 5) or a CMS one through
 * OpenSSL (RFC 8551 3.5). */
#ifndef MC_SIGN_H
#define MC_SIGN_H

#include "mc.h"

/* What mime-sign's options ask for; strings borrowed. */
struct mc_sign_opts {
	const char *signer;	/* -u, or NULL for gpg's default key */
	const char *cert;	/* S/MIME: PEM, or PKCS#12 without key */
	const char *key;	/* S/MIME: PEM */
	const char *digest;	/* "sha256", "sha512", or NULL */
};

/*
 * The data to sign: produce writes it, in its CRLF canonical form, to
 * fn and returns MC_OK or fills err.  It may run in a thread of its own
 * (OpenPGP), so it touches nothing but arg.
 */
typedef enum mc_err (*mc_sign_produce_fn)(void *arg, mc_write_fn fn,
    void *fnarg, struct mc_error *err);

/* An engine with its key, found and checked before a byte is written. */
struct mc_signer {
	const char *protocol;	/* RFC 1847 protocol parameter */
	char micalg[32];	/* the hash the signature will use */
	const char *type;	/* the signature part's type and name */
	const char *name;
	int base64;		/* binary signature: base64 it */
	time_t when;		/* the signing time, where the engine takes it */
	/* Signs what produce writes; the signature into sig. */
	enum mc_err (*run)(struct mc_signer *, mc_sign_produce_fn, void *,
	    struct mc_buf *sig, struct mc_error *);
	void (*free)(struct mc_signer *);
	void *engine;
};

/* New signers.  MC_EDATA for a key that is missing, ambiguous, expired,
 * revoked or not for signing, naming it; MC_ENOINPUT for a key or
 * certificate file that cannot be read; MC_EUNAVAIL when the engine
 * cannot be started; MC_EUSAGE for a digest the key cannot sign with. */
enum mc_err mc_signer_pgp(struct mc_signer **out,
    const struct mc_sign_opts *o, struct mc_error *err);
enum mc_err mc_signer_smime(struct mc_signer **out,
    const struct mc_sign_opts *o, struct mc_error *err);
void mc_signer_free(struct mc_signer *s);

/* Writes the multipart/signed entity to fn: the sign-safe form of the
 * entity read from fd (mc_signsafe_fd; name names it) as first part,
 * signed as it is written, then the signature part.  opts: --crlf and
 * the boundary's source. */
enum mc_err mc_signed_write(struct mc_signer *s, int fd, const char *name,
    mc_write_fn fn, void *fnarg, const struct mc_write_opts *opts,
    struct mc_error *err);

#endif /* MC_SIGN_H */
