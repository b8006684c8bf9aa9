#!/usr/bin/env python3
"""tests/limits_test.py: every input cap the README's "Limits" table states,
tried at the limit (accepted) and one past it (refused with a reason naming
the limit, the wall running on): the config file's size and alias
expansion, an MQTT payload's size, an HTTP reply's size (max_size) and a
table's rows. JSON depth and path steps are in test_payload.

Usage: limits_test.py PANTAU PNGTOOL SRCDIR TEST"""
import os
import subprocess
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from harness import PANTAU, check, run_cases, use_system_python

try:
    from mqtt_test import Rig as MqttRig, wall_cfg as mqtt_wall, panel
except ImportError as e:
    use_system_python(str(e))

MIB = 1 << 20
PAYLOAD_MAX = 256 * 1024


def check_cfg(text_bytes):
    with tempfile.TemporaryDirectory(prefix='pantau-limits-') as d:
        path = os.path.join(d, 'wall.yaml')
        with open(path, 'wb') as f:
            f.write(text_bytes)
        r = subprocess.run([PANTAU, '--check', path], capture_output=True, text=True, timeout=120)
        return r.returncode, r.stdout + r.stderr, path


GOOD = (b'version: 1\nsources:\n  s: { mqtt: "mqtt://127.0.0.1:1883" }\n'
        b'pages:\n  - panels:\n      - { number: s, topic: a, at: [0, 0, 1, 1] }\n')


def padded(size):
    """GOOD plus comment lines, exactly size bytes."""
    body = bytearray(GOOD)
    line = b'# ' + b'x' * 77 + b'\n'  # 80 bytes
    while len(body) + len(line) <= size:
        body += line
    rest = size - len(body)
    if rest:
        body += b'#' + b' ' * (rest - 2) + b'\n' if rest >= 2 else b'\n'
    assert len(body) == size
    return bytes(body)


def config_size():
    """A config of exactly 16 MiB is read and checked; one byte more is
    refused with the limit named, exit 2."""
    rc, out, _ = check_cfg(padded(16 * MIB))
    check(rc == 0, 'a 16 MiB config passes --check (exit %d): %s' % (rc, out[-300:]))
    rc, out, path = check_cfg(padded(16 * MIB + 1))
    check(rc == 2, 'a config of 16 MiB + 1 byte: exit 2, got %d' % rc)
    check('larger than 16 MB' in out, 'the message names the limit: %s' % out[-300:])


def alias_bomb():
    """An alias bomb (3000 pages, each an alias of a page of 100 aliased
    panels: 600,000 keys to read from a 2 KB file) is refused at once with
    one line and column, not expanded; before the limit it took a minute and
    printed 100,000 errors."""
    lines = ['version: 1', 'sources: {}', 'pages:',
             '  - &p {panels: [&q {text: hi, at: [0, 0, 1, 1]}' + ', *q' * 99 + ']}'] + ['  - *p'] * 3000
    rc, out, _ = check_cfg(('\n'.join(lines) + '\n').encode())
    check(rc == 2, 'exit 2, got %d' % rc)
    errors = [ln for ln in out.splitlines() if 'wall.yaml:' in ln]
    check(len(errors) == 1 and 'too many aliases' in errors[0], 'one error saying why: %s' % errors[:3])
    check(errors and errors[0].split('wall.yaml:')[1].split(':')[0].isdigit(), 'with a line: %s' % errors[:1])


def many_errors():
    """A file wrong in 150 places lists the first 100 errors and says how
    many more there are."""
    panels = ''.join('      - { gauge: nowhere%d, topic: t, at: [0, 0, 1, 1] }\n' % i for i in range(150))
    rc, out, _ = check_cfg(('version: 1\nsources: {}\npages:\n  - panels:\n' + panels).encode())
    check(rc == 2, 'exit 2, got %d' % rc)
    errors = [ln for ln in out.splitlines() if 'wall.yaml:' in ln]
    check(len(errors) == 101, '100 errors and one more line: %d' % len(errors))
    check(errors and 'more errors not shown' in errors[-1], 'the last line counts the rest: %s' % errors[-1:])


def json_of(size, v, key='v'):
    """{"v": v, "pad": "xxx…"} of exactly size bytes."""
    head = '{"%s": %s, "pad": "' % (key, v)
    tail = '"}'
    return (head + 'x' * (size - len(head) - len(tail)) + tail).encode()


def mqtt_payload():
    """An MQTT payload of exactly 256 KiB is read; 256 KiB + 1 is refused
    with the limit in the panel's error, the last good value kept."""
    with MqttRig() as r:
        b = r.broker()
        p = r.live_pantau(mqtt_wall(b.port, ['{ number: s, id: at, topic: "t/at", value: "$.v", at: [0, 0, 1, 1] }',
                                             '{ number: s, id: past, topic: "t/past", value: "$.v", at: [1, 0, 1, 1] }']))
        pub = r.publisher(b.port)
        pub.pub('t/past', b'{"v": 1}')
        ok, d = p.wait_dump(lambda d: panel(d, 'past').get('value') == 1, 10)
        check(ok, 'a good value first: %s' % panel(d, 'past'))
        at, past = json_of(PAYLOAD_MAX, 7), json_of(PAYLOAD_MAX + 1, 8)
        check(len(at) == PAYLOAD_MAX and len(past) == PAYLOAD_MAX + 1, 'payload sizes')
        pub.pub('t/at', at)
        pub.pub('t/past', past)
        ok, d = p.wait_dump(lambda d: panel(d, 'at').get('value') == 7 and panel(d, 'past')['errors'] >= 1, 10)
        check(panel(d, 'at').get('value') == 7, 'the 256 KiB payload is read: %s' % {k: v for k, v in panel(d, 'at').items()
                                                                                      if k in ('value', 'error')})
        check('over the 256 KB limit' in panel(d, 'past')['error'], 'one byte more is refused with the limit: %r'
              % panel(d, 'past')['error'])
        check(panel(d, 'past').get('value') == 1, 'the last good value stays: %s' % panel(d, 'past').get('value'))
        check(p.alive(), 'pantau runs on')


def table_rows():
    """A table with rows: 3 shows 3 topics with no "+N more"; a fourth is
    counted as +1 more."""
    with MqttRig() as r:
        b = r.broker()
        p = r.live_pantau(mqtt_wall(b.port, ['{ table: s, id: t, topic: "park/+", rows: 3, at: [0, 0, 1, 1] }'],
                                    columns=1))
        pub = r.publisher(b.port)
        for i in range(3):
            pub.pub('park/p%d' % i, str(10 + i), retain=True)
        ok, d = p.wait_dump(lambda d: len(panel(d, 't')['rows']) == 3, 10)
        check(ok and panel(d, 't')['overflow'] == 0, 'at the limit: 3 rows, nothing more: %s' % panel(d, 't'))
        pub.pub('park/p3', '13', retain=True)
        ok, d = p.wait_dump(lambda d: panel(d, 't')['overflow'] == 1, 10)
        check(ok and len(panel(d, 't')['rows']) == 3, 'past it: still 3 rows and +1 more: %s' % panel(d, 't'))


class Sized(BaseHTTPRequestHandler):
    def do_GET(self):
        size = int(self.path.strip('/'))
        body = json_of(size, 4321, 'total')
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


def http_reply():
    """An HTTP reply of exactly max_size bytes is read; one byte more is
    refused with a reason naming max_size."""
    srv = ThreadingHTTPServer(('127.0.0.1', 0), Sized)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    port = srv.server_address[1]
    try:
        with tempfile.TemporaryDirectory(prefix='pantau-limits-') as d:
            from harness import Pantau
            cfg = ('version: 1\nwall:\n  displays: { size: [600, 300] }\n  grid: [2, 1]\nsources:\n'
                   '  at: { http: "http://127.0.0.1:%d/8192", max_size: 8192, every: 1s }\n'
                   '  past: { http: "http://127.0.0.1:%d/8193", max_size: 8192, every: 1s }\n'
                   'pages:\n  - panels:\n'
                   '      - { counter: at, id: at, value: "$.total", at: [0, 0, 1, 1] }\n'
                   '      - { counter: past, id: past, value: "$.total", at: [1, 0, 1, 1] }\n') % (port, port)
            p = Pantau(d, cfg, window='600x300')
            try:
                ok, dd = p.wait_dump(lambda dd: dd['sources']['at']['status'] == 'live'
                                     and dd['sources']['past']['errors'] >= 1, 10)
                check(dd['sources']['at']['status'] == 'live', 'a reply of max_size bytes is read: %s'
                      % dd['sources']['at'])
                check('max_size' in dd['sources']['past']['reason'], 'one byte more is refused naming max_size: %s'
                      % dd['sources']['past'])
                check(p.alive(), 'pantau runs on')
            finally:
                check(p.stop() == 0, 'exit 0 on SIGTERM')
    finally:
        srv.shutdown()


if __name__ == '__main__':
    run_cases([config_size, alias_bomb, many_errors, mqtt_payload, table_rows, http_reply])
