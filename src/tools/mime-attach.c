/* SPDX-License-Identifier: ISC */
/* mime-attach: an attachment or inline part from a file. */
#include <stdlib.h>

#include "tool.h"

enum {
	OPT_COMPAT_NAMES = TOOL_OPT_OWN,
	OPT_ID,
	OPT_INLINE
};

static const char usage[] =
    "[-t TYPE] [-n FILENAME] [--inline] [--id CONTENT-ID]\n"
    "[-d DESCRIPTION] [-H 'Name: value']... [--compat-names] [-o FILE]\n"
    "[--crlf] FILE|-";

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "compat-names", no_argument,	     NULL, OPT_COMPAT_NAMES },
		{ "header",	  required_argument, NULL, 'H' },
		{ "id",		  required_argument, NULL, OPT_ID },
		{ "inline",	  no_argument,	     NULL, OPT_INLINE },
		TOOL_LONG_OPTIONS
	};
	struct mc_error err;
	enum mc_disposition disp = MC_DISP_ATTACHMENT;
	const char *type = NULL, *name = NULL, *id = NULL, *desc = NULL;
	mc_entity *e;
	int ch, compat = 0;

	tool_init("mime-attach", usage);
	while ((ch = tool_getopt(argc, argv, ":H:d:hn:o:t:", longopts)) != -1) {
		switch (ch) {
		case 'd':
			desc = optarg;
			break;
		case 'H':
			tool_header(optarg);
			break;
		case 'n':
			name = optarg;
			break;
		case 't':
			type = optarg;
			break;
		case OPT_COMPAT_NAMES:
			compat = 1;
			break;
		case OPT_ID:
			id = optarg;
			break;
		case OPT_INLINE:
			disp = MC_DISP_INLINE;
			break;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		tool_usage_error("FILE", "none given (- for standard input)");
	if (argc > 1)
		tool_usage_error(argv[1], "extra operand");
	if (type != NULL)
		tool_check_type(type);

	e = tool_entity(mc_attachment_new(type));
	tool_set_body(e, argv[0]);
	tool_headers(e);
	tool_check(mc_entity_set_disposition(e, disp, name, &err), &err);
	if (id != NULL)
		tool_check(mc_entity_set_id(e, id, &err), &err);
	if (desc != NULL)
		tool_check(mc_entity_set_description(e, desc, &err), &err);
	if (compat)
		tool_check(mc_entity_set_compat_names(e, 1, &err), &err);
	tool_write(e);
	mc_entity_free(e);
	return EXIT_SUCCESS;
}
