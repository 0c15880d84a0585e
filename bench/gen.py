#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Makes the benchmark's inputs, the same bytes on every run.

usage: gen.py random FILE MIB      random bytes (a seeded PRNG)
       gen.py ascii FILE MIB       mostly-ASCII UTF-8 prose (quoted-printable)
       gen.py chinese FILE MIB     UTF-8 Chinese text (base64)
"""
import random
import sys

WORDS = ("the of and to in is that for it as was with be by on not he this "
         "are or his from at which but have an they you were her she there "
         "one all we their been has would when if so what about more will "
         "message mail attachment header boundary encoding transfer line "
         "quoted printable base64 stream composer library tool pipe").split()
ACCENTED = ("café naïve déjà-vu Zoë Müller façade coöperate "
            "smörgåsbord").split()


def random_file(f, size):
    rng = random.Random(6)
    block = 1 << 20
    while size > 0:
        n = min(block, size)
        f.write(rng.randbytes(n))
        size -= n


def ascii_text(f, size):
    """Prose in lines of 50-75 characters, one accented word in ~40."""
    rng = random.Random(2045)
    out = bytearray()
    while len(out) < size:
        line, width = [], rng.randint(50, 75)
        n = 0
        while n < width:
            w = rng.choice(ACCENTED if rng.random() < 0.025 else WORDS)
            line.append(w)
            n += len(w) + 1
        s = " ".join(line)
        s = s[0].upper() + s[1:] + ".\n"
        out += s.encode()
    f.write(bytes(out[:size]).rsplit(b"\n", 1)[0] + b"\n")


def chinese_text(f, size):
    """Lines of 20-38 CJK characters with punctuation (3 bytes each)."""
    rng = random.Random(2047)
    common = [chr(c) for c in range(0x4e00, 0x4e00 + 3000)]
    out = bytearray()
    while len(out) < size:
        k = rng.randint(20, 38)
        s = "".join(rng.choice(common) if rng.random() > 0.08 else "，"
                    for _ in range(k)) + "。\n"
        out += s.encode()
    f.write(bytes(out[:size]).rsplit(b"\n", 1)[0] + b"\n")


def main():
    kind, path, mib = sys.argv[1], sys.argv[2], int(sys.argv[3])
    fn = {"random": random_file, "ascii": ascii_text,
          "chinese": chinese_text}[kind]
    with open(path, "wb") as f:
        fn(f, mib << 20)


if __name__ == "__main__":
    main()
