/* SPDX-License-Identifier: ISC */
/* Buffered output: one place for large writes and LF versus CRLF. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "mc.h"

void
mc_out_init(struct mc_out *o, mc_write_fn fn, void *arg, int crlf)
{
	o->fn = fn;
	o->arg = arg;
	o->crlf = crlf;
	o->failed = 0;
	o->sys = 0;
	o->len = 0;
	o->last = -1;
}

int
mc_out_flush(struct mc_out *o)
{
	int e;

	if (o->failed)
		return -1;
	if (o->len == 0)
		return 0;
	if ((e = o->fn(o->arg, o->buf, o->len)) != 0) {
		o->failed = 1;
		o->sys = e;
		return -1;
	}
	o->len = 0;
	return 0;
}

int
mc_out_write(struct mc_out *o, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t k;

	if (o->failed)
		return -1;
	if (n > 0)
		o->last = s[n - 1];
	while (n > 0) {
		if (o->len == sizeof(o->buf) && mc_out_flush(o) == -1)
			return -1;
		/* A large write with an empty buffer goes straight through. */
		if (o->len == 0 && n >= sizeof(o->buf)) {
			int e;
			if ((e = o->fn(o->arg, s, n)) != 0) {
				o->failed = 1;
				o->sys = e;
				return -1;
			}
			return 0;
		}
		k = sizeof(o->buf) - o->len;
		if (k > n)
			k = n;
		memcpy(o->buf + o->len, s, k);
		o->len += k;
		s += k;
		n -= k;
	}
	return 0;
}

/* Encoders write straight into the buffer: room for at least min bytes
 * (flushing first when there is less), all the free room in *room. */
unsigned char *
mc_out_reserve(struct mc_out *o, size_t min, size_t *room)
{
	if (o->failed)
		return NULL;
	if (sizeof(o->buf) - o->len < min && mc_out_flush(o) == -1)
		return NULL;
	*room = sizeof(o->buf) - o->len;
	return o->buf + o->len;
}

void
mc_out_commit(struct mc_out *o, size_t n)
{
	o->len += n;
	if (n > 0)
		o->last = o->buf[o->len - 1];
}

int
mc_out_puts(struct mc_out *o, const char *s)
{
	return mc_out_write(o, s, strlen(s));
}

int
mc_out_eol(struct mc_out *o)
{
	return o->crlf ? mc_out_write(o, "\r\n", 2) : mc_out_write(o, "\n", 1);
}

int
mc_out_text(struct mc_out *o, const char *p, size_t n)
{
	const char *nl;

	while (n > 0) {
		if ((nl = memchr(p, '\n', n)) == NULL)
			return mc_out_write(o, p, n);
		size_t k = (size_t)(nl - p);
		if (mc_out_write(o, p, k > 0 && p[k - 1] == '\r' ? k - 1 : k)
		    == -1 || mc_out_eol(o) == -1)
			return -1;
		p = nl + 1;
		n -= k + 1;
	}
	return o->failed ? -1 : 0;
}

ssize_t
mc_fd_read(int fd, void *buf, size_t len)
{
	ssize_t k;

	do
		k = read(fd, buf, len);
	while (k == -1 && errno == EINTR);
	return k;
}

int
mc_fd_write(void *arg, const void *buf, size_t len)
{
	const char *p = buf;
	int fd = *(int *)arg;
	ssize_t k;

	while (len > 0) {
		if ((k = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		if (k == 0)
			return EIO;
		p += k;
		len -= (size_t)k;
	}
	return 0;
}
