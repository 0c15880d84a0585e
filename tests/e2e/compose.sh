#!/bin/bash
# SPDX-License-Identifier: ISC
# SPEC 3 mime-compose: drafts turned into messages that parse with no
# defect, whose cid: references resolve, whose errors name the draft line
# with the right exit status (and leave -o FILE alone), and whose parts are
# those mblaze's mmime makes of the same draft.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VERSION=$(sed -n 's/^VERSION *= *//p' "$ROOT/Makefile")
cd "$T" || exit 1

# Inputs, in the current folder: paths in drafts are relative to it.
cp "$FIX/compose-logo.png" logo.png
cp "$FIX/compose-menu.html" menu.html
cp "$FIX/compose-menu.pdf" menu.pdf
cp "$FIX/compose-notes.txt" notes.txt
cp "$FIX/allbytes.bin" allbytes.bin
printf 'Hello Bob,\n\nthe files are attached.\n' >text.txt

HDR='From: Zoë <zoe@example.org>
To: bob@example.net, "Doe, John" <john@example.net>
Subject: Café menu'

draft() {	# FILE BODY: a draft with the usual header block
	printf '%s\n\n%s\n' "$HDR" "$2" >"$1"
}

draft plain.draft "$(cat text.txt)"
draft all.draft "$(cat text.txt)
#text/html#alternative menu.html
#image/png#related logo.png>logo
#application/pdf menu.pdf>Menu (vendredi) à emporter.pdf
#text/plain#inline notes.txt
#application/octet-stream allbytes.bin"

# parses FILE [check_eml options]: no defect, every part decodes back.
parses() {
	check_eml --quiet --message "$@"
}

# cids_resolve FILE: every cid: URL in an HTML part is the Content-ID of a
# part of the message (RFC 2392), and there is at least one.
cids_resolve() {
	python3 - "$1" <<-'EOF'
	import email, email.policy, re, sys, urllib.parse
	msg = email.message_from_bytes(open(sys.argv[1], 'rb').read(),
	                               policy=email.policy.default)
	ids = set()
	for p in msg.walk():
	    if p['content-id']:
	        ids.add(str(p['content-id']).strip().strip('<>'))
	refs = []
	for p in msg.walk():
	    if p.get_content_type() == 'text/html':
	        refs += re.findall(r'cid:([^"\'\s>)]+)', p.get_content())
	if not refs:
	    sys.exit('no cid: reference in any HTML part')
	bad = [r for r in refs if urllib.parse.unquote(r) not in ids]
	if bad:
	    sys.exit('cid: %s resolve to no Content-ID (ids: %s)' % (bad, sorted(ids)))
	EOF
}

# same_parts A B: the two messages have the same tree of types and the
# same leaves: type, file name and decoded content (text line ends
# normalised, and a missing final line end ignored, as mmime adds one).
same_parts() {
	python3 - "$1" "$2" <<-'EOF'
	import email, email.policy, sys
	def parts(path):
	    msg = email.message_from_bytes(open(path, 'rb').read(),
	                                   policy=email.policy.default)
	    def shape(p):
	        if p.is_multipart():
	            return '%s(%s)' % (p.get_content_type(),
	                               ','.join(shape(q) for q in p.get_payload()))
	        return p.get_content_type()
	    leaves = []
	    for p in msg.walk():
	        if p.is_multipart():
	            continue
	        data = p.get_payload(decode=True)
	        if p.get_content_maintype() == 'text':
	            data = data.replace(b'\r\n', b'\n').rstrip(b'\n')
	        leaves.append((p.get_content_type(), p.get_filename(), data))
	    return shape(msg), leaves
	a, b = parts(sys.argv[1]), parts(sys.argv[2])
	if a[0] != b[0]:
	    sys.exit('trees differ: %s versus %s' % (a[0], b[0]))
	for x, y in zip(a[1], b[1]):
	    if x != y:
	        sys.exit('parts differ:\n  %r\n  %r' % (x[:2] + (x[2][:60],),
	                                               y[:2] + (y[2][:60],)))
	EOF
}

# --- the structures of SPEC 3 -------------------------------------------
export SOURCE_DATE_EPOCH=1700000000

mime-compose plain.draft >plain.eml 2>plain.err
check "a plain draft makes one text/plain part, nothing more" \
    parses plain.eml --shape text/plain --part text/plain=text.txt \
    --subject 'Café menu' --from 'Zoë <zoe@example.org>' \
    --to 'bob@example.net, "Doe, John" <john@example.net>'
check "a plain draft writes nothing on stderr" is_empty plain.err

mime-compose all.draft >all.eml 2>all.err
check "text, HTML, an inline image, attachments: mixed(alternative(text, related(html, png)), attachments...)" \
    parses all.eml \
    --shape 'multipart/mixed(multipart/alternative(text/plain,multipart/related(text/html,image/png)),application/pdf,text/plain,application/octet-stream)' \
    --part text/plain=text.txt --part text/html=menu.html --cid logo=logo.png \
    --part 'filename=Menu (vendredi) à emporter.pdf=menu.pdf' \
    --part filename=notes.txt=notes.txt --part filename=allbytes.bin=allbytes.bin
check "every cid: in the HTML resolves to the Content-ID of a part" \
    cids_resolve all.eml
check "the related image is inline and named by its file" \
    has_line all.eml '^Content-Disposition: inline; filename=logo.png$'

draft rel-default.draft "Text.
#text/html#alternative menu.html
#image/png#related logo.png"
sed 's/cid:logo/cid:logo.png/' menu.html >menu2.html
sed -i 's/menu.html/menu2.html/' rel-default.draft
mime-compose rel-default.draft >rel-default.eml 2>/dev/null
check "a #related part without >NAME gets Content-ID <base name>, and cid:base-name resolves" \
    cids_resolve rel-default.eml

draft html-only.draft "#text/html#alternative menu.html"
mime-compose html-only.draft >html-only.eml 2>/dev/null
check "a draft of an HTML version alone makes a text/html message" \
    parses html-only.eml --shape text/html --part text/html=menu.html

draft att-only.draft "
#application/pdf menu.pdf
"
mime-compose att-only.draft >att-only.eml 2>/dev/null
check "a body of part lines and blank lines makes no empty text part" \
    parses att-only.eml --shape 'multipart/mixed(application/pdf)' \
    --part application/pdf=menu.pdf

printf '%s\nCc:\nBcc:\nMIME-Version: 1.0\n\nx\n' "$HDR" >mcom.draft
mime-compose mcom.draft >mcom.eml 2>/dev/null
check "the empty Cc: and Bcc: of an mcom template are left out, MIME-Version written once" \
    parses mcom.eml --no-header Cc --no-header Bcc

printf '%s\n\nnot\n#hashtag\n #image/png logo.png\n#a/b/c is text\n' "$HDR" >text-hash.draft
mime-compose text-hash.draft >text-hash.eml 2>/dev/null
printf 'not\n#hashtag\n #image/png logo.png\n#a/b/c is text\n' >text-hash.txt
check "lines that are not part lines (no space, two slashes, indented) stay text" \
    parses text-hash.eml --shape text/plain --part text/plain=text-hash.txt

# --- inputs and outputs (SPEC 2) ----------------------------------------
stdin_same() {
	mime-compose <all.draft >stdin.eml
	mime-compose - <all.draft >dash.eml
	same all.eml stdin.eml
	same all.eml dash.eml
}
check "a draft on standard input (none, or -) gives the same message" stdin_same

crlf_out() {
	mime-compose --crlf all.draft >crlf.eml
	crlf_only crlf.eml
	parses crlf.eml --crlf --part text/plain=text.txt --cid logo=logo.png
}
check "--crlf ends every line in CRLF, and the message still parses" crlf_out

crlf_in() {
	sed 's/$/\r/' all.draft >crlf.draft
	mime-compose crlf.draft >crlf-in.eml
	same all.eml crlf-in.eml
}
check "a draft with CRLF line ends gives the same message as with LF" crlf_in

o_file() {
	mime-compose -o out.eml all.draft
	same all.eml out.eml
	[ "$(stat -c %a out.eml)" = 644 ]
}
check "-o FILE writes the message to FILE with mode 0666 less the umask" o_file

reproducible() {
	TZ=CST-8 LC_ALL=C.UTF-8 TMPDIR=$T mime-compose all.draft >again.eml
	same all.eml again.eml
}
check "with SOURCE_DATE_EPOCH the output is the same bytes under another zone, locale and TMPDIR" \
    reproducible

unique_ids() {
	env -u SOURCE_DATE_EPOCH mime-compose plain.draft >u1.eml
	env -u SOURCE_DATE_EPOCH mime-compose plain.draft >u2.eml
	[ "$(header u1.eml Message-ID)" != "$(header u2.eml Message-ID)" ]
}
check "without SOURCE_DATE_EPOCH two runs get different Message-IDs" unique_ids

fifo_part() {
	printf '%s\n\nData:\n#application/octet-stream /dev/fd/3>data.bin\n' \
	    "$HDR" >fifo.draft
	mime-compose fifo.draft 3< <(cat allbytes.bin) >fifo.eml
	parses fifo.eml --part filename=data.bin=allbytes.bin
}
check "a part line may name a pipe (/dev/fd/N of a process substitution)" \
    fifo_part

big_body() {
	mkdir -p spool
	{
		printf '%s\n\n' "$HDR"
		python3 -c 'import sys
line = b"A line of text for a big body, long enough to matter.\n"
sys.stdout.buffer.write(line * (64 * 1024 * 1024 // len(line)))'
		printf '#application/pdf menu.pdf\n'
	} >big.draft
	TMPDIR=$T/spool /usr/bin/time -f %M -o big.rss \
	    "$FAST/mime-compose" big.draft >big.eml
	echo "max RSS $(cat big.rss) KiB"
	[ "$(cat big.rss)" -lt 16384 ]
	[ -z "$(ls -A spool)" ]
	[ "$(grep -c '^A line of text' big.eml)" -gt 1000000 ]
}
if [ -x /usr/bin/time ]; then
	check "a 64 MiB body goes through in less than 16 MiB of memory, its spool removed" \
	    big_body
else
	skip "a 64 MiB body goes through in little memory" "no /usr/bin/time"
fi

# 1000 part lines, the limit, half texts and half attachments, under a
# descriptor limit far below that: no part's file is held open until its
# turn.
many_parts() {
	local i
	mkdir -p many
	{
		printf '%s\n\nThe parts.\n' "$HDR"
		for i in $(seq 1 500); do
			printf 'text %d\n' "$i" >"many/t$i.txt"
			printf 'bin %d\0' "$i" >"many/b$i.bin"
			printf '#text/plain many/t%d.txt\n' "$i"
			printf '#application/octet-stream many/b%d.bin\n' "$i"
		done
	} >many.draft
	(ulimit -n 64 && mime-compose many.draft >many.eml)
	[ "$(grep -c '^Content-Disposition: attachment' many.eml)" -eq 1000 ]
	[ "$(grep -c '^text [0-9]*$' many.eml)" -eq 500 ]
	parses many.eml --part filename=b500.bin=many/b500.bin
}
check "a draft of 1000 part lines goes through under ulimit -n 64" many_parts

expect_status 74 "a message written to /dev/full exits 74" \
    mime-compose -o /dev/full all.draft
check "a write error says so in one line" one_error_line mime-compose '/dev/full'

# A body of up to 64 KiB is held in memory; a longer one is spooled.
{
	printf '%s\n\n' "$HDR"
	python3 -c 'print("A line of a 80 KiB body.\n" * 3400, end="")'
} >long.draft
expect_status 74 "a body that cannot be spooled (no TMPDIR folder) exits 74" \
    env TMPDIR="$T/no/such/dir" mime-compose long.draft
check "the spool error names the folder" one_error_line mime-compose 'no/such/dir'
expect_status 0 "a short body needs no spool (no TMPDIR folder is fine)" \
    env TMPDIR="$T/no/such/dir" mime-compose plain.draft

# --- errors with the draft's line number --------------------------------

# fails STATUS REGEX SENTENCE CMD...: the status, one error line matching
# REGEX, nothing on standard output.
fails() {
	local want=$1 re=$2 sentence=$3
	shift 3
	expect_status "$want" "$sentence: exits $want" "$@"
	check "$sentence: says so in one line naming the place" \
	    one_error_line mime-compose "$re"
	check "$sentence: writes nothing on standard output" is_empty "$OUT"
}

draft missing.draft "Text.
#image/png nothere.png"
fails 66 '^mime-compose: missing.draft:6: nothere.png: No such file or directory$' \
    "a part line naming a missing file" mime-compose missing.draft

untouched() {
	printf 'old\n' >keep.eml
	not mime-compose -o keep.eml missing.draft 2>/dev/null
	printf 'old\n' >want
	same want keep.eml
	for f in .keep.eml.*; do
		[ ! -e "$f" ] || { echo "left behind: $f" >&2; return 1; }
	done
}
check "after a failure -o FILE is untouched and no temporary file is left" \
    untouched

printf '%s\nHello Bob, no empty line here.\n' "$HDR" >nocolon.draft
fails 65 'nocolon.draft:4: .*without a colon' \
    "a header line without a colon (no empty line before the body)" \
    mime-compose nocolon.draft

draft related.draft "Text.
#image/png#related logo.png"
fails 65 'related.draft:6: .*#related without an #alternative' \
    "a #related part without an HTML alternative" mime-compose related.draft

printf 'From: zoe@example.org\nSubject: a\rBcc: evil@example.com\n\nx\n' >cr.draft
fails 65 'cr.draft:2: .*bare CR' "a header value with a bare CR" \
    mime-compose cr.draft

printf 'To: bob@example.net\nSubject: x\n\nx\n' >nofrom.draft
fails 65 '^mime-compose: nofrom.draft: no From field$' "a draft without From" \
    mime-compose nofrom.draft

printf '%s\n\nok\ncaf\351\n' "$HDR" >latin1.draft
fails 65 'latin1.draft:6: .*UTF-8' "body text that is not UTF-8" \
    mime-compose latin1.draft

printf '%s\nContent-Type: text/html\n\nx\n' "$HDR" >ctype.draft
fails 65 'ctype.draft:4: Content-Type' "a Content-Type field in the draft" \
    mime-compose ctype.draft

draft twoalt.draft "#text/html#alternative menu.html
#text/html#alternative menu.html"
fails 65 'twoalt.draft:6: .*second #alternative' "a second #alternative" \
    mime-compose twoalt.draft

draft baddisp.draft "#image/png#attachement logo.png"
fails 65 'baddisp.draft:5: .*not a disposition' "an unknown disposition" \
    mime-compose baddisp.draft

fails 66 '^mime-compose: standard input:6: nothere.png' \
    "a draft on standard input with a missing file, named so in the error" \
    sh -c 'mime-compose <missing.draft'

fails 66 'nosuch.draft: No such file or directory' "a missing DRAFT" \
    mime-compose nosuch.draft
fails 64 'extra operand' "two DRAFT operands" mime-compose a.draft b.draft
fails 64 'unknown option' "an unknown option" mime-compose --bogus all.draft

expect_status 0 "mime-compose --help exits 0" mime-compose --help
check "mime-compose --help prints the usage on standard output" \
    has_line "$OUT" '^usage: mime-compose \[--sign\] \[--encrypt -r RECIPIENT \.\.\.\]'
expect_status 0 "mime-compose --version exits 0" mime-compose --version
check "mime-compose --version prints 'mime-compose (mimecompose) $VERSION'" \
    has_line "$OUT" "^mime-compose \\(mimecompose\\) $VERSION\$"

# --- the same parts as mblaze's mmime -----------------------------------
if ! command -v mmime >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mblaze \
	    >/dev/null 2>&1
fi
if command -v mmime >/dev/null 2>&1; then
	# A draft in mmime's syntax: text first, then part lines.
	draft mblaze.draft "$(cat text.txt)
#image/png logo.png
#application/pdf menu.pdf>Menu (vendredi).pdf
#text/plain#inline notes.txt
#application/octet-stream allbytes.bin"
	mmime <mblaze.draft >mmime.eml 2>mmime.err
	mime-compose mblaze.draft >ours.eml 2>/dev/null
	check "a draft for mmime gives the same part tree, types, file names and contents as mmime" \
	    same_parts mmime.eml ours.eml
	check "... and ours parses with no defect" parses ours.eml
else
	skip "a draft for mmime gives the same parts as mmime" \
	    "mmime (mblaze) is not installed and cannot be without root"
fi
