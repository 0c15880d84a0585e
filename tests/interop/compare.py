#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""usage: compare.py mshow|reformime|munpack MESSAGE...

Runs a real mail program on each MESSAGE and compares what it sees with
what Python's email package (policy=default) sees:

  mshow      mblaze's "mshow -t": the tree (depth and content type of every
             part), each leaf's decoded size, each file name;
  reformime  maildrop's "reformime": its sections (one per part) and the
             decoded bytes of every leaf ("reformime -e -s SECTION");
  munpack    mpack's "munpack -t": one file per leaf (every leaf of a
             multipart message; a lone 7bit or 8bit text part is not
             unpacked), with the
             leaf's content type; each file holds the leaf's decoded bytes
             (text with line ends made LF: munpack writes local text files).

Prints one line per message: "ok PROGRAM NAME", "FAIL PROGRAM NAME: WHY"
(details below it, indented), or "known PROGRAM NAME: WHY" for a
documented limitation of that program that does not come from our output
(each one is checked precisely; anything else fails).  Exit status 1 when
any message failed."""

import email
import email.policy
import os
import re
import shutil
import subprocess
import sys
import tempfile


class Part:
    def __init__(self, depth, msg, rfc822_body):
        self.depth = depth
        self.ctype = msg.get_content_type()
        self.leaf = not msg.is_multipart()
        self.text = msg.get_content_maintype() == 'text'
        self.filename = msg.get_filename()
        self.data = (msg.get_payload(decode=True) or b'') if self.leaf else None
        self.cte = str(msg.get('content-transfer-encoding', '7bit')).strip().lower()
        # The whole body of a message inside a message/rfc822 part.
        self.rfc822_body = rfc822_body and self.leaf
        # What a reader that knows no quoted-pair (RFC 5322 3.2.4) takes
        # for the file name: the quoted string up to its first '\"'.
        self.cut_name = None
        raw = dict((k.lower(), v) for k, v in msg.raw_items())
        for field, param in (('content-disposition', 'filename'),
                             ('content-type', 'name')):
            m = re.search(r'(?i);\s*%s="([^"]*\\)"' % param,
                          str(raw.get(field, '')))
            if m:
                self.cut_name = m.group(1)
                break


def parts_of(msg, depth=0, rfc822_body=False, out=None):
    """Python's view: every part in document order, depth as in mshow."""
    if out is None:
        out = []
    out.append(Part(depth, msg, rfc822_body))
    if msg.get_content_type() == 'message/rfc822':
        for inner in msg.get_payload():
            parts_of(inner, depth + 1, True, out)
    elif msg.is_multipart():
        for sub in msg.get_payload():
            parts_of(sub, depth + 1, False, out)
    return out


def lf(b):
    return b.replace(b'\r\n', b'\n')


def show(b, n=60):
    return repr(b[:n]) + ('...' if len(b) > n else '')


def run(argv, **kw):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          **kw)


# ---- mblaze: mshow -t ----------------------------------------------------

MSHOW_LINE = re.compile(r'^( *)(\d+): (\S+) size=(\d+)(?: name="(.*)")?$')


def check_mshow(path, parts, data):
    env = dict(os.environ, MBLAZE=tempfile.gettempdir() + '/mc-no-mblaze')
    r = run(['mshow', '-t', os.path.abspath(path)], env=env)
    if r.returncode != 0 or r.stderr:
        return 'fail', 'mshow -t exited %d' % r.returncode, [
            r.stderr.decode('utf-8', 'replace')]
    lines = r.stdout.decode('utf-8', 'surrogateescape').splitlines()[1:]
    got = []
    for ln in lines:
        m = MSHOW_LINE.match(ln)
        if not m:
            return 'fail', 'mshow -t printed a line it should not', [ln]
        got.append(((len(m.group(1)) - 2) // 2, m.group(3).lower(),
                    int(m.group(4)), m.group(5)))
    want = [(p.depth, p.ctype) for p in parts]
    if [g[:2] for g in got] != want:
        return 'fail', 'the tree differs', [
            'mshow:  %s' % [g[:2] for g in got], 'python: %s' % want]
    known = []
    for p, (depth, ctype, size, name) in zip(parts, got):
        if p.leaf and size != len(p.data):
            return 'fail', '%s at depth %d: size %d, Python decodes %d bytes' % (
                ctype, depth, size, len(p.data)), []
        if name != p.filename:
            if p.cut_name is not None and name == p.cut_name:
                known.append('mblaze 1.1 reads the quoted-pair in %r as %r'
                             % (p.filename, name))
                continue
            return 'fail', '%s at depth %d: file name %r, Python reads %r' % (
                ctype, depth, name, p.filename), []
    if known:
        return 'known', '; '.join(known), []
    return 'ok', '', []


# ---- maildrop: reformime -------------------------------------------------

def check_reformime(path, parts, data):
    r = run(['reformime', '-i'], input=data)
    if r.returncode != 0 or r.stderr:
        return 'fail', 'reformime -i exited %d' % r.returncode, [
            r.stderr.decode('utf-8', 'replace')]
    sections = []
    for block in r.stdout.decode('utf-8', 'surrogateescape').split('\n\n'):
        info = dict(ln.split(': ', 1) for ln in block.splitlines() if ': ' in ln)
        if 'section' in info:
            sections.append((info['section'],
                             info.get('content-type', '').lower()))
    want = [(p.depth, p.ctype) for p in parts]
    got = [(s.count('.'), t) for s, t in sections]
    if got != want:
        return 'fail', 'the sections differ from the tree', [
            'reformime: %s' % sections, 'python:    %s' % want]
    known = []
    for p, (sec, ctype) in zip(parts, sections):
        if not p.leaf:
            continue
        r = run(['reformime', '-e', '-s', sec], input=data)
        if r.returncode != 0:
            return 'fail', 'reformime -e -s %s exited %d' % (sec, r.returncode), [
                r.stderr.decode('utf-8', 'replace')]
        if r.stdout == p.data:
            continue
        # reformime keeps the line break before the next boundary at the
        # end of a message/rfc822 body (RFC 2046 5.1.1 gives it to the
        # boundary); Python, GMime, mshow and munpack do not.
        if p.rfc822_body and r.stdout in (p.data + b'\n', p.data + b'\r\n'):
            known.append('section %s: the line break before the boundary is '
                         'kept at the end of a message/rfc822 body' % sec)
            continue
        return 'fail', 'section %s (%s) decodes differently' % (sec, ctype), [
            'reformime (%d bytes): %s' % (len(r.stdout), show(r.stdout)),
            'python    (%d bytes): %s' % (len(p.data), show(p.data))]
    if known:
        return 'known', '; '.join(known), []
    return 'ok', '', []


# ---- mpack: munpack -t ---------------------------------------------------

MUNPACK_LINE = re.compile(r'^(.*) \(([^()]*)\)$')


def check_munpack(path, parts, data):
    known = []
    if b'\r\n' in data:
        # munpack reads the local (LF) form of a message.
        data = data.replace(b'\r\n', b'\n')
        known.append('given the message with LF line ends (munpack reads '
                     'files in the local form)')
    leaves = [p for p in parts if p.leaf]
    if parts[0].leaf and parts[0].text and parts[0].cte in ('7bit', '8bit'):
        want = []       # "Did not find anything to unpack"
    else:
        want = leaves
    tmp = tempfile.mkdtemp(prefix='mc-munpack.')
    try:
        src = os.path.join(tmp, 'message')
        with open(src, 'wb') as f:
            f.write(data)
        dest = os.path.join(tmp, 'out')
        os.mkdir(dest)
        r = run(['munpack', '-q', '-t', '-C', dest, src])
        if r.returncode != 0:
            return 'fail', 'munpack exited %d' % r.returncode, [
                r.stderr.decode('utf-8', 'replace')]
        listed = []
        for ln in r.stdout.decode('utf-8', 'surrogateescape').splitlines():
            m = MUNPACK_LINE.match(ln)
            if m:
                listed.append((m.group(1), m.group(2).lower()))
            elif not ln.startswith('Did not find anything to unpack'):
                return 'fail', 'munpack printed a line it should not', [ln]
        files = sorted(os.listdir(dest))
        if sorted(n for n, _ in listed) != files:
            return 'fail', 'the files differ from what munpack listed', [
                'listed: %s' % listed, 'files:  %s' % files]
        if [t for _, t in listed] != [p.ctype for p in want]:
            return 'fail', 'the unpacked parts differ from the leaves', [
                'munpack: %s' % [t for _, t in listed],
                'python:  %s' % [p.ctype for p in want]]
        for (name, ctype), p in zip(listed, want):
            with open(os.path.join(dest, name), 'rb') as f:
                got = f.read()
            exp = p.data
            if p.text:
                got, exp = lf(got), lf(exp)
            if got != exp and p.text and got == exp.replace(b'\r', b''):
                known.append('%s: a CR byte inside a line is dropped (munpack '
                             'writes text parts as local text)' % name)
            elif got != exp:
                return 'fail', '%s (%s) holds other bytes than the part' % (
                    name, ctype), [
                    'munpack (%d bytes): %s' % (len(got), show(got)),
                    'python  (%d bytes): %s' % (len(exp), show(exp))]
    finally:
        shutil.rmtree(tmp)
    if known:
        return 'known', '; '.join(known), []
    return 'ok', '', []


CHECKS = {'mshow': check_mshow, 'reformime': check_reformime,
          'munpack': check_munpack}


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in CHECKS:
        sys.exit(__doc__)
    prog = sys.argv[1]
    failed = False
    for path in sys.argv[2:]:
        name = os.path.basename(path)
        with open(path, 'rb') as f:
            data = f.read()
        msg = email.message_from_bytes(data, policy=email.policy.default)
        try:
            verdict, why, details = CHECKS[prog](path, parts_of(msg), data)
        except (OSError, subprocess.SubprocessError, ValueError) as e:
            verdict, why, details = 'fail', 'could not run: %s' % e, []
        if verdict == 'ok':
            print('ok %s %s' % (prog, name))
        else:
            print('%s %s %s: %s' % ('FAIL' if verdict == 'fail' else 'known',
                                   prog, name, why))
            for d in details:
                for ln in str(d).splitlines()[:20]:
                    print('    | ' + ln[:300])
            failed |= verdict == 'fail'
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
