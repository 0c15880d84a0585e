#!/bin/bash
# SPDX-License-Identifier: ISC
# The library example in README.md compiles, runs and writes a message.
. "$(dirname "$0")/lib.sh"

cd "$T" || exit 1
sed -n '/^```c$/,/^```$/p' "$ROOT/README.md" | sed '1d;$d' >example.c
printf '%%PDF-1.4\nnot really a PDF\n' >report.pdf

build_example() {
	cc -std=c11 -Wall -Wextra -Werror -I"$ROOT/include" -o example example.c \
	    "$ROOT/build/libmimecompose.a" -l:libb64.a -lidn2
}
check "the README's library example compiles without a warning" build_example
run_example() {
	./example >example.eml
	check_eml --quiet --message \
	    --shape 'multipart/mixed(text/plain,application/pdf)' \
	    --from 'Zoë <zoe@example.org>' --subject 'Rapport für März' \
	    --part filename=report.pdf=report.pdf example.eml
}
check "the README's library example writes a message Python parses" run_example
missing_file() {
	rm -f report.pdf
	not ./example >/dev/null 2>example.err
	has_line example.err '^example: report.pdf: No such file or directory$'
}
check "the README's library example reports a missing file in one line" missing_file
