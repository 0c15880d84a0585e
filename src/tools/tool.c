/* SPDX-License-Identifier: ISC */
/* What every tool shares: options, errors, inputs and the atomic output. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

#include "mc.h"
#include "tool.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

static const char *progname = "mimecompose";
static const char *usage_text = "";

/* -o FILE and --crlf. */
static const char *out_path;
static unsigned out_flags;

/* The file that -o replaces (FILE, or what the symbolic link FILE points
 * to) and the temporary file beside it, for the error path and the
 * signal handler. */
static char out_target[PATH_MAX];
static char tmp_path[PATH_MAX];
static volatile sig_atomic_t tmp_active;
/* tool_before_commit */
static void (*before_commit)(void);

static const int fatal_signals[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM };

/* One table from library errors to sysexits(3). */
static int
exit_status(enum mc_err code)
{
	switch (code) {
	case MC_OK:		return EX_OK;
	case MC_ENOMEM:		return EX_OSERR;
	case MC_EUSAGE:		return EX_USAGE;
	case MC_EDATA:		return EX_DATAERR;
	case MC_ENOINPUT:	return EX_NOINPUT;
	case MC_ECREATE:	return EX_CANTCREAT;
	case MC_EIO:		return EX_IOERR;
	case MC_EUNAVAIL:	return EX_UNAVAILABLE;
	}
	return EX_SOFTWARE;
}

static void
tmp_discard(void)
{
	if (tmp_active) {
		unlink(tmp_path);
		tmp_active = 0;
	}
}

/* SIGHUP, SIGINT, SIGQUIT, SIGTERM while the temporary file exists:
 * remove it, then die of the signal as if it had not been caught. */
static void
on_fatal_signal(int sig)
{
	if (tmp_active)
		unlink(tmp_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

void
tool_init(const char *name, const char *usage)
{
	int fd;

	progname = name;
	usage_text = usage;
	opterr = 0;
	/* A closed 0, 1 or 2 would be reused by the first open(2), and an
	 * input or an error message could land in the output: hold them with
	 * /dev/null, opened the wrong way round so that reading a closed
	 * stdin or writing a closed stdout still fails (EBADF). */
	for (fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF &&
		    open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY) == -1)
			exit(EX_OSERR);
	signal(SIGPIPE, SIG_IGN);
}

/* Copies s to dst with control characters escaped ("\n", "\x1b"), so
 * that a message quoting a bad value stays on one line. */
static const char *
escape(char *dst, size_t size, const char *s)
{
	const unsigned char *p;
	size_t n = 0;

	for (p = (const unsigned char *)s; *p != '\0' && n + 5 < size; p++) {
		if (*p == '\n')
			n += (size_t)snprintf(dst + n, size - n, "\\n");
		else if (*p == '\r')
			n += (size_t)snprintf(dst + n, size - n, "\\r");
		else if (*p < 0x20 || *p == 0x7f)
			n += (size_t)snprintf(dst + n, size - n, "\\x%02x", *p);
		else
			dst[n++] = (char)*p;
	}
	dst[n] = '\0';
	return dst;
}

_Noreturn void
tool_err(const struct mc_error *err)
{
	char what[4 * sizeof(err->what)], why[4 * sizeof(err->detail)];

	tmp_discard();
	escape(why, sizeof(why), mc_error_reason(err));
	if (err->what[0] != '\0')
		fprintf(stderr, "%s: %s: %s\n", progname,
		    escape(what, sizeof(what), err->what), why);
	else
		fprintf(stderr, "%s: %s\n", progname, why);
	exit(exit_status(err->code));
}

_Noreturn void
tool_fail(enum mc_err code, int sys, const char *what, const char *fmt, ...)
{
	struct mc_error err;
	va_list ap;

	memset(&err, 0, sizeof(err));
	err.code = code;
	err.sys = sys;
	if (what != NULL)
		snprintf(err.what, sizeof(err.what), "%s", what);
	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(err.detail, sizeof(err.detail), fmt, ap);
		va_end(ap);
	}
	tool_err(&err);
}

_Noreturn void
tool_usage_error(const char *what, const char *fmt, ...)
{
	struct mc_error err;
	va_list ap;

	memset(&err, 0, sizeof(err));
	err.code = MC_EUSAGE;
	snprintf(err.what, sizeof(err.what), "%s", what);
	va_start(ap, fmt);
	vsnprintf(err.detail, sizeof(err.detail), fmt, ap);
	va_end(ap);
	tool_err(&err);
}

void
tool_check(enum mc_err rc, const struct mc_error *err)
{
	if (rc != MC_OK)
		tool_err(err);
}

mc_entity *
tool_entity(mc_entity *e)
{
	if (e == NULL)
		tool_fail(MC_ENOMEM, ENOMEM, "memory", NULL);
	return e;
}

/* -h and --version: text on standard output, checked, and exit 0. */
static _Noreturn void
print_exit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static _Noreturn void
print_exit(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (fflush(stdout) == EOF || ferror(stdout))
		tool_fail(MC_EIO, errno, "standard output", NULL);
	if (fclose(stdout) == EOF)
		tool_fail(MC_EIO, errno, "standard output", NULL);
	exit(EX_OK);
}

/* -h: "usage: TOOL " and the usage text, its lines after the first
 * indented under the first. */
static _Noreturn void
print_usage(void)
{
	const char *p = usage_text, *nl;
	int indent = (int)strlen("usage: ") + (int)strlen(progname) + 1;

	printf("usage: %s ", progname);
	while ((nl = strchr(p, '\n')) != NULL) {
		printf("%.*s\n%*s", (int)(nl - p), p, indent, "");
		p = nl + 1;
	}
	print_exit("%s\n", p);
}

/* The name of the option that getopt_long just stopped at, for messages:
 * "--name" for a long option (without "=value"), else "-c". */
static const char *
option_name(char *argv[], char *buf, size_t size)
{
	const char *arg = argv[optind - 1];
	size_t n;

	if (strncmp(arg, "--", 2) == 0) {
		n = strcspn(arg, "=");
		snprintf(buf, size, "%.*s", (int)n, arg);
	} else
		snprintf(buf, size, "-%c", optopt);
	return buf;
}

/* Whether the long option "--name" that getopt_long refused is the start
 * of more than one (glibc reports both cases alike). */
static int
ambiguous(const struct option *longopts, const char *name)
{
	size_t n = strlen(name + 2);
	int matches = 0;

	for (; longopts->name != NULL; longopts++)
		matches += strncmp(longopts->name, name + 2, n) == 0;
	return matches > 1;
}

int
tool_getopt(int argc, char *argv[], const char *shortopts,
    const struct option *longopts)
{
	char name[64];
	int ch;

	for (;;) {
		optarg = NULL;	/* -h: set only when it takes an argument */
		switch (ch = getopt_long(argc, argv, shortopts, longopts,
		    NULL)) {
		case 'h':
			/* -h is help, unless the tool gives it an argument
			 * (mime-dkim -h FIELDS, as opendkim); --help is. */
			if (optarg == NULL)
				print_usage();
			return ch;
		case 'o':
			out_path = strcmp(optarg, "-") == 0 ? NULL : optarg;
			break;
		case TOOL_OPT_CRLF:
			out_flags |= MC_CRLF;
			break;
		case TOOL_OPT_VERSION:
			print_exit("%s (mimecompose) %s\n", progname,
			    MC_TOOL_VERSION);
		case ':':
			/* A missing argument is always the last word. */
			tool_usage_error(option_name(argv, name, sizeof(name)),
			    "needs an argument");
		case '?':
			/* optopt is 0 for an unknown long option, a short
			 * option's letter, or the value of a long option
			 * given "=value" that it does not take. */
			option_name(argv, name, sizeof(name));
			if (optopt == 0)
				tool_usage_error(name, "%s",
				    ambiguous(longopts, name) ?
				    "ambiguous option" : "unknown option");
			if (optopt < 256 && strchr(shortopts + 1, optopt) ==
			    NULL)
				tool_usage_error(name, "unknown option");
			tool_usage_error(name, "takes no argument");
		default:
			return ch;
		}
	}
}

const char *
tool_subtype(const char *arg, const char *type)
{
	size_t n = strlen(type);

	if (strncasecmp(arg, type, n) == 0 && arg[n] == '/')
		return arg + n + 1;
	return arg;
}

void
tool_check_type(const char *type)
{
	const unsigned char *p;
	size_t run = 0;

	/* The library finds a malformed type only when it writes (64). */
	for (p = (const unsigned char *)type; *p != '\0'; p++) {
		if (*p == '\r' || *p == '\n')
			tool_fail(MC_EDATA, 0, "type",
			    "a header value with CR or LF");
		if (*p < 0x20 || *p == 0x7f)
			tool_fail(MC_EDATA, 0, "type",
			    "a header value with control character 0x%02x", *p);
		/* A longer one would make a header line over 998 octets. */
		run = *p == '/' ? 0 : run + 1;
		if (run > 127)
			tool_usage_error("type", "a type or subtype longer "
			    "than 127 characters");
	}
}

static const char **headers;
static size_t nheaders;

void
tool_header(const char *field)
{
	const char **v;

	if ((v = realloc(headers, (nheaders + 1) * sizeof(*v))) == NULL)
		tool_fail(MC_ENOMEM, ENOMEM, "memory", NULL);
	headers = v;
	headers[nheaders++] = field;
}

void
tool_headers(mc_entity *e)
{
	struct mc_error err;
	size_t i;

	for (i = 0; i < nheaders; i++)
		tool_check(mc_entity_add_header(e, headers[i], &err), &err);
	free(headers);
	headers = NULL;
	nheaders = 0;
}

void
tool_set_body(mc_entity *e, const char *operand)
{
	struct mc_error err;
	enum mc_err rc;

	if (operand == NULL || strcmp(operand, "-") == 0)
		rc = mc_entity_set_body_fd(e, STDIN_FILENO, "standard input",
		    &err);
	else
		rc = mc_entity_set_body_path(e, operand, &err);
	tool_check(rc, &err);
}

int
tool_open_input(const char *operand, const char **name)
{
	struct stat st;
	int fd;

	if (strcmp(operand, "-") == 0) {
		*name = "standard input";
		return STDIN_FILENO;
	}
	*name = operand;
	if ((fd = open(operand, O_RDONLY | O_CLOEXEC)) == -1)
		tool_fail(MC_ENOINPUT, errno, operand, NULL);
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
		tool_fail(MC_ENOINPUT, EISDIR, operand, NULL);
	return fd;
}

/*
 * Output.
 */

struct sink {
	int fd;
	int err;		/* errno of the failed write, else 0 */
};

/* mc_write_fn: mc_fd_write, keeping the error for the message. */
static int
sink_write(void *arg, const void *buf, size_t len)
{
	struct sink *s = arg;

	return s->err = mc_fd_write(&s->fd, buf, len);
}

static void
block_fatal_signals(sigset_t *old)
{
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < sizeof(fatal_signals) / sizeof(fatal_signals[0]); i++)
		sigaddset(&set, fatal_signals[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

/* Catches the fatal signals that are not ignored (nohup stays nohup). */
static void
catch_fatal_signals(void)
{
	struct sigaction sa, old;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(fatal_signals) / sizeof(fatal_signals[0]); i++)
		if (sigaction(fatal_signals[i], NULL, &old) == 0 &&
		    old.sa_handler != SIG_IGN)
			sigaction(fatal_signals[i], &sa, NULL);
}

/*
 * Opens the output for -o FILE (name, as given, for messages).  A regular
 * or new FILE gets a temporary file beside it, "DIR/.BASE.XXXXXX", with
 * FILE's mode or 0666 less the umask; *direct is then 0.  A symbolic link
 * is followed, as a shell redirection would (a dangling one is replaced).
 * An existing FILE that is not a regular file (a device, a FIFO) cannot be
 * replaced by rename(2) and is written in place; *direct is then 1.
 */
static int
out_open(const char *name, int *direct)
{
	struct stat st;
	sigset_t old;
	const char *path = out_target, *base;
	char *real;
	mode_t mode, mask;
	int fd, n, saved;

	*direct = 0;
	if (lstat(name, &st) == 0 && S_ISLNK(st.st_mode) &&
	    (real = realpath(name, NULL)) != NULL) {
		n = snprintf(out_target, sizeof(out_target), "%s", real);
		free(real);
	} else
		n = snprintf(out_target, sizeof(out_target), "%s", name);
	if (n >= (int)sizeof(out_target))
		tool_fail(MC_ECREATE, ENAMETOOLONG, name, NULL);
	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			tool_fail(MC_ECREATE, EISDIR, name, NULL);
		if (!S_ISREG(st.st_mode)) {
			*direct = 1;
			if ((fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC))
			    == -1)
				tool_fail(MC_ECREATE, errno, name, NULL);
			return fd;
		}
		/* rename(2) would replace a file we may not write. */
		if (access(path, W_OK) == -1)
			tool_fail(MC_ECREATE, errno, name, NULL);
		mode = st.st_mode & 07777;
	} else if (errno != ENOENT || *base == '\0')
		tool_fail(MC_ECREATE, errno, name, NULL);
	else {
		mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	if (snprintf(tmp_path, sizeof(tmp_path), "%.*s.%s.XXXXXX",
	    (int)(base - path), path, base) >= (int)sizeof(tmp_path))
		tool_fail(MC_ECREATE, ENAMETOOLONG, name, NULL);

	catch_fatal_signals();
	block_fatal_signals(&old);
	fd = mkstemp(tmp_path);
	saved = errno;
	if (fd != -1)
		tmp_active = 1;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (fd == -1)
		tool_fail(saved == ENOSPC || saved == EDQUOT || saved == EIO ?
		    MC_EIO : MC_ECREATE, saved, name, NULL);
	if (fchmod(fd, mode) == -1)
		tool_fail(MC_ECREATE, errno, name, NULL);
	return fd;
}

/* Makes the written output FILE: fsync, close, rename. */
static void
out_commit(int fd, const char *name, int direct)
{
	sigset_t old;

	if (!direct && fsync(fd) == -1)
		tool_fail(MC_EIO, errno, name, NULL);
	if (close(fd) == -1)
		tool_fail(MC_EIO, errno, name, NULL);
	if (direct)
		return;
	block_fatal_signals(&old);
	if (rename(tmp_path, out_target) == -1)
		tool_fail(MC_ECREATE, errno, name, NULL);
	tmp_active = 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
}

void
tool_write_with(tool_emit_fn emit, void *arg)
{
	struct mc_error err;
	struct mc_source src;
	struct mc_epoch_state state;
	struct mc_write_opts opts;
	struct sink s;
	const char *name;
	int direct = 0;

	tool_check(mc_source_from_env(&src, &state, &err), &err);
	memset(&opts, 0, sizeof(opts));
	opts.flags = out_flags;
	opts.source = &src;
	s.err = 0;
	if (out_path != NULL) {
		name = out_path;
		s.fd = out_open(out_path, &direct);
	} else {
		name = "standard output";
		s.fd = STDOUT_FILENO;
	}
	if (emit(arg, sink_write, &s, &opts, &err) != MC_OK) {
		/* The library knows a sink failed, not which output. */
		if (s.err != 0)
			tool_fail(MC_EIO, s.err, name, NULL);
		tool_err(&err);
	}
	if (before_commit != NULL)
		before_commit();
	if (out_path != NULL)
		out_commit(s.fd, out_path, direct);
	else if (close(STDOUT_FILENO) == -1 && errno != EINTR)
		tool_fail(MC_EIO, errno, name, NULL);
}

static enum mc_err
emit_entity(void *arg, mc_write_fn fn, void *fnarg,
    const struct mc_write_opts *opts, struct mc_error *err)
{
	return mc_write(arg, fn, fnarg, opts, err);
}

void
tool_write(mc_entity *e)
{
	tool_write_with(emit_entity, e);
}

void
tool_before_commit(void (*check)(void))
{
	before_commit = check;
}

_Noreturn void
tool_exit(int status)
{
	tmp_discard();
	exit(status);
}
