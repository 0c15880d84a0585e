#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""make bench: mimecompose against coreutils base64 and the other
composers, side by side, on this machine.  See bench/README.md.

usage: bench.py [--quick] [--bin DIR] [--bench-bin DIR] [--work DIR]

  --quick        1 and 32 MiB and the texts only, fewer rounds (a smoke run)
  --bin DIR      our tools (default: build/bin)
  --bench-bin DIR  lib_small and gmime_compose (default: build/bench)
  --work DIR     inputs and outputs (default: $TMPDIR/mc-bench; the inputs
                 are kept there for the next run, the outputs removed)

Environment: BENCH_SIZES (MiB, default "1 32 256 1024"), BENCH_ROUNDS
(default 5), BENCH_SLOW (seconds, default 20: a command whose
first run at a size takes longer runs only once there).
"""
import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import time

import dkim_sign
import encrypt
import lint
import sign

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FROM, TO = 'Alice <alice@example.org>', 'bob@example.net'
NOTE = 'See the attached file.\n'


def log(*a):
    print(*a, file=sys.stderr, flush=True)


class Bench:
    def __init__(self, args):
        self.bin = args.bin
        self.bbin = args.bench_bin
        self.work = args.work
        self.quick = args.quick
        self.slow = float(os.environ.get('BENCH_SLOW', '20'))
        self.rounds = int(os.environ.get('BENCH_ROUNDS', '3' if args.quick
                                         else '5'))
        sizes = os.environ.get('BENCH_SIZES', '1 32' if args.quick
                               else '1 32 256 1024')
        self.sizes = [int(s) for s in sizes.split()]
        self.out = os.path.join(self.work, 'out')
        self.lines = []
        self.verdicts = []
        self.avx2 = self.has_avx2()
        self.timecmd = os.path.join(self.bbin, 'timecmd')

    # -- running one command ---------------------------------------------

    def run(self, cmd, env=None, stdout=True):
        """Runs cmd (a list, or a string for bash) with standard output to
        self.out (stdout) or to /dev/null; returns (seconds, peak RSS
        KiB), both measured by bench/timecmd from fork to wait4."""
        err = os.path.join(self.work, 'stderr')
        if isinstance(cmd, str):
            cmd = ['bash', '-c', cmd]
        full = [self.timecmd, self.out if stdout else os.devnull, err] + cmd
        e = dict(os.environ, **(env or {}))
        r = subprocess.run(full, stdout=subprocess.PIPE,
                           stdin=subprocess.DEVNULL, env=e)
        if r.returncode != 0:
            with open(err, 'rb') as ef:
                raise RuntimeError('%s: exit %d: %s' % (
                    ' '.join(cmd), r.returncode, ef.read().decode(
                        errors='replace').strip()[-400:]))
        t, kib = r.stdout.split()
        return float(t), int(kib)

    def check(self, mode, want):
        r = subprocess.run([sys.executable, os.path.join(HERE, 'check.py'),
                            mode, self.out, want], capture_output=True,
                           text=True)
        return (r.stdout.strip() or r.stderr.strip() or 'failed')[:60]

    def has_avx2(self):
        try:
            with open('/proc/cpuinfo') as f:
                return ' avx2' in f.read()
        except OSError:
            return False

    # -- inputs ------------------------------------------------------------

    def input(self, kind, mib):
        path = os.path.join(self.work, '%s-%d' % (kind, mib))
        if not os.path.exists(path):
            log('bench: making %s (%s, %d MiB)' % (path, kind, mib))
            subprocess.check_call([sys.executable,
                                   os.path.join(HERE, 'gen.py'), kind,
                                   path + '.tmp', str(mib)])
            os.rename(path + '.tmp', path)
        return path

    def sha(self, path):
        h = hashlib.sha256()
        with open(path, 'rb') as f:
            for b in iter(lambda: f.read(1 << 20), b''):
                h.update(b)
        return h.hexdigest()

    def write(self, name, text):
        path = os.path.join(self.work, name)
        with open(path, 'w') as f:
            f.write(text)
        return path

    # -- the commands ------------------------------------------------------

    def tool(self, name):
        return os.path.join(self.bin, name)

    def attach_commands(self, att):
        note = self.write('note.txt', NOTE)
        draft = self.write('draft-%s' % os.path.basename(att),
                           'From: %s\nTo: %s\nSubject: Big\n\n%s'
                           '#application/octet-stream %s\n' % (FROM, TO, NOTE,
                                                                 att))
        name = os.path.basename(att)
        cmds = [('base64 -w 76 > file (yardstick)',
                 ['base64', '-w', '76', att], None, 'base64')]
        codecs = (['avx2'] if self.avx2 else []) + ['scalar', 'libb64']
        for c in codecs:
            # mime-compose with the codec forced (bench/codec_compose.c)
            cmds.append(('mime-compose, %s' % c,
                         [os.path.join(self.bbin, 'codec_compose'), c,
                          draft], None, 'attach'))
        cmds.append(('mime-attach|multipart|message',
                     '%s %s | %s <(%s %s) - | %s -f "%s" -s Big %s' % (
                         self.tool('mime-attach'), att,
                         self.tool('mime-multipart'), self.tool('mime-text'),
                         note, self.tool('mime-message'), FROM, TO),
                     None, 'attach'))
        cmds.append(('GMime 3 (bench/gmime_compose)',
                     [os.path.join(self.bbin, 'gmime_compose'), '-a', note,
                      att], None, 'attach'))
        if shutil.which('mpack'):
            # mpack writes to -o FILE, not to standard output.
            cmds.append(('mpack', ['mpack', '-s', 'Big', '-d', note, '-c',
                                   'application/octet-stream', '-o',
                                   self.out, att], None, 'attach-o'))
        if shutil.which('makemime'):
            cmds.append(('makemime', [
                'makemime', '-j', '(', '-m', 'multipart/mixed',
                '-a', 'From: ' + FROM, '-a', 'To: ' + TO,
                '-a', 'Subject: Big', '-a', 'Mime-Version: 1.0',
                '(', '-c', 'text/plain', '-e', '7bit', note, ')', ')',
                '(', '-c', 'application/octet-stream', '-e', 'base64',
                '-a', 'Content-Disposition: attachment; filename=' + name,
                att, ')'], None, 'attach'))
        cmds.append(('Python email (bench/py_compose.py)',
                     [sys.executable, os.path.join(HERE, 'py_compose.py'),
                      '-a', note, att], None, 'attach'))
        return cmds

    def text_commands(self, text, cte):
        draft = os.path.join(self.work, 'draft-' + os.path.basename(text))
        with open(draft, 'wb') as d, open(text, 'rb') as t:
            d.write(('From: %s\nTo: %s\nSubject: Text\n\n' % (FROM, TO))
                    .encode())
            shutil.copyfileobj(t, d)
        cmds = [('base64 -w 76 > file (yardstick)',
                 ['base64', '-w', '76', text], None, 'base64'),
                ('mime-text | mime-message',
                 '%s %s | %s -f "%s" -s Text %s' % (
                     self.tool('mime-text'), text, self.tool('mime-message'),
                     FROM, TO), None, 'text'),
                ('mime-compose (text in the draft)',
                 [self.tool('mime-compose'), draft], None, 'text'),
                ('GMime 3 (bench/gmime_compose)',
                 [os.path.join(self.bbin, 'gmime_compose'), '-t', text],
                 None, 'text')]
        if shutil.which('makemime'):
            # makemime would pick 8bit; it is given the encoding the others
            # choose, so that all write 7-bit clean messages.
            cmds.append(('makemime -e ' + cte, [
                'makemime', '-c', 'text/plain; charset=utf-8', '-e', cte,
                '-a', 'From: ' + FROM, '-a', 'To: ' + TO,
                '-a', 'Subject: Text', '-a', 'Mime-Version: 1.0', text],
                None, 'text'))
        cmds.append(('Python email (bench/py_compose.py)',
                     [sys.executable, os.path.join(HERE, 'py_compose.py'),
                      '-t', text], None, 'text'))
        return cmds

    # -- one table -----------------------------------------------------------

    def measure(self, title, size, cmds, want, rounds):
        """Runs cmds round by round (each round every command once, the
        order rotated), checks each output once, prints the table and
        returns {name: (median seconds, peak RSS KiB)}."""
        log('bench: %s' % title)
        times = {c[0]: [] for c in cmds}
        rss = {c[0]: 0 for c in cmds}
        verdict = {}
        once = set()
        subprocess.call(['sync'])
        for r in range(rounds):
            for i in range(len(cmds)):
                name, cmd, env, mode = cmds[(i + r) % len(cmds)]
                if name in once:
                    continue
                if os.path.exists(self.out):
                    os.unlink(self.out)
                # No writeback of an earlier output (a long run's pages
                # age past dirty_expire) may compete with this run.
                os.sync()
                try:
                    t, kib = self.run(cmd, env, stdout=mode != 'attach-o')
                except RuntimeError as e:
                    verdict[name] = 'FAILED'
                    log('bench: %s' % e)
                    times[name].append(float('nan'))
                    continue
                times[name].append(t)
                rss[name] = max(rss[name], kib)
                if name not in verdict:
                    check = {'attach-o': 'attach'}.get(mode, mode)
                    verdict[name] = self.check(check, want[check])
                if r == 0 and t > self.slow and rounds > 1:
                    once.add(name)
                    verdict[name] += ' (1 run)'
            log('bench:   round %d of %d' % (r + 1, rounds))
        if os.path.exists(self.out):
            os.unlink(self.out)
        res = {}
        for name, _, _, _ in cmds:
            res[name] = (statistics.median(times[name]), rss[name])
        base = res[cmds[0][0]][0]
        self.emit('')
        self.emit('%s: %d rounds, median' % (title, rounds))
        self.emit('  %-36s %9s %8s %9s %9s  %s' % (
            'command', 'time s', 'x base64', 'MB/s', 'RSS MiB', 'decodes'))
        for name, _, _, _ in cmds:
            t, kib = res[name]
            self.emit('  %-36s %9.4f %7.2fx %9.0f %9.1f  %s' % (
                name, t, t / base, size / t / 1e6, kib / 1024,
                verdict.get(name, '?')))
        self.verdicts += [(title, n, v) for n, v in verdict.items()]
        return res

    def emit(self, line):
        print(line, flush=True)
        self.lines.append(line)

    # -- small messages ----------------------------------------------------

    def small(self):
        n_c, n_py, n_sh = (20000, 2000, 200) if self.quick else \
            (100000, 5000, 500)
        note = self.write('note.txt', NOTE)
        lib = [os.path.join(self.bbin, 'lib_small'), str(n_c)]
        gm = [os.path.join(self.bbin, 'gmime_compose'), '-n', str(n_c)]
        py = [sys.executable, os.path.join(HERE, 'py_compose.py'), '-n',
              str(n_py)]
        loop = ('i=0; while [ $i -lt %d ]; do %%s; i=$((i+1)); done'
                % n_sh)
        tools = loop % ('%s %s | %s -f "%s" -s Hi %s >/dev/null' % (
            self.tool('mime-text'), note, self.tool('mime-message'), FROM,
            TO))
        bare = loop % '/bin/true | /bin/true'
        # The 1 MiB case without program start-up: text + attachment.
        n_a = 50 if self.quick else 200
        one = self.input('random', 1)
        lib_a = [os.path.join(self.bbin, 'lib_small'), str(n_a), note, one]
        gm_a = [os.path.join(self.bbin, 'gmime_compose'), '-a', note, one,
                str(n_a)]
        cmds = [('library (bench/lib_small)', lib, n_c),
                ('GMime 3 (gmime_compose -n)', gm, n_c),
                ('library, text + 1 MiB attachment', lib_a, n_a),
                ('GMime 3, text + 1 MiB attachment', gm_a, n_a),
                ('Python email (py_compose.py -n)', py, n_py),
                ('mime-text | mime-message, sh loop', ['sh', '-c', tools],
                 n_sh),
                ('/bin/true | /bin/true, sh loop', ['sh', '-c', bare], n_sh)]
        log('bench: small messages')
        times = {c[0]: [] for c in cmds}
        rounds = self.rounds
        for r in range(rounds):
            for i in range(len(cmds)):
                name, cmd, n = cmds[(i + r) % len(cmds)]
                t, _ = self.run(cmd, stdout=False)
                times[name].append(t)
        per = {name: statistics.median(times[name]) / n
               for name, _, n in cmds}
        self.emit('')
        self.emit('small messages (From, To, Subject, Date, Message-ID, '
                  'a 60-byte text; or that text and a 1 MiB attachment), '
                  'to /dev/null: %d rounds, median' % rounds)
        self.emit('  %-36s %8s %12s %12s' % ('how', 'count', 'us/message',
                                              'messages/s'))
        for name, _, n in cmds:
            self.emit('  %-36s %8d %12.1f %12.0f' % (
                name, n, per[name] * 1e6, 1 / per[name]))
        return per

    # -- the whole run -------------------------------------------------------

    def main(self):
        os.makedirs(self.work, exist_ok=True)
        for tool in ('mime-compose', 'mime-text', 'mime-message'):
            if not os.access(self.tool(tool), os.X_OK):
                sys.exit('bench: no %s: run make first' % self.tool(tool))
        for prog in ('lib_small', 'gmime_compose', 'timecmd',
                     'codec_compose'):
            if not os.access(os.path.join(self.bbin, prog), os.X_OK):
                sys.exit('bench: no %s/%s: run make bench' % (self.bbin,
                                                              prog))
        started = time.time()
        self.emit('mimecompose benchmark: %s, %d cores, %s' % (
            cpu_name(), os.cpu_count(), 'AVX2' if self.avx2 else 'no AVX2'))
        self.emit('time: wall clock of one run; x base64: time / time of '
                  '`base64 -w 76 FILE > file`;')
        self.emit('MB/s: input bytes (10^6) per second; RSS: peak resident '
                  'set (wait4 ru_maxrss), largest of the runs')
        floor = statistics.median(self.run(['/bin/true'], stdout=False)[0]
                                  for _ in range(21))
        self.emit('the clock includes starting the program: %.2f ms for '
                  '/bin/true' % (floor * 1e3))
        att = {}
        for mib in self.sizes:
            path = self.input('random', mib)
            att[mib] = path
        texts = [('chinese', 'base64'), ('ascii', 'quoted-printable')]
        tpaths = {k: self.input(k, 16) for k, _ in texts}
        results = {}
        for mib in self.sizes:
            path = att[mib]
            want = {'attach': self.sha(path), 'base64': self.sha(path)}
            rounds = self.rounds
            if mib <= 1 and not self.quick:
                rounds = max(rounds, 21)   # milliseconds: more rounds
            results[mib] = self.measure(
                'short text + %d MiB random attachment -> file' % mib,
                mib << 20, self.attach_commands(path), want, rounds)
        tresults = {}
        for kind, cte in texts:
            path = tpaths[kind]
            want = {'text': path, 'base64': self.sha(path)}
            title = '16 MiB %s text' % ('UTF-8 Chinese' if kind == 'chinese'
                                        else 'mostly-ASCII')
            tresults[title] = self.measure(
                '%s (%s) -> file' % (title, cte), 16 << 20,
                self.text_commands(path, cte), want, self.rounds)
        small = self.small()
        self.targets(results, small)
        self.texts(tresults)
        dkim_sign.bench(self)
        lint.rows(self)
        sign.run(self)
        encrypt.run(self)
        self.emit('')
        self.emit('bench: %.0f s in all; inputs kept in %s' % (
            time.time() - started, self.work))
        with open(os.path.join(self.work, 'results.txt'), 'w') as f:
            f.write('\n'.join(self.lines) + '\n')
        bad = [v for v in self.verdicts if not v[2].startswith('ok')]
        for title, name, v in bad:
            log('bench: %s: %s: %s' % (title, name, v))
        return 1 if bad else 0

    def targets(self, results, small):
        """The targets of issue 6, as measured in this run."""
        self.emit('')
        self.emit('targets (issue 6):')
        peers = ('GMime 3', 'mpack', 'makemime', 'Python email',
                 'mime-attach|')

        def row(ok, text):
            self.emit('  %-5s %s' % ('met' if ok else 'MISS', text))
        ours = 'mime-compose, avx2' if self.avx2 else 'mime-compose, scalar'
        if 256 in results:
            r = results[256]
            base = r['base64 -w 76 > file (yardstick)'][0]
            for codec, limit in (('avx2', 0.35), ('scalar', 0.6),
                                 ('libb64', 1.3)):
                key = 'mime-compose, ' + codec
                if key in r:
                    x = r[key][0] / base
                    row(x <= limit, '256 MiB, %s: %.2fx base64 (target '
                        '<= %.2fx)' % (codec, x, limit))
        for mib, r in sorted(results.items()):
            t = r[ours][0]
            slower = [n for n in r if n.startswith(peers[:4]) and
                      r[n][0] <= t]
            gm = [r[n][0] for n in r if n.startswith('GMime')]
            x = gm[0] / t if gm else float('nan')
            row(not slower and x >= 4, '%d MiB: %s faster than every '
                'peer%s; %.1fx GMime (target >= 4x)' % (
                    mib, ours, '' if not slower else ' but ' +
                    ', '.join(slower), x))
        rss = [r[ours][1] for r in results.values()]
        if rss:
            row(max(rss) <= 8192 and max(rss) - min(rss) <= 1024,
                'peak RSS %s: %.1f..%.1f MiB over %s MiB (target <= 8, '
                'flat)' % (ours, min(rss) / 1024, max(rss) / 1024,
                           '/'.join(str(m) for m in sorted(results))))
        lib_a = small['library, text + 1 MiB attachment']
        gm_a = small['GMime 3, text + 1 MiB attachment']
        self.emit('  %-5s 1 MiB in one process (no program start-up): '
                  'library %.2f ms a message, %.1fx GMime' % (
                      'info', lib_a * 1e3, gm_a / lib_a))
        lib = small['library (bench/lib_small)']
        gm = small['GMime 3 (gmime_compose -n)']
        row(gm / lib >= 3, 'small messages in one process: library %.0f/s, '
            '%.1fx GMime (target >= 3x)' % (1 / lib, gm / lib))
        pipe = small['mime-text | mime-message, sh loop']
        bare = small['/bin/true | /bin/true, sh loop']
        row(pipe / bare <= 2, 'mime-text | mime-message per message: '
            '%.2f ms, %.2fx /bin/true | /bin/true (target <= 2x)' % (
                pipe * 1e3, pipe / bare))


    def texts(self, tresults):
        """Texts have no target in issue 6; where we stand, plainly."""
        self.emit('')
        self.emit('texts (no target; for information):')
        for title, r in tresults.items():
            ours = min((r[n][0], n) for n in r if n.startswith('mime-'))
            peers = sorted((r[n][0], n) for n in r
                           if not n.startswith(('mime-', 'base64')))
            faster = [n for t, n in peers if t < ours[0]]
            self.emit('  %-5s %s: %s %.3f s; %s' % (
                'info', title, ours[1], ours[0],
                'faster than every peer' if not faster else
                'slower than ' + ', '.join(faster)))


def cpu_name():
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return 'unknown CPU'


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--quick', action='store_true')
    p.add_argument('--bin', default=os.path.join(ROOT, 'build', 'bin'))
    p.add_argument('--bench-bin', default=os.path.join(ROOT, 'build',
                                                       'bench'))
    p.add_argument('--work', default=os.path.join(
        os.environ.get('TMPDIR') or '/tmp', 'mc-bench'))
    return Bench(p.parse_args()).main()


if __name__ == '__main__':
    sys.exit(main())
