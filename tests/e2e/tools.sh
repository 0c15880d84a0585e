#!/bin/bash
# SPDX-License-Identifier: ISC
# SPEC 3, tool by tool: what each writes, parsed back by Python's email
# (tests/e2e/check_eml.py) and every part compared with its input.
# "cat FILE | tool" makes a pipe on purpose; sh -c scripts are single-quoted.
# shellcheck disable=SC2002,SC2016
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$T" || exit 1
A='Alice Example <alice@example.org>'
B=bob@example.net
export SOURCE_DATE_EPOCH=1700000000
cp "$FIX/logo.png" "$FIX/allbytes.bin" "$FIX/chinese.txt" "$FIX/qp.txt" \
    "$FIX/page.html" "$FIX/plain.txt" "$FIX/forwarded.eml" "$FIX/résumé 2026.pdf" .
python3 - <<'EOF'
import os
w = lambda name, data: open(name, 'wb').write(data)
w('ascii.txt', b'Just ASCII.\nTwo lines.\n')
w('mostly-ascii.txt', 'Grüße aus Zürich, and the rest is plain ASCII text.\n'.encode())
w('gb18030.txt', '简体中文，GB18030 编码。\n'.encode('gb18030'))
w('latin1.txt', 'caf\u00e9 na\u00efve\n'.encode('latin-1'))
w('nul.txt', b'before\x00after\n')
w('bare-cr.txt', b'one\rtwo\n')
w('no-newline.txt', b'no line end at the end')
w('empty.txt', b'')
w('empty.bin', b'')
w('random.bin', os.urandom(1 << 20))
w('data.csv', b'a,b\n1,2\n')
w('noext', b'\x00\x01 some bytes')
w('unknown.zzqx', b'\x00\x01 some bytes')
w('eight.eml', 'From: Zoe <zoe@example.org>\nTo: bob@example.net\nSubject: 8bit\n'
  'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n'
  'Content-Transfer-Encoding: 8bit\n\nGrüße\n'.encode())
w('boundaryish.txt', b''.join(
    b'--=_' + c.encode() * n + b'\n'
    for c in "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=?"
    for n in (1, 8, 66)) + b'--\n--=_\n--\n')
os.makedirs('dir/sub', exist_ok=True)
w('dir/sub/deep.png', open('logo.png', 'rb').read())
EOF

# --- mime-text ------------------------------------------------------------------

# text_tree FILE TREE [MIME-TEXT OPTIONS...]: mime-text OPTIONS FILE gives
# the one-part tree TREE and decodes back to FILE.
text_tree() {
	local file=$1 want=$2
	shift 2
	mime-text "$@" "$file" >tt.eml
	tree_is tt.eml "$want" --8bit --part "text/$(type_of "$@")=$file"
}
type_of() {	# the -t value in the arguments, else plain
	local t=plain
	while [ $# -gt 0 ]; do
		[ "$1" = -t ] && t=$2
		shift
	done
	echo "$t"
}
check "mime-text: ASCII text is text/plain, us-ascii, 7bit" \
    text_tree ascii.txt 'text/plain 7bit charset=us-ascii'
check "mime-text: mostly-ASCII UTF-8 text is utf-8, quoted-printable" \
    text_tree mostly-ascii.txt 'text/plain quoted-printable charset=utf-8'
check "mime-text: Chinese text is utf-8, base64" \
    text_tree chinese.txt 'text/plain base64 charset=utf-8'
check "mime-text -t csv: text/csv" \
    text_tree data.csv 'text/csv 7bit charset=us-ascii' -t csv
check "mime-text -c gb18030: labelled gb18030, not checked as UTF-8, decodes back" \
    text_tree gb18030.txt 'text/plain base64 charset=gb18030' -c gb18030
check "mime-text -e base64 on ASCII text: base64" \
    text_tree ascii.txt 'text/plain base64 charset=us-ascii' -e base64
check "mime-text -e quoted-printable on ASCII text: quoted-printable" \
    text_tree ascii.txt 'text/plain quoted-printable charset=us-ascii' -e quoted-printable
check "mime-text -e 7bit on ASCII text: 7bit" \
    text_tree ascii.txt 'text/plain 7bit charset=us-ascii' -e 7bit
check "mime-text -e 8bit on UTF-8 text: 8bit, the raw bytes" \
    text_tree mostly-ascii.txt 'text/plain 8bit charset=utf-8' -e 8bit
check "mime-text: text with a NUL is not 7bit and decodes back" \
    text_tree nul.txt 'text/plain quoted-printable charset=us-ascii'
check "mime-text: text with a bare CR is not 7bit and decodes back" \
    text_tree bare-cr.txt 'text/plain quoted-printable charset=us-ascii'
check "mime-text: an empty file is an empty us-ascii 7bit part" \
    text_tree empty.txt 'text/plain 7bit charset=us-ascii'
check "mime-text --attachment: an attachment named after the file" \
    text_tree ascii.txt "text/plain attachment filename='ascii.txt' name='ascii.txt' 7bit charset=us-ascii" --attachment
check "mime-text --attachment -n NAME: an attachment named NAME" \
    text_tree ascii.txt "text/plain attachment filename='notes.txt' name='notes.txt' 7bit charset=us-ascii" --attachment -n notes.txt
text_inline() {
	mime-text --inline ascii.txt >ti.eml
	check_eml --tree --quiet --part text/plain=ascii.txt ti.eml | grep -q '^text/plain inline '
}
check "mime-text --inline: an inline part" text_inline
no_newline_in_multipart() {
	mime-multipart <(mime-text no-newline.txt) <(mime-text -e quoted-printable no-newline.txt) \
	    <(mime-text -e base64 no-newline.txt) >nn.eml
	check_eml --quiet --part text/plain=no-newline.txt --part text/plain=no-newline.txt \
	    --part text/plain=no-newline.txt nn.eml
}
check "mime-text: a text without a final line end decodes back without one (7bit, quoted-printable, base64)" \
    no_newline_in_multipart
gb18030_text() {
	mime-text -c gb18030 gb18030.txt >gb.eml
	python3 -c '
import email, email.policy, sys
m = email.message_from_binary_file(open("gb.eml", "rb"), policy=email.policy.default)
want = open("gb18030.txt", "rb").read().decode("gb18030")
sys.exit(m.get_content() != want)'
}
check "mime-text -c gb18030: Python reads back the same characters" gb18030_text
pipe_same_as_file() {	# TOOL FILE [ARGS...]
	local tool=$1 file=$2
	shift 2
	"$tool" "$@" "$file" >from-file.eml
	if [ "$tool" != mime-attach ]; then	# mime-attach needs FILE or -
		cat "$file" | "$tool" "$@" >from-pipe.eml
		same from-file.eml from-pipe.eml
	fi
	cat "$file" | "$tool" "$@" - >from-dash.eml
	same from-file.eml from-dash.eml
}
check "mime-text: an ASCII text from a pipe gives what the file gives" \
    pipe_same_as_file mime-text ascii.txt
check "mime-text: a quoted-printable text from a pipe gives what the file gives" \
    pipe_same_as_file mime-text qp.txt
check "mime-text: a Chinese text from a pipe gives what the file gives" \
    pipe_same_as_file mime-text chinese.txt
check "mime-html: an HTML text from a pipe gives what the file gives" \
    pipe_same_as_file mime-html page.html
check "mime-attach: a binary file from a pipe with -n gives what the file gives" \
    pipe_same_as_file mime-attach logo.png -n logo.png
check "mime-attach: a UTF-8 text file from a pipe with -n gives what the file gives" \
    pipe_same_as_file mime-attach chinese.txt -n chinese.txt
fifo_input() {	# a named pipe as FILE: spooled like standard input
	mkfifo fifo.txt
	(cat chinese.txt >fifo.txt &)
	mime-attach fifo.txt >fifo.eml
	check_eml --quiet --part filename=fifo.txt=chinese.txt fifo.eml
	rm -f fifo.txt
}
check "mime-attach of a named pipe (a text, read twice) spools it and decodes back" fifo_input

# --- mime-html ---------------------------------------------------------------------

html_is_text_html() {
	mime-html page.html >h1.eml
	mime-text -t html page.html >h2.eml
	same h2.eml h1.eml
	tree_is h1.eml 'text/html 7bit charset=us-ascii' --part text/html=page.html
}
check "mime-html FILE is mime-text -t html FILE, byte for byte" html_is_text_html
check "mime-html takes mime-text's options (-e base64)" \
    sh -c 'mime-html -e base64 page.html >h3.eml && grep -qi "^Content-Transfer-Encoding: base64" h3.eml'

# --- mime-attach ---------------------------------------------------------------------

attach_tree() {	# TREE FILE-TO-COMPARE MIME-ATTACH-ARGS...
	local want=$1 file=$2
	shift 2
	mime-attach "$@" >at.eml
	tree_is at.eml "$want" --part "$(python3 -c '
import email, email.policy, sys
m = email.message_from_binary_file(open("at.eml", "rb"), policy=email.policy.default)
print(m.get_content_type())')=$file"
}
check "mime-attach FILE.png: image/png, attachment, filename and name, base64" \
    attach_tree "image/png attachment filename='logo.png' name='logo.png' base64" logo.png logo.png
check "mime-attach FILE.pdf with a non-ASCII name: application/pdf, RFC 2231 name" \
    attach_tree "application/pdf attachment filename='résumé 2026.pdf' name='résumé 2026.pdf' base64" 'résumé 2026.pdf' 'résumé 2026.pdf'
check "mime-attach of every byte value: application/octet-stream, decodes back" \
    attach_tree "application/octet-stream attachment filename='allbytes.bin' name='allbytes.bin' base64" allbytes.bin allbytes.bin
check "mime-attach of 1 MiB of random bytes decodes back" \
    attach_tree "application/octet-stream attachment filename='random.bin' name='random.bin' base64" random.bin random.bin
check "mime-attach of an empty file: an empty base64 part" \
    attach_tree "application/octet-stream attachment filename='empty.bin' name='empty.bin' base64" empty.bin empty.bin
check "mime-attach of an unknown extension: application/octet-stream" \
    attach_tree "application/octet-stream attachment filename='unknown.zzqx' name='unknown.zzqx' base64" unknown.zzqx unknown.zzqx
check "mime-attach of a name without extension: application/octet-stream" \
    attach_tree "application/octet-stream attachment filename='noext' name='noext' base64" noext noext
check "mime-attach -t TYPE overrides the guess" \
    attach_tree "image/x-test attachment filename='logo.png' name='logo.png' base64" logo.png -t image/x-test logo.png
check "mime-attach -n NAME: the name, and the type from NAME" \
    attach_tree "image/png attachment filename='x.png' name='x.png' base64" allbytes.bin -n x.png allbytes.bin
check "mime-attach of a path: the base name" \
    attach_tree "image/png attachment filename='deep.png' name='deep.png' base64" logo.png dir/sub/deep.png
stdin_attach() {
	mime-attach - <logo.png >st.eml
	tree_is st.eml 'application/octet-stream attachment base64' \
	    --part application/octet-stream=logo.png
}
check "mime-attach - without -n: no name, application/octet-stream" stdin_attach
check "mime-attach --inline: an inline part with its name" \
    attach_tree "image/png inline filename='logo.png' name='logo.png' base64" logo.png --inline logo.png
check "mime-attach --id ID: Content-ID <ID>" \
    attach_tree "image/png attachment filename='logo.png' name='logo.png' id=<logo> base64" logo.png --id logo logo.png
check "mime-attach --id '<ID>': the brackets are not doubled" \
    attach_tree "image/png attachment filename='logo.png' name='logo.png' id=<logo@example.org> base64" logo.png --id '<logo@example.org>' logo.png
check "mime-attach of an ASCII text file: text/plain, us-ascii, as mime-text would" \
    attach_tree "text/plain attachment filename='ascii.txt' name='ascii.txt' 7bit charset=us-ascii" ascii.txt ascii.txt
check "mime-attach of a UTF-8 text file: utf-8 labelled" \
    attach_tree "text/plain attachment filename='chinese.txt' name='chinese.txt' base64 charset=utf-8" chinese.txt chinese.txt
not_utf8_text() {
	mime-attach latin1.txt >l1.eml
	has_line l1.eml '^Content-Transfer-Encoding: base64'
	has_line l1.eml '^Content-Type: text/plain; charset=unknown-8bit;'
	check_eml --quiet --part filename=latin1.txt=latin1.txt l1.eml
}
check "mime-attach of a text file that is not UTF-8: base64, charset=unknown-8bit" not_utf8_text
check "mime-attach of a text/csv file: text/csv" \
    attach_tree "text/csv attachment filename='data.csv' name='data.csv' 7bit charset=us-ascii" data.csv data.csv
description() {
	mime-attach -d 'Le logo de Zoë' logo.png >d.eml
	check_eml --quiet --header 'Content-Description=Le logo de Zoë' d.eml
}
check "mime-attach -d: Content-Description, RFC 2047 when not ASCII" description
literal_ew_description() {
	mime-attach -d 'Literal =?utf-8?q?abc?= text' logo.png >d2.eml
	check_eml --quiet --header 'Content-Description=Literal =?utf-8?q?abc?= text' d2.eml
	mime-message -f "$A" -H 'X-Note: Literal =?utf-8?q?abc?= text' -i <(mime-text ascii.txt) "$B" >d3.eml
	check_eml --quiet --header 'X-Note=Literal =?utf-8?q?abc?= text' d3.eml
}
check "-d and -H values holding a literal '=?utf-8?q?abc?=' decode back as written" \
    literal_ew_description
rfc822_as_is() {	# FILE TREE [CHECK_EML OPTIONS]
	local file=$1 want=$2
	shift 2
	mime-attach "$file" >m.eml
	tree_is m.eml "$want" "$@" --rfc822 "$file"
}
check "mime-attach of an .eml: message/rfc822, 7bit, embedded as it is" \
    rfc822_as_is forwarded.eml "$(printf '%s\n' \
        "message/rfc822 attachment filename='forwarded.eml' name='forwarded.eml'" \
        '  text/plain 7bit charset=us-ascii')"
check "mime-attach of an 8bit .eml: message/rfc822, 8bit, as it is" \
    rfc822_as_is eight.eml "$(printf '%s\n' \
        "message/rfc822 attachment filename='eight.eml' name='eight.eml' 8bit" \
        '  text/plain 8bit charset=utf-8')" --8bit
eightbit_containers() {
	mime-multipart <(mime-text ascii.txt) <(mime-attach eight.eml) >e8.ent
	mime-message -f "$A" -i e8.ent "$B" >e8.eml
	check_eml --quiet --8bit --rfc822 eight.eml e8.eml
	field_is e8.ent Content-Transfer-Encoding 8bit
	field_is e8.eml Content-Transfer-Encoding 8bit
}
check "an 8bit message/rfc822 part makes the multipart and the message around it 8bit" \
    eightbit_containers
eightbit_text_containers() {
	mime-multipart <(mime-multipart <(mime-text -e 8bit chinese.txt) <(mime-text ascii.txt)) >t8.ent
	mime-message -f "$A" -i t8.ent "$B" >t8.eml
	check_eml --quiet --8bit --part text/plain=chinese.txt t8.eml
}
check "an -e 8bit text part makes every multipart and the message around it 8bit" \
    eightbit_text_containers

# File names: RFC 2231, quoting, continuations on character boundaries.
name_kept() {	# NAME [MIME-ATTACH OPTIONS]: the file name decodes back exactly
	local name=$1
	shift
	mime-attach "$@" -n "$name" logo.png >n.eml
	check_eml --quiet --part "filename=$name=logo.png" n.eml
	python3 - "$name" "$ROOT/tests/e2e" <<-'EOF'
	import email, email.policy, sys
	sys.path.insert(0, sys.argv[2])
	import check_eml
	m = email.message_from_binary_file(open("n.eml", "rb"), policy=email.policy.default)
	name = check_eml.raw_param(check_eml.raw_field(m, "content-type"), "name")
	if name != sys.argv[1]:
	    sys.exit("Content-Type name is %r" % name)
	EOF
}
check "a file name with a space is kept" name_kept 'two words.png'
check "a file name with quotes, a backslash and a semicolon is kept" \
    name_kept 'a "quoted" back\slash; semi.png'
check "a file name with '=' and '%' is kept" name_kept '100% = full.png'
check "a file name that looks like an encoded-word is kept as it is, with no defect" \
    name_kept '=?utf-8?q?x?=.png'
check "a file name that starts and ends with a quote is kept" name_kept '"quoted"'
check "a non-ASCII file name is kept (RFC 2231)" name_kept 'Grüße.png'
check "a long ASCII file name is kept, on lines of at most 78" \
    name_kept "$(printf 'long%.0s' $(seq 1 40)).png"
check "a long Chinese file name is kept" \
    name_kept "$(printf '很长的文件名%.0s' $(seq 1 20)).png"
check "a long file name of 4-byte characters is kept" \
    name_kept "$(printf '😀%.0s' $(seq 1 40)).png"
segments_whole() {	# every RFC 2231 segment of a long name is whole UTF-8
	mime-attach -n "$(printf 'é😀中%.0s' $(seq 1 30)).png" logo.png >seg.eml
	python3 - <<-'EOF'
	import re, sys, urllib.parse
	text = open("seg.eml", "rb").read().decode("ascii")
	head = text.split("\n\n", 1)[0].replace("\n ", " ").replace("\n\t", " ")
	segs = re.findall(r"(\w+)\*(\d+)\*=([^;\s]+)", head)
	if not segs:
	    sys.exit("no RFC 2231 continuations: " + head)
	for param, n, value in segs:
	    if n == "0":
	        value = value.split("'", 2)[2]
	    try:
	        urllib.parse.unquote_to_bytes(value).decode("utf-8")
	    except UnicodeDecodeError:
	        sys.exit("%s*%s* splits a character: %s" % (param, n, value))
	EOF
}
check "a long non-ASCII file name is split into RFC 2231 continuations on character boundaries" \
    segments_whole
compat_names() {
	mime-attach --compat-names 'résumé 2026.pdf' >cn.eml
	has_line cn.eml '^Content-Type: application/pdf;'
	grep -A3 -i '^Content-Type:' cn.eml | tr -d '\n' | grep -q 'name="=?utf-8?[BbQq]?' || {
		echo 'no name="=?utf-8?...?=" on Content-Type' >&2
		return 1
	}
	grep -A3 -i '^Content-Disposition:' cn.eml | tr -d '\n' | grep -q "filename\*" || {
		echo "Content-Disposition lost its filename*=" >&2
		return 1
	}
	python3 -c '
import email, email.policy, sys
m = email.message_from_binary_file(open("cn.eml", "rb"), policy=email.policy.default)
sys.exit(m.get_filename() != "résumé 2026.pdf")'
}
check "mime-attach --compat-names: name=\"=?utf-8?...?=\" on Content-Type, filename*= kept" \
    compat_names
default_no_compat() {
	mime-attach 'résumé 2026.pdf' >nc.eml
	lacks_line nc.eml '=\?utf-8\?'
}
check "mime-attach without --compat-names writes no encoded-word in a parameter" \
    default_no_compat

# --- mime-multipart --------------------------------------------------------------------

mime-text ascii.txt >a.ent
mime-html page.html >h.ent
mime-attach --inline --id logo logo.png >p.ent
mp_tree() {	# TREE MIME-MULTIPART-ARGS...
	local want=$1
	shift
	mime-multipart "$@" >mp.eml
	tree_is mp.eml "$want"
}
check "mime-multipart: multipart/mixed by default, parts in the order given" \
    mp_tree "$(printf '%s\n' 'multipart/mixed' '  text/plain 7bit charset=us-ascii' \
        "  image/png inline filename='logo.png' name='logo.png' id=<logo> base64" \
        '  text/html 7bit charset=us-ascii')" a.ent p.ent h.ent
# More entities than descriptors: none is held open between its header
# and its body.
mp_many() {
	local i
	mkdir -p ents
	for i in $(seq 1 1100); do
		printf 'Content-Type: text/plain\n\nentity %d\n' "$i" \
		    >"ents/$i.ent"
	done
	(ulimit -n 64 && mime-multipart $(seq -f 'ents/%g.ent' 1 1100) \
	    >many.eml)
	[ "$(grep -c '^entity [0-9]*$' many.eml)" -eq 1100 ]
	[ "$(grep '^entity ' many.eml | sed -n '1p;1100p' | tr '\n' ' ')" = \
	    "entity 1 entity 1100 " ]
}
check "mime-multipart: 1100 entities under ulimit -n 64" mp_many
check "mime-multipart -t alternative" \
    mp_tree "$(printf '%s\n' 'multipart/alternative' '  text/plain 7bit charset=us-ascii' \
        '  text/html 7bit charset=us-ascii')" -t alternative a.ent h.ent
check "mime-multipart -t related: type= is the first part's type" \
    mp_tree "$(printf '%s\n' 'multipart/related type=text/html' '  text/html 7bit charset=us-ascii' \
        "  image/png inline filename='logo.png' name='logo.png' id=<logo> base64")" -t related h.ent p.ent
check "mime-multipart -t related --start CID: start=<CID>, type= that part's" \
    mp_tree "$(printf '%s\n' 'multipart/related type=image/png start=<logo>' \
        '  text/html 7bit charset=us-ascii' \
        "  image/png inline filename='logo.png' name='logo.png' id=<logo> base64")" \
    -t related --start logo h.ent p.ent
check "mime-multipart -t report: any other subtype works" \
    mp_tree "$(printf '%s\n' 'multipart/report' '  text/plain 7bit charset=us-ascii')" -t report a.ent
check "mime-multipart - reads one entity from standard input" \
    sh -c 'mime-multipart a.ent - <h.ent >dash.eml && python3 "$1" --quiet --shape "multipart/mixed(text/plain,text/html)" --part text/html=page.html dash.eml' sh "$CHECK_EML"
check "mime-multipart of one entity" \
    mp_tree "$(printf '%s\n' 'multipart/mixed' '  text/plain 7bit charset=us-ascii')" a.ent
foreign_entity() {	# an entity written by Python's email package
	python3 - <<-'EOF'
	from email.mime.text import MIMEText
	m = MIMEText("Grüße from Python\n", "plain", "utf-8")
	m["Content-Disposition"] = 'inline; filename="py.txt"'
	open("py.ent", "wb").write(m.as_bytes())
	open("py.txt", "w").write("Grüße from Python\n")
	EOF
	mime-multipart a.ent py.ent >py.eml
	check_eml --quiet --shape 'multipart/mixed(text/plain,text/plain)' --part filename=py.txt=py.txt py.eml
}
check "mime-multipart takes an entity written by other software (Python) as it is" foreign_entity
crlf_entity() {
	mime-text --crlf qp.txt >crlf.ent
	mime-multipart a.ent crlf.ent >ce.eml
	check_eml --quiet --part text/plain=ascii.txt --part text/plain=qp.txt ce.eml
}
check "mime-multipart takes an entity with CRLF line ends" crlf_entity
boundary_proof() {
	mime-text -e 7bit boundaryish.txt >bi.ent
	mime-multipart bi.ent <(mime-multipart bi.ent a.ent) bi.ent >bp.eml
	check_eml --quiet --shape 'multipart/mixed(text/plain,multipart/mixed(text/plain,text/plain),text/plain)' \
	    --part text/plain=boundaryish.txt --part text/plain=boundaryish.txt \
	    --part text/plain=ascii.txt --part text/plain=boundaryish.txt bp.eml
}
check "a part full of lines that look like boundaries does not break the multipart" boundary_proof
own_boundary() {
	# The boundary a first run uses, put into a part of a second run
	# with the same SOURCE_DATE_EPOCH: the second must choose another.
	mime-multipart a.ent >first.eml
	local b
	b=$(sed -n 's/.*boundary="\{0,1\}\([^";]*\).*/\1/p' first.eml | head -n 1)
	[ -n "$b" ]
	printf 'text\n--%s\nContent-Type: text/html\n\n<p>forged\n--%s--\n' "$b" "$b" >forged.txt
	mime-text -e 7bit forged.txt >forged.ent
	mime-multipart a.ent forged.ent >second.eml
	check_eml --quiet --shape 'multipart/mixed(text/plain,text/plain)' \
	    --part text/plain=ascii.txt --part text/plain=forged.txt second.eml
}
check "a part that holds the boundary of an earlier run, same SOURCE_DATE_EPOCH, gets another" own_boundary
deep() {	# 12 levels, each through a pipe
	mime-text ascii.txt >d0.ent
	local i shape='text/plain'
	for i in $(seq 1 12); do
		mime-multipart "d$((i - 1)).ent" - <a.ent >"d$i.ent"
		shape="multipart/mixed($shape,text/plain)"
	done
	check_eml --quiet --shape "$shape" d12.ent
}
check "multiparts nest twelve levels deep and parse back" deep

# --- mime-message ------------------------------------------------------------------------

field_order() {
	mime-message -f "$A" -b 'Secret <s@example.com>' --reply-to r@example.org \
	    -c c@example.com -s Order -i a.ent "$B" >fo.eml
	awk '/^$/ { exit } /^[A-Za-z-]+:/ { sub(/:.*/, ""); print }' fo.eml |
	    grep -Ei '^(From|To|Cc|Bcc|Reply-To|Subject|Date|Message-ID|MIME-Version|Content-.*)$' |
	    sed 's/^[Cc]ontent-.*/Content-*/' | uniq >fo.names
	printf '%s\n' From To Cc Bcc Reply-To Subject Date Message-ID MIME-Version \
	    'Content-*' >fo.want
	same fo.want fo.names
}
check "mime-message: From, To, Cc, Bcc, Reply-To, Subject, Date, Message-ID, MIME-Version, then the entity's Content-* fields" \
    field_order
check "mime-message: Bcc is kept (sendmail -t reads and removes it)" \
    sh -c 'mime-message -f a@example.org -b "Secret Sam <sam@example.com>" -i a.ent b@example.net >bcc.eml && python3 "$1" --quiet --bcc "Secret Sam <sam@example.com>" bcc.eml' sh "$CHECK_EML"
check "mime-message without -s writes no Subject" \
    sh -c 'mime-message -f a@example.org -i a.ent b@example.net >ns.eml && python3 "$1" --quiet --message --no-header Subject ns.eml' sh "$CHECK_EML"
check "mime-message reads the entity from standard input by default" \
    sh -c 'mime-message -f a@example.org b@example.net <a.ent >in1.eml && mime-message -f a@example.org -i a.ent b@example.net >in2.eml && cmp in1.eml in2.eml'
long_forms() {
	mime-message -f "$A" -s Hi -c c@example.com -b d@example.com -H 'X-A: 1' -i a.ent "$B" >short.eml
	mime-message --from "$A" --subject Hi --cc c@example.com --bcc d@example.com \
	    --header 'X-A: 1' --input a.ent "$B" >long.eml
	same short.eml long.eml
}
check "mime-message: --from --subject --cc --bcc --header --input are -f -s -c -b -H -i" long_forms
addresses() {
	mime-message -f 'Zoë Ü <zoe@example.org>' -c 'c1@example.com' -c 'Carol Two <c2@example.com>, c3@example.com' \
	    -b b1@example.com -b b2@example.com --reply-to '"Doe, John" <john@example.net>' \
	    -i a.ent 'Bob Example <bob@example.net>' '"J. R. Doe" <jr@example.net>' \
	    '"Bob \"The Builder\" Smith" <bs@example.net>' plain@example.net >ad.eml
	check_eml --quiet --message --from 'Zoë Ü <zoe@example.org>' \
	    --cc 'c1@example.com, Carol Two <c2@example.com>, c3@example.com' \
	    --bcc 'b1@example.com, b2@example.com' --reply-to '"Doe, John" <john@example.net>' \
	    --to 'Bob Example <bob@example.net>, "J. R. Doe" <jr@example.net>, "Bob \"The Builder\" Smith" <bs@example.net>, plain@example.net' \
	    ad.eml
}
check "mime-message: address lists, quoted and UTF-8 display names, repeated -c and -b, all decode back" \
    addresses
plain_names_readable() {
	mime-message -f 'Alice Example <alice@example.org>' -i a.ent 'Bob Example <bob@example.net>' >pn.eml
	field_is pn.eml From 'Alice Example <alice@example.org>'
	field_is pn.eml To 'Bob Example <bob@example.net>'
}
check "mime-message: plain ASCII display names are written as they are" plain_names_readable
spaces_in_quoted_name() {	# RFC 5322 3.2.4: a quoted-string keeps its spaces
	mime-message -f '"Alice  Two" <alice@example.org>' -i a.ent "$B" >sq.eml
	check_eml --quiet --from '"Alice  Two" <alice@example.org>' sq.eml
}
check "mime-message: a run of spaces inside a quoted display name is kept" spaces_in_quoted_name
utf8_name_encoded() {
	mime-message -f 'Zoë Ü <zoe@example.org>' -i a.ent "$B" >un.eml
	header un.eml From | grep -Eiq '^=\?utf-8\?[BbQq]\?[^ ]*\?= <zoe@example\.org>$' || {
		echo "From: $(header un.eml From)" >&2
		return 1
	}
}
check "mime-message: a UTF-8 display name becomes one encoded-word" utf8_name_encoded
ascii_words_readable() {
	mime-message -f "$A" -s 'Hello 世界 and goodbye' -i a.ent "$B" >aw.eml
	check_eml --quiet --subject 'Hello 世界 and goodbye' aw.eml
	header aw.eml Subject | grep -Eiq '^Hello =\?utf-8\?[BbQq]\?[^ ]*\?= and goodbye$' || {
		echo "Subject: $(header aw.eml Subject)" >&2
		return 1
	}
}
check "mime-message: the ASCII words of a Subject stay readable, the others become an encoded-word" \
    ascii_words_readable
subject_back() {	# SUBJECT: decodes back exactly
	mime-message -f "$A" -s "$1" -i a.ent "$B" >sb.eml
	check_eml --quiet --subject "$1" sb.eml
}
check "mime-message: a Subject holding a literal '=?utf-8?q?abc?=' decodes back as written" \
    subject_back 'Literal =?utf-8?q?abc?= here'
check "mime-message: runs of spaces in a Subject are kept" subject_back 'two  spaces   here'
check "mime-message: a Subject of one long run of UTF-8 without spaces decodes back" \
    subject_back "$(printf 'Grüße%.0s' $(seq 1 40))"
check "mime-message: a quoted local part is a valid address" \
    sh -c 'mime-message -f "\"a b\"@example.org" -i a.ent b@example.net >ql.eml && python3 "$1" --quiet --from "\"a b\"@example.org" ql.eml' sh "$CHECK_EML"
ew_kind() {	# SUBJECT B|Q: the Subject is one encoded-word of that kind
	mime-message -f "$A" -s "$1" -i a.ent "$B" >ew.eml
	check_eml --quiet --subject "$1" ew.eml
	header ew.eml Subject | grep -Eiq "^=\?utf-8\?$2\?[^ ]*\?=\$" || {
		echo "Subject: $(header ew.eml Subject)" >&2
		return 1
	}
}
check "mime-message: a mostly-ASCII word is encoded Q, the shorter form" \
    ew_kind 'Überraschungsgeschenkverpackung' Q
check "mime-message: a Chinese word is encoded B, the shorter form" ew_kind '邮件的主题' B
check "mime-message: an ASCII Subject is written as it is" \
    sh -c 'mime-message -f a@example.org -s "Just ASCII, with: punctuation!" -i a.ent b@example.net >as.eml && grep -q "^Subject: Just ASCII, with: punctuation!$" as.eml'
ids() {
	mime-message -f "$A" --message-id abc@example.org --in-reply-to 'parent@example.com' \
	    --references '<gp@example.com> parent@example.com' -i a.ent "$B" >id.eml
	field_is id.eml Message-ID '<abc@example.org>'
	field_is id.eml In-Reply-To '<parent@example.com>'
	check_eml --quiet --header 'References=<gp@example.com> <parent@example.com>' id.eml
	mime-message -f "$A" --message-id '<abc@example.org>' -i a.ent "$B" >id2.eml
	field_is id2.eml Message-ID '<abc@example.org>'
}
check "mime-message: --message-id, --in-reply-to and --references, with or without angle brackets" ids
extra_headers() {
	mime-message -f "$A" -H 'X-Priority: 1' -H 'Organization: Société Générale' -i a.ent "$B" >xh.eml
	check_eml --quiet --header 'X-Priority=1' --header 'Organization=Société Générale' xh.eml
}
check "mime-message -H adds fields, RFC 2047 when not ASCII" extra_headers
one_mime_version() {
	python3 - <<-'EOF'
	from email.mime.text import MIMEText
	open("pyv.ent", "wb").write(MIMEText("hi\n", "plain", "us-ascii").as_bytes())
	EOF
	grep -q '^MIME-Version: 1.0' pyv.ent
	mime-message -f "$A" -i pyv.ent "$B" >pyv.eml
	check_eml --quiet --message pyv.eml
}
check "mime-message over an entity that has MIME-Version writes it once" one_mime_version
check "mime-message wraps a multipart" \
    sh -c 'mime-multipart a.ent h.ent | mime-message -f a@example.org b@example.net >wm.eml && python3 "$1" --quiet --message --shape "multipart/mixed(text/plain,text/html)" --part text/html=page.html wm.eml' sh "$CHECK_EML"
