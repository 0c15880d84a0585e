/* SPDX-License-Identifier: ISC */
/*
 * Fuzzes check*.c (mime-check): any input gives findings, never a crash,
 * a leak or memory that grows (the allocator's count is the same before
 * and after the steps); the findings are the same however the input is
 * cut up, each on a line of the input, named by a rule of the table, with
 * a one-line printable message.
 */
#include <sanitizer/allocator_interface.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct seen {
	struct mc_buf b;
	uint64_t maxline;
};

static void
on_finding(void *arg, const struct mc_finding *f)
{
	struct seen *s = arg;
	struct mc_finding r;
	const char *m;
	int i, known = 0;

	for (i = 0; mc_check_rule(i, &r) == 0; i++)
		known |= strcmp(r.rule, f->rule) == 0 &&
		    r.severity == f->severity;
	FZ_ASSERT(known, "a finding of no rule in the table: %s", f->rule);
	FZ_ASSERT(f->line >= 1 && f->line <= s->maxline, "line %llu of %llu",
	    (unsigned long long)f->line, (unsigned long long)s->maxline);
	for (m = f->message; *m != '\0'; m++)
		FZ_ASSERT((unsigned char)*m >= 0x20 && (unsigned char)*m < 0x7f,
		    "a message with byte %d", (unsigned char)*m);
	mc_buf_printf(&s->b, "%llu %s %s\n", (unsigned long long)f->line,
	    f->rule, f->message);
}

/* Checks d[0..n), cut every step octets (0: at once). */
static void
run(const uint8_t *d, size_t n, size_t step, unsigned flags,
    struct seen *s)
{
	mc_check *c;
	size_t i, k, before, cap;

	c = mc_check_new(flags, on_finding, s);
	FZ_ASSERT(c != NULL, "out of memory");
	/* Only the findings' buffer may grow. */
	before = __sanitizer_get_current_allocated_bytes();
	cap = s->b.cap;
	for (i = 0; i < n; i += k) {
		k = step == 0 || step > n - i ? n - i : step;
		mc_check_step(c, d + i, k);
	}
	mc_check_finish(c);
	FZ_ASSERT(__sanitizer_get_current_allocated_bytes() == before +
	    (s->b.cap - cap), "the checker holds %zd more octets after its "
	    "steps", (ssize_t)(__sanitizer_get_current_allocated_bytes() -
	    before - (s->b.cap - cap)));
	mc_check_free(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct seen a, b;
	unsigned flags = n > 0 && (d[0] & 1) ? MC_CHECK_ENTITY : 0;
	size_t i, step = n > 1 ? 1 + d[1] % 17 : 1;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	mc_buf_init(&a.b);
	mc_buf_init(&b.b);
	a.maxline = b.maxline = 1;
	for (i = 0; i < n; i++)
		a.maxline += d[i] == '\n';
	b.maxline = a.maxline;
	run(d, n, 0, flags, &a);
	run(d, n, step, flags, &b);
	FZ_ASSERT(a.b.len == b.b.len && (a.b.len == 0 ||
	    memcmp(a.b.p, b.b.p, a.b.len) == 0), "cut every %zu octets, the "
	    "findings differ:\n%s---\n%s", step, a.b.p ? a.b.p : "",
	    b.b.p ? b.b.p : "");
	mc_buf_free(&a.b);
	mc_buf_free(&b.b);
	return 0;
}
