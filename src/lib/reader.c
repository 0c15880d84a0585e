/* SPDX-License-Identifier: ISC */
/* Entities written elsewhere: the header block (RFC 5322 2.2, RFC 2045 5, 6). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>

#include "mc.h"

#define CHUNK 4096

/* Offset just past the empty line ending the header block, or 0. */
static size_t
header_end(const char *p, size_t n, size_t from)
{
	size_t i;

	for (i = from; i < n; i++) {
		if (p[i] != '\n')
			continue;
		if (i + 1 < n && p[i + 1] == '\n')
			return i + 2;
		if (i + 2 < n && p[i + 1] == '\r' && p[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

static enum mc_err
not_entity(struct mc_error *err, const char *name, const char *why)
{
	return mc_fail(err, MC_EDATA, 0, name, "not a MIME entity: %s", why);
}

static enum mc_cte
cte_of(const char *v)
{
	static const struct {
		const char *name;
		enum mc_cte cte;
	} t[] = {
		{ "7bit", MC_CTE_7BIT }, { "8bit", MC_CTE_8BIT },
		{ "binary", MC_CTE_8BIT }, { "quoted-printable", MC_CTE_QP },
		{ "base64", MC_CTE_BASE64 },
	};
	size_t i, n;

	while (*v == ' ' || *v == '\t')
		v++;
	for (n = 0; v[n] != '\0' && v[n] != ' ' && v[n] != '\t' &&
	    v[n] != ';' && v[n] != '('; n++)
		;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strlen(t[i].name) == n && strncasecmp(v, t[i].name, n) == 0)
			return t[i].cte;
	return MC_CTE_AUTO;
}

/* "type/subtype" at the start of a Content-Type value, lower-cased. */
static char *
type_of(const char *v)
{
	const char *p, *slash;
	char *t;
	size_t i, n;

	while (*v == ' ' || *v == '\t')
		v++;
	for (p = v; *p != '\0' && *p != ';' && *p != ' ' && *p != '\t' &&
	    *p != '('; p++)
		;
	n = (size_t)(p - v);
	slash = memchr(v, '/', n);
	if (slash == NULL || slash == v || slash == p - 1 ||
	    (t = strndup(v, n)) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		t[i] = (char)tolower((unsigned char)t[i]);
	if (t[slash - v + 1] == '\0' || strchr(t + (slash - v) + 1, '/') ||
	    (t[slash - v] = '\0', !mc_is_token(t)) ||
	    !mc_is_token(t + (slash - v) + 1)) {
		free(t);
		return NULL;
	}
	t[slash - v] = '/';
	return t;
}

enum mc_err
mc_header_parse(mc_entity *e, const char *p, size_t n, const char *name,
    const char *deftype, struct mc_error *err)
{
	struct mc_buf ct, *cur = NULL;
	size_t i, len, line = 0, fields = 0;
	int seen_ct = 0;
	const char *eol, *colon;
	char detail[96];
	enum mc_err rc = MC_OK;

	mc_buf_init(&ct);
	e->rcte = MC_CTE_7BIT;	/* RFC 2045 6.1: the default */
	while (n > 0) {
		line++;
		eol = memchr(p, '\n', n);
		len = (size_t)(eol - p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (len == 0)
			break;
		for (i = 0; i < len; i++)
			if (((unsigned char)p[i] < 0x20 && p[i] != '\t') ||
			    p[i] == 0x7f)
				break;
		if (i < len) {
			/* RFC 5322 2.2: no CR, NUL or other controls. */
			snprintf(detail, sizeof(detail), p[i] == '\r' ?
			    "a bare CR in line %zu" : "a control character in "
			    "line %zu", line);
			rc = not_entity(err, name, detail);
			goto out;
		}
		if (len > MC_LINE_MAX) {
			snprintf(detail, sizeof(detail),
			    "header line %zu is longer than %d octets", line,
			    MC_LINE_MAX);
			rc = not_entity(err, name, detail);
			goto out;
		}
		if (p[0] == ' ' || p[0] == '\t') {
			if (line == 1) {
				rc = not_entity(err, name,
				    "the header starts with a continuation");
				goto out;
			}
			if (cur != NULL)
				mc_buf_add(cur, p, len);
		} else {
			colon = memchr(p, ':', len);
			for (i = 0; colon != NULL && p + i < colon; i++)
				if (p[i] <= 32 || p[i] >= 127)
					colon = NULL;
			if (colon == NULL || colon == p) {
				snprintf(detail, sizeof(detail),
				    "line %zu is not a header field", line);
				rc = not_entity(err, name, detail);
				goto out;
			}
			if (++fields > MC_FIELDS_MAX) {
				snprintf(detail, sizeof(detail),
				    "more than %d header fields", MC_FIELDS_MAX);
				rc = not_entity(err, name, detail);
				goto out;
			}
			cur = NULL;
			if (colon - p == 12 && strncasecmp(p, "Content-Type", 12)
			    == 0) {
				if (seen_ct++) {
					rc = not_entity(err, name,
					    "two Content-Type fields");
					goto out;
				}
				cur = &ct;
				mc_buf_add(cur, colon + 1, len -
				    (size_t)(colon + 1 - p));
			} else if (colon - p == 25 && strncasecmp(p,
			    "Content-Transfer-Encoding", 25) == 0) {
				char v[40];
				snprintf(v, sizeof(v), "%.*s",
				    (int)(len - (size_t)(colon + 1 - p)),
				    colon + 1);
				e->rcte = cte_of(v);
			}
		}
		mc_buf_add(&e->hdr, p, len);
		mc_buf_addc(&e->hdr, '\n');
		n -= (size_t)(eol - p) + 1;
		p = eol + 1;
	}
	if (ct.len == 0 && deftype != NULL)
		e->rtype = mc_strdup(deftype);
	else if (ct.len == 0) {
		rc = not_entity(err, name, "no Content-Type field");
		goto out;
	} else if ((e->rtype = type_of(ct.p)) == NULL) {
		rc = ct.oom ? mc_fail(err, MC_ENOMEM, 0, name, NULL) :
		    not_entity(err, name, "Content-Type is not type/subtype");
		goto out;
	}
	if (e->rtype == NULL || e->hdr.oom)
		rc = mc_fail(err, MC_ENOMEM, 0, name, NULL);
out:
	mc_buf_free(&ct);
	return rc;
}

enum mc_err
mc_entity_read_fd(mc_entity **out, int fd, const char *name,
    struct mc_error *err)
{
	mc_entity *e = NULL;
	char *buf = NULL, *nbuf;
	size_t len = 0, cap = 0, end = 0, scanned = 0;
	struct stat st;
	off_t start = -1;
	ssize_t k;
	enum mc_err rc;

	*out = NULL;
	if (name == NULL)
		name = "standard input";
	if (fstat(fd, &st) == -1)
		return mc_fail(err, MC_ENOINPUT, errno, name, NULL);
	if (S_ISDIR(st.st_mode))
		return mc_fail(err, MC_ENOINPUT, EISDIR, name, NULL);
	if (S_ISREG(st.st_mode))
		start = lseek(fd, 0, SEEK_CUR);
	while (end == 0) {
		if (len > MC_HEADER_MAX) {
			rc = not_entity(err, name,
			    "no empty line within the first 256 KiB");
			goto fail;
		}
		if (cap - len < CHUNK) {
			cap = cap ? 2 * cap : 2 * CHUNK;
			if ((nbuf = realloc(buf, cap)) == NULL) {
				rc = mc_fail(err, MC_ENOMEM, 0, name, NULL);
				goto fail;
			}
			buf = nbuf;
		}
		do
			k = read(fd, buf + len, CHUNK);
		while (k == -1 && errno == EINTR);
		if (k == -1) {
			rc = mc_fail(err, MC_EIO, errno, name, NULL);
			goto fail;
		}
		if (k == 0) {
			rc = not_entity(err, name, len == 0 ? "empty input" :
			    "no empty line after the header");
			goto fail;
		}
		len += (size_t)k;
		/* An entity cannot start with an empty line. */
		if (buf[0] == '\n' || (len > 1 && buf[0] == '\r' &&
		    buf[1] == '\n')) {
			rc = not_entity(err, name, "no header fields");
			goto fail;
		}
		end = header_end(buf, len, scanned);
		scanned = len > 2 ? len - 2 : 0;
	}
	if (end > MC_HEADER_MAX) {
		rc = not_entity(err, name, "a header block over 256 KiB");
		goto fail;
	}
	if ((e = mc_entity_alloc(MC_K_READ)) == NULL) {
		rc = mc_fail(err, MC_ENOMEM, 0, name, NULL);
		goto fail;
	}
	if ((rc = mc_header_parse(e, buf, end, name, NULL, err)) != MC_OK)
		goto fail;
	e->in.kind = MC_IN_FD;
	e->in.fd = fd;
	if ((e->in.name = mc_strdup(name)) == NULL) {
		rc = mc_fail(err, MC_ENOMEM, 0, name, NULL);
		goto fail;
	}
	if (start != -1) {
		/* A regular file: the body starts right after the header. */
		if (lseek(fd, start + (off_t)end, SEEK_SET) == -1) {
			rc = mc_fail(err, MC_EIO, errno, name, NULL);
			goto fail;
		}
	} else if (len > end) {
		/* A pipe: what was read past the header is the body's start. */
		memmove(buf, buf + end, len - end);
		e->in.ahead = (unsigned char *)buf;
		e->in.aheadlen = len - end;
		buf = NULL;
	}
	free(buf);
	*out = e;
	return MC_OK;
fail:
	free(buf);
	mc_entity_free(e);
	return rc;
}

enum mc_err
mc_entity_read_path(mc_entity **out, const char *path, struct mc_error *err)
{
	enum mc_err rc;
	mc_entity *e;
	int fd;

	*out = NULL;
	if (path == NULL)
		return mc_fail(err, MC_EUSAGE, 0, "entity", "no path");
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return mc_fail(err, MC_ENOINPUT, errno, path, NULL);
	if ((rc = mc_entity_read_fd(out, fd, path, err)) != MC_OK) {
		close(fd);
		return rc;
	}
	/* Its own file from here on, closed with it.  A regular file is
	 * closed now and opened again for the body (input.c): many entities
	 * may be read before any is written. */
	e = *out;
	e->in.own_fd = 1;
	if ((e->in.path = mc_strdup(path)) == NULL) {
		rc = mc_fail(err, MC_ENOMEM, 0, path, NULL);
		goto fail;
	}
	e->in.kind = MC_IN_PATH;
	if (e->in.aheadlen == 0 &&
	    (e->in.start = lseek(fd, 0, SEEK_CUR)) != -1 &&
	    (rc = mc_input_park(&e->in, err)) != MC_OK)
		goto fail;
	return MC_OK;
fail:
	mc_entity_free(e);
	*out = NULL;
	return rc;
}
