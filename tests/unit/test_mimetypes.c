/* SPDX-License-Identifier: ISC */
/* mimetypes.c: types from file names, from a mime.types file or a table. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "unit.h"

/* The built-in table's answers, which Debian's /etc/mime.types gives too. */
static const struct {
	const char *name, *type;
} common[] = {
	{ "a.txt", "text/plain" },
	{ "a.html", "text/html" },
	{ "a.htm", "text/html" },
	{ "a.csv", "text/csv" },
	{ "a.ics", "text/calendar" },
	{ "a.pdf", "application/pdf" },
	{ "a.png", "image/png" },
	{ "a.jpg", "image/jpeg" },
	{ "a.jpeg", "image/jpeg" },
	{ "a.gif", "image/gif" },
	{ "a.webp", "image/webp" },
	{ "a.svg", "image/svg+xml" },
	{ "a.zip", "application/zip" },
	{ "a.tar.gz", "application/gzip" },
	{ "a.tar", "application/x-tar" },
	{ "a.json", "application/json" },
	{ "a.xml", "application/xml" },
	{ "a.eml", "message/rfc822" },
	{ "a.doc", "application/msword" },
	{ "a.docx", "application/vnd.openxmlformats-officedocument."
	    "wordprocessingml.document" },
	{ "a.xls", "application/vnd.ms-excel" },
	{ "a.xlsx", "application/vnd.openxmlformats-officedocument."
	    "spreadsheetml.sheet" },
	{ "a.ppt", "application/vnd.ms-powerpoint" },
	{ "a.pptx", "application/vnd.openxmlformats-officedocument."
	    "presentationml.presentation" },
	{ "a.odt", "application/vnd.oasis.opendocument.text" },
	{ "a.ods", "application/vnd.oasis.opendocument.spreadsheet" },
	{ "a.odp", "application/vnd.oasis.opendocument.presentation" },
	{ "a.mp3", "audio/mpeg" },
	{ "a.mp4", "video/mp4" },
	{ "a.wav", "audio/x-wav" },
	{ "dir.d/REPORT.PDF", "application/pdf" },
	{ "Photo.JpG", "image/jpeg" },
};

static const char *const unknown[] = {
	"README", "a.", ".bashrc", "dir.d/file", "a.nosuchext", "",
	"a.ext-that-is-far-too-long-to-be-an-extension-at-all",
};

static void
check_common(void)
{
	char *t;
	size_t i;

	for (i = 0; i < sizeof(common) / sizeof(common[0]); i++) {
		t = mc_type_for_name(common[i].name);
		if (t == NULL || strcmp(t, common[i].type) != 0)
			fprintf(stderr, "%s: %s\n", common[i].name,
			    t ? t : "(null)");
		assert_non_null(t);
		assert_string_equal(t, common[i].type);
		free(t);
	}
	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		assert_null(mc_type_for_name(unknown[i]));
	assert_null(mc_type_for_name(NULL));
}

/* No file: the built-in table. */
static void
test_builtin(void **state)
{
	(void)state;
	setenv("MC_MIME_TYPES", "/nonexistent/mime.types", 1);
	check_common();
}

/* Debian's file gives the same answers as the table. */
static void
test_system(void **state)
{
	(void)state;
	if (access("/etc/mime.types", R_OK) != 0)
		skip();
	unsetenv("MC_MIME_TYPES");
	check_common();
}

/* A file of our own: comments, the first match, long lines, case. */
static void
test_file(void **state)
{
	char path[] = "/tmp/mc-mimetypes-XXXXXX", *t;
	FILE *fp;
	int fd, i;

	(void)state;
	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(fp = fdopen(fd, "w"));
	fputs("# a comment: text/x-comment foo\n", fp);
	fputs("\n   \n", fp);
	fputs("text/x-first\tfoo  bar\n", fp);
	fputs("text/x-second foo baz # trailing comment qux\n", fp);
	fputs("application/x-long", fp);
	for (i = 0; i < 300; i++)
		fputs(" longext", fp);
	fputs(" long\n", fp);
	fputs("noslash quux\n", fp);
	fputs("text/x-upper UPPER\n", fp);
	fputs("bad/ty\"pe bad\n", fp);
	fputs("text/x-last last", fp);		/* no final newline */
	assert_int_equal(fclose(fp), 0);
	setenv("MC_MIME_TYPES", path, 1);

	t = mc_type_for_name("x.foo");
	assert_string_equal(t, "text/x-first");
	free(t);
	t = mc_type_for_name("x.BAZ");
	assert_string_equal(t, "text/x-second");
	free(t);
	t = mc_type_for_name("x.upper");
	assert_string_equal(t, "text/x-upper");
	free(t);
	t = mc_type_for_name("x.last");
	assert_string_equal(t, "text/x-last");
	free(t);
	/* After a comment, on an over-long line, not a type: nothing. */
	assert_null(mc_type_for_name("x.qux"));
	assert_null(mc_type_for_name("x.long"));
	assert_null(mc_type_for_name("x.quux"));
	assert_null(mc_type_for_name("x.comment"));
	assert_null(mc_type_for_name("x.bad"));
	/* SPEC 3: names the file does not list go to the table. */
	t = mc_type_for_name("x.pdf");
	assert_string_equal(t, "application/pdf");
	free(t);
	unlink(path);
	/* An empty file lists nothing: the table answers. */
	assert_true((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) != -1);
	close(fd);
	t = mc_type_for_name("f.png");
	assert_string_equal(t, "image/png");
	free(t);
	assert_null(mc_type_for_name("f.no-such-extension"));
	unlink(path);
	unsetenv("MC_MIME_TYPES");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin),
		cmocka_unit_test(test_system),
		cmocka_unit_test(test_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
