#!/bin/sh
# SPDX-License-Identifier: ISC
# usage: deps.sh install|check [PACKAGE...]
# Installs the Debian packages that building and testing mimecompose need
# (or the PACKAGEs given) when they are missing: as root with apt-get,
# otherwise it names the command to run and fails.
set -eu
shift || true
# The interop tests read our output with GMime, mblaze, maildrop's
# reformime and mpack's munpack; tests/interop/mta.sh installs Postfix
# itself (it has to preseed debconf).  No recommends: maildrop's would
# bring exim4 and take /usr/sbin/sendmail.  The last line: signing and
# encryption (SPEC 6) build with GPGME and OpenSSL and are tested with gpg,
# gpgsm and openssl.
PKGS=${*:-"make gcc libc6-dev libb64-dev libcmocka-dev python3 time pkg-config
libgmime-3.0-dev mblaze maildrop mpack
gnupg gpgsm gpg-agent libgpgme-dev libssl-dev openssl"}
# Not Debian: nothing to check here; the compiler will say what is missing.
command -v dpkg-query >/dev/null 2>&1 || exit 0
missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "mimecompose: missing packages:$missing" >&2
	echo "mimecompose: run as root: apt-get install -y$missing" >&2
	exit 1
fi
echo "mimecompose: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2
