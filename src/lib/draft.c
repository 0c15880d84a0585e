/* SPDX-License-Identifier: ISC */
/* Drafts (SPEC 3 mime-compose): RFC 5322 2.2 fields, mmime(1) part lines. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>

#include "mc.h"

#define DRAFT_BUF	(64 * 1024)	/* read and spool buffers */
#define DRAFT_PART_LINE	(4096 + 256)	/* a part line: a path and a type */
#define DRAFT_PARTS_MAX	1000		/* part lines in one draft */

/* A part named by a part line. */
struct part {
	mc_entity *e;
	unsigned long line;
	char *cid;		/* #related: the Content-ID's NAME */
};

struct parts {
	struct part *v;
	size_t n, cap;
};

struct draft {
	const char *name;	/* names the draft in errors */
	struct mc_error err;
	int fd;
	unsigned char in[DRAFT_BUF];
	size_t inpos, inlen;
	int eof;
	unsigned long line;	/* the line being read, from 1 */
	size_t hdrbytes;	/* octets of the header block so far */
	size_t nfields;
	unsigned seen;		/* SEEN_* fields met */
	mc_entity *msg;

	/* The body text: in out while it fits, then spooled to an unlinked
	 * temporary file (a one-line note costs no file). */
	int spool;		/* -1 until out first fills */
	unsigned char out[DRAFT_BUF];
	size_t outlen;
	int blank;		/* nothing but white space so far */
	struct mc_utf8 utf8;

	/* Parts, in draft order. */
	mc_entity *html;	/* #alternative */
	unsigned long html_line;
	struct parts att;	/* #attachment and #inline */
	struct parts rel;	/* #related */
	size_t nparts;
};

enum {
	SEEN_FROM = 1 << 0,
	SEEN_SUBJECT = 1 << 1,
	SEEN_DATE = 1 << 2,
	SEEN_ID = 1 << 3,
	SEEN_IRT = 1 << 4,
	SEEN_REFS = 1 << 5
};

/*
 * Errors.  A fault on a line is "NAME:LINE: why"; a fault of the whole
 * draft (no From) is "NAME: why".
 */
static enum mc_err
fail_at(struct draft *d, enum mc_err code, int sys, unsigned long line,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static enum mc_err
fail_at(struct draft *d, enum mc_err code, int sys, unsigned long line,
    const char *fmt, ...)
{
	char what[sizeof(d->err.what)], why[sizeof(d->err.detail)];
	va_list ap;

	if (line > 0)
		snprintf(what, sizeof(what), "%s:%lu", d->name, line);
	else
		snprintf(what, sizeof(what), "%s", d->name);
	why[0] = '\0';
	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(why, sizeof(why), fmt, ap);
		va_end(ap);
	}
	return mc_fail(&d->err, code, sys, what, fmt != NULL ? "%s" : NULL,
	    why);
}

/* A library call on behalf of line failed: the same error, placed there,
 * its detail prefixed with label (the field or the path concerned). */
static enum mc_err
relabel(struct draft *d, enum mc_err rc, unsigned long line,
    const char *label)
{
	char why[sizeof(d->err.detail)];

	if (rc == MC_ENOMEM)
		return fail_at(d, rc, 0, line, NULL);
	snprintf(why, sizeof(why), "%s", mc_error_reason(&d->err));
	return fail_at(d, rc, d->err.sys, line, "%s: %s", label, why);
}

/*
 * Reading.
 */

/* 1 when input is waiting in d->in, 0 at the end, -1 on a read error. */
static int
fill(struct draft *d)
{
	ssize_t k;

	if (d->inpos < d->inlen)
		return 1;
	if (d->eof)
		return 0;
	do
		k = read(d->fd, d->in, sizeof(d->in));
	while (k == -1 && errno == EINTR);
	if (k == -1) {
		fail_at(d, MC_EIO, errno, 0, NULL);
		return -1;
	}
	d->inpos = 0;
	d->inlen = (size_t)k;
	if (k == 0)
		d->eof = 1;
	return k > 0;
}

/* Appends the rest of the current line (its LF too) to b, at most max
 * octets in all.  1: a line (or its end at EOF) read; 0: nothing left;
 * -1: a read error; -2: the line is longer than max. */
static int
read_line(struct draft *d, struct mc_buf *b, size_t max)
{
	unsigned char *p, *nl;
	size_t n, k;
	int r, any = 0;

	for (;;) {
		if ((r = fill(d)) != 1)
			return r == 0 ? any : -1;
		any = 1;
		p = d->in + d->inpos;
		n = d->inlen - d->inpos;
		nl = memchr(p, '\n', n);
		k = nl != NULL ? (size_t)(nl - p) + 1 : n;
		if (b->len + k > max) {
			k = max - b->len;
			mc_buf_add(b, p, k);
			d->inpos += k;
			return -2;
		}
		mc_buf_add(b, p, k);
		d->inpos += k;
		if (b->oom) {
			fail_at(d, MC_ENOMEM, 0, d->line, NULL);
			return -1;
		}
		if (nl != NULL)
			return 1;
	}
}

/* Strips the line end, LF or CRLF, from b. */
static void
chomp(struct mc_buf *b)
{
	if (b->len > 0 && b->p[b->len - 1] == '\n')
		b->p[--b->len] = '\0';
	if (b->len > 0 && b->p[b->len - 1] == '\r')
		b->p[--b->len] = '\0';
}

static int
is_wsp(int c)
{
	return c == ' ' || c == '\t';
}

static int
is_blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_wsp((unsigned char)s[i]))
			return 0;
	return 1;
}

/*
 * The header block.
 */

static const struct {
	const char *name;
	enum mc_addr_field field;
} addr_fields[] = {
	{ "From",	MC_FROM },
	{ "To",		MC_TO },
	{ "Cc",		MC_CC },
	{ "Bcc",	MC_BCC },
	{ "Reply-To",	MC_REPLY_TO },
};

static const struct {
	const char *name;
	unsigned seen;
	enum mc_err (*set)(mc_entity *, const char *, struct mc_error *);
} once_fields[] = {
	{ "Subject",	 SEEN_SUBJECT,	mc_message_set_subject },
	{ "Date",	 SEEN_DATE,	mc_message_set_date },
	{ "Message-ID",	 SEEN_ID,	mc_message_set_id },
	{ "In-Reply-To", SEEN_IRT,	mc_message_set_in_reply_to },
	{ "References",	 SEEN_REFS,	mc_message_set_references },
};

/* One unfolded field, "Name: value", that began on line. */
static enum mc_err
field(struct draft *d, char *f, unsigned long line)
{
	char *colon, *v, *end, *name;
	struct mc_buf fb;
	enum mc_err rc;
	size_t i, n;

	if ((colon = strchr(f, ':')) == NULL)
		return fail_at(d, MC_EDATA, 0, line, "a header line without "
		    "a colon (is the empty line before the body missing?)");
	/* RFC 5322 4.5.1 (obsolete): white space before the colon. */
	for (end = colon; end > f && is_wsp((unsigned char)end[-1]); end--)
		;
	*end = '\0';
	name = f;
	n = (size_t)(end - f);
	if (n == 0)
		return fail_at(d, MC_EDATA, 0, line, "a field without a name");
	/* RFC 5322 3.6.8: printable ASCII but ":". */
	for (i = 0; i < n; i++)
		if ((unsigned char)name[i] <= 32 ||
		    (unsigned char)name[i] >= 127)
			return fail_at(d, MC_EDATA, 0, line,
			    "a field name that is not printable ASCII "
			    "without spaces: \"%.60s\"", name);
	if (++d->nfields > MC_FIELDS_MAX)
		return fail_at(d, MC_EDATA, 0, line,
		    "more than %d header fields", MC_FIELDS_MAX);
	for (v = colon + 1; is_wsp((unsigned char)*v); v++)
		;
	for (end = v + strlen(v); end > v && is_wsp((unsigned char)end[-1]);
	    end--)
		;
	*end = '\0';

	/* mcom(1) leaves Cc: and Bcc: empty: an empty field says nothing. */
	if (*v == '\0')
		return MC_OK;
	if (strcasecmp(name, "MIME-Version") == 0)
		return MC_OK;	/* always written, as 1.0 */
	if (strncasecmp(name, "Content-", 8) == 0)
		return fail_at(d, MC_EDATA, 0, line, "%s: the MIME fields are "
		    "made from the body and its part lines", name);
	for (i = 0; i < sizeof(addr_fields) / sizeof(addr_fields[0]); i++) {
		if (strcasecmp(name, addr_fields[i].name) != 0)
			continue;
		rc = mc_message_add_addresses(d->msg, addr_fields[i].field, v,
		    &d->err);
		if (rc != MC_OK)
			return relabel(d, rc, line, name);
		if (addr_fields[i].field == MC_FROM)
			d->seen |= SEEN_FROM;
		return MC_OK;
	}
	for (i = 0; i < sizeof(once_fields) / sizeof(once_fields[0]); i++) {
		if (strcasecmp(name, once_fields[i].name) != 0)
			continue;
		/* RFC 5322 3.6: at most one of each. */
		if (d->seen & once_fields[i].seen)
			return fail_at(d, MC_EDATA, 0, line,
			    "a second %s field", once_fields[i].name);
		d->seen |= once_fields[i].seen;
		if ((rc = once_fields[i].set(d->msg, v, &d->err)) != MC_OK)
			return relabel(d, rc, line, name);
		return MC_OK;
	}
	/* Any other field, as the draft spells its name. */
	mc_buf_init(&fb);
	mc_buf_printf(&fb, "%s: %s", name, v);
	if (fb.oom)
		rc = fail_at(d, MC_ENOMEM, 0, line, NULL);
	else if ((rc = mc_message_add_header(d->msg, fb.p, &d->err)) != MC_OK)
		rc = relabel(d, rc, line, name);
	mc_buf_free(&fb);
	return rc;
}

/* Checks a physical header line (line end stripped) for what no header
 * may hold: NUL, a bare CR (SPEC 2), invalid UTF-8. */
static enum mc_err
check_header_line(struct draft *d, const struct mc_buf *b)
{
	if (memchr(b->p, '\0', b->len) != NULL)
		return fail_at(d, MC_EDATA, 0, d->line,
		    "a header line with a NUL byte");
	if (memchr(b->p, '\r', b->len) != NULL)
		return fail_at(d, MC_EDATA, 0, d->line,
		    "a header value with a bare CR");
	if (!mc_utf8_valid(b->p, b->len))
		return fail_at(d, MC_EDATA, 0, d->line,
		    "a header line that is not valid UTF-8");
	return MC_OK;
}

/* Reads the header block up to the empty line (or the end of the draft:
 * a draft of header fields alone has an empty body). */
static enum mc_err
headers(struct draft *d)
{
	struct mc_buf line, f;
	unsigned long fline = 0;
	enum mc_err rc = MC_OK;
	int r;

	mc_buf_init(&line);
	mc_buf_init(&f);
	for (;;) {
		line.len = 0;
		r = read_line(d, &line, MC_HEADER_MAX - d->hdrbytes);
		if (r == 0)
			break;
		d->line++;
		if (r == -1) {
			rc = d->err.code;
			goto out;
		}
		if (r == -2) {
			rc = fail_at(d, MC_EDATA, 0, d->line, "a header block "
			    "longer than %d octets", MC_HEADER_MAX);
			goto out;
		}
		d->hdrbytes += line.len;
		chomp(&line);
		if ((rc = check_header_line(d, &line)) != MC_OK)
			goto out;
		/* The empty line; white space alone ends the block too. */
		if (is_blank(line.p, line.len))
			break;
		if (is_wsp((unsigned char)line.p[0])) {
			if (f.len == 0) {
				rc = fail_at(d, MC_EDATA, 0, d->line,
				    "a continuation line before any field");
				goto out;
			}
			/* RFC 5322 2.2.3: unfolding removes the line end. */
			mc_buf_add(&f, line.p, line.len);
		} else {
			if (f.len > 0 &&
			    (rc = field(d, f.p, fline)) != MC_OK)
				goto out;
			f.len = 0;
			mc_buf_add(&f, line.p, line.len);
			fline = d->line;
		}
		if (f.oom) {
			rc = fail_at(d, MC_ENOMEM, 0, d->line, NULL);
			goto out;
		}
	}
	if (f.len > 0)
		rc = field(d, f.p, fline);
out:
	mc_buf_free(&line);
	mc_buf_free(&f);
	return rc;
}

/*
 * The body text.
 */

/* An unlinked temporary file: nothing is left behind, whatever happens. */
static enum mc_err
spool_open(struct draft *d)
{
	if ((d->spool = mc_spool_fd(NULL)) == -1)
		return mc_fail(&d->err, MC_EIO, errno, mc_tmpdir(NULL), NULL);
	return MC_OK;
}

static enum mc_err
spool_flush(struct draft *d)
{
	enum mc_err rc;
	int e;

	if (d->spool == -1 && (rc = spool_open(d)) != MC_OK)
		return rc;
	if (d->outlen > 0 && (e = mc_fd_write(&d->spool, d->out, d->outlen)))
		return mc_fail(&d->err, MC_EIO, e, mc_tmpdir(NULL), NULL);
	d->outlen = 0;
	return MC_OK;
}

/* Text of the current line (a whole line or a piece of one). */
static enum mc_err
text(struct draft *d, const void *p, size_t n)
{
	const unsigned char *s = p;
	enum mc_err rc;
	size_t i, k;

	if (n == 0)
		return MC_OK;
	if (mc_utf8_step(&d->utf8, p, n) == -1)
		return fail_at(d, MC_EDATA, 0, d->line, "text that is not "
		    "valid UTF-8");
	for (i = 0; d->blank && i < n; i++)
		if (!is_wsp(s[i]) && s[i] != '\r' && s[i] != '\n')
			d->blank = 0;
	while (n > 0) {
		if (d->outlen == sizeof(d->out) &&
		    (rc = spool_flush(d)) != MC_OK)
			return rc;
		k = sizeof(d->out) - d->outlen;
		if (k > n)
			k = n;
		memcpy(d->out + d->outlen, s, k);
		d->outlen += k;
		s += k;
		n -= k;
	}
	return MC_OK;
}

/*
 * Part lines: "#type/subtype[#disposition] path[>name]", as mmime(1)
 * reads them.
 */

/* A letter or a digit, in ASCII whatever the locale. */
static int
is_alnum(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z');
}

/* mmime(1)'s test: the line starts with "#", has a space, and the word
 * between holds exactly one "/" and only letters, digits and "-+.;=#/".
 * Returns the length of the word with its "#", or 0. */
static size_t
part_word(const char *s, size_t n)
{
	size_t i;
	int slashes = 0;

	if (n == 0 || s[0] != '#')
		return 0;
	for (i = 1; i < n && s[i] != ' '; i++) {
		if (s[i] == '/')
			slashes++;
		else if (!is_alnum((unsigned char)s[i]) &&
		    (s[i] == '\0' || strchr("-+.;=#", s[i]) == NULL))
			return 0;
	}
	return i < n && slashes == 1 ? i : 0;
}

/* RFC 2045 5.1 type or subtype, as this reader takes it; RFC 6838 4.2:
 * at most 127 characters (a longer one would not fit a header line). */
static int
type_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 127)
		return 0;
	for (i = 0; i < n; i++)
		if (!is_alnum((unsigned char)s[i]) &&
		    (s[i] == '\0' || strchr("-+.", s[i]) == NULL))
			return 0;
	return 1;
}

enum kind { K_ATTACHMENT, K_INLINE, K_ALTERNATIVE, K_RELATED };

static const char *const kind_names[] = {
	"attachment", "inline", "alternative", "related"
};

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

static enum mc_err
parts_add(struct draft *d, struct parts *ps, mc_entity *e,
    unsigned long line, const char *cid)
{
	struct part *v;
	size_t cap;

	if (ps->n == ps->cap) {
		cap = ps->cap ? 2 * ps->cap : 8;
		if ((v = realloc(ps->v, cap * sizeof(*v))) == NULL) {
			mc_entity_free(e);
			return fail_at(d, MC_ENOMEM, 0, line, NULL);
		}
		ps->v = v;
		ps->cap = cap;
	}
	ps->v[ps->n].e = e;
	ps->v[ps->n].line = line;
	ps->v[ps->n].cid = NULL;
	if (cid != NULL && (ps->v[ps->n].cid = mc_strdup(cid)) == NULL) {
		mc_entity_free(e);
		return fail_at(d, MC_ENOMEM, 0, line, NULL);
	}
	ps->n++;
	return MC_OK;
}

static void
parts_free(struct parts *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++) {
		mc_entity_free(ps->v[i].e);
		free(ps->v[i].cid);
	}
	free(ps->v);
	ps->v = NULL;
	ps->n = ps->cap = 0;
}

/* Opens path now, so that a missing file fails before anything is
 * written.  A regular file is opened again when written (no descriptor
 * is held per part); anything else (a FIFO, a device) is read from the
 * descriptor opened here, taken by e. */
static enum mc_err
part_body(struct draft *d, mc_entity *e, const char *path)
{
	struct stat st;
	enum mc_err rc;
	int fd, sys;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1)
		return fail_at(d, MC_ENOINPUT, errno, d->line, "%s: %s", path,
		    strerror(errno));
	if (fstat(fd, &st) == -1 || S_ISDIR(st.st_mode)) {
		sys = S_ISDIR(st.st_mode) ? EISDIR : errno;
		close(fd);
		return fail_at(d, MC_ENOINPUT, sys, d->line, "%s: %s", path,
		    strerror(sys));
	}
	if (S_ISREG(st.st_mode)) {
		close(fd);
		rc = mc_entity_set_body_path(e, path, &d->err);
	} else if ((rc = mc_entity_take_fd(e, fd, path, &d->err)) != MC_OK)
		close(fd);
	return rc != MC_OK ? relabel(d, rc, d->line, path) : MC_OK;
}

/* A part line s[0..n), line end stripped; word: its length from
 * part_word. */
static enum mc_err
part_line(struct draft *d, char *s, size_t n, size_t word)
{
	char *type, *slash, *hash, *path, *name, *end;
	const char *fname;
	enum kind kind = K_ATTACHMENT;
	enum mc_disposition disp;
	enum mc_err rc;
	mc_entity *e;
	size_t i;

	s[word] = '\0';
	type = s + 1;
	if ((hash = strchr(type, '#')) != NULL) {
		*hash++ = '\0';
		for (i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
			if (strcasecmp(hash, kind_names[i]) == 0)
				break;
		if (i == sizeof(kind_names) / sizeof(kind_names[0]))
			return fail_at(d, MC_EDATA, 0, d->line,
			    "#%s: not a disposition (attachment, inline, "
			    "alternative or related)", hash);
		kind = (enum kind)i;
	}
	if (strpbrk(type, ";=") != NULL)
		return fail_at(d, MC_EDATA, 0, d->line,
		    "%s: parameters are not taken in a part line", type);
	if ((slash = strchr(type, '/')) == NULL ||
	    !type_ok(type, (size_t)(slash - type)) ||
	    !type_ok(slash + 1, strlen(slash + 1)))
		return fail_at(d, MC_EDATA, 0, d->line,
		    "\"%s\": not a MIME type", type);
	if (strncasecmp(type, "multipart/", 10) == 0 ||
	    strcasecmp(type, "mblaze/raw") == 0)
		return fail_at(d, MC_EDATA, 0, d->line,
		    "%s: not taken in a part line", type);

	/* PATH[>NAME], white space around them ignored. */
	path = s + word + 1;
	end = s + n;
	if (memchr(path, '\0', (size_t)(end - path)) != NULL)
		return fail_at(d, MC_EDATA, 0, d->line,
		    "a part line with a NUL byte");
	while (is_wsp((unsigned char)*path))
		path++;
	while (end > path && is_wsp((unsigned char)end[-1]))
		end--;
	*end = '\0';
	if ((name = strchr(path, '>')) != NULL) {
		for (end = name; end > path && is_wsp((unsigned char)end[-1]);
		    end--)
			;
		*end = '\0';
		for (name++; is_wsp((unsigned char)*name); name++)
			;
		if (*name == '\0')
			return fail_at(d, MC_EDATA, 0, d->line,
			    "no name after \">\"");
	}
	if (*path == '\0')
		return fail_at(d, MC_EDATA, 0, d->line, "a part line without "
		    "a path");
	if (++d->nparts > DRAFT_PARTS_MAX)
		return fail_at(d, MC_EDATA, 0, d->line, "more than %d part "
		    "lines", DRAFT_PARTS_MAX);

	if (kind == K_ALTERNATIVE && d->html != NULL)
		return fail_at(d, MC_EDATA, 0, d->line, "a second #alternative "
		    "(the first is on line %lu)", d->html_line);
	if (kind == K_RELATED) {
		fname = name != NULL ? name : base_name(path);
		for (i = 0; i < d->rel.n; i++)
			if (strcmp(d->rel.v[i].cid, fname) == 0)
				return fail_at(d, MC_EDATA, 0, d->line,
				    "Content-ID <%s> is already on line %lu",
				    fname, d->rel.v[i].line);
	}

	/* The HTML version is the body text in another form: a text part,
	 * UTF-8 or ASCII like the text, with no disposition. */
	if (kind == K_ALTERNATIVE) {
		if (strncasecmp(type, "text/", 5) != 0)
			return fail_at(d, MC_EDATA, 0, d->line, "#alternative "
			    "is for a text type (text/html), not %s", type);
		e = mc_text_new(slash + 1);
	} else
		e = mc_attachment_new(type);
	if (e == NULL)
		return fail_at(d, MC_ENOMEM, 0, d->line, NULL);
	if ((rc = part_body(d, e, path)) != MC_OK)
		goto fail;
	switch (kind) {
	case K_ALTERNATIVE:
		d->html = e;
		d->html_line = d->line;
		return MC_OK;
	case K_RELATED:
		/* RFC 2392: referenced from the HTML as cid:NAME. */
		fname = name != NULL ? name : base_name(path);
		if ((rc = mc_entity_set_id(e, fname, &d->err)) != MC_OK) {
			rc = relabel(d, rc, d->line, "Content-ID");
			goto fail;
		}
		rc = mc_entity_set_disposition(e, MC_DISP_INLINE,
		    base_name(path), &d->err);
		if (rc != MC_OK) {
			rc = relabel(d, rc, d->line, path);
			goto fail;
		}
		return parts_add(d, &d->rel, e, d->line, fname);
	default:
		disp = kind == K_INLINE ? MC_DISP_INLINE : MC_DISP_ATTACHMENT;
		fname = name != NULL ? name : base_name(path);
		rc = mc_entity_set_disposition(e, disp, fname, &d->err);
		if (rc != MC_OK) {
			rc = relabel(d, rc, d->line, fname);
			goto fail;
		}
		return parts_add(d, &d->att, e, d->line, NULL);
	}
fail:
	mc_entity_free(e);
	return rc;
}

/* A body line that starts with "#", read whole (up to DRAFT_PART_LINE
 * octets) into b: a part line, or text.  *more: the line is longer, and
 * its rest is text still to be read. */
static enum mc_err
hash_line(struct draft *d, struct mc_buf *b, int *more)
{
	size_t n, word;
	int r;

	*more = 0;
	b->len = 0;
	if ((r = read_line(d, b, DRAFT_PART_LINE)) == -1)
		return d->err.code;
	if (r == -2) {
		/* Too long for a part line: text, unless it looks like one. */
		if (part_word(b->p, b->len) != 0)
			return fail_at(d, MC_EDATA, 0, d->line, "a part line "
			    "longer than %d octets", DRAFT_PART_LINE);
		*more = 1;
		return text(d, b->p, b->len);
	}
	n = b->len;
	if (n > 0 && b->p[n - 1] == '\n')
		n--;
	if (n > 0 && b->p[n - 1] == '\r')
		n--;
	if ((word = part_word(b->p, n)) != 0) {
		b->p[n] = '\0';
		return part_line(d, b->p, n, word);
	}
	/* SPEC 3: a line that is not a part line stays text, as it is. */
	return text(d, b->p, b->len);
}

/* The body: part lines and text, streamed (a line of text is never held
 * whole). */
static enum mc_err
body(struct draft *d)
{
	struct mc_buf b;
	unsigned char *p, *nl;
	enum mc_err rc = MC_OK;
	size_t n, k;
	int r, bol = 1, more;

	mc_buf_init(&b);
	for (;;) {
		if ((r = fill(d)) != 1) {
			rc = r == 0 ? MC_OK : d->err.code;
			break;
		}
		if (bol) {
			d->line++;
			if (d->in[d->inpos] == '#') {
				if ((rc = hash_line(d, &b, &more)) != MC_OK)
					break;
				bol = !more;
				continue;
			}
			bol = 0;
		}
		p = d->in + d->inpos;
		n = d->inlen - d->inpos;
		nl = memchr(p, '\n', n);
		k = nl != NULL ? (size_t)(nl - p) + 1 : n;
		if ((rc = text(d, p, k)) != MC_OK)
			break;
		d->inpos += k;
		if (nl != NULL)
			bol = 1;
	}
	mc_buf_free(&b);
	if (rc == MC_OK && mc_utf8_finish(&d->utf8) == -1)
		rc = fail_at(d, MC_EDATA, 0, d->line, "text that is not "
		    "valid UTF-8");
	return rc;
}

/*
 * The message: the least structure that holds it (SPEC 3).
 */

/* The text/plain part, or NULL (and MC_OK) when the text is left out: it
 * is blank and there are other parts. */
static enum mc_err
text_part(struct draft *d, mc_entity **out)
{
	enum mc_err rc;
	mc_entity *e;
	unsigned char *mem;

	*out = NULL;
	if (d->blank && (d->html != NULL || d->att.n > 0))
		return MC_OK;
	if (d->spool != -1) {
		if ((rc = spool_flush(d)) != MC_OK)
			return rc;
		if (lseek(d->spool, 0, SEEK_SET) == -1)
			return mc_fail(&d->err, MC_EIO, errno, mc_tmpdir(NULL), NULL);
	}
	if ((e = mc_text_new(NULL)) == NULL)
		return fail_at(d, MC_ENOMEM, 0, 0, NULL);
	if (d->spool != -1) {
		rc = mc_entity_take_fd(e, d->spool, d->name, &d->err);
		if (rc == MC_OK)
			d->spool = -1;
	} else if ((mem = malloc(d->outlen + 1)) == NULL)
		rc = fail_at(d, MC_ENOMEM, 0, 0, NULL);
	else {
		memcpy(mem, d->out, d->outlen);
		if ((rc = mc_entity_take_mem(e, mem, d->outlen, d->name,
		    &d->err)) != MC_OK)
			free(mem);
	}
	if (rc != MC_OK) {
		mc_entity_free(e);
		return rc;
	}
	*out = e;
	return MC_OK;
}

/* Adds *child to mp (NULL: a new multipart/subtype) and clears *child:
 * the container owns it, also on failure. */
static enum mc_err
wrap(struct draft *d, mc_entity **mp, const char *subtype, mc_entity **child)
{
	mc_entity *c = *child;

	*child = NULL;
	if (*mp == NULL && (*mp = mc_multipart_new(subtype)) == NULL) {
		mc_entity_free(c);
		return fail_at(d, MC_ENOMEM, 0, 0, NULL);
	}
	return mc_multipart_add(*mp, c, &d->err);
}

static enum mc_err
build(struct draft *d)
{
	mc_entity *core = NULL, *alt = NULL, *mp = NULL;
	enum mc_err rc;
	size_t i;

	if (d->rel.n > 0 && d->html == NULL)
		return fail_at(d, MC_EDATA, 0, d->rel.v[0].line,
		    "#related without an #alternative HTML part");
	if ((rc = text_part(d, &core)) != MC_OK)
		return rc;
	if (d->html != NULL) {
		alt = d->html;
		d->html = NULL;
		/* RFC 2387: the HTML first, the parts it refers to after. */
		if (d->rel.n > 0) {
			if ((rc = wrap(d, &mp, "related", &alt)) != MC_OK)
				goto fail;
			for (i = 0; i < d->rel.n; i++)
				if ((rc = wrap(d, &mp, NULL, &d->rel.v[i].e)) !=
				    MC_OK)
					goto fail;
			alt = mp;
			mp = NULL;
		}
		/* RFC 2046 5.1.4: the plainest form first. */
		if (core != NULL) {
			if ((rc = wrap(d, &mp, "alternative", &core)) != MC_OK ||
			    (rc = wrap(d, &mp, NULL, &alt)) != MC_OK)
				goto fail;
			core = mp;
			mp = NULL;
		} else {
			core = alt;
			alt = NULL;
		}
	}
	if (d->att.n > 0) {
		if (core != NULL &&
		    (rc = wrap(d, &mp, "mixed", &core)) != MC_OK)
			goto fail;
		for (i = 0; i < d->att.n; i++)
			if ((rc = wrap(d, &mp, "mixed", &d->att.v[i].e)) !=
			    MC_OK)
				goto fail;
		core = mp;
		mp = NULL;
	}
	return mc_message_set_body(d->msg, core, &d->err);
fail:
	mc_entity_free(core);
	mc_entity_free(alt);
	mc_entity_free(mp);
	return rc;
}

enum mc_err
mc_draft_read_fd(mc_entity **msg, int fd, const char *name,
    struct mc_error *err)
{
	struct draft *d;
	enum mc_err rc;

	*msg = NULL;
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return mc_fail(err, MC_ENOMEM, 0, name, NULL);
	d->name = name != NULL ? name : "standard input";
	d->fd = fd;
	d->spool = -1;
	d->blank = 1;
	mc_utf8_init(&d->utf8);
	if ((d->msg = mc_message_new()) == NULL) {
		rc = fail_at(d, MC_ENOMEM, 0, 0, NULL);
		goto out;
	}
	if ((rc = headers(d)) != MC_OK)
		goto out;
	if (!(d->seen & SEEN_FROM)) {
		rc = fail_at(d, MC_EDATA, 0, 0, "no From field");
		goto out;
	}
	if ((rc = body(d)) != MC_OK || (rc = build(d)) != MC_OK)
		goto out;
	*msg = d->msg;
	d->msg = NULL;
out:
	if (rc != MC_OK && err != NULL)
		*err = d->err;
	mc_entity_free(d->msg);
	mc_entity_free(d->html);
	parts_free(&d->att);
	parts_free(&d->rel);
	if (d->spool != -1)
		close(d->spool);
	free(d);
	return rc;
}
