/* SPDX-License-Identifier: ISC */
/* Unit tests for input.c: body sources read from the start twice (SPEC 2). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "unit.h"

static char dir[] = "/tmp/test_input.XXXXXX";
static char spool[64];		/* dir/spool, the tmpdir given */
static char data[300000];	/* more than the pipe buffer */

static int
entries(const char *path)
{
	struct dirent *d;
	DIR *dp;
	int n = 0;

	assert_non_null(dp = opendir(path));
	while ((d = readdir(dp)) != NULL)
		if (strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0)
			n++;
	closedir(dp);
	return n;
}

/* Reads the whole input in pieces of step bytes into a new buffer. */
static char *
read_all(struct mc_input *in, size_t step, size_t *len)
{
	struct mc_error err;
	struct mc_buf b;
	char piece[70000];
	ssize_t k;

	assert_true(step <= sizeof(piece));
	mc_buf_init(&b);
	mc_buf_add(&b, "", 0);
	while ((k = mc_input_read(in, piece, step, &err)) > 0)
		mc_buf_add(&b, piece, (size_t)k);
	assert_int_equal(k, 0);
	assert_int_equal(in->pos, b.len);
	*len = b.len;
	return b.p;
}

static void
read_twice(struct mc_input *in, const char *want, size_t wlen, size_t step)
{
	struct mc_error err;
	size_t len;
	char *p;

	p = read_all(in, step, &len);
	assert_int_equal(len, wlen);
	assert_memory_equal(p, want, wlen);
	free(p);
	assert_int_equal(mc_input_rewind(in, &err), MC_OK);
	p = read_all(in, step, &len);
	assert_int_equal(len, wlen);
	assert_memory_equal(p, want, wlen);
	free(p);
}

static void
put_file(const char *path, const void *p, size_t n)
{
	int fd;

	assert_true((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) !=
	    -1);
	assert_int_equal(write(fd, p, n), (ssize_t)n);
	close(fd);
}

/* A pipe fed n bytes of data by a child process. */
static int
pipe_fd(const void *p, size_t n)
{
	int fds[2];
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	assert_true((pid = fork()) != -1);
	if (pid == 0) {
		close(fds[0]);
		_exit(write(fds[1], p, n) == (ssize_t)n ? 0 : 1);
	}
	close(fds[1]);
	return fds[0];
}

static void
regular_file_twice(void **state)
{
	struct mc_input in;
	struct mc_error err;
	char path[96];
	int fd;

	snprintf(path, sizeof(path), "%s/body", dir);
	put_file(path, data, sizeof(data));

	/* A path: opened, read twice, closed. */
	mc_input_init(&in);
	in.kind = MC_IN_PATH;
	in.path = strdup(path);
	in.name = strdup(path);
	assert_int_equal(mc_input_open(&in, 1, spool, &err), MC_OK);
	assert_int_equal(in.spool, -1);		/* no copy for a file */
	assert_int_equal(in.own_fd, 1);
	fd = in.fd;
	read_twice(&in, data, sizeof(data), 4096);
	assert_int_equal(mc_input_rewind(&in, &err), MC_OK);
	read_twice(&in, data, sizeof(data), 1);
	mc_input_close(&in);
	assert_int_equal(fcntl(fd, F_GETFD), -1);	/* closed */
	assert_int_equal(in.kind, MC_IN_NONE);
	assert_int_equal(in.fd, -1);

	/* A borrowed descriptor at an offset: rewound to the offset, and
	 * left open. */
	assert_true((fd = open(path, O_RDONLY)) != -1);
	assert_int_equal(lseek(fd, 1000, SEEK_SET), 1000);
	mc_input_init(&in);
	in.kind = MC_IN_FD;
	in.fd = fd;
	in.name = strdup("fd");
	assert_int_equal(mc_input_open(&in, 1, spool, &err), MC_OK);
	read_twice(&in, data + 1000, sizeof(data) - 1000, 65536);
	mc_input_close(&in);
	assert_int_not_equal(fcntl(fd, F_GETFD), -1);
	close(fd);
	unlink(path);
	assert_int_equal(entries(spool), 0);
}

/* A pipe is spooled to an unlinked file in the tmpdir during the first
 * pass; the second pass reads the copy. */
static void
pipe_spooled(void **state)
{
	struct mc_input in;
	struct mc_error err;
	int fd;

	fd = pipe_fd(data, sizeof(data));
	mc_input_init(&in);
	in.kind = MC_IN_FD;
	in.fd = fd;
	in.name = strdup("pipe");
	assert_int_equal(mc_input_open(&in, 1, spool, &err), MC_OK);
	assert_int_not_equal(in.spool, -1);
	/* Nothing in the folder, even while the copy is in use. */
	assert_int_equal(entries(spool), 0);
	read_twice(&in, data, sizeof(data), 5000);
	mc_input_close(&in);
	assert_int_equal(entries(spool), 0);
	close(fd);

	/* Bytes read ahead (by the reader) come first, in both passes. */
	fd = pipe_fd(data + 10, 1000);
	mc_input_init(&in);
	in.kind = MC_IN_FD;
	in.fd = fd;
	in.name = strdup("pipe");
	assert_non_null(in.ahead = malloc(10));
	memcpy(in.ahead, data, 10);
	in.aheadlen = 10;
	assert_int_equal(mc_input_open(&in, 1, spool, &err), MC_OK);
	read_twice(&in, data, 1010, 3);
	mc_input_close(&in);
	close(fd);
	assert_int_equal(entries(spool), 0);
}

/* $TMPDIR when no tmpdir is given. */
static void
spool_in_tmpdir_env(void **state)
{
	struct mc_input in;
	struct mc_error err;
	char *old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
	int fd;

	setenv("TMPDIR", spool, 1);
	fd = pipe_fd(data, 100);
	mc_input_init(&in);
	in.kind = MC_IN_FD;
	in.fd = fd;
	in.name = strdup("pipe");
	assert_int_equal(mc_input_open(&in, 1, NULL, &err), MC_OK);
	read_twice(&in, data, 100, 7);
	mc_input_close(&in);
	close(fd);

	/* A $TMPDIR that is not there is an I/O error. */
	setenv("TMPDIR", "/nonexistent/tmp", 1);
	fd = pipe_fd(data, 100);
	mc_input_init(&in);
	in.kind = MC_IN_FD;
	in.fd = fd;
	in.name = strdup("pipe");
	assert_int_equal(mc_input_open(&in, 1, NULL, &err), MC_EIO);
	assert_int_equal(err.sys, ENOENT);
	mc_input_close(&in);
	close(fd);
	if (old != NULL)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
	free(old);
}

static void
missing_tmpdir(void **state)
{
	struct mc_input in;
	struct mc_error err;
	int fd;

	fd = pipe_fd(data, 100);
	mc_input_init(&in);
	in.kind = MC_IN_FD;
	in.fd = fd;
	in.name = strdup("pipe");
	memset(&err, 0, sizeof(err));
	assert_int_equal(mc_input_open(&in, 1, "/nonexistent/spool", &err),
	    MC_EIO);
	assert_int_equal(err.code, MC_EIO);
	assert_int_equal(err.sys, ENOENT);
	assert_string_equal(err.what, "/nonexistent/spool");
	mc_input_close(&in);
	close(fd);

	/* Read once: no spool needed, none made; no rewind either. */
	fd = pipe_fd(data, 100);
	mc_input_init(&in);
	in.kind = MC_IN_FD;
	in.fd = fd;
	in.name = strdup("pipe");
	assert_int_equal(mc_input_open(&in, 0, "/nonexistent/spool", &err),
	    MC_OK);
	assert_int_equal(in.spool, -1);
	{
		size_t len;
		char *p = read_all(&in, 64, &len);

		assert_int_equal(len, 100);
		assert_memory_equal(p, data, 100);
		free(p);
	}
	assert_int_equal(mc_input_rewind(&in, &err), MC_EIO);
	assert_int_equal(err.sys, ESPIPE);
	mc_input_close(&in);
	close(fd);
}

static void
memory_input(void **state)
{
	struct mc_input in;
	struct mc_error err;

	mc_input_init(&in);
	in.kind = MC_IN_MEM;
	in.mem = (const unsigned char *)data;
	in.memlen = 12345;
	assert_int_equal(mc_input_open(&in, 1, "/nonexistent/spool", &err),
	    MC_OK);
	read_twice(&in, data, 12345, 100);
	assert_int_equal(mc_input_rewind(&in, &err), MC_OK);
	read_twice(&in, data, 12345, 1);
	/* A new pass from the start. */
	assert_int_equal(mc_input_open(&in, 1, NULL, &err), MC_OK);
	read_twice(&in, data, 12345, 50000);
	mc_input_close(&in);
}

static void
empty_memory_child(void)
{
	struct mc_input in;
	struct mc_error err;
	char buf[10];

	mc_input_init(&in);
	in.kind = MC_IN_MEM;
	in.mem = NULL;
	in.memlen = 0;
	if (mc_input_open(&in, 1, NULL, &err) != MC_OK ||
	    mc_input_read(&in, buf, sizeof(buf), &err) != 0 ||
	    mc_input_rewind(&in, &err) != MC_OK ||
	    mc_input_read(&in, buf, sizeof(buf), &err) != 0)
		exit(2);
	mc_input_close(&in);
}

/* Empty memory with no pointer (mc_entity_set_body_mem(e, NULL, 0) takes
 * it), run apart: a sanitizer report ends the process. */
static void
empty_memory(void **state)
{
	pid_t pid;
	int st;

	signal(SIGCHLD, SIG_DFL);
	fflush(NULL);
	assert_true((pid = fork()) != -1);
	if (pid == 0) {
		empty_memory_child();
		exit(0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	signal(SIGCHLD, SIG_IGN);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void
not_inputs(void **state)
{
	struct mc_input in;
	struct mc_error err;
	int fd;

	/* A missing path. */
	mc_input_init(&in);
	in.kind = MC_IN_PATH;
	in.path = strdup("/nonexistent/body.txt");
	in.name = strdup("body.txt");
	memset(&err, 0, sizeof(err));
	assert_int_equal(mc_input_open(&in, 1, spool, &err), MC_ENOINPUT);
	assert_int_equal(err.sys, ENOENT);
	assert_string_equal(err.what, "body.txt");
	mc_input_close(&in);

	/* A directory, by path and by descriptor. */
	mc_input_init(&in);
	in.kind = MC_IN_PATH;
	in.path = strdup(dir);
	in.name = strdup(dir);
	assert_int_equal(mc_input_open(&in, 1, spool, &err), MC_ENOINPUT);
	assert_int_equal(err.sys, EISDIR);
	mc_input_close(&in);
	assert_true((fd = open(dir, O_RDONLY)) != -1);
	mc_input_init(&in);
	in.kind = MC_IN_FD;
	in.fd = fd;
	in.name = strdup("dir");
	assert_int_equal(mc_input_open(&in, 0, spool, &err), MC_ENOINPUT);
	assert_int_equal(err.sys, EISDIR);
	mc_input_close(&in);
	close(fd);

	/* No body at all. */
	mc_input_init(&in);
	assert_int_equal(mc_input_open(&in, 1, spool, &err), MC_EUSAGE);
	mc_input_close(&in);
	assert_int_equal(entries(spool), 0);
}

/* A read error is MC_EIO with errno. */
static void
read_error(void **state)
{
	struct mc_input in;
	struct mc_error err;
	char buf[16];
	int fd;

	assert_true((fd = open(dir, O_RDONLY)) != -1);
	mc_input_init(&in);
	in.kind = MC_IN_FD;
	in.fd = fd;
	in.name = strdup("dir");
	assert_int_equal(mc_input_read(&in, buf, sizeof(buf), &err), -1);
	assert_int_equal(err.code, MC_EIO);
	assert_int_equal(err.sys, EISDIR);
	mc_input_close(&in);
	close(fd);
}

static int
setup(void **state)
{
	size_t i;

	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_IGN);
	for (i = 0; i < sizeof(data); i++)
		data[i] = (char)(i * 131 + i / 256);
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(spool, sizeof(spool), "%s/spool", dir);
	return mkdir(spool, 0700);
}

static int
teardown(void **state)
{
	if (rmdir(spool) == -1)
		return -1;
	return rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(regular_file_twice),
		cmocka_unit_test(pipe_spooled),
		cmocka_unit_test(spool_in_tmpdir_env),
		cmocka_unit_test(missing_tmpdir),
		cmocka_unit_test(memory_input),
		cmocka_unit_test(empty_memory),
		cmocka_unit_test(not_inputs),
		cmocka_unit_test(read_error),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
