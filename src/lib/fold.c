/* SPDX-License-Identifier: ISC */
/* Header folding: RFC 5322 2.1.1, 2.2.3, 3.2.2; RFC 2047 2 (76 columns). */
#include <string.h>

#include "mc.h"

void
mc_fold_begin(struct mc_fold *f, struct mc_buf *b, const char *name)
{
	f->b = b;
	f->line = b->len;
	f->ew = 0;
	f->empty = 1;
	f->fws = 0;
	f->fws_ew = 0;
	mc_buf_adds(b, name);
	mc_buf_addc(b, ':');
}

static size_t
limit(int ew)
{
	return ew ? MC_EW_COLS : MC_FOLD_COLS;
}

/* Turns the line's last fold point into a line break, moving the tokens
 * after it to a new line. */
static void
refold(struct mc_fold *f)
{
	struct mc_buf *b = f->b;
	size_t at = f->fws;

	mc_buf_addc(b, '\0');
	if (b->oom)
		return;
	memmove(b->p + at + 1, b->p + at, b->len - 1 - at);
	b->p[at] = '\n';
	f->line = at + 1;
	f->ew = f->fws_ew;
	f->fws = 0;
}

void
mc_fold_token(struct mc_fold *f, const char *tok, size_t len, int space,
    int ew)
{
	struct mc_buf *b = f->b;
	size_t col = b->len - f->line;

	if (f->empty || col == 0) {
		/* RFC 5322 3.2.2: no line of white space alone, so the first
		 * token stays on the line of the name, or of the line
		 * mc_fold_reserve began, which starts with white space. */
		mc_buf_addc(b, !f->empty && space == '\t' ? '\t' : ' ');
		f->empty = 0;
	} else if (space) {
		if (col + 1 + len > limit(f->ew || ew)) {
			mc_buf_addc(b, '\n');
			f->line = b->len;
			f->ew = 0;
			f->fws = 0;
		} else {
			f->fws = b->len;
			f->fws_ew = 0;
		}
		mc_buf_addc(b, space == '\t' ? '\t' : ' ');
	} else if (f->fws != 0 && col + len > limit(f->ew || ew))
		refold(f);
	mc_buf_add(b, tok, len);
	if (ew)
		f->ew = f->fws_ew = 1;
}

void
mc_fold_reserve(struct mc_fold *f, size_t len, int ew)
{
	struct mc_buf *b = f->b;
	size_t col = b->len - f->line;

	if (f->empty || col == 0 || col + 1 + len <= limit(f->ew || ew))
		return;
	mc_buf_addc(b, '\n');
	f->line = b->len;
	f->ew = 0;
	f->fws = 0;
}

void
mc_fold_end(struct mc_fold *f)
{
	/* A line mc_fold_reserve began and nothing followed: ended. */
	if (f->b->len > f->line)
		mc_buf_addc(f->b, '\n');
}
