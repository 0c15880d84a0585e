#!/bin/bash
# SPDX-License-Identifier: ISC
# Generated inputs, the same on every run (fixed seeds): texts built to hit
# the edges of quoted-printable (soft breaks next to escapes, dots, "From ",
# white space, long lines, CR), and header values built to hit the edges of
# folding and RFC 2047/2231 (long runs, specials, every script width).
# Every output must parse with no defect and decode back exactly.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$T" || exit 1
A='Alice <alice@example.org>'
B=bob@example.net
N=${E2E_FUZZ_N:-40}

python3 - "$N" <<'EOF'
import random, sys
n = int(sys.argv[1])
rnd = random.Random(2045)
atoms = ['a', 'Z', ' ', '\t', '.', '=', 'From ', 'é', 'ß', '中', '😀', '\r', '\0',
         '-', '_', '?', '=C3', '=\n', ' \n', '.\n', '\n', '\n.', '\nFrom ',
         '\r\n', 'x' * 70, 'y' * 75, 'z' * 76, '0123456789' * 8]
for i in range(n):
    k = rnd.randrange(1, 60)
    s = ''.join(rnd.choice(atoms) for _ in range(k))
    if rnd.random() < 0.7:
        s += '\n'
    open('t%02d.txt' % i, 'wb').write(s.encode('utf-8'))
words = ['plain', 'ASCII', 'Grüße', '中文的词', '😀😀', 'x' * 30, '=?utf-8?q?x?=',
         '"quoted"', 'semi;colon', 'back\\slash', '(paren)', 'a,b', '<angle>',
         'Überraschungsgeschenkverpackung', 'ça', 'тест', 'μ', "it's", '', '  ']
for i in range(n):
    k = rnd.randrange(1, 25)
    s = ' '.join(rnd.choice(words) for _ in range(k)).strip() or 'x'
    open('s%02d.subj' % i, 'w').write(s)
    name = ''.join(rnd.choice(words) for _ in range(rnd.randrange(1, 6))).strip() or 'y'
    name = ' '.join(name.split(' '))	# runs of spaces: tools.sh
    while '  ' in name:
        name = name.replace('  ', ' ')
    open('n%02d.name' % i, 'w').write(name)
EOF

# Texts: each one automatic, forced quoted-printable and forced base64, all
# in one multipart, decoded back part by part.
texts() {
	local i args=() parts=()
	for i in $(seq -f %02g 0 $((N - 1))); do
		mime-text "t$i.txt" >"t$i.a.ent"
		mime-text -e quoted-printable "t$i.txt" >"t$i.q.ent"
		mime-text -e base64 "t$i.txt" >"t$i.b.ent"
		parts+=("t$i.a.ent" "t$i.q.ent" "t$i.b.ent")
		args+=(--part "text/plain=t$i.txt" --part "text/plain=t$i.txt" --part "text/plain=t$i.txt")
	done
	mime-multipart "${parts[@]}" >texts.eml
	check_eml --quiet "${args[@]}" texts.eml
}
check "$N generated texts with escapes, dots, 'From ', spaces, CR and long lines decode back (automatic, quoted-printable and base64)" \
    texts
texts_crlf() {
	local i args=() parts=()
	for i in $(seq -f %02g 0 $((N - 1))); do
		mime-text --crlf -e quoted-printable "t$i.txt" >"t$i.c.ent"
		parts+=("t$i.c.ent")
		args+=(--part "text/plain=t$i.txt")
	done
	mime-multipart --crlf "${parts[@]}" >texts-crlf.eml
	check_eml --quiet --crlf "${args[@]}" texts-crlf.eml
}
check "the same texts, quoted-printable with --crlf, decode back" texts_crlf

# Many small messages: each check line goes to check_eml --batch.
# q WORD: WORD quoted for the shell (and for Python's shlex).
q() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

subjects() {
	local i s
	: >subjects.batch
	for i in $(seq -f %02g 0 $((N - 1))); do
		s=$(cat "s$i.subj")
		mime-message -f "$A" -s "$s" -i t00.a.ent "$B" >"s$i.eml"
		echo "--quiet --subject $(q "$s") s$i.eml" >>subjects.batch
	done
	python3 "$CHECK_EML" --batch subjects.batch
}
check "$N generated Subjects fold at 78 (76 with encoded-words) and decode back" subjects

filenames() {
	local i n
	: >filenames.batch
	for i in $(seq -f %02g 0 $((N - 1))); do
		n=$(cat "n$i.name")
		mime-attach -n "$n" t00.txt >"n$i.eml"
		echo "--quiet --part $(q "filename=$n=t00.txt") n$i.eml" >>filenames.batch
	done
	python3 "$CHECK_EML" --batch filenames.batch
}
check "$N generated file names decode back exactly" filenames

display_names() {	# the same words, as a quoted display name
	local i n e
	: >names.batch
	for i in $(seq -f %02g 0 $((N - 1))); do
		n=$(cat "n$i.name")
		e=${n//\\/\\\\}
		e=${e//\"/\\\"}
		mime-message -f "\"$e\" <alice@example.org>" -i t00.a.ent "$B" >"d$i.eml"
		echo "--quiet --display-name $(q "From=$n") d$i.eml" >>names.batch
	done
	python3 "$CHECK_EML" --batch names.batch
}
check "$N generated display names decode back exactly" display_names
