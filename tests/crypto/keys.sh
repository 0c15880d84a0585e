#!/bin/sh
# SPDX-License-Identifier: ISC
# usage: keys.sh DIR
# Makes throwaway keys for the signing and encryption tests in DIR (which
# must exist and be empty), and prints them as shell assignments for eval:
#
#   eval "$(sh tests/crypto/keys.sh "$dir")" || exit 2
#   trap 'gpgconf --homedir "$GNUPGHOME" --kill all; rm -rf "$dir"' EXIT
#
# OpenPGP, in GNUPGHOME=DIR/gnupg (no passphrases; the agent started for
# that home allows loopback pinentry and never prompts):
#   MC_PGP_ED, MC_PGP_ED_UID       Ed25519 signing key, Cv25519 subkey
#   MC_PGP_RSA, MC_PGP_RSA_UID     RSA-3072 signing key, RSA-3072 subkey
#   MC_PGP_EXPIRED                 Ed25519 key that expired in 2021
#   MC_PGP_REVOKED                 Ed25519 key, revoked
#   MC_PGP_NOSIGN                  a public key only (no secret key here)
#   MC_PGP_UNTRUSTED, .._UID       a public key of someone else, imported
#                                  with no trust (its user ID is not valid)
#   (fingerprints; the UIDs are the addresses)
# S/MIME, in DIR/smime (PEM; unencrypted keys; all issued by one CA, with
# extendedKeyUsage emailProtection and the address as subjectAltName):
#   MC_CA_CERT                     the CA certificate
#   MC_SMIME_RSA_CERT, .._KEY      RSA-3072 signer, signer@example.org
#   MC_SMIME_RSA_P12               the same as PKCS#12, empty password
#   MC_SMIME_ED_CERT, .._KEY       Ed25519 signer, edsigner@example.org
#   MC_SMIME_RCPT_CERT, .._KEY     RSA-3072 recipient, rcpt@example.org
#                                  (keyEncipherment only: not for signing)
#   MC_SMIME_EXPIRED_CERT, .._KEY  RSA signer whose certificate expired
# gpgsm, in the same GNUPGHOME, trusts the CA (trustlist.txt) and checks
# no CRLs, so gpgsm --verify works offline.
set -eu

dir=${1:?usage: keys.sh DIR}
dir=$(cd "$dir" && pwd)
export GNUPGHOME="$dir/gnupg"
mkdir -m 700 "$GNUPGHOME"
mkdir "$dir/smime"
cat >"$GNUPGHOME/gpg-agent.conf" <<'CONF'
allow-loopback-pinentry
pinentry-program /bin/false
CONF
echo disable-crl-checks >"$GNUPGHOME/gpgsm.conf"
gpgconf --homedir "$GNUPGHOME" --launch gpg-agent

g() {
	gpg --batch --quiet --no-tty --pinentry-mode loopback --passphrase '' \
	    "$@"
}
# The fingerprint of the primary key of UID, in the keyring.
fpr() {
	g --with-colons --list-keys "=$1" | awk -F: '$1 == "fpr" { print $10; exit }'
}

g --quick-gen-key 'Ed Signer <ed@example.org>' ed25519 sign 0 2>/dev/null
ed=$(fpr 'Ed Signer <ed@example.org>')
g --quick-add-key "$ed" cv25519 encr 0 2>/dev/null
g --quick-gen-key 'Rsa Signer <rsa@example.org>' rsa3072 sign 0 2>/dev/null
rsa=$(fpr 'Rsa Signer <rsa@example.org>')
g --quick-add-key "$rsa" rsa3072 encr 0 2>/dev/null
# Made in 2020, valid for a year.
g --faked-system-time 20200101T000000 --quick-gen-key \
    'Old Signer <expired@example.org>' ed25519 sign 1y 2>/dev/null
expired=$(fpr 'Old Signer <expired@example.org>')
g --quick-gen-key 'Gone Signer <revoked@example.org>' ed25519 sign 0 2>/dev/null
revoked=$(fpr 'Gone Signer <revoked@example.org>')
# The revocation certificate gpg made is disarmed by a leading ':'.
sed 's/^://' "$GNUPGHOME/openpgp-revocs.d/$revoked.rev" | g --import 2>/dev/null
# A public key only, and a stranger's key with no trust: made in a home of
# their own and imported here.
other="$dir/other"
mkdir -m 700 "$other"
GNUPGHOME="$other" g --quick-gen-key 'Pub Only <pubonly@example.org>' \
    ed25519 sign 0 2>/dev/null
GNUPGHOME="$other" g --quick-gen-key 'Stranger <stranger@example.org>' \
    ed25519 sign 0 2>/dev/null
GNUPGHOME="$other" g --quick-add-key "$(GNUPGHOME="$other" fpr \
    'Stranger <stranger@example.org>')" cv25519 encr 0 2>/dev/null
GNUPGHOME="$other" g --export | g --import 2>/dev/null
gpgconf --homedir "$other" --kill all
rm -rf "$other"
nosign=$(fpr 'Pub Only <pubonly@example.org>')
stranger=$(fpr 'Stranger <stranger@example.org>')
# Our own keys are ultimately trusted, so their user IDs are valid.
for k in "$ed" "$rsa" "$expired" "$revoked"; do
	echo "$k:6:"
done | g --import-ownertrust 2>/dev/null

# S/MIME: a CA, then certificates it issues.
s="$dir/smime"
ossl_ext() {	# FILE EMAIL KEYUSAGE
	cat >"$1" <<EXT
basicConstraints = CA:FALSE
keyUsage = critical, $3
extendedKeyUsage = emailProtection
subjectAltName = email:$2
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EXT
}
openssl req -x509 -new -newkey rsa:3072 -nodes -keyout "$s/ca.key" \
    -out "$s/ca.pem" -days 3650 -subj '/CN=mimecompose test CA' \
    -addext 'basicConstraints=critical,CA:TRUE' \
    -addext 'keyUsage=critical,keyCertSign,cRLSign' 2>/dev/null
issue() {	# NAME KEYSPEC EMAIL KEYUSAGE DAYS
	openssl genpkey $2 -out "$s/$1.key" 2>/dev/null
	openssl req -new -key "$s/$1.key" -subj "/CN=$1/emailAddress=$3" \
	    -out "$s/$1.csr" 2>/dev/null
	ossl_ext "$s/$1.ext" "$3" "$4"
	openssl x509 -req -in "$s/$1.csr" -CA "$s/ca.pem" -CAkey "$s/ca.key" \
	    -CAcreateserial -days "$5" -extfile "$s/$1.ext" \
	    -out "$s/$1.pem" 2>/dev/null
	rm -f "$s/$1.csr" "$s/$1.ext"
}
issue signer '-algorithm RSA -pkeyopt rsa_keygen_bits:3072' \
    signer@example.org 'digitalSignature, nonRepudiation' 3650
issue edsigner '-algorithm ED25519' edsigner@example.org \
    'digitalSignature, nonRepudiation' 3650
issue rcpt '-algorithm RSA -pkeyopt rsa_keygen_bits:3072' rcpt@example.org \
    'keyEncipherment' 3650
# Expired: valid from the start of 2020 for a day (openssl ca can
# backdate; openssl x509 cannot before OpenSSL 3.4).
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
    -out "$s/expired.key" 2>/dev/null
openssl req -new -key "$s/expired.key" \
    -subj '/CN=expired/emailAddress=expired@example.org' \
    -out "$s/expired.csr" 2>/dev/null
ossl_ext "$s/expired.ext" expired@example.org digitalSignature
mkdir "$s/ca"
: >"$s/ca/index.txt"
cat >"$s/ca.cnf" <<CNF
[ ca ]
default_ca = test
[ test ]
database = $s/ca/index.txt
new_certs_dir = $s/ca
serial = $s/ca/serial
default_md = sha256
policy = any
[ any ]
commonName = supplied
emailAddress = optional
CNF
echo 01 >"$s/ca/serial"
openssl ca -batch -config "$s/ca.cnf" -cert "$s/ca.pem" -keyfile "$s/ca.key" \
    -startdate 20200101000000Z -enddate 20200102000000Z \
    -extfile "$s/expired.ext" -in "$s/expired.csr" -out "$s/expired.pem" \
    -notext 2>/dev/null
rm -rf "$s/ca" "$s/ca.cnf" "$s/expired.csr" "$s/expired.ext"
openssl pkcs12 -export -in "$s/signer.pem" -inkey "$s/signer.key" \
    -certfile "$s/ca.pem" -passout pass: -out "$s/signer.p12" 2>/dev/null

# gpgsm: trust the CA for S/MIME verification, offline.
gpgsm --batch --quiet --import "$s/ca.pem" 2>/dev/null
cafpr=$(openssl x509 -in "$s/ca.pem" -noout -fingerprint -sha1 |
    sed 's/.*=//; s/://g')
echo "$cafpr S relax" >"$GNUPGHOME/trustlist.txt"
gpgconf --homedir "$GNUPGHOME" --reload gpg-agent

cat <<VARS
GNUPGHOME='$GNUPGHOME'; export GNUPGHOME
MC_PGP_ED='$ed'; MC_PGP_ED_UID='ed@example.org'
MC_PGP_RSA='$rsa'; MC_PGP_RSA_UID='rsa@example.org'
MC_PGP_EXPIRED='$expired'; MC_PGP_REVOKED='$revoked'
MC_PGP_NOSIGN='$nosign'
MC_PGP_UNTRUSTED='$stranger'; MC_PGP_UNTRUSTED_UID='stranger@example.org'
MC_CA_CERT='$s/ca.pem'
MC_SMIME_RSA_CERT='$s/signer.pem'; MC_SMIME_RSA_KEY='$s/signer.key'
MC_SMIME_RSA_P12='$s/signer.p12'
MC_SMIME_ED_CERT='$s/edsigner.pem'; MC_SMIME_ED_KEY='$s/edsigner.key'
MC_SMIME_RCPT_CERT='$s/rcpt.pem'; MC_SMIME_RCPT_KEY='$s/rcpt.key'
MC_SMIME_EXPIRED_CERT='$s/expired.pem'; MC_SMIME_EXPIRED_KEY='$s/expired.key'
VARS
