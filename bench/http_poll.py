#!/usr/bin/env python3
"""bench/http_poll.py: the cost of polling many HTTP JSON sources (not named
http.py: that would hide the standard library's http package). A local HTTP
server (ThreadingHTTPServer, HTTP/1.1 keep-alive, in a child process) serves
50 JSON endpoints /src/0 .. /src/49; each reply (~2 KB: a total, today's
count and 20 items) is new on every request, so every poll is a 200 that
pantau parses and every counter changes once a second (no 304 shortcut).
Pantau runs headless (software renderer, 1920x1080, --fps 60) on a wall of
50 http sources, one counter panel per source on a 10 x 5 grid.

Two runs of SECONDS s each, measured after the first poll of every source
and 2 s of warm-up:
  reference  every: 1h  one poll at start, then idle (the CPU baseline)
  load       every: 1s  50 polls a second
Measured: requests the server answered per source, the poll periods (from
their arrival times) and the TCP connections pantau opened (keep-alive
reuse); CPU of pantau outside the render thread (/proc/PID/stat of the
process minus the main thread, tid == pid, so exited threads count too;
/proc/PID/task/*/stat per thread) and of the render thread, as shares of
one core; render CPU per drawn frame (--stats); open fds (/proc/PID/fd) and
RSS every 2 s; polls and errors as pantau counted them (--dump-scene).
Totals keep the same number of digits all run, so no new font size (an
open font file) is counted as fd growth.

Usage: bench/http_poll.py [BUILD_DIR] [SECONDS]   (default build/, 60 s; ~2.5 min)
Targets: about SECONDS requests per source; <= 2% of one core outside the
render thread; no growth in open fds; no growing memory."""
import json
import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import TICK, n_fds, rss_kib, slope_kib_per_min, stat_cpu  # noqa: E402

here = os.path.dirname(os.path.abspath(__file__))
build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '..', 'build')
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 60.0
pantau = os.path.join(build, 'pantau')
env = dict(os.environ, SDL_VIDEODRIVER='offscreen')

SOURCES, COLS, ROWS = 50, 10, 5
FPS = 60
WARMUP = 2.0
SAMPLE_EVERY = 2.0
CPU_TARGET = 2.0  # % of one core outside the render thread
ITEMS = 20

WALL = """version: 1
locale: id
wall:
  displays: { columns: 1, rows: 1, size: [1920, 1080] }
  grid: [%d, %d]
sources:
%s
pages:
  - panels:
%s"""


# ------------------------------------------------------------------ server

class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'   # keep-alive: pantau reuses its connections
    disable_nagle_algorithm = True  # no Nagle wait between the header and body writes

    def do_GET(self):
        srv = self.server
        path = self.path.split('?', 1)[0]
        if path == '/_stats':
            with srv.lock:
                body = json.dumps(srv.counts + [srv.connections]).encode()
        elif path == '/_times':
            with srv.lock:
                body = json.dumps(srv.times).encode()
        elif path.startswith('/src/') and path[5:].isdigit() and int(path[5:]) < SOURCES:
            i = int(path[5:])
            with srv.lock:
                n = srv.counts[i] = srv.counts[i] + 1
                if not getattr(self, 'counted', False):  # one handler per TCP connection
                    self.counted = True
                    srv.connections += 1
                srv.times[i].append(time.monotonic())
            items = [{'id': 'B%02d-%06d' % (i, n - k), 'waktu': '2026-11-25T08:%02d:%02d+07:00' % (k // 60, k % 60),
                      'kategori': ('Jalan rusak', 'Sampah', 'Banjir/genangan', 'Lampu jalan mati')[k % 4],
                      'status': ('diterima', 'diteruskan', 'selesai')[k % 3]} for k in range(ITEMS)]
            body = json.dumps({'total': 100000 + 1000 * i + n, 'today': n, 'source': i, 'items': items}).encode()
        else:
            body = b'{"error": "not found"}'
            self.send_response(404)
            self._finish(body)
            return
        self.send_response(200)
        self._finish(body)

    def _finish(self, body):
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.send_header('Cache-Control', 'no-cache')
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass


def serve(port_q, stop_evt):
    srv = Server(('127.0.0.1', 0), Handler)
    srv.lock = threading.Lock()
    srv.counts = [0] * SOURCES
    srv.connections = 0
    srv.times = [[] for _ in range(SOURCES)]  # CLOCK_MONOTONIC of every request, per source
    port_q.put(srv.server_address[1])
    t = threading.Thread(target=srv.serve_forever, kwargs={'poll_interval': 0.1}, daemon=True)
    t.start()
    stop_evt.wait()
    srv.shutdown()
    srv.server_close()


def served(port, what='stats'):
    with urllib.request.urlopen('http://127.0.0.1:%d/_%s' % (port, what), timeout=5) as r:
        return json.load(r)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # listen backlog: 50 sources may connect at once (the default 5 drops SYNs)

    def handle_error(self, request, client_address):
        # pantau closing its keep-alive connections when it stops is normal.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


# ------------------------------------------------------------------ pantau

def config(port, every):
    sources = '\n'.join('  s%d: { http: "http://127.0.0.1:%d/src/%d", every: %s }' % (i, port, i, every)
                        for i in range(SOURCES))
    panels = '\n'.join('      - { id: c%d, counter: s%d, value: $.total, today: $.today, unit: polls, '
                       'at: [%d, %d, 1, 1], label: "s%d" }' % (i, i, i % COLS, i // COLS, i)
                       for i in range(SOURCES))
    return WALL % (COLS, ROWS, sources, panels) + '\n'


def threads(pid):
    """{tid: (name, CPU s)} of pantau's live threads."""
    out = {}
    for tid in os.listdir('/proc/%d/task' % pid):
        try:
            with open('/proc/%d/task/%s/comm' % (pid, tid)) as f:
                name = f.read().strip()
            out[int(tid)] = (name, stat_cpu('/proc/%d/task/%s/stat' % (pid, tid)))
        except (FileNotFoundError, ProcessLookupError):
            pass
    return out


def run(d, port, name, every, secs):
    cfg = os.path.join(d, name + '.yaml')
    with open(cfg, 'w') as f:
        f.write(config(port, every))
    stats = os.path.join(d, name + '-stats.json')
    dump = os.path.join(d, name + '-scene.json')
    log = open(os.path.join(d, name + '.log'), 'w+')
    check = subprocess.run([pantau, '--check', cfg], capture_output=True, text=True)
    if check.returncode != 0:
        sys.exit('bench/http: generated config rejected:\n' + check.stdout + check.stderr)
    started = time.monotonic()
    p = subprocess.Popen([pantau, cfg, '--headless', '--renderer', 'software', '--fps', str(FPS),
                          '--stats', stats, '--dump-scene', dump, '--log-level', 'info'],
                         env=env, stdout=subprocess.DEVNULL, stderr=log)
    pid = p.pid

    def fail(why):
        p.kill()
        p.wait()
        log.seek(0)
        sys.exit('bench/http: %s: %s\n%s' % (name, why, log.read()[-3000:]))

    # Until every source has been polled once.
    base = served(port)
    deadline = time.monotonic() + 30
    while True:
        now = served(port)
        if all(now[i] > base[i] for i in range(SOURCES)):
            break
        if p.poll() is not None:
            fail('pantau exited %d' % p.returncode)
        if time.monotonic() > deadline:
            fail('not every source was polled within 30 s (%d of %d)' % (
                sum(now[i] > base[i] for i in range(SOURCES)), SOURCES))
        time.sleep(0.05)
    time.sleep(WARMUP)

    req0 = served(port)
    t0 = time.monotonic()
    cpu0 = (stat_cpu('/proc/%d/stat' % pid), stat_cpu('/proc/%d/task/%d/stat' % (pid, pid)))
    th0 = threads(pid)
    samples = [(0.0, n_fds(pid), rss_kib(pid))]
    next_sample = t0 + SAMPLE_EVERY
    while time.monotonic() < t0 + secs:
        time.sleep(max(0.0, min(next_sample, t0 + secs) - time.monotonic()))
        if p.poll() is not None:
            fail('pantau exited %d during the run' % p.returncode)
        if time.monotonic() >= next_sample:
            samples.append((time.monotonic() - t0, n_fds(pid), rss_kib(pid)))
            next_sample += SAMPLE_EVERY
    cpu1 = (stat_cpu('/proc/%d/stat' % pid), stat_cpu('/proc/%d/task/%d/stat' % (pid, pid)))
    th1 = threads(pid)
    t1 = time.monotonic()
    req1 = served(port)
    samples.append((t1 - t0, n_fds(pid), rss_kib(pid)))
    # Poll periods and bursts from the server's arrival times (CLOCK_MONOTONIC
    # is one clock for every process on the machine).
    times = [[x for x in ts if t0 <= x <= t1] for ts in served(port, 'times')]
    periods = [b - a for ts in times for a, b in zip(ts, ts[1:])]
    el = t1 - t0

    p.send_signal(signal.SIGTERM)
    try:
        rc = p.wait(timeout=20)
    except subprocess.TimeoutExpired:
        fail('pantau did not stop on SIGTERM')
    lifetime = time.monotonic() - started
    if rc != 0:
        fail('pantau exited %d' % rc)
    with open(stats) as f:
        s = json.load(f)
    with open(dump) as f:
        scene = json.load(f)
    log.seek(0)
    s['warnings'] = [l for l in log.read().splitlines() if ' WARN ' in l or ' ERROR ' in l]
    per_thread = []
    for tid, (tname, c1) in th1.items():
        c0 = th0.get(tid, (tname, 0.0))[1]
        per_thread.append((tid, tname, (c1 - c0) / el))
    per_thread.sort(key=lambda x: -x[2])
    srcs = [scene['sources']['s%d' % i] for i in range(SOURCES)]
    s.update(secs=el, lifetime=lifetime, samples=samples, per_thread=per_thread, pid=pid, periods=periods,
             requests=[req1[i] - req0[i] for i in range(SOURCES)], connections=req1[SOURCES] - req0[SOURCES],
             process_core=(cpu1[0] - cpu0[0]) / el, render_core=(cpu1[1] - cpu0[1]) / el,
             # The process and per-thread times are rounded apart: a tick of noise.
             other_core=max(0.0, (cpu1[0] - cpu0[0]) - (cpu1[1] - cpu0[1])) / el,
             polls_ok=sum(x['frames'] for x in srcs), poll_errors=sum(x['errors'] for x in srcs),
             not_live=[i for i, x in enumerate(srcs) if x['status'] != 'live'])
    return s


def main():
    if not os.access(pantau, os.X_OK):
        sys.exit('bench/http: %s not found; build first (ninja -C build)' % pantau)
    port_q, stop_evt = multiprocessing.Queue(), multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(port_q, stop_evt), daemon=True)
    server.start()
    port = port_q.get(timeout=10)
    try:
        with urllib.request.urlopen('http://127.0.0.1:%d/src/0' % port, timeout=5) as r:
            body_size = len(r.read())
        with tempfile.TemporaryDirectory() as d:
            ref = run(d, port, 'reference', '1h', seconds)
            load = run(d, port, 'load', '1s', seconds)
    finally:
        stop_evt.set()
        server.join(5)
        if server.is_alive():
            server.terminate()
    report(ref, load, body_size)


def report(ref, load, body_size):
    print('bench/http: %d http sources on a local ThreadingHTTPServer (keep-alive, %d B JSON replies, new '
          'every request), one counter each on a %dx%d grid; pantau headless 1920x1080, software renderer, '
          '--fps %d; %d CPUs' % (SOURCES, body_size, COLS, ROWS, FPS, os.cpu_count()))
    print()
    cols = (('every: 1h (reference)', ref), ('every: 1s (load)', load))
    print('%-40s %22s %22s' % ('', cols[0][0], cols[1][0]))
    print('(CPU from /proc in ticks of %g ms: +-%.2f%% of a core over the window)' % (
        1000.0 / TICK, 100.0 / TICK / load['secs']))

    def row(label, f):
        print('%-40s %22s %22s' % (label, f(ref), f(load)))

    row('measured window', lambda s: '%.1f s' % s['secs'])
    row('requests served per source min/med/max',
        lambda s: '%d / %g / %d' % (min(s['requests']), statistics.median(s['requests']), max(s['requests'])))
    row('requests served, all sources', lambda s: '%d (%.1f/s)' % (sum(s['requests']), sum(s['requests']) / s['secs']))
    row('TCP connections opened (per request)', lambda s: '%d (%.2f)' % (
        s['connections'], s['connections'] / max(1, sum(s['requests']))))
    row('poll period min / mean / max', lambda s: '%.0f / %.1f / %.0f ms' % (
        1000 * min(s['periods']), 1000 * statistics.fmean(s['periods']), 1000 * max(s['periods']))
        if s['periods'] else '-')
    row('polls pantau counted ok / errors', lambda s: '%d / %d' % (s['polls_ok'], s['poll_errors']))
    row('CPU outside the render thread', lambda s: '%.2f%% of a core' % (100 * s['other_core']))
    row('CPU of the render thread', lambda s: '%.2f%% of a core' % (100 * s['render_core']))
    row('CPU of the whole process', lambda s: '%.2f%% of a core' % (100 * s['process_core']))
    row('frames drawn, whole run (per second)', lambda s: '%d (%.1f/s)' % (s['frames'], s['frames'] / s['lifetime']))
    row('render CPU per drawn frame (--stats)', lambda s: '%.3f ms' % s['cpu_ms_per_frame'])
    row('frame time p50 / p99 (--stats)', lambda s: '%.2f / %.2f ms' % (s['p50_ms'], s['p99_ms']))
    row('open fds start / min / max / end', lambda s: '%d / %d / %d / %d' % (
        s['samples'][0][1], min(x[1] for x in s['samples']), max(x[1] for x in s['samples']), s['samples'][-1][1]))
    row('RSS start / max / end', lambda s: '%.1f / %.1f / %.1f MB' % (
        s['samples'][0][2] / 1024, max(x[2] for x in s['samples']) / 1024, s['samples'][-1][2] / 1024))
    row('RSS slope, second half', lambda s: '%+.0f KiB/min' % slope_kib_per_min(
        [(x[0], x[2]) for x in s['samples'][len(s['samples']) // 2:]]))
    row('pantau warnings / errors logged', lambda s: '%d' % len(s['warnings']))
    print()
    print('threads by CPU during the load window (% of a core; tid == pid is the render thread):')
    for tid, tname, core in load['per_thread']:
        if core > 0 or tid == load['pid']:
            print('    tid %-8d %-16s %6.2f%%%s' % (tid, tname, 100 * core, '   (render)' if tid == load['pid'] else ''))
    others = sum(c for tid, _, c in load['per_thread'] if tid != load['pid'])
    print('    live threads other than the render thread: %.2f%%; process minus render thread: %.2f%% '
          '(includes threads that exited in the window)' % (100 * others, 100 * load['other_core']))
    print('open fds every %g s under load: %s' % (SAMPLE_EVERY, ' '.join(str(x[1]) for x in load['samples'])))
    print('RSS every %g s under load (MB): %s' % (SAMPLE_EVERY, ' '.join('%.1f' % (x[2] / 1024) for x in load['samples'])))
    for s, label in ((ref, 'reference'), (load, 'load')):
        if s['warnings']:
            print('%s: pantau logged %d warnings, e.g. %s' % (label, len(s['warnings']), s['warnings'][0]))
        if s['not_live']:
            print('%s: sources not live at the end: %s' % (label, ', '.join('s%d' % i for i in s['not_live'])))
    print()

    # Verdicts.
    # every: 1s. The 50 sources poll in one burst, so the window's edges make
    # all of them 19 or all 20 in 20 s: the count is checked to within one,
    # the rate from the poll periods.
    expect = load['secs']
    lo, hi = min(load['requests']), max(load['requests'])
    period = statistics.fmean(load['periods']) if load['periods'] else float('inf')
    ok1 = lo >= int(0.98 * expect) - 1 and hi <= expect + 1 and period <= 1.02
    print('target ~%.0f requests per source (every 1 s for %.0f s): %s (min %d, max %d; mean poll period %.1f ms '
          '= %.3f polls/s per source)' % (expect, expect, 'met' if ok1 else 'NOT met', lo, hi, 1000 * period,
                                          1 / period))
    other = 100 * load['other_core']
    added = 100 * (load['other_core'] - ref['other_core'])
    print('target <= %.0f%% of one core outside the render thread: %s (%.2f%%; %+.2f%% vs the idle reference at '
          '%.2f%%)' % (CPU_TARGET, 'met' if other <= CPU_TARGET else 'NOT met', other, added, 100 * ref['other_core']))
    print('render thread under load: %.2f%% of a core (%+.2f%% vs the reference: 50 counters redrawn once a second)' % (
        100 * load['render_core'], 100 * (load['render_core'] - ref['render_core'])))
    fds = [x[1] for x in load['samples']]
    third = max(1, len(fds) // 3)
    grow = max(fds[-third:]) - max(fds[:third])
    if load['secs'] < 30:
        verdict = 'undetermined (run 30 s or longer)'
    else:
        verdict = 'met' if grow <= 0 and fds[-1] <= fds[0] else 'NOT met'
    print('target no growth in open fds: %s (start %d, end %d, max of the last third - max of the first third %+d)' % (
        verdict, fds[0], fds[-1], grow))
    rss = [(x[0], x[2]) for x in load['samples']]
    half = rss[len(rss) // 2:]
    slope = slope_kib_per_min(half)
    growm = (half[-1][1] - half[0][1]) / 1024
    if load['secs'] < 30:
        verdict = 'undetermined (run 30 s or longer)'
    else:
        verdict = 'met' if growm < 1 and slope < 64 else 'NOT met'
    print('target no growing memory: %s (%+.1f MB from %.0f s to the end, slope %+.0f KiB/min)' % (
        verdict, growm, half[0][0], slope))
    ok5 = load['poll_errors'] == 0 and not load['not_live']
    print('every poll succeeded: %s (%d errors counted by pantau)' % ('yes' if ok5 else 'NO', load['poll_errors']))
    sys.stdout.flush()


if __name__ == '__main__':
    main()
