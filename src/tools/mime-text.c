/* SPDX-License-Identifier: ISC */
/* mime-text: a text/plain part (mime-html.c builds it as mime-html). */
#include <stdlib.h>
#include <strings.h>

#include "tool.h"

#ifndef TEXT_TOOL
#define TEXT_TOOL	"mime-text"
#define TEXT_SUBTYPE	"plain"
#endif

enum {
	OPT_ATTACHMENT = TOOL_OPT_OWN,
	OPT_INLINE
};

static const char usage[] =
    "[-t SUBTYPE] [-c CHARSET] [-e ENCODING] [-H 'Name: value']...\n"
    "[--inline | --attachment [-n NAME]] [-o FILE] [--crlf] [FILE]";

static enum mc_cte
parse_encoding(const char *arg)
{
	static const struct {
		const char *name;
		enum mc_cte cte;
	} names[] = {
		{ "7bit",		MC_CTE_7BIT },
		{ "8bit",		MC_CTE_8BIT },
		{ "quoted-printable",	MC_CTE_QP },
		{ "base64",		MC_CTE_BASE64 },
	};
	size_t i;

	/* RFC 2045 6.1: the values are not case sensitive. */
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(arg, names[i].name) == 0)
			return names[i].cte;
	tool_usage_error("-e", "\"%s\": use 7bit, 8bit, quoted-printable or "
	    "base64", arg);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "attachment",	no_argument,	NULL,	OPT_ATTACHMENT },
		{ "header",	required_argument, NULL, 'H' },
		{ "inline",	no_argument,	NULL,	OPT_INLINE },
		TOOL_LONG_OPTIONS
	};
	struct mc_error err;
	enum mc_disposition disp = MC_DISP_NONE, want;
	enum mc_cte cte = MC_CTE_AUTO;
	const char *subtype = TEXT_SUBTYPE, *charset = NULL, *name = NULL;
	mc_entity *e;
	int ch;

	tool_init(TEXT_TOOL, usage);
	while ((ch = tool_getopt(argc, argv, ":H:c:e:hn:o:t:", longopts)) != -1) {
		switch (ch) {
		case 'c':
			charset = optarg;
			break;
		case 'e':
			cte = parse_encoding(optarg);
			break;
		case 'H':
			tool_header(optarg);
			break;
		case 'n':
			name = optarg;
			break;
		case 't':
			subtype = tool_subtype(optarg, "text");
			break;
		case OPT_ATTACHMENT:
		case OPT_INLINE:
			want = ch == OPT_INLINE ? MC_DISP_INLINE :
			    MC_DISP_ATTACHMENT;
			if (disp != MC_DISP_NONE && disp != want)
				tool_usage_error("--inline", "excludes "
				    "--attachment");
			disp = want;
			break;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		tool_usage_error(argv[1], "extra operand");
	if (name != NULL && disp == MC_DISP_NONE)
		tool_usage_error("-n", "needs --attachment or --inline");
	tool_check_type(subtype);

	e = tool_entity(mc_text_new(subtype));
	tool_set_body(e, argv[0]);
	tool_headers(e);
	if (charset != NULL)
		tool_check(mc_entity_set_charset(e, charset, &err), &err);
	if (cte != MC_CTE_AUTO)
		tool_check(mc_entity_set_encoding(e, cte, &err), &err);
	if (disp != MC_DISP_NONE)
		tool_check(mc_entity_set_disposition(e, disp, name, &err),
		    &err);
	tool_write(e);
	mc_entity_free(e);
	return EXIT_SUCCESS;
}
