#!/usr/bin/env python3
"""Turns a text file into a C source defining one string (the built-in demo config)."""
import sys

src, dst, name = sys.argv[1], sys.argv[2], sys.argv[3]
data = open(src, 'rb').read()
with open(dst, 'w') as f:
    f.write('/* generated from %s by config/embed.py; do not edit */\n' % src.split('/')[-1])
    f.write('const char %s[] =\n' % name)
    for line in data.splitlines(keepends=True):
        out = []
        for b in line:
            c = chr(b)
            if c in '"\\':
                out.append('\\' + c)
            elif c == '\n':
                out.append('\\n')
            elif 32 <= b < 127 and c != '?':
                out.append(c)
            else:
                out.append('\\%03o' % b)
        f.write('    "%s"\n' % ''.join(out))
    f.write('    ;\n')
