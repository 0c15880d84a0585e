#!/bin/bash
# SPDX-License-Identifier: ISC
# SPEC 2: a file read twice (once to choose, once to write) that grows, is
# rewritten in place or is truncated in between fails the write (74,
# "TOOL: FILE: changed while the message was being written"), and -o FILE
# is left as it was.  No sleeps: each change is made at a moment the tool
# provably has read the file once and not yet again, fixed by a pipe it
# blocks on (see stalled and fed below).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$T" || exit 1
MSG='changed while the message was being written'

# change WAY FILE: FILE grows by a line with an 8-bit byte, or its last
# 12 bytes are rewritten (an 8-bit byte, a lone "." and a "From " line:
# the same length), or it loses its second half.
change() {
	local size
	size=$(stat -c %s "$2")
	case $1 in
	append)	printf 'tail \377\n' >>"$2" ;;
	overwrite)
		printf '\377\n.\nFrom me\n' |
		    dd of="$2" bs=1 seek=$((size - 12)) conv=notrunc \
		    2>/dev/null ;;
	truncate) truncate -s $((size / 2)) "$2" ;;
	esac
}

# stalled WAY FILE CMD...: CMD writes into a pipe read one byte at first.
# A tool writes nothing before it has read every input once, so with that
# byte there, the first pass is over; then it blocks on the full pipe
# having read at most the pipe, its 256 KiB buffer and one 64 KiB chunk of
# FILE's 4 MiB again, and FILE's last MiB is changed before it gets there.
stalled() {
	local way=$1 file=$2 pid status
	shift 2
	rm -f pipe
	mkfifo pipe
	"$@" >pipe &
	pid=$!
	exec 3<pipe
	dd bs=1 count=1 <&3 2>/dev/null
	change "$way" "$file"
	cat <&3
	exec 3<&-
	wait "$pid"
	status=$?
	rm -f pipe
	return "$status"
}

# fed WAY FILE: an entity (or, with "raw", a text) whose 1 MiB body goes
# into a pipe; once it is all in, the tool is spooling it, so it has
# scanned the inputs before this one, FILE among them; FILE is changed,
# and only then does the pipe end.
fed() {
	[ "${3:-}" = raw ] || printf 'Content-Type: text/plain\n\n'
	yes 'a line of the entity that is fed through a pipe' |
	    head -c 1048576
	change "$1" "$2"
}

# fresh: the inputs as they were before any change.
fresh() {
	yes 'a line of plain ASCII text that will be changed' |
	    head -c 4194304 >big.txt
	{ printf 'Subject: a log\n\n'; cat big.txt; } >big.eml
	{ printf 'Content-Type: text/plain\n\n'; cat big.txt; } >big.ent
	printf 'line one\nline two\nline three\n' >small.txt
	{ printf 'Content-Type: text/plain\n\n'; cat small.txt; } >small.ent
	printf 'the old message\n' >out.eml
}

# untouched: -o FILE still holds what it did, and no temporary file is left.
untouched() {
	printf 'the old message\n' | same - out.eml
	if ls -A | grep -q '^\.out\.eml\.'; then
		echo "a temporary file is left" >&2
		return 1
	fi
}

for way in append overwrite truncate; do
	fresh
	expect_status 74 "mime-text: a file that changes by $way while it is written fails" \
	    stalled "$way" big.txt mime-text big.txt
	check "mime-text: ... says so in one line, and the changed bytes are not sent" \
	    eval 'one_error_line mime-text "^mime-text: big.txt: $MSG\$" && not grep -q $'"'"'\377'"'"' "$OUT"'

	fresh
	expect_status 74 "mime-attach: a text/* file that changes by $way while it is written fails" \
	    stalled "$way" big.txt mime-attach -t text/plain big.txt
	check "mime-attach: ... says so in one line" \
	    one_error_line mime-attach "^mime-attach: big.txt: $MSG\$"

	fresh
	expect_status 74 "mime-attach: a message/rfc822 file that changes by $way while it is written fails" \
	    stalled "$way" big.eml mime-attach big.eml
	check "mime-attach: ... names it" \
	    one_error_line mime-attach "^mime-attach: big.eml: $MSG\$"

	fresh
	expect_status 74 "mime-multipart: an ENTITY file that changes by $way while it is written fails" \
	    stalled "$way" big.ent mime-multipart big.ent
	check "mime-multipart: ... names it" \
	    one_error_line mime-multipart "^mime-multipart: big.ent: $MSG\$"

	fresh
	expect_status 74 "mime-multipart -o: an ENTITY file that changes by $way fails" \
	    mime-multipart -o out.eml small.ent <(fed "$way" small.ent)
	check "mime-multipart -o: ... names it and leaves FILE as it was" \
	    eval 'one_error_line mime-multipart "^mime-multipart: small.ent: $MSG\$" && untouched'

	for fill in 0 33; do
		fresh
		rm -f feed
		mkfifo feed
		{
			printf 'From: a@example.org\nTo: b@example.org\n\n'
			printf 'Hello.\n'
			for ((i = 0; i < fill; i++)); do
				printf '#text/plain small.ent>fill%d.txt\n' "$i"
			done
			printf '#text/plain small.txt\n#text/plain feed\n'
		} >changing.draft
		fed "$way" small.txt raw >feed &
		expect_status 74 "mime-compose -o: a part file ($fill before it) that changes by $way fails" \
		    mime-compose -o out.eml changing.draft
		wait
		check "mime-compose -o: ... names it and leaves FILE as it was" \
		    eval 'one_error_line mime-compose "^mime-compose: small.txt: $MSG\$" && untouched'
	done
done

# The same steps without a change go through: the checks above fail for
# the change, not for the way they run.
fresh
expect_status 0 "stalled on a pipe, an unchanged file goes through" \
    stalled none big.txt mime-text big.txt
check "... whole" eval '[ "$(wc -c <"$OUT")" -gt 4194304 ]'
expect_status 0 "fed through a pipe, an unchanged file goes through" \
    mime-multipart -o out.eml small.ent <(fed none small.ent)
check "... and -o FILE is written" has_line out.eml '^line three$'
