#!/bin/sh
# SPDX-License-Identifier: ISC
# Runs libFuzzer harnesses: run.sh BUILD SECONDS JOBS HARNESS...
# Each BUILD/fuzz_HARNESS runs SECONDS seconds, JOBS at a time, from the
# seeds in fixtures/fuzz/HARNESS/ (read only) and its growing corpus in
# BUILD/corpus/HARNESS/, with fuzz/HARNESS.dict when there is one.  Logs go
# to BUILD/log/, crashing inputs to BUILD/artifacts/.  Prints one line per
# harness (runs, corpus, result) and exits 1 when any found something.
# FUZZ_KEEP_GOING=1: go on after a finding (libFuzzer -fork=1
# -ignore_crashes=1, slower), to look past a known bug.
set -u
build=$1 seconds=$2 jobs=$3
mkdir -p "$build" && build=$(cd "$build" && pwd) || exit 2
shift 3
root=$(cd "$(dirname "$0")/.." && pwd) || exit 2
mkdir -p "$build/log" "$build/artifacts" || exit 2

# Larger inputs where the harness reads whole entities or drafts.
max_len() {
	case $1 in
	reader | signsafe) echo 65536 ;;
	draft) echo 16384 ;;
	b64 | qp | utf8) echo 20000 ;;
	*) echo 4096 ;;
	esac
}

run_one() {
	h=$1
	mkdir -p "$build/corpus/$h" "$root/fixtures/fuzz/$h" \
	    "$build/artifacts/previous"
	# Findings of earlier runs are kept apart, not counted again.
	for a in "$build/artifacts/$h-"*; do
		[ -e "$a" ] && mv "$a" "$build/artifacts/previous/"
	done
	dict= keep=
	[ -f "$root/fuzz/$h.dict" ] && dict=-dict=$root/fuzz/$h.dict
	[ -n "${FUZZ_KEEP_GOING:-}" ] && keep="-fork=1 -ignore_crashes=1"
	# shellcheck disable=SC2086
	"$build/fuzz_$h" -max_total_time="$seconds" -timeout=30 $keep \
	    -rss_limit_mb=2048 -max_len="$(max_len "$h")" \
	    -print_final_stats=1 -artifact_prefix="$build/artifacts/$h-" \
	    $dict "$build/corpus/$h" "$root/fixtures/fuzz/$h" \
	    >"$build/log/$h.log" 2>&1
	echo $? >"$build/log/$h.status"
}

set -- "$@"
while [ $# -gt 0 ]; do
	n=0
	while [ $# -gt 0 ] && [ "$n" -lt "$jobs" ]; do
		run_one "$1" &
		shift
		n=$((n + 1))
	done
	wait
done

failed=0
for log in "$build"/log/*.log; do
	h=$(basename "$log" .log)
	[ -f "$build/log/$h.status" ] || continue
	st=$(cat "$build/log/$h.status")
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	secs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	crashes=$(ls "$build/artifacts" | grep -c "^$h-")
	if [ -z "$runs" ]; then
		# -fork: "#RUNS: cov: ... exec/s N ... crash: a/b/c ..."
		runs=$(sed -n 's/^#\([0-9]*\): cov:.*/\1/p' "$log" | tail -n 1)
		secs=$(sed -n 's/^#[0-9]*: cov:.* exec\/s \([0-9]*\) .*/\1/p' "$log" |
		    tail -n 1)
	fi
	corpus=$(ls "$build/corpus/$h" | wc -l)
	if [ "$st" -eq 0 ] && [ "$crashes" -eq 0 ]; then
		result="nothing found"
	elif [ "$st" -eq 0 ]; then
		result="FOUND $crashes input(s): see $build/artifacts/$h-*"
		failed=1
	else
		result="FOUND something (status $st): see $log"
		failed=1
	fi
	printf 'fuzz %-8s %12s runs %8s/s  corpus %6s  %s\n' "$h" \
	    "${runs:-?}" "${secs:-?}" "$corpus" "$result"
	rm -f "$build/log/$h.status"
done
exit "$failed"
