/* SPDX-License-Identifier: ISC */
/* S/MIME enveloped data (RFC 8551 3.3, RFC 5652 6, RFC 5083) through
 * OpenSSL's CMS, streaming. */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "encrypt.h"

struct mc_smime {
	STACK_OF(X509) *certs;
	int gcm;
};

/* OpenSSL's reason for the last failure, or fallback. */
static enum mc_err
ossl_fail(struct mc_error *err, enum mc_err code, const char *what,
    const char *fallback)
{
	unsigned long e = ERR_peek_last_error();
	const char *why = e != 0 ? ERR_reason_error_string(e) : NULL;

	ERR_clear_error();
	return mc_fail(err, code, 0, what, "%s", why != NULL ? why : fallback);
}

/* Why x cannot receive (RFC 8550 4.4.2: key usage, extended key usage),
 * or NULL. */
static const char *
unusable(X509 *x)
{
	if (X509_cmp_current_time(X509_get0_notAfter(x)) <= 0)
		return "the certificate has expired";
	if (X509_cmp_current_time(X509_get0_notBefore(x)) > 0)
		return "the certificate is not valid yet";
	if (X509_check_purpose(x, X509_PURPOSE_SMIME_ENCRYPT, 0) != 1)
		return "the certificate is not for S/MIME encryption";
	return NULL;
}

/* Adds x (taken) to the recipients when it can receive. */
static enum mc_err
add_cert(struct mc_smime *s, X509 *x, const char *path, struct mc_error *err)
{
	const char *why;

	if ((why = unusable(x)) != NULL) {
		X509_free(x);
		return mc_fail(err, MC_EDATA, 0, path, "%s", why);
	}
	if (!sk_X509_push(s->certs, x)) {
		X509_free(x);
		return mc_fail(err, MC_ENOMEM, 0, path, NULL);
	}
	return MC_OK;
}

/* The certificates in the PEM file path (usually one), or the one in
 * the DER file path. */
static enum mc_err
read_certs(struct mc_smime *s, const char *path, struct mc_error *err)
{
	struct stat st;
	enum mc_err rc = MC_OK;
	BIO *b;
	X509 *x;
	int n = 0;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return mc_fail(err, MC_ENOINPUT, EISDIR, path, NULL);
	errno = 0;
	if ((b = BIO_new_file(path, "rb")) == NULL) {
		ERR_clear_error();
		return mc_fail(err, MC_ENOINPUT, errno != 0 ? errno : EIO,
		    path, NULL);
	}
	while (rc == MC_OK &&
	    (x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
		rc = add_cert(s, x, path, err);
		n++;
	}
	ERR_clear_error();
	if (n == 0 && BIO_reset(b) == 0 &&
	    (x = d2i_X509_bio(b, NULL)) != NULL) {
		rc = add_cert(s, x, path, err);
		n++;
	}
	ERR_clear_error();
	BIO_free(b);
	if (rc == MC_OK && n == 0)
		rc = mc_fail(err, MC_EDATA, 0, path,
		    "not a certificate (PEM or DER)");
	return rc;
}

enum mc_err
mc_smime_new(struct mc_smime **out, const struct mc_enc_opts *o,
    struct mc_error *err)
{
	struct mc_smime *s;
	enum mc_err rc = MC_OK;
	size_t i;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->certs = sk_X509_new_null()) == NULL) {
		free(s);
		return mc_fail(err, MC_ENOMEM, 0, "certificates", NULL);
	}
	s->gcm = o->gcm;
	for (i = 0; i < o->nrcpt && rc == MC_OK; i++)
		rc = read_certs(s, o->rcpt[i], err);
	if (rc != MC_OK) {
		mc_smime_free(s);
		return rc;
	}
	*out = s;
	return MC_OK;
}

void
mc_smime_free(struct mc_smime *s)
{
	if (s == NULL)
		return;
	sk_X509_pop_free(s->certs, X509_free);
	free(s);
}

/*
 * Streaming.  The plaintext writer pushes into OpenSSL's CMS filter
 * (BIO_new_CMS, CMS_STREAM), whose BER output goes through a sink BIO of
 * ours into the base64 encoder and out.
 */

static BIO_METHOD *sink_method;

static int
sink_write(BIO *b, const char *p, int n)
{
	struct mc_b64 *st = BIO_get_data(b);

	return n <= 0 ? 0 : mc_b64_step(st, p, (size_t)n) == -1 ? -1 : n;
}

static long
sink_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	(void)b, (void)num, (void)ptr;
	return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

static int
sink_create(BIO *b)
{
	BIO_set_init(b, 1);
	return 1;
}

static BIO *
sink_new(struct mc_b64 *st)
{
	BIO *b;

	if (sink_method == NULL) {
		sink_method = BIO_meth_new(BIO_get_new_index() |
		    BIO_TYPE_SOURCE_SINK, "mimecompose base64");
		if (sink_method == NULL ||
		    !BIO_meth_set_write(sink_method, sink_write) ||
		    !BIO_meth_set_ctrl(sink_method, sink_ctrl) ||
		    !BIO_meth_set_create(sink_method, sink_create))
			return NULL;
	}
	if ((b = BIO_new(sink_method)) != NULL)
		BIO_set_data(b, st);
	return b;
}

/* An mc_write_fn into the CMS filter. */
static int
cms_write(void *arg, const void *buf, size_t len)
{
	BIO *b = arg;
	const char *p = buf;
	int k;

	while (len > 0) {
		k = BIO_write(b, p, len > INT_MAX ? INT_MAX : (int)len);
		if (k <= 0)
			return EIO;
		p += k;
		len -= (size_t)k;
	}
	return 0;
}

/* RFC 8551 3.3: the header of the application/pkcs7-mime entity. */
static int
put_head(struct mc_out *o, int gcm)
{
	const char *const type[] = {
		"smime-type", gcm ? "authEnveloped-data" : "enveloped-data",
		"name", "smime.p7m", NULL
	};
	const char *const file[] = { "filename", "smime.p7m", NULL };

	if (mc_enc_field(o, "Content-Type", "application/pkcs7-mime", type) ||
	    mc_enc_field(o, "Content-Disposition", "attachment", file) ||
	    mc_enc_field(o, "Content-Transfer-Encoding", "base64", NULL))
		return -1;
	return mc_out_eol(o);
}

/* Encrypts the plaintext through the CMS filter into sink. */
static enum mc_err
smime_run(struct mc_smime *s, const struct mc_plain *plain, BIO *sink,
    struct mc_error *err)
{
	CMS_ContentInfo *cms;
	BIO *cbio, *next;
	enum mc_err rc;

	cms = CMS_encrypt(s->certs, NULL, s->gcm ? EVP_aes_256_gcm() :
	    EVP_aes_256_cbc(), CMS_BINARY | CMS_STREAM);
	if (cms == NULL)
		return ossl_fail(err, MC_EDATA, "CMS", "cannot encrypt");
	if ((cbio = BIO_new_CMS(sink, cms)) == NULL) {
		CMS_ContentInfo_free(cms);
		return ossl_fail(err, MC_EDATA, "CMS", "cannot encrypt");
	}
	rc = plain->write(plain->arg, cms_write, cbio, err);
	/* The flush writes the end of the BER structure (the GCM tag). */
	if (rc == MC_OK && BIO_flush(cbio) <= 0)
		rc = mc_fail(err, MC_EIO, 0, "output", NULL);
	while (cbio != sink) {
		next = BIO_pop(cbio);
		BIO_free(cbio);
		cbio = next;
	}
	CMS_ContentInfo_free(cms);
	ERR_clear_error();
	return rc;
}

enum mc_err
mc_smime_write(struct mc_smime *s, const struct mc_plain *plain,
    mc_write_fn fn, void *fnarg, const struct mc_write_opts *opts,
    struct mc_error *err)
{
	struct mc_out *o;
	struct mc_b64 st;
	enum mc_err rc;
	BIO *sink = NULL;

	if ((o = malloc(sizeof(*o))) == NULL)
		return mc_fail(err, MC_ENOMEM, 0, "output", NULL);
	mc_out_init(o, fn, fnarg, (opts->flags & MC_CRLF) != 0);
	mc_b64_init(&st, o);
	if (put_head(o, s->gcm) == -1)
		rc = mc_fail(err, MC_EIO, o->sys, "output", NULL);
	else if ((sink = sink_new(&st)) == NULL)
		rc = mc_fail(err, MC_ENOMEM, 0, "output", NULL);
	else if ((rc = smime_run(s, plain, sink, err)) == MC_OK &&
	    (mc_b64_finish(&st) == -1 || mc_out_flush(o) == -1))
		rc = mc_fail(err, MC_EIO, o->sys, "output", NULL);
	/* A failed write of ours looks like a plaintext error from here. */
	if (rc != MC_OK && o->failed)
		rc = mc_fail(err, MC_EIO, o->sys, "output", NULL);
	BIO_free(sink);
	free(o);
	return rc;
}
