/* SPDX-License-Identifier: ISC */
/*
 * The GMime 3 peer for bench/bench.py: composes what mime-compose does,
 * with GMime's own streams, and writes it to standard output.
 *
 * usage: gmime_compose -a NOTE FILE [N]  short text NOTE + FILE attached
 *                                     (N times: N messages in a row)
 *        gmime_compose -t FILE        FILE as the text body (encoding by
 *                                     GMime's best-encoding filter)
 *        gmime_compose -n N           N small messages in this process,
 *                                     each written to standard output
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gmime/gmime.h>

static void
die(const char *what)
{
	fprintf(stderr, "gmime_compose: %s\n", what);
	exit(1);
}

static GMimeMessage *
new_message(const char *subject)
{
	GMimeMessage *m = g_mime_message_new(TRUE);
	GDateTime *now = g_date_time_new_now_local();
	char *id = g_mime_utils_generate_message_id("example.org");

	g_mime_message_add_mailbox(m, GMIME_ADDRESS_TYPE_FROM, "Alice",
	    "alice@example.org");
	g_mime_message_add_mailbox(m, GMIME_ADDRESS_TYPE_TO, "Bob",
	    "bob@example.net");
	g_mime_message_set_subject(m, subject, "utf-8");
	g_mime_message_set_date(m, now);
	g_mime_message_set_message_id(m, id);
	g_date_time_unref(now);
	g_free(id);
	return m;
}

/* A part whose content is read from path when the message is written. */
static void
set_file_content(GMimePart *p, const char *path)
{
	GError *err = NULL;
	GMimeStream *fs;
	GMimeDataWrapper *dw;

	if ((fs = g_mime_stream_fs_open(path, O_RDONLY, 0, &err)) == NULL)
		die(path);
	dw = g_mime_data_wrapper_new_with_stream(fs,
	    GMIME_CONTENT_ENCODING_DEFAULT);
	g_mime_part_set_content(p, dw);
	g_object_unref(dw);
	g_object_unref(fs);
}

static void
write_message(GMimeMessage *m, GMimeStream *out)
{
	if (g_mime_object_write_to_stream(GMIME_OBJECT(m), NULL, out) == -1 ||
	    g_mime_stream_flush(out) == -1)
		die("write error");
}

static const char *
base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

int
main(int argc, char *argv[])
{
	static char buf[64 * 1024];
	GMimeStream *out;
	GMimeMessage *m;
	GMimeMultipart *mp;
	GMimeTextPart *t;
	GMimePart *a;
	long i, n;

	if (argc < 3 || argc > 5)
		die("usage: gmime_compose -a NOTE FILE [N] | -t FILE | -n N");
	g_mime_init();
	/* A stdio stream with a 64 KiB buffer, so that GMime is not judged
	 * on small writes; its flush is fflush (a GMimeStreamFs flush is
	 * fsync, which no peer does). */
	setvbuf(stdout, buf, _IOFBF, sizeof(buf));
	out = g_mime_stream_file_new(stdout);
	g_mime_stream_file_set_owner(GMIME_STREAM_FILE(out), FALSE);
	if (strcmp(argv[1], "-a") == 0 && argc >= 4) {
	    n = argc == 5 ? strtol(argv[4], NULL, 10) : 1;
	    for (i = 0; i < n; i++) {
		m = new_message("Big");
		mp = g_mime_multipart_new_with_subtype("mixed");
		t = g_mime_text_part_new_with_subtype("plain");
		set_file_content(GMIME_PART(t), argv[2]);
		g_mime_part_set_content_encoding(GMIME_PART(t),
		    GMIME_CONTENT_ENCODING_7BIT);
		g_mime_multipart_add(mp, GMIME_OBJECT(t));
		a = g_mime_part_new_with_type("application", "octet-stream");
		set_file_content(a, argv[3]);
		g_mime_part_set_content_encoding(a,
		    GMIME_CONTENT_ENCODING_BASE64);
		g_mime_part_set_filename(a, base(argv[3]));
		g_mime_multipart_add(mp, GMIME_OBJECT(a));
		g_mime_message_set_mime_part(m, GMIME_OBJECT(mp));
		write_message(m, out);
		g_object_unref(t);
		g_object_unref(a);
		g_object_unref(mp);
		g_object_unref(m);
	    }
	} else if (strcmp(argv[1], "-t") == 0 && argc == 3) {
		m = new_message("Text");
		t = g_mime_text_part_new_with_subtype("plain");
		g_mime_text_part_set_charset(t, "utf-8");
		set_file_content(GMIME_PART(t), argv[2]);
		/* Reads the text once to choose, as mime-text does. */
		g_mime_part_set_content_encoding(GMIME_PART(t),
		    g_mime_part_get_best_content_encoding(GMIME_PART(t),
		    GMIME_ENCODING_CONSTRAINT_7BIT));
		g_mime_message_set_mime_part(m, GMIME_OBJECT(t));
		write_message(m, out);
		g_object_unref(t);
		g_object_unref(m);
	} else if (strcmp(argv[1], "-n") == 0 && argc == 3) {
		n = strtol(argv[2], NULL, 10);
		for (i = 0; i < n; i++) {
			m = new_message("A short message");
			t = g_mime_text_part_new_with_subtype("plain");
			g_mime_text_part_set_text(t, "Hello Bob,\n\nthe "
			    "meeting is moved to Thursday at ten.\n\nAlice\n");
			g_mime_message_set_mime_part(m, GMIME_OBJECT(t));
			write_message(m, out);
			g_object_unref(t);
			g_object_unref(m);
		}
	} else
		die("usage: gmime_compose -a NOTE FILE [N] | -t FILE | -n N");
	g_object_unref(out);
	if (fflush(stdout) == EOF)
		die("write error");
	return 0;
}
