#!/bin/bash
# SPDX-License-Identifier: ISC
# A real MTA (issue 5): composes messages to a local user, hands each to
# Postfix's sendmail twice (sendmail -t, and sendmail -t -i), waits for both
# in the user's Maildir and checks that each delivered file, less the fields
# Postfix puts on top (Return-Path, X-Original-To, Delivered-To, Received),
# is the composed message byte for byte: with LF line ends (a CRLF message
# is compared with its LF form, as Postfix's sendmail stores lines) and
# without Bcc (sendmail -t takes it out).
#
# As root only.  Installs Postfix from Debian when it is missing (Local only,
# preseeded), unless another MTA owns /usr/sbin/sendmail.  Changes main.cf
# with postconf -e for local delivery into Maildir/ with no network service,
# and puts back the very same main.cf at the end; starts Postfix when it is
# not running and stops it again (a Postfix that was running is reloaded);
# adds the user mctest when missing and removes it again.  A Postfix this
# script installed stays installed, stopped.
#
# Prints "ok mta NAME" or "FAIL mta NAME: WHY" per delivery (details below,
# indented), or one line "mta: skipped: WHY"; exits 1 when a check failed.
set -u
set -o pipefail

if [ "$(id -u)" -ne 0 ]; then
	echo "mta: skipped: not root"
	exit 0
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd) || exit 2
fix=$root/fixtures
: "${MC_BIN:=$root/build/bin}"
B=$MC_BIN
user=mctest
to=$user@localhost
wait_max=60
status=0

fail() {	# NAME WHY [DETAIL-FILE]
	echo "FAIL mta $1: $2"
	if [ -n "${3:-}" ] && [ -s "$3" ]; then
		head -n 30 "$3" | cut -c 1-300 | sed 's/^/    | /'
	fi
	status=1
}

# One run at a time on this machine (two make checks at once would stop
# each other's Postfix and remove each other's user).  Whatever may start
# Postfix runs with the lock's descriptor closed, so no daemon keeps it.
lock=/run/lock/mimecompose-mta.lock
[ -d /run/lock ] || lock=/tmp/mimecompose-mta.lock
exec 9>"$lock"
if ! flock -w 300 9; then
	echo "FAIL mta lock: another run of mta.sh held $lock for 300 s"
	exit 1
fi

# /var: Postfix writes its log (maillog_file) only below /var.
work=$(mktemp -d /var/tmp/mc-mta.XXXXXX) || exit 2
chmod 755 "$work"
cf=
backup=
started=0
reload_after=0
made_user=0
maildir=

# shellcheck disable=SC2317
cleanup() {
	set +e
	[ -n "${GNUPGHOME:-}" ] && gpgconf --kill all >/dev/null 2>&1
	if [ -n "$backup" ]; then
		if [ "$started" = 1 ]; then
			postfix stop >/dev/null 2>&1
		fi
		# Drop what is still queued for the test user, nothing else.
		postqueue -j 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    q = json.loads(line)
    if any(r.get("address", "").startswith("'"$user"'@") for r in q.get("recipients", [])):
        print(q["queue_id"])' | postsuper -d - >/dev/null 2>&1
		cp -p "$backup" "$cf"
		if [ "$reload_after" = 1 ]; then
			postfix reload >/dev/null 2>&1 9>&-
		fi
	fi
	if [ "$made_user" = 1 ]; then
		userdel -r "$user" >/dev/null 2>&1
	elif [ -n "$maildir" ]; then
		for f in "$work"/delivered.* "$work"/extra.*; do
			[ -e "$f" ] && xargs -d '\n' rm -f <"$f"
		done
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# --- Postfix --------------------------------------------------------------
installed() {
	dpkg-query -W -f='${Status}\n' postfix 2>/dev/null | grep -q '^install ok installed'
}
if ! installed; then
	if [ -e /usr/sbin/sendmail ]; then
		owner=$(dpkg -S /usr/sbin/sendmail 2>/dev/null | cut -d: -f1)
		echo "mta: skipped: /usr/sbin/sendmail is ${owner:-another MTA}'s; installing Postfix would replace it"
		exit 0
	fi
	echo "installing postfix (Local only)"
	debconf-set-selections <<-EOF
	postfix postfix/main_mailer_type select Local only
	postfix postfix/mailname string localhost.localdomain
	EOF
	export DEBIAN_FRONTEND=noninteractive
	apt_install() {
		apt-get install -y -qq --no-install-recommends postfix >"$work/apt.log" 2>&1 9>&-
	}
	if ! apt_install; then
		apt-get update -qq >"$work/apt.log" 2>&1
		if ! apt_install; then
			fail install "apt-get install postfix failed" "$work/apt.log"
			exit 1
		fi
	fi
	# Its postinst may have started it (no policy-rc.d): stop it at the end.
	if postfix status >/dev/null 2>&1; then
		started=1
	fi
fi

cf=$(postconf -h config_directory)/main.cf
backup=$work/main.cf
if ! cp -p "$cf" "$backup"; then
	backup=
	fail config "cannot back up $cf"
	exit 1
fi
# Local delivery only: no listener at all (master_service_disable), mail to
# other domains refused, Maildir/ in the user's home, a log we can show.
# shellcheck disable=SC2016
postconf -e 'myhostname = localhost.localdomain' 'mydomain = localdomain' \
    'myorigin = $myhostname' \
    'mydestination = $myhostname, localhost, localhost.$mydomain' \
    'inet_interfaces = loopback-only' 'master_service_disable = inet' \
    'default_transport = error' 'relay_transport = error' 'relayhost =' \
    'home_mailbox = Maildir/' 'mailbox_command =' 'mailbox_transport =' \
    'virtual_alias_maps =' 'canonical_maps =' 'sender_canonical_maps =' \
    'recipient_canonical_maps =' 'always_bcc =' 'header_checks =' \
    'smtp_header_checks =' 'milter_header_checks =' 'non_smtpd_milters =' \
    "maillog_file = $work/maillog" >"$work/postconf.log" 2>&1 ||
	{ fail config "postconf -e failed" "$work/postconf.log"; exit 1; }

if postfix status >/dev/null 2>&1; then
	[ "$started" = 1 ] || reload_after=1
	postfix reload >"$work/start.log" 2>&1 9>&- ||
		{ fail start "postfix reload failed" "$work/start.log"; exit 1; }
else
	started=1
	postfix start >"$work/start.log" 2>&1 9>&- ||
		{ fail start "postfix start failed" "$work/start.log"; exit 1; }
fi

if ! id "$user" >/dev/null 2>&1; then
	useradd -m "$user" || { fail user "useradd -m $user failed"; exit 1; }
	made_user=1
fi
maildir=$(getent passwd "$user" | cut -d: -f6)/Maildir

# --- the messages -----------------------------------------------------------
# compose NAME MODE: the message NAME, with Message-ID <mta-NAME-MODE@...>.
export SOURCE_DATE_EPOCH=1700000000 LC_ALL=C
compose() {
	local id="mta-$1-$2@example.org"
	local msg=(-f 'Alice Example <alice@example.org>' --message-id "$id")
	(
		cd "$fix" || exit 1
		case $1 in
		plain)
			"$B/mime-text" plain.txt |
			    "$B/mime-message" "${msg[@]}" -s 'MTA: plain' "Mc Test <$to>" ;;
		dots)	# lone dots and "From " lines: sendmail -t without -i
			"$B/mime-text" qp.txt |
			    "$B/mime-message" "${msg[@]}" -s 'MTA: dots and From' "$to" ;;
		eightbit)
			"$B/mime-text" -e 8bit chinese.txt |
			    "$B/mime-message" "${msg[@]}" -s 'MTA: 8bit 邮件' "$to" ;;
		mixed)
			"$B/mime-multipart" <("$B/mime-text" plain.txt) \
			    <("$B/mime-attach" logo.png) <("$B/mime-attach" allbytes.bin) \
			    <("$B/mime-attach" empty.dat) <("$B/mime-attach" 'résumé 2026.pdf') |
			    "$B/mime-message" "${msg[@]}" -s 'MTA: attachments' "$to" ;;
		nested)
			"$B/mime-multipart" \
			    <("$B/mime-multipart" -t alternative <("$B/mime-text" page.txt) \
				<("$B/mime-multipart" -t related <("$B/mime-html" logo.html) \
				    <("$B/mime-attach" --inline --id logo logo.png))) \
			    <("$B/mime-attach" forwarded.eml) |
			    "$B/mime-message" "${msg[@]}" -s 'MTA: nested, with a forward' "$to" ;;
		headers)	# Cc and Bcc to the same user: one delivery, no Bcc
			# shellcheck disable=SC1112
			"$B/mime-text" page.txt |
			    "$B/mime-message" "${msg[@]}" \
				-s 'MTA: Zoë’s long subject with 中文的词, folded over more than one line' \
				-c "\"Test, Mc\" <$to>" -b "Secret <$to>" \
				--reply-to 'Zoë Ü <zoe@example.org>' -H 'X-Mailer: mimecompose interop' \
				"$to" ;;
		crlf)
			"$B/mime-multipart" --crlf <("$B/mime-text" --crlf qp.txt) \
			    <("$B/mime-attach" --crlf logo.png) |
			    "$B/mime-message" --crlf "${msg[@]}" -s 'MTA: CRLF' "$to" ;;
		dkim)	# signed twice (issue 15): still verifies when delivered
			"$B/mime-text" plain.txt |
			    "$B/mime-message" "${msg[@]}" -s 'MTA: DKIM' "$to" |
			    "$B/mime-dkim" -d example.org -s rsa -k dkim/rfc8463-rsa.pem |
			    "$B/mime-dkim" -d example.org -s ed -k dkim/rfc8463-ed25519.pem ;;
		signed)	# issue 14: a signature that must survive the MTA
			"$B/mime-multipart" <("$B/mime-text" qp.txt) \
			    <("$B/mime-attach" logo.png) |
			    "$B/mime-sign" -u "$MC_PGP_ED" |
			    "$B/mime-message" "${msg[@]}" -s 'MTA: signed' "$to" ;;
		smime)
			"$B/mime-text" -e 8bit chinese.txt |
			    "$B/mime-sign" --smime --cert "$MC_SMIME_RSA_P12" |
			    "$B/mime-message" "${msg[@]}" -s 'MTA: S/MIME' "$to" ;;
		encrypted)	# an encrypted message must survive it too
			"$B/mime-multipart" <("$B/mime-text" qp.txt) \
			    <("$B/mime-attach" logo.png) |
			    "$B/mime-encrypt" --sign -u "$MC_PGP_ED" -r "$MC_PGP_RSA" |
			    "$B/mime-message" "${msg[@]}" -s 'MTA: encrypted' "$to" ;;
		smimeenc)
			"$B/mime-text" -e 8bit chinese.txt |
			    "$B/mime-encrypt" --smime -r "$MC_SMIME_RCPT_CERT" |
			    "$B/mime-message" "${msg[@]}" -s 'MTA: S/MIME encrypted' "$to" ;;
		compose)
			printf '%s\n' 'From: Alice Example <alice@example.org>' "To: $to" \
			    'Subject: MTA: from a draft, with “quotes”' "Message-ID: <$id>" '' \
			    'The menu is attached.' '' '#application/pdf compose-menu.pdf' \
			    '#text/plain compose-notes.txt>notes.txt' |
			    "$B/mime-compose" ;;
		esac
	)
}

names="plain dots eightbit mixed nested headers crlf compose dkim"
# Signed messages (mime-sign), with keys made for the run.
signed=
if command -v gpgconf >/dev/null 2>&1 && [ -x "$B/mime-sign" ] &&
    mkdir "$work/keys" && sh "$root/tests/crypto/keys.sh" "$work/keys" \
    >"$work/keys.sh" 2>"$work/err"; then
	. "$work/keys.sh"
	signed="signed smime"
	names="$names $signed"
elif [ -x "$B/mime-sign" ]; then
	fail keys "tests/crypto/keys.sh failed" "$work/err"
fi
# Encrypted messages (mime-encrypt), with the same keys; GMime decrypts
# S/MIME through gpgsm, which gets the recipient's key.
encrypted=
if [ -n "$signed" ] && [ -x "$B/mime-encrypt" ]; then
	encrypted="encrypted smimeenc"
	names="$names $encrypted"
	openssl pkcs12 -export -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES \
	    -macalg sha1 -in "$MC_SMIME_RCPT_CERT" -inkey "$MC_SMIME_RCPT_KEY" \
	    -passout pass: -out "$work/rcpt.p12" &&
	    gpgsm --batch --quiet --pinentry-mode loopback --passphrase-fd 0 \
	    --import "$work/rcpt.p12" <<<'' >"$work/err" 2>&1 ||
		fail keys "gpgsm does not take the recipient's key" "$work/err"
fi
sent=
for name in $names; do
	for mode in t ti; do
		eml=$work/$name-$mode.eml
		if ! compose "$name" "$mode" >"$eml" 2>"$work/err" || [ -s "$work/err" ]; then
			fail "$name/$mode" "composing failed" "$work/err"
			continue
		fi
		# What should arrive: LF lines, no Bcc field (sendmail -t).
		python3 - "$eml" "$eml.want" <<-'EOF'
		import re, sys
		data = open(sys.argv[1], 'rb').read().replace(b'\r\n', b'\n')
		head, sep, body = data.partition(b'\n\n')
		head = re.sub(rb'(?im)^bcc:.*\n(?:[ \t].*\n)*', b'', head + b'\n')[:-1]
		open(sys.argv[2], 'wb').write(head + sep + body)
		EOF
		if [ "$mode" = t ]; then
			opts=-t
		else
			opts='-t -i'
		fi
		# shellcheck disable=SC2086
		if ! /usr/sbin/sendmail $opts <"$eml" >"$work/err" 2>&1; then
			fail "$name/$mode" "sendmail $opts exited $?" "$work/err"
			continue
		fi
		sent="$sent $name-$mode"
	done
done

# --- delivery -----------------------------------------------------------------
# message_id FILE: the Message-ID of the top header block.
message_id() {
	awk '/^\r?$/ { exit } tolower($0) ~ /^message-id:/ {
		sub(/^[^:]*:[ \t]*/, ""); sub(/\r$/, ""); print; exit }' "$1"
}
waited=0
while :; do
	missing=0
	for m in $sent; do
		[ -e "$work/delivered.$m" ] && continue
		missing=$((missing + 1))
	done
	for f in "$maildir"/new/*; do
		[ -f "$f" ] || continue
		id=$(message_id "$f")
		case $id in
		"<mta-"*"@example.org>")
			m=${id#<mta-}
			m=${m%@example.org>}
			if [ ! -e "$work/delivered.$m" ]; then
				echo "$f" >"$work/delivered.$m"
				missing=$((missing - 1))
			elif [ "$(cat "$work/delivered.$m")" != "$f" ]; then
				echo "$f" >>"$work/extra.$m"
			fi ;;
		esac
	done
	[ "$missing" -le 0 ] && break
	if [ "$waited" -ge $((wait_max * 2)) ]; then
		break
	fi
	sleep 0.5
	waited=$((waited + 1))
done

# dkim_verifies FILE: both signatures pass dkimpy; Mail::DKIM passes the
# RSA one and cannot check the Ed25519 one (tests/e2e/dkim_verify.pl).
dkim_verifies() {
	local py=python3 s=0
	[ -x /usr/bin/python3 ] && py=/usr/bin/python3
	{
		"$B/mime-dkim" --dns -d example.org -s rsa -k "$fix/dkim/rfc8463-rsa.pem" &&
		    "$B/mime-dkim" --dns -d example.org -s ed \
			-k "$fix/dkim/rfc8463-ed25519.pem"
	} >"$work/dkim.keys" || return 1
	"$py" "$root/tests/e2e/dkim_verify.py" "$work/dkim.keys" "$1" || return 1
	perl "$root/tests/e2e/dkim_verify.pl" "$work/dkim.keys" "$1" || s=$?
	[ "$s" -eq 0 ] || [ "$s" -eq 3 ]
}

for m in $sent; do
	name=${m%-*}/${m##*-}
	if [ ! -e "$work/delivered.$m" ]; then
		{
			echo "not in $maildir/new after ${wait_max}s; queue:"
			postqueue -p 2>&1 | head -n 10
			echo "log:"
			tail -n 15 "$work/maillog" 2>/dev/null
		} >"$work/err"
		fail "$name" "not delivered" "$work/err"
		continue
	fi
	got=$(head -n 1 "$work/delivered.$m")
	# Postfix's own fields on top, with their continuation lines.
	awk 'BEGIN { top = 1 }
	     !top { print; next }
	     /^(Return-Path|X-Original-To|Delivered-To|Received):/ { next }
	     /^[ \t]/ { next }
	     { top = 0; print }' "$got" >"$work/got"
	if ! cmp -s "$work/got" "$work/$m.eml.want"; then
		diff -u "$work/$m.eml.want" "$work/got" >"$work/err"
		fail "$name" "the delivered message is not the one composed" "$work/err"
	elif [ "${m%-*}" = dkim ] && ! dkim_verifies "$got" >"$work/err" 2>&1; then
		fail "$name" "the delivered message does not verify" "$work/err"
	elif [ -e "$work/extra.$m" ]; then
		fail "$name" "delivered $(($(wc -l <"$work/extra.$m") + 1)) times"
	else
		echo "ok mta $name"
	fi
done

# The signed messages still verify from the Maildir: GMime, and gpg or
# openssl cms on the parts as signed.
: "${MC_TESTBIN:=$root/build/tests}"
for m in $sent; do
	case " $signed " in
	*" ${m%-*} "*) ;;
	*) continue ;;
	esac
	[ -e "$work/delivered.$m" ] || continue
	got=$(head -n 1 "$work/delivered.$m")
	rm -rf "$work/split" && mkdir "$work/split"
	if ! python3 "$root/tests/crypto/signed.py" split "$got" "$work/split" \
	    >"$work/err" 2>&1; then
		fail "${m%-*}/${m##*-}" "no multipart/signed delivered" "$work/err"
	elif [ "${m%-*}" = smime ] && ! openssl cms -verify -binary -inform DER \
	    -in "$work/split/sig" -content "$work/split/part" \
	    -CAfile "$MC_CA_CERT" -purpose smimesign -out /dev/null \
	    >"$work/err" 2>&1; then
		fail "${m%-*}/${m##*-}" "openssl cms -verify fails from the Maildir" \
		    "$work/err"
	elif [ "${m%-*}" = signed ] && ! gpg --batch --verify "$work/split/sig" \
	    "$work/split/part" >"$work/err" 2>&1; then
		fail "${m%-*}/${m##*-}" "gpg --verify fails from the Maildir" "$work/err"
	elif ! "$MC_TESTBIN/gmime-verify" "$got" >"$work/err" 2>&1; then
		fail "${m%-*}/${m##*-}" "GMime does not verify it from the Maildir" \
		    "$work/err"
	else
		echo "ok mta ${m%-*}/${m##*-}: verifies from the Maildir"
	fi
done

# The encrypted messages still decrypt from the Maildir, to the entity
# composed (Python's tree of the parts): gpg (with its signature) or openssl
# cms, and GMime.
for m in $sent; do
	case " $encrypted " in
	*" ${m%-*} "*) ;;
	*) continue ;;
	esac
	[ -e "$work/delivered.$m" ] || continue
	got=$(head -n 1 "$work/delivered.$m")
	name=${m%-*}/${m##*-}
	if [ "${m%-*}" = encrypted ]; then
		python3 -c '
import email, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
sys.stdout.buffer.write(m.get_payload(1).get_payload(decode=True))
' "$got" >"$work/asc" 2>"$work/err" &&
		    gpg --batch --status-fd 3 --decrypt "$work/asc" \
		    >"$work/plain" 3>"$work/status" 2>>"$work/err" &&
		    grep -q "^\[GNUPG:\] VALIDSIG $MC_PGP_ED " "$work/status"
	else
		openssl cms -decrypt -in "$got" -recip "$MC_SMIME_RCPT_CERT" \
		    -inkey "$MC_SMIME_RCPT_KEY" -out "$work/plain" >"$work/err" 2>&1
	fi
	st=$?
	if [ "$st" -ne 0 ]; then
		fail "$name" "it does not decrypt (and verify) from the Maildir" \
		    "$work/err"
	elif ! "$MC_TESTBIN/gmime-decrypt" "$got" >"$work/gplain" \
	    2>"$work/err"; then
		fail "$name" "GMime does not decrypt it from the Maildir" "$work/err"
	elif ! python3 "$root/tests/interop/pytree.py" "$work/plain" | tail -n +2 \
	    >"$work/t1" || ! python3 "$root/tests/interop/pytree.py" "$work/gplain" |
	    tail -n +2 >"$work/t2" || ! cmp -s "$work/t1" "$work/t2" ||
	    ! grep -q '	multipart/mixed	\|	text/plain	' "$work/t1"; then
		fail "$name" "the plaintexts of gpg/openssl and GMime differ" \
		    "$work/t1"
	else
		echo "ok mta $name: decrypts from the Maildir"
	fi
done
exit "$status"
