#!/usr/bin/env python3
"""tests/tidy_test.py: clang-tidy over every source file of the program
(app/ core/ config/ feeds/ widgets/) with the checked-in .clang-tidy
(bugprone, cert, concurrency, clang-analyzer); any finding fails. Skipped
(exit 77) where clang-tidy is not installed.

Usage: tidy_test.py SRCDIR BUILDDIR"""
import os
import shutil
import subprocess
import sys

src, build = sys.argv[1:3]
runner = shutil.which('run-clang-tidy') or shutil.which('run-clang-tidy-14')
if not shutil.which('clang-tidy') or not runner:
    print('clang-tidy not installed (Debian package clang-tidy): skipped')
    sys.exit(77)
if not os.path.exists(os.path.join(build, 'compile_commands.json')):
    print('no compile_commands.json in %s' % build)
    sys.exit(1)
pattern = '%s/(app|core|config|feeds|widgets)/' % os.path.realpath(src).lstrip('/')
r = subprocess.run([runner, '-p', build, '-quiet', '-j', str(os.cpu_count() or 2), pattern],
                   capture_output=True, text=True, cwd=src)
found = sorted({ln for ln in (r.stdout + r.stderr).splitlines() if ': error: ' in ln or ': warning: ' in ln})
for ln in found:
    print(ln)
if r.returncode != 0 or found:
    print('clang-tidy: %d finding(s)' % len(found))
    sys.exit(1)
print('clang-tidy: clean')
