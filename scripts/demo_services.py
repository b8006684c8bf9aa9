#!/usr/bin/env python3
"""Starts every service the demo wall talks to, checks that each one really
works, prints READY (or creates --ready-file), and keeps them running (with the demo's planned camera
faults) until SIGTERM/SIGINT. scripts/demo and the demo_smoke test both use
it, so the test starts exactly what the demo starts.

  sensors     mosquitto on 127.0.0.1:MQTT_PORT fed by scripts/sim_sensors.py
              (checked: a sensor message arrives through the broker)
  complaints  scripts/sim_complaints.py on 127.0.0.1:HTTP_PORT
              (checked: /api/summary and /api/mpp answer JSON)
  cameras     tests/rtsp_server: four cameras on RTSP_PORT, one that drops on
              DROP_PORT and one that freezes on FREEZE_PORT (a camera has an
              address of its own; a camera that reboots refuses connections)
              (checked: every mount answers DESCRIBE with 200)

Planned faults, so an operator can learn what they look like (--no-faults
turns them off): CAM 04 (jl-riau) drops for 20 s every 3 minutes, the first
time 90 s after start: NO SIGNAL with its reason and age, then recovery.
CAM 05 (jembatan-siak) freezes for 15 s every 3 minutes, the first time 45 s
after start (the connection stays open, no frames): STALLED, then live.

A port that already answers is used as it is (another demo, a real broker),
but it must pass the same check. Anything that fails: one line on stderr
naming the piece and the fix, everything stopped, exit status 1.
Only the Python standard library is used here."""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# The demo's cameras: (mount, test pattern, burnt-in label, role). Roles:
# main (RTSP_PORT), drop (DROP_PORT), freeze (FREEZE_PORT).
CAMERAS = [
    ('sudirman', 'smpte', 'CAM 01 SIMPANG SUDIRMAN', 'main'),
    ('harapan-raya', 'ball', 'CAM 02 JL HARAPAN RAYA', 'main'),
    ('tuanku-tambusai', 'pinwheel', 'CAM 03 JL TUANKU TAMBUSAI', 'main'),
    ('jl-riau', 'spokes', 'CAM 04 JL RIAU', 'drop'),
    ('jembatan-siak', 'circular', 'CAM 05 JEMBATAN SIAK IV', 'freeze'),
    ('mpp', 'colors', 'CAM 06 MPP', 'main'),
]
DROP_FIRST, DROP_EVERY, DROP_FOR = 90, 180, 20
FREEZE_FIRST, FREEZE_EVERY, FREEZE_FOR = 45, 180, 15


class Failed(Exception):
    pass


def say(msg):
    print('demo: ' + msg, flush=True)


def answers(port):
    try:
        with socket.create_connection(('127.0.0.1', port), timeout=0.5):
            return True
    except OSError:
        return False


def find_program(name, package):
    path = shutil.which(name) or next((p for p in ('/usr/sbin/' + name, '/sbin/' + name) if os.access(p, os.X_OK)),
                                      None)
    if not path:
        raise Failed('%s is not installed (Debian package %s; ./scripts/deps installs it)' % (name, package))
    return path


class Services:
    def __init__(self, a):
        self.a = a
        self.procs = []          # (name, Popen), in start order
        self.tmp = tempfile.TemporaryDirectory(prefix='pantau-demo-')
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.drop_proc = None

    # --- processes ------------------------------------------------------

    def start(self, name, args, **kw):
        log = open(os.path.join(self.tmp.name, name + '.log'), 'w')
        p = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=kw.pop('stdout', log), stderr=log, **kw)
        log.close()
        with self.lock:
            self.procs.append((name, p))
        return p

    def log_of(self, name):
        try:
            with open(os.path.join(self.tmp.name, name + '.log'), errors='replace') as f:
                lines = [line.strip() for line in f if line.strip()]
        except OSError:
            return ''
        return lines[-1] if lines else ''

    def wait_listening(self, name, p, port, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if answers(port):
                return
            if p.poll() is not None:
                raise Failed('%s exited (status %d) before it listened on 127.0.0.1:%d: %s'
                             % (name, p.returncode, port, self.log_of(name) or 'no message'))
            time.sleep(0.05)
        raise Failed('%s did not listen on 127.0.0.1:%d within %d s' % (name, port, timeout))

    def stop_one(self, p, timeout=5):
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(timeout)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()

    def stop_all(self):
        self.stopping.set()
        with self.lock:
            procs = list(reversed(self.procs))
        for _, p in procs:
            self.stop_one(p)
        self.tmp.cleanup()

    # --- sensors --------------------------------------------------------

    def sensors(self):
        port = self.a.mqtt_port
        if answers(port):
            say('something already listens on 127.0.0.1:%d; using it as the MQTT broker (not starting '
                'mosquitto).' % port)
        else:
            conf = os.path.join(self.tmp.name, 'mosquitto.conf')
            with open(conf, 'w') as f:
                f.write('listener %d 127.0.0.1\nallow_anonymous true\npersistence false\n' % port)
            p = self.start('mosquitto', [find_program('mosquitto', 'mosquitto'), '-c', conf])
            self.wait_listening('mosquitto', p, port)
        sub = find_program('mosquitto_sub', 'mosquitto-clients')
        p = self.start('sim_sensors', [sys.executable, os.path.join(HERE, 'sim_sensors.py'), '--host', '127.0.0.1',
                                       '--port', str(port), '--quiet'])
        # The proof that sensors work: one of the simulator's messages comes
        # back through the broker.
        deadline = time.monotonic() + 15
        while True:
            r = subprocess.run([sub, '-h', '127.0.0.1', '-p', str(port), '-t', '#', '-C', '1',
                                '-W', '3'], capture_output=True, text=True)
            if r.returncode == 0 and r.stdout.strip():
                break
            if p.poll() is not None:
                raise Failed('the sensor simulator (scripts/sim_sensors.py) exited (status %d): %s'
                             % (p.returncode, self.log_of('sim_sensors') or 'no message'))
            if time.monotonic() >= deadline:
                raise Failed('no sensor message came through the MQTT broker on 127.0.0.1:%d within 15 s (%s)'
                             % (port, r.stderr.strip() or 'mosquitto_sub saw nothing'))
        say('MQTT broker on 127.0.0.1:%d with simulated Pekanbaru sensors (scripts/sim_sensors.py).' % port)

    # --- complaints -----------------------------------------------------

    def complaints(self):
        port = self.a.http_port
        if answers(port):
            say('something already listens on 127.0.0.1:%d; using it as the complaint and MPP service '
                '(not starting scripts/sim_complaints.py).' % port)
        else:
            p = self.start('sim_complaints', [sys.executable, os.path.join(HERE, 'sim_complaints.py'), '--host',
                                              '127.0.0.1', '--port', str(port), '--quiet'])
            self.wait_listening('the complaint simulator (scripts/sim_complaints.py)', p, port)
        for path in ('/api/summary', '/api/mpp'):
            url = 'http://127.0.0.1:%d%s' % (port, path)
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    json.loads(r.read().decode('utf-8'))
            except (OSError, ValueError) as e:
                raise Failed('%s does not answer JSON: %s' % (url, e))
        say('simulated complaint service and MPP (scripts/sim_complaints.py) on http://127.0.0.1:%d/api/summary '
            'and /api/mpp.' % port)

    # --- cameras --------------------------------------------------------

    def rtsp_args(self, port, role):
        args = [self.a.rtsp_server, '--port', str(port)]
        for path, pattern, label, r in CAMERAS:
            if r == role:
                args += ['--mount', '/%s=pattern:%s:size=640x360:fps=25:bitrate=800:label=%s' % (path, pattern, label)]
        return args

    def rtsp_start(self, port, role):
        """Starts one RTSP test server; returns its Popen once it said PORT."""
        name = 'rtsp_server-' + role
        e = dict(os.environ, TZ='Asia/Jakarta')  # the burnt-in clock shows the wall's time zone (WIB)
        p = self.start(name, self.rtsp_args(port, role), stdout=subprocess.PIPE, env=e, text=True)
        line = p.stdout.readline()  # "PORT n", or nothing when it failed
        if not line.startswith('PORT'):
            p.wait()
            raise Failed('the RTSP test server (tests/rtsp_server) did not start on 127.0.0.1:%d: %s'
                         % (port, self.log_of(name) or 'exit status %d' % p.returncode))
        threading.Thread(target=lambda: p.stdout.read(), daemon=True).start()  # FROZEN/THAWED lines
        return p

    def describe(self, port, path):
        """RTSP DESCRIBE; returns the status line."""
        url = 'rtsp://127.0.0.1:%d/%s' % (port, path)
        req = 'DESCRIBE %s RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\n\r\n' % url
        with socket.create_connection(('127.0.0.1', port), timeout=10) as s:
            s.settimeout(10)
            s.sendall(req.encode())
            return s.recv(4096).decode('latin-1').split('\r\n', 1)[0]

    def cameras(self):
        if not os.access(self.a.rtsp_server, os.X_OK):
            raise Failed('%s was not built: gst-rtsp-server was missing when meson configured the build (Debian '
                         'package libgstrtspserver-1.0-dev; ./scripts/deps installs it, then '
                         'meson setup --reconfigure build)' % self.a.rtsp_server)
        self.freeze_proc = None
        for role, port in (('main', self.a.rtsp_port), ('drop', self.a.drop_port), ('freeze', self.a.freeze_port)):
            if answers(port):
                say('something already listens on 127.0.0.1:%d; using it as the %s camera server.' % (port, role))
                continue
            p = self.rtsp_start(port, role)
            if role == 'drop':
                self.drop_proc = p
            elif role == 'freeze':
                self.freeze_proc = p
        for path, _, label, role in CAMERAS:
            port = {'main': self.a.rtsp_port, 'drop': self.a.drop_port, 'freeze': self.a.freeze_port}[role]
            try:
                status = self.describe(port, path)
            except OSError as e:
                raise Failed('camera %s (rtsp://127.0.0.1:%d/%s) does not answer: %s' % (label, port, path, e))
            if ' 200 ' not in status + ' ':
                raise Failed('camera %s (rtsp://127.0.0.1:%d/%s) answers "%s"' % (label, port, path, status))
        say('6 simulated cameras (tests/rtsp_server) on rtsp://127.0.0.1:%d/, :%d (drops) and :%d (freezes).'
            % (self.a.rtsp_port, self.a.drop_port, self.a.freeze_port))

    # --- planned faults ---------------------------------------------------

    def faults(self):
        """Runs on its own thread until stop."""
        t0 = time.monotonic()
        next_drop, next_freeze = t0 + DROP_FIRST, t0 + FREEZE_FIRST
        while not self.stopping.wait(0.2):
            now = time.monotonic()
            if self.freeze_proc and now >= next_freeze:
                next_freeze += FREEZE_EVERY
                say('CAM 05 JEMBATAN SIAK IV freezes for %d s (planned: STALLED, then live again).' % FREEZE_FOR)
                self.freeze_proc.send_signal(signal.SIGUSR1)
                if self.stopping.wait(FREEZE_FOR):
                    return
                self.freeze_proc.send_signal(signal.SIGUSR2)
            if self.drop_proc and now >= next_drop:
                next_drop += DROP_EVERY
                say('CAM 04 JL RIAU drops for %d s (planned: NO SIGNAL with reason and age, then recovery).'
                    % DROP_FOR)
                self.stop_one(self.drop_proc)
                with self.lock:
                    self.procs = [(n, p) for n, p in self.procs if p is not self.drop_proc]
                if self.stopping.wait(DROP_FOR):
                    return
                try:
                    self.drop_proc = self.rtsp_start(self.a.drop_port, 'drop')
                except Failed as e:
                    print('demo: %s' % e, file=sys.stderr, flush=True)
                    self.drop_proc = None

    def watch(self):
        """Says so, once, when a service that should run has stopped."""
        reported = set()
        while not self.stopping.wait(1.0):
            with self.lock:
                procs = list(self.procs)
            for name, p in procs:
                planned = name == 'rtsp_server-drop'
                if p.poll() is not None and not planned and p not in reported and not self.stopping.is_set():
                    reported.add(p)
                    print('demo: %s stopped unexpectedly (status %d): %s'
                          % (name, p.returncode, self.log_of(name) or 'no message'), file=sys.stderr, flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--mqtt-port', type=int, default=1883)
    ap.add_argument('--http-port', type=int, default=8089)
    ap.add_argument('--rtsp-port', type=int, default=8554)
    ap.add_argument('--drop-port', type=int, default=8555)
    ap.add_argument('--freeze-port', type=int, default=8556)
    ap.add_argument('--rtsp-server', default=os.path.join(ROOT, 'build', 'tests', 'rtsp_server'))
    ap.add_argument('--no-faults', action='store_true', help='no planned camera drops and freezes')
    ap.add_argument('--ready-file', help='create this file when ready (instead of printing READY)')
    a = ap.parse_args()

    s = Services(a)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        s.sensors()
        s.complaints()
        s.cameras()
    except Failed as e:
        print('demo: FAILED: %s' % e, file=sys.stderr, flush=True)
        s.stop_all()
        sys.exit(1)
    if not a.no_faults:
        threading.Thread(target=s.faults, daemon=True).start()
        say('planned faults: CAM 05 freezes for %d s every %d min (first after %d s), CAM 04 drops for %d s every '
            '%d min (first after %d s).' % (FREEZE_FOR, FREEZE_EVERY // 60, FREEZE_FIRST, DROP_FOR, DROP_EVERY // 60,
                                            DROP_FIRST))
    threading.Thread(target=s.watch, daemon=True).start()
    if a.ready_file:
        open(a.ready_file, 'w').close()
    else:
        print('READY', flush=True)
    while not stop.wait(0.5):
        pass
    s.stop_all()


if __name__ == '__main__':
    main()
