#!/bin/sh
# SPDX-License-Identifier: ISC
# Installs (as root) or names (otherwise) the Debian packages that
# "make bench" needs beyond "make deps": the peers it measures against
# (GMime 3, maildrop's makemime, mpack), GNU time for peak RSS, and
# pkg-config to build bench/gmime_compose.c.  Kept apart from
# scripts/deps.sh so that "make check" (CI) never installs them.
set -eu
PKGS="libgmime-3.0-dev pkg-config maildrop mpack time coreutils python3"
missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "bench: missing packages:$missing" >&2
	echo "bench: run as root: apt-get install -y$missing" >&2
	exit 1
fi
echo "bench: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2
