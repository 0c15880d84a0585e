/* SPDX-License-Identifier: ISC */
/* mime-check: a linter for messages and entities made by any software. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "tool.h"

enum {
	OPT_ENTITY = TOOL_OPT_OWN,
	OPT_STRICT
};

static const char usage[] = "[-q] [--strict] [--entity] FILE ...|-";

struct report {
	const char *name;	/* as findings name the input */
	int quiet;
	int errors, warnings;
};

/* "FILE:LINE: error: RULE: message", as compilers say it. */
static void
on_finding(void *arg, const struct mc_finding *f)
{
	struct report *r = arg;

	if (f->severity == MC_ERROR)
		r->errors++;
	else
		r->warnings++;
	if (!r->quiet)
		printf("%s:%llu: %s: %s: %s\n", r->name,
		    (unsigned long long)f->line, f->severity == MC_ERROR ?
		    "error" : "warning", f->rule, f->message);
}

/* Checks one input to its end: read errors are fatal (74). */
static void
check_one(const char *operand, unsigned flags, struct report *r)
{
	static unsigned char buf[128 * 1024];
	const char *name;
	mc_check *c;
	ssize_t n;
	int fd;

	fd = tool_open_input(operand, &name);
	r->name = fd == STDIN_FILENO ? "-" : operand;
	if ((c = mc_check_new(flags, on_finding, r)) == NULL)
		tool_fail(MC_ENOMEM, 0, name, NULL);
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			tool_fail(MC_EIO, errno, name, NULL);
		if (n == 0)
			break;
		mc_check_step(c, buf, (size_t)n);
	}
	mc_check_finish(c);
	mc_check_free(c);
	if (fd != STDIN_FILENO)
		close(fd);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "entity",	no_argument,	NULL,	OPT_ENTITY },
		{ "strict",	no_argument,	NULL,	OPT_STRICT },
		{ "help",	no_argument,	NULL,	'h' },
		{ "version",	no_argument,	NULL,	TOOL_OPT_VERSION },
		{ NULL,		0,		NULL,	0 }
	};
	struct report r = { NULL, 0, 0, 0 };
	unsigned flags = 0;
	int ch, i, strict = 0, stdin_seen = 0;

	tool_init("mime-check", usage);
	while ((ch = tool_getopt(argc, argv, ":hq", longopts)) != -1) {
		switch (ch) {
		case 'q':
			r.quiet = 1;
			break;
		case OPT_ENTITY:
			flags |= MC_CHECK_ENTITY;
			break;
		case OPT_STRICT:
			strict = 1;
			break;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		tool_usage_error("FILE", "none given (- for standard input)");
	for (i = 0; i < argc; i++)
		if (strcmp(argv[i], "-") == 0 && stdin_seen++)
			tool_usage_error("-", "standard input given twice");
	for (i = 0; i < argc; i++) {
		check_one(argv[i], flags, &r);
		if (fflush(stdout) != 0 || ferror(stdout))
			tool_fail(MC_EIO, errno, "standard output", NULL);
	}
	if (fclose(stdout) == EOF)
		tool_fail(MC_EIO, errno, "standard output", NULL);
	if (r.errors > 0 || (strict && r.warnings > 0))
		return EX_DATAERR;
	return EXIT_SUCCESS;
}
