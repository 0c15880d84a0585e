/* SPDX-License-Identifier: ISC */
/* draft.c: drafts read into messages (SPEC 3 mime-compose). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "unit.h"

static char dir[] = "/tmp/test_draft.XXXXXX";
static char olddir[4096];

static void
put_file(const char *name, const char *data)
{
	FILE *f;

	assert_non_null(f = fopen(name, "wb"));
	assert_int_equal(fwrite(data, 1, strlen(data), f), strlen(data));
	assert_int_equal(fclose(f), 0);
}

/* The inputs the drafts name live in a fresh folder, the current one. */
static int
setup(void **state)
{
	if (getcwd(olddir, sizeof(olddir)) == NULL ||
	    mkdtemp(dir) == NULL || chdir(dir) == -1)
		return -1;
	put_file("page.html", "<p>Hi <img src=\"cid:logo\"></p>\n");
	put_file("logo.png", "\x89PNG\r\n\x1a\n\x00\x01\x02");
	put_file("doc.pdf", "%PDF-1.4\n\xe2\xe3\xcf\xd3\n");
	put_file("notes.txt", "plain notes\n");
	put_file("latin1.html", "<p>caf\xe9</p>\n");
	return 0;
}

static int
teardown(void **state)
{
	const char *files[] = { "page.html", "logo.png", "doc.pdf",
	    "notes.txt", "latin1.html" };
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		unlink(files[i]);
	if (chdir(olddir) == -1)
		return -1;
	return rmdir(dir);
}

/* A descriptor reading s, from an unlinked temporary file. */
static int
draft_fd(const char *s, size_t n)
{
	char path[] = "/tmp/test_draft_in.XXXXXX";
	int fd;

	assert_true((fd = mkstemp(path)) != -1);
	unlink(path);
	assert_int_equal(write(fd, s, n), (ssize_t)n);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

static enum mc_err
read_draft_n(const char *s, size_t n, mc_entity **msg, struct mc_error *err)
{
	enum mc_err rc;
	int fd = draft_fd(s, n);

	memset(err, 0, sizeof(*err));
	rc = mc_draft_read_fd(msg, fd, "draft", err);
	close(fd);
	return rc;
}

static enum mc_err
read_draft(const char *s, mc_entity **msg, struct mc_error *err)
{
	return read_draft_n(s, strlen(s), msg, err);
}

/* Reads a good draft and writes the message, deterministically, into a
 * NUL-terminated string (caller frees). */
static char *
compose(const char *s)
{
	struct mc_error err;
	struct mc_source src;
	struct mc_epoch_state st;
	struct mc_write_opts opts;
	struct memsink m;
	mc_entity *msg = NULL;
	enum mc_err rc;

	rc = read_draft(s, &msg, &err);
	if (rc != MC_OK)
		fail_msg("draft: %s: %s", err.what, mc_error_reason(&err));
	assert_non_null(msg);
	mc_source_epoch(&src, &st, 1700000000);
	memset(&opts, 0, sizeof(opts));
	opts.source = &src;
	memset(&m, 0, sizeof(m));
	mc_buf_init(&m.b);
	rc = mc_write(msg, memsink_write, &m, &opts, &err);
	if (rc != MC_OK)
		fail_msg("write: %s: %s", err.what, mc_error_reason(&err));
	mc_entity_free(msg);
	mc_buf_addc(&m.b, '\0');
	assert_false(m.b.oom);
	return m.b.p;
}

/* The Content-Type values (type/subtype only) in the order they appear,
 * joined by ","; the caller frees. */
static char *
types(const char *out)
{
	struct mc_buf b;
	const char *p, *q;

	mc_buf_init(&b);
	for (p = out; (p = strstr(p, "\nContent-Type: ")) != NULL; p = q) {
		p += strlen("\nContent-Type: ");
		q = p + strcspn(p, ";\n");
		if (b.len > 0)
			mc_buf_addc(&b, ',');
		mc_buf_add(&b, p, (size_t)(q - p));
	}
	mc_buf_addc(&b, '\0');
	return b.p;
}

#define HDR "From: Zoe <zoe@example.org>\nTo: bob@example.org\n"

static void
assert_types(const char *out, const char *want)
{
	char *t = types(out);

	if (strcmp(t, want) != 0)
		fail_msg("types %s, want %s; output:\n%s", t, want, out);
	free(t);
}

static void
assert_has(const char *out, const char *s)
{
	if (strstr(out, s) == NULL)
		fail_msg("no \"%s\" in:\n%s", s, out);
}

static void
assert_lacks(const char *out, const char *s)
{
	if (strstr(out, s) != NULL)
		fail_msg("\"%s\" in:\n%s", s, out);
}

/*
 * Structure.
 */

static void
plain(void **state)
{
	char *out = compose(HDR "Subject: Hi\n\nHello,\nworld.\n");

	assert_types(out, "text/plain");
	assert_has(out, "From: Zoe <zoe@example.org>\n");
	assert_has(out, "To: bob@example.org\n");
	assert_has(out, "Subject: Hi\n");
	assert_has(out, "Date: Tue, 14 Nov 2023 22:13:20 +0000\n");
	assert_has(out, "Message-ID: <");
	assert_has(out, "MIME-Version: 1.0\n");
	assert_has(out, "charset=us-ascii");
	assert_has(out, "\n\nHello,\nworld.\n");
	assert_lacks(out, "multipart");
	free(out);
}

static void
alternative(void **state)
{
	char *out = compose(HDR "\nText.\n#text/html#alternative page.html\n");

	assert_types(out, "multipart/alternative,text/plain,text/html");
	/* No disposition and no file name on the HTML version. */
	assert_lacks(out, "Content-Disposition");
	assert_lacks(out, "name=");
	assert_has(out, "\n\nText.\n");
	free(out);
}

static void
alternative_related(void **state)
{
	char *out = compose(HDR "\nText.\n"
	    "#image/png#related logo.png>logo\n"
	    "#text/html#alternative page.html\n");

	/* The related line may come before the HTML; the HTML is first. */
	assert_types(out, "multipart/alternative,text/plain,"
	    "multipart/related,text/html,image/png");
	assert_has(out, "Content-ID: <logo>\n");
	assert_has(out, "Content-Disposition: inline; filename=logo.png\n");
	free(out);
}

static void
related_default_name(void **state)
{
	char *out = compose(HDR "\nText.\n"
	    "#text/html#alternative page.html\n"
	    "#image/png#related logo.png\n");

	assert_has(out, "Content-ID: <logo.png>\n");
	free(out);
}

static void
mixed_all(void **state)
{
	char *out = compose(HDR "Subject: All\n\nHello.\n"
	    "#text/html#alternative page.html\n"
	    "#image/png#related logo.png>logo\n"
	    "#application/pdf doc.pdf>Report (final).pdf\n"
	    "#text/plain#inline notes.txt\n"
	    "Bye.\n");

	assert_types(out, "multipart/mixed,multipart/alternative,text/plain,"
	    "multipart/related,text/html,image/png,application/pdf,"
	    "text/plain");
	assert_has(out, "Content-Disposition: attachment;"
	    " filename=\"Report (final).pdf\"");
	assert_has(out, "Content-Disposition: inline; filename=notes.txt");
	/* Text after a part line belongs to the body text. */
	assert_has(out, "\n\nHello.\nBye.\n");
	free(out);
}

static void
attachments_only(void **state)
{
	char *out = compose(HDR "\n\n#application/pdf doc.pdf\n\n");

	/* Blank text and part lines: no text part. */
	assert_types(out, "multipart/mixed,application/pdf");
	free(out);
}

static void
html_only(void **state)
{
	char *out = compose(HDR "\n#text/html#alternative page.html\n");

	assert_types(out, "text/html");
	free(out);
}

static void
empty_body(void **state)
{
	char *out;

	out = compose(HDR "\n");
	assert_types(out, "text/plain");
	free(out);
	/* The draft may end in the header block. */
	out = compose(HDR);
	assert_types(out, "text/plain");
	free(out);
}

static void
not_part_lines(void **state)
{
	char *out = compose(HDR "\n"
	    "#hashtag\n"
	    "#nospace/here\n"
	    "#a/b/c two slashes\n"
	    "#what? no/type\n"
	    " #text/plain notes.txt\n");

	assert_types(out, "text/plain");
	assert_has(out, "#hashtag\n#nospace/here\n#a/b/c two slashes\n"
	    "#what? no/type\n #text/plain notes.txt\n");
	free(out);
}

static void
utf8_headers(void **state)
{
	char *out = compose("From: Zoë Ü <zoe@example.org>\n"
	    "To: Bob <bob@example.org>,\n  carol@example.org\n"
	    "Subject: Café\n\tau lait\n"
	    "X-Mood: très bien\n"
	    "Cc:\n"
	    "MIME-Version: 1.0\n"
	    "\nCafé.\n");

	assert_types(out, "text/plain");
	assert_has(out, "From: =?utf-8?");
	assert_has(out, "To: Bob <bob@example.org>, carol@example.org\n");
	assert_has(out, "Subject: =?utf-8?");
	assert_has(out, "au lait");
	assert_has(out, "X-Mood: =?utf-8?");
	assert_has(out, "charset=utf-8");
	/* An empty field is left out; MIME-Version is written once. */
	assert_lacks(out, "Cc:");
	assert_non_null(strstr(out, "MIME-Version"));
	assert_null(strstr(strstr(out, "MIME-Version") + 1, "MIME-Version"));
	free(out);
}

static void
fields(void **state)
{
	char *out = compose(HDR "Cc: c@example.org\nBcc: d@example.org\n"
	    "Reply-To: r@example.org\nDate: @1700000001\n"
	    "Message-ID: <m1@example.org>\nIn-Reply-To: m0@example.org\n"
	    "References: <a@x> <b@y>\nsubject   : spaced\n"
	    "To: second@example.org\n\nx\n");

	assert_has(out, "Bcc: d@example.org\n");
	assert_has(out, "Reply-To: r@example.org\n");
	assert_has(out, "Message-ID: <m1@example.org>\n");
	assert_has(out, "In-Reply-To: <m0@example.org>\n");
	assert_has(out, "References: <a@x> <b@y>\n");
	assert_has(out, "Subject: spaced\n");
	assert_has(out, "bob@example.org, second@example.org");
	free(out);
}

static void
crlf_draft(void **state)
{
	char *out = compose("From: zoe@example.org\r\nSubject: CRLF\r\n\r\n"
	    "Line.\r\n#application/pdf doc.pdf\r\n");

	assert_types(out, "multipart/mixed,text/plain,application/pdf");
	assert_has(out, "Subject: CRLF\n");
	assert_has(out, "filename=doc.pdf\n");
	free(out);
}

/* A text line longer than the part-line bound streams through. */
static void
long_lines(void **state)
{
	struct mc_buf d;
	char *out;
	size_t i;

	mc_buf_init(&d);
	mc_buf_adds(&d, HDR "\n#");
	for (i = 0; i < 10000; i++)
		mc_buf_addc(&d, 'x');
	mc_buf_adds(&d, "\nend\n");
	out = compose(d.p);
	assert_types(out, "text/plain");
	assert_has(out, "end");
	free(out);
	mc_buf_free(&d);
}

/*
 * Errors: code, "draft:LINE" and the reason.
 */

static void
assert_error(const char *draft, enum mc_err code, const char *what,
    const char *why)
{
	struct mc_error err;
	mc_entity *msg = (mc_entity *)1;
	enum mc_err rc;

	rc = read_draft(draft, &msg, &err);
	if (rc != code)
		fail_msg("rc %d, want %d (%s: %s)", rc, code, err.what,
		    mc_error_reason(&err));
	assert_null(msg);
	assert_int_equal(err.code, code);
	assert_string_equal(err.what, what);
	if (strstr(mc_error_reason(&err), why) == NULL)
		fail_msg("reason \"%s\" lacks \"%s\"", mc_error_reason(&err),
		    why);
}

static void
errors_header(void **state)
{
	assert_error(HDR "Hello there\n\nbody\n", MC_EDATA, "draft:3",
	    "without a colon");
	assert_error("From: a@b.org\nSubject: x\rinjected: y\n\n", MC_EDATA,
	    "draft:2", "bare CR");
	assert_error("From: a@b.org\nSubject: caf\xe9\n\n", MC_EDATA,
	    "draft:2", "UTF-8");
	assert_error(" folded\nFrom: a@b.org\n\n", MC_EDATA, "draft:1",
	    "continuation");
	assert_error("To: bob@example.org\nSubject: x\n\nbody\n", MC_EDATA,
	    "draft", "no From");
	assert_error("From: nodomain\n\n", MC_EDATA, "draft:1", "From");
	assert_error(HDR "Subject: a\nSubject: b\n\n", MC_EDATA, "draft:4",
	    "second Subject");
	assert_error(HDR "Content-Type: text/html\n\n", MC_EDATA, "draft:3",
	    "Content-Type");
	assert_error(HDR "Bad Name: x\n\n", MC_EDATA, "draft:3",
	    "field name");
	assert_error(HDR ": x\n\n", MC_EDATA, "draft:3", "without a name");
	assert_error(HDR "Date: yesterday\n\n", MC_EDATA, "draft:3", "Date");
}

static void
errors_header_nul(void **state)
{
	static const char d[] = "From: a@b.org\nX: a\0b\n\n";
	struct mc_error err;
	mc_entity *msg;

	assert_int_equal(read_draft_n(d, sizeof(d) - 1, &msg, &err),
	    MC_EDATA);
	assert_string_equal(err.what, "draft:2");
	assert_null(msg);
}

static void
errors_limits(void **state)
{
	struct mc_buf d;
	size_t i;

	mc_buf_init(&d);
	mc_buf_adds(&d, "From: a@b.org\n");
	for (i = 0; i < MC_FIELDS_MAX; i++)
		mc_buf_printf(&d, "X-N: %zu\n", i);
	mc_buf_adds(&d, "\n");
	assert_error(d.p, MC_EDATA, "draft:1001", "more than");
	mc_buf_free(&d);

	mc_buf_init(&d);
	mc_buf_adds(&d, "From: a@b.org\nX-Long: ");
	for (i = 0; i < MC_HEADER_MAX; i++)
		mc_buf_addc(&d, 'x');
	mc_buf_adds(&d, "\n\n");
	assert_error(d.p, MC_EDATA, "draft:2", "header block longer");
	mc_buf_free(&d);

	mc_buf_init(&d);
	mc_buf_adds(&d, HDR "\n#image/png ");
	for (i = 0; i < 5000; i++)
		mc_buf_addc(&d, 'x');
	mc_buf_adds(&d, "\n");
	assert_error(d.p, MC_EDATA, "draft:4", "part line longer");
	mc_buf_free(&d);
}

static void
errors_body(void **state)
{
	assert_error(HDR "\nText.\n#image/png missing.png\n", MC_ENOINPUT,
	    "draft:5", "missing.png: No such file or directory");
	assert_error(HDR "\nText.\n#image/png .\n", MC_ENOINPUT, "draft:5",
	    "Is a directory");
	assert_error(HDR "\n#image/png#related logo.png\nText.\n", MC_EDATA,
	    "draft:4", "without an #alternative");
	assert_error(HDR "\n#text/html#alternative page.html\n"
	    "#text/html#alternative page.html\n", MC_EDATA, "draft:5",
	    "second #alternative (the first is on line 4)");
	assert_error(HDR "\n#image/png#attachement logo.png\n", MC_EDATA,
	    "draft:4", "not a disposition");
	assert_error(HDR "\n#text/plain;charset=latin1 notes.txt\n", MC_EDATA,
	    "draft:4", "parameters");
	assert_error(HDR "\n#/png logo.png\n", MC_EDATA, "draft:4",
	    "not a MIME type");
	assert_error(HDR "\n#multipart/mixed logo.png\n", MC_EDATA,
	    "draft:4", "multipart/mixed");
	assert_error(HDR "\n#image/png logo.png>\n", MC_EDATA, "draft:4",
	    "no name");
	assert_error(HDR "\n#image/png   \n", MC_EDATA, "draft:4",
	    "without a path");
	assert_error(HDR "\n#image/png#alternative logo.png\n", MC_EDATA,
	    "draft:4", "text type");
	assert_error(HDR "\n#text/html#alternative page.html\n"
	    "#image/png#related logo.png>x\n#image/png#related doc.pdf>x\n",
	    MC_EDATA, "draft:6", "<x> is already on line 5");
	assert_error(HDR "\n#text/html#alternative page.html\n"
	    "#image/png#related logo.png>a b\n", MC_EDATA, "draft:5",
	    "a b");
	assert_error(HDR "\nfine\ncaf\xe9\n", MC_EDATA, "draft:5", "UTF-8");
	assert_error(HDR "\nfine\ntruncated \xc3", MC_EDATA, "draft:5",
	    "UTF-8");
}

/* The HTML version is checked when written, before any output. */
static void
error_html_latin1(void **state)
{
	struct mc_error err;
	struct mc_write_opts opts;
	struct memsink m;
	mc_entity *msg;

	assert_int_equal(read_draft(HDR "\nx\n#text/html#alternative "
	    "latin1.html\n", &msg, &err), MC_OK);
	memset(&opts, 0, sizeof(opts));
	memset(&m, 0, sizeof(m));
	mc_buf_init(&m.b);
	assert_int_equal(mc_write(msg, memsink_write, &m, &opts, &err),
	    MC_EDATA);
	assert_int_equal(m.b.len, 0);
	assert_string_equal(err.what, "latin1.html");
	mc_entity_free(msg);
	mc_buf_free(&m.b);
}

/* A draft of HDR and then a text of n bytes: lines of 63 "a" and LF. */
static char *
text_draft(size_t n)
{
	size_t h = strlen(HDR "\n"), i;
	char *s;

	assert_non_null(s = malloc(h + n + 1));
	memcpy(s, HDR "\n", h);
	for (i = 0; i < n; i++)
		s[h + i] = i % 64 == 63 || i == n - 1 ? '\n' : 'a';
	s[h + n] = '\0';
	return s;
}

/* A text of up to 64 KiB is held in memory: no temporary file, so no
 * TMPDIR is needed; a longer one is spooled, and comes out the same. */
static void
body_memory_or_spool(void **state)
{
	static const size_t sizes[] = { 1, 65535, 65536, 65537, 200000 };
	const char *old = getenv("TMPDIR");
	char *saved = old != NULL ? strdup(old) : NULL;
	struct mc_error err;
	mc_entity *msg;
	char *s, *out, *body;
	size_t i, h = strlen(HDR "\n");
	enum mc_err rc;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		s = text_draft(sizes[i]);
		assert_int_equal(setenv("TMPDIR", "/nonexistent/tmp", 1), 0);
		msg = NULL;
		rc = read_draft(s, &msg, &err);
		if (sizes[i] <= 65536)
			assert_int_equal(rc, MC_OK);
		else {
			assert_int_equal(rc, MC_EIO);
			assert_string_equal(err.what, "/nonexistent/tmp");
			assert_null(msg);
		}
		mc_entity_free(msg);
		if (saved != NULL)
			assert_int_equal(setenv("TMPDIR", saved, 1), 0);
		else
			assert_int_equal(unsetenv("TMPDIR"), 0);
		out = compose(s);
		/* 7bit: the text is the body as it is. */
		assert_non_null(body = strstr(out, "\n\n"));
		assert_string_equal(body + 2, s + h);
		free(out);
		free(s);
	}
	free(saved);
}

/* A FIFO named by a part line is read from the descriptor opened then. */
static void
fifo_part(void **state)
{
	char *out;
	pid_t pid;
	int fd;

	assert_int_equal(mkfifo("pipe.bin", 0600), 0);
	if ((pid = fork()) == 0) {
		fd = open("pipe.bin", O_WRONLY);
		if (fd == -1 || write(fd, "\x01\x02\x03", 3) != 3)
			_exit(1);
		_exit(0);
	}
	assert_true(pid > 0);
	out = compose(HDR "\n#application/octet-stream pipe.bin>data.bin\n");
	assert_types(out, "multipart/mixed,application/octet-stream");
	assert_has(out, "filename=data.bin");
	assert_has(out, "AQID");
	free(out);
	unlink("pipe.bin");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain),
		cmocka_unit_test(alternative),
		cmocka_unit_test(alternative_related),
		cmocka_unit_test(related_default_name),
		cmocka_unit_test(mixed_all),
		cmocka_unit_test(attachments_only),
		cmocka_unit_test(html_only),
		cmocka_unit_test(empty_body),
		cmocka_unit_test(not_part_lines),
		cmocka_unit_test(utf8_headers),
		cmocka_unit_test(fields),
		cmocka_unit_test(crlf_draft),
		cmocka_unit_test(long_lines),
		cmocka_unit_test(errors_header),
		cmocka_unit_test(errors_header_nul),
		cmocka_unit_test(errors_limits),
		cmocka_unit_test(errors_body),
		cmocka_unit_test(error_html_latin1),
		cmocka_unit_test(fifo_part),
		cmocka_unit_test(body_memory_or_spool),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
