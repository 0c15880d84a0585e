/* SPDX-License-Identifier: ISC */
/* PGP/MIME encryption (RFC 3156 4, 6.2) through GPGME, streaming. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <gpgme.h>

#include "encrypt.h"

struct mc_pgp {
	gpgme_ctx_t ctx;
	gpgme_key_t *keys;	/* the recipients, NULL-terminated */
	int sign;
	int trust_all;
};

/* Whether a GPGME error means the engine cannot be started (no gpg, no
 * gpg-agent): MC_EUNAVAIL, SPEC 6. */
static int
unavailable(gpgme_error_t ge)
{
	switch (gpgme_err_code(ge)) {
	case GPG_ERR_INV_ENGINE:
	case GPG_ERR_ENGINE_TOO_OLD:
	case GPG_ERR_NO_AGENT:
	case GPG_ERR_AGENT:
	case GPG_ERR_ASS_CONNECT_FAILED:
		return 1;
	default:
		return 0;
	}
}

/* A GPGME error; one that is not the engine's concerns the keys or the
 * data. */
static enum mc_err
gpg_fail(struct mc_error *err, gpgme_error_t ge, const char *what)
{
	enum mc_err code = MC_EDATA;

	if (gpgme_err_code(ge) == GPG_ERR_ENOMEM)
		code = MC_ENOMEM;
	else if (unavailable(ge))
		code = MC_EUNAVAIL;
	return mc_fail(err, code, 0, what, "%s", gpgme_strerror(ge));
}

/* Whether gpg-agent answers.  gpg starts it to list secret keys, and
 * lists none, with no error, when it cannot. */
static int
agent_up(void)
{
	gpgme_ctx_t a;
	gpgme_error_t ge, op = 0;

	if (gpgme_new(&a) != 0)
		return 1;
	ge = gpgme_set_protocol(a, GPGME_PROTOCOL_ASSUAN);
	if (ge == 0)
		ge = gpgme_op_assuan_transact_ext(a, "NOP", NULL, NULL, NULL,
		    NULL, NULL, NULL, &op);
	gpgme_release(a);
	return ge == 0;
}

/* Why key k cannot serve (as a recipient, or as the signer when secret),
 * or NULL.  addr: the address it was looked up by, or NULL. */
static const char *
unusable(gpgme_key_t k, int secret, const char *addr, int trust_all)
{
	gpgme_user_id_t u;
	gpgme_validity_t v = GPGME_VALIDITY_UNKNOWN;

	if (k->revoked)
		return "the key is revoked";
	if (k->expired)
		return "the key has expired";
	if (k->disabled || k->invalid)
		return "the key is disabled";
	if (secret)
		return k->can_sign ? NULL : "the key is not for signing";
	if (!k->can_encrypt)
		return "the key is not for encryption";
	if (trust_all)
		return NULL;
	/* The user ID it was named by, or the best one (as gpg does). */
	for (u = k->uids; u != NULL; u = u->next)
		if (!u->revoked && !u->invalid && u->validity > v &&
		    (addr == NULL || (u->email != NULL &&
		    strcasecmp(u->email, addr) == 0)))
			v = u->validity;
	if (v < GPGME_VALIDITY_MARGINAL)
		return "the key is not valid (its owner is not certified; "
		    "--trust-all to use it anyway)";
	return NULL;
}

/* The one usable key that name (a key ID, fingerprint or address) names. */
static enum mc_err
find_key(struct mc_pgp *p, const char *name, int secret, gpgme_key_t *out,
    struct mc_error *err)
{
	gpgme_key_t k, found = NULL;
	gpgme_error_t ge;
	const char *why = "no such key", *w, *addr = NULL;
	char pat[512];
	int n = 0;

	/* gpg matches a bare address as a substring; <addr> exactly. */
	if (strchr(name, '@') != NULL && name[0] != '<') {
		addr = name;
		snprintf(pat, sizeof(pat), "<%s>", name);
	} else
		snprintf(pat, sizeof(pat), "%s", name);
	if ((ge = gpgme_op_keylist_start(p->ctx, pat, secret)) != 0)
		return gpg_fail(err, ge, name);
	while ((ge = gpgme_op_keylist_next(p->ctx, &k)) == 0) {
		if ((w = unusable(k, secret, addr, p->trust_all)) != NULL) {
			why = w;
			gpgme_key_unref(k);
			continue;
		}
		if (n++ == 0)
			found = k;
		else
			gpgme_key_unref(k);
	}
	gpgme_op_keylist_end(p->ctx);
	if (gpgme_err_code(ge) != GPG_ERR_EOF) {
		gpgme_key_unref(found);
		return gpg_fail(err, ge, name);
	}
	if (n == 0 && secret && !agent_up())
		return mc_fail(err, MC_EUNAVAIL, 0, "gpg-agent",
		    "cannot be reached or started");
	if (n == 0)
		return mc_fail(err, MC_EDATA, 0, name, "%s", why);
	if (n > 1) {
		gpgme_key_unref(found);
		return mc_fail(err, MC_EDATA, 0, name, "%d keys match; "
		    "name one by its fingerprint", n);
	}
	*out = found;
	return MC_OK;
}

static enum mc_err
pgp_keys(struct mc_pgp *p, const struct mc_enc_opts *o, struct mc_error *err)
{
	gpgme_key_t k;
	gpgme_error_t ge;
	enum mc_err rc;
	size_t i;

	if ((p->keys = calloc(o->nrcpt + 1, sizeof(*p->keys))) == NULL)
		return mc_fail(err, MC_ENOMEM, 0, "keys", NULL);
	for (i = 0; i < o->nrcpt; i++)
		if ((rc = find_key(p, o->rcpt[i], 0, &p->keys[i], err)) !=
		    MC_OK)
			return rc;
	if (!o->sign || o->signer == NULL)
		return MC_OK;
	if ((rc = find_key(p, o->signer, 1, &k, err)) != MC_OK)
		return rc;
	ge = gpgme_signers_add(p->ctx, k);
	gpgme_key_unref(k);
	return ge != 0 ? gpg_fail(err, ge, o->signer) : MC_OK;
}

enum mc_err
mc_pgp_new(struct mc_pgp **out, const struct mc_enc_opts *o,
    struct mc_error *err)
{
	struct mc_pgp *p;
	gpgme_error_t ge;
	enum mc_err rc;

	*out = NULL;
	gpgme_check_version(NULL);
	if ((ge = gpgme_engine_check_version(GPGME_PROTOCOL_OpenPGP)) != 0)
		return mc_fail(err, MC_EUNAVAIL, 0, "gpg", "%s",
		    gpgme_strerror(ge));
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return mc_fail(err, MC_ENOMEM, 0, "gpg", NULL);
	p->sign = o->sign;
	p->trust_all = o->trust_all;
	if ((ge = gpgme_new(&p->ctx)) != 0) {
		free(p);
		return gpg_fail(err, ge, "gpg");
	}
	gpgme_set_protocol(p->ctx, GPGME_PROTOCOL_OpenPGP);
	gpgme_set_armor(p->ctx, 1);
	/* SPEC 6: no prompt, ever; a passphrase comes through gpg-agent. */
	if ((ge = gpgme_set_pinentry_mode(p->ctx, GPGME_PINENTRY_MODE_ERROR))
	    != 0) {
		mc_pgp_free(p);
		return gpg_fail(err, ge, "gpg");
	}
	if ((rc = pgp_keys(p, o, err)) != MC_OK) {
		mc_pgp_free(p);
		return rc;
	}
	*out = p;
	return MC_OK;
}

void
mc_pgp_free(struct mc_pgp *p)
{
	gpgme_key_t *k;

	if (p == NULL)
		return;
	for (k = p->keys; k != NULL && *k != NULL; k++)
		gpgme_key_unref(*k);
	free(p->keys);
	gpgme_release(p->ctx);
	free(p);
}

/*
 * Streaming.  The plaintext writer pushes, GPGME pulls: the writer runs
 * in a thread of its own into a pipe that GPGME reads through a data
 * callback; the armored ciphertext comes back through another one and
 * goes out as it comes.
 */

#define PUMP_SIZE "65536"

struct producer {
	const struct mc_plain *plain;
	int fd;			/* the pipe's write end */
	enum mc_err rc;
	struct mc_error err;
};

static void *
produce(void *arg)
{
	struct producer *pr = arg;

	pr->rc = pr->plain->write(pr->plain->arg, mc_fd_write, &pr->fd,
	    &pr->err);
	close(pr->fd);
	return NULL;
}

static ssize_t
plain_read(void *handle, void *buf, size_t n)
{
	int fd = *(int *)handle;
	ssize_t k;

	do
		k = read(fd, buf, n);
	while (k == -1 && errno == EINTR);
	return k;
}

struct armor {
	struct mc_out *out;
	struct mc_bound seen;
	int bad;		/* a line that could be a delimiter */
};

static ssize_t
armor_write(void *handle, const void *buf, size_t n)
{
	struct armor *a = handle;

	mc_bound_step(&a->seen, buf, n);
	if (mc_bound_any(&a->seen)) {
		a->bad = 1;
		errno = EINVAL;
		return -1;
	}
	if (mc_out_text(a->out, buf, n) == -1) {
		errno = a->out->sys != 0 ? a->out->sys : EIO;
		return -1;
	}
	return (ssize_t)n;
}

/* The first lines of the multipart/encrypted (RFC 3156 4), up to the
 * body of the second part. */
static int
put_head(struct mc_out *o, const char *boundary)
{
	const char *const top[] = {
		"protocol", "application/pgp-encrypted",
		"boundary", boundary, NULL
	};
	const char *const name[] = { "name", "encrypted.asc", NULL };
	const char *const file[] = { "filename", "encrypted.asc", NULL };

	if (mc_enc_field(o, "Content-Type", "multipart/encrypted", top) ||
	    mc_out_eol(o) || mc_out_puts(o, "--") ||
	    mc_out_puts(o, boundary) || mc_out_eol(o) ||
	    mc_enc_field(o, "Content-Type", "application/pgp-encrypted",
	    NULL) ||
	    mc_out_eol(o) || mc_out_puts(o, "Version: 1") || mc_out_eol(o) ||
	    mc_out_eol(o) || mc_out_puts(o, "--") ||
	    mc_out_puts(o, boundary) || mc_out_eol(o) ||
	    mc_enc_field(o, "Content-Type", "application/octet-stream",
	    name) ||
	    mc_enc_field(o, "Content-Disposition", "inline", file))
		return -1;
	return mc_out_eol(o);
}

static int
put_tail(struct mc_out *o, const char *boundary)
{
	if (mc_out_eol(o) || mc_out_puts(o, "--") ||
	    mc_out_puts(o, boundary) || mc_out_puts(o, "--") ||
	    mc_out_eol(o))
		return -1;
	return mc_out_flush(o);
}

/* Why the operation failed: gpg's own detail when it names a key. */
static enum mc_err
op_fail(struct mc_pgp *p, gpgme_error_t ge, struct mc_error *err)
{
	gpgme_encrypt_result_t er = gpgme_op_encrypt_result(p->ctx);
	gpgme_sign_result_t sr = p->sign ? gpgme_op_sign_result(p->ctx) : NULL;

	if (unavailable(ge))
		return gpg_fail(err, ge, "gpg");
	if (er != NULL && er->invalid_recipients != NULL)
		return mc_fail(err, MC_EDATA, 0,
		    er->invalid_recipients->fpr ? er->invalid_recipients->fpr :
		    "recipient", "%s",
		    gpgme_strerror(er->invalid_recipients->reason));
	if (sr != NULL && sr->invalid_signers != NULL)
		return mc_fail(err, MC_EDATA, 0,
		    sr->invalid_signers->fpr ? sr->invalid_signers->fpr :
		    "signer", "%s", gpgme_strerror(sr->invalid_signers->reason));
	return gpg_fail(err, ge, "gpg");
}

/* Runs the engine over the plaintext, the ciphertext into a. */
static enum mc_err
pgp_run(struct mc_pgp *p, const struct mc_plain *plain, struct armor *a,
    struct mc_error *err)
{
	struct gpgme_data_cbs in_cbs = { plain_read, NULL, NULL, NULL };
	struct gpgme_data_cbs out_cbs = { NULL, armor_write, NULL, NULL };
	struct producer pr;
	gpgme_data_t in = NULL, out = NULL;
	gpgme_error_t ge;
	pthread_t t;
	int fds[2];

	memset(&pr, 0, sizeof(pr));
	pr.plain = plain;
	/* Close-on-exec: gpg must not hold the write end open. */
	if (pipe(fds) == -1)
		return mc_fail(err, MC_EIO, errno, "pipe", NULL);
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	pr.fd = fds[1];
	if ((errno = pthread_create(&t, NULL, produce, &pr)) != 0) {
		close(fds[0]);
		close(fds[1]);
		return mc_fail(err, MC_EIO, errno, "thread", NULL);
	}
	ge = gpgme_data_new_from_cbs(&in, &in_cbs, &fds[0]);
	if (ge == 0)
		ge = gpgme_data_new_from_cbs(&out, &out_cbs, a);
	/* GPGME moves 4 KiB per step of its event loop by default; a
	 * pipe's worth (64 KiB) takes 16 times fewer steps. */
	if (ge == 0)
		ge = gpgme_data_set_flag(in, "io-buffer-size", PUMP_SIZE);
	if (ge == 0)
		ge = gpgme_data_set_flag(out, "io-buffer-size", PUMP_SIZE);
	if (ge == 0)
		ge = (p->sign ? gpgme_op_encrypt_sign : gpgme_op_encrypt)(
		    p->ctx, p->keys, p->trust_all ? GPGME_ENCRYPT_ALWAYS_TRUST :
		    0, in, out);
	/* A writer still writing gets EPIPE and ends. */
	close(fds[0]);
	pthread_join(t, NULL);
	gpgme_data_release(in);
	gpgme_data_release(out);
	if (a->bad)
		return mc_fail(err, MC_EDATA, 0, "gpg",
		    "a line like a MIME boundary in the armored output");
	if (a->out->failed)
		return mc_fail(err, MC_EIO, a->out->sys, "output", NULL);
	if (pr.rc != MC_OK && (ge == 0 || pr.err.sys != EPIPE)) {
		*err = pr.err;
		return pr.rc;
	}
	return ge != 0 ? op_fail(p, ge, err) : MC_OK;
}

enum mc_err
mc_pgp_write(struct mc_pgp *p, const struct mc_plain *plain, mc_write_fn fn,
    void *fnarg, const struct mc_write_opts *opts, struct mc_error *err)
{
	char boundary[MC_BOUNDARY_MAX + 1];
	struct armor a;
	enum mc_err rc;

	memset(&a, 0, sizeof(a));
	/* Armor lines never start "--=_" (bound.c), and armor_write
	 * makes sure. */
	if ((rc = mc_enc_boundary(boundary, "multipart/encrypted", opts, err))
	    != MC_OK)
		return rc;
	if ((a.out = malloc(sizeof(*a.out))) == NULL)
		return mc_fail(err, MC_ENOMEM, 0, "output", NULL);
	mc_out_init(a.out, fn, fnarg, (opts->flags & MC_CRLF) != 0);
	mc_bound_init(&a.seen);
	if (put_head(a.out, boundary) == -1)
		rc = mc_fail(err, MC_EIO, a.out->sys, "output", NULL);
	else if ((rc = pgp_run(p, plain, &a, err)) == MC_OK &&
	    put_tail(a.out, boundary) == -1)
		rc = mc_fail(err, MC_EIO, a.out->sys, "output", NULL);
	free(a.out);
	return rc;
}
