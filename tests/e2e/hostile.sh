#!/bin/bash
# SPDX-License-Identifier: ISC
# Issue 7: hostile input through the tools, as a table.  Every refused input
# gives its documented status (SPEC 2 and the EXIT STATUS of each man page)
# and one error line "TOOL: WHAT: WHY" on standard error, writes nothing on
# standard output, and, run again with -o FILE, leaves FILE byte for byte as
# it was with no temporary file beside it.  Inputs that are odd but valid
# (FIFOs, names with "/", quotes, 2000 characters) go through and parse
# back.  Every bound the library enforces, exceeded, is a 65 with a message
# that names it.  No run may hang: each has a time limit.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$T" || exit 1
A=alice@example.org
B=bob@example.net
LIMIT=60	# seconds for one run of a tool

# --- inputs ---------------------------------------------------------------
printf 'hello\n' >hello.txt
mime-text hello.txt >hello.ent 2>/dev/null
mkdir adir
python3 - <<'EOF'
def w(name, data):
    open(name, 'wb').write(data)
ct = b'Content-Type: text/plain\n'
w('no-end.ent', ct + b'X-A: b\n')                      # no empty line
w('no-end-body.ent', ct + b'X-A: b\nbody text, no header end\n' * 3)
w('bare-cr.ent', b'Content-Type: text/plain\rX-Evil: 1\n\nbody\n')
w('bare-cr2.ent', ct + b'X-A: a\rb\n\nbody\n')
w('line-1m.ent', ct + b'X-Long: ' + b'a' * (1 << 20) + b'\n\nbody\n')
w('line-999.ent', ct + b'X-Long: ' + b'a' * 991 + b'\n\nbody\n')
w('line-998.ent', ct + b'X-Long: ' + b'a' * 990 + b'\n\nbody\n')
w('header-257k.ent', ct + (b'X-A: ' + b'a' * 900 + b'\n') * 300 + b'\nbody\n')
w('fields-1001.ent', ct + b'X-A: b\n' * 1000 + b'\nbody\n')
w('fields-1000.ent', ct + b'X-A: b\n' * 999 + b'\nbody\n')
w('nul-header.ent', ct + b'X-A: a\0b\n\nbody\n')
w('esc-header.ent', ct + b'X-A: a\x1b[31mred\n\nbody\n')
w('nul-name.ent', b'Content-Type: text/plain\nX-\0A: b\n\nbody\n')
w('not-entity.txt', b'just text\n')
w('two-ct.ent', ct + b'content-type: text/html\n\nbody\n')
w('two-ct-empty.ent', b'Content-Type:\nContent-Type: multipart/mixed\n\nbody\n')
w('empty.ent', b'')
# Boundaries are "=_" c1 c2^k "." hex (bound.c): lines "--=_" c1 c2^68 for
# every pair of markers leave no boundary of 70 characters free.
w('no-boundary.ent', ct + b'\n' + b''.join(b'--=_' + bytes([m, n]) +
    bytes([n]) * 67 + b'\n' for m in b'QRSTUVWXYZKLMNPJ' for n in b'QRSTUVWXYZKLMNPJ'))
# Drafts.
f = b'From: alice@example.org\n'
w('ok.draft', f + b'To: bob@example.net\n\nbody\n')
w('d-bare-cr.draft', f + b'Subject: a\rBcc: victim@example.com\n\nbody\n')
w('d-nul.draft', f + b'Subject: a\0b\n\nbody\n')
w('d-esc.draft', f + b'Subject: a\x1b[2Jb\n\nbody\n')
w('d-del.draft', f + b'X-A: a\x7fb\n\nbody\n')
w('d-nul-name.draft', f + b'X-\0A: b\n\nbody\n')
w('d-cr-to.draft', f + b'To: bob@example.net\r, eve@example.com\n\nbody\n')
w('d-no-colon.draft', f + b'To bob\n\nbody\n')
w('d-no-from.draft', b'To: bob@example.net\n\nbody\n')
w('d-bad-addr.draft', b'From: alice\n\nbody\n')
w('d-long-local.draft', b'From: ' + b'l' * 65 + b'@example.org\n\nbody\n')
w('d-header-257k.draft', f + (b'X-A: ' + b'a' * 900 + b'\n') * 300 + b'\nbody\n')
w('d-fields-1001.draft', f + b'X-A: b\n' * 1000 + b'\nbody\n')
w('d-value-4097.draft', f + b'Subject: ' + b's' * 4097 + b'\n\nbody\n')
w('d-bad-utf8.draft', f + b'Subject: caf\xe9\n\nbody\n')
w('d-dir.draft', f + b'\ntext\n#application/octet-stream adir\n')
w('d-missing.draft', f + b'\ntext\n#application/octet-stream no-such-file\n')
w('d-parts-1001.draft', f + b'\n' + b'#text/plain hello.txt\n' * 1001)
w('d-part-line-long.draft', f + b'\n#text/plain ' + b'p' * 4400 + b'\n')
w('d-second-subject.draft', f + b'Subject: a\nSubject: b\n\nbody\n')
w('d-content.draft', f + b'Content-Type: text/html\n\nbody\n')
EOF

# --- the table ---------------------------------------------------------------

# status_is WANT: $status is WANT, or one of "64|65".
status_is() {
	case "|$1|" in
	*"|$status|"*) return 0 ;;
	esac
	echo "exit status $status, not $1; stderr:" >&2
	cat "$ERR" >&2
	return 1
}

# result SENTENCE CMD...: a check.
result() {
	local sentence=$1 st
	shift
	(set -e -o pipefail; "$@") >"$_log" 2>&1
	st=$?
	if [ "$st" -eq 0 ]; then
		pass "$sentence"
	else
		_record FAIL "$sentence"
		_show_failure "$sentence" "$st" "$_log"
	fi
}

# run CMD...: runs CMD with the variable assignment in $ROW_ENV (if any)
# and standard input from $ROW_IN (default: empty), killed after $LIMIT
# seconds; sets $status, and keeps stdout in $OUT and stderr in $ERR.
run() {
	if [ -n "${ROW_ENV:-}" ]; then
		set -- env "$ROW_ENV" "$@"
	fi
	timeout -k 5 "$LIMIT" "$@" <"${ROW_IN:-/dev/null}" >"$OUT" 2>"$ERR"
	status=$?
}

# The -o target: a file with known bytes, alone in its folder.
fresh_target() {
	rm -rf "$T/o"
	mkdir "$T/o"
	printf 'precious\n' >"$T/o/target.eml"
	chmod 640 "$T/o/target.eml"
}
untouched() {
	printf 'precious\n' >"$T/.precious"
	same "$T/.precious" "$T/o/target.eml"
	[ "$(stat -c %a "$T/o/target.eml")" = 640 ] ||
		{ echo "the mode of FILE changed" >&2; return 1; }
	[ "$(ls -A "$T/o")" = target.eml ] ||
		{ echo "left in the folder:" >&2; ls -A "$T/o" >&2; return 1; }
}

# row STATUS TOOL ERE SENTENCE CMD...: CMD (TOOL and its arguments) is
# refused with STATUS ("64|65": either) and one error line "TOOL: ..."
# matching ERE, nothing on standard output; run again with -o FILE, the
# same, and FILE untouched.
row() {
	local want=$1 tool=$2 re=$3 sentence=$4
	shift 4
	run "$@"
	result "$sentence: exits $want" status_is "$want"
	result "$sentence: one error line '$tool: ...'" \
	    one_error_line "$tool" "$re"
	result "$sentence: nothing on standard output" is_empty "$OUT"
	fresh_target
	run "$1" -o "$T/o/target.eml" "${@:2}"
	result "$sentence: with -o FILE, exits $want, FILE untouched, no temporary file" \
	    eval 'status_is "$want" && is_empty "$OUT" && untouched'
}

# ok_row SENTENCE [CHECK-EML-ARG...] -- CMD...: CMD succeeds, says nothing
# on stderr, and its output passes check_eml with the CHECK-EML-ARGs.
ok_row() {
	local sentence=$1 args=()
	shift
	while [ "$1" != -- ]; do
		args+=("$1")
		shift
	done
	shift
	run "$@"
	result "$sentence: exits 0" status_is 0
	result "$sentence: nothing on stderr" is_empty "$ERR"
	cp "$OUT" "$T/.ok.eml"
	result "$sentence: the output parses back" \
	    check_eml --quiet "${args[@]}" "$T/.ok.eml"
}

M="mime-message -f $A -i hello.ent"

# --- control characters in every option that reaches a header ----------------
# NUL cannot be in an argument (argv strings end there); it comes through
# files below.  TAB is white space, allowed where white space is.
declare -A CTL=(
	[CR]=$'a\rb' [LF]=$'a\nBcc: victim@example.com' [CRLF]=$'a\r\n b'
	[ESC]=$'a\e[2Jb' [DEL]=$'a\x7fb' [SOH]=$'a\x01b' [BS]=$'a\bb'
)
CTL_ORDER="CR LF CRLF ESC DEL SOH BS"
CTL_RE='(CR or LF|control character)'

for c in $CTL_ORDER; do
	v=${CTL[$c]}
	row 65 mime-message "$CTL_RE" "mime-message -s with $c" \
	    $M -s "$v" "$B"
	row 65 mime-message "$CTL_RE" "mime-message -H with $c in the value" \
	    $M -H "X-Test: $v" "$B"
	row 65 mime-message '' "mime-message -H with $c in the name" \
	    $M -H "X-T${v}est: x" "$B"
	row 65 mime-message "$CTL_RE" "mime-message -f with $c" \
	    mime-message -f "Al${v}ice <$A>" -i hello.ent "$B"
	row 65 mime-message "$CTL_RE" "mime-message -c with $c" \
	    $M -c "Ca${v}rol <carol@example.com>" "$B"
	row 65 mime-message "$CTL_RE" "mime-message -b with $c" \
	    $M -b "da${v}ve@example.com" "$B"
	row 65 mime-message "$CTL_RE" "mime-message --reply-to with $c" \
	    $M --reply-to "r${v}@example.org" "$B"
	row 65 mime-message "$CTL_RE" "mime-message TO with $c" \
	    $M "Bob${v} <$B>"
	row 65 mime-message "$CTL_RE" "mime-message --date with $c" \
	    $M --date "Tue, 1 Jul 2025 10:00:00 +0000${v}" "$B"
	row 65 mime-message "$CTL_RE" "mime-message --message-id with $c" \
	    $M --message-id "<a${v}@example.org>" "$B"
	row 65 mime-message "$CTL_RE" "mime-message --in-reply-to with $c" \
	    $M --in-reply-to "<a${v}@example.org>" "$B"
	row 65 mime-message "$CTL_RE" "mime-message --references with $c" \
	    $M --references "<x@y> <a${v}@example.org>" "$B"
	row 65 mime-attach "$CTL_RE" "mime-attach -n with $c" \
	    mime-attach -n "na${v}me.txt" hello.txt
	row 65 mime-attach "$CTL_RE" "mime-attach -d with $c" \
	    mime-attach -d "de${v}scription" hello.txt
	row 65 mime-attach "$CTL_RE" "mime-attach --id with $c" \
	    mime-attach --id "i${v}d@example.org" hello.txt
	row 65 mime-attach "$CTL_RE" "mime-attach -t with $c" \
	    mime-attach -t "text/pl${v}ain" hello.txt
	row 65 mime-text "$CTL_RE" "mime-text -c CHARSET with $c" \
	    mime-text -c "utf${v}-8" hello.txt
	row 65 mime-text "$CTL_RE" "mime-text -t with $c" \
	    mime-text -t "pl${v}ain" hello.txt
	row 65 mime-text "$CTL_RE" "mime-text --attachment -n with $c" \
	    mime-text --attachment -n "na${v}me.txt" hello.txt
	row 65 mime-html "$CTL_RE" "mime-html --inline -n with $c" \
	    mime-html --inline -n "na${v}me.html" hello.txt
	row 65 mime-multipart "$CTL_RE" "mime-multipart --start with $c" \
	    mime-multipart -t related --start "s${v}@example.org" hello.ent
	row 65 mime-multipart "$CTL_RE" "mime-multipart -t with $c" \
	    mime-multipart -t "mi${v}xed" hello.ent
done

# Through files: NUL, CR and other controls in draft and entity headers.
row 65 mime-compose 'd-bare-cr\.draft:2: .*bare CR' \
    "a draft with a bare CR in a header (Bcc injection)" mime-compose d-bare-cr.draft
row 65 mime-compose 'd-cr-to\.draft:2: .*bare CR' \
    "a draft with a bare CR in To" mime-compose d-cr-to.draft
row 65 mime-compose 'd-nul\.draft:2: .*NUL' \
    "a draft with a NUL in Subject" mime-compose d-nul.draft
row 65 mime-compose 'd-nul-name\.draft:2: .*NUL' \
    "a draft with a NUL in a field name" mime-compose d-nul-name.draft
row 65 mime-compose 'd-esc\.draft:2: .*control character 0x1b' \
    "a draft with an ESC in Subject" mime-compose d-esc.draft
row 65 mime-compose 'd-del\.draft:2: .*control character 0x7f' \
    "a draft with a DEL in a field" mime-compose d-del.draft
ROW_IN=d-nul.draft row 65 mime-compose 'standard input:2: .*NUL' \
    "a draft on standard input with a NUL in Subject" mime-compose
row 65 mime-multipart 'bare-cr\.ent: .*bare CR' \
    "an entity with a bare CR ending a header line" mime-multipart bare-cr.ent
row 65 mime-multipart 'bare-cr2\.ent: .*bare CR' \
    "an entity with a bare CR inside a header line" mime-multipart bare-cr2.ent
row 65 mime-message 'bare-cr\.ent: .*bare CR' \
    "mime-message -i an entity with a bare CR in its header" \
    mime-message -f "$A" -i bare-cr.ent "$B"
row 65 mime-multipart 'nul-name\.ent: ' \
    "an entity with a NUL in a field name" mime-multipart nul-name.ent
row 65 mime-multipart 'nul-header\.ent: ' \
    "an entity with a NUL in a header value" mime-multipart nul-header.ent
row 65 mime-multipart 'esc-header\.ent: ' \
    "an entity with an ESC in a header value" mime-multipart esc-header.ent

# --- malformed and overlong addresses --------------------------------------
L64=$(printf 'l%.0s' {1..64}) L65=${L64}l
D63=$(printf 'd%.0s' {1..63}) D64=${D63}d
DOM=$D63.$D63.$D63.$D63		# 4 * 63 + 3 = 255 octets
while IFS='|' read -r addr why; do
	[ -n "$addr" ] || continue
	row 65 mime-message '' "mime-message TO '$why'" $M "$addr"
done <<EOF
bob|no domain
bob@|an empty domain
@example.net|no local part
a@@example.net|two @
a@b@example.net|two @ apart
a..b@example.net|two dots in the local part
.a@example.net|a dot first
a@example..net|two dots in the domain
a@-example.net|a label starting with '-'
a@example-.net|a label ending in '-'
a@exa_mple.net|an underscore in the domain
a@ex ample.net|a space in the domain
a b@example.net|a space in the local part
"unterminated@example.net|an unbalanced quote
<bob@example.net|an unbalanced '<'
bob@example.net>|an unbalanced '>'
Bob <<bob@example.net>>|doubled angle brackets
Bob (comment <bob@example.net>|an unbalanced comment
(((((((((((((((((c))))))))))))))))) bob@example.net|comments nested 17 deep
Doe, John <john@example.net>|an unquoted comma in a name
list: bob@example.net|a group without its closing ';'
<@route:bob@example.net>|a source route
bob@[1.2.3.4|an unclosed domain literal
bob@[a[b]|a '[' in a domain literal
zoë@example.net|a non-ASCII local part
bob@☃.net|a domain IDNA 2008 disallows
$L65@example.net|a local part of 65 octets
bob@$D64.example|a label of 64 octets
bob@$DOM.example|a domain over 255 octets
bob@example.net, |an empty address after a comma
, bob@example.net|an empty address before a comma
bob@example.net,,carol@example.com|an empty address between commas
bob@example.net carol@example.com|two addresses without a comma
:;|a group without a name
EOF
# (One address of 320 octets cannot be folded: check_eml's 78 columns do
# not apply, RFC 5322's 998 do.)
run $M "$L64@$DOM"
result "mime-message TO with a local part of 64 octets and a domain of 255" \
    eval 'status_is 0 && has_line "$OUT" "^To: $L64@$DOM\$"'

# A display name of 2000 characters: folded, or encoded, and read back.
NAME2K=$(python3 -c 'print(" ".join(["Word%d" % i for i in range(400)])[:2000])')
UNAME2K=$(python3 -c 'print("Zoë Ünïcødé " * 167)')
ok_row "mime-message -f with a display name of 2000 characters" \
    --message --from "\"$NAME2K\" <$A>" -- \
    mime-message -f "\"$NAME2K\" <$A>" -i hello.ent "$B"
ok_row "mime-message -f with a UTF-8 display name of 2000 characters" \
    --message -- \
    mime-message -f "$UNAME2K <$A>" -i hello.ent "$B"
ok_row "mime-message -s with a subject of 2000 characters" \
    --message --subject "$NAME2K" -- $M -s "$NAME2K" "$B"

# --- file names: "/", "..", quotes, semicolons, 2000 characters --------------
N2K=$(python3 -c 'print(("näme;\"q\" " * 250)[:2000])')
while IFS='|' read -r name why; do
	[ -n "$name" ] || continue
	ok_row "mime-attach -n with $why" \
	    --part "filename=$name=$T/hello.txt" -- mime-attach -n "$name" hello.txt
done <<EOF
../../etc/passwd|'..' and '/'
a/b/c.txt|'/'
/abs/name.txt|a leading '/'
..|a name that is '..'
say "hi".txt|double quotes
it's.txt|a single quote
a;b=c.txt|a semicolon and '='
back\\slash.txt|a backslash
 spaced .txt|leading and trailing spaces
%41%42.txt|percent signs
*star*.txt|asterisks
EOF
ok_row "mime-attach -n with a name that looks like an encoded-word" \
    --part "filename==?utf-8?B?QQ==?==$T/hello.txt" -- \
    mime-attach -n '=?utf-8?B?QQ==?=' hello.txt
ok_row "mime-attach -n with 2000 characters, quotes and semicolons" \
    --part "filename=$N2K=$T/hello.txt" -- mime-attach -n "$N2K" hello.txt
mkdir -p 'sub dir'
cp hello.txt 'sub dir/q"uo;te.txt'
ok_row "mime-attach FILE in a folder, with a quote and a semicolon in its name" \
    --part "filename=q\"uo;te.txt=$T/hello.txt" -- \
    mime-attach 'sub dir/q"uo;te.txt'
cat >names.draft <<EOF
From: $A

text
#text/plain hello.txt>../../etc/passwd
#text/plain hello.txt>a;b "c".txt
#text/plain hello.txt>$N2K
EOF
ok_row "a draft naming parts '../../etc/passwd', with quotes, semicolons, 2000 characters" \
    --part "filename=../../etc/passwd=$T/hello.txt" \
    --part "filename=a;b \"c\".txt=$T/hello.txt" \
    --part "filename=$N2K=$T/hello.txt" -- mime-compose names.draft

# --- directories, FIFOs, unreadable files as inputs -------------------------
row 66 mime-text 'adir: Is a directory' "mime-text given a directory" \
    mime-text adir
row 66 mime-html 'adir: Is a directory' "mime-html given a directory" \
    mime-html adir
row 66 mime-attach 'adir: Is a directory' "mime-attach given a directory" \
    mime-attach adir
row 66 mime-multipart 'adir: Is a directory' "mime-multipart given a directory" \
    mime-multipart hello.ent adir
row 66 mime-message 'adir: Is a directory' "mime-message -i a directory" \
    mime-message -f "$A" -i adir "$B"
row 66 mime-compose 'adir: Is a directory' "mime-compose given a directory" \
    mime-compose adir
row 66 mime-compose 'd-dir\.draft:4: adir: Is a directory' \
    "a draft part line naming a directory" mime-compose d-dir.draft
row 66 mime-compose 'd-missing\.draft:4: no-such-file: No such file' \
    "a draft part line naming a missing file" mime-compose d-missing.draft
row 66 mime-message 'nothing\.ent: No such file' "mime-message -i a missing file" \
    mime-message -f "$A" -i nothing.ent "$B"

# Long paths: the message stays one line; -o beyond PATH_MAX is 73.
LONGPATH=$(printf 'no-such-dir/%.0s' {1..300})x.txt
row 66 mime-text 'No such file or directory' "mime-text given a missing path of 3600 characters" \
    mime-text "$LONGPATH"
run mime-text -o "$T/$LONGPATH$LONGPATH" hello.txt
result "mime-text -o a path of 7200 characters exits 73 in one line" \
    eval 'status_is 73 && one_error_line mime-text "(too long|No such file)" && is_empty "$OUT"'

# A FIFO someone writes to is an input like a pipe.  (One nobody writes to
# would block, as cat(1) does; that is not tested.)
fifo() {	# fifo NAME FILE: a FIFO NAME that gets FILE once
	rm -f "$1"
	mkfifo "$1"
	(timeout 30 cp "$2" "$1" >/dev/null 2>&1 &)
}
fifo f.txt hello.txt
ok_row "mime-text reads a FIFO" --part "text/plain=$T/hello.txt" -- \
    mime-text f.txt
fifo f.bin hello.txt
ok_row "mime-attach reads a FIFO" --part "filename=f.bin=$T/hello.txt" -- \
    mime-attach f.bin
fifo f.ent hello.ent
ok_row "mime-multipart reads an entity from a FIFO" \
    --part "text/plain=$T/hello.txt" -- mime-multipart f.ent
fifo f2.ent hello.ent
ok_row "mime-message -i reads an entity from a FIFO" --message -- \
    mime-message -f "$A" -i f2.ent "$B"
printf 'From: %s\n\ntext\n#text/plain fpart.txt\n' "$A" >fifo.draft
fifo fpart.txt hello.txt
ok_row "a draft part line naming a FIFO" \
    --part "filename=fpart.txt=$T/hello.txt" -- mime-compose fifo.draft
fifo f.draft fifo.draft
fifo fpart.txt hello.txt
ok_row "mime-compose reads the draft from a FIFO" --message -- \
    mime-compose f.draft
rm -f f.txt f.bin f.ent f2.ent fpart.txt f.draft

if [ "$(id -u)" -ne 0 ]; then
	cp hello.txt locked.txt
	cp hello.ent locked.ent
	printf 'From: %s\n\nx\n' "$A" >locked.draft
	chmod 000 locked.txt locked.ent locked.draft
	row 66 mime-text 'locked\.txt: Permission denied' \
	    "mime-text given an unreadable file" mime-text locked.txt
	row 66 mime-attach 'locked\.txt: Permission denied' \
	    "mime-attach given an unreadable file" mime-attach locked.txt
	row 66 mime-multipart 'locked\.ent: Permission denied' \
	    "mime-multipart given an unreadable file" mime-multipart locked.ent
	row 66 mime-message 'locked\.ent: Permission denied' \
	    "mime-message -i an unreadable file" \
	    mime-message -f "$A" -i locked.ent "$B"
	row 66 mime-compose 'locked\.draft: Permission denied' \
	    "mime-compose given an unreadable draft" mime-compose locked.draft
	printf 'From: %s\n\nx\n#text/plain locked.txt\n' "$A" >lockpart.draft
	row 66 mime-compose 'lockpart\.draft:4: locked\.txt: Permission denied' \
	    "a draft part line naming an unreadable file" mime-compose lockpart.draft
	chmod 644 locked.txt locked.ent locked.draft
else
	skip "unreadable (mode 000) inputs exit 66" \
	    "running as root, who can read mode-000 files"
fi

# --- entities that are not ------------------------------------------------------
row 65 mime-multipart 'no-end\.ent: not a MIME entity: no empty line' \
    "an entity with no empty line after its header" mime-multipart no-end.ent
row 65 mime-multipart 'no-end-body\.ent: not a MIME entity' \
    "an entity whose header runs into its body" mime-multipart no-end-body.ent
row 65 mime-message 'no-end\.ent: not a MIME entity' \
    "mime-message -i an entity with no header end" \
    mime-message -f "$A" -i no-end.ent "$B"
ROW_IN=no-end.ent row 65 mime-multipart 'standard input: not a MIME entity' \
    "an entity with no header end on standard input" mime-multipart -
row 65 mime-multipart 'line-1m\.ent: not a MIME entity: .*(256 KiB|longer than 998)' \
    "an entity with a header line of 1 MB" mime-multipart line-1m.ent
ROW_IN=line-1m.ent row 65 mime-message 'standard input: not a MIME entity' \
    "an entity with a header line of 1 MB, piped" mime-message -f "$A" "$B"
row 65 mime-multipart 'two-ct\.ent: not a MIME entity: two Content-Type' \
    "an entity with two Content-Type fields" mime-multipart two-ct.ent
row 65 mime-multipart 'two-ct-empty\.ent: not a MIME entity' \
    "an entity with two Content-Type fields, the first empty" \
    mime-multipart two-ct-empty.ent
row 65 mime-multipart 'not-entity\.txt: not a MIME entity' \
    "plain text given as an entity" mime-multipart not-entity.txt
row 65 mime-multipart 'empty\.ent: not a MIME entity: empty input' \
    "an empty entity" mime-multipart empty.ent

# --- SOURCE_DATE_EPOCH that is not a number (documented: 64) ----------------------
for v in yesterday 12abc -5 ' 1' '1 ' 0x10 1e9 99999999999999999999 \
    253402300800; do
	ROW_ENV="SOURCE_DATE_EPOCH=$v" row 64 mime-text \
	    'SOURCE_DATE_EPOCH: not a number' \
	    "SOURCE_DATE_EPOCH='$v'" mime-text hello.txt
done
ROW_ENV="SOURCE_DATE_EPOCH=soon" row 64 mime-message 'SOURCE_DATE_EPOCH' \
    "SOURCE_DATE_EPOCH='soon' with mime-message" $M "$B"
ROW_ENV="SOURCE_DATE_EPOCH=soon" row 64 mime-compose 'SOURCE_DATE_EPOCH' \
    "SOURCE_DATE_EPOCH='soon' with mime-compose" mime-compose ok.draft

# --- bounds, each exceeded: 65 and a message that names it --------------------------
# (The bound just met goes through, where a tool can reach it.)
# MC_LINE_MAX: a header line of a read entity.
row 65 mime-multipart 'line-999\.ent: .*header line 2 is longer than 998 octets' \
    "bound: a read entity's header line of 999 octets" mime-multipart line-999.ent
run mime-multipart line-998.ent
result "bound: a read entity's header line of 998 octets passes" \
    eval 'status_is 0 && has_line "$OUT" "^X-Long: a{990}$"'
# MC_HEADER_MAX: the header block of a read entity, of a draft.
row 65 mime-multipart 'header-257k\.ent: not a MIME entity: .*256 KiB' \
    "bound: a read entity's header block over 256 KiB" mime-multipart header-257k.ent
row 65 mime-compose 'd-header-257k\.draft:[0-9]+: a header block longer than 262144 octets' \
    "bound: a draft's header block over 256 KiB" mime-compose d-header-257k.draft
# MC_FIELDS_MAX: fields of a read entity, of a draft, -H fields.
row 65 mime-multipart 'fields-1001\.ent: .*more than 1000 header fields' \
    "bound: a read entity with 1001 fields" mime-multipart fields-1001.ent
ok_row "bound: a read entity with 1000 fields passes" -- \
    mime-multipart fields-1000.ent
row 65 mime-compose 'd-fields-1001\.draft:1001: more than 1000 header fields' \
    "bound: a draft with 1001 fields" mime-compose d-fields-1001.draft
HARGS=()
for i in $(seq 1 1001); do HARGS+=(-H "X-F$i: v"); done
row 65 mime-message 'X-F1001: more than 1000 header fields' \
    "bound: mime-message with 1001 -H fields" $M "${HARGS[@]}" "$B"
# MC_ADDRS_MAX: addresses in one message.
ADDRS=$(python3 -c 'print(", ".join("u%d@example.org" % i for i in range(1001)))')
row 65 mime-message 'To: more than 1000 addresses' \
    "bound: 1001 addresses in one list" $M "$ADDRS"
ADDRS500=$(python3 -c 'print(", ".join("u%d@example.org" % i for i in range(500)))')
row 65 mime-message 'Cc: more than 1000 recipients' \
    "bound: 1002 recipients over To and Cc" \
    $M -c "$ADDRS500" "$ADDRS500" c@example.org u@example.org
# MC_PARAM_MAX: a header value (Subject, -H, a file name, a description).
S4097=$(printf 's%.0s' {1..4097})
S4096=${S4097%s}
row 65 mime-message 'Subject: a header value longer than 4096 octets' \
    "bound: a Subject of 4097 octets" $M -s "$S4097" "$B"
ok_row "bound: a Subject of 4096 octets passes" --message --subject "$S4096" \
    -- $M -s "$S4096" "$B"
row 65 mime-message 'X-Long: a header value longer than 4096 octets' \
    "bound: an -H value of 4097 octets" $M -H "X-Long: $S4097" "$B"
row 65 mime-attach 'file name: a header value longer than 4096 octets' \
    "bound: a file name of 4097 octets" mime-attach -n "$S4097" hello.txt
row 65 mime-attach 'Content-Description: a header value longer than 4096 octets' \
    "bound: a description of 4097 octets" mime-attach -d "$S4097" hello.txt
row 65 mime-compose 'd-value-4097\.draft:2: Subject: a header value longer than 4096 octets' \
    "bound: a draft Subject of 4097 octets" mime-compose d-value-4097.draft
# Types and subtypes: 127 characters (RFC 6838 4.2); a longer one would
# make a Content-Type line over 998 octets.
X128=$(printf 'x%.0s' {1..128})
row 64 mime-attach 'longer than 127 characters' \
    "bound: mime-attach -t with a subtype of 128 characters" \
    mime-attach -t "application/$X128" hello.txt
row 64 mime-attach 'longer than 127 characters' \
    "bound: mime-attach -t with a type of 2000 characters" \
    mime-attach -t "$(printf 'x%.0s' {1..2000})/plain" hello.txt
row 64 mime-text 'longer than 127 characters' \
    "bound: mime-text -t with a subtype of 128 characters" \
    mime-text -t "$X128" hello.txt
row 64 mime-multipart 'longer than 127 characters' \
    "bound: mime-multipart -t with a subtype of 128 characters" \
    mime-multipart -t "$X128" hello.ent
printf 'From: %s\n\ntext\n#text/%s hello.txt\n' "$A" "$X128" >long-type.draft
row 65 mime-compose 'long-type\.draft:4: "text/x+": not a MIME type' \
    "bound: a draft part line with a subtype of 128 characters" \
    mime-compose long-type.draft
printf 'From: %s\n\ntext\n#text/%s hello.txt\n' "$A" "${X128%x}" >type-127.draft
run mime-compose type-127.draft
result "bound: a draft part line with a subtype of 127 characters passes" \
    eval 'status_is 0 && lacks_line "$OUT" "^.{999}"'
# The field name: 76 octets at most (a line of 78 with ": ").
N77=$(printf 'X%.0s' {1..77})
row 65 mime-message 'not a "Name: value" field' \
    "bound: an -H field name of 77 octets" $M -H "$N77: v" "$B"
# Message-IDs: 900 octets at most.
ID901="$(printf 'i%.0s' {1..889})@example.org"
row 65 mime-message 'Message-ID: message ID too long' \
    "bound: a Message-ID of 901 octets" $M --message-id "$ID901" "$B"
row 65 mime-attach 'Content-ID: message ID too long' \
    "bound: a Content-ID of 901 octets" mime-attach --id "$ID901" hello.txt
# MC_LIST_MAX (256 KiB of an address list or References) cannot be met
# through the tools: an argument is at most 128 KiB (Linux MAX_ARG_STRLEN)
# and a draft's header block at most 256 KiB; test_bounds.c tests it.
# MC_BOUNDARY_MAX: parts that leave no boundary of 70 characters free.
row 65 mime-multipart 'the parts leave no boundary free' \
    "bound: parts that use up every boundary of 70 characters" \
    mime-multipart no-boundary.ent
# The draft reader: part lines and their length.
row 65 mime-compose 'd-parts-1001\.draft:1003: more than 1000 part lines' \
    "bound: a draft with 1001 part lines" mime-compose d-parts-1001.draft
row 65 mime-compose 'd-part-line-long\.draft:3: a part line longer than 4352 octets' \
    "bound: a draft part line over 4352 octets" mime-compose d-part-line-long.draft
# The comment nesting of addresses and dates: 16.
row 65 mime-message 'comments nested too deep' \
    "bound: comments nested 17 deep in an address" \
    $M "(((((((((((((((((c))))))))))))))))) $B"
row 65 mime-message 'Date: not an RFC 5322 date' \
    "bound: comments nested 17 deep in a date" \
    $M --date "(((((((((((((((((c))))))))))))))))) Tue, 1 Jul 2025 10:00:00 +0000" "$B"
