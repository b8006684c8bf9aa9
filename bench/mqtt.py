#!/usr/bin/env python3
"""bench/mqtt.py: the MQTT sensor path of the wall, end to end, against a real
broker: its own mosquitto on a free 127.0.0.1 port and pantau headless
(software renderer, 1920x1080, --fps 60) on generated configs.

(1) Latency: one `number` panel on bench/latency; a publisher sends 20
    messages/s for 15 s whose payload is its wall-clock time in ms; pantau's
    --trace stamps each new value when the frame showing it is presented, so
    trace ms - payload = publish-to-pixel latency.
(2) Throughput: a table on bench/+/v (rows: 256) and 20 number panels on
    bench/0/v .. bench/19/v, 500 topics in all; publisher processes (paho,
    QoS 0) send 10,000 messages/s spread evenly over the 500 topics for
    SECONDS s. Measured: render-thread CPU per frame (--stats) under load
    against the same config idle in the same run (values present, nothing
    new; drawn every frame at 60 fps so both draw the same frames, and once
    more drawing only on change as a wall does), CPU of pantau's render
    thread and whole process from /proc, RSS every 2 s, and the messages
    pantau counted (source frames, --dump-scene) against those sent.

Usage: bench/mqtt.py [BUILD_DIR] [SECONDS]   (default build/, 60 s)
Targets: latency p99 <= one frame (16.7 ms) + 5 ms; < 5% of one core added
to the render thread by the load; no growing memory.
Needs mosquitto and paho-mqtt (Debian: mosquitto python3-paho-mqtt)."""
import json
import multiprocessing
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import free_port, slope_kib_per_min  # noqa: E402

try:
    import paho.mqtt.client as mqtt
except ImportError:
    # A python3 from pyenv/venv first in PATH does not see Debian's
    # python3-paho-mqtt: use the system interpreter that does.
    SYSTEM_PY = '/usr/bin/python3'
    if (os.access(SYSTEM_PY, os.X_OK) and not os.environ.get('PANTAU_BENCH_REEXEC')
            and os.path.realpath(sys.executable) != os.path.realpath(SYSTEM_PY)):
        os.environ['PANTAU_BENCH_REEXEC'] = '1'
        os.execv(SYSTEM_PY, [SYSTEM_PY] + sys.argv)
    sys.exit('bench/mqtt: needs the paho-mqtt module (Debian: apt-get install python3-paho-mqtt)')

here = os.path.dirname(os.path.abspath(__file__))
build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '..', 'build')
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 60.0
pantau = os.path.join(build, 'pantau')
env = dict(os.environ, SDL_VIDEODRIVER='offscreen')

FPS = 60
FRAME_MS = 1000.0 / FPS
LAT_RATE, LAT_SECONDS = 20, 15
LOAD_RATE, TOPICS, NUMBERS, PUBLISHERS = 10000, 500, 20, 2
IDLE_DEPLOYED_SECONDS = 10
TICK = os.sysconf('SC_CLK_TCK')

WALL = """version: 1
wall:
  displays: { columns: 1, rows: 1, size: [1920, 1080] }
  grid: [%d, 4]
sources:
  b: { mqtt: "mqtt://127.0.0.1:%d", client_id: "pantau-bench" }
pages:
  - panels:
"""


def make_client(client_id):
    # paho-mqtt 2.x wants the callback API version; 1.x (Debian 12) has none.
    if hasattr(mqtt, 'CallbackAPIVersion'):
        return mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=True)
    return mqtt.Client(client_id=client_id, clean_session=True)


def start_broker(d):
    port = free_port()
    conf = os.path.join(d, 'mosquitto.conf')
    with open(conf, 'w') as f:
        f.write('listener %d 127.0.0.1\nallow_anonymous true\npersistence false\n' % port)
        if os.geteuid() == 0:
            f.write('user root\n')
    p = subprocess.Popen(['mosquitto', '-c', conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            socket.create_connection(('127.0.0.1', port), timeout=0.2).close()
            return p, port
        except OSError:
            if p.poll() is not None:
                break
            time.sleep(0.05)
    p.kill()
    sys.exit('bench/mqtt: mosquitto did not start')


def connect(port, client_id):
    c = make_client(client_id)
    c.connect('127.0.0.1', port, keepalive=60)
    return c


class Wall:
    """One headless pantau on a config, with its stats, trace and dump files."""

    def __init__(self, d, name, cfg_text, extra=()):
        self.d = d
        self.cfg = os.path.join(d, name + '.yaml')
        with open(self.cfg, 'w') as f:
            f.write(cfg_text)
        self.stats = os.path.join(d, name + '-stats.json')
        self.trace = os.path.join(d, name + '-trace.txt')
        self.dump = os.path.join(d, name + '-scene.json')
        self.log = open(os.path.join(d, name + '.log'), 'w+')
        self.p = subprocess.Popen([pantau, self.cfg, '--headless', '--renderer', 'software', '--fps', str(FPS),
                                   '--stats', self.stats, '--trace', self.trace, '--dump-scene', self.dump,
                                   '--log-level', 'info'] + list(extra),
                                  env=env, stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.time() + 20
        while time.time() < deadline:
            # A handle of its own: seeking self.log would move pantau's
            # write offset too (one shared open file), and its next line
            # would overwrite the start of the log.
            with open(self.log.name, errors='replace') as r:
                if 'connected to' in r.read():
                    return
            if self.p.poll() is not None:
                break
            time.sleep(0.05)
        self.log.seek(0)
        sys.exit('bench/mqtt: pantau did not connect to the broker:\n' + self.log.read())

    def cpu(self):
        """(main/render thread, whole process) CPU seconds so far."""
        def ticks(path):
            with open(path) as f:
                fields = f.read().rsplit(')', 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime
        pid = self.p.pid
        return ticks('/proc/%d/task/%d/stat' % (pid, pid)), ticks('/proc/%d/stat' % pid)

    def rss_kib(self):
        with open('/proc/%d/status' % self.p.pid) as f:
            for line in f:
                if line.startswith('VmRSS:'):
                    return int(line.split()[1])
        return 0

    def dump_now(self):
        """Frames counted by the mqtt source so far (SIGUSR2 scene dump)."""
        try:
            os.unlink(self.dump)
        except FileNotFoundError:
            pass
        self.p.send_signal(signal.SIGUSR2)
        deadline = time.time() + 5
        while time.time() < deadline:
            try:
                with open(self.dump) as f:
                    return json.load(f)['sources']['b']['frames']
            except (FileNotFoundError, ValueError, KeyError):
                time.sleep(0.02)
        sys.exit('bench/mqtt: no scene dump from pantau')

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        try:
            rc = self.p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.p.kill()
            sys.exit('bench/mqtt: pantau did not stop on SIGTERM')
        if rc != 0:
            self.log.seek(0)
            sys.exit('bench/mqtt: pantau exited %d:\n%s' % (rc, self.log.read()[-3000:]))
        with open(self.stats) as f:
            s = json.load(f)
        with open(self.dump) as f:
            s['scene'] = json.load(f)
        self.log.seek(0)
        s['warnings'] = [l for l in self.log.read().splitlines() if ' WARN ' in l or ' ERROR ' in l]
        return s


def pct(values, q):
    v = sorted(values)
    if not v:
        return float('nan')
    k = (len(v) - 1) * q / 100.0
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


# ---------------------------------------------------------------- latency

def latency(d, port):
    cfg = WALL % (6, port) + '      - { id: lat, number: b, topic: bench/latency, decimals: 3, unit: ms, ' \
                             'at: [0, 0, 1, 1], label: "latency" }\n'
    w = Wall(d, 'latency', cfg)
    c = connect(port, 'bench-latency')
    # Until the subscription is in place, messages are lost: send until one shows.
    deadline = time.time() + 10
    while time.time() < deadline:
        c.publish('bench/latency', '%.3f' % (time.time() * 1000.0), qos=0)
        c.loop(0.1)
        if os.path.exists(w.trace) and os.path.getsize(w.trace) > 0:
            break
    time.sleep(0.5)
    sent = {}
    t0 = time.monotonic()
    n = 0
    while n < LAT_RATE * LAT_SECONDS:
        # Wait for the slot, then stamp and send at once (publish writes the
        # packet to the socket itself when no network thread runs).
        time.sleep(max(0.0, t0 + n / LAT_RATE - time.monotonic()))
        payload = '%.3f' % (time.time() * 1000.0)
        c.publish('bench/latency', payload, qos=0)
        sent[payload] = True
        n += 1
        c.loop(0)
    time.sleep(0.5)
    c.disconnect()
    s = w.stop()
    lat = []
    with open(w.trace) as f:
        for line in f:
            pid, value, ms = line.split()
            key = '%.3f' % float(value)
            if pid == 'lat' and key in sent:
                lat.append(float(ms) - float(value))
    return {'sent': len(sent), 'drawn': len(lat), 'lat': lat, 'stats': s}


# ------------------------------------------------------------- throughput

def load_config(port):
    cfg = WALL % (8, port)
    cfg += ('      - { id: table, table: b, topic: bench/+/v, rows: 256, decimals: 1, '
            'bands: { warn: 90, alarm: 98 }, at: [0, 0, 2, 4], label: "bench/+/v" }\n')
    for i in range(NUMBERS):
        cfg += ('      - { id: n%d, number: b, topic: bench/%d/v, decimals: 1, bands: { warn: 90, alarm: 98 }, '
                'at: [%d, %d, 1, 1], label: "bench/%d/v" }\n' % (i, i, 2 + i % 6, i // 6, i))
    return cfg


def values(k):
    # Values between 10 and 89.9 (below the bands: no alarm churn), changing
    # from one message to the next so every message is a new value.
    return ['%.1f' % (10 + ((k * 7919 + j * 104729) % 800) / 10.0) for j in range(997)]


def publisher(port, k, n_proc, rate, secs, out):
    """Process k of n_proc: topics i with i % n_proc == k, `rate` msgs/s."""
    c = connect(port, 'bench-pub-%d' % k)
    topics = ['bench/%d/v' % i for i in range(TOPICS) if i % n_proc == k]
    vals = values(k)
    n = 0
    rc_fail = 0
    t0 = time.monotonic()
    end = t0 + secs
    while True:
        now = time.monotonic()
        if now >= end:
            break
        due = min(int((now - t0) * rate), int(secs * rate))
        while n < due:
            if c.publish(topics[n % len(topics)], vals[n % len(vals)], qos=0).rc != 0:
                rc_fail += 1
            n += 1
        c.loop(0)
        time.sleep(0.002)
    # Flush what paho still holds before stopping the clock.
    while c._out_packet and time.monotonic() < end + 10:  # noqa: SLF001 (no public API for this)
        c.loop(0.01)
    t1 = time.monotonic()
    c.disconnect()
    out.put((n - rc_fail, t1 - t0, rc_fail))


def retained_round(port):
    """One retained value on each of the 500 topics, so panels have values."""
    c = connect(port, 'bench-retained')
    vals = values(99)
    for i in range(TOPICS):
        c.publish('bench/%d/v' % i, vals[i % len(vals)], qos=0, retain=True)
        c.loop(0)
    while c._out_packet:  # noqa: SLF001
        c.loop(0.01)
    c.disconnect()


def run_wall(d, port, name, secs, load, extra=()):
    """Runs pantau on the load config for secs s, publishing the load or not."""
    w = Wall(d, name, load_config(port), extra)
    time.sleep(2)  # retained values in, first frames drawn
    frames0 = w.dump_now()
    rss = [(0.0, w.rss_kib())]
    cpu0, t0 = w.cpu(), time.monotonic()
    procs, q = [], multiprocessing.Queue()
    if load:
        for k in range(PUBLISHERS):
            p = multiprocessing.Process(target=publisher,
                                        args=(port, k, PUBLISHERS, LOAD_RATE / PUBLISHERS, secs, q))
            p.start()
            procs.append(p)
    next_sample = t0 + 2
    while time.monotonic() < t0 + secs:
        time.sleep(max(0.0, min(next_sample, t0 + secs) - time.monotonic()))
        if time.monotonic() >= next_sample:
            rss.append((time.monotonic() - t0, w.rss_kib()))
            next_sample += 2
    cpu1, t1 = w.cpu(), time.monotonic()
    rss.append((t1 - t0, w.rss_kib()))
    pubs = [q.get(timeout=30) for _ in procs]
    for p in procs:
        p.join()
    time.sleep(1)  # let the broker and pantau drain
    frames1 = w.dump_now()
    s = w.stop()
    el = t1 - t0
    s.update(secs=el, render_core=(cpu1[0] - cpu0[0]) / el, process_core=(cpu1[1] - cpu0[1]) / el,
             rss=rss, received=frames1 - frames0,
             sent=sum(p[0] for p in pubs), pub_fail=sum(p[2] for p in pubs),
             pub_rate=sum(p[0] for p in pubs) / max(p[1] for p in pubs) if pubs else 0.0)
    return s


def second_half_slope(samples):
    """The RSS slope over the second half of the samples (KiB/min)."""
    return slope_kib_per_min(samples[len(samples) // 2:])


def main():
    if not os.access(pantau, os.X_OK):
        sys.exit('bench/mqtt: %s not found; build first (ninja -C build)' % pantau)
    if not shutil.which('mosquitto'):
        sys.exit('bench/mqtt: mosquitto not found (Debian: apt-get install mosquitto)')
    with tempfile.TemporaryDirectory() as d:
        broker, port = start_broker(d)
        try:
            lat = latency(d, port)
            retained_round(port)
            idle_dep = run_wall(d, port, 'idle-deployed', min(seconds, IDLE_DEPLOYED_SECONDS), False)
            idle = run_wall(d, port, 'idle', seconds, False, ['--every-frame'])
            load = run_wall(d, port, 'load', seconds, True)
        finally:
            broker.terminate()
            broker.wait()
    report(lat, idle_dep, idle, load)


def report(lat, idle_dep, idle, load):
    print('bench/mqtt: mosquitto on 127.0.0.1, pantau headless 1920x1080, software renderer, --fps %d, '
          '%d CPUs' % (FPS, os.cpu_count()))
    l = lat['lat']
    p50, p99 = pct(l, 50), pct(l, 99)
    print()
    print('(1) publish -> pixel latency, 1 number panel, %d msgs/s for %d s' % (LAT_RATE, LAT_SECONDS))
    print('    %d sent, %d drawn (a value replaced within one frame is never drawn)' % (lat['sent'], lat['drawn']))
    if l:
        print('    p50 %.2f ms   p90 %.2f ms   p99 %.2f ms   max %.2f ms   min %.2f ms' % (
            p50, pct(l, 90), p99, max(l), min(l)))
    print()
    print('(2) throughput: table bench/+/v (256 rows) + %d number panels, %d topics; load %d msgs/s '
          '(paho QoS 0, %d processes) for %.0f s' % (NUMBERS, TOPICS, LOAD_RATE, PUBLISHERS, load['secs']))
    rows = (('idle, draws on change', idle_dep), ('idle, every frame (ref)', idle), ('10k msgs/s', load))
    print('    %-26s %7s %8s %8s %10s %10s %10s %11s %11s' % (
        '', 'frames', 'p50 ms', 'p99 ms', 'CPU ms/fr', 'render %', 'process %', 'RSS start', 'RSS end'))
    for name, s in rows:
        print('    %-26s %7d %8.3f %8.3f %10.3f %9.1f%% %9.1f%% %8.1f MB %8.1f MB' % (
            name, s['frames'], s['p50_ms'], s['p99_ms'], s['cpu_ms_per_frame'], 100 * s['render_core'],
            100 * s['process_core'], s['rss'][0][1] / 1024, s['rss'][-1][1] / 1024))
    print('    CPU ms/fr: render-thread CPU per drawn frame (--stats, whole run). render %: CPU of the render')
    print('    thread from /proc (incl. polling the scene) while loaded, as a share of one core; process %: all')
    print('    of pantau incl. the MQTT threads. RSS at the start and end of the measured window.')
    per_frame = load['cpu_ms_per_frame'] - idle['cpu_ms_per_frame']
    added_frames = per_frame * FPS / 10.0  # ms per frame * frames/s / 1000 ms * 100 %
    added_render = 100 * (load['render_core'] - idle['render_core'])
    added_deployed = 100 * (load['render_core'] - idle_dep['render_core'])
    print('    added by the load, render thread: %+.3f ms/frame = %+.1f%% of a core at %d fps (--stats); '
          '%+.1f%% of a core vs the every-frame idle, %+.1f%% vs the idle wall drawing only on change '
          '(/proc)' % (per_frame, added_frames, FPS, added_render, added_deployed))
    rate = load['sent'] / load['secs']
    # Outside the window (2 s warm-up, 1 s drain) an unchanging wall draws ~1 frame/s.
    print('    frames drawn under load: about %.1f per second (--fps %d); idle every frame: %.1f per second' % (
        (load['frames'] - 3) / load['secs'], FPS, (idle['frames']) / (idle['secs'] + 3)))
    table = load['scene']['panels']['table']
    print('    table: %d rows kept, overflow counter %d (topics beyond the %d rows: %d)' % (
        len(table['rows']), table['overflow'], len(table['rows']), TOPICS - len(table['rows'])))
    print('    messages: %d sent (%.0f msgs/s achieved, %d publish errors), %d received by pantau (%.2f%%)' % (
        load['sent'], load['pub_rate'], load['pub_fail'], load['received'],
        100.0 * load['received'] / load['sent'] if load['sent'] else 0))
    rss = load['rss']
    slope = second_half_slope(rss)
    print('    RSS under load (MB, every 2 s): ' + ' '.join('%.1f' % (r[1] / 1024) for r in rss))
    print('    RSS max %.1f MB; slope over the second half %+.0f KiB/min' % (
        max(r[1] for r in rss) / 1024, slope))
    warnings = load['warnings'] + idle['warnings']
    if warnings:
        print('    pantau warnings: %d, e.g. %s' % (len(warnings), warnings[0]))
    print()
    ok1 = bool(l) and p99 <= FRAME_MS + 5
    print('target latency p99 <= %.1f ms: %s (p99 %.2f ms, p50 %.2f ms)' % (
        FRAME_MS + 5, 'met' if ok1 else 'NOT met', p99, p50))
    ok2 = added_frames < 5 and added_render < 5
    print('target < 5%% of one core added to the render thread: %s (%+.1f%% per-frame x %d fps, %+.1f%% '
          'measured)' % ('met' if ok2 else 'NOT met', added_frames, FPS, added_render))
    # The text cache and scene fill up first; after that RSS must stay flat.
    half = rss[len(rss) // 2:]
    grow = (half[-1][1] - half[0][1]) / 1024
    if len(half) < 4:
        verdict = 'undetermined (run longer)'
    else:
        verdict = 'met' if grow < 1 and slope < 64 else 'NOT met'
    print('target no growing memory: %s (%+.1f MB from %.0f s to the end, slope %+.0f KiB/min)' % (
        verdict, grow, half[0][0], slope))
    ok4 = load['sent'] and load['received'] >= load['sent'] * 0.999
    print('all messages received: %s (%d of %d); load achieved %.0f of %d msgs/s%s' % (
        'yes' if ok4 else 'NO', load['received'], load['sent'], rate, LOAD_RATE,
        '' if rate >= 0.97 * LOAD_RATE else ' (publisher could not keep up)'))
    sys.stdout.flush()


if __name__ == '__main__':
    main()
