/* SPDX-License-Identifier: ISC */
/* OpenPGP detached signatures (RFC 3156 5) through GPGME, streaming. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <gpgme.h>

#include "sign.h"

/* An engine that cannot start (no gpg, no gpg-agent) is MC_EUNAVAIL
 * (SPEC 6); a key the signature cannot be made with is MC_EDATA. */
static enum mc_err
pgp_fail(struct mc_error *err, gpgme_error_t ge, const char *what)
{
	switch (gpgme_err_code(ge)) {
	case GPG_ERR_ENOMEM:
		return mc_fail(err, MC_ENOMEM, 0, what, NULL);
	case GPG_ERR_INV_ENGINE:
	case GPG_ERR_ENGINE_TOO_OLD:
	case GPG_ERR_NO_AGENT:
	case GPG_ERR_AGENT:
	case GPG_ERR_ASS_CONNECT_FAILED:
		return mc_fail(err, MC_EUNAVAIL, 0, what, "%s",
		    gpgme_strerror(ge));
	default:
		return mc_fail(err, MC_EDATA, 0, what, "%s",
		    gpgme_strerror(ge));
	}
}

/* Whether gpg-agent cannot be reached (SPEC 6: 69), asked after a key
 * lookup failed: gpg lists no secret key when it cannot start the agent
 * (no-autostart, no socket), and says nothing more. */
static int
agent_down(void)
{
	gpgme_ctx_t a;
	gpgme_error_t ge, op = 0;

	if (gpgme_new(&a) != 0)
		return 0;
	if ((ge = gpgme_set_protocol(a, GPGME_PROTOCOL_ASSUAN)) == 0)
		ge = gpgme_op_assuan_transact_ext(a, "GETINFO version", NULL,
		    NULL, NULL, NULL, NULL, NULL, &op);
	gpgme_release(a);
	return ge != 0;
}

/* The key -u names: one secret key that can sign now. */
static enum mc_err
pgp_key(gpgme_ctx_t ctx, const char *name, struct mc_error *err)
{
	gpgme_key_t k;
	gpgme_error_t ge;
	const char *why = NULL;
	char pat[512];

	/* gpg matches an address as a substring of user IDs ("ed@" is in
	 * "revoked@"); "<address>" matches it exactly. */
	snprintf(pat, sizeof(pat), strchr(name, '@') != NULL &&
	    name[0] != '<' ? "<%s>" : "%s", name);
	ge = gpgme_get_key(ctx, pat, &k, 1);
	if (gpgme_err_code(ge) == GPG_ERR_EOF)
		return mc_fail(err, MC_EDATA, 0, name, "no secret key");
	if (gpgme_err_code(ge) == GPG_ERR_AMBIGUOUS_NAME)
		return mc_fail(err, MC_EDATA, 0, name, "more than one key "
		    "matches; name one by its fingerprint");
	if (ge != 0)
		return pgp_fail(err, ge, name);
	if (k->revoked)
		why = "the key is revoked";
	else if (k->expired)
		why = "the key has expired";
	else if (k->disabled || k->invalid)
		why = "the key is disabled";
	else if (!k->can_sign)
		why = "the key is not for signing";
	if (why == NULL && (ge = gpgme_signers_add(ctx, k)) != 0) {
		gpgme_key_unref(k);
		return pgp_fail(err, ge, name);
	}
	gpgme_key_unref(k);
	return why != NULL ? mc_fail(err, MC_EDATA, 0, name, "%s", why) :
	    MC_OK;
}

/* Why a sign operation failed: gpg's word on the signer, if any. */
static enum mc_err
op_fail(gpgme_ctx_t ctx, gpgme_error_t ge, const char *who,
    struct mc_error *err)
{
	gpgme_sign_result_t r = gpgme_op_sign_result(ctx);

	if (r != NULL && r->invalid_signers != NULL)
		return pgp_fail(err, r->invalid_signers->reason, who);
	return pgp_fail(err, ge, who);
}

/*
 * The hash gpg will sign with, from a signature of nothing by the same
 * key: GPGME cannot choose it (gpg.conf's personal-digest-preferences
 * does), and micalg must name it before the data is signed (RFC 3156 5).
 */
static enum mc_err
pgp_probe(gpgme_ctx_t ctx, const char *who, char *micalg, size_t size,
    struct mc_error *err)
{
	gpgme_data_t in = NULL, out = NULL;
	gpgme_sign_result_t r;
	gpgme_error_t ge;
	const char *h;
	size_t i;

	if ((ge = gpgme_data_new_from_mem(&in, "", 0, 0)) != 0 ||
	    (ge = gpgme_data_new(&out)) != 0 ||
	    (ge = gpgme_op_sign(ctx, in, out, GPGME_SIG_MODE_DETACH)) != 0) {
		gpgme_data_release(in);
		gpgme_data_release(out);
		return op_fail(ctx, ge, who, err);
	}
	gpgme_data_release(in);
	gpgme_data_release(out);
	r = gpgme_op_sign_result(ctx);
	if (r == NULL || r->signatures == NULL || r->signatures->next != NULL ||
	    (h = gpgme_hash_algo_name(r->signatures->hash_algo)) == NULL)
		return mc_fail(err, MC_EDATA, 0, who, "gpg made no signature");
	/* RFC 3156 5: "pgp-" and the hash's name in lower case. */
	i = (size_t)snprintf(micalg, size, "pgp-");
	for (; *h != '\0' && i + 1 < size; h++)
		micalg[i++] = (char)tolower((unsigned char)*h);
	micalg[i] = '\0';
	return MC_OK;
}

/*
 * Streaming.  The data is pushed, GPGME pulls: produce runs in a thread
 * of its own into a pipe that GPGME reads; the armored signature is small
 * and comes back in memory.  GPGME copies our pipe into its own pipe to
 * gpg, one read and one write per poll, 4 KiB at a time by default: a
 * buffer of 1 MiB (GPGME's cap) takes far fewer calls, in constant memory.
 */
#define IOBUF_FLAG	"1048576"

struct producer {
	mc_sign_produce_fn fn;
	void *arg;
	int fd;			/* the pipe's write end */
	enum mc_err rc;
	struct mc_error err;
};

static void *
producer_main(void *arg)
{
	struct producer *pr = arg;

	pr->rc = pr->fn(pr->arg, mc_fd_write, &pr->fd, &pr->err);
	close(pr->fd);
	return NULL;
}

static gpgme_error_t
pgp_sign(gpgme_ctx_t ctx, int fd, struct mc_buf *sig)
{
	gpgme_data_t in = NULL, out = NULL;
	gpgme_error_t ge;
	char *p;
	size_t n;

	/* A GPGME without the io-buffer-size flag copies 4 KiB at a
	 * time: slower, still right, so its refusal is no failure. */
	if ((ge = gpgme_data_new_from_fd(&in, fd)) == 0 &&
	    (gpgme_data_set_flag(in, "io-buffer-size", IOBUF_FLAG), 1) &&
	    (ge = gpgme_data_new(&out)) == 0)
		ge = gpgme_op_sign(ctx, in, out, GPGME_SIG_MODE_DETACH);
	gpgme_data_release(in);
	if (ge == 0 && (p = gpgme_data_release_and_get_mem(out, &n)) != NULL) {
		mc_buf_add(sig, p, n);
		gpgme_free(p);
	} else
		gpgme_data_release(out);
	return ge;
}

static enum mc_err
pgp_run(struct mc_signer *s, mc_sign_produce_fn fn, void *arg,
    struct mc_buf *sig, struct mc_error *err)
{
	gpgme_ctx_t ctx = s->engine;
	gpgme_sign_result_t r;
	struct producer pr;
	gpgme_error_t ge;
	pthread_t t;
	int fds[2];

	memset(&pr, 0, sizeof(pr));
	pr.fn = fn;
	pr.arg = arg;
	/* Close-on-exec: gpg must not hold the write end open. */
	if (pipe(fds) == -1)
		return mc_fail(err, MC_EIO, errno, "pipe", NULL);
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	pr.fd = fds[1];
	if ((errno = pthread_create(&t, NULL, producer_main, &pr)) != 0) {
		close(fds[0]);
		close(fds[1]);
		return mc_fail(err, MC_EIO, errno, "thread", NULL);
	}
	ge = pgp_sign(ctx, fds[0], sig);
	/* A producer still writing gets EPIPE and ends. */
	close(fds[0]);
	pthread_join(t, NULL);
	if (pr.rc != MC_OK && (ge == 0 || pr.err.sys != EPIPE)) {
		*err = pr.err;
		return pr.rc;
	}
	if (ge != 0)
		return op_fail(ctx, ge, "gpg", err);
	/* The hash named in micalg is the one used. */
	r = gpgme_op_sign_result(ctx);
	if (r == NULL || r->signatures == NULL || strcasecmp(s->micalg + 4,
	    gpgme_hash_algo_name(r->signatures->hash_algo)) != 0)
		return mc_fail(err, MC_EDATA, 0, "gpg", "signed with another "
		    "hash than the one it chose before");
	return MC_OK;
}

static void
pgp_free(struct mc_signer *s)
{
	gpgme_release(s->engine);
	free(s);
}

/* RFC 3156 5. */
static const struct mc_signer pgp_signer = {
	.protocol = "application/pgp-signature",
	.type = "application/pgp-signature",
	.name = "signature.asc",
	.run = pgp_run,
	.free = pgp_free
};

enum mc_err
mc_signer_pgp(struct mc_signer **out, const struct mc_sign_opts *o,
    struct mc_error *err)
{
	struct mc_signer *s;
	gpgme_ctx_t ctx;
	gpgme_error_t ge;
	enum mc_err rc = MC_OK;
	const char *who = o->signer != NULL ? o->signer : "default key";
	char want[16];

	*out = NULL;
	gpgme_check_version(NULL);
	if ((ge = gpgme_engine_check_version(GPGME_PROTOCOL_OpenPGP)) != 0)
		return mc_fail(err, MC_EUNAVAIL, 0, "gpg", "%s",
		    gpgme_strerror(ge));
	if ((ge = gpgme_new(&ctx)) != 0)
		return pgp_fail(err, ge, "gpg");
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		gpgme_release(ctx);
		return mc_fail(err, MC_ENOMEM, 0, "gpg", NULL);
	}
	*s = pgp_signer;
	s->engine = ctx;
	gpgme_set_protocol(ctx, GPGME_PROTOCOL_OpenPGP);
	gpgme_set_armor(ctx, 1);
	/* SPEC 6: no prompt, ever; a passphrase comes through gpg-agent. */
	if ((ge = gpgme_set_pinentry_mode(ctx, GPGME_PINENTRY_MODE_ERROR)) != 0)
		rc = pgp_fail(err, ge, "gpg");
	else if (o->signer != NULL && (rc = pgp_key(ctx, o->signer, err)) !=
	    MC_OK)
		;
	else if ((rc = pgp_probe(ctx, who, s->micalg, sizeof(s->micalg),
	    err)) != MC_OK)
		;
	else if (o->digest != NULL && (snprintf(want, sizeof(want),
	    "pgp-%s", o->digest), strcmp(want, s->micalg) != 0))
		rc = mc_fail(err, MC_EUSAGE, 0, who, "gpg signs with %s here, "
		    "not %s (gpg.conf's personal-digest-preferences chooses)",
		    s->micalg + 4, o->digest);
	if (rc == MC_EDATA && agent_down())
		rc = mc_fail(err, MC_EUNAVAIL, 0, "gpg-agent", "cannot be "
		    "reached (%s)", o->signer != NULL ? "no secret key seen" :
		    "no signature made");
	if (rc != MC_OK) {
		pgp_free(s);
		return rc;
	}
	*out = s;
	return MC_OK;
}
