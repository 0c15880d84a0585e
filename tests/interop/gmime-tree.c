/* SPDX-License-Identifier: ISC */
/*
 * gmime-tree: parses each MESSAGE with GMime 3 and prints its tree in the
 * format of tests/interop/pytree.py, so the two can be compared with cmp.
 *
 * usage: gmime-tree MESSAGE...
 *
 * Per message: a line "== PATH", then per message (the top one and each
 * message/rfc822 inside) its decoded header fields, then one line per part:
 *
 *   DEPTH <TAB> hdr <TAB> NAME <TAB> VALUE
 *   DEPTH <TAB> TYPE <TAB> CHARSET <TAB> FILENAME <TAB> CONTENT-ID <TAB> SHA256
 *       <TAB> DESCRIPTION
 *
 * "-" stands for an absent value; values are decoded (RFC 2047, RFC 2231).
 * SHA256 is the hash of a leaf's decoded content (text parts with CRLF made
 * LF, as the parsers differ there).  Any parser warning is printed on
 * standard error and fails the message: exit 1 when any message had one or
 * could not be parsed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include <gmime/gmime.h>

static int warned;
static const char *current;

static const char *
warning_name(GMimeParserWarning w)
{
	switch (w) {
	case GMIME_WARN_DUPLICATED_HEADER: return "duplicated header";
	case GMIME_WARN_DUPLICATED_PARAMETER: return "duplicated parameter";
	case GMIME_WARN_UNENCODED_8BIT_HEADER: return "unencoded 8-bit header";
	case GMIME_WARN_INVALID_CONTENT_TYPE: return "invalid content type";
	case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE:
		return "invalid RFC 2047 header value";
	case GMIME_WARN_MALFORMED_MULTIPART: return "malformed multipart";
	case GMIME_WARN_TRUNCATED_MESSAGE: return "truncated message";
	case GMIME_WARN_MALFORMED_MESSAGE: return "malformed message";
	case GMIME_CRIT_INVALID_HEADER_NAME: return "invalid header name";
	case GMIME_CRIT_CONFLICTING_HEADER: return "conflicting header";
	case GMIME_CRIT_CONFLICTING_PARAMETER: return "conflicting parameter";
	case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
		return "multipart without boundary";
	case GMIME_WARN_INVALID_PARAMETER: return "invalid parameter";
	case GMIME_WARN_INVALID_ADDRESS_LIST: return "invalid address list";
	case GMIME_CRIT_NESTING_OVERFLOW: return "nesting overflow";
	case GMIME_WARN_PART_WITHOUT_CONTENT: return "part without content";
	case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
		return "part without headers or content";
	}
	return "unknown warning";
}

static void
on_warning(gint64 offset, GMimeParserWarning w, const gchar *item,
    gpointer data)
{
	(void)data;
	warned = 1;
	fprintf(stderr, "gmime-tree: %s: offset %lld: warning %d (%s): %s\n",
	    current, (long long)offset, (int)w, warning_name(w),
	    item ? item : "");
}

/* Both trees escape the same way: backslash, control bytes as \xHH. */
static void
put_value(const char *s)
{
	const unsigned char *p;

	if (s == NULL) {
		fputs("-", stdout);
		return;
	}
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '\\')
			fputs("\\\\", stdout);
		else if (*p < 0x20 || *p == 0x7f)
			printf("\\x%02x", *p);
		else
			putchar(*p);
	}
}

static void
put_field(int depth, const char *name, const char *value)
{
	printf("%d\thdr\t%s\t", depth, name);
	put_value(value);
	putchar('\n');
}

static void
append_list(GString *s, InternetAddressList *list)
{
	int i, n;

	n = list ? internet_address_list_length(list) : 0;
	for (i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);
		const char *name = internet_address_get_name(ia);

		if (i > 0)
			g_string_append(s, ", ");
		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			g_string_append_printf(s, "%s: ", name ? name : "");
			append_list(s, internet_address_group_get_members(
			    INTERNET_ADDRESS_GROUP(ia)));
			g_string_append(s, ";");
		} else {
			const char *addr = internet_address_mailbox_get_addr(
			    INTERNET_ADDRESS_MAILBOX(ia));

			if (name && *name)
				g_string_append_printf(s, "%s <%s>", name, addr);
			else
				g_string_append(s, addr);
		}
	}
}

static void
put_headers(int depth, GMimeMessage *msg)
{
	static const struct {
		const char *name;
		GMimeAddressType type;
	} lists[] = {
		{ "from", GMIME_ADDRESS_TYPE_FROM },
		{ "to", GMIME_ADDRESS_TYPE_TO },
		{ "cc", GMIME_ADDRESS_TYPE_CC },
		{ "bcc", GMIME_ADDRESS_TYPE_BCC },
		{ "reply-to", GMIME_ADDRESS_TYPE_REPLY_TO },
	};
	GDateTime *date;
	size_t i;

	put_field(depth, "subject", g_mime_message_get_subject(msg));
	for (i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		InternetAddressList *l = g_mime_message_get_addresses(msg,
		    lists[i].type);
		GString *s = g_string_new(NULL);

		append_list(s, l);
		put_field(depth, lists[i].name, s->len ? s->str : NULL);
		g_string_free(s, TRUE);
	}
	put_field(depth, "message-id", g_mime_message_get_message_id(msg));
	date = g_mime_message_get_date(msg);
	if (date) {
		char buf[32];

		snprintf(buf, sizeof buf, "%lld",
		    (long long)g_date_time_to_unix(date));
		put_field(depth, "date", buf);
	} else {
		put_field(depth, "date", NULL);
	}
}

/* RFC 2183 2.3: the file name is the disposition's, else Content-Type's. */
static const char *
filename_of(GMimeObject *obj)
{
	const char *name;

	name = g_mime_object_get_content_disposition_parameter(obj, "filename");
	if (name == NULL)
		name = g_mime_object_get_content_type_parameter(obj, "name");
	return name;
}

static char *
leaf_sha256(GMimePart *part, int text)
{
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	GMimeStream *mem = g_mime_stream_mem_new();
	GByteArray *bytes;
	GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
	char *hex;
	guint i, start;

	if (content)
		g_mime_data_wrapper_write_to_stream(content, mem);
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	if (!text) {
		g_checksum_update(sum, bytes->data, bytes->len);
	} else {
		start = 0;
		for (i = 0; i + 1 < bytes->len; i++) {
			if (bytes->data[i] == '\r' && bytes->data[i + 1] == '\n') {
				g_checksum_update(sum, bytes->data + start,
				    i - start);
				start = i + 1;
			}
		}
		g_checksum_update(sum, bytes->data + start, bytes->len - start);
	}
	hex = g_strdup(g_checksum_get_string(sum));
	g_checksum_free(sum);
	g_object_unref(mem);
	return hex;
}

static void
put_part(int depth, GMimeObject *obj)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	char *type = g_mime_content_type_get_mime_type(ct);
	char *lower = g_ascii_strdown(type, -1);
	char *charset = NULL;
	const char *cs;
	char *hash = NULL;
	int text = g_mime_content_type_is_type(ct, "text", "*");

	cs = g_mime_content_type_get_parameter(ct, "charset");
	if (text && cs)
		charset = g_ascii_strdown(cs, -1);
	if (GMIME_IS_PART(obj))
		hash = leaf_sha256(GMIME_PART(obj), text);
	printf("%d\t%s\t", depth, lower);
	put_value(charset);
	putchar('\t');
	put_value(filename_of(obj));
	putchar('\t');
	put_value(g_mime_object_get_content_id(obj));
	putchar('\t');
	put_value(hash);
	putchar('\t');
	put_value(g_mime_object_get_header(obj, "Content-Description"));
	putchar('\n');
	g_free(type);
	g_free(lower);
	g_free(charset);
	g_free(hash);

	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int i, n = g_mime_multipart_get_count(mp);

		for (i = 0; i < n; i++)
			put_part(depth + 1, g_mime_multipart_get_part(mp, i));
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *inner = g_mime_message_part_get_message(
		    GMIME_MESSAGE_PART(obj));

		if (inner) {
			put_headers(depth + 1, inner);
			put_part(depth + 1, g_mime_message_get_mime_part(inner));
		}
	}
}

static int
tree(const char *path, GMimeParserOptions *opts)
{
	GError *err = NULL;
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *msg;

	current = path;
	warned = 0;
	stream = g_mime_stream_fs_open(path, O_RDONLY, 0, &err);
	if (stream == NULL) {
		fprintf(stderr, "gmime-tree: %s: %s\n", path, err->message);
		g_error_free(err);
		return 1;
	}
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	msg = g_mime_parser_construct_message(parser, opts);
	printf("== %s\n", path);
	if (msg == NULL) {
		fprintf(stderr, "gmime-tree: %s: not parsed as a message\n",
		    path);
		warned = 1;
	} else {
		put_headers(0, msg);
		put_part(0, g_mime_message_get_mime_part(msg));
		g_object_unref(msg);
	}
	g_object_unref(parser);
	g_object_unref(stream);
	return warned;
}

int
main(int argc, char **argv)
{
	GMimeParserOptions *opts;
	int i, status = 0;

	if (argc < 2) {
		fputs("usage: gmime-tree MESSAGE...\n", stderr);
		return 2;
	}
	g_mime_init();
	opts = g_mime_parser_options_new();
	/* Strict: what we write must need none of GMime's leniency. */
	g_mime_parser_options_set_address_compliance_mode(opts,
	    GMIME_RFC_COMPLIANCE_STRICT);
	g_mime_parser_options_set_parameter_compliance_mode(opts,
	    GMIME_RFC_COMPLIANCE_STRICT);
	g_mime_parser_options_set_rfc2047_compliance_mode(opts,
	    GMIME_RFC_COMPLIANCE_STRICT);
	g_mime_parser_options_set_warning_callback(opts, on_warning, NULL);
	for (i = 1; i < argc; i++)
		status |= tree(argv[i], opts);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("gmime-tree: stdout");
		status = 1;
	}
	g_mime_parser_options_free(opts);
	g_mime_shutdown();
	return status;
}
