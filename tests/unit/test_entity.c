/* SPDX-License-Identifier: ISC */
/* Unit tests for entity.c: constructors, setters and their checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "unit.h"

/* Values no header can carry (SPEC 2, EX_DATAERR). */
static const char *const bad_values[] = {
	"a\rb", "a\nb", "a\r\nb", "\n", "tail\n", "nul\x01", "esc\x1b[0m",
	"del\x7f", "bad utf-8 \xff", "cut \xc3",
};

static void
expect(enum mc_err got, enum mc_err want, const struct mc_error *err)
{
	if (got != want) {
		print_error("got %d (%s: %s), wanted %d\n", got, err->what,
		    err->detail, want);
		fail();
	}
	assert_int_equal(err->code, want);
}

static void
constructors(void **state)
{
	mc_entity *e;

	assert_non_null(e = mc_text_new(NULL));
	assert_int_equal(e->kind, MC_K_TEXT);
	assert_string_equal(e->type, "text/plain");
	mc_entity_free(e);
	assert_non_null(e = mc_text_new("html"));
	assert_string_equal(e->type, "text/html");
	mc_entity_free(e);
	assert_non_null(e = mc_attachment_new(NULL));
	assert_int_equal(e->kind, MC_K_ATTACH);
	assert_null(e->type);
	mc_entity_free(e);
	assert_non_null(e = mc_attachment_new("image/png"));
	assert_string_equal(e->type, "image/png");
	mc_entity_free(e);
	assert_non_null(e = mc_multipart_new(NULL));
	assert_int_equal(e->kind, MC_K_MULTI);
	assert_string_equal(e->subtype, "mixed");
	mc_entity_free(e);
	assert_non_null(e = mc_multipart_new("related"));
	assert_string_equal(e->subtype, "related");
	mc_entity_free(e);
	assert_non_null(e = mc_message_new());
	assert_int_equal(e->kind, MC_K_MESSAGE);
	mc_entity_free(e);
	mc_entity_free(NULL);
}

/* Strings are copied. */
static void
strings_copied(void **state)
{
	struct mc_error err;
	char type[] = "image/png", sub[] = "alternative", name[] = "a.png";
	mc_entity *a, *m;

	assert_non_null(a = mc_attachment_new(type));
	assert_non_null(m = mc_multipart_new(sub));
	assert_int_equal(mc_entity_set_disposition(a, MC_DISP_INLINE, name,
	    &err), MC_OK);
	memset(type, 'x', sizeof(type) - 1);
	memset(sub, 'x', sizeof(sub) - 1);
	memset(name, 'x', sizeof(name) - 1);
	assert_string_equal(a->type, "image/png");
	assert_string_equal(m->subtype, "alternative");
	assert_string_equal(a->filename, "a.png");
	assert_int_equal(a->disp, MC_DISP_INLINE);
	mc_entity_free(a);
	mc_entity_free(m);
}

static void
body_setters(void **state)
{
	struct mc_error err;
	mc_entity *e, *mp, *msg;

	/* Exactly one body, once. */
	assert_non_null(e = mc_text_new(NULL));
	assert_int_equal(mc_entity_set_body_mem(e, "x", 1, &err), MC_OK);
	expect(mc_entity_set_body_mem(e, "y", 1, &err), MC_EUSAGE, &err);
	expect(mc_entity_set_body_path(e, "/etc/hosts", &err), MC_EUSAGE,
	    &err);
	expect(mc_entity_set_body_fd(e, 0, NULL, &err), MC_EUSAGE, &err);
	assert_ptr_equal(e->in.mem, "x") ;
	mc_entity_free(e);

	assert_non_null(e = mc_attachment_new(NULL));
	assert_int_equal(mc_entity_set_body_path(e, "/no/such/file", &err),
	    MC_OK);		/* opened when written */
	assert_string_equal(e->in.path, "/no/such/file");
	expect(mc_entity_set_body_path(e, "/etc/hosts", &err), MC_EUSAGE,
	    &err);
	assert_string_equal(e->in.path, "/no/such/file");
	mc_entity_free(e);

	assert_non_null(e = mc_attachment_new(NULL));
	assert_int_equal(mc_entity_set_body_fd(e, 0, "stdin", &err), MC_OK);
	assert_string_equal(e->in.name, "stdin");
	expect(mc_entity_set_body_mem(e, "y", 1, &err), MC_EUSAGE, &err);
	mc_entity_free(e);

	/* Bad arguments. */
	assert_non_null(e = mc_text_new(NULL));
	expect(mc_entity_set_body_path(e, "", &err), MC_EUSAGE, &err);
	expect(mc_entity_set_body_path(e, NULL, &err), MC_EUSAGE, &err);
	expect(mc_entity_set_body_fd(e, -1, NULL, &err), MC_EUSAGE, &err);
	expect(mc_entity_set_body_mem(e, NULL, 3, &err), MC_EUSAGE, &err);
	/* Still unset: an empty memory body is fine. */
	assert_int_equal(mc_entity_set_body_mem(e, NULL, 0, &err), MC_OK);
	mc_entity_free(e);

	/* Not for containers. */
	assert_non_null(mp = mc_multipart_new(NULL));
	assert_non_null(msg = mc_message_new());
	expect(mc_entity_set_body_mem(mp, "x", 1, &err), MC_EUSAGE, &err);
	expect(mc_entity_set_body_path(msg, "/etc/hosts", &err), MC_EUSAGE,
	    &err);
	expect(mc_entity_set_body_fd(mp, 0, NULL, &err), MC_EUSAGE, &err);
	expect(mc_entity_set_body_mem(NULL, "x", 1, &err), MC_EUSAGE, &err);
	mc_entity_free(mp);
	mc_entity_free(msg);
}

/* Leaf settings refuse containers (MC_EUSAGE) and bad values (MC_EDATA). */
static void
leaf_setters(void **state)
{
	struct mc_error err;
	mc_entity *t, *mp, *msg;
	size_t i;

	assert_non_null(t = mc_text_new(NULL));
	assert_non_null(mp = mc_multipart_new(NULL));
	assert_non_null(msg = mc_message_new());
	for (i = 0; i < sizeof(bad_values) / sizeof(bad_values[0]); i++) {
		expect(mc_entity_set_charset(t, bad_values[i], &err), MC_EDATA,
		    &err);
		expect(mc_entity_set_description(t, bad_values[i], &err),
		    MC_EDATA, &err);
		expect(mc_entity_set_disposition(t, MC_DISP_INLINE,
		    bad_values[i], &err), MC_EDATA, &err);
		expect(mc_entity_set_id(t, bad_values[i], &err), MC_EDATA,
		    &err);
	}
	assert_null(t->charset);
	assert_null(t->desc);
	assert_null(t->filename);
	assert_null(t->cid);
	assert_int_equal(t->disp, MC_DISP_NONE);

	assert_int_equal(mc_entity_set_charset(t, "iso-8859-1", &err), MC_OK);
	assert_string_equal(t->charset, "iso-8859-1");
	assert_int_equal(mc_entity_set_description(t, "A\tcaf\xc3\xa9", &err),
	    MC_OK);
	assert_string_equal(t->desc, "A\tcaf\xc3\xa9");
	assert_int_equal(mc_entity_set_encoding(t, MC_CTE_QP, &err), MC_OK);
	assert_int_equal(t->cte, MC_CTE_QP);
	expect(mc_entity_set_encoding(t, (enum mc_cte)99, &err), MC_EUSAGE,
	    &err);
	assert_int_equal(t->cte, MC_CTE_QP);
	expect(mc_entity_set_disposition(t, (enum mc_disposition)7, NULL,
	    &err), MC_EUSAGE, &err);
	expect(mc_entity_set_disposition(t, MC_DISP_INLINE, "", &err),
	    MC_EUSAGE, &err);
	expect(mc_entity_set_disposition(t, MC_DISP_INLINE, "a\tb", &err),
	    MC_EDATA, &err);
	assert_int_equal(mc_entity_set_disposition(t, MC_DISP_INLINE, NULL,
	    &err), MC_OK);
	assert_int_equal(t->disp, MC_DISP_INLINE);
	assert_null(t->filename);
	assert_int_equal(mc_entity_set_compat_names(t, 5, &err), MC_OK);
	assert_int_equal(t->compat, 1);
	/* A charset is a token. */
	assert_int_not_equal(mc_entity_set_charset(t, "utf 8", &err), MC_OK);
	assert_int_not_equal(mc_entity_set_charset(t, "\"x\"", &err), MC_OK);
	assert_string_equal(t->charset, "iso-8859-1");

	/* Wrong kind. */
	expect(mc_entity_set_charset(mp, "utf-8", &err), MC_EUSAGE, &err);
	expect(mc_entity_set_encoding(mp, MC_CTE_7BIT, &err), MC_EUSAGE,
	    &err);
	expect(mc_entity_set_disposition(msg, MC_DISP_INLINE, NULL, &err),
	    MC_EUSAGE, &err);
	expect(mc_entity_set_id(mp, "a@b", &err), MC_EUSAGE, &err);
	expect(mc_entity_set_description(msg, "x", &err), MC_EUSAGE, &err);
	expect(mc_entity_set_compat_names(mp, 1, &err), MC_EUSAGE, &err);
	expect(mc_entity_set_charset(NULL, "utf-8", &err), MC_EUSAGE, &err);
	mc_entity_free(t);
	mc_entity_free(mp);
	mc_entity_free(msg);
}

/* RFC 2392: Content-ID and start= get angle brackets. */
static void
ids_get_brackets(void **state)
{
	struct mc_error err;
	mc_entity *a, *mp, *t;

	assert_non_null(a = mc_attachment_new("image/png"));
	assert_int_equal(mc_entity_set_id(a, "logo@example.org", &err), MC_OK);
	assert_string_equal(a->cid, "<logo@example.org>");
	assert_int_equal(mc_entity_set_id(a, "<part1@x>", &err), MC_OK);
	assert_string_equal(a->cid, "<part1@x>");
	/* SPEC 3 mime-compose: a Content-ID without "@" is the author's. */
	assert_int_equal(mc_entity_set_id(a, "logo", &err), MC_OK);
	assert_string_equal(a->cid, "<logo>");
	expect(mc_entity_set_id(a, "a b@x", &err), MC_EDATA, &err);
	expect(mc_entity_set_id(a, "<>", &err), MC_EDATA, &err);
	expect(mc_entity_set_id(a, "", &err), MC_EDATA, &err);
	assert_string_equal(a->cid, "<logo>");
	assert_string_equal(err.what, "Content-ID");
	mc_entity_free(a);

	assert_non_null(mp = mc_multipart_new("related"));
	assert_int_equal(mc_multipart_set_start(mp, "root@x", &err), MC_OK);
	assert_string_equal(mp->start, "<root@x>");
	expect(mc_multipart_set_start(mp, "a\nb", &err), MC_EDATA, &err);
	assert_string_equal(mp->start, "<root@x>");
	assert_non_null(t = mc_text_new(NULL));
	expect(mc_multipart_set_start(t, "root@x", &err), MC_EUSAGE, &err);
	mc_entity_free(t);
	mc_entity_free(mp);
}

static void
message_setters(void **state)
{
	struct mc_error err;
	mc_entity *msg, *t;
	size_t i;

	assert_non_null(msg = mc_message_new());
	for (i = 0; i < sizeof(bad_values) / sizeof(bad_values[0]); i++) {
		expect(mc_message_set_subject(msg, bad_values[i], &err),
		    MC_EDATA, &err);
		expect(mc_message_add_addresses(msg, MC_ADDR_TO, bad_values[i],
		    &err), MC_EDATA, &err);
		expect(mc_message_set_date(msg, bad_values[i], &err), MC_EDATA,
		    &err);
		expect(mc_message_set_id(msg, bad_values[i], &err), MC_EDATA,
		    &err);
		expect(mc_message_set_in_reply_to(msg, bad_values[i], &err),
		    MC_EDATA, &err);
		expect(mc_message_set_references(msg, bad_values[i], &err),
		    MC_EDATA, &err);
	}
	/* An address without a domain (SPEC 3 mime-message). */
	expect(mc_message_add_addresses(msg, MC_ADDR_FROM, "nobody", &err),
	    MC_EDATA, &err);
	assert_string_equal(err.what, "From");
	expect(mc_message_add_addresses(msg, (enum mc_addr_field)9,
	    "a@b.example", &err), MC_EUSAGE, &err);
	assert_null(msg->subject);
	assert_null(msg->date);
	assert_null(msg->msgid);
	for (i = 0; i <= MC_ADDR_REPLY_TO; i++)
		assert_int_equal(msg->addrs[i].n, 0);

	assert_int_equal(mc_message_set_subject(msg, "Gr\xc3\xbc\xc3\x9f"
	    "e\tall", &err), MC_OK);
	assert_string_equal(msg->subject, "Gr\xc3\xbc\xc3\x9f" "e\tall");
	assert_int_equal(mc_message_set_date(msg, "@0", &err), MC_OK);
	assert_int_equal(mc_message_set_date(msg,
	    "Tue, 14 Nov 2023 22:13:20 +0000", &err), MC_OK);
	expect(mc_message_set_date(msg, "yesterday", &err), MC_EDATA, &err);
	expect(mc_message_set_date(msg, "@", &err), MC_EDATA, &err);
	assert_string_equal(msg->date, "Tue, 14 Nov 2023 22:13:20 +0000");
	assert_int_equal(mc_message_set_id(msg, "a@b", &err), MC_OK);
	assert_string_equal(msg->msgid, "<a@b>");
	assert_int_equal(mc_message_set_id(msg, "<c@d>", &err), MC_OK);
	assert_string_equal(msg->msgid, "<c@d>");
	/* A Message-ID is left@right. */
	expect(mc_message_set_id(msg, "nodomain", &err), MC_EDATA, &err);
	expect(mc_message_set_in_reply_to(msg, "a@b c@d", &err), MC_EDATA,
	    &err);
	assert_string_equal(msg->msgid, "<c@d>");
	assert_int_equal(mc_message_set_in_reply_to(msg, "p@q", &err), MC_OK);
	assert_string_equal(msg->irt, "<p@q>");

	/* Message setters on other entities. */
	assert_non_null(t = mc_text_new(NULL));
	expect(mc_message_set_subject(t, "x", &err), MC_EUSAGE, &err);
	expect(mc_message_add_addresses(t, MC_ADDR_TO, "a@b.example", &err),
	    MC_EUSAGE, &err);
	expect(mc_message_set_date(t, "@0", &err), MC_EUSAGE, &err);
	expect(mc_message_set_id(t, "a@b", &err), MC_EUSAGE, &err);
	expect(mc_message_set_in_reply_to(t, "a@b", &err), MC_EUSAGE, &err);
	expect(mc_message_set_references(t, "a@b", &err), MC_EUSAGE, &err);
	expect(mc_message_add_header(t, "X-A: b", &err), MC_EUSAGE, &err);
	mc_entity_free(t);
	mc_entity_free(msg);
}

/* References: ids separated by white space, brackets optional. */
static void
references_normalised(void **state)
{
	struct mc_error err;
	mc_entity *msg;

	assert_non_null(msg = mc_message_new());
	assert_int_equal(mc_message_set_references(msg,
	    "a@b <c@d>\t  e@f  ", &err), MC_OK);
	assert_string_equal(msg->refs, "<a@b> <c@d> <e@f>");
	assert_int_equal(mc_message_set_references(msg, "<x@y>", &err),
	    MC_OK);
	assert_string_equal(msg->refs, "<x@y>");
	expect(mc_message_set_references(msg, "   ", &err), MC_EDATA, &err);
	expect(mc_message_set_references(msg, "", &err), MC_EDATA, &err);
	expect(mc_message_set_references(msg, "a@b nodomain", &err), MC_EDATA,
	    &err);
	assert_string_equal(err.what, "References");
	assert_string_equal(msg->refs, "<x@y>");
	mc_entity_free(msg);
}

/* Fields the library writes go to their setters. */
static void
add_header_routes(void **state)
{
	struct mc_error err;
	mc_entity *msg;

	assert_non_null(msg = mc_message_new());
	assert_int_equal(mc_message_add_header(msg, "From: Ann <a@x.example>",
	    &err), MC_OK);
	assert_int_equal(mc_message_add_header(msg, "to:b@x.example, "
	    "c@x.example", &err), MC_OK);
	assert_int_equal(mc_message_add_header(msg, "CC: d@x.example", &err),
	    MC_OK);
	assert_int_equal(mc_message_add_header(msg, "Bcc: e@x.example", &err),
	    MC_OK);
	assert_int_equal(mc_message_add_header(msg, "Reply-To: f@x.example",
	    &err), MC_OK);
	assert_int_equal(msg->addrs[MC_ADDR_FROM].n, 1);
	assert_string_equal(msg->addrs[MC_ADDR_FROM].v[0].spec, "a@x.example");
	assert_string_equal(msg->addrs[MC_ADDR_FROM].v[0].name, "Ann");
	assert_int_equal(msg->addrs[MC_ADDR_TO].n, 2);
	assert_int_equal(msg->addrs[MC_ADDR_CC].n, 1);
	assert_int_equal(msg->addrs[MC_ADDR_BCC].n, 1);
	assert_int_equal(msg->addrs[MC_ADDR_REPLY_TO].n, 1);
	assert_int_equal(mc_message_add_header(msg, "subject:   Hi there",
	    &err), MC_OK);
	assert_string_equal(msg->subject, "Hi there");
	assert_int_equal(mc_message_add_header(msg, "Date: @86400", &err),
	    MC_OK);
	assert_string_equal(msg->date, "@86400");
	assert_int_equal(mc_message_add_header(msg, "Message-Id: m@x", &err),
	    MC_OK);
	assert_string_equal(msg->msgid, "<m@x>");
	assert_int_equal(mc_message_add_header(msg, "In-Reply-To: <i@x>",
	    &err), MC_OK);
	assert_string_equal(msg->irt, "<i@x>");
	assert_int_equal(mc_message_add_header(msg, "References: r@x s@x",
	    &err), MC_OK);
	assert_string_equal(msg->refs, "<r@x> <s@x>");
	/* Routed fields are checked by their setters. */
	expect(mc_message_add_header(msg, "To: nobody", &err), MC_EDATA, &err);
	expect(mc_message_add_header(msg, "Date: soon", &err), MC_EDATA, &err);
	expect(mc_message_add_header(msg, "Message-ID: x", &err), MC_EDATA,
	    &err);
	assert_int_equal(msg->nextra, 0);
	assert_int_equal(msg->extra.len, 0);

	/* MIME fields belong to the entity. */
	expect(mc_message_add_header(msg, "MIME-Version: 1.0", &err),
	    MC_EDATA, &err);
	expect(mc_message_add_header(msg, "Content-Type: text/plain", &err),
	    MC_EDATA, &err);
	expect(mc_message_add_header(msg, "content-transfer-encoding: 8bit",
	    &err), MC_EDATA, &err);
	expect(mc_message_add_header(msg, "Content-ID: <a@b>", &err),
	    MC_EDATA, &err);
	assert_int_equal(msg->nextra, 0);

	/* Other fields, folded and encoded. */
	assert_int_equal(mc_message_add_header(msg, "X-Mailer:  mc 1", &err),
	    MC_OK);
	assert_int_equal(mc_message_add_header(msg, "Keywords: caf\xc3\xa9",
	    &err), MC_OK);
	assert_int_equal(msg->nextra, 2);
	assert_memory_equal(msg->extra.p, "X-Mailer: mc 1\nKeywords: ", 25);
	assert_null(strchr(msg->extra.p, '\xc3'));
	assert_non_null(strstr(msg->extra.p, "=?utf-8?"));
	assert_int_equal(msg->extra.p[msg->extra.len - 1], '\n');
	assert_int_equal(msg->sender, 0);
	assert_int_equal(mc_message_add_header(msg, "sender: s@x.example",
	    &err), MC_OK);
	assert_int_equal(msg->sender, 1);
	mc_entity_free(msg);
}

static void
add_header_refusals(void **state)
{
	static const char *const bad[] = {
		"NoColon", ": value", " X-Lead: v", "X Space: v", "X\tTab: v",
		"X-\xc3\xa9: v", "X-Ctl\x01: v", "X-A: a\nb", "X-A: a\rb",
		"X-A: \x01", "X-A: \xff",
		"X-Very-Long-Field-Name-That-Goes-On-And-On-Past-Seventy-Six-"
		    "Characters-Of-Name: v",
	};
	struct mc_error err;
	mc_entity *msg;
	size_t i;

	assert_non_null(msg = mc_message_new());
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect(mc_message_add_header(msg, bad[i], &err), MC_EDATA,
		    &err);
	expect(mc_message_add_header(msg, NULL, &err), MC_EDATA, &err);
	assert_int_equal(msg->nextra, 0);
	assert_int_equal(msg->extra.len, 0);
	assert_int_equal(msg->sender, 0);
	/* MC_FIELDS_MAX further fields. */
	for (i = 0; i < MC_FIELDS_MAX; i++)
		assert_int_equal(mc_message_add_header(msg, "X-N: v", &err),
		    MC_OK);
	expect(mc_message_add_header(msg, "X-N: v", &err), MC_EDATA, &err);
	assert_int_equal(msg->nextra, MC_FIELDS_MAX);
	mc_entity_free(msg);
}

/* RFC 5322 3.6: a field a message has once is refused the second time
 * it is added by name, whether it was set before by name or by its
 * setter; address fields add up; the setters themselves replace. */
static void
add_field_once(void **state)
{
	static const struct {
		const char *name, *v1, *v2, *slot1;
	} once[] = {
		{ "Subject", "one", "two", "one" },
		{ "date", "@0", "@1", "@0" },
		{ "Message-ID", "a@x", "b@x", "<a@x>" },
		{ "In-Reply-To", "a@x", "b@x", "<a@x>" },
		{ "References", "a@x", "b@x", "<a@x>" },
	};
	struct mc_error err;
	mc_entity *msg;
	char **slots[5], f[64];
	size_t i;

	assert_non_null(msg = mc_message_new());
	slots[0] = &msg->subject;
	slots[1] = &msg->date;
	slots[2] = &msg->msgid;
	slots[3] = &msg->irt;
	slots[4] = &msg->refs;
	for (i = 0; i < 5; i++) {
		assert_int_equal(mc_message_add_field(msg, once[i].name,
		    once[i].v1, &err), MC_OK);
		expect(mc_message_add_field(msg, once[i].name, once[i].v2,
		    &err), MC_EDATA, &err);
		assert_non_null(strstr(err.detail, "a second"));
		snprintf(f, sizeof(f), "%s: %s", once[i].name, once[i].v2);
		expect(mc_message_add_header(msg, f, &err), MC_EDATA, &err);
		assert_string_equal(*slots[i], once[i].slot1);
	}
	assert_int_equal(mc_message_set_subject(msg, "three", &err), MC_OK);
	assert_string_equal(msg->subject, "three");
	mc_entity_free(msg);

	/* Set first by the setter (mime-message -s), then by name (-H). */
	assert_non_null(msg = mc_message_new());
	assert_int_equal(mc_message_set_subject(msg, "one", &err), MC_OK);
	expect(mc_message_add_header(msg, "Subject: two", &err), MC_EDATA,
	    &err);
	assert_string_equal(msg->subject, "one");
	assert_int_equal(mc_message_add_field(msg, "To", "a@x.example", &err),
	    MC_OK);
	assert_int_equal(mc_message_add_field(msg, "to", "b@x.example", &err),
	    MC_OK);
	assert_int_equal(msg->addrs[MC_ADDR_TO].n, 2);
	expect(mc_message_add_field(msg, "X Y", "v", &err), MC_EDATA, &err);
	expect(mc_message_add_field(msg, NULL, "v", &err), MC_EDATA, &err);
	expect(mc_message_add_field(msg, "Content-Type", "text/plain", &err),
	    MC_EDATA, &err);
	assert_int_equal(msg->nextra, 0);
	mc_entity_free(msg);
}

/* MC_ADDRS_MAX recipients in one message (To, Cc and Bcc together; not
 * From or Reply-To, nor group names); a refused list leaves the message
 * as it was, and the error names the field that overflowed. */
static void
address_budget(void **state)
{
	struct mc_error err;
	struct mc_buf list;
	mc_entity *msg;
	size_t i, total, reply_to, cc;

	mc_buf_init(&list);
	for (i = 0; i < 400; i++)
		mc_buf_printf(&list, "%su%zu@example.org", i ? ", " : "", i);
	assert_non_null(msg = mc_message_new());
	assert_int_equal(mc_message_add_addresses(msg, MC_ADDR_TO, list.p, &err),
	    MC_OK);
	assert_int_equal(mc_message_add_addresses(msg, MC_ADDR_CC, list.p, &err),
	    MC_OK);
	for (i = 0; i < 199; i++)
		assert_int_equal(mc_message_add_addresses(msg, MC_ADDR_BCC,
		    "b@example.org", &err), MC_OK);
	assert_int_equal(mc_message_add_header(msg, "From: f@example.org",
	    &err), MC_OK);
	assert_int_equal(mc_message_add_addresses(msg, MC_ADDR_REPLY_TO,
	    "r@example.org", &err), MC_OK);
	assert_int_equal(mc_message_add_addresses(msg, MC_ADDR_BCC,
	    "group:;, b@example.org", &err), MC_OK);
	/* 1000 recipients now. */
	expect(mc_message_add_header(msg, "Cc: c@example.org, d@example.org",
	    &err), MC_EDATA, &err);
	assert_string_equal(err.what, "Cc");
	assert_non_null(strstr(err.detail, "more than 1000 recipients"));
	/* RFC 5322 3.6.2: authors are mailboxes, not groups. */
	expect(mc_message_add_addresses(msg, MC_ADDR_FROM, "a@b, g: c@d;", &err),
	    MC_EDATA, &err);
	assert_string_equal(err.what, "From");
	total = msg->addrs[MC_ADDR_TO].n + msg->addrs[MC_ADDR_CC].n +
	    msg->addrs[MC_ADDR_BCC].n - 1;
	reply_to = msg->addrs[MC_ADDR_REPLY_TO].n + msg->addrs[MC_ADDR_FROM].n;
	cc = msg->addrs[MC_ADDR_CC].n;
	mc_entity_free(msg);
	mc_buf_free(&list);
	assert_int_equal(total, MC_ADDRS_MAX);
	assert_int_equal(reply_to, 2);
	assert_int_equal(cc, 400);
}

static mc_entity *
leaf(void)
{
	struct mc_error err;
	mc_entity *t;

	assert_non_null(t = mc_text_new(NULL));
	assert_int_equal(mc_entity_set_body_mem(t, "x\n", 2, &err), MC_OK);
	return t;
}

/* A chain of n multiparts around a leaf. */
static mc_entity *
chain(int n, struct mc_error *err, enum mc_err *rc)
{
	mc_entity *e = leaf(), *mp;
	int i;

	*rc = MC_OK;
	for (i = 0; i < n; i++) {
		assert_non_null(mp = mc_multipart_new(NULL));
		if ((*rc = mc_multipart_add(mp, e, err)) != MC_OK)
			return mp;	/* e was taken and freed */
		e = mp;
	}
	return e;
}

static void
multipart_add(void **state)
{
	struct mc_error err;
	mc_entity *mp, *t, *msg, *other;
	size_t i;

	assert_non_null(mp = mc_multipart_new(NULL));
	for (i = 0; i < 20; i++)
		assert_int_equal(mc_multipart_add(mp, leaf(), &err), MC_OK);
	assert_int_equal(mp->nkids, 20);
	/* Taken, also on failure: these are freed (ASan's leak check). */
	assert_non_null(msg = mc_message_new());
	expect(mc_multipart_add(mp, msg, &err), MC_EUSAGE, &err);
	expect(mc_multipart_add(mp, NULL, &err), MC_EUSAGE, &err);
	assert_non_null(t = mc_text_new(NULL));
	expect(mc_multipart_add(t, leaf(), &err), MC_EUSAGE, &err);
	expect(mc_multipart_add(NULL, leaf(), &err), MC_EUSAGE, &err);
	assert_non_null(other = mc_multipart_new(NULL));
	expect(mc_multipart_add(t, other, &err), MC_EUSAGE, &err);
	assert_int_equal(mp->nkids, 20);
	mc_entity_free(t);
	mc_entity_free(mp);
}

/* MC_MAX_DEPTH: containers nest at most this deep. */
static void
nesting_depth(void **state)
{
	struct mc_error err;
	enum mc_err rc;
	mc_entity *e, *msg;

	/* A leaf in MC_MAX_DEPTH - 1 multiparts: MC_MAX_DEPTH levels. */
	e = chain(MC_MAX_DEPTH - 1, &err, &rc);
	assert_int_equal(rc, MC_OK);
	mc_entity_free(e);
	/* One more, refused, and the child freed. */
	e = chain(MC_MAX_DEPTH, &err, &rc);
	expect(rc, MC_EDATA, &err);
	assert_int_equal(e->nkids, 0);
	mc_entity_free(e);
	e = chain(MC_MAX_DEPTH + 5, &err, &rc);
	expect(rc, MC_EDATA, &err);
	mc_entity_free(e);

	/* A message around a multipart counts as a level too. */
	assert_non_null(msg = mc_message_new());
	e = chain(MC_MAX_DEPTH - 1, &err, &rc);
	assert_int_equal(rc, MC_OK);
	expect(mc_message_set_body(msg, e, &err), MC_EDATA, &err);
	assert_null(msg->body);
	e = chain(MC_MAX_DEPTH - 2, &err, &rc);
	assert_int_equal(mc_message_set_body(msg, e, &err), MC_OK);
	mc_entity_free(msg);
}

static void
message_body(void **state)
{
	struct mc_error err;
	mc_entity *msg, *inner, *t;

	assert_non_null(msg = mc_message_new());
	/* Taken, also on failure. */
	assert_non_null(inner = mc_message_new());
	expect(mc_message_set_body(msg, inner, &err), MC_EUSAGE, &err);
	expect(mc_message_set_body(msg, NULL, &err), MC_EUSAGE, &err);
	assert_non_null(t = mc_text_new(NULL));
	expect(mc_message_set_body(t, leaf(), &err), MC_EUSAGE, &err);
	mc_entity_free(t);
	assert_null(msg->body);
	/* A second body replaces the first, which is freed. */
	assert_int_equal(mc_message_set_body(msg, leaf(), &err), MC_OK);
	assert_int_equal(mc_message_set_body(msg, leaf(), &err), MC_OK);
	assert_non_null(msg->body);
	/* Taken out, it is the caller's; the message has none left. */
	assert_non_null(t = mc_message_take_body(msg));
	assert_null(msg->body);
	assert_null(mc_message_take_body(msg));
	assert_null(mc_message_take_body(t));
	assert_null(mc_message_take_body(NULL));
	mc_entity_free(t);
	mc_entity_free(msg);
}

/* Runs f in a child process: 0 when it exits 0 (an ASan report or a
 * crash makes it fail). */
static int
survives(void (*f)(void))
{
	pid_t pid;
	int st;

	fflush(NULL);
	assert_true((pid = fork()) != -1);
	if (pid == 0) {
		f();
		exit(0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static void
add_self(void)
{
	struct mc_error err;
	mc_entity *mp = mc_multipart_new(NULL);

	if (mc_multipart_add(mp, mp, &err) != MC_EUSAGE)
		exit(2);
	/* The container is still the caller's. */
	if (mc_multipart_add(mp, leaf(), &err) != MC_OK || mp->nkids != 1)
		exit(3);
	mc_entity_free(mp);
}

static void
body_self(void)
{
	struct mc_error err;
	mc_entity *msg = mc_message_new();

	if (mc_message_set_body(msg, msg, &err) != MC_EUSAGE)
		exit(2);
	if (mc_message_set_subject(msg, "still here", &err) != MC_OK)
		exit(3);
	mc_entity_free(msg);
}

/* A container given as its own child is refused, not freed: the caller
 * still holds it as the container. */
static void
self_as_child(void **state)
{
	assert_int_equal(survives(add_self), 0);
	assert_int_equal(survives(body_self), 0);
}

/* Freeing a container frees its children; err may be NULL. */
static void
free_tree_and_null_err(void **state)
{
	mc_entity *msg, *mp, *alt;

	assert_non_null(msg = mc_message_new());
	assert_non_null(mp = mc_multipart_new(NULL));
	assert_non_null(alt = mc_multipart_new("alternative"));
	assert_int_equal(mc_multipart_add(alt, leaf(), NULL), MC_OK);
	assert_int_equal(mc_multipart_add(alt, leaf(), NULL), MC_OK);
	assert_int_equal(mc_multipart_add(mp, alt, NULL), MC_OK);
	assert_int_equal(mc_multipart_add(mp, leaf(), NULL), MC_OK);
	assert_int_equal(mc_message_add_addresses(msg, MC_ADDR_FROM, "a@b.example",
	    NULL), MC_OK);
	assert_int_equal(mc_message_add_header(msg, "X-A: b", NULL), MC_OK);
	assert_int_equal(mc_message_set_subject(msg, "a\nb", NULL), MC_EDATA);
	assert_int_equal(mc_multipart_add(mp, NULL, NULL), MC_EUSAGE);
	assert_int_equal(mc_message_set_body(msg, mp, NULL), MC_OK);
	mc_entity_free(msg);
}

/* A value of up to MC_PARAM_MAX octets, not more. */
static void
value_lengths(void **state)
{
	struct mc_error err;
	char *v;
	mc_entity *msg;

	assert_non_null(v = malloc(MC_PARAM_MAX + 2));
	memset(v, 'a', MC_PARAM_MAX + 1);
	v[MC_PARAM_MAX + 1] = '\0';
	assert_non_null(msg = mc_message_new());
	expect(mc_message_set_subject(msg, v, &err), MC_EDATA, &err);
	v[MC_PARAM_MAX] = '\0';
	assert_int_equal(mc_message_set_subject(msg, v, &err), MC_OK);
	mc_entity_free(msg);
	free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(constructors),
		cmocka_unit_test(strings_copied),
		cmocka_unit_test(body_setters),
		cmocka_unit_test(leaf_setters),
		cmocka_unit_test(ids_get_brackets),
		cmocka_unit_test(message_setters),
		cmocka_unit_test(references_normalised),
		cmocka_unit_test(add_header_routes),
		cmocka_unit_test(add_header_refusals),
		cmocka_unit_test(add_field_once),
		cmocka_unit_test(address_budget),
		cmocka_unit_test(multipart_add),
		cmocka_unit_test(nesting_depth),
		cmocka_unit_test(message_body),
		cmocka_unit_test(self_as_child),
		cmocka_unit_test(free_tree_and_null_err),
		cmocka_unit_test(value_lengths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
