#!/bin/sh
# SPDX-License-Identifier: ISC
# Interoperability (issue 5): puts a corpus of composed messages through
# independent parsers and a real MTA.
#
#   python     Python's email (policy=default): tests/interop/pytree.py finds
#              no defect, and tests/e2e/check_eml.py with the message's
#              expectations (parts decode to their inputs, headers decode as
#              composed) passes;
#   gmime      GMime 3 (tests/interop/gmime-tree.c): no parser warning, and
#              the tree it prints (types, charsets, file names, Content-IDs,
#              decoded headers, each leaf's sha256) is pytree.py's, byte
#              for byte;
#   mshow, reformime, munpack
#              mblaze, maildrop and mpack against Python's view
#              (tests/interop/compare.py);
#   mta        Postfix's sendmail -t into a Maildir (tests/interop/mta.sh);
#   mime-check this project's linter finds nothing (issue 16).
#
# The corpus (tests/interop/corpus.sh): every golden fixtures/*.eml and
# messages composed on the fly.  Prints per parser how many messages it saw,
# then one line "N passed, N failed" (", N skipped" when a parser's program
# is missing); exits 1 when any check failed.
#
# Environment (set by "make check"; defaults for a run by hand):
#   MC_BIN       tools that compose the corpus (sanitized build)
#   MC_FAST_BIN  optimised tools (unused here, accepted for symmetry)
#   MC_TESTBIN   test programs: gmime-tree is taken from there, or built
#                into a temporary folder when missing
#   INTEROP_VERBOSE  1: print every passing check too
set -u

root=$(cd "$(dirname "$0")/../.." && pwd) || exit 2
here=$root/tests/interop
. "$root/tests/env.sh"
export LC_ALL=C.UTF-8 PYTHONIOENCODING=utf-8

for need in bash python3; do
	if ! command -v "$need" >/dev/null 2>&1; then
		echo "interop: $need is needed" >&2
		exit 2
	fi
done
if [ ! -x "$MC_BIN/mime-message" ]; then
	echo "interop: no tools in $MC_BIN (run make)" >&2
	exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/mc-interop.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP
results=$work/results
: >"$results"

# record PASS|FAIL|KNOWN|SKIP PARSER MESSAGE [WHY]
record() {
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:-}" >>"$results"
	case $1 in
	FAIL) printf 'FAIL %s %s: %s\n' "$2" "$3" "${4:-}" ;;
	KNOWN) printf 'known %s %s: %s\n' "$2" "$3" "${4:-}" ;;
	PASS) [ "${INTEROP_VERBOSE:-0}" = 1 ] && printf 'ok %s %s\n' "$2" "$3" ;;
	esac
	return 0
}
# detail FILE: the first lines of FILE, indented, below a failure.
detail() {
	head -n 20 "$1" | cut -c 1-300 | sed 's/^/    | /'
}

# --- the corpus ---------------------------------------------------------
corpus=$work/corpus
if ! bash "$here/corpus.sh" "$corpus" >"$work/corpus.log" 2>&1; then
	record FAIL corpus corpus.sh "it exited $?"
	detail "$work/corpus.log"
fi
while IFS='	' read -r name why; do
	record FAIL corpus "$name" "$why"
done <"$corpus/failed"
msgs=
n=0
while IFS='	' read -r name dir; do
	msgs="$msgs $name"
	n=$((n + 1))
done <"$corpus/manifest"
echo "interop: corpus of $n messages ($(grep -c . "$corpus/failed") not composed)"

# --- Python's email -----------------------------------------------------
for name in $msgs; do
	dir=$(awk -F '\t' -v n="$name" '$1 == n { print $2 }' "$corpus/manifest")
	eml=$corpus/$name.eml
	compat=
	case $name in compat-*) compat=--compat-names ;; esac
	if ! python3 "$here/pytree.py" $compat "$eml" >"$corpus/$name.py" 2>"$work/err"; then
		record FAIL python "$name" "pytree.py: a defect"
		detail "$work/err"
		continue
	fi
	if head -n 1 "$corpus/$name.expect" | grep -q '^#nocheck'; then
		record KNOWN python "$name" \
		    "check_eml.py not run: $(head -n 1 "$corpus/$name.expect" | cut -c 10-)"
		continue
	fi
	# The .expect files are bash words, as in tests/e2e/golden.sh.
	# shellcheck disable=SC2016
	if bash -c 'cd "$1" && eval "exp=( $(cat "$2") )" &&
	    python3 "$3" --quiet "${exp[@]}" "$4"' - "$dir" "$corpus/$name.expect" \
	    "$root/tests/e2e/check_eml.py" "$eml" >"$work/err" 2>&1; then
		record PASS python "$name"
	else
		record FAIL python "$name" "check_eml.py"
		detail "$work/err"
	fi
done

# --- GMime 3 ------------------------------------------------------------
gmime=$MC_TESTBIN/gmime-tree
if [ ! -x "$gmime" ] && command -v pkg-config >/dev/null 2>&1 &&
    pkg-config --exists gmime-3.0; then
	gmime=$work/gmime-tree
	# shellcheck disable=SC2046
	${CC:-cc} -O1 -o "$gmime" "$here/gmime-tree.c" \
	    $(pkg-config --cflags --libs gmime-3.0) >"$work/err" 2>&1 || {
		record FAIL gmime gmime-tree.c "it does not build"
		detail "$work/err"
		gmime=
	}
fi
if [ -z "$gmime" ]; then
	:
elif [ ! -x "$gmime" ]; then
	record SKIP gmime - "no $MC_TESTBIN/gmime-tree and no gmime-3.0 (libgmime-3.0-dev)"
else
	for name in $msgs; do
		eml=$corpus/$name.eml
		if ! "$gmime" "$eml" >"$work/gm" 2>"$work/err"; then
			record FAIL gmime "$name" "GMime warns: $(head -n 1 "$work/err")"
			detail "$work/err"
		elif [ ! -s "$corpus/$name.py" ]; then
			record FAIL gmime "$name" "no Python tree to compare with"
		elif ! cmp -s "$work/gm" "$corpus/$name.py"; then
			record FAIL gmime "$name" "GMime's tree is not Python's"
			diff -u "$corpus/$name.py" "$work/gm" >"$work/err"
			detail "$work/err"
		else
			record PASS gmime "$name"
		fi
	done
fi

# --- mime-check (issue 16): no finding, not even a warning ----------------
# Every message of the corpus, those check_eml.py does not run on too.
for name in $msgs; do
	if "$MC_BIN/mime-check" --strict "$corpus/$name.eml" >"$work/err" 2>&1
	then
		record PASS mime-check "$name"
	else
		record FAIL mime-check "$name" "a finding"
		detail "$work/err"
	fi
done

# --- mblaze, maildrop, mpack --------------------------------------------
for prog in mshow:mblaze reformime:maildrop munpack:mpack; do
	cmd=${prog%%:*}
	pkg=${prog#*:}
	if ! command -v "$cmd" >/dev/null 2>&1; then
		record SKIP "$cmd" - "$cmd not installed (Debian package $pkg)"
		continue
	fi
	set --
	for name in $msgs; do
		set -- "$@" "$corpus/$name.eml"
	done
	[ $# -eq 0 ] && continue
	python3 "$here/compare.py" "$cmd" "$@" >"$work/cmp" 2>&1
	status=$?
	while IFS= read -r line; do
		case $line in
		"ok $cmd "*)
			name=${line#ok "$cmd" }
			record PASS "$cmd" "${name%.eml}" ;;
		"FAIL $cmd "*)
			rest=${line#FAIL "$cmd" }
			name=${rest%%: *}
			record FAIL "$cmd" "${name%.eml}" "${rest#*: }" ;;
		"known $cmd "*)
			rest=${line#known "$cmd" }
			name=${rest%%: *}
			record KNOWN "$cmd" "${name%.eml}" "${rest#*: }" ;;
		"    | "*)
			printf '%s\n' "$line" ;;
		*)
			record FAIL "$cmd" compare.py "$line" ;;
		esac
	done <"$work/cmp"
	if [ "$status" -ne 0 ] && ! grep -q "^FAIL" "$work/cmp"; then
		record FAIL "$cmd" compare.py "it exited $status"
	fi
done

# --- a real MTA ---------------------------------------------------------
bash "$here/mta.sh" >"$work/mta" 2>&1
status=$?
while IFS= read -r line; do
	case $line in
	"ok mta "*) record PASS mta "${line#ok mta }" ;;
	"FAIL mta "*)
		rest=${line#FAIL mta }
		record FAIL mta "${rest%%: *}" "${rest#*: }" ;;
	"mta: skipped: "*) record SKIP mta - "${line#mta: skipped: }" ;;
	*) printf '    | %s\n' "$line" ;;
	esac
done <"$work/mta"
if [ "$status" -ne 0 ] && ! grep -q '^FAIL	mta	' "$results"; then
	record FAIL mta mta.sh "it exited $status"
fi

# --- summary --------------------------------------------------------------
for p in corpus python gmime mime-check mshow reformime munpack mta; do
	seen=$(awk -F '\t' -v p="$p" '$2 == p && $1 != "SKIP"' "$results" | wc -l)
	pass=$(awk -F '\t' -v p="$p" '$2 == p && $1 == "PASS"' "$results" | wc -l)
	known=$(awk -F '\t' -v p="$p" '$2 == p && $1 == "KNOWN"' "$results" | wc -l)
	fail=$(awk -F '\t' -v p="$p" '$2 == p && $1 == "FAIL"' "$results" | wc -l)
	if grep -q "^SKIP	$p	" "$results"; then
		echo "$p: skipped: $(awk -F '\t' -v p="$p" '$1 == "SKIP" && $2 == p { print $4; exit }' "$results")"
	elif [ "$p" = corpus ]; then
		[ "$fail" -gt 0 ] && echo "corpus: $fail messages not composed"
	else
		line="$p: $seen messages seen, $((pass + known)) passed"
		[ "$known" -gt 0 ] && line="$line ($known with a known difference, above)"
		echo "$line, $fail failed"
	fi
done
passed=$(grep -c -e '^PASS' -e '^KNOWN' "$results")
failed=$(grep -c '^FAIL' "$results")
skipped=$(grep -c '^SKIP' "$results")
if [ "$failed" -gt 0 ]; then
	echo "failed checks:"
	grep '^FAIL' "$results" | cut -f 2- | sed 's/	/ /; s/	/: /; s/^/  /'
fi
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
