#!/bin/sh
# SPDX-License-Identifier: ISC
# The Debian packages "make bench" needs beyond "make deps": the peers it
# measures against (GMime 3, maildrop's makemime, mpack) and pkg-config to
# build bench/gmime_compose.c.  Kept apart from "make deps" so that
# "make check" (CI) never installs them.
exec sh "$(dirname "$0")/../scripts/deps.sh" install libgmime-3.0-dev \
	pkg-config maildrop mpack coreutils python3
