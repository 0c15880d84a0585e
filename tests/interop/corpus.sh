#!/bin/bash
# SPDX-License-Identifier: ISC
# Builds the interoperability corpus in OUTDIR:
#
#   usage: bash tests/interop/corpus.sh OUTDIR
#
#   - every golden message: fixtures/CASE.eml for each fixtures/CASE.args
#     (composed from CASE.args with $MC_BIN when the .eml is not there yet);
#   - messages composed here with the tools ($MC_BIN) for cases the fixtures
#     lack, named x-*.eml, from inputs made in OUTDIR/in.
#
# For each message NAME it writes OUTDIR/NAME.eml and OUTDIR/NAME.expect
# (check_eml.py options, paths relative to the folder named in the manifest),
# and one line "NAME <TAB> FOLDER" in OUTDIR/manifest.  A message that cannot
# be composed gets a line "NAME <TAB> WHY" in OUTDIR/failed instead.
# fixtures/forwarded.eml is an input written by hand, not our output: it is
# not in the corpus.
# The commands are single-quoted on purpose: bash -c expands them.
# shellcheck disable=SC2016
set -u
set -o pipefail

out=${1:?usage: corpus.sh OUTDIR}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd) || exit 2
fix=$root/fixtures
: "${MC_BIN:=$root/build/bin}"
BIN=$MC_BIN
export SOURCE_DATE_EPOCH=1700000000 LC_ALL=C
unset TZ

mkdir -p "$out/in" || exit 2
: >"$out/manifest"
: >"$out/failed"

# --- golden messages ----------------------------------------------------
for args in "$fix"/*.args; do
	[ -e "$args" ] || continue
	name=$(basename "$args" .args)
	if [ -f "$fix/$name.eml" ]; then
		cp "$fix/$name.eml" "$out/$name.eml"
	elif ! (cd "$fix" && BIN=$BIN bash -o pipefail -c "$(cat "$args")") \
	    >"$out/$name.eml" 2>"$out/$name.err"; then
		printf '%s\t%s\n' "$name" "fixtures/$name.args failed: $(head -c 300 "$out/$name.err" | tr '\t\n' '  ')" \
		    >>"$out/failed"
		rm -f "$out/$name.eml"
		continue
	fi
	if [ -f "$fix/$name.expect" ]; then
		cp "$fix/$name.expect" "$out/$name.expect"
	else
		: >"$out/$name.expect"
	fi
	printf '%s\t%s\n' "$name" "$fix" >>"$out/manifest"
done

# --- messages composed here ---------------------------------------------
in=$out/in
cp "$fix/chinese.txt" "$fix/forward-note.txt" "$fix/forwarded.eml" \
    "$fix/logo.html" "$fix/logo.png" "$fix/page.html" "$fix/page.txt" \
    "$fix/plain.txt" "$fix/qp.txt" "$fix/résumé 2026.pdf" "$in/" || exit 2
# Inputs: Latin-1 text, GB 18030 text, text with NUL and a bare CR, a long
# line, a 192 KiB binary, one byte on standard input.
printf 'caf\351 cr\350me\n' >"$in/latin1.txt"
printf '\314\356\320\264\323\312\274\376\304\332\310\335\n' >"$in/gb18030.txt"
printf 'abc\000def\rghi\n' >"$in/nul.txt"
awk 'BEGIN { for (i = 0; i < 300; i++) printf "word%d ", i; print "" }' >"$in/longline.txt"
awk 'BEGIN { x = 12345; for (i = 0; i < 196608; i++) {
	x = (x * 1103515245 + 12345) % 2147483648; printf "%c", int(x / 65536) % 256 } }' \
    >"$in/big.bin"
printf 'x' >"$in/one.byte"
# Lines that look like the boundaries the tools write under this
# SOURCE_DATE_EPOCH, and golden messages to forward (boundaries again).
for c in A B C D E F G H I J K L M N O P Q R S T U V W X Y Z; do
	printf -- '--=_%s.94295eff1ff162e8046f200d\n--=_%s.94295eff1ff162e8046f200d--\n' "$c" "$c"
done >"$in/boundaries.txt"
for name in mixed crlf; do
	[ -f "$out/$name.eml" ] && cp "$out/$name.eml" "$in/golden-$name.eml"
done
if [ "$(wc -c <"$in/big.bin")" -ne 196608 ]; then
	# awk printf "%c" of 0 or >127 differs between awks: fall back.
	python3 -c 'import random,sys; sys.stdout.buffer.write(random.Random(7).randbytes(196608))' >"$in/big.bin"
fi

# compose NAME 'COMMAND' <<EXPECT: COMMAND (bash, cwd OUTDIR/in, $BIN the
# tools) writes the message; standard input holds its check_eml.py options,
# or a line "#nocheck WHY" when check_eml.py is known not to pass it.
compose() {
	cat >"$out/$1.expect"
	if (cd "$in" && BIN=$BIN bash -o pipefail -c "$2") >"$out/$1.eml" 2>"$out/$1.err" &&
	    [ ! -s "$out/$1.err" ]; then
		printf '%s\t%s\n' "$1" "$in" >>"$out/manifest"
	else
		printf '%s\t%s\n' "$1" "composing failed (status $?): $(head -c 300 "$out/$1.err" | tr '\t\n' '  ')" \
		    >>"$out/failed"
		rm -f "$out/$1.eml"
	fi
}

M='"$BIN/mime-message" -f "Alice Example <alice@example.org>"'
long=$(printf 'a%.0s' $(seq 1 90)).txt

compose x-crlf-nested '"$BIN/mime-multipart" --crlf \
	<("$BIN/mime-multipart" --crlf -t alternative <("$BIN/mime-text" --crlf page.txt) \
	    <("$BIN/mime-multipart" --crlf -t related <("$BIN/mime-html" --crlf logo.html) \
		<("$BIN/mime-attach" --crlf --inline --id logo logo.png))) \
	<("$BIN/mime-attach" --crlf forwarded.eml) \
	<("$BIN/mime-attach" --crlf "résumé 2026.pdf") \
    | '"$M"' --crlf -s "CRLF, three levels and a forward" bob@example.net' <<'EOF'
--message --crlf --part text/plain=page.txt --part text/html=logo.html
--shape 'multipart/mixed(multipart/alternative(text/plain,multipart/related(text/html,image/png)),message/rfc822(text/plain),application/pdf)'
--cid logo=logo.png --part 'filename=résumé 2026.pdf=résumé 2026.pdf'
EOF

compose x-forward-8bit '"$BIN/mime-text" -e 8bit chinese.txt \
    | "$BIN/mime-message" -f "A <a@example.org>" -s "8bit: 邮件" b@example.net >eightbit.eml &&
    "$BIN/mime-multipart" <("$BIN/mime-text" forward-note.txt) <("$BIN/mime-attach" eightbit.eml) \
    | '"$M"' -s "Fwd: an 8bit message" bob@example.net' <<'EOF'
--message --lf --8bit --shape 'multipart/mixed(text/plain,message/rfc822(text/plain))'
--part text/plain=forward-note.txt --rfc822 eightbit.eml --part text/plain=chinese.txt
EOF

compose x-forward-multipart '"$BIN/mime-multipart" <("$BIN/mime-text" boundaries.txt) \
	<("$BIN/mime-attach" golden-mixed.eml) <("$BIN/mime-attach" golden-crlf.eml) \
    | '"$M"' -s "Fwd: two of our own, and lines like boundaries" bob@example.net' <<'EOF'
--message --lf --part text/plain=boundaries.txt --rfc822 golden-mixed.eml
--shape 'multipart/mixed(text/plain,message/rfc822(multipart/mixed(text/plain,image/png,application/octet-stream,application/octet-stream,application/pdf)),message/rfc822(multipart/mixed(text/plain,image/png)))'
EOF

compose x-odd-texts '"$BIN/mime-multipart" <("$BIN/mime-text" -c gb18030 gb18030.txt) \
	<("$BIN/mime-text" nul.txt) <("$BIN/mime-text" longline.txt) <("$BIN/mime-text" </dev/null) \
    | '"$M"' -s "GB 18030, NUL and CR, a long line, empty" bob@example.net' <<'EOF'
--message --lf --shape 'multipart/mixed(text/plain,text/plain,text/plain,text/plain)'
--part text/plain=gb18030.txt --part text/plain=nul.txt --part text/plain=longline.txt
--part text/plain=/dev/null
EOF

# SPEC 3 (mime-attach): a text file that is neither ASCII nor UTF-8 goes
# base64 "with no charset", which RFC 2046 4.1.2 reads as us-ascii.
compose x-latin1 '"$BIN/mime-multipart" <("$BIN/mime-text" plain.txt) <("$BIN/mime-attach" latin1.txt) \
    | '"$M"' -s "A Latin-1 text file" bob@example.net' <<'EOF'
#nocheck a text/plain part with no charset (us-ascii, RFC 2046 4.1.2) holds Latin-1 bytes
EOF

compose x-binary '"$BIN/mime-multipart" <("$BIN/mime-text" plain.txt) <("$BIN/mime-attach" big.bin) \
	<("$BIN/mime-attach" -t application/octet-stream - <one.byte) \
    | '"$M"' -s "192 KiB and a nameless byte" bob@example.net' <<'EOF'
--message --lf --shape 'multipart/mixed(text/plain,application/octet-stream,application/octet-stream)'
--part filename=big.bin=big.bin
--part application/octet-stream=one.byte
EOF

compose x-deep 'mp() { "$BIN/mime-multipart" "$@"; }
    mp <(mp <(mp <(mp <(mp <(mp <("$BIN/mime-text" plain.txt)) <("$BIN/mime-attach" logo.png))))) \
	<("$BIN/mime-text" qp.txt) \
    | '"$M"' -s "Six levels" bob@example.net' <<'EOF'
--message --lf --part text/plain=plain.txt --part filename=logo.png=logo.png --part text/plain=qp.txt
--shape 'multipart/mixed(multipart/mixed(multipart/mixed(multipart/mixed(multipart/mixed(multipart/mixed(text/plain),image/png)))),text/plain)'
EOF

compose x-attachment-only '"$BIN/mime-attach" "résumé 2026.pdf" \
    | '"$M"' -s "Only a PDF" bob@example.net' <<'EOF'
--message --lf --shape application/pdf --part 'filename=résumé 2026.pdf=résumé 2026.pdf'
EOF

compose x-related-start '"$BIN/mime-multipart" -t related --start page \
	<("$BIN/mime-attach" -t text/html --inline --id page page.html) \
	<("$BIN/mime-attach" --inline --id "<logo>" logo.png) \
    | '"$M"' -s "related, start=" bob@example.net' <<'EOF'
--message --lf --shape 'multipart/related(text/html,image/png)' --cid page=page.html --cid logo=logo.png
EOF

compose x-names '"$BIN/mime-multipart" <("$BIN/mime-text" plain.txt) \
	<("$BIN/mime-attach" -n "'"$long"'" plain.txt) \
	<("$BIN/mime-attach" -n "报告 2026.pdf" "résumé 2026.pdf") \
	<("$BIN/mime-attach" -n "semi;colon,comma (paren) =?x?= %41.bin" one.byte) \
	<("$BIN/mime-attach" -n Beschreibung.txt -d "Beschreibung: äöü, long enough to need folding once it is encoded" page.txt) \
    | '"$M"' -s "File names, again" bob@example.net' <<EOF
--message --lf --part 'filename=$long=plain.txt' --part 'filename=报告 2026.pdf=résumé 2026.pdf'
--part 'filename=semi;colon,comma (paren) =?x?= %41.bin=one.byte' --part 'filename=Beschreibung.txt=page.txt'
EOF

compose x-headers '"$BIN/mime-text" plain.txt | "$BIN/mime-message" -f "\"Smith, Jr. (Ünïcode)\" <smith@example.org>" \
	-s "中文主题：一封很长的邮件，用来检查编码词的折叠是否正确，而且不会把一个字符分开" \
	-c "Ünïcode Only <u@example.net>" "\"quote\\\"d\" <q@example.net>"' <<'EOF'
--message --lf --subject '中文主题：一封很长的邮件，用来检查编码词的折叠是否正确，而且不会把一个字符分开'
--from '"Smith, Jr. (Ünïcode)" <smith@example.org>' --to '"quote\"d" <q@example.net>'
--cc 'Ünïcode Only <u@example.net>'
EOF

# Without SOURCE_DATE_EPOCH: random boundaries and Message-ID, the Date of
# now in a zone half an hour off.
compose x-live 'unset SOURCE_DATE_EPOCH; export TZ=NST+3:30
    "$BIN/mime-multipart" -t alternative <("$BIN/mime-text" page.txt) \
	<("$BIN/mime-multipart" -t related <("$BIN/mime-html" logo.html) \
	    <("$BIN/mime-attach" --inline --id logo logo.png)) \
    | '"$M"' -s "Composed now" bob@example.net' <<'EOF'
--message --lf --shape 'multipart/alternative(text/plain,multipart/related(text/html,image/png))'
--part text/plain=page.txt --part text/html=logo.html --cid logo=logo.png
EOF

# --compat-names: SPEC 5 sets Python's defects (an RFC 2047 word inside
# quotes) aside; pytree.py is told so by the name compat-*.
compose compat-names '"$BIN/mime-multipart" <("$BIN/mime-text" plain.txt) \
	<("$BIN/mime-attach" --compat-names "résumé 2026.pdf") \
    | '"$M"' -s "Outlook-style names" bob@example.net' <<'EOF'
#nocheck --compat-names: SPEC 5 sets Python's defects aside
EOF
exit 0
