/* SPDX-License-Identifier: ISC */
/* What every tool shares: options, errors, inputs and the atomic output. */
#ifndef TOOL_H
#define TOOL_H

#include <getopt.h>

#include "mimecompose.h"

#ifndef MC_TOOL_VERSION
#define MC_TOOL_VERSION MC_VERSION
#endif

/* Values of long-only options; a tool numbers its own from TOOL_OPT_OWN. */
enum {
	TOOL_OPT_CRLF = 256,
	TOOL_OPT_VERSION,
	TOOL_OPT_OWN
};

/* The key options of mime-encrypt and mime-compose (SPEC 6); a tool that
 * has them numbers its own from TOOL_OPT_KEYS_OWN. */
enum {
	TOOL_OPT_CERT = TOOL_OPT_OWN,
	TOOL_OPT_CIPHER,
	TOOL_OPT_KEY,
	TOOL_OPT_PGP,
	TOOL_OPT_SIGN,
	TOOL_OPT_SMIME,
	TOOL_OPT_TRUST_ALL,
	TOOL_OPT_KEYS_OWN
};
#define TOOL_KEY_OPTIONS \
	{ "cert",	required_argument,	NULL,	TOOL_OPT_CERT }, \
	{ "cipher",	required_argument,	NULL,	TOOL_OPT_CIPHER }, \
	{ "key",	required_argument,	NULL,	TOOL_OPT_KEY }, \
	{ "local-user",	required_argument,	NULL,	'u' }, \
	{ "pgp",	no_argument,		NULL,	TOOL_OPT_PGP }, \
	{ "recipient",	required_argument,	NULL,	'r' }, \
	{ "sign",	no_argument,		NULL,	TOOL_OPT_SIGN }, \
	{ "smime",	no_argument,		NULL,	TOOL_OPT_SMIME }, \
	{ "trust-all",	no_argument,		NULL,	TOOL_OPT_TRUST_ALL }

/* The long options every tool has; ends a tool's option table. */
#define TOOL_LONG_OPTIONS \
	{ "crlf",	no_argument,	NULL,	TOOL_OPT_CRLF }, \
	{ "help",	no_argument,	NULL,	'h' }, \
	{ "version",	no_argument,	NULL,	TOOL_OPT_VERSION }, \
	{ NULL,		0,		NULL,	0 }

/* Sets the program name (messages, --version) and the usage text (what
 * follows "usage: TOOL "; lines separated by '\n' are indented under the
 * first), makes sure descriptors 0-2 are open and ignores SIGPIPE, so
 * that a closed pipe is a write error. */
void tool_init(const char *name, const char *usage);

/* getopt_long(3) that handles the shared options itself: -h and --help
 * (a tool whose shortopts give -h an argument gets -h back),
 * --version, -o FILE, --crlf, and unknown options and missing arguments
 * (a usage error).  shortopts starts with ':' and lists "h" and "o:".
 * Returns the tool's own options, and -1 at the end. */
int tool_getopt(int argc, char *argv[], const char *shortopts,
    const struct option *longopts);

/* Prints "TOOL: WHAT: WHY" (WHAT left out when empty), removes a
 * temporary output file and exits with the sysexits(3) status of
 * err->code. */
_Noreturn void tool_err(const struct mc_error *err);
/* tool_err for an error of the tools' own: sys is an errno value or 0,
 * fmt (printf-style, may be NULL) the detail. */
_Noreturn void tool_fail(enum mc_err code, int sys, const char *what,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* "TOOL: WHAT: WHY" (an option or operand, what is wrong with it) and
 * exit 64. */
_Noreturn void tool_usage_error(const char *what, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Exits through tool_err unless rc is MC_OK. */
void tool_check(enum mc_err rc, const struct mc_error *err);
/* A new entity, or exit 71 when out of memory. */
mc_entity *tool_entity(mc_entity *e);

/* -t for a type that the tool fixes: "html" or "text/html" -> "html". */
const char *tool_subtype(const char *arg, const char *type);
/* Exits 65 when a -t type or subtype has a control character (CR, LF...):
 * bad data in a header (SPEC 2), not a bad argument; 64 when a type or
 * subtype is longer than 127 characters (RFC 6838 4.2). */
void tool_check_type(const char *type);

/* -H 'Name: value' of the entity tools (SPEC 2): tool_header keeps one,
 * tool_headers adds those kept to e, in order, or exits as the library
 * says (64 for a field an option owns). */
void tool_header(const char *field);
void tool_headers(mc_entity *e);

/* The body of a leaf from an operand: NULL or "-" is standard input,
 * anything else a path the library opens when it writes. */
void tool_set_body(mc_entity *e, const char *operand);
/* Opens an input for reading: "-" is standard input (descriptor 0).
 * *name is set to what names it in messages.  Exits 66 when it cannot
 * be opened or is a directory. */
int tool_open_input(const char *operand, const char **name);

/* Writes e to standard output or to the -o FILE (a temporary file renamed
 * over FILE after fsync), with --crlf and SOURCE_DATE_EPOCH, and closes
 * the output with checks.  Returns only when all went well; e stays the
 * caller's to free. */
void tool_write(mc_entity *e);
/* What tool_write does with a writer of the tool's own in place of
 * mc_write: emit writes the output to fn, with opts (--crlf,
 * SOURCE_DATE_EPOCH), and returns MC_OK or fills err. */
typedef enum mc_err (*tool_emit_fn)(void *arg, mc_write_fn fn, void *fnarg,
    const struct mc_write_opts *opts, struct mc_error *err);
void tool_write_with(tool_emit_fn emit, void *arg);
/* check runs after the output is written and before -o FILE is put in
 * place; it may fail (tool_fail, tool_exit), and FILE is then untouched. */
void tool_before_commit(void (*check)(void));
/* Exits with status after removing a temporary output file: for a
 * failure that a helper process has already reported. */
_Noreturn void tool_exit(int status);

#endif /* TOOL_H */
