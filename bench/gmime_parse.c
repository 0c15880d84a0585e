/* SPDX-License-Identifier: ISC */
/*
 * The GMime 3 peer of mime-check for bench/lint.py: GMime's parser reads
 * FILE as a message and walks its tree (every part's header parsed, every
 * multipart's boundaries found), decoding nothing, as mime-check reads it.
 *
 * usage: gmime_parse FILE
 * Prints the number of parts; exits 1 when FILE is not parsed.
 */
#include <fcntl.h>
#include <stdio.h>

#include <gmime/gmime.h>

static void
count(GMimeObject *parent, GMimeObject *part, gpointer data)
{
	(void)parent;
	(void)part;
	(*(int *)data)++;
}

int
main(int argc, char **argv)
{
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *msg;
	GError *err = NULL;
	int parts = 0;

	if (argc != 2) {
		fputs("usage: gmime_parse FILE\n", stderr);
		return 2;
	}
	g_mime_init();
	if ((stream = g_mime_stream_fs_open(argv[1], O_RDONLY, 0, &err)) ==
	    NULL) {
		fprintf(stderr, "gmime_parse: %s: %s\n", argv[1], err->message);
		return 1;
	}
	parser = g_mime_parser_new_with_stream(stream);
	msg = g_mime_parser_construct_message(parser, NULL);
	if (msg == NULL) {
		fprintf(stderr, "gmime_parse: %s: not a message\n", argv[1]);
		return 1;
	}
	g_mime_message_foreach(msg, count, &parts);
	printf("%d\n", parts);
	g_object_unref(msg);
	g_object_unref(parser);
	g_object_unref(stream);
	g_mime_shutdown();
	return 0;
}
