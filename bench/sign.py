# SPDX-License-Identifier: ISC
"""make bench, signing (issue 14): mime-sign against gpg --detach-sign and
mime-sign --smime against openssl cms -sign -binary, over the same entity.

Called by bench.py (run(bench)); alone:

  python3 bench/sign.py [MIB]      (build/bin, build/bench, $TMPDIR/mc-bench)

The entity is a base64 attachment of random bytes, MIB (default 256; 32
with --quick) MiB in all; the keys are made by tests/crypto/keys.sh for the
run (Ed25519 for OpenPGP, RSA-3072 for S/MIME).  Each output is verified
once (gpg --verify, openssl cms -verify).  Targets: 1.3x the peer.
"""
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def keys(work):
    """The rig's variables, as a dict, for keys made in work/keys."""
    d = os.path.join(work, 'keys')
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    out = subprocess.check_output(['sh', os.path.join(
        ROOT, 'tests', 'crypto', 'keys.sh'), d], text=True)
    env = {}
    for stmt in out.replace('\n', ';').split(';'):
        words = shlex.split(stmt)
        if len(words) == 1 and '=' in words[0]:
            name, value = words[0].split('=', 1)
            env[name] = value
    return env


def entity(b, mib):
    """A base64 attachment entity of about mib MiB (3/4 of it random)."""
    path = os.path.join(b.work, 'sign-entity-%d' % mib)
    if not os.path.exists(path):
        raw = b.input('random', 256 if mib > 32 else 32)
        cut = os.path.join(b.work, 'sign-raw')
        with open(raw, 'rb') as f, open(cut, 'wb') as g:
            g.write(f.read((mib << 20) * 3 // 4))
        with open(path + '.tmp', 'wb') as g:
            subprocess.check_call([b.tool('mime-attach'), cut], stdout=g)
        os.unlink(cut)
        os.rename(path + '.tmp', path)
    return path


def verified(cmd_name, out, k, ent, env):
    """Whether the output of one command verifies."""
    with tempfile.TemporaryDirectory(dir=os.path.dirname(out)) as d:
        if cmd_name.startswith('mime-sign'):
            r = subprocess.run([sys.executable, os.path.join(
                ROOT, 'tests', 'crypto', 'signed.py'), 'split', out, d])
            if r.returncode != 0:
                return False
            sig, data = os.path.join(d, 'sig'), os.path.join(d, 'part')
        else:
            sig, data = out, ent
        if 'smime' in cmd_name or 'openssl' in cmd_name:
            cmd = ['openssl', 'cms', '-verify', '-binary', '-inform', 'DER',
                   '-in', sig, '-content', data, '-CAfile', k['MC_CA_CERT'],
                   '-purpose', 'smimesign', '-out', os.devnull]
        else:
            cmd = ['gpg', '--batch', '--verify', sig, data]
        return subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode == 0


def measure(b, title, mib, cmds, k, ent, env, check=verified):
    """Each command once a round, rotated; the medians, checked once (by
    check(name, output, k, ent, env): verified, or bench/encrypt.py's)."""
    times = {n: [] for n, _ in cmds}
    rss = {n: 0 for n, _ in cmds}
    ok = {}
    for r in range(b.rounds):
        for i in range(len(cmds)):
            name, cmd = cmds[(i + r) % len(cmds)]
            os.sync()
            t, kib = b.run(cmd, env)
            times[name].append(t)
            rss[name] = max(rss[name], kib)
            if name not in ok:
                ok[name] = check(name, b.out, k, ent, env)
    os.unlink(b.out)
    base = statistics.median(times[cmds[0][0]])
    b.emit('')
    b.emit('%s: %d rounds, median' % (title, b.rounds))
    b.emit('  %-44s %9s %8s %9s %9s  %s' % ('command', 'time s', 'x peer',
                                             'MB/s', 'RSS MiB', 'verifies'))
    res = {}
    for name, _ in cmds:
        t = statistics.median(times[name])
        res[name] = t
        b.emit('  %-44s %9.3f %7.2fx %9.0f %9.1f  %s' % (
            name, t, t / base, (mib << 20) / t / 1e6, rss[name] / 1024,
            'ok' if ok[name] else 'FAILED'))
        b.verdicts.append((title, name, 'ok' if ok[name] else 'FAILED'))
    return base, res[cmds[1][0]], rss[cmds[1][0]]


def run(b, mib=None):
    """The signing rows and their targets, into bench b's report."""
    mib = mib or int(os.environ.get('BENCH_SIGN_MIB',
                                    '32' if b.quick else '256'))
    k = keys(b.work)
    env = {'GNUPGHOME': k['GNUPGHOME']}
    try:
        ent = entity(b, mib)
        sign = b.tool('mime-sign')
        pgp = [('gpg --detach-sign -a (Ed25519)',
                ['gpg', '--batch', '-u', k['MC_PGP_ED'], '--detach-sign',
                 '-a', '-o', '-', ent]),
               ('mime-sign (Ed25519)', [sign, '-u', k['MC_PGP_ED'], ent])]
        cms = [('openssl cms -sign -binary (RSA-3072)',
                ['openssl', 'cms', '-sign', '-binary', '-in', ent,
                 '-signer', k['MC_SMIME_RSA_CERT'], '-inkey',
                 k['MC_SMIME_RSA_KEY'], '-md', 'sha256', '-outform',
                 'DER']),
               ('mime-sign --smime (RSA-3072)',
                [sign, '--smime', '--cert', k['MC_SMIME_RSA_CERT'], '--key',
                 k['MC_SMIME_RSA_KEY'], ent])]
        compare(b, 'signing', 'mime-sign', mib,
                (('OpenPGP', pgp), ('S/MIME', cms)), k, ent, env)
    finally:
        cleanup(b, env)


def compare(b, verb, tool, mib, groups, k, ent, env, check=verified):
    """Measures each (title, commands) group, then says per group how
    tool (the second command) did against the peer (the first)."""
    rows = []
    for title, cmds in groups:
        peer, ours, kib = measure(
            b, '%s a %d MiB entity, %s' % (verb, mib, title), mib, cmds, k,
            ent, env, check)
        rows.append((title, cmds[0][0].split(' (')[0], ours / peer, kib))
    b.emit('')
    b.emit('targets (issue 14):')
    for title, peer, x, kib in rows:
        b.emit('  %-5s %d MiB %s: %s %.2fx %s (target <= 1.3x); '
               'peak RSS %.1f MiB (target <= 8)' % (
                   'met' if x <= 1.3 and kib <= 8192 else 'MISS', mib,
                   title, tool, x, peer, kib / 1024))


def cleanup(b, env):
    """Stops the run's gpg-agent and removes its keys."""
    subprocess.call(['gpgconf', '--kill', 'all'], env=dict(
        os.environ, **env))
    shutil.rmtree(os.path.join(b.work, 'keys'), ignore_errors=True)


def main(run_rows=None):
    """Runs run_rows (this file's run) alone: [MIB] from the command line."""
    sys.path.insert(0, HERE)
    import argparse
    import bench
    b = bench.Bench(argparse.Namespace(
        quick=False, bin=os.path.join(ROOT, 'build', 'bin'),
        bench_bin=os.path.join(ROOT, 'build', 'bench'),
        work=os.path.join(os.environ.get('TMPDIR') or '/tmp', 'mc-bench')))
    os.makedirs(b.work, exist_ok=True)
    (run_rows or run)(b, int(sys.argv[1]) if len(sys.argv) > 1 else None)
    return 1 if [v for v in b.verdicts if v[2] != 'ok'] else 0


if __name__ == '__main__':
    sys.exit(main())
