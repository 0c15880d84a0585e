/* SPDX-License-Identifier: ISC */
/* Multipart boundaries that occur in no part, RFC 2046 5.1.1. */
#include <string.h>

#include "mc.h"

/* RFC 2046 5.1.1 bchars, all distinct; compared without case, for
 * readers that match boundaries so. */
static const char markers[MC_BOUND_MARKERS + 1] = "QRSTUVWXYZKLMNPJ";

enum { S_START, S_DASH1, S_DASH2, S_EQ, S_UNDER, S_FIRST, S_RUN, S_SKIP };

static int
marker_of(unsigned c)
{
	const char *m;

	if (c >= 'a' && c <= 'z')
		c -= 'a' - 'A';
	if (c == '\0' || (m = strchr(markers, (int)c)) == NULL)
		return -1;
	return (int)(m - markers);
}

void
mc_bound_init(struct mc_bound *b)
{
	memset(b->run, 0, sizeof(b->run));
	b->state = S_START;
	b->first = -1;
	b->marker = -1;
	b->count = 0;
}

/* The offset of the first c in s[i..n), or n. */
static size_t
find(const unsigned char *s, size_t i, size_t n, int c)
{
	const unsigned char *q = memchr(s + i, c, n - i);

	return q != NULL ? (size_t)(q - s) : n;
}

void
mc_bound_step(struct mc_bound *b, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i, lf = 0, cr = 0;
	int known = 0;
	unsigned c;
	int m;

	for (i = 0; i < n; i++) {
		if (b->state == S_SKIP) {
			/*
			 * Only line starts matter: jump to the next line end.
			 * lf and cr are the next LF and CR at or after where
			 * they were sought (n when none), so each is sought
			 * again only once passed: one pass over p for each.
			 */
			if (!known || lf < i)
				lf = find(s, i, n, '\n');
			if (!known || cr < i)
				cr = find(s, i, n, '\r');
			known = 1;
			i = lf < cr ? lf : cr;
			if (i == n)
				break;
		}
		c = s[i];
		/* A CR ends a line too: some readers split lines there. */
		if (c == '\n' || c == '\r') {
			b->state = S_START;
			continue;
		}
		switch (b->state) {
		case S_START:
		case S_DASH1:
			b->state = c == '-' ? b->state + 1 : S_SKIP;
			break;
		case S_DASH2:
			b->state = c == '=' ? S_EQ : S_SKIP;
			break;
		case S_EQ:
			b->state = c == '_' ? S_UNDER : S_SKIP;
			break;
		case S_UNDER:
			if ((b->first = marker_of(c)) == -1) {
				b->state = S_SKIP;
				break;
			}
			b->state = S_FIRST;
			break;
		case S_FIRST:
			/* The run of c2 counts from the letter after c1, even
			 * when c2 is c1. */
			if ((m = marker_of(c)) == -1) {
				b->state = S_SKIP;
				break;
			}
			b->marker = m;
			b->count = 0;
			b->state = S_RUN;
			/* FALLTHROUGH */
		case S_RUN:
			if (marker_of(c) != b->marker) {
				b->state = S_SKIP;
				break;
			}
			if (b->count < 255)
				b->count++;
			if (b->run[b->first][b->marker] < b->count)
				b->run[b->first][b->marker] = (uint8_t)b->count;
			break;
		}
	}
}

void
mc_bound_merge(struct mc_bound *into, const struct mc_bound *from)
{
	int i, j;

	for (i = 0; i < MC_BOUND_MARKERS; i++)
		for (j = 0; j < MC_BOUND_MARKERS; j++)
			if (into->run[i][j] < from->run[i][j])
				into->run[i][j] = from->run[i][j];
}

void
mc_bound_note(struct mc_bound *b, const char *boundary)
{
	struct mc_bound t;

	/* "--boundary--" starts with "--boundary": one line covers both. */
	mc_bound_init(&t);
	mc_bound_step(&t, "--", 2);
	mc_bound_step(&t, boundary, strlen(boundary));
	mc_bound_step(&t, "\n", 1);
	mc_bound_merge(b, &t);
}

int
mc_bound_make(const struct mc_bound *b, const unsigned char uniq[12],
    char out[MC_BOUNDARY_MAX + 1])
{
	static const char hex[] = "0123456789abcdef";
	size_t k, o = 0;
	int i, j, c1 = 0, c2 = 0;

	/* The smallest run, the first in row-major order on ties. */
	for (i = 0; i < MC_BOUND_MARKERS; i++)
		for (j = 0; j < MC_BOUND_MARKERS; j++)
			if (b->run[i][j] < b->run[c1][c2]) {
				c1 = i;
				c2 = j;
			}
	/* No line starts with "--=_" c1 and more than run copies of c2. */
	k = (size_t)b->run[c1][c2] + 1;
	if (2 + 1 + k + 1 > MC_BOUNDARY_MAX)
		return -1;
	out[o++] = '=';
	out[o++] = '_';
	out[o++] = markers[c1];
	memset(out + o, markers[c2], k);
	o += k;
	out[o++] = '.';
	/* The hex of uniq, cut to fit. */
	for (i = 0; i < 24 && o < MC_BOUNDARY_MAX; i++, o++)
		out[o] = hex[i % 2 ? uniq[i / 2] & 15 : uniq[i / 2] >> 4];
	out[o] = '\0';
	return 0;
}

int
mc_bound_within(const struct mc_bound *a, const struct mc_bound *b)
{
	int i, j;

	for (i = 0; i < MC_BOUND_MARKERS; i++)
		for (j = 0; j < MC_BOUND_MARKERS; j++)
			if (a->run[i][j] > b->run[i][j])
				return 0;
	return 1;
}

int
mc_bound_any(const struct mc_bound *b)
{
	int i, j;

	for (i = 0; i < MC_BOUND_MARKERS; i++)
		for (j = 0; j < MC_BOUND_MARKERS; j++)
			if (b->run[i][j] != 0)
				return 1;
	return 0;
}
