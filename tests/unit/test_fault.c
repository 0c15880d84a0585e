/* SPDX-License-Identifier: ISC */
/*
 * Fault injection (issue 7): a sink that fails once N bytes went through,
 * for N across the whole output of a representative message, makes every
 * write end in MC_EIO with the sink's errno: never MC_OK, a crash or a
 * hang; nothing is written after the failure, what was written is the
 * start of the real output, and nothing leaks (ASan checks at exit).
 */
#include "unit.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#define EPOCH	1700000000
#define KIB	1024

static char dir[64];
static char path_html[96], path_pdf[96], path_ent[96];
static unsigned char image[3000];

/* UTF-8 text with lines quoted-printable must encode. */
static const char text[] =
    "Hello Zo\xc3\xab,\n\n"
    "the menu for Friday: onion soup, cr\xc3\xa8me br\xc3\xbbl\xc3\xa9" "e.\n"
    "From here on, a line that mbox would mangle,\n"
    ".\n"
    "and a lone dot above it.  Trailing space here \n"
    "A long line: Lorem ipsum dolor sit amet, consectetur adipiscing "
    "elit, sed do eiusmod tempor incididunt ut labore et dolore magna.\n";

static const char csv[] = "name,price\nsoup,4.50\ncr\xc3\xa8me,3.00\n";

static void
put(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static int
setup(void **state)
{
	struct mc_buf b;
	unsigned char *pdf;
	size_t i, n = 200 * KIB;
	const char *t = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "%s/mc-fault.XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path_html, sizeof(path_html), "%s/menu.html", dir);
	snprintf(path_pdf, sizeof(path_pdf), "%s/menu.pdf", dir);
	snprintf(path_ent, sizeof(path_ent), "%s/part.ent", dir);
	mc_buf_init(&b);
	for (i = 0; i < 60; i++)
		mc_buf_printf(&b, "<p>Line %zu of the menu, "
		    "<img src=\"cid:logo\"> cr\xc3\xa8me br\xc3\xbbl\xc3\xa9"
		    "e</p>\n", i);
	put(path_html, b.p, b.len);
	mc_buf_free(&b);
	if ((pdf = malloc(n)) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		pdf[i] = (unsigned char)(i * 131 + (i >> 9));
	put(path_pdf, pdf, n);
	free(pdf);
	put(path_ent, "Content-Type: text/plain; charset=us-ascii\r\n"
	    "Content-Disposition: inline\r\n\r\nA part made elsewhere.\r\n"
	    "--=_Q its lines are scanned\r\n", 110);
	for (i = 0; i < sizeof(image); i++)
		image[i] = (unsigned char)(i * 7 + 3);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(path_html);
	unlink(path_pdf);
	unlink(path_ent);
	rmdir(dir);
	return 0;
}

static mc_entity *
leaf(mc_entity *e, const void *mem, size_t n, const char *path)
{
	struct mc_error err;

	assert_non_null(e);
	if (path != NULL)
		assert_int_equal(mc_entity_set_body_path(e, path, &err), MC_OK);
	else
		assert_int_equal(mc_entity_set_body_mem(e, mem, n, &err),
		    MC_OK);
	return e;
}

static void
add(mc_entity *mp, mc_entity *child)
{
	struct mc_error err;

	assert_int_equal(mc_multipart_add(mp, child, &err), MC_OK);
}

/*
 * The message: mixed(alternative(text, related(html, image)), pdf, csv,
 * a read entity), from memory (text, image, csv) and files (html, pdf,
 * the entity).  small: the text alone in a message.  *fd: the read
 * entity's descriptor, closed by the caller after the free.
 */
static mc_entity *
build(int small, int *fd)
{
	struct mc_error err;
	mc_entity *msg, *mixed, *alt, *rel, *e, *body;

	msg = mc_message_new();
	assert_non_null(msg);
	assert_int_equal(mc_message_add_addresses(msg, MC_ADDR_FROM,
	    "Zo\xc3\xab \xc3\x9c <zoe@example.org>", &err), MC_OK);
	assert_int_equal(mc_message_add_addresses(msg, MC_ADDR_TO,
	    "bob@example.net, \"Doe, Carol\" <carol@example.com>", &err),
	    MC_OK);
	assert_int_equal(mc_message_add_addresses(msg, MC_ADDR_CC,
	    "dave@example.org", &err), MC_OK);
	assert_int_equal(mc_message_set_subject(msg, "Friday menu: "
	    "cr\xc3\xa8me br\xc3\xbbl\xc3\xa9" "e and more words to fold "
	    "the subject line past seventy-eight columns", &err), MC_OK);
	assert_int_equal(mc_message_add_header(msg, "X-Mailer: fault test",
	    &err), MC_OK);
	*fd = -1;
	if (small) {
		body = leaf(mc_text_new(NULL), text, sizeof(text) - 1, NULL);
		assert_int_equal(mc_message_set_body(msg, body, &err), MC_OK);
		return msg;
	}
	rel = mc_multipart_new("related");
	add(rel, leaf(mc_text_new("html"), NULL, 0, path_html));
	e = leaf(mc_attachment_new("image/png"), image, sizeof(image), NULL);
	assert_int_equal(mc_entity_set_id(e, "logo", &err), MC_OK);
	assert_int_equal(mc_entity_set_disposition(e, MC_DISP_INLINE,
	    "logo.png", &err), MC_OK);
	add(rel, e);
	alt = mc_multipart_new("alternative");
	add(alt, leaf(mc_text_new(NULL), text, sizeof(text) - 1, NULL));
	add(alt, rel);
	mixed = mc_multipart_new(NULL);
	add(mixed, alt);
	e = leaf(mc_attachment_new("application/pdf"), NULL, 0, path_pdf);
	assert_int_equal(mc_entity_set_disposition(e, MC_DISP_ATTACHMENT,
	    "Menu (vendredi) \xc3\xa0 emporter.pdf", &err), MC_OK);
	add(mixed, e);
	e = leaf(mc_attachment_new("text/csv"), csv, sizeof(csv) - 1, NULL);
	assert_int_equal(mc_entity_set_disposition(e, MC_DISP_ATTACHMENT,
	    "prices.csv", &err), MC_OK);
	assert_int_equal(mc_entity_set_description(e, "Prix \xe2\x80\x94 "
	    "vendredi", &err), MC_OK);
	add(mixed, e);
	*fd = open(path_ent, O_RDONLY);
	assert_true(*fd >= 0);
	assert_int_equal(mc_entity_read_fd(&e, *fd, "part.ent", &err), MC_OK);
	add(mixed, e);
	assert_int_equal(mc_message_set_body(msg, mixed, &err), MC_OK);
	return msg;
}

/* A sink that takes limit bytes, then fails with errno code. */
struct fsink {
	size_t limit, len;
	int code;
	int failures;		/* calls that failed */
	int after;		/* calls after the first failure */
	int differs;		/* the bytes are not the reference's */
	const struct mc_buf *ref;
};

static int
fsink_write(void *arg, const void *p, size_t n)
{
	struct fsink *s = arg;

	if (s->failures > 0)
		s->after++;
	if (s->len + n > s->limit) {
		s->failures++;
		return s->code;
	}
	if (s->ref != NULL && (s->len + n > s->ref->len ||
	    memcmp(s->ref->p + s->len, p, n) != 0))
		s->differs = 1;
	s->len += n;
	return 0;
}

/* Writes a fresh message into s; the status. */
static enum mc_err
write_once(int small, unsigned flags, struct fsink *s, struct mc_error *err)
{
	struct mc_epoch_state st;
	struct mc_source src;
	struct mc_write_opts opts;
	mc_entity *msg;
	enum mc_err rc;
	int fd;

	msg = build(small, &fd);
	mc_source_epoch(&src, &st, EPOCH);
	memset(&opts, 0, sizeof(opts));
	opts.flags = flags;
	opts.source = &src;
	opts.tmpdir = dir;
	memset(err, 0, sizeof(*err));
	rc = mc_write(msg, fsink_write, s, &opts, err);
	mc_entity_free(msg);
	if (fd != -1)
		close(fd);
	return rc;
}

/* The whole output, written normally. */
static void
reference(int small, unsigned flags, struct mc_buf *out)
{
	struct mc_epoch_state st;
	struct mc_source src;
	struct mc_write_opts opts;
	struct mc_error err;
	struct memsink m;
	mc_entity *msg;
	int fd;

	msg = build(small, &fd);
	mc_source_epoch(&src, &st, EPOCH);
	memset(&opts, 0, sizeof(opts));
	opts.flags = flags;
	opts.source = &src;
	opts.tmpdir = dir;
	memset(&m, 0, sizeof(m));
	mc_buf_init(&m.b);
	assert_int_equal(mc_write(msg, memsink_write, &m, &opts, &err), MC_OK);
	mc_entity_free(msg);
	if (fd != -1)
		close(fd);
	*out = m.b;
}

static size_t runs;

/* One failing write at limit. */
static void
fail_at(int small, unsigned flags, const struct mc_buf *ref, size_t limit)
{
	struct mc_error err;
	struct fsink s;
	enum mc_err rc;

	memset(&s, 0, sizeof(s));
	s.limit = limit;
	s.code = limit % 2 ? EPIPE : ENOSPC;
	s.ref = ref;
	rc = write_once(small, flags, &s, &err);
	runs++;
	if (rc != MC_EIO || err.code != MC_EIO || err.sys != s.code ||
	    s.failures != 1 || s.after != 0 || s.differs || s.len > limit)
		fail_msg("a sink failing after %zu of %zu bytes: status %d "
		    "(%s: %s), errno %d, %d failed calls, %d after, %s", limit,
		    ref->len, rc, err.what, mc_error_reason(&err), err.sys,
		    s.failures, s.after, s.differs ? "other bytes" :
		    "the right bytes");
}

/* Every byte of the first 70 KiB (every byte of a small output), a
 * stride beyond, the 64 KiB buffer boundaries and the last bytes.  step:
 * 1, or a prime to sample the first 70 KiB (the CRLF run of the large
 * message, whose LF run covers every byte). */
static void
sweep(int small, unsigned flags, size_t step)
{
	struct mc_buf ref;
	struct fsink s;
	struct mc_error err;
	size_t n, stride, k;

	reference(small, flags, &ref);
	/* A sink that never fails gets the same bytes, and MC_OK. */
	memset(&s, 0, sizeof(s));
	s.limit = ref.len;
	s.ref = &ref;
	assert_int_equal(write_once(small, flags, &s, &err), MC_OK);
	assert_int_equal(s.len, ref.len);
	assert_false(s.differs);
	if (!small)
		assert_true(ref.len > MC_OUT_BUF);	/* a flush inside */

	stride = ref.len / 2000 + 1;
	for (n = 0; n < ref.len; n += n < 70 * KIB ? step : stride)
		fail_at(small, flags, &ref, n);
	for (k = MC_OUT_BUF; k < ref.len + 1; k += MC_OUT_BUF) {
		fail_at(small, flags, &ref, k - 1);
		fail_at(small, flags, &ref, k);
		if (k + 1 < ref.len)
			fail_at(small, flags, &ref, k + 1);
	}
	for (n = ref.len > 100 ? ref.len - 100 : 0; n < ref.len; n++)
		fail_at(small, flags, &ref, n);
	mc_buf_free(&ref);
}

static void
test_small(void **state)
{
	(void)state;
	sweep(1, 0, 1);
}

static void
test_small_crlf(void **state)
{
	(void)state;
	sweep(1, MC_CRLF, 1);
}

static void
test_large(void **state)
{
	(void)state;
	sweep(0, 0, 1);
}

static void
test_large_crlf(void **state)
{
	(void)state;
	sweep(0, MC_CRLF, 31);
}

/* The same through mc_write_fd, to a pipe whose reader has gone: EPIPE
 * (SIGPIPE ignored, as the tools do). */
static void
test_closed_pipe(void **state)
{
	struct mc_error err;
	struct mc_epoch_state st;
	struct mc_source src;
	struct mc_write_opts opts;
	mc_entity *msg;
	int p[2], fd;
	void (*old)(int);

	(void)state;
	old = signal(SIGPIPE, SIG_IGN);
	assert_int_equal(pipe(p), 0);
	close(p[0]);
	msg = build(0, &fd);
	mc_source_epoch(&src, &st, EPOCH);
	memset(&opts, 0, sizeof(opts));
	opts.source = &src;
	assert_int_equal(mc_write_fd(msg, p[1], &opts, &err), MC_EIO);
	assert_int_equal(err.sys, EPIPE);
	mc_entity_free(msg);
	close(fd);
	close(p[1]);
	signal(SIGPIPE, old);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small),
		cmocka_unit_test(test_small_crlf),
		cmocka_unit_test(test_large),
		cmocka_unit_test(test_large_crlf),
		cmocka_unit_test(test_closed_pipe),
	};
	int rc = cmocka_run_group_tests(tests, setup, teardown);

	fprintf(stderr, "fault: %zu failing writes, all MC_EIO\n", runs);
	return rc;
}
