/* SPDX-License-Identifier: ISC */
/* DKIM signing: RFC 6376 3.5, 3.7, 5 (rsa-sha256), RFC 8463 (ed25519-sha256). */
#include <sys/stat.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "dkim.h"

#define KEY_MAX		(1024 * 1024)	/* octets of a PEM key file */
#define RSA_MIN_BITS	1024		/* RFC 8301 3.2 */
#define IO_CHUNK	MC_OUT_BUF

struct dkim_key {
	EVP_PKEY *pkey;
	enum dkim_alg alg;
};

/*
 * Keys.
 */

/* No passphrase is ever asked for: an encrypted key fails to load. */
static int
no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf, (void)size, (void)rwflag, (void)u;
	return -1;
}

/* The whole key file, NUL-terminated, in *out. */
static enum mc_err
slurp_key(const char *path, char **out, size_t *len, struct mc_error *err)
{
	FILE *f;
	char *p;
	size_t n;

	if ((f = fopen(path, "r")) == NULL)
		return mc_fail(err, MC_ENOINPUT, errno, path, NULL);
	if ((p = malloc(KEY_MAX + 1)) == NULL) {
		fclose(f);
		return mc_fail(err, MC_ENOMEM, 0, path, NULL);
	}
	n = fread(p, 1, KEY_MAX + 1, f);
	if (ferror(f)) {
		fclose(f);
		free(p);
		return mc_fail(err, MC_ENOINPUT, errno, path, NULL);
	}
	fclose(f);
	if (n > KEY_MAX) {
		free(p);
		return mc_fail(err, MC_EDATA, 0, path, "not a PEM private key "
		    "(over 1 MiB)");
	}
	p[n] = '\0';
	*out = p;
	*len = n;
	return MC_OK;
}

/* Why the PEM text p is not a private key we can use. */
static const char *
why_not_key(const char *p)
{
	if (strstr(p, "-----BEGIN ENCRYPTED PRIVATE KEY-----") != NULL ||
	    strstr(p, "Proc-Type: 4,ENCRYPTED") != NULL)
		return "an encrypted private key (no passphrase is asked for)";
	if (strstr(p, "PUBLIC KEY-----") != NULL ||
	    strstr(p, "-----BEGIN CERTIFICATE-----") != NULL)
		return "a public key, not a private key";
	return "not a PEM private key";
}

/* The key's algorithm, checked against the one asked for. */
static enum mc_err
key_check(struct dkim_key *k, const char *path, enum dkim_alg alg,
    struct mc_error *err)
{
	int bits;

	switch (EVP_PKEY_get_base_id(k->pkey)) {
	case EVP_PKEY_RSA:
		k->alg = DKIM_RSA_SHA256;
		bits = EVP_PKEY_get_bits(k->pkey);
		if (bits < RSA_MIN_BITS)
			return mc_fail(err, MC_EDATA, 0, path, "an RSA key of "
			    "%d bits (at least %d, RFC 8301)", bits,
			    RSA_MIN_BITS);
		break;
	case EVP_PKEY_ED25519:
		k->alg = DKIM_ED25519_SHA256;
		break;
	default:
		return mc_fail(err, MC_EDATA, 0, path,
		    "neither an RSA nor an Ed25519 key");
	}
	if (alg != DKIM_ALG_KEY && alg != k->alg)
		return mc_fail(err, MC_EDATA, 0, path, "an %s key, not one "
		    "for %s", k->alg == DKIM_RSA_SHA256 ? "RSA" : "Ed25519",
		    alg == DKIM_RSA_SHA256 ? "rsa-sha256" : "ed25519-sha256");
	return MC_OK;
}

enum mc_err
dkim_key_load(struct dkim_key **out, const char *path, enum dkim_alg alg,
    struct mc_error *err)
{
	struct dkim_key *k;
	enum mc_err rc;
	char *pem = NULL;
	size_t len = 0;
	BIO *bio;

	*out = NULL;
	if ((rc = slurp_key(path, &pem, &len, err)) != MC_OK)
		return rc;
	if ((k = calloc(1, sizeof(*k))) == NULL) {
		free(pem);
		return mc_fail(err, MC_ENOMEM, 0, path, NULL);
	}
	if ((bio = BIO_new_mem_buf(pem, (int)len)) != NULL) {
		k->pkey = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase,
		    NULL);
		BIO_free(bio);
	}
	ERR_clear_error();
	if (k->pkey == NULL)
		rc = mc_fail(err, MC_EDATA, 0, path, "%s", why_not_key(pem));
	else
		rc = key_check(k, path, alg, err);
	free(pem);
	if (rc != MC_OK) {
		dkim_key_free(k);
		return rc;
	}
	*out = k;
	return MC_OK;
}

void
dkim_key_free(struct dkim_key *k)
{
	if (k == NULL)
		return;
	EVP_PKEY_free(k->pkey);
	free(k);
}

enum dkim_alg
dkim_key_alg(const struct dkim_key *k)
{
	return k->alg;
}

/* "rsa" and the SubjectPublicKeyInfo (RFC 6376 3.6.1), or "ed25519" and
 * the raw 32-octet key (RFC 8463 4.2), base64, into b. */
static enum mc_err
public_key(const struct dkim_key *k, struct mc_buf *b, struct mc_error *err)
{
	unsigned char raw[32], *der = NULL;
	size_t n = sizeof(raw);
	char *b64;
	int len;

	if (k->alg == DKIM_ED25519_SHA256) {
		if (EVP_PKEY_get_raw_public_key(k->pkey, raw, &n) != 1)
			return mc_fail(err, MC_EDATA, 0, "key",
			    "no Ed25519 public key");
		der = raw;
		len = (int)n;
	} else if ((len = i2d_PUBKEY(k->pkey, &der)) <= 0)
		return mc_fail(err, MC_ENOMEM, 0, "key", NULL);
	if ((b64 = malloc(4 * ((size_t)len / 3 + 1) + 1)) != NULL) {
		mc_b64_plain(b64, der, (size_t)len);
		mc_buf_printf(b, "v=DKIM1; k=%s; p=%s", k->alg ==
		    DKIM_RSA_SHA256 ? "rsa" : "ed25519", b64);
		free(b64);
	}
	if (der != raw)
		OPENSSL_free(der);
	ERR_clear_error();
	if (b64 == NULL || b->oom)
		return mc_fail(err, MC_ENOMEM, 0, "key", NULL);
	return MC_OK;
}

enum mc_err
dkim_dns(const struct dkim_key *k, const char *selector, const char *domain,
    struct mc_buf *out, struct mc_error *err)
{
	struct mc_buf txt;
	enum mc_err rc;
	size_t i, n;

	mc_buf_init(&txt);
	if ((rc = public_key(k, &txt, err)) != MC_OK) {
		mc_buf_free(&txt);
		return rc;
	}
	mc_buf_printf(out, "%s._domainkey.%s. IN TXT", selector, domain);
	/* RFC 1035 3.3: a character-string holds at most 255 octets. */
	for (i = 0; i < txt.len; i += n) {
		n = txt.len - i > 255 ? 255 : txt.len - i;
		mc_buf_printf(out, " \"%.*s\"", (int)n, txt.p + i);
	}
	mc_buf_addc(out, '\n');
	mc_buf_free(&txt);
	return out->oom ? mc_fail(err, MC_ENOMEM, 0, NULL, NULL) : MC_OK;
}

/*
 * Hashes and signatures.
 */

struct dkim_hash {
	EVP_MD_CTX *md;
	int failed;
	struct mc_dkim_body body;
};

static void
hash_sink(void *arg, const void *p, size_t n)
{
	struct dkim_hash *h = arg;

	if (EVP_DigestUpdate(h->md, p, n) != 1)
		h->failed = 1;
}

struct dkim_hash *
dkim_hash_new(int relaxed)
{
	struct dkim_hash *h;

	if ((h = malloc(sizeof(*h))) == NULL)
		return NULL;
	h->failed = 0;
	if ((h->md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(h->md, EVP_sha256(), NULL) != 1) {
		dkim_hash_free(h);
		return NULL;
	}
	mc_dkim_body_init(&h->body, relaxed, hash_sink, h);
	return h;
}

void
dkim_hash_step(struct dkim_hash *h, const void *p, size_t n)
{
	mc_dkim_body_step(&h->body, p, n);
}

enum mc_err
dkim_hash_final(struct dkim_hash *h, char bh[45], struct mc_error *err)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len;

	mc_dkim_body_finish(&h->body);
	if (h->failed || EVP_DigestFinal_ex(h->md, md, &len) != 1 ||
	    len != 32) {
		ERR_clear_error();
		return mc_fail(err, MC_ENOMEM, 0, "SHA-256", NULL);
	}
	mc_b64_plain(bh, md, len);
	return MC_OK;
}

void
dkim_hash_free(struct dkim_hash *h)
{
	if (h == NULL)
		return;
	EVP_MD_CTX_free(h->md);
	free(h);
}

/* The signature of a SHA-256 digest: RSASSA-PKCS1-v1_5 (RFC 6376
 * 3.3.1), or Ed25519 over the digest (RFC 8463 3). */
static int
sign_digest(const struct dkim_key *k, const unsigned char *md,
    unsigned char *sig, size_t *siglen)
{
	EVP_PKEY_CTX *pc;
	EVP_MD_CTX *mc;
	int ok;

	if (k->alg == DKIM_ED25519_SHA256) {
		if ((mc = EVP_MD_CTX_new()) == NULL)
			return 0;
		ok = EVP_DigestSignInit(mc, NULL, NULL, NULL, k->pkey) == 1 &&
		    EVP_DigestSign(mc, sig, siglen, md, 32) == 1;
		EVP_MD_CTX_free(mc);
		return ok;
	}
	if ((pc = EVP_PKEY_CTX_new(k->pkey, NULL)) == NULL)
		return 0;
	ok = EVP_PKEY_sign_init(pc) == 1 &&
	    EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PADDING) == 1 &&
	    EVP_PKEY_CTX_set_signature_md(pc, EVP_sha256()) == 1 &&
	    EVP_PKEY_sign(pc, sig, siglen, md, 32) == 1;
	EVP_PKEY_CTX_free(pc);
	return ok;
}

enum mc_err
dkim_sign_input(const struct dkim_key *k, const void *p, size_t n,
    struct mc_buf *b64, struct mc_error *err)
{
	unsigned char md[32], *sig;
	size_t siglen = (size_t)EVP_PKEY_get_size(k->pkey);
	char *text;
	int ok;

	if ((sig = malloc(siglen)) == NULL ||
	    (text = malloc(4 * (siglen / 3 + 1) + 1)) == NULL) {
		free(sig);
		return mc_fail(err, MC_ENOMEM, 0, NULL, NULL);
	}
	ok = EVP_Digest(p, n, md, NULL, EVP_sha256(), NULL) == 1 &&
	    sign_digest(k, md, sig, &siglen);
	ERR_clear_error();
	if (ok) {
		mc_b64_plain(text, sig, siglen);
		mc_buf_adds(b64, text);
	}
	free(sig);
	free(text);
	if (!ok)
		return mc_fail(err, MC_EDATA, 0, "key", "signing failed");
	return b64->oom ? mc_fail(err, MC_ENOMEM, 0, NULL, NULL) : MC_OK;
}

/*
 * The DKIM-Signature field.
 */

/* SPEC 6: the fields signed by default (RFC 6376 5.4.1), List-* too. */
static const char *const default_fields[] = {
	"From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID",
	"In-Reply-To", "References", "MIME-Version", "Content-Type",
	"Content-Transfer-Encoding",
};

static int
name_is(const struct mc_dkim_field *f, const char *name, size_t n)
{
	return f->namelen == n && strncasecmp(f->p, name, n) == 0;
}

/* Whether f is a field to sign: one the -h list names, else a default. */
static int
to_sign(const struct mc_dkim_field *f, const char *fields)
{
	size_t i, n;

	if (fields == NULL) {
		for (i = 0; i < sizeof(default_fields) /
		    sizeof(default_fields[0]); i++)
			if (name_is(f, default_fields[i],
			    strlen(default_fields[i])))
				return 1;
		return f->namelen > 5 && strncasecmp(f->p, "List-", 5) == 0;
	}
	for (; *fields != '\0'; fields += n + (fields[n] == ':'))
		if (name_is(f, fields, n = strcspn(fields, ":")))
			return 1;
	return 0;
}

/* The h= list: each field to sign, top to bottom, as many times as it
 * occurs, and From once more, so that no From can be added (RFC 6376
 * 8.15, "over-signing"). */
static void
sign_list(struct mc_buf *h, const struct mc_dkim_field *v, size_t nv,
    const char *fields)
{
	size_t i;

	for (i = 0; i < nv; i++)
		if (to_sign(&v[i], fields)) {
			mc_buf_add(h, v[i].p, v[i].namelen);
			mc_buf_addc(h, ':');
		}
	mc_buf_adds(h, "From");
}

/* Folding within 78 columns: before a token that would pass them. */
struct fold {
	struct mc_buf *b;
	size_t col;
};

static void
fold_add(struct fold *f, const char *s, size_t n, int space)
{
	if (f->col + (space != 0) + n > MC_FOLD_COLS && f->col > 1) {
		mc_buf_adds(f->b, "\n ");
		f->col = 1;
	} else if (space) {
		mc_buf_addc(f->b, ' ');
		f->col++;
	}
	mc_buf_add(f->b, s, n);
	f->col += n;
}

/* A base64 value, broken anywhere (RFC 6376 3.5: FWS inside b=). */
static void
fold_value(struct fold *f, const char *s, size_t n)
{
	size_t k;

	while (n > 0) {
		if (f->col >= MC_FOLD_COLS) {
			mc_buf_adds(f->b, "\n ");
			f->col = 1;
		}
		k = MC_FOLD_COLS - f->col < n ? MC_FOLD_COLS - f->col : n;
		mc_buf_add(f->b, s, k);
		f->col += k;
		s += k;
		n -= k;
	}
}

static void
fold_tag(struct fold *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
fold_tag(struct fold *f, const char *fmt, ...)
{
	char tok[600];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tok, sizeof(tok), fmt, ap);
	va_end(ap);
	if (n > 0)
		fold_add(f, tok, (size_t)n < sizeof(tok) ? (size_t)n :
		    sizeof(tok) - 1, 1);
}

/* The field up to an empty "b=" (RFC 6376 3.5), "\n" line ends; the tags
 * in a fixed order, b= last so that its value can be folded on. */
static void
field_begin(struct fold *f, const struct dkim_opts *o, enum dkim_alg alg,
    const char *hlist, const char *bh)
{
	struct mc_buf last;
	size_t n;

	fold_add(f, "DKIM-Signature:", 15, 0);
	fold_tag(f, "v=1;");
	fold_tag(f, "a=%s;", alg == DKIM_RSA_SHA256 ? "rsa-sha256" :
	    "ed25519-sha256");
	fold_tag(f, "c=%s/%s;", o->hrelaxed ? "relaxed" : "simple",
	    o->brelaxed ? "relaxed" : "simple");
	fold_tag(f, "d=%s;", o->domain);
	fold_tag(f, "s=%s;", o->selector);
	fold_tag(f, "t=%lld;", (long long)o->now);
	if (o->expire > 0)
		fold_tag(f, "x=%lld;", (long long)o->now + o->expire);
	fold_add(f, "h=", 2, 1);
	for (; *hlist != '\0'; hlist += n) {
		/* FWS may follow each colon (3.5, sig-h-tag). */
		if (hlist[n = strcspn(hlist, ":")] == ':') {
			fold_add(f, hlist, n + 1, 0);
			n++;
			continue;
		}
		mc_buf_init(&last);
		mc_buf_add(&last, hlist, n);
		mc_buf_addc(&last, ';');
		fold_add(f, last.p, last.len, 0);
		mc_buf_free(&last);
	}
	fold_tag(f, "bh=%s;", bh);
	fold_add(f, "b=", 2, 1);
}

/*
 * The message: two passes.
 */

struct dkim_msg {
	struct mc_input in;
	struct stat st;		/* a regular file as the first pass began */
	int regular;
	uint64_t total;		/* bytes read by the first pass */
	struct mc_buf hdr;	/* the header block, its empty line included */
	struct mc_buf field;	/* DKIM-Signature, "\n" line ends */
	int crlf;		/* the message's line ends */
	unsigned char *buf;
};

/* Offset just past the empty line that ends the header block, or 0;
 * an empty first line ends an empty one. */
static size_t
header_end(const char *p, size_t n, size_t from)
{
	if (from == 0 && n > 0 && p[0] == '\n')
		return 1;
	if (from == 0 && n > 1 && p[0] == '\r' && p[1] == '\n')
		return 2;
	return mc_header_end(p, n, from);
}

/* The first pass: the header block into m->hdr, the body hashed. */
static enum mc_err
first_pass(struct dkim_msg *m, struct dkim_hash *h, struct mc_error *err)
{
	const char *name = m->in.name;
	size_t end = 0, scanned = 0;
	ssize_t k;

	while ((k = mc_input_read(&m->in, m->buf, IO_CHUNK, err)) > 0) {
		m->total += (uint64_t)k;
		if (end != 0) {
			dkim_hash_step(h, m->buf, (size_t)k);
			continue;
		}
		mc_buf_add(&m->hdr, m->buf, (size_t)k);
		if (m->hdr.oom)
			return mc_fail(err, MC_ENOMEM, 0, name, NULL);
		if ((end = header_end(m->hdr.p, m->hdr.len, scanned)) == 0) {
			if (m->hdr.len > MC_HEADER_MAX)
				return mc_fail(err, MC_EDATA, 0, name, "not a "
				    "message: no empty line within 256 KiB");
			scanned = m->hdr.len > 2 ? m->hdr.len - 2 : 0;
			continue;
		}
		if (end > MC_HEADER_MAX)
			return mc_fail(err, MC_EDATA, 0, name,
			    "a header block over 256 KiB");
		dkim_hash_step(h, m->hdr.p + end, m->hdr.len - end);
		m->hdr.len = end;
	}
	if (k < 0)
		return err->code;
	if (end == 0)
		return mc_fail(err, MC_EDATA, 0, name, "not a message: %s",
		    m->hdr.len == 0 ? "empty input" :
		    "no empty line after the header");
	return MC_OK;
}

/* Exactly one From (RFC 5322 3.6, RFC 6376 5.4: From must be signed). */
static enum mc_err
check_from(const struct mc_dkim_field *v, size_t nv, const char *name,
    struct mc_error *err)
{
	size_t i, from = 0;

	for (i = 0; i < nv; i++)
		from += name_is(&v[i], "From", 4);
	if (from != 1)
		return mc_fail(err, MC_EDATA, 0, name, from == 0 ?
		    "no From field" : "more than one From field");
	return MC_OK;
}

/* The header: its fields, the h= list, the field and its signature. */
static enum mc_err
sign_header(struct dkim_msg *m, const struct dkim_opts *o,
    const struct dkim_key *k, const char *bh, struct mc_error *err)
{
	struct mc_dkim_field *v;
	struct mc_buf hl, in, b64;
	struct fold f = { &m->field, 0 };
	size_t nv, block = m->hdr.len - 1 - (m->hdr.len >= 2 &&
	    m->hdr.p[m->hdr.len - 2] == '\r');
	enum mc_err rc;

	if ((v = calloc(MC_FIELDS_MAX, sizeof(*v))) == NULL)
		return mc_fail(err, MC_ENOMEM, 0, NULL, NULL);
	mc_buf_init(&hl);
	mc_buf_init(&in);
	mc_buf_init(&b64);
	if ((rc = mc_dkim_split(m->hdr.p, block, v, MC_FIELDS_MAX, &nv,
	    m->in.name, err)) != MC_OK ||
	    (rc = check_from(v, nv, m->in.name, err)) != MC_OK)
		goto out;
	sign_list(&hl, v, nv, o->fields);
	field_begin(&f, o, k->alg, hl.p, bh);
	mc_dkim_header_input(&in, v, nv, hl.p, m->field.p, m->field.len,
	    o->hrelaxed);
	if (hl.oom || in.oom || m->field.oom) {
		rc = mc_fail(err, MC_ENOMEM, 0, NULL, NULL);
		goto out;
	}
	if ((rc = dkim_sign_input(k, in.p, in.len, &b64, err)) != MC_OK)
		goto out;
	fold_value(&f, b64.p, b64.len);
	mc_buf_addc(&m->field, '\n');
	if (m->field.oom)
		rc = mc_fail(err, MC_ENOMEM, 0, NULL, NULL);
out:
	free(v);
	mc_buf_free(&hl);
	mc_buf_free(&in);
	mc_buf_free(&b64);
	return rc;
}

enum mc_err
dkim_read(struct dkim_msg **out, const struct dkim_opts *o,
    const struct dkim_key *k, int fd, const char *name,
    struct mc_error *err)
{
	struct dkim_msg *m;
	struct dkim_hash *h = NULL;
	char bh[45];
	const char *nl;
	enum mc_err rc;

	*out = NULL;
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return mc_fail(err, MC_ENOMEM, 0, name, NULL);
	mc_input_init(&m->in);
	if ((m->buf = malloc(IO_CHUNK)) == NULL ||
	    (h = dkim_hash_new(o->brelaxed)) == NULL) {
		dkim_msg_free(m);
		return mc_fail(err, MC_ENOMEM, 0, name, NULL);
	}
	m->in.kind = MC_IN_FD;
	m->in.fd = fd;
	if ((m->in.name = mc_strdup(name)) == NULL)
		rc = mc_fail(err, MC_ENOMEM, 0, name, NULL);
	else if (fstat(fd, &m->st) == -1)
		rc = mc_fail(err, MC_ENOINPUT, errno, name, NULL);
	else if ((m->regular = S_ISREG(m->st.st_mode)),
	    (rc = mc_input_open(&m->in, 1, NULL, err)) == MC_OK &&
	    (rc = first_pass(m, h, err)) == MC_OK &&
	    (rc = dkim_hash_final(h, bh, err)) == MC_OK) {
		/* The output keeps the line ends of the first line. */
		nl = memchr(m->hdr.p, '\n', m->hdr.len);
		m->crlf = nl != NULL && nl > m->hdr.p && nl[-1] == '\r';
		rc = sign_header(m, o, k, bh, err);
	}
	dkim_hash_free(h);
	if (rc != MC_OK) {
		dkim_msg_free(m);
		return rc;
	}
	*out = m;
	return MC_OK;
}

/* The field in the message's line ends. */
static int
write_field(struct mc_out *o, const struct dkim_msg *m)
{
	const char *p = m->field.p, *nl;

	while ((nl = memchr(p, '\n', m->field.len - (size_t)(p -
	    m->field.p))) != NULL) {
		if (mc_out_write(o, p, (size_t)(nl - p)) == -1 ||
		    mc_out_write(o, m->crlf ? "\r\n" : "\n", 1 + m->crlf) == -1)
			return -1;
		p = nl + 1;
	}
	return 0;
}

static enum mc_err
changed(const struct dkim_msg *m, struct mc_error *err)
{
	return mc_fail(err, MC_EIO, 0, m->in.name,
	    "changed while it was being signed");
}

/* The second pass: what the first read, checked against it, to o. */
static enum mc_err
second_pass(struct dkim_msg *m, struct mc_out *o, struct mc_error *err)
{
	struct stat st;
	uint64_t pos = 0;
	size_t n;
	ssize_t k;

	while ((k = mc_input_read(&m->in, m->buf, IO_CHUNK, err)) > 0) {
		if (pos < m->hdr.len) {
			n = m->hdr.len - pos < (size_t)k ? m->hdr.len - pos :
			    (size_t)k;
			if (memcmp(m->buf, m->hdr.p + pos, n) != 0)
				return changed(m, err);
		}
		pos += (uint64_t)k;
		if (mc_out_write(o, m->buf, (size_t)k) == -1)
			return mc_fail(err, MC_EIO, o->sys, "", NULL);
	}
	if (k < 0)
		return err->code;
	if (pos != m->total)
		return changed(m, err);
	if (m->regular && (fstat(m->in.fd, &st) == -1 ||
	    st.st_dev != m->st.st_dev || st.st_ino != m->st.st_ino ||
	    st.st_size != m->st.st_size ||
	    st.st_mtim.tv_sec != m->st.st_mtim.tv_sec ||
	    st.st_mtim.tv_nsec != m->st.st_mtim.tv_nsec))
		return changed(m, err);
	return MC_OK;
}

enum mc_err
dkim_write(struct dkim_msg *m, mc_write_fn fn, void *arg,
    struct mc_error *err)
{
	struct mc_out *o;
	enum mc_err rc;

	if ((o = malloc(sizeof(*o))) == NULL)
		return mc_fail(err, MC_ENOMEM, 0, NULL, NULL);
	mc_out_init(o, fn, arg, m->crlf);
	if ((rc = mc_input_rewind(&m->in, err)) == MC_OK) {
		if (write_field(o, m) == -1)
			rc = mc_fail(err, MC_EIO, o->sys, "", NULL);
		else if ((rc = second_pass(m, o, err)) == MC_OK &&
		    mc_out_flush(o) == -1)
			rc = mc_fail(err, MC_EIO, o->sys, "", NULL);
	}
	free(o);
	return rc;
}

void
dkim_msg_free(struct dkim_msg *m)
{
	if (m == NULL)
		return;
	mc_input_close(&m->in);
	mc_buf_free(&m->hdr);
	mc_buf_free(&m->field);
	free(m->buf);
	free(m);
}

/*
 * Options.
 */

int
dkim_parse_alg(const char *name, enum dkim_alg *alg)
{
	if (strcasecmp(name, "rsa-sha256") == 0)
		*alg = DKIM_RSA_SHA256;
	else if (strcasecmp(name, "ed25519-sha256") == 0)
		*alg = DKIM_ED25519_SHA256;
	else
		return -1;
	return 0;
}

/* 1 for relaxed, 0 for simple, -1 for anything else: s[0..n). */
static int
canon_name(const char *s, size_t n)
{
	if (n == 7 && strncasecmp(s, "relaxed", 7) == 0)
		return 1;
	if (n == 6 && strncasecmp(s, "simple", 6) == 0)
		return 0;
	return -1;
}

int
dkim_parse_canon(const char *s, struct dkim_opts *o)
{
	size_t n = strcspn(s, "/");
	int h, b = 0;

	if ((h = canon_name(s, n)) == -1 ||
	    (s[n] == '/' && (b = canon_name(s + n + 1, strlen(s + n + 1))) ==
	    -1))
		return -1;
	o->hrelaxed = h;
	o->brelaxed = b;
	return 0;
}

/* A domain name as d= and s= take it (RFC 6376 3.5, sub-domain). */
static int
is_domain(const char *s)
{
	size_t label = 0, n = 0;

	for (; *s != '\0'; s++, n++) {
		if (*s == '.') {
			if (label == 0 || s[-1] == '-')
				return 0;
			label = 0;
		} else if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' &&
		    *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		    (*s == '-' && label > 0)) {
			if (++label > 63)
				return 0;
		} else
			return 0;
	}
	return label > 0 && s[-1] != '-' && n <= 253;
}

/* RFC 5322 3.6.8: printable ASCII but the colon. */
static int
is_field_name(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] <= 32 || s[i] >= 127)
			return 0;
	return n > 0;
}

enum mc_err
dkim_opts_check(const struct dkim_opts *o, struct mc_error *err)
{
	const char *s;
	size_t n;
	int from = 0;

	if (!is_domain(o->domain))
		return mc_fail(err, MC_EUSAGE, 0, "-d", "not a domain name: "
		    "\"%.60s\"", o->domain);
	if (!is_domain(o->selector))
		return mc_fail(err, MC_EUSAGE, 0, "-s", "not a selector (a "
		    "domain name): \"%.60s\"", o->selector);
	if (o->fields == NULL)
		return MC_OK;
	for (s = o->fields; ; s += n + 1) {
		n = strcspn(s, ":");
		if (!is_field_name(s, n))
			return mc_fail(err, MC_EUSAGE, 0, "-h", "not a list of "
			    "field names: \"%.60s\"", o->fields);
		from |= n == 4 && strncasecmp(s, "From", 4) == 0;
		if (s[n] == '\0')
			break;
	}
	if (!from)
		return mc_fail(err, MC_EUSAGE, 0, "-h",
		    "From is not in the list (RFC 6376 5.4)");
	return MC_OK;
}
