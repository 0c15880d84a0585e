/* SPDX-License-Identifier: ISC */
/*
 * Fuzzes draft.c (mime-compose drafts) and the writer behind it.  A draft
 * is refused with a data error (or a missing part file) and a reason
 * naming the draft, or it is written: a complete message, well formed
 * (fz_check_entity: folded ASCII headers, valid encodings, boundaries in
 * no part), one From, Date, Message-ID and MIME-Version; with CRLF line
 * ends it is the same message.  No descriptor or temporary file is left.
 *
 * Part lines name files in a folder made for the run; drafts that name a
 * path outside it ("/...", "..") are skipped, so that no device or FIFO
 * is ever opened.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "fuzz.h"

static char dir[] = "/tmp/mc-fuzz-draft.XXXXXX";
static char spool[sizeof(dir) + 8];

int LLVMFuzzerInitialize(int *, char ***);
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
put(const char *name, const void *p, size_t n)
{
	FILE *f = fopen(name, "wb");

	if (f == NULL || fwrite(p, 1, n, f) != n || fclose(f) != 0)
		abort();
}

static const char *const files[] = {
	"a.txt", "u.txt", "p.html", "i.png", "d.pdf", "bad.txt", "m.eml", "e",
	"sub/x.txt"
};

static void
cleanup(void)
{
	size_t i;

	if (chdir(dir) == -1)
		return;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		unlink(files[i]);
	rmdir("sub");
	rmdir(spool);
	if (chdir("/") == 0)
		rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const unsigned char png[] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0,
		0xff, 0xfe, '-', '-', '=', '_', 'Q', '\n', 0x80
	};
	unsigned char bin[3000];
	size_t i;

	if (mkdtemp(dir) == NULL || chdir(dir) == -1)
		abort();
	snprintf(spool, sizeof(spool), "%s/spool", dir);
	if (mkdir(spool, 0700) == -1 || mkdir("sub", 0700) == -1)
		abort();
	/* The body text is spooled here; it must be empty after a run. */
	setenv("TMPDIR", spool, 1);
	for (i = 0; i < sizeof(bin); i++)
		bin[i] = (unsigned char)(i * 7 + i / 256);
	put("a.txt", "hello\n", 6);
	put("u.txt", "Gr\xc3\xbc\xc3\x9f" "e\n.\nFrom here\n", 19);
	put("p.html", "<p>hi <img src=\"cid:i.png\"></p>\n", 32);
	put("i.png", png, sizeof(png));
	put("d.pdf", bin, sizeof(bin));
	put("bad.txt", "caf\xe9\n", 5);
	put("m.eml", "From: a@b.c\nSubject: x\n\n--=_Q\nbody\n", 35);
	put("e", "", 0);
	put("sub/x.txt", "--=_QQ\n--=_R\n", 13);
	atexit(cleanup);
	return 0;
}

/* Part lines that leave the folder are not for this harness. */
static int
outside(const uint8_t *d, size_t n)
{
	const uint8_t *p = d, *end = d + n, *nl, *sp;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (*p != '#' || (sp = memchr(p, ' ', (size_t)(nl - p))) ==
		    NULL)
			continue;
		while (sp < nl && (*sp == ' ' || *sp == '\t'))
			sp++;
		if (sp < nl && *sp == '/')
			return 1;
		for (; sp + 1 < nl; sp++)
			if (sp[0] == '.' && sp[1] == '.')
				return 1;
		if (nl == end)
			break;
	}
	return 0;
}

/* Reads the draft at fd and writes it; the status, the output in out. */
static enum mc_err
run(int fd, unsigned flags, struct mc_buf *out)
{
	struct mc_epoch_state st;
	struct mc_source src;
	struct mc_write_opts opts;
	struct mc_error err;
	mc_entity *msg = NULL;
	enum mc_err rc;

	memset(&err, 0, sizeof(err));
	FZ_ASSERT(lseek(fd, 0, SEEK_SET) == 0, "lseek");
	rc = mc_draft_read_fd(&msg, fd, "fuzz", &err);
	if (rc != MC_OK) {
		FZ_ASSERT(msg == NULL, "a message and an error");
		FZ_ASSERT(rc == MC_EDATA || rc == MC_ENOINPUT,
		    "error %d reading: %s: %s", rc, err.what,
		    mc_error_reason(&err));
		FZ_ASSERT(err.code == rc && strncmp(err.what, "fuzz", 4) == 0
		    && (err.detail[0] != '\0' || err.sys != 0),
		    "an error without a reason or the draft's name: %s: %s",
		    err.what, err.detail);
		return rc;
	}
	mc_source_epoch(&src, &st, FZ_EPOCH);
	memset(&opts, 0, sizeof(opts));
	opts.source = &src;
	opts.flags = flags;
	rc = mc_write(msg, fz_sink, out, &opts, &err);
	mc_entity_free(msg);
	FZ_ASSERT(rc == MC_OK || rc == MC_EDATA, "error %d writing: %s: %s",
	    rc, err.what, mc_error_reason(&err));
	if (rc != MC_OK)
		FZ_ASSERT(err.detail[0] != '\0', "an error without a reason");
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct mc_buf out, crlf, want, v;
	struct fz_mime m;
	enum mc_err rc, rc2;
	size_t he, i;
	int fd, low;

	if (outside(d, n))
		return 0;
	low = fz_lowest_free();
	fd = memfd_create("draft", MFD_CLOEXEC);
	FZ_ASSERT(fd != -1 && write(fd, d, n) == (ssize_t)n, "memfd");
	mc_buf_init(&out);
	mc_buf_init(&crlf);
	rc = run(fd, 0, &out);
	if (rc == MC_OK) {
		memset(&m, 0, sizeof(m));
		m.gen = 1;
		fz_check_entity(out.p, out.len, 0, &m);
		FZ_ASSERT(memchr(out.p, '\r', out.len) == NULL, "a CR");
		he = fz_header_end(out.p, out.len);
		mc_buf_init(&v);
		FZ_ASSERT(fz_field(out.p, he, "From", &v) == 1 &&
		    fz_field(out.p, he, "Date", &v) == 1 &&
		    fz_field(out.p, he, "Message-ID", &v) == 1 &&
		    fz_field(out.p, he, "MIME-Version", &v) == 1 &&
		    fz_field(out.p, he, "Subject", &v) <= 1,
		    "not one From, Date, Message-ID and MIME-Version:\n%.*s",
		    (int)he, out.p);
		mc_buf_free(&v);
		/* --crlf: the same message. */
		rc2 = run(fd, MC_CRLF, &crlf);
		FZ_ASSERT(rc2 == MC_OK, "with CRLF: error %d", rc2);
		mc_buf_init(&want);
		for (i = 0; i < out.len; i++) {
			if (out.p[i] == '\n')
				mc_buf_addc(&want, '\r');
			mc_buf_addc(&want, out.p[i]);
		}
		FZ_ASSERT(want.len == crlf.len && memcmp(want.p, crlf.p,
		    want.len) == 0, "the CRLF output is another message");
		mc_buf_free(&want);
	}
	close(fd);
	FZ_ASSERT(fz_lowest_free() == low, "a descriptor is left open");
	FZ_ASSERT(fz_dir_empty(spool), "a temporary file is left behind");
	mc_buf_free(&out);
	mc_buf_free(&crlf);
	return 0;
}
