/* SPDX-License-Identifier: ISC */
/* Unit tests for signsafe.c: the sign-safe form (RFC 3156 3, SPEC 6). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "unit.h"

/* A descriptor on an unlinked file holding s[0..n), at its start. */
static int
file_fd(const char *s, size_t n)
{
	int fd;

	assert_true((fd = mc_spool_fd(NULL)) != -1);
	assert_int_equal(write(fd, s, n), (ssize_t)n);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

/* A pipe fed s one byte at a time by a child: every read a short one. */
static int
slow_pipe(const char *s, size_t n, pid_t *pid)
{
	int p[2];
	size_t i;

	assert_int_equal(pipe(p), 0);
	fflush(NULL);
	assert_true((*pid = fork()) != -1);
	if (*pid == 0) {
		close(p[0]);
		for (i = 0; i < n; i++)
			if (write(p[1], s + i, 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(p[1]);
	return p[0];
}

/* Converts s with flags (and a reserved boundary); the output in *out
 * (NUL-terminated, freed by the caller); the result code. */
static enum mc_err
conv_n(const char *s, size_t n, unsigned flags, const char *reserved,
    struct memsink *out, struct mc_error *err)
{
	struct mc_signsafe_opts o = { flags, reserved };
	enum mc_err rc;
	int fd;

	memset(out, 0, sizeof(*out));
	mc_buf_init(&out->b);
	fd = file_fd(s, n);
	rc = mc_signsafe_fd(fd, "in", memsink_write, out, &o, err);
	close(fd);
	mc_buf_addc(&out->b, '\0');
	out->b.len--;
	return rc;
}

static enum mc_err
conv(const char *s, unsigned flags, struct memsink *out,
    struct mc_error *err)
{
	return conv_n(s, strlen(s), flags, NULL, out, err);
}

/* s converts to want (LF), and to want with CRLF under MC_CRLF, from
 * LF and from CRLF input, and through a pipe read a byte at a time. */
static void
expect(const char *s, const char *want)
{
	struct mc_signsafe_opts o = { 0, NULL };
	struct memsink out;
	struct mc_error err;
	struct mc_buf crlf, wcrlf;
	const char *p;
	pid_t pid;
	int fd, st;

	assert_int_equal(conv(s, 0, &out, &err), MC_OK);
	assert_string_equal(out.b.p, want);
	mc_buf_free(&out.b);
	mc_buf_init(&crlf);
	mc_buf_init(&wcrlf);
	for (p = s; *p != '\0'; p++)
		mc_buf_adds(&crlf, *p == '\n' ? "\r\n" : (char[]){ *p, 0 });
	for (p = want; *p != '\0'; p++)
		mc_buf_adds(&wcrlf, *p == '\n' ? "\r\n" : (char[]){ *p, 0 });
	assert_int_equal(conv(crlf.p, 0, &out, &err), MC_OK);
	assert_string_equal(out.b.p, want);
	mc_buf_free(&out.b);
	assert_int_equal(conv(s, MC_CRLF, &out, &err), MC_OK);
	assert_string_equal(out.b.p, wcrlf.p ? wcrlf.p : "");
	mc_buf_free(&out.b);

	memset(&out, 0, sizeof(out));
	mc_buf_init(&out.b);
	fd = slow_pipe(s, strlen(s), &pid);
	assert_int_equal(mc_signsafe_fd(fd, "pipe", memsink_write, &out, &o,
	    &err), MC_OK);
	close(fd);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	mc_buf_addc(&out.b, '\0');
	assert_string_equal(out.b.p, want);
	mc_buf_free(&out.b);
	mc_buf_free(&crlf);
	mc_buf_free(&wcrlf);
}

/* s fails with code and a detail containing why. */
static void
refuse(const char *s, const char *reserved, enum mc_err code,
    const char *why)
{
	struct memsink out;
	struct mc_error err;

	assert_int_equal(conv_n(s, strlen(s), 0, reserved, &out, &err), code);
	assert_int_equal(err.code, code);
	assert_string_equal(err.what, "in");
	if (strstr(err.detail, why) == NULL)
		fail_msg("\"%s\" is not about \"%s\"", err.detail, why);
	mc_buf_free(&out.b);
}

/* What is safe already goes through as it is. */
static void
safe_unchanged(void **state)
{
	expect("Content-Type: text/plain; charset=us-ascii\n"
	    "Content-Transfer-Encoding: 7bit\n\nHello\nworld\n",
	    "Content-Type: text/plain; charset=us-ascii\n"
	    "Content-Transfer-Encoding: 7bit\n\nHello\nworld\n");
	/* No line end at the end: none added. */
	expect("Content-Type: text/plain\n\nHello",
	    "Content-Type: text/plain\n\nHello");
	expect("Content-Type: text/plain\n\n", "Content-Type: text/plain\n\n");
	/* Quoted-printable and base64 that keep the rules. */
	expect("Content-Type: text/plain\nContent-Transfer-Encoding: "
	    "quoted-printable\n\n=46rom x=3D=20\n=2E\nsoft=\nend\n",
	    "Content-Type: text/plain\nContent-Transfer-Encoding: "
	    "quoted-printable\n\n=46rom x=3D=20\n=2E\nsoft=\nend\n");
	expect("Content-Type: image/png\nContent-Transfer-Encoding: base64\n\n"
	    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9Q"
	    "DwADhgGAWjR9\nawAAAABJRU5ErkJggg==\n",
	    "Content-Type: image/png\nContent-Transfer-Encoding: base64\n\n"
	    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9Q"
	    "DwADhgGAWjR9\nawAAAABJRU5ErkJggg==\n");
}

/* RFC 3156 5: trailing white space, "From " and a lone "." in a 7bit
 * body make it quoted-printable; the header says so. */
static void
seven_bit_reencoded(void **state)
{
	expect("Content-Type: text/plain\nContent-Transfer-Encoding: 7bit\n"
	    "X-A: b\n\nline with space \nFrom me\n.\nend\n",
	    "Content-Type: text/plain\nX-A: b\n"
	    "Content-Transfer-Encoding: quoted-printable\n\n"
	    "line with space=20\n=46rom me\n=2E\nend\n");
	expect("Content-Type: text/plain\n\ntab\t\n",
	    "Content-Type: text/plain\n"
	    "Content-Transfer-Encoding: quoted-printable\n\ntab=09\n");
	/* Mislabelled: 8-bit bytes in a 7bit body. */
	expect("Content-Type: text/plain\n\ncaf\xc3\xa9\n",
	    "Content-Type: text/plain\n"
	    "Content-Transfer-Encoding: quoted-printable\n\ncaf=C3=A9\n");
}

/* 8bit text becomes quoted-printable; 8bit or binary data base64 of
 * its bytes, line ends as they came. */
static void
eight_bit(void **state)
{
	expect("Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n\nZo\xc3\xab = 1\n",
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: quoted-printable\n\nZo=C3=AB =3D 1\n");
	expect("Content-Type: application/x-a\n"
	    "Content-Transfer-Encoding: binary\n\nab\xff",
	    "Content-Type: application/x-a\n"
	    "Content-Transfer-Encoding: base64\n\nYWL/\n");
}

/* Header lines lose trailing white space; a continuation of white
 * space only is dropped rather than ending the header. */
static void
header_space(void **state)
{
	expect("Content-Type: text/plain; \n \n\tcharset=us-ascii  \n"
	    "X-Y: z\t\n\nok\n",
	    "Content-Type: text/plain;\n\tcharset=us-ascii\nX-Y: z\n\nok\n");
}

/* Quoted-printable bodies are fixed line by line and decode the same. */
static void
qp_fixed(void **state)
{
	expect("Content-Type: text/plain\nContent-Transfer-Encoding: "
	    "Quoted-Printable\n\nFrom a=3d  \n.\na=\nb =  \n= x\xe9\n",
	    "Content-Type: text/plain\nContent-Transfer-Encoding: "
	    "Quoted-Printable\n\n=46rom a=3D\n=2E\na=\nb =\n=3D x=E9\n");
}

/* Base64 bodies: white space out, lines of 76. */
static void
b64_rewrapped(void **state)
{
	expect("Content-Type: application/octet-stream\n"
	    "Content-Transfer-Encoding: base64\n\n"
	    "QUJD \nREVG\r\n\n  R0hJ\n",
	    "Content-Type: application/octet-stream\n"
	    "Content-Transfer-Encoding: base64\n\nQUJDREVGR0hJ\n");
	refuse("Content-Type: application/octet-stream\n"
	    "Content-Transfer-Encoding: base64\n\nQUJD\n-x-\n", NULL,
	    MC_EDATA, "not base64 in a base64 body (line 5)");
}

/* Multiparts: preamble and epilogue out, transport padding out, parts
 * converted; a multipart said to be 8bit becomes 7bit. */
static void
multipart(void **state)
{
	expect("Content-Type: multipart/mixed; boundary=\"b 1\"\n"
	    "Content-Transfer-Encoding: 8bit\n\n"
	    "preamble \n--b 1  \n"
	    "Content-Type: text/plain\nContent-Transfer-Encoding: 8bit\n\n"
	    "\xe9t\xe9\n\n"
	    "--b 1\nContent-Type: text/plain\n\nok\n"
	    "--b 1--\nFrom epilogue\n",
	    "Content-Type: multipart/mixed; boundary=\"b 1\"\n"
	    "Content-Transfer-Encoding: 7bit\n\n"
	    "--b 1\n"
	    "Content-Type: text/plain\n"
	    "Content-Transfer-Encoding: quoted-printable\n\n=E9t=E9\n\n"
	    "--b 1\nContent-Type: text/plain\n\nok\n--b 1--\n");
	/* Nested, a part with no header, a digest's message/rfc822 default,
	 * and a message/rfc822 in 8bit whose body is made safe. */
	expect("Content-Type: multipart/mixed; boundary=o\n\n"
	    "--o\nContent-Type: multipart/digest; boundary=i\n\n"
	    "--i\n\nSubject: x\n\nFrom here\n--i--\n\n"
	    "--o\n\nplain\n"
	    "--o\nContent-Type: message/rfc822\n"
	    "Content-Transfer-Encoding: 8bit\n\n"
	    "Subject: y\nContent-Type: text/plain\n"
	    "Content-Transfer-Encoding: 8bit\n\n\xc3\xa9\n"
	    "--o--\n",
	    "Content-Type: multipart/mixed; boundary=o\n\n"
	    "--o\nContent-Type: multipart/digest; boundary=i\n\n"
	    "--i\n\nSubject: x\n"
	    "Content-Transfer-Encoding: quoted-printable\n\n=46rom here=\n"
	    "\n--i--\n\n"
	    "--o\n\nplain\n"
	    "--o\nContent-Type: message/rfc822\n"
	    "Content-Transfer-Encoding: 7bit\n\n"
	    "Subject: y\nContent-Type: text/plain\n"
	    "Content-Transfer-Encoding: quoted-printable\n\n=C3=A9=\n"
	    "\n--o--\n");
}

/* The writer's own output is safe already: it comes back unchanged. */
static void
writer_output_unchanged(void **state)
{
	static const char text[] = "Grüße\nFrom the team\n.\n";
	struct mc_epoch_state es;
	struct mc_source src;
	struct mc_write_opts wo;
	struct memsink made, out;
	struct mc_error err;
	mc_entity *mp, *t, *a;
	unsigned char bin[3000];
	size_t i;

	for (i = 0; i < sizeof(bin); i++)
		bin[i] = (unsigned char)(i * 7);
	mc_source_epoch(&src, &es, 1700000000);
	memset(&wo, 0, sizeof(wo));
	wo.source = &src;
	assert_non_null(mp = mc_multipart_new("mixed"));
	assert_non_null(t = mc_text_new(NULL));
	assert_non_null(a = mc_attachment_new("application/octet-stream"));
	assert_int_equal(mc_entity_set_body_mem(t, text, strlen(text), &err),
	    MC_OK);
	assert_int_equal(mc_entity_set_body_mem(a, bin, sizeof(bin), &err),
	    MC_OK);
	assert_int_equal(mc_multipart_add(mp, t, &err), MC_OK);
	assert_int_equal(mc_multipart_add(mp, a, &err), MC_OK);
	memset(&made, 0, sizeof(made));
	mc_buf_init(&made.b);
	assert_int_equal(mc_write(mp, memsink_write, &made, &wo, &err), MC_OK);
	mc_entity_free(mp);
	mc_buf_addc(&made.b, '\0');
	made.b.len--;
	assert_int_equal(conv(made.b.p, 0, &out, &err), MC_OK);
	assert_string_equal(out.b.p, made.b.p);
	mc_buf_free(&out.b);
	mc_buf_free(&made.b);
}

/* A 7bit body over 64 KiB is not held: quoted-printable, even when it
 * keeps the rules; a line longer than the read buffer goes through. */
static void
long_bodies(void **state)
{
	struct mc_buf in, want;
	struct memsink out;
	struct mc_error err;
	size_t i;

	mc_buf_init(&in);
	mc_buf_init(&want);
	mc_buf_adds(&in, "Content-Type: text/plain\n\n");
	mc_buf_adds(&want, "Content-Type: text/plain\n"
	    "Content-Transfer-Encoding: quoted-printable\n\n");
	for (i = 0; i < 2000; i++) {
		mc_buf_adds(&in, "0123456789012345678901234567890123456789\n");
		mc_buf_adds(&want, "0123456789012345678901234567890123456789\n");
	}
	assert_int_equal(conv(in.p, 0, &out, &err), MC_OK);
	assert_string_equal(out.b.p, want.p);
	mc_buf_free(&out.b);
	mc_buf_free(&in);
	mc_buf_free(&want);

	/* One 8bit line of 200 000 bytes, CRLF cut at the buffer's end. */
	mc_buf_init(&in);
	mc_buf_adds(&in, "Content-Type: text/plain\n"
	    "Content-Transfer-Encoding: 8bit\n\n");
	for (i = 0; i < 200000; i++)
		mc_buf_addc(&in, (char)('a' + i % 26));
	mc_buf_adds(&in, "\r\nend\r\n");
	assert_int_equal(conv(in.p, 0, &out, &err), MC_OK);
	assert_non_null(strstr(out.b.p, "=\nyz"));
	assert_non_null(strstr(out.b.p, "\nend\n"));
	assert_null(strchr(out.b.p, '\r'));
	mc_buf_free(&out.b);
	mc_buf_free(&in);
}

/* What cannot be made safe, or is no entity, is MC_EDATA saying why. */
static void
refused(void **state)
{
	struct mc_buf deep;
	int i;

	refuse("", NULL, MC_EDATA, "empty input");
	refuse("\nbody\n", NULL, MC_EDATA, "no header fields");
	refuse("Content-Type: text/plain\n", NULL, MC_EDATA,
	    "not a MIME entity: no empty line after the header");
	refuse("Content-Type: multipart/mixed; boundary=b\n\n--b\n"
	    "Content-Type: text/plain\n--b--\n", NULL, MC_EDATA,
	    "no empty line after a header block");
	refuse("Subject: x\n\nbody\n", NULL, MC_EDATA, "no Content-Type");
	refuse("Content-Type: multipart/mixed\n\n--b\n\nx\n--b--\n", NULL,
	    MC_EDATA, "without a valid boundary");
	refuse("Content-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n",
	    NULL, MC_EDATA, "without its close delimiter");
	refuse("Content-Type: multipart/mixed; boundary=b\n\n--b\n"
	    "Content-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n--b--\n"
	    "--b--\n", NULL, MC_EDATA, "inside one with the same boundary");
	refuse("Content-Type: multipart/mixed; boundary=b\n\n--b--\n",
	    NULL, MC_EDATA, "without parts");
	refuse("Content-Type: multipart/mixed; boundary=b\n"
	    "Content-Transfer-Encoding: base64\n\n--b\n\nx\n--b--\n", NULL,
	    MC_EDATA, "transfer encoding other");
	refuse("Content-Type: message/partial\n\ntrailing \n", NULL,
	    MC_EDATA, "trailing white space in a body that cannot be");
	refuse("Content-Type: text/plain\nX-A: caf\xc3\xa9\n\nx\n", NULL,
	    MC_EDATA, "an 8-bit byte in a header");
	refuse("Content-Type: text/plain\nContent-Transfer-Encoding: x-uue\n"
	    "\nFrom x\n", NULL, MC_EDATA, "cannot be re-encoded");
	/* The boundary that will go around the output. */
	refuse("Content-Type: multipart/mixed; boundary=\"=_Ab.1\"\n\n"
	    "--=_Ab.1\n\nx\n--=_Ab.1--\n", "=_Ab", MC_EDATA,
	    "starts with the one around it");
	refuse("Content-Type: text/plain\n--=_Ab: x\n\nx\n", "=_Ab",
	    MC_EDATA, "like the boundary around it in a header");

	mc_buf_init(&deep);
	for (i = 0; i < MC_MAX_DEPTH + 1; i++)
		mc_buf_printf(&deep, "Content-Type: multipart/mixed; "
		    "boundary=b%d\n\n--b%d\n", i, i);
	mc_buf_adds(&deep, "\nx\n");
	for (i = MC_MAX_DEPTH; i >= 0; i--)
		mc_buf_printf(&deep, "--b%d--\n", i);
	refuse(deep.p, NULL, MC_EDATA, "nested more than 32 deep");
	mc_buf_free(&deep);
}

/* A line of a 7bit body like the reserved boundary is re-encoded, so
 * it can no longer be taken for a delimiter. */
static void
reserved_line_reencoded(void **state)
{
	struct memsink out;
	struct mc_error err;
	const char *s = "Content-Type: text/plain\n\n--=_Ab.1\n";

	assert_int_equal(conv_n(s, strlen(s), 0, "=_Ab", &out, &err), MC_OK);
	assert_string_equal(out.b.p, "Content-Type: text/plain\n"
	    "Content-Transfer-Encoding: quoted-printable\n\n--=3D_Ab.1\n");
	mc_buf_free(&out.b);
}

/* A failing sink is MC_EIO with its errno. */
static void
sink_fails(void **state)
{
	struct mc_signsafe_opts o = { 0, NULL };
	struct memsink out;
	struct mc_error err;
	const char *s = "Content-Type: text/plain\n\nx\n";
	int fd = file_fd(s, strlen(s));

	memset(&out, 0, sizeof(out));
	mc_buf_init(&out.b);
	out.fail_after = 5;
	assert_int_equal(mc_signsafe_fd(fd, "in", memsink_write, &out, &o,
	    &err), MC_EIO);
	assert_int_equal(err.sys, ENOSPC);
	close(fd);
	mc_buf_free(&out.b);
	/* A descriptor that cannot be read. */
	assert_int_equal(mc_signsafe_fd(-1, "in", memsink_write, &out, &o,
	    &err), MC_EIO);
	assert_int_equal(err.sys, EBADF);
	mc_buf_free(&out.b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(safe_unchanged),
		cmocka_unit_test(seven_bit_reencoded),
		cmocka_unit_test(eight_bit),
		cmocka_unit_test(header_space),
		cmocka_unit_test(qp_fixed),
		cmocka_unit_test(b64_rewrapped),
		cmocka_unit_test(multipart),
		cmocka_unit_test(writer_output_unchanged),
		cmocka_unit_test(long_bodies),
		cmocka_unit_test(refused),
		cmocka_unit_test(reserved_line_reencoded),
		cmocka_unit_test(sink_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
