/* SPDX-License-Identifier: ISC */
/* Unit tests for writer.c: mc_write and mc_write_fd (SPEC 2, 3, 4). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "unit.h"

#define EPOCH 1700000000	/* Tue, 14 Nov 2023 22:13:20 +0000 */

static struct mc_epoch_state est;
static struct mc_source src;
static char dir[] = "/tmp/test_writer.XXXXXX";

/* Descriptors of read entities, closed at the end of each test. */
static int fds[64];
static size_t nfds;

static void
close_fds(void)
{
	while (nfds > 0)
		close(fds[--nfds]);
}

static void
sink_init(struct memsink *m)
{
	memset(m, 0, sizeof(*m));
	mc_buf_init(&m->b);
	mc_buf_add(&m->b, "", 0);
}

/* Writes e under the epoch source into m (initialised here). */
static enum mc_err
write_at(mc_entity *e, unsigned flags, time_t epoch, struct memsink *m,
    struct mc_error *err)
{
	struct mc_write_opts o;

	memset(&o, 0, sizeof(o));
	o.flags = flags;
	o.source = &src;
	o.tmpdir = dir;
	mc_source_epoch(&src, &est, epoch);
	memset(err, 0, sizeof(*err));
	return mc_write(e, memsink_write, m, &o, err);
}

static enum mc_err
write_e(mc_entity *e, unsigned flags, struct memsink *m, struct mc_error *err)
{
	sink_init(m);
	return write_at(e, flags, EPOCH, m, err);
}

static mc_entity *
text_mem(const char *s)
{
	struct mc_error err;
	mc_entity *e;

	assert_non_null(e = mc_text_new(NULL));
	assert_int_equal(mc_entity_set_body_mem(e, s, strlen(s), &err), MC_OK);
	return e;
}

static mc_entity *
attach_mem(const char *type, const char *name, const void *p, size_t n)
{
	struct mc_error err;
	mc_entity *e;

	assert_non_null(e = mc_attachment_new(type));
	assert_int_equal(mc_entity_set_body_mem(e, p, n, &err), MC_OK);
	if (name != NULL)
		assert_int_equal(mc_entity_set_disposition(e,
		    MC_DISP_ATTACHMENT, name, &err), MC_OK);
	return e;
}

/* A descriptor on an unlinked regular file holding s. */
static int
file_fd(const char *s, size_t n)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "%s/in.XXXXXX", dir);
	assert_true((fd = mkstemp(path)) != -1);
	unlink(path);
	assert_int_equal(write(fd, s, n), (ssize_t)n);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_true(nfds < sizeof(fds) / sizeof(fds[0]));
	fds[nfds++] = fd;
	return fd;
}

static mc_entity *
read_mem(const char *s)
{
	struct mc_error err;
	mc_entity *e;

	memset(&err, 0, sizeof(err));
	assert_int_equal(mc_entity_read_fd(&e, file_fd(s, strlen(s)), "part",
	    &err), MC_OK);
	return e;
}

static mc_entity *
message(const char *from, mc_entity *body)
{
	struct mc_error err;
	mc_entity *msg;

	assert_non_null(msg = mc_message_new());
	assert_int_equal(mc_message_add_addresses(msg, MC_ADDR_FROM, from, &err),
	    MC_OK);
	assert_int_equal(mc_message_add_addresses(msg, MC_ADDR_TO,
	    "bob@example.com", &err), MC_OK);
	if (body != NULL)
		assert_int_equal(mc_message_set_body(msg, body, &err), MC_OK);
	return msg;
}

/* Whether the header block starting at the first "start" in out holds
 * needle. */
static int
header_has(const char *out, const char *start, const char *needle)
{
	const char *p = strstr(out, start), *end, *q;

	assert_non_null(p);
	end = strstr(p, "\n\n");
	assert_non_null(end);
	q = strstr(p, needle);
	return q != NULL && q < end + 1;
}

/* The body of a single leaf: what follows the first empty line. */
static const char *
body_of(const char *out)
{
	const char *p = strstr(out, "\n\n");

	assert_non_null(p);
	return p + 2;
}

/* Copies the boundary of the n-th boundary= parameter. */
static int
boundary_n(const char *out, int n, char *b, size_t size)
{
	const char *p = out, *q;

	for (;;) {
		if ((p = strstr(p, "boundary=\"")) == NULL)
			return -1;
		p += 10;
		if (n-- == 0)
			break;
	}
	q = strchr(p, '"');
	assert_non_null(q);
	assert_true((size_t)(q - p) < size);
	memcpy(b, p, (size_t)(q - p));
	b[q - p] = '\0';
	return 0;
}

/* RFC 2046 5.1.1: for every boundary B in out, every line starting with
 * "--B" is "--B" or "--B--", and there are at least two of them.  Returns
 * the number of boundaries. */
static int
check_boundaries(const char *out)
{
	char b[MC_BOUNDARY_MAX + 8], d[MC_BOUNDARY_MAX + 8];
	const char *line, *nl;
	size_t dl, rest;
	int n, delims;

	for (n = 0; boundary_n(out, n, b, sizeof(b)) == 0; n++) {
		assert_true(strlen(b) <= MC_BOUNDARY_MAX);
		snprintf(d, sizeof(d), "--%s", b);
		dl = strlen(d);
		delims = 0;
		for (line = out; *line != '\0'; line = nl + 1) {
			if ((nl = strchr(line, '\n')) == NULL)
				nl = line + strlen(line);
			rest = (size_t)(nl - line);
			if (rest > 0 && line[rest - 1] == '\r')
				rest--;
			if (rest >= dl && memcmp(line, d, dl) == 0) {
				if (rest != dl && !(rest == dl + 2 &&
				    memcmp(line + dl, "--", 2) == 0)) {
					print_error("line \"%.*s\" starts with "
					    "the delimiter %s\n", (int)rest,
					    line, d);
					fail();
				}
				delims++;
			}
			if (*nl == '\0')
				break;
		}
		assert_true(delims >= 2);
	}
	return n;
}

/* Every line ends in CRLF (crlf) or LF without CR (!crlf), and no line
 * is longer than 998 octets. */
static void
check_eols(const char *p, size_t n, int crlf)
{
	size_t i, col = 0;

	for (i = 0; i < n; i++) {
		if (p[i] == '\n') {
			if (crlf && (i == 0 || p[i - 1] != '\r')) {
				print_error("LF without CR at %zu\n", i);
				fail();
			}
			col = 0;
			continue;
		}
		if (p[i] == '\r' && (!crlf || i + 1 == n || p[i + 1] != '\n')) {
			print_error("stray CR at %zu\n", i);
			fail();
		}
		if (p[i] != '\r')
			assert_true(++col <= MC_LINE_MAX);
	}
}

static const char golden[] =
    "From: Ann Example <ann@example.org>\n"
    "To: bob@example.com\n"
    "Subject: Hello\n"
    "Date: Tue, 14 Nov 2023 22:13:20 +0000\n"
    "Message-ID: <golden@example.org>\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=us-ascii\n"
    "Content-Transfer-Encoding: 7bit\n"
    "\n"
    "Hello, Bob.\n"
    "See you.\n";

static mc_entity *
golden_tree(void)
{
	struct mc_error err;
	mc_entity *msg;

	msg = message("Ann Example <ann@example.org>",
	    text_mem("Hello, Bob.\nSee you.\n"));
	assert_int_equal(mc_message_set_subject(msg, "Hello", &err), MC_OK);
	assert_int_equal(mc_message_set_id(msg, "golden@example.org", &err),
	    MC_OK);
	return msg;
}

static void
golden_text_message(void **state)
{
	struct memsink m;
	struct mc_error err;
	mc_entity *msg = golden_tree();

	assert_int_equal(write_e(msg, 0, &m, &err), MC_OK);
	assert_string_equal(m.b.p, golden);
	assert_int_equal(m.b.len, strlen(golden));
	mc_entity_free(msg);
	mc_buf_free(&m.b);
}

static void
golden_text_message_crlf(void **state)
{
	struct memsink m;
	struct mc_error err;
	struct mc_buf want;
	mc_entity *msg = golden_tree();
	const char *p;

	mc_buf_init(&want);
	for (p = golden; *p != '\0'; p++) {
		if (*p == '\n')
			mc_buf_addc(&want, '\r');
		mc_buf_addc(&want, *p);
	}
	assert_int_equal(write_e(msg, MC_CRLF, &m, &err), MC_OK);
	assert_string_equal(m.b.p, want.p);
	mc_entity_free(msg);
	mc_buf_free(&m.b);
	mc_buf_free(&want);
}

/* SPEC 3 mime-message: the order of the message fields. */
static void
golden_message_fields(void **state)
{
	static const char want[] =
	    "From: ann@example.org\n"
	    "To: bob@example.com\n"
	    "Cc: cy@example.net\n"
	    "Bcc: dee@example.net\n"
	    "Reply-To: list@example.org\n"
	    "Subject: Re: plans\n"
	    "Date: Mon, 13 Nov 2023 08:00:00 +0100\n"
	    "Message-ID: <m2@example.org>\n"
	    "In-Reply-To: <m1@example.com>\n"
	    "References: <m0@example.com> <m1@example.com>\n"
	    "X-Mailer: test\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=us-ascii\n"
	    "Content-Transfer-Encoding: 7bit\n"
	    "\n"
	    "ok\n";
	struct memsink m;
	struct mc_error err;
	mc_entity *msg = message("ann@example.org", text_mem("ok\n"));

	assert_int_equal(mc_message_add_addresses(msg, MC_ADDR_CC,
	    "cy@example.net", &err), MC_OK);
	assert_int_equal(mc_message_add_addresses(msg, MC_ADDR_BCC,
	    "dee@example.net", &err), MC_OK);
	assert_int_equal(mc_message_add_addresses(msg, MC_ADDR_REPLY_TO,
	    "list@example.org", &err), MC_OK);
	assert_int_equal(mc_message_add_header(msg, "X-Mailer: test", &err),
	    MC_OK);
	assert_int_equal(mc_message_set_subject(msg, "Re: plans", &err),
	    MC_OK);
	assert_int_equal(mc_message_set_date(msg,
	    "Mon, 13 Nov 2023 08:00:00 +0100", &err), MC_OK);
	assert_int_equal(mc_message_set_id(msg, "<m2@example.org>", &err),
	    MC_OK);
	assert_int_equal(mc_message_set_in_reply_to(msg, "m1@example.com",
	    &err), MC_OK);
	assert_int_equal(mc_message_set_references(msg,
	    "m0@example.com <m1@example.com>", &err), MC_OK);
	assert_int_equal(write_e(msg, 0, &m, &err), MC_OK);
	assert_string_equal(m.b.p, want);
	mc_entity_free(msg);
	mc_buf_free(&m.b);
}

/* A multipart, exact but for the boundary. */
static void
golden_multipart(void **state)
{
	static const char tmpl[] =
	    "Content-Type: multipart/mixed; boundary=\"%s\"\n"
	    "\n"
	    "--%s\n"
	    "Content-Type: text/plain; charset=us-ascii\n"
	    "Content-Transfer-Encoding: 7bit\n"
	    "\n"
	    "a\n"
	    "\n"
	    "--%s\n"
	    "Content-Type: image/png; name=x.png\n"
	    "Content-Disposition: attachment; filename=x.png\n"
	    "Content-Transfer-Encoding: base64\n"
	    "\n"
	    "iVBORw==\n"
	    "\n"
	    "--%s--\n";
	struct memsink m;
	struct mc_error err;
	char b[MC_BOUNDARY_MAX + 1], want[1024];
	mc_entity *mp;
	size_t i;

	assert_non_null(mp = mc_multipart_new(NULL));
	assert_int_equal(mc_multipart_add(mp, text_mem("a\n"), &err), MC_OK);
	assert_int_equal(mc_multipart_add(mp, attach_mem(NULL, "x.png",
	    "\x89PNG", 4), &err), MC_OK);
	assert_int_equal(write_e(mp, 0, &m, &err), MC_OK);
	assert_int_equal(boundary_n(m.b.p, 0, b, sizeof(b)), 0);
	/* "=_", markers, ".", and hex digits of the source. */
	assert_memory_equal(b, "=_", 2);
	for (i = 2; b[i] >= 'A' && b[i] <= 'Z'; i++)
		;
	assert_true(i > 2);
	assert_int_equal(b[i], '.');
	assert_true(strlen(b + i + 1) >= 16);
	for (i++; i < strlen(b); i++)
		assert_non_null(strchr("0123456789abcdef", b[i]));
	snprintf(want, sizeof(want), tmpl, b, b, b, b);
	assert_string_equal(m.b.p, want);
	mc_entity_free(mp);
	mc_buf_free(&m.b);
}

/* Writes one text leaf; returns its output in m. */
static enum mc_err
write_text(const char *body, size_t n, const char *charset, enum mc_cte cte,
    struct memsink *m, struct mc_error *err)
{
	mc_entity *t;
	enum mc_err rc;
	struct mc_error e2;

	assert_non_null(t = mc_text_new(NULL));
	assert_int_equal(mc_entity_set_body_mem(t, body, n, &e2), MC_OK);
	if (charset != NULL)
		assert_int_equal(mc_entity_set_charset(t, charset, &e2), MC_OK);
	assert_int_equal(mc_entity_set_encoding(t, cte, &e2), MC_OK);
	rc = write_e(t, 0, m, err);
	mc_entity_free(t);
	return rc;
}

static void
expect_text(const char *body, const char *charset, enum mc_cte cte,
    const char *ctype, const char *enc, const char *out)
{
	struct memsink m;
	struct mc_error err;
	char want[4096];

	assert_int_equal(write_text(body, strlen(body), charset, cte, &m,
	    &err), MC_OK);
	snprintf(want, sizeof(want), "Content-Type: %s\n"
	    "Content-Transfer-Encoding: %s\n\n%s", ctype, enc, out);
	assert_string_equal(m.b.p, want);
	mc_buf_free(&m.b);
}

static void
expect_text_fails(const char *body, size_t n, enum mc_cte cte,
    const char *detail)
{
	struct memsink m;
	struct mc_error err;

	assert_int_equal(write_text(body, n, NULL, cte, &m, &err), MC_EDATA);
	assert_int_equal(err.code, MC_EDATA);
	assert_string_equal(err.detail, detail);
	assert_string_equal(err.what, "memory");
	/* Prepared before a byte is written. */
	assert_int_equal(m.b.len, 0);
	mc_buf_free(&m.b);
}

/* SPEC 3 mime-text: the transfer encoding from the data. */
static void
text_encoding_auto(void **state)
{
	expect_text("plain ASCII\n", NULL, MC_CTE_AUTO,
	    "text/plain; charset=us-ascii", "7bit", "plain ASCII\n");
	expect_text("caf\xc3\xa9 au lait\n", NULL, MC_CTE_AUTO,
	    "text/plain; charset=utf-8", "quoted-printable",
	    "caf=C3=A9 au lait\n");
	expect_text("\xe4\xb8\xad\xe6\x96\x87\n", NULL, MC_CTE_AUTO,
	    "text/plain; charset=utf-8", "base64", "5Lit5paHCg==\n");
	/* SPEC 2: a lone "." and "From " are never sent as they are. */
	expect_text("a\n.\nb\n", NULL, MC_CTE_AUTO,
	    "text/plain; charset=us-ascii", "quoted-printable",
	    "a\n=2E\nb\n");
	expect_text("From me\n", NULL, MC_CTE_AUTO,
	    "text/plain; charset=us-ascii", "quoted-printable",
	    "=46rom me\n");
	/* CRLF text is 7bit, with the output's line ends. */
	expect_text("a\r\nb\r\n", NULL, MC_CTE_AUTO,
	    "text/plain; charset=us-ascii", "7bit", "a\nb\n");
	/* A bare CR is not 7bit. */
	expect_text("a\rb\n", NULL, MC_CTE_AUTO,
	    "text/plain; charset=us-ascii", "quoted-printable", "a=0Db\n");
	/* An empty text. */
	expect_text("", NULL, MC_CTE_AUTO,
	    "text/plain; charset=us-ascii", "7bit", "");
	/* SPEC 2: no final line break: quoted-printable, whose soft break
	 * ends the entity and keeps the bytes exact. */
	expect_text("no final break", NULL, MC_CTE_AUTO,
	    "text/plain; charset=us-ascii", "quoted-printable",
	    "no final break=\n");
}

static void
text_encoding_forced(void **state)
{
	char line[1100];

	expect_text("caf\xc3\xa9\n", NULL, MC_CTE_8BIT,
	    "text/plain; charset=utf-8", "8bit", "caf\xc3\xa9\n");
	expect_text("hello\n", NULL, MC_CTE_BASE64,
	    "text/plain; charset=us-ascii", "base64", "aGVsbG8K\n");
	expect_text("hello\n", NULL, MC_CTE_QP,
	    "text/plain; charset=us-ascii", "quoted-printable", "hello\n");
	expect_text("hello\n", NULL, MC_CTE_7BIT,
	    "text/plain; charset=us-ascii", "7bit", "hello\n");
	/* SPEC 3: a forced 7bit or 8bit adds the missing final break. */
	expect_text("hello", NULL, MC_CTE_7BIT,
	    "text/plain; charset=us-ascii", "7bit", "hello\n");
	expect_text("caf\xc3\xa9", NULL, MC_CTE_8BIT,
	    "text/plain; charset=utf-8", "8bit", "caf\xc3\xa9\n");
	expect_text_fails("caf\xc3\xa9\n", 6, MC_CTE_7BIT,
	    "7bit cannot carry this text: 8-bit data at byte 3");
	expect_text_fails("a\n.\nb\n", 6, MC_CTE_8BIT,
	    "8bit cannot carry this text: a line that is a lone \".\"");
	expect_text_fails("x\nFrom me\n", 10, MC_CTE_7BIT,
	    "7bit cannot carry this text: a line starting with \"From \"");
	expect_text_fails("a\0b\n", 4, MC_CTE_8BIT,
	    "8bit cannot carry this text: a NUL byte");
	memset(line, 'a', 999);
	line[999] = '\n';
	expect_text_fails(line, 1000, MC_CTE_7BIT,
	    "7bit cannot carry this text: a line of 999 octets");
}

/* SPEC 2: every entity ends with a line break; one passed through
 * without it gets one at the end of the output, and only there. */
static void
final_line_break(void **state)
{
	static const char eml[] = "Subject: x\n\nno final break";
	struct memsink m;
	struct mc_error err;
	mc_entity *mp, *e;

	e = read_mem("Content-Type: text/plain\n\nno final break");
	assert_int_equal(write_e(e, MC_CRLF, &m, &err), MC_OK);
	assert_non_null(strstr(m.b.p, "\r\n\r\nno final break\r\n"));
	assert_int_equal(m.b.p[m.b.len - 1], '\n');
	mc_entity_free(e);
	mc_buf_free(&m.b);
	e = attach_mem("message/rfc822", "m.eml", eml, strlen(eml));
	assert_int_equal(write_e(e, 0, &m, &err), MC_OK);
	assert_non_null(strstr(m.b.p, "\n\nno final break\n"));
	assert_int_equal(m.b.p[m.b.len - 1], '\n');
	mc_entity_free(e);
	mc_buf_free(&m.b);
	/* In a multipart the delimiter's line break follows: nothing more. */
	assert_non_null(mp = mc_multipart_new(NULL));
	assert_int_equal(mc_multipart_add(mp, attach_mem("message/rfc822",
	    "m.eml", eml, strlen(eml)), &err), MC_OK);
	assert_int_equal(write_e(mp, 0, &m, &err), MC_OK);
	assert_non_null(strstr(m.b.p, "\n\nno final break\n--=_"));
	assert_int_equal(m.b.p[m.b.len - 1], '\n');
	mc_entity_free(mp);
	mc_buf_free(&m.b);
}

static void
text_invalid_utf8(void **state)
{
	expect_text_fails("ok\n\xff\xfe\n", 6, MC_CTE_AUTO,
	    "invalid UTF-8 at byte 3");
	expect_text_fails("caf\xc3\xa9 \xc3(\n", 9, MC_CTE_AUTO,
	    "invalid UTF-8 at byte 6");
	/* A truncated sequence at the end. */
	expect_text_fails("abc\xe4\xb8", 5, MC_CTE_QP,
	    "invalid UTF-8 at byte 3");
}

/* -c CHARSET labels the text without checking it. */
static void
text_charset_label(void **state)
{
	/* GB 2312 "ni hao": not UTF-8. */
	expect_text("\xc4\xe3\xba\xc3\n", "gb18030", MC_CTE_AUTO,
	    "text/plain; charset=gb18030", "base64", "xOO6wwo=\n");
	expect_text("caf\xe9\n", "iso-8859-1", MC_CTE_QP,
	    "text/plain; charset=iso-8859-1", "quoted-printable",
	    "caf=E9\n");
	expect_text("abc\n", "us-ascii", MC_CTE_AUTO,
	    "text/plain; charset=us-ascii", "7bit", "abc\n");
}

static void
text_subtypes(void **state)
{
	struct memsink m;
	struct mc_error err;
	mc_entity *t;

	assert_non_null(t = mc_text_new("html"));
	assert_int_equal(mc_entity_set_body_mem(t, "<p>x</p>\n", 9, &err),
	    MC_OK);
	assert_int_equal(write_e(t, 0, &m, &err), MC_OK);
	assert_non_null(strstr(m.b.p,
	    "Content-Type: text/html; charset=us-ascii\n"));
	mc_entity_free(t);
	mc_buf_free(&m.b);

	assert_non_null(t = mc_text_new("x y"));
	assert_int_equal(mc_entity_set_body_mem(t, "x\n", 2, &err), MC_OK);
	assert_int_equal(write_e(t, 0, &m, &err), MC_EUSAGE);
	assert_int_equal(m.b.len, 0);
	mc_entity_free(t);
	mc_buf_free(&m.b);
}

static void
expect_leaf_header(mc_entity *e, const char *header)
{
	struct memsink m;
	struct mc_error err;

	assert_int_equal(write_e(e, 0, &m, &err), MC_OK);
	if (strncmp(m.b.p, header, strlen(header)) != 0) {
		print_error("got:\n%s\nwanted:\n%s\n", m.b.p, header);
		fail();
	}
	mc_entity_free(e);
	mc_buf_free(&m.b);
}

/* SPEC 3 mime-attach: Content-Type from the file name. */
static void
attachment_types(void **state)
{
	struct mc_error err;
	char path[128];
	mc_entity *e;
	FILE *f;

	expect_leaf_header(attach_mem(NULL, "photo.png", "\x89PNG", 4),
	    "Content-Type: image/png; name=photo.png\n"
	    "Content-Disposition: attachment; filename=photo.png\n"
	    "Content-Transfer-Encoding: base64\n\n");
	expect_leaf_header(attach_mem(NULL, "data.zzqqxx", "\0\1", 2),
	    "Content-Type: application/octet-stream; name=data.zzqqxx\n"
	    "Content-Disposition: attachment; filename=data.zzqqxx\n"
	    "Content-Transfer-Encoding: base64\n\n");
	/* No name at all. */
	expect_leaf_header(attach_mem(NULL, NULL, "\0\1", 2),
	    "Content-Type: application/octet-stream\n"
	    "Content-Disposition: attachment\n"
	    "Content-Transfer-Encoding: base64\n\nAAE=\n");
	/* The type given wins over the name. */
	expect_leaf_header(attach_mem("application/x-thing", "photo.png",
	    "\0", 1),
	    "Content-Type: application/x-thing; name=photo.png\n");
	/* A text type is sent as a text. */
	expect_leaf_header(attach_mem(NULL, "notes.txt", "notes\n", 6),
	    "Content-Type: text/plain; charset=us-ascii; name=notes.txt\n"
	    "Content-Disposition: attachment; filename=notes.txt\n"
	    "Content-Transfer-Encoding: 7bit\n\nnotes\n");
	/* ... but not UTF-8: base64, as RFC 1428's unknown-8bit. */
	expect_leaf_header(attach_mem("text/plain", "l1.txt", "caf\xe9\n", 5),
	    "Content-Type: text/plain; charset=unknown-8bit; name=l1.txt\n"
	    "Content-Disposition: attachment; filename=l1.txt\n"
	    "Content-Transfer-Encoding: base64\n\nY2Fm6Qo=\n");
	/* From a path: the base name is the file name. */
	snprintf(path, sizeof(path), "%s/report.pdf", dir);
	assert_non_null(f = fopen(path, "wb"));
	fputs("%PDF-1.4\n", f);
	assert_int_equal(fclose(f), 0);
	assert_non_null(e = mc_attachment_new(NULL));
	assert_int_equal(mc_entity_set_body_path(e, path, &err), MC_OK);
	expect_leaf_header(e,
	    "Content-Type: application/pdf; name=report.pdf\n"
	    "Content-Disposition: attachment; filename=report.pdf\n"
	    "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n");
	unlink(path);
	/* Content-ID and inline. */
	e = attach_mem("image/png", NULL, "\x89PNG", 4);
	assert_int_equal(mc_entity_set_disposition(e, MC_DISP_INLINE,
	    "logo.png", &err), MC_OK);
	assert_int_equal(mc_entity_set_id(e, "logo@x", &err), MC_OK);
	expect_leaf_header(e,
	    "Content-Type: image/png; name=logo.png\n"
	    "Content-Disposition: inline; filename=logo.png\n"
	    "Content-Transfer-Encoding: base64\n"
	    "Content-ID: <logo@x>\n\n");
}

static void
attachment_refusals(void **state)
{
	struct memsink m;
	struct mc_error err;
	mc_entity *e;

	/* 7bit, 8bit and quoted-printable are only for text. */
	e = attach_mem("image/png", "x.png", "x", 1);
	assert_int_equal(mc_entity_set_encoding(e, MC_CTE_QP, &err), MC_OK);
	assert_int_equal(write_e(e, 0, &m, &err), MC_EUSAGE);
	mc_entity_free(e);
	mc_buf_free(&m.b);
	/* Not type/subtype. */
	e = attach_mem("imagepng", "x.png", "x", 1);
	assert_int_equal(write_e(e, 0, &m, &err), MC_EUSAGE);
	assert_int_equal(m.b.len, 0);
	mc_entity_free(e);
	mc_buf_free(&m.b);
	/* A missing file: nothing written. */
	assert_non_null(e = mc_attachment_new(NULL));
	assert_int_equal(mc_entity_set_body_path(e,
	    "/nonexistent/dir/file.bin", &err), MC_OK);
	assert_int_equal(write_e(e, 0, &m, &err), MC_ENOINPUT);
	assert_int_equal(err.sys, ENOENT);
	assert_int_equal(m.b.len, 0);
	mc_entity_free(e);
	mc_buf_free(&m.b);
	/* A leaf without a body. */
	assert_non_null(e = mc_text_new(NULL));
	assert_int_equal(write_e(e, 0, &m, &err), MC_EUSAGE);
	mc_entity_free(e);
	mc_buf_free(&m.b);
}

/* Writes s to dir/name; the path in path. */
static void
put_path(char *path, size_t size, const char *name, const char *s)
{
	FILE *f;

	snprintf(path, size, "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fputs(s, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* A multipart of 300 files by path, texts and attachments, goes out under
 * a limit of MC_HOLD_MAX + 16 descriptors: the files past the first
 * MC_HOLD_MAX are not held open until their turn. */
static void
many_files(void **state)
{
	struct rlimit old, low;
	enum mc_err rc;
	struct memsink m;
	struct mc_error err;
	char path[4096], name[32], body[64];
	mc_entity *mp, *e;
	const char *p;
	int i, n = 0;

	assert_non_null(mp = mc_multipart_new("mixed"));
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "f%03d.%s", i, i % 2 ? "bin" :
		    "txt");
		snprintf(body, sizeof(body), "part %03d\n", i);
		put_path(path, sizeof(path), name, body);
		e = i % 2 ? mc_attachment_new("application/octet-stream") :
		    mc_text_new(NULL);
		assert_non_null(e);
		assert_int_equal(mc_entity_set_body_path(e, path, &err),
		    MC_OK);
		assert_int_equal(mc_multipart_add(mp, e, &err), MC_OK);
	}
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = old;
	low.rlim_cur = MC_HOLD_MAX + 16;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	rc = write_e(mp, 0, &m, &err);
	/* Before any assertion, or the next tests run short of them. */
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	assert_int_equal(rc, MC_OK);
	/* Every text in order; the attachments are "part NNN\n" base64. */
	for (p = m.b.p; (p = strstr(p, "\npart ")) != NULL; p++)
		assert_int_equal(atoi(p + 6), 2 * n++);
	assert_int_equal(n, 150);
	assert_non_null(strstr(m.b.p, "cGFydCAyOTkK"));	/* "part 299\n" */
	for (i = 0; i < 300; i++) {
		snprintf(path, sizeof(path), "%s/f%03d.%s", dir, i,
		    i % 2 ? "bin" : "txt");
		unlink(path);
	}
	mc_entity_free(mp);
	mc_buf_free(&m.b);
}

/* A sink that replaces a file once the output has begun: after the
 * preparation, before the file's turn (a first part larger than the
 * output buffer makes the first write come before it). */
struct swap_sink {
	struct memsink m;
	const char *path, *with;
	int done;
};

static int
swap_write(void *arg, const void *p, size_t n)
{
	struct swap_sink *s = arg;
	char tmp[4096];
	FILE *f;

	if (!s->done) {
		s->done = 1;
		snprintf(tmp, sizeof(tmp), "%s.new", s->path);
		if ((f = fopen(tmp, "wb")) == NULL || fputs(s->with, f) < 0 ||
		    fclose(f) != 0 || rename(tmp, s->path) != 0)
			return EIO;
	}
	return memsink_write(&s->m, p, n);
}

/* Adds a text part read from dir/name, which holds s. */
static void
add_path_text(mc_entity *mp, const char *name, const char *s, char *path,
    size_t size)
{
	struct mc_error err;
	mc_entity *e;

	put_path(path, size, name, s);
	assert_non_null(e = mc_text_new(NULL));
	assert_int_equal(mc_entity_set_body_path(e, path, &err), MC_OK);
	assert_int_equal(mc_multipart_add(mp, e, &err), MC_OK);
}

/*
 * A file replaced between its scan and its turn.  The first MC_HOLD_MAX
 * files are held open, so the bytes scanned are the bytes sent; a file
 * after them is opened again, and then a replaced one is an error, not a
 * part that does not match its header.
 */
static void
file_changed(void **state)
{
	static const char *with[] = { "other text\n", "plain text\n",
	    "\xff\xfe 8-bit now\n" };
	struct mc_write_opts o;
	struct swap_sink s;
	struct mc_error err;
	char path[4096], name[32], *big;
	mc_entity *mp;
	size_t i, n = 2 * MC_OUT_BUF;
	int k, fill;

	assert_non_null(big = malloc(n + 1));
	for (i = 0; i < n; i++)
		big[i] = i % 64 == 63 ? '\n' : 'x';
	big[n] = '\0';
	for (fill = 0; fill <= MC_HOLD_MAX; fill += MC_HOLD_MAX)
		for (i = 0; i < sizeof(with) / sizeof(with[0]); i++) {
			assert_non_null(mp = mc_multipart_new("mixed"));
			assert_int_equal(mc_multipart_add(mp, text_mem(big),
			    &err), MC_OK);
			for (k = 0; k < fill; k++) {
				snprintf(name, sizeof(name), "fill%02d.txt",
				    k);
				add_path_text(mp, name, "filler\n", path,
				    sizeof(path));
			}
			add_path_text(mp, "swap.txt", "plain text\n", path,
			    sizeof(path));
			memset(&s, 0, sizeof(s));
			sink_init(&s.m);
			s.path = path;
			s.with = with[i];
			memset(&o, 0, sizeof(o));
			o.source = &src;
			mc_source_epoch(&src, &est, EPOCH);
			if (fill < MC_HOLD_MAX) {
				assert_int_equal(mc_write(mp, swap_write, &s,
				    &o, &err), MC_OK);
				assert_non_null(strstr(s.m.b.p,
				    "\nplain text\n"));
			} else {
				/* Even the same bytes: a new file is not
				 * the one scanned. */
				assert_int_equal(mc_write(mp, swap_write, &s,
				    &o, &err), MC_EIO);
				assert_string_equal(err.what, path);
				assert_non_null(strstr(err.detail, "changed"));
				assert_null(strstr(s.m.b.p, "plain text"));
			}
			assert_true(s.done);
			unlink(path);
			for (k = 0; k < fill; k++) {
				snprintf(path, sizeof(path), "%s/fill%02d.txt",
				    dir, k);
				unlink(path);
			}
			mc_entity_free(mp);
			mc_buf_free(&s.m.b);
		}
	free(big);
}

/*
 * A file changed in place between its scan and its turn (SPEC 2): grown,
 * rewritten or truncated, held open or parked, as a text, a text or
 * message/rfc822 attachment, or an entity read from a file.  The bytes
 * sent would not match the choices made for them, so the write fails
 * (74 in the tools) and the changed bytes are not sent.
 */
enum change { NO_CHANGE, APPEND, OVERWRITE, TRUNCATE };

struct change_sink {
	struct memsink m;
	const char *path;
	enum change how;
	int done;
};

static int
change_write(void *arg, const void *p, size_t n)
{
	struct change_sink *c = arg;
	struct stat st;
	int fd, ok = 1;

	if (!c->done) {
		c->done = 1;
		if (c->how == APPEND)
			ok = (fd = open(c->path, O_WRONLY | O_APPEND)) != -1 &&
			    write(fd, "more\n", 5) == 5 && close(fd) == 0;
		/* Same length: a byte that 7bit and us-ascii cannot carry,
		 * and a line like a boundary, in the body's last bytes. */
		else if (c->how == OVERWRITE)
			ok = (fd = open(c->path, O_WRONLY)) != -1 &&
			    fstat(fd, &st) == 0 && pwrite(fd, "\xff\n--=_A.x\n",
			    10, st.st_size - 12) == 10 && close(fd) == 0;
		else if (c->how == TRUNCATE)
			ok = truncate(c->path, 3) == 0;
		if (!ok)
			return EIO;
	}
	return memsink_write(&c->m, p, n);
}

static void
change_one(const char *kind, enum change how, int fill, const char *big)
{
	struct change_sink c;
	struct mc_write_opts o;
	struct mc_error err;
	char path[4096], name[32];
	mc_entity *mp, *e = NULL;
	int k;

	assert_non_null(mp = mc_multipart_new("mixed"));
	assert_int_equal(mc_multipart_add(mp, text_mem(big), &err), MC_OK);
	for (k = 0; k < fill; k++) {
		snprintf(name, sizeof(name), "fill%02d.txt", k);
		add_path_text(mp, name, "filler\n", path, sizeof(path));
	}
	put_path(path, sizeof(path), "change.txt", strcmp(kind, "entity") ?
	    "Subject: x\n\nline one\nline two\n" :
	    "Content-Type: text/plain\n\nline one\nline two\n");
	if (strcmp(kind, "entity") == 0)
		assert_int_equal(mc_entity_read_path(&e, path, &err), MC_OK);
	else if (strcmp(kind, "text") == 0)
		assert_int_equal(mc_entity_set_body_path(e = mc_text_new(NULL),
		    path, &err), MC_OK);
	else
		assert_int_equal(mc_entity_set_body_path(e =
		    mc_attachment_new(kind), path, &err), MC_OK);
	assert_int_equal(mc_multipart_add(mp, e, &err), MC_OK);
	memset(&c, 0, sizeof(c));
	sink_init(&c.m);
	c.path = path;
	c.how = how;
	memset(&o, 0, sizeof(o));
	o.source = &src;
	mc_source_epoch(&src, &est, EPOCH);
	if (how == NO_CHANGE)
		assert_int_equal(mc_write(mp, change_write, &c, &o, &err),
		    MC_OK);
	else {
		assert_int_equal(mc_write(mp, change_write, &c, &o, &err),
		    MC_EIO);
		assert_string_equal(err.what, path);
		assert_string_equal(err.detail,
		    "changed while the message was being written");
		assert_null(memchr(c.m.b.p, 0xff, c.m.b.len));
		assert_null(strstr(c.m.b.p, "more"));
	}
	assert_true(c.done);
	unlink(path);
	for (k = 0; k < fill; k++) {
		snprintf(path, sizeof(path), "%s/fill%02d.txt", dir, k);
		unlink(path);
	}
	mc_entity_free(mp);
	mc_buf_free(&c.m.b);
}

static void
file_changed_in_place(void **state)
{
	static const char *const kinds[] = {
		"text", "text/plain", "message/rfc822", "entity"
	};
	size_t i, n = 2 * MC_OUT_BUF;
	char *big;
	int fill, how;

	assert_non_null(big = malloc(n + 1));
	for (i = 0; i < n; i++)
		big[i] = i % 64 == 63 ? '\n' : 'x';
	big[n] = '\0';
	for (fill = 0; fill <= MC_HOLD_MAX; fill += MC_HOLD_MAX)
		for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			for (how = NO_CHANGE; how <= TRUNCATE; how++)
				change_one(kinds[i], (enum change)how, fill,
				    big);
	free(big);
}

/* RFC 2046 5.2.1: message/rfc822 is 7bit or 8bit, so a body that is no
 * message, or has what those cannot carry, is refused, not sent. */
static void
rfc822_refusals(void **state)
{
	static const struct {
		const char *body;
		size_t len;
		const char *why;
	} bad[] = {
		{ "", 0, "no header block" },
		{ "just some text\n", 15, "no header block" },
		{ "\nSubject: x\n", 12, "no header block" },
		{ " folded: x\n\nbody\n", 17, "no header block" },
		{ "\x89PNG\r\n\x1a\n\0\0", 10, "no header block" },
		{ "Subject: x\n\nnul \0 here\n", 23, "a NUL byte" },
		{ "Subject: x\n\nbare \r here\n", 24, "a bare CR" },
	};
	static const char *const good[] = {
		"Subject: x\n", "Subject: x", "Subject: x\n folded\n\nbody",
		"Subject: x\r\n\r\nbody\r\n", "X-A:\n\n",
	};
	struct memsink m;
	struct mc_error err;
	char *lng;
	mc_entity *e;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		e = attach_mem("message/rfc822", "a.eml", bad[i].body,
		    bad[i].len);
		assert_int_equal(write_e(e, 0, &m, &err), MC_EDATA);
		assert_non_null(strstr(err.detail, bad[i].why));
		assert_non_null(strstr(err.detail, "not a message"));
		mc_entity_free(e);
		mc_buf_free(&m.b);
	}
	assert_non_null(lng = malloc(20 + MC_LINE_MAX + 2));
	strcpy(lng, "Subject: x\n\n");
	memset(lng + 12, 'a', MC_LINE_MAX + 1);
	strcpy(lng + 12 + MC_LINE_MAX + 1, "\n");
	e = attach_mem("message/rfc822", "a.eml", lng, strlen(lng));
	assert_int_equal(write_e(e, 0, &m, &err), MC_EDATA);
	assert_non_null(strstr(err.detail, "longer than 998"));
	mc_entity_free(e);
	mc_buf_free(&m.b);
	free(lng);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		e = attach_mem("message/rfc822", "a.eml", good[i],
		    strlen(good[i]));
		assert_int_equal(write_e(e, 0, &m, &err), MC_OK);
		mc_entity_free(e);
		mc_buf_free(&m.b);
	}
}

/* RFC 2046 5.2.1, SPEC 3 mime-attach: message/rfc822 is 7bit or 8bit, and
 * 8bit makes every container around it 8bit. */
static void
rfc822_parts(void **state)
{
	static const char eml7[] = "From: a@example.org\nSubject: x\n\n"
	    "From here\n.\nbody\n";
	static const char eml8[] = "From: a@example.org\nSubject: caf\xc3\xa9"
	    "\n\nbody \xc3\xa9\n";
	struct memsink m;
	struct mc_error err;
	mc_entity *outer, *inner, *plain, *msg;
	const char *p;
	int n8;

	/* As it is, even its "From " and "." lines. */
	expect_leaf_header(attach_mem("message/rfc822", "a.eml", eml7,
	    strlen(eml7)),
	    "Content-Type: message/rfc822; name=a.eml\n"
	    "Content-Disposition: attachment; filename=a.eml\n"
	    "Content-Transfer-Encoding: 7bit\n\n"
	    "From: a@example.org\nSubject: x\n\nFrom here\n.\nbody\n");
	expect_leaf_header(attach_mem("message/rfc822", "b.eml", eml8,
	    strlen(eml8)),
	    "Content-Type: message/rfc822; name=b.eml\n"
	    "Content-Disposition: attachment; filename=b.eml\n"
	    "Content-Transfer-Encoding: 8bit\n\n"
	    "From: a@example.org\nSubject: caf\xc3\xa9\n\nbody \xc3\xa9\n");

	/* message { mixed { text, alternative { text, rfc822 8bit } },
	 * mixed { text } } */
	assert_non_null(outer = mc_multipart_new("mixed"));
	assert_non_null(inner = mc_multipart_new("alternative"));
	assert_non_null(plain = mc_multipart_new("mixed"));
	assert_int_equal(mc_multipart_add(inner, text_mem("t\n"), &err), MC_OK);
	assert_int_equal(mc_multipart_add(inner, attach_mem("message/rfc822",
	    "b.eml", eml8, strlen(eml8)), &err), MC_OK);
	assert_int_equal(mc_multipart_add(plain, text_mem("p\n"), &err), MC_OK);
	assert_int_equal(mc_multipart_add(outer, text_mem("o\n"), &err), MC_OK);
	assert_int_equal(mc_multipart_add(outer, inner, &err), MC_OK);
	assert_int_equal(mc_multipart_add(outer, plain, &err), MC_OK);
	msg = message("a@example.org", outer);
	assert_int_equal(write_e(msg, 0, &m, &err), MC_OK);
	assert_int_equal(check_boundaries(m.b.p), 3);
	/* The message's multipart and the alternative say 8bit. */
	assert_true(header_has(m.b.p, "MIME-Version: 1.0\nContent-Type: "
	    "multipart/mixed;", "\nContent-Transfer-Encoding: 8bit\n"));
	assert_true(header_has(m.b.p, "Content-Type: multipart/alternative;",
	    "\nContent-Transfer-Encoding: 8bit\n"));
	/* The 7-bit container and the text parts stay 7bit. */
	p = strstr(m.b.p, "Content-Type: multipart/alternative;");
	assert_false(header_has(p + 1, "Content-Type: multipart/mixed;",
	    "8bit"));
	for (p = m.b.p, n8 = 0; (p = strstr(p, "8bit")) != NULL; p++)
		n8++;
	assert_int_equal(n8, 3);
	mc_entity_free(msg);
	mc_buf_free(&m.b);
}

/* An 8bit text (-e 8bit) makes its containers 8bit too. */
static void
eightbit_text_propagates(void **state)
{
	struct memsink m;
	struct mc_error err;
	mc_entity *mp, *t;

	assert_non_null(mp = mc_multipart_new(NULL));
	t = text_mem("caf\xc3\xa9\n");
	assert_int_equal(mc_entity_set_encoding(t, MC_CTE_8BIT, &err), MC_OK);
	assert_int_equal(mc_multipart_add(mp, t, &err), MC_OK);
	assert_int_equal(write_e(mp, 0, &m, &err), MC_OK);
	assert_non_null(strstr(m.b.p, "\"\nContent-Transfer-Encoding: 8bit\n"
	    "\n--"));
	mc_entity_free(mp);
	mc_buf_free(&m.b);

	/* Without 8-bit parts, no Content-Transfer-Encoding on the
	 * multipart. */
	assert_non_null(mp = mc_multipart_new(NULL));
	assert_int_equal(mc_multipart_add(mp, text_mem("caf\xc3\xa9\n"), &err),
	    MC_OK);
	assert_int_equal(write_e(mp, 0, &m, &err), MC_OK);
	assert_non_null(strstr(m.b.p, "\"\n\n--"));
	assert_null(strstr(m.b.p, "8bit"));
	mc_entity_free(mp);
	mc_buf_free(&m.b);

	/* A read entity that says 8bit. */
	assert_non_null(mp = mc_multipart_new(NULL));
	assert_int_equal(mc_multipart_add(mp, read_mem("Content-Type: "
	    "text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
	    "caf\xc3\xa9\n"), &err), MC_OK);
	assert_int_equal(write_e(mp, 0, &m, &err), MC_OK);
	assert_non_null(strstr(m.b.p, "\"\nContent-Transfer-Encoding: 8bit\n"
	    "\n--"));
	mc_entity_free(mp);
	mc_buf_free(&m.b);
	close_fds();
}

/* RFC 2387 3.1, 3.2: type= and start=. */
static void
related_params(void **state)
{
	struct memsink m;
	struct mc_error err;
	mc_entity *mp, *html, *alt;

	assert_non_null(mp = mc_multipart_new("related"));
	assert_non_null(html = mc_text_new("html"));
	assert_int_equal(mc_entity_set_body_mem(html, "<img src=cid:l>\n", 16,
	    &err), MC_OK);
	assert_int_equal(mc_entity_set_id(html, "root@x", &err), MC_OK);
	assert_int_equal(mc_multipart_add(mp, html, &err), MC_OK);
	assert_int_equal(mc_multipart_add(mp, attach_mem("image/png", "l.png",
	    "\x89PNG", 4), &err), MC_OK);
	assert_int_equal(mc_multipart_set_start(mp, "root@x", &err), MC_OK);
	assert_int_equal(write_e(mp, 0, &m, &err), MC_OK);
	assert_memory_equal(m.b.p, "Content-Type: multipart/related;", 32);
	assert_non_null(strstr(m.b.p, "type=\"text/html\""));
	assert_non_null(strstr(m.b.p, "start=\"<root@x>\""));
	assert_int_equal(check_boundaries(m.b.p), 1);
	mc_entity_free(mp);
	mc_buf_free(&m.b);

	/* The root is the part start names, not the first (RFC 2387 3.1),
	 * a read one too; a start that names no part is refused. */
	assert_non_null(mp = mc_multipart_new("related"));
	assert_int_equal(mc_multipart_add(mp, attach_mem("image/png", "l.png",
	    "\x89PNG", 4), &err), MC_OK);
	assert_int_equal(mc_multipart_add(mp, read_mem("Content-Type: "
	    "text/html\nContent-ID:  <root@x> \n\n<p>\n"), &err), MC_OK);
	assert_int_equal(mc_multipart_set_start(mp, "root@x", &err), MC_OK);
	assert_int_equal(write_e(mp, 0, &m, &err), MC_OK);
	assert_non_null(strstr(m.b.p, "type=\"text/html\""));
	mc_entity_free(mp);
	mc_buf_free(&m.b);
	assert_non_null(mp = mc_multipart_new("related"));
	assert_int_equal(mc_multipart_add(mp, text_mem("x\n"), &err), MC_OK);
	assert_int_equal(mc_multipart_set_start(mp, "none@x", &err), MC_OK);
	assert_int_equal(write_e(mp, 0, &m, &err), MC_EDATA);
	assert_string_equal(err.what, "<none@x>");
	assert_int_equal(m.b.len, 0);
	mc_entity_free(mp);
	mc_buf_free(&m.b);

	/* type= names a multipart first part, a read one's type too. */
	assert_non_null(mp = mc_multipart_new("related"));
	assert_non_null(alt = mc_multipart_new("alternative"));
	assert_int_equal(mc_multipart_add(alt, text_mem("x\n"), &err), MC_OK);
	assert_int_equal(mc_multipart_add(mp, alt, &err), MC_OK);
	assert_int_equal(write_e(mp, 0, &m, &err), MC_OK);
	assert_non_null(strstr(m.b.p, "type=\"multipart/alternative\""));
	assert_null(strstr(m.b.p, "start="));
	mc_entity_free(mp);
	mc_buf_free(&m.b);

	assert_non_null(mp = mc_multipart_new("related"));
	assert_int_equal(mc_multipart_add(mp, read_mem("Content-Type: "
	    "Text/HTML; charset=us-ascii\n\n<p>\n"), &err), MC_OK);
	assert_int_equal(write_e(mp, 0, &m, &err), MC_OK);
	assert_non_null(strstr(m.b.p, "type=\"text/html\""));
	mc_entity_free(mp);
	mc_buf_free(&m.b);

	/* Other subtypes have no type=. */
	assert_non_null(mp = mc_multipart_new("alternative"));
	assert_int_equal(mc_multipart_add(mp, text_mem("x\n"), &err), MC_OK);
	assert_int_equal(write_e(mp, 0, &m, &err), MC_OK);
	assert_null(strstr(m.b.p, "type=\""));
	mc_entity_free(mp);
	mc_buf_free(&m.b);
	close_fds();
}

/* Lines like delimiters: "--=_" and runs of every marker, and lines like
 * a whole boundary. */
static char *
tricky_text(void)
{
	static const char markers[] = "QRSTUVWXYZKLMNPJqrstuvwxyzklmnpj";
	struct mc_buf b;
	size_t i, j;
	int k;

	mc_buf_init(&b);
	mc_buf_adds(&b, "--=_\n--\n--=\n");
	for (i = 0; markers[i] != '\0'; i++)
		for (k = 1; k <= 6; k++) {
			mc_buf_adds(&b, "--=_");
			for (j = 0; j < (size_t)k; j++)
				mc_buf_addc(&b, markers[i]);
			mc_buf_adds(&b, k % 2 ? ".0123456789abcdef01234567\n" :
			    "\n");
		}
	/* Every pair of markers, and longer runs of some. */
	for (i = 0; i < 16; i++)
		for (j = 0; j < 16; j++)
			mc_buf_printf(&b, "--=_%c%c%s\n", markers[i],
			    markers[j], (i + j) % 3 ? "" : "RR.x");
	mc_buf_adds(&b, "--=_QQQQQQQQQQ--\n");
	assert_false(b.oom);
	return b.p;
}

/* SPEC 3 mime-multipart: the boundary provably occurs in no part. */
static void
boundaries(void **state)
{
	struct memsink m;
	struct mc_error err;
	char b0[80], b1[80], b2[80];
	char *tricky = tricky_text(), *rd;
	mc_entity *outer, *inner, *t;
	struct mc_buf hdr;

	/* A read entity with such lines in its header and its body. */
	mc_buf_init(&hdr);
	mc_buf_adds(&hdr, "Content-Type: text/plain\n--=_RRRRRRRRRRRR: x\n\n");
	mc_buf_adds(&hdr, tricky);
	rd = hdr.p;

	assert_non_null(outer = mc_multipart_new(NULL));
	assert_non_null(inner = mc_multipart_new("alternative"));
	assert_int_equal(mc_multipart_add(inner, text_mem(tricky), &err),
	    MC_OK);
	t = text_mem(tricky);
	assert_int_equal(mc_entity_set_encoding(t, MC_CTE_8BIT, &err), MC_OK);
	assert_int_equal(mc_multipart_add(inner, t, &err), MC_OK);
	assert_int_equal(mc_multipart_add(outer, inner, &err), MC_OK);
	assert_int_equal(mc_multipart_add(outer, read_mem(rd), &err), MC_OK);
	assert_int_equal(mc_multipart_add(outer, attach_mem("message/rfc822",
	    "m.eml", rd, strlen(rd)), &err), MC_OK);
	assert_int_equal(write_e(outer, 0, &m, &err), MC_OK);
	/* The text went 7bit, as it is. */
	assert_non_null(strstr(m.b.p, "Content-Transfer-Encoding: 7bit\n\n"
	    "--=_\n--\n--=\n--=_Q.0123"));
	assert_int_equal(check_boundaries(m.b.p), 2);
	assert_int_equal(boundary_n(m.b.p, 0, b0, sizeof(b0)), 0);
	assert_int_equal(boundary_n(m.b.p, 1, b1, sizeof(b1)), 0);
	assert_string_not_equal(b0, b1);
	mc_entity_free(outer);
	mc_buf_free(&m.b);

	/* Sibling multiparts and three levels: all different. */
	assert_non_null(outer = mc_multipart_new(NULL));
	assert_non_null(inner = mc_multipart_new(NULL));
	assert_int_equal(mc_multipart_add(inner, text_mem("a\n"), &err), MC_OK);
	assert_int_equal(mc_multipart_add(outer, inner, &err), MC_OK);
	assert_non_null(inner = mc_multipart_new(NULL));
	assert_int_equal(mc_multipart_add(inner, text_mem("b\n"), &err), MC_OK);
	assert_int_equal(mc_multipart_add(outer, inner, &err), MC_OK);
	assert_int_equal(write_e(outer, 0, &m, &err), MC_OK);
	assert_int_equal(check_boundaries(m.b.p), 3);
	assert_int_equal(boundary_n(m.b.p, 0, b0, sizeof(b0)), 0);
	assert_int_equal(boundary_n(m.b.p, 1, b1, sizeof(b1)), 0);
	assert_int_equal(boundary_n(m.b.p, 2, b2, sizeof(b2)), 0);
	assert_string_not_equal(b0, b1);
	assert_string_not_equal(b0, b2);
	assert_string_not_equal(b1, b2);
	mc_entity_free(outer);
	mc_buf_free(&m.b);

	/* A read multipart whose own boundary looks like ours. */
	assert_non_null(outer = mc_multipart_new(NULL));
	assert_int_equal(mc_multipart_add(outer, read_mem(
	    "Content-Type: multipart/mixed; boundary=\"=_Q.000000000000000000"
	    "000000\"\n\n--=_Q.000000000000000000000000\n"
	    "Content-Type: text/plain\n\nx\n"
	    "--=_Q.000000000000000000000000--\n"), &err), MC_OK);
	assert_int_equal(write_e(outer, 0, &m, &err), MC_OK);
	assert_int_equal(check_boundaries(m.b.p), 2);
	mc_entity_free(outer);
	mc_buf_free(&m.b);

	free(tricky);
	mc_buf_free(&hdr);
	close_fds();
}

/* A base64 or quoted-printable read entity cannot hold a delimiter-like
 * line. */
static void
read_encoded_with_delimiter(void **state)
{
	static const char *const bad[] = {
		"Content-Type: image/png\nContent-Transfer-Encoding: base64\n\n"
		    "iVBORw==\n--=_QQ\n",
		"Content-Type: text/plain\nContent-Transfer-Encoding: "
		    "quoted-printable\n\nabc\n--=_QQQQ.123\nxyz\n",
		"Content-Type: image/png\nContent-Transfer-Encoding: base64\n\n"
		    "iVBORw==\n--=_QRRR\n",
		"Content-Type: image/png\nContent-Transfer-Encoding: base64\n\n"
		    "--=_ZZ.0123456789abcdef01234567\n",
	};
	struct memsink m;
	struct mc_error err;
	enum mc_err rc;
	mc_entity *mp;
	size_t i;
	int nbad = 0;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_non_null(mp = mc_multipart_new(NULL));
		assert_int_equal(mc_multipart_add(mp, read_mem(bad[i]), &err),
		    MC_OK);
		rc = write_e(mp, 0, &m, &err);
		mc_entity_free(mp);
		mc_buf_free(&m.b);
		close_fds();
		if (rc != MC_EDATA || strcmp(err.what, "part") != 0) {
			print_error("case %zu: got %d\n", i, rc);
			nbad++;
		}
	}
	assert_int_equal(nbad, 0);
	/* The same without the line goes through. */
	assert_non_null(mp = mc_multipart_new(NULL));
	assert_int_equal(mc_multipart_add(mp, read_mem("Content-Type: "
	    "image/png\nContent-Transfer-Encoding: base64\n\niVBORw==\n"),
	    &err), MC_OK);
	assert_int_equal(write_e(mp, 0, &m, &err), MC_OK);
	assert_non_null(strstr(m.b.p, "\n\niVBORw==\n\n--=_"));
	mc_entity_free(mp);
	mc_buf_free(&m.b);
	close_fds();
}

static mc_entity *
mixed_tree(void)
{
	static unsigned char bin[300];
	static char longline[400];
	struct mc_error err;
	mc_entity *mp, *t;
	size_t i;

	for (i = 0; i < sizeof(bin); i++)
		bin[i] = (unsigned char)(i * 7);
	for (i = 0; i + 5 < sizeof(longline); i += 3)
		memcpy(longline + i, "\xc3\xa9 ", 3);
	longline[i] = '\n';
	longline[i + 1] = '\0';
	assert_non_null(mp = mc_multipart_new(NULL));
	assert_int_equal(mc_multipart_add(mp, text_mem("a\nb\n\nc\n"), &err),
	    MC_OK);
	t = text_mem(longline);
	assert_int_equal(mc_entity_set_encoding(t, MC_CTE_QP, &err), MC_OK);
	assert_int_equal(mc_multipart_add(mp, t, &err), MC_OK);
	assert_int_equal(mc_multipart_add(mp, attach_mem(NULL, "b.bin", bin,
	    sizeof(bin)), &err), MC_OK);
	assert_int_equal(mc_multipart_add(mp, read_mem("Content-Type: "
	    "text/plain\nX-Folded: a\n b\n\nx\ny\n\nz\n"), &err), MC_OK);
	assert_int_equal(mc_multipart_add(mp, read_mem("Content-Type: "
	    "text/plain\r\nX-CRLF: 1\r\n\r\nu\r\nv\r\n"), &err), MC_OK);
	assert_int_equal(mc_multipart_add(mp, attach_mem("message/rfc822",
	    "m.eml", "Subject: x\n\nbody\n", 17), &err), MC_OK);
	return message("Zo\xc3\xab <zoe@example.org>", mp);
}

/* SPEC 2: LF by default, CRLF everywhere with MC_CRLF. */
static void
line_ends(void **state)
{
	struct memsink m;
	struct mc_error err;
	mc_entity *msg;

	msg = mixed_tree();
	assert_int_equal(write_e(msg, MC_CRLF, &m, &err), MC_OK);
	check_eols(m.b.p, m.b.len, 1);
	assert_non_null(strstr(m.b.p, "X-Folded: a\r\n b\r\n\r\nx\r\ny\r\n"
	    "\r\nz\r\n"));
	assert_non_null(strstr(m.b.p, "X-CRLF: 1\r\n\r\nu\r\nv\r\n"));
	assert_non_null(strstr(m.b.p, "\r\n\r\nSubject: x\r\n\r\nbody\r\n"));
	assert_int_equal(check_boundaries(m.b.p), 1);
	mc_entity_free(msg);
	mc_buf_free(&m.b);
	close_fds();

	msg = mixed_tree();
	assert_int_equal(write_e(msg, 0, &m, &err), MC_OK);
	check_eols(m.b.p, m.b.len, 0);
	assert_non_null(strstr(m.b.p, "X-CRLF: 1\n\nu\nv\n"));
	mc_entity_free(msg);
	mc_buf_free(&m.b);
	close_fds();
}

/* The output is 7-bit clean unless 8bit was asked for. */
static void
seven_bit_clean(void **state)
{
	struct memsink m;
	struct mc_error err;
	mc_entity *msg;
	size_t i;

	msg = mixed_tree();
	assert_int_equal(mc_message_set_subject(msg, "Gr\xc3\xbc\xc3\x9f"
	    "e \xe4\xb8\xad\xe6\x96\x87", &err), MC_OK);
	assert_int_equal(write_e(msg, 0, &m, &err), MC_OK);
	for (i = 0; i < m.b.len; i++)
		assert_true((unsigned char)m.b.p[i] < 0x80);
	mc_entity_free(msg);
	mc_buf_free(&m.b);
	close_fds();
}

/* SPEC 3 mime-message: Message-ID with the domain of From; Date. */
static void
message_id_and_date(void **state)
{
	struct memsink m;
	struct mc_error err;
	const char *p;
	mc_entity *msg;
	size_t i;

	msg = message("Ann <ann@Mail.Example.ORG>", text_mem("x\n"));
	assert_int_equal(write_e(msg, 0, &m, &err), MC_OK);
	assert_non_null(p = strstr(m.b.p, "\nMessage-ID: <"));
	p += 14;
	for (i = 0; i < 26; i++)
		assert_non_null(strchr("abcdefghijklmnopqrstuvwxyz234567",
		    p[i]));
	assert_memory_equal(p + 26, "@Mail.Example.ORG>\n", 19);
	assert_non_null(strstr(m.b.p,
	    "\nDate: Tue, 14 Nov 2023 22:13:20 +0000\n"));
	mc_entity_free(msg);
	mc_buf_free(&m.b);

	/* The first author's domain. */
	msg = message("a@one.example, b@two.example", text_mem("x\n"));
	assert_int_equal(mc_message_add_header(msg, "Sender: a@one.example",
	    &err), MC_OK);
	assert_int_equal(write_e(msg, 0, &m, &err), MC_OK);
	assert_non_null(strstr(m.b.p, "@one.example>\n"));
	mc_entity_free(msg);
	mc_buf_free(&m.b);
}

/* Date is UTC under the epoch source, whatever TZ says; "@SECONDS" too. */
static void
dates_under_epoch(void **state)
{
	struct memsink m;
	struct mc_error err;
	mc_entity *msg;
	char *old = getenv("TZ") ? strdup(getenv("TZ")) : NULL;

	setenv("TZ", "XXX-9", 1);
	tzset();
	msg = message("a@example.org", text_mem("x\n"));
	assert_int_equal(write_e(msg, 0, &m, &err), MC_OK);
	assert_non_null(strstr(m.b.p,
	    "\nDate: Tue, 14 Nov 2023 22:13:20 +0000\n"));
	mc_entity_free(msg);
	mc_buf_free(&m.b);

	msg = message("a@example.org", text_mem("x\n"));
	assert_int_equal(mc_message_set_date(msg, "@86400", &err), MC_OK);
	assert_int_equal(write_e(msg, 0, &m, &err), MC_OK);
	assert_non_null(strstr(m.b.p,
	    "\nDate: Fri, 02 Jan 1970 00:00:00 +0000\n"));
	mc_entity_free(msg);
	mc_buf_free(&m.b);

	/* Without it, "@SECONDS" is in the local zone. */
	msg = message("a@example.org", text_mem("x\n"));
	assert_int_equal(mc_message_set_date(msg, "@86400", &err), MC_OK);
	sink_init(&m);
	assert_int_equal(mc_write(msg, memsink_write, &m, NULL, &err), MC_OK);
	assert_non_null(strstr(m.b.p,
	    "\nDate: Fri, 02 Jan 1970 09:00:00 +0900\n"));
	mc_entity_free(msg);
	mc_buf_free(&m.b);

	if (old != NULL)
		setenv("TZ", old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(old);
}

static void
message_refusals(void **state)
{
	struct memsink m;
	struct mc_error err;
	mc_entity *msg;

	/* A whole message given as the body. */
	msg = message("a@example.org", read_mem("From: x@example.org\n"
	    "Content-Type: text/plain\n\nx\n"));
	assert_int_equal(write_e(msg, 0, &m, &err), MC_EDATA);
	assert_string_equal(err.what, "part");
	assert_non_null(strstr(err.detail, "From"));
	assert_int_equal(m.b.len, 0);
	mc_entity_free(msg);
	mc_buf_free(&m.b);
	msg = message("a@example.org", read_mem("Content-Type: text/plain\n"
	    "subject: hi\n\nx\n"));
	assert_int_equal(write_e(msg, 0, &m, &err), MC_EDATA);
	mc_entity_free(msg);
	mc_buf_free(&m.b);
	/* ... but X-From and MIME-Version are fine; one MIME-Version. */
	msg = message("a@example.org", read_mem("MIME-Version: 1.0\n"
	    "X-From: y\nContent-Type: text/plain\n\nx\n"));
	assert_int_equal(write_e(msg, 0, &m, &err), MC_OK);
	assert_non_null(strstr(m.b.p, "MIME-Version: 1.0\nX-From: y\n"
	    "Content-Type: text/plain\n\nx\n"));
	assert_null(strstr(strstr(m.b.p, "MIME-Version") + 1,
	    "MIME-Version"));
	mc_entity_free(msg);
	mc_buf_free(&m.b);

	/* RFC 5322 3.6.2: several authors need a Sender. */
	msg = message("a@example.org, b@example.org", text_mem("x\n"));
	assert_int_equal(write_e(msg, 0, &m, &err), MC_EDATA);
	assert_string_equal(err.what, "From");
	assert_int_equal(m.b.len, 0);
	mc_entity_free(msg);
	mc_buf_free(&m.b);

	/* No From; no body. */
	assert_non_null(msg = mc_message_new());
	assert_int_equal(mc_message_set_body(msg, text_mem("x\n"), &err),
	    MC_OK);
	assert_int_equal(write_e(msg, 0, &m, &err), MC_EUSAGE);
	mc_entity_free(msg);
	mc_buf_free(&m.b);
	msg = message("a@example.org", NULL);
	assert_int_equal(write_e(msg, 0, &m, &err), MC_EUSAGE);
	mc_entity_free(msg);
	mc_buf_free(&m.b);

	/* An empty multipart. */
	assert_non_null(msg = mc_multipart_new(NULL));
	assert_int_equal(write_e(msg, 0, &m, &err), MC_EUSAGE);
	mc_entity_free(msg);
	mc_buf_free(&m.b);
	assert_non_null(msg = mc_multipart_new("a/b"));
	assert_int_equal(mc_multipart_add(msg, text_mem("x\n"), &err), MC_OK);
	assert_int_equal(write_e(msg, 0, &m, &err), MC_EUSAGE);
	mc_entity_free(msg);
	mc_buf_free(&m.b);
	close_fds();
}

/* A failure in a later part: nothing written. */
static void
nothing_written_on_bad_input(void **state)
{
	struct memsink m;
	struct mc_error err;
	mc_entity *mp;

	assert_non_null(mp = mc_multipart_new(NULL));
	assert_int_equal(mc_multipart_add(mp, text_mem("ok\n"), &err), MC_OK);
	assert_int_equal(mc_multipart_add(mp, text_mem("bad \xff\n"), &err),
	    MC_OK);
	assert_int_equal(write_e(mp, 0, &m, &err), MC_EDATA);
	assert_string_equal(err.detail, "invalid UTF-8 at byte 4");
	assert_int_equal(m.b.len, 0);
	mc_entity_free(mp);
	mc_buf_free(&m.b);
}

static void
write_once(void **state)
{
	struct memsink m;
	struct mc_error err;
	mc_entity *msg = golden_tree();

	assert_int_equal(write_e(msg, 0, &m, &err), MC_OK);
	mc_buf_free(&m.b);
	assert_int_equal(write_e(msg, 0, &m, &err), MC_EUSAGE);
	assert_int_equal(m.b.len, 0);
	mc_buf_free(&m.b);
	mc_entity_free(msg);

	/* Also after a failed write. */
	msg = message("a@example.org, b@example.org", text_mem("x\n"));
	assert_int_equal(write_e(msg, 0, &m, &err), MC_EDATA);
	mc_buf_free(&m.b);
	assert_int_equal(write_e(msg, 0, &m, &err), MC_EUSAGE);
	mc_buf_free(&m.b);
	mc_entity_free(msg);

	/* Nothing to write to. */
	msg = golden_tree();
	assert_int_equal(mc_write(msg, NULL, NULL, NULL, &err), MC_EUSAGE);
	assert_int_equal(mc_write(NULL, memsink_write, &m, NULL, &err),
	    MC_EUSAGE);
	mc_entity_free(msg);
}

/* A failed write is MC_EIO with the sink's errno, wherever it happens. */
static void
write_failure(void **state)
{
	static const size_t at[] = { 1, 10, 100, 300, 700, 1000, 2000 };
	struct memsink m;
	struct mc_error err;
	mc_entity *msg;
	size_t i, full;

	msg = mixed_tree();
	assert_int_equal(write_e(msg, 0, &m, &err), MC_OK);
	full = m.b.len;
	mc_entity_free(msg);
	mc_buf_free(&m.b);
	close_fds();
	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		assert_true(at[i] < full);
		msg = mixed_tree();
		sink_init(&m);
		m.fail_after = at[i];
		assert_int_equal(write_at(msg, 0, EPOCH, &m, &err), MC_EIO);
		assert_int_equal(err.code, MC_EIO);
		assert_int_equal(err.sys, 28);
		mc_entity_free(msg);
		mc_buf_free(&m.b);
		close_fds();
	}
}

static void
write_fd(void **state)
{
	struct mc_error err;
	struct mc_write_opts o;
	char buf[1024];
	mc_entity *msg;
	ssize_t k;
	int fd;

	memset(&o, 0, sizeof(o));
	o.source = &src;
	mc_source_epoch(&src, &est, EPOCH);
	fd = file_fd("", 0);
	msg = golden_tree();
	assert_int_equal(mc_write_fd(msg, fd, &o, &err), MC_OK);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	k = read(fd, buf, sizeof(buf) - 1);
	assert_int_equal(k, (ssize_t)strlen(golden));
	buf[k] = '\0';
	assert_string_equal(buf, golden);
	mc_entity_free(msg);
	close_fds();

	/* SPEC 2: /dev/full is an I/O error. */
	if ((fd = open("/dev/full", O_WRONLY)) != -1) {
		msg = golden_tree();
		assert_int_equal(mc_write_fd(msg, fd, &o, &err), MC_EIO);
		assert_int_equal(err.sys, ENOSPC);
		mc_entity_free(msg);
		close(fd);
	}
}

/* A text read from a pipe: spooled, then written from the copy. */
static void
pipe_body(void **state)
{
	static const char text[] = "caf\xc3\xa9 from a pipe\n";
	struct memsink m;
	struct mc_error err;
	mc_entity *t, *msg;
	int p[2];

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], text, strlen(text)),
	    (ssize_t)strlen(text));
	close(p[1]);
	assert_non_null(t = mc_text_new(NULL));
	assert_int_equal(mc_entity_set_body_fd(t, p[0], "stdin", &err), MC_OK);
	msg = message("a@example.org", t);
	assert_int_equal(write_e(msg, 0, &m, &err), MC_OK);
	assert_string_equal(body_of(strstr(m.b.p, "Content-Type:")),
	    "caf=C3=A9 from a pipe\n");
	mc_entity_free(msg);
	mc_buf_free(&m.b);
	close(p[0]);
}

static mc_entity *
repro_tree(void)
{
	struct mc_error err;
	mc_entity *msg;

	msg = mixed_tree();
	assert_int_equal(mc_message_set_subject(msg, "Caf\xc3\xa9", &err),
	    MC_OK);
	return msg;
}

/* SPEC 2: the same output for the same inputs and epoch. */
static void
reproducible(void **state)
{
	struct memsink m1, m2, m3;
	struct mc_error err;
	mc_entity *a, *b, *c;

	a = repro_tree();
	b = repro_tree();
	c = repro_tree();
	sink_init(&m1);
	sink_init(&m2);
	sink_init(&m3);
	assert_int_equal(write_at(a, 0, EPOCH, &m1, &err), MC_OK);
	assert_int_equal(write_at(b, 0, EPOCH, &m2, &err), MC_OK);
	assert_int_equal(write_at(c, 0, EPOCH + 1, &m3, &err), MC_OK);
	assert_int_equal(m1.b.len, m2.b.len);
	assert_memory_equal(m1.b.p, m2.b.p, m1.b.len);
	assert_string_not_equal(m1.b.p, m3.b.p);
	mc_entity_free(a);
	mc_entity_free(b);
	mc_entity_free(c);
	mc_buf_free(&m1.b);
	mc_buf_free(&m2.b);
	mc_buf_free(&m3.b);
	close_fds();

	/* The system source: boundaries and Message-IDs differ. */
	a = repro_tree();
	b = repro_tree();
	sink_init(&m1);
	sink_init(&m2);
	assert_int_equal(mc_write(a, memsink_write, &m1, NULL, &err), MC_OK);
	assert_int_equal(mc_write(b, memsink_write, &m2, NULL, &err), MC_OK);
	assert_string_not_equal(m1.b.p, m2.b.p);
	mc_entity_free(a);
	mc_entity_free(b);
	mc_buf_free(&m1.b);
	mc_buf_free(&m2.b);
	close_fds();
}

/* A tree built from the top down, deeper than MC_MAX_DEPTH, is refused
 * when added or when written. */
static void
depth_top_down(void **state)
{
	struct memsink m;
	struct mc_error err;
	mc_entity *top, *cur, *next;
	enum mc_err rc = MC_EDATA;
	int i, refused = 0;

	assert_non_null(top = mc_multipart_new(NULL));
	cur = top;
	for (i = 0; i < MC_MAX_DEPTH + 8; i++) {
		assert_non_null(next = mc_multipart_new(NULL));
		if (mc_multipart_add(cur, next, &err) != MC_OK) {
			assert_int_equal(err.code, MC_EDATA);
			refused = 1;
			break;
		}
		cur = next;
	}
	if (!refused) {
		assert_int_equal(mc_multipart_add(cur, text_mem("x\n"), &err),
		    MC_OK);
		rc = write_e(top, 0, &m, &err);
		mc_buf_free(&m.b);
	}
	mc_entity_free(top);
	/* Freed first, so that a failure here reports no leak. */
	assert_int_equal(rc, MC_EDATA);
}

static void
empty_body_child(void)
{
	struct memsink m;
	struct mc_error err;
	mc_entity *t;

	t = mc_text_new(NULL);
	if (mc_entity_set_body_mem(t, NULL, 0, &err) != MC_OK)
		exit(2);
	if (write_e(t, 0, &m, &err) != MC_OK)
		exit(3);
	if (strcmp(m.b.p, "Content-Type: text/plain; charset=us-ascii\n"
	    "Content-Transfer-Encoding: 7bit\n\n") != 0)
		exit(4);
	mc_entity_free(t);
	mc_buf_free(&m.b);
}

/* An empty body given as (NULL, 0), which mc_entity_set_body_mem takes;
 * run apart, since a sanitizer report ends the process. */
static void
empty_null_body(void **state)
{
	pid_t pid;
	int st;

	fflush(NULL);
	assert_true((pid = fork()) != -1);
	if (pid == 0) {
		empty_body_child();
		exit(0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static int
setup(void **state)
{
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	return rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(golden_text_message),
		cmocka_unit_test(golden_text_message_crlf),
		cmocka_unit_test(golden_message_fields),
		cmocka_unit_test(golden_multipart),
		cmocka_unit_test(text_encoding_auto),
		cmocka_unit_test(text_encoding_forced),
		cmocka_unit_test(text_invalid_utf8),
		cmocka_unit_test(final_line_break),
		cmocka_unit_test(text_charset_label),
		cmocka_unit_test(text_subtypes),
		cmocka_unit_test(attachment_types),
		cmocka_unit_test(attachment_refusals),
		cmocka_unit_test(rfc822_parts),
		cmocka_unit_test(rfc822_refusals),
		cmocka_unit_test(eightbit_text_propagates),
		cmocka_unit_test(related_params),
		cmocka_unit_test(boundaries),
		cmocka_unit_test(read_encoded_with_delimiter),
		cmocka_unit_test(line_ends),
		cmocka_unit_test(seven_bit_clean),
		cmocka_unit_test(message_id_and_date),
		cmocka_unit_test(dates_under_epoch),
		cmocka_unit_test(message_refusals),
		cmocka_unit_test(nothing_written_on_bad_input),
		cmocka_unit_test(write_once),
		cmocka_unit_test(write_failure),
		cmocka_unit_test(write_fd),
		cmocka_unit_test(pipe_body),
		cmocka_unit_test(reproducible),
		cmocka_unit_test(depth_top_down),
		cmocka_unit_test(empty_null_body),
		cmocka_unit_test(many_files),
		cmocka_unit_test(file_changed),
		cmocka_unit_test(file_changed_in_place),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
