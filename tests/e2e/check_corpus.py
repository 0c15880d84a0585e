#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""mime-check against two independent parsers, on an outside corpus.

usage: check_corpus.py MIME_CHECK GMIME_TREE MSG...

The corpus is CPython's own email test messages (Debian's
libpython3.11-testsuite, /usr/lib/python3.11/test/test_email/data/
msg_*.txt).  For each message:
  - every defect Python's email reports (policy.default, in the message,
    in every part, in every header field) and every warning GMime's parser
    reports (tests/interop/gmime-tree.c, through
    g_mime_parser_options_set_warning_callback) has a matching mime-check
    finding (MAP below);
  - every mime-check finding that no such report explains is named in
    EXTRA, with the reason (WHY) that neither parser flags it; and EXTRA
    names nothing that mime-check no longer finds.
Prints one line per broken promise; exits 1 when there is any.
"""

import email
import email.policy
import os
import re
import subprocess
import sys

# Python defect (with the field for header defects) / GMime warning ->
# the mime-check rules any one of which answers it.
MAP = {
    'py:InvalidHeaderDefect@From': {'address-syntax'},
    'py:InvalidHeaderDefect@To': {'address-syntax'},
    'py:InvalidHeaderDefect@Cc': {'address-syntax'},
    'py:InvalidHeaderDefect@Message-ID': {'msgid-syntax'},
    'py:InvalidHeaderDefect@Content-Type': {
        'content-type-syntax', '2231-syntax', 'boundary-syntax'},
    'py:StartBoundaryNotFoundDefect': {
        'boundary-not-found', 'boundary-nested'},
    'py:CloseBoundaryNotFoundDefect': {'boundary-not-closed'},
    'py:NoBoundaryInMultipartDefect': {'boundary-missing'},
    'py:MultipartInvariantViolationDefect': {
        'boundary-not-found', 'boundary-missing'},
    'py:MissingHeaderBodySeparatorDefect': {'header-syntax'},
    'py:FirstHeaderLineIsContinuationDefect': {'header-syntax'},
    'py:InvalidBase64PaddingDefect': {'b64-padding'},
    'py:InvalidBase64CharactersDefect': {'b64-alphabet'},
    'py:InvalidBase64LengthDefect': {'b64-padding'},
    'py:NonASCIIHeaderDefect': {'header-8bit'},
    'gm:invalid content type': {'content-type-syntax'},
    'gm:truncated message': {
        'boundary-not-found', 'boundary-not-closed', 'header-syntax'},
    # GMime reads a delimiter right after a delimiter as a header line.
    'gm:invalid header name': {'header-syntax', 'part-empty'},
    'gm:conflicting header': {'field-repeated'},
    'gm:duplicated header': {'field-repeated'},
    'gm:duplicated parameter': {'param-repeated'},
    'gm:invalid parameter': {'content-type-syntax', 'disposition-syntax'},
    'gm:multipart without boundary': {'boundary-missing'},
    # A part whose header block is no header (GMime: no headers).
    'gm:part without headers or content': {'part-empty', 'header-syntax'},
    'gm:malformed multipart': {'boundary-not-closed'},
    'gm:not parsed as a message': {'header-syntax'},
    'gm:unencoded 8-bit header': {'header-8bit'},
    'gm:invalid RFC 2047 header value': {
        '2047-syntax', '2047-decode', '2047-placement'},
    'gm:invalid address list': {'address-syntax'},
    'gm:nesting overflow': {'limit-depth'},
}

# Why a finding is the checker's alone: neither parser looks there.
WHY = {
    'date-missing': 'RFC 5322 3.6 wants a Date field; neither parser '
                    'requires one (the test messages are fragments)',
    'from-missing': 'RFC 5322 3.6 wants a From field; neither parser '
                    'requires one',
    'mime-version-missing': 'Content- fields without MIME-Version '
                            '(RFC 2045 4); both parsers assume MIME',
    'address-syntax': 'an address without a domain in a field that '
                      'Python parses only on access to its groups',
    'msgid-syntax': 'a Content-ID (or Message-ID) that is no msg-id; '
                    'both parsers keep the field as text',
    'qp-trailing-space': 'white space at the end of a quoted-printable '
                         'line (RFC 2045 6.7 (3)); decoders drop it '
                         'quietly',
    'b64-alphabet': 'a base64 body of placeholder text; decoders skip '
                    'what is not in the alphabet quietly',
    'b64-padding': 'a base64 body of placeholder text that ends inside a '
                   'group; Python reports defects of a body only when it '
                   'is decoded, GMime never',
    'boundary-nested': 'a multipart inside one with the same boundary '
                       '(RFC 2046 5.1.2); Python reports what follows '
                       'from it elsewhere in the tree, GMime nothing',
    'charset-unknown': 'a charset name IANA does not register '
                       '("ansi-x3.4-1968": its name is ANSI_X3.4-1968)',
    'field-repeated': 'a repeated singular field that Python keeps '
                      'without a defect',
}

EXTRA = {
    'msg_05.txt': {'date-missing'},
    'msg_11.txt': {'date-missing', 'from-missing'},
    'msg_15.txt': {'date-missing', 'qp-trailing-space', 'b64-alphabet',
                   'b64-padding'},
    'msg_18.txt': {'date-missing', 'from-missing'},
    'msg_19.txt': {'date-missing', 'from-missing'},
    'msg_21.txt': {'date-missing', 'mime-version-missing'},
    'msg_22.txt': {'msgid-syntax'},
    'msg_23.txt': {'date-missing', 'mime-version-missing'},
    'msg_24.txt': {'date-missing'},
    'msg_28.txt': {'date-missing'},
    'msg_30.txt': {'date-missing'},
    'msg_31.txt': {'date-missing'},
    'msg_32.txt': {'charset-unknown'},
    'msg_33.txt': {'charset-unknown'},
    'msg_34.txt': {'date-missing', 'mime-version-missing'},
    'msg_35.txt': {'date-missing'},
    'msg_37.txt': {'date-missing', 'from-missing', 'mime-version-missing'},
    'msg_38.txt': {'date-missing', 'from-missing'},
    'msg_39.txt': {'date-missing', 'from-missing', 'b64-padding'},
    'msg_40.txt': {'date-missing', 'from-missing'},
    'msg_42.txt': {'date-missing', 'mime-version-missing'},
    'msg_45.txt': {'date-missing'},
}

FINDING = re.compile(r'^.*?:(\d+): (error|warning): ([a-z0-9-]+): ')
GMIME = re.compile(r'^gmime-tree: .*?: (?:offset -?\d+: warning \d+ '
                   r'\(([^)]*)\)|(not parsed as a message))')


def python_reports(path):
    with open(path, 'rb') as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    out = []
    for part in msg.walk():
        out += ['py:' + type(d).__name__ for d in part.defects]
        for name, value in part.items():
            for d in getattr(value, 'defects', ()):
                canon = {'message-id': 'Message-ID', 'cc': 'Cc'}.get(
                    name.lower(), name.title())
                out.append('py:%s@%s' % (type(d).__name__, canon))
    return out


def gmime_reports(gmime, path):
    r = subprocess.run([gmime, path], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE)
    out = []
    for line in r.stderr.decode('utf-8', 'replace').splitlines():
        m = GMIME.match(line)
        if m:
            out.append('gm:' + (m.group(1) or m.group(2)))
    return out


def main(argv):
    mime_check, gmime, paths = argv[1], argv[2], argv[3:]
    bad = []
    for path in paths:
        name = os.path.basename(path)
        r = subprocess.run([mime_check, path], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
        if r.returncode not in (0, 65) or r.stderr:
            bad.append('%s: mime-check exits %d: %s' % (
                name, r.returncode, r.stderr.decode()))
            continue
        rules = set()
        for line in r.stdout.decode('utf-8', 'replace').splitlines():
            m = FINDING.match(line)
            if not m:
                bad.append('%s: not a finding: %r' % (name, line))
                continue
            rules.add(m.group(3))
        explained = set()
        for rep in python_reports(path) + gmime_reports(gmime, path):
            want = MAP.get(rep)
            if want is None:
                bad.append('%s: %s is not in the mapping table' % (name, rep))
            elif not want & rules:
                bad.append('%s: %s, but no finding of %s' % (
                    name, rep, ' or '.join(sorted(want))))
            else:
                explained |= want & rules
        extra = EXTRA.get(name, set())
        for rule in sorted(rules - explained - extra):
            bad.append('%s: %s, which neither parser reports, is not in '
                       'EXTRA' % (name, rule))
        for rule in sorted(extra - rules):
            bad.append('%s: EXTRA names %s, which mime-check does not '
                       'find' % (name, rule))
        for rule in extra:
            if rule not in WHY:
                bad.append('%s: no WHY for %s' % (name, rule))
    for line in bad:
        print('check_corpus: ' + line)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
