#!/usr/bin/env python3
"""Every config key that --print-reference lists is used by some test
(a test script, a C test, a good config of the corpus, or the demo config
that the golden screenshots and demo_smoke render), so a key with no effect
cannot hide. The keys below have no test yet; the list may only shrink: a
key in it that a test now uses, or a new key without a test, fails here.
Usage: keys_test.py PANTAU SRCDIR"""
import glob
import os
import re
import subprocess
import sys

PANTAU, SRC = sys.argv[1:3]
# Keys no test sets yet (each has an effect in the code; a test is owed).
# Empty since issue 11: every key has one.
UNTESTED = set()


def main():
    ref = subprocess.run([PANTAU, '--print-reference'], capture_output=True, text=True, check=True).stdout
    keys = sorted(set(re.findall(r'^\| `([a-z_]+)`', ref, re.M)))
    files = (glob.glob(os.path.join(SRC, 'tests', '*.py')) + glob.glob(os.path.join(SRC, 'tests', '*.c')) +
             glob.glob(os.path.join(SRC, 'tests', 'config', 'good', '*.yaml')) +
             [os.path.join(SRC, 'config', 'demo.yaml')])
    text = ''
    for f in files:
        if os.path.basename(f) != 'keys_test.py':
            with open(f, errors='replace') as fh:
                text += fh.read() + '\n'
    failures = []
    for k in keys:
        used = re.search(r'(^|[^a-z_])%s:' % re.escape(k), text) is not None
        if not used and k not in UNTESTED:
            failures.append('key "%s" is used by no test: add a test that shows its effect' % k)
        if used and k in UNTESTED:
            failures.append('key "%s" now has a test: remove it from UNTESTED in tests/keys_test.py' % k)
    for k in sorted(UNTESTED - set(keys)):
        failures.append('UNTESTED names "%s", which is no longer a key' % k)
    for f in failures:
        print('FAIL: ' + f)
    print('%d keys, %d used by tests, %d without a test yet (%s): %s'
          % (len(keys), len(keys) - len(UNTESTED & set(keys)), len(UNTESTED & set(keys)),
             ', '.join(sorted(UNTESTED & set(keys))), 'FAILED' if failures else 'ok'))
    sys.exit(1 if failures else 0)


main()
