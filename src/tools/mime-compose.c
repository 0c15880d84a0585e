/* SPDX-License-Identifier: ISC */
/* mime-compose: a whole message from one draft (SPEC 3, mmime(1) drafts). */
#include <stdlib.h>
#include <unistd.h>

#include "tool.h"

static const char usage[] = "[-o FILE] [--crlf] [DRAFT]";

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		TOOL_LONG_OPTIONS
	};
	struct mc_error err;
	const char *name;
	mc_entity *msg;
	int fd;

	tool_init("mime-compose", usage);
	/* Every option is a shared one: -h, -o, --crlf, --version. */
	while (tool_getopt(argc, argv, ":ho:", longopts) != -1)
		;
	argc -= optind;
	argv += optind;
	if (argc > 1)
		tool_usage_error(argv[1], "extra operand");

	fd = tool_open_input(argc == 1 ? argv[0] : "-", &name);
	tool_check(mc_draft_read_fd(&msg, fd, name, &err), &err);
	if (fd != STDIN_FILENO)
		close(fd);
	tool_write(msg);
	mc_entity_free(msg);
	return EXIT_SUCCESS;
}
