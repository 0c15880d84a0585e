#!/bin/bash
# SPDX-License-Identifier: ISC
# SPEC 6, mime-encrypt: every encrypted output decrypts with gpg or
# openssl cms and with GMime (tests/interop/gmime-decrypt.c), and the
# plaintext parses (Python's email, tests/interop/pytree.py) to the tree of
# the input entity, with the same decoded bytes; --sign outputs verify;
# each error status, with nothing written under -o; memory stays flat.
# Keys: tests/crypto/keys.sh, made afresh for this run.
# shellcheck disable=SC2016
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$T" || exit 1
PYTREE=$ROOT/tests/interop/pytree.py
GMIME_DECRYPT=$MC_TESTBIN/gmime-decrypt
for need in gpg gpgsm openssl; do
	if ! command -v "$need" >/dev/null 2>&1; then
		skip "mime-encrypt" "no $need (scripts/deps.sh installs it)"
		exit 0
	fi
done
mkdir keys
eval "$(sh "$ROOT/tests/crypto/keys.sh" "$T/keys")" || exit 1
trap 'gpgconf --homedir "$GNUPGHOME" --kill all >/dev/null 2>&1' EXIT
# GMime decrypts S/MIME through gpgsm: the recipient's key goes in there
# too (PKCS#12 in the legacy algorithms that gpgsm 2.2 reads).
openssl pkcs12 -export -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES \
    -macalg sha1 -in "$MC_SMIME_RCPT_CERT" -inkey "$MC_SMIME_RCPT_KEY" \
    -passout pass: -out rcpt.p12
gpgsm --batch --quiet --pinentry-mode loopback --passphrase-fd 0 \
    --import rcpt.p12 <<<'' 2>/dev/null

# --- inputs -------------------------------------------------------------
printf 'Trailing spaces   \nFrom here on\n.\nThe end.\n' >plain.txt
printf 'Grüße aus Zürich, 8bit and all  \nfrom me\n' >utf8.txt
printf '<p>Grüße</p>\n' >page.html
head -c 100000 /dev/urandom >data.bin
mime-text plain.txt >plain.ent
mime-multipart <(mime-multipart -t alternative <(mime-text -e 8bit utf8.txt) \
    <(mime-html page.html)) <(mime-attach data.bin) >tree.ent
mime-multipart --crlf <(mime-text --crlf -e 8bit utf8.txt) \
    <(mime-attach --crlf data.bin) >crlf.ent

# leaf FILE N: the decoded payload of the Nth leaf (from 0) of FILE.
leaf() {
	python3 -c '
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"),
    policy=email.policy.default)
leaves = [p for p in m.walk() if not p.is_multipart()]
sys.stdout.buffer.write(leaves[int(sys.argv[2])].get_payload(decode=True))
' "$1" "$2"
}
# same_tree A B: Python's trees of A and B (types, parameters, decoded
# bytes of every leaf) are the same.
same_tree() {
	python3 "$PYTREE" "$1" | tail -n +2 >"$1.tree"
	python3 "$PYTREE" "$2" | tail -n +2 >"$2.tree"
	same "$1.tree" "$2.tree"
}
pgp_decrypt() {	# FILE OUT: gpg over the second part; the signer in OUT.status
	leaf "$1" 1 >"$2.asc"
	gpg --batch --quiet --status-file "$2.status" --decrypt "$2.asc" \
	    >"$2" 2>/dev/null
}
smime_decrypt() {	# FILE OUT
	openssl cms -decrypt -in "$1" -recip "$MC_SMIME_RCPT_CERT" \
	    -inkey "$MC_SMIME_RCPT_KEY" -out "$2"
}

mime_encrypt() {	# OUT ARGS...: mime-encrypt ARGS > OUT
	local out=$1
	shift
	mime-encrypt "$@" >"$out"
}

# encrypted_ok NAME INPUT SHAPE DECRYPT: the checks every output gets.
encrypted_ok() {
	local name=$1 in=$2 shape=$3 decrypt=$4
	check "$name: the output parses with no defect, 7-bit, as $shape" \
	    check_eml --shape "$shape" "$name.eml"
	check "$name: it decrypts ($decrypt)" "$decrypt" "$name.eml" "$name.plain"
	check "$name: the plaintext is CRLF canonical" crlf_only "$name.plain"
	check "$name: the plaintext is the input's tree, byte for byte" \
	    same_tree "$in" "$name.plain"
	if [ "$name" != "${name%-gcm}" ] && [ "$GPGSM_GCM" = 0 ]; then
		skip "$name: GMime decrypts it to the input's tree" \
		    "this gpgsm does not decrypt openssl cms's own AES-GCM either"
	else
		check "$name: GMime decrypts it to the input's tree" \
		    gmime_ok "$name" "$in"
	fi
}
gmime_ok() {	# NAME INPUT [-s]
	"$GMIME_DECRYPT" ${3:+"$3"} "$1.eml" >"$1.gmime"
	same_tree "$2" "$1.gmime"
}

PGP_SHAPE='multipart/encrypted(application/pgp-encrypted,application/octet-stream)'
SMIME_SHAPE='application/pkcs7-mime'

# --- OpenPGP ------------------------------------------------------------
for in in plain tree crlf; do
	for key in ED RSA; do
		fpr=MC_PGP_$key
		name=pgp-$in-$key
		check "$name: mime-encrypt -r (an $key key) works" \
		    mime_encrypt "$name.eml" -r "${!fpr}" "$in.ent"
		encrypted_ok "$name" "$in.ent" "$PGP_SHAPE" pgp_decrypt
	done
done

check "pgp --crlf: the output is all CRLF" sh -c \
    'mime-encrypt --crlf -r "$1" tree.ent >pgp-crlf-out.eml' - "$MC_PGP_ED"
check "pgp --crlf: every line of the output ends in CRLF" \
    crlf_only pgp-crlf-out.eml
encrypted_ok pgp-crlf-out tree.ent "$PGP_SHAPE" pgp_decrypt
check "pgp from a pipe: mime-encrypt reads standard input" sh -c \
    'cat tree.ent | mime-encrypt -r "$1" >pgp-stdin.eml' - "$MC_PGP_RSA_UID"
encrypted_ok pgp-stdin tree.ent "$PGP_SHAPE" pgp_decrypt
check "pgp: two recipients can each decrypt (-r twice)" sh -c \
    'mime-encrypt -r "$1" -r "$2" plain.ent >pgp-two.eml' - "$MC_PGP_ED" \
    "$MC_PGP_RSA"
two_keys() {
	leaf pgp-two.eml 1 >two.asc
	gpg --batch --list-packets two.asc 2>/dev/null >two.packets
	grep -c ':pubkey enc packet:' two.packets | grep -qx 2
}
check "pgp: the message is encrypted to both keys" two_keys
check "pgp: an untrusted key is taken with --trust-all" sh -c \
    'mime-encrypt --trust-all -r "$1" plain.ent >pgp-trust-all.eml' - \
    "$MC_PGP_UNTRUSTED_UID"
pgp_to_stranger() {
	local sub
	leaf pgp-trust-all.eml 1 >stranger.asc
	# No secret key here: gpg lists the packets and exits 2.
	gpg --batch --list-packets stranger.asc >stranger.packets 2>&1 || :
	sub=$(gpg --batch --with-colons --list-keys "$MC_PGP_UNTRUSTED" |
	    awk -F: '$1 == "sub" { print $5; exit }')
	grep -q "keyid $sub" stranger.packets
}
check "pgp --trust-all: it is encrypted to that key" pgp_to_stranger

# --sign: one OpenPGP message, signed and encrypted (RFC 3156 6.2).
signed_by() {	# NAME FPR: gpg saw a good signature by FPR
	grep -q "^\[GNUPG:\] GOODSIG " "$1.plain.status" &&
	    grep -q "^\[GNUPG:\] VALIDSIG $2 " "$1.plain.status"
}
for key in ED RSA; do
	fpr=MC_PGP_$key
	name=pgp-sign-$key
	check "$name: mime-encrypt --sign -u (an $key key) works" \
	    mime_encrypt "$name.eml" --sign -u "${!fpr}" -r "$MC_PGP_ED_UID" \
	    tree.ent
	encrypted_ok "$name" tree.ent "$PGP_SHAPE" pgp_decrypt
	check "$name: gpg finds a good signature by the -u key" \
	    signed_by "$name" "${!fpr}"
	check "$name: GMime finds the signature valid" \
	    gmime_ok "$name" tree.ent -s
done
check "pgp: an output without --sign has no signature (GMime -s fails)" \
    not "$GMIME_DECRYPT" -s pgp-tree-ED.eml

# --- S/MIME ----------------------------------------------------------------
# GMime decrypts S/MIME with gpgsm, and gpgsm 2.2.40 (libksba 1.6.3)
# fails ("Buffer too short") on the AES-GCM parameters that OpenSSL
# writes, its own "openssl cms -encrypt -aes-256-gcm" output included.
GPGSM_GCM=0
if openssl cms -encrypt -aes-256-gcm -binary -outform DER -in plain.ent \
    -out gcm.der "$MC_SMIME_RCPT_CERT" 2>/dev/null &&
    gpgsm --batch --pinentry-mode loopback --decrypt gcm.der \
    >/dev/null 2>&1; then
	GPGSM_GCM=1
fi
for in in plain tree crlf; do
	for cipher in aes-256-cbc aes-256-gcm; do
		name=smime-$in-$cipher
		check "$name: mime-encrypt --smime --cipher $cipher works" \
		    mime_encrypt "$name.eml" --smime --cipher "$cipher" \
		    -r "$MC_SMIME_RCPT_CERT" "$in.ent"
		encrypted_ok "$name" "$in.ent" "$SMIME_SHAPE" smime_decrypt
	done
done
cms_is() {	# FILE CONTENT-TYPE CIPHER: openssl's reading of the structure
	openssl cms -cmsout -print -in "$1" >"$1.cms"
	has_line "$1.cms" "contentType: .*$2"
	has_line "$1.cms" "algorithm: $3 "
}
check "smime: aes-256-cbc is envelopedData with AES-256-CBC" \
    cms_is smime-tree-aes-256-cbc.eml pkcs7-envelopedData aes-256-cbc
check "smime: aes-256-gcm is authEnvelopedData with AES-256-GCM" \
    cms_is smime-tree-aes-256-gcm.eml id-smime-ct-authEnvelopedData \
    aes-256-gcm
check "smime: smime-type says authEnveloped-data for aes-256-gcm" \
    has_line smime-tree-aes-256-gcm.eml 'smime-type=authEnveloped-data;'
check "smime: the default cipher is aes-256-cbc" sh -c \
    'mime-encrypt --smime -r "$1" plain.ent >smime-default.eml' - \
    "$MC_SMIME_RCPT_CERT"
check "smime: the default is envelopedData with AES-256-CBC" \
    cms_is smime-default.eml pkcs7-envelopedData aes-256-cbc
check "smime --crlf: every line of the output ends in CRLF" sh -c \
    'mime-encrypt --smime --crlf -r "$1" tree.ent >smime-crlf-out.eml' - \
    "$MC_SMIME_RCPT_CERT"
check "smime --crlf: every line ends in CRLF" crlf_only smime-crlf-out.eml
encrypted_ok smime-crlf-out tree.ent "$SMIME_SHAPE" smime_decrypt
der_cert() {
	openssl x509 -in "$MC_SMIME_RCPT_CERT" -outform DER -out rcpt.der
	mime-encrypt --smime -r rcpt.der plain.ent >smime-der.eml
}
check "smime: -r takes a DER certificate too" der_cert
encrypted_ok smime-der plain.ent "$SMIME_SHAPE" smime_decrypt

# --sign: mime-sign's multipart/signed inside (RFC 8551 3.6), from PEM
# files or a PKCS#12 one.
smime_signed_ok() {	# NAME: decrypted, verified, the input inside
	smime_decrypt "$1.eml" "$1.plain"
	crlf_only "$1.plain"
	check_eml --any-eol --shape \
	    'multipart/signed(multipart/mixed(multipart/alternative(text/plain,text/html),application/octet-stream),application/pkcs7-signature)' \
	    "$1.plain"
	openssl cms -verify -in "$1.plain" -CAfile "$MC_CA_CERT" \
	    -out "$1.content" 2>/dev/null
	same_tree tree.ent "$1.content"
}
check "smime --sign (PEM): mime-encrypt works" mime_encrypt smime-sign.eml \
    --smime --sign --cert "$MC_SMIME_RSA_CERT" --key "$MC_SMIME_RSA_KEY" \
    -r "$MC_SMIME_RCPT_CERT" tree.ent
check "smime --sign (PEM): it decrypts to a multipart/signed that openssl cms verifies, around the input's tree" \
    smime_signed_ok smime-sign
check "smime --sign (PEM): GMime decrypts it and finds the signature valid" \
    sh -c '"$1" -s smime-sign.eml >/dev/null' - "$GMIME_DECRYPT"
check "smime --sign (PKCS#12): mime-encrypt works" mime_encrypt \
    smime-sign-p12.eml --smime --sign --cert "$MC_SMIME_RSA_P12" \
    --cipher aes-256-gcm -r "$MC_SMIME_RCPT_CERT" tree.ent
check "smime --sign (PKCS#12), aes-256-gcm: it decrypts and verifies" \
    smime_signed_ok smime-sign-p12

# --- errors: status, one line, nothing on standard output or under -o ---
printf 'precious\n' >keep.eml
cp keep.eml keep.orig
# fails STATUS REGEX SENTENCE ARGS...: mime-encrypt ARGS -o keep.eml.
fails() {
	local want=$1 re=$2 sentence=$3
	shift 3
	expect_status "$want" "$sentence: exits $want" \
	    mime-encrypt -o keep.eml "$@"
	check "$sentence: says so in one line" one_error_line mime-encrypt "$re"
	check "$sentence: keeps the -o file and leaves no temporary file" \
	    kept "$OUT"
}
kept() {	# STDOUT: keep.eml untouched, no .keep.eml.* left, STDOUT empty
	same keep.orig keep.eml
	is_empty "$1"
	not compgen -G '.keep.eml.*'
}
fails 65 'nobody@example.org: no such key' "an unknown recipient" \
    -r nobody@example.org plain.ent
fails 65 'not valid' "an untrusted recipient key" \
    -r "$MC_PGP_UNTRUSTED_UID" plain.ent
fails 65 'expired' "an expired recipient key" -r "$MC_PGP_EXPIRED" plain.ent
fails 65 'revoked' "a revoked recipient key" -r "$MC_PGP_REVOKED" plain.ent
fails 65 'not for encryption' "a key with no encryption subkey" \
    -r "$MC_PGP_NOSIGN" plain.ent
fails 65 'keys match' "an address that two keys would match" \
    -r example.org plain.ent
fails 65 'no such key' "a signer with no secret key" \
    --sign -u "$MC_PGP_NOSIGN" -r "$MC_PGP_ED" plain.ent
fails 65 'not a MIME entity' "an input that is not an entity" \
    -r "$MC_PGP_ED" plain.txt
fails 65 'expired' "an expired certificate" \
    --smime -r "$MC_SMIME_EXPIRED_CERT" plain.ent
fails 65 'not for S/MIME encryption' "a certificate for signing only" \
    --smime -r "$MC_SMIME_ED_CERT" plain.ent
fails 65 'not a certificate' "a key file given as a certificate" \
    --smime -r "$MC_SMIME_RCPT_KEY" plain.ent
fails 66 'missing.pem: No such file' "a certificate file that is missing" \
    --smime -r missing.pem plain.ent
fails 66 'Is a directory' "a directory given as a certificate" \
    --smime -r . plain.ent
fails 66 'missing.ent' "an ENTITY that is missing" -r "$MC_PGP_ED" missing.ent
fails 64 'RECIPIENT' "no recipient" plain.ent
fails 64 'exclude' "--pgp with --smime" --pgp --smime -r x plain.ent
fails 64 'cipher' "an unknown --cipher" --smime --cipher des -r x plain.ent
fails 64 'need --sign' "-u without --sign" -u x -r x plain.ent
fails 64 'extra operand' "two ENTITY operands" -r x plain.ent plain.ent
fails 64 'needs --cert' "--smime --sign without --cert" \
    --smime --sign -r "$MC_SMIME_RCPT_CERT" plain.ent
fails 65 'expired' "an expired signing certificate" --smime --sign \
    --cert "$MC_SMIME_EXPIRED_CERT" --key "$MC_SMIME_EXPIRED_KEY" \
    -r "$MC_SMIME_RCPT_CERT" plain.ent
fails 66 'missing.key' "a signing key file that is missing" --smime --sign \
    --cert "$MC_SMIME_RSA_CERT" --key missing.key -r "$MC_SMIME_RCPT_CERT" \
    plain.ent

expect_status 0 "mime-encrypt --version exits 0" mime-encrypt --version
check "mime-encrypt --version names the tool and the version" \
    has_line "$OUT" '^mime-encrypt \(mimecompose\) [0-9]+\.[0-9]+\.[0-9]+$'
expect_status 0 "mime-encrypt -h exits 0" mime-encrypt -h
check "mime-encrypt -h prints the usage of mime-encrypt(1)" \
    has_line "$OUT" '^usage: mime-encrypt \[--pgp \| --smime\] -r RECIPIENT'

# 69: gpg-agent cannot be started; without -u, gpg finds it out after
# the output was begun, which -o must not show (a copy of the keyring in a home whose
# agent is /bin/false).
mkdir -m 700 noagent
cp -r "$GNUPGHOME/pubring.kbx" "$GNUPGHOME/trustdb.gpg" \
    "$GNUPGHOME/private-keys-v1.d" noagent/
echo 'agent-program /bin/false' >noagent/gpg.conf
GNUPGHOME=$T/noagent fails 69 'gpg-agent' "no gpg-agent for --sign -u" \
    --sign -u "$MC_PGP_ED" -r "$MC_PGP_ED" plain.ent
GNUPGHOME=$T/noagent fails 69 'agent' "no gpg-agent for --sign" \
    --sign -r "$MC_PGP_ED" plain.ent
check "without --sign, no agent is needed" sh -c \
    'GNUPGHOME=$1/noagent mime-encrypt -r "$2" plain.ent >noagent.eml' - \
    "$T" "$MC_PGP_ED"
expect_status 74 "a full disk (/dev/full) exits 74" \
    sh -c 'mime-encrypt -r "$1" tree.ent >/dev/full' - "$MC_PGP_ED"
expect_status 74 "a full disk (/dev/full) exits 74, S/MIME" \
    sh -c 'mime-encrypt --smime -r "$1" tree.ent >/dev/full' - \
    "$MC_SMIME_RCPT_CERT"

# --- mime-compose --sign/--encrypt: the body signed or encrypted, then
# the message header around it ----------------------------------------------
printf '%s\n' 'From: Ed <ed@example.org>' 'To: Rsa <rsa@example.org>' \
    'Subject: Grüße, secret' '' 'Hello,   ' 'From here on the data.' \
    '#application/octet-stream data.bin' >draft.txt
export SOURCE_DATE_EPOCH=1700000000
mime-compose draft.txt >compose-plain.eml
unset SOURCE_DATE_EPOCH
# parts_of FILE: the part lines of pytree.py's tree (no header lines).
parts_of() {
	python3 "$PYTREE" "$1" | awk -F '\t' 'NR > 1 && $2 != "hdr"'
}
same_parts() {	# MESSAGE ENTITY: the body of MESSAGE has ENTITY's tree
	parts_of "$1" >"$2.parts.want"
	parts_of "$2" >"$2.parts"
	same "$2.parts.want" "$2.parts"
}
compose_ok() {	# NAME SHAPE: a message with the draft's header
	check_eml --message --subject 'Grüße, secret' --from 'Ed <ed@example.org>' \
	    --to 'Rsa <rsa@example.org>' --shape "$2" "$1.eml"
}
check "mime-compose --encrypt -r works" sh -c \
    'mime-compose --encrypt -r "$1" -o compose-pgp.eml draft.txt' - \
    "$MC_PGP_RSA_UID"
check "mime-compose --encrypt: a message whose body is multipart/encrypted" \
    compose_ok compose-pgp "$PGP_SHAPE"
decrypts_to_draft() {	# NAME DECRYPT: the plaintext is the draft's body
	"$2" "$1.eml" "$1.plain"
	same_parts compose-plain.eml "$1.plain"
}
check "mime-compose --encrypt: it decrypts to the draft's body" \
    decrypts_to_draft compose-pgp pgp_decrypt
check "mime-compose --sign --encrypt -u works" sh -c \
    'mime-compose --sign --encrypt -u "$1" -r "$2" draft.txt >compose-pgp-sign.eml' \
    - "$MC_PGP_RSA" "$MC_PGP_ED_UID"
compose_signed_enc() {
	pgp_decrypt compose-pgp-sign.eml compose-pgp-sign.plain
	same_parts compose-plain.eml compose-pgp-sign.plain
	signed_by compose-pgp-sign "$MC_PGP_RSA"
}
check "mime-compose --sign --encrypt: it decrypts, signed by the -u key" \
    compose_signed_enc
compose_signed() {	# NAME: verified by gpg and GMime, the draft's body inside
	python3 "$ROOT/tests/crypto/signed.py" split "$1.eml" "$1.d"
	gpg --batch --quiet --verify "$1.d/sig" "$1.d/part" 2>/dev/null
	"$MC_TESTBIN/gmime-verify" "$1.eml"
	same_parts compose-plain.eml "$1.d/part"
}
mkdir compose-pgp-signed.d compose-smime-signed.d
check "mime-compose --sign -u works" sh -c \
    'mime-compose --sign -u "$1" --crlf draft.txt >compose-pgp-signed.eml' \
    - "$MC_PGP_ED"
check "mime-compose --sign: a message whose body is multipart/signed" \
    compose_ok compose-pgp-signed \
    'multipart/signed(multipart/mixed(text/plain,application/octet-stream),application/pgp-signature)'
check "mime-compose --sign: gpg and GMime verify it, around the draft's body" \
    compose_signed compose-pgp-signed
check "mime-compose --smime --encrypt works" sh -c \
    'mime-compose --smime --encrypt -r "$1" draft.txt >compose-smime.eml' \
    - "$MC_SMIME_RCPT_CERT"
check "mime-compose --smime --encrypt: it decrypts to the draft's body" \
    decrypts_to_draft compose-smime smime_decrypt
check "mime-compose --smime --sign works" sh -c \
    'mime-compose --smime --sign --cert "$1" --key "$2" draft.txt >compose-smime-signed.eml' \
    - "$MC_SMIME_RSA_CERT" "$MC_SMIME_RSA_KEY"
smime_compose_verified() {
	openssl cms -verify -in compose-smime-signed.eml -CAfile "$MC_CA_CERT" \
	    -out compose-smime-signed.content 2>/dev/null
	same_parts compose-plain.eml compose-smime-signed.content
}
check "mime-compose --smime --sign: openssl cms verifies it" \
    smime_compose_verified

# Its errors: the filter's one line and status; nothing under -o.
compose_fails() {	# STATUS TOOL REGEX SENTENCE ARGS...
	local want=$1 tool=$2 re=$3 sentence=$4
	shift 4
	expect_status "$want" "mime-compose, $sentence: exits $want" \
	    mime-compose -o keep.eml "$@"
	check "mime-compose, $sentence: says so in one line" \
	    one_error_line "$tool" "$re"
	check "mime-compose, $sentence: keeps the -o file" kept "$OUT"
}
compose_fails 65 mime-encrypt 'no such key' "an unknown recipient" \
    --encrypt -r nobody@example.org draft.txt
compose_fails 65 mime-encrypt 'not valid' "an untrusted recipient" \
    --encrypt -r "$MC_PGP_UNTRUSTED_UID" draft.txt
compose_fails 65 mime-sign '' "a signer with no secret key" \
    --sign -u "$MC_PGP_NOSIGN" draft.txt
printf 'From: a@example.org\n\nbad \377 text\n' >bad.txt
compose_fails 65 mime-compose 'UTF-8' "a body that cannot be written" \
    --encrypt -r "$MC_PGP_ED" bad.txt
compose_fails 64 mime-compose 'need --encrypt' "-r without --encrypt" \
    -r x draft.txt
compose_fails 64 mime-compose 'needs -r' "--encrypt without -r" \
    --encrypt draft.txt
compose_fails 64 mime-compose 'need --sign' "-u without --sign" -u x draft.txt
mkdir alone
cp "$(command -v mime-compose)" alone/
compose_alone() {
	PATH=/nonexistent "$T/alone/mime-compose" -o keep.eml "$@"
}
expect_status 69 "mime-compose with no mime-encrypt beside it or on PATH: exits 69" \
    compose_alone --encrypt -r x draft.txt
check "mime-compose with no mime-encrypt: says so in one line" \
    one_error_line mime-compose 'mime-encrypt: No such file'
check "mime-compose with no mime-encrypt: keeps the -o file" kept "$OUT"

# --- memory: flat from 1 MiB up (optimised build; GNU time's peak RSS
# is the largest of mime-encrypt and the gpg it runs) ---------------------
TIME=/usr/bin/time
if [ ! -x "$TIME" ] || [ ! -x "$FAST/mime-encrypt" ]; then
	skip "mime-encrypt's peak RSS stays under 8 MiB" \
	    "no $TIME (package time) or no $FAST/mime-encrypt"
	exit 0
fi
LIMIT_KB=8192
head -c $((256 * 1024 * 1024)) /dev/urandom >big.bin
"$FAST/mime-attach" big.bin >big256.ent
head -c $((64 * 1024 * 1024)) big.bin | "$FAST/mime-attach" - >big64.ent
head -c $((1024 * 1024)) big.bin | "$FAST/mime-attach" - >big1.ent
rm -f big.bin
rss() {	# OUT ARGS...: mime-encrypt ARGS, its peak RSS (KiB) in OUT
	local out=$1
	shift
	"$TIME" -f %M -o "$out" "$FAST/mime-encrypt" "$@" >/dev/null
}
flat() {	# SMALL BIG: both under the limit, BIG at most 1 MiB above
	local a b
	a=$(tail -n 1 "$1")
	b=$(tail -n 1 "$2")
	echo "peak RSS: $a KiB, then $b KiB" >&2
	[ "$a" -lt "$LIMIT_KB" ] && [ "$b" -lt "$LIMIT_KB" ] &&
	    [ "$b" -le $((a + 1024)) ]
}
check "pgp: a 1 MiB entity is encrypted" rss rss.pgp1 -r "$MC_PGP_ED" big1.ent
check "pgp: a 64 MiB entity is encrypted" rss rss.pgp64 -r "$MC_PGP_ED" \
    big64.ent
check "pgp: peak RSS under 8 MiB, and the same at 1 and 64 MiB" \
    flat rss.pgp1 rss.pgp64
check "smime: a 1 MiB entity is encrypted" rss rss.smime1 --smime \
    -r "$MC_SMIME_RCPT_CERT" big1.ent
check "smime: a 256 MiB entity is encrypted" rss rss.smime256 --smime \
    -r "$MC_SMIME_RCPT_CERT" big256.ent
check "smime: peak RSS under 8 MiB, and the same at 1 and 256 MiB" \
    flat rss.smime1 rss.smime256
rm -f big1.ent big64.ent big256.ent
