#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""The parts of a multipart/signed entity (RFC 1847 2.1), for verifiers.

signed.py split MESSAGE DIR   DIR/part: the first part, exactly as signed
                              (CRLF line ends, RFC 3156 5); DIR/sig: the
                              signature, decoded (armor or DER); DIR/micalg
                              and DIR/protocol: the parameters
signed.py relay IN OUT        what a relay may do: strip trailing white
                              space from every line, and turn CRLF into LF
                              (LF into CRLF when IN has LF)
signed.py mutate IN OUT WHERE one byte of IN changed: WHERE is "part" (in
                              the first part's body) or "sig" (in the
                              signature's data)

Reads the bytes itself, not through the email package, so that what it
hands the verifiers is what the file holds.
"""
import base64
import re
import sys


def top(data):
    """(header, body, boundary, params) of the entity in data."""
    m = re.search(rb"\r?\n\r?\n", data)
    if m is None:
        sys.exit("signed.py: no header block")
    header, body = data[:m.start()], data[m.end():]
    unfolded = re.sub(rb"\r?\n[ \t]", b" ", header)
    ct = re.search(rb"(?im)^content-type:(.*)$", unfolded)
    if ct is None or b"multipart/signed" not in ct.group(1).lower():
        sys.exit("signed.py: not multipart/signed")
    params = dict((k.lower().decode(), v.strip(b'"').decode())
                  for k, v in re.findall(rb';\s*([\w-]+)=("[^"]*"|[^;\s]+)',
                                         ct.group(1)))
    return header, body, params["boundary"].encode(), params


def parts(body, boundary):
    """[(start, end)] of each part in body: the line end before a
    delimiter belongs to the delimiter (RFC 2046 5.1.1)."""
    delim = re.compile(rb"(?m)^--" + re.escape(boundary) +
                       rb"(--)?[ \t]*\r?$")
    spans, start = [], None
    for m in delim.finditer(body):
        if start is not None:
            end = m.start()
            end -= 2 if body[end - 2:end] == b"\r\n" else 1
            spans.append((start, end))
        if m.group(1):
            break
        start = m.end() + (2 if body[m.end():m.end() + 2] == b"\r\n" else 1)
    if len(spans) != 2:
        sys.exit("signed.py: %d parts, not 2" % len(spans))
    return spans


def split(path, out):
    data = open(path, "rb").read()
    header, body, boundary, params = top(data)
    (a, b), (c, d) = parts(body, boundary)
    part = re.sub(rb"\r?\n", b"\r\n", body[a:b])
    open(out + "/part", "wb").write(part)
    sig = body[c:d]
    m = re.search(rb"\r?\n\r?\n", sig)
    sighead, sigbody = sig[:m.start()], sig[m.end():]
    if re.search(rb"(?i)content-transfer-encoding:\s*base64", sighead):
        sigbody = base64.b64decode(re.sub(rb"\s", b"", sigbody))
    open(out + "/sig", "wb").write(sigbody)
    open(out + "/micalg", "w").write(params.get("micalg", "") + "\n")
    open(out + "/protocol", "w").write(params.get("protocol", "") + "\n")


def relay(src, dst):
    data = open(src, "rb").read()
    crlf = b"\r\n" in data
    lines = re.split(rb"\r?\n", data)
    lines = [re.sub(rb"[ \t]+$", b"", line) for line in lines]
    open(dst, "wb").write((b"\n" if crlf else b"\r\n").join(lines))


def mutate(src, dst, where):
    data = bytearray(open(src, "rb").read())
    header, body, boundary, params = top(bytes(data))
    off = len(data) - len(body)
    (a, b), (c, d) = parts(body, boundary)
    if where == "part":
        # A letter or digit in the middle of the first part.
        i = off + (a + b) // 2
        step = 1
    else:
        # One in the signature's data near its end, where the signature
        # value is (before the armor's checksum line, if any).
        m = re.search(rb"\r?\n\r?\n", body[c:d])
        crc = body.rfind(b"\n=", c + m.end(), d)
        i = off + (crc if crc != -1 else d) - 30
        step = -1
    while not chr(data[i]).isalnum():
        i += step
    old = data[i]
    data[i] = ord("A") if old != ord("A") else ord("B")
    open(dst, "wb").write(bytes(data))


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "split":
        split(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "relay":
        relay(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "mutate":
        mutate(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
