/* SPDX-License-Identifier: ISC */
/* mime-message: an RFC 5322 message around an entity, like mail(1). */
#include <stdlib.h>
#include <unistd.h>

#include "tool.h"

enum {
	OPT_DATE = TOOL_OPT_OWN,
	OPT_IN_REPLY_TO,
	OPT_MESSAGE_ID,
	OPT_REFERENCES,
	OPT_REPLY_TO
};

static const char usage[] =
    "-f FROM [-s SUBJECT] [-c CC]... [-b BCC]...\n"
    "[--reply-to ADDR] [-H 'Name: value']... [--date DATE]\n"
    "[--message-id ID] [--in-reply-to ID] [--references IDS]\n"
    "[-i ENTITY] [-o FILE] [--crlf] TO ...";

/* An option that goes into the message, kept in command-line order until
 * the usage is checked, so that usage errors come before data errors. */
struct field {
	int opt;
	const char *value;
};

/* Puts one option's value into msg: the field it names, as -H would, so
 * that -s and -H 'Subject: ...' make one Subject, not two. */
static void
apply(mc_entity *msg, int opt, const char *value)
{
	static const struct {
		int opt;
		const char *field;
	} fields[] = {
		{ 'b', "Bcc" }, { 'c', "Cc" }, { 'f', "From" },
		{ 's', "Subject" }, { OPT_DATE, "Date" },
		{ OPT_IN_REPLY_TO, "In-Reply-To" },
		{ OPT_MESSAGE_ID, "Message-ID" },
		{ OPT_REFERENCES, "References" }, { OPT_REPLY_TO, "Reply-To" }
	};
	struct mc_error err;
	size_t i;

	if (opt == 'H') {
		tool_check(mc_message_add_header(msg, value, &err), &err);
		return;
	}
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (fields[i].opt == opt)
			tool_check(mc_message_add_field(msg, fields[i].field,
			    value, &err), &err);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "bcc",	 required_argument, NULL, 'b' },
		{ "cc",		 required_argument, NULL, 'c' },
		{ "date",	 required_argument, NULL, OPT_DATE },
		{ "from",	 required_argument, NULL, 'f' },
		{ "header",	 required_argument, NULL, 'H' },
		{ "in-reply-to", required_argument, NULL, OPT_IN_REPLY_TO },
		{ "input",	 required_argument, NULL, 'i' },
		{ "message-id",	 required_argument, NULL, OPT_MESSAGE_ID },
		{ "references",	 required_argument, NULL, OPT_REFERENCES },
		{ "reply-to",	 required_argument, NULL, OPT_REPLY_TO },
		{ "subject",	 required_argument, NULL, 's' },
		TOOL_LONG_OPTIONS
	};
	struct mc_error err;
	struct field *fields;
	const char *input = "-", *name;
	mc_entity *msg, *body;
	int ch, i, fd, nfields = 0, from = 0, rcpts = 0;

	tool_init("mime-message", usage);
	if ((fields = calloc((size_t)argc, sizeof(*fields))) == NULL)
		tool_fail(MC_ENOMEM, 0, NULL, NULL);
	while ((ch = tool_getopt(argc, argv, ":b:c:f:H:hi:o:s:", longopts))
	    != -1) {
		if (ch == 'i') {
			input = optarg;
			continue;
		}
		from += ch == 'f';
		rcpts += ch == 'b' || ch == 'c';
		fields[nfields].opt = ch;
		fields[nfields++].value = optarg;
	}
	argc -= optind;
	argv += optind;
	if (from == 0)
		tool_usage_error("FROM", "none given (-f FROM is required)");
	if (from > 1)
		tool_usage_error("-f", "given twice (one -f takes a list)");
	if (argc + rcpts == 0)
		tool_usage_error("TO", "none given (a recipient is needed: "
		    "TO, -c or -b)");

	msg = tool_entity(mc_message_new());
	for (i = 0; i < argc; i++)
		tool_check(mc_message_add_addresses(msg, MC_ADDR_TO, argv[i], &err),
		    &err);
	for (i = 0; i < nfields; i++)
		apply(msg, fields[i].opt, fields[i].value);
	fd = tool_open_input(input, &name);
	tool_check(mc_entity_read_fd(&body, fd, name, &err), &err);
	tool_check(mc_message_set_body(msg, body, &err), &err);
	tool_write(msg);
	mc_entity_free(msg);
	if (fd != STDIN_FILENO)
		close(fd);
	free(fields);
	return EXIT_SUCCESS;
}
