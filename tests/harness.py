"""tests/harness.py: what the integration tests share: the argument
layout (PANTAU PNGTOOL SRCDIR TEST), check() collecting failures, a clean
environment, polling with deadlines, free ports, PNG pixels, and a pantau
process run headless whose scene is read through --dump-scene (SIGUSR2)."""
import json
import os
import signal
import socket
import subprocess
import sys
import time

# `script --list` prints the script's test names (meson reads them, so each
# test is named once, in its script); otherwise PANTAU PNGTOOL SRCDIR TEST.
LISTING = sys.argv[1:2] == ['--list']
PANTAU, PNGTOOL, SRC, TEST = ('', '', '', '') if LISTING else sys.argv[1:5]
failures = []


def run_cases(cases):
    """cases: the script's tests, a list of functions or a {name: function}
    dict. With --list prints their names; else runs TEST, prints
    "TEST: ok" or the failures, and exits 1 on any."""
    if not isinstance(cases, dict):
        cases = {f.__name__.rstrip('_'): f for f in cases}
    if LISTING:
        print('\n'.join(cases))
        sys.exit(0)
    cases[TEST]()
    if failures:
        print('%s: %d failure(s)' % (TEST, len(failures)))
        sys.exit(1)
    print('%s: ok' % TEST)
    sys.exit(0)


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL: ' + what, file=sys.stderr)
    return cond


def env(**extra):
    e = {k: v for k, v in os.environ.items() if not k.startswith('PANTAU_TEST')}
    e['SDL_VIDEODRIVER'] = 'offscreen'
    e.update(extra)
    return e


def use_system_python(missing):
    """Called when an import failed: meson's python3 may be another
    interpreter (pyenv, venv) than Debian's, which has the python3-*
    packages; re-run this test under /usr/bin/python3, or exit 1 naming
    what is missing."""
    if LISTING:
        return  # naming the tests needs no module
    system = '/usr/bin/python3'
    if os.path.exists(system) and os.path.realpath(sys.executable) != os.path.realpath(system):
        os.execv(system, [system] + sys.argv)
    print('%s needs %s in %s' % (os.path.basename(sys.argv[0]), missing, sys.executable), file=sys.stderr)
    sys.exit(1)


def stop_process(p, timeout=10):
    """SIGTERM, then SIGKILL after timeout s; returns the exit status, or
    'hung' when it had to be killed."""
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            return 'hung'
    return p.returncode


def wait_for(pred, timeout, step=0.05):
    """Polls pred() until it returns something true or timeout seconds pass;
    returns its last result."""
    deadline = time.monotonic() + timeout
    while True:
        r = pred()
        if r or time.monotonic() >= deadline:
            return r
        time.sleep(step)


_ports_given = set()


def free_port():
    """A free port of 127.0.0.1, never one this process was given before
    (the kernel may hand the same free port to two calls in a row, and a
    test asking twice needs two)."""
    while True:
        with socket.socket() as s:
            s.bind(('127.0.0.1', 0))
            port = s.getsockname()[1]
        if port not in _ports_given:
            _ports_given.add(port)
            return port


def pixel(png, x, y):
    return subprocess.run([PNGTOOL, 'pixel', png, str(x), str(y)], capture_output=True,
                          text=True, check=True).stdout.strip()


def listening(port):
    """Whether something listens on TCP port (any address), read from
    /proc/net/tcp{,6} so that asking does not connect: a probe connection
    would be the one client of a single-client server (ffmpeg -listen 1)."""
    for path in ('/proc/net/tcp', '/proc/net/tcp6'):
        try:
            with open(path) as f:
                rows = f.readlines()[1:]
        except OSError:
            continue
        for row in rows:
            cols = row.split()
            if cols[3] == '0A' and int(cols[1].rsplit(':', 1)[1], 16) == port:
                return True
    return False


class Pantau:
    """A headless pantau on cfg_text, state read from its --dump-scene."""

    def __init__(self, d, cfg_text, name='pantau', e=None, window='800x400', args=()):
        self.name = name
        self.cfg = os.path.join(d, name + '.yaml')
        self.dump_path = os.path.join(d, name + '-dump.json')
        self.log_path = os.path.join(d, name + '.log')
        self.bad_utf8 = False
        with open(self.cfg, 'w') as f:
            f.write(cfg_text)
        self.t_launch = time.monotonic()
        with open(self.log_path, 'w') as log:
            self.p = subprocess.Popen([PANTAU, self.cfg, '--headless', '--window', window, '--dump-scene',
                                       self.dump_path, '--log-level', 'debug'] + list(args),
                                      stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
                                      env=e or env())
        # Signals are safe once it says it is starting (handlers installed).
        if not wait_for(lambda: 'starting on' in self.log() or self.p.poll() is not None, 20) \
                or self.p.poll() is not None:
            raise RuntimeError('%s did not start: %s' % (name, self.log()))
        self.t_started = time.monotonic()

    def log(self):
        with open(self.log_path, errors='replace') as f:
            return f.read()

    def alive(self):
        return self.p.poll() is None

    def read_dump(self):
        with open(self.dump_path, 'rb') as f:
            raw = f.read()
        try:
            text = raw.decode('utf-8')
        except UnicodeDecodeError as e:
            # Reported once; the rest of the test reads on.
            if not self.bad_utf8:
                self.bad_utf8 = True
                check(False, '%s: the scene dump is not valid UTF-8 (%s): %r' % (self.name, e, raw[max(0, e.start - 60):e.end + 20]))
            text = raw.decode('utf-8', errors='replace')
        return json.loads(text)

    def dump(self, timeout=5):
        """Asks for a scene dump (SIGUSR2) and returns it parsed."""
        try:
            os.unlink(self.dump_path)
        except FileNotFoundError:
            pass
        self.p.send_signal(signal.SIGUSR2)
        deadline = time.monotonic() + timeout
        resend = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            if time.monotonic() >= resend:
                # The process-directed signal may land on a feed or Paho
                # thread; under ThreadSanitizer a handler on a thread that
                # stays blocked can wait indefinitely (sync_in_step once
                # got no dump in 5 s with its frame loop running). Asking
                # again is harmless: the request is a flag.
                self.p.send_signal(signal.SIGUSR2)
                resend = time.monotonic() + 1.0
            if self.p.poll() is not None:
                raise RuntimeError('%s exited (%d) while asked for a dump: %s' % (self.name, self.p.returncode,
                                                                                  self.log()[-3000:]))
            try:
                return self.read_dump()
            except (FileNotFoundError, ValueError):
                time.sleep(0.02)  # not written yet
        raise RuntimeError('%s wrote no dump within %d s' % (self.name, timeout))

    def wait_dump(self, pred, timeout):
        """Dumps until pred(dump) holds or timeout seconds pass; returns
        (held, last dump)."""
        deadline = time.monotonic() + timeout
        while True:
            d = self.dump()
            try:
                ok = bool(pred(d))
            except (KeyError, IndexError, TypeError):
                ok = False
            if ok or time.monotonic() >= deadline:
                return ok, d
            time.sleep(0.05)

    def screenshot(self, d=None, timeout=10):
        """Asks for a screenshot (SIGUSR1) and returns the path of the PNG once
        it is complete. The config must set screenshot_dir to d (default: the
        folder of the config). Earlier pantau-*.png there are removed first:
        names have a one-second resolution, and a finished PNG is recognised
        by its closing IEND chunk, not by the log (identical lines collapse)."""
        d = d or os.path.dirname(self.cfg)
        for f in os.listdir(d):
            if f.startswith('pantau-') and f.endswith('.png'):
                os.unlink(os.path.join(d, f))
        self.p.send_signal(signal.SIGUSR1)

        def done():
            for f in os.listdir(d):
                if f.startswith('pantau-') and f.endswith('.png'):
                    with open(os.path.join(d, f), 'rb') as png:
                        if png.read()[-12:] == b'\x00\x00\x00\x00IEND\xaeB`\x82':
                            return os.path.join(d, f)
            return None
        path = wait_for(done, timeout)
        if not path:
            raise RuntimeError('%s saved no screenshot in %s within %d s' % (self.name, d, timeout))
        return path

    def wait_log(self, text, timeout):
        return wait_for(lambda: text in self.log(), timeout)

    def stop(self):
        """SIGTERM; returns the exit status ('hung' if it does not stop)."""
        return stop_process(self.p)


