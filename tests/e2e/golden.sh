#!/bin/bash
# SPDX-License-Identifier: ISC
# Golden files (STYLE "Tests, in three layers").
#
# fixtures/CASE.args holds one shell command line (bash, so <(...) works;
# backslash-newline continues it) that writes a message on standard output.
# It runs with the current folder fixtures/, $BIN pointing at the tools,
# SOURCE_DATE_EPOCH=1700000000, TZ unset and LC_ALL=C; its output must be
# byte for byte fixtures/CASE.eml (diff -u shown otherwise), with nothing on
# standard error.  fixtures/CASE.expect holds check_eml.py options (shell
# words, paths relative to fixtures/) that the output must also satisfy, so
# every golden message is parsed back and its parts compared with the
# inputs.
#
# After a deliberate change of output, regenerate the .eml files with
#     sh tests/e2e/golden.sh --update
# (it uses build/bin, or $MC_BIN), then read every changed fixtures/*.eml
# (git diff fixtures/) by eye before committing: the update trusts the
# tools, the review must not.
[ -z "${BASH_VERSION:-}" ] && exec bash "$0" "$@"

update=0
if [ "${1:-}" = --update ]; then
	update=1
	: "${MC_BIN:=$(cd "$(dirname "$0")/../.." && pwd)/build/bin}"
fi
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

EPOCH=1700000000

# run_case CASE OUTFILE ERRFILE: runs fixtures/CASE.args.
run_case() {
	(
		cd "$FIX" || exit 1
		BIN=$MC_BIN SOURCE_DATE_EPOCH=$EPOCH LC_ALL=C \
		    env -u TZ bash -o pipefail -c "$(cat "$1.args")"
	) >"$2" 2>"$3"
}

# expect_args CASE: the words of fixtures/CASE.expect into the array exp.
expect_args() {
	exp=()
	if [ -f "$FIX/$1.expect" ]; then
		eval "exp=( $(cat "$FIX/$1.expect") )"
	fi
}

ran_ok() {	# CASE: the command line succeeded, nothing on stderr
	run_case "$1" "$T/$1.out" "$T/$1.err" || {
		echo "status $?" >&2
		cat "$T/$1.err" >&2
		return 1
	}
	is_empty "$T/$1.err"
}

matches_golden() {	# CASE
	if [ ! -f "$FIX/$1.eml" ]; then
		echo "fixtures/$1.eml is missing: sh tests/e2e/golden.sh --update" >&2
		return 1
	fi
	same "$FIX/$1.eml" "$T/$1.out"
}

parses_back() {	# CASE
	expect_args "$1"
	(cd "$FIX" && check_eml --quiet "${exp[@]}" "$T/$1.out")
}

cases=()
for f in "$FIX"/*.args; do
	c=$(basename "$f" .args)
	cases+=("$c")
done

if [ "$update" = 1 ]; then
	status=0
	for c in "${cases[@]}"; do
		if ! run_case "$c" "$T/$c.out" "$T/$c.err" || [ -s "$T/$c.err" ]; then
			echo "golden.sh: $c: the command line failed:" >&2
			cat "$T/$c.err" >&2
			status=1
			continue
		fi
		if cmp -s "$T/$c.out" "$FIX/$c.eml"; then
			echo "unchanged fixtures/$c.eml"
		else
			cp "$T/$c.out" "$FIX/$c.eml"
			echo "UPDATED   fixtures/$c.eml  (review it: git diff fixtures/$c.eml)"
		fi
		parses_back "$c" || status=1
	done
	exit "$status"
fi

for c in "${cases[@]}"; do
	check "golden $c: the command line in fixtures/$c.args succeeds with nothing on stderr" \
	    ran_ok "$c"
	check "golden $c: the output is byte for byte fixtures/$c.eml" \
	    matches_golden "$c"
	check "golden $c: the output parses with no defect and every part decodes back (fixtures/$c.expect)" \
	    parses_back "$c"
done
