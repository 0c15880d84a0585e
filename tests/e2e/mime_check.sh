#!/bin/bash
# SPDX-License-Identifier: ISC
# mime-check (SPEC 6, issue 16): the output form, the exit statuses, the
# options; and an outside corpus, CPython's email test messages, read
# against Python's email and GMime (tests/e2e/check_corpus.py).  That the
# tools' own output has no finding is checked wherever a message is parsed
# back (tests/e2e/check_eml.py).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$T" || exit 1

same_text() {	# FILE TEXT: FILE holds exactly the lines TEXT
	printf '%s\n' "$2" >"$T/.want"
	same "$T/.want" "$1"
}

H='From: a@example.org
Date: Wed, 25 Nov 2026 21:15:20 +0000
MIME-Version: 1.0'
printf '%s\nContent-Type: text/plain\n\nhi\n' "$H" >good.eml
printf '%s\nSubject: caf\303\251\nContent-Transfer-Encoding: base64\n\naGVs!bG8=\n' \
    "$H" >bad.eml
printf '%s\nContent-Type: text/plain\n\n.\n' "$H" >warn.eml
printf 'Content-Type: text/plain\n\nhi\n' >entity.eml

expect_status 0 "a message with no problem exits 0" mime-check good.eml
check "a message with no problem prints nothing" is_empty "$OUT"
expect_status 65 "a message with errors exits 65" mime-check bad.eml
check "each finding is FILE:LINE: SEVERITY: RULE: message, in input order" \
    same_text "$OUT" "bad.eml:4: error: header-8bit: raw 8-bit bytes in Subject (use RFC 2047)
bad.eml:7: error: b64-alphabet: '!' in a base64 body"
check "nothing goes to standard error" is_empty "$ERR"
expect_status 0 "warnings alone exit 0" mime-check warn.eml
check "a warning says warning" same_text "$OUT" \
    "warn.eml:6: warning: lone-dot: a line that is a lone \".\" (sendmail without -i ends the message there)"
expect_status 65 "--strict makes warnings fail" mime-check --strict warn.eml
expect_status 65 "-q: errors still exit 65" mime-check -q bad.eml
check "-q prints nothing" is_empty "$OUT"
expect_status 65 "a message without From or Date is an error" \
    mime-check entity.eml
expect_status 0 "--entity: an entity needs no From or Date" \
    mime-check --entity entity.eml
expect_status 65 "- reads standard input, named - in findings" \
    eval 'mime-check - <bad.eml'
check "standard input is named -" has_line "$OUT" '^-:4: error: header-8bit'
expect_status 65 "several FILEs: one bad is enough" \
    mime-check good.eml bad.eml warn.eml
check "several FILEs: each finding names its file" has_line "$OUT" \
    '^warn.eml:6: warning: lone-dot'
expect_status 66 "a missing FILE exits 66" mime-check good.eml missing.eml
check "a missing FILE is said in one line" one_error_line mime-check \
    'missing.eml'
expect_status 64 "no FILE is a usage error" mime-check
expect_status 64 "-o is no option of mime-check" mime-check -o x good.eml
expect_status 74 "a full standard output exits 74" \
    eval 'mime-check bad.eml >/dev/full'
expect_status 0 "--help exits 0" mime-check --help
check "--help shows the synopsis" has_line "$OUT" \
    '^usage: mime-check \[-q\] \[--strict\] \[--entity\] FILE \.\.\.\|-$'

# A long hostile input: findings, in bounded memory (memory.sh measures
# the 1 GiB case with the optimised build).
python3 - <<'EOF' >hostile.eml
import sys
w = sys.stdout.buffer.write
w(b'Content-Type: multipart/mixed; boundary=b\n' * 3 + b'\n')
for i in range(40):
    w(b'--b\nContent-Type: multipart/mixed; boundary=b%d\n\n--b%d\n' % (i, i))
w(b'X' * 300000 + b'\n' + b'=?utf-8?q?\xff?=\r\n' * 1000)
EOF
expect_status 65 "a hostile message gives findings, not a failure" \
    mime-check hostile.eml
check "the findings are those of a hostile message" has_line "$OUT" \
    'limit-depth|field-repeated'

# Streaming: the same peak RSS, under 8 MiB, for a 1 MiB and a 256 MiB
# message (the optimised build: the sanitizers' memory would hide it).
big_message() {	# MIB: a text + base64 message of about MIB MiB, CRLF
	python3 - "$1" <<'PY'
import binascii, os, sys
w = sys.stdout.buffer.write
w(b'From: a@example.org\r\nDate: Wed, 25 Nov 2026 21:15:20 +0000\r\n'
  b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n'
  b'\r\n--b\r\n\r\nhi\r\n--b\r\nContent-Transfer-Encoding: base64\r\n\r\n')
block = os.urandom(57 * 1024)
line = b''.join(binascii.b2a_base64(block[i:i + 57], newline=False) + b'\r\n'
                for i in range(0, len(block), 57))
for _ in range(int(sys.argv[1]) * 1024 * 1024 // len(line)):
    w(line)
w(b'--b--\r\n')
PY
}
rss_of() {	# MIB FILE: mime-check's peak RSS (KiB) on that message, in FILE
	big_message "$1" | /usr/bin/time -f %M -o "$2" "$FAST/mime-check" -
}
flat_rss() {
	local small big
	rss_of 1 rss.1 && rss_of 256 rss.256
	small=$(tail -n 1 rss.1) big=$(tail -n 1 rss.256)
	echo "peak RSS: $small KiB (1 MiB), $big KiB (256 MiB)" >&2
	[ "$big" -lt 8192 ] && [ "$big" -le $((small + 256)) ]
}
if [ -x /usr/bin/time ] && [ -x "$FAST/mime-check" ]; then
	check "a 256 MiB message is checked in the peak RSS of a 1 MiB one, under 8 MiB" \
	    flat_rss
else
	skip "a 256 MiB message is checked in the memory of a 1 MiB one" \
	    "no /usr/bin/time or no $FAST/mime-check"
fi

corpus=/usr/lib/python3.11/test/test_email/data
gmime=$MC_TESTBIN/gmime-tree
if [ ! -d "$corpus" ]; then
	skip "CPython's email test messages: every defect and warning has its finding" \
	    "no $corpus (Debian libpython3.11-testsuite)"
elif [ ! -x "$gmime" ]; then
	skip "CPython's email test messages: every defect and warning has its finding" \
	    "no $gmime (make check builds it)"
else
	check "CPython's email test messages: every Python defect and GMime warning has its finding, and every other finding is named with its reason" \
	    python3 "$ROOT/tests/e2e/check_corpus.py" "$(command -v mime-check)" \
	    "$gmime" "$corpus"/msg_*.txt
fi

# mime-check(1) lists every rule of the library's table (src/lib/check.c)
# with its severity and RFC section.
man_has_rules() {
	python3 - "$ROOT/src/lib/check.c" "$ROOT/man/mime-check.1" <<'PY'
import re, sys
src = open(sys.argv[1]).read()
man = open(sys.argv[2]).read()
rows = re.findall(r'\[R_\w+\] = \{ "([^"]+)", MC_(ERROR|WARNING),\s*"([^"]+)" \}',
                  src)
if len(rows) < 40:
    sys.exit('only %d rules read from check.c' % len(rows))
bad = ['%s (%s, %s)' % r for r in rows
       if '.It Li %s\n%s, %s: ' % (r[0], r[1].lower(), r[2]) not in man]
if bad:
    sys.exit('not in mime-check(1) as in the table: ' + ', '.join(bad))
PY
}
check "mime-check(1) lists every rule with its severity and RFC section" \
    man_has_rules
