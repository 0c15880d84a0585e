/* SPDX-License-Identifier: ISC */
/* Writes an entity tree (RFC 2045 6, RFC 2046 5.1, RFC 5322 3.6), streaming. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "mc.h"

#define IOBUF (64 * 1024)

struct writer {
	struct mc_out *out;
	const struct mc_source *src;
	const char *tmpdir;
	struct mc_error *err;
	unsigned char *io;
	int held;		/* leaf inputs left open by the preparation */
};

static const char *
cte_name(enum mc_cte cte)
{
	switch (cte) {
	case MC_CTE_7BIT:	return "7bit";
	case MC_CTE_8BIT:	return "8bit";
	case MC_CTE_QP:		return "quoted-printable";
	case MC_CTE_BASE64:	return "base64";
	default:		return "auto";
	}
}

/* A descriptor's own name (a <(...) process substitution) names no
 * file, as standard input does not. */
static int
fd_path(const char *path)
{
	return strncmp(path, "/dev/fd/", 8) == 0 ||
	    strncmp(path, "/proc/self/fd/", 14) == 0;
}

/* The output failed: say so once, as a write error. */
static enum mc_err
out_failed(struct writer *w)
{
	return mc_fail(w->err, MC_EIO, w->out->sys, "output", NULL);
}

/*
 * Preparation: every input is opened and, where the encoding or the
 * boundary needs it, read once before a byte is written, so that bad input
 * fails with nothing written.
 */

/*
 * RFC 5322 2.2: a message starts with its header block, fields
 * ("Name:" and a value, perhaps folded onto lines that start with white
 * space) up to an empty line or the end.  A message/rfc822 body that does
 * not is not a message.
 */
enum { H_BOL, H_NAME, H_VALUE, H_DONE, H_BAD };
struct head {
	int state;
	uint64_t fields;
};

static void
head_step(struct head *h, const unsigned char *p, size_t n)
{
	for (; n > 0 && h->state != H_DONE && h->state != H_BAD; p++, n--) {
		if (h->state == H_BOL) {
			if (*p == '\n' || *p == '\r')
				h->state = h->fields ? H_DONE : H_BAD;
			else if (*p == ' ' || *p == '\t')
				h->state = h->fields ? H_VALUE : H_BAD;
			else
				h->state = *p > 32 && *p < 127 && *p != ':' ?
				    H_NAME : H_BAD;
		} else if (h->state == H_NAME) {
			if (*p == ':')
				h->fields++;
			if (*p == ':')
				h->state = H_VALUE;
			else if (*p <= 32 || *p >= 127)
				h->state = H_BAD;
		} else if (*p == '\n')
			h->state = H_BOL;
	}
}

static int
head_ok(const struct head *h)
{
	return h->state == H_DONE || (h->fields > 0 && h->state != H_BAD &&
	    h->state != H_NAME);
}

/* Reads the whole input through the scanner (and h, unless NULL) and
 * rewinds it. */
static enum mc_err
scan_input(struct writer *w, mc_entity *e, struct mc_scan *s, struct head *h)
{
	enum mc_err rc;
	ssize_t k;

	if ((rc = mc_input_open(&e->in, 1, w->tmpdir, w->err)) != MC_OK)
		return rc;
	mc_scan_init(s);
	while ((k = mc_input_read(&e->in, w->io, IOBUF, w->err)) > 0) {
		mc_scan_step(s, w->io, (size_t)k);
		if (h != NULL)
			head_step(h, w->io, (size_t)k);
	}
	mc_scan_finish(s);
	if (k == -1)
		return w->err ? w->err->code : MC_EIO;
	return mc_input_rewind(&e->in, w->err);
}

/* A file that will be read again to be written: keep what this pass saw,
 * for put_body to prove that the bytes it writes are those the choices
 * were made for (SPEC 2).  A spool or memory cannot change. */
static void
keep_scan(mc_entity *e, const struct mc_scan *s)
{
	e->seen = *s;
	e->twice = e->in.kind != MC_IN_MEM && e->in.spool == -1;
}

/* The choice, when mc_scan_choose needs the quoted-printable size for
 * it: one more pass to count it (as on an LF output, so that the choice
 * does not depend on the output's line ends), and a rewind. */
static enum mc_err
count_qp(struct writer *w, mc_entity *e, const struct mc_scan *s)
{
	struct mc_qp qp;
	ssize_t k;

	mc_qp_count_init(&qp);
	while ((k = mc_input_read(&e->in, w->io, IOBUF, w->err)) > 0)
		mc_qp_step(&qp, w->io, (size_t)k);
	if (k == -1)
		return w->err ? w->err->code : MC_EIO;
	mc_qp_finish(&qp);
	e->wcte = mc_scan_choose(s, &qp.bytes);
	return mc_input_rewind(&e->in, w->err);
}

/* SPEC 3 mime-text: charset and transfer encoding from the data. */
static enum mc_err
decide_text(struct writer *w, mc_entity *e, const struct mc_scan *s)
{
	const char *why;
	int utf8 = s->utf8.bad == 0;

	if (e->charset != NULL)
		e->wcharset = e->charset;
	else if (s->nonascii == 0)
		e->wcharset = "us-ascii";
	else if (utf8)
		e->wcharset = "utf-8";
	else if (e->kind == MC_K_ATTACH) {
		/* Not text we can label: send the bytes as they are, as
		 * RFC 1428's unknown-8bit (SPEC 3 mime-attach). */
		e->wcharset = "unknown-8bit";
		e->wcte = MC_CTE_BASE64;
		return MC_OK;
	} else
		return mc_fail(w->err, MC_EDATA, 0, e->in.name,
		    "invalid UTF-8 at byte %llu",
		    (unsigned long long)s->utf8.bad_off);
	if (e->cte == MC_CTE_AUTO) {
		e->wcte = mc_scan_choose(s, NULL);
		return MC_OK;
	}
	if ((why = mc_scan_why_not(s, e->cte)) != NULL)
		return mc_fail(w->err, MC_EDATA, 0, e->in.name,
		    "%s cannot carry this text: %s", cte_name(e->cte), why);
	e->wcte = e->cte;
	return MC_OK;
}

/* RFC 2046 5.2.1: message/rfc822 is 7bit or 8bit only, so it must be a
 * message whose lines those carry (RFC 2045 2.7, 2.8); a lone "." or a
 * "From " line is the sender's (SPEC 2: passed through as it is). */
static enum mc_err
decide_rfc822(struct writer *w, mc_entity *e, const struct mc_scan *s,
    const struct head *h)
{
	const char *why = NULL;

	if (!head_ok(h))
		why = "no header block";
	else if (s->maxline > MC_LINE_MAX)
		why = "a line longer than 998 octets";
	else if (s->nul)
		why = "a NUL byte";
	else if (s->barecr)
		why = "a bare CR";
	if (why != NULL)
		return mc_fail(w->err, MC_EDATA, 0, e->in.name,
		    "not a message that message/rfc822 can carry: %s", why);
	e->wcte = s->nonascii ? MC_CTE_8BIT : MC_CTE_7BIT;
	return MC_OK;
}

static enum mc_err
prepare_leaf(struct writer *w, mc_entity *e)
{
	struct mc_scan s;
	struct head h;
	const char *name;
	enum mc_err rc;
	int text, rfc822;

	memset(&s, 0, sizeof(s));
	if (e->in.kind == MC_IN_NONE)
		return mc_fail(w->err, MC_EUSAGE, 0, "entity", "no body set");
	if (e->kind == MC_K_ATTACH && e->disp == MC_DISP_NONE)
		e->disp = MC_DISP_ATTACHMENT;
	if (e->filename == NULL && e->disp != MC_DISP_NONE &&
	    e->in.kind == MC_IN_PATH && !fd_path(e->in.path)) {
		name = mc_base_name(e->in.path);
		if ((rc = mc_filename_check(name, e->in.name, w->err)))
			return rc;
		if ((e->filename = mc_strdup(name)) == NULL)
			return mc_fail(w->err, MC_ENOMEM, 0, e->in.name, NULL);
	}
	name = e->filename;
	if (e->type != NULL)
		e->wtype = mc_strdup(e->type);
	else if (name == NULL || (e->wtype = mc_type_for_name(name)) == NULL)
		e->wtype = mc_strdup("application/octet-stream");
	if (e->wtype == NULL)
		return mc_fail(w->err, MC_ENOMEM, 0, e->in.name, NULL);
	/* RFC 6838 4.2: names of at most 127 characters. */
	if (!mc_type_ok(e->wtype, strlen(e->wtype), 127))
		return mc_fail(w->err, MC_EUSAGE, 0, e->wtype,
		    "not a MIME type/subtype");
	text = e->kind == MC_K_TEXT || strncasecmp(e->wtype, "text/", 5) == 0;
	rfc822 = e->kind == MC_K_ATTACH &&
	    strcasecmp(e->wtype, "message/rfc822") == 0;
	if (!text && e->cte != MC_CTE_AUTO && e->cte != MC_CTE_BASE64)
		return mc_fail(w->err, MC_EUSAGE, 0, e->in.name,
		    "%s is only for text", cte_name(e->cte));
	if (!text && !rfc822) {
		e->wcte = MC_CTE_BASE64;
		return mc_input_open(&e->in, 0, w->tmpdir, w->err);
	}
	memset(&h, 0, sizeof(h));
	if ((rc = scan_input(w, e, &s, rfc822 ? &h : NULL)) == MC_OK)
		keep_scan(e, &s);
	if (rc == MC_OK && rfc822)
		rc = decide_rfc822(w, e, &s, &h);
	else if (rc == MC_OK)
		rc = decide_text(w, e, &s);
	if (rc == MC_OK && e->wcte == MC_CTE_AUTO)
		rc = count_qp(w, e, &s);
	if (rc == MC_OK && (e->wcte == MC_CTE_7BIT || e->wcte == MC_CTE_8BIT))
		e->bound = s.bound;
	e->eight = e->wcte == MC_CTE_8BIT;
	return rc;
}

/* An entity read from elsewhere.  Under a multipart a body that is not
 * base64 or quoted-printable is scanned for delimiter-like lines; base64
 * and quoted-printable bodies cannot hold one and are checked as they are
 * copied. */
static enum mc_err
prepare_read(struct writer *w, mc_entity *e, int need_bound)
{
	struct mc_scan s;
	enum mc_err rc;
	ssize_t k;
	int scan;

	e->eight = e->rcte == MC_CTE_8BIT;
	mc_bound_step(&e->bound, e->hdr.p, e->hdr.len);
	scan = need_bound && e->rcte != MC_CTE_BASE64 && e->rcte != MC_CTE_QP;
	if ((rc = mc_input_open(&e->in, scan, w->tmpdir, w->err)) != MC_OK ||
	    !scan)
		return rc;
	mc_scan_init(&s);
	while ((k = mc_input_read(&e->in, w->io, IOBUF, w->err)) > 0)
		mc_scan_step(&s, w->io, (size_t)k);
	if (k == -1)
		return w->err ? w->err->code : MC_EIO;
	mc_scan_finish(&s);
	mc_bound_merge(&e->bound, &s.bound);
	keep_scan(e, &s);
	return mc_input_rewind(&e->in, w->err);
}

static const char *
type_of(const mc_entity *e)
{
	return e->kind == MC_K_READ ? e->rtype : e->wtype;
}

static enum mc_err prepare(struct writer *, mc_entity *, int, int);

/* Whether k's Content-ID is id ("<...>"): its own, or the field of a
 * read entity's header. */
static int
has_cid(const mc_entity *k, const char *id)
{
	const char *p, *end, *nl;
	size_t n = strlen(id);

	if (k->kind != MC_K_READ)
		return k->cid != NULL && strcmp(k->cid, id) == 0;
	for (p = k->hdr.p, end = p + k->hdr.len; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (strncasecmp(p, "Content-ID:", 11) != 0)
			continue;
		for (p += 11; *p == ' ' || *p == '\t'; p++)
			;
		while (nl > p && (nl[-1] == ' ' || nl[-1] == '\t'))
			nl--;
		return (size_t)(nl - p) == n && memcmp(p, id, n) == 0;
	}
	return 0;
}

/* RFC 2387 3.1, 3.2: the root of a multipart/related is the part that
 * start names, else the first; a start that names no part is an error. */
static enum mc_err
find_root(struct writer *w, mc_entity *e)
{
	for (e->root = 0; e->start != NULL && e->root < e->nkids; e->root++)
		if (has_cid(e->kids[e->root], e->start))
			return MC_OK;
	if (e->start == NULL) {
		e->root = 0;
		return MC_OK;
	}
	return mc_fail(w->err, MC_EDATA, 0, e->start,
	    "start names no part of the multipart");
}

static enum mc_err
prepare_multi(struct writer *w, mc_entity *e, int depth)
{
	unsigned char uniq[12];
	struct mc_buf t;
	enum mc_err rc;
	size_t i;
	int sys;

	if (e->nkids == 0)
		return mc_fail(w->err, MC_EUSAGE, 0, "multipart", "no parts");
	if (!mc_is_token(e->subtype) || strlen(e->subtype) > 127)
		return mc_fail(w->err, MC_EUSAGE, 0, e->subtype,
		    "not a MIME subtype");
	mc_bound_init(&e->bound);
	for (i = 0; i < e->nkids; i++) {
		if ((rc = prepare(w, e->kids[i], 1, depth + 1)) != MC_OK)
			return rc;
		mc_bound_merge(&e->bound, &e->kids[i]->bound);
		e->eight |= e->kids[i]->eight;
	}
	if ((rc = find_root(w, e)) != MC_OK)
		return rc;
	if ((sys = mc_source_bytes(w->src, uniq, sizeof(uniq))) != 0)
		return mc_fail(w->err, MC_EIO, sys, "random source", NULL);
	if (mc_bound_make(&e->bound, uniq, e->boundary) == -1)
		return mc_fail(w->err, MC_EDATA, 0, "multipart",
		    "the parts leave no boundary free");
	mc_bound_note(&e->bound, e->boundary);
	mc_buf_init(&t);
	mc_buf_printf(&t, "multipart/%s", e->subtype);
	if (t.oom)
		return mc_fail(w->err, MC_ENOMEM, 0, "multipart", NULL);
	e->wtype = t.p;
	return MC_OK;
}

/* FNV-1a, to make Message-IDs differ between messages of one instant. */
static uint64_t
fnv(uint64_t h, const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/* A field of the message header in a read entity, or NULL: a whole
 * message given as a body would get two of each. */
static const char *
message_field(const mc_entity *e)
{
	const struct mc_field *f;
	const char *p = e->hdr.p, *end = p + e->hdr.len;
	size_t n;

	for (; p < end; p = (const char *)memchr(p, '\n', (size_t)(end - p)) + 1)
		for (f = mc_fields; f->name != NULL; f++) {
			n = strlen(f->name);
			if (f->whole && strncasecmp(p, f->name, n) == 0 &&
			    p[n] == ':')
				return f->name;
		}
	return NULL;
}

static enum mc_err
prepare_message(struct writer *w, mc_entity *e, int depth)
{
	unsigned char uniq[16];
	const char *domain, *name;
	uint64_t h = 0xcbf29ce484222325ULL;
	char date[64];
	size_t i, j;
	int sys;

	if (e->addrs[MC_ADDR_FROM].n == 0)
		return mc_fail(w->err, MC_EUSAGE, 0, "From", "no From address");
	/* RFC 5322 3.6.2: more than one author needs a Sender. */
	if (e->addrs[MC_ADDR_FROM].n > 1 && !e->sender)
		return mc_fail(w->err, MC_EDATA, 0, "From",
		    "several authors need a Sender field");
	if (e->body == NULL)
		return mc_fail(w->err, MC_EUSAGE, 0, "message", "no body");
	if (e->body->kind == MC_K_READ && (name = message_field(e->body)))
		return mc_fail(w->err, MC_EDATA, 0, e->body->in.name,
		    "already a message (it has a %s field); attach it "
		    "as message/rfc822", name);
	if (e->date == NULL)
		mc_date_format(date, mc_source_now(w->src),
		    mc_source_utc(w->src));
	else
		mc_date_normalize(date, e->date, mc_source_utc(w->src));
	free(e->date);
	if ((e->date = mc_strdup(date)) == NULL)
		return mc_fail(w->err, MC_ENOMEM, 0, "Date", NULL);
	if (e->msgid == NULL) {
		if ((sys = mc_source_bytes(w->src, uniq, sizeof(uniq))) != 0)
			return mc_fail(w->err, MC_EIO, sys, "random source",
			    NULL);
		for (i = 0; i <= MC_ADDR_REPLY_TO; i++)
			for (j = 0; j < e->addrs[i].n; j++)
				h = fnv(fnv(h, e->addrs[i].v[j].spec),
				    e->addrs[i].v[j].name);
		h = fnv(fnv(h, e->subject), e->extra.p);
		for (i = 0; i < 8; i++)
			uniq[i] ^= (unsigned char)(h >> (8 * i));
		domain = e->addrs[MC_ADDR_FROM].v[0].spec;
		domain = domain ? strrchr(domain, '@') : NULL;
		if ((e->msgid = mc_msgid_make(uniq, domain ? domain + 1 :
		    NULL)) == NULL)
			return mc_fail(w->err, MC_ENOMEM, 0, "Message-ID",
			    NULL);
	}
	return prepare(w, e->body, 0, depth + 1);
}

static enum mc_err
prepare(struct writer *w, mc_entity *e, int need_bound, int depth)
{
	enum mc_err rc;

	/* Also for trees built from the top down, which adding cannot see. */
	if (depth > MC_MAX_DEPTH)
		return mc_fail(w->err, MC_EDATA, 0, "entity",
		    "nested more than %d deep", MC_MAX_DEPTH);
	mc_bound_init(&e->bound);
	switch (e->kind) {
	case MC_K_TEXT:
	case MC_K_ATTACH:
		rc = prepare_leaf(w, e);
		break;
	case MC_K_READ:
		rc = prepare_read(w, e, need_bound);
		break;
	case MC_K_MULTI:
		return prepare_multi(w, e, depth);
	case MC_K_MESSAGE:
		return prepare_message(w, e, depth);
	default:
		return mc_fail(w->err, MC_EUSAGE, 0, "entity", NULL);
	}
	/* The first leaves keep their files open until their turn, as
	 * most messages have a few; past MC_HOLD_MAX they are parked, so that
	 * a multipart of 1000 files does not need 1000 descriptors. */
	if (rc == MC_OK && e->in.fd != -1 && w->held++ >= MC_HOLD_MAX)
		rc = mc_input_park(&e->in, w->err);
	return rc;
}

/*
 * Emission.
 */

static int
put_field(struct writer *w, struct mc_buf *b)
{
	int rc;

	if (b->oom) {
		mc_buf_free(b);
		return -1;
	}
	rc = mc_out_text(w->out, b->p, b->len);
	mc_buf_free(b);
	return rc;
}

/* "Name: value" for a value that is one token (dates, ids). */
static int
put_simple(struct writer *w, const char *name, const char *value)
{
	struct mc_buf b;
	struct mc_fold f;

	mc_buf_init(&b);
	mc_fold_begin(&f, &b, name);
	mc_fold_token(&f, value, strlen(value), 1, 0);
	mc_fold_end(&f);
	return put_field(w, &b);
}

static int
put_unstructured(struct writer *w, const char *name, const char *value)
{
	struct mc_buf b;
	struct mc_fold f;

	mc_buf_init(&b);
	mc_fold_begin(&f, &b, name);
	mc_2047_unstructured(&f, value);
	mc_fold_end(&f);
	return put_field(w, &b);
}

static int
put_leaf_header(struct writer *w, mc_entity *e)
{
	struct mc_buf b;
	struct mc_fold f;

	mc_buf_init(&b);
	mc_fold_begin(&f, &b, "Content-Type");
	mc_fold_token(&f, e->wtype, strlen(e->wtype), 1, 0);
	if (e->wcharset != NULL)
		mc_2231_param(&f, "charset", e->wcharset, 0);
	if (e->filename != NULL)
		mc_2231_param(&f, "name", e->filename, e->compat);
	mc_fold_end(&f);
	if (e->disp != MC_DISP_NONE) {
		mc_fold_begin(&f, &b, "Content-Disposition");
		mc_fold_token(&f, e->disp == MC_DISP_INLINE ? "inline" :
		    "attachment", e->disp == MC_DISP_INLINE ? 6 : 10, 1, 0);
		if (e->filename != NULL)
			mc_2231_param(&f, "filename", e->filename, 0);
		mc_fold_end(&f);
	}
	mc_fold_begin(&f, &b, "Content-Transfer-Encoding");
	mc_fold_token(&f, cte_name(e->wcte), strlen(cte_name(e->wcte)), 1, 0);
	mc_fold_end(&f);
	if (put_field(w, &b) == -1)
		return -1;
	if (e->cid != NULL && put_simple(w, "Content-ID", e->cid) == -1)
		return -1;
	if (e->desc != NULL &&
	    put_unstructured(w, "Content-Description", e->desc) == -1)
		return -1;
	if (mc_out_text(w->out, e->extra.p ? e->extra.p : "", e->extra.len)
	    == -1)
		return -1;
	return mc_out_eol(w->out);
}

/* Copies text with its line ends (LF or CRLF) made output line ends; a
 * bare CR stays.  cr: a CR ended the previous chunk. */
static int
copy_text(struct mc_out *o, int *cr, const unsigned char *p, size_t n)
{
	const unsigned char *nl;
	size_t k;

	if (*cr && n > 0) {
		*cr = 0;
		if (p[0] == '\n') {
			if (mc_out_eol(o) == -1)
				return -1;
			p++;
			n--;
		} else if (mc_out_write(o, "\r", 1) == -1)
			return -1;
	}
	while (n > 0) {
		if ((nl = memchr(p, '\n', n)) == NULL) {
			k = n;
			if (p[k - 1] == '\r') {
				*cr = 1;
				k--;
			}
			return mc_out_write(o, p, k);
		}
		k = (size_t)(nl - p);
		if (mc_out_write(o, p, k > 0 && p[k - 1] == '\r' ? k - 1 : k)
		    == -1 || mc_out_eol(o) == -1)
			return -1;
		p = nl + 1;
		n -= k + 1;
	}
	return 0;
}

/* For a file read twice, the bytes of the second pass so far (p and n;
 * NULL at the end) against the first: a file that grew, shrank or was
 * rewritten in between fails before the bytes that break a choice go
 * out, or at its end. */
static enum mc_err
check_again(struct writer *w, mc_entity *e, struct mc_scan *now,
    const void *p, size_t n)
{
	if (p != NULL)
		mc_scan_step(now, p, n);
	else
		mc_scan_finish(now);
	if (mc_scan_holds(now, &e->seen, p == NULL))
		return MC_OK;
	return mc_fail(w->err, MC_EIO, 0, e->in.name,
	    "changed while the message was being written");
}

/* Streams the body of e in its transfer encoding. */
static enum mc_err
put_body(struct writer *w, mc_entity *e, enum mc_cte cte, int verify)
{
	struct mc_b64 b64;
	struct mc_qp qp;
	struct mc_bound seen;
	struct mc_scan now;
	enum mc_err bad;
	ssize_t k;
	int cr = 0, rc = 0;

	memset(&b64, 0, sizeof(b64));
	memset(&qp, 0, sizeof(qp));
	if (cte == MC_CTE_BASE64 && e->kind != MC_K_READ)
		mc_b64_init(&b64, w->out);
	else if (cte == MC_CTE_QP && e->kind != MC_K_READ)
		mc_qp_init(&qp, w->out);
	else
		cte = MC_CTE_8BIT;	/* copied as it is */
	mc_bound_init(&seen);
	mc_scan_init(&now);
	while (rc == 0 &&
	    (k = mc_input_read(&e->in, w->io, IOBUF, w->err)) > 0) {
		if (e->twice && (bad = check_again(w, e, &now, w->io,
		    (size_t)k)) != MC_OK)
			return bad;
		if (verify) {
			/* RFC 2045 6.7, 6.8: no line of a valid encoded
			 * body starts "--=_"; one that does could be taken
			 * for a delimiter of ours. */
			mc_bound_step(&seen, w->io, (size_t)k);
			if (mc_bound_any(&seen))
				return mc_fail(w->err, MC_EDATA, 0,
				    e->in.name, "a line like a MIME "
				    "boundary in an encoded body");
		}
		if (cte == MC_CTE_BASE64)
			rc = mc_b64_step(&b64, w->io, (size_t)k);
		else if (cte == MC_CTE_QP)
			rc = mc_qp_step(&qp, w->io, (size_t)k);
		else
			rc = copy_text(w->out, &cr, w->io, (size_t)k);
	}
	if (rc == 0 && k == -1)
		return w->err ? w->err->code : MC_EIO;
	if (rc == 0 && e->twice &&
	    (bad = check_again(w, e, &now, NULL, 0)) != MC_OK)
		return bad;
	if (rc == 0 && cte == MC_CTE_BASE64)
		rc = mc_b64_finish(&b64);
	else if (rc == 0 && cte == MC_CTE_QP)
		rc = mc_qp_finish(&qp);
	else if (rc == 0 && cr)
		rc = mc_out_write(w->out, "\r", 1);
	/* SPEC 3: a text forced 7bit or 8bit gets a missing final line
	 * break; a message/rfc822 goes as it is. */
	if (rc == 0 && e->kind != MC_K_READ && e->seen.noeol &&
	    (e->wcte == MC_CTE_7BIT || e->wcte == MC_CTE_8BIT) &&
	    strcasecmp(e->wtype, "message/rfc822") != 0)
		rc = mc_out_eol(w->out);
	if (rc == -1)
		return out_failed(w);
	mc_input_close(&e->in);
	return MC_OK;
}

static enum mc_err emit(struct writer *, mc_entity *, int);

static enum mc_err
emit_multi(struct writer *w, mc_entity *e)
{
	struct mc_out *o = w->out;
	struct mc_buf b;
	struct mc_fold f;
	enum mc_err rc;
	size_t i;

	mc_buf_init(&b);
	mc_fold_begin(&f, &b, "Content-Type");
	mc_fold_token(&f, e->wtype, strlen(e->wtype), 1, 0);
	mc_2231_param(&f, "boundary", e->boundary, 0);
	/* RFC 2387 3.1, 3.2 */
	if (strcasecmp(e->subtype, "related") == 0)
		mc_2231_param(&f, "type", type_of(e->kids[e->root]), 0);
	if (e->start != NULL)
		mc_2231_param(&f, "start", e->start, 0);
	mc_fold_end(&f);
	/* RFC 2045 6.4: a multipart holding 8bit is itself 8bit. */
	if (e->eight)
		mc_buf_adds(&b, "Content-Transfer-Encoding: 8bit\n");
	mc_buf_add(&b, e->extra.p ? e->extra.p : "", e->extra.len);
	if (put_field(w, &b) == -1 || mc_out_eol(o) == -1)
		return out_failed(w);
	for (i = 0; i < e->nkids; i++) {
		if ((i > 0 && mc_out_eol(o) == -1) ||
		    mc_out_puts(o, "--") == -1 ||
		    mc_out_puts(o, e->boundary) == -1 || mc_out_eol(o) == -1)
			return out_failed(w);
		if ((rc = emit(w, e->kids[i], 1)) != MC_OK)
			return rc;
	}
	if (mc_out_eol(o) == -1 || mc_out_puts(o, "--") == -1 ||
	    mc_out_puts(o, e->boundary) == -1 || mc_out_puts(o, "--") == -1 ||
	    mc_out_eol(o) == -1)
		return out_failed(w);
	return MC_OK;
}

/* The header block of a read entity; in a message, without its own
 * MIME-Version (the message has one). */
static int
put_read_header(struct writer *w, mc_entity *e, int in_message)
{
	const char *p = e->hdr.p, *end = p + e->hdr.len, *nl;
	int skip = 0;

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (p[0] != ' ' && p[0] != '\t')
			skip = in_message &&
			    strncasecmp(p, "MIME-Version:", 13) == 0;
		if (!skip && mc_out_text(w->out, p, (size_t)(nl - p + 1)) == -1)
			return -1;
	}
	return mc_out_eol(w->out);
}

/* References: msg-ids separated by single spaces, a fold point each. */
static int
put_ids(struct writer *w, const char *name, const char *ids)
{
	struct mc_buf b;
	struct mc_fold f;
	const char *p, *q;

	mc_buf_init(&b);
	mc_fold_begin(&f, &b, name);
	for (p = ids; *p != '\0'; p = *q ? q + 1 : q) {
		if ((q = strchr(p, ' ')) == NULL)
			q = p + strlen(p);
		mc_fold_token(&f, p, (size_t)(q - p), 1, 0);
	}
	mc_fold_end(&f);
	return put_field(w, &b);
}

/* One field of the table (field.c) when e has it. */
static int
put_message_field(struct writer *w, mc_entity *e, const struct mc_field *f)
{
	struct mc_buf b;
	const char *v;

	if (f->kind == MC_FK_ADDR) {
		if (e->addrs[f->addr].n == 0)
			return 0;
		mc_buf_init(&b);
		mc_addr_field(&b, f->name, &e->addrs[f->addr]);
		return put_field(w, &b);
	}
	if (f->slot == 0 || (v = *mc_field_slot(e, f)) == NULL)
		return 0;
	switch (f->kind) {
	case MC_FK_TEXT:
		return put_unstructured(w, f->name, v);
	case MC_FK_IDS:
		return put_ids(w, f->name, v);
	default:
		return put_simple(w, f->name, v);
	}
}

static enum mc_err
emit_message(struct writer *w, mc_entity *e)
{
	const struct mc_field *f;

	for (f = mc_fields; f->name != NULL; f++)
		if (put_message_field(w, e, f) == -1)
			return out_failed(w);
	if (mc_out_text(w->out, e->extra.p ? e->extra.p : "", e->extra.len)
	    == -1 || mc_out_puts(w->out, "MIME-Version: 1.0") == -1 ||
	    mc_out_eol(w->out) == -1)
		return out_failed(w);
	return emit(w, e->body, 0);
}

static enum mc_err
emit(struct writer *w, mc_entity *e, int in_multi)
{
	switch (e->kind) {
	case MC_K_TEXT:
	case MC_K_ATTACH:
		if (put_leaf_header(w, e) == -1)
			return out_failed(w);
		return put_body(w, e, e->wcte, 0);
	case MC_K_READ:
		if (put_read_header(w, e, !in_multi) == -1)
			return out_failed(w);
		return put_body(w, e, MC_CTE_8BIT, in_multi &&
		    (e->rcte == MC_CTE_BASE64 || e->rcte == MC_CTE_QP));
	case MC_K_MULTI:
		return emit_multi(w, e);
	case MC_K_MESSAGE:
		return emit_message(w, e);
	}
	return mc_fail(w->err, MC_EUSAGE, 0, "entity", NULL);
}

enum mc_err
mc_write(mc_entity *e, mc_write_fn fn, void *arg,
    const struct mc_write_opts *opts, struct mc_error *err)
{
	static const struct mc_write_opts none;
	struct writer w;
	enum mc_err rc;

	if (e == NULL || fn == NULL)
		return mc_fail(err, MC_EUSAGE, 0, "entity", "nothing to write");
	if (e->written)
		return mc_fail(err, MC_EUSAGE, 0, "entity", "already written");
	e->written = 1;
	if (opts == NULL)
		opts = &none;
	w.src = opts->source;
	w.tmpdir = opts->tmpdir;
	w.err = err;
	w.held = 0;
	w.out = malloc(sizeof(*w.out));
	w.io = malloc(IOBUF);
	if (w.out == NULL || w.io == NULL) {
		rc = mc_fail(err, MC_ENOMEM, 0, "output", NULL);
		goto out;
	}
	mc_out_init(w.out, fn, arg, (opts->flags & MC_CRLF) != 0);
	if ((rc = prepare(&w, e, 0, 1)) != MC_OK ||
	    (rc = emit(&w, e, 0)) != MC_OK)
		goto out;
	/* SPEC 2: every entity ends with a line break, so that files
	 * concatenate; one passed through without it gets one. */
	if ((w.out->last != '\n' && mc_out_eol(w.out) == -1) ||
	    mc_out_flush(w.out) == -1)
		rc = out_failed(&w);
out:
	free(w.out);
	free(w.io);
	return rc;
}

enum mc_err
mc_write_fd(mc_entity *e, int fd, const struct mc_write_opts *opts,
    struct mc_error *err)
{
	return mc_write(e, mc_fd_write, &fd, opts, err);
}
