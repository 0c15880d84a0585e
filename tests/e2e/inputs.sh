#!/bin/bash
# SPDX-License-Identifier: ISC
# Inputs that must be refused or mended: file names from FILE operands,
# message/rfc822 bodies, binary entities, address groups, non-ASCII
# domains.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$T" || exit 1
A='Alice Example <alice@example.org>'
cp "$FIX/logo.png" logo.png

# --- file names taken from FILE -------------------------------------------

cp logo.png $'new\nline.png'
cp logo.png $'tab\there.png'
cp logo.png $'latin1-\351.png'
expect_status 65 "a FILE whose name has a line feed is refused, as with -n" \
    mime-attach $'new\nline.png'
check "... naming it on one line" one_error_line mime-attach '^mime-attach: new\\nline\.png: .*CR or LF'
expect_status 65 "a FILE whose name has a TAB is refused" \
    mime-attach $'tab\there.png'
check "... naming it" one_error_line mime-attach '^mime-attach: tab\\x09here\.png: .*TAB'
expect_status 65 "a FILE whose name is not UTF-8 is refused" \
    mime-attach $'latin1-\351.png'
check "... saying why" one_error_line mime-attach 'not valid UTF-8'
expect_status 65 "mime-text --attachment: the same for its FILE" \
    mime-text --attachment $'new\nline.png'
expect_status 0 "-n gives such a FILE a name of its own" \
    mime-attach -n line.png $'new\nline.png'
check "... which is used" has_line "$OUT" 'filename=line\.png'

expect_status 0 "a <(...) operand (/dev/fd/N) goes through" \
    mime-attach <(cat logo.png)
check "... with no file name, as standard input" \
    eval 'not grep -qi "name" "$OUT"'
expect_status 0 "mime-text --attachment <(...) goes through" \
    mime-text --attachment <(echo hello)
check "... with no file name either" \
    eval 'has_line "$OUT" "^Content-Disposition: attachment\$"'

# --- message/rfc822 bodies --------------------------------------------------

printf 'Subject: kept\n\nFrom here\n.\nbody\n' >good.eml
head -c 3000 "$FIX/allbytes.bin" >random.eml
printf 'Subject: x\n\nnul \000 here\n' >nul.eml
printf 'Subject: x\n\nbare \r here\n' >cr.eml
{ printf 'Subject: x\n\n'; printf '%01000d\n' 0; } >long.eml
printf 'just some text\n' >text.eml
expect_status 0 "a message with '.' and 'From ' lines is attached as it is" \
    mime-attach good.eml
check "... 7bit, its lines unchanged" \
    eval 'has_line "$OUT" "^Content-Transfer-Encoding: 7bit" && has_line "$OUT" "^From here\$"'
for f in random text; do
	expect_status 65 "message/rfc822 refuses $f.eml: no header block" \
	    mime-attach $f.eml
	check "... saying so" one_error_line mime-attach "^mime-attach: $f\.eml: not a message .*: no header block\$"
done
for f in nul:'a NUL byte' cr:'a bare CR' long:'a line longer than 998 octets'; do
	expect_status 65 "message/rfc822 refuses ${f%%:*}.eml: ${f#*:}" \
	    mime-attach "${f%%:*}.eml"
	check "... saying so" one_error_line mime-attach "${f#*:}\$"
done

# --- binary entities (refused: no line ends to keep) ----------------------

printf 'Content-Type: application/octet-stream\nContent-Transfer-Encoding: binary\n\n\001\r\n\377' >bin.ent
expect_status 65 "mime-multipart refuses a binary entity (its bytes would not survive)" \
    mime-multipart bin.ent
check "... saying to send it base64" one_error_line mime-multipart '^mime-multipart: bin\.ent: .*binary.*base64'
expect_status 65 "mime-message refuses a binary entity too" \
    mime-message -f "$A" -i bin.ent bob@example.org

# --- address groups and international domains ------------------------------

printf 'hello\n' >hello.txt
mime-text hello.txt >hello.ent
expect_status 0 "mime-message takes a group with members" \
    mime-message -f "$A" -i hello.ent 'Équipe: Zoë <zoe@example.org>, bob@example.net;' 'carol@example.com'
check "... written as a group, its name encoded" \
    field_is "$OUT" To '=?utf-8?Q?=C3=89quipe?= : =?utf-8?Q?Zo=C3=AB?= <zoe@example.org>, bob@example.net;, carol@example.com'
check "... which Python's email reads as that group" \
    eval 'check_eml --message --to "Équipe: Zoë <zoe@example.org>, bob@example.net;, carol@example.com" "$OUT"'
expect_status 65 "a group as From is refused" \
    mime-message -f 'Authors: a@example.org;' -i hello.ent bob@example.net
check "... naming From" one_error_line mime-message '^mime-message: From: a group is not an author'
expect_status 0 "a non-ASCII domain needs no SMTPUTF8" \
    mime-message -f 'Zoë <zoe@bücher.de>' -i hello.ent 'info@exämple.org'
check "... it is written as its A-labels" \
    eval 'field_is "$OUT" From "=?utf-8?Q?Zo=C3=AB?= <zoe@xn--bcher-kva.de>" && field_is "$OUT" To "info@xn--exmple-cua.org"'
check "... and the Message-ID takes the A-label domain" \
    has_line "$OUT" '^Message-ID: <.*@xn--bcher-kva\.de>$'
check "... and the message is 7-bit" eval 'check_eml --message "$OUT"'
expect_status 65 "a non-ASCII local part still exits 65" \
    mime-message -f 'zoë@bücher.de' -i hello.ent bob@example.net
check "... with a clear reason" one_error_line mime-message 'non-ASCII local part .* needs SMTPUTF8'
