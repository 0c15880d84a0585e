/* SPDX-License-Identifier: ISC */
/* Choosing a text's transfer encoding, RFC 2045 2.7, 2.8, 6.1 and SPEC 2. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc.h"

/* The quoted-printable size is all the scan needs of its output. */
static int
count_write(void *arg, const void *p, size_t n)
{
	(void)arg;
	(void)p;
	(void)n;
	return 0;
}

int
mc_scan_init(struct mc_scan *s)
{
	memset(s, 0, sizeof(*s));
	if ((s->qpout = malloc(sizeof(*s->qpout))) == NULL)
		return -1;
	/* LF: the choice must not depend on the output's line ends. */
	mc_out_init(s->qpout, count_write, NULL, 0);
	mc_qp_init(&s->qp, s->qpout);
	mc_utf8_init(&s->utf8);
	mc_bound_init(&s->bound);
	return 0;
}

void
mc_scan_free(struct mc_scan *s)
{
	free(s->qpout);
	s->qpout = NULL;
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

void
mc_scan_step(struct mc_scan *s, const void *p, size_t n)
{
	const unsigned char *c = p;
	size_t i;
	unsigned b;

	if (n == 0)
		return;
	mc_qp_step(&s->qp, p, n);
	mc_utf8_step(&s->utf8, p, n);
	mc_bound_step(&s->bound, p, n);
	for (i = 0; i < n; i++) {
		b = c[i];
		if (b == '\n') {
			end_line(s, s->linelen - (s->cr ? 1 : 0));
			s->cr = 0;
			continue;
		}
		if (s->cr)
			s->barecr = 1;
		s->cr = b == '\r';
		if (b >= 0x80) {
			if (s->nonascii++ == 0)
				s->first8 = s->bytes + i;
		} else if (b == 0)
			s->nul = 1;
		if (s->lpos < sizeof(s->lstart)) {
			s->lstart[s->lpos++] = (unsigned char)b;
			if (s->lpos == 5 && memcmp(s->lstart, "From ", 5) == 0)
				s->fromline = 1;
		}
		s->linelen++;
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
	mc_qp_finish(&s->qp);
	mc_utf8_finish(&s->utf8);
	if (s->cr) {
		s->barecr = 1;
		s->cr = 0;
	}
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

enum mc_cte
mc_scan_choose(const struct mc_scan *s)
{
	if (mc_scan_why_not(s, MC_CTE_7BIT) == NULL)
		return MC_CTE_7BIT;
	return s->qp.bytes <= mc_b64_size(s->bytes, 1) ? MC_CTE_QP :
	    MC_CTE_BASE64;
}
