/* SPDX-License-Identifier: ISC */
/* Content types from file names: mime.types(5), as RFC 2046 types. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mc.h"

#define EXT_MAX		32
#define LINE_MAX_MT	1024	/* longer lines are skipped */

/*
 * Used for names the mime.types file does not list.  Every entry gives the answer of
 * Debian's /etc/mime.types (media-types 10.0); note wav, which Debian maps
 * to audio/x-wav where IANA lists audio/vnd.wave, and kept so that the
 * type does not depend on whether the file is installed.
 */
static const struct {
	const char *ext, *type;
} builtin[] = {
	{ "txt", "text/plain" },
	{ "html", "text/html" },
	{ "htm", "text/html" },
	{ "csv", "text/csv" },
	{ "ics", "text/calendar" },
	{ "pdf", "application/pdf" },
	{ "png", "image/png" },
	{ "jpg", "image/jpeg" },
	{ "jpeg", "image/jpeg" },
	{ "gif", "image/gif" },
	{ "webp", "image/webp" },
	{ "svg", "image/svg+xml" },
	{ "zip", "application/zip" },
	{ "gz", "application/gzip" },
	{ "tar", "application/x-tar" },
	{ "json", "application/json" },
	{ "xml", "application/xml" },
	{ "eml", "message/rfc822" },
	{ "doc", "application/msword" },
	{ "docx", "application/vnd.openxmlformats-officedocument."
	    "wordprocessingml.document" },
	{ "xls", "application/vnd.ms-excel" },
	{ "xlsx", "application/vnd.openxmlformats-officedocument."
	    "spreadsheetml.sheet" },
	{ "ppt", "application/vnd.ms-powerpoint" },
	{ "pptx", "application/vnd.openxmlformats-officedocument."
	    "presentationml.presentation" },
	{ "odt", "application/vnd.oasis.opendocument.text" },
	{ "ods", "application/vnd.oasis.opendocument.spreadsheet" },
	{ "odp", "application/vnd.oasis.opendocument.presentation" },
	{ "mp3", "audio/mpeg" },
	{ "mp4", "video/mp4" },
	{ "wav", "audio/x-wav" },
};

static int
ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Reads a line of at most n-1 bytes into line; a longer one is consumed
 * and returned empty.  -1 at the end of the file. */
static int
get_line(FILE *fp, char *line, size_t n)
{
	int c, over = 0;
	size_t len = 0;

	while ((c = getc(fp)) != EOF && c != '\n') {
		if (len + 1 < n)
			line[len++] = (char)c;
		else
			over = 1;
	}
	if (c == EOF && len == 0 && !over)
		return -1;
	line[over ? 0 : len] = '\0';
	return 0;
}

/* type "/" subtype, each an RFC 2045 5.1 token, fit for a header. */
static int
valid(char *type)
{
	char *slash = strchr(type, '/');
	int ok;

	*slash = '\0';
	ok = mc_is_token(type) && mc_is_token(slash + 1);
	*slash = '/';
	return ok;
}

/* "type ext ext ..." lines, "#" comments; the first match wins. */
static char *
from_file(FILE *fp, const char *ext)
{
	char line[LINE_MAX_MT], *p, *type, *w;
	size_t tn;

	while (get_line(fp, line, sizeof(line)) == 0) {
		if ((p = strchr(line, '#')) != NULL)
			*p = '\0';
		for (p = line; ws(*p); p++)
			;
		type = p;
		while (*p != '\0' && !ws(*p))
			p++;
		tn = (size_t)(p - type);
		if (tn == 0 || memchr(type, '/', tn) == NULL)
			continue;
		for (;;) {
			while (ws(*p))
				p++;
			if (*p == '\0')
				break;
			w = p;
			while (*p != '\0' && !ws(*p))
				p++;
			if ((size_t)(p - w) == strlen(ext) &&
			    strncasecmp(w, ext, (size_t)(p - w)) == 0) {
				type[tn] = '\0';
				return valid(type) ? mc_strdup(type) : NULL;
			}
		}
	}
	return NULL;
}

/*
 * The extension after the last "." of the base name (a leading dot does
 * not count), looked up in $MC_MIME_TYPES (a mime.types file for tests),
 * else /etc/mime.types, then, when the file does not list it (or is
 * missing or empty), in the table (SPEC 3).
 */
char *
mc_type_for_name(const char *filename)
{
	const char *base, *dot, *path;
	char *type;
	FILE *fp;
	size_t i;

	if (filename == NULL)
		return NULL;
	base = strrchr(filename, '/');
	base = base != NULL ? base + 1 : filename;
	dot = strrchr(base, '.');
	if (dot == NULL || dot == base || dot[1] == '\0' ||
	    strlen(dot + 1) > EXT_MAX)
		return NULL;
	dot++;
	if ((path = getenv("MC_MIME_TYPES")) == NULL || *path == '\0')
		path = "/etc/mime.types";
	if ((fp = fopen(path, "re")) != NULL) {
		type = from_file(fp, dot);
		fclose(fp);
		if (type != NULL)
			return type;
	}
	for (i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++)
		if (strcasecmp(builtin[i].ext, dot) == 0)
			return mc_strdup(builtin[i].type);
	return NULL;
}
