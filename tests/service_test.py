#!/usr/bin/env python3
"""The systemd service: the unit file passes `systemd-analyze verify`, and
pantau speaks the notify protocol (a socket of the test's own plays
systemd): READY=1 once up, WATCHDOG=1 from the frame loop, no ping while the
frame loop is frozen (debug-freeze), pings again after, STOPPING=1 at the
end.
Usage: service_test.py PANTAU PNGTOOL SRCDIR TEST UNIT."""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import PANTAU, check, env, run_cases, wait_for  # noqa: E402

UNIT = sys.argv[5] if len(sys.argv) > 5 else ''


def unit():
    """systemd-analyze verify finds nothing to say about the unit (binary
    paths pointed at this build); the unit has what the README promises."""
    if not shutil.which('systemd-analyze'):
        print('skipped: no systemd-analyze')
        sys.exit(77)
    with open(UNIT) as f:
        text = f.read()
    for want in ('Type=notify', 'WatchdogSec=', 'Restart=always', 'EnvironmentFile=', 'User=pantau',
                 'ExecReload=/bin/kill -HUP $MAINPID', 'NoNewPrivileges=yes'):
        check(want in text, 'unit has %s' % want)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, 'pantau.service')
        bindir = os.path.dirname(text.split('ExecStart=')[1].split()[0])
        with open(path, 'w') as f:
            f.write(text.replace(bindir + '/pantau', os.path.abspath(PANTAU)))
        r = subprocess.run(['systemd-analyze', 'verify', path], capture_output=True, text=True, timeout=60)
        out = (r.stdout + r.stderr).strip()
        mine = [l for l in out.split('\n') if 'pantau.service' in l]
        check(r.returncode == 0 and not mine, 'systemd-analyze verify: clean: rc %d %s' % (r.returncode, out))


def watchdog():
    """READY, pings every half period, none while the loop is frozen for
    2.5 s, pings again, STOPPING on SIGTERM."""
    import mqtt_test as mt
    import remote_test as rt
    with mt.Rig() as r:
        b = r.broker()
        pub = r.publisher(b.port)
        sock_path = os.path.join(r.d, 'notify.sock')
        s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        s.bind(sock_path)
        s.settimeout(0.05)
        got = []  # (monotonic, line)

        def drain(seconds):
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                try:
                    data = s.recv(4096).decode()
                except socket.timeout:
                    continue
                for line in data.split('\n'):
                    got.append((time.monotonic(), line))
        e = env(NOTIFY_SOCKET=sock_path, WATCHDOG_USEC='1000000')
        p = r.pantau(rt.cfg(b.port), e=e)
        drain(2.0)
        check(any(l == 'READY=1' for _, l in got), 'READY=1 sent: %s' % got[:3])
        pings = [t for t, l in got if l == 'WATCHDOG=1']
        check(len(pings) >= 3, 'pings every ~0.5 s (%d in 2 s)' % len(pings))
        t_freeze = time.monotonic()
        rt.send_raw(pub, '{"cmd": "debug-freeze", "ms": 2500}')
        drain(4.5)
        pings = [t for t, l in got if l == 'WATCHDOG=1']
        during = [t for t in pings if t_freeze + 0.3 < t < t_freeze + 2.3]
        gaps = [b2 - a2 for a2, b2 in zip(pings, pings[1:])]
        check(not during, 'no ping while the frame loop is frozen: %s' % [round(t - t_freeze, 2) for t in during])
        check(gaps and max(gaps) >= 2.0, 'a gap of the freeze in the pings: %s' % [round(g, 2) for g in gaps])
        check(any(t > t_freeze + 2.8 for t in pings), 'pings resume after the freeze')
        check('debug-freeze' in p.log(), 'the freeze is logged')
        p.p.terminate()
        p.p.wait(timeout=10)
        drain(0.3)
        check(any(l == 'STOPPING=1' for _, l in got), 'STOPPING=1 at exit')
        r.pantaus.remove(p)
        s.close()


if __name__ == '__main__':
    run_cases([unit, watchdog])
