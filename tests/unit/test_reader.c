/* SPDX-License-Identifier: ISC */
/* Unit tests for reader.c: mc_entity_read_fd (SPEC 3 mime-multipart). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "unit.h"

static char dir[] = "/tmp/test_reader.XXXXXX";

/* A descriptor on an unlinked regular file holding skip bytes of junk and
 * then s, positioned at s. */
static int
file_fd(const char *s, size_t n, size_t skip)
{
	char path[64];
	size_t i;
	int fd;

	snprintf(path, sizeof(path), "%s/in.XXXXXX", dir);
	assert_true((fd = mkstemp(path)) != -1);
	unlink(path);
	for (i = 0; i < skip; i++)
		assert_int_equal(write(fd, "J\n", 1), 1);
	assert_int_equal(write(fd, s, n), (ssize_t)n);
	assert_int_equal(lseek(fd, (off_t)skip, SEEK_SET), (off_t)skip);
	return fd;
}

/* A pipe fed s by a child process, all at once or one byte at a time. */
static int
pipe_fd(const char *s, size_t n, int slow)
{
	int p[2];
	pid_t pid;
	size_t i;

	assert_int_equal(pipe(p), 0);
	fflush(NULL);
	assert_true((pid = fork()) != -1);
	if (pid == 0) {
		close(p[0]);
		for (i = 0; i < n; i += slow ? 1 : n - i) {
			if (write(p[1], s + i, slow ? 1 : n - i) == -1)
				_exit(1);
			if (slow)
				usleep(300);
		}
		_exit(0);
	}
	close(p[1]);
	return p[0];
}

static enum mc_err
read_entity(int fd, mc_entity **e, struct mc_error *err)
{
	memset(err, 0, sizeof(*err));
	return mc_entity_read_fd(e, fd, "in", err);
}

/* Writes e as the one part of a multipart and returns the part as
 * written (header, empty line, body), malloc'd. */
static char *
part_of(mc_entity *e, size_t *len)
{
	struct mc_epoch_state st;
	struct mc_source src;
	struct mc_write_opts o;
	struct mc_error err;
	struct memsink m;
	char b[MC_BOUNDARY_MAX + 16], *p, *q, *r;
	mc_entity *mp;

	memset(&m, 0, sizeof(m));
	mc_buf_init(&m.b);
	memset(&o, 0, sizeof(o));
	o.source = &src;
	o.tmpdir = dir;
	mc_source_epoch(&src, &st, 1);
	assert_non_null(mp = mc_multipart_new(NULL));
	assert_int_equal(mc_multipart_add(mp, e, &err), MC_OK);
	assert_int_equal(mc_write(mp, memsink_write, &m, &o, &err), MC_OK);
	mc_entity_free(mp);
	/* "--B\n" part "\n--B--\n" */
	assert_non_null(p = strstr(m.b.p, "boundary=\""));
	p += 10;
	q = strchr(p, '"');
	snprintf(b, sizeof(b), "\n--%.*s\n", (int)(q - p), p);
	assert_non_null(p = strstr(m.b.p, b));
	p += strlen(b);
	b[strlen(b) - 1] = '\0';
	strcat(b, "--\n");
	assert_non_null(q = strstr(p, b));
	assert_string_equal(q, b);
	*len = (size_t)(q - p);
	assert_non_null(r = malloc(*len + 1));
	memcpy(r, p, *len);
	r[*len] = '\0';
	mc_buf_free(&m.b);
	return r;
}

static void
expect_part(mc_entity *e, const char *want)
{
	size_t len, wlen = strlen(want);
	char *got = part_of(e, &len);

	assert_int_equal(len, wlen);
	assert_memory_equal(got, want, wlen);
	free(got);
}

/* An entity with a body bigger than the reader's chunks, with blank lines,
 * lines like a header and no final line end. */
static char *
big_entity(size_t *n)
{
	struct mc_buf b;
	int i;

	mc_buf_init(&b);
	mc_buf_adds(&b, "Content-Type: text/plain; charset=us-ascii\n"
	    "Content-Transfer-Encoding: 7bit\n"
	    "X-Note: folded\n\tover two lines\n\n");
	mc_buf_adds(&b, "\nContent-Type: not/a-header\n\n");
	for (i = 0; i < 3000; i++)
		mc_buf_printf(&b, "line %d of the body\n%s", i,
		    i % 100 == 0 ? "\n" : "");
	mc_buf_adds(&b, "no line end at the end");
	*n = b.len;
	return b.p;
}

static void
from_file_and_pipe(void **state)
{
	struct mc_error err;
	mc_entity *e;
	size_t n;
	char *s = big_entity(&n);
	int mode, fd;

	/* 0: a file; 1: a file at an offset; 2: a pipe; 3: a slow pipe with
	 * a small entity. */
	for (mode = 0; mode < 3; mode++) {
		fd = mode == 2 ? pipe_fd(s, n, 0) : file_fd(s, n, mode ? 77 : 0);
		assert_int_equal(read_entity(fd, &e, &err), MC_OK);
		assert_string_equal(e->rtype, "text/plain");
		assert_int_equal(e->rcte, MC_CTE_7BIT);
		assert_string_equal(e->hdr.p, "Content-Type: text/plain; "
		    "charset=us-ascii\nContent-Transfer-Encoding: 7bit\n"
		    "X-Note: folded\n\tover two lines\n");
		assert_int_equal(strlen(s), n);
		expect_part(e, s);
		close(fd);
	}
	free(s);
}

static void
from_slow_pipe(void **state)
{
	static const char ent[] = "Content-Type: text/plain\r\n"
	    "X-A: b\r\n\r\nbody\r\n";
	struct mc_error err;
	mc_entity *e;
	int fd;

	fd = pipe_fd(ent, strlen(ent), 1);
	assert_int_equal(read_entity(fd, &e, &err), MC_OK);
	assert_string_equal(e->hdr.p, "Content-Type: text/plain\nX-A: b\n");
	expect_part(e, "Content-Type: text/plain\nX-A: b\n\nbody\n");
	close(fd);

	fd = pipe_fd(ent, strlen(ent) - 6, 1);	/* ends after the header */
	assert_int_equal(read_entity(fd, &e, &err), MC_OK);
	expect_part(e, "Content-Type: text/plain\nX-A: b\n\n");
	close(fd);
}

/* CRLF entities: written with the output's line ends. */
static void
crlf_entity(void **state)
{
	static const char ent[] = "Content-Type: text/html;\r\n"
	    " charset=utf-8\r\n\r\n<p>\r\n\r\n</p>\r\n";
	struct mc_error err;
	mc_entity *e;
	int fd;

	fd = file_fd(ent, strlen(ent), 0);
	assert_int_equal(read_entity(fd, &e, &err), MC_OK);
	assert_string_equal(e->rtype, "text/html");
	assert_string_equal(e->hdr.p, "Content-Type: text/html;\n"
	    " charset=utf-8\n");
	expect_part(e, "Content-Type: text/html;\n charset=utf-8\n\n<p>\n\n"
	    "</p>\n");
	close(fd);
}

/* Content-Type, folded anywhere, in any case; the transfer encoding. */
static void
header_fields(void **state)
{
	static const struct {
		const char *in, *type;
		enum mc_cte cte;
	} ok[] = {
		{ "Content-Type:\n multipart/mixed;\n\tboundary=x\n\n",
		    "multipart/mixed", MC_CTE_7BIT },
		{ "content-type: Image/PNG\nContent-Transfer-Encoding: "
		    "BASE64\n\n", "image/png", MC_CTE_BASE64 },
		{ "CONTENT-TYPE:text/plain;charset=x\n"
		    "content-transfer-encoding: quoted-printable (qp)\n\n",
		    "text/plain", MC_CTE_QP },
		{ "Content-Type: message/rfc822\n"
		    "Content-Transfer-Encoding: 8bit\n\n", "message/rfc822",
		    MC_CTE_8BIT },
		{ "Content-Type: text/plain (a comment)\n"
		    "Content-Transfer-Encoding: x-uuencode\n\n", "text/plain",
		    MC_CTE_AUTO },
		{ "X-Content-Type: a/b\nContent-Type: text/x-c\n\n",
		    "text/x-c", MC_CTE_7BIT },
	};
	struct mc_error err;
	mc_entity *e;
	size_t i;
	int fd;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		fd = file_fd(ok[i].in, strlen(ok[i].in), 0);
		if (read_entity(fd, &e, &err) != MC_OK) {
			print_error("case %zu: %s\n", i, err.detail);
			fail();
		}
		assert_string_equal(e->rtype, ok[i].type);
		assert_int_equal(e->rcte, ok[i].cte);
		mc_entity_free(e);
		close(fd);
	}
}

/* 0 when s is refused with code (and a detail holding why), from a file
 * and from a pipe; -1, said why, when not. */
static int
refused(const char *s, size_t n, enum mc_err code, const char *why)
{
	struct mc_error err;
	mc_entity *e;
	enum mc_err rc;
	int fd, pass, bad = 0;

	for (pass = 0; pass < 2; pass++) {
		fd = pass == 0 ? file_fd(s, n, 0) : pipe_fd(s, n, 0);
		e = (mc_entity *)&err;
		rc = read_entity(fd, &e, &err);
		if (rc == MC_OK)
			mc_entity_free(e);
		close(fd);
		if (rc != code || err.code != code || (rc != MC_OK && e != NULL)
		    || strcmp(err.what, "in") != 0 ||
		    (why != NULL && strstr(err.detail, why) == NULL)) {
			print_error("%s: got %d \"%s\", wanted %d \"%s\"\n",
			    pass ? "pipe" : "file", rc, err.detail, code,
			    why ? why : "");
			bad = -1;
		}
	}
	return bad;
}

static void
expect_refused(const char *s, size_t n, enum mc_err code, const char *why)
{
	assert_int_equal(refused(s, n, code, why), 0);
}

static void
not_entities(void **state)
{
	static const char two[] = "Content-Type: text/plain\n"
	    "X-A: b\ncontent-type: text/html\n\nx\n";
	char line[MC_LINE_MAX + 64];

	expect_refused("", 0, MC_EDATA, "empty input");
	expect_refused("X-A: b\n\nbody\n", 13, MC_EDATA, "no Content-Type");
	/* Binary has no line ends that 7bit and 8bit would keep (RFC 3030). */
	expect_refused("Content-Transfer-Encoding: binary\n"
	    "Content-Type: application/octet-stream\n\n\r\n", 76, MC_EDATA,
	    "a binary entity");
	expect_refused("Content-Type: text/plain\n"
	    "Content-Transfer-Encoding:  BINARY (raw)\n\nx\n", 69, MC_EDATA,
	    "send it base64");
	expect_refused("Content-Type: text/plain\nbody\n", 30, MC_EDATA,
	    "no empty line");
	expect_refused("Content-Type: text/plain\nbody\n\nx\n", 33, MC_EDATA,
	    "not a header field");
	expect_refused("Content-Type: text/plain\n", 25, MC_EDATA,
	    "no empty line");
	expect_refused("Content-Type: text/plain", 24, MC_EDATA,
	    "no empty line");
	expect_refused("\nContent-Type: text/plain\n\n", 27, MC_EDATA, NULL);
	expect_refused("\r\nContent-Type: text/plain\n\n", 28, MC_EDATA, NULL);
	expect_refused(" Content-Type: text/plain\n\n", 27, MC_EDATA,
	    "continuation");
	expect_refused("Content-Type: text/plain\nX-A: a\rb\n\n", 35, MC_EDATA,
	    "bare CR");
	expect_refused("Content-Type: text/plain\rX-A: b\n\n", 33, MC_EDATA,
	    "bare CR");
	expect_refused(two, strlen(two), MC_EDATA, "two Content-Type");
	expect_refused("Content-Type: text\n\n", 20, MC_EDATA, "type/subtype");
	expect_refused("Content-Type: text/\n\n", 21, MC_EDATA, NULL);
	expect_refused("Content-Type: /plain\n\n", 22, MC_EDATA, NULL);
	expect_refused("Content-Type: a/b/c\n\n", 21, MC_EDATA, NULL);
	expect_refused("Content-Type: \n\n", 16, MC_EDATA, NULL);
	expect_refused(": x\nContent-Type: text/plain\n\n", 30, MC_EDATA,
	    NULL);
	expect_refused("Bad Name: x\nContent-Type: text/plain\n\n", 38,
	    MC_EDATA, NULL);

	/* RFC 5322 2.1.1: header lines of 998 octets at most. */
	memcpy(line, "Content-Type: text/plain\nX-Long: ", 33);
	memset(line + 33, 'a', MC_LINE_MAX - 7);
	memcpy(line + 25 + MC_LINE_MAX + 1, "\n\nx", 3);
	expect_refused(line, 25 + MC_LINE_MAX + 4, MC_EDATA, "longer than");
}

static void
longest_line_ok(void **state)
{
	char line[MC_LINE_MAX + 64];
	struct mc_error err;
	mc_entity *e;
	int fd;

	memcpy(line, "Content-Type: text/plain\nX-Long: ", 33);
	memset(line + 33, 'a', MC_LINE_MAX - 8);
	memcpy(line + 25 + MC_LINE_MAX, "\r\n\r\nx", 5);
	fd = file_fd(line, 25 + MC_LINE_MAX + 5, 0);
	assert_int_equal(read_entity(fd, &e, &err), MC_OK);
	mc_entity_free(e);
	close(fd);
}

/* MC_FIELDS_MAX fields and MC_HEADER_MAX octets of header, at most. */
static void
limits(void **state)
{
	struct mc_error err;
	struct mc_buf b;
	mc_entity *e;
	int i, fd, rc;

	mc_buf_init(&b);
	mc_buf_adds(&b, "Content-Type: text/plain\n");
	for (i = 1; i < MC_FIELDS_MAX; i++)
		mc_buf_adds(&b, "X-F: v\n");
	mc_buf_adds(&b, "\nbody\n");
	fd = file_fd(b.p, b.len, 0);
	assert_int_equal(read_entity(fd, &e, &err), MC_OK);
	mc_entity_free(e);
	close(fd);
	mc_buf_free(&b);

	mc_buf_init(&b);
	mc_buf_adds(&b, "Content-Type: text/plain\n");
	for (i = 0; i < MC_FIELDS_MAX; i++)
		mc_buf_adds(&b, "X-F: v\n");
	mc_buf_adds(&b, "\nbody\n");
	expect_refused(b.p, b.len, MC_EDATA, "header fields");
	mc_buf_free(&b);

	/* A header block a little over 256 KiB, with its empty line. */
	mc_buf_init(&b);
	mc_buf_adds(&b, "Content-Type: text/plain\n");
	while (b.len < MC_HEADER_MAX + 100) {
		mc_buf_adds(&b, "X-Filler: ");
		for (i = 0; i < 870; i++)
			mc_buf_addc(&b, 'f');
		mc_buf_addc(&b, '\n');
	}
	mc_buf_adds(&b, "\nbody\n");
	rc = refused(b.p, b.len, MC_EDATA, NULL);
	mc_buf_free(&b);	/* first, so that a failure reports no leak */
	assert_int_equal(rc, 0);

	/* No empty line at all, 1 MiB of fields. */
	mc_buf_init(&b);
	mc_buf_adds(&b, "Content-Type: text/plain\n");
	while (b.len < 1024 * 1024)
		mc_buf_adds(&b, "X-Filler: ffffffffffffffffffffffffffffff\n");
	expect_refused(b.p, b.len, MC_EDATA, "256 KiB");
	mc_buf_free(&b);

	/* Under the limit it is fine. */
	mc_buf_init(&b);
	mc_buf_adds(&b, "Content-Type: text/plain\n");
	while (b.len < MC_HEADER_MAX - 2000) {
		mc_buf_adds(&b, "X-Filler: ");
		for (i = 0; i < 870; i++)
			mc_buf_addc(&b, 'f');
		mc_buf_addc(&b, '\n');
	}
	mc_buf_adds(&b, "\nbody\n");
	fd = file_fd(b.p, b.len, 0);
	assert_int_equal(read_entity(fd, &e, &err), MC_OK);
	mc_entity_free(e);
	close(fd);
	mc_buf_free(&b);
}

static void
bad_descriptors(void **state)
{
	struct mc_error err;
	mc_entity *e;
	int fd;

	assert_true((fd = open(dir, O_RDONLY)) != -1);
	assert_int_equal(read_entity(fd, &e, &err), MC_ENOINPUT);
	assert_int_equal(err.sys, EISDIR);
	assert_null(e);
	close(fd);
	assert_int_equal(read_entity(-1, &e, &err), MC_ENOINPUT);
	assert_int_equal(err.sys, EBADF);
	/* A name for errors; standard input by default. */
	fd = file_fd("", 0, 0);
	assert_int_equal(mc_entity_read_fd(&e, fd, NULL, &err), MC_EDATA);
	assert_string_equal(err.what, "standard input");
	close(fd);
}

/* The descriptor is borrowed: freeing the entity leaves it open. */
static void
fd_borrowed(void **state)
{
	static const char ent[] = "Content-Type: text/plain\n\nx\n";
	struct mc_error err;
	mc_entity *e;
	int fd;

	fd = file_fd(ent, strlen(ent), 0);
	assert_int_equal(read_entity(fd, &e, &err), MC_OK);
	assert_string_equal(e->in.name, "in");
	mc_entity_free(e);
	assert_int_not_equal(fcntl(fd, F_GETFD), -1);
	close(fd);
}

/* Open descriptors of this process. */
static int
count_fds(void)
{
	DIR *d;
	int n = 0;

	assert_non_null(d = opendir("/proc/self/fd"));
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

/* dir/name holding s; its path in path. */
static void
put_entity(char *path, size_t size, const char *name, const char *s)
{
	FILE *f;

	snprintf(path, size, "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "wb"));
	assert_true(fputs(s, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

/*
 * mc_entity_read_path holds no descriptor for a regular file between the
 * header and the body: 100 entities read, then written in a multipart
 * under a descriptor limit, in order.  Errors close what they opened.
 */
static void
by_path(void **state)
{
	struct mc_epoch_state st;
	struct mc_source src;
	struct mc_write_opts o;
	struct mc_error err;
	struct memsink m;
	struct rlimit old, low;
	char path[4096], name[32], text[256];
	const char *p;
	mc_entity *mp, *e;
	enum mc_err rc;
	int i, fds = count_fds();

	assert_non_null(mp = mc_multipart_new(NULL));
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "e%02d.ent", i);
		snprintf(text, sizeof(text), "X-Pad: %*s\nContent-Type: "
		    "text/plain\n\nbody %02d\n", i, "", i);
		put_entity(path, sizeof(path), name, text);
		assert_int_equal(mc_entity_read_path(&e, path, &err), MC_OK);
		assert_string_equal(e->in.name, path);
		assert_int_equal(mc_multipart_add(mp, e, &err), MC_OK);
	}
	assert_int_equal(count_fds(), fds);
	memset(&m, 0, sizeof(m));
	mc_buf_init(&m.b);
	memset(&o, 0, sizeof(o));
	o.source = &src;
	mc_source_epoch(&src, &st, 1);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = old;
	low.rlim_cur = MC_HOLD_MAX + 16;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	rc = mc_write(mp, memsink_write, &m, &o, &err);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	assert_int_equal(rc, MC_OK);
	for (i = 0, p = m.b.p; (p = strstr(p, "\n\nbody ")) != NULL; p++)
		assert_int_equal(atoi(p + 7), i++);
	assert_int_equal(i, 100);
	mc_entity_free(mp);
	mc_buf_free(&m.b);
	assert_int_equal(count_fds(), fds);

	/* Replaced after its header was read: nothing is written. */
	put_entity(path, sizeof(path), "e00.ent", "Content-Type: text/plain"
	    "\n\nbody\n");
	assert_int_equal(mc_entity_read_path(&e, path, &err), MC_OK);
	put_entity(text, sizeof(text), "new.ent", "Content-Type: text/plain"
	    "\n\nbody\n");
	assert_int_equal(rename(text, path), 0);
	assert_non_null(mp = mc_multipart_new(NULL));
	assert_int_equal(mc_multipart_add(mp, e, &err), MC_OK);
	mc_buf_init(&m.b);
	assert_int_equal(mc_write(mp, memsink_write, &m, &o, &err), MC_EIO);
	assert_string_equal(err.what, path);
	assert_int_equal(m.b.len, 0);
	mc_entity_free(mp);
	mc_buf_free(&m.b);

	/* Missing, a folder, not an entity. */
	snprintf(path, sizeof(path), "%s/none.ent", dir);
	assert_int_equal(mc_entity_read_path(&e, path, &err), MC_ENOINPUT);
	assert_int_equal(err.sys, ENOENT);
	assert_null(e);
	assert_int_equal(mc_entity_read_path(&e, dir, &err), MC_ENOINPUT);
	assert_int_equal(err.sys, EISDIR);
	put_entity(path, sizeof(path), "bad.ent", "no header\n");
	assert_int_equal(mc_entity_read_path(&e, path, &err), MC_EDATA);
	assert_null(e);
	unlink(path);
	assert_int_equal(count_fds(), fds);
	for (i = 0; i < 100; i++) {
		snprintf(path, sizeof(path), "%s/e%02d.ent", dir, i);
		unlink(path);
	}
}

static int
setup(void **state)
{
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_IGN);	/* the feeders reap themselves */
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
		cmocka_unit_test(from_file_and_pipe),
		cmocka_unit_test(from_slow_pipe),
		cmocka_unit_test(crlf_entity),
		cmocka_unit_test(header_fields),
		cmocka_unit_test(not_entities),
		cmocka_unit_test(longest_line_ok),
		cmocka_unit_test(limits),
		cmocka_unit_test(bad_descriptors),
		cmocka_unit_test(fd_borrowed),
		cmocka_unit_test(by_path),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
