#!/usr/bin/env python3
"""bench/monitors.py: what more canvas costs, to size a wall's machines.

The same 24 D1 cameras (bench/video.py's clips and RTSP server, a 6x4 grid of
panels) on one machine driving 1, 2 and 4 monitors of 1920x1080:

  - full screen on an X server (Xvfb) whose one screen spans the monitors
    (1920x1080, 3840x1080, 3840x2160), the usual multi-head set-up; SDL's
    software renderer (Pantau picks it over emulated OpenGL by itself);
  - 4 monitors again with one window per monitor (wall.displays.outputs:
    auto), headless (the offscreen driver has one display), which adds the
    copy of each monitor's part into its window.

For each: pantau's CPU (all threads) and the X server's, in cores, over the
same window; that sum against the decode floor of the 24 streams measured in
the same run (`ffmpeg -threads 1 -f null`, as bench/video.py); the render
thread's cores; frame time p50/p99 (--stats); frames shown / sent; RSS.

Usage: bench/monitors.py [BUILD_DIR] [SECONDS]   (default build/, 30 s each;
about 4 minutes with the clips cached by bench/video.py)."""
import os
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '..', 'build')
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 30.0
sys.argv = [sys.argv[0], build, str(seconds)]  # video.py reads its own arguments at import
import video  # noqa: E402

WALL_CLASS = video.Wall  # run_case swaps video.Wall for a Launch while it runs

MONITOR = (1920, 1080)
CASES = (  # name, columns, rows, how
    ('1 monitor', 1, 1, 'x11'),
    ('2 monitors', 2, 1, 'x11'),
    ('4 monitors', 2, 2, 'x11'),
    ('4 windows', 2, 2, 'outputs'),
)


def config(server, cols, rows, outputs):
    text = video.wall_config(server, ['/d1-%02d' % i for i in range(video.STREAMS)])
    extra = ', outputs: auto' if outputs else ''
    return text.replace('displays: { columns: 1, rows: 1, size: [1920, 1080] }',
                        'displays: { columns: %d, rows: %d, size: [%d, %d]%s }' % (cols, rows, MONITOR[0],
                                                                                  MONITOR[1], extra))


class Launch:
    """Makes video.Wall start pantau full screen on an X display, or headless."""

    def __init__(self, display):
        self.display = display

    def __call__(self, d, name, cfg_text):
        w = WALL_CLASS.__new__(WALL_CLASS)
        w.name = name
        w.cfg = os.path.join(d, name.replace(' ', '-') + '.yaml')
        with open(w.cfg, 'w') as f:
            f.write(cfg_text)
        chk = subprocess.run([video.pantau, '--check', w.cfg], capture_output=True, text=True)
        if chk.returncode != 0:
            video.fail('%s: generated config rejected:\n%s%s' % (name, chk.stdout, chk.stderr))
        w.stats = os.path.join(d, name.replace(' ', '-') + '-stats.json')
        w.dump = os.path.join(d, name.replace(' ', '-') + '-scene.json')
        w.log = open(os.path.join(d, name.replace(' ', '-') + '.log'), 'w+')
        w.started = time.monotonic()
        args = [video.pantau, w.cfg, '--fps', str(video.FPS), '--stats', w.stats, '--dump-scene', w.dump,
                '--log-level', 'info']
        if self.display:
            env = dict(os.environ, DISPLAY=self.display, SDL_VIDEODRIVER='x11')
        else:
            env = dict(os.environ, SDL_VIDEODRIVER='offscreen')
            args += ['--headless']
        w.p = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=w.log, start_new_session=True)
        deadline = time.monotonic() + 20
        while 'starting on' not in video.tail(w.log, 10 ** 6):
            if w.p.poll() is not None or time.monotonic() > deadline:
                video.stop_group(w.p)
                video.fail('%s: pantau did not start:\n%s' % (name, video.tail(w.log)))
            time.sleep(0.05)
        return w


def run_case(d, server, name, cols, rows, how):
    xvfb, display, xlog = None, None, None
    if how == 'x11':
        try:
            display, xvfb, xlog = video.start_xvfb(d, name.replace(' ', '-'),
                                                   '%dx%d' % (cols * MONITOR[0], rows * MONITOR[1]))
        except RuntimeError as e:
            video.fail('%s: %s' % (name, e))
    orig_wall, orig_measure = video.Wall, video.measure
    extra = {}

    def measure(procs, secs):
        if xvfb:
            procs = dict(procs, xvfb=xvfb)
        el, cores, rss, threads = orig_measure(procs, secs)
        extra['xvfb'] = cores.get('xvfb', 0.0)
        return el, cores, rss, threads

    video.Wall, video.measure = Launch(display), measure
    try:
        res = video.run_pantau(d, server, name, config(server, cols, rows, how == 'outputs'), seconds,
                               video.STREAMS)
    finally:
        video.Wall, video.measure = orig_wall, orig_measure
        if xvfb:
            video.stop_group(xvfb)
            xlog.close()
    res['xvfb_core'] = extra.get('xvfb', 0.0)
    res['how'] = how
    res['pixels'] = cols * rows * MONITOR[0] * MONITOR[1]
    return res


def main():
    if not os.access(video.pantau, os.X_OK):
        video.fail('%s not found; build first (meson compile -C build)' % video.pantau)
    cl = video.clips()
    floor = sum(video.decode_cpu(c['path']) / c['duration'] for c in cl['d1']) / len(cl['d1']) * video.STREAMS
    rows = []
    with tempfile.TemporaryDirectory() as d:
        server = video.Server(d, cl)
        try:
            for name, cols, nrows, how in CASES:
                rows.append((name, run_case(d, server, name, cols, nrows, how)))
        finally:
            server.stop()
    print()
    print('24 x D1 cameras (6x4 panels), %.0f s each; decode floor of the 24 streams: %.2f cores (same run)'
          % (seconds, floor))
    print()
    print('| monitors | drawn as | pantau cores | X server | (pantau + X) / floor | render thread | '
          'frame p50 / p99 ms | shown / sent | RSS MB |')
    print('|---|---|---|---|---|---|---|---|---|')
    for name, r in rows:
        shown = r['shown'] / r['sent'] if r['sent'] else 0.0
        how = 'one X screen (Xvfb)' if r['how'] == 'x11' else 'a window per monitor (headless)'
        print('| %s | %s | %.2f | %.2f | %.2f x | %.2f | %.1f / %.1f | %.1f %% | %.0f |' % (
            name, how, r['core'], r['xvfb_core'], (r['core'] + r['xvfb_core']) / floor, r['render_core'],
            r.get('p50_ms', 0.0), r.get('p99_ms', 0.0), 100 * shown, max(r['rss']) / 1024))
    print()
    print('machine: %d cores; the RTSP server shares them (not counted above)' % os.cpu_count())


if __name__ == '__main__':
    main()
