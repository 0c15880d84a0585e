#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""usage: part_sha256.py FILENAME < MESSAGE

Streams a message of any size from standard input, finds the base64 part
whose header block names FILENAME, and prints the SHA-256 of its decoded
body.  Memory stays small: the body is decoded a few thousand lines at a
time.  Fails (status 1) when there is no such part, when a base64 line is
longer than 76 characters or not valid base64, or when a line passes 998
octets anywhere."""

import binascii
import hashlib
import sys


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    name = sys.argv[1].encode()
    h = hashlib.sha256()
    state = 'header'        # header, body (the wanted part), other
    hdr = []
    batch = []
    found = done = False
    for line in sys.stdin.buffer:
        line = line.rstrip(b'\r\n')
        if len(line) > 998:
            sys.exit('a line of %d octets' % len(line))
        if state == 'body':
            if line.startswith(b'--') or line == b'':
                state, done = 'other', True
                continue
            if len(line) > 76:
                sys.exit('a base64 line of %d characters' % len(line))
            batch.append(line)
            if len(batch) >= 4096:
                h.update(binascii.a2b_base64(b''.join(batch)))
                batch = []
        elif state == 'header':
            if line == b'':
                text = b'\n'.join(hdr).lower()
                if (not done and name.lower() in text
                        and b'content-transfer-encoding: base64' in text):
                    state, found = 'body', True
                else:
                    state = 'other'
                hdr = []
            else:
                hdr.append(line)
        elif line.startswith(b'--'):
            state = 'header'
    if batch:
        h.update(binascii.a2b_base64(b''.join(batch)))
    if not found:
        sys.exit('no base64 part named %s' % sys.argv[1])
    print(h.hexdigest())


if __name__ == '__main__':
    main()
