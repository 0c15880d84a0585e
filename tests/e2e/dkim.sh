#!/bin/bash
# SPDX-License-Identifier: ISC
# SPEC 6, mime-dkim: every signature checked by two independent verifiers,
# dkimpy (python3-dkim) and Mail::DKIM (libmail-dkim-perl), each told the
# public keys by a stub (the lines mime-dkim --dns prints), never the DNS;
# what relays do, what forgers do, bad inputs, two passes, memory.
# Debian 12's Mail::DKIM has no ed25519-sha256: for those signatures it
# can only say "unsupported algorithm" (tests/e2e/dkim_verify.pl, exit 3).
# shellcheck disable=SC2016
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$T" || exit 1
DK=$FIX/dkim
export TMPDIR=$T/spool
mkdir -p "$TMPDIR"
# dkimpy is Debian's python3 module: Debian's python3, whatever is on PATH.
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
RSA=$DK/rfc8463-rsa.pem
ED=$DK/rfc8463-ed25519.pem
SIGN=(mime-dkim -d example.org -s rsa -k "$RSA")
SIGN_ED=(mime-dkim -d example.org -s ed -k "$ED")

# --- helpers ------------------------------------------------------------

dkimpy() {	# FILE [KEYS]: dkimpy's status for FILE
	"$PY" "$ROOT/tests/e2e/dkim_verify.py" "${2:-keys}" "$1"
}
mail_dkim() {	# FILE [KEYS]: Mail::DKIM's status for FILE
	perl "$ROOT/tests/e2e/dkim_verify.pl" "${2:-keys}" "$1"
}
# verifies FILE [KEYS]: dkimpy passes every signature; so does Mail::DKIM,
# but for ed25519-sha256 ones, which it cannot check (status 3).
verifies() {
	local s=0
	dkimpy "$@"
	mail_dkim "$@" || s=$?
	[ "$s" -eq 0 ] || { [ "$s" -eq 3 ] && grep -q 'a=ed25519-sha256' "$1"; }
}
# fails_all FILE: dkimpy fails it; so does Mail::DKIM (rsa-sha256) or it
# cannot check it (ed25519-sha256 only).
fails_all() {
	local s=0 t=0
	dkimpy "$1" || s=$?
	mail_dkim "$1" || t=$?
	echo "dkimpy: $s, Mail::DKIM: $t" >&2
	[ "$s" -eq 1 ] && { [ "$t" -eq 1 ] || { [ "$t" -eq 3 ] &&
	    ! grep -q 'a=rsa-sha256' "$1"; }; }
}
# sigfield FILE: the first DKIM-Signature field, as written.
sigfield() {
	awk '!on && /^DKIM-Signature:/ { on = 1; print; next }
	     on && /^[ \t]/ { print; next } { exit }' "$1"
}
# tag FILE NAME: the value of tag NAME in the first DKIM-Signature.
tag() {
	header "$1" DKIM-Signature | tr -d ' \t\r' | tr ';' '\n' |
	    sed -n "s/^$2=//p"
}
relay() {	# MODE IN OUT: what a relay may do to a message (see below)
	"$PY" - "$@" <<-'EOF'
	import re, sys
	mode, src, dst = sys.argv[1:]
	data = open(src, 'rb').read()
	eol = b'\r\n' if b'\r\n' in data else b'\n'
	head, _, body = data.partition(eol + eol)
	fields = re.split(rb'\r?\n(?![ \t])', head)
	if mode == 'refold':	# every field but DKIM-Signature folded anew
	    out = []
	    for f in fields:
	        if not f.lower().startswith(b'dkim-signature'):
	            words = re.sub(rb'\r?\n([ \t])', rb'\1', f).split(b' ')
	            f = words[0] + b''.join(
	                (eol + b'\t' if i % 3 == 0 else b'  ') + w
	                for i, w in enumerate(words[1:], 1))
	        out.append(f)
	    data = eol.join(out) + eol + eol + body
	elif mode == 'trailing':	# white space at line ends
	    out = [f + b' ' if not f.lower().startswith(b'dkim-sig') else f
	           for f in fields]
	    body = re.sub(rb'(\r?\n)', rb' \t\1', body)
	    data = eol.join(out) + eol + eol + body
	elif mode == 'eol':	# CRLF <-> LF
	    data = (data.replace(b'\r\n', b'\n') if eol == b'\r\n'
	            else data.replace(b'\n', b'\r\n'))
	elif mode == 'subject':	# a signed field changed
	    data = data.replace(b'Subject: Quarterly', b'Subject: Quarterlz', 1)
	elif mode == 'body':	# one body byte changed
	    i = len(head) + 2 * len(eol) + 3
	    data = data[:i] + bytes([data[i] ^ 1]) + data[i + 1:]
	elif mode == 'from-top':	# a second From below the signatures
	    i = data.index(b'\nFrom:') + 1
	    data = data[:i] + b'From: Mallory <m@evil.example>' + eol + data[i:]
	elif mode == 'from-end':	# a second From at the end of the header
	    i = len(head) + len(eol)
	    data = data[:i] + b'From: Mallory <m@evil.example>' + eol + data[i:]
	open(dst, 'wb').write(data)
	EOF
}

# The checks below run these in "bash -c" scripts.
export PY ROOT
export -f dkimpy mail_dkim verifies fails_all sigfield tag relay header

# --- the keys and a message -----------------------------------------------

{
	mime-dkim --dns -d example.org -s rsa -k "$RSA"
	mime-dkim --dns -d example.org -s ed -k "$ED"
	mime-dkim --dns -d football.example.com -s test -k "$RSA"
	mime-dkim --dns -d football.example.com -s brisbane -k "$ED"
} >keys
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
    -out rsa2048.pem 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:512 \
    -out rsa512.pem 2>/dev/null
mime-dkim --dns -d example.org -s big -k rsa2048.pem >>keys
openssl pkey -in rsa2048.pem -pubout -out rsa2048.pub
printf 'just some bytes, not a key\n' >garbage.pem

export SOURCE_DATE_EPOCH=1700000000
printf 'Figures  attached.\t \n\nRegards,\n\n\n' >note.txt
mime-multipart <(mime-text note.txt) <(mime-attach "$FIX/logo.png") |
    mime-message -f 'Alice <alice@example.org>' -c carol@example.org \
	-s 'Quarterly figures for the finance team, folded over more than one line' \
	-H 'List-Unsubscribe: <mailto:leave@example.org>' \
	--reply-to ops@example.org bob@example.net >msg.eml
mime-multipart --crlf <(mime-text --crlf note.txt) |
    mime-message --crlf -f alice@example.org -s 'Quarterly, CRLF' \
	bob@example.net >crlf.eml
unset SOURCE_DATE_EPOCH

# --- the test rig -----------------------------------------------------------
check "the RFC 8463 A.3 message verifies with dkimpy (both signatures)" \
    dkimpy "$DK/rfc8463.eml"
expect_status 3 "the RFC 8463 A.3 message: Mail::DKIM passes the RSA signature (ed25519: unsupported)" \
    mail_dkim "$DK/rfc8463.eml"
check "... and says pass for the RSA one" has_line "$OUT" '^Mail::DKIM: signature 2: pass$'
check "the verifiers fail an unsigned field changed in the RFC message" \
    bash -c 'sed "s/Is dinner ready/Is dinner late/" "$1" >rfc-bad.eml &&
	! '"$PY"' "$2" keys rfc-bad.eml && ! perl "$3" keys rfc-bad.eml' sh \
    "$DK/rfc8463.eml" "$ROOT/tests/e2e/dkim_verify.py" \
    "$ROOT/tests/e2e/dkim_verify.pl"

# --- signatures that verify -------------------------------------------------
export SOURCE_DATE_EPOCH=1700000000
check "rsa-sha256 (the default) over an LF message" "${SIGN[@]}" -i msg.eml -o rsa.eml
check "... verifies with dkimpy and Mail::DKIM" verifies rsa.eml
check "... keeps LF line ends" no_cr rsa.eml
check "... is the message below one new field" \
    bash -c 'tail -n +$(($(sigfield rsa.eml | wc -l) + 1)) rsa.eml | cmp - msg.eml'
check "ed25519-sha256 over the same message" "${SIGN_ED[@]}" -i msg.eml -o ed.eml
check "... verifies with dkimpy (Mail::DKIM has no ed25519)" verifies ed.eml
check "... with -a ed25519-sha256 too, the same bytes" \
    bash -c '"$@" -a ed25519-sha256 -i msg.eml | cmp - ed.eml' sh "${SIGN_ED[@]}"
check "RSA then Ed25519 (RFC 8463 advice): both verify" \
    bash -c '"$@" -i rsa.eml >both.eml' sh "${SIGN_ED[@]}"
check "... both, with dkimpy and Mail::DKIM" verifies both.eml
check "... the new signature on top, the first below it" \
    bash -c 'head -n 1 both.eml | grep -q "a=ed25519-sha256" &&
	tail -n +$(($(sigfield both.eml | wc -l) + 1)) both.eml | cmp - rsa.eml'
check "a 2048-bit RSA key signs too" \
    bash -c 'mime-dkim -d example.org -s big -k rsa2048.pem -i msg.eml >big.eml'
check "... and verifies" verifies big.eml
check "a CRLF message" "${SIGN[@]}" -i crlf.eml -o crlf-signed.eml
check "... verifies" verifies crlf-signed.eml
check "... keeps CRLF line ends, the new field's included" crlf_only crlf-signed.eml
for c in relaxed/relaxed relaxed/simple simple/relaxed simple/simple simple relaxed; do
	check "-c $c verifies" bash -c '"$@" >"c.eml" && grep -q "c=$0" c.eml' \
	    "$c" "${SIGN[@]}" -c "$c" -i msg.eml
	check "... with both verifiers" verifies c.eml
done

# --- the field ---------------------------------------------------------------
check "t= is SOURCE_DATE_EPOCH" bash -c '[ "$(tag rsa.eml t)" = 1700000000 ]'
check "reproducible under SOURCE_DATE_EPOCH" \
    bash -c '"$@" -i msg.eml | cmp - rsa.eml' sh "${SIGN[@]}"
check "no l= ever, no x= by default" \
    bash -c '[ -z "$(tag rsa.eml l)" ] && [ -z "$(tag rsa.eml x)" ]'
check "h= signs the default fields present, From once more than it occurs" \
    bash -c '[ "$(tag rsa.eml h)" = "From:To:Cc:Reply-To:Subject:Date:Message-ID:List-Unsubscribe:MIME-Version:Content-Type:From" ]'
check "the field is folded within 78 columns, b= last" \
    bash -c 'sigfield big.eml | awk "length > 78 { exit 1 }" &&
	[ "$(header big.eml DKIM-Signature | tr -d " \t" | awk -F";" "{ print \$NF }" | cut -c 1-2)" = b= ]'
check "-h names the fields to sign (From is over-signed all the same)" \
    bash -c '"$@" -h "from:subject" -i msg.eml >h.eml &&
	[ "$(tag h.eml h)" = "From:Subject:From" ]' sh "${SIGN[@]}"
check "... and verifies" verifies h.eml
unset SOURCE_DATE_EPOCH
check "t= is now without SOURCE_DATE_EPOCH" \
    bash -c '"$@" -i msg.eml >now.eml && t=$(tag now.eml t) &&
	[ $((t - $(date +%s))) -le 1 ] && [ $(($(date +%s) - t)) -le 5 ]' \
    sh "${SIGN[@]}"
check "--expire 3600 writes x= an hour after t=" \
    bash -c '"$@" --expire 3600 -i msg.eml >x.eml &&
	[ $(($(tag x.eml x) - $(tag x.eml t))) = 3600 ]' sh "${SIGN[@]}"
check "... and verifies" verifies x.eml
export SOURCE_DATE_EPOCH=1700000000

# --- what relays do, what forgers do -----------------------------------------
for c in relaxed/relaxed simple/simple; do
	"${SIGN[@]}" -c "$c" -i msg.eml >"c-${c%/*}.eml"
	"${SIGN[@]}" -c "$c" -i crlf.eml >"crlf-${c%/*}.eml"
done
for mode in refold trailing eol; do
	check "relaxed survives a relay's $mode (LF message)" \
	    bash -c 'relay "$1" c-relaxed.eml r.eml && ! cmp -s r.eml c-relaxed.eml' \
	    sh "$mode"
	check "... verifies" verifies r.eml
	check "relaxed survives a relay's $mode (CRLF message)" \
	    relay "$mode" crlf-relaxed.eml r.eml
	check "... verifies" verifies r.eml
done
for mode in refold trailing; do
	check "simple does not survive a relay's $mode" \
	    bash -c 'relay "$1" c-simple.eml s.eml && fails_all s.eml' sh "$mode"
done
check "simple survives CRLF <-> LF (DKIM signs the CRLF form)" \
    bash -c 'relay eol c-simple.eml s.eml && verifies s.eml'
for f in rsa.eml ed.eml both.eml; do
	for mode in subject body from-top from-end; do
		check "$f: $mode fails every verifier" \
		    bash -c 'relay "$1" "$2" m.eml && fails_all m.eml' sh "$mode" "$f"
	done
done

# --- bad input ------------------------------------------------------------------
# bad STATUS REGEX SENTENCE ARGS...: the status, one error line matching
# REGEX, nothing on standard output, and nothing written under -o: an
# existing out.eml untouched, no temporary file beside it.
bad() {
	local want=$1 re=$2 sentence=$3
	shift 3
	mkdir -p o && printf 'old\n' >o/out.eml
	expect_status "$want" "$sentence: exits $want" mime-dkim "$@" -o o/out.eml
	check "$sentence: one error line" one_error_line mime-dkim "$re"
	check "$sentence: -o FILE untouched, no temporary file" \
	    bash -c '[ "$(cat o/out.eml)" = old ] && [ "$(ls -A o)" = out.eml ]'
}
printf 'To: bob@example.net\nSubject: x\n\nbody\n' >nofrom.eml
printf 'From: a@example.org\nFrom: b@example.org\n\nbody\n' >twofrom.eml
printf 'From: a@example.org\nnot a field\n\nbody\n' >unparsable.eml
printf ' From: a@example.org\n\nbody\n' >continued.eml
printf 'From: a@example.org\nSubject: no end\n' >noend.eml
K=(-d example.org -s rsa -k "$RSA")
bad 65 'no From field' "a message without From" "${K[@]}" -i nofrom.eml
bad 65 'more than one From' "a message with two From fields" "${K[@]}" -i twofrom.eml
bad 65 'line 2' "an unparsable header" "${K[@]}" -i unparsable.eml
bad 65 'continuation' "a header starting with a continuation" "${K[@]}" -i continued.eml
bad 65 'no empty line' "a header without its end" "${K[@]}" -i noend.eml
bad 65 'public key' "a public key as -k" -d example.org -s x -k rsa2048.pub -i msg.eml
bad 65 'not a PEM private key' "garbage as -k" -d example.org -s x -k garbage.pem -i msg.eml
bad 65 '512 bits' "RSA under 1024 bits" -d example.org -s x -k rsa512.pem -i msg.eml
bad 65 'not one for ed25519' "an RSA key for -a ed25519-sha256" "${K[@]}" -a ed25519-sha256 -i msg.eml
bad 66 'nokey.pem' "a missing key file" -d example.org -s x -k nokey.pem -i msg.eml
bad 66 'nomsg.eml' "a missing message" "${K[@]}" -i nomsg.eml
bad 64 '' "no -k" -d example.org -s x -i msg.eml
bad 64 'From is not in the list' "-h without From" "${K[@]}" -h to:subject -i msg.eml
bad 64 '-d: not a domain' "a bad -d" -d 'exa mple.org' -s x -k "$RSA" -i msg.eml
bad 64 '-c' "a bad -c" "${K[@]}" -c relaxed/loose -i msg.eml
bad 64 'extra operand' "an operand" "${K[@]}" msg.eml
bad 64 '' "--dns with -i" --dns "${K[@]}" -i msg.eml
expect_status 74 "a full disk (/dev/full) exits 74" \
    bash -c 'mime-dkim "$@" -i msg.eml >/dev/full' sh "${K[@]}"
check "... in one error line" one_error_line mime-dkim 'standard output'

# --- --dns ----------------------------------------------------------------------
check "--dns: a 2048-bit key's record in strings of at most 255 octets" \
    bash -c 'mime-dkim --dns -d example.org -s big -k rsa2048.pem >dns.txt &&
	grep -q "^big._domainkey.example.org. IN TXT \"v=DKIM1; k=rsa; p=" dns.txt &&
	[ "$(grep -o "\"[^\"]*\"" dns.txt | wc -l)" -ge 2 ] &&
	grep -o "\"[^\"]*\"" dns.txt | awk "length > 257 { bad = 1 } END { exit bad }"'
check "... the strings joined are the key openssl gives" \
    bash -c '[ "$(grep -o "\"[^\"]*\"" dns.txt | tr -d "\"\n")" = \
	"v=DKIM1; k=rsa; p=$(openssl pkey -pubin -in rsa2048.pub -outform DER | base64 -w 0)" ]'

# --- two passes, memory ------------------------------------------------------------
check "a pipe gives the bytes a file gives" \
    bash -c 'cat msg.eml | "$@" | cmp - rsa.eml' sh "${SIGN[@]}"
check "standard input as a regular file (< msg.eml) too" \
    bash -c '"$@" <msg.eml | cmp - rsa.eml' sh "${SIGN[@]}"
SIZE=$((64 * 1024 * 1024))
big_message() {
	head -c "$SIZE" /dev/urandom >big.bin
	mime-attach big.bin | mime-message -f alice@example.org -s Big \
	    bob@example.net >big-msg.eml
}
check "a 64 MiB message" big_message
if [ -x /usr/bin/time ]; then
	check "... signed from a pipe with peak RSS under 8 MiB (optimised build)" \
	    bash -c 'cat big-msg.eml | /usr/bin/time -f %M -o rss "$1" -d example.org \
		-s rsa -k "$2" >big-signed.eml && echo "peak RSS $(cat rss) KiB" >&2 &&
		[ "$(tail -n 1 rss)" -lt 8192 ]' sh "$FAST/mime-dkim" "$RSA"
else
	skip "... signed from a pipe with peak RSS under 8 MiB" "no /usr/bin/time"
	"$FAST/mime-dkim" "${K[@]}" <big-msg.eml >big-signed.eml
fi
check "... the same signature as from the file" \
    bash -c '"$1" -d example.org -s rsa -k "$2" -i big-msg.eml | cmp - big-signed.eml' \
    sh "$FAST/mime-dkim" "$RSA"
check "... and it verifies" verifies big-signed.eml
check "the spool folder (\$TMPDIR) is empty afterwards" \
    bash -c '[ -z "$(ls -A "$TMPDIR")" ]'
rm -f big.bin big-msg.eml big-signed.eml
