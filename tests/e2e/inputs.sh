#!/bin/bash
# SPDX-License-Identifier: ISC
# Inputs that must be refused or mended: file names from FILE operands,
# message/rfc822 bodies, binary entities, address groups, non-ASCII
# domains.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$T" || exit 1
A='Alice Example <alice@example.org>'
cp "$FIX/logo.png" logo.png

# --- file names taken from FILE -------------------------------------------

cp logo.png $'new\nline.png'
cp logo.png $'tab\there.png'
cp logo.png $'latin1-\351.png'
expect_status 65 "a FILE whose name has a line feed is refused, as with -n" \
    mime-attach $'new\nline.png'
check "... naming it on one line" one_error_line mime-attach '^mime-attach: new\\nline\.png: .*CR or LF'
expect_status 65 "a FILE whose name has a TAB is refused" \
    mime-attach $'tab\there.png'
check "... naming it" one_error_line mime-attach '^mime-attach: tab\\x09here\.png: .*TAB'
expect_status 65 "a FILE whose name is not UTF-8 is refused" \
    mime-attach $'latin1-\351.png'
check "... saying why" one_error_line mime-attach 'not valid UTF-8'
expect_status 65 "mime-text --attachment: the same for its FILE" \
    mime-text --attachment $'new\nline.png'
expect_status 0 "-n gives such a FILE a name of its own" \
    mime-attach -n line.png $'new\nline.png'
check "... which is used" has_line "$OUT" 'filename=line\.png'

expect_status 0 "a <(...) operand (/dev/fd/N) goes through" \
    mime-attach <(cat logo.png)
check "... with no file name, as standard input" \
    eval 'not grep -qi "name" "$OUT"'
expect_status 0 "mime-text --attachment <(...) goes through" \
    mime-text --attachment <(echo hello)
check "... with no file name either" \
    eval 'has_line "$OUT" "^Content-Disposition: attachment\$"'
