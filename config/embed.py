#!/usr/bin/env python3
"""Turns a text file into a C source defining one NUL-terminated char array
(the built-in demo config). An array of character constants, not a string
literal: ISO C caps string literals at 4095 bytes (-Woverlength-strings)."""
import sys

src, dst, name = sys.argv[1], sys.argv[2], sys.argv[3]
data = open(src, 'rb').read() + b'\0'
with open(dst, 'w') as f:
    f.write('/* generated from %s by config/embed.py; do not edit */\n' % src.split('/')[-1])
    f.write('const char %s[] = {\n' % name)
    for i in range(0, len(data), 12):
        f.write('    ' + ', '.join("'\\x%02x'" % b for b in data[i:i + 12]) + ',\n')
    f.write('};\n')
