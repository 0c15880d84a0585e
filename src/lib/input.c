/* SPDX-License-Identifier: ISC */
/* Body sources read from the start twice: rewind a file, spool a pipe (SPEC 2). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "mc.h"

void
mc_input_init(struct mc_input *in)
{
	memset(in, 0, sizeof(*in));
	in->kind = MC_IN_NONE;
	in->fd = -1;
	in->spool = -1;
}

const char *
mc_tmpdir(const char *tmpdir)
{
	if (tmpdir == NULL || *tmpdir == '\0')
		tmpdir = getenv("TMPDIR");
	if (tmpdir == NULL || *tmpdir == '\0')
		tmpdir = "/tmp";
	return tmpdir;
}

int
mc_spool_fd(const char *tmpdir)
{
	struct mc_buf path;
	int fd, e;

	mc_buf_init(&path);
	mc_buf_printf(&path, "%s/mimecompose.XXXXXX", mc_tmpdir(tmpdir));
	if (path.oom) {
		mc_buf_free(&path);
		errno = ENOMEM;
		return -1;
	}
	if ((fd = mkstemp(path.p)) != -1)
		unlink(path.p);
	e = errno;
	mc_buf_free(&path);
	errno = e;
	return fd;
}

/* Opens a parked file again, where it was. */
static enum mc_err
unpark(struct mc_input *in, struct mc_error *err)
{
	struct stat st;

	if ((in->fd = open(in->path, O_RDONLY | O_CLOEXEC)) == -1)
		return mc_fail(err, MC_ENOINPUT, errno, in->name, NULL);
	in->parked = 0;
	if (fstat(in->fd, &st) == -1)
		return mc_fail(err, MC_EIO, errno, in->name, NULL);
	if (st.st_dev != in->dev || st.st_ino != in->ino ||
	    st.st_size != in->size || st.st_mtim.tv_sec != in->mtime.tv_sec ||
	    st.st_mtim.tv_nsec != in->mtime.tv_nsec)
		return mc_fail(err, MC_EIO, 0, in->name,
		    "changed while the message was being written");
	if (lseek(in->fd, in->start, SEEK_SET) == -1)
		return mc_fail(err, MC_EIO, errno, in->name, NULL);
	return MC_OK;
}

enum mc_err
mc_input_open(struct mc_input *in, int twice, const char *tmpdir,
    struct mc_error *err)
{
	struct stat st;
	enum mc_err rc;

	in->pos = 0;
	in->mempos = 0;
	if (in->kind == MC_IN_MEM)
		return MC_OK;
	if (in->parked && (rc = unpark(in, err)) != MC_OK)
		return rc;
	if (in->kind == MC_IN_PATH && in->fd == -1) {
		if ((in->fd = open(in->path, O_RDONLY | O_CLOEXEC)) == -1)
			return mc_fail(err, MC_ENOINPUT, errno, in->name, NULL);
		in->own_fd = 1;
	}
	if (in->fd == -1)
		return mc_fail(err, MC_EUSAGE, 0, in->name, "no body");
	if (fstat(in->fd, &st) == -1)
		return mc_fail(err, MC_EIO, errno, in->name, NULL);
	if (S_ISDIR(st.st_mode))
		return mc_fail(err, MC_ENOINPUT, EISDIR, in->name, NULL);
	in->start = -1;
	if (S_ISREG(st.st_mode))
		in->start = lseek(in->fd, 0, SEEK_CUR);
	if (twice && in->start == -1) {
		if ((in->spool = mc_spool_fd(tmpdir)) == -1)
			return mc_fail(err, MC_EIO, errno, mc_tmpdir(tmpdir),
			    NULL);
		in->spooling = 1;
	}
	return MC_OK;
}

enum mc_err
mc_input_rewind(struct mc_input *in, struct mc_error *err)
{
	in->pos = 0;
	in->mempos = 0;
	if (in->kind == MC_IN_MEM)
		return MC_OK;
	if (in->spool != -1) {
		/* The source is used up; read the copy from here on. */
		in->spooling = 0;
		in->aheadpos = in->aheadlen;
		if (lseek(in->spool, 0, SEEK_SET) == -1)
			return mc_fail(err, MC_EIO, errno, in->name, NULL);
		return MC_OK;
	}
	if (in->start == -1)
		return mc_fail(err, MC_EIO, ESPIPE, in->name, NULL);
	if (lseek(in->fd, in->start, SEEK_SET) == -1)
		return mc_fail(err, MC_EIO, errno, in->name, NULL);
	return MC_OK;
}

enum mc_err
mc_input_park(struct mc_input *in, struct mc_error *err)
{
	struct stat st;

	if (in->kind != MC_IN_PATH || !in->own_fd || in->fd == -1 ||
	    in->spool != -1 || in->start == -1 || in->aheadlen > 0)
		return MC_OK;
	if (fstat(in->fd, &st) == -1)
		return mc_fail(err, MC_EIO, errno, in->name, NULL);
	in->dev = st.st_dev;
	in->ino = st.st_ino;
	in->size = st.st_size;
	in->mtime = st.st_mtim;
	close(in->fd);
	in->fd = -1;
	in->parked = 1;
	return MC_OK;
}

ssize_t
mc_input_read(struct mc_input *in, void *p, size_t n, struct mc_error *err)
{
	ssize_t k;
	int e;

	if (in->kind == MC_IN_MEM) {
		if (n > in->memlen - in->mempos)
			n = in->memlen - in->mempos;
		if (n > 0)	/* an empty body may have no data pointer */
			memcpy(p, in->mem + in->mempos, n);
		in->mempos += n;
		in->pos += n;
		return (ssize_t)n;
	}
	if (in->spool != -1 && !in->spooling) {
		if ((k = mc_fd_read(in->spool, p, n)) == -1)
			mc_fail(err, MC_EIO, errno, in->name, NULL);
		else
			in->pos += (uint64_t)k;
		return k;
	}
	if (in->parked && unpark(in, err) != MC_OK)
		return -1;
	if (in->aheadpos < in->aheadlen) {
		if (n > in->aheadlen - in->aheadpos)
			n = in->aheadlen - in->aheadpos;
		memcpy(p, in->ahead + in->aheadpos, n);
		in->aheadpos += n;
		k = (ssize_t)n;
	} else {
		if ((k = mc_fd_read(in->fd, p, n)) == -1) {
			mc_fail(err, MC_EIO, errno, in->name, NULL);
			return -1;
		}
	}
	if (in->spooling && k > 0 && (e = mc_fd_write(&in->spool, p,
	    (size_t)k))) {
		mc_fail(err, MC_EIO, e, mc_tmpdir(NULL), NULL);
		return -1;
	}
	in->pos += (uint64_t)k;
	return k;
}

void
mc_input_close(struct mc_input *in)
{
	if (in->own_fd && in->fd != -1)
		close(in->fd);
	if (in->spool != -1)
		close(in->spool);
	free(in->path);
	free(in->name);
	free(in->ahead);
	free(in->own_mem);
	mc_input_init(in);
}
