/* SPDX-License-Identifier: ISC */
/* Private to the checker (check*.c): its state, bounded in every part. */
#ifndef CHECK_H
#define CHECK_H

#include "mc.h"

#define CK_LINE		1024	/* a line is looked at in pieces this long */
#define CK_FIELD	(64 * 1024)	/* octets of one unfolded field */
#define CK_FLINES	64	/* line starts remembered in one field */
#define CK_DEPTH	MC_MAX_DEPTH	/* multiparts and messages nested */
#define CK_TYPE		128	/* "type/subtype", lower case */

/* The rules: one table (check.c) names them for every path. */
enum ck_rule {
	R_FROM_MISSING, R_DATE_MISSING, R_FIELD_REPEATED, R_HEADER_SYNTAX,
	R_HEADER_8BIT, R_LINE_LONG, R_ADDRESS, R_DATE, R_MSGID,
	R_MIME_VERSION_MISSING, R_MIME_VERSION, R_CT_SYNTAX, R_CD_SYNTAX,
	R_PARAM_REPEATED, R_CHARSET_UNKNOWN, R_CTE_UNKNOWN,
	R_MULTIPART_ENCODED, R_RFC822_ENCODED, R_BODY_8BIT, R_BODY_NUL,
	R_B64_ALPHABET, R_B64_PADDING, R_B64_LINE, R_QP_ESCAPE,
	R_QP_RAW, R_QP_TRAILING, R_QP_SOFT, R_QP_LINE, R_BOUNDARY_MISSING,
	R_BOUNDARY_SYNTAX, R_BOUNDARY_NOT_FOUND, R_BOUNDARY_NOT_CLOSED,
	R_BOUNDARY_IN_BODY, R_BOUNDARY_NESTED, R_PART_EMPTY,
	R_2047_SYNTAX, R_2047_LONG, R_2047_LINE, R_2047_PLACEMENT,
	R_2047_CHARSET, R_2047_DECODE, R_2231_CONT, R_2231_ORDER,
	R_2231_SYNTAX, R_UTF8, R_LONE_DOT, R_FROM_LINE, R_BARE_CR,
	R_EOL_MIXED, R_LIMIT_FIELD, R_LIMIT_DEPTH, R_NRULES
};

enum ck_mode {
	CK_HEADER,	/* a header block */
	CK_BODY,	/* a leaf's body */
	CK_PREAMBLE,	/* a multipart's text before its first part */
	CK_EPILOGUE,	/* text after a close delimiter, or an opaque body */
};

/* A multipart whose delimiters are being looked for. */
struct ck_frame {
	char boundary[MC_BOUNDARY_MAX + 1];
	size_t blen;
	char type[CK_TYPE];
	uint64_t line;		/* of its Content-Type */
	unsigned parts;		/* delimiters seen */
};

/* What a header block said about its entity. */
struct ck_entity {
	char type[CK_TYPE];	/* "" when none or invalid: text/plain */
	char boundary[MC_BOUNDARY_MAX + 1];
	int has_boundary;
	int boundary_said;	/* a boundary parameter was there */
	int utf8;		/* charset=utf-8 */
	enum mc_cte cte;	/* AUTO: binary or unknown (not checked) */
	int binary;
	int is_message;		/* the header of a message, not a part */
	int top;		/* the input's own header block */
	uint32_t seen;		/* singular fields seen (ck_singular bits) */
	int mime_fields;	/* a Content-* field was seen */
	uint64_t ct_line, cte_line, start_line;
	unsigned fields;
	int digest_parent;	/* in multipart/digest: message/rfc822 */
};

/* The body decoder and checks of the current leaf. */
struct ck_body {
	/* once-per-part findings already made (bits of enum ck_rule) */
	uint64_t said;
	int b64_quantum;	/* alphabet characters mod 4 */
	int b64_pad;		/* "=" seen: only "=" may follow */
	int b64_bits;
	unsigned b64_acc;
	int qp_state;		/* 0, 1: after "=", 2: after "=X" */
	int qp_hex;		/* the first hex digit's value */
	int qp_ws;		/* the line so far ends in white space */
	int qp_soft;		/* "=" then white space only */
	size_t col;		/* characters on the line so far */
	struct mc_utf8 u8;
	int u8_on;
	uint64_t lastline;	/* the body's last line so far */
};

struct mc_check {
	unsigned flags;
	mc_finding_fn fn;
	void *arg;
	uint64_t line;		/* the line being read (1-based) */
	int errors, warnings;
	/* the line being assembled */
	unsigned char buf[CK_LINE];
	size_t blen;		/* bytes of the current piece in buf */
	uint64_t llen;		/* octets of the current line so far */
	int piece;		/* the current line is past its first piece */
	int line_said;		/* line-too-long said for this entity */
	int cr;			/* the previous byte was a CR */
	int eol;		/* 0 unknown, 1 LF, 2 CRLF: the first line's */
	int eol_said, cr_said;
	int dot_said, from_said;
	/* structure */
	enum ck_mode mode;
	struct ck_frame frames[CK_DEPTH];
	int nframes;
	int depth;		/* multiparts and messages around the line */
	int depth_said;
	struct ck_entity ent;
	struct ck_body body;
	int hdr_empty;		/* no field in this header block yet */
	/* the field being assembled */
	char field[CK_FIELD + 1];
	size_t flen;
	int ftrunc;		/* longer than CK_FIELD: not parsed */
	uint64_t fline;
	uint64_t fstarts[CK_FLINES];	/* line of each unfolded line */
	size_t foffs[CK_FLINES];	/* its offset in field */
	int nfl;
	int piece_to_body;	/* the rest of this line is body */
	int mbox;		/* in an mbox "From " line */
	int f8bit;		/* a bad byte said for this field */
	char msg[320];
};

/* check.c */
void ck_say(struct mc_check *c, enum ck_rule r, uint64_t line,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Once per part: 1 when it had not been said (and says it now). */
int ck_once(struct mc_check *c, enum ck_rule r);
const char *ck_rule_name(enum ck_rule r);
int ck_hexv(int c);		/* a hex digit's value, else -1 */

/* checkhdr.c: a header block, field by field. */
void ck_header_begin(struct mc_check *c, int is_message);
/* One physical header line (no line end), piece by piece as for bodies;
 * 1 when it is no header line (said), so the body starts with it. */
int ck_header_line(struct mc_check *c, const unsigned char *p, size_t n,
    int first, int last);
void ck_header_end(struct mc_check *c);
/* The line of field offset off. */
uint64_t ck_field_line(const struct mc_check *c, size_t off);

/* checkparam.c: Content-Type and Content-Disposition parameters, RFC 2231. */
void ck_content_type(struct mc_check *c, const char *v, size_t n);
void ck_disposition(struct mc_check *c, const char *v, size_t n);
int ck_charset_known(const char *cs, size_t n);
/* RFC 5322 3.2.2 CFWS at *pp skipped; -1 for an unclosed comment. */
int ck_cfws(const char **pp, const char *end);

/* checkword.c: RFC 2047 encoded-words in a field value. */
void ck_words(struct mc_check *c, const char *v, size_t n, size_t off,
    int structured);
/* RFC 2047 2: a header line with an encoded-word is at most 76. */
void ck_words_line(struct mc_check *c, const unsigned char *p, size_t n);

/* checkbody.c: a leaf's body, line by line (pieces of long lines). */
void ck_body_begin(struct mc_check *c);
void ck_body_line(struct mc_check *c, const unsigned char *p, size_t n,
    int first, int last);
void ck_body_end(struct mc_check *c);
int ck_b64v(unsigned char c);	/* a base64 character's value, else -1 */

#endif /* CHECK_H */
