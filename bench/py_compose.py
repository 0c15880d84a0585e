#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""The Python peer for bench/bench.py: the standard library's email
package (policy=default) composes what mime-compose does and writes it to
standard output.

usage: py_compose.py -a NOTE FILE   short text NOTE + FILE attached
       py_compose.py -t FILE        FILE as the text body (UTF-8)
       py_compose.py -n N           N small messages in this process
"""
import email.generator
import email.policy
import email.utils
import sys
from email.message import EmailMessage


def new_message(subject):
    m = EmailMessage(policy=email.policy.default)
    m['From'] = 'Alice <alice@example.org>'
    m['To'] = 'Bob <bob@example.net>'
    m['Subject'] = subject
    m['Date'] = email.utils.formatdate(localtime=True)
    m['Message-ID'] = email.utils.make_msgid(domain='example.org')
    return m


def write(m, out):
    email.generator.BytesGenerator(out, policy=email.policy.default).flatten(m)


def main():
    out = sys.stdout.buffer
    mode = sys.argv[1] if len(sys.argv) > 1 else ''
    if mode == '-a' and len(sys.argv) == 4:
        m = new_message('Big')
        with open(sys.argv[2], encoding='utf-8') as f:
            m.set_content(f.read())
        with open(sys.argv[3], 'rb') as f:
            data = f.read()
        m.add_attachment(data, maintype='application', subtype='octet-stream',
                         filename=sys.argv[3].rsplit('/', 1)[-1])
        del data
        write(m, out)
    elif mode == '-t' and len(sys.argv) == 3:
        m = new_message('Text')
        with open(sys.argv[2], encoding='utf-8') as f:
            m.set_content(f.read())
        write(m, out)
    elif mode == '-n' and len(sys.argv) == 3:
        body = ('Hello Bob,\n\nthe meeting is moved to Thursday at ten.\n'
                '\nAlice\n')
        for _ in range(int(sys.argv[2])):
            m = new_message('A short message')
            m.set_content(body)
            out.write(m.as_bytes())
    else:
        sys.exit(__doc__)
    out.flush()


if __name__ == '__main__':
    main()
