/* SPDX-License-Identifier: ISC */
/* The entity tree (RFC 2045 2.4, RFC 2046 5, RFC 5322 3.6) and its setters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mc.h"

mc_entity *
mc_entity_alloc(enum mc_kind kind)
{
	mc_entity *e;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	e->kind = kind;
	mc_input_init(&e->in);
	mc_buf_init(&e->extra);
	mc_buf_init(&e->hdr);
	return e;
}

/* A copy of s, or *ok cleared when out of memory. */
static char *
dup_or(const char *s, int *ok)
{
	char *p = mc_strdup(s);

	if (s != NULL && p == NULL)
		*ok = 0;
	return p;
}

mc_entity *
mc_text_new(const char *subtype)
{
	mc_entity *e;
	struct mc_buf t;

	if (subtype == NULL)
		subtype = "plain";
	if ((e = mc_entity_alloc(MC_K_TEXT)) == NULL)
		return NULL;
	mc_buf_init(&t);
	mc_buf_printf(&t, "text/%s", subtype);
	if (t.oom) {
		mc_entity_free(e);
		return NULL;
	}
	e->type = t.p;
	return e;
}

mc_entity *
mc_attachment_new(const char *type)
{
	mc_entity *e;
	int ok = 1;

	if ((e = mc_entity_alloc(MC_K_ATTACH)) == NULL)
		return NULL;
	e->type = dup_or(type, &ok);
	if (!ok) {
		mc_entity_free(e);
		return NULL;
	}
	return e;
}

mc_entity *
mc_multipart_new(const char *subtype)
{
	mc_entity *e;
	int ok = 1;

	if (subtype == NULL)
		subtype = "mixed";
	if ((e = mc_entity_alloc(MC_K_MULTI)) == NULL)
		return NULL;
	e->subtype = dup_or(subtype, &ok);
	if (!ok) {
		mc_entity_free(e);
		return NULL;
	}
	return e;
}

mc_entity *
mc_message_new(void)
{
	return mc_entity_alloc(MC_K_MESSAGE);
}

void
mc_entity_free(mc_entity *e)
{
	size_t i;

	if (e == NULL)
		return;
	for (i = 0; i < e->nkids; i++)
		mc_entity_free(e->kids[i]);
	free(e->kids);
	for (i = 0; i <= MC_ADDR_REPLY_TO; i++)
		mc_addrlist_free(&e->addrs[i]);
	mc_entity_free(e->body);
	mc_input_close(&e->in);
	mc_buf_free(&e->extra);
	mc_buf_free(&e->hdr);
	free(e->type);
	free(e->charset);
	free(e->filename);
	free(e->cid);
	free(e->desc);
	free(e->subtype);
	free(e->start);
	free(e->subject);
	free(e->date);
	free(e->msgid);
	free(e->irt);
	free(e->refs);
	free(e->rtype);
	free(e->wtype);
	free(e);
}

static int
is_leaf(const mc_entity *e)
{
	return e != NULL && (e->kind == MC_K_TEXT || e->kind == MC_K_ATTACH);
}

static enum mc_err
not_for(const char *what, struct mc_error *err)
{
	return mc_fail(err, MC_EUSAGE, 0, what, "does not apply to this entity");
}

enum mc_err
mc_check_value(const char *s, size_t max, const char *what,
    struct mc_error *err)
{
	const unsigned char *p;

	if (s == NULL)
		return mc_fail(err, MC_EUSAGE, 0, what, "missing value");
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '\r' || *p == '\n')
			return mc_fail(err, MC_EDATA, 0, what,
			    "a header value with CR or LF");
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			return mc_fail(err, MC_EDATA, 0, what,
			    "a header value with control character 0x%02x",
			    *p);
	}
	if (!mc_utf8_valid(s, strlen(s)))
		return mc_fail(err, MC_EDATA, 0, what,
		    "a header value that is not valid UTF-8");
	if (strlen(s) > max)
		return mc_fail(err, MC_EDATA, 0, what,
		    "a header value longer than %zu octets", max);
	return MC_OK;
}

enum mc_err
mc_filename_check(const char *name, const char *what, struct mc_error *err)
{
	/* A name extractors would make a file of: one line, one word
	 * apart from spaces, in UTF-8 (RFC 2231 labels it so). */
	if (strchr(name, '\t') != NULL)
		return mc_fail(err, MC_EDATA, 0, what,
		    "a file name with a TAB");
	return mc_check_value(name, MC_PARAM_MAX, what, err);
}

/* Replaces *slot with a checked copy of s. */
static enum mc_err
set_str(char **slot, const char *s, const char *what, struct mc_error *err)
{
	enum mc_err rc;
	char *p;

	if ((rc = mc_check_value(s, MC_PARAM_MAX, what, err)) != MC_OK)
		return rc;
	if ((p = mc_strdup(s)) == NULL)
		return mc_fail(err, MC_ENOMEM, 0, what, NULL);
	free(*slot);
	*slot = p;
	return MC_OK;
}

static enum mc_err
body_check(mc_entity *e, struct mc_error *err)
{
	if (!is_leaf(e))
		return not_for("body", err);
	if (e->in.kind != MC_IN_NONE)
		return mc_fail(err, MC_EUSAGE, 0, "body", "already set");
	return MC_OK;
}

enum mc_err
mc_entity_set_body_path(mc_entity *e, const char *path, struct mc_error *err)
{
	enum mc_err rc;

	if ((rc = body_check(e, err)) != MC_OK)
		return rc;
	if (path == NULL || *path == '\0')
		return mc_fail(err, MC_EUSAGE, 0, "body", "empty path");
	e->in.path = mc_strdup(path);
	e->in.name = mc_strdup(path);
	if (e->in.path == NULL || e->in.name == NULL) {
		mc_input_close(&e->in);
		return mc_fail(err, MC_ENOMEM, 0, path, NULL);
	}
	e->in.kind = MC_IN_PATH;
	return MC_OK;
}

enum mc_err
mc_entity_set_body_fd(mc_entity *e, int fd, const char *name,
    struct mc_error *err)
{
	enum mc_err rc;

	if ((rc = body_check(e, err)) != MC_OK)
		return rc;
	if (fd < 0)
		return mc_fail(err, MC_EUSAGE, 0, "body", "bad descriptor");
	if ((e->in.name = mc_strdup(name ? name : "standard input")) == NULL)
		return mc_fail(err, MC_ENOMEM, 0, name, NULL);
	e->in.kind = MC_IN_FD;
	e->in.fd = fd;
	return MC_OK;
}

enum mc_err
mc_entity_take_fd(mc_entity *e, int fd, const char *name,
    struct mc_error *err)
{
	enum mc_err rc;

	if ((rc = mc_entity_set_body_fd(e, fd, name, err)) == MC_OK)
		e->in.own_fd = 1;
	return rc;
}

enum mc_err
mc_entity_set_body_mem(mc_entity *e, const void *data, size_t len,
    struct mc_error *err)
{
	enum mc_err rc;

	if ((rc = body_check(e, err)) != MC_OK)
		return rc;
	if (data == NULL && len > 0)
		return mc_fail(err, MC_EUSAGE, 0, "body", "no data");
	if ((e->in.name = mc_strdup("memory")) == NULL)
		return mc_fail(err, MC_ENOMEM, 0, "body", NULL);
	e->in.kind = MC_IN_MEM;
	e->in.mem = data;
	e->in.memlen = len;
	return MC_OK;
}

enum mc_err
mc_entity_take_mem(mc_entity *e, void *data, size_t len, const char *name,
    struct mc_error *err)
{
	enum mc_err rc;
	char *copy;

	if ((rc = mc_entity_set_body_mem(e, data, len, err)) != MC_OK)
		return rc;
	if (name != NULL) {
		if ((copy = mc_strdup(name)) == NULL)
			return mc_fail(err, MC_ENOMEM, 0, name, NULL);
		free(e->in.name);
		e->in.name = copy;
	}
	e->in.own_mem = data;
	return MC_OK;
}

enum mc_err
mc_entity_set_charset(mc_entity *e, const char *charset, struct mc_error *err)
{
	enum mc_err rc;

	if (!is_leaf(e))
		return not_for("charset", err);
	if ((rc = mc_check_value(charset, MC_PARAM_MAX, "charset", err)) !=
	    MC_OK)
		return rc;
	if (!mc_is_token(charset))
		return mc_fail(err, MC_EUSAGE, 0, "charset",
		    "not a charset name: \"%.60s\"", charset ? charset : "");
	return set_str(&e->charset, charset, "charset", err);
}

enum mc_err
mc_entity_set_encoding(mc_entity *e, enum mc_cte cte, struct mc_error *err)
{
	if (!is_leaf(e))
		return not_for("encoding", err);
	if (cte < MC_CTE_AUTO || cte > MC_CTE_BASE64)
		return mc_fail(err, MC_EUSAGE, 0, "encoding", NULL);
	e->cte = cte;
	return MC_OK;
}

enum mc_err
mc_entity_set_disposition(mc_entity *e, enum mc_disposition disp,
    const char *filename, struct mc_error *err)
{
	if (!is_leaf(e))
		return not_for("disposition", err);
	if (disp < MC_DISP_NONE || disp > MC_DISP_ATTACHMENT)
		return mc_fail(err, MC_EUSAGE, 0, "disposition", NULL);
	if (filename != NULL) {
		if (*filename == '\0')
			return mc_fail(err, MC_EUSAGE, 0, "file name", "empty");
		if (mc_filename_check(filename, "file name", err) != MC_OK ||
		    set_str(&e->filename, filename, "file name", err) != MC_OK)
			return err ? err->code : MC_EDATA;
	}
	e->disp = disp;
	return MC_OK;
}

/* A Content-ID, start= or Message-ID: msg-id with brackets added
 * (RFC 2392 2, RFC 5322 3.6.4); need_at for Message-IDs. */
static enum mc_err
set_id(char **slot, const char *id, int need_at, const char *what,
    struct mc_error *err)
{
	enum mc_err rc;
	char *p;

	if ((rc = mc_check_value(id, MC_PARAM_MAX, what, err)) != MC_OK)
		return rc;
	if ((rc = mc_msgid_norm(&p, id, need_at, err)) != MC_OK) {
		if (err != NULL)
			snprintf(err->what, sizeof(err->what), "%s", what);
		return rc;
	}
	free(*slot);
	*slot = p;
	return MC_OK;
}

enum mc_err
mc_entity_set_id(mc_entity *e, const char *cid, struct mc_error *err)
{
	if (!is_leaf(e))
		return not_for("Content-ID", err);
	return set_id(&e->cid, cid, 0, "Content-ID", err);
}

enum mc_err
mc_entity_set_description(mc_entity *e, const char *description,
    struct mc_error *err)
{
	if (!is_leaf(e))
		return not_for("Content-Description", err);
	return set_str(&e->desc, description, "Content-Description", err);
}

enum mc_err
mc_entity_set_compat_names(mc_entity *e, int on, struct mc_error *err)
{
	if (!is_leaf(e))
		return not_for("compat names", err);
	e->compat = on != 0;
	return MC_OK;
}

/* Depth of the tree under e, counting e. */
static int
depth(const mc_entity *e)
{
	int d, m = 0;
	size_t i;

	if (e == NULL)
		return 0;
	for (i = 0; i < e->nkids; i++)
		if ((d = depth(e->kids[i])) > m)
			m = d;
	if (e->body != NULL && (d = depth(e->body)) > m)
		m = d;
	return m + 1;
}

enum mc_err
mc_multipart_add(mc_entity *mp, mc_entity *child, struct mc_error *err)
{
	mc_entity **v;
	size_t cap;

	if (child == mp)	/* not a child: nothing to take */
		return mc_fail(err, MC_EUSAGE, 0, "multipart",
		    "a multipart in itself");
	if (mp == NULL || mp->kind != MC_K_MULTI || child == NULL ||
	    child->kind == MC_K_MESSAGE) {
		mc_entity_free(child);
		return mc_fail(err, MC_EUSAGE, 0, "multipart",
		    "not a multipart, or not a part");
	}
	if (depth(child) >= MC_MAX_DEPTH) {
		mc_entity_free(child);
		return mc_fail(err, MC_EDATA, 0, "multipart",
		    "nested more than %d deep", MC_MAX_DEPTH);
	}
	if (mp->nkids == mp->capkids) {
		cap = mp->capkids ? 2 * mp->capkids : 4;
		if ((v = realloc(mp->kids, cap * sizeof(*v))) == NULL) {
			mc_entity_free(child);
			return mc_fail(err, MC_ENOMEM, 0, "multipart", NULL);
		}
		mp->kids = v;
		mp->capkids = cap;
	}
	mp->kids[mp->nkids++] = child;
	return MC_OK;
}

enum mc_err
mc_multipart_set_start(mc_entity *mp, const char *cid, struct mc_error *err)
{
	if (mp == NULL || mp->kind != MC_K_MULTI)
		return not_for("start", err);
	return set_id(&mp->start, cid, 0, "start", err);
}

static int
is_message(const mc_entity *e)
{
	return e != NULL && e->kind == MC_K_MESSAGE;
}

enum mc_err
mc_message_set_body(mc_entity *msg, mc_entity *body, struct mc_error *err)
{
	if (body == msg)	/* not a body: nothing to take */
		return mc_fail(err, MC_EUSAGE, 0, "message",
		    "a message in itself");
	if (!is_message(msg) || body == NULL || body->kind == MC_K_MESSAGE) {
		mc_entity_free(body);
		return mc_fail(err, MC_EUSAGE, 0, "message",
		    "not a message, or not a body");
	}
	if (depth(body) >= MC_MAX_DEPTH) {
		mc_entity_free(body);
		return mc_fail(err, MC_EDATA, 0, "message",
		    "nested more than %d deep", MC_MAX_DEPTH);
	}
	mc_entity_free(msg->body);
	msg->body = body;
	return MC_OK;
}

mc_entity *
mc_message_take_body(mc_entity *msg)
{
	mc_entity *body;

	if (msg == NULL || !is_message(msg))
		return NULL;
	body = msg->body;
	msg->body = NULL;
	return body;
}

static size_t
addr_count(const mc_entity *msg)
{
	size_t i, j, n = 0;

	/* Recipients: the authors and reply addresses are no load. */
	for (i = MC_ADDR_TO; i <= MC_ADDR_BCC; i++)
		for (j = 0; j < msg->addrs[i].n; j++)
			n += msg->addrs[i].v[j].spec != NULL;
	return n;
}

enum mc_err
mc_message_add_addresses(mc_entity *msg, enum mc_addr_field field,
    const char *list, struct mc_error *err)
{
	struct mc_addrlist *l;
	enum mc_err rc;
	size_t had, i;

	if (!is_message(msg) || field < MC_ADDR_FROM || field > MC_ADDR_REPLY_TO)
		return not_for("address", err);
	if ((rc = mc_check_value(list, MC_LIST_MAX, mc_addr_name(field),
	    err)) != MC_OK)
		return rc;
	had = msg->addrs[field].n;
	if ((rc = mc_addr_parse(&msg->addrs[field], list, err)) != MC_OK) {
		if (err != NULL)
			snprintf(err->what, sizeof(err->what), "%s",
			    mc_addr_name(field));
		return rc;
	}
	l = &msg->addrs[field];
	for (i = had; field == MC_ADDR_FROM && i < l->n; i++)
		if (l->v[i].spec == NULL) {
			/* RFC 5322 3.6.2: From is a mailbox-list. */
			rc = mc_fail(err, MC_EDATA, 0, mc_addr_name(field),
			    "a group is not an author: \"%s:\"",
			    l->v[i].name ? l->v[i].name : "");
			break;
		}
	if (rc == MC_OK && addr_count(msg) > MC_ADDRS_MAX)
		rc = mc_fail(err, MC_EDATA, 0, mc_addr_name(field),
		    "more than %d recipients in one message", MC_ADDRS_MAX);
	/* Refused whole: the message keeps what it had. */
	for (; rc != MC_OK && l->n > had; l->n--) {
		free(l->v[l->n - 1].name);
		free(l->v[l->n - 1].spec);
	}
	return rc;
}

enum mc_err
mc_message_set_subject(mc_entity *msg, const char *subject,
    struct mc_error *err)
{
	if (!is_message(msg))
		return not_for("Subject", err);
	return set_str(&msg->subject, subject, "Subject", err);
}

enum mc_err
mc_message_set_date(mc_entity *msg, const char *date, struct mc_error *err)
{
	char buf[64];
	enum mc_err rc;

	if (!is_message(msg))
		return not_for("Date", err);
	if ((rc = mc_check_value(date, MC_PARAM_MAX, "Date", err)) != MC_OK)
		return rc;
	/* Checked now, written when the source (local zone or UTC) is known. */
	if (mc_date_normalize(buf, date, 0) == -1)
		return mc_fail(err, MC_EDATA, 0, "Date",
		    "not an RFC 5322 date or @SECONDS: \"%.60s\"", date);
	return set_str(&msg->date, date, "Date", err);
}

static enum mc_err
set_msgid(mc_entity *msg, char **slot, const char *id, const char *what,
    struct mc_error *err)
{
	if (!is_message(msg))
		return not_for(what, err);
	return set_id(slot, id, 1, what, err);
}

enum mc_err
mc_message_set_id(mc_entity *msg, const char *id, struct mc_error *err)
{
	return set_msgid(msg, &msg->msgid, id, "Message-ID", err);
}

enum mc_err
mc_message_set_in_reply_to(mc_entity *msg, const char *id,
    struct mc_error *err)
{
	return set_msgid(msg, &msg->irt, id, "In-Reply-To", err);
}

enum mc_err
mc_message_set_references(mc_entity *msg, const char *ids,
    struct mc_error *err)
{
	struct mc_buf all;
	enum mc_err rc;
	const char *p, *q;
	char *one, *id;

	if (!is_message(msg))
		return not_for("References", err);
	if ((rc = mc_check_value(ids, MC_LIST_MAX, "References", err)) !=
	    MC_OK)
		return rc;
	mc_buf_init(&all);
	for (p = ids; *p != '\0'; p = q) {
		while (mc_wsp(*p))
			p++;
		for (q = p; *q != '\0' && !mc_wsp(*q); q++)
			;
		if (q == p)
			break;
		if ((one = strndup(p, (size_t)(q - p))) == NULL) {
			mc_buf_free(&all);
			return mc_fail(err, MC_ENOMEM, 0, "References", NULL);
		}
		rc = mc_msgid_norm(&id, one, 1, err);
		free(one);
		if (rc != MC_OK) {
			mc_buf_free(&all);
			if (err != NULL)
				snprintf(err->what, sizeof(err->what),
				    "References");
			return rc;
		}
		if (all.len > 0)
			mc_buf_addc(&all, ' ');
		mc_buf_adds(&all, id);
		free(id);
	}
	if (all.len == 0 || all.oom) {
		rc = all.oom ? MC_ENOMEM : MC_EDATA;
		mc_buf_free(&all);
		return mc_fail(err, rc, 0, "References",
		    rc == MC_EDATA ? "no message ids" : NULL);
	}
	free(msg->refs);
	msg->refs = all.p;
	return MC_OK;
}
