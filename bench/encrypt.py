# SPDX-License-Identifier: ISC
"""make bench, encryption (issue 14): mime-encrypt against gpg --encrypt
and mime-encrypt --smime against openssl cms -encrypt, over the same
entity.

Called by bench.py (run(bench)); alone:

  python3 bench/encrypt.py [MIB]   (build/bin, build/bench, $TMPDIR/mc-bench)

The entity is bench/sign.py's (a base64 attachment of random bytes, MIB
MiB, default 256; 32 with --quick), the keys tests/crypto/keys.sh's
(Cv25519 for OpenPGP, an RSA-3072 certificate for S/MIME).  mime-encrypt
writes ASCII armor, as RFC 3156 wants, so its peer is gpg --encrypt
--armor; plain gpg --encrypt (binary) is shown too.  The S/MIME peer is
openssl cms -encrypt -binary, AES-256-CBC, in its S/MIME output form, as
ours.  Each output is decrypted once (gpg --decrypt, openssl cms
-decrypt); the "verifies" column says it decrypted.  Target: 1.3x the
peer.
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import sign  # noqa: E402  (its keys, entity and measure)


def decrypts(cmd_name, out, k, ent, env):
    """Whether the output of one command decrypts (to a MIME entity, for
    ours: the sign-safe form of ent, which begins with its header)."""
    with tempfile.TemporaryDirectory(dir=os.path.dirname(out)) as d:
        plain = os.path.join(d, 'plain')
        if 'smime' in cmd_name or 'openssl' in cmd_name:
            cmd = ['openssl', 'cms', '-decrypt', '-in', out, '-recip',
                   k['MC_SMIME_RCPT_CERT'], '-inkey', k['MC_SMIME_RCPT_KEY'],
                   '-out', plain]
        else:
            cmd = ['gpg', '--batch', '--quiet', '--decrypt', '-o', plain,
                   out]
        if subprocess.run(cmd, env=dict(os.environ, **env),
                          stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode != 0:
            return False
        with open(plain, 'rb') as f, open(ent, 'rb') as g:
            first = f.readline().rstrip(b'\r\n')
            return first.lower().startswith(b'content-type:') and \
                first == g.readline().rstrip(b'\r\n')


def run(b, mib=None):
    """The encryption rows and their targets, into bench b's report."""
    mib = mib or int(os.environ.get('BENCH_SIGN_MIB',
                                    '32' if b.quick else '256'))
    k = sign.keys(b.work)
    env = {'GNUPGHOME': k['GNUPGHOME']}
    try:
        ent = sign.entity(b, mib)
        enc = b.tool('mime-encrypt')
        rcpt = k['MC_PGP_ED']
        pgp = [('gpg --encrypt --armor (Cv25519)',
                ['gpg', '--batch', '-r', rcpt, '--encrypt', '--armor',
                 '-o', '-', ent]),
               ('mime-encrypt (Cv25519)', [enc, '-r', rcpt, ent]),
               ('gpg --encrypt, binary (Cv25519)',
                ['gpg', '--batch', '-r', rcpt, '--encrypt', '-o', '-', ent])]
        cert = k['MC_SMIME_RCPT_CERT']
        cms = [('openssl cms -encrypt -binary (RSA-3072)',
                ['openssl', 'cms', '-encrypt', '-binary', '-aes-256-cbc',
                 '-in', ent, cert]),
               ('mime-encrypt --smime (RSA-3072)',
                [enc, '--smime', '-r', cert, ent]),
               ('openssl cms -encrypt -binary -stream',
                ['openssl', 'cms', '-encrypt', '-binary', '-stream',
                 '-aes-256-cbc', '-in', ent, cert])]
        sign.compare(b, 'encrypting', 'mime-encrypt', mib,
                     (('OpenPGP', pgp), ('S/MIME', cms)), k, ent, env,
                     decrypts)
    finally:
        sign.cleanup(b, env)


if __name__ == '__main__':
    sys.exit(sign.main(run))
