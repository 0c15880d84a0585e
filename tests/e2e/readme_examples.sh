#!/bin/bash
# SPDX-License-Identifier: ISC
# The README's pipelines, run exactly as written there (this file is their
# source of truth: change both together).  They are the equivalents of the
# three classic examples of Python's smtplib/email tutorials, plus the
# README's main job:
#  1. MIMEText(body, 'plain', 'utf-8') with From/To made by formataddr and a
#     Chinese Subject;
#  2. MIMEText(html, 'html', 'utf-8');
#  3. MIMEMultipart + MIMEBase('image', 'png') + encode_base64, with
#     Content-Disposition and a file name;
#  4. the main job: a Chinese text body, an HTML alternative and a PNG
#     attachment, written as an .eml file for sendmail -t.
# Each message must parse in Python's email with no defect and decode back
# to what went in: Subject, From, To, body, attachment.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$T" || exit 1
unset SOURCE_DATE_EPOCH
# The inputs the README assumes.
printf 'hello, send by mimecompose...\n你好，这是一封测试邮件。\n' >body.txt
cat >hello.html <<'EOF'
<html><body><h1>Hello</h1><p>send by <a href="https://www.python.org/">Python</a>... and by mimecompose.</p></body></html>
EOF
cat >body.html <<'EOF'
<p>你好，这是一封<b>测试</b>邮件。</p>
EOF
cp "$FIX/logo.png" test.png

FROM='Python爱好者 <from@example.com>'
TO='管理员 <to@example.com>'
SUBJECT='来自SMTP的问候……'

# --- the pipelines, as the README shows them --------------------------------

example_plain() {
	mime-text body.txt | mime-message -f 'Python爱好者 <from@example.com>' -s '来自SMTP的问候……' '管理员 <to@example.com>' > hello.eml
}
example_html() {
	mime-html hello.html | mime-message -f 'Python爱好者 <from@example.com>' -s '来自SMTP的问候……' '管理员 <to@example.com>' > hello-html.eml
}
example_png() {
	mime-multipart <(mime-text body.txt) <(mime-attach --id 0 -H 'X-Attachment-Id: 0' test.png) | mime-message -f 'Python爱好者 <from@example.com>' -s '来自SMTP的问候……' '管理员 <to@example.com>' > hello-png.eml
}
example_main() {
	mime-multipart <(mime-multipart -t alternative <(mime-text body.txt) <(mime-html body.html)) <(mime-attach test.png) | mime-message --crlf -f 'A <642423899@qq.com>' -s '邮件的主题' -o message.eml 'B <2545369032@qq.com>'
}

# --- checks ------------------------------------------------------------------

# runs NAME: the example runs with status 0 and nothing on stderr.
runs() {
	"example_$1" 2>"$1.err"
	is_empty "$1.err"
}
check "README example 1 (UTF-8 plain text) runs cleanly" runs plain
check "README example 1 parses with no defect; Subject, From, To and body decode back" \
    check_eml --quiet --message --shape text/plain --subject "$SUBJECT" \
    --from "$FROM" --to "$TO" --part text/plain=body.txt hello.eml
check "README example 1's body is text/plain; charset=utf-8" \
    tree_is hello.eml 'text/plain base64 charset=utf-8'

check "README example 2 (HTML) runs cleanly" runs html
check "README example 2 parses with no defect; Subject, From, To and HTML decode back" \
    check_eml --quiet --message --shape text/html --subject "$SUBJECT" \
    --from "$FROM" --to "$TO" --part text/html=hello.html hello-html.eml

check "README example 3 (text + PNG attachment) runs cleanly" runs png
check "README example 3 parses with no defect; the text and the PNG decode back" \
    check_eml --quiet --message --shape 'multipart/mixed(text/plain,image/png)' \
    --subject "$SUBJECT" --from "$FROM" --to "$TO" --part text/plain=body.txt \
    --part filename=test.png=test.png hello-png.eml
check "README example 3's PNG is an attachment named test.png, base64" \
    tree_is hello-png.eml "$(printf '%s\n' 'multipart/mixed' \
        '  text/plain base64 charset=utf-8' \
        "  image/png attachment filename='test.png' name='test.png' id=<0> base64")"
check "README example 3's PNG has the tutorial's X-Attachment-Id: 0" \
    has_line hello-png.eml '^X-Attachment-Id: 0$'

check "the README's main job (Chinese text, HTML alternative, PNG, --crlf -o) runs cleanly" \
    runs main
check "the main job's message.eml is CRLF, parses with no defect, and every part decodes back" \
    check_eml --quiet --message --crlf \
    --shape 'multipart/mixed(multipart/alternative(text/plain,text/html),image/png)' \
    --subject '邮件的主题' --from 'A <642423899@qq.com>' --to 'B <2545369032@qq.com>' \
    --part text/plain=body.txt --part text/html=body.html \
    --part filename=test.png=test.png message.eml

# Python's smtplib takes the file as it is: sendmail() wants a str or
# bytes with no bare LF issues, and the parsed message re-serialises.
smtplib_ready() {
	python3 - <<-'EOF'
	import email, email.policy, email.utils, sys
	for name in ("hello.eml", "hello-html.eml", "hello-png.eml", "message.eml"):
	    raw = open(name, "rb").read()
	    m = email.message_from_bytes(raw, policy=email.policy.SMTP)
	    addrs = [a for h in ("to", "cc", "bcc") for a in m.get_all(h, [])]
	    if not addrs:
	        sys.exit("%s: no recipients" % name)
	    m.as_bytes()   # what smtplib.send_message does
	EOF
}
check "all four messages are ready for smtplib.send_message" smtplib_ready
