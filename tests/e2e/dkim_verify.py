# SPDX-License-Identifier: ISC
"""usage: dkim_verify.py KEYS MESSAGE

Verifies every DKIM-Signature of MESSAGE with dkimpy (python3-dkim), the
public keys coming from KEYS, not from the DNS: lines as "mime-dkim --dns"
prints them (NAME. IN TXT "text" "text"...).  A message with LF line ends
is read in its CRLF form, as it goes over SMTP.  Prints one line per
signature; exits 0 when all verify, 1 when one does not, 2 when there is
none or on a usage error.
"""
import re
import sys

import dkim


def records(path):
    keys = {}
    with open(path, 'rb') as f:
        for line in f:
            m = re.match(rb'(\S+)\s+IN\s+TXT\s+(.*)$', line.strip())
            if m:
                keys[m.group(1).lower()] = b''.join(
                    re.findall(rb'"([^"]*)"', m.group(2)))
    return keys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    keys = records(sys.argv[1])

    def dnsfunc(name, timeout=5):
        return keys.get(name.lower())

    data = open(sys.argv[2], 'rb').read()
    data = data.replace(b'\r\n', b'\n').replace(b'\n', b'\r\n')
    d = dkim.DKIM(data)
    n = sum(1 for name, _ in d.headers if name.lower() == b'dkim-signature')
    if n == 0:
        print('dkimpy: no DKIM-Signature')
        return 2
    status = 0
    for i in range(n):
        try:
            ok = d.verify(idx=i, dnsfunc=dnsfunc)
        except dkim.DKIMException as e:
            ok = False
            print('dkimpy: signature %d: %s' % (i + 1, e))
        print('dkimpy: signature %d: %s' % (i + 1, 'pass' if ok else 'fail'))
        status |= not ok
    return status


sys.exit(main())
