#!/bin/bash
# SPDX-License-Identifier: ISC
# SPEC 6, mime-sign: every signature verifies with independent verifiers
# (gpg, or openssl cms and gpgsm, on the parts as signed.py cuts them; and
# GMime's g_mime_multipart_signed_verify), still after a relay's rewrite,
# and no longer after any one byte changes; the first part is the entity
# made sign-safe; errors exit 64, 65, 66 or 69 with nothing written under
# -o; S/MIME with RSA is byte-reproducible under SOURCE_DATE_EPOCH; the
# tool's memory does not grow with the entity.  Keys are made per run
# (tests/crypto/keys.sh); nothing touches the network.
# shellcheck disable=SC2016
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$T" || exit 1
SIGNED=$ROOT/tests/crypto/signed.py
PYTREE=$ROOT/tests/interop/pytree.py
GMIME_VERIFY=$MC_TESTBIN/gmime-verify

for p in gpg gpgsm gpgconf openssl; do
	if ! command -v "$p" >/dev/null 2>&1; then
		skip "mime-sign signs and every verifier agrees" \
		    "no $p (sh scripts/deps.sh install)"
		exit 0
	fi
done
mkdir keys
if ! sh "$ROOT/tests/crypto/keys.sh" "$T/keys" >keys.sh 2>keys.err; then
	check "tests/crypto/keys.sh makes the test keys" sh -c 'cat keys.err; false'
	exit 0
fi
. ./keys.sh
_prev_trap=$(trap -p EXIT | sed "s/^trap -- '//; s/' EXIT\$//")
# shellcheck disable=SC2064
trap "gpgconf --kill all >/dev/null 2>&1; $_prev_trap" EXIT

# The entity to sign: what relays break, in every form.  An 8bit text
# with trailing white space, a foreign 7bit text with "From ", a lone "."
# and trailing spaces, and a base64 attachment.
printf 'Grüße aus Zürich  \nZeile zwei\n' >eight.txt
mime-text -e 8bit eight.txt >eight.ent
printf 'Content-Type: text/plain; charset=us-ascii\n\nFrom the relay\n.\nspaces   \nend\n' >seven.ent
head -c 3000 /dev/urandom >data.bin
mime-attach data.bin >data.ent
mime-multipart eight.ent seven.ent data.ent >entity.eml

# cut FILE: FILE.d/part, sig, micalg, protocol (signed.py split), once.
cut() {
	if [ ! -d "$1.d" ]; then
		mkdir "$1.d"
		python3 "$SIGNED" split "$1" "$1.d"
	fi
}

# verify_all FILE PROTO: every verifier accepts FILE (pgp: gpg; smime:
# openssl cms and gpgsm) and GMime does.
verify_all() {
	local d=$1.d
	cut "$1"
	case $2 in
	pgp)
		gpg --batch --verify "$d/sig" "$d/part"
		;;
	smime)
		openssl cms -verify -binary -inform DER -in "$d/sig" \
		    -content "$d/part" -CAfile "$MC_CA_CERT" \
		    -purpose smimesign -out /dev/null
		gpgsm --batch --verify "$d/sig" "$d/part"
		;;
	esac
	"$GMIME_VERIFY" "$1"
}

# each_verifier_fails FILE PROTO: no verifier accepts FILE.
each_verifier_fails() {
	local d=$1.d
	cut "$1"
	case $2 in
	pgp)
		not gpg --batch --verify "$d/sig" "$d/part"
		;;
	smime)
		not openssl cms -verify -binary -inform DER -in "$d/sig" \
		    -content "$d/part" -CAfile "$MC_CA_CERT" \
		    -purpose smimesign -out /dev/null
		not gpgsm --batch --verify "$d/sig" "$d/part"
		;;
	esac
	not "$GMIME_VERIFY" "$1"
}

# micalg_is FILE VALUE
micalg_is() {
	cut "$1"
	[ "$(cat "$1.d/micalg")" = "$2" ] || { cat "$1.d/micalg" >&2; return 1; }
}

# same_tree A B: Python's email reads the same tree and decoded bytes in
# the entity A and in the first part of the multipart/signed B.
same_tree() {
	cut "$2"
	[ -f "$1.tree" ] || python3 "$PYTREE" "$1" | tail -n +2 >"$1.tree"
	python3 "$PYTREE" "$2.d/part" | tail -n +2 >"$2.tree"
	same "$1.tree" "$2.tree"
}

# sign_safe FILE: no line of FILE has trailing white space, is a lone "."
# or starts with "From ", and every byte is 7-bit.
sign_safe() {
	lacks_line "$1" '[[:blank:]]$'
	lacks_line "$1" '^\.$'
	lacks_line "$1" '^From '
	not grep -qP '[^\x00-\x7f]' "$1"
}

# signed_checks NAME PROTO MICALG FILE: the checks every signed output gets.
signed_checks() {
	local name=$1 proto=$2 micalg=$3 f=$4
	check "$name: every verifier accepts it" verify_all "$f" "$proto"
	check "$name: micalg is $micalg" micalg_is "$f" "$micalg"
	check "$name: its first part is the entity, same tree and bytes" \
	    same_tree entity.eml "$f"
	check "$name: it is sign-safe (7-bit, no trailing space, From or .)" \
	    sign_safe "$f"
	python3 "$SIGNED" relay "$f" "$f.relay"
	check "$name: still verifies after a relay's rewrite (trailing white space, line ends)" \
	    verify_all "$f.relay" "$proto"
	python3 "$SIGNED" mutate "$f" "$f.part" part
	check "$name: one byte changed in the signed part fails every verifier" \
	    each_verifier_fails "$f.part" "$proto"
	python3 "$SIGNED" mutate "$f" "$f.sig" sig
	check "$name: one byte changed in the signature fails every verifier" \
	    each_verifier_fails "$f.sig" "$proto"
}

expect_status 0 "mime-sign -u (Ed25519) signs" mime-sign -u "$MC_PGP_ED" entity.eml
cp "$OUT" pgp-ed.eml
signed_checks "OpenPGP Ed25519" pgp pgp-sha256 pgp-ed.eml
check "OpenPGP: the signature part is application/pgp-signature, signature.asc" \
    has_line pgp-ed.eml '^Content-Type: application/pgp-signature; name=signature.asc$'
check "OpenPGP: protocol is application/pgp-signature" \
    has_line pgp-ed.eml 'protocol="application/pgp-signature"'

expect_status 0 "mime-sign -u ADDRESS (RSA-3072) --crlf -o FILE signs" \
    mime-sign -u "$MC_PGP_RSA_UID" --crlf -o pgp-rsa.eml entity.eml
check "mime-sign -o writes nothing on standard output" is_empty "$OUT"
check "--crlf: every line ends in CRLF" crlf_only pgp-rsa.eml
signed_checks "OpenPGP RSA, CRLF" pgp pgp-sha512 pgp-rsa.eml

# gpg chooses the hash (here SHA-512 for RSA, SHA-256 for Ed25519, unless
# gpg.conf's personal-digest-preferences says otherwise): micalg follows
# it, and --digest may ask for the one gpg uses, no other.
echo 'personal-digest-preferences SHA256' >"$GNUPGHOME/gpg.conf"
expect_status 0 "mime-sign --digest sha256 signs where gpg.conf prefers SHA256" \
    mime-sign --digest sha256 -u "$MC_PGP_RSA" entity.eml
cp "$OUT" pgp-256.eml
check "OpenPGP RSA SHA-256: every verifier accepts it" verify_all pgp-256.eml pgp
check "OpenPGP RSA SHA-256: micalg is pgp-sha256" micalg_is pgp-256.eml pgp-sha256
rm -f "$GNUPGHOME/gpg.conf"
expect_status 0 "mime-sign --digest sha512 signs with RSA, as gpg does" \
    mime-sign --digest sha512 -u "$MC_PGP_RSA" entity.eml
expect_status 64 "mime-sign --digest sha512 exits 64 where gpg signs with SHA-256" \
    mime-sign --digest sha512 -u "$MC_PGP_ED" entity.eml
check "... saying which hash gpg uses" one_error_line mime-sign 'sha256'

# S/MIME.
expect_status 0 "mime-sign --smime --cert PEM --key PEM signs" \
    mime-sign --smime --cert "$MC_SMIME_RSA_CERT" --key "$MC_SMIME_RSA_KEY" \
    entity.eml
cp "$OUT" smime.eml
signed_checks "S/MIME RSA" smime sha-256 smime.eml
check "S/MIME: the signature part is application/pkcs7-signature, smime.p7s" \
    has_line smime.eml '^Content-Type: application/pkcs7-signature; name=smime.p7s$'
check "S/MIME: protocol is application/pkcs7-signature" \
    has_line smime.eml 'protocol="application/pkcs7-signature"'
cms_has_signer_cert() {
	cut smime.eml
	openssl pkcs7 -inform DER -in smime.eml.d/sig -print_certs |
	    grep -q 'CN *= *signer'
}
check "S/MIME: the signer's certificate is in the signature" cms_has_signer_cert

expect_status 0 "mime-sign --smime --cert PKCS#12 --digest sha512 --crlf signs" \
    mime-sign --smime --cert "$MC_SMIME_RSA_P12" --digest sha512 --crlf \
    entity.eml
cp "$OUT" smime-p12.eml
signed_checks "S/MIME PKCS#12 SHA-512, CRLF" smime sha-512 smime-p12.eml

# Ed25519 in CMS (RFC 8419) needs an OpenSSL that has it (not 3.0).
expect_status '0|65' "mime-sign --smime with an Ed25519 key signs or exits 65" \
    mime-sign --smime --cert "$MC_SMIME_ED_CERT" --key "$MC_SMIME_ED_KEY" \
    entity.eml
if [ -s "$OUT" ]; then
	cp "$OUT" smime-ed.eml
	check "S/MIME Ed25519: micalg is sha-512" micalg_is smime-ed.eml sha-512
else
	check "S/MIME Ed25519 refused: says the OpenSSL cannot" \
	    one_error_line mime-sign 'OpenSSL .* cannot sign CMS'
fi

# SOURCE_DATE_EPOCH: S/MIME RSA is byte for byte the same; OpenPGP's
# structure is (gpg picks the signing time).
reproducible() {
	SOURCE_DATE_EPOCH=1700000000 mime-sign --smime --cert "$MC_SMIME_RSA_CERT" \
	    --key "$MC_SMIME_RSA_KEY" entity.eml >r1.eml
	sleep 1
	SOURCE_DATE_EPOCH=1700000000 mime-sign --smime --cert "$MC_SMIME_RSA_CERT" \
	    --key "$MC_SMIME_RSA_KEY" entity.eml >r2.eml
	same r1.eml r2.eml
	verify_all r1.eml smime
}
check "S/MIME RSA under SOURCE_DATE_EPOCH is byte-reproducible and verifies" \
    reproducible
signing_time() {
	cut r1.eml
	openssl cms -cmsout -print -inform DER -in r1.eml.d/sig |
	    grep -A 2 signingTime | grep -q 'Nov 14 22:13:20 2023 GMT'
}
check "S/MIME signingTime is SOURCE_DATE_EPOCH" signing_time
pgp_structure() {
	SOURCE_DATE_EPOCH=1700000000 mime-sign -u "$MC_PGP_ED" entity.eml >p1.eml
	SOURCE_DATE_EPOCH=1700000000 mime-sign -u "$MC_PGP_ED" entity.eml >p2.eml
	same <(sed '/BEGIN PGP SIGNATURE/,$d' p1.eml) \
	    <(sed '/BEGIN PGP SIGNATURE/,$d' p2.eml)
}
check "OpenPGP under SOURCE_DATE_EPOCH: all but the signature is reproducible" \
    pgp_structure
# The entity made with the same SOURCE_DATE_EPOCH drew the same bytes
# for its boundary: the signed one must differ from it.
same_epoch() {
	export SOURCE_DATE_EPOCH=1700000000
	mime-multipart <(mime-text eight.txt) seven.ent >ep.eml
	mime-sign -u "$MC_PGP_ED" ep.eml >ep-signed.eml
	verify_all ep-signed.eml pgp
}
check "an entity made under the same SOURCE_DATE_EPOCH signs and verifies" same_epoch

# The signed part through a pipeline, as in the README.
pipeline() {
	mime-multipart <(mime-text eight.txt) <(mime-attach data.bin) |
	    mime-sign -u "$MC_PGP_ED_UID" |
	    mime-message -f "$MC_PGP_ED_UID" -s 'Nightly report' \
	    team@example.org >msg.eml
	check_eml msg.eml
	"$GMIME_VERIFY" msg.eml
}
check "mime-multipart | mime-sign | mime-message: a message GMime verifies" \
    pipeline

# Errors: the status, one line naming the key or file, and with -o
# nothing written (no FILE, no temporary file).
fails_clean() {	# STATUS REGEX SENTENCE ARGS...
	local want=$1 re=$2 sentence=$3
	shift 3
	rm -rf out && mkdir out
	expect_status "$want" "$sentence: exits $want" mime-sign -o out/s.eml "$@"
	check "$sentence: says so in one line" one_error_line mime-sign "$re"
	check "$sentence: writes nothing under -o" sh -c '[ -z "$(ls -A out)" ]'
}
fails_clean 65 "$MC_PGP_EXPIRED: the key has expired" \
    "an expired OpenPGP key" -u "$MC_PGP_EXPIRED" entity.eml
fails_clean 65 "$MC_PGP_REVOKED: the key is revoked" \
    "a revoked OpenPGP key" -u "$MC_PGP_REVOKED" entity.eml
fails_clean 65 "$MC_PGP_NOSIGN: no secret key" \
    "a public key without its secret key" -u "$MC_PGP_NOSIGN" entity.eml
fails_clean 65 "nobody@example.org: no secret key" \
    "a key that is not in the keyring" -u nobody@example.org entity.eml
fails_clean 65 "expired.pem: the certificate has expired" \
    "an expired S/MIME certificate" --smime --cert "$MC_SMIME_EXPIRED_CERT" \
    --key "$MC_SMIME_EXPIRED_KEY" entity.eml
fails_clean 65 "rcpt.pem: the certificate is not for S/MIME signing" \
    "a certificate for encryption only" --smime --cert "$MC_SMIME_RCPT_CERT" \
    --key "$MC_SMIME_RCPT_KEY" entity.eml
fails_clean 65 "the key does not match the certificate" \
    "a key that is not the certificate's" --smime --cert "$MC_SMIME_RSA_CERT" \
    --key "$MC_SMIME_RCPT_KEY" entity.eml
fails_clean 65 "not a MIME entity" "an input that is not an entity" \
    -u "$MC_PGP_ED" eight.txt
fails_clean 66 "missing.pem: No such file or directory" \
    "a certificate file that does not exist" --smime --cert missing.pem \
    --key "$MC_SMIME_RSA_KEY" entity.eml
cp "$MC_SMIME_RSA_KEY" unreadable.key
chmod 000 unreadable.key
if [ -r unreadable.key ]; then
	skip "an unreadable key file exits 66" "root reads any file"
else
	fails_clean 66 "unreadable.key: Permission denied" \
	    "a key file that cannot be read" --smime \
	    --cert "$MC_SMIME_RSA_CERT" --key unreadable.key entity.eml
fi
fails_clean 66 "missing.eml: No such file or directory" \
    "an ENTITY that does not exist" -u "$MC_PGP_ED" missing.eml
# No agent: a home that may not start one.
mkdir -m 700 noagent
cp -r "$GNUPGHOME"/pubring.kbx "$GNUPGHOME"/trustdb.gpg noagent/
echo no-autostart >noagent/gpg.conf
GNUPGHOME=$T/noagent fails_clean 69 "gpg-agent: cannot be reached" \
    "a keyring whose gpg-agent cannot be started" -u "$MC_PGP_ED" entity.eml
GNUPGHOME=$T/noagent gpgconf --kill all >/dev/null 2>&1
fails_clean 64 "" "--digest md5" --digest md5 entity.eml
fails_clean 64 "" "--pgp with --smime" --pgp --smime entity.eml
fails_clean 64 "" "--smime without --cert" --smime entity.eml
fails_clean 64 "" "--cert without --smime" --cert "$MC_SMIME_RSA_CERT" entity.eml
fails_clean 64 "" "two ENTITY operands" entity.eml entity.eml
fails_clean 64 "" "an empty -u" -u "" entity.eml
expect_status 74 "mime-sign into /dev/full exits 74" \
    sh -c 'mime-sign -u "$1" entity.eml >/dev/full' sh "$MC_PGP_ED"
expect_status 74 "mime-sign --smime into /dev/full exits 74" \
    sh -c 'mime-sign --smime --cert "$1" --key "$2" entity.eml >/dev/full' \
    sh "$MC_SMIME_RSA_CERT" "$MC_SMIME_RSA_KEY"

# Memory: the tool's own peak RSS does not grow with the entity (the
# optimised build; GNU time).  README, bench/sign.py: 1 GiB measured too.
rss() {	# SIZE-MIB ARGS...: peak RSS (KiB) of mime-sign over SIZE MiB
	local mib=$1
	shift
	head -c $((mib * 1024 * 1024)) /dev/zero | "$FAST/mime-attach" - >big.ent
	/usr/bin/time -f %M -o rss.out "$FAST/mime-sign" "$@" big.ent >/dev/null
	tail -n 1 rss.out
}
flat_rss() {	# ARGS...: under 8 MiB at 1 and at 64 MiB
	local small large
	small=$(rss 1 "$@")
	large=$(rss 64 "$@")
	echo "peak RSS: $small KiB at 1 MiB, $large KiB at 64 MiB" >&2
	[ "$small" -lt 8192 ] && [ "$large" -lt 8192 ] &&
	    [ "$large" -lt $((small + 1024)) ]
}
if [ -x /usr/bin/time ] && [ -x "$FAST/mime-sign" ]; then
	check "mime-sign (OpenPGP) peaks under 8 MiB, the same at 1 and 64 MiB" \
	    flat_rss -u "$MC_PGP_ED"
	check "mime-sign --smime peaks under 8 MiB, the same at 1 and 64 MiB" \
	    flat_rss --smime --cert "$MC_SMIME_RSA_CERT" --key "$MC_SMIME_RSA_KEY"
else
	skip "mime-sign's peak RSS stays under 8 MiB" "no /usr/bin/time or build/bin"
fi
rm -f big.ent
