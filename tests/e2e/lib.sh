# SPDX-License-Identifier: ISC
# Sourced by every tests/e2e/*.sh (bash).  One readable sentence per check:
#
#   check "SENTENCE" CMD [ARG]...
#       CMD runs in a subshell with set -e and pipefail, so a helper
#       function fails as soon as any of its steps (or any stage of a
#       pipeline) fails; its output is shown only when the check fails.
#   expect_status N "SENTENCE" CMD [ARG]...
#       CMD's exit status must be N (or one of "N|M"); its stdout is kept
#       in "$OUT" and its stderr in "$ERR" for the checks that follow.
#   skip "SENTENCE" "WHY"
# A sanitizer report on stderr fails a check whatever the status (a tool
# in a <(...) has a status no one sees).
#
# Helpers for inside checks (each explains itself on failure): same,
# has_line, lacks_line, is_empty, one_error_line, header, field_is,
# tree_is, crlf_only, no_cr, not, and check_eml (tests/e2e/check_eml.py).
#
# Tools are found on PATH ($MC_BIN first); $FAST holds the optimised ones.
# $T is a fresh temporary folder for this script, $FIX the fixtures.
# Use "not CMD" rather than "! CMD" inside helpers: set -e ignores "!".

# The variables below are for the scripts that source this file.
# shellcheck disable=SC2034

set -u
set -o pipefail

: "${E2E_ROOT:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${E2E_SCRIPT:=$(basename "$0")}"
if [ -z "${E2E_TMP:-}" ]; then
	# Run by hand, without tests/run-e2e.sh.
	E2E_TMP=$(mktemp -d)
	trap 'rm -rf "$E2E_TMP"' EXIT
fi
: "${E2E_RESULTS:=$E2E_TMP/results}"
: "${MC_BIN:=$E2E_ROOT/build/san/bin}"
: "${MC_FAST_BIN:=$E2E_ROOT/build/bin}"
: "${MC_TESTBIN:=$E2E_ROOT/build/tests}"
: "${ASAN_OPTIONS:=detect_leaks=1:abort_on_error=0:exitcode=99}"
: "${UBSAN_OPTIONS:=print_stacktrace=1:halt_on_error=1:exitcode=98}"
export ASAN_OPTIONS UBSAN_OPTIONS

ROOT=$E2E_ROOT
FIX=$ROOT/fixtures
T=$E2E_TMP
FAST=$MC_FAST_BIN
OUT=$T/.out
ERR=$T/.err
CHECK_EML=$ROOT/tests/e2e/check_eml.py
PATH=$MC_BIN:$PATH
export PATH
# The same environment for every run: no SOURCE_DATE_EPOCH unless a
# check sets it, a fixed zone and the C locale.
unset SOURCE_DATE_EPOCH
export TZ=UTC0 LC_ALL=C
umask 022
# No tool reads the terminal: standard input is empty unless a check
# redirects it.
exec </dev/null

_log=$T/.check.log

_record() {	# PASS|FAIL|SKIP sentence
	printf '%s\t%s\t%s\n' "$1" "$E2E_SCRIPT" "$2" >>"$E2E_RESULTS"
}

_show_failure() {	# sentence status log
	printf 'FAIL %s: %s (status %s)\n' "$E2E_SCRIPT" "$1" "$2"
	if [ -s "$3" ]; then
		head -n 40 "$3" | cut -c 1-300 | sed 's/^/    | /'
	fi
}

pass() {
	_record PASS "$1"
	if [ "${E2E_VERBOSE:-0}" = 1 ]; then
		printf 'ok   %s: %s\n' "$E2E_SCRIPT" "$1"
	fi
}

# A sanitizer's report, even from a tool in a <(...) whose status no one
# sees, fails the check.
_SAN_RE='ERROR: (Address|Leak)Sanitizer|SUMMARY: [A-Za-z]*Sanitizer|runtime error: '

check() {
	local sentence=$1 status
	shift
	(set -e -o pipefail; "$@") >"$_log" 2>&1
	status=$?
	if [ "$status" -eq 0 ] && grep -Eq "$_SAN_RE" "$_log"; then
		status="0, but a sanitizer reported an error"
	fi
	if [ "$status" = 0 ]; then
		pass "$sentence"
	else
		_record FAIL "$sentence"
		_show_failure "$sentence" "$status" "$_log"
	fi
	return 0
}

expect_status() {
	local want=$1 sentence=$2 status
	shift 2
	(set -o pipefail; "$@") >"$OUT" 2>"$ERR"
	status=$?
	if grep -Eq "$_SAN_RE" "$ERR"; then
		status="$status, with a sanitizer report"
	fi
	if [[ "|$want|" == *"|$status|"* ]]; then
		pass "$sentence"
	else
		_record FAIL "$sentence"
		{
			echo "expected status $want, got $status; stderr:"
			cat "$ERR"
		} >"$_log"
		_show_failure "$sentence" "$status" "$_log"
	fi
	return 0
}

skip() {
	_record SKIP "$1"
	printf 'skip %s: %s (%s)\n' "$E2E_SCRIPT" "$1" "$2"
}

# --- helpers for use inside checks -------------------------------------

not() {
	if "$@"; then
		echo "unexpectedly succeeded: $*" >&2
		return 1
	fi
	return 0
}

# check_eml [OPTIONS] FILE: tests/e2e/check_eml.py (see its --help).
check_eml() {
	python3 "$CHECK_EML" "$@"
}

# same FILE1 FILE2: byte-identical (diff -u shown otherwise).
same() {
	if ! cmp -s "$1" "$2"; then
		diff -u "$1" "$2" | head -n 60 >&2
		return 1
	fi
}

# has_line FILE REGEX (grep -E, whole file); lacks_line FILE REGEX.
has_line() {
	if ! grep -Eq -e "$2" "$1"; then
		echo "no line of $1 matches /$2/:" >&2
		head -n 30 "$1" >&2
		return 1
	fi
}
lacks_line() {
	if grep -Eq -e "$2" "$1"; then
		echo "a line of $1 matches /$2/:" >&2
		grep -En -e "$2" "$1" | head -n 10 >&2
		return 1
	fi
}

# is_empty FILE
is_empty() {
	if [ -s "$1" ]; then
		echo "$1 is not empty:" >&2
		head -c 2000 "$1" >&2
		return 1
	fi
}

# one_error_line TOOL [EXTENDED-REGEX]: "$ERR" is exactly one line
# "TOOL: ..." (err(3) form) that matches the regex too.
one_error_line() {
	local tool=$1 re=${2:-}
	if [ "$(wc -l <"$ERR")" -ne 1 ] || [ "$(tail -c 1 "$ERR" | od -An -c | tr -d ' ')" != '\n' ]; then
		echo "stderr is not exactly one line:" >&2
		cat "$ERR" >&2
		return 1
	fi
	if ! grep -q "^$tool: ..*" "$ERR"; then
		echo "stderr does not start with '$tool: ':" >&2
		cat "$ERR" >&2
		return 1
	fi
	if [ -n "$re" ] && ! grep -Eq -e "$re" "$ERR"; then
		echo "stderr does not match /$re/:" >&2
		cat "$ERR" >&2
		return 1
	fi
}

# header FILE NAME: the value of the first NAME field of the top header
# block, unfolded (no decoding); status 1 when there is none.
header() {
	awk -v name="$2" '
		BEGIN { name = tolower(name) ":" }
		{ sub(/\r$/, "") }
		/^$/ { exit }
		/^[ \t]/ { if (cur) val = val $0; next }
		{
			if (cur) exit
			if (tolower(substr($0, 1, length(name))) == name) {
				cur = found = 1
				val = substr($0, length(name) + 1)
			}
		}
		END { sub(/^[ \t]+/, "", val); if (!found) exit 1; print val }
	' "$1"
}

# tree_is FILE TREE [CHECK_EML OPTIONS...]: FILE passes check_eml and its
# tree (check_eml --tree: one line per part, nested by two spaces) is TREE.
tree_is() {
	local file=$1 want=$2
	shift 2
	check_eml --tree --quiet "$@" "$file" >"$T/.tree"
	printf '%s\n' "$want" >"$T/.tree.want"
	same "$T/.tree.want" "$T/.tree"
}

# field_is FILE NAME VALUE: header FILE NAME is VALUE.
field_is() {
	local got
	got=$(header "$1" "$2") || {
		echo "no $2 field in $1" >&2
		return 1
	}
	if [ "$got" != "$3" ]; then
		echo "$2: $got" >&2
		echo "not: $3" >&2
		return 1
	fi
}

crlf_only() {	# every line of FILE ends in CRLF, and no CR elsewhere
	python3 - "$1" <<-'EOF'
	import sys
	data = open(sys.argv[1], 'rb').read()
	if not data.endswith(b'\r\n'):
	    sys.exit('the output does not end in CRLF')
	if data.count(b'\n') != data.count(b'\r\n') or data.count(b'\r') != data.count(b'\r\n'):
	    sys.exit('a line ends in a bare LF, or a CR is not before an LF')
	EOF
}
no_cr() {	# FILE has no CR byte at all
	if LC_ALL=C grep -q "$(printf '\r')" "$1"; then
		echo "$1 has a CR" >&2
		return 1
	fi
}
