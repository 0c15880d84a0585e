/* SPDX-License-Identifier: ISC */
/*
 * gmime-decrypt: decrypts the message or entity FILE with GMime 3 (its
 * GnuPG contexts: gpg for multipart/encrypted, gpgsm for
 * application/pkcs7-mime) and writes the plaintext entity, as GMime
 * gives it, to standard output.
 *
 * usage: gmime-decrypt [-s] FILE
 *
 * -s: the plaintext must also be signed, by a signature GMime finds valid:
 * one inside the OpenPGP message (RFC 3156 6.2), or a multipart/signed
 * that the plaintext is (S/MIME, sign then encrypt).  Exit 0 when all
 * went well, 1 with a message on standard error otherwise.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include <gmime/gmime.h>

static int
fail(const char *path, const char *what, GError *err)
{
	fprintf(stderr, "gmime-decrypt: %s: %s%s%s\n", path, what,
	    err != NULL ? ": " : "", err != NULL ? err->message : "");
	if (err != NULL)
		g_error_free(err);
	return 1;
}

/* Every signature valid (GMime's VALID bit, no RED), and at least one. */
static int
all_valid(GMimeSignatureList *sigs)
{
	int i, n = sigs != NULL ? g_mime_signature_list_length(sigs) : 0;

	for (i = 0; i < n; i++) {
		GMimeSignatureStatus st = g_mime_signature_get_status(
		    g_mime_signature_list_get_signature(sigs, i));

		if (!(st & GMIME_SIGNATURE_STATUS_VALID) ||
		    (st & GMIME_SIGNATURE_STATUS_RED))
			return 0;
	}
	return n > 0;
}

static GMimeObject *
decrypt(GMimeObject *obj, const char *path, int want_sig)
{
	GMimeDecryptResult *res = NULL;
	GMimeSignatureList *sigs = NULL;
	GMimeObject *plain;
	GError *err = NULL;
	int ok;

	if (GMIME_IS_MULTIPART_ENCRYPTED(obj))
		plain = g_mime_multipart_encrypted_decrypt(
		    GMIME_MULTIPART_ENCRYPTED(obj), GMIME_DECRYPT_NONE, NULL,
		    &res, &err);
	else if (GMIME_IS_APPLICATION_PKCS7_MIME(obj))
		plain = g_mime_application_pkcs7_mime_decrypt(
		    GMIME_APPLICATION_PKCS7_MIME(obj), GMIME_DECRYPT_NONE, NULL,
		    &res, &err);
	else {
		fail(path, "not multipart/encrypted or application/pkcs7-mime",
		    NULL);
		return NULL;
	}
	if (plain == NULL) {
		fail(path, "cannot decrypt", err);
		return NULL;
	}
	if (want_sig && GMIME_IS_MULTIPART_SIGNED(plain))
		sigs = g_mime_multipart_signed_verify(GMIME_MULTIPART_SIGNED(
		    plain), GMIME_VERIFY_NONE, &err);
	ok = !want_sig || all_valid(sigs != NULL ? sigs : res != NULL ?
	    g_mime_decrypt_result_get_signatures(res) : NULL);
	if (sigs != NULL)
		g_object_unref(sigs);
	if (res != NULL)
		g_object_unref(res);
	if (!ok) {
		fail(path, "no valid signature", err);
		g_object_unref(plain);
		return NULL;
	}
	return plain;
}

int
main(int argc, char **argv)
{
	GMimeStream *in, *out;
	GMimeParser *parser;
	GMimeObject *obj, *plain;
	GError *err = NULL;
	int want_sig = argc == 3 && strcmp(argv[1], "-s") == 0;
	const char *path = argv[argc - 1];

	if (argc != 2 + want_sig) {
		fputs("usage: gmime-decrypt [-s] FILE\n", stderr);
		return 2;
	}
	g_mime_init();
	if ((in = g_mime_stream_fs_open(path, O_RDONLY, 0, &err)) == NULL)
		return fail(path, "cannot open", err);
	parser = g_mime_parser_new_with_stream(in);
	/* The top entity, whether a message's or a bare entity's header. */
	obj = g_mime_parser_construct_part(parser, NULL);
	if (obj == NULL)
		return fail(path, "not parsed", NULL);
	if ((plain = decrypt(obj, path, want_sig)) == NULL)
		return 1;
	out = g_mime_stream_pipe_new(1);
	g_mime_stream_pipe_set_owner(GMIME_STREAM_PIPE(out), FALSE);
	if (g_mime_object_write_to_stream(plain, NULL, out) == -1 ||
	    g_mime_stream_flush(out) == -1)
		return fail(path, "standard output", NULL);
	g_object_unref(out);
	g_object_unref(plain);
	g_object_unref(obj);
	g_object_unref(parser);
	g_object_unref(in);
	g_mime_shutdown();
	return 0;
}
