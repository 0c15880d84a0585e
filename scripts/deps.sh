#!/bin/sh
# SPDX-License-Identifier: ISC
# usage: deps.sh check|install [JOB|PACKAGE...]
# The Debian packages a job needs: build (make), test (make check), bench,
# fuzz, valgrind; or the PACKAGEs named.  Without JOBs: build and test.
#   check    names the missing ones and fails; installs nothing.
#   install  installs the missing ones with apt-get as root; otherwise
#            names the command to run and fails.
set -eu

# make: the compiler, libc's static archives (-static-pie), libb64, and
# libidn2 (IDNA 2008 domains) with libunistring's static archive, which
# libidn2's needs in a static link.
# mime-dkim, mime-sign and mime-encrypt link OpenSSL's libcrypto, the
# last two GPGME too.
BUILD_PKGS="make gcc libc6-dev libb64-dev libidn2-dev libunistring-dev
libssl-dev libgpgme-dev"
# make check: cmocka, Python 3 (the independent parser), GNU time (peak
# memory), and the other readers of our output: GMime (built with
# pkg-config), mblaze, maildrop's reformime, mpack's munpack.
# tests/interop/mta.sh installs Postfix itself (it has to preseed debconf).
# mime-dkim's signatures are checked by dkimpy and Mail::DKIM; mime-check
# reads CPython's email test messages (libpython3.11-testsuite, data only);
# signed and encrypted output is checked with gpg, gpgsm and openssl.
TEST_PKGS="libcmocka-dev python3 time pkg-config libgmime-3.0-dev mblaze
maildrop mpack python3-dkim libmail-dkim-perl libpython3.11-testsuite
gnupg gpgsm gpg-agent openssl"
# make bench: the peers it measures (GMime 3, makemime, mpack) and base64.
BENCH_PKGS="python3 pkg-config libgmime-3.0-dev maildrop mpack coreutils
python3-dkim gnupg gpg-agent openssl"
# make fuzz: clang and its libFuzzer.
FUZZ_PKGS="clang libclang-rt-14-dev"
# make valgrind
VALGRIND_PKGS="valgrind"

usage() {
	echo "usage: deps.sh check|install [build|test|bench|fuzz|valgrind|PACKAGE...]" >&2
	exit 64
}

[ $# -ge 1 ] || usage
mode=$1
shift
case $mode in
check|install) ;;
*) usage ;;
esac
[ $# -ge 1 ] || set -- build test
pkgs=
for a in "$@"; do
	case $a in
	build)		pkgs="$pkgs $BUILD_PKGS" ;;
	test)		pkgs="$pkgs $TEST_PKGS" ;;
	bench)		pkgs="$pkgs $BENCH_PKGS" ;;
	fuzz)		pkgs="$pkgs $FUZZ_PKGS" ;;
	valgrind)	pkgs="$pkgs $VALGRIND_PKGS" ;;
	*)		pkgs="$pkgs $a" ;;
	esac
done

# Not Debian: nothing to check here; the compiler will say what is missing.
command -v dpkg-query >/dev/null 2>&1 || exit 0
missing=
for p in $pkgs; do
	case " $missing " in *" $p "*) continue ;; esac
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "mimecompose: missing packages:$missing" >&2
if [ "$mode" = check ] || [ "$(id -u)" -ne 0 ]; then
	echo "mimecompose: run as root: apt-get install -y --no-install-recommends$missing" >&2
	exit 1
fi
echo "mimecompose: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
# No recommends: maildrop's would bring exim4 and take /usr/sbin/sendmail.
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2
