/* SPDX-License-Identifier: ISC */
/* mime-dkim: a DKIM signature on a message (RFC 6376, RFC 8463). */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "tool.h"
#include "../crypto/dkim.h"

enum {
	OPT_DNS = TOOL_OPT_OWN,
	OPT_EXPIRE
};

static const char usage[] =
    "-d DOMAIN -s SELECTOR -k KEYFILE [-a rsa-sha256|ed25519-sha256]\n"
    "[-c HEADER/BODY] [-h FIELD:...] [--expire SECONDS] [-o FILE]\n"
    "[-i MESSAGE]\n"
    "--dns -d DOMAIN -s SELECTOR -k KEYFILE [-o FILE]";

/* x= is at most 12 digits (RFC 6376 3.5). */
#define EXPIRE_MAX	100000000000LL

static long long
seconds(const char *arg)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(arg, &end, 10);
	if (end == arg || *end != '\0' || errno != 0 || v < 1 ||
	    v > EXPIRE_MAX)
		tool_usage_error("--expire", "\"%s\": not a number of seconds "
		    "from 1 to %lld", arg, EXPIRE_MAX);
	return v;
}

/* The output of --dns; it has its own line ends, so opts is not read. */
static enum mc_err
write_buf(void *arg, mc_write_fn fn, void *fnarg,
    const struct mc_write_opts *opts, struct mc_error *err)
{
	struct mc_buf *b = arg;
	int e;

	(void)opts;
	if ((e = fn(fnarg, b->p, b->len)) != 0)
		return mc_fail(err, MC_EIO, e, "", NULL);
	return MC_OK;
}

/* The message keeps its own line ends (no --crlf). */
static enum mc_err
write_msg(void *arg, mc_write_fn fn, void *fnarg,
    const struct mc_write_opts *opts, struct mc_error *err)
{
	(void)opts;
	return dkim_write(arg, fn, fnarg, err);
}

/* Signs the message at input (- for standard input) to the output. */
static void
sign(const struct dkim_opts *o, const struct dkim_key *key,
    const char *input)
{
	struct mc_error err;
	struct dkim_msg *m;
	const char *name;
	int fd;

	fd = tool_open_input(input, &name);
	tool_check(dkim_read(&m, o, key, fd, name, &err), &err);
	tool_write_with(write_msg, m);
	dkim_msg_free(m);
	if (fd != STDIN_FILENO)
		close(fd);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "dns",	no_argument,	   NULL, OPT_DNS },
		{ "expire",	required_argument, NULL, OPT_EXPIRE },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "version",	no_argument,	   NULL, TOOL_OPT_VERSION },
		{ NULL,		0,		   NULL, 0 }
	};
	struct dkim_opts o = { .hrelaxed = 1, .brelaxed = 1 };
	struct mc_error err;
	struct mc_source src;
	struct mc_epoch_state state;
	enum dkim_alg alg = DKIM_ALG_KEY;
	struct dkim_key *key;
	struct mc_buf b;
	const char *keyfile = NULL, *input = NULL;
	int ch, dns = 0;

	tool_init("mime-dkim", usage);
	while ((ch = tool_getopt(argc, argv, ":a:c:d:h:i:k:o:s:", longopts))
	    != -1) {
		switch (ch) {
		case 'a':
			if (dkim_parse_alg(optarg, &alg) == -1)
				tool_usage_error("-a", "\"%s\": use rsa-sha256 or "
				    "ed25519-sha256", optarg);
			break;
		case 'c':
			if (dkim_parse_canon(optarg, &o) == -1)
				tool_usage_error("-c", "\"%s\": use simple or relaxed, "
				    "or HEADER/BODY of those", optarg);
			break;
		case 'd':
			o.domain = optarg;
			break;
		case 'h':
			o.fields = optarg;
			break;
		case 'i':
			input = optarg;
			break;
		case 'k':
			keyfile = optarg;
			break;
		case 's':
			o.selector = optarg;
			break;
		case OPT_DNS:
			dns = 1;
			break;
		case OPT_EXPIRE:
			o.expire = seconds(optarg);
			break;
		}
	}
	if (optind < argc)
		tool_usage_error(argv[optind], "extra operand (-i MESSAGE reads "
		    "a file)");
	if (o.domain == NULL || o.selector == NULL || keyfile == NULL)
		tool_usage_error("-d, -s, -k", "all three are needed (DOMAIN, "
		    "SELECTOR, KEYFILE)");
	if (dns && input != NULL)
		tool_usage_error("--dns", "reads no message (no -i)");
	tool_check(dkim_opts_check(&o, &err), &err);
	tool_check(mc_source_from_env(&src, &state, &err), &err);
	o.now = mc_source_now(&src);
	tool_check(dkim_key_load(&key, keyfile, alg, &err), &err);
	if (dns) {
		mc_buf_init(&b);
		tool_check(dkim_dns(key, o.selector, o.domain, &b, &err), &err);
		tool_write_with(write_buf, &b);
		mc_buf_free(&b);
	} else
		sign(&o, key, input != NULL ? input : "-");
	dkim_key_free(key);
	return EXIT_SUCCESS;
}
