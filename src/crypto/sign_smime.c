/* SPDX-License-Identifier: ISC */
/* S/MIME detached signatures (RFC 8551 3.5, RFC 5652 5) through OpenSSL's
 * CMS, streaming. */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "sign.h"

struct smime {
	X509 *cert;
	EVP_PKEY *key;
	STACK_OF(X509) *chain;	/* more certificates to include */
	const EVP_MD *md;
};

/* OpenSSL's reason for the last failure, or fallback. */
static enum mc_err
smime_fail(struct mc_error *err, enum mc_err code, const char *what,
    const char *fallback)
{
	unsigned long e = ERR_peek_last_error();
	const char *why = e != 0 ? ERR_reason_error_string(e) : NULL;

	ERR_clear_error();
	return mc_fail(err, code, 0, what, "%s", why != NULL ? why : fallback);
}

/* No prompt, ever (SPEC 6): an encrypted key cannot be read. */
static int
no_password(char *buf, int size, int rw, void *arg)
{
	(void)buf, (void)size, (void)rw, (void)arg;
	return 0;
}

/* path opened for reading: MC_ENOINPUT when it cannot be. */
static enum mc_err
open_file(BIO **b, const char *path, struct mc_error *err)
{
	struct stat st;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return mc_fail(err, MC_ENOINPUT, EISDIR, path, NULL);
	errno = 0;
	if ((*b = BIO_new_file(path, "rb")) == NULL) {
		ERR_clear_error();
		return mc_fail(err, MC_ENOINPUT, errno != 0 ? errno : EIO,
		    path, NULL);
	}
	return MC_OK;
}

/* A PKCS#12 file: its key, certificate and chain, with an empty password
 * (nothing can ask for another). */
static enum mc_err
read_p12(struct smime *m, BIO *b, const char *path, struct mc_error *err)
{
	PKCS12 *p12;

	if (BIO_reset(b) != 0 || (p12 = d2i_PKCS12_bio(b, NULL)) == NULL) {
		ERR_clear_error();
		return mc_fail(err, MC_EDATA, 0, path, "not a certificate "
		    "(PEM) nor a PKCS#12 file");
	}
	if (PKCS12_parse(p12, "", &m->key, &m->cert, &m->chain) != 1 &&
	    PKCS12_parse(p12, NULL, &m->key, &m->cert, &m->chain) != 1) {
		PKCS12_free(p12);
		return smime_fail(err, MC_EDATA, path, "a PKCS#12 file with a "
		    "password (no prompt: use --cert and --key)");
	}
	PKCS12_free(p12);
	return MC_OK;
}

/* --cert: PEM certificates (the signer's first, then its chain; a key
 * too when --key is not given), or PKCS#12. */
static enum mc_err
read_cert(struct smime *m, const char *path, int want_key,
    struct mc_error *err)
{
	enum mc_err rc = MC_OK;
	BIO *b;
	X509 *x;

	if ((rc = open_file(&b, path, err)) != MC_OK)
		return rc;
	if ((m->chain = sk_X509_new_null()) == NULL)
		rc = mc_fail(err, MC_ENOMEM, 0, path, NULL);
	while (rc == MC_OK &&
	    (x = PEM_read_bio_X509(b, NULL, no_password, NULL)) != NULL)
		if ((m->cert == NULL ? (m->cert = x) != NULL :
		    sk_X509_push(m->chain, x) > 0) == 0) {
			X509_free(x);
			rc = mc_fail(err, MC_ENOMEM, 0, path, NULL);
		}
	ERR_clear_error();
	if (rc == MC_OK && m->cert == NULL) {
		sk_X509_free(m->chain);
		m->chain = NULL;
		rc = read_p12(m, b, path, err);
	} else if (rc == MC_OK && want_key && BIO_reset(b) == 0 &&
	    (m->key = PEM_read_bio_PrivateKey(b, NULL, no_password, NULL)) ==
	    NULL)
		rc = smime_fail(err, MC_EDATA, path, "no private key (--key)");
	BIO_free(b);
	return rc;
}

static enum mc_err
read_key(struct smime *m, const char *path, struct mc_error *err)
{
	enum mc_err rc;
	BIO *b;

	if ((rc = open_file(&b, path, err)) != MC_OK)
		return rc;
	m->key = PEM_read_bio_PrivateKey(b, NULL, no_password, NULL);
	BIO_free(b);
	if (m->key == NULL)
		return smime_fail(err, MC_EDATA, path, "not a private key "
		    "(PEM, not encrypted)");
	return MC_OK;
}

/* RFC 8550 4.4.2: why the certificate cannot sign, or NULL. */
static const char *
unusable(const struct smime *m)
{
	if (X509_cmp_current_time(X509_get0_notAfter(m->cert)) <= 0)
		return "the certificate has expired";
	if (X509_cmp_current_time(X509_get0_notBefore(m->cert)) > 0)
		return "the certificate is not valid yet";
	if (X509_check_purpose(m->cert, X509_PURPOSE_SMIME_SIGN, 0) != 1)
		return "the certificate is not for S/MIME signing";
	if (X509_check_private_key(m->cert, m->key) != 1)
		return "the key does not match the certificate";
	return NULL;
}

/* The digest, and micalg (RFC 8551 3.4.3.2).  RFC 8419 3.1: Ed25519
 * with signed attributes hashes with SHA-512. */
static enum mc_err
choose_md(struct mc_signer *s, struct smime *m, const char *digest,
    const char *who, struct mc_error *err)
{
	int ed = EVP_PKEY_is_a(m->key, "ED25519");
	int sha512 = digest != NULL ? strcmp(digest, "sha512") == 0 : ed;

	if (EVP_PKEY_is_a(m->key, "ED448"))
		return mc_fail(err, MC_EDATA, 0, who, "Ed448 keys are not "
		    "supported");
	if (ed && !sha512)
		return mc_fail(err, MC_EUSAGE, 0, who, "an Ed25519 key signs "
		    "with sha512 (RFC 8419)");
	m->md = sha512 ? EVP_sha512() : EVP_sha256();
	snprintf(s->micalg, sizeof(s->micalg), "%s", sha512 ? "sha-512" :
	    "sha-256");
	return MC_OK;
}

static int
bio_sink(void *arg, const void *buf, size_t len)
{
	const char *p = buf;
	int k;

	while (len > 0) {
		k = BIO_write(arg, p, len > INT_MAX ? INT_MAX : (int)len);
		if (k <= 0)
			return EIO;
		p += k;
		len -= (size_t)k;
	}
	return 0;
}

/* A CMS SignedData, detached, its signer set up but not signed yet; the
 * signing time is s->when, so that SOURCE_DATE_EPOCH fixes it. */
static CMS_ContentInfo *
smime_cms(const struct mc_signer *s, const struct smime *m)
{
	CMS_ContentInfo *cms;
	CMS_SignerInfo *si;
	ASN1_TIME *t;
	int i, ok;

	if ((cms = CMS_sign(NULL, NULL, NULL, NULL, CMS_DETACHED |
	    CMS_BINARY | CMS_PARTIAL)) == NULL)
		return NULL;
	si = CMS_add1_signer(cms, m->cert, m->key, m->md, CMS_BINARY |
	    CMS_PARTIAL);
	ok = si != NULL && (t = ASN1_TIME_set(NULL, s->when)) != NULL;
	if (ok) {
		ok = CMS_signed_add1_attr_by_NID(si, NID_pkcs9_signingTime,
		    t->type, t, -1);
		ASN1_TIME_free(t);
	}
	for (i = 0; ok && i < sk_X509_num(m->chain); i++)
		ok = CMS_add1_cert(cms, sk_X509_value(m->chain, i));
	if (!ok) {
		CMS_ContentInfo_free(cms);
		return NULL;
	}
	return cms;
}

static enum mc_err
smime_run(struct mc_signer *s, mc_sign_produce_fn fn, void *arg,
    struct mc_buf *sig, struct mc_error *err)
{
	struct smime *m = s->engine;
	CMS_ContentInfo *cms;
	BIO *data = NULL, *mem = NULL;
	enum mc_err rc;
	char *p;
	long n;

	if ((cms = smime_cms(s, m)) == NULL ||
	    (data = CMS_dataInit(cms, NULL)) == NULL) {
		CMS_ContentInfo_free(cms);
		return smime_fail(err, MC_EDATA, "openssl", "cannot sign");
	}
	rc = fn(arg, bio_sink, data, err);
	if (rc == MC_OK && (CMS_dataFinal(cms, data) != 1 ||
	    (mem = BIO_new(BIO_s_mem())) == NULL ||
	    i2d_CMS_bio(mem, cms) != 1 || (n = BIO_get_mem_data(mem, &p)) <= 0))
		rc = smime_fail(err, MC_EDATA, "openssl", "cannot sign");
	else if (rc == MC_OK)
		mc_buf_add(sig, p, (size_t)n);
	BIO_free_all(data);
	BIO_free(mem);
	CMS_ContentInfo_free(cms);
	return rc;
}

static enum mc_err
nothing(void *arg, mc_write_fn fn, void *fnarg, struct mc_error *err)
{
	(void)arg, (void)fn, (void)fnarg, (void)err;
	return MC_OK;
}

/* A signature of nothing, to know before a byte is written that this
 * OpenSSL can sign with this key (3.0 cannot with Ed25519 in CMS). */
static enum mc_err
smime_probe(struct mc_signer *s, const char *who, struct mc_error *err)
{
	struct mc_buf sig;
	char why[sizeof(err->detail)];
	enum mc_err rc;

	mc_buf_init(&sig);
	if ((rc = smime_run(s, nothing, NULL, &sig, err)) != MC_OK) {
		snprintf(why, sizeof(why), "%s", mc_error_reason(err));
		mc_fail(err, MC_EDATA, 0, who, "OpenSSL %s cannot sign CMS "
		    "with this key (%s)",
		    OpenSSL_version(OPENSSL_VERSION_STRING), why);
	}
	mc_buf_free(&sig);
	return rc != MC_OK ? MC_EDATA : MC_OK;
}

static void
smime_free(struct mc_signer *s)
{
	struct smime *m = s->engine;

	if (m != NULL) {
		X509_free(m->cert);
		EVP_PKEY_free(m->key);
		sk_X509_pop_free(m->chain, X509_free);
		free(m);
	}
	free(s);
}

/* RFC 8551 3.5.3. */
static const struct mc_signer smime_signer = {
	.protocol = "application/pkcs7-signature",
	.type = "application/pkcs7-signature",
	.name = "smime.p7s",
	.base64 = 1,
	.run = smime_run,
	.free = smime_free
};

enum mc_err
mc_signer_smime(struct mc_signer **out, const struct mc_sign_opts *o,
    struct mc_error *err)
{
	struct mc_signer *s;
	struct smime *m;
	enum mc_err rc;
	const char *why;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (m = calloc(1, sizeof(*m))) == NULL) {
		free(s);
		return mc_fail(err, MC_ENOMEM, 0, "S/MIME", NULL);
	}
	*s = smime_signer;
	s->engine = m;
	if ((rc = read_cert(m, o->cert, o->key == NULL, err)) == MC_OK &&
	    o->key != NULL)
		rc = read_key(m, o->key, err);
	if (rc == MC_OK && (why = unusable(m)) != NULL)
		rc = mc_fail(err, MC_EDATA, 0, o->cert, "%s", why);
	if (rc == MC_OK)
		rc = choose_md(s, m, o->digest, o->cert, err);
	if (rc == MC_OK)
		rc = smime_probe(s, o->cert, err);
	if (rc != MC_OK) {
		smime_free(s);
		return rc;
	}
	*out = s;
	return MC_OK;
}
