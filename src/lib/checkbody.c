/* SPDX-License-Identifier: ISC */
/* Bodies for the checker: true to their transfer encoding (RFC 2045 2.7,
 * 2.8, 6.7, 6.8) and to a declared UTF-8 (RFC 3629). */
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "check.h"

/* 0-63 for the base64 alphabet, 64 for "=", 65 for anything else. */
static unsigned char b64[256];
/* 1 for what quoted-printable carries as it is: "!".."~" but "=". */
static unsigned char qp_plain[256];

static void
tables(void)
{
	static int done;
	const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789+/";
	int i;

	if (done)
		return;
	memset(b64, 65, sizeof(b64));
	for (i = 0; a[i] != '\0'; i++)
		b64[(unsigned char)a[i]] = (unsigned char)i;
	b64['='] = 64;
	for (i = 33; i < 127; i++)
		qp_plain[i] = i != '=';
	done = 1;
}

int
ck_b64v(unsigned char c)
{
	tables();
	return b64[c] < 64 ? b64[c] : -1;
}

void
ck_body_begin(struct mc_check *c)
{
	struct ck_body *b = &c->body;
	uint64_t said = b->said;

	tables();
	memset(b, 0, sizeof(*b));
	b->said = said;
	b->lastline = c->line;
	b->u8_on = c->ent.utf8;
	mc_utf8_init(&b->u8);
}

static void
utf8_feed(struct mc_check *c, const void *p, size_t n)
{
	struct ck_body *b = &c->body;

	if (b->u8.bad)
		return;
	if (mc_utf8_step(&b->u8, p, n) == -1 && ck_once(c, R_UTF8))
		ck_say(c, R_UTF8, c->line, "%s is declared UTF-8 but is not",
		    c->ent.type[0] ? c->ent.type : "text/plain");
}

/* 7bit and 8bit: RFC 2045 2.7, 2.8 (no NUL; 7bit: nothing above 127). */
static void
plain(struct mc_check *c, const unsigned char *p, size_t n)
{
	struct ck_body *b = &c->body;
	size_t i;
	int seven = c->ent.cte == MC_CTE_7BIT;
	uint64_t want = ((uint64_t)1 << R_BODY_NUL) |
	    (seven ? (uint64_t)1 << R_BODY_8BIT : 0);

	if ((b->said & want) == want)
		return;
	for (i = 0; i < n; i++) {
		if (p[i] == 0 && ck_once(c, R_BODY_NUL))
			ck_say(c, R_BODY_NUL, c->line, "a NUL byte in a %s "
			    "body", seven ? "7bit" : "8bit");
		if (p[i] >= 0x80 && seven && ck_once(c, R_BODY_8BIT))
			ck_say(c, R_BODY_8BIT, c->line, "8-bit bytes in a "
			    "7bit body (label it 8bit or encode it)");
	}
}

static void
b64_byte(struct mc_check *c, unsigned char ch)
{
	struct ck_body *b = &c->body;
	unsigned v = b64[ch];
	unsigned char out;

	if (v == 65) {
		if (ck_once(c, R_B64_ALPHABET))
			ck_say(c, R_B64_ALPHABET, c->line, ch >= 33 &&
			    ch < 127 ? "'%c' in a base64 body" : "byte %d "
			    "in a base64 body", ch);
		return;
	}
	if (v == 64) {
		if (b->b64_quantum < 2 && !b->b64_pad &&
		    ck_once(c, R_B64_PADDING))
			ck_say(c, R_B64_PADDING, c->line, "'=' where no "
			    "padding can be");
		b->b64_pad = 1;
		b->b64_quantum = (b->b64_quantum + 1) & 3;
		return;
	}
	if (b->b64_pad && ck_once(c, R_B64_PADDING))
		ck_say(c, R_B64_PADDING, c->line, "base64 data after the "
		    "padding '='");
	b->b64_quantum = (b->b64_quantum + 1) & 3;
	if (!b->u8_on)
		return;
	b->b64_acc = b->b64_acc << 6 | v;
	if ((b->b64_bits += 6) >= 8) {
		b->b64_bits -= 8;
		out = (unsigned char)(b->b64_acc >> b->b64_bits);
		utf8_feed(c, &out, 1);
	}
}

/* The common line: nothing but the alphabet.  "=" (64) and the rest (65)
 * have bit 6 set in the table, the alphabet (0-63) never. */
static int
all_b64(const unsigned char *p, size_t n)
{
	unsigned char acc = 0;
	size_t i = 0;

#ifdef __SSE2__
	/* 16 at a time: A-Z, a-z, 0-9, "+" or "/" (signed compares: bytes
	 * past 127 are negative and in no range). */
	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(p + i));
		__m128i up = _mm_and_si128(_mm_cmpgt_epi8(v,
		    _mm_set1_epi8('A' - 1)), _mm_cmplt_epi8(v,
		    _mm_set1_epi8('Z' + 1)));
		__m128i lo = _mm_and_si128(_mm_cmpgt_epi8(v,
		    _mm_set1_epi8('a' - 1)), _mm_cmplt_epi8(v,
		    _mm_set1_epi8('z' + 1)));
		__m128i dg = _mm_and_si128(_mm_cmpgt_epi8(v,
		    _mm_set1_epi8('0' - 1)), _mm_cmplt_epi8(v,
		    _mm_set1_epi8('9' + 1)));
		__m128i ps = _mm_or_si128(_mm_cmpeq_epi8(v,
		    _mm_set1_epi8('+')), _mm_cmpeq_epi8(v,
		    _mm_set1_epi8('/')));
		if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(up, lo),
		    _mm_or_si128(dg, ps))) != 0xffff)
			return 0;
	}
#endif
	for (; i < n; i++)
		acc |= b64[p[i]];
	return !(acc & 64);
}

static void
base64(struct mc_check *c, const unsigned char *p, size_t n, int last)
{
	struct ck_body *b = &c->body;
	size_t i;

	b->col += n;
	if (last && b->col > MC_ENC_COLS && ck_once(c, R_B64_LINE))
		ck_say(c, R_B64_LINE, c->line, "a base64 line of %zu "
		    "characters (at most %d)", b->col, MC_ENC_COLS);
	if (!b->b64_pad && !b->u8_on && all_b64(p, n)) {
		b->b64_quantum = (int)((b->b64_quantum + n) & 3);
		return;
	}
	for (i = 0; i < n; i++)
		b64_byte(c, p[i]);
}

static void
qp_bad(struct mc_check *c, const char *what)
{
	if (ck_once(c, R_QP_ESCAPE))
		ck_say(c, R_QP_ESCAPE, c->line, "%s", what);
}

/* One byte of a quoted-printable line (RFC 2045 6.7). */
static void
qp_byte(struct mc_check *c, unsigned char ch)
{
	struct ck_body *b = &c->body;
	unsigned char out;
	int h = ck_hexv(ch);

	switch (b->qp_state) {
	case 1:		/* after "=" */
		if (h >= 0) {
			b->qp_hex = h;
			b->qp_state = 2;
		} else if (ch == ' ' || ch == '\t')
			b->qp_state = 3;
		else {
			qp_bad(c, "an '=' not followed by two hex digits");
			b->qp_state = 0;
		}
		return;
	case 2:		/* after "=X" */
		b->qp_state = 0;
		if (h < 0) {
			qp_bad(c, "an '=' not followed by two hex digits");
			return;
		}
		out = (unsigned char)(b->qp_hex << 4 | h);
		if (b->u8_on)
			utf8_feed(c, &out, 1);
		b->qp_ws = 0;
		return;
	case 3:		/* "=" and white space: only more may follow */
		if (ch == ' ' || ch == '\t')
			return;
		qp_bad(c, "an '=' followed by white space, then text");
		b->qp_state = 0;
		break;
	}
	if (ch == '=') {
		b->qp_state = 1;
		return;
	}
	b->qp_ws = ch == ' ' || ch == '\t';
	if (!qp_plain[ch] && !b->qp_ws && ck_once(c, R_QP_RAW))
		ck_say(c, R_QP_RAW, c->line, "byte %d unencoded in a "
		    "quoted-printable body", ch);
	if (b->u8_on)
		utf8_feed(c, &ch, 1);
}

static void
qp_line_end(struct mc_check *c)
{
	struct ck_body *b = &c->body;

	if (b->col > MC_ENC_COLS && ck_once(c, R_QP_LINE))
		ck_say(c, R_QP_LINE, c->line, "a quoted-printable line of %zu "
		    "characters (at most %d)", b->col, MC_ENC_COLS);
	if (b->qp_state == 2)
		qp_bad(c, "an '=' and one hex digit at the end of a line");
	else if (b->qp_state == 3 && ck_once(c, R_QP_SOFT))
		ck_say(c, R_QP_SOFT, c->line, "white space after the '=' of "
		    "a soft line break");
	else if (b->qp_state == 0 && b->qp_ws && ck_once(c, R_QP_TRAILING))
		ck_say(c, R_QP_TRAILING, c->line, "white space at the end of "
		    "a quoted-printable line (encode it as =20 or =09)");
	if (b->qp_state == 0 && b->u8_on)
		utf8_feed(c, "\n", 1);
	b->qp_state = 0;
	b->qp_ws = 0;
}

static void
qp(struct mc_check *c, const unsigned char *p, size_t n, int last)
{
	struct ck_body *b = &c->body;
	size_t i;

	b->col += n;
	for (i = 0; i < n; i++) {
		/* The common bytes, when nothing is pending. */
		if (b->qp_state == 0 && qp_plain[p[i]] && !b->u8_on) {
			b->qp_ws = 0;
			continue;
		}
		qp_byte(c, p[i]);
	}
	if (last)
		qp_line_end(c);
}

void
ck_body_line(struct mc_check *c, const unsigned char *p, size_t n, int first,
    int last)
{
	struct ck_body *b = &c->body;

	if (first)
		b->col = 0;
	b->lastline = c->line;
	switch (c->ent.cte) {
	case MC_CTE_BASE64:
		base64(c, p, n, last);
		return;
	case MC_CTE_QP:
		qp(c, p, n, last);
		return;
	case MC_CTE_7BIT:
	case MC_CTE_8BIT:
		plain(c, p, n);
		break;
	default:	/* binary, or unknown: said in the header */
		break;
	}
	if (b->u8_on && !b->u8.bad) {
		utf8_feed(c, p, n);
		if (last)
			utf8_feed(c, "\n", 1);
	}
}

void
ck_body_end(struct mc_check *c)
{
	struct ck_body *b = &c->body;

	if (c->ent.cte == MC_CTE_BASE64 && b->b64_quantum != 0 &&
	    ck_once(c, R_B64_PADDING))
		ck_say(c, R_B64_PADDING, b->lastline, "the base64 body ends "
		    "inside a group of four characters");
	if (b->u8_on && !b->u8.bad && mc_utf8_finish(&b->u8) == -1 &&
	    ck_once(c, R_UTF8))
		ck_say(c, R_UTF8, b->lastline, "%s is declared UTF-8 but ends "
		    "inside a character", c->ent.type[0] ? c->ent.type :
		    "text/plain");
}
