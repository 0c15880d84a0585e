#!/bin/bash
# SPDX-License-Identifier: ISC
# SPEC 2, the output: -o written atomically with the right mode, line
# endings, line lengths, lines safe for sendmail and mbox, reproducibility.
# "cat FILE | tool" makes a pipe on purpose; sh -c scripts are single-quoted.
# shellcheck disable=SC2002,SC2016
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$T" || exit 1
A='Alice Example <alice@example.org>'
B=bob@example.net
printf 'hello\n' >hello.txt
cp "$FIX/logo.png" "$FIX/page.html" "$FIX/page.txt" "$FIX/qp.txt" \
    "$FIX/chinese.txt" .
python3 -c '
open("bad-utf8.txt", "wb").write(b"hello\n" * 100 + b"\xff\n")
open("not-entity.txt", "wb").write(b"just text\n")
'
mime-text hello.txt >hello.ent 2>/dev/null

# --- -o ------------------------------------------------------------------------

# same_as_stdout TOOL ARGS...: with SOURCE_DATE_EPOCH, -o FILE holds what
# standard output gets, and standard output stays empty.
same_as_stdout() {
	export SOURCE_DATE_EPOCH=1700000000
	"$@" >stdout.eml
	"$1" -o o.eml "${@:2}" >o.stdout
	same stdout.eml o.eml
	is_empty o.stdout
}
check "mime-text -o FILE writes what standard output would, and nothing to standard output" \
    same_as_stdout mime-text qp.txt
check "mime-attach -o FILE writes what standard output would" \
    same_as_stdout mime-attach logo.png
check "mime-multipart -o FILE writes what standard output would" \
    same_as_stdout mime-multipart hello.ent hello.ent
check "mime-message -o FILE writes what standard output would" \
    same_as_stdout mime-message -f "$A" -s Hi -i hello.ent "$B"

mode_of() { stat -c %a "$1"; }

# new_file_mode UMASK WANT: a new -o file gets mode 0666 & ~UMASK.
new_file_mode() {
	rm -f new.eml
	(umask "$1" && mime-text -o new.eml hello.txt)
	[ "$(mode_of new.eml)" = "$2" ] || {
		echo "mode $(mode_of new.eml), not $2" >&2
		return 1
	}
}
check "-o creates a new file with mode 0644 under umask 022" new_file_mode 022 644
check "-o creates a new file with mode 0640 under umask 027" new_file_mode 027 640
check "-o creates a new file with mode 0600 under umask 077" new_file_mode 077 600

# keeps_mode MODE: replacing a file of mode MODE (under umask 027) keeps it.
keeps_mode() {
	printf 'old\n' >old.eml
	chmod "$1" old.eml
	(umask 027 && mime-text -o old.eml hello.txt)
	[ "$(mode_of old.eml)" = "$1" ] || {
		echo "mode $(mode_of old.eml), not $1" >&2
		return 1
	}
	mime-text hello.txt | same - old.eml
}
check "-o replacing a file of mode 0604 keeps mode 0604 and replaces the content" \
    keeps_mode 604
check "-o replacing a file of mode 0600 keeps mode 0600" keeps_mode 600

check "-o FILE in the current folder (no slash) works" \
    sh -c 'rm -f here.eml && mime-text -o here.eml hello.txt && test -s here.eml'
check "-o does not need \$TMPDIR: its temporary file is in FILE's folder" \
    sh -c 'rm -f here.eml && TMPDIR=/nonexistent mime-text -o here.eml hello.txt && test -s here.eml'

# untouched_on_failure CMD...: in a folder holding only old.eml (mode
# 0640), CMD -o old.eml ... fails; old.eml keeps its bytes and mode and
# the folder holds nothing else.
untouched_on_failure() {
	rm -rf ofail && mkdir ofail
	printf 'the old content\n' >ofail/old.eml
	chmod 640 ofail/old.eml
	cp -p ofail/old.eml old.copy
	local st=0
	"$1" -o ofail/old.eml "${@:2}" >/dev/null 2>ofail.err || st=$?
	if [ "$st" -eq 0 ]; then
		echo "the command succeeded" >&2
		return 1
	fi
	case $st in 98 | 99)
		cat ofail.err >&2
		return 1 ;;
	esac
	same old.copy ofail/old.eml
	[ "$(mode_of ofail/old.eml)" = 640 ] || {
		echo "mode changed to $(mode_of ofail/old.eml)" >&2
		return 1
	}
	[ "$(ls -A ofail)" = old.eml ] || {
		echo "the folder holds: $(ls -A ofail)" >&2
		return 1
	}
}
check "mime-text -o onto an existing file, on invalid UTF-8: the file is untouched, no temporary file is left" \
    untouched_on_failure mime-text bad-utf8.txt
check "mime-text -o onto an existing file, on a missing input: the file is untouched, no temporary file is left" \
    untouched_on_failure mime-text missing.txt
check "mime-attach -o onto an existing file, reading a folder (a read error): the file is untouched, no temporary file is left" \
    untouched_on_failure mime-attach .
check "mime-multipart -o onto an existing file, on a non-entity: the file is untouched, no temporary file is left" \
    untouched_on_failure mime-multipart hello.ent not-entity.txt
check "mime-multipart -o onto an existing file, when the second input is missing: the file is untouched, no temporary file is left" \
    untouched_on_failure mime-multipart hello.ent missing.ent
check "mime-message -o onto an existing file, on a bad address: the file is untouched, no temporary file is left" \
    untouched_on_failure mime-message -f alice -i hello.ent "$B"
check "mime-message -o onto an existing file, on a non-entity input: the file is untouched, no temporary file is left" \
    untouched_on_failure mime-message -f "$A" -i not-entity.txt "$B"
check "-o onto an existing folder exits 73 and leaves the folder alone" \
    sh -c 'mkdir -p adir && touch adir/keep; mime-text -o adir hello.txt 2>/dev/null; st=$?; [ "$st" -eq 73 ] && [ -d adir ] && [ "$(ls -A adir)" = keep ]'
self_output() {
	cp qp.txt self.txt
	mime-text -o self.txt self.txt
	check_eml --quiet --part text/plain=qp.txt self.txt
}
check "mime-text -o onto its own input encodes the whole original input" self_output
# A failure after the header went out: /proc/self/mem opens, and reading
# it from offset 0 fails (EIO).
if head -c 1 /proc/self/mem >/dev/null 2>&1; then
	skip "mime-attach -o onto an existing file, on a read error after the header: untouched" \
	    "/proc/self/mem reads without error here"
else
	check "mime-attach -o onto an existing file, on a read error (EIO) after the header: the file is untouched, no temporary file is left" \
	    untouched_on_failure mime-attach -t application/octet-stream -n mem.bin /proc/self/mem
fi

# --- line endings ---------------------------------------------------------------

# crlf_run NAME CMD...: CMD's output into NAME.eml, every line CRLF, and it
# parses.
crlf_run() {
	local name=$1
	shift
	"$@" >"$name.eml"
	crlf_only "$name.eml"
	check_eml --quiet --crlf "$name.eml"
}
lf_run() {
	local name=$1
	shift
	"$@" >"$name.eml"
	no_cr "$name.eml"
	check_eml --quiet --lf "$name.eml"
}
check "mime-text --crlf: every line of a 7bit text ends in CRLF" \
    crlf_run c1 mime-text --crlf page.txt
check "mime-text --crlf: every line of a quoted-printable text ends in CRLF" \
    crlf_run c2 mime-text --crlf qp.txt
check "mime-text --crlf: every line of a base64 text ends in CRLF" \
    crlf_run c3 mime-text --crlf chinese.txt
check "mime-html --crlf: every line ends in CRLF" crlf_run c4 mime-html --crlf page.html
check "mime-attach --crlf: every line of a base64 attachment ends in CRLF" \
    crlf_run c5 mime-attach --crlf logo.png
check "mime-multipart --crlf: every line ends in CRLF" \
    crlf_run c6 mime-multipart --crlf <(mime-text --crlf qp.txt) <(mime-attach --crlf logo.png)
check "mime-message --crlf: every line ends in CRLF" \
    crlf_run c7 mime-message --crlf -f "$A" -s Hi -i <(mime-text --crlf page.txt) "$B"
check "mime-message --crlf over an LF entity: every line ends in CRLF" \
    crlf_run c8 mime-message --crlf -f "$A" -s Hi -i <(mime-text qp.txt) "$B"
check "mime-multipart --crlf over LF entities: every line ends in CRLF" \
    crlf_run c9 mime-multipart --crlf <(mime-text qp.txt) <(mime-attach logo.png)
check "mime-text by default: no CR anywhere (7bit)" lf_run l1 mime-text page.txt
check "mime-text by default: no CR anywhere (quoted-printable)" lf_run l2 mime-text qp.txt
check "mime-text by default: no CR anywhere (base64)" lf_run l3 mime-text chinese.txt
check "mime-attach by default: no CR anywhere" lf_run l4 mime-attach logo.png
check "mime-multipart by default: no CR anywhere" \
    lf_run l5 mime-multipart <(mime-text qp.txt) <(mime-attach logo.png)
check "mime-message by default: no CR anywhere" \
    lf_run l6 mime-message -f "$A" -s Hi -i <(mime-text qp.txt) "$B"
check "mime-multipart by default over CRLF entities: no CR anywhere" \
    lf_run l7 mime-multipart <(mime-text --crlf qp.txt) <(mime-attach --crlf logo.png)
check "mime-message by default over a CRLF entity: no CR anywhere" \
    lf_run l8 mime-message -f "$A" -i <(mime-text --crlf qp.txt) "$B"
printf 'line one\r\nline two\r\n' >crlf-input.txt
printf 'line one\nline two\n' >lf-input.txt
crlf_text_same() {
	mime-text crlf-input.txt >ci.ent
	mime-text lf-input.txt >li.ent
	same li.ent ci.ent
}
check "mime-text: a text with CRLF line ends gives what the same text with LF gives" \
    crlf_text_same

# --- line lengths (check_eml checks 78/76/998 on every output) -------------------

python3 -c '
import sys
words = ["word%03d" % i for i in range(150)]
open("long-ascii-subject", "w").write(" ".join(words))
open("long-cjk-subject", "w").write("这是一个很长的中文主题，" * 12)
open("long-mixed-subject", "w").write(" ".join(["ASCII", "中文", "Zoë", "naïve", "plain"] * 20))
open("long-lines.txt", "w", encoding="utf-8").write(
    ("é" + "x" * 10000 + "\n") + ("y" * 2000 + "\n") + "short\n")
open("long-lines-ascii.txt", "w").write("z" * 5000 + "\n")
open("cjk-long.txt", "w").write("中文" * 3000 + "\n")
'
subject_ok() {	# FILE: a message with -s "$(cat FILE)" parses and decodes to it
	local s
	s=$(cat "$1")
	mime-message -f "$A" -s "$s" -i hello.ent "$B" >subj.eml
	check_eml --quiet --subject "$s" subj.eml
}
check "a 150-word ASCII Subject is folded at 78 columns and decodes back" \
    subject_ok long-ascii-subject
check "a long Chinese Subject becomes encoded-words on lines of at most 76 and decodes back" \
    subject_ok long-cjk-subject
check "a long Subject mixing ASCII and UTF-8 words is folded right and decodes back" \
    subject_ok long-mixed-subject
many_recipients() {
	local to=() i want=''
	for i in $(seq 1 60); do
		to+=("Recipient Number $i <r$i@example.com>")
		want+="${want:+, }Recipient Number $i <r$i@example.com>"
	done
	mime-message -f "$A" -i hello.ent "${to[@]}" >many.eml
	check_eml --quiet --to "$want" many.eml
}
check "sixty recipients are folded into lines of at most 78 and all kept in order" \
    many_recipients
long_header() {
	local v
	v=$(cat long-mixed-subject)
	mime-message -f "$A" -H "X-Long: $v" -i hello.ent "$B" >xl.eml
	check_eml --quiet --header "X-Long=$v" xl.eml
}
check "a long -H value is folded right and decodes back" long_header
long_lines() {	# FILE: mime-text FILE keeps lines short and decodes back
	mime-text "$1" >ll.eml
	check_eml --quiet --part "text/plain=$1" ll.eml
}
check "mime-text: lines of 10000 octets become encoded lines of at most 76 that decode back" \
    long_lines long-lines.txt
check "mime-text: an ASCII line of 5000 octets is not sent 7bit and decodes back" \
    long_lines long-lines-ascii.txt
check "mime-text: a long line of Chinese decodes back" long_lines cjk-long.txt

# --- lines safe for sendmail -t and mbox ----------------------------------------

python3 -c '
lines = ["Café: a non-ASCII letter, so the text is encoded anyway."]
for n in range(68, 82):
    lines.append("a" * n + ".")
    lines.append("a" * n + "From here")
    lines.append("a" * n + " From here")
    lines.append("a" * n + "=.")
lines += [".", "From the start", "..", ". ", "From", "From  two spaces", ">From quoted"]
open("tricky.txt", "w", encoding="utf-8").write("\n".join(lines) + "\n")
open("tricky-ascii.txt", "w").write("Hello\n.\nFrom me\nbye\n.\n")
open("end-dot.txt", "w").write("Hello\n.")
open("no-eol.txt", "w").write("Hello, no line end at the end")
open("no-eol-qp.txt", "w", encoding="utf-8").write("Grüße, no line end at the end")
open("tricky-crlf.txt", "wb").write(b"Hello\r\n.\r\nFrom me\r\nbye\r\n")
open("tricky.html", "w").write("<p>\nFrom the top\n.\n</p>\n")
'
safe_text() {	# TOOL FILE: no lone "." and no "From " line; decodes back
	"$1" "$2" >safe.eml
	check_eml --quiet --part "text/$([ "$1" = mime-html ] && echo html || echo plain)=$2" safe.eml
	lacks_line safe.eml '^Content-Transfer-Encoding: *(7bit|8bit)'
}
check "text with lone '.' and 'From ' lines at every soft-break position gets neither in the output, and decodes back" \
    safe_text mime-text tricky.txt
check "ASCII text with a lone '.' and a 'From ' line is sent encoded, not 7bit, and decodes back" \
    safe_text mime-text tricky-ascii.txt
check "CRLF text with a lone '.' and a 'From ' line is sent encoded and decodes back" \
    safe_text mime-text tricky-crlf.txt
check "HTML with a lone '.' and a 'From ' line is sent encoded and decodes back" \
    safe_text mime-html tricky.html
qp_chosen() {	# mostly-ASCII text with a From line: =46rom and =2E
	mime-text tricky-ascii.txt >qp.eml
	has_line qp.eml '^Content-Transfer-Encoding: quoted-printable'
	has_line qp.eml '^=46rom me'
	has_line qp.eml '^=2E$'
}
check "a mostly-ASCII text with such lines is quoted-printable, with '=46rom ' and '=2E'" \
    qp_chosen
check "a text ending in a lone '.' without a line end is encoded, decodes back, and the output ends in a line end" \
    safe_text mime-text end-dot.txt
ends_in_eol() {	# FILE [CHECK_EML OPTIONS]: decodes back exactly, last line ended
	local file=$1
	shift
	mime-text "$file" >eol.ent
	check_eml --quiet "$@" --part "text/plain=$file" eol.ent
	mime-message --crlf -f "$A" -i eol.ent "$B" >eol.eml
	check_eml --quiet "$@" --crlf --part "text/plain=$file" eol.eml
}
check "a quoted-printable text without a final line end decodes back exactly, and the output's last line ends in LF (or CRLF with --crlf)" \
    ends_in_eol no-eol-qp.txt
# SPEC 3 sends an ASCII text 7bit even without a final line end; then the
# body can only decode back exactly if the output's last line has no end.
check "a 7bit text without a final line end decodes back exactly, also with --crlf" \
    ends_in_eol no-eol.txt --no-final-eol
attach_text_safe() {
	mime-attach tricky-ascii.txt >at.eml
	check_eml --quiet --part filename=tricky-ascii.txt=tricky-ascii.txt at.eml
}
check "mime-attach of a text file with such lines keeps them out of the output" \
    attach_text_safe

# --- reproducibility -------------------------------------------------------------

compose() {	# a message with every kind of part, pipes included
	mime-multipart \
	    <(mime-multipart -t alternative <(cat page.txt | mime-text) \
	        <(mime-multipart -t related <(mime-html page.html) \
	            <(mime-attach --inline --id logo logo.png))) \
	    <(mime-text qp.txt) <(cat logo.png | mime-attach -n logo.png -) |
	mime-message -f "$A" -s 'Reproducible 可重现' -c carol@example.com "$B"
}
env_one() {
	mkdir -p tmp1
	export SOURCE_DATE_EPOCH=1700000000 TZ=UTC0 LC_ALL=C LANG=C \
	    HOSTNAME=alpha TMPDIR=$T/tmp1
	compose
}
env_two() {
	mkdir -p tmp2
	export SOURCE_DATE_EPOCH=1700000000 TZ=CST-8 LANG=zh_CN.UTF-8 \
	    LC_ALL=fr_FR.UTF-8 HOSTNAME=beta.example.net HOST=beta \
	    TMPDIR=$T/tmp2
	compose 2>/dev/null
}
same_twice() {
	(env_one) >r1.eml
	(env_two) >r2.eml
	same r1.eml r2.eml
	check_eml --quiet r1.eml
}
check "with SOURCE_DATE_EPOCH, two runs under other time zones, locales, host names and TMPDIRs give the same bytes" \
    same_twice
if unshare -u true 2>/dev/null; then
	other_host() {
		export -f compose env_two
		export A B T
		unshare -u bash -c 'hostname beta.example.net && env_two' >r3.eml
		same r1.eml r3.eml
	}
	check "with SOURCE_DATE_EPOCH, a run under another real host name (unshare --uts) gives the same bytes" \
	    other_host
else
	skip "with SOURCE_DATE_EPOCH, a run under another real host name gives the same bytes" \
	    "unshare --uts is not permitted here"
fi
check "with SOURCE_DATE_EPOCH, Date is that instant in UTC" \
    field_is r1.eml Date 'Tue, 14 Nov 2023 22:13:20 +0000'
check "the spool folders (\$TMPDIR) are empty after the runs" \
    sh -c '[ -d tmp1 ] && [ -z "$(ls -A tmp1)" ] && [ -z "$(ls -A tmp2)" ]'
msgid_domain() {
	header r1.eml Message-ID | grep -Eq '^<[^@<> ]+@example\.org>$' || {
		echo "Message-ID: $(header r1.eml Message-ID)" >&2
		return 1
	}
}
check "Message-ID is <unique@domain> with the domain of From" msgid_domain

boundaries() {	# FILE: every boundary parameter, one per line
	grep -o 'boundary=[^;]*' "$1" | sort
}
differ_without_epoch() {
	(unset SOURCE_DATE_EPOCH; compose) >u1.eml
	(unset SOURCE_DATE_EPOCH; compose) >u2.eml
	check_eml --quiet u1.eml
	[ "$(header u1.eml Message-ID)" != "$(header u2.eml Message-ID)" ] || {
		echo "the same Message-ID twice: $(header u1.eml Message-ID)" >&2
		return 1
	}
	boundaries u1.eml >b1
	boundaries u2.eml >b2
	[ "$(comm -12 b1 b2 | wc -l)" -eq 0 ] || {
		echo "boundaries repeated across runs:" >&2
		comm -12 b1 b2 >&2
		return 1
	}
	[ "$(sort -u b1 | wc -l)" -eq "$(wc -l <b1)" ] || {
		echo "a boundary is used twice in one message" >&2
		return 1
	}
}
check "without SOURCE_DATE_EPOCH, two runs give different Message-IDs and boundaries" \
    differ_without_epoch
local_date() {
	TZ=CST-8 mime-message -f "$A" -i hello.ent "$B" >ld.eml
	header ld.eml Date | grep -Eq '^[A-Z][a-z]{2}, [0-9]{1,2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} \+0800$' || {
		echo "Date: $(header ld.eml Date)" >&2
		return 1
	}
	python3 -c '
import email.utils, sys, time
d = email.utils.parsedate_to_datetime(sys.argv[1]).timestamp()
sys.exit(abs(d - time.time()) > 120)' "$(header ld.eml Date)"
}
check "without SOURCE_DATE_EPOCH, Date is now, in the local time zone (TZ=CST-8: +0800)" \
    local_date
date_is() {	# WANT ARGS...: mime-message ARGS writes Date: WANT
	local want=$1
	shift
	mime-message -f "$A" -i hello.ent "$@" "$B" >dt.eml
	field_is dt.eml Date "$want"
}
date_local() {
	export TZ=CST-8
	date_is 'Wed, 15 Nov 2023 06:13:20 +0800' --date @1700000000
}
date_epoch() {
	export TZ=CST-8 SOURCE_DATE_EPOCH=1
	date_is 'Tue, 14 Nov 2023 22:13:20 +0000' --date @1700000000
}
check "--date @SECONDS is written in the local time zone" date_local
check "--date @SECONDS is written in UTC under SOURCE_DATE_EPOCH" date_epoch
check "--date with an RFC 5322 date keeps it" \
    date_is 'Mon, 13 Nov 2023 12:00:00 +0100' --date 'Mon, 13 Nov 2023 12:00:00 +0100'
check "--date with an RFC 5322 date without the day name is accepted" \
    date_is 'Mon, 13 Nov 2023 12:00:00 +0100' --date '13 Nov 2023 12:00:00 +0100'
