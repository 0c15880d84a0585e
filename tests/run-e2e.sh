#!/bin/sh
# SPDX-License-Identifier: ISC
# Runs the end-to-end scripts tests/e2e/*.sh (or the ones named as operands,
# e.g. "sh tests/run-e2e.sh status.sh") and prints one summary line:
# "N passed, N failed" (", N skipped" when any); exits 1 when any failed.
#
# Environment (set by "make check"; defaults for a run by hand):
#   MC_BIN       tools to test (sanitized build: exit 98/99 on a finding)
#   MC_FAST_BIN  optimised tools, for memory measurements
#   MC_TESTBIN   test programs (build/tests)
#   E2E_VERBOSE  1: print every passing check too
set -u

root=$(cd "$(dirname "$0")/.." && pwd) || exit 2
. "$root/tests/env.sh"

if ! command -v bash >/dev/null 2>&1; then
	echo "run-e2e.sh: bash is needed for tests/e2e/*.sh" >&2
	exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/mc-e2e.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP
results=$work/results
: >"$results"

if [ $# -eq 0 ]; then
	set -- "$root"/tests/e2e/*.sh
fi
for script in "$@"; do
	case $script in
	*/*) ;;
	*) script=$root/tests/e2e/$script ;;
	esac
	name=$(basename "$script")
	[ "$name" = lib.sh ] && continue
	mkdir "$work/$name" || exit 2
	E2E_ROOT=$root E2E_TMP=$work/$name E2E_RESULTS=$results \
	    E2E_SCRIPT=$name bash "$script"
	status=$?
	# A script that stops early (a bug in the script, a killed tool)
	# fails one check of its own.
	if [ "$status" -ne 0 ]; then
		printf 'FAIL\t%s\t%s\n' "$name" \
		    "the script runs to its end (it exited $status)" >>"$results"
		printf 'FAIL %s: the script runs to its end (it exited %s)\n' \
		    "$name" "$status"
	fi
	rm -rf "${work:?}/$name"
	printf '%s: %s passed, %s failed\n' "$name" \
	    "$(grep -c "^PASS	$name	" "$results")" \
	    "$(grep -c "^FAIL	$name	" "$results")"
done

passed=$(grep -c '^PASS' "$results")
failed=$(grep -c '^FAIL' "$results")
skipped=$(grep -c '^SKIP' "$results")
if [ "$failed" -gt 0 ]; then
	echo "failed checks:"
	grep '^FAIL' "$results" | cut -f 2- | sed 's/	/: /; s/^/  /'
fi
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
