/* SPDX-License-Identifier: ISC */
/* multipart/signed (RFC 1847 2.1; RFC 3156 5; RFC 8551 3.5), streaming. */
#include <stdlib.h>
#include <string.h>

#include "sign.h"
#include "encrypt.h"

/*
 * The first part goes two ways as it is made: to the output in its line
 * ends, and to the engine in CRLF (RFC 3156 5, RFC 8551 3.1.1), so the
 * bytes written are the bytes signed.  mc_signsafe_fd writes LF line ends
 * and no other CR or LF, so the CRLF form is each LF made CRLF.
 */
struct tee {
	struct mc_out *out;
	mc_write_fn engine;
	void *earg;
	int fd;
	const char *name;
	const char *boundary;
	char crlf[64 * 1024];	/* the CRLF form on its way to the engine */
};

static int
tee_write(void *arg, const void *buf, size_t len)
{
	struct tee *t = arg;
	const char *p = buf, *end = p + len, *nl;
	char *crlf = t->crlf;
	size_t k, n = 0;
	int e;

	/* No CR comes from mc_signsafe_fd: the LF output is buf itself. */
	if ((t->out->crlf ? mc_out_text(t->out, buf, len) :
	    mc_out_write(t->out, buf, len)) == -1)
		return t->out->sys != 0 ? t->out->sys : 5;
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		k = (size_t)(nl - p);
		if (n + k + 2 > sizeof(t->crlf)) {
			if (n > 0 && (e = t->engine(t->earg, crlf, n)) != 0)
				return e;
			n = 0;
			if (k + 2 > sizeof(t->crlf)) {
				if ((e = t->engine(t->earg, p, k)) != 0)
					return e;
				k = 0;
			}
		}
		memcpy(crlf + n, p, k);
		n += k;
		if (nl < end) {
			crlf[n++] = '\r';
			crlf[n++] = '\n';
		}
	}
	return n > 0 ? t->engine(t->earg, crlf, n) : 0;
}

/* mc_sign_produce_fn: the sign-safe entity, to the output and to fn. */
static enum mc_err
produce(void *arg, mc_write_fn fn, void *fnarg, struct mc_error *err)
{
	struct tee *t = arg;
	struct mc_signsafe_opts so;

	t->engine = fn;
	t->earg = fnarg;
	so.flags = 0;
	so.boundary = t->boundary;
	return mc_signsafe_fd(t->fd, t->name, tee_write, t, &so, err);
}

static int
put_head(struct mc_out *o, const struct mc_signer *s, const char *b)
{
	const char *const params[] = {
		"protocol", s->protocol, "micalg", s->micalg, "boundary", b,
		NULL
	};

	if (mc_enc_field(o, "Content-Type", "multipart/signed", params) ||
	    mc_out_eol(o) || mc_out_puts(o, "--") || mc_out_puts(o, b))
		return -1;
	return mc_out_eol(o);
}

/* The signature part and the close delimiter. */
static int
put_tail(struct mc_out *o, const struct mc_signer *s, const char *b,
    const struct mc_buf *sig)
{
	const char *const name[] = { "name", s->name, NULL };
	const char *const file[] = { "filename", s->name, NULL };
	struct mc_b64 b64;

	if (mc_out_eol(o) || mc_out_puts(o, "--") || mc_out_puts(o, b) ||
	    mc_out_eol(o) || mc_enc_field(o, "Content-Type", s->type, name) ||
	    mc_enc_field(o, "Content-Disposition", "attachment", file) ||
	    (s->base64 && (mc_out_puts(o, "Content-Transfer-Encoding: "
	    "base64") || mc_out_eol(o))) || mc_out_eol(o))
		return -1;
	if (s->base64) {
		mc_b64_init(&b64, o);
		if (mc_b64_step(&b64, sig->p, sig->len) ||
		    mc_b64_finish(&b64))
			return -1;
	} else if (mc_out_text(o, sig->p, sig->len))
		return -1;
	if (mc_out_eol(o) || mc_out_puts(o, "--") || mc_out_puts(o, b) ||
	    mc_out_puts(o, "--") || mc_out_eol(o))
		return -1;
	return mc_out_flush(o);
}

enum mc_err
mc_signed_write(struct mc_signer *s, int fd, const char *name,
    mc_write_fn fn, void *fnarg, const struct mc_write_opts *opts,
    struct mc_error *err)
{
	char b[MC_BOUNDARY_MAX + 1];
	struct mc_buf sig;
	struct tee t;
	enum mc_err rc;

	memset(&t, 0, sizeof(t));
	mc_buf_init(&sig);
	/* mc_signsafe_fd proves it: no line of the first part starts it. */
	if ((rc = mc_enc_boundary(b, "multipart/signed", opts, err)) != MC_OK)
		return rc;
	if ((t.out = malloc(sizeof(*t.out))) == NULL)
		return mc_fail(err, MC_ENOMEM, 0, "output", NULL);
	mc_out_init(t.out, fn, fnarg, (opts->flags & MC_CRLF) != 0);
	t.fd = fd;
	t.name = name;
	t.boundary = b;
	s->when = mc_source_now(opts->source);
	if (put_head(t.out, s, b) == -1)
		rc = mc_fail(err, MC_EIO, t.out->sys, "output", NULL);
	else if ((rc = s->run(s, produce, &t, &sig, err)) != MC_OK)
		;
	else if (sig.oom)
		rc = mc_fail(err, MC_ENOMEM, 0, "signature", NULL);
	else if (put_tail(t.out, s, b, &sig) == -1)
		rc = mc_fail(err, MC_EIO, t.out->sys, "output", NULL);
	mc_buf_free(&sig);
	free(t.out);
	return rc;
}

void
mc_signer_free(struct mc_signer *s)
{
	if (s != NULL)
		s->free(s);
}
