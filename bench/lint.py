#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""mime-check's rows of make bench (issue 16): a message of a short text
and a base64 attachment, 256 MiB and 1 GiB, read by mime-check, by GMime's
parser (bench/gmime_parse.c: the tree, nothing decoded) and by Python's
email (policy.default); target: mime-check in at most half GMime's time,
peak RSS at most 8 MiB at every size.

usage: lint.py [--bin DIR] [--bench-bin DIR] [--work DIR] [MIB...]
(alone, these rows only; bench.py calls rows() for make bench)
"""
import binascii
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SIZES = (256, 1024)
HEAD = (b'From: Alice <alice@example.org>\r\nTo: bob@example.net\r\n'
        b'Subject: the data\r\nDate: Wed, 25 Nov 2026 21:15:20 +0000\r\n'
        b'Message-ID: <lint.1@example.org>\r\nMIME-Version: 1.0\r\n'
        b'Content-Type: multipart/mixed; boundary="=_b"\r\n\r\n'
        b'--=_b\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n'
        b'See the attached file.\r\n--=_b\r\n'
        b'Content-Type: application/octet-stream\r\n'
        b'Content-Disposition: attachment; filename=data.bin\r\n'
        b'Content-Transfer-Encoding: base64\r\n\r\n')


def message(bench, mib):
    """The message (CRLF, the wire form) whose attachment is the bench's
    random input of mib MiB, made once and kept with the inputs."""
    path = os.path.join(bench.work, 'lint-%d.eml' % mib)
    if os.path.exists(path):
        return path
    src = bench.input('random', mib)
    # 57 octets make a line of 78 with its CRLF: the message is mib MiB.
    left = (mib << 20) * 57 // 78
    with open(src, 'rb') as f, open(path + '.tmp', 'wb') as out:
        out.write(HEAD)
        while left > 0:
            block = f.read(min(57 * 16384, left))
            left -= len(block)
            enc = binascii.b2a_base64(block, newline=False)
            out.write(b''.join(enc[i:i + 76] + b'\r\n'
                               for i in range(0, len(enc), 76)))
        out.write(b'--=_b--\r\n')
    os.rename(path + '.tmp', path)
    return path


def rows(bench, sizes=None):
    """Measures and prints the rows (32 MiB alone with --quick); returns
    the targets, (met, text) each."""
    if sizes is None:
        sizes = (32,) if bench.quick else SIZES
    py = ('import email, email.policy, sys\n'
          'm = email.message_from_binary_file(open(sys.argv[1], "rb"), '
          'policy=email.policy.default)\n'
          'print(sum(1 for _ in m.walk()))\n')
    verdicts = []

    def check(mode, want):
        """mime-check finds nothing; the parsers see the three parts."""
        with open(bench.out, 'rb') as f:
            got = f.read(100)
        return 'ok' if got == want else 'wrong output %r' % got[:40]

    bench.check = check
    for mib in sizes:
        path = message(bench, mib)
        size = os.path.getsize(path)
        cmds = [('mime-check', [bench.tool('mime-check'), path], None,
                 'quiet'),
                ('GMime 3 parser', [os.path.join(bench.bbin, 'gmime_parse'),
                                    path], None, 'parts'),
                ('Python email', [sys.executable, '-c', py, path], None,
                 'parts')]
        res = bench.measure('mime-check: %d MiB message (text + base64 '
                            'attachment) read' % mib, size, cmds,
                            {'quiet': b'', 'parts': b'3\n'}, bench.rounds)
        bench.emit('  (here the base of "x base64" is mime-check, the first '
                   'row; "decodes" ok: mime-check found nothing, the '
                   'parsers saw the 3 parts)')
        ours, rss = res['mime-check']
        gm = res['GMime 3 parser'][0]
        verdicts.append((ours <= 0.5 * gm, '%d MiB: mime-check %.2f s = '
                         '%.2fx GMime parser (target <= 0.5x), %.2fx Python '
                         'email' % (mib, ours, ours / gm,
                                    ours / res['Python email'][0])))
        verdicts.append((rss <= 8 * 1024, '%d MiB: mime-check peak RSS '
                         '%.1f MiB (target <= 8 MiB)' % (mib, rss / 1024)))
    bench.emit('')
    bench.emit('targets (issue 16, mime-check):')
    for ok, text in verdicts:
        bench.emit('  %-5s %s' % ('met' if ok else 'MISS', text))
    return verdicts


def main():
    sys.path.insert(0, HERE)
    import bench as b
    import argparse
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--bin', default=os.path.join(b.ROOT, 'build', 'bin'))
    p.add_argument('--bench-bin', default=os.path.join(b.ROOT, 'build',
                                                       'bench'))
    p.add_argument('--work', default=os.path.join(
        os.environ.get('TMPDIR') or '/tmp', 'mc-bench'))
    p.add_argument('--quick', action='store_true')
    p.add_argument('sizes', nargs='*', type=int)
    args = p.parse_args()
    bench = b.Bench(args)
    os.makedirs(bench.work, exist_ok=True)
    verdicts = rows(bench, args.sizes or None)
    return 0 if all(ok for ok, _ in verdicts) else 1


if __name__ == '__main__':
    sys.exit(main())
