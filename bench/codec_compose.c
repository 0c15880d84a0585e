/* SPDX-License-Identifier: ISC */
/*
 * mime-compose with a base64 codec forced, for make bench:
 *	codec_compose libb64|scalar|avx2 [DRAFT]
 * The Makefile links src/tools/mime-compose.c in, its main renamed, with
 * the test hooks (hooks.h) that the installed tools do not have.
 */
#include <stdio.h>

#include "hooks.h"

int tool_main(int argc, char *argv[]);

int
main(int argc, char *argv[])
{
	if (argc < 2 || mc_codec_force(MC_CODEC_B64, argv[1]) == -1) {
		fprintf(stderr, "usage: codec_compose libb64|scalar|avx2 "
		    "[DRAFT]\n");
		return 64;
	}
	argv[1] = argv[0];
	return tool_main(argc - 1, argv + 1);
}
