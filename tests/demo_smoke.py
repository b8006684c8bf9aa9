#!/usr/bin/env python3
"""The demo, end to end: starts what ./scripts/demo starts (the same
scripts/demo_services.py: mosquitto with the sensor simulator, the complaint
simulator, the RTSP test server with the demo's mounts, labels and clock
overlays) on free ports, and the wall headless on the demo config
(config/demo.yaml, the file compiled into pantau, with only its ports
changed to those). Within a time limit all six cameras must be live with
pictures flowing, every MQTT and HTTP panel must have a value, and no source
may be anything but live (no NO SIGNAL anywhere). A missing package or a
broken demo fails here, with the demo's own one-line reason (for a missing
GStreamer element: the element and its Debian package).
Usage: demo_smoke.py PANTAU PNGTOOL SRCDIR TEST [RTSP_SERVER]"""
import os
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import LISTING, PANTAU, SRC, Pantau, check, failures, run_cases, stop_process, wait_for  # noqa: E402,E501

RTSP_SERVER = sys.argv[5] if len(sys.argv) > 5 else os.path.join(os.path.dirname(PANTAU), 'tests', 'rtsp_server')
LIMIT = 30  # seconds from the wall's start to everything live


def demo_config(ports):
    """config/demo.yaml with each 127.0.0.1:PORT of the demo replaced; every
    one must be there (the test follows the demo config, not a copy)."""
    with open(os.path.join(SRC, 'config', 'demo.yaml')) as f:
        text = f.read()
    for old, new in ports.items():
        if '127.0.0.1:%d' % old not in text:
            raise RuntimeError('config/demo.yaml no longer uses 127.0.0.1:%d; update demo_smoke.py' % old)
        text = text.replace('127.0.0.1:%d' % old, '127.0.0.1:%d' % new)
    return text


def start_services(d, ports):
    """scripts/demo_services.py on the given ports; returns the process once
    ready, or fails the test with the demo's reason."""
    ready = os.path.join(d, 'ready')
    log_path = os.path.join(d, 'services.log')
    args = [sys.executable, os.path.join(SRC, 'scripts', 'demo_services.py'), '--rtsp-server', RTSP_SERVER,
            '--mqtt-port', str(ports[1883]), '--http-port', str(ports[8089]), '--rtsp-port', str(ports[8554]),
            '--drop-port', str(ports[8555]), '--freeze-port', str(ports[8556]), '--ready-file', ready,
            # The planned drop and freeze start 45 s in; this test is over
            # before that, but must not race them on a slow machine.
            '--no-faults']
    with open(log_path, 'w') as log:
        p = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    wait_for(lambda: os.path.exists(ready) or p.poll() is not None, 60)
    with open(log_path) as f:
        out = f.read()
    print(out.strip())
    if not os.path.exists(ready):
        stop_process(p)
        reason = [line for line in out.splitlines() if 'FAILED' in line] or [out.strip()[-500:]]
        raise RuntimeError('the demo services did not start: %s' % reason[0])
    return p


def value_ok(pid, pn):
    """Whether a value panel shows a value; None for panels without one."""
    kind = pn['kind']
    if 'has_value' in pn:
        return pn['has_value'] and not pn.get('offline') and not pn.get('error')
    if kind == 'table':
        return bool(pn.get('rows')) and all(r.get('value') for r in pn['rows'])
    if kind == 'breakdown':
        return bool(pn.get('groups')) and not pn.get('offline')
    if kind == 'list':
        return bool(pn.get('items')) and not pn.get('offline')
    return None


def free_ports(n):
    """n different free ports: the sockets stay bound until all are chosen
    (free_port() twice in a row can return the same port)."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(('127.0.0.1', 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def smoke():
    demo = (1883, 8089, 8554, 8555, 8556)
    ports = dict(zip(demo, free_ports(len(demo))))
    with tempfile.TemporaryDirectory(prefix='pantau-demo-smoke-') as d:
        try:
            services = start_services(d, ports)
        except RuntimeError as e:
            check(False, str(e))
            return
        p = None
        try:
            p = Pantau(d, demo_config(ports), window='1920x1080')
            first_page = None

            def all_live(dump):
                nonlocal first_page
                srcs = dump['sources']
                videos = {k: v for k, v in dump['panels'].items() if v['kind'] == 'video' and v['page'] == 0}
                first_page = videos
                return (len(srcs) == 9 and all(s['status'] == 'live' for s in srcs.values())
                        and len(videos) == 6 and all(v['has_picture'] for v in videos.values())
                        and all(value_ok(k, v) is not False for k, v in dump['panels'].items()))

            ok, dump = p.wait_dump(all_live, LIMIT)
            took = time.monotonic() - p.t_started
            print('everything live after %.1f s' % took if ok else 'not everything live after %d s' % LIMIT)
            for name, s in sorted(dump['sources'].items()):
                check(s['status'] == 'live', 'source %s is live: %s' % (name, s))
            check(len(dump['sources']) == 9, 'the demo has 9 sources (6 cameras, 1 broker, 2 web services): %s'
                  % sorted(dump['sources']))
            check(first_page is not None and len(first_page) == 6,
                  'six camera panels on the first page: %s' % sorted(first_page or {}))
            for pid, v in sorted((first_page or {}).items()):
                check(v['has_picture'] and v['src_w'] == 640 and v['src_h'] == 360,
                      'camera panel %s shows the 640x360 picture: %s' % (pid, v))
            n_values = 0
            for pid, pn in sorted(dump['panels'].items()):
                r = value_ok(pid, pn)
                if r is not None:
                    n_values += 1
                    check(r, 'panel %s (%s) has a value: %s' % (pid, pn['kind'], str(pn)[:300]))
            check(n_values >= 14, 'the demo\'s MQTT and HTTP panels were all looked at: %d' % n_values)
            # Pictures keep flowing (live, not one frozen picture).
            before = {k: v['frames_shown'] for k, v in (first_page or {}).items()}
            time.sleep(2)
            after = p.dump()['panels']
            for pid, n in sorted(before.items()):
                check(after[pid]['frames_shown'] >= n + 10,
                      'camera panel %s shows new pictures (25 fps sent; at least 10 in 2 s): %d -> %d'
                      % (pid, n, after[pid]['frames_shown']))
            check(p.alive(), 'the wall still runs')
        except RuntimeError as e:
            check(False, str(e))
        finally:
            if p:
                st = p.stop()
                check(st == 0, 'the wall exits cleanly: %s' % st)
                if failures:
                    print(p.log()[-4000:])
            check(stop_process(services) == 0, 'the demo services stop cleanly on SIGTERM')


if not LISTING and not os.access(RTSP_SERVER, os.X_OK):
    print('FAIL: no RTSP test server at %s: gst-rtsp-server was missing when meson configured the build '
          '(Debian package libgstrtspserver-1.0-dev; ./scripts/deps installs it)' % RTSP_SERVER)
    sys.exit(1)
run_cases([smoke])
