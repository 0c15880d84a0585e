/* SPDX-License-Identifier: ISC */
/* A message's own fields (RFC 5322 3.6): one table for setters, drafts and the writer. */
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "mc.h"

#define SLOT(m)	offsetof(struct mc_entity, m)

/* In the order they are written (RFC 5322 3.6 recommends no order).
 * once: RFC 5322 3.6 allows one, and a second is refused rather than
 * replace the first; whole: a read entity with it is a whole message. */
const struct mc_field mc_fields[] = {
	{ "From",	 MC_FK_ADDR, MC_ADDR_FROM,	  NULL, 0, 0, 1 },
	{ "To",		 MC_FK_ADDR, MC_ADDR_TO,	  NULL, 0, 0, 1 },
	{ "Cc",		 MC_FK_ADDR, MC_ADDR_CC,	  NULL, 0, 0, 1 },
	{ "Bcc",	 MC_FK_ADDR, MC_ADDR_BCC,	  NULL, 0, 0, 1 },
	{ "Reply-To",	 MC_FK_ADDR, MC_ADDR_REPLY_TO, NULL, 0, 0, 1 },
	{ "Subject",	 MC_FK_TEXT, 0, mc_message_set_subject, SLOT(subject),
	    1, 1 },
	{ "Date",	 MC_FK_ID, 0, mc_message_set_date, SLOT(date), 1, 1 },
	{ "Message-ID",	 MC_FK_ID, 0, mc_message_set_id, SLOT(msgid), 1, 1 },
	{ "In-Reply-To", MC_FK_ID, 0, mc_message_set_in_reply_to, SLOT(irt),
	    1, 0 },
	{ "References",	 MC_FK_IDS, 0, mc_message_set_references, SLOT(refs),
	    1, 0 },
	/* Written with the other fields; here as it marks a message. */
	{ "Sender",	 MC_FK_OTHER, 0,	  NULL, 0, 0, 1 },
	{ NULL,		 MC_FK_OTHER, 0,	  NULL, 0, 0, 0 }
};

const struct mc_field *
mc_field_find(const char *name, size_t n)
{
	const struct mc_field *f;

	for (f = mc_fields; f->name != NULL; f++)
		if (strlen(f->name) == n && strncasecmp(name, f->name, n) == 0)
			return f;
	return NULL;
}

const char *
mc_addr_name(enum mc_addr_field field)
{
	return mc_fields[field].name;
}

char **
mc_field_slot(mc_entity *msg, const struct mc_field *f)
{
	return f->slot != 0 ? (char **)(void *)((char *)msg + f->slot) : NULL;
}

int
mc_field_mime(const char *name)
{
	return strcasecmp(name, "MIME-Version") == 0 ||
	    strncasecmp(name, "Content-", 8) == 0;
}

/* RFC 5322 3.6.8 field name, of at most 76 characters (a line holds it). */
static int
field_name_ok(const char *s, size_t n)
{
	return n <= 76 && mc_fieldname_ok(s, n);
}

/* Any other field, folded as unstructured text with the others (of a
 * message, or of a leaf or multipart: mc_entity_add_header). */
static enum mc_err
add_extra(mc_entity *msg, const char *name, const char *value,
    struct mc_error *err)
{
	struct mc_fold fold;
	enum mc_err rc;

	if ((rc = mc_check_value(value, MC_PARAM_MAX, name, err)) != MC_OK)
		return rc;
	if (strcasecmp(name, "Sender") == 0)
		msg->sender = 1;
	if (msg->nextra >= MC_FIELDS_MAX)
		return mc_fail(err, MC_EDATA, 0, name,
		    "more than %d header fields", MC_FIELDS_MAX);
	mc_fold_begin(&fold, &msg->extra, name);
	mc_2047_unstructured(&fold, value);
	mc_fold_end(&fold);
	if (msg->extra.oom)
		return mc_fail(err, MC_ENOMEM, 0, name, NULL);
	msg->nextra++;
	return MC_OK;
}

enum mc_err
mc_message_add_field(mc_entity *msg, const char *name, const char *value,
    struct mc_error *err)
{
	const struct mc_field *f;
	size_t n;

	if (msg == NULL || msg->kind != MC_K_MESSAGE)
		return mc_fail(err, MC_EUSAGE, 0, "header",
		    "does not apply to this entity");
	if (name == NULL || !field_name_ok(name, n = strlen(name)))
		return mc_fail(err, MC_EDATA, 0, "header",
		    "not a field name: \"%.60s\"", name ? name : "");
	if ((f = mc_field_find(name, n)) == NULL || f->kind == MC_FK_OTHER) {
		if (mc_field_mime(name))
			return mc_fail(err, MC_EDATA, 0, name,
			    "set by the entity, not as a message header");
		return add_extra(msg, name, value, err);
	}
	/* RFC 5322 3.6: at most one of each of these. */
	if (f->once && *mc_field_slot(msg, f) != NULL)
		return mc_fail(err, MC_EDATA, 0, f->name, "a second %s field",
		    f->name);
	if (f->kind == MC_FK_ADDR)
		return mc_message_add_addresses(msg, f->addr, value, err);
	return f->set(msg, value, err);
}

/* "Name: value" into name (80 bytes) and *value. */
static enum mc_err
field_split(const char *field, char *name, const char **value,
    struct mc_error *err)
{
	const char *colon, *v;
	size_t n;

	if (field == NULL || (colon = strchr(field, ':')) == NULL ||
	    !field_name_ok(field, (size_t)(colon - field)))
		return mc_fail(err, MC_EDATA, 0, "header",
		    "not a \"Name: value\" field: \"%.60s\"",
		    field ? field : "");
	n = (size_t)(colon - field);
	memcpy(name, field, n);
	name[n] = '\0';
	for (v = colon + 1; mc_wsp(*v); v++)
		;
	*value = v;
	return MC_OK;
}

enum mc_err
mc_message_add_header(mc_entity *msg, const char *field,
    struct mc_error *err)
{
	const char *v;
	char name[80];
	enum mc_err rc;

	if (msg == NULL || msg->kind != MC_K_MESSAGE)
		return mc_fail(err, MC_EUSAGE, 0, "header",
		    "does not apply to this entity");
	if ((rc = field_split(field, name, &v, err)) != MC_OK)
		return rc;
	return mc_message_add_field(msg, name, v, err);
}

/* SPEC 2: the fields an option of the entity tools owns. */
static const char *const part_owned[] = {
	"Content-Type", "Content-Transfer-Encoding", "Content-Disposition",
	"Content-ID", "MIME-Version"
};

enum mc_err
mc_entity_add_header(mc_entity *e, const char *field, struct mc_error *err)
{
	const char *v;
	char name[80];
	size_t i;
	enum mc_err rc;

	if (e != NULL && e->kind == MC_K_MESSAGE)
		return mc_message_add_header(e, field, err);
	if (e == NULL || (e->kind != MC_K_TEXT && e->kind != MC_K_ATTACH &&
	    e->kind != MC_K_MULTI))
		return mc_fail(err, MC_EUSAGE, 0, "header",
		    "does not apply to this entity");
	if ((rc = field_split(field, name, &v, err)) != MC_OK)
		return rc;
	for (i = 0; i < sizeof(part_owned) / sizeof(part_owned[0]); i++)
		if (strcasecmp(name, part_owned[i]) == 0)
			return mc_fail(err, MC_EUSAGE, 0, name,
			    "set by an option of its own, not as a header");
	/* A part with one would be taken for a whole message. */
	if (mc_field_find(name, strlen(name)) != NULL)
		return mc_fail(err, MC_EUSAGE, 0, name,
		    "a message field, for mime-message");
	return add_extra(e, name, v, err);
}
