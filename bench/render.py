#!/usr/bin/env python3
"""bench/render.py: frame time and CPU of the wall renderer with 24 panels of
text, clocks and status placeholders on a 1920x1080 canvas, headless, with
SDL's software renderer, over 1000 frames paced at 60 Hz (so the once-a-
second clock and age updates weigh in as on a real wall; ~17 s a run). The reference, measured in the
same run, is the same window drawing one tiny panel (clear + present).
Usage: bench/render.py [BUILD_DIR] [FRAMES]   (target: p99 < 4 ms)"""
import json
import os
import resource
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '..', 'build')
frames = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
pantau = os.path.join(build, 'pantau')
env = dict(os.environ, SDL_VIDEODRIVER='offscreen')


def measure(cfg):
    with tempfile.NamedTemporaryFile(suffix='.json') as st:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([pantau, cfg, '--headless', '--renderer', 'software', '--frames', str(frames),
                        '--every-frame', '--fps', '60', '--stats', st.name, '--log-level', 'error'],
                       env=env, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        s = json.load(open(st.name))
    s['process_cpu_s'] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return s


ref = measure(os.path.join(here, 'empty.yaml'))
wall = measure(os.path.join(here, 'render.yaml'))
print('bench/render: %d frames, 1920x1080, software renderer, headless' % frames)
print('%-26s %9s %9s %9s %14s' % ('', 'p50 ms', 'p99 ms', 'max ms', 'CPU ms/frame'))
for name, s in (('reference (1 tiny panel)', ref), ('24 panels', wall)):
    print('%-26s %9.3f %9.3f %9.3f %14.3f' % (name, s['p50_ms'], s['p99_ms'], s['max_ms'], s['cpu_ms_per_frame']))
print('ratio 24 panels / reference: p50 %.2f x, p99 %.2f x, CPU %.2f x' % (
    wall['p50_ms'] / ref['p50_ms'], wall['p99_ms'] / ref['p99_ms'],
    wall['cpu_ms_per_frame'] / ref['cpu_ms_per_frame']))
print('whole process incl. start-up: %.2f s CPU for %d frames' % (wall['process_cpu_s'], frames))
ok = wall['p99_ms'] < 4.0
print('target p99 < 4 ms: %s (%.3f ms)' % ('met' if ok else 'NOT met', wall['p99_ms']))
