/* SPDX-License-Identifier: ISC */
/*
 * Fuzzes reader.c (mc_entity_read_fd) and the writer around it.  The input
 * is read from a memory file and, when it fits, from a pipe; both must
 * agree.  An input that is refused is a data error with a reason.  One
 * that is taken is written inside two nested multiparts (so boundaries
 * must avoid it twice), and the output is well formed (fz_check_entity):
 * the inner multipart's first part is the input exactly, line ends (CRLF)
 * made LF, and no line of it is taken for a delimiter.  No descriptor or
 * temporary file is left behind.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>

#include "fuzz.h"

static char tmpdir[] = "/tmp/mc-fuzz-reader.XXXXXX";

int LLVMFuzzerInitialize(int *, char ***);
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
cleanup(void)
{
	rmdir(tmpdir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (mkdtemp(tmpdir) == NULL)
		abort();
	atexit(cleanup);
	return 0;
}

static int
write_all(int fd, const uint8_t *d, size_t n)
{
	ssize_t k;

	while (n > 0) {
		if ((k = write(fd, d, n)) <= 0)
			return -1;
		d += k;
		n -= (size_t)k;
	}
	return 0;
}

/* A descriptor to read d[0..n) from: a memory file (pipe 0) or a pipe
 * already holding all of it (-1 when it does not fit). */
static int
source(const uint8_t *d, size_t n, int pipe_)
{
	int fd, p[2];

	if (!pipe_) {
		fd = memfd_create("fuzz", MFD_CLOEXEC);
		FZ_ASSERT(fd != -1, "memfd_create");
		FZ_ASSERT(write_all(fd, d, n) == 0, "write");
		FZ_ASSERT(lseek(fd, 0, SEEK_SET) == 0, "lseek");
		return fd;
	}
	FZ_ASSERT(pipe2(p, O_CLOEXEC) == 0, "pipe");
	if (n > 65536 && fcntl(p[1], F_SETPIPE_SZ, (int)n) < (int)n) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	FZ_ASSERT(write_all(p[1], d, n) == 0, "write to the pipe");
	close(p[1]);
	return p[0];
}

/*
 * Reads and writes once; returns the error code, the output in out.
 */
static enum mc_err
run(const uint8_t *d, size_t n, int fd, struct mc_buf *out)
{
	struct mc_epoch_state st;
	struct mc_source src;
	struct mc_write_opts opts;
	struct mc_error err;
	mc_entity *e, *inner, *outer, *t;
	enum mc_err rc;

	memset(&err, 0, sizeof(err));
	rc = mc_entity_read_fd(&e, fd, "fuzz", &err);
	if (rc != MC_OK) {
		FZ_ASSERT(e == NULL, "an entity and an error");
		FZ_ASSERT(rc == MC_EDATA, "error %d (%s) reading", rc,
		    mc_error_reason(&err));
		FZ_ASSERT(err.code == rc && err.detail[0] != '\0' &&
		    strcmp(err.what, "fuzz") == 0, "an error without a "
		    "reason or a name");
		return rc;
	}
	inner = mc_multipart_new("alternative");
	outer = mc_multipart_new(NULL);
	FZ_ASSERT(inner != NULL && outer != NULL, "out of memory");
	FZ_ASSERT(mc_multipart_add(inner, e, &err) == MC_OK, "add");
	t = mc_text_new(NULL);
	FZ_ASSERT(t != NULL && mc_entity_set_body_mem(t, "text\n", 5, &err) ==
	    MC_OK && mc_multipart_add(inner, t, &err) == MC_OK, "text");
	FZ_ASSERT(mc_multipart_add(outer, inner, &err) == MC_OK, "add");
	t = mc_text_new(NULL);
	FZ_ASSERT(t != NULL && mc_entity_set_body_mem(t, "--=_Q\n", 6, &err)
	    == MC_OK && mc_multipart_add(outer, t, &err) == MC_OK, "text");
	mc_source_epoch(&src, &st, FZ_EPOCH);
	memset(&opts, 0, sizeof(opts));
	opts.source = &src;
	opts.tmpdir = tmpdir;
	rc = mc_write(outer, fz_sink, out, &opts, &err);
	mc_entity_free(outer);
	FZ_ASSERT(rc == MC_OK || rc == MC_EDATA, "error %d (%s) writing", rc,
	    mc_error_reason(&err));
	if (rc == MC_EDATA)
		FZ_ASSERT(err.detail[0] != '\0', "an error without a reason");
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct mc_buf out, out2, want;
	struct fz_mime m;
	enum mc_err rc, rc2;
	int fd, low = fz_lowest_free();

	mc_buf_init(&out);
	mc_buf_init(&out2);
	fd = source(d, n, 0);
	rc = run(d, n, fd, &out);
	close(fd);
	if ((fd = source(d, n, 1)) != -1) {
		rc2 = run(d, n, fd, &out2);
		close(fd);
		FZ_ASSERT(rc2 == rc, "a file gives %d, a pipe %d", rc, rc2);
		FZ_ASSERT(out.len == out2.len && (out.len == 0 ||
		    memcmp(out.p, out2.p, out.len) == 0),
		    "a file and a pipe give different output");
	}
	FZ_ASSERT(fz_lowest_free() == low, "a descriptor is left open");
	FZ_ASSERT(fz_dir_empty(tmpdir), "a temporary file is left behind");
	if (rc == MC_OK) {
		memset(&m, 0, sizeof(m));
		m.gen = 1;
		m.foreign_at = 3;	/* outer, inner, the entity */
		fz_check_entity(out.p, out.len, 0, &m);
		FZ_ASSERT(m.leaves == 3 && m.depth == 2 && m.foreign.p != NULL,
		    "%d leaves, %d deep", m.leaves, m.depth);
		mc_buf_init(&want);
		fz_crlf_to_lf((const char *)d, n, &want);
		FZ_ASSERT(m.foreign.n == want.len && (want.len == 0 ||
		    memcmp(m.foreign.p, want.p, want.len) == 0),
		    "the entity is not written as it was read");
		mc_buf_free(&want);
	}
	mc_buf_free(&out);
	mc_buf_free(&out2);
	return 0;
}
