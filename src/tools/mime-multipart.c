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
    "[-t SUBTYPE] [--start CID] [-o FILE] [--crlf] ENTITY ...";

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "start",	required_argument,	NULL,	OPT_START },
		TOOL_LONG_OPTIONS
	};
	struct mc_error err;
	const char *subtype = "mixed", *start = NULL, *name;
	mc_entity *mp, *child;
	int ch, i, stdin_seen = 0, *fds;

	tool_init("mime-multipart", usage);
	while ((ch = tool_getopt(argc, argv, ":ho:t:", longopts)) != -1) {
		switch (ch) {
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
		tool_usage_error("an ENTITY is needed (- for standard input)");
	for (i = 0; i < argc; i++)
		if (strcmp(argv[i], "-") == 0 && stdin_seen++)
			tool_usage_error("- (standard input) given twice");
	if (start != NULL && strcasecmp(subtype, "related") != 0)
		tool_usage_error("--start needs -t related");
	tool_check_type(subtype);

	mp = tool_entity(mc_multipart_new(subtype));
	if (start != NULL)
		tool_check(mc_multipart_set_start(mp, start, &err), &err);
	if ((fds = calloc((size_t)argc, sizeof(*fds))) == NULL)
		tool_fail(MC_ENOMEM, 0, NULL, NULL);
	for (i = 0; i < argc; i++) {
		fds[i] = tool_open_input(argv[i], &name);
		tool_check(mc_entity_read_fd(&child, fds[i], name, &err), &err);
		tool_check(mc_multipart_add(mp, child, &err), &err);
	}
	tool_write(mp);
	mc_entity_free(mp);
	for (i = 0; i < argc; i++)
		if (fds[i] != STDIN_FILENO)
			close(fds[i]);
	free(fds);
	return EXIT_SUCCESS;
}
