/* SPDX-License-Identifier: ISC */
/* mime-encrypt: an encrypted entity, PGP/MIME or S/MIME (SPEC 6). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tool.h"
#include "../crypto/encrypt.h"
#include "../crypto/sign.h"

static const char usage[] =
    "[--pgp | --smime] -r RECIPIENT ...\n"
    "[--sign [-u KEYID | --cert FILE [--key FILE]]] [--trust-all]\n"
    "[--cipher aes-256-cbc|aes-256-gcm] [-o FILE] [--crlf] [ENTITY]";

struct job {
	int fd;			/* the entity */
	const char *name;
	const struct mc_write_opts *opts;
	struct mc_pgp *pgp;
	struct mc_smime *smime;
	struct mc_signer *signer;	/* S/MIME --sign */
};

/* The plaintext: the entity's sign-safe form (mc_signsafe_fd), CRLF, so
 * that it decrypts to an entity that parses to the same tree. */
static enum mc_err
plain_entity(void *arg, mc_write_fn fn, void *fnarg, struct mc_error *err)
{
	struct job *j = arg;
	struct mc_signsafe_opts so;

	memset(&so, 0, sizeof(so));
	so.flags = MC_CRLF;
	return mc_signsafe_fd(j->fd, j->name, fn, fnarg, &so, err);
}

/* S/MIME --sign: mime-sign's multipart/signed, CRLF (RFC 8551 3.6). */
static enum mc_err
plain_signed(void *arg, mc_write_fn fn, void *fnarg, struct mc_error *err)
{
	struct job *j = arg;
	struct mc_write_opts opts = *j->opts;

	opts.flags = MC_CRLF;
	return mc_signed_write(j->signer, j->fd, j->name, fn, fnarg, &opts,
	    err);
}

static enum mc_err
emit(void *arg, mc_write_fn fn, void *fnarg, const struct mc_write_opts *opts,
    struct mc_error *err)
{
	struct job *j = arg;
	struct mc_plain plain = { plain_entity, j };

	j->opts = opts;
	if (j->signer != NULL)
		plain.write = plain_signed;
	if (j->pgp != NULL)
		return mc_pgp_write(j->pgp, &plain, fn, fnarg, opts, err);
	return mc_smime_write(j->smime, &plain, fn, fnarg, opts, err);
}

/* The options, checked for usage errors. */
struct args {
	struct mc_enc_opts o;
	const char *cert, *key, *cipher;
	int pgp, smime;
};

static void
check_args(struct args *a, int argc, char *argv[])
{
	struct mc_enc_opts *o = &a->o;

	if (a->pgp && a->smime)
		tool_usage_error("--pgp, --smime", "exclude each other");
	if (o->nrcpt == 0)
		tool_usage_error("RECIPIENT", "none given (-r RECIPIENT)");
	if (argc > 1)
		tool_usage_error(argv[1], "extra operand");
	if (!o->sign && (o->signer != NULL || a->cert != NULL ||
	    a->key != NULL))
		tool_usage_error("-u, --cert, --key", "need --sign");
	if (a->smime && (o->signer != NULL || o->trust_all))
		tool_usage_error("-u, --trust-all", "are for OpenPGP");
	if (a->smime && o->sign && a->cert == NULL)
		tool_usage_error("--smime --sign", "needs --cert FILE");
	if (!a->smime && (a->cert != NULL || a->key != NULL ||
	    a->cipher != NULL))
		tool_usage_error("--cert, --key, --cipher", "need --smime");
	if (a->cipher != NULL && strcmp(a->cipher, "aes-256-gcm") == 0)
		o->gcm = 1;
	else if (a->cipher != NULL && strcmp(a->cipher, "aes-256-cbc") != 0)
		tool_usage_error("--cipher", "\"%s\": use aes-256-cbc or "
		    "aes-256-gcm", a->cipher);
}

static void
parse_args(struct args *a, int argc, char *argv[])
{
	static const struct option longopts[] = {
		TOOL_KEY_OPTIONS,
		TOOL_LONG_OPTIONS
	};
	char **rcpt;
	int ch;

	memset(a, 0, sizeof(*a));
	/* At most one -r per argument. */
	if ((rcpt = calloc((size_t)argc, sizeof(*rcpt))) == NULL)
		tool_fail(MC_ENOMEM, 0, NULL, NULL);
	a->o.rcpt = rcpt;
	while ((ch = tool_getopt(argc, argv, ":ho:r:u:", longopts)) != -1) {
		switch (ch) {
		case 'r':
			rcpt[a->o.nrcpt++] = optarg;
			break;
		case 'u':
			a->o.signer = optarg;
			break;
		case TOOL_OPT_CERT:
			a->cert = optarg;
			break;
		case TOOL_OPT_CIPHER:
			a->cipher = optarg;
			break;
		case TOOL_OPT_KEY:
			a->key = optarg;
			break;
		case TOOL_OPT_PGP:
			a->pgp = 1;
			break;
		case TOOL_OPT_SIGN:
			a->o.sign = 1;
			break;
		case TOOL_OPT_SMIME:
			a->smime = 1;
			break;
		case TOOL_OPT_TRUST_ALL:
			a->o.trust_all = 1;
			break;
		}
	}
	check_args(a, argc - optind, argv + optind);
}

int
main(int argc, char *argv[])
{
	struct mc_sign_opts so;
	struct args a;
	struct mc_error err;
	struct job j;

	tool_init("mime-encrypt", usage);
	memset(&j, 0, sizeof(j));
	parse_args(&a, argc, argv);
	argc -= optind;
	argv += optind;
	/* The keys first: a bad one fails before the input is read. */
	if (a.smime)
		tool_check(mc_smime_new(&j.smime, &a.o, &err), &err);
	else
		tool_check(mc_pgp_new(&j.pgp, &a.o, &err), &err);
	if (a.smime && a.o.sign) {
		memset(&so, 0, sizeof(so));
		so.cert = a.cert;
		so.key = a.key;
		tool_check(mc_signer_smime(&j.signer, &so, &err), &err);
	}
	j.fd = tool_open_input(argc == 1 ? argv[0] : "-", &j.name);
	tool_write_with(emit, &j);
	if (j.fd != STDIN_FILENO)
		close(j.fd);
	mc_pgp_free(j.pgp);
	mc_smime_free(j.smime);
	mc_signer_free(j.signer);
	free((void *)a.o.rcpt);
	return EXIT_SUCCESS;
}
