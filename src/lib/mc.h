/* SPDX-License-Identifier: ISC */
/* Private definitions shared by the library's files; not installed. */
#ifndef MC_H
#define MC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "mimecompose.h"

#define MC_LINE_MAX	998	/* RFC 5322 2.1.1: octets per line, hard */
#define MC_FOLD_COLS	78	/* RFC 5322 2.1.1: fold headers here */
#define MC_EW_COLS	76	/* RFC 2047 2: lines with encoded-words */
#define MC_EW_MAX	75	/* RFC 2047 2: one encoded-word */
#define MC_ENC_COLS	76	/* RFC 2045 6.7, 6.8: QP and base64 lines */
#define MC_HEADER_MAX	(256 * 1024)	/* header block of a read entity */
#define MC_FIELDS_MAX	1000	/* fields in a header block */
#define MC_ADDRS_MAX	1000	/* addresses in one message */
#define MC_PARAM_MAX	4096	/* octets of one parameter or header value */
#define MC_LIST_MAX	(256 * 1024)	/* octets of an address or id list */
#define MC_BOUNDARY_MAX	70	/* RFC 2046 5.1.1 */
#define MC_HOLD_MAX	32	/* leaf files a write keeps open (writer.c) */

/* error.c: fill err (may be NULL) and return code.  The what string is
 * copied; fmt is printf-style detail, may be NULL. */
enum mc_err mc_fail(struct mc_error *err, enum mc_err code, int sys,
    const char *what, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/*
 * buf.c: a growable byte string, always NUL-terminated.
 */
struct mc_buf {
	char *p;
	size_t len, cap;
	int oom;		/* an append failed; the content is short */
};
void mc_buf_init(struct mc_buf *b);
void mc_buf_free(struct mc_buf *b);
void mc_buf_add(struct mc_buf *b, const void *p, size_t n);
void mc_buf_adds(struct mc_buf *b, const char *s);
void mc_buf_addc(struct mc_buf *b, char c);
void mc_buf_printf(struct mc_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *mc_strdup(const char *s);	/* NULL stays NULL; NULL when out of memory */

/*
 * lex.c: the tokens that headers, drafts and read entities share.
 */
/* RFC 5234 WSP: a space or a TAB. */
static inline int
mc_wsp(int c)
{
	return c == ' ' || c == '\t';
}
int mc_atext(unsigned char c);		/* RFC 5322 3.2.3 atext */
int mc_tokenc(unsigned char c);		/* an RFC 2045 5.1 token character */
/* s is not empty and ok holds for each of its bytes. */
int mc_all(const char *s, int (*ok)(unsigned char));
/* A token per RFC 2045 5.1 (no tspecials, controls or space). */
int mc_is_token(const char *s);
/* RFC 2045 5.1 "type/subtype" in s[0..n): two tokens of 1 to max
 * characters each (RFC 6838 4.2: 127). */
int mc_type_ok(const char *s, size_t n, size_t max);
/* The part of path after its last "/"; path itself when that is empty. */
const char *mc_base_name(const char *path);
/* Skips CFWS (RFC 5322 3.2.2) at *pp: 1 when some was skipped, 0 when
 * none, MC_CFWS_OPEN for an unbalanced comment, MC_CFWS_DEEP for one
 * nested past MC_COMMENT_DEPTH.  While first (may be NULL) is empty, a
 * comment's text, white space at its ends dropped, is put there. */
#define MC_COMMENT_DEPTH	16
#define MC_CFWS_OPEN	(-1)
#define MC_CFWS_DEEP	(-2)
int mc_cfws(const char **pp, struct mc_buf *first);
/* The "Name:" of a header line s[0..n) (RFC 5322 2.2, 3.6.8): the offset
 * just past the colon and the name's length in *namelen; obs allows white
 * space before the colon (RFC 5322 4.5.1), not counted in the name.  Else
 * MC_FIELD_NOCOLON, MC_FIELD_NONAME or MC_FIELD_BADNAME (a character that
 * is not printable ASCII). */
int mc_fieldname_ok(const char *s, size_t n);	/* RFC 5322 3.6.8 */
#define MC_FIELD_NOCOLON	(-1)
#define MC_FIELD_NONAME		(-2)
#define MC_FIELD_BADNAME	(-3)
int mc_field_name(const char *s, size_t n, int obs, size_t *namelen);
/* Unfolds a header block fed line by line (RFC 5322 2.2.3): a line that
 * starts with WSP continues the field before it; any other line hands
 * that field (NUL-terminated, writable) and the line it began on to fn
 * and starts the next. */
struct mc_unfold {
	struct mc_buf f;	/* the field being unfolded */
	unsigned long line;	/* the line it began on */
	enum mc_err (*fn)(void *arg, char *field, unsigned long line);
	void *arg;
};
void mc_unfold_init(struct mc_unfold *u,
    enum mc_err (*fn)(void *, char *, unsigned long), void *arg);
/* Takes line p[0..n) (no line end, no NUL), numbered line.  fn's error,
 * MC_ENOMEM, or MC_EDATA for a continuation before any field (err not
 * filled: the caller words it); after an error u holds nothing. */
enum mc_err mc_unfold_line(struct mc_unfold *u, const char *p, size_t n,
    unsigned long line);
/* Hands the last field to fn and frees what u holds. */
enum mc_err mc_unfold_end(struct mc_unfold *u);

/*
 * out.c: the buffered output every writer and encoder writes through.
 * Line endings are written with mc_out_eol, never as bytes, so that LF and
 * CRLF output are one flag.  After the first failure every call is a no-op
 * returning -1 and err/sys tell why.
 */
#define MC_OUT_BUF	(256 * 1024)	/* fewer write(2)s: measured, see bench/ */
struct mc_out {
	mc_write_fn fn;
	void *arg;
	int crlf;
	int failed;
	int sys;		/* errno of the failed write */
	int last;		/* the last byte written, or -1 */
	size_t len;
	unsigned char buf[MC_OUT_BUF];
};
void mc_out_init(struct mc_out *o, mc_write_fn fn, void *arg, int crlf);
int mc_out_write(struct mc_out *o, const void *p, size_t n);
int mc_out_puts(struct mc_out *o, const char *s);
int mc_out_eol(struct mc_out *o);
/* Writes text whose line ends are LF (or CRLF) as output line ends. */
int mc_out_text(struct mc_out *o, const char *p, size_t n);
int mc_out_flush(struct mc_out *o);
/* read(2) from fd, again after EINTR: the count, 0 at the end, -1 with
 * errno. */
ssize_t mc_fd_read(int fd, void *buf, size_t len);
/* An mc_write_fn for a descriptor (arg points to the int): all of buf,
 * through short writes and EINTR; 0 or an errno value. */
int mc_fd_write(void *arg, const void *buf, size_t len);
/* For encoders that write into the buffer itself: a pointer to at least
 * min (<= MC_OUT_BUF) free bytes, flushing first when fewer are free; the
 * free room in *room; NULL after a failure.  mc_out_commit adds the n bytes
 * written there.  Line ends written there must follow o->crlf. */
unsigned char *mc_out_reserve(struct mc_out *o, size_t min, size_t *room);
void mc_out_commit(struct mc_out *o, size_t n);

/*
 * codec.c: the ways the encoders and the UTF-8 check have, all giving the
 * same results; each goes the fastest way this CPU runs (tests force the
 * others: hooks.h).  -DMC_NO_SIMD builds the portable ways alone.
 */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(MC_NO_SIMD)
#define MC_X86_SIMD	1	/* AVX2 code is built, chosen at run time */
#endif
enum mc_codec { MC_CODEC_B64, MC_CODEC_QP, MC_CODEC_UTF8, MC_NCODECS };
enum mc_way {
	MC_WAY_LIBB64 = 1,	/* base64: Debian's libb64, the reference */
	MC_WAY_SCALAR,		/* portable C */
	MC_WAY_AVX2,		/* base64, UTF-8: 32 bytes at a time */
	MC_WAY_UNIT,		/* quoted-printable: the rules alone */
	MC_WAY_SSE2		/* quoted-printable: lines found with SSE2 */
};
enum mc_way mc_way(enum mc_codec c);
/* 1 when the CPU has AVX2 and the kernel saves its registers. */
int mc_cpu_avx2(void);

/*
 * b64.c: base64 (RFC 2045 6.8): lines of 76 characters, each ended by
 * the output's line end, the last one too.  No output for empty input.
 * Three codecs give the same bytes: libb64 (the reference), a portable
 * table encoder ("scalar") and AVX2 ("avx2", x86-64 CPUs that have it).
 * The fastest one the CPU runs is used (codec.c).
 */
struct mc_b64_codec;
struct mc_b64 {
	struct mc_out *out;
	const struct mc_b64_codec *codec;	/* chosen at init */
	size_t ncarry;
	unsigned char carry[57];
};
void mc_b64_init(struct mc_b64 *st, struct mc_out *out);
int mc_b64_step(struct mc_b64 *st, const void *p, size_t n);
int mc_b64_finish(struct mc_b64 *st);
/* Size of the encoded form of n bytes, line ends counted as eol bytes. */
uint64_t mc_b64_size(uint64_t n, int eol);
/* One-shot, no line breaks (for encoded-words): writes 4*ceil(n/3) chars
 * and a NUL to dst. */
void mc_b64_plain(char *dst, const void *src, size_t n);

/*
 * qp.c: quoted-printable text (RFC 2045 6.7).  Input line ends (LF or
 * CRLF) become output line ends; a bare CR is =0D.  Lines of at most 76
 * characters with soft breaks; "=", controls but TAB, and bytes >= 0x80
 * encoded; a space or TAB before a line end (hard or soft) encoded; and,
 * for SPEC 2, a "." or the "F" of "From " at the start of an output line
 * encoded, so no line is a lone "." or starts with "From ".  A text that
 * does not end in a line end ends in a soft line break, so the output
 * always does and still decodes to exactly the input.
 */
struct mc_qp {
	struct mc_out *out;	/* NULL: count only */
	int col;		/* characters on the current output line */
	size_t npend;		/* raw bytes held back for lookahead */
	unsigned char pend[8];
	uint64_t bytes;		/* encoded bytes produced (for sizing) */
};
void mc_qp_init(struct mc_qp *st, struct mc_out *out);
/* Count only: nothing is written, and bytes ends as exactly the length of
 * what an encoder on an LF output would write for the same steps. */
void mc_qp_count_init(struct mc_qp *st);
int mc_qp_step(struct mc_qp *st, const void *p, size_t n);
int mc_qp_finish(struct mc_qp *st);

/*
 * utf8.c: an incremental UTF-8 validator (RFC 3629: no overlongs,
 * surrogates or values past U+10FFFF).
 */
struct mc_utf8 {
	uint64_t off;		/* bytes seen */
	uint64_t start;		/* offset of the sequence being read */
	uint32_t cp;
	int need;		/* continuation bytes still wanted */
	int len;		/* length of the current sequence */
	int bad;		/* nonzero once invalid; bad_off is set */
	uint64_t bad_off;
};
void mc_utf8_init(struct mc_utf8 *st);
/* 0 while valid, -1 once invalid (sticky; bad_off is the offset of the
 * first byte of the first bad sequence). */
int mc_utf8_step(struct mc_utf8 *st, const void *p, size_t n);
int mc_utf8_finish(struct mc_utf8 *st);	/* -1 on a truncated sequence */
/* Whole-string helpers: length of the UTF-8 character at s (1..4), or 0
 * when s does not start a valid one within n bytes. */
int mc_utf8_charlen(const unsigned char *s, size_t n);
int mc_utf8_valid(const char *s, size_t n);	/* 1 when valid, else 0 */
/* One character of s[0..n): its UTF-8 length, or 1 for a stray byte. */
size_t mc_utf8_unit(const char *s, size_t n);

/*
 * bound.c: boundaries that provably occur in no part.  A boundary is
 * "=_" c1 c2^k "." H: markers c1 and c2 (letters compared without case),
 * k copies of c2, and H the hex of 12 unique bytes, cut (to nothing at
 * worst) to keep it within 70 characters.  A scan records, for the lines
 * starting "--=_" c1 c2 (a CR ends a line too), run[c1][c2]: the longest
 * run of c2 right after c1.
 * Proof: a line starting "--" and the boundary has c1, then exactly k
 * copies of c2, then "." (no marker), so the run recorded for it is k.
 * The boundary takes the pair with the smallest run and k = that run + 1,
 * above every run recorded for the pair, so no line seen starts so.
 * Base64 and quoted-printable output never has "=_" at a line start, so
 * only 7bit, 8bit and read entities need scanning.
 */
#define MC_BOUND_MARKERS 16
struct mc_bound {
	/* run[c1][c2]: longest run of c2 after "--=_" c1, capped at 255 */
	uint8_t run[MC_BOUND_MARKERS][MC_BOUND_MARKERS];
	int state;			/* line-scan state */
	int first;			/* c1 of the line, or -1 */
	int marker;			/* c2 being counted, or -1 */
	int count;
};
void mc_bound_init(struct mc_bound *b);
void mc_bound_step(struct mc_bound *b, const void *p, size_t n);
/* Lines of a nested boundary count as seen. */
void mc_bound_merge(struct mc_bound *into, const struct mc_bound *from);
void mc_bound_note(struct mc_bound *b, const char *boundary);
/* 1 when every line seen by a was seen by b too (no run of a is longer). */
int mc_bound_within(const struct mc_bound *a, const struct mc_bound *b);
/* Nonzero when a line seen could be a delimiter of a boundary made here. */
int mc_bound_any(const struct mc_bound *b);
/* Makes a boundary (NUL-terminated, at most MC_BOUNDARY_MAX) from the
 * scan and 12 unique bytes.  -1 when every pair is used up (every run is
 * 66 or more: k = 67 leaves no room). */
int mc_bound_make(const struct mc_bound *b, const unsigned char uniq[12],
    char out[MC_BOUNDARY_MAX + 1]);

/*
 * scan.c: one pass over a text to choose its charset and transfer encoding
 * (SPEC 3, mime-text).
 */
struct mc_scan {
	uint64_t bytes;
	uint64_t nonascii;
	uint64_t lines;
	size_t linelen;		/* current line, octets */
	size_t maxline;		/* longest line, octets without the end */
	int nul, barecr, cr;	/* cr: last byte was CR */
	int dotline;		/* a line that is a lone "." */
	int noeol;		/* set by mc_scan_finish: no final line end */
	int fromline;		/* a line that starts with "From " */
	size_t lpos;		/* position in the current line (capped) */
	unsigned char lstart[5];	/* first bytes of the current line */
	struct mc_utf8 utf8;
	struct mc_bound bound;
	uint64_t first8;	/* offset of the first byte >= 0x80 */
	char why7[64], why8[64];	/* set by mc_scan_finish */
};
/* A scan holds no resources: nothing to free after it. */
void mc_scan_init(struct mc_scan *s);
void mc_scan_step(struct mc_scan *s, const void *p, size_t n);
void mc_scan_finish(struct mc_scan *s);
/* After mc_scan_finish: why 7bit or 8bit cannot carry the text (a phrase
 * borrowed from s), or NULL when it can; NULL for the other encodings. */
const char *mc_scan_why_not(const struct mc_scan *s, enum mc_cte cte);
/* The encoding for the text: 7bit when it can (and it ends in a line
 * break), else the smaller of
 * quoted-printable and base64 (quoted-printable on a tie).  The scan does
 * not count the quoted-printable size (the costliest part, and seldom
 * needed): qp is that size, as counted by mc_qp_count_init over the same
 * text, or NULL; MC_CTE_AUTO when it is NULL and the answer needs it. */
enum mc_cte mc_scan_choose(const struct mc_scan *s, const uint64_t *qp);
/* For a file read twice: 1 while the bytes scanned again so far (now)
 * show nothing the finished first scan did not: no more bytes, 8-bit
 * bytes, longer lines, NUL, bare CR, lone ".", "From " line, invalid
 * UTF-8 or boundary-like line.  end: now is finished too, and must also
 * have the same length and the same final line end. */
int mc_scan_holds(const struct mc_scan *now, const struct mc_scan *first,
    int end);

/*
 * fold.c: header fields built from tokens, folded before a token that
 * would pass 78 columns (76 on a line holding an encoded-word).  Fields are
 * built in an mc_buf with "\n" line ends.
 */
struct mc_fold {
	struct mc_buf *b;
	size_t line;		/* offset of the current line in b */
	int ew;			/* the current line holds an encoded-word */
	int empty;		/* no token written after "Name:" yet */
	size_t fws;		/* offset of the last fold point on the line, or 0 */
	int fws_ew;		/* an encoded-word follows that fold point */
};
void mc_fold_begin(struct mc_fold *f, struct mc_buf *b, const char *name);
/* Adds tok; space: a space goes before it (where the line may fold; '\t'
 * writes a TAB there instead); ew: tok is an encoded-word.  A token with
 * space 0 that would overflow the line moves the tokens after the line's
 * last fold point to a new line.  A token that cannot fit in 998 octets is
 * written anyway; callers keep tokens short. */
void mc_fold_token(struct mc_fold *f, const char *tok, size_t len, int space,
    int ew);
/* Folds now unless len more columns, after a space, fit on the current
 * line: keeps a group of tokens (a mailbox) together. */
void mc_fold_reserve(struct mc_fold *f, size_t len, int ew);
void mc_fold_end(struct mc_fold *f);	/* ends the field with "\n" */

/*
 * rfc2047.c: encoded-words (RFC 2047) in UTF-8, B or Q, whichever is
 * shorter, at most 75 characters, never splitting a character.
 */
/* Unstructured text (Subject, other fields): ASCII words stay as they are,
 * runs of words that need encoding become encoded-words (adjacent ones
 * merged, the spaces between them encoded inside).  value is UTF-8, no CR
 * or LF (the caller checks). */
void mc_2047_unstructured(struct mc_fold *f, const char *value);
/* A display name or other phrase: as atoms, a quoted string, or
 * encoded-words, whichever RFC 5322 3.2.5 allows and is plainest. */
void mc_2047_phrase(struct mc_fold *f, const char *value, int space);
/* Encoded-words for s[0..n) into f (each a token, space-separated). */
void mc_2047_words(struct mc_fold *f, const char *s, size_t n, int space);

/*
 * addr.c: address lists (RFC 5322 3.4) with raw UTF-8 display names.
 */
struct mc_addr {
	char *name;		/* display name, UTF-8, NULL when none */
	char *spec;		/* local@domain; NULL: a group, named name */
	size_t members;		/* a group: the entries after it that are in it */
};
struct mc_addrlist {
	struct mc_addr *v;
	size_t n, cap;
};
void mc_addrlist_free(struct mc_addrlist *l);
/* Parses list and appends to l; MC_EDATA with a detail for a bad list or
 * an address without @domain.  A group ("Team: a@x, b@y;") is an entry
 * without spec followed by its members. */
enum mc_err mc_addr_parse(struct mc_addrlist *l, const char *list,
    struct mc_error *err);
/* Writes "Name: a, b, ..." folded, into b. */
void mc_addr_field(struct mc_buf *b, const char *name,
    const struct mc_addrlist *l);

/*
 * rfc2231.c: Content-Type and Content-Disposition parameters (RFC 2045
 * 5.1, RFC 2231): token, quoted-string, or name*=utf-8''%XX with
 * continuations split on character boundaries.
 */
/* Adds "; name=value" tokens to a field being folded.  compat: write a
 * non-ASCII value as name="=?utf-8?B?...?=" (RFC 2047 inside quotes). */
void mc_2231_param(struct mc_fold *f, const char *name, const char *value,
    int compat);

/*
 * date.c: RFC 5322 3.3 dates.
 */
/* "Wed, 25 Nov 2026 21:15:20 +0000"; utc: +0000, else the local zone.
 * out holds at least 40 bytes. */
void mc_date_format(char *out, time_t t, int utc);
/* Parses an RFC 5322 date (obsolete forms too) or "@SECONDS" into the
 * canonical form in out (40 bytes); utc as above for "@SECONDS".  -1 when
 * it is not a date. */
int mc_date_normalize(char *out, const char *in, int utc);

/*
 * msgid.c: Message-IDs and Content-IDs.
 */
/* "<id>" from id with or without brackets, in out (malloc'd); MC_EDATA
 * when it has white space, controls, no "@" (need_at) or stray brackets. */
enum mc_err mc_msgid_norm(char **out, const char *id, int need_at,
    struct mc_error *err);
/* "<unique@domain>" from 16 source bytes, malloc'd. */
char *mc_msgid_make(const unsigned char uniq[16], const char *domain);

/*
 * source.c: the default source and the epoch source.
 */
int mc_source_bytes(const struct mc_source *src, unsigned char *buf,
    size_t len);
time_t mc_source_now(const struct mc_source *src);
int mc_source_utc(const struct mc_source *src);

/*
 * input.c: a body source that can be read from the start twice: a path, a
 * descriptor (a regular file is rewound; anything else is spooled to an
 * unlinked temporary file during the first pass), or memory.
 */
enum mc_input_kind { MC_IN_NONE, MC_IN_PATH, MC_IN_FD, MC_IN_MEM };
struct mc_input {
	enum mc_input_kind kind;
	char *path;		/* MC_IN_PATH: copied */
	char *name;		/* for errors: path or the name given */
	int fd;			/* open descriptor, or -1 */
	int own_fd;		/* close fd when done */
	int spool;		/* temporary file descriptor, or -1 */
	int spooling;		/* the first pass copies into spool */
	const unsigned char *mem;
	size_t memlen, mempos;
	void *own_mem;		/* freed when done: mem, when it is owned */
	uint64_t pos;
	off_t start;		/* offset of a regular file's body, else -1 */
	int parked;		/* closed by mc_input_park; reopened to read */
	dev_t dev;		/* parked: the file that must be found again */
	ino_t ino;
	off_t size;
	struct timespec mtime;
	/* bytes already read from fd ahead of the body (mc_entity_read_fd) */
	unsigned char *ahead;
	size_t aheadlen, aheadpos;
};
void mc_input_init(struct mc_input *in);
/* Opens the source for a pass.  first: the first pass, rewindable (spool a
 * pipe when twice is set).  Errors: MC_ENOINPUT, MC_EIO (temporary file). */
enum mc_err mc_input_open(struct mc_input *in, int twice, const char *tmpdir,
    struct mc_error *err);
/* Rewinds for the second pass. */
enum mc_err mc_input_rewind(struct mc_input *in, struct mc_error *err);
/* After a rewind: closes a regular file opened by path, so that a
 * multipart of many files does not hold a descriptor for each until it is
 * written.  The next read opens it again, and fails (MC_EIO) when the path
 * no longer names the same, unchanged file.  Anything else stays open. */
enum mc_err mc_input_park(struct mc_input *in, struct mc_error *err);
/* Reads up to n bytes; returns the count, 0 at the end, -1 on error. */
ssize_t mc_input_read(struct mc_input *in, void *p, size_t n,
    struct mc_error *err);
void mc_input_close(struct mc_input *in);
/* The spool folder: tmpdir, else $TMPDIR, else /tmp. */
const char *mc_tmpdir(const char *tmpdir);
/* An unlinked temporary file in that folder, open for reading and
 * writing: nothing is left behind, whatever happens.  -1 with errno. */
int mc_spool_fd(const char *tmpdir);

/*
 * entity.c: the entity tree.
 */
enum mc_kind { MC_K_TEXT, MC_K_ATTACH, MC_K_MULTI, MC_K_MESSAGE, MC_K_READ };

struct mc_entity {
	enum mc_kind kind;
	/* leaves */
	char *type;		/* "text/plain", "image/png"; NULL: guess */
	char *charset;		/* a label given by the caller */
	enum mc_cte cte;	/* forced, or MC_CTE_AUTO */
	enum mc_disposition disp;
	char *filename;
	char *cid;
	char *desc;
	int compat;
	struct mc_input in;
	/* multipart */
	char *subtype;
	char *start;
	size_t root;		/* the kid start names, else 0 */
	mc_entity **kids;
	size_t nkids, capkids;
	/* message */
	struct mc_addrlist addrs[MC_ADDR_REPLY_TO + 1];
	char *subject;
	char *date;		/* as given: RFC 5322 or @SECONDS */
	char *msgid, *irt, *refs;
	struct mc_buf extra;	/* further fields (-H), folded, "\n" ends;
				 * of a message, a leaf or a multipart */
	size_t nextra;		/* fields in extra */
	int sender;		/* extra has a Sender field */
	mc_entity *body;
	/* read entities */
	struct mc_buf hdr;	/* the header block, "\n" ends, no empty line */
	char *rtype;		/* its type/subtype, lower case */
	enum mc_cte rcte;	/* its transfer encoding (AUTO: other) */
	/* decided when written */
	enum mc_cte wcte;
	const char *wcharset;
	char *wtype;
	int eight;		/* 8-bit bytes in it: containers say 8bit */
	struct mc_bound bound;	/* delimiter-like lines in it */
	char boundary[MC_BOUNDARY_MAX + 1];
	struct mc_scan seen;	/* a file read twice: its first pass */
	int twice;		/* the second pass is checked against seen */
	int written;
};

/* An empty entity of that kind; NULL when out of memory. */
mc_entity *mc_entity_alloc(enum mc_kind kind);
/* A file name for filename= and name=: UTF-8 without CR, LF, TAB or other
 * controls, as -n and a FILE's base name must be; MC_EDATA naming what. */
enum mc_err mc_filename_check(const char *name, const char *what,
    struct mc_error *err);
/* A header value: UTF-8 without CR, LF or other controls but TAB, of at
 * most max octets; what names it in errors. */
enum mc_err mc_check_value(const char *s, size_t max, const char *what,
    struct mc_error *err);
/* Like mc_entity_set_body_fd, but fd is taken: closed when e is freed. */
enum mc_err mc_entity_take_fd(mc_entity *e, int fd, const char *name,
    struct mc_error *err);
/* Like mc_entity_set_body_mem, but data (from malloc) is taken: freed when
 * e is; not on failure.  name (NULL: "memory") names the body in errors. */
enum mc_err mc_entity_take_mem(mc_entity *e, void *data, size_t len,
    const char *name, struct mc_error *err);

/* reader.c: the offset just past the empty line that ends the header
 * block p[0..n), looking from offset from on (a line end there or
 * after), or 0 when there is none yet.  An empty first line is not seen:
 * callers check for it. */
size_t mc_header_end(const char *p, size_t n, size_t from);

/*
 * field.c: the fields of a message that are not just text (RFC 5322 3.6).
 */
enum mc_field_kind {
	MC_FK_ADDR,		/* an address list (addrs[addr]) */
	MC_FK_TEXT,		/* unstructured text */
	MC_FK_ID,		/* one token: a date, a msg-id */
	MC_FK_IDS,		/* msg-ids separated by spaces */
	MC_FK_OTHER		/* kept with the other fields (extra) */
};
struct mc_field {
	const char *name;
	enum mc_field_kind kind;
	enum mc_addr_field addr;	/* MC_FK_ADDR */
	enum mc_err (*set)(mc_entity *, const char *, struct mc_error *);
	size_t slot;		/* offset of its char * in mc_entity, or 0 */
	int once;		/* RFC 5322 3.6: at most one; a second fails */
	int whole;		/* a read entity with it is a whole message */
};
/* The table, in the order the writer writes them; ends with a NULL name. */
extern const struct mc_field mc_fields[];
/* The entry for name[0..n) (any case), or NULL. */
const struct mc_field *mc_field_find(const char *name, size_t n);
/* "From", "To"...: the name of an address field. */
const char *mc_addr_name(enum mc_addr_field field);
/* Where msg keeps f's value (the entry has a slot). */
char **mc_field_slot(mc_entity *msg, const struct mc_field *f);
/* MIME-Version or a Content-* field: the entity's, never a message's. */
int mc_field_mime(const char *name);

/*
 * reader.c: the header block of an entity read from elsewhere.
 */
/* Checks the header block p[0..n) (LF or CRLF line ends; it ends at an
 * empty line or at n, each line with its line end) line by line into
 * e->hdr, with "\n" line ends, and sets e->rtype and e->rcte (7bit when
 * the field is missing, MC_CTE_AUTO when unknown; binary is MC_EDATA,
 * or 8bit when binary_ok, for a reader that re-encodes the body).
 * Without Content-Type, e->rtype is deftype (copied), or, deftype NULL,
 * MC_EDATA "not a MIME entity".  name names the entity in errors. */
enum mc_err mc_header_parse(mc_entity *e, const char *p, size_t n,
    const char *name, const char *deftype, int binary_ok,
    struct mc_error *err);

/*
 * mimetypes.c: a type for a file name (/etc/mime.types, then a built-in
 * table); NULL when unknown.  Returns a malloc'd string.
 */
char *mc_type_for_name(const char *filename);

/*
 * dkim.c: DKIM canonicalization (RFC 6376 3.4) over the CRLF form of a
 * message whose line ends are LF or CRLF (a bare CR is an ordinary
 * byte), and the header block split into fields.  No cryptography: the
 * signer (src/crypto/) hashes what these write.
 */
/* A field of a header block: p[0..len) as written, folding line ends
 * included, its last line end not; name is p[0..namelen). */
struct mc_dkim_field {
	const char *p;
	size_t len, namelen;
	int used;		/* picked for h= already (mc_dkim_header_input) */
};
/* Splits the header block p[0..n) (its line ends included, the empty
 * line not) into at most max fields.  MC_EDATA naming what for a block
 * that is not RFC 5322 fields (a continuation first, a line with no
 * colon or a bad name, a control character but TAB). */
enum mc_err mc_dkim_split(const char *p, size_t n, struct mc_dkim_field *v,
    size_t max, size_t *nv, const char *what, struct mc_error *err);
/* Appends the canonical form of the field p[0..n) to b, CRLF-terminated
 * when crlf is set (not for the DKIM-Signature field itself, 3.7). */
void mc_dkim_canon_header(struct mc_buf *b, const char *p, size_t n,
    int relaxed, int crlf);
/* The header hash input (RFC 6376 3.7): the fields that the h= list
 * hlist names (names separated by ':' and white space), each instance
 * taken from the bottom up and none when all are taken (5.4.2),
 * canonicalized, then the DKIM-Signature field sig[0..siglen) with an
 * empty b= value, without its line end.  Clears the used marks first. */
void mc_dkim_header_input(struct mc_buf *b, struct mc_dkim_field *v,
    size_t nv, const char *hlist, const char *sig, size_t siglen,
    int relaxed);

/* Body canonicalization, incremental: the canonical bytes go to fn in
 * chunks of up to MC_DKIM_CHUNK.  Relaxed body canonicalization finds
 * the bytes it copies unchanged 32 at a time with AVX2 where the CPU
 * has it. */
#define MC_DKIM_CHUNK	(64 * 1024)
typedef void (*mc_dkim_sink)(void *arg, const void *p, size_t n);
struct mc_dkim_body {
	int relaxed;
	mc_dkim_sink fn;
	void *arg;
	int cr;			/* a CR held back: a line end if LF follows */
	int started;		/* the current line has content written */
	int wsp;		/* relaxed: white space held back */
	int any;		/* a line was written */
	uint64_t empty;		/* empty lines held back (3.4.3, 3.4.4) */
	uint64_t total;		/* canonical bytes given to fn */
	size_t len;
	unsigned char buf[MC_DKIM_CHUNK];
};
void mc_dkim_body_init(struct mc_dkim_body *st, int relaxed,
    mc_dkim_sink fn, void *arg);
void mc_dkim_body_step(struct mc_dkim_body *st, const void *p, size_t n);
void mc_dkim_body_finish(struct mc_dkim_body *st);
/* Forces how the relaxed steps after it find the bytes copied unchanged:
 * "scalar" (byte by byte) or "avx2" (-1 where the CPU cannot); NULL goes
 * back to the fastest.  Same output either way.  For tests and
 * benchmarks; not thread-safe. */
int mc_dkim_force(const char *name);

#endif /* MC_H */
