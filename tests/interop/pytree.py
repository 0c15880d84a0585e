#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""usage: pytree.py [--compat-names] MESSAGE...

Parses each MESSAGE with Python's email package (policy=default) and prints
its tree in the format of tests/interop/gmime-tree.c, so the two outputs can
be compared byte for byte:

  == PATH
  DEPTH <TAB> hdr <TAB> NAME <TAB> VALUE        (per message, decoded)
  DEPTH <TAB> TYPE <TAB> CHARSET <TAB> FILENAME <TAB> CONTENT-ID <TAB> SHA256
      <TAB> DESCRIPTION

"-" stands for an absent value; SHA256 (leaves only) is the hash of
get_payload(decode=True), with CRLF made LF in text parts.  A message/rfc822
part is followed by the message inside it, one level deeper.

Any defect (in the message, a part or a header field) is printed on
standard error and makes the exit status 1; with --compat-names, but for
the two that Content-Type's name="=?utf-8?...?=" of mime-attach
--compat-names brings (SPEC 5 sets them aside)."""

import email
import email.policy
import hashlib
import sys

failed = False
current = ''


def defect(where, what):
    global failed
    failed = True
    print('pytree: %s: %s: %s' % (current, where, what), file=sys.stderr)


def esc(value):
    """The escapes of gmime-tree.c: backslash, control characters as \\xHH."""
    if value is None:
        return '-'
    return ''.join('\\\\' if c == '\\'
                   else '\\x%02x' % ord(c) if ord(c) < 0x20 or ord(c) == 0x7f
                   else c for c in str(value))


# --compat-names (SPEC 3, mime-attach) writes name="=?utf-8?B?...?=" on
# Content-Type on purpose; SPEC 5 sets aside what Python says of it.
COMPAT_DEFECTS = ('encoded word inside quoted string',
                  'missing trailing whitespace after encoded-word')
compat_names = False


def check_defects(part, where):
    for d in part.defects:
        defect(where, 'defect %s: %s' % (type(d).__name__, d))
    for name, value in part.items():
        for d in getattr(value, 'defects', ()):
            if (compat_names and name.lower() == 'content-type'
                    and str(d) in COMPAT_DEFECTS):
                continue
            defect(where, 'header %s: defect %s: %s'
                   % (name, type(d).__name__, d))


def addresses(header):
    if header is None:
        return None
    out = []
    for g in header.groups:
        mailboxes = []
        for a in g.addresses:
            if a.display_name:
                mailboxes.append('%s <%s>' % (a.display_name, a.addr_spec))
            else:
                mailboxes.append(a.addr_spec)
        if g.display_name is None:
            out.extend(mailboxes)
        else:
            out.append('%s: %s;' % (g.display_name, ', '.join(mailboxes)))
    return ', '.join(out) if out else None


def put_field(depth, name, value):
    print('%d\thdr\t%s\t%s' % (depth, name, esc(value)))


def put_headers(depth, msg):
    subject = msg['subject']
    put_field(depth, 'subject', None if subject is None else str(subject))
    for name in ('from', 'to', 'cc', 'bcc', 'reply-to'):
        put_field(depth, name, addresses(msg[name]))
    mid = msg['message-id']
    if mid is not None:
        mid = str(mid).strip()
        if mid.startswith('<') and mid.endswith('>'):
            mid = mid[1:-1]
    put_field(depth, 'message-id', mid)
    date = msg['date']
    put_field(depth, 'date', None if date is None or date.datetime is None
              else str(int(date.datetime.timestamp())))


def content_id(part):
    cid = part['content-id']
    if cid is None:
        return None
    cid = str(cid).strip()
    if cid.startswith('<') and cid.endswith('>'):
        cid = cid[1:-1]
    return cid


def leaf_hash(part, text):
    payload = part.get_payload(decode=True)
    if payload is None:
        payload = b''
    if text:
        payload = payload.replace(b'\r\n', b'\n')
    return hashlib.sha256(payload).hexdigest()


def put_part(depth, part, where):
    check_defects(part, where)
    ctype = part.get_content_type()
    text = part.get_content_maintype() == 'text'
    charset = part.get_content_charset() if text else None
    leaf = not part.is_multipart()
    desc = part['content-description']
    print('%d\t%s\t%s\t%s\t%s\t%s\t%s' % (
        depth, ctype, esc(charset), esc(part.get_filename()),
        esc(content_id(part)), leaf_hash(part, text) if leaf else '-',
        esc(None if desc is None else str(desc))))
    if ctype == 'message/rfc822':
        for n, inner in enumerate(part.get_payload()):
            put_headers(depth + 1, inner)
            put_part(depth + 1, inner, '%s.%d' % (where, n + 1))
    elif part.is_multipart():
        for n, sub in enumerate(part.get_payload()):
            put_part(depth + 1, sub, '%s.%d' % (where, n + 1))


def main():
    global current, compat_names
    sys.stdout.reconfigure(encoding='utf-8', errors='surrogateescape')
    args = sys.argv[1:]
    if args[:1] == ['--compat-names']:
        compat_names = True
        args = args[1:]
    if not args:
        sys.exit(__doc__)
    for path in args:
        current = path
        with open(path, 'rb') as f:
            msg = email.message_from_bytes(f.read(), policy=email.policy.default)
        print('== %s' % path)
        put_headers(0, msg)
        put_part(0, msg, '1')
    sys.stdout.flush()
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
