#!/bin/bash
# SPDX-License-Identifier: ISC
# Output rules of SPEC 2 and 3 that a new user meets first: errors in one
# form, final line breaks, types, charsets, related roots, long words.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$T" || exit 1
A='Alice Example <alice@example.org>'
printf 'hello\n' >hello.txt
mime-text hello.txt >hello.ent

# --- every error is TOOL: WHAT: WHY, usage errors included -----------------

# usage WANT-REGEX TOOL ARGS...: exit 64, one line "TOOL: WHAT: WHY".
usage() {
	local re=$1
	shift
	expect_status 64 "$1 ${*:2}: a usage error" "$@"
	check "... in the form TOOL: WHAT: WHY ($re)" \
	    one_error_line "$1" "^$1: [^:]+: .+\$"
	check "... saying $re" one_error_line "$1" "$re"
}
for tool in mime-text mime-html mime-attach mime-multipart mime-message mime-compose; do
	usage "^$tool: --bogus: unknown option\$" $tool --bogus hello.txt
	usage "^$tool: -Z: unknown option\$" $tool -Z hello.txt
	usage "^$tool: --crlf: takes no argument\$" $tool --crlf=yes hello.txt
	usage "^$tool: -o: needs an argument\$" $tool -o
done
usage '^mime-multipart: ENTITY: none given \(- for standard input\)$' mime-multipart
usage '^mime-multipart: -: standard input given twice$' mime-multipart - -
usage '^mime-multipart: --start: needs -t related$' mime-multipart --start x hello.ent
usage '^mime-attach: FILE: none given \(- for standard input\)$' mime-attach
usage '^mime-attach: b: extra operand$' mime-attach a b
usage '^mime-text: -e: "9bit": use 7bit' mime-text -e 9bit hello.txt
usage '^mime-text: -n: needs --attachment or --inline$' mime-text -n x hello.txt
usage '^mime-text: --inline: excludes --attachment$' mime-text --attachment --inline hello.txt
usage '^mime-message: FROM: none given' mime-message -i hello.ent bob@example.org
usage '^mime-message: TO: none given' mime-message -f "$A" -i hello.ent
usage '^mime-message: -f: given twice' mime-message -f "$A" -f "$A" -i hello.ent b@x.org
usage '^mime-compose: b: extra operand$' mime-compose a b

# --- every entity and message ends with a line break ---------------------

printf 'no final break' >nofinal.txt
printf 'Subject: x\n\nno final break' >nofinal.eml
printf 'Content-Type: text/plain\n\nno final break' >nofinal.ent
ends_in_lf() {	# FILE
	[ "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" = '\n' ] || {
		echo "$1 does not end in a line break" >&2
		return 1
	}
}
expect_status 0 "mime-text: a text without a final line break" mime-text nofinal.txt
check "... goes quoted-printable, ending in its soft break" \
    eval 'has_line "$OUT" "^Content-Transfer-Encoding: quoted-printable" && has_line "$OUT" "^no final break=\$" && ends_in_lf "$OUT"'
check "... and decodes to exactly the text" \
    eval 'check_eml --quiet --part text/plain=nofinal.txt "$OUT"'
expect_status 0 "mime-text -e 7bit: a text without a final line break" mime-text -e 7bit nofinal.txt
check "... gets one" eval 'has_line "$OUT" "^no final break\$" && ends_in_lf "$OUT"'
expect_status 0 "mime-text -e 8bit --crlf: the same, in CRLF" mime-text -e 8bit --crlf nofinal.txt
check "... ends in CRLF" eval 'tail -c 16 "$OUT" | od -c | grep -q "k  \\\\r  \\\\n"'
expect_status 0 "mime-attach: a message/rfc822 without a final break" mime-attach nofinal.eml
check "... ends in a line break" ends_in_lf "$OUT"
expect_status 0 "mime-message -i: an entity without a final break" \
    mime-message -f "$A" -i nofinal.ent bob@example.org
check "... makes a message that ends in a line break" ends_in_lf "$OUT"
check "... and parses" eval 'check_eml --quiet --message "$OUT"'

# --- types: /etc/mime.types, then the built-in table ------------------------

cp hello.txt f.png
: >empty.types
printf 'application/x-mine mine\n' >mine.types
expect_status 0 "an empty mime.types file" env MC_MIME_TYPES=empty.types mime-attach f.png
check "... leaves f.png to the table: image/png" has_line "$OUT" '^Content-Type: image/png;'
expect_status 0 "a mime.types file that does not list png" env MC_MIME_TYPES=mine.types mime-attach f.png
check "... leaves it to the table too" has_line "$OUT" '^Content-Type: image/png;'
cp hello.txt f.mine
expect_status 0 "what the file lists comes from the file" env MC_MIME_TYPES=mine.types mime-attach f.mine
check "... application/x-mine" has_line "$OUT" '^Content-Type: application/x-mine;'

# --- -H on every entity tool (SPEC 2) --------------------------------------

cp "$FIX/logo.png" test.png
for cmd in "mime-text hello.txt" "mime-html hello.txt" "mime-attach test.png" "mime-multipart hello.ent"; do
	tool=${cmd%% *}
	# shellcheck disable=SC2086
	expect_status 0 "$tool -H: a field of the part's own" \
	    $tool -H 'X-Attachment-Id: 0' -H 'X-Note: Zoë was here' ${cmd#* }
	check "... after its Content-* fields, in order, non-ASCII encoded" \
	    eval 'awk "/^\$/{exit} {print}" "$OUT" | tail -n 2 | tr "\n" "|" | grep -qx "X-Attachment-Id: 0|X-Note: =?utf-8?Q?Zo=C3=AB?= was here|"'
	check "... and the entity still parses" eval 'check_eml --quiet "$OUT"'
	for f in Content-Type Content-Transfer-Encoding Content-Disposition Content-ID MIME-Version Subject From; do
		# shellcheck disable=SC2086
		expect_status 64 "$tool -H '$f: x': a field an option or mime-message owns is a usage error" \
		    $tool -H "$f: x" ${cmd#* }
	done
	# shellcheck disable=SC2086
	expect_status 65 "$tool -H with a line feed in the value is bad data" \
	    $tool -H $'X-A: a\nb' ${cmd#* }
	check "... in one error line" one_error_line "$tool"
done
expect_status 0 "the README's part: mime-attach --id 0 -H 'X-Attachment-Id: 0' test.png" \
    mime-attach --id 0 -H 'X-Attachment-Id: 0' test.png
check "... gives Content-ID: <0> and X-Attachment-Id: 0, as Python's add_header" \
    eval 'has_line "$OUT" "^Content-ID: <0>\$" && has_line "$OUT" "^X-Attachment-Id: 0\$"'

# --- multipart/related: type= is the root's -------------------------------

printf '<p><img src="cid:logo"></p>\n' >page.html
expect_status 0 "mime-multipart -t related --start: the root named, not first" \
    mime-multipart -t related --start page@x <(mime-attach --inline --id logo test.png) <(mime-html --inline -n page.html page.html | sed '1a Content-ID: <page@x>')
check "... type= is the root's type (text/html), start= is set" \
    eval 'header "$OUT" Content-Type | grep -q "type=\"text/html\"" && header "$OUT" Content-Type | grep -q "start=\"<page@x>\""'
expect_status 65 "a --start that names no part" \
    mime-multipart -t related --start none@x hello.ent
check "... says so" one_error_line mime-multipart '^mime-multipart: <none@x>: start names no part'

# --- a signal during -o leaves no temporary file ---------------------------

# killed SIG: mime-multipart -o out.eml waits on an entity from a FIFO,
# its temporary file made; SIG then must remove it and leave out.eml.
killed() {
	local pid i=0 st
	ulimit -c 0
	printf 'the old message\n' >out.eml
	rm -f feed && mkfifo feed
	exec 4<>feed
	printf 'Content-Type: text/plain\n\nbody\n' >&4
	# A background job of a script ignores INT and QUIT: not this one.
	env --default-signal=HUP,INT,QUIT,TERM mime-multipart -o out.eml feed &
	pid=$!
	# The temporary file appears when the output is opened.
	while ! ls -A | grep -q '^\.out\.eml\.'; do
		i=$((i + 1))
		[ "$i" -lt 200 ] || { echo "no temporary file" >&2; return 1; }
		sleep 0.05
	done
	kill -s "$1" "$pid"
	st=0
	wait "$pid" || st=$?
	[ "$st" -gt 128 ] || { echo "not killed by the signal ($st)" >&2; return 1; }
	exec 4>&-
	printf 'the old message\n' | same - out.eml
	not eval 'ls -A | grep -q "^\.out\.eml\."'
}
for sig in HUP INT QUIT TERM; do
	check "SIG$sig during -o: no temporary file is left, FILE is as it was" killed $sig
done

# --- the library as installed ------------------------------------------------

check "libmimecompose.so exports only mc_* symbols (not libb64's)" \
    eval 'not eval "nm -D --defined-only \"$ROOT/build/libmimecompose.so\" | awk \"{print \\\$3}\" | grep -v \"^mc_\""'
installed_pc() {
	make -s -C "$ROOT" install DESTDIR="$T/dest" PREFIX=/opt/mc >/dev/null
	has_line "$T/dest/opt/mc/lib/pkgconfig/mimecompose.pc" '^libdir=\$\{prefix\}/lib$'
	has_line "$T/dest/opt/mc/lib/pkgconfig/mimecompose.pc" '^includedir=\$\{prefix\}/include$'
	PKG_CONFIG_SYSROOT_DIR= PKG_CONFIG_PATH="$T/dest/opt/mc/lib/pkgconfig" \
	    pkg-config --define-prefix --cflags mimecompose | grep -q -- "-I$T/dest/opt/mc/include"
}
check "mimecompose.pc uses \${prefix}-relative paths (relocatable)" installed_pc
