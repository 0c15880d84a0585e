/* SPDX-License-Identifier: ISC */
/* Shared by the cmocka suites: a sink that collects output in memory. */
#ifndef UNIT_H
#define UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mc.h"
#include "hooks.h"

struct memsink {
	struct mc_buf b;
	size_t fail_after;	/* fail once this many bytes went through; 0: never */
};

static inline int
memsink_write(void *arg, const void *p, size_t n)
{
	struct memsink *m = arg;

	if (m->fail_after != 0 && m->b.len + n > m->fail_after)
		return 28;	/* ENOSPC */
	mc_buf_add(&m->b, p, n);
	return m->b.oom ? 12 : 0;
}

/* xorshift64: reproducible random inputs; each suite keeps its seed. */
static inline uint32_t
unit_xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (uint32_t)(*s >> 16);
}

#endif
