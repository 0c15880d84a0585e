#!/bin/bash
# SPDX-License-Identifier: ISC
# SPEC 2, streaming: memory does not grow with the size of a body.  Uses
# the optimised tools ($MC_FAST_BIN): the sanitizers' own memory would
# hide the tools'.  Peak RSS comes from GNU time (package "time").
# "cat FILE | tool" makes a pipe on purpose; sh -c scripts are single-quoted.
# shellcheck disable=SC2002,SC2016
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$T" || exit 1
export TMPDIR=$T/spool
mkdir -p "$TMPDIR"
LIMIT_KB=8192
SIZE=$((256 * 1024 * 1024))
TIME=/usr/bin/time

if [ ! -x "$TIME" ]; then
	skip "a 256 MiB attachment goes through with peak RSS under 8 MiB per tool" \
	    "no $TIME (Debian package time)"
	exit 0
fi
for t in mime-text mime-attach mime-multipart mime-message; do
	if [ ! -x "$FAST/$t" ]; then
		check "the optimised build has $t" test -x "$FAST/$t"
		exit 0
	fi
done

rss_under() {	# FILE: the peak RSS (KiB) GNU time wrote is under the limit
	local kb
	kb=$(tail -n 1 "$1")
	echo "peak RSS: $kb KiB" >&2
	[ "$kb" -lt "$LIMIT_KB" ]
}

head -c "$SIZE" /dev/urandom >big.bin
sha256sum <big.bin | cut -d ' ' -f 1 >big.sha
printf 'The 256 MiB file is attached.\n' >note.txt

big_pipeline() {
	export SOURCE_DATE_EPOCH=1700000000
	"$TIME" -f %M -o rss.attach "$FAST/mime-attach" big.bin |
	    "$TIME" -f %M -o rss.multipart "$FAST/mime-multipart" \
	        <("$FAST/mime-text" note.txt) - |
	    "$TIME" -f %M -o rss.message "$FAST/mime-message" \
	        -f 'Alice <alice@example.org>' -s 'Big' bob@example.net |
	    python3 "$ROOT/tests/e2e/part_sha256.py" big.bin >out.sha
}
check "a 256 MiB attachment goes through mime-attach | mime-multipart | mime-message" \
    big_pipeline
check "the 256 MiB attachment decodes back identical (SHA-256)" same big.sha out.sha
check "mime-attach of 256 MiB peaks under 8 MiB of RSS" rss_under rss.attach
check "mime-multipart over a 256 MiB entity on a pipe peaks under 8 MiB of RSS" \
    rss_under rss.multipart
check "mime-message over a 256 MiB entity peaks under 8 MiB of RSS" rss_under rss.message
check "the spool folder (\$TMPDIR) is empty afterwards" \
    sh -c '[ -z "$(ls -A "$TMPDIR")" ]'
rm -f big.bin

# A 64 MiB text from a pipe is spooled, read twice, and gives what the
# file gives.
python3 -c '
import sys
line = "Ünïcödé text, mostly ASCII, so it goes quoted-printable.\n".encode()
with open("big.txt", "wb") as f:
    for _ in range(64 * 1024 * 1024 // len(line)):
        f.write(line)
'
text_pipe() {
	export SOURCE_DATE_EPOCH=1700000000
	"$FAST/mime-text" big.txt | sha256sum >from-file.sha
	cat big.txt | "$TIME" -f %M -o rss.text "$FAST/mime-text" | sha256sum >from-pipe.sha
	same from-file.sha from-pipe.sha
}
check "mime-text of a 64 MiB text from a pipe gives what the file gives" text_pipe
check "mime-text of a 64 MiB text from a pipe peaks under 8 MiB of RSS" rss_under rss.text
check "mime-text removes its spool file" sh -c '[ -z "$(ls -A "$TMPDIR")" ]'
spool_removed_on_error() {
	if { cat big.txt; printf '\377\n'; } | "$FAST/mime-text" >/dev/null 2>err.txt; then
		echo "invalid UTF-8 was accepted" >&2
		return 1
	fi
	grep -q '^mime-text: ' err.txt
	[ -z "$(ls -A "$TMPDIR")" ]
}
check "mime-text removes its spool file when the piped text turns out invalid at its end" \
    spool_removed_on_error
check "mime-text of a 64 MiB file peaks under 8 MiB of RSS" \
    sh -c '"$0" -f %M -o rss.file "$1/mime-text" big.txt >/dev/null && [ "$(tail -n 1 rss.file)" -lt "$2" ]' \
    "$TIME" "$FAST" "$LIMIT_KB"
rm -f big.txt

# The library's own streaming test (tests/bigwrite.c): it writes a message
# with a large attachment, decodes it back as it streams, and checks its
# own peak RSS.
if [ -x "$MC_TESTBIN/bigwrite" ]; then
	check "bigwrite: the library streams a 1 GiB attachment that decodes back, in under 8 MiB" \
	    "$MC_TESTBIN/bigwrite" 1024 "$LIMIT_KB"
else
	skip "bigwrite: the library streams a 1 GiB attachment in under 8 MiB" \
	    "no $MC_TESTBIN/bigwrite"
fi
