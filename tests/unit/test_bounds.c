/* SPDX-License-Identifier: ISC */
/*
 * Every bound on what hostile input controls (issue 7), at the library:
 * the bound met is taken, the bound passed by one is MC_EDATA with a
 * detail that names it.  tests/e2e/hostile.sh does the same through the
 * tools where they can reach a bound.
 */
#include "unit.h"

#include <stdio.h>
#include <unistd.h>

/* A string of n copies of c, valid until four more calls. */
static char *
rep(char c, size_t n)
{
	static char *ring[4];
	static int next;
	char *s;

	free(ring[next]);
	s = ring[next] = malloc(n + 1);
	next = (next + 1) % 4;
	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static int
teardown(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < 4; i++)
		free(rep('x', 0));
	return 0;
}

/* err is MC_EDATA with a detail that contains want. */
static void
refused(enum mc_err rc, const struct mc_error *err, const char *want)
{
	if (rc != MC_EDATA || err->code != MC_EDATA ||
	    strstr(err->detail, want) == NULL)
		fail_msg("status %d, detail \"%s\": not MC_EDATA with \"%s\"",
		    rc, err->detail, want);
}

/* A regular file holding p[0..n), at its start. */
static int
file_of(const void *p, size_t n)
{
	FILE *f = tmpfile();
	int fd;

	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	fflush(f);
	fd = dup(fileno(f));
	fclose(f);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

/* MC_MAX_DEPTH: containers nest 32 deep, counting the leaf. */
static void
test_depth(void **state)
{
	struct mc_error err;
	struct memsink m;
	mc_entity *e, *mp, *msg, *top;
	int d;

	(void)state;
	e = mc_text_new(NULL);
	assert_int_equal(mc_entity_set_body_mem(e, "x\n", 2, &err), MC_OK);
	for (d = 1; d < MC_MAX_DEPTH; d++) {
		mp = mc_multipart_new(NULL);
		assert_int_equal(mc_multipart_add(mp, e, &err), MC_OK);
		e = mp;
	}
	/* A tree of 32 levels writes; a 33rd is refused. */
	mp = mc_multipart_new(NULL);
	refused(mc_multipart_add(mp, e, &err), &err, "nested more than 32");
	mc_entity_free(mp);

	e = mc_text_new(NULL);
	assert_int_equal(mc_entity_set_body_mem(e, "x\n", 2, &err), MC_OK);
	for (d = 1; d < MC_MAX_DEPTH - 1; d++) {
		mp = mc_multipart_new(NULL);
		assert_int_equal(mc_multipart_add(mp, e, &err), MC_OK);
		e = mp;
	}
	msg = mc_message_new();
	assert_int_equal(mc_message_add_addresses(msg, MC_ADDR_FROM, "a@b.c", &err),
	    MC_OK);
	assert_int_equal(mc_message_set_body(msg, e, &err), MC_OK);
	memset(&m, 0, sizeof(m));
	mc_buf_init(&m.b);
	assert_int_equal(mc_write(msg, memsink_write, &m, NULL, &err), MC_OK);
	mc_buf_free(&m.b);
	mc_entity_free(msg);
	/* The message counts as a level: 32 below it are too many. */
	e = mc_text_new(NULL);
	assert_int_equal(mc_entity_set_body_mem(e, "x\n", 2, &err), MC_OK);
	for (d = 1; d < MC_MAX_DEPTH; d++) {
		mp = mc_multipart_new(NULL);
		assert_int_equal(mc_multipart_add(mp, e, &err), MC_OK);
		e = mp;
	}
	msg = mc_message_new();
	refused(mc_message_set_body(msg, e, &err), &err, "nested more than 32");
	mc_entity_free(msg);

	/* Built from the top down, adding cannot see the depth: a tree of
	 * 33 levels is refused when written, before a byte goes out. */
	top = mc_multipart_new(NULL);
	mp = mc_multipart_new(NULL);
	assert_int_equal(mc_multipart_add(top, mp, &err), MC_OK);
	e = mc_text_new(NULL);
	assert_int_equal(mc_entity_set_body_mem(e, "x\n", 2, &err), MC_OK);
	for (d = 1; d < MC_MAX_DEPTH - 1; d++) {
		mc_entity *up = mc_multipart_new(NULL);
		assert_int_equal(mc_multipart_add(up, e, &err), MC_OK);
		e = up;
	}
	assert_int_equal(mc_multipart_add(mp, e, &err), MC_OK);
	memset(&m, 0, sizeof(m));
	mc_buf_init(&m.b);
	refused(mc_write(top, memsink_write, &m, NULL, &err), &err,
	    "nested more than 32");
	assert_int_equal(m.b.len, 0);
	mc_buf_free(&m.b);
	mc_entity_free(top);
}

/* MC_ADDRS_MAX: addresses in one list, and in one message. */
static void
test_addresses(void **state)
{
	struct mc_error err;
	struct mc_buf b;
	mc_entity *msg;
	size_t i;

	(void)state;
	mc_buf_init(&b);
	for (i = 0; i < MC_ADDRS_MAX; i++)
		mc_buf_printf(&b, "%su%zu@example.org", i ? ", " : "", i);
	msg = mc_message_new();
	assert_int_equal(mc_message_add_addresses(msg, MC_ADDR_TO, b.p, &err),
	    MC_OK);
	refused(mc_message_add_addresses(msg, MC_ADDR_CC, "c@example.org", &err),
	    &err, "more than 1000 recipients");
	assert_int_equal(msg->addrs[MC_ADDR_CC].n, 0);
	mc_entity_free(msg);

	mc_buf_printf(&b, ", one@more.org");
	msg = mc_message_new();
	refused(mc_message_add_addresses(msg, MC_ADDR_TO, b.p, &err), &err,
	    "more than 1000 addresses");
	assert_int_equal(msg->addrs[MC_ADDR_TO].n, 0);
	mc_entity_free(msg);

	/* Over several fields: 600 + 401 refuses the second list whole. */
	b.len = 0;
	for (i = 0; i < 600; i++)
		mc_buf_printf(&b, "%su%zu@example.org", i ? ", " : "", i);
	msg = mc_message_new();
	assert_int_equal(mc_message_add_addresses(msg, MC_ADDR_TO, b.p, &err),
	    MC_OK);
	b.len = 0;
	for (i = 0; i < 401; i++)
		mc_buf_printf(&b, "%sc%zu@example.org", i ? ", " : "", i);
	refused(mc_message_add_addresses(msg, MC_ADDR_BCC, b.p, &err), &err,
	    "more than 1000 recipients");
	assert_int_equal(msg->addrs[MC_ADDR_BCC].n, 0);
	mc_entity_free(msg);
	mc_buf_free(&b);
}

/* Addresses themselves: local part 64, domain 255, label 63 (RFC 5321
 * 4.5.3.1), comments nested 16 deep. */
static void
test_address_parts(void **state)
{
	struct mc_addrlist l = { NULL, 0, 0 };
	struct mc_error err;
	char buf[700];

	(void)state;
	snprintf(buf, sizeof(buf), "%s@example.org", rep('l', 64));
	assert_int_equal(mc_addr_parse(&l, buf, &err), MC_OK);
	snprintf(buf, sizeof(buf), "%s@example.org", rep('l', 65));
	refused(mc_addr_parse(&l, buf, &err), &err, "invalid local part");
	snprintf(buf, sizeof(buf), "a@%s.org", rep('d', 63));
	assert_int_equal(mc_addr_parse(&l, buf, &err), MC_OK);
	snprintf(buf, sizeof(buf), "a@%s.org", rep('d', 64));
	refused(mc_addr_parse(&l, buf, &err), &err, "invalid domain");
	/* 63 + 1 + 63 + 1 + 63 + 1 + 59 + 4 = 255 */
	snprintf(buf, sizeof(buf), "a@%s.", rep('d', 63));
	strcat(buf, rep('e', 63));
	strcat(buf, ".");
	strcat(buf, rep('f', 63));
	strcat(buf, ".");
	strcat(buf, rep('g', 59));
	strcat(buf, ".org");
	assert_int_equal(strlen(buf), 2 + 255);
	assert_int_equal(mc_addr_parse(&l, buf, &err), MC_OK);
	strcat(buf, "x");
	refused(mc_addr_parse(&l, buf, &err), &err, "invalid domain");
	snprintf(buf, sizeof(buf), "%sc%s a@b.c", rep('(', 16), rep(')', 16));
	assert_int_equal(mc_addr_parse(&l, buf, &err), MC_OK);
	snprintf(buf, sizeof(buf), "%sc%s a@b.c", rep('(', 17), rep(')', 17));
	refused(mc_addr_parse(&l, buf, &err), &err, "nested too deep");
	mc_addrlist_free(&l);
}

/* MC_PARAM_MAX: one header value or parameter, 4096 octets. */
static void
test_values(void **state)
{
	struct mc_error err;
	mc_entity *msg, *e;
	struct mc_buf f;
	const char *want = "longer than 4096 octets";

	(void)state;
	msg = mc_message_new();
	e = mc_attachment_new(NULL);
	assert_int_equal(mc_message_set_subject(msg, rep('s', 4096), &err),
	    MC_OK);
	refused(mc_message_set_subject(msg, rep('s', 4097), &err), &err, want);
	mc_buf_init(&f);
	mc_buf_printf(&f, "X-A: %s", rep('v', 4096));
	assert_int_equal(mc_message_add_header(msg, f.p, &err), MC_OK);
	mc_buf_addc(&f, 'v');
	refused(mc_message_add_header(msg, f.p, &err), &err, want);
	mc_buf_free(&f);
	assert_int_equal(mc_entity_set_disposition(e, MC_DISP_ATTACHMENT,
	    rep('n', 4096), &err), MC_OK);
	refused(mc_entity_set_disposition(e, MC_DISP_ATTACHMENT,
	    rep('n', 4097), &err), &err, want);
	assert_int_equal(mc_entity_set_description(e, rep('d', 4096), &err),
	    MC_OK);
	refused(mc_entity_set_description(e, rep('d', 4097), &err), &err,
	    want);
	refused(mc_entity_set_charset(e, rep('c', 4097), &err), &err, want);
	mc_entity_free(e);
	mc_entity_free(msg);
}

/* Message-IDs and Content-IDs: 900 octets between the brackets. */
static void
test_ids(void **state)
{
	struct mc_error err;
	mc_entity *msg, *e;
	char id[1000];

	(void)state;
	msg = mc_message_new();
	e = mc_attachment_new(NULL);
	snprintf(id, sizeof(id), "%s@example.org", rep('i', 900 - 12));
	assert_int_equal(mc_message_set_id(msg, id, &err), MC_OK);
	assert_int_equal(mc_message_set_in_reply_to(msg, id, &err), MC_OK);
	assert_int_equal(mc_entity_set_id(e, id, &err), MC_OK);
	snprintf(id, sizeof(id), "%s@example.org", rep('i', 901 - 12));
	refused(mc_message_set_id(msg, id, &err), &err, "too long");
	refused(mc_message_set_in_reply_to(msg, id, &err), &err, "too long");
	refused(mc_message_set_references(msg, id, &err), &err, "too long");
	refused(mc_entity_set_id(e, id, &err), &err, "too long");
	mc_entity_free(e);
	mc_entity_free(msg);
}

/* MC_LIST_MAX: an address list or References, 256 KiB. */
static void
test_lists(void **state)
{
	struct mc_error err;
	mc_entity *msg;
	struct mc_buf b;
	const char *want = "longer than 262144 octets";

	(void)state;
	msg = mc_message_new();
	mc_buf_init(&b);
	/* One address whose comment (its display name) fills the list. */
	mc_buf_adds(&b, "a@b.c (");
	mc_buf_adds(&b, rep('c', MC_LIST_MAX - 8));
	mc_buf_adds(&b, ")");
	assert_int_equal(b.len, MC_LIST_MAX);
	assert_int_equal(mc_message_add_addresses(msg, MC_ADDR_TO, b.p, &err),
	    MC_OK);
	mc_buf_addc(&b, ' ');
	refused(mc_message_add_addresses(msg, MC_ADDR_CC, b.p, &err), &err, want);
	b.len = 0;
	while (b.len + 12 <= MC_LIST_MAX)
		mc_buf_adds(&b, "<a@b.c>     ");
	mc_buf_adds(&b, rep(' ', MC_LIST_MAX - b.len));
	assert_int_equal(b.len, MC_LIST_MAX);
	assert_int_equal(mc_message_set_references(msg, b.p, &err), MC_OK);
	mc_buf_addc(&b, ' ');
	refused(mc_message_set_references(msg, b.p, &err), &err, want);
	mc_buf_free(&b);
	mc_entity_free(msg);
}

/* Header field names: 76 octets, so "Name: " leaves room on a line. */
static void
test_field_names(void **state)
{
	struct mc_error err;
	mc_entity *msg;
	char f[100];

	(void)state;
	msg = mc_message_new();
	snprintf(f, sizeof(f), "%s: v", rep('X', 76));
	assert_int_equal(mc_message_add_header(msg, f, &err), MC_OK);
	snprintf(f, sizeof(f), "%s: v", rep('X', 77));
	refused(mc_message_add_header(msg, f, &err), &err, "Name: value");
	mc_entity_free(msg);
}

/* MC_FIELDS_MAX: fields added to a message. */
static void
test_message_fields(void **state)
{
	struct mc_error err;
	mc_entity *msg;
	int i;

	(void)state;
	msg = mc_message_new();
	for (i = 0; i < MC_FIELDS_MAX; i++)
		assert_int_equal(mc_message_add_header(msg, "X-A: b", &err),
		    MC_OK);
	refused(mc_message_add_header(msg, "X-A: b", &err), &err,
	    "more than 1000 header fields");
	mc_entity_free(msg);
}

/* Reads an entity from a file holding p; the status. */
static enum mc_err
read_entity(const struct mc_buf *p, struct mc_error *err)
{
	mc_entity *e;
	enum mc_err rc;
	int fd = file_of(p->p, p->len);

	rc = mc_entity_read_fd(&e, fd, "test.ent", err);
	mc_entity_free(e);
	close(fd);
	return rc;
}

/* Read entities: lines of 998 octets, 1000 fields, 256 KiB of header. */
static void
test_read_entity(void **state)
{
	struct mc_error err;
	struct mc_buf b;
	size_t i;

	(void)state;
	mc_buf_init(&b);
	mc_buf_printf(&b, "Content-Type: text/plain\nX-L: %s\n\nbody\n",
	    rep('a', MC_LINE_MAX - 5));
	assert_int_equal(read_entity(&b, &err), MC_OK);
	b.len = 0;
	mc_buf_printf(&b, "Content-Type: text/plain\nX-L: %s\n\nbody\n",
	    rep('a', MC_LINE_MAX - 4));
	refused(read_entity(&b, &err), &err, "longer than 998 octets");

	b.len = 0;
	mc_buf_adds(&b, "Content-Type: text/plain\n");
	for (i = 1; i < MC_FIELDS_MAX; i++)
		mc_buf_adds(&b, "X-A: b\n");
	mc_buf_adds(&b, "\nbody\n");
	assert_int_equal(read_entity(&b, &err), MC_OK);
	b.len = 0;
	mc_buf_adds(&b, "Content-Type: text/plain\n");
	for (i = 0; i < MC_FIELDS_MAX; i++)
		mc_buf_adds(&b, "X-A: b\n");
	mc_buf_adds(&b, "\nbody\n");
	refused(read_entity(&b, &err), &err, "more than 1000 header fields");

	/* A header block (its empty line too) of exactly 256 KiB. */
	b.len = 0;
	mc_buf_adds(&b, "Content-Type: text/plain\n");
	while (b.len + 1000 < MC_HEADER_MAX)
		mc_buf_printf(&b, "X-A: %s\n", rep('a', 900 - 6));
	mc_buf_printf(&b, "X-A: %s\n\n", rep('a', MC_HEADER_MAX - b.len - 7));
	assert_int_equal(b.len, MC_HEADER_MAX);
	mc_buf_adds(&b, "body\n");
	assert_int_equal(read_entity(&b, &err), MC_OK);
	b.len = MC_HEADER_MAX - 2;
	mc_buf_adds(&b, "a\n\nbody\n");
	refused(read_entity(&b, &err), &err, "256 KiB");
	mc_buf_free(&b);
}

/* RFC 2046 5.1.1: boundaries of 70 characters at most.  Parts that hold a
 * delimiter-like line for every boundary the library can make of that
 * length leave none: a data error, not a longer boundary. */
static void
test_boundary(void **state)
{
	static const char markers[] = "QRSTUVWXYZKLMNPJ";
	struct mc_error err;
	struct memsink m;
	struct mc_buf b;
	mc_entity *mp, *e;
	size_t i, j;
	int fd;

	(void)state;
	mc_buf_init(&b);
	mc_buf_adds(&b, "Content-Type: text/plain\n\n");
	for (i = 0; i < 16; i++)
		for (j = 0; j < 16; j++)
			mc_buf_printf(&b, "--=_%c%s\n", markers[i],
			    rep(markers[j], 68));
	fd = file_of(b.p, b.len);
	assert_int_equal(mc_entity_read_fd(&e, fd, "all.ent", &err), MC_OK);
	mp = mc_multipart_new(NULL);
	assert_int_equal(mc_multipart_add(mp, e, &err), MC_OK);
	memset(&m, 0, sizeof(m));
	mc_buf_init(&m.b);
	refused(mc_write(mp, memsink_write, &m, NULL, &err), &err,
	    "no boundary");
	assert_int_equal(m.b.len, 0);	/* nothing written */
	mc_buf_free(&m.b);
	mc_entity_free(mp);
	close(fd);
	mc_buf_free(&b);
}

/* Reads a draft from a file holding p; the status. */
static enum mc_err
read_draft(const struct mc_buf *p, struct mc_error *err)
{
	mc_entity *msg;
	enum mc_err rc;
	int fd = file_of(p->p, p->len);

	rc = mc_draft_read_fd(&msg, fd, "test.draft", err);
	mc_entity_free(msg);
	close(fd);
	return rc;
}

/* Drafts: 1000 fields, 256 KiB of header, 1000 part lines of at most
 * 4352 octets. */
static void
test_draft(void **state)
{
	struct mc_error err;
	struct mc_buf b;
	char part[64];
	size_t i;
	int fd;

	(void)state;
	/* A regular file: a part line holds no descriptor until written. */
	snprintf(part, sizeof(part), "%s/mc-bounds.XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_true((fd = mkstemp(part)) >= 0);
	close(fd);
	mc_buf_init(&b);
	mc_buf_adds(&b, "From: a@b.c\n");
	for (i = 1; i < MC_FIELDS_MAX; i++)
		mc_buf_adds(&b, "X-A: b\n");
	mc_buf_adds(&b, "\nbody\n");
	assert_int_equal(read_draft(&b, &err), MC_OK);
	b.len = 0;
	mc_buf_adds(&b, "From: a@b.c\n");
	for (i = 0; i < MC_FIELDS_MAX; i++)
		mc_buf_adds(&b, "X-A: b\n");
	mc_buf_adds(&b, "\nbody\n");
	refused(read_draft(&b, &err), &err, "more than 1000 header fields");

	b.len = 0;
	mc_buf_adds(&b, "From: a@b.c\n");
	while (b.len < MC_HEADER_MAX)
		mc_buf_printf(&b, "X-A: %s\n", rep('a', 2000));
	mc_buf_adds(&b, "\nbody\n");
	refused(read_draft(&b, &err), &err, "longer than 262144 octets");

	b.len = 0;
	mc_buf_adds(&b, "From: a@b.c\n\ntext\n");
	for (i = 0; i < 1000; i++)
		mc_buf_printf(&b, "#application/octet-stream %s\n", part);
	assert_int_equal(read_draft(&b, &err), MC_OK);
	mc_buf_printf(&b, "#application/octet-stream %s\n", part);
	refused(read_draft(&b, &err), &err, "more than 1000 part lines");
	unlink(part);

	b.len = 0;
	mc_buf_printf(&b, "From: a@b.c\n\n#text/plain %s\n",
	    rep('p', 4352 + 1 - 13));
	refused(read_draft(&b, &err), &err, "longer than 4352 octets");
	mc_buf_free(&b);
}

/* Dates: comments 16 deep, years to 9999 (@SECONDS up to 9999-12-31). */
static void
test_dates(void **state)
{
	struct mc_error err;
	mc_entity *msg;
	char d[200];

	(void)state;
	msg = mc_message_new();
	snprintf(d, sizeof(d), "%sc%s Tue, 1 Jul 2025 10:00:00 +0000",
	    rep('(', 16), rep(')', 16));
	assert_int_equal(mc_message_set_date(msg, d, &err), MC_OK);
	snprintf(d, sizeof(d), "%sc%s Tue, 1 Jul 2025 10:00:00 +0000",
	    rep('(', 17), rep(')', 17));
	refused(mc_message_set_date(msg, d, &err), &err, "not an RFC 5322");
	assert_int_equal(mc_message_set_date(msg, "@253402214400", &err),
	    MC_OK);
	refused(mc_message_set_date(msg, "@253402214401", &err), &err,
	    "not an RFC 5322");
	refused(mc_message_set_date(msg, "@9999999999999999", &err), &err,
	    "not an RFC 5322");
	mc_entity_free(msg);
}

/* SOURCE_DATE_EPOCH: a number of seconds up to 9999-12-31 23:59:59. */
static void
test_epoch(void **state)
{
	struct mc_source src;
	struct mc_epoch_state st;
	struct mc_error err;

	(void)state;
	setenv("SOURCE_DATE_EPOCH", "253402300799", 1);
	assert_int_equal(mc_source_from_env(&src, &st, &err), MC_OK);
	setenv("SOURCE_DATE_EPOCH", "253402300800", 1);
	assert_int_equal(mc_source_from_env(&src, &st, &err), MC_EUSAGE);
	assert_non_null(strstr(err.detail, "not a number"));
	unsetenv("SOURCE_DATE_EPOCH");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_address_parts),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_field_names),
		cmocka_unit_test(test_message_fields),
		cmocka_unit_test(test_read_entity),
		cmocka_unit_test(test_boundary),
		cmocka_unit_test(test_draft),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_epoch),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
