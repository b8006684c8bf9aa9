#!/usr/bin/env python3
"""Integration tests of the MQTT feed against a real mosquitto: values and
their types, JSON paths, wildcard tables, alarm bands with hysteresis and
acknowledgement, staleness, broker restarts, TLS with a password, bad
payloads and unknown acknowledgements. Each test starts its own broker on a
free port of 127.0.0.1 and its own headless pantau, and reads pantau's state
from --dump-scene (written on SIGUSR2).
Usage: mqtt_test.py PANTAU PNGTOOL SRCDIR TEST (TEST is one of the functions
below)."""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import use_system_python, TEST, Pantau, check, env, failures, free_port, pixel, run_cases, wait_for  # noqa: E402,F401

try:
    import paho.mqtt.client as mqtt
except ImportError:
    use_system_python('paho.mqtt (Debian: python3-paho-mqtt)')

ALARM_RGB = 'd8342c'    # COLOR_ALARM (widgets/draw.h)
LIVE_RGB = '2e9d4f'     # COLOR_LIVE


class Broker:
    """A mosquitto of our own on 127.0.0.1:port (a free port unless given)."""

    def __init__(self, d, name='broker', port=None, extra=''):
        self.d, self.name, self.extra = d, name, extra
        self.port = port or free_port()
        self.conf = os.path.join(d, name + '.conf')
        self.log = os.path.join(d, name + '.log')
        self.p = None

    def start(self):
        with open(self.conf, 'w') as f:
            f.write('listener %d 127.0.0.1\n' % self.port)
            if os.geteuid() == 0:
                f.write('user root\n')
            f.write(self.extra or 'allow_anonymous true\n')
        with open(self.log, 'a') as log:
            self.p = subprocess.Popen(['mosquitto', '-c', self.conf], stdout=log, stderr=subprocess.STDOUT)

        def accepting():
            if self.p.poll() is not None:
                return 'exited'
            try:
                socket.create_connection(('127.0.0.1', self.port), timeout=0.5).close()
                return 'up'
            except OSError:
                return None
        state = wait_for(accepting, 10)
        if state != 'up':
            with open(self.log) as f:
                raise RuntimeError('mosquitto on port %d did not start (%s): %s' % (self.port, state, f.read()))
        return self

    def kill(self):
        if self.p and self.p.poll() is None:
            self.p.kill()
            self.p.wait(timeout=10)


class Publisher:
    """A paho client that publishes with QoS 1 and waits for the broker's ack."""

    def __init__(self, port, user=None, password=None, ca=None):
        self.c = mqtt.Client(client_id='pantau-test-pub-%d-%d' % (os.getpid(), port), protocol=mqtt.MQTTv311)
        if user:
            self.c.username_pw_set(user, password)
        if ca:
            self.c.tls_set(ca_certs=ca)
        self.connected = False
        self.c.on_connect = lambda c, u, flags, rc: setattr(self, 'connected', rc == 0)
        self.c.connect('127.0.0.1', port, keepalive=30)
        self.c.loop_start()
        if not wait_for(lambda: self.connected, 10):
            self.close()
            raise RuntimeError('test publisher could not connect to port %d' % port)

    def pub(self, topic, payload, retain=False):
        info = self.c.publish(topic, payload, qos=1, retain=retain)
        info.wait_for_publish(timeout=10)
        if not info.is_published():
            raise RuntimeError('publish to %s not acknowledged' % topic)

    def close(self):
        self.c.disconnect()
        self.c.loop_stop()


class Rig:
    """A temp dir plus every broker and pantau a test starts; all stopped
    (pantau first) at the end, logs printed when something failed."""

    def __init__(self):
        self.brokers, self.pantaus, self.pubs = [], [], []

    def __enter__(self):
        self.tmp = tempfile.TemporaryDirectory(prefix='pantau-mqtt-')
        self.d = self.tmp.name
        return self

    def broker(self, **kw):
        b = Broker(self.d, **kw)
        self.brokers.append(b)
        return b.start()

    def pantau(self, cfg_text, **kw):
        p = Pantau(self.d, cfg_text, **kw)
        self.pantaus.append(p)
        return p

    def live_pantau(self, cfg_text, **kw):
        """A pantau whose broker source `s` is connected (checked)."""
        p = self.pantau(cfg_text, **kw)
        check(p.wait_dump(lambda d: d['sources']['s']['status'] == 'live', 10)[0], 'connected')
        return p

    def publisher(self, port, **kw):
        c = Publisher(port, **kw)
        self.pubs.append(c)
        return c

    def __exit__(self, *exc):
        try:
            for c in self.pubs:
                c.close()
            for p in self.pantaus:
                rc = p.stop()
                check(rc == 0, '%s: exit 0 on SIGTERM, got %s' % (p.name, rc))
            if len(failures) or exc[0]:
                for p in self.pantaus:
                    print('--- %s log (tail) ---\n%s' % (p.name, p.log()[-4000:]), file=sys.stderr)
                for b in self.brokers:
                    if os.path.exists(b.log):
                        with open(b.log) as f:
                            print('--- %s log (tail) ---\n%s' % (b.name, f.read()[-2000:]), file=sys.stderr)
        finally:
            for b in self.brokers:
                b.kill()
            self.tmp.cleanup()
        return False


def wall_cfg(port, panels, columns=3, width=600, source_extra='', top=''):
    """A one-monitor wall of `columns` equal panels in a row, gap 0."""
    return ('version: 1\n%swall:\n  displays: { columns: 1, rows: 1, size: [%d, 300] }\n'
            '  grid: [%d, 1]\n  gap: 0\nsources:\n  s: { mqtt: "mqtt://127.0.0.1:%d"%s }\n'
            'pages:\n  - panels:\n%s') % (top, width, columns, port, source_extra,
                                           ''.join('      - %s\n' % p for p in panels))


def panel(d, pid):
    return d['panels'][pid]


def has_values(**want):
    return lambda d: all(panel(d, k).get('has_value') and panel(d, k).get('value') == v for k, v in want.items())


# --- tests -----------------------------------------------------------------


def values():
    """Retained values of every kind reach the right panels; a gauge in its
    alarm band is drawn in the alarm colour."""
    with Rig() as r:
        b = r.broker()
        pub = r.publisher(b.port)
        pub.pub('test/river/level', '95', retain=True)
        pub.pub('test/river/json', json.dumps({'station': 'Siak', 'level_cm': 42.5, 'ok': True}), retain=True)
        pub.pub('test/genset/running', 'on', retain=True)
        pub.pub('test/pump/state', 'RUN', retain=True)
        pub.pub('test/river/level2', '60', retain=True)
        # Five 200x300 panels; default ids p1.1 .. p1.5.
        cfg = wall_cfg(b.port, [
            '{ gauge: s, topic: "test/river/level", at: [0, 0, 1, 1], bands: { warn: 70, alarm: 90 } }',
            '{ gauge: s, topic: "test/river/level2", at: [1, 0, 1, 1], bands: { warn: 70, alarm: 90 } }',
            '{ number: s, topic: "test/river/json", value: "$.level_cm", unit: cm, at: [2, 0, 1, 1] }',
            '{ lamp: s, topic: "test/genset/running", at: [3, 0, 1, 1] }',
            '{ lamp: s, topic: "test/pump/state", on_state: RUN, at: [4, 0, 1, 1] }',
        ], columns=5, width=1000, top='screenshot_dir: "%s"\n' % r.d)
        p = r.pantau(cfg, window='1000x300')
        ok, d = p.wait_dump(lambda d: all(panel(d, 'p1.%d' % i)['has_value'] for i in range(1, 6)), 10)
        check(ok, 'all five panels got their retained value: %s' % json.dumps(d['panels']))
        want = {'p1.1': ('number', 95), 'p1.2': ('number', 60), 'p1.3': ('number', 42.5),
                'p1.4': ('bool', 1), 'p1.5': ('text', 'RUN')}
        for pid, (typ, val) in want.items():
            got = panel(d, pid)
            check(got['type'] == typ and got['value'] == val,
                  '%s (%s): type %s value %r, got %s %r' % (pid, got['topic'], typ, val, got['type'], got.get('value')))
            check(got['errors'] == 0 and not got['offline'], '%s: no errors, online' % pid)
        check(d['sources']['s']['status'] == 'live', 'source live, got %s' % d['sources']['s']['status'])
        check(panel(d, 'p1.1')['level'] == 'alarm', '95 with alarm at 90: level alarm, got %s' % panel(d, 'p1.1')['level'])
        check(panel(d, 'p1.2')['level'] == 'normal', '60 below warn 70: level normal')
        check([a['panel'] for a in d['alarms']] == ['p1.1'], 'one alarm, for p1.1: %s' % d['alarms'])
        # Screenshot (SIGUSR1) now that the values are in.
        p.p.send_signal(signal.SIGUSR1)
        check(p.wait_log('screenshot saved to', 10), 'SIGUSR1 screenshot saved')
        shot = [os.path.join(r.d, f) for f in os.listdir(r.d) if f.startswith('pantau-') and f.endswith('.png')]
        if check(len(shot) == 1, 'one screenshot in screenshot_dir: %s' % shot):
            # The radial gauge's geometry (widgets/gauge.c): body below the
            # 30 px title bar; ring of outer radius min(0.45 w, 0.55 h),
            # thickness 0.18 radius, centred at (w/2, 0.55 h); 270 degrees from
            # 135. Its top (270 deg) is inside the value arc for any value over
            # half the scale, and far from the band marks (70..100%).
            bw, bh = 200, 300 - 30
            radius = min(bw * 0.45, bh * 0.55)
            thick = radius * 0.18
            cy = 30 + bh * 0.55
            y = int(round(cy - (radius - thick / 2)))
            for col, pid, rgb, what in ((0, 'p1.1', ALARM_RGB, 'alarm colour'), (1, 'p1.2', LIVE_RGB, 'live (normal) colour')):
                x = col * 200 + bw // 2
                got = pixel(shot[0], x, y)
                check(got == rgb, '%s: gauge arc at (%d, %d) in the %s #%s, got #%s' % (pid, x, y, what, rgb, got))


def json_path():
    """Values at nested JSON paths; a path missing from a payload is an error
    on the panel and the last good value stays."""
    with Rig() as r:
        b = r.broker()
        cfg = wall_cfg(b.port, [
            '{ number: s, id: deep, topic: "test/j", value: "$.a.b[1].c", at: [0, 0, 1, 1] }',
            '{ number: s, id: nodollar, topic: "test/j", value: "a.b[0].c", at: [1, 0, 1, 1] }',
            '{ lamp: s, id: mode, topic: "test/j", value: "$.a.mode", on_state: AUTO, at: [2, 0, 1, 1] }',
            '{ number: s, id: grid, topic: "test/k", value: "$.m[1][0]", at: [3, 0, 1, 1] }',
        ], columns=4, width=800)
        p = r.live_pantau(cfg, window='800x300')
        pub = r.publisher(b.port)
        pub.pub('test/j', json.dumps({'a': {'b': [{'c': 1.5}, {'c': 42.25}], 'mode': 'AUTO'}}))
        pub.pub('test/k', json.dumps({'m': [[1, 2], ["7.5", 8]]}))
        ok, d = p.wait_dump(has_values(deep=42.25, nodollar=1.5, mode='AUTO', grid=7.5), 10)
        check(ok, '$.a.b[1].c = 42.25, a.b[0].c = 1.5, $.a.mode = AUTO, $.m[1][0] = "7.5" as 7.5: %s'
              % json.dumps(d['panels']))
        check(panel(d, 'grid')['type'] == 'number', 'a number in a JSON string is a number')
        check(panel(d, 'mode')['type'] == 'text', '$.a.mode is a text state')
        for pid in ('deep', 'nodollar', 'mode', 'grid'):
            check(panel(d, pid)['errors'] == 0 and panel(d, pid)['error'] == '', '%s: no error yet' % pid)
        # b has one element now: [1] is missing for "deep", the others still resolve.
        pub.pub('test/j', json.dumps({'a': {'b': [{'c': 2.5}], 'mode': 'MANUAL'}}))
        ok, d = p.wait_dump(lambda d: panel(d, 'deep')['errors'] == 1 and panel(d, 'nodollar')['value'] == 2.5, 10)
        check(ok, 'missing path counted on the panel: %s' % json.dumps(panel(d, 'deep')))
        deep = panel(d, 'deep')
        check('$.a.b[1]' in deep['error'] and 'missing' in deep['error'],
              'error text names the missing path: %r' % deep['error'])
        check(deep['has_value'] and deep['value'] == 42.25, 'last good value 42.25 kept, got %r' % deep.get('value'))
        check(panel(d, 'mode')['value'] == 'MANUAL' and panel(d, 'mode')['errors'] == 0,
              'other paths of the same message still update')
        # A path through the wrong kind of node is missing too.
        pub.pub('test/k', json.dumps({'m': {'1': [3]}}))
        ok, d = p.wait_dump(lambda d: panel(d, 'grid')['errors'] == 1, 10)
        check(ok and 'missing' in panel(d, 'grid')['error'] and panel(d, 'grid')['value'] == 7.5,
              'index into an object: error, 7.5 kept: %s' % json.dumps(panel(d, 'grid')))
        # A good value afterwards replaces the old one.
        pub.pub('test/j', json.dumps({'a': {'b': [{'c': 0}, {'c': -3}], 'mode': 'AUTO'}}))
        ok, d = p.wait_dump(has_values(deep=-3), 10)
        check(ok, 'a later good payload updates the value to -3: %s' % json.dumps(panel(d, 'deep')))


def wildcard_table():
    """A table on parkir/+/occupancy lists every car park, sorted, with its
    value; topics the filter does not match are not listed."""
    with Rig() as r:
        b = r.broker()
        # The second table (parkir/#) makes the broker deliver every parkir
        # topic on the same connection, so pantau's own filter matching is
        # what keeps the others out of the first table.
        cfg = wall_cfg(b.port, [
            '{ table: s, id: occ, topic: "parkir/+/occupancy", decimals: 0, at: [0, 0, 2, 1] }',
            '{ table: s, id: all, topic: "parkir/#", decimals: 0, at: [2, 0, 1, 1] }',
        ])
        p = r.live_pantau(cfg)
        pub = r.publisher(b.port)
        noise = {'parkir/mall-ska/capacity': '500', 'parkir/a/b/occupancy': '7', 'parkir/occupancy': '8',
                 'other/mall-ska/occupancy': '9', 'parkir/x/occupancy/extra': '10'}
        for t, v in noise.items():
            pub.pub(t, v)
        parks = {'purna-mtq': '300', 'alam-mayang': '45', 'mall-ska': '120', 'bandara-ssk2': '0'}
        for name, v in parks.items():
            pub.pub('parkir/%s/occupancy' % name, v)
        n_all = 4 + len([t for t in noise if t.startswith('parkir/')])
        ok, d = p.wait_dump(lambda d: len(panel(d, 'occ')['rows']) == 4 and len(panel(d, 'all')['rows']) == n_all, 10)
        check(ok, 'four car parks listed (and %d parkir/# rows): %s' % (n_all, json.dumps(d['panels'])))
        rows = panel(d, 'occ')['rows']
        want = sorted(parks)
        check([x['name'] for x in rows] == want, 'rows sorted by car park: %s, got %s' % (want, [x['name'] for x in rows]))
        for x in rows:
            name = x['name']
            check(x['topic'] == 'parkir/%s/occupancy' % name, 'row topic %s' % x['topic'])
            check(x['value'] == parks.get(name), '%s: value %s, got %r' % (name, parks.get(name), x['value']))
            check(x['errors'] == 0, '%s: no errors' % name)
        check(not any(x['topic'] in noise for x in rows), 'no row for a topic the filter does not match: %s' % rows)
        check(panel(d, 'occ')['overflow'] == 0, 'no overflow')
        # Text for the room: four rows in a 300-px panel are drawn large
        # (the window is 4/3 of the canvas: the 18-px minimum is 24 px);
        # the eight-row table next to it smaller, never under the minimum.
        d = p.dump()
        big, small = panel(d, 'occ').get('text_px', 0), panel(d, 'all').get('text_px', 0)
        check(big >= 40 and 24 <= small < big, 'rows fill their panels: text %d px (4 rows), %d px (8 rows)'
              % (big, small))
        all_topics = [x['topic'] for x in panel(d, 'all')['rows']]
        check(all_topics == sorted(all_topics) and 'parkir/mall-ska/capacity' in all_topics,
              'parkir/# lists the other topics, sorted: %s' % all_topics)
        # A new value for one park changes that row only.
        pub.pub('parkir/mall-ska/occupancy', '121')
        ok, d = p.wait_dump(lambda d: [x['value'] for x in panel(d, 'occ')['rows']] == ['45', '0', '121', '300'], 10)
        check(ok, 'update of one park: %s' % panel(d, 'occ')['rows'])
        # A bad payload for one park: its last value stays, marked.
        pub.pub('parkir/mall-ska/occupancy', '121,5')
        ok, d = p.wait_dump(lambda d: [x['bad_latest'] for x in panel(d, 'occ')['rows']] == [False, False, True, False],
                            10)
        check(ok, 'the row with a bad latest payload is marked, the others not: %s' % panel(d, 'occ')['rows'])
        check([x['value'] for x in panel(d, 'occ')['rows']][2] == '121', 'its last good value stays')
        pub.pub('parkir/mall-ska/occupancy', '122')
        ok, d = p.wait_dump(lambda d: not any(x['bad_latest'] for x in panel(d, 'occ')['rows']), 10)
        check(ok, 'a good value clears the mark: %s' % panel(d, 'occ')['rows'])
        # Topics of 128 bytes and more are rows like any other (there is room).
        longs = ['parkir/%s/occupancy' % (c * 150) for c in 'xy']
        for i, t in enumerate(longs):
            pub.pub(t, str(10 + i))
        ok, d = p.wait_dump(lambda d: len(panel(d, 'occ')['rows']) == 6, 10)
        check(ok and panel(d, 'occ')['overflow'] == 0, 'two long topics are two rows, no "+more": %s'
              % [(x['name'][:20], x['value']) for x in panel(d, 'occ')['rows']])
        vals = sorted(x['value'] for x in panel(d, 'occ')['rows'] if len(x['topic']) > 100)
        check(vals == ['10', '11'], 'each long topic keeps its own value: %s' % vals)


HYST_CFG_PANELS = [
    '{ number: s, id: air, label: "ISPU", topic: "test/ispu", min: 0, max: 1000, decimals: 0, '
    'bands: { warn: 400, alarm: 500, hysteresis: 10 }, at: [0, 0, 2, 1] }',
    '{ alarms: "", at: [2, 0, 1, 1] }',
]


def thresholds_hysteresis():
    """Bands warn 400 / alarm 500 with hysteresis 10: the alarm band is left
    only below 490; the alarm entry stays until acknowledged over MQTT."""
    with Rig() as r:
        b = r.broker()
        p = r.live_pantau(wall_cfg(b.port, HYST_CFG_PANELS, source_extra=', ack_topic: "pantau/ack"'))
        pub = r.publisher(b.port)

        def step(v, level, what):
            pub.pub('test/ispu', str(v))
            ok, d = p.wait_dump(has_values(air=v), 10)
            check(ok, '%s: value %s shown' % (what, v))
            check(panel(d, 'air')['level'] == level, '%s: %s -> level %s, got %s' % (what, v, level, panel(d, 'air')['level']))
            return d

        d = step(300, 'normal', 'start')
        check(d['alarms'] == [], 'no alarm at 300: %s' % d['alarms'])
        d = step(505, 'alarm', 'enter alarm')
        check([(a['panel'], a['active'], a['acked']) for a in d['alarms']] == [('air', True, False)],
              'an active, unacknowledged alarm entry for air: %s' % d['alarms'])
        check(d['alarms'] and d['alarms'][0]['value'] == '505', 'entry shows the value 505: %s' % d['alarms'])
        d = step(495, 'alarm', 'within hysteresis')
        check([a['active'] for a in d['alarms']] == [True], 'alarm still active at 495: %s' % d['alarms'])
        d = step(489, 'warn', 'past the hysteresis')
        check([(a['panel'], a['active'], a['acked']) for a in d['alarms']] == [('air', False, False)],
              'entry inactive but kept until acknowledged: %s' % d['alarms'])
        d = step(450, 'warn', 'warn band')
        d = step(395, 'warn', 'warn within hysteresis')
        d = step(380, 'normal', 'back to normal')
        check([(a['panel'], a['active'], a['acked']) for a in d['alarms']] == [('air', False, False)],
              'entry still kept at normal: %s' % d['alarms'])
        pub.pub('pantau/ack', 'all')
        ok, d = p.wait_dump(lambda d: d['alarms'] == [], 10)
        check(ok, 'acknowledged over MQTT ("all"): the inactive entry is gone: %s' % d['alarms'])
        check(panel(d, 'air')['level'] == 'normal' and panel(d, 'air')['value'] == 380, 'panel unchanged by the ack')


def stale():
    """stale_after 2s: fresh at first, stale some 2-3 s after the last value,
    fresh again on a new value."""
    with Rig() as r:
        b = r.broker()
        cfg = wall_cfg(b.port, ['{ number: s, id: rain, topic: "test/rain", stale_after: 2s, at: [0, 0, 1, 1] }'])
        p = r.live_pantau(cfg)
        pub = r.publisher(b.port)
        pub.pub('test/rain', '12.5')
        t_pub = time.monotonic()
        ok, d = p.wait_dump(has_values(rain=12.5), 5)
        check(ok, 'value arrived')
        check(time.monotonic() - t_pub < 1.9, 'value seen within 1.9 s (%.2f s)' % (time.monotonic() - t_pub))
        check(panel(d, 'rain')['stale'] is False, 'not stale right after the update: %s' % panel(d, 'rain'))
        ok, d = p.wait_dump(lambda d: panel(d, 'rain')['stale'], 6)
        took = time.monotonic() - t_pub
        check(ok, 'stale after stale_after without updates: %s' % panel(d, 'rain'))
        check(2.0 <= took <= 4.0, 'turned stale %.2f s after the value (2 s .. 4 s expected)' % took)
        check(panel(d, 'rain')['value'] == 12.5 and not panel(d, 'rain')['offline'], 'stale keeps the value, online')
        pub.pub('test/rain', '13')
        ok, d = p.wait_dump(lambda d: panel(d, 'rain')['value'] == 13 and not panel(d, 'rain')['stale'], 5)
        check(ok, 'a new value makes it fresh again: %s' % panel(d, 'rain'))


def trend():
    """number.trend: the arrow compares the value with the newest one at
    least `trend` old: rising, then falling, then steady within the
    hysteresis (2% of 0..100 = 2)."""
    with Rig() as r:
        b = r.broker()
        cfg = wall_cfg(b.port, ['{ number: s, id: n, topic: "test/n", trend: 2s, at: [0, 0, 1, 1] }'])
        p = r.live_pantau(cfg)
        pub = r.publisher(b.port)
        pub.pub('test/n', '10')
        check(p.wait_dump(has_values(n=10), 5)[0], 'first value')
        time.sleep(2.3)
        pub.pub('test/n', '20')
        ok, d = p.wait_dump(lambda d: panel(d, 'n').get('value') == 20, 5)
        check(ok and panel(d, 'n')['trend'] == 'rising', '10 -> 20 over 2 s: rising: %s' % panel(d, 'n'))
        pub.pub('test/n', '5')
        ok, d = p.wait_dump(lambda d: panel(d, 'n').get('value') == 5, 5)
        check(ok and panel(d, 'n')['trend'] == 'falling', '10 (2 s ago) -> 5: falling: %s' % panel(d, 'n'))
        pub.pub('test/n', '11')
        ok, d = p.wait_dump(lambda d: panel(d, 'n').get('value') == 11, 5)
        check(ok and panel(d, 'n')['trend'] == 'steady', '10 (2 s ago) -> 11, within 2: steady: %s' % panel(d, 'n'))


def span():
    """sparkline.span: two sparklines of one topic, span 10s and 60s: eleven
    values, ten of them 10.5 s old: the 10 s line is drawn through 1 point,
    the 60 s line through all 11."""
    with Rig() as r:
        b = r.broker()
        cfg = wall_cfg(b.port, ['{ sparkline: s, id: short, topic: "test/s", span: 10s, at: [0, 0, 1, 1] }',
                                '{ sparkline: s, id: long, topic: "test/s", span: 60s, at: [1, 0, 1, 1] }'])
        p = r.live_pantau(cfg)
        pub = r.publisher(b.port)
        for i in range(10):
            pub.pub('test/s', str(10 + i))
            time.sleep(0.1)
        ok, d = p.wait_dump(lambda d: panel(d, 'long').get('points') == 10, 5)
        check(ok, 'ten points in both: %s / %s' % (panel(d, 'short').get('points'), panel(d, 'long').get('points')))
        time.sleep(10.5)
        pub.pub('test/s', '50')
        ok, d = p.wait_dump(lambda d: panel(d, 'long').get('points') == 11, 5)
        check(ok and panel(d, 'short')['points'] == 1,
              'after 10.5 s: the 10 s span holds 1 point (got %s), the 60 s span 11 (got %s)'
              % (panel(d, 'short').get('points'), panel(d, 'long').get('points')))


def qos():
    """qos: each topic is subscribed at the QoS its panels ask for, the
    highest of two panels of one topic; read from the broker's own log."""
    with Rig() as r:
        sublog = os.path.join(r.d, 'subscribe.log')
        b = r.broker(extra='allow_anonymous true\nlog_dest file %s\nlog_type all\n' % sublog)
        cfg = wall_cfg(b.port, ['{ number: s, id: zero, topic: "q/zero", qos: 0, at: [0, 0, 1, 1] }',
                                '{ number: s, id: two, topic: "q/two", qos: 2, at: [1, 0, 1, 1] }',
                                '{ number: s, id: max0, topic: "q/max", qos: 0, at: [2, 0, 1, 1] }',
                                '{ number: s, id: max1, topic: "q/max", qos: 1, value: "$.v", at: [3, 0, 1, 1] }'],
                       columns=4)
        p = r.live_pantau(cfg)

        def log():
            try:
                with open(sublog, errors='replace') as f:
                    return f.read()
            except FileNotFoundError:
                return ''
        want = ['\tq/zero (QoS 0)', '\tq/two (QoS 2)', '\tq/max (QoS 1)']
        ok = wait_for(lambda: all(w in log() for w in want), 5)
        check(ok, 'subscribed at QoS 0, 2 and the higher of 0 and 1: %s'
              % [line.strip() for line in log().splitlines() if 'QoS' in line])
        check('\tq/max (QoS 0)' not in log(), 'q/max is subscribed once, not at QoS 0')


def broker_restart():
    """A killed broker shows the panels offline and the source retrying; after
    a restart on the same port, 6 s later, the source is live within 2 s (the
    reconnect probe, not Paho's backed-off timer) and the subscriptions are
    back."""
    with Rig() as r:
        b = r.broker()
        pub = r.publisher(b.port)
        pub.pub('test/level', '10', retain=True)
        cfg = wall_cfg(b.port, [
            '{ number: s, id: level, topic: "test/level", at: [0, 0, 1, 1] }',
            '{ table: s, id: parks, topic: "parkir/+/occupancy", at: [1, 0, 2, 1] }',
        ])
        p = r.pantau(cfg)
        ok, d = p.wait_dump(has_values(level=10), 10)
        check(ok, 'first value: %s' % json.dumps(d))
        check(d['sources']['s']['reconnects'] == 0, 'no reconnect yet')
        pub.close()
        r.pubs.remove(pub)
        b.kill()
        ok, d = p.wait_dump(lambda d: d['sources']['s']['status'] == 'retrying' and panel(d, 'level')['offline'], 10)
        check(ok, 'broker killed: source retrying, panel offline: %s %s' % (d['sources'], panel(d, 'level')))
        check(d['sources']['s']['reason'] != '', 'retrying with a reason: %r' % d['sources']['s']['reason'])
        check(panel(d, 'level')['value'] == 10, 'offline panel keeps its last value')
        # Down for 6 s: Paho's own retries have backed off to 4 s by then
        # (1, 2, 4, ... up to retry_max 10 s); the probe must not wait for them.
        time.sleep(6)
        b.start()
        t_restart = time.monotonic()
        ok, d = p.wait_dump(lambda d: d['sources']['s']['status'] == 'live', 10)
        took_live = time.monotonic() - t_restart
        check(ok and took_live <= 2.0, 'live again within 2 s of the broker\'s return (probe): %.2f s' % took_live)
        # Retained: it reaches pantau when it subscribes again, whenever
        # that is; a plain message afterwards checks the live flow.
        pub = r.publisher(b.port)
        pub.pub('test/level', '11', retain=True)
        ok, d = p.wait_dump(lambda d: panel(d, 'level')['value'] == 11, 5)
        took = time.monotonic() - t_restart
        check(ok, 'value published after the restart shown within 5 s of it (%.1f s): %s' % (took, json.dumps(d)))
        check(d['sources']['s']['status'] == 'live' and not panel(d, 'level')['offline'], 'live again')
        check(d['sources']['s']['reconnects'] >= 1, 'reconnects counted: %s' % d['sources']['s'])
        pub.pub('parkir/mall/occupancy', '5')
        pub.pub('test/level', '12')
        ok, d = p.wait_dump(lambda d: panel(d, 'level')['value'] == 12 and len(panel(d, 'parks')['rows']) == 1, 5)
        check(ok, 'live messages after the reconnect reach every subscription: %s' % json.dumps(d['panels']))
        print('broker_restart: live %.2f s and value back %.2f s after the restart' % (took_live, took))


def make_certs(d):
    """A CA and a server certificate for 127.0.0.1/localhost signed by it."""
    def ssl(*args):
        subprocess.run(['openssl'] + list(args), cwd=d, check=True, capture_output=True)
    ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
    ssl('req', '-x509', *ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=pantau test CA',
        '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign')
    ssl('req', *ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost')
    with open(os.path.join(d, 'ext.cnf'), 'w') as f:
        f.write('subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n'
                'extendedKeyUsage=serverAuth\n')
    ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
        '-out', 'server.pem', '-days', '2', '-extfile', 'ext.cnf')
    return [os.path.join(d, n) for n in ('ca.pem', 'server.pem', 'server.key')]


def tls_password():
    """mqtts with a CA file and a password from ${ENV}: values flow; a wrong
    password or an unknown CA gives no value; the password is never logged."""
    user, good, wrong = 'wall', 'Pw-good-4711', 'Pw-wrong-0815'
    with Rig() as r:
        ca, cert, key = make_certs(r.d)
        passwd = os.path.join(r.d, 'passwd')
        subprocess.run(['mosquitto_passwd', '-c', '-b', passwd, user, good], check=True, capture_output=True)
        os.chmod(passwd, 0o600)
        b = r.broker(extra='cafile %s\ncertfile %s\nkeyfile %s\npassword_file %s\nallow_anonymous false\n'
                           % (ca, cert, key, passwd))
        pub = r.publisher(b.port, user=user, password=good, ca=ca)
        pub.pub('test/secure', '77', retain=True)

        def cfg(with_ca):
            return ('version: 1\nwall:\n  displays: { columns: 1, rows: 1, size: [600, 300] }\n  grid: [3, 1]\n'
                    '  gap: 0\nsources:\n  s: { mqtt: "mqtts://127.0.0.1:%d", username: %s, password: "${PANTAU_TEST_PASS}"%s }\n'
                    'pages:\n  - panels:\n      - { number: s, id: v, topic: "test/secure", at: [0, 0, 1, 1] }\n'
                    % (b.port, user, ', ca: "%s"' % ca if with_ca else ''))

        # The right password and CA: the retained value arrives.
        p = r.pantau(cfg(True), name='good', e=env(PANTAU_TEST_PASS=good))
        ok, d = p.wait_dump(has_values(v=77), 10)
        check(ok, 'TLS + password: value flows: %s' % json.dumps(d))
        check(d['sources']['s']['status'] == 'live', 'TLS source live')
        pub.pub('test/secure', '78')
        check(p.wait_dump(has_values(v=78), 10)[0], 'TLS: live updates flow')
        # A wrong password: retrying, with a reason, no value.
        q = r.pantau(cfg(True), name='wrongpass', e=env(PANTAU_TEST_PASS=wrong))
        ok, d = q.wait_dump(lambda d: d['sources']['s']['status'] == 'retrying', 10)
        check(ok, 'wrong password: source retrying: %s' % d['sources'])
        check(d['sources']['s']['reason'] != '', 'wrong password: a reason: %r' % d['sources']['s']['reason'])
        check(not panel(d, 'v')['has_value'], 'wrong password: no value')
        reason = d['sources']['s']['reason'].lower()
        check('authori' in reason or 'password' in reason,
              'wrong password: the reason says the broker refused the credentials, got %r' % reason)
        # No ca: (verify on, the test CA is not among the system's): no value.
        n = r.pantau(cfg(False), name='noca', e=env(PANTAU_TEST_PASS=good))
        ok, d = n.wait_dump(lambda d: d['sources']['s']['status'] == 'retrying', 10)
        check(ok, 'unknown CA: source retrying: %s' % d['sources'])
        check(d['sources']['s']['reason'] != '', 'unknown CA: a reason: %r' % d['sources']['s']['reason'])
        check('TLS' in d['sources']['s']['reason'] and '127.0.0.1' in d['sources']['s']['reason'],
              'unknown CA: the reason says TLS and names the host: %r' % d['sources']['s']['reason'])
        check(not panel(d, 'v')['has_value'], 'unknown CA: no value')
        # Both keep trying (the broker sees each attempt; pantau's log
        # collapses repeats) and still get nothing.
        def attempts(what):
            with open(b.log, errors='replace') as f:
                return f.read().count(what)
        check(wait_for(lambda: attempts('not authorised') >= 2, 10), 'wrong password: tried again, refused again')
        check(wait_for(lambda: attempts('unknown ca') >= 2, 10), 'unknown CA: tried again, failed again')
        for x in (q, n):
            d = x.dump()
            check(not panel(d, 'v')['has_value'] and d['sources']['s']['status'] != 'live',
                  '%s: still no value: %s' % (x.name, d['sources']))
        for x in (p, q, n):
            x.stop()
            log = x.log()
            check(good not in log and wrong not in log, '%s: the password is not in the log' % x.name)
            with open(x.dump_path) as f:
                check(good not in f.read(), '%s: the password is not in the scene dump' % x.name)


def client_cert():
    """cert/key: a broker that requires a client certificate signed by its
    CA lets pantau in with one (values flow) and refuses it without."""
    with Rig() as r:
        ca, cert, key = make_certs(r.d)

        def ssl(*args):
            subprocess.run(['openssl'] + list(args), cwd=r.d, check=True, capture_output=True)
        ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'client.key',
            '-out', 'client.csr', '-subj', '/CN=pantau-wall')
        with open(os.path.join(r.d, 'client.cnf'), 'w') as f:
            f.write('basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n')
        ssl('x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
            '-out', 'client.pem', '-days', '2', '-extfile', 'client.cnf')
        ccert, ckey = os.path.join(r.d, 'client.pem'), os.path.join(r.d, 'client.key')
        b = r.broker(extra='cafile %s\ncertfile %s\nkeyfile %s\nrequire_certificate true\nallow_anonymous true\n'
                           % (ca, cert, key))
        pub = mqtt.Client(client_id='pantau-test-certpub-%d' % os.getpid(), protocol=mqtt.MQTTv311)
        pub.tls_set(ca_certs=ca, certfile=ccert, keyfile=ckey)
        pub.connect('127.0.0.1', b.port, keepalive=30)
        pub.loop_start()
        try:
            pub.publish('test/cert', '42', qos=1, retain=True).wait_for_publish(timeout=10)

            def cfg(with_cert):
                extra = ', cert: "%s", key: "%s"' % (ccert, ckey) if with_cert else ''
                return ('version: 1\nwall:\n  displays: { columns: 1, rows: 1, size: [600, 300] }\n  grid: [3, 1]\n'
                        '  gap: 0\nsources:\n  s: { mqtt: "mqtts://127.0.0.1:%d", ca: "%s"%s }\n'
                        'pages:\n  - panels:\n      - { number: s, id: v, topic: "test/cert", at: [0, 0, 1, 1] }\n'
                        % (b.port, ca, extra))
            p = r.pantau(cfg(True), name='withcert')
            ok, d = p.wait_dump(has_values(v=42), 10)
            check(ok, 'with the client certificate: the value flows: %s' % d['sources'])
            q = r.pantau(cfg(False), name='nocert')
            ok, d = q.wait_dump(lambda d: d['sources']['s']['status'] == 'retrying', 10)
            check(ok and not panel(d, 'v')['has_value'], 'without it: refused, no value: %s' % d['sources'])
        finally:
            pub.loop_stop()
            pub.disconnect()


def bad_payloads():
    """Bad payloads never stop pantau or replace the last good value; each is
    counted on the panel and the source."""
    with Rig() as r:
        b = r.broker()
        cfg = wall_cfg(b.port, [
            '{ number: s, id: plain, topic: "test/plain", at: [0, 0, 1, 1] }',
            '{ number: s, id: json, topic: "test/json", value: "$.v", at: [1, 0, 1, 1] }',
        ])
        p = r.live_pantau(cfg)
        pub = r.publisher(b.port)
        pub.pub('test/plain', '17.5')
        pub.pub('test/json', '{"v": 3.25}')
        ok, d = p.wait_dump(has_values(plain=17.5, json=3.25), 10)
        check(ok, 'good values first')
        deep = b'[' * 10000
        cases = [
            ('plain', b'\xff\xfe\x80 12', 'not valid UTF-8'),
            ('plain', b'1' * (1 << 20), 'limit'),
            ('plain', b'NaN', 'finite'),
            ('plain', b'Infinity', 'finite'),
            ('plain', b'inf', 'finite'),
            ('plain', b'-inf', 'finite'),
            ('plain', deep, 'JSON'),
            ('plain', b'', 'empty'),
            ('plain', b'{"v": 1}', 'object'),
            ('json', b'\xc3\x28', 'UTF-8'),
            ('json', b'1' * (1 << 20), 'limit'),
            ('json', deep, 'JSON'),
            ('json', b'{"v": NaN}', 'JSON'),
            ('json', b'{"v": {"x": 1}}', 'an object'),
            ('json', b'{"v": [1, 2]}', 'a list'),
            ('json', b'{"v": null}', 'null'),
            ('json', b'{"v": "inf"}', 'finite'),
            ('json', b'{"w": 1}', 'missing'),
            ('json', b'', 'JSON'),
        ]
        want = {'plain': 17.5, 'json': 3.25}
        for pid, payload, reason in cases:
            name = '%s <- %r' % (pid, payload[:12] + (b'...' if len(payload) > 12 else b''))
            before = p.dump()
            pub.pub('test/' + pid, payload)
            ok, d = p.wait_dump(lambda d: panel(d, pid)['errors'] > panel(before, pid)['errors'], 10)
            check(p.alive(), '%s: pantau still running' % name)
            if not check(ok, '%s: panel errors counter grows: %s' % (name, panel(d, pid))):
                continue
            got = panel(d, pid)
            check(got['errors'] == panel(before, pid)['errors'] + 1, '%s: panel errors +1' % name)
            check(d['sources']['s']['errors'] == before['sources']['s']['errors'] + 1,
                  '%s: source errors +1 (%d -> %d)' % (name, before['sources']['s']['errors'], d['sources']['s']['errors']))
            check(got['has_value'] and got['value'] == want[pid] and got['type'] == 'number',
                  '%s: last good value %s kept, got %r' % (name, want[pid], got.get('value')))
            check(reason.lower() in got['error'].lower(), '%s: error says %r, got %r' % (name, reason, got['error']))
            check(got.get('badge') == 'BAD DATA', '%s: the badge says BAD DATA, not LIVE: %r' % (name, got.get('badge')))
            other = 'json' if pid == 'plain' else 'plain'
            check(panel(d, other)['errors'] == panel(before, other)['errors'], '%s: the other panel untouched' % name)
        # And a good value is still taken afterwards (and the badge is LIVE again).
        pub.pub('test/plain', '18')
        ok, d = p.wait_dump(has_values(plain=18), 10)
        check(ok, 'a good value after the bad ones is shown')
        check(panel(d, 'plain').get('badge') == 'LIVE', 'LIVE again: %r' % panel(d, 'plain').get('badge'))
        check(p.alive(), 'pantau still running at the end')


def ack_unknown():
    """An acknowledgement naming no panel with an alarm changes nothing."""
    with Rig() as r:
        b = r.broker()
        panels = HYST_CFG_PANELS + [
            '{ number: s, id: "42", label: "Pump 42", topic: "test/pump42", bands: { alarm: 50 }, at: [3, 0, 1, 1] }',
            '{ number: s, id: sentinel, topic: "test/sentinel", at: [4, 0, 1, 1] }']
        p = r.live_pantau(wall_cfg(b.port, panels, columns=5, width=1000, source_extra=', ack_topic: "pantau/ack"'),
                     window='1000x300')
        pub = r.publisher(b.port)
        baseline = [('42', True, False), ('air', False, False)]

        def alarms(d):
            return [(a['panel'], a['active'], a['acked']) for a in d['alarms']]

        def reset():
            """Back to: air's alarm over but not acknowledged, 42's active."""
            pub.pub('pantau/ack', 'all')
            pub.pub('test/pump42', '0')
            pub.pub('test/ispu', '100')
            check(p.wait_dump(lambda d: d['alarms'] == [] and has_values(air=100)(d), 10)[0], 'reset: no alarms')
            pub.pub('test/ispu', '600')
            check(p.wait_dump(lambda d: alarms(d) == [('air', True, False)], 10)[0], 'reset: air alarm raised')
            pub.pub('test/ispu', '100')
            pub.pub('test/pump42', '90')
            ok, d = p.wait_dump(lambda d: alarms(d) == baseline and has_values(air=100)(d), 10)
            check(ok, 'reset: two alarms, one active: %s' % d['alarms'])
            return d

        # Unknown ids (case matters: "AIR" is not "air"); ids that read as a
        # number or a boolean word; payloads that are no id at all.
        for i, payload in enumerate((b'nosuchpanel', b'p9.9', b'AIR', b'4', b'no', b'', b'\xff')):
            before = reset()
            errs = before['sources']['s']['errors']
            pub.pub('pantau/ack', payload)
            # The wall reads the ack slot in the same frame as the panels, so
            # once a value sent after the ack is shown, the ack was handled.
            pub.pub('test/sentinel', str(i + 1))
            ok, d = p.wait_dump(has_values(sentinel=i + 1), 5)
            check(ok, 'ack %r: sentinel value shown' % payload)
            if payload in (b'', b'\xff'):
                check(d['sources']['s']['errors'] > errs, 'ack %r: counted as a bad payload' % payload)
            check(alarms(d) == baseline, 'ack %r changes no alarm: %s -> %s' % (payload, baseline, alarms(d)))
            for pid in ('air', '42'):
                check(panel(d, pid)['level'] == panel(before, pid)['level'], 'ack %r: %s level unchanged' % (payload, pid))
        # A known id does acknowledge (so the unknown ones were really read).
        reset()
        pub.pub('pantau/ack', 'air')
        ok, d = p.wait_dump(lambda d: alarms(d) == [('42', True, False)], 5)
        check(ok, 'ack "air" removes only air\'s inactive entry: %s' % d['alarms'])


def alarm_other_page():
    """A panel on a page that is not shown still raises its alarm, so the
    ticker lists every panel's alarms, and a red banner across the top of
    the page that is shown says so (label, value, page) until it is
    acknowledged."""
    with Rig() as r:
        b = r.broker()
        cfg = wall_cfg(b.port, ['{ alarms: "", at: [0, 0, 3, 1] }'], source_extra=', ack_topic: "test/ack"',
                       top='screenshot_dir: "%s"\n' % r.d)
        cfg += ('  - name: Air\n    panels:\n      - { number: s, id: far, label: "Pintu air", topic: "test/far", '
                'bands: { alarm: 50 }, at: [0, 0, 1, 1] }\n')
        p = r.live_pantau(cfg)
        d = p.dump()
        check(d['wall']['alarm_banner']['w'] == 0, 'no banner without an alarm: %s' % d['wall']['alarm_banner'])
        pub = r.publisher(b.port)
        pub.pub('test/far', '99')
        check(p.wait_dump(lambda d: d['sources']['s']['frames'] == 1, 5)[0], 'the value reached the source')
        ok, d = p.wait_dump(lambda d: [a['panel'] for a in d['alarms']] == ['far'], 5)
        check(ok, 'alarm of the page-2 panel listed while page 1 is shown: alarms %s, panel %s'
              % (d['alarms'], json.dumps(panel(d, 'far'))))
        ban = d['wall']['alarm_banner']
        check(d['wall']['page'] == 0 and ban['hidden'] == 1 and ban['w'] >= 600 and ban['h'] >= 20,
              'a banner across the page shown for the alarm on page 2: %s' % ban)
        shot = p.screenshot()
        for x in (ban['x'] + 5, ban['x'] + ban['w'] // 2, ban['x'] + ban['w'] - 5):
            got = pixel(shot, x, ban['y'] + 2)
            r_, g_, b_ = (int(got[i:i + 2], 16) for i in (0, 2, 4))
            check(r_ > 150 and g_ < 80 and b_ < 80, 'the banner is red across the top at x=%d: #%s' % (x, got))
        pub.pub('test/ack', 'all')
        ok, d = p.wait_dump(lambda d: d['wall']['alarm_banner']['w'] == 0, 5)
        check(ok, 'acknowledged: the banner is gone: %s' % d['wall']['alarm_banner'])
        lines = panel(d, 'p1.1').get('lines', [])
        check([x['state'] for x in lines] == ['\u2713 ACK'], 'the list says acknowledged in words: %s' % lines)
        got = pixel(p.screenshot(), ban['x'] + ban['w'] // 2, ban['y'] + 2)
        check(int(got[0:2], 16) < 100, 'and the top of the page is not red any more: #%s' % got)


def broker_late():
    """Started before its broker, pantau retries and connects once it is up."""
    with Rig() as r:
        port = free_port()
        p = r.pantau(wall_cfg(port, ['{ number: s, id: v, topic: "test/v", at: [0, 0, 1, 1] }']))
        ok, d = p.wait_dump(lambda d: d['sources']['s']['status'] == 'retrying', 10)
        check(ok and d['sources']['s']['reason'] != '', 'no broker: retrying with a reason: %s' % d['sources'])
        b = r.broker(port=port)
        pub = r.publisher(b.port)
        pub.pub('test/v', '5', retain=True)
        ok, d = p.wait_dump(has_values(v=5), 15)
        check(ok, 'connected once the broker is up and got the value: %s' % json.dumps(d))


def tour_cfg(port, on_alarm):
    """Three pages turning every second; page 2 has a sensor with an alarm band."""
    pg = ''.join('  - name: P%d\n    show_for: 1s\n    panels:\n      - %s\n' % (i, body) for i, body in (
        (1, '{ text: "one", id: t1, at: [0, 0, 1, 1] }'),
        (2, '{ number: s, id: far, label: "Pintu air", topic: "test/far", bands: { alarm: 50 }, at: [0, 0, 1, 1] }'),
        (3, '{ text: "three", id: t3, at: [0, 0, 1, 1] }')))
    return ('version: 1\nwall:\n  displays: { columns: 1, rows: 1, size: [400, 200] }\n  grid: [1, 1]\n  gap: 0\n'
            '  on_alarm: %s\nsources:\n  s: { mqtt: "mqtt://127.0.0.1:%d", ack_topic: "test/ack" }\npages:\n%s'
            % (on_alarm, port, pg))


def pages_seen(p, secs):
    """The pages shown over secs seconds (0-based, in order, repeats dropped)."""
    seen, end = [], time.monotonic() + secs
    while time.monotonic() < end:
        pg = p.dump()['wall']['page']
        if not seen or seen[-1] != pg:
            seen.append(pg)
        time.sleep(0.1)
    return seen


def alarm_tour_stop():
    """wall.on_alarm: stop: the tour stops on the page of an unacknowledged
    alarm and goes on once it is acknowledged."""
    with Rig() as r:
        b = r.broker()
        p = r.live_pantau(tour_cfg(b.port, 'stop'))
        pub = r.publisher(b.port)
        pub.pub('test/far', '99')
        check(p.wait_dump(lambda d: [a['panel'] for a in d['alarms']] == ['far'], 5)[0], 'alarm raised')
        check(p.wait_dump(lambda d: d['wall']['page'] == 1, 5)[0], 'the tour reaches page 2')
        seen = pages_seen(p, 3.5)
        check(seen == [1], 'and stays there for 3.5 s (show_for 1 s): pages %s' % seen)
        pub.pub('test/ack', 'far')
        check(p.wait_dump(lambda d: d['wall']['page'] == 2, 3)[0], 'acknowledged: the tour goes on')


def alarm_tour_show():
    """wall.on_alarm: show: a new alarm brings its page up at once and the
    tour stops there; acknowledged, it goes on."""
    with Rig() as r:
        b = r.broker()
        p = r.live_pantau(tour_cfg(b.port, 'show'))
        pub = r.publisher(b.port)
        check(p.wait_dump(lambda d: d['wall']['page'] == 2, 5)[0], 'the tour turns to page 3')
        pub.pub('test/far', '99')
        ok, d = p.wait_dump(lambda d: d['wall']['page'] == 1, 2)
        check(ok, 'the alarm brought page 2 up: page %d' % (d['wall']['page'] + 1))
        seen = pages_seen(p, 3)
        check(seen == [1], 'and the tour stays there: pages %s' % seen)
        check('bringing up page 2' in p.log(), 'the log says why the page changed')
        pub.pub('test/ack', 'far')
        check(p.wait_dump(lambda d: d['wall']['page'] == 2, 3)[0], 'acknowledged: the tour goes on')
        pub.pub('test/far', '10')
        check(p.wait_dump(lambda d: not any(a['active'] for a in d['alarms']), 5)[0], 'the value left the band')


def source_alarm():
    """sources.*.alarm_after: a broker lost for longer raises an alarm of its
    own (named by alarm_label, saying why), shown in the banner while no
    panel of it flashes; it clears when the broker is back and goes once
    acknowledged."""
    with Rig() as r:
        b = r.broker()
        cfg = wall_cfg(b.port, ['{ number: s, id: v, topic: "test/v", at: [0, 0, 1, 1] }',
                                '{ alarms: "", id: list, at: [1, 0, 2, 1] }'],
                       source_extra=', ack_topic: "test/ack", alarm_after: 2s, alarm_label: "Broker sensor"')
        p = r.live_pantau(cfg)
        b.kill()
        t0 = time.monotonic()
        ok, d = p.wait_dump(lambda d: d['sources']['s']['status'] != 'live', 5)
        check(ok, 'the source is down: %s' % d['sources']['s'])
        time.sleep(1.0)
        check(not p.dump()['alarms'], 'no alarm before alarm_after (2 s)')
        ok, d = p.wait_dump(lambda d: [a['panel'] for a in d['alarms']] == ['source:s'], 4)
        waited = time.monotonic() - t0
        check(ok and 1.8 <= waited <= 4.5, 'the source alarm is raised about 2 s after the loss (%.1f s): %s'
              % (waited, d['alarms']))
        a = d['alarms'][0] if d['alarms'] else {}
        check(a.get('label') == 'Broker sensor' and a.get('value') and a.get('active') and not a.get('acked'),
              'named by alarm_label, with the reason: %s' % a)
        ban = d['wall']['alarm_banner']
        check(ban['hidden'] == 1 and ban['w'] > 0, 'the banner shows it: %s' % ban)
        lines = panel(d, 'list')['lines']
        check([(x['state'], x['label']) for x in lines] == [('ACTIVE', 'Broker sensor')],
              'the list says it is active in words: %s' % lines)
        b.start()
        ok, d = p.wait_dump(lambda d: d['sources']['s']['status'] == 'live' and d['alarms'] and
                            not d['alarms'][0]['active'], 10)
        check(ok, 'back: the alarm is over but stays until acknowledged: %s' % d['alarms'])
        check([x['state'] for x in panel(d, 'list')['lines']] == ['ENDED'],
              'the list says it ended (not acknowledged): %s' % panel(d, 'list')['lines'])
        pub = r.publisher(b.port)
        pub.pub('test/ack', 'source:s')
        ok, d = p.wait_dump(lambda d: not d['alarms'], 5)
        check(ok, 'acknowledged on the ack topic: gone: %s' % d['alarms'])


def alarm_log():
    """top-level alarm_log: every raise, clear and acknowledgement is a line
    in the file (time with zone, event, panel, label, value, who); the last
    entries are kept for the wall's L overlay and survive a restart."""
    with Rig() as r:
        b = r.broker()
        path = os.path.join(r.d, 'alarms.log')
        cfg = wall_cfg(b.port, ['{ number: s, id: far, label: "Pintu air", topic: "test/far", '
                                'bands: { alarm: 50 }, at: [0, 0, 1, 1] }'],
                       source_extra=', ack_topic: "test/ack"', top='alarm_log: "%s"\n' % path)
        p = r.live_pantau(cfg)
        pub = r.publisher(b.port)
        pub.pub('test/far', '99')
        check(p.wait_dump(lambda d: d['alarms'] and d['alarms'][0]['active'], 5)[0], 'raised')
        pub.pub('test/far', '10')
        check(p.wait_dump(lambda d: d['alarms'] and not d['alarms'][0]['active'], 5)[0], 'cleared')
        pub.pub('test/ack', 'far')
        ok, d = p.wait_dump(lambda d: not d['alarms'], 5)
        check(ok, 'acknowledged: %s' % d['alarms'])
        rows = [ln.split('\t') for ln in open(path).read().splitlines()]
        check([x[1:5] for x in rows] == [['RAISED', 'far', 'Pintu air', '99.0'], ['CLEARED', 'far', 'Pintu air', '99.0'],
                                         ['ACKED', 'far', 'Pintu air', '99.0']], 'the file: %s' % rows)
        check(len(rows) == 3 and rows[2][5] == 'mqtt' and rows[0][5] == '', 'who acknowledged: %s' % rows)
        check(all(re.match(r'^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}$', x[0]) for x in rows),
              'each line starts with the local time and its zone: %s' % [x[0] for x in rows])
        check([x.split('\t')[1] for x in d['alarm_log']] == ['ACKED', 'CLEARED', 'RAISED'],
              'the wall keeps them, newest first: %s' % d['alarm_log'])
        p.stop()
        p2 = r.live_pantau(cfg, name='again')
        d = p2.dump()
        check([x.split('\t')[1] for x in d['alarm_log']] == ['ACKED', 'CLEARED', 'RAISED'],
              'after a restart the wall still shows them: %s' % d['alarm_log'])
        pub.pub('test/far', '98')
        check(p2.wait_dump(lambda d: d['alarms'], 5)[0], 'raised again')
        check(len(open(path).read().splitlines()) == 4, 'appended to the same file')


if __name__ == '__main__':
    run_cases([values, json_path, wildcard_table, thresholds_hysteresis, stale, broker_restart, tls_password, bad_payloads,
               ack_unknown, alarm_other_page, alarm_tour_stop, alarm_tour_show, source_alarm, alarm_log, broker_late, trend, span, qos, client_cert])
