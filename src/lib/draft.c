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
	int from;		/* a From field was met */
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
	if ((k = mc_fd_read(d->fd, d->in, sizeof(d->in))) == -1) {
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
is_blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!mc_wsp((unsigned char)s[i]))
			return 0;
	return 1;
}

/*
 * The header block.
 */

/* One unfolded field, "Name: value", that began on line. */
static enum mc_err
field(struct draft *d, char *f, unsigned long line)
{
	const struct mc_field *fd;
	char *v, *end, *name = f;
	enum mc_err rc;
	size_t n;
	int r;

	switch (r = mc_field_name(f, strlen(f), 1, &n)) {
	case MC_FIELD_NOCOLON:
		return fail_at(d, MC_EDATA, 0, line, "a header line without "
		    "a colon (is the empty line before the body missing?)");
	case MC_FIELD_NONAME:
		return fail_at(d, MC_EDATA, 0, line, "a field without a name");
	case MC_FIELD_BADNAME:
		for (end = strchr(f, ':'); end > f && mc_wsp(end[-1]); end--)
			;
		*end = '\0';
		return fail_at(d, MC_EDATA, 0, line,
		    "a field name that is not printable ASCII "
		    "without spaces: \"%.60s\"", name);
	}
	name[n] = '\0';
	if (++d->nfields > MC_FIELDS_MAX)
		return fail_at(d, MC_EDATA, 0, line,
		    "more than %d header fields", MC_FIELDS_MAX);
	for (v = f + r; mc_wsp(*v); v++)
		;
	for (end = v + strlen(v); end > v && mc_wsp(end[-1]); end--)
		;
	*end = '\0';

	/* mcom(1) leaves Cc: and Bcc: empty: an empty field says nothing. */
	if (*v == '\0')
		return MC_OK;
	if (strcasecmp(name, "MIME-Version") == 0)
		return MC_OK;	/* always written, as 1.0 */
	if (mc_field_mime(name))
		return fail_at(d, MC_EDATA, 0, line, "%s: the MIME fields are "
		    "made from the body and its part lines", name);
	if ((rc = mc_message_add_field(d->msg, name, v, &d->err)) != MC_OK)
		return relabel(d, rc, line, name);
	if ((fd = mc_field_find(name, n)) != NULL && fd->kind == MC_FK_ADDR &&
	    fd->addr == MC_ADDR_FROM)
		d->from = 1;
	return MC_OK;
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

static enum mc_err
field_fn(void *arg, char *f, unsigned long line)
{
	return field(arg, f, line);
}

/* Reads the header block up to the empty line (or the end of the draft:
 * a draft of header fields alone has an empty body). */
static enum mc_err
headers(struct draft *d)
{
	struct mc_buf line;
	struct mc_unfold u;
	enum mc_err rc = MC_OK;
	int r;

	mc_buf_init(&line);
	mc_unfold_init(&u, field_fn, d);
	for (;;) {
		line.len = 0;
		if ((r = read_line(d, &line, MC_HEADER_MAX - d->hdrbytes)) == 0)
			break;
		d->line++;
		if (r == -1) {
			rc = d->err.code;
			break;
		}
		if (r == -2) {
			rc = fail_at(d, MC_EDATA, 0, d->line, "a header block "
			    "longer than %d octets", MC_HEADER_MAX);
			break;
		}
		d->hdrbytes += line.len;
		chomp(&line);
		if ((rc = check_header_line(d, &line)) != MC_OK)
			break;
		/* The empty line; white space alone ends the block too. */
		if (is_blank(line.p, line.len))
			break;
		rc = mc_unfold_line(&u, line.p, line.len, d->line);
		/* A continuation line is never handed to field(). */
		if (rc == MC_EDATA && mc_wsp(line.p[0]))
			rc = fail_at(d, MC_EDATA, 0, d->line,
			    "a continuation line before any field");
		else if (rc == MC_ENOMEM)
			rc = fail_at(d, MC_ENOMEM, 0, d->line, NULL);
		if (rc != MC_OK)
			break;
	}
	if (rc == MC_OK)
		rc = mc_unfold_end(&u);
	mc_buf_free(&u.f);	/* after a break */
	mc_buf_free(&line);
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
		if (!mc_wsp(s[i]) && s[i] != '\r' && s[i] != '\n')
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

enum kind { K_ATTACHMENT, K_INLINE, K_ALTERNATIVE, K_RELATED };

static const char *const kind_names[] = {
	"attachment", "inline", "alternative", "related"
};

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

/* What a part line says. */
struct spec {
	enum kind kind;
	char *type;		/* type/subtype */
	char *subtype;		/* in type, after the "/" */
	char *path;
	char *name;		/* after ">", or NULL */
	const char *fname;	/* name, else the base name of path */
};

/* Parses the "#type/subtype[#disposition]" word, s[1..word). */
static enum mc_err
parse_word(struct draft *d, char *s, size_t word, struct spec *sp)
{
	char *hash;
	size_t i;

	s[word] = '\0';
	sp->type = s + 1;
	sp->kind = K_ATTACHMENT;
	if ((hash = strchr(sp->type, '#')) != NULL) {
		*hash++ = '\0';
		for (i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
			if (strcasecmp(hash, kind_names[i]) == 0)
				break;
		if (i == sizeof(kind_names) / sizeof(kind_names[0]))
			return fail_at(d, MC_EDATA, 0, d->line,
			    "#%s: not a disposition (attachment, inline, "
			    "alternative or related)", hash);
		sp->kind = (enum kind)i;
	}
	if (strpbrk(sp->type, ";=") != NULL)
		return fail_at(d, MC_EDATA, 0, d->line,
		    "%s: parameters are not taken in a part line", sp->type);
	/* RFC 6838 4.2: at most 127 characters (a longer one would not
	 * fit a header line). */
	if ((sp->subtype = strchr(sp->type, '/')) == NULL ||
	    !mc_type_ok(sp->type, strlen(sp->type), 127))
		return fail_at(d, MC_EDATA, 0, d->line,
		    "\"%s\": not a MIME type", sp->type);
	sp->subtype++;
	if (strncasecmp(sp->type, "multipart/", 10) == 0 ||
	    strcasecmp(sp->type, "mblaze/raw") == 0)
		return fail_at(d, MC_EDATA, 0, d->line,
		    "%s: not taken in a part line", sp->type);
	return MC_OK;
}

/* Parses "PATH[>NAME]", s[0..end), white space around them ignored. */
static enum mc_err
parse_path(struct draft *d, char *s, char *end, struct spec *sp)
{
	char *e;

	if (memchr(s, '\0', (size_t)(end - s)) != NULL)
		return fail_at(d, MC_EDATA, 0, d->line,
		    "a part line with a NUL byte");
	while (mc_wsp((unsigned char)*s))
		s++;
	while (end > s && mc_wsp((unsigned char)end[-1]))
		end--;
	*end = '\0';
	sp->path = s;
	if ((sp->name = strchr(s, '>')) != NULL) {
		for (e = sp->name; e > s && mc_wsp((unsigned char)e[-1]); e--)
			;
		*e = '\0';
		for (sp->name++; mc_wsp((unsigned char)*sp->name); sp->name++)
			;
		if (*sp->name == '\0')
			return fail_at(d, MC_EDATA, 0, d->line,
			    "no name after \">\"");
	}
	if (*s == '\0')
		return fail_at(d, MC_EDATA, 0, d->line, "a part line without "
		    "a path");
	sp->fname = sp->name != NULL ? sp->name : mc_base_name(sp->path);
	return MC_OK;
}

/* Checks the part against the parts before it. */
static enum mc_err
check_spec(struct draft *d, const struct spec *sp)
{
	size_t i;

	if (++d->nparts > DRAFT_PARTS_MAX)
		return fail_at(d, MC_EDATA, 0, d->line, "more than %d part "
		    "lines", DRAFT_PARTS_MAX);
	if (sp->kind == K_ALTERNATIVE && d->html != NULL)
		return fail_at(d, MC_EDATA, 0, d->line, "a second #alternative "
		    "(the first is on line %lu)", d->html_line);
	if (sp->kind == K_RELATED)
		for (i = 0; i < d->rel.n; i++)
			if (strcmp(d->rel.v[i].cid, sp->fname) == 0)
				return fail_at(d, MC_EDATA, 0, d->line,
				    "Content-ID <%s> is already on line %lu",
				    sp->fname, d->rel.v[i].line);
	/* The HTML version is the body text in another form: a text part,
	 * UTF-8 or ASCII like the text, with no disposition. */
	if (sp->kind == K_ALTERNATIVE && strncasecmp(sp->type, "text/", 5) != 0)
		return fail_at(d, MC_EDATA, 0, d->line, "#alternative is for a "
		    "text type (text/html), not %s", sp->type);
	return MC_OK;
}

/* Makes the part and puts it where its kind goes; e is taken. */
static enum mc_err
place(struct draft *d, const struct spec *sp, mc_entity *e)
{
	enum mc_err rc;

	switch (sp->kind) {
	case K_ALTERNATIVE:
		d->html = e;
		d->html_line = d->line;
		return MC_OK;
	case K_RELATED:
		/* RFC 2392: referenced from the HTML as cid:NAME. */
		if ((rc = mc_entity_set_id(e, sp->fname, &d->err)) != MC_OK)
			rc = relabel(d, rc, d->line, "Content-ID");
		else if ((rc = mc_entity_set_disposition(e, MC_DISP_INLINE,
		    mc_base_name(sp->path), &d->err)) != MC_OK)
			rc = relabel(d, rc, d->line, sp->path);
		else
			return parts_add(d, &d->rel, e, d->line, sp->fname);
		break;
	default:
		rc = mc_entity_set_disposition(e, sp->kind == K_INLINE ?
		    MC_DISP_INLINE : MC_DISP_ATTACHMENT, sp->fname, &d->err);
		if (rc == MC_OK)
			return parts_add(d, &d->att, e, d->line, NULL);
		rc = relabel(d, rc, d->line, sp->fname);
	}
	mc_entity_free(e);
	return rc;
}

/* A part line s[0..n), line end stripped; word: its length from
 * part_word. */
static enum mc_err
part_line(struct draft *d, char *s, size_t n, size_t word)
{
	struct spec sp;
	enum mc_err rc;
	mc_entity *e;

	memset(&sp, 0, sizeof(sp));
	if ((rc = parse_word(d, s, word, &sp)) != MC_OK ||
	    (rc = parse_path(d, s + word + 1, s + n, &sp)) != MC_OK ||
	    (rc = check_spec(d, &sp)) != MC_OK)
		return rc;
	e = sp.kind == K_ALTERNATIVE ? mc_text_new(sp.subtype) :
	    mc_attachment_new(sp.type);
	if (e == NULL)
		return fail_at(d, MC_ENOMEM, 0, d->line, NULL);
	if ((rc = part_body(d, e, sp.path)) != MC_OK) {
		mc_entity_free(e);
		return rc;
	}
	return place(d, &sp, e);
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
	if (!d->from) {
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
