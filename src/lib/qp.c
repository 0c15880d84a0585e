/* SPDX-License-Identifier: ISC */
/* Quoted-printable text, RFC 2045 6.7, with the safe lines of SPEC 2. */
#include <string.h>

#include "mc.h"

/*
 * A unit is one byte, or a whole UTF-8 character, which is kept on one
 * line.  Deciding it needs at most LOOK more bytes: after a space, the
 * next unit (up to 4 bytes) and whether CRLF follows it.
 */
#define LOOK	6
#define SOFT	75	/* RFC 2045 6.7 (5): 76 with the "=" of a soft break */
#define HARD	76

static const char hex[] = "0123456789ABCDEF";

/* RFC 2045 6.7 (2): printable ASCII but "=" stands for itself. */
#define PLAIN(b)	((b) > 32 && (b) < 127 && (b) != '=')
#define WSP(b)		((b) == ' ' || (b) == '\t')

/* run[b]: b is PLAIN or WSP, for the fast path. */
#define R1(b)	(PLAIN(b) || WSP(b))
#define R4(b)	R1(b), R1((b) + 1), R1((b) + 2), R1((b) + 3)
#define R16(b)	R4(b), R4((b) + 4), R4((b) + 8), R4((b) + 12)
#define R64(b)	R16(b), R16((b) + 16), R16((b) + 32), R16((b) + 48)
static const unsigned char run[256] = {
	R64(0), R64(64), R64(128), R64(192)
};

#if defined(__SSE2__) && defined(__GNUC__) && !defined(MC_NO_SIMD)
#include <emmintrin.h>

/* A bit for each of the sixteen bytes at s that is PLAIN, and in *ws
 * each that is WSP (SSE2 is in every x86-64). */
static unsigned
plain16(const unsigned char *s, unsigned *ws)
{
	__m128i v = _mm_loadu_si128((const __m128i *)s), ok;

	/* Signed: bytes from 0x80 up are negative, so not above 32. */
	ok = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(32)),
	    _mm_cmplt_epi8(v, _mm_set1_epi8(127)));
	ok = _mm_andnot_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('=')), ok);
	*ws = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v,
	    _mm_set1_epi8(' ')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'))));
	return (unsigned)_mm_movemask_epi8(ok);
}
#endif

/* eqhex[b]: "=XX" for b, and a fourth byte to copy four at a time. */
#define HX(b)	"0123456789ABCDEF"[(b) & 15]
#define E1(b)	{ '=', HX((b) >> 4), HX(b), 0 }
#define E4(b)	E1(b), E1((b) + 1), E1((b) + 2), E1((b) + 3)
#define E16(b)	E4(b), E4((b) + 4), E4((b) + 8), E4((b) + 12)
#define E64(b)	E16(b), E16((b) + 16), E16((b) + 32), E16((b) + 48)
static const char eqhex[256][4] = {
	E64(0), E64(64), E64(128), E64(192)
};

/* Nonzero when a line end (LF, CRLF) or the end of the text is at i. */
static int
at_end(const unsigned char *p, size_t n, size_t i, int final)
{
	if (i >= n)
		return final;
	return p[i] == '\n' || (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n');
}

/* Length of the unit at i, its width in *w when not a space. */
static size_t
unit(const unsigned char *p, size_t n, size_t i, int *w)
{
	unsigned b = p[i];
	size_t j, k;

	if (PLAIN(b) || WSP(b)) {
		*w = 1;
		return 1;
	}
	k = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 :
	    b >= 0xf0 && b <= 0xf4 ? 4 : 1;
	for (j = 1; j < k; j++)
		if (i + j >= n || (p[i + j] & 0xc0) != 0x80) {
			k = 1;
			break;
		}
	*w = 3 * (int)k;
	return k;
}

/* The output failed; never when only counting. */
#define FAILED(st)	((st)->out != NULL && (st)->out->failed)

static void
flush(struct mc_qp *st, const unsigned char *ob, size_t *on, int eol)
{
	if (*on > 0) {
		if (st->out != NULL)
			mc_out_write(st->out, ob, *on);
		st->bytes += *on;
		*on = 0;
	}
	if (eol) {
		if (st->out != NULL)
			mc_out_eol(st->out);
		st->bytes += st->out != NULL && st->out->crlf ? 2 : 1;
	}
}

/* Encodes the units of p[0..n) whose lookahead is there (all of them when
 * final) and returns the bytes used. */
static size_t
encode(struct mc_qp *st, const unsigned char *p, size_t n, int final)
{
	unsigned char ob[HARD + 8];
	size_t on = 0, i = 0, j, len, xlen, lim;
	int col = st->col, w, xw, end;
	unsigned b;

	lim = final ? n : n > LOOK ? n - LOOK : 0;
	while (i < lim && !FAILED(st)) {
		/*
		 * Fast path: a run of printable ASCII, and of spaces that the
		 * rules below let stand far from the soft-break column, is
		 * copied as it is, up to that column.  A "." or "F" starting
		 * a line takes the slow path.
		 */
		if (col < SOFT && (col > 0 || (p[i] != '.' && p[i] != 'F'))) {
			j = i;
			xlen = i + (size_t)(SOFT - col);
			if (xlen > lim)
				xlen = lim;
			/* len: spaces may stand before it. */
			len = col <= SOFT - 13 ?
			    i + (size_t)(SOFT - 12 - col) : i;
			if (len > xlen)
				len = xlen;
#if defined(__SSE2__) && defined(__GNUC__) && !defined(MC_NO_SIMD)
			/* Sixteen at a time: plain bytes, and spaces before
			 * len, up to the first other byte or xlen, less a
			 * space before a line end. */
			while (j < xlen && j + 16 < n) {
				unsigned ws, ok = plain16(p + j, &ws);
				size_t k;

				if (len < j + 16)
					ws &= len > j ?
					    (1u << (len - j)) - 1 : 0;
				ok |= ws;
				k = (size_t)__builtin_ctz(~ok | 0x10000);
				if (k > xlen - j)
					k = xlen - j;
				if (k > 0 && WSP(p[j + k - 1]) &&
				    (p[j + k] == '\n' || p[j + k] == '\r'))
					k--;
				j += k;
				if (k < 16)
					break;
			}
#endif
			/* Eight at a time while a space may stand: the byte
			 * after them plain or a space too, so no space is
			 * before a line end. */
			while (j + 8 <= len && j + 8 < n && (run[p[j]] &
			    run[p[j + 1]] & run[p[j + 2]] & run[p[j + 3]] &
			    run[p[j + 4]] & run[p[j + 5]] & run[p[j + 6]] &
			    run[p[j + 7]] & run[p[j + 8]]))
				j += 8;
			while (j < xlen) {
				b = p[j];
				if (PLAIN(b) || (WSP(b) &&
				    col + (int)(j - i) <= SOFT - 13 &&
				    j + 1 < n && p[j + 1] != '\n' &&
				    p[j + 1] != '\r'))
					j++;
				else
					break;
			}
			if (j > i) {
				/* Counting: on alone matters. */
				if (st->out != NULL)
					memcpy(ob + on, p + i, j - i);
				on += j - i;
				col += (int)(j - i);
				i = j;
				continue;
			}
		}
		/* Fast path: units written as =XX (8-bit text, "=",
		 * controls) that fit before the soft-break column, where
		 * what follows them cannot matter. */
		for (j = i; i < lim && col <= SOFT - 3; i += len) {
			b = p[i];
			if (run[b] || b == '\n' || b == '\r')
				break;
			/* unit(), inline: a whole UTF-8 character or one
			 * byte. */
			len = b < 0xc2 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 :
			    b < 0xf5 ? 4 : 1;
			for (xlen = 1; xlen < len; xlen++)
				if (i + xlen >= n ||
				    (p[i + xlen] & 0xc0) != 0x80) {
					len = 1;
					break;
				}
			w = 3 * (int)len;
			if (col + w > SOFT) {
				/* A soft break before it, as below, unless
				 * a line end follows it (76 may fit). */
				if (at_end(p, n, i + len, 0))
					break;
				ob[on++] = '=';
				flush(st, ob, &on, 1);
				col = 0;
				if (FAILED(st))
					break;
			}
			if (st->out != NULL)
				for (xlen = i; xlen < i + len; xlen++)
					memcpy(ob + on + 3 * (xlen - i),
					    eqhex[p[xlen]], 4);
			on += (size_t)w;
			col += w;
		}
		if (i > j)
			continue;
		b = p[i];
		if (PLAIN(b) && col < SOFT &&
		    (col > 0 || (b != '.' && b != 'F'))) {
			ob[on++] = (unsigned char)b;
			col++;
			i++;
			continue;
		}
		/* Room for any unit after it, and no line end next. */
		if (WSP(b) && col <= SOFT - 13 && i + 1 < n &&
		    p[i + 1] != '\n' && p[i + 1] != '\r') {
			ob[on++] = (unsigned char)b;
			col++;
			i++;
			continue;
		}
		if (b == '\n' || (b == '\r' && i + 1 < n && p[i + 1] == '\n')) {
			flush(st, ob, &on, 1);
			col = 0;
			i += b == '\n' ? 1 : 2;
			continue;
		}
		len = unit(p, n, i, &w);
		end = at_end(p, n, i + len, final);
again:
		if (WSP(b)) {
			/*
			 * RFC 2045 6.7 (3): no space or TAB before a line
			 * end, soft or hard.  It stands for itself only when
			 * what follows stays on this line.
			 */
			if (end)
				w = 3;
			else if (WSP(p[i + 1]))
				w = col < SOFT - 3 ? 1 : 3;
			else {
				xlen = unit(p, n, i + 1, &xw);
				w = col + 1 + xw <= (at_end(p, n, i + 1 + xlen,
				    0) ? HARD : SOFT) ? 1 : 3;
			}
		} else if (col == 0 && ((b == '.' && end) || (b == 'F' &&
		    i + 4 < n && memcmp(p + i + 1, "rom ", 4) == 0)))
			w = 3;		/* SPEC 2: no "." line, no "From " */
		/* 76 only before a hard line end: the end of the text gets
		 * a soft break (mc_qp_finish). */
		if (col + w > (at_end(p, n, i + len, 0) ? HARD : SOFT)) {
			ob[on++] = '=';
			flush(st, ob, &on, 1);
			col = 0;
			len = unit(p, n, i, &w);
			goto again;
		}
		if (w == 1)
			ob[on++] = (unsigned char)b;
		else
			for (j = i; j < i + len; j++) {
				ob[on++] = '=';
				ob[on++] = (unsigned char)hex[p[j] >> 4];
				ob[on++] = (unsigned char)hex[p[j] & 15];
			}
		col += w;
		i += len;
	}
	flush(st, ob, &on, 0);
	st->col = col;
	return i;
}

void
mc_qp_init(struct mc_qp *st, struct mc_out *out)
{
	st->out = out;
	st->col = 0;
	st->npend = 0;
	st->bytes = 0;
}

void
mc_qp_count_init(struct mc_qp *st)
{
	mc_qp_init(st, NULL);
}

int
mc_qp_step(struct mc_qp *st, const void *p, size_t n)
{
	const unsigned char *s = p;
	unsigned char tmp[2 * (LOOK + 1) + 2];
	size_t k, used, m;

	if (n == 0 || FAILED(st))
		return FAILED(st) ? -1 : 0;
	if (st->npend > 0) {
		/* Held bytes and the start of p, until p alone will do. */
		k = sizeof(tmp) - st->npend;
		if (k > n)
			k = n;
		memcpy(tmp, st->pend, st->npend);
		memcpy(tmp + st->npend, s, k);
		m = st->npend + k;
		used = encode(st, tmp, m, 0);
		if (FAILED(st))
			return -1;
		if (used < st->npend) {
			memcpy(st->pend, tmp + used, m - used);
			st->npend = m - used;
			return 0;
		}
		s += used - st->npend;
		n -= used - st->npend;
		st->npend = 0;
	}
	used = encode(st, s, n, 0);
	if (FAILED(st))
		return -1;
	if (n > used)
		memcpy(st->pend, s + used, n - used);
	st->npend = n - used;
	return 0;
}

int
mc_qp_finish(struct mc_qp *st)
{
	unsigned char eq = '=';
	size_t one = 1;

	encode(st, st->pend, st->npend, 1);
	st->npend = 0;
	/* RFC 2045 6.7 (5): text without a final line end ends in a soft
	 * break, so the output ends in a line end and decodes the same. */
	if (st->col > 0 && !FAILED(st)) {
		flush(st, &eq, &one, 1);
		st->col = 0;
	}
	return FAILED(st) ? -1 : 0;
}
