#!/bin/bash
# SPDX-License-Identifier: ISC
# Output rules of SPEC 2 and 3 that a new user meets first: errors in one
# form, final line breaks, types, charsets, related roots, long words.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$T" || exit 1
A='Alice Example <alice@example.org>'
printf 'hello\n' >hello.txt
mime-text hello.txt >hello.ent

# --- every error is TOOL: WHAT: WHY, usage errors included -----------------

# usage WANT-REGEX TOOL ARGS...: exit 64, one line "TOOL: WHAT: WHY".
usage() {
	local re=$1
	shift
	expect_status 64 "$1 ${*:2}: a usage error" "$@"
	check "... in the form TOOL: WHAT: WHY ($re)" \
	    one_error_line "$1" "^$1: [^:]+: .+\$"
	check "... saying $re" one_error_line "$1" "$re"
}
for tool in mime-text mime-html mime-attach mime-multipart mime-message mime-compose; do
	usage "^$tool: --bogus: unknown option\$" $tool --bogus hello.txt
	usage "^$tool: -Z: unknown option\$" $tool -Z hello.txt
	usage "^$tool: --crlf: takes no argument\$" $tool --crlf=yes hello.txt
	usage "^$tool: -o: needs an argument\$" $tool -o
done
usage '^mime-multipart: ENTITY: none given \(- for standard input\)$' mime-multipart
usage '^mime-multipart: -: standard input given twice$' mime-multipart - -
usage '^mime-multipart: --start: needs -t related$' mime-multipart --start x hello.ent
usage '^mime-attach: FILE: none given \(- for standard input\)$' mime-attach
usage '^mime-attach: b: extra operand$' mime-attach a b
usage '^mime-text: -e: "9bit": use 7bit' mime-text -e 9bit hello.txt
usage '^mime-text: -n: needs --attachment or --inline$' mime-text -n x hello.txt
usage '^mime-text: --inline: excludes --attachment$' mime-text --attachment --inline hello.txt
usage '^mime-message: FROM: none given' mime-message -i hello.ent bob@example.org
usage '^mime-message: TO: none given' mime-message -f "$A" -i hello.ent
usage '^mime-message: -f: given twice' mime-message -f "$A" -f "$A" -i hello.ent b@x.org
usage '^mime-compose: b: extra operand$' mime-compose a b
