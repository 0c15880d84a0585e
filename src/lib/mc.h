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
 * b64.c: base64 (RFC 2045 6.8): lines of 76 characters, each ended by
 * the output's line end, the last one too.  No output for empty input.
 * Three codecs give the same bytes: libb64 (the reference), a portable
 * table encoder ("scalar") and AVX2 ("avx2", x86-64 CPUs that have it).
 * The fastest one the CPU runs is used unless MC_BASE64 names another.
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
/* Forces a codec for the encoders initialised after it, as MC_BASE64 does:
 * "libb64", "scalar" or "avx2"; NULL goes back to MC_BASE64 or the
 * fastest.  -1 (nothing changed) for an unknown name or a codec this CPU
 * cannot run.  For tests and benchmarks; not thread-safe. */
int mc_b64_force(const char *name);
/* The name of the codec an encoder initialised now would use. */
const char *mc_b64_codec_name(void);
#if defined(__x86_64__) && defined(__GNUC__) && !defined(MC_NO_SIMD)
/* 1 when the CPU has AVX2 and the kernel saves its registers (b64.c). */
int mc_cpu_avx2(void);
#endif

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
/* Forces how the steps after it find the lines that go out whole:
 * "unit" (never: the rules one unit at a time), "scalar" (the portable
 * fast path) or "sse2" (-1 where not built in); NULL goes back to the
 * fastest.  Same output every way.  For tests and benchmarks; not
 * thread-safe. */
int mc_qp_force(const char *name);

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
/* Forces how the steps after it check: "scalar" (byte by byte) or "avx2"
 * (32 bytes at a time; -1 when this CPU cannot); NULL goes back to the
 * fastest.  Same results either way.  For tests and benchmarks; not
 * thread-safe. */
int mc_utf8_force(const char *name);

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
	int fromline;		/* a line that starts with "From " */
	size_t lpos;		/* position in the current line (capped) */
	unsigned char lstart[5];	/* first bytes of the current line */
	struct mc_utf8 utf8;
	struct mc_bound bound;
	uint64_t first8;	/* offset of the first byte >= 0x80 */
	char why7[64], why8[64];	/* set by mc_scan_finish */
};
/* mc_scan_init allocates nothing and returns 0; mc_scan_free is kept as
 * its pair and frees nothing. */
int mc_scan_init(struct mc_scan *s);
void mc_scan_step(struct mc_scan *s, const void *p, size_t n);
void mc_scan_finish(struct mc_scan *s);
void mc_scan_free(struct mc_scan *s);
/* After mc_scan_finish: why 7bit or 8bit cannot carry the text (a phrase
 * borrowed from s), or NULL when it can; NULL for the other encodings. */
const char *mc_scan_why_not(const struct mc_scan *s, enum mc_cte cte);
/* The encoding for the text: 7bit when it can, else the smaller of
 * quoted-printable and base64 (quoted-printable on a tie).  The scan does
 * not count the quoted-printable size (the costliest part, and seldom
 * needed): qp is that size, as counted by mc_qp_count_init over the same
 * text, or NULL; MC_CTE_AUTO when it is NULL and the answer needs it. */
enum mc_cte mc_scan_choose(const struct mc_scan *s, const uint64_t *qp);

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
	char *spec;		/* local@domain */
};
struct mc_addrlist {
	struct mc_addr *v;
	size_t n, cap;
};
void mc_addrlist_free(struct mc_addrlist *l);
/* Parses list and appends to l; MC_EDATA with a detail for a bad list or
 * an address without @domain. */
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
void mc_param_add(struct mc_fold *f, const char *name, const char *value,
    int compat);
/* A token per RFC 2045 5.1 (no tspecials, controls or space). */
int mc_is_token(const char *s);

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
	mc_entity **kids;
	size_t nkids, capkids;
	/* message */
	struct mc_addrlist addrs[MC_REPLY_TO + 1];
	char *subject;
	char *date;		/* as given: RFC 5322 or @SECONDS */
	char *msgid, *irt, *refs;
	struct mc_buf extra;	/* further fields, folded, "\n" ends */
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
	int written;
};

/* An empty entity of that kind; NULL when out of memory. */
mc_entity *mc_entity_alloc(enum mc_kind kind);
/* Like mc_entity_set_body_fd, but fd is taken: closed when e is freed. */
enum mc_err mc_entity_take_fd(mc_entity *e, int fd, const char *name,
    struct mc_error *err);
/* Like mc_entity_set_body_mem, but data (from malloc) is taken: freed when
 * e is; not on failure.  name (NULL: "memory") names the body in errors. */
enum mc_err mc_entity_take_mem(mc_entity *e, void *data, size_t len,
    const char *name, struct mc_error *err);

/*
 * reader.c: the header block of an entity read from elsewhere.
 */
/* Checks the header block p[0..n) (LF or CRLF line ends; it ends at an
 * empty line or at n, each line with its line end) line by line into
 * e->hdr, with "\n" line ends, and sets e->rtype and e->rcte (7bit when
 * the field is missing, MC_CTE_AUTO when unknown, 8bit for binary).
 * Without Content-Type, e->rtype is deftype (copied), or, deftype NULL,
 * MC_EDATA "not a MIME entity".  name names the entity in errors. */
enum mc_err mc_header_parse(mc_entity *e, const char *p, size_t n,
    const char *name, const char *deftype, struct mc_error *err);

/*
 * mimetypes.c: a type for a file name (/etc/mime.types, then a built-in
 * table); NULL when unknown.  Returns a malloc'd string.
 */
char *mc_type_for_name(const char *filename);

#endif /* MC_H */
