/* SPDX-License-Identifier: ISC */
/*
 * mimecompose: compose MIME messages (RFC 2045-2049, 2047, 2183, 2231,
 * 2392, 5322) and write them, streaming, to a descriptor or a callback.
 */
#ifndef MIMECOMPOSE_H
#define MIMECOMPOSE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MC_VERSION "0.1.0"
#define MC_VERSION_NUM 0x000100

#if defined(__GNUC__)
#define MC_EXPORT __attribute__((visibility("default")))
#else
#define MC_EXPORT
#endif

/* Errors are values; MC_OK is 0.  The comment names the sysexits(3) status
 * the tools map each one to. */
enum mc_err {
	MC_OK = 0,
	MC_ENOMEM,	/* out of memory (71) */
	MC_EUSAGE,	/* a bad argument from the caller (64) */
	MC_EDATA,	/* bad input data; detail says what (65) */
	MC_ENOINPUT,	/* an input cannot be opened (66) */
	MC_ECREATE,	/* an output cannot be created (73) */
	MC_EIO,		/* a read, a write or a temporary file failed (74) */
	MC_EUNAVAIL	/* a crypto engine cannot be started: no gpg, no
			 * gpg-agent (69, SPEC 6) */
};

/* Filled in by every call that can fail.  what: the input or output
 * concerned ("" when none); detail: why, e.g. "invalid UTF-8 at byte 12";
 * sys: the errno of a failed system call, else 0. */
struct mc_error {
	enum mc_err code;
	int sys;
	char what[256];
	char detail[256];
};

/* A fixed English phrase for code. */
MC_EXPORT const char *mc_strerror(enum mc_err code);

/* "detail" when set, else strerror(sys) when set, else mc_strerror(code).
 * The string is borrowed from err. */
MC_EXPORT const char *mc_error_reason(const struct mc_error *err);

/*
 * Determinism.  Boundaries, Message-IDs and Date come from a source; a NULL
 * source means: random bytes from the system and the current time.
 */
struct mc_source {
	/* Fill buf with len bytes; 0 on success. */
	int (*bytes)(void *arg, unsigned char *buf, size_t len);
	/* The time to put in Date. */
	time_t (*now)(void *arg);
	/* Nonzero: write Date in UTC (+0000) rather than the local zone. */
	int utc;
	void *arg;
};

/* A deterministic source for the instant epoch: Date is epoch in UTC and
 * the bytes are a fixed function of epoch and of how many were drawn.
 * state must live as long as src is used. */
struct mc_epoch_state {
	time_t epoch;
	uint64_t counter;
};
MC_EXPORT void mc_source_epoch(struct mc_source *src,
    struct mc_epoch_state *state, time_t epoch);

/* SOURCE_DATE_EPOCH: 0 and *src set up when the variable is unset (src is
 * then the system source) or a valid number; MC_EUSAGE when it is not a
 * number. */
MC_EXPORT enum mc_err mc_source_from_env(struct mc_source *src,
    struct mc_epoch_state *state, struct mc_error *err);

/*
 * Entities.  An entity is a leaf (text or attachment), a multipart, a
 * message around one entity, or an entity read from elsewhere.  Freeing a
 * container frees its children; mc_entity_free(NULL) does nothing.
 */
typedef struct mc_entity mc_entity;

enum mc_cte {
	MC_CTE_AUTO = 0,	/* chosen from the data */
	MC_CTE_7BIT,
	MC_CTE_8BIT,
	MC_CTE_QP,
	MC_CTE_BASE64
};

enum mc_disposition {
	MC_DISP_NONE = 0,
	MC_DISP_INLINE,
	MC_DISP_ATTACHMENT
};

/* A text/SUBTYPE part: charset us-ascii or checked utf-8, unless labelled
 * by mc_entity_set_charset; transfer encoding from the data unless forced.
 * subtype is copied; NULL means "plain"; one that is not an RFC 2045
 * token fails when written (MC_EUSAGE).  NULL when out of memory. */
MC_EXPORT mc_entity *mc_text_new(const char *subtype);

/* An attachment of type TYPE ("image/png"; copied).  NULL type: guessed
 * from the file name at write time (see mc_entity_set_disposition), else
 * application/octet-stream.  Binary types are sent base64; text types as
 * mc_text_new would when ASCII or valid UTF-8, else base64;
 * message/rfc822 as it is.  A type that is not type/subtype fails when
 * written (MC_EUSAGE).  NULL when out of memory. */
MC_EXPORT mc_entity *mc_attachment_new(const char *type);

/* The body of a leaf.  Exactly one of these, once.
 * _path: opened when written (a missing file is MC_ENOINPUT then); the path
 *   is copied, and its base name is the default file name of attachments.
 * _fd: borrowed until the entity is written or freed; may be a pipe;
 *   name (copied; NULL: "standard input") names it in errors.
 * _mem: borrowed until the entity is freed. */
MC_EXPORT enum mc_err mc_entity_set_body_path(mc_entity *e, const char *path,
    struct mc_error *err);
MC_EXPORT enum mc_err mc_entity_set_body_fd(mc_entity *e, int fd,
    const char *name, struct mc_error *err);
MC_EXPORT enum mc_err mc_entity_set_body_mem(mc_entity *e, const void *data,
    size_t len, struct mc_error *err);

/* Leaf settings; strings are copied.  Each returns MC_EUSAGE when it does
 * not apply to e, and MC_EDATA for a value with CR, LF or another control
 * character that cannot go in a header. */
MC_EXPORT enum mc_err mc_entity_set_charset(mc_entity *e, const char *charset,
    struct mc_error *err);
MC_EXPORT enum mc_err mc_entity_set_encoding(mc_entity *e, enum mc_cte cte,
    struct mc_error *err);
/* Content-Disposition with a file name (NULL: the base name of the body's
 * path, or none); the same name goes in Content-Type's name parameter.  An
 * attachment left at MC_DISP_NONE is written as MC_DISP_ATTACHMENT. */
MC_EXPORT enum mc_err mc_entity_set_disposition(mc_entity *e,
    enum mc_disposition disp, const char *filename, struct mc_error *err);
/* Content-ID; angle brackets are added when missing. */
MC_EXPORT enum mc_err mc_entity_set_id(mc_entity *e, const char *cid,
    struct mc_error *err);
MC_EXPORT enum mc_err mc_entity_set_description(mc_entity *e,
    const char *description, struct mc_error *err);
/* Nonzero: write Content-Type's name as name="=?utf-8?B?...?=" (old
 * Outlook) rather than RFC 2231 name*=; Content-Disposition is unchanged. */
MC_EXPORT enum mc_err mc_entity_set_compat_names(mc_entity *e, int on,
    struct mc_error *err);

/* A multipart/SUBTYPE container ("mixed" when NULL; copied; checked as
 * mc_text_new's). */
MC_EXPORT mc_entity *mc_multipart_new(const char *subtype);
/* Appends child (taken, also on failure).  MC_EDATA past MC_MAX_DEPTH. */
MC_EXPORT enum mc_err mc_multipart_add(mc_entity *mp, mc_entity *child,
    struct mc_error *err);
/* multipart/related: start= parameter (copied; brackets added). */
MC_EXPORT enum mc_err mc_multipart_set_start(mc_entity *mp, const char *cid,
    struct mc_error *err);

/* Containers nest at most this deep. */
#define MC_MAX_DEPTH 32

/* Reads an entity written elsewhere (a header block ending in an empty
 * line, with a Content-Type) from fd: the header block now, the body when
 * written.  fd is borrowed until the entity is written or freed; name
 * (copied) names it in errors.  MC_EDATA when it is not a MIME entity. */
MC_EXPORT enum mc_err mc_entity_read_fd(mc_entity **out, int fd,
    const char *name, struct mc_error *err);
/* The same from the file at path, which names it in errors: opened now
 * (MC_ENOINPUT when it cannot be) and closed when the entity is written
 * or freed.  A regular file may be closed between the header and the body
 * and opened again, so that a multipart of many such entities does not
 * need a descriptor for each. */
MC_EXPORT enum mc_err mc_entity_read_path(mc_entity **out, const char *path,
    struct mc_error *err);

/*
 * Messages.
 */
enum mc_addr_field {
	MC_ADDR_FROM,
	MC_ADDR_TO,
	MC_ADDR_CC,
	MC_ADDR_BCC,
	MC_ADDR_REPLY_TO
};

/* An RFC 5322 message; body set with mc_message_set_body. */
MC_EXPORT mc_entity *mc_message_new(void);
/* body is taken, also on failure. */
MC_EXPORT enum mc_err mc_message_set_body(mc_entity *msg, mc_entity *body,
    struct mc_error *err);
/* Takes the body out of msg and returns it (the caller's to write and
 * free), or NULL when msg has none or is not a message: mime-compose
 * signs or encrypts a draft's body and sets the result as the body. */
MC_EXPORT mc_entity *mc_message_take_body(mc_entity *msg);
/* Adds one address or a comma-separated list (RFC 5322; display names may be
 * raw UTF-8).  MC_EDATA for a bad list or an address without a domain. */
MC_EXPORT enum mc_err mc_message_add_addresses(mc_entity *msg,
    enum mc_addr_field field, const char *list, struct mc_error *err);
/* Subject (UTF-8; copied). */
MC_EXPORT enum mc_err mc_message_set_subject(mc_entity *msg,
    const char *subject, struct mc_error *err);
/* A field by name (any case; value UTF-8, copied).  From, To, Cc, Bcc,
 * Reply-To, Subject, Date, Message-ID, In-Reply-To and References go to
 * the setters here; a second Subject, Date, Message-ID, In-Reply-To or
 * References is MC_EDATA (RFC 5322 3.6: one each), as are MIME-Version
 * and Content-* (the entities' own).  Others are kept as unstructured
 * text, in the order added. */
MC_EXPORT enum mc_err mc_message_add_field(mc_entity *msg, const char *name,
    const char *value, struct mc_error *err);
/* The same from "Name: value" (white space after the colon dropped). */
MC_EXPORT enum mc_err mc_message_add_header(mc_entity *msg, const char *field,
    struct mc_error *err);
/* A field of a leaf's or multipart's own header, "Name: value" (UTF-8
 * value as unstructured text; copied), written after its Content-*
 * fields; a message's goes to mc_message_add_header.  MC_EUSAGE for a
 * field an option sets (Content-Type, -Transfer-Encoding, -Disposition,
 * -ID, MIME-Version) or a message's (From, To, Subject...). */
MC_EXPORT enum mc_err mc_entity_add_header(mc_entity *e, const char *field,
    struct mc_error *err);
/* Date from an RFC 5322 date or "@SECONDS".  Unset: the source's time. */
MC_EXPORT enum mc_err mc_message_set_date(mc_entity *msg, const char *date,
    struct mc_error *err);
/* Message-ID, In-Reply-To (one id) and References (ids separated by white
 * space); angle brackets optional.  Unset Message-ID: made from the source
 * and the domain of From. */
MC_EXPORT enum mc_err mc_message_set_id(mc_entity *msg, const char *id,
    struct mc_error *err);
MC_EXPORT enum mc_err mc_message_set_in_reply_to(mc_entity *msg,
    const char *id, struct mc_error *err);
MC_EXPORT enum mc_err mc_message_set_references(mc_entity *msg,
    const char *ids, struct mc_error *err);

MC_EXPORT void mc_entity_free(mc_entity *e);

/*
 * Writing.
 */

/* A sink: writes all of buf and returns 0, or returns an errno value. */
typedef int (*mc_write_fn)(void *arg, const void *buf, size_t len);

#define MC_CRLF 0x1	/* CRLF line endings rather than LF */

struct mc_write_opts {
	unsigned flags;			/* MC_CRLF */
	const struct mc_source *source;	/* NULL: the system */
	const char *tmpdir;		/* spool folder; NULL: $TMPDIR or /tmp */
};

/* Writes e (a whole tree) to fn, streaming in constant memory.  A leaf
 * whose encoding needs the whole input first is read twice (regular files)
 * or spooled to a temporary file (pipes).  e can be written once. */
MC_EXPORT enum mc_err mc_write(mc_entity *e, mc_write_fn fn, void *arg,
    const struct mc_write_opts *opts, struct mc_error *err);
/* The same to a file descriptor. */
MC_EXPORT enum mc_err mc_write_fd(mc_entity *e, int fd,
    const struct mc_write_opts *opts, struct mc_error *err);

/*
 * The sign-safe form (RFC 3156 3, 5; RFC 8551 3.1; SPEC 6), the bytes a
 * signature or an encryption covers.
 */
struct mc_signsafe_opts {
	unsigned flags;		/* MC_CRLF: CRLF line ends, else LF */
	/* A boundary to go around the output: a line of the output that
	 * would start "--" boundary is an error (MC_EDATA).  NULL: none. */
	const char *boundary;
};

/* Reads the entity at fd (borrowed; read to its end; name, borrowed,
 * names it in errors) and writes its sign-safe form to fn, streaming in
 * constant memory: every leaf 7-bit (8bit text re-encoded
 * quoted-printable, 8bit or binary non-text base64, a 7bit body of more
 * than 64 KiB or that breaks a rule quoted-printable), no line with
 * trailing white space, none that is "." or starts with "From ", none
 * over 998 octets; multiparts and message/rfc822 converted part by part
 * (MC_MAX_DEPTH deep), their preambles and epilogues left out.  Every
 * line end written is the one of opts->flags and no other CR or LF is,
 * so the CRLF form is the LF form with each LF made CRLF.  MC_EDATA for
 * input that is not an entity or cannot be made safe; MC_EIO. */
MC_EXPORT enum mc_err mc_signsafe_fd(int fd, const char *name,
    mc_write_fn fn, void *arg, const struct mc_signsafe_opts *opts,
    struct mc_error *err);

/*
 * Drafts (mime-compose): header fields in UTF-8, an empty line, the body,
 * with mblaze's "#type/subtype[#disposition] path[>name]" lines.
 */

/* Reads a draft from fd, to its end, into a message (a body text of up
 * to 64 KiB is held in memory, a longer one spooled to an unlinked
 * temporary file in $TMPDIR); name (copied) names it in errors,
 * "NAME:LINE".  Attachment paths are opened now: a missing one is
 * MC_ENOINPUT. */
MC_EXPORT enum mc_err mc_draft_read_fd(mc_entity **msg, int fd,
    const char *name, struct mc_error *err);

/*
 * Checking (mime-check): a linter for messages and entities made by any
 * software.  It streams: memory does not grow with the input, and hostile
 * input gives findings, never a failure.
 */
enum mc_severity {
	MC_WARNING = 1,
	MC_ERROR
};

/* One problem found.  The strings are borrowed for the callback's call. */
struct mc_finding {
	uint64_t line;			/* of the input, from 1 */
	const char *rule;		/* a stable name: "b64-alphabet" */
	enum mc_severity severity;
	const char *rfc;		/* where the rule comes from */
	const char *message;		/* one line, no line end */
};
typedef void (*mc_finding_fn)(void *arg, const struct mc_finding *f);

typedef struct mc_check mc_check;

#define MC_CHECK_ENTITY 0x1	/* a MIME entity, not a whole message */

/* A checker that calls fn for each finding, in input order; NULL when out
 * of memory.  Feed it with mc_check_step, then mc_check_finish once. */
MC_EXPORT mc_check *mc_check_new(unsigned flags, mc_finding_fn fn,
    void *arg);
MC_EXPORT void mc_check_step(mc_check *c, const void *p, size_t n);
MC_EXPORT void mc_check_finish(mc_check *c);
MC_EXPORT void mc_check_free(mc_check *c);
/* The rules, for documentation: fills *f (message and line unset) for
 * rule i, 0 <= i; -1 past the last. */
MC_EXPORT int mc_check_rule(int i, struct mc_finding *f);

#ifdef __cplusplus
}
#endif

#endif /* MIMECOMPOSE_H */
