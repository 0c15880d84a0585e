/* SPDX-License-Identifier: ISC */
/*
 * Small messages through the library for bench/bench.py: N messages like
 * gmime_compose -n N makes (From, To, Subject, Date, Message-ID and a
 * short text), each written to standard output with mc_write_fd.
 *
 * usage: lib_small N [NOTE FILE]   with NOTE and FILE: N messages of the
 *                                  text NOTE and FILE attached, as
 *                                  gmime_compose -a NOTE FILE N makes them
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mimecompose.h"

static const char body[] = "Hello Bob,\n\nthe meeting is moved to Thursday "
    "at ten.\n\nAlice\n";

static void
check(enum mc_err rc, const struct mc_error *err)
{
	if (rc != MC_OK) {
		fprintf(stderr, "lib_small: %s\n", mc_error_reason(err));
		exit(1);
	}
}

int
main(int argc, char *argv[])
{
	struct mc_error err;
	mc_entity *msg, *text, *mp, *att;
	long i, n;

	if ((argc != 2 && argc != 4) ||
	    (n = strtol(argv[1], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: lib_small N [NOTE FILE]\n");
		return 64;
	}
	for (i = 0; i < n; i++) {
		if ((msg = mc_message_new()) == NULL ||
		    (text = mc_text_new("plain")) == NULL)
			return 71;
		check(mc_message_add_addresses(msg, MC_ADDR_FROM,
		    "Alice <alice@example.org>", &err), &err);
		check(mc_message_add_addresses(msg, MC_ADDR_TO,
		    "Bob <bob@example.net>", &err), &err);
		if (argc == 2) {
			check(mc_message_set_subject(msg, "A short message",
			    &err), &err);
			check(mc_entity_set_body_mem(text, body,
			    sizeof(body) - 1, &err), &err);
			check(mc_message_set_body(msg, text, &err), &err);
		} else {
			if ((mp = mc_multipart_new("mixed")) == NULL ||
			    (att = mc_attachment_new(
			    "application/octet-stream")) == NULL)
				return 71;
			check(mc_message_set_subject(msg, "Big", &err), &err);
			check(mc_entity_set_body_path(text, argv[2], &err),
			    &err);
			check(mc_entity_set_body_path(att, argv[3], &err),
			    &err);
			check(mc_multipart_add(mp, text, &err), &err);
			check(mc_multipart_add(mp, att, &err), &err);
			check(mc_message_set_body(msg, mp, &err), &err);
		}
		check(mc_write_fd(msg, STDOUT_FILENO, NULL, &err), &err);
		mc_entity_free(msg);
	}
	return 0;
}
