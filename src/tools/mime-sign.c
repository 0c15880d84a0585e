/* SPDX-License-Identifier: ISC */
/* mime-sign: a signed entity, PGP/MIME or S/MIME (SPEC 6). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tool.h"
#include "../crypto/sign.h"

enum {
	OPT_CERT = TOOL_OPT_OWN,
	OPT_DIGEST,
	OPT_KEY,
	OPT_PGP,
	OPT_SMIME
};

static const char usage[] =
    "[--pgp | --smime] [-u KEYID] [--cert FILE [--key FILE]]\n"
    "[--digest sha256|sha512] [-o FILE] [--crlf] [ENTITY]";

struct job {
	struct mc_signer *signer;
	int fd;
	const char *name;
};

static enum mc_err
emit(void *arg, mc_write_fn fn, void *fnarg, const struct mc_write_opts *opts,
    struct mc_error *err)
{
	struct job *j = arg;

	return mc_signed_write(j->signer, j->fd, j->name, fn, fnarg, opts, err);
}

/* The options, checked for usage errors; *smime for --smime. */
static void
parse_args(struct mc_sign_opts *o, int *smime, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "cert",	required_argument,	NULL,	OPT_CERT },
		{ "digest",	required_argument,	NULL,	OPT_DIGEST },
		{ "key",	required_argument,	NULL,	OPT_KEY },
		{ "local-user",	required_argument,	NULL,	'u' },
		{ "pgp",	no_argument,		NULL,	OPT_PGP },
		{ "smime",	no_argument,		NULL,	OPT_SMIME },
		TOOL_LONG_OPTIONS
	};
	int ch, pgp = 0;

	memset(o, 0, sizeof(*o));
	*smime = 0;
	while ((ch = tool_getopt(argc, argv, ":ho:u:", longopts)) != -1) {
		switch (ch) {
		case 'u':
			o->signer = optarg;
			break;
		case OPT_CERT:
			o->cert = optarg;
			break;
		case OPT_DIGEST:
			o->digest = optarg;
			break;
		case OPT_KEY:
			o->key = optarg;
			break;
		case OPT_PGP:
			pgp = 1;
			break;
		case OPT_SMIME:
			*smime = 1;
			break;
		}
	}
	if (pgp && *smime)
		tool_usage_error("--pgp, --smime", "exclude each other");
	if (argc - optind > 1)
		tool_usage_error(argv[optind + 1], "extra operand");
	if (o->digest != NULL && strcmp(o->digest, "sha256") != 0 &&
	    strcmp(o->digest, "sha512") != 0)
		tool_usage_error("--digest", "\"%s\": use sha256 or sha512",
		    o->digest);
	if (o->signer != NULL && o->signer[0] == '\0')
		tool_usage_error("-u", "an empty KEYID");
	if (*smime && o->signer != NULL)
		tool_usage_error("-u", "is for OpenPGP (--smime takes --cert)");
	if (!*smime && (o->cert != NULL || o->key != NULL))
		tool_usage_error("--cert, --key", "need --smime");
	if (*smime && o->cert == NULL)
		tool_usage_error("--smime", "needs --cert FILE");
}

int
main(int argc, char *argv[])
{
	struct mc_sign_opts o;
	struct mc_error err;
	struct job j;
	int smime;

	tool_init("mime-sign", usage);
	parse_args(&o, &smime, argc, argv);
	argc -= optind;
	argv += optind;
	/* The key first: a bad one fails before the input is read. */
	if (smime)
		tool_check(mc_signer_smime(&j.signer, &o, &err), &err);
	else
		tool_check(mc_signer_pgp(&j.signer, &o, &err), &err);
	j.fd = tool_open_input(argc == 1 ? argv[0] : "-", &j.name);
	tool_write_with(emit, &j);
	if (j.fd != STDIN_FILENO)
		close(j.fd);
	mc_signer_free(j.signer);
	return EXIT_SUCCESS;
}
