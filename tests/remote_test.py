#!/usr/bin/env python3
"""Remote control and health over a real mosquitto: every command through
the broker (and `pantau --send` with its exit codes), a corpus of bad
commands each refused with a reply, a flood of 10,000 commands a second with
the wall still at frame rate, retained health of the node and its sources,
the last will, and health following a reload.
Usage: remote_test.py PANTAU PNGTOOL SRCDIR TEST."""
import json
import os
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import PANTAU, PNGTOOL, check, env, pixel, run_cases, wait_for  # noqa: E402
import mqtt_test as mt  # noqa: E402
from mqtt_test import mqtt  # noqa: E402

PREFIX = 'cc/pku'


def cfg(port, node='n1', pages=None, extra_top='', extra_sources=''):
    pages = pages or [
        ('one', ['{ number: s, id: suhu, topic: "t/suhu", label: "Suhu", at: [0, 0, 1, 1], '
                 'bands: { warn: 30, alarm: 40 } }',
                 '{ number: s, id: air, topic: "t/air", label: "Air", at: [1, 0, 1, 1] }']),
        ('two', ['{ text: "Halaman dua", id: teks, at: [0, 0, 2, 1] }']),
    ]
    out = ['version: 1', extra_top, 'remote: { broker: s, prefix: "%s", node: "%s", heartbeat: 2s, '
           'debug_commands: true }' % (PREFIX, node),
           'wall:', '  displays: { columns: 1, rows: 1, size: [600, 300] }', '  grid: [2, 1]', '  gap: 0',
           'sources:', '  s: { mqtt: "mqtt://127.0.0.1:%d" }' % port, extra_sources, 'pages:']
    for name, panels in pages:
        out += ['  - name: %s' % name, '    show_for: 60s', '    panels:'] + ['      - ' + p for p in panels]
    return '\n'.join(l for l in out if l) + '\n'


class Listener:
    """A paho client collecting every message under the prefix."""

    def __init__(self, port, topics=(PREFIX + '/#',)):
        self.msgs = []  # (monotonic, topic, payload bytes, retained)
        self.lock = threading.Lock()
        self.c = mqtt.Client(client_id='pantau-test-listen-%d-%f' % (os.getpid(), time.time()),
                             protocol=mqtt.MQTTv311)
        self.ok = False

        def on_connect(c, u, flags, rc):
            for t in topics:
                c.subscribe(t, qos=1)
            self.ok = True
        self.c.on_connect = on_connect
        self.c.on_message = lambda c, u, m: self._add(m)
        self.c.connect('127.0.0.1', port, keepalive=30)
        self.c.loop_start()
        if not wait_for(lambda: self.ok, 10):
            raise RuntimeError('listener could not connect')
        time.sleep(0.2)

    def _add(self, m):
        with self.lock:
            self.msgs.append((time.monotonic(), m.topic, m.payload, m.retain))

    def since(self, t0, topic):
        with self.lock:
            return [(t, p, ret) for t, tp, p, ret in self.msgs if tp == topic and t >= t0]

    def last_json(self, topic):
        with self.lock:
            for t, tp, p, ret in reversed(self.msgs):
                if tp == topic and p:
                    return json.loads(p)
        return None

    def close(self):
        self.c.disconnect()
        self.c.loop_stop()


def send_raw(pub, payload, topic=PREFIX + '/n1/cmd'):
    pub.c.publish(topic, payload, qos=1).wait_for_publish(timeout=10)


def command(pub, lis, obj, timeout=5):
    """Publishes obj (with a fresh id) and returns the reply for it."""
    obj = dict(obj)
    obj['id'] = 'cmd-%f' % time.monotonic()
    t0 = time.monotonic()
    send_raw(pub, json.dumps(obj))

    def got():
        for t, p, _ in lis.since(t0, PREFIX + '/n1/reply'):
            r = json.loads(p)
            if r.get('id') == obj['id']:
                return r
        return None
    r = wait_for(got, timeout)
    check(r is not None, 'a reply to %s within %d s' % (obj, timeout))
    return r or {}


def clear_shots(d):
    for f in os.listdir(d):
        if f.startswith('pantau-') and f.endswith('.png'):
            os.unlink(os.path.join(d, f))


def remote_shot(pub, lis, d, what):
    """Asks for a screenshot by remote command; the complete PNG's path, or
    None (a failed check)."""
    clear_shots(d)
    before = set(os.listdir(d))
    check(command(pub, lis, {'cmd': 'screenshot'}).get('ok'), what)
    shot = wait_for(lambda: [f for f in set(os.listdir(d)) - before if f.endswith('.png')], 5)
    if not check(shot, '%s written' % what):
        return None
    path = os.path.join(d, shot[0])
    wait_for(lambda: open(path, 'rb').read()[-12:] == b'\x00\x00\x00\x00IEND\xaeB`\x82', 5)
    return path


def send(p_cfg, *args, timeout=5, node=None):
    r = subprocess.run([PANTAU] + (['--node', node] if node else []) + ['--send'] + list(args) +
                       ['--timeout', str(timeout), p_cfg],
                       capture_output=True, text=True, timeout=timeout + 20, env=env())
    return r.returncode, r.stdout, r.stderr


def commands():
    """Every command does what it says, through the broker and through
    pantau --send (exit 0 done, 1 refused, 3 no wall answering)."""
    with mt.Rig() as r:
        b = r.broker()
        pub = r.publisher(b.port)
        lis = Listener(b.port)
        try:
            p = r.live_pantau(cfg(b.port, extra_top='screenshot_dir: "%s"' % r.d))
            ui = lambda: p.dump()['wall']  # noqa: E731
            rep = command(pub, lis, {'cmd': 'page', 'page': 2})
            check(rep.get('ok') and ui()['page'] == 1, 'page 2: %s %s' % (rep, ui()))
            rep = command(pub, lis, {'cmd': 'page', 'page': 'one'})
            check(rep.get('ok') and ui()['page'] == 0, 'page by name: %s' % rep)
            check(command(pub, lis, {'cmd': 'page-next'}).get('ok') and ui()['page'] == 1, 'page-next')
            check(command(pub, lis, {'cmd': 'page-prev'}).get('ok') and ui()['page'] == 0, 'page-prev')
            check(command(pub, lis, {'cmd': 'hold'}).get('ok') and ui()['tour_held'], 'hold')
            check(command(pub, lis, {'cmd': 'resume'}).get('ok') and not ui()['tour_held'], 'resume')
            rep = command(pub, lis, {'cmd': 'enlarge', 'panel': 'air'})
            check(rep.get('ok') and ui()['enlarged'] == 1, 'enlarge by id: %s %s' % (rep, ui()))
            check(command(pub, lis, {'cmd': 'restore'}).get('ok') and ui()['enlarged'] == -1, 'restore')
            rep = command(pub, lis, {'cmd': 'restore'})
            check(rep.get('ok') is False and 'enlarged' in rep.get('error', ''), 'restore twice refused: %s' % rep)
            # An alarm, acknowledged remotely.
            pub.pub('t/suhu', '45')
            check(p.wait_dump(lambda d: any(a['panel'] == 'suhu' and a['active'] for a in d['alarms']), 5)[0],
                  'alarm raised')
            rep = command(pub, lis, {'cmd': 'ack', 'panel': 'suhu'})
            check(rep.get('ok') and rep.get('changed') == 1, 'ack: %s' % rep)
            check(all(a['acked'] for a in p.dump()['alarms']), 'alarm acknowledged')
            # The alarm log's events on <prefix>/<node>/alarms.
            evs = lambda: [json.loads(m[2]) for m in lis.msgs if m[1] == PREFIX + '/n1/alarms']  # noqa: E731
            wait_for(lambda: len(evs()) >= 2, 3)
            got = [(e['event'], e['panel'], e['value'], e['by']) for e in evs()]
            check(got == [('RAISED', 'suhu', '45.0', ''), ('ACKED', 'suhu', '45.0', 'remote')] and
                  not any(m[3] for m in lis.msgs if m[1] == PREFIX + '/n1/alarms'),
                  'alarm events published, not retained: %s' % got)
            # Selected while its alarm is on: both the alarm's border and the
            # selection frame show (the selection inside).
            check(command(pub, lis, {'cmd': 'select', 'panel': 'suhu'}).get('ok'), 'select suhu')
            path = remote_shot(pub, lis, r.d, 'screenshot of the selection')
            if path:
                check(pixel(path, 1, 150) == 'd8342c', 'the alarm border at the edge: %s' % pixel(path, 1, 150))
                check(pixel(path, 4, 150) == 'ffd400', 'the selection frame inside it: %s' % pixel(path, 4, 150))
                check(('%s/pantau-' % os.path.realpath(r.d)) in p.log(), 'the log names the full path')
            check(command(pub, lis, {'cmd': 'ack-all'}).get('ok'), 'ack-all')
            # Why is it red: the enlarged sensor says its band and thresholds
            # in a strip under the value.
            bands = p.dump()['panels']['suhu'].get('bands', '')
            check(bands.startswith('ALARM') and 'alarm \u2265 40.0' in bands and 'warning \u2265 30.0' in bands
                  and 'hysteresis' in bands, 'the band line: %r' % bands)
            check(command(pub, lis, {'cmd': 'enlarge', 'panel': 'suhu'}).get('ok'), 'enlarge suhu')
            path = remote_shot(pub, lis, r.d, 'screenshot of the enlarged sensor')
            if path:
                W, H = (int(v) for v in subprocess.run([PNGTOOL, 'size', path], capture_output=True,
                                                         text=True, check=True).stdout.strip().split('x'))
                ys = [y for y in range(H - 60, H) if pixel(path, W - 16, y) == '1f2733']
                edge = [pixel(path, x, ys[-2]) for x in range(16, W - 16, 8)] if ys else []
                row = [pixel(path, x, ys[len(ys) // 2]) for x in range(16, W - 16, 8)] if ys else []
                check(len(ys) >= 12 and edge.count('1f2733') == len(edge),
                      'a title-coloured strip across the bottom: rows %s' % ys)
                check(any(int(px[0:2], 16) > 200 and int(px[2:4], 16) > 200 for px in row), 'with text on it')
            check(command(pub, lis, {'cmd': 'restore'}).get('ok'), 'restore')
            # Screenshot: a PNG in screenshot_dir (names have a one-second
            # resolution: earlier ones go first).
            clear_shots(r.d)
            before = set(os.listdir(r.d))
            check(command(pub, lis, {'cmd': 'screenshot'}).get('ok'), 'screenshot')
            check(wait_for(lambda: any(f.endswith('.png') for f in set(os.listdir(r.d)) - before), 5),
                  'a screenshot was written')
            rep = command(pub, lis, {'cmd': 'restart-source', 'source': 's'})
            check(rep.get('ok'), 'restart-source: %s' % rep)
            check(p.wait_dump(lambda d: d['sources']['s']['status'] == 'live' and d['sources']['s']['reconnects'] >= 1,
                              10)[0], 'source s reconnected and live')
            check(wait_for(lambda: p.log().count('remote control on') == 1, 1), 'remote link not restarted')
            # Wall-wide topic: every node acts.
            t0 = time.monotonic()
            send_raw(pub, json.dumps({'cmd': 'page', 'page': 2, 'id': 'all-1'}), PREFIX + '/cmd')
            check(wait_for(lambda: any(json.loads(x[1]).get('id') == 'all-1'
                                       for x in lis.since(t0, PREFIX + '/n1/reply')), 5), 'wall-wide command answered')
            check(ui()['page'] == 1, 'wall-wide page command applied')
            # pantau --send
            rc, out, err = send(p.cfg, 'page', '1')
            check(rc == 0 and '"ok":true' in out, '--send page 1: exit 0: %d %s %s' % (rc, out, err))
            check(ui()['page'] == 0, '--send page 1 applied')
            rc, out, err = send(p.cfg, 'page', '9')
            check(rc == 1 and 'no page 9' in out, '--send page 9: exit 1 with the reason: %d %s %s' % (rc, out, err))
            rc, out, err = send(p.cfg, 'enlarge', 'suhu', node='n1')
            check(rc == 0 and ui()['enlarged'] == 0, '--send --node n1 enlarge: %d %s %s' % (rc, out, err))
            rc, out, err = send(p.cfg, 'hold', timeout=1, node='nobody')
            check(rc == 3 and 'no reply' in err, '--send to a node that is not there: exit 3: %d %s' % (rc, err))
            rc, out, err = send(p.cfg, 'frobnicate')
            check(rc == 2 and 'unknown command' in err, '--send of an unknown command: exit 2: %d %s' % (rc, err))
            # A clean stop: status and health say offline.
            t0 = time.monotonic()
            check(p.stop() == 0, 'exit 0')
            r.pantaus.remove(p)
            check(wait_for(lambda: [x for x in lis.since(t0, PREFIX + '/n1/status') if x[1] == b'offline'], 5),
                  'status offline at a clean stop')
            h = lis.last_json(PREFIX + '/n1/health') or {}
            check(h.get('state') == 'offline', 'health state offline at a clean stop: %s' % h.get('state'))
        finally:
            lis.close()


BAD = [
    (b'{"cmd": "page", "page": 2', 'not valid JSON'),
    (b'', 'not valid JSON'),
    (b'\x00\x01\x02', 'not valid JSON'),
    (b'\xff\xfe{"cmd":"hold"}', 'not valid JSON'),
    (b'[1, 2, 3]', 'expected a JSON object'),
    (b'"page-next"', 'expected a JSON object'),
    (b'{"page": 2}', '"cmd" must be a text'),
    (b'{"cmd": 7}', '"cmd" must be a text'),
    (b'{"cmd": "explode"}', 'unknown command'),
    (b'{"cmd": "page", "page": true}', '"page" must be a page number'),
    (b'{"cmd": "page", "page": 2.5}', '"page" must be a page number'),
    (b'{"cmd": "page", "page": -1}', '"page" must be a page number'),
    (b'{"cmd": "page", "page": 1e300}', '"page" must be a page number'),
    (b'{"cmd": "page", "page": "nowhere"}', 'no page named'),
    (b'{"cmd": "page", "pgae": 2}', 'page takes "page", not "pgae"'),
    (b'{"cmd": "hold", "page": 2}', 'hold takes no argument'),
    (b'{"cmd": "enlarge", "panel": 3}', '"panel" must be a panel id'),
    (b'{"cmd": "enlarge", "panel": "ghost"}', 'no panel with id'),
    (b'{"cmd": "ack", "panel": "suhu"}', 'no open alarm'),
    (b'{"cmd": "restart-source", "source": "cam-99"}', 'no source named'),
    (b'{"cmd": "debug-freeze", "ms": "long"}', '"ms" must be a number'),
    (b'[' * 2000 + b']' * 2000, 'not valid JSON'),  # deeper than cJSON's nesting limit
    (b'{"cmd": "page", "page": 2, "id": {"a": 1}} trailing', 'not valid JSON'),
]


def bad_commands():
    """Each bad command gets a refusal saying why; 1 MB is refused unread;
    the wall is unchanged and alive."""
    with mt.Rig() as r:
        b = r.broker()
        pub = r.publisher(b.port)
        lis = Listener(b.port)
        try:
            p = r.live_pantau(cfg(b.port))
            for payload, why in BAD:
                t0 = time.monotonic()
                send_raw(pub, payload)
                got = wait_for(lambda: lis.since(t0, PREFIX + '/n1/reply'), 5)
                rep = json.loads(got[-1][1]) if got else {}
                check(rep.get('ok') is False and why in rep.get('error', ''),
                      '%r: refused with "%s": %s' % (payload[:60], why, rep))
            t0 = time.monotonic()
            send_raw(pub, b'{"cmd": "hold", "x": "' + b'a' * (1 << 20) + b'"}')
            got = wait_for(lambda: lis.since(t0, PREFIX + '/n1/reply'), 5)
            check(got and 'refused unread' in json.loads(got[-1][1]).get('error', ''), '1 MB refused unread: %s'
                  % (got[-1:] if got else None))
            check(p.alive(), 'pantau alive after the corpus')
            d = p.dump()
            check(d['wall']['page'] == 0 and not d['wall']['tour_held'], 'nothing changed: %s' % d['wall'])
            check(command(pub, lis, {'cmd': 'page-next'}).get('ok'), 'a good command still works')
        finally:
            lis.close()


def flood():
    """10,000 commands a second for 3 s: the wall keeps drawing at its frame
    rate, refuses what it cannot queue, and answers a good command at once
    afterwards."""
    with mt.Rig() as r:
        b = r.broker()
        pub = r.publisher(b.port)
        lis = Listener(b.port, topics=(PREFIX + '/n1/health', PREFIX + '/n1/reply'))
        try:
            p = r.live_pantau(cfg(b.port), args=('--every-frame', '--fps', '30', '--stats', os.path.join(r.d, 's.json')))
            flooder = mqtt.Client(client_id='pantau-test-flood-%d' % os.getpid(), protocol=mqtt.MQTTv311)
            flooder.max_queued_messages_set(0)
            flooder.connect('127.0.0.1', b.port)
            flooder.loop_start()
            msg = json.dumps({'cmd': 'hold'})
            t_start = time.monotonic()
            t_end = t_start + 3
            sent = 0
            while time.monotonic() < t_end:
                t_tick = time.monotonic()
                for _ in range(100):
                    flooder.publish(PREFIX + '/n1/cmd', msg, qos=0)
                sent += 100
                dt = 0.01 - (time.monotonic() - t_tick)
                if dt > 0:
                    time.sleep(dt)
            flooder.loop_stop()
            flooder.disconnect()
            print('flood: %d commands in 3 s' % sent)
            check(sent >= 25000, 'the flood reached %d commands (want >= 25000)' % sent)
            rep = command(pub, lis, {'cmd': 'resume'}, timeout=5)
            check(rep.get('ok'), 'a command right after the flood is answered: %s' % rep)
            check(p.alive(), 'alive')
            # Health went out every heartbeat (2 s) with the frame rate.
            vt_end = time.monotonic() + 2.5
            wait_for(lambda: time.monotonic() > vt_end, 3)
            fps = [json.loads(x[1])['fps'] for x in lis.since(t_start + 1, PREFIX + '/n1/health')]
            print('health fps during and after the flood: %s' % fps)
            # Sanitizers make each frame several times dearer: the frame
            # rate is a claim about the real build.
            if os.environ.get('PANTAU_SANITIZE', 'none') in ('', 'none'):
                check(fps and min(fps) >= 27, 'the wall drew at 30 fps during the flood: %s' % fps)
        finally:
            lis.close()
        rc = p.stop()
        check(rc == 0, 'exit 0')
        with open(os.path.join(r.d, 's.json')) as f:
            st = json.load(f)
        print('frames %s, p99 %s ms' % (st.get('frames'), st.get('p99_ms')))
        if os.environ.get('PANTAU_SANITIZE', 'none') in ('', 'none'):
            check(st.get('p99_ms', 1e9) <= 25, 'frame time p99 %.1f ms <= 25' % st.get('p99_ms', 0))
        check('refused unread' in p.log(), 'the refusals are logged')


def health():
    """Retained health of the node and every source on connect, a change
    published at once, sources a reload removed cleared, and "offline" as
    the last will when pantau dies."""
    with mt.Rig() as r:
        b = r.broker()
        pub = r.publisher(b.port)
        extra = '  web: { http: "http://127.0.0.1:9/none", every: 1s }'
        p = r.live_pantau(cfg(b.port, extra_sources=extra))
        lis = Listener(b.port)  # connects after: gets the retained messages
        try:
            h = wait_for(lambda: lis.last_json(PREFIX + '/n1/health'), 5)
            check(h is not None, 'retained node health')
            h = h or {}
            for k in ('node', 'version', 'uptime_s', 'config', 'config_hash', 'page', 'pages', 'frame_ms_p50',
                      'frame_ms_p99', 'fps', 'sources_live', 'sources', 'alarms_unacked', 'reloads'):
                check(k in h, 'health has %s: %s' % (k, h))
            check(h.get('node') == 'n1' and h.get('pages') == 2 and len(h.get('config_hash', '')) == 16,
                  'health values: %s' % h)
            check(h.get('monitors') == [{'number': 1, 'name': '', 'output': '', 'shown': True}],
                  'health lists the monitor this node drives, shown: %s' % h.get('monitors'))
            s = wait_for(lambda: lis.last_json(PREFIX + '/n1/sources/s'), 5) or {}
            check(s.get('status') == 'live' and s.get('kind') == 'mqtt', 'source s health: %s' % s)
            w = wait_for(lambda: (lis.last_json(PREFIX + '/n1/sources/web') or {}).get('status') == 'retrying'
                         and lis.last_json(PREFIX + '/n1/sources/web'), 8) or {}
            check(w.get('status') == 'retrying' and w.get('reason'), 'a failing source says why: %s' % w)
            st = [x for x in lis.msgs if x[1] == PREFIX + '/n1/status']
            check(st and st[-1][2] == b'online' and st[-1][3], 'status online, retained: %s' % st[-1:])
            # A change goes out at once (not at the heartbeat).
            t0 = time.monotonic()
            pub.pub('t/suhu', '45')
            got = wait_for(lambda: [x for x in lis.since(t0, PREFIX + '/n1/health')
                                    if json.loads(x[1]).get('alarms_unacked') == 1], 2)
            check(got, 'health with the new alarm within 2 s')
            # A reload that removes source web clears its topic.
            with open(p.cfg, 'w') as f:
                f.write(cfg(b.port))
            p.p.send_signal(signal.SIGHUP)
            check(wait_for(lambda: 'reloaded ' in p.log(), 10), 'reloaded')
            check(wait_for(lambda: any(not x[1] for x in lis.since(t0, PREFIX + '/n1/sources/web')), 5),
                  'the removed source\'s retained topic is cleared')
            h2 = wait_for(lambda: (lis.last_json(PREFIX + '/n1/health') or {}).get('reloads') == 1 and
                          lis.last_json(PREFIX + '/n1/health'), 5)
            check(h2 and h2['sources'] == 1, 'health after the reload: %s' % h2)
            # Killed: the broker publishes the will. (A clean stop is checked
            # in commands: health says "offline" too.)
            t0 = time.monotonic()
            p.p.kill()
            p.p.wait()
            check(wait_for(lambda: [x for x in lis.since(t0, PREFIX + '/n1/status') if x[1] == b'offline'], 5),
                  'last will "offline" on the status topic')
        finally:
            lis.close()
            r.pantaus.remove(p)


def config_errors():
    """remote.broker must name an mqtt source; prefix and node must be
    topic levels without wildcards."""
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        cases = [
            ('remote: { broker: nope }', 'remote.broker: no source named "nope"'),
            ('remote: { broker: web }', 'source "web" is an http source; remote control needs an mqtt source'),
            ('remote: { broker: s, prefix: "a/#" }', 'remote.prefix: "a/#" must not contain the MQTT wildcards'),
            ('remote: { broker: s, node: "a/b" }', 'remote.node: "a/b" must not contain \'/\''),
            ('remote: { broker: s, prefix: "/x" }', 'must not start or end with'),
        ]
        for top, want in cases:
            text = ('version: 1\n%s\nsources:\n  s: { mqtt: "mqtt://127.0.0.1:1" }\n'
                    '  web: { http: "http://127.0.0.1:9/" }\npages:\n  - panels:\n'
                    '      - { text: "x", at: [0, 0, 1, 1] }\n') % top
            path = os.path.join(d, 'c.yaml')
            with open(path, 'w') as f:
                f.write(text)
            r = subprocess.run([PANTAU, '--check', path], capture_output=True, text=True, env=env())
            check(r.returncode == 2 and want in r.stderr and '%s:2:' % path in r.stderr,
                  '%s: exit 2 with "%s" at line 2: %d %s' % (top, want, r.returncode, r.stderr))


def secrets():
    """Secrets from ${ENV} (a broker password, a camera password in its
    URL, an API token) appear in no output of a run: the log, the scene
    dump, any message the wall publishes (health, sources, replies),
    --print-config and --send."""
    import socket as so
    closed = so.socket()
    closed.bind(('127.0.0.1', 0))
    cport = closed.getsockname()[1]
    closed.close()  # nothing listens there: "connection refused" with the URL around
    secrets_ = {'PANTAU_TEST_MQ': 'Mq-Sandi-8812-rusa', 'PANTAU_TEST_CAM': 'Cam-Sandi-5521-badak',
                'PANTAU_TEST_TOK': 'Tok-3377-harimau'}
    with mt.Rig() as r:
        b = r.broker()
        lis = Listener(b.port)
        pub = r.publisher(b.port)
        extra = ('  cam: { video: "rtsp://admin:${PANTAU_TEST_CAM}@127.0.0.1:%d/Streaming/Channels/101" }\n'
                 '  web: { http: "http://127.0.0.1:%d/api?token=${PANTAU_TEST_TOK}", bearer: "${PANTAU_TEST_TOK}" }'
                 % (cport, cport))
        text = cfg(b.port, extra_sources=extra).replace('s: { mqtt: "mqtt://127.0.0.1:%d" }' % b.port,
                                                         's: { mqtt: "mqtt://127.0.0.1:%d", username: wall, '
                                                         'password: "${PANTAU_TEST_MQ}" }' % b.port)
        e = env(**secrets_)
        p = r.pantau(text, e=e)
        try:
            check(p.wait_dump(lambda d: d['sources']['s']['status'] == 'live' and
                              d['sources']['cam']['status'] == 'retrying' and d['sources']['web']['status'] == 'retrying',
                              15)[0], 'connected; the camera and the API fail (their reasons are out)')
            reply = command(pub, lis, {'cmd': 'restart-source', 'source': 'cam'})
            check(reply.get('ok'), 'a command answered')
            time.sleep(2.5)  # a heartbeat (2 s) of health
            outputs = {'log': p.log(), 'dump': json.dumps(p.dump())}
            with lis.lock:
                outputs['mqtt'] = '\n'.join('%s %s' % (t, pl.decode('utf-8', 'replace')) for _, t, pl, _ in lis.msgs)
            rp = subprocess.run([PANTAU, '--print-config', p.cfg], capture_output=True, text=True, env=e, timeout=30)
            outputs['print-config'] = rp.stdout + rp.stderr
            rs = subprocess.run([PANTAU, '--send', 'stats', p.cfg], capture_output=True, text=True, env=e, timeout=30)
            outputs['send'] = rs.stdout + rs.stderr
            check(len(outputs['mqtt']) > 500 and '/health' in outputs['mqtt'], 'health was published and read')
            for where, out in outputs.items():
                for name, secret in secrets_.items():
                    check(secret not in out, '%s: the secret of %s does not appear' % (where, name))
            check('***' in outputs['print-config'], '--print-config shows *** instead')
        finally:
            lis.close()


if __name__ == '__main__':
    run_cases([commands, bad_commands, flood, health, config_errors, secrets])
