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

size_t
mc_header_end(const char *p, size_t n, size_t from)
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

/* MC_CTE_AUTO for one we do not know; -1 for binary. */
static int
cte_of(const char *v)
{
	static const struct {
		const char *name;
		int cte;
	} t[] = {
		{ "7bit", MC_CTE_7BIT }, { "8bit", MC_CTE_8BIT },
		{ "binary", -1 }, { "quoted-printable", MC_CTE_QP },
		{ "base64", MC_CTE_BASE64 },
	};
	size_t i, n;

	while (mc_wsp(*v))
		v++;
	n = strcspn(v, "; \t(");
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strlen(t[i].name) == n && strncasecmp(v, t[i].name, n) == 0)
			return t[i].cte;
	return MC_CTE_AUTO;
}

/* "type/subtype" at the start of a Content-Type value, lower-cased; of
 * any length a header line allows. */
static char *
type_of(const char *v)
{
	char *t;
	size_t i, n;

	while (mc_wsp(*v))
		v++;
	n = strcspn(v, "; \t(");
	if (!mc_type_ok(v, n, MC_LINE_MAX) || (t = strndup(v, n)) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		t[i] = (char)tolower((unsigned char)t[i]);
	return t;
}

/* What a header block says, as mc_header_parse reads it. */
struct head {
	const char *name;	/* names the entity in errors */
	struct mc_error *err;
	size_t fields;
	int nct;		/* Content-Type fields */
	struct mc_buf ct;	/* the Content-Type value, unfolded */
	enum mc_cte cte;
	int binary_ok;		/* binary is read as 8bit, not refused */
};

/* One unfolded field (mc_unfold). */
static enum mc_err
head_field(void *arg, char *f, unsigned long line)
{
	struct head *h = arg;
	char detail[96];
	size_t n;
	int r;

	if ((r = mc_field_name(f, strlen(f), 0, &n)) < 0) {
		snprintf(detail, sizeof(detail),
		    "line %lu is not a header field", line);
		return not_entity(h->err, h->name, detail);
	}
	if (++h->fields > MC_FIELDS_MAX) {
		snprintf(detail, sizeof(detail), "more than %d header fields",
		    MC_FIELDS_MAX);
		return not_entity(h->err, h->name, detail);
	}
	if (n == 12 && strncasecmp(f, "Content-Type", 12) == 0) {
		if (h->nct++ > 0)
			return not_entity(h->err, h->name,
			    "two Content-Type fields");
		mc_buf_adds(&h->ct, f + r);
	} else if (n == 25 &&
	    strncasecmp(f, "Content-Transfer-Encoding", 25) == 0) {
		/* RFC 3030 3: binary has no lines, and as 8bit its line
		 * ends would be rewritten; only a reader that re-encodes
		 * the body (signsafe.c) takes it. */
		if (cte_of(f + r) == -1 && !h->binary_ok)
			return mc_fail(h->err, MC_EDATA, 0, h->name,
			    "a binary entity, which no line-based message "
			    "carries: send it base64");
		h->cte = cte_of(f + r) == -1 ? MC_CTE_8BIT :
		    (enum mc_cte)cte_of(f + r);
	}
	return MC_OK;
}

/* One line of the header block, its line end stripped: RFC 5322 2.2: no
 * CR, NUL or other controls; 2.1.1: at most 998 octets. */
static enum mc_err
head_line(struct head *h, const char *p, size_t len, unsigned long line)
{
	char detail[96];
	size_t i;

	for (i = 0; i < len; i++)
		if (((unsigned char)p[i] < 0x20 && p[i] != '\t') ||
		    p[i] == 0x7f)
			break;
	if (i < len) {
		snprintf(detail, sizeof(detail), p[i] == '\r' ?
		    "a bare CR in line %lu" : "a control character in "
		    "line %lu", line);
		return not_entity(h->err, h->name, detail);
	}
	if (len > MC_LINE_MAX) {
		snprintf(detail, sizeof(detail),
		    "header line %lu is longer than %d octets", line,
		    MC_LINE_MAX);
		return not_entity(h->err, h->name, detail);
	}
	return MC_OK;
}

/* Builds e from what the block said; deftype, when not NULL, is the
 * type of a block without Content-Type. */
static enum mc_err
head_build(mc_entity *e, const struct head *h, const char *deftype)
{
	if (h->ct.len == 0 && deftype != NULL) {
		if ((e->rtype = mc_strdup(deftype)) == NULL)
			return mc_fail(h->err, MC_ENOMEM, 0, h->name, NULL);
	} else if (h->ct.len == 0)
		return not_entity(h->err, h->name, "no Content-Type field");
	else if ((e->rtype = type_of(h->ct.p)) == NULL)
		return h->ct.oom ? mc_fail(h->err, MC_ENOMEM, 0, h->name, NULL) :
		    not_entity(h->err, h->name,
		    "Content-Type is not type/subtype");
	if (e->hdr.oom)
		return mc_fail(h->err, MC_ENOMEM, 0, h->name, NULL);
	e->rcte = h->cte;
	return MC_OK;
}

/* Reads the header block p[0..n) line by line into e->hdr, with "\n"
 * line ends, and finds Content-Type and Content-Transfer-Encoding. */
enum mc_err
mc_header_parse(mc_entity *e, const char *p, size_t n, const char *name,
    const char *deftype, int binary_ok, struct mc_error *err)
{
	struct head h;
	struct mc_unfold u;
	unsigned long line = 0;
	const char *eol;
	enum mc_err rc = MC_OK;
	size_t len;

	memset(&h, 0, sizeof(h));
	h.name = name;
	h.err = err;
	h.cte = MC_CTE_7BIT;	/* RFC 2045 6.1: the default */
	h.binary_ok = binary_ok;
	mc_buf_init(&h.ct);
	mc_unfold_init(&u, head_field, &h);
	for (; n > 0; n -= (size_t)(eol - p) + 1, p = eol + 1) {
		line++;
		eol = memchr(p, '\n', n);
		len = (size_t)(eol - p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (len == 0 || (rc = head_line(&h, p, len, line)) != MC_OK)
			break;
		rc = mc_unfold_line(&u, p, len, line);
		/* A continuation line is never handed to head_field. */
		if (rc == MC_EDATA && mc_wsp(p[0]))
			rc = not_entity(err, name,
			    "the header starts with a continuation");
		else if (rc == MC_ENOMEM)
			rc = mc_fail(err, MC_ENOMEM, 0, name, NULL);
		if (rc != MC_OK)
			break;
		mc_buf_add(&e->hdr, p, len);
		mc_buf_addc(&e->hdr, '\n');
	}
	if (rc == MC_OK && (rc = mc_unfold_end(&u)) == MC_OK)
		rc = head_build(e, &h, deftype);
	mc_buf_free(&u.f);
	mc_buf_free(&h.ct);
	return rc;
}

/* Reads fd up to the end of the header block into *buf (malloc'd): *len
 * bytes read, the block's *end (its empty line included). */
static enum mc_err
read_block(int fd, const char *name, char **buf, size_t *len, size_t *end,
    struct mc_error *err)
{
	size_t cap = 0, scanned = 0;
	char *nbuf;
	ssize_t k;

	for (*buf = NULL, *len = 0, *end = 0; *end == 0;) {
		if (*len > MC_HEADER_MAX)
			return not_entity(err, name,
			    "no empty line within the first 256 KiB");
		if (cap - *len < CHUNK) {
			cap = cap ? 2 * cap : 2 * CHUNK;
			if ((nbuf = realloc(*buf, cap)) == NULL)
				return mc_fail(err, MC_ENOMEM, 0, name, NULL);
			*buf = nbuf;
		}
		if ((k = mc_fd_read(fd, *buf + *len, CHUNK)) == -1)
			return mc_fail(err, MC_EIO, errno, name, NULL);
		if (k == 0)
			return not_entity(err, name, *len == 0 ? "empty input" :
			    "no empty line after the header");
		*len += (size_t)k;
		/* An entity cannot start with an empty line. */
		if ((*buf)[0] == '\n' || (*len > 1 && (*buf)[0] == '\r' &&
		    (*buf)[1] == '\n'))
			return not_entity(err, name, "no header fields");
		*end = mc_header_end(*buf, *len, scanned);
		scanned = *len > 2 ? *len - 2 : 0;
	}
	if (*end > MC_HEADER_MAX)
		return not_entity(err, name, "a header block over 256 KiB");
	return MC_OK;
}

enum mc_err
mc_entity_read_fd(mc_entity **out, int fd, const char *name,
    struct mc_error *err)
{
	mc_entity *e = NULL;
	char *buf = NULL;
	size_t len, end;
	struct stat st;
	off_t start = -1;
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
	if ((rc = read_block(fd, name, &buf, &len, &end, err)) != MC_OK)
		goto fail;
	if ((e = mc_entity_alloc(MC_K_READ)) == NULL) {
		rc = mc_fail(err, MC_ENOMEM, 0, name, NULL);
		goto fail;
	}
	if ((rc = mc_header_parse(e, buf, end, name, NULL, 0, err)) != MC_OK)
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
