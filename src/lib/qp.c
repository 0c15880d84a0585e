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
#define WIDE	72	/* from here two spaces in a row are not both kept */

/*
 * The fast path looks at SEG bytes at a time: from any column, the rest of
 * an output line and the byte after column 75.  ROOM is the output room
 * each step needs: the SEG bytes stored by seg_sse2, or a run before
 * column 72, some units and a soft break.
 */
#define SEG	80
#define ROOM	192
#define SCRATCH	4096	/* what counting writes to, and forgets */

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

/* eqhex[b]: "=XX" for b, and a fourth byte to copy four at a time. */
#define HX(b)	"0123456789ABCDEF"[(b) & 15]
#define E1(b)	{ '=', HX((b) >> 4), HX(b), 0 }
#define E4(b)	E1(b), E1((b) + 1), E1((b) + 2), E1((b) + 3)
#define E16(b)	E4(b), E4((b) + 4), E4((b) + 8), E4((b) + 12)
#define E64(b)	E16(b), E16((b) + 16), E16((b) + 32), E16((b) + 48)
static const char eqhex[256][4] = {
	E64(0), E64(64), E64(128), E64(192)
};

/* The lowest set bit of v, which is not 0. */
static inline unsigned
ctz64(uint64_t v)
{
#ifdef __GNUC__
	return (unsigned)__builtin_ctzll(v);
#else
	unsigned k = 0;

	for (; (v & 1) == 0; v >>= 1)
		k++;
	return k;
#endif
}


/*
 * The bytes of p[0..m) that are not PLAIN or WSP ("others"), up to the
 * first LF at least: bit k of o[k / 64] for p[k].  Returns the offset of
 * the first one (m when there is none); the bytes before it are copied to
 * d when d is not NULL.
 */
static unsigned
seg_scalar(const unsigned char *p, unsigned m, unsigned char *d,
    uint64_t o[2])
{
	unsigned r = 0, k;

	while (r < m && run[p[r]])
		r++;
	if (d != NULL)
		memcpy(d, p, r);
	o[0] = o[1] = 0;
	for (k = r; k < m; k++)
		if (!run[p[k]]) {
			o[k / 64] |= (uint64_t)1 << (k % 64);
			if (p[k] == '\n')
				break;
		}
	return r;
}

#if defined(__SSE2__) && defined(__GNUC__) && !defined(MC_NO_SIMD)
#define HAVE_SSE2
#include <emmintrin.h>

/* A bit for each of the sixteen bytes of v that is not PLAIN or WSP. */
static inline unsigned
other16(__m128i v)
{
	/* Adding 96 takes 32..126 to -128..-34 and every other byte above,
	 * in one signed comparison. */
	__m128i ok = _mm_cmpgt_epi8(_mm_set1_epi8(-33),
	    _mm_add_epi8(v, _mm_set1_epi8(96)));

	ok = _mm_andnot_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('=')), ok);
	ok = _mm_or_si128(ok, _mm_cmpeq_epi8(v, _mm_set1_epi8('\t')));
	return (unsigned)_mm_movemask_epi8(ok) ^ 0xffff;
}

/*
 * seg_scalar for m == SEG, SSE2 being in every x86-64: all SEG bytes are
 * looked at and copied to d, whatever the line's length, so that no
 * branch depends on it.
 */
static inline unsigned
seg_sse2(const unsigned char *p, unsigned char *d, uint64_t o[2])
{
	__m128i v0 = _mm_loadu_si128((const __m128i *)p);
	__m128i v1 = _mm_loadu_si128((const __m128i *)(p + 16));
	__m128i v2 = _mm_loadu_si128((const __m128i *)(p + 32));
	__m128i v3 = _mm_loadu_si128((const __m128i *)(p + 48));
	__m128i v4 = _mm_loadu_si128((const __m128i *)(p + 64));

	_mm_storeu_si128((__m128i *)d, v0);
	_mm_storeu_si128((__m128i *)(d + 16), v1);
	_mm_storeu_si128((__m128i *)(d + 32), v2);
	_mm_storeu_si128((__m128i *)(d + 48), v3);
	_mm_storeu_si128((__m128i *)(d + 64), v4);
	o[0] = (uint64_t)other16(v0) | (uint64_t)other16(v1) << 16 |
	    (uint64_t)other16(v2) << 32 | (uint64_t)other16(v3) << 48;
	o[1] = other16(v4);
	return o[0] != 0 ? ctz64(o[0]) : 64 + ctz64(o[1] | 0x10000);
}
#endif

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

/* An output line end: counting takes LF, as mc_qp_count_init says. */
#define EOL(d, crlf)	do {						\
	if (crlf)							\
		*(d)++ = '\r';						\
	*(d)++ = '\n';							\
} while (0)

/* Where encode() is: the text, how far it got, the output and its column. */
struct enc {
	struct mc_qp *st;
	const unsigned char *p;
	size_t n;		/* bytes at p */
	size_t lim;		/* units from here on wait for more lookahead */
	size_t i;		/* the next unit */
	int final;		/* p ends the text */
	int crlf;
	int col;		/* characters on the output line */
	enum mc_way how;
	unsigned char *d;	/* where the next output byte goes */
	unsigned char *base;	/* d when last counted */
	unsigned char *end;
	unsigned char *scratch;	/* SCRATCH bytes, written when counting */
};

/*
 * Where encode() writes: straight into the output's buffer, or into
 * scratch when counting.  Counts what was written since base, and makes
 * room at d for at least ROOM more bytes (d NULL when the output failed).
 */
static unsigned char *
more(struct enc *c)
{
	struct mc_qp *st = c->st;
	size_t room;

	st->bytes += (size_t)(c->d - c->base);
	if (st->out == NULL) {
		c->base = c->scratch;
		c->end = c->scratch + SCRATCH;
		return c->d = c->base;
	}
	mc_out_commit(st->out, (size_t)(c->d - c->base));
	if ((c->base = mc_out_reserve(st->out, ROOM, &room)) == NULL)
		return c->d = NULL;
	c->end = c->base + room;
	return c->d = c->base;
}

/* SPEC 2: a "." or an "F" starting an output line may have to be =XX. */
static inline int
risky_start(unsigned b, int col)
{
	return col == 0 && (b == '.' || b == 'F');
}

/* SPEC 2: ... and has to when the "." is the whole line or the "F" starts
 * "From ", so that no line is a lone "." or starts with "From ". */
static int
spec2_encode(const unsigned char *p, size_t n, size_t i, int col, int eol)
{
	return risky_start(p[i], col) && ((p[i] == '.' && eol) ||
	    (p[i] == 'F' && i + 4 < n && memcmp(p + i + 1, "rom ", 4) == 0));
}

/*
 * No two spaces in a row from column 72 on the line of the e bytes at p,
 * x of them others (3 columns each), starting at column col: from there
 * the first would be =20 (RFC 2045 6.7 (3), room for it before a soft
 * break).
 */
static int
pairs_ok(const unsigned char *p, unsigned e, unsigned x, int col)
{
	unsigned k = 0;
	int c = col;

	if (col + (int)(e + 2 * x) < WIDE + 3)
		return 1;	/* a pair needs a third column after it */
	if (x == 0 && col < WIDE) {
		k = (unsigned)(WIDE - col);
		c = WIDE;
	}
	for (; k + 1 < e; c += run[p[k]] ? 1 : 3, k++)
		if (c >= WIDE && WSP(p[k]) && WSP(p[k + 1]))
			return 0;
	return 1;
}

/* Copies n bytes from s to d: sixteen at a time, so past n, when wide
 * says both have room for it. */
static inline void
copy(unsigned char *d, const unsigned char *s, unsigned n, int wide)
{
	unsigned k;

	if (!wide)
		memcpy(d, s, n);
	else
		for (k = 0; k < n; k += 16)
			memcpy(d + k, s + k, 16);
}

/*
 * Writes the line of the e bytes at p, whose others are the bits of o, to
 * d, where the r before the first other are already, with =XX for the
 * others, and returns the end.  wide: p and d have 15 bytes to spare
 * after the line.
 */
static unsigned char *
expand(unsigned char *d, const unsigned char *p, unsigned r, unsigned e,
    const uint64_t o[2], int wide)
{
	uint64_t bits;
	unsigned k, at = r, half;

	d += r;
	for (half = 0; half < 2; half++)
		for (bits = o[half]; bits != 0; bits &= bits - 1) {
			k = 64 * half + ctz64(bits);
			if (k >= e)
				break;
			copy(d, p + at, k - at, wide);
			d += k - at;
			memcpy(d, eqhex[p[k]], 4);
			d += 3;
			at = k + 1;
		}
	copy(d, p + at, e - at, wide);
	return d + e - at;
}

/*
 * The end of the line of p[0..m) whose first other is at r, if the rest
 * of the line may fit: returns e, the bytes before it, x of them others
 * (the bits of o), which go out as =XX (3 columns each, whatever the
 * units they make up); m when the line goes past column 76 or past m.
 */
static unsigned
line_end(const unsigned char *p, unsigned m, unsigned r, int col,
    const uint64_t o[2], unsigned *x)
{
	uint64_t t[2] = { o[0], o[1] };
	unsigned e = r;

	for (*x = 0; e < m && p[e] != '\n' &&
	    (p[e] != '\r' || p[e + 1] != '\n'); (*x)++) {
		if (col + e + 3 + 2 * *x > HARD)
			return m;
		if (t[0] != 0)
			t[0] &= t[0] - 1;
		else
			t[1] &= t[1] - 1;
		e = t[0] != 0 ? ctz64(t[0]) :
		    t[1] != 0 ? 64 + ctz64(t[1]) : m;
	}
	return e;
}

/* Ends the output line: a soft break ("=") when soft. */
static inline void
put_eol(struct enc *c, int soft)
{
	if (soft)
		*c->d++ = '=';
	EOL(c->d, c->crlf);
	c->col = 0;
}

/*
 * The fast path: where the rules of one_unit() provably keep every PLAIN
 * and WSP byte as it is and write each other byte as =XX, which for most
 * lines of most texts they do, it takes the rest of the line, or up to a
 * soft break, at once and returns 1.  Otherwise it takes only the bytes
 * the rules surely keep (none where they must decide: a line start of
 * SPEC 2, an =XX unit, a column past the soft break) and returns 0.
 */
static int
fast(struct enc *c)
{
	const unsigned char *p = c->p + c->i;
	size_t m = c->n - c->i - 1;	/* the bytes it looks at, one more */
	uint64_t o[2];
	unsigned r, e, x, k, need;
	int eol, col = c->col;

	if (m > SEG)
		m = SEG;
	if (c->how == MC_WAY_UNIT || col > SOFT || m == 0 ||
	    risky_start(p[0], col) ||
	    (!run[p[0]] && p[0] != '\n' && p[0] != '\r'))
		return 0;
#ifdef HAVE_SSE2
	if (c->how == MC_WAY_SSE2 && m == SEG)
		r = seg_sse2(p, c->d, o);
	else
#endif
		r = seg_scalar(p, (unsigned)m, c->st->out != NULL ? c->d : NULL,
		    o);
	x = 0;
	e = r < m && p[r] == '\n' ? r :		/* most lines */
	    line_end(p, (unsigned)m, r, col, o, &x);
	eol = e < m ? (p[e] == '\n' ? 1 : 2) : 0;
	need = (unsigned)(HARD - col);	/* bytes up to column 75 */
	if (eol > 0 && e + 2 * x <= need && (e == 0 || !WSP(p[e - 1])) &&
	    pairs_ok(p, e, x, col)) {
		/*
		 * The rest of the line fits (RFC 2045 6.7 (5)), with no space
		 * before its end (6.7 (3)), and no two spaces in a row from
		 * column 72, where the first would not leave room for an =20:
		 * it goes out as it is, but for its others.
		 */
		if (x == 0 || c->st->out == NULL)
			c->d += e + 2 * x;	/* counting: any bytes */
		else
			c->d = expand(c->d, p, r, e, o, c->n - c->i > SEG + 16);
		put_eol(c, 0);
		c->i += e + (unsigned)eol;
		return 1;
	}
	if (r >= need && (r > need || (r < m && eol == 0))) {
		/*
		 * RFC 2045 6.7 (5): the byte at column 75 is not before a
		 * line end, so a soft break comes before it, or before a space
		 * at column 74 (6.7 (3)).  The bytes before the break are kept
		 * when the last is no space and no two spaces come in a row at
		 * columns 72 and 73.
		 */
		k = (unsigned)(SOFT - col);
		if (k > 0 && WSP(p[k - 1]))
			k--;
		if (k == 0 || (!WSP(p[k - 1]) && (col > WIDE ||
		    !WSP(p[WIDE - col]) || !WSP(p[WIDE + 1 - col])))) {
			c->d += k;
			put_eol(c, 1);
			c->i += k;
			return 1;
		}
	}
	/* Otherwise what is surely kept: a byte before column 72 with a
	 * PLAIN or WSP one after it. */
	k = col < WIDE ? WIDE - col : 0;
	if (k > r)
		k = r;
	if (k == r && k > 0 && WSP(p[k - 1]))
		k--;
	c->d += k;
	c->i += k;
	c->col += (int)k;
	return 0;
}

/*
 * Units written as =XX (8-bit text, "=", controls) that fit before the
 * soft-break column, where what follows them cannot matter.  Returns how
 * many bytes it took.
 */
static size_t
xx_run(struct enc *c)
{
	const unsigned char *p = c->p;
	size_t i = c->i, len, k;
	unsigned b;
	int w;

	for (; i < c->lim && c->col <= SOFT - 3 && c->end - c->d >= 16;
	    i += len) {
		b = p[i];
		if (run[b] || b == '\n' || b == '\r')
			break;
		/* unit(), inline: a whole UTF-8 character or one byte. */
		len = b < 0xc2 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 :
		    b < 0xf5 ? 4 : 1;
		for (k = 1; k < len; k++)
			if (i + k >= c->n || (p[i + k] & 0xc0) != 0x80) {
				len = 1;
				break;
			}
		w = 3 * (int)len;
		if (c->col + w > SOFT) {
			/* A soft break before it, as one_unit() does, unless
			 * a line end follows it (76 may fit). */
			if (at_end(p, c->n, i + len, 0))
				break;
			put_eol(c, 1);
		}
		if (c->st->out != NULL)
			for (k = 0; k < len; k++)
				memcpy(c->d + 3 * k, eqhex[p[i + k]], 4);
		c->d += w;
		c->col += w;
	}
	k = i - c->i;
	c->i = i;
	return k;
}

/*
 * The rules, one unit at a time: RFC 2045 6.7 (2) plain bytes as they are,
 * (3) no space or TAB before a line end, (4) line ends, (5) soft breaks
 * before column 76, and SPEC 2's line starts.
 */
static void
one_unit(struct enc *c)
{
	const unsigned char *p = c->p;
	size_t i = c->i, n = c->n, len, k;
	unsigned b = p[i];
	int w, xw, eol;

	if (PLAIN(b) && c->col < SOFT && !risky_start(b, c->col)) {
		*c->d++ = (unsigned char)b;
		c->col++;
		c->i++;
		return;
	}
	/* Room for any unit after it, and no line end next. */
	if (WSP(b) && c->col <= SOFT - 13 && i + 1 < n && p[i + 1] != '\n' &&
	    p[i + 1] != '\r') {
		*c->d++ = (unsigned char)b;
		c->col++;
		c->i++;
		return;
	}
	if (b == '\n' || (b == '\r' && i + 1 < n && p[i + 1] == '\n')) {
		put_eol(c, 0);
		c->i += b == '\n' ? 1 : 2;
		return;
	}
	eol = at_end(p, n, i + unit(p, n, i, &w), c->final);
	/* Decided at the column it lands on: after a soft break, again. */
	for (;;) {
		len = unit(p, n, i, &w);
		if (WSP(b)) {
			/*
			 * RFC 2045 6.7 (3): no space or TAB before a line end,
			 * soft or hard.  It stands for itself only when what
			 * follows stays on this line.
			 */
			if (eol)
				w = 3;
			else if (WSP(p[i + 1]))
				w = c->col < SOFT - 3 ? 1 : 3;
			else {
				k = unit(p, n, i + 1, &xw);
				w = c->col + 1 + xw <= (at_end(p, n, i + 1 + k,
				    0) ? HARD : SOFT) ? 1 : 3;
			}
		} else if (spec2_encode(p, n, i, c->col, eol))
			w = 3;
		/* 76 only before a hard line end: the end of the text gets
		 * a soft break (mc_qp_finish). */
		if (c->col + w <= (at_end(p, n, i + len, 0) ? HARD : SOFT))
			break;
		put_eol(c, 1);
	}
	if (w == 1)
		*c->d++ = (unsigned char)b;
	else
		for (k = i; k < i + len; k++) {
			*c->d++ = '=';
			*c->d++ = (unsigned char)hex[p[k] >> 4];
			*c->d++ = (unsigned char)hex[p[k] & 15];
		}
	c->col += w;
	c->i += len;
}

/*
 * Encodes the units of p[0..n) whose lookahead is there (all of them when
 * final) and returns the bytes used: the fast path where it can, the =XX
 * runs, else one unit by the rules.  Output goes straight into the
 * output's buffer, or into scratch when counting.
 */
static size_t
encode(struct mc_qp *st, const unsigned char *p, size_t n, int final)
{
	unsigned char scratch[SCRATCH];
	struct enc c;

	c.lim = final ? n : n > LOOK ? n - LOOK : 0;
	if (c.lim == 0)
		return 0;
	c.st = st;
	c.p = p;
	c.n = n;
	c.i = 0;
	c.final = final;
	c.crlf = st->out != NULL && st->out->crlf;
	c.col = st->col;
	c.how = mc_way(MC_CODEC_QP);
	c.scratch = c.base = c.d = scratch;
	if (more(&c) == NULL)
		return 0;
	while (c.i < c.lim) {
		if (c.end - c.d < ROOM && more(&c) == NULL)
			break;
		if (fast(&c) || xx_run(&c) > 0 || c.i >= c.lim)
			continue;
		one_unit(&c);
	}
	if (c.d != NULL) {
		st->bytes += (size_t)(c.d - c.base);
		if (st->out != NULL)
			mc_out_commit(st->out, (size_t)(c.d - c.base));
	}
	st->col = c.col;
	return c.i;
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
	encode(st, st->pend, st->npend, 1);
	st->npend = 0;
	/* RFC 2045 6.7 (5): text without a final line end ends in a soft
	 * break, so the output ends in a line end and decodes the same. */
	if (st->col > 0 && !FAILED(st)) {
		if (st->out != NULL && (mc_out_write(st->out, "=", 1) == -1 ||
		    mc_out_eol(st->out) == -1))
			return -1;
		st->bytes += st->out != NULL && st->out->crlf ? 3 : 2;
		st->col = 0;
	}
	return FAILED(st) ? -1 : 0;
}
