/* SPDX-License-Identifier: ISC */
/*
 * Writes a message with a large attachment through the library and checks,
 * as the output streams by, that the attachment decodes back to what went
 * in and that peak memory stays small (SPEC 2, "Streaming").
 *
 * usage: bigwrite [MIB [MAX_RSS_KIB]]   (defaults: 1024 MiB, 8192 KiB)
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <b64/cdecode.h>

#include "mimecompose.h"

#define BLOCK 65536

/* The attachment: a xorshift64 stream, the same in writer and checker. */
struct gen {
	uint64_t s;
	unsigned char buf[8];
	int left;
};

static unsigned char
gen_byte(struct gen *g)
{
	if (g->left == 0) {
		g->s ^= g->s << 13;
		g->s ^= g->s >> 7;
		g->s ^= g->s << 17;
		memcpy(g->buf, &g->s, 8);
		g->left = 8;
	}
	return g->buf[8 - g->left--];
}

/* The checker: finds the base64 body by its header, decodes it line by
 * line and compares every byte with the generator. */
struct check {
	struct gen g;
	char line[1024];
	size_t len;
	int state;		/* 0 headers, 1 part header, 2 body, 3 after */
	uint64_t decoded;
	uint64_t bad;
	size_t longest;
};

static void
check_line(struct check *c)
{
	base64_decodestate ds;
	char out[1024];
	int i, n;

	if (c->state == 2 && c->len > c->longest)
		c->longest = c->len;
	switch (c->state) {
	case 0:
	case 1:
		if (strncmp(c->line, "Content-Type: application/octet-stream",
		    38) == 0)
			c->state = 1;
		else if (c->state == 1 && c->len == 0)
			c->state = 2;
		return;
	case 2:
		if (c->len >= 2 && c->line[0] == '-' && c->line[1] == '-') {
			c->state = 3;
			return;
		}
		base64_init_decodestate(&ds);
		n = base64_decode_block(c->line, (int)c->len, out, &ds);
		for (i = 0; i < n; i++)
			if ((unsigned char)out[i] != gen_byte(&c->g))
				c->bad++;
		c->decoded += (uint64_t)n;
		return;
	}
}

static int
check_write(void *arg, const void *buf, size_t len)
{
	struct check *c = arg;
	const char *p = buf;
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] == '\n') {
			c->line[c->len] = '\0';
			check_line(c);
			c->len = 0;
		} else if (c->len < sizeof(c->line) - 1)
			c->line[c->len++] = p[i];
		else
			c->longest = SIZE_MAX;	/* past any limit */
	}
	return 0;
}

static void
produce(int fd, uint64_t total)
{
	static unsigned char b[BLOCK];
	struct gen g = { 0x9e3779b97f4a7c15ULL, { 0 }, 0 };
	size_t n, i;
	ssize_t k;

	while (total > 0) {
		n = total < BLOCK ? (size_t)total : BLOCK;
		for (i = 0; i < n; i++)
			b[i] = gen_byte(&g);
		for (i = 0; i < n; i += (size_t)k)
			if ((k = write(fd, b + i, n - i)) == -1)
				_exit(1);
		total -= n;
	}
	_exit(0);
}

static void
die(const char *what, const struct mc_error *err)
{
	fprintf(stderr, "bigwrite: %s: %s\n", what, mc_error_reason(err));
	exit(1);
}

int
main(int argc, char *argv[])
{
	struct check c = { { 0x9e3779b97f4a7c15ULL, { 0 }, 0 }, "", 0, 0, 0, 0,
	    0 };
	struct mc_epoch_state st;
	struct mc_source src;
	struct mc_write_opts opts = { 0, &src, NULL };
	struct mc_error err;
	struct rusage ru;
	mc_entity *msg, *mp, *text, *att;
	uint64_t mib = argc > 1 ? strtoull(argv[1], NULL, 10) : 1024;
	long maxrss = argc > 2 ? strtol(argv[2], NULL, 10) : 8192;
	int fds[2], status;
	pid_t pid;

	if (pipe(fds) == -1)
		return 1;
	if ((pid = fork()) == 0) {
		close(fds[0]);
		produce(fds[1], mib << 20);
	}
	close(fds[1]);
	mc_source_epoch(&src, &st, 1700000000);
	msg = mc_message_new();
	mp = mc_multipart_new("mixed");
	text = mc_text_new("plain");
	att = mc_attachment_new("application/octet-stream");
	if (!msg || !mp || !text || !att)
		return 1;
	if (mc_message_add_addresses(msg, MC_ADDR_FROM, "A <a@example.org>", &err) ||
	    mc_message_add_addresses(msg, MC_ADDR_TO, "b@example.org", &err) ||
	    mc_message_set_subject(msg, "big", &err) ||
	    mc_entity_set_body_mem(text, "see attached\n", 13, &err) ||
	    mc_entity_set_body_fd(att, fds[0], "pipe", &err) ||
	    mc_entity_set_disposition(att, MC_DISP_ATTACHMENT, "big.bin",
	    &err) ||
	    mc_multipart_add(mp, text, &err) || mc_multipart_add(mp, att, &err) ||
	    mc_message_set_body(msg, mp, &err))
		die("build", &err);
	if (mc_write(msg, check_write, &c, &opts, &err) != MC_OK)
		die("write", &err);
	mc_entity_free(msg);
	close(fds[0]);
	waitpid(pid, &status, 0);
	getrusage(RUSAGE_SELF, &ru);
	printf("bigwrite: %" PRIu64 " MiB attachment, decoded %" PRIu64
	    " bytes, %" PRIu64 " differ, longest line %zu, peak RSS %ld KiB\n",
	    mib, c.decoded, c.bad, c.longest, ru.ru_maxrss);
	if (c.decoded != mib << 20 || c.bad != 0 || c.longest > 76 ||
	    !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bigwrite: the attachment did not come back\n");
		return 1;
	}
	if (ru.ru_maxrss >= maxrss) {
		fprintf(stderr, "bigwrite: peak RSS %ld KiB, limit %ld KiB\n",
		    ru.ru_maxrss, maxrss);
		return 1;
	}
	return 0;
}
