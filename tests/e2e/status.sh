#!/bin/bash
# SPDX-License-Identifier: ISC
# SPEC 2: every exit status of the sysexits table, each provoked for real,
# with the error as one line "TOOL: WHAT: WHY" on standard error and nothing
# on standard output; -h, --help and --version.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOOLS="mime-text mime-html mime-attach mime-multipart mime-message"
VERSION=$(sed -n 's/^VERSION *= *//p' "$ROOT/Makefile")
cd "$T" || exit 1

# fails STATUS TOOL ERROR-REGEX SENTENCE CMD...: three checks: the status,
# one error line "TOOL: ..." matching the regex, an empty standard output.
fails() {
	local want=$1 tool=$2 re=$3 sentence=$4
	shift 4
	expect_status "$want" "$sentence: exits $want" "$@"
	check "$sentence: says so in one line '$tool: ...' on stderr" \
	    one_error_line "$tool" "$re"
	check "$sentence: writes nothing on standard output" is_empty "$OUT"
}

# usage_error TOOL SENTENCE CMD...: status 64, one error line, nothing on
# standard output.
usage_error() {
	fails 64 "$1" '' "$2" "${@:3}"
}

# closed_pipe CMD...: runs CMD with SIGPIPE at its default action into a
# pipe whose reader exits after one byte; returns CMD's status.
closed_pipe() {
	if env --default-signal=PIPE true 2>/dev/null; then
		env --default-signal=PIPE "$@" | head -c 1 >/dev/null
	else	# coreutils before 8.31
		"$@" | head -c 1 >/dev/null
	fi
	return "${PIPESTATUS[0]}"
}

# same_text FILE TEXT: FILE holds exactly the line TEXT.
same_text() {
	printf '%s\n' "$2" >"$T/.want"
	same "$T/.want" "$1"
}

# Inputs.
printf 'hello\n' >hello.txt
printf '<p>hello</p>\n' >hello.html
mime-text hello.txt >hello.ent 2>/dev/null
python3 -c '
import sys
line = b"0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789\n"
open("big.txt", "wb").write(line * (8 * 1024 * 1024 // len(line)))
open("big.bin", "wb").write(bytes(range(256)) * (8 * 1024 * 1024 // 256))
open("bad-utf8.txt", "wb").write(b"hello\n" * 100 + b"\xff and more\n")
open("overlong.txt", "wb").write(b"ab\xc0\xafcd\n")
open("surrogate.txt", "wb").write(b"abc\xed\xa0\x80\n")
open("truncated.txt", "wb").write(b"abcd\xe4\xb8")
open("utf8.txt", "wb").write("Grüße aus Zürich\n".encode())
open("from.txt", "wb").write(b"Hello\nFrom here on\nbye\n")
open("dot.txt", "wb").write(b"Hello\n.\nbye\n")
open("long-line.txt", "wb").write(b"x" * 1000 + b"\n")
open("nul.txt", "wb").write(b"a\x00b\n")
open("not-entity.txt", "wb").write(b"just some text\nwith no header block\n")
open("no-ctype.ent", "wb").write(b"Subject: a header block, but no Content-Type\n\nbody\n")
open("empty.ent", "wb").write(b"")
'
mime-text big.txt >big.ent 2>/dev/null
: >afile
A=alice@example.org
B=bob@example.net

# --- 0: help and version --------------------------------------------------
for tool in $TOOLS; do
	for opt in -h --help; do
		expect_status 0 "$tool $opt exits 0" "$tool" "$opt"
		check "$tool $opt prints a usage naming $tool on standard output" \
		    has_line "$OUT" "[Uu]sage:.*$tool"
		check "$tool $opt prints nothing on stderr" is_empty "$ERR"
	done
	expect_status 0 "$tool --version exits 0" "$tool" --version
	check "$tool --version prints exactly '$tool (mimecompose) $VERSION'" \
	    same_text "$OUT" "$tool (mimecompose) $VERSION"
done

# --- 64: usage --------------------------------------------------------------
for tool in $TOOLS; do
	usage_error "$tool" "$tool with an unknown long option" \
	    "$tool" --no-such-option hello.txt
	usage_error "$tool" "$tool with an unknown short option" \
	    "$tool" -Z hello.txt
done
usage_error mime-attach "mime-attach with no FILE operand" mime-attach
usage_error mime-multipart "mime-multipart with no ENTITY operand" mime-multipart
usage_error mime-multipart "mime-multipart given '-' twice" \
    mime-multipart - - <hello.ent
usage_error mime-message "mime-message without -f" mime-message -i hello.ent "$B"
usage_error mime-text "mime-text -e with an unknown encoding" \
    mime-text -e uuencode hello.txt
usage_error mime-text "mime-text with two FILE operands" \
    mime-text hello.txt hello.txt
usage_error mime-text "mime-text given an option that needs a value, without one" \
    mime-text -t
usage_error mime-message "mime-message with -i and a missing value" \
    mime-message -f "$A" -i

# --- 65: bad data -------------------------------------------------------------
fails 65 mime-message '' "mime-message with an LF in -s" \
    mime-message -f "$A" -s $'Hi\nBcc: victim@example.com' -i hello.ent "$B"
fails 65 mime-message '' "mime-message with a CR in -s" \
    mime-message -f "$A" -s $'Hi\rthere' -i hello.ent "$B"
fails 65 mime-message '' "mime-message with an LF in -H" \
    mime-message -f "$A" -H $'X-Test: a\nBcc: victim@example.com' -i hello.ent "$B"
fails 65 mime-message '' "mime-message with a CR in -H" \
    mime-message -f "$A" -H $'X-Test: a\rb' -i hello.ent "$B"
fails 65 mime-message '' "mime-message with an LF in a display name" \
    mime-message -f $'Alice\n <alice@example.org>' -i hello.ent "$B"
fails 65 mime-message '' "mime-message with a From address without a domain" \
    mime-message -f alice -i hello.ent "$B"
fails 65 mime-message '' "mime-message with a To address without a domain" \
    mime-message -f "$A" -i hello.ent bob
fails 65 mime-message '' "mime-message with a Cc address that ends in '@'" \
    mime-message -f "$A" -c 'carol@' -i hello.ent "$B"
fails 65 mime-message '' "mime-message with one address of a list without a domain" \
    mime-message -f "$A" -i hello.ent "$B, Dave <dave>"
fails 65 mime-message '' "mime-message with an unquoted comma in a display name" \
    mime-message -f "$A" -i hello.ent 'Doe, John <john@example.net>'
fails 65 mime-message '' "mime-message with two From addresses and no Sender (RFC 5322 3.6.2)" \
    mime-message -f 'a@example.org, b@example.org' -i hello.ent "$B"
# RFC 5322 3.6: one Subject.  -s and -H name the same field, and a draft
# with two is refused the same way (mime-compose, d-two.draft below).
fails 65 mime-message 'Subject: a second Subject field' "mime-message with -s and a -H Subject" \
    mime-message -f "$A" -s one -H 'Subject: two' -i hello.ent "$B"
fails 65 mime-message 'Subject: a second Subject field' "mime-message with a -H Subject and -s" \
    mime-message -f "$A" -H 'Subject: two' -s one -i hello.ent "$B"
fails 65 mime-message 'Date: a second Date field' "mime-message with --date and a -H Date" \
    mime-message -f "$A" --date @0 -H 'Date: @1' -i hello.ent "$B"
printf 'From: %s\nSubject: one\nSubject: two\n\nhello\n' "$A" >d-two.draft
fails 65 mime-compose 'Subject: a second Subject field' "mime-compose given a draft with two Subject fields" \
    mime-compose d-two.draft
fails 65 mime-message 'forwarded\.eml' "mime-message given a whole message (it has From) as its entity" \
    mime-message -f "$A" -i "$FIX/forwarded.eml" "$B"
fails 65 mime-message '' "mime-message given a non-entity on standard input" \
    mime-message -f "$A" "$B" <not-entity.txt
fails 65 mime-text '\<600\>' "mime-text with invalid UTF-8 at byte 600" \
    mime-text bad-utf8.txt
fails 65 mime-html '\<600\>' "mime-html with invalid UTF-8 at byte 600" \
    mime-html bad-utf8.txt
fails 65 mime-text '\<2\>' "mime-text with an overlong UTF-8 sequence at byte 2" \
    mime-text overlong.txt
fails 65 mime-text '\<3\>' "mime-text with a UTF-16 surrogate in UTF-8 at byte 3" \
    mime-text surrogate.txt
fails 65 mime-text '\<4\>' "mime-text with a UTF-8 sequence cut short at byte 4" \
    mime-text truncated.txt
fails 65 mime-text '' "mime-text -e 7bit on UTF-8 text" mime-text -e 7bit utf8.txt
fails 65 mime-text '' "mime-text -e 7bit on a line starting with 'From '" \
    mime-text -e 7bit from.txt
fails 65 mime-text '' "mime-text -e 8bit on a line starting with 'From '" \
    mime-text -e 8bit from.txt
fails 65 mime-text '' "mime-text -e 7bit on a lone '.' line" mime-text -e 7bit dot.txt
fails 65 mime-text '' "mime-text -e 8bit on a lone '.' line" mime-text -e 8bit dot.txt
fails 65 mime-text '' "mime-text -e 7bit on a line of 1000 octets" \
    mime-text -e 7bit long-line.txt
fails 65 mime-text '' "mime-text -e 8bit on a line of 1000 octets" \
    mime-text -e 8bit long-line.txt
fails 65 mime-text '' "mime-text -e 7bit on text with a NUL" mime-text -e 7bit nul.txt
fails 65 mime-multipart 'not-entity\.txt' "mime-multipart given plain text, not an entity" \
    mime-multipart hello.ent not-entity.txt
fails 65 mime-multipart 'no-ctype\.ent' "mime-multipart given a header block without Content-Type" \
    mime-multipart no-ctype.ent
fails 65 mime-multipart 'empty\.ent' "mime-multipart given an empty file" \
    mime-multipart empty.ent
fails 65 mime-attach '' "mime-attach with an LF in -n" \
    mime-attach -n $'a\nb.txt' hello.txt
fails 65 mime-attach '' "mime-attach with an LF in -d" \
    mime-attach -d $'a\nContent-Type: text/html' hello.txt
fails 65 mime-attach '' "mime-attach with a CR in --id" \
    mime-attach --id $'logo\r' hello.txt

# Values that would break the header they go in, or are not what they
# claim: a type with a line break or without a subtype, invalid UTF-8.
fails '64|65' mime-attach '' "mime-attach -t with an LF (header injection)" \
    mime-attach -t $'text/plain\nBcc: victim@example.com' hello.txt
fails 64 mime-attach '' "mime-attach -t with no subtype" mime-attach -t notatype hello.txt
fails 64 mime-attach '' "mime-attach -t with an empty subtype" mime-attach -t image/ hello.txt
fails '64|65' mime-text '' "mime-text -t with an LF" mime-text -t $'plain\nX-Evil: 1' hello.txt
fails 64 mime-text '' "mime-text -t with a parameter in it" mime-text -t 'html; charset=x' hello.txt
fails 64 mime-text '' "mime-text -t with a quote" mime-text -t 'x"y' hello.txt
fails 64 mime-multipart '' "mime-multipart -t with a parameter in it" \
    mime-multipart -t 'mixed; boundary=x' hello.ent
fails '64|65' mime-multipart '' "mime-multipart -t with an LF" \
    mime-multipart -t $'mixed\nX-Evil: 1' hello.ent
fails '64|65' mime-text '' "mime-text -c with an LF" mime-text -c $'utf-8\nX-Evil: 1' hello.txt
fails 65 mime-multipart '' "mime-multipart --start with an LF" \
    mime-multipart -t related --start $'a@b\nX-Evil: 1' hello.ent
fails 65 mime-message '' "mime-message with invalid UTF-8 in -s" \
    mime-message -f "$A" -s $'caf\xe9' -i hello.ent "$B"
fails 65 mime-message '' "mime-message with invalid UTF-8 in a display name" \
    mime-message -f $'Caf\xe9 <alice@example.org>' -i hello.ent "$B"
fails 65 mime-message '' "mime-message with invalid UTF-8 in -H" \
    mime-message -f "$A" -H $'X-A: caf\xe9' -i hello.ent "$B"
fails 65 mime-attach '' "mime-attach with invalid UTF-8 in -n" \
    mime-attach -n $'caf\xe9.txt' hello.txt
fails 65 mime-message '' "mime-message with an address 'a@@example.org'" \
    mime-message -f a@@example.org -i hello.ent "$B"
fails 65 mime-message '' "mime-message with an address '@example.org'" \
    mime-message -f @example.org -i hello.ent "$B"
fails 65 mime-message '' "mime-message with an unquoted space in a local part" \
    mime-message -f 'a b@example.org' -i hello.ent "$B"
fails '64|65' mime-message '' "mime-message --message-id with white space" \
    mime-message -f "$A" --message-id 'a b@example.org' -i hello.ent "$B"
fails '64|65' mime-message '' "mime-message --date that is not a date" \
    mime-message -f "$A" --date 'next Tuesday' -i hello.ent "$B"
fails '64|65' mime-message '' "mime-message -H without a colon" \
    mime-message -f "$A" -H 'NoColon' -i hello.ent "$B"
fails '64|65' mime-message '' "mime-message -H with a space in the field name" \
    mime-message -f "$A" -H 'Bad Name: x' -i hello.ent "$B"
fails '64|65' mime-message '' "mime-message with a malformed SOURCE_DATE_EPOCH" \
    env SOURCE_DATE_EPOCH=yesterday mime-message -f "$A" -i hello.ent "$B"
# Entities that are not: bounded reads of hostile input.
python3 -c '
import os
open("no-blank.ent", "wb").write(b"Content-Type: text/plain\n")
open("random.ent", "wb").write(os.urandom(4096))
open("huge-header.ent", "wb").write(b"Content-Type: text/plain\nX-Big: " + b"a " * 300000 + b"\n\nbody\n")
open("many-fields.ent", "wb").write(b"Content-Type: text/plain\n" + b"X-A: b\n" * 5000 + b"\nbody\n")
'
fails 65 mime-multipart 'no-blank\.ent' "mime-multipart given a header block with no empty line after it" \
    mime-multipart no-blank.ent
fails 65 mime-multipart 'random\.ent' "mime-multipart given random bytes" mime-multipart random.ent
fails 65 mime-multipart 'huge-header\.ent' "mime-multipart given a 600 KB header block" \
    mime-multipart huge-header.ent
fails 65 mime-multipart 'many-fields\.ent' "mime-multipart given 5000 header fields" \
    mime-multipart many-fields.ent
fails 65 mime-message '' "mime-message given a 600 KB header block" \
    mime-message -f "$A" -i huge-header.ent "$B"

# --- 66: missing input ----------------------------------------------------------
for tool in mime-text mime-html mime-attach mime-multipart; do
	fails 66 "$tool" '(^|: )missing\.in: No such file or directory$' \
	    "$tool with a missing input file" "$tool" missing.in
done
fails 66 mime-message '(^|: )missing\.in: No such file or directory$' \
    "mime-message -i with a missing input file" \
    mime-message -f "$A" -i missing.in "$B"
fails 66 mime-multipart 'missing\.in' \
    "mime-multipart with a missing second input file" \
    mime-multipart hello.ent missing.in
expect_status 66 "a tool called by its full path exits 66 on a missing file" \
    "$MC_BIN/mime-attach" missing.in
check "a tool called by its full path names itself by its base name" \
    one_error_line mime-attach 'missing\.in'

# --- 73: the output cannot be created -------------------------------------------
for tool in $TOOLS; do
	case $tool in
	mime-attach) in=hello.txt ;;
	mime-text | mime-html) in=hello.txt ;;
	mime-multipart) in=hello.ent ;;
	mime-message) in="-f $A -i hello.ent $B" ;;
	esac
	# shellcheck disable=SC2086
	fails 73 "$tool" 'no-such-folder/out\.eml' \
	    "$tool -o into a missing folder" \
	    "$tool" -o "$T/no-such-folder/out.eml" $in
	# shellcheck disable=SC2086
	fails 73 "$tool" 'afile/out\.eml' \
	    "$tool -o under a regular file" \
	    "$tool" -o "$T/afile/out.eml" $in
done
if [ "$(id -u)" -ne 0 ]; then
	mkdir ro && chmod 555 ro
	fails 73 mime-text 'ro/out\.eml' "mime-text -o into a read-only folder" \
	    mime-text -o "$T/ro/out.eml" hello.txt
	chmod 755 ro
else
	skip "mime-text -o into a read-only folder exits 73" \
	    "root writes into read-only folders"
fi

# --- 74: read and write errors -------------------------------------------------
for tool in $TOOLS; do
	case $tool in
	mime-text | mime-attach) in=big.txt ;;
	mime-html) in=big.txt ;;
	mime-multipart) in=big.ent ;;
	mime-message) in="-f $A -i big.ent $B" ;;
	esac
	# shellcheck disable=SC2086
	fails 74 "$tool" 'No space left on device' "$tool writing to /dev/full" \
	    sh -c '"$@" >/dev/full' sh "$tool" $in
	# shellcheck disable=SC2086
	expect_status 74 "$tool writing into a closed pipe exits 74, not killed by SIGPIPE" \
	    closed_pipe "$tool" $in
	check "$tool writing into a closed pipe says so in one line '$tool: ...' on stderr" \
	    one_error_line "$tool" 'Broken pipe'
done
fails 74 mime-text '' "mime-text with a piped input and no \$TMPDIR to spool it in" \
    sh -c 'cat big.txt 2>/dev/null | TMPDIR=/nonexistent/tmp mime-text'
