#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Checks that a composed message carries an input back byte for byte.

usage: check.py attach MESSAGE SHA256   a part decodes to exactly the
                                        bytes whose SHA-256 is given
       check.py base64 FILE SHA256      FILE is base64 text (the output of
                                        base64(1)) of those bytes
       check.py text MESSAGE FILE       the first text part decodes to
                                        FILE (line ends as LF, final line
                                        ends ignored)

Works on messages of any size in little memory: the file is mapped, parts
are found by their boundary, and base64 bodies are decoded 16 MiB at a
time.  Prints "ok" or what went wrong, and exits 0 or 1.  Handles what the
benchmark's composers write: one level of multipart, LF or CRLF, base64,
quoted-printable, 7bit and 8bit bodies.
"""
import binascii
import hashlib
import mmap
import re
import sys

CHUNK = 16 << 20


BLANK = re.compile(rb'\n\r?\n')


def header_end(mm, start):
    """Offset of the body after the header block at start."""
    m = BLANK.search(mm, start)
    return m.end() if m else len(mm)


def fields(block):
    """Header block to {lower-case name: unfolded value}."""
    text = re.sub(rb'\r?\n[ \t]+', b' ', block)
    out = {}
    for line in text.splitlines():
        name, sep, value = line.partition(b':')
        if sep and name.strip().lower() not in out:
            out[name.strip().lower()] = value.strip()
    return out


def parts(mm):
    """(fields, body start, body end) of each leaf part."""
    hend = header_end(mm, 0)
    top = fields(mm[0:hend])
    ctype = top.get(b'content-type', b'text/plain')
    m = re.search(rb'boundary="?([^";]+)"?', ctype, re.I)
    if not ctype.lower().startswith(b'multipart/') or not m:
        yield top, hend, len(mm)
        return
    delim = b'\n--' + m.group(1)
    pos = mm.find(b'--' + m.group(1))
    if pos == -1:
        return
    while True:
        # Skip the delimiter line; "--" after it closes the multipart.
        eol = mm.find(b'\n', pos)
        if eol == -1 or mm[pos + 2 + len(m.group(1)):
                           pos + 4 + len(m.group(1))] == b'--':
            return
        start = eol + 1
        nxt = mm.find(delim, start)
        end = len(mm) if nxt == -1 else nxt
        body = header_end(mm, eol)
        # RFC 2046 5.1.1: the line end before a delimiter is part of it.
        stop = end - 1 if end > body and mm[end - 1:end] == b'\r' else end
        yield fields(mm[start:body]), body, max(body, stop)
        if nxt == -1:
            return
        pos = nxt + 1


def decode_base64(mm, start, end, h):
    """Feeds the decoded body to h, CHUNK bytes of text at a time,
    cutting after a line end so that every piece is whole quads."""
    pos = start
    while pos < end:
        stop = min(end, pos + CHUNK)
        if stop < end:
            nl = mm.rfind(b'\n', pos, stop)
            if nl > pos:
                stop = nl + 1
        h.update(binascii.a2b_base64(mm[pos:stop]))
        pos = stop


def decoded(mm, f, start, end):
    cte = f.get(b'content-transfer-encoding', b'7bit').lower()
    if cte == b'base64':
        h = hashlib.sha256()
        decode_base64(mm, start, end, h)
        return h, None
    body = mm[start:end]
    if cte == b'quoted-printable':
        body = binascii.a2b_qp(body.replace(b'\r\n', b'\n'))
    return None, body


def text_form(b):
    return b.replace(b'\r\n', b'\n').rstrip(b'\n')


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ('attach', 'base64', 'text'):
        sys.exit(__doc__)
    mode, path, want = sys.argv[1:]
    with open(path, 'rb') as fp:
        try:
            mm = mmap.mmap(fp.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:
            print('empty message')
            return 1
    if mode == 'base64':
        h = hashlib.sha256()
        decode_base64(mm, 0, len(mm), h)
        ok = h.hexdigest() == want
        print('ok' if ok else 'does not decode to the input')
        return 0 if ok else 1
    if mode == 'text':
        with open(want, 'rb') as fp:
            want_text = text_form(fp.read())
    seen = []
    for f, start, end in parts(mm):
        ctype = f.get(b'content-type', b'text/plain').lower()
        h, body = decoded(mm, f, start, end)
        if mode == 'attach':
            if h is None:
                h = hashlib.sha256(body)
            if h.hexdigest() == want:
                print('ok')
                return 0
        elif ctype.startswith(b'text/'):
            if body is None:        # base64 text: small enough to keep
                body = binascii.a2b_base64(mm[start:end])
            if text_form(body) == want_text:
                print('ok')
                return 0
            print('the text part differs')
            return 1
        seen.append(ctype.split(b';')[0].decode(errors='replace'))
    print('no part decodes to the input (parts: %s)' % (', '.join(seen) or
                                                       'none'))
    return 1


if __name__ == '__main__':
    sys.exit(main())
