#!/usr/bin/env python3
"""tests/fuzz/run.py EXE SECONDS SEED_DIR...: runs one libFuzzer target for
SECONDS on a scratch copy of its seed corpora (the repository is never
written), prints executions, executions per second and coverage, and exits
non-zero on a crash, leak or timeout (the input is kept beside EXE as
crash-*, leak-* or timeout-*: make it a regression test)."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

exe, seconds, seeds = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
name = os.path.basename(exe)
with tempfile.TemporaryDirectory(prefix='pantau-fuzz-') as work:
    corpus = os.path.join(work, 'corpus')
    os.mkdir(corpus)
    n = 0
    for d in seeds:
        for root, _, files in os.walk(d):
            for f in files:
                shutil.copy(os.path.join(root, f), os.path.join(corpus, '%05d' % n))
                n += 1
    art = os.path.join(os.path.dirname(os.path.abspath(exe)), name + '-')
    cmd = [exe, '-max_total_time=%d' % seconds, '-timeout=10', '-rss_limit_mb=2048', '-print_final_stats=1',
           '-max_len=65536', '-artifact_prefix=' + art, corpus]
    r = subprocess.run(cmd, capture_output=True, text=True, errors='replace')
    out = r.stderr
    execs = re.search(r'stat::number_of_executed_units:\s*(\d+)', out)
    cov = re.findall(r'cov: (\d+) ft: (\d+)', out)
    rate = re.findall(r'exec/s: (\d+)', out)
    print('%s: %s executions in %d s (%s exec/s), coverage %s edges / %s features, %d seeds, corpus now %d'
          % (name, execs.group(1) if execs else '?', seconds, rate[-1] if rate else '?',
             cov[-1][0] if cov else '?', cov[-1][1] if cov else '?', n, len(os.listdir(corpus))))
    if r.returncode != 0:
        print(out[-6000:])
        print('%s: FAILED (exit %d); the input is saved as %s*' % (name, r.returncode, art))
    sys.exit(r.returncode)
