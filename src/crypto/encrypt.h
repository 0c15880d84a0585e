/* SPDX-License-Identifier: ISC */
/* mime-encrypt's engines (SPEC 6): PGP/MIME through GPGME (RFC 3156 4,
 * 6.2), S/MIME enveloped data through OpenSSL CMS (RFC 8551 3.3). */
#ifndef MC_ENCRYPT_H
#define MC_ENCRYPT_H

#include "mc.h"

/* The plaintext: write sends the entity, in its CRLF canonical form, to
 * fn and returns MC_OK or fills err.  It may run in a thread of its own
 * (OpenPGP), so it must touch nothing but arg. */
struct mc_plain {
	enum mc_err (*write)(void *arg, mc_write_fn fn, void *fnarg,
	    struct mc_error *err);
	void *arg;
};

/* What the options of mime-encrypt ask for; strings borrowed. */
struct mc_enc_opts {
	char *const *rcpt;	/* -r: key names (OpenPGP), files (S/MIME) */
	size_t nrcpt;
	int sign;		/* OpenPGP --sign: sign and encrypt at once */
	const char *signer;	/* -u, or NULL for gpg's default key */
	int trust_all;		/* --trust-all */
	int gcm;		/* S/MIME: AES-256-GCM, authEnveloped-data */
};

/* An engine with its keys, found before a byte is written: MC_EDATA for
 * a key that is missing, ambiguous, expired, revoked, not for encryption
 * (or signing) or, for OpenPGP, not valid unless trust_all;
 * MC_ENOINPUT for a certificate file that cannot be read; MC_EUNAVAIL
 * when the engine cannot be started. */
struct mc_pgp;
struct mc_smime;
enum mc_err mc_pgp_new(struct mc_pgp **out, const struct mc_enc_opts *o,
    struct mc_error *err);
enum mc_err mc_smime_new(struct mc_smime **out, const struct mc_enc_opts *o,
    struct mc_error *err);

/* Writes the encrypted entity to fn, streaming: multipart/encrypted with
 * the armored OpenPGP message (RFC 3156 4), or application/pkcs7-mime
 * with the base64 CMS structure (RFC 8551 3.3); --crlf and the boundary's
 * source from opts.  The plaintext is read once, as it is encrypted. */
enum mc_err mc_pgp_write(struct mc_pgp *p, const struct mc_plain *plain,
    mc_write_fn fn, void *fnarg, const struct mc_write_opts *opts,
    struct mc_error *err);
enum mc_err mc_smime_write(struct mc_smime *s, const struct mc_plain *plain,
    mc_write_fn fn, void *fnarg, const struct mc_write_opts *opts,
    struct mc_error *err);

void mc_pgp_free(struct mc_pgp *p);
void mc_smime_free(struct mc_smime *s);

/*
 * envelope.c: the MIME around the ciphertext, shared by the engines.
 */
/* Writes "Name: value" with the parameters params (name, value pairs,
 * NULL-terminated), folded, to o; -1 when o failed. */
int mc_enc_field(struct mc_out *o, const char *name, const char *value,
    const char *const *params);
/* A boundary from opts' source mixed with label (the multipart's type),
 * as if no part had a line starting "--=_": the caller proves that (armor
 * cannot; mc_signsafe_fd checks the signed part). */
enum mc_err mc_enc_boundary(char b[MC_BOUNDARY_MAX + 1], const char *label,
    const struct mc_write_opts *opts, struct mc_error *err);

#endif /* MC_ENCRYPT_H */
