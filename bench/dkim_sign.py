# SPDX-License-Identifier: ISC
"""The mime-dkim row of make bench (issue 15): signing a 256 MiB message,
timed against sha256sum of the same file and dkimpy's dkimsign.

bench.py calls bench(b) with its Bench; run alone, as

    python3 bench/dkim_sign.py [--bin DIR] [--bench-bin DIR] [--work DIR]

it makes the same row without the rest (BENCH_ROUNDS, BENCH_SLOW and
BENCH_DKIM_MIB, default 256, apply).  The message is a short text and a
random attachment of 3/4 of that, base64, composed by our tools: the case the tools
make.  Each output is checked once: its bh= must be the one dkimsign
computes for the same message (two implementations of relaxed body
canonicalization agree), and the message below the new field must be the
input, byte for byte.
"""
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DKIMSIGN = '/usr/bin/dkimsign'


def message(b, mib):
    """The message to sign, made once and kept with the inputs: an
    attachment of 3/4 of mib, so that with base64 it is about mib."""
    path = os.path.join(b.work, 'dkim-message-%d' % mib)
    if not os.path.exists(path):
        att = os.path.join(b.work, 'dkim-attachment-%d' % mib)
        with open(att, 'wb') as f:
            f.write(os.urandom((mib << 20) * 3 // 4))
        subprocess.check_call(
            '%s "%s" | %s -f alice@example.org -s "DKIM bench" '
            'bob@example.net > "%s.tmp"' % (
                b.tool('mime-attach'), att, b.tool('mime-message'), path),
            shell=True)
        os.unlink(att)
        os.rename(path + '.tmp', path)
    return path


def key(b):
    path = os.path.join(b.work, 'dkim-rsa2048.pem')
    if not os.path.exists(path):
        subprocess.check_call(['openssl', 'genpkey', '-algorithm', 'RSA',
                               '-pkeyopt', 'rsa_keygen_bits:2048', '-out',
                               path], stderr=subprocess.DEVNULL)
    return path


def bh(path):
    """The bh= of the first DKIM-Signature of the file at path."""
    with open(path, 'rb') as f:
        head = f.read(4096)
    m = re.search(rb'bh=([A-Za-z0-9+/=\s]+);', head)
    return re.sub(rb'\s', b'', m.group(1)).decode() if m else None


def same_below(out, msg):
    """The message below the first field of out is msg, byte for byte."""
    with open(out, 'rb') as o, open(msg, 'rb') as m:
        line = o.readline()
        while line:
            line = o.readline()
            if not line[:1] in (b' ', b'\t'):
                break
        first = m.read(len(line))
        if first != line:
            return False
        while True:
            a, c = o.read(1 << 20), m.read(1 << 20)
            if a != c:
                return False
            if not a:
                return True


def bench(b):
    mib = int(os.environ.get('BENCH_DKIM_MIB', '256'))
    msg = message(b, mib)
    pem = key(b)
    dk = [b.tool('mime-dkim'), '-d', 'example.org', '-s', 'bench', '-k', pem]
    cmds = [
        ('sha256sum FILE (yardstick)', ['sha256sum', msg], False),
        ('mime-dkim -i FILE > /dev/null', dk + ['-i', msg], False),
        ('mime-dkim -i FILE > file', dk + ['-i', msg], True),
        ('cat FILE | mime-dkim > file', 'cat "%s" | %s' % (
            msg, ' '.join('"%s"' % a for a in dk)), True),
        ('dkimsign (dkimpy) < FILE > file', '%s --bcanon relaxed bench '
         'example.org "%s" < "%s"' % (DKIMSIGN, pem, msg), True),
    ]
    have_dkimpy = os.access(DKIMSIGN, os.X_OK)
    if not have_dkimpy:
        cmds.pop()
    times = {c[0]: [] for c in cmds}
    rss = {c[0]: 0 for c in cmds}
    once, verdict, sums = set(), {}, {}
    b.emit('')
    subprocess.call(['sync'])
    for r in range(b.rounds):
        for i in range(len(cmds)):
            name, cmd, out = cmds[(i + r) % len(cmds)]
            if name in once:
                continue
            t, kib = b.run(cmd, stdout=out)
            times[name].append(t)
            rss[name] = max(rss[name], kib)
            if out and name not in verdict:
                sums[name] = bh(b.out)
                verdict[name] = 'ok' if name.startswith('dkimsign') or \
                    same_below(b.out, msg) else 'OUTPUT DIFFERS'
            if r == 0 and t > b.slow and b.rounds > 1:
                once.add(name)
        os.path.exists(b.out) and os.unlink(b.out)
    ref = sums.get('dkimsign (dkimpy) < FILE > file')
    for name in sums:
        if ref is not None and sums[name] != ref:
            verdict[name] = 'bh= DIFFERS from dkimsign'
        elif ref is not None and not name.startswith('dkimsign'):
            verdict[name] += ', bh= as dkimsign'
    med = {n: statistics.median(times[n]) for n in times}
    base = med[cmds[0][0]]
    b.emit('DKIM-signing a %.0f MiB message (mime-attach | mime-message, '
           'relaxed/relaxed, RSA 2048): %d rounds, median' % (
               os.path.getsize(msg) / (1 << 20), b.rounds))
    b.emit('  %-36s %9s %10s %9s %9s  %s' % (
        'command', 'time s', 'x sha256', 'MB/s', 'RSS MiB', 'checked'))
    size = os.path.getsize(msg)
    for name, _, _ in cmds:
        b.emit('  %-36s %9.3f %9.2fx %9.0f %9.1f  %s%s' % (
            name, med[name], med[name] / base, size / med[name] / 1e6,
            rss[name] / 1024, verdict.get(name, '-'),
            ' (1 run)' if name in once else ''))
        b.verdicts.append(('dkim', name, verdict.get(name, 'ok')))
    ours = med['mime-dkim -i FILE > file']
    x = ours / base
    b.emit('  %-5s mime-dkim %.2fx sha256sum (target <= 1.5x)' % (
        'met' if x <= 1.5 else 'MISS', x))
    if have_dkimpy:
        y = med['dkimsign (dkimpy) < FILE > file'] / ours
        b.emit('  %-5s mime-dkim %.1fx faster than dkimsign (target >= '
               '20x)' % ('met' if y >= 20 else 'MISS', y))


def main():
    sys.path.insert(0, HERE)
    import bench as bench_py
    import argparse
    p = argparse.ArgumentParser()
    p.add_argument('--bin', default=os.path.join(ROOT, 'build', 'bin'))
    p.add_argument('--bench-bin',
                   default=os.path.join(ROOT, 'build', 'bench'))
    p.add_argument('--work', default=os.path.join(
        os.environ.get('TMPDIR', '/tmp'), 'mc-bench'))
    p.add_argument('--quick', action='store_true')
    b = bench_py.Bench(p.parse_args())
    os.makedirs(b.work, exist_ok=True)
    b.emit('mime-dkim alone: %s, %d cores' % (bench_py.cpu_name(),
                                               os.cpu_count()))
    bench(b)
    bad = [v for v in b.verdicts if not v[2].startswith('ok')]
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
