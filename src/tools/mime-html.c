/* SPDX-License-Identifier: ISC */
/* mime-html: mime-text with the subtype html; one copy of the logic. */
#define TEXT_TOOL	"mime-html"
#define TEXT_SUBTYPE	"html"
#include "mime-text.c"
