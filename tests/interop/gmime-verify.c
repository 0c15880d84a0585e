/* SPDX-License-Identifier: ISC */
/*
 * gmime-verify: verifies the multipart/signed entity or message FILE with
 * GMime 3's g_mime_multipart_signed_verify (its GnuPG contexts: gpg for
 * application/pgp-signature, gpgsm for application/pkcs7-signature).
 *
 * usage: gmime-verify FILE
 *
 * Exit 0 when FILE is (or is a message whose body is) a multipart/signed
 * with at least one signature and every one GMime finds valid (its VALID
 * bit, no RED bit); 1 with a message on standard error otherwise.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include <gmime/gmime.h>

static int
fail(const char *path, const char *what, GError *err)
{
	fprintf(stderr, "gmime-verify: %s: %s%s%s\n", path, what,
	    err != NULL ? ": " : "", err != NULL ? err->message : "");
	if (err != NULL)
		g_error_free(err);
	return 1;
}

/* The top entity of FILE: a message's body, or the entity itself. */
static GMimeObject *
parse(const char *path)
{
	GMimeStream *st;
	GMimeParser *p;
	GMimeObject *o;
	GMimeMessage *m;
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return NULL;
	st = g_mime_stream_fs_new(fd);
	p = g_mime_parser_new_with_stream(st);
	g_object_unref(st);
	o = g_mime_parser_construct_part(p, NULL);
	g_object_unref(p);
	if (o != NULL && GMIME_IS_MESSAGE_PART(o)) {
		m = g_mime_message_part_get_message(GMIME_MESSAGE_PART(o));
		g_object_ref(m);
		g_object_unref(o);
		o = (GMimeObject *)m;
	}
	if (o != NULL && GMIME_IS_MESSAGE(o)) {
		m = GMIME_MESSAGE(o);
		o = g_mime_message_get_mime_part(m);
		if (o != NULL)
			g_object_ref(o);
		g_object_unref(m);
	}
	return o;
}

int
main(int argc, char *argv[])
{
	GMimeSignatureList *sigs;
	GMimeSignatureStatus st;
	GMimeObject *o;
	GError *err = NULL;
	int i, n, bad = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: gmime-verify FILE\n");
		return 2;
	}
	g_mime_init();
	if ((o = parse(argv[1])) == NULL)
		return fail(argv[1], "cannot be parsed", NULL);
	if (!GMIME_IS_MULTIPART_SIGNED(o))
		return fail(argv[1], "not multipart/signed", NULL);
	sigs = g_mime_multipart_signed_verify(GMIME_MULTIPART_SIGNED(o),
	    GMIME_VERIFY_NONE, &err);
	if (sigs == NULL)
		return fail(argv[1], "not verified", err);
	n = g_mime_signature_list_length(sigs);
	for (i = 0; i < n; i++) {
		st = g_mime_signature_get_status(
		    g_mime_signature_list_get_signature(sigs, i));
		if (!(st & GMIME_SIGNATURE_STATUS_VALID) ||
		    (st & GMIME_SIGNATURE_STATUS_RED)) {
			fprintf(stderr, "gmime-verify: %s: signature %d: "
			    "status 0x%x\n", argv[1], i, (unsigned)st);
			bad = 1;
		}
	}
	g_object_unref(sigs);
	g_object_unref(o);
	g_mime_shutdown();
	if (n == 0)
		return fail(argv[1], "no signature", NULL);
	return bad;
}
