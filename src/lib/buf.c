/* SPDX-License-Identifier: ISC */
/* Growable strings for header fields and other small, bounded text. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc.h"

void
mc_buf_init(struct mc_buf *b)
{
	b->p = NULL;
	b->len = b->cap = 0;
	b->oom = 0;
}

void
mc_buf_free(struct mc_buf *b)
{
	free(b->p);
	mc_buf_init(b);
}

static int
grow(struct mc_buf *b, size_t n)
{
	size_t cap;
	char *p;

	if (b->oom)
		return -1;
	if (b->len + n + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < b->len + n + 1) {
		if (cap > SIZE_MAX / 2)
			goto fail;
		cap *= 2;
	}
	if ((p = realloc(b->p, cap)) == NULL)
		goto fail;
	b->p = p;
	b->cap = cap;
	return 0;
fail:
	b->oom = 1;
	return -1;
}

void
mc_buf_add(struct mc_buf *b, const void *p, size_t n)
{
	if (grow(b, n) == -1)
		return;
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
mc_buf_adds(struct mc_buf *b, const char *s)
{
	mc_buf_add(b, s, strlen(s));
}

void
mc_buf_addc(struct mc_buf *b, char c)
{
	mc_buf_add(b, &c, 1);
}

void
mc_buf_printf(struct mc_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || grow(b, (size_t)n) == -1) {
		b->oom = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

char *
mc_strdup(const char *s)
{
	size_t n;
	char *p;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	if ((p = malloc(n)) != NULL)
		memcpy(p, s, n);
	return p;
}
