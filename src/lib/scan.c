/* SPDX-License-Identifier: ISC */
/* Choosing a text's transfer encoding, RFC 2045 2.7, 2.8, 6.1 and SPEC 2. */
#include <stdio.h>
#include <string.h>

#include "mc.h"

void
mc_scan_init(struct mc_scan *s)
{
	memset(s, 0, sizeof(*s));
	mc_utf8_init(&s->utf8);
	mc_bound_init(&s->bound);
}

/* The line just ended, its octets without the line end. */
static void
end_line(struct mc_scan *s, size_t len)
{
	if (s->maxline < len)
		s->maxline = len;
	if (len == 1 && s->lstart[0] == '.')
		s->dotline = 1;
	s->lines++;
	s->linelen = 0;
	s->lpos = 0;
}

/* One byte, at offset off of the text: the exact rules. */
static void
scan_byte(struct mc_scan *s, unsigned b, uint64_t off)
{
	if (b == '\n') {
		end_line(s, s->linelen - (s->cr ? 1 : 0));
		s->cr = 0;
		return;
	}
	if (s->cr)
		s->barecr = 1;
	s->cr = b == '\r';
	if (b >= 0x80) {
		if (s->nonascii++ == 0)
			s->first8 = off;
	} else if (b == 0)
		s->nul = 1;
	if (s->lpos < sizeof(s->lstart)) {
		s->lstart[s->lpos++] = (unsigned char)b;
		if (s->lpos == 5 && memcmp(s->lstart, "From ", 5) == 0)
			s->fromline = 1;
	}
	s->linelen++;
}

#define ONES	0x0101010101010101u
#define HIGHS	0x8080808080808080u
/* A nonzero top bit in a byte of the result when some byte of w is 0
 * (exact for whether there is one, not for which). */
#define HASZERO(w)	(((w) - ONES) & ~(w) & HIGHS)

/*
 * The middle of a line, eight bytes at a time, from i up to e (before the
 * line end): while a word has no NUL and no CR, only its length and its
 * bytes >= 0x80 count.  Returns where it stopped: at a word with NUL or
 * CR, or fewer than eight bytes before e.  The caller has the exact rules
 * take the bytes from there, and ensures s->cr is 0.
 */
static size_t
scan_words(struct mc_scan *s, const unsigned char *c, size_t i, size_t e)
{
	uint64_t w, h;
	size_t k, i0 = i;

	for (; i + 8 <= e; i += 8) {
		memcpy(&w, c + i, 8);
		if (HASZERO(w) | HASZERO(w ^ (ONES * '\r')))
			break;
		if ((h = w & HIGHS) == 0)
			continue;
		if (s->nonascii == 0)
			for (k = 0; k < 8; k++)
				if (c[i + k] >= 0x80) {
					s->first8 = s->bytes + i + k;
					break;
				}
		/* The top bits, one per byte, summed in the top byte. */
		s->nonascii += (h >> 7) * ONES >> 56;
	}
	s->linelen += i - i0;
	return i;
}

void
mc_scan_step(struct mc_scan *s, const void *p, size_t n)
{
	const unsigned char *c = p, *q;
	size_t i, lf = 0, slow = 0;
	int known = 0;

	if (n == 0)
		return;
	mc_utf8_step(&s->utf8, p, n);
	mc_bound_step(&s->bound, p, n);
	for (i = 0; i < n; i++) {
		/*
		 * Past a line's first bytes, and not after a CR, the words
		 * before the next LF go the fast way; bytes before slow (a
		 * word with NUL or CR, the short end of a line) the exact
		 * way.  lf is sought again only once passed.
		 */
		if (i >= slow && s->lpos >= sizeof(s->lstart) && !s->cr) {
			if (!known || lf < i) {
				q = memchr(c + i, '\n', n - i);
				lf = q != NULL ? (size_t)(q - c) : n;
				known = 1;
			}
			i = scan_words(s, c, i, lf);
			slow = i + 8 <= lf ? i + 8 : lf;
			if (i == n)
				break;
		}
		scan_byte(s, c[i], s->bytes + i);
	}
	s->bytes += n;
}

/* The first reason, in a fixed order, that the text cannot go as it is;
 * "" when it can. */
static void
why(const struct mc_scan *s, char *buf, size_t size, int eight)
{
	if (!eight && s->nonascii > 0)
		snprintf(buf, size, "8-bit data at byte %llu",
		    (unsigned long long)s->first8);
	else if (s->maxline > MC_LINE_MAX)	/* RFC 5322 2.1.1 */
		snprintf(buf, size, "a line of %zu octets", s->maxline);
	else if (s->nul)			/* RFC 2045 2.7, 2.8 */
		snprintf(buf, size, "a NUL byte");
	else if (s->barecr)
		snprintf(buf, size, "a bare CR");
	else if (s->dotline)			/* SPEC 2 */
		snprintf(buf, size, "a line that is a lone \".\"");
	else if (s->fromline)
		snprintf(buf, size, "a line starting with \"From \"");
	else
		buf[0] = '\0';
}

void
mc_scan_finish(struct mc_scan *s)
{
	mc_utf8_finish(&s->utf8);
	if (s->cr) {
		s->barecr = 1;
		s->cr = 0;
	}
	s->noeol = s->linelen > 0;
	if (s->linelen > 0)
		end_line(s, s->linelen);
	why(s, s->why7, sizeof(s->why7), 0);
	why(s, s->why8, sizeof(s->why8), 1);
}

const char *
mc_scan_why_not(const struct mc_scan *s, enum mc_cte cte)
{
	if (cte == MC_CTE_7BIT)
		return s->why7[0] != '\0' ? s->why7 : NULL;
	if (cte == MC_CTE_8BIT)
		return s->why8[0] != '\0' ? s->why8 : NULL;
	return NULL;
}

int
mc_scan_holds(const struct mc_scan *now, const struct mc_scan *first,
    int end)
{
	if (now->bytes > first->bytes || (end && now->bytes != first->bytes) ||
	    (end && now->noeol != first->noeol))
		return 0;
	/* Mid-line, the CR of a CRLF still counts in linelen. */
	if (now->nonascii > first->nonascii || now->maxline > first->maxline ||
	    now->linelen > first->maxline + 1)
		return 0;
	if ((now->nul && !first->nul) || (now->barecr && !first->barecr) ||
	    (now->dotline && !first->dotline) ||
	    (now->fromline && !first->fromline) ||
	    (now->utf8.bad && !first->utf8.bad))
		return 0;
	return mc_bound_within(&now->bound, &first->bound);
}

/*
 * A floor under the quoted-printable size, from the counts alone: every
 * octet gives at least one, an 8-bit one three ("=XX"), and only a CRLF
 * (at most one a line) gives one for two.  Text that is mostly 8-bit,
 * such as Chinese, is above base64 by this alone.
 */
static uint64_t
qp_floor(const struct mc_scan *s)
{
	return s->bytes - s->lines + 2 * s->nonascii;
}

enum mc_cte
mc_scan_choose(const struct mc_scan *s, const uint64_t *qp)
{
	uint64_t b64 = mc_b64_size(s->bytes, 1);

	/* SPEC 2: the last line too ends in a line break, which a text
	 * without one gets only as quoted-printable's soft break. */
	if (mc_scan_why_not(s, MC_CTE_7BIT) == NULL && !s->noeol)
		return MC_CTE_7BIT;
	if (qp_floor(s) > b64)
		return MC_CTE_BASE64;
	if (qp == NULL)
		return MC_CTE_AUTO;
	return *qp <= b64 ? MC_CTE_QP : MC_CTE_BASE64;
}
