/* SPDX-License-Identifier: ISC */
/* mime-multipart: entities wrapped in a multipart container. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "tool.h"

enum {
	OPT_START = TOOL_OPT_OWN
};

static const char usage[] =
    "[-t SUBTYPE] [--start CID] [-H 'Name: value']... [-o FILE] [--crlf]\n"
    "ENTITY ...";

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "header",	required_argument,	NULL,	'H' },
		{ "start",	required_argument,	NULL,	OPT_START },
		TOOL_LONG_OPTIONS
	};
	struct mc_error err;
	const char *subtype = "mixed", *start = NULL;
	mc_entity *mp, *child;
	int ch, i, stdin_seen = 0;

	tool_init("mime-multipart", usage);
	while ((ch = tool_getopt(argc, argv, ":H:ho:t:", longopts)) != -1) {
		switch (ch) {
		case 'H':
			tool_header(optarg);
			break;
		case 't':
			subtype = tool_subtype(optarg, "multipart");
			break;
		case OPT_START:
			start = optarg;
			break;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		tool_usage_error("ENTITY", "none given (- for standard input)");
	for (i = 0; i < argc; i++)
		if (strcmp(argv[i], "-") == 0 && stdin_seen++)
			tool_usage_error("-", "standard input given twice");
	if (start != NULL && strcasecmp(subtype, "related") != 0)
		tool_usage_error("--start", "needs -t related");
	tool_check_type(subtype);

	mp = tool_entity(mc_multipart_new(subtype));
	tool_headers(mp);
	if (start != NULL)
		tool_check(mc_multipart_set_start(mp, start, &err), &err);
	/* By path, so that a multipart of more entities than the descriptor
	 * limit allows goes through (mc_entity_read_path). */
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0)
			tool_check(mc_entity_read_fd(&child, STDIN_FILENO,
			    "standard input", &err), &err);
		else
			tool_check(mc_entity_read_path(&child, argv[i], &err),
			    &err);
		tool_check(mc_multipart_add(mp, child, &err), &err);
	}
	tool_write(mp);
	mc_entity_free(mp);
	return EXIT_SUCCESS;
}
