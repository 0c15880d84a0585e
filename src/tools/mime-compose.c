/* SPDX-License-Identifier: ISC */
/* mime-compose: a whole message from one draft (SPEC 3, mmime(1) drafts),
 * its body signed or encrypted by mime-sign or mime-encrypt (SPEC 6). */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "tool.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

enum {
	OPT_DIGEST = TOOL_OPT_KEYS_OWN,
	OPT_ENCRYPT
};

static const char usage[] =
    "[--sign] [--encrypt -r RECIPIENT ...] [--pgp | --smime]\n"
    "[-u KEYID | --cert FILE [--key FILE]] [--digest sha256|sha512]\n"
    "[--trust-all] [--cipher aes-256-cbc|aes-256-gcm]\n"
    "[-o FILE] [--crlf] [DRAFT]";

/*
 * Signing and encryption run mime-sign or mime-encrypt, found next to
 * mime-compose (else on PATH), as a filter over the body: mime-compose
 * stays a small static tool that links no crypto engine.  A process of
 * ours writes the body into the filter while this one reads the filter's
 * output as the message's body, so the body streams.
 */
struct filter {
	char **argv;		/* two free slots, then the arguments */
	char **exec;		/* the filter's name and arguments */
	int argc;
	int sign, encrypt;
	int enc_only;		/* an option given that only --encrypt takes */
	int sign_only;		/* ... that only signing takes */
	int digest;		/* --digest: mime-sign's alone */
	pid_t writer, tool;
	FILE *errs;		/* the filter's standard error, held */
};

static struct filter flt;

static void
add_arg(const char *a, const char *b)
{
	flt.argv[flt.argc++] = (char *)a;
	if (b != NULL)
		flt.argv[flt.argc++] = (char *)b;
}

/* The options, checked; the filter's arguments in flt.argv. */
static void
parse_args(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "digest",	required_argument,	NULL,	OPT_DIGEST },
		{ "encrypt",	no_argument,		NULL,	OPT_ENCRYPT },
		TOOL_KEY_OPTIONS,
		TOOL_LONG_OPTIONS
	};
	int ch, nrcpt = 0;

	/* The filter's name, --sign, each option with its value, NULL. */
	if ((flt.argv = calloc((size_t)argc + 3, sizeof(char *))) == NULL)
		tool_fail(MC_ENOMEM, ENOMEM, NULL, NULL);
	flt.argc = 2;
	while ((ch = tool_getopt(argc, argv, ":ho:r:u:", longopts)) != -1) {
		switch (ch) {
		case 'r':
			nrcpt++;
			flt.enc_only = 1;
			add_arg("-r", optarg);
			break;
		case 'u':
			flt.sign_only = 1;
			add_arg("-u", optarg);
			break;
		case TOOL_OPT_CERT:
			flt.sign_only = 1;
			add_arg("--cert", optarg);
			break;
		case TOOL_OPT_CIPHER:
			flt.enc_only = 1;
			add_arg("--cipher", optarg);
			break;
		case OPT_DIGEST:
			flt.sign_only = flt.digest = 1;
			add_arg("--digest", optarg);
			break;
		case OPT_ENCRYPT:
			flt.encrypt = 1;
			break;
		case TOOL_OPT_KEY:
			flt.sign_only = 1;
			add_arg("--key", optarg);
			break;
		case TOOL_OPT_PGP:
			add_arg("--pgp", NULL);
			break;
		case TOOL_OPT_SIGN:
			flt.sign = 1;
			break;
		case TOOL_OPT_SMIME:
			add_arg("--smime", NULL);
			break;
		case TOOL_OPT_TRUST_ALL:
			flt.enc_only = 1;
			add_arg("--trust-all", NULL);
			break;
		}
	}
	if (flt.encrypt && nrcpt == 0)
		tool_usage_error("--encrypt", "needs -r RECIPIENT");
	if (flt.enc_only && !flt.encrypt)
		tool_usage_error("-r, --trust-all, --cipher", "need --encrypt");
	if (flt.sign_only && !flt.sign)
		tool_usage_error("-u, --cert, --key, --digest", "need --sign");
	if (flt.digest && flt.encrypt)
		tool_usage_error("--digest", "is for --sign alone");
	if (flt.argc > 2 && !flt.sign && !flt.encrypt)
		tool_usage_error("--pgp, --smime", "need --sign or --encrypt");
}

/* In the child: mime-sign or mime-encrypt from mime-compose's folder
 * (/proc/self/exe), else from PATH; 69 when there is none. */
static _Noreturn void
exec_filter(void)
{
	char self[PATH_MAX], *slash;
	const char *name = flt.exec[0];
	ssize_t n;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL &&
		    (size_t)(slash + 1 - self) + strlen(name) < sizeof(self)) {
			strcpy(slash + 1, name);
			execv(self, flt.exec);
		}
	}
	execvp(name, flt.exec);
	fprintf(stderr, "mime-compose: %s: %s\n", name, strerror(errno));
	_exit(EX_UNAVAILABLE);
}

/* In the child: writes the body into the filter and exits.  Killed by
 * SIGPIPE when the filter stops reading: the filter says why. */
static _Noreturn void
write_body(mc_entity *msg, mc_entity *body, int fd)
{
	struct mc_error err;
	struct mc_source src;
	struct mc_epoch_state state;
	struct mc_write_opts opts;
	enum mc_err rc;

	signal(SIGPIPE, SIG_DFL);
	memset(&opts, 0, sizeof(opts));
	opts.source = &src;
	if ((rc = mc_source_from_env(&src, &state, &err)) == MC_OK)
		rc = mc_write_fd(body, fd, &opts, &err);
	mc_entity_free(body);
	mc_entity_free(msg);
	free(flt.argv);
	fclose(flt.errs);
	tool_check(rc, &err);
	exit(EXIT_SUCCESS);
}

static void
cloexec(int fd)
{
	fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/* Starts the filter over the body (taken); returns the descriptor of its
 * output. */
static int
filter_start(mc_entity *msg, mc_entity *body)
{
	int in[2], out[2];

	if (pipe(in) == -1 || pipe(out) == -1)
		tool_fail(MC_EIO, errno, "pipe", NULL);
	cloexec(in[0]);
	cloexec(in[1]);
	cloexec(out[0]);
	cloexec(out[1]);
	if ((flt.errs = tmpfile()) == NULL)
		tool_fail(MC_EIO, errno, "temporary file", NULL);
	fflush(NULL);
	if ((flt.tool = fork()) == -1)
		tool_fail(MC_EIO, errno, "fork", NULL);
	if (flt.tool == 0) {
		if (dup2(in[0], STDIN_FILENO) == -1 ||
		    dup2(out[1], STDOUT_FILENO) == -1 ||
		    dup2(fileno(flt.errs), STDERR_FILENO) == -1)
			_exit(EX_OSERR);
		exec_filter();
	}
	if ((flt.writer = fork()) == -1)
		tool_fail(MC_EIO, errno, "fork", NULL);
	if (flt.writer == 0) {
		close(in[0]);
		close(out[0]);
		close(out[1]);
		write_body(msg, body, in[1]);
	}
	mc_entity_free(body);
	close(in[0]);
	close(in[1]);
	close(out[1]);
	return out[0];
}

static int
reap(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			tool_fail(MC_EIO, errno, "wait", NULL);
	return st;
}

/* Waits for both; exits with the status of the one that failed (the
 * writer's first: the filter then saw a short entity), after passing on
 * what the filter wrote on its standard error. */
static void
filter_finish(void)
{
	char buf[4096];
	size_t n;
	int sw, st;

	sw = reap(flt.writer);
	st = reap(flt.tool);
	if (WIFEXITED(sw) && WEXITSTATUS(sw) != 0)
		tool_exit(WEXITSTATUS(sw));
	rewind(flt.errs);
	while ((n = fread(buf, 1, sizeof(buf), flt.errs)) > 0)
		fwrite(buf, 1, n, stderr);
	fclose(flt.errs);
	flt.errs = NULL;
	if (WIFSIGNALED(st))
		tool_fail(MC_EIO, 0, flt.exec[0], "killed by signal %d",
		    WTERMSIG(st));
	if (WEXITSTATUS(st) != 0)
		tool_exit(WEXITSTATUS(st));
	if (!WIFEXITED(sw))
		tool_fail(MC_EIO, 0, "body", "killed by signal %d",
		    WTERMSIG(sw));
}

/* Puts the filter's output in place of the body of msg. */
static int
filter_body(mc_entity *msg)
{
	struct mc_error err;
	mc_entity *signed_body;
	int fd;

	if (flt.encrypt && flt.sign) {
		flt.argv[0] = "mime-encrypt";
		flt.argv[1] = "--sign";
		flt.exec = flt.argv;
	} else {
		flt.argv[1] = flt.encrypt ? "mime-encrypt" : "mime-sign";
		flt.exec = flt.argv + 1;
	}
	fd = filter_start(msg, mc_message_take_body(msg));
	if (mc_entity_read_fd(&signed_body, fd, flt.exec[0], &err) != MC_OK) {
		filter_finish();
		tool_err(&err);
	}
	tool_check(mc_message_set_body(msg, signed_body, &err), &err);
	tool_before_commit(filter_finish);
	return fd;
}

int
main(int argc, char *argv[])
{
	struct mc_error err;
	const char *name;
	mc_entity *msg;
	int fd, out = -1;

	tool_init("mime-compose", usage);
	parse_args(argc, argv);
	argc -= optind;
	argv += optind;
	if (argc > 1)
		tool_usage_error(argv[1], "extra operand");

	fd = tool_open_input(argc == 1 ? argv[0] : "-", &name);
	tool_check(mc_draft_read_fd(&msg, fd, name, &err), &err);
	if (fd != STDIN_FILENO)
		close(fd);
	if (flt.sign || flt.encrypt)
		out = filter_body(msg);
	tool_write(msg);
	mc_entity_free(msg);
	if (out != -1)
		close(out);
	free(flt.argv);
	return EXIT_SUCCESS;
}
