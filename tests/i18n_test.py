#!/usr/bin/env python3
"""Every failure reason a feed can put on a panel has a row in the reason
catalogue of core/i18n.c (so an Indonesian wall shows it in Indonesian).
Reads the sources: each format string written into a reason (snprintf into
why/out/err, a literal given to scene_source_set_status or set_retrying, the
MQTT CONNACK table) is normalised (every printf conversion becomes %s) and
looked up among the catalogue's English patterns. Formats made only of
conversions and punctuation ("%s: %s", "HTTP %ld%s") join catalogued parts
and are skipped. Usage: i18n_test.py SRCDIR"""
import os
import re
import sys

SRC = sys.argv[1]
CONV = re.compile(r'%[-+ #0]*(\*|\d+)?(\.(\*|\d+))?(hh|h|ll|l|z|j|t)?[diouxXeEfgGcsp]')
LIT = r'"((?:[^"\\]|\\.)*)"'
# Where reasons are made: the first string literal after these.
SITES = [
    re.compile(r'snprintf\(\s*(?:why|out|err|msg)\s*,\s*[^,]+,\s*' + LIT),
    re.compile(r'scene_source_set_status\([^,]+,[^,]+,\s*' + LIT),
    re.compile(r'set_retrying\([^,]+,[^;]*?' + LIT),
    re.compile(r'\bfail\(\s*s\s*,\s*' + LIT),
    # fail(s, cond ? "one" : "other"): both
    re.compile(r'\bfail\(\s*s\s*,\s*[^;"]*\?\s*' + LIT),
    re.compile(r'\bfail\(\s*s\s*,\s*[^;"]*\?\s*"(?:[^"\\]|\\.)*"\s*:\s*' + LIT),
]
# Files whose snprintf(err/out ...) lines are reasons shown on panels.
FILES = ['feeds/video.c', 'feeds/video_session.c', 'feeds/http.c', 'feeds/mqtt.c', 'feeds/feed.c', 'feeds/payload.c',
         'feeds/extract.c', 'app/main.c']
# Formats that join parts, and the parts' formats each must have a row.
COMPOSITE = {
    'timeout: no %s in %s s': ['timeout: no data in %s s', 'timeout: no answer in %s s'],
    'HTTP %s%s': ['HTTP %s', 'HTTP %s (check bearer / username / password)', 'HTTP %s (check the URL)',
                  'HTTP %s (too many requests)'],
    'payload is not valid JSON%s': ['payload is not valid JSON', 'payload is not valid JSON (a path is set)'],
}
# Formats in those files that are not reasons (config and path-compile
# errors go to the technician's terminal, in English like every log).
NOT_REASONS = re.compile(r'^path |^%s$|^%s feed$|last error')


def catalogue():
    with open(os.path.join(SRC, 'core', 'i18n.c')) as f:
        text = f.read()
    body = text[text.index('static const char *const reasons[][2] = {'):]
    body = body[:body.index('\n};')]
    rows = re.findall(r'\{\s*' + LIT + r',\s*((?:' + LIT + r'\s*)+)\}', body)
    def unescape(lit):
        return bytes(lit, 'utf-8').decode('unicode_escape')
    return {unescape(en): ''.join(re.findall(LIT, idtext)) for en, idtext, _ in rows}


def main():
    cat = catalogue()
    failures = []
    for en, idn in cat.items():
        if not idn:
            failures.append('catalogue row "%s" has no Indonesian text' % en)
    found = 0
    for rel in FILES:
        with open(os.path.join(SRC, rel)) as f:
            text = f.read()
        lits = []
        for site in SITES:
            lits += site.findall(text)
        if rel == 'feeds/mqtt.c':
            table = text[text.index('static const char *const connack[]'):]
            lits += re.findall(LIT, table[:table.index('};')])
        for lit in lits:
            fmt = CONV.sub('%s', bytes(lit, 'utf-8').decode('unicode_escape'))
            if NOT_REASONS.search(fmt) or not re.search(r'[A-Za-z]{2}', CONV.sub('', fmt).replace('%s', '')):
                continue
            if rel == 'app/main.c' and 'feeds off' not in fmt:
                continue
            found += 1
            for part in COMPOSITE.get(fmt, []):
                if part not in cat:
                    failures.append('%s: reason "%s" (a form of "%s") has no row in the catalogue of core/i18n.c'
                                    % (rel, part, fmt))
            if fmt not in cat and fmt not in COMPOSITE:
                failures.append('%s: reason "%s" has no row in the catalogue of core/i18n.c' % (rel, fmt))
    for f in failures:
        print('FAIL: ' + f)
    print('%d reason formats in the sources, %d catalogue rows: %s'
          % (found, len(cat), 'ok' if not failures and found >= 50 else 'FAILED'))
    sys.exit(1 if failures or found < 30 else 0)


main()
