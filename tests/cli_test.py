#!/usr/bin/env python3
"""Integration tests of the pantau binary as users run it: headless golden
screenshot, bezel alignment, --check exit codes, signals, secrets, and the
README's generated key reference. Usage: cli_test.py PANTAU PNGTOOL SRCDIR TEST
(TEST is one of the functions below; `golden --update` rewrites the golden)."""
import json
import re
import shutil
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import PANTAU, PNGTOOL, SRC, TEST, check, env, failures, free_port, pixel, run_cases  # noqa: E402,F401

UPDATE = '--update' in sys.argv
FIXED_TIME = '2026-11-25 08:30:00'


def run(args, **kw):
    return subprocess.run([PANTAU] + args, capture_output=True, text=True, timeout=120,
                          env=kw.pop('env', env()), **kw)


def golden():
    """The built-in demo wall, rendered headless, matches the golden PNG."""
    with tempfile.TemporaryDirectory() as d:
        for name, extra in (('demo.png', []), ('demo-preview.png', ['--preview'])):
            out = os.path.join(d, name)
            # --no-feeds: the layout and rendering are under test here, not
            # how fast a connection to an absent broker fails.
            r = run(['--headless', '--no-feeds', '--frames', '3', '--time', FIXED_TIME, '--screenshot', out] + extra)
            check(r.returncode == 0, '%s: pantau exited %d: %s' % (name, r.returncode, r.stderr))
            gold = os.path.join(SRC, 'tests', 'golden', name)
            if UPDATE:
                os.makedirs(os.path.dirname(gold), exist_ok=True)
                with open(out, 'rb') as f, open(gold, 'wb') as g:
                    g.write(f.read())
                print('updated ' + gold)
                continue
            # 0.01% (about 200 pixels at 1920x1080): room for a status age ticking
            # from 0 s to 1 s on a slow machine, not for a changed clock (0.5%),
            # a missing panel or a moved title (each far more).
            d_ = subprocess.run([PNGTOOL, 'diff', out, gold, '0.01'], capture_output=True, text=True)
            print(name + ': ' + d_.stdout.strip())
            check(d_.returncode == 0, '%s differs from the golden: %s (regenerate with '
                  '`meson test -C build golden --test-args=--update` only if the change is intended)'
                  % (name, d_.stdout.strip()))


BEZEL_CFG = """version: 1
wall:
  displays: { columns: 2, rows: 1, size: [320, 240], bezel: [20, 0] }
  grid: [4, 1]
  gap: 0
  background: "#000000"
  bezel_color: "#ff00ff"
pages:
  - panels:
      - { text: "", label: "span", at: [1, 0, 2, 1], accent: "#00ff00" }
"""


def bezel():
    """A panel spanning two monitors lines up across the bezel."""
    with tempfile.TemporaryDirectory() as d:
        cfg = os.path.join(d, 'bezel.yaml')
        with open(cfg, 'w') as f:
            f.write(BEZEL_CFG)
        prev = os.path.join(d, 'preview.png')
        r = run([cfg, '--headless', '--preview', '--frames', '1', '--window', '660x240', '--screenshot', prev])
        check(r.returncode == 0, 'preview render: ' + r.stderr)
        # Canvas 660 wide: monitor 0 is x 0..319, bezel 320..339, monitor 1 340..659.
        # The panel covers cells 1..2: x 160..499 on the canvas.
        check(pixel(prev, 330, 120) == 'ff00ff', 'bezel gap drawn in bezel_color')
        check(pixel(prev, 159, 120) == '000000', 'background left of the panel')
        check(pixel(prev, 160, 120) != '000000', 'panel starts at its cell edge (x=160)')
        check(pixel(prev, 319, 120) == pixel(prev, 340, 120), 'panel body continues after the bezel')
        check(pixel(prev, 499, 120) != '000000' and pixel(prev, 500, 120) == '000000',
              'panel ends one cell after the bezel (x=499)')
        # The title bar (same height on both monitors) lines up: find its
        # bottom edge on each side of the bezel.
        def title_bottom(x):
            y = 0
            while y < 100 and pixel(prev, x, y) == pixel(prev, x, 2):
                y += 1
            return y
        left, right = title_bottom(300), title_bottom(360)
        check(left == right and 10 < left < 60, 'title bar bottom at the same y both sides (%d vs %d)' % (left, right))
        # Operator mode (no bezels on screen): 640x240 output, the two halves touch.
        op = os.path.join(d, 'wall.png')
        r = run([cfg, '--headless', '--frames', '1', '--window', '640x240', '--screenshot', op])
        check(r.returncode == 0, 'wall render: ' + r.stderr)
        check(pixel(op, 319, 120) == pixel(op, 320, 120) != '000000',
              'in the wall the halves meet at the monitor edge')
        # 20 canvas px hidden behind the bezel: the panel is 340 wide on the canvas, 320 visible.
        check(pixel(op, 479, 120) != '000000' and pixel(op, 480, 120) == '000000',
              'panel ends at x=480 on the wall (its bezel share is hidden)')


def bad_bytes():
    """A NUL, a control character or a byte that is not UTF-8 on line 185:
    reported at its line and column, not at 1:1."""
    with tempfile.TemporaryDirectory() as d:
        lines = ['version: 1', 'pages:', '  - panels:'] + ['      # filler %d' % i for i in range(181)]
        for name, bad, col in (('nul', b'\x00', 21), ('bell', b'\x07', 21), ('latin1', b'\xe9', 21)):
            path = os.path.join(d, name + '.yaml')
            with open(path, 'wb') as f:
                f.write(('\n'.join(lines) + '\n').encode())
                f.write(b'      - { text: "caf' + bad + b'", at: [0, 0, 1, 1] }\n')
            r = run(['--check', path])
            check(r.returncode == 2 and ('%s:185:%d:' % (path, col)) in r.stderr,
                  '%s: exit 2 at 185:%d: %d %s' % (name, col, r.returncode, r.stderr))


def monitors():
    """--monitors (or $PANTAU_MONITORS) picks this machine's monitors from a
    shared file; one that does not fit the wall is refused (exit 2)."""
    with tempfile.TemporaryDirectory() as d:
        cfg = os.path.join(d, 'bezel.yaml')
        with open(cfg, 'w') as f:
            f.write(BEZEL_CFG)
        # The panel covers canvas x 160..499: on monitor 0 (x 0..319) its
        # right half, on monitor 1 (x 340..659) its left half.
        for how, extra, e, panel_x, empty_x in (
                ('--monitors 0,0,1,1', ['--monitors', '0,0,1,1'], env(), 200, 100),
                ('--monitors 1,0,1,1', ['--monitors', '1,0,1,1'], env(), 100, 200),
                ('PANTAU_MONITORS=1,0,1,1', [], env(PANTAU_MONITORS='1,0,1,1'), 100, 200)):
            out = os.path.join(d, 'm.png')
            r = run([cfg, '--headless', '--frames', '1', '--window', '320x240', '--screenshot', out] + extra, env=e)
            check(r.returncode == 0, '%s: renders: %s' % (how, r.stderr))
            check(pixel(out, panel_x, 120) != '000000' and pixel(out, empty_x, 120) == '000000',
                  '%s: the panel at x %d, nothing at x %d' % (how, panel_x, empty_x))
        r = run([cfg, '--headless', '--frames', '1', '--monitors', '2,0,1,1'])
        check(r.returncode == 2 and 'reaches past the wall\'s 2x1 monitors' in r.stderr,
              'a part outside the wall: exit 2 saying so: %d %s' % (r.returncode, r.stderr))
        # A window smaller than the monitors it stands for: the log says so.
        r = run([cfg, '--headless', '--frames', '1', '--window', '320x120'])
        check('drawn at 50% in a 320x120 output' in r.stderr and '--monitors COL,ROW,1,1' in r.stderr,
              'the log says the wall is shrunk and how to see 1:1: %s' % r.stderr[-400:])
        r = run([cfg, '--headless', '--frames', '1', '--monitors', 'left'])
        check(r.returncode == 2 and 'COLUMN,ROW,COLUMNS,ROWS' in r.stderr, 'a malformed part: exit 2: %s' % r.stderr)


def start_xvfb(screen):
    """An Xvfb of its own (display number chosen by Xvfb); (process, ":N")."""
    if not shutil.which('Xvfb'):
        print('skipped: no Xvfb')
        sys.exit(77)
    rfd, wfd = os.pipe()
    x = subprocess.Popen(['Xvfb', '-displayfd', str(wfd), '-screen', '0', screen, '-nolisten', 'tcp'],
                         pass_fds=(wfd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(wfd)
    num = b''
    while not num.endswith(b'\n'):
        ch = os.read(rfd, 1)
        if not ch:
            break
        num += ch
    os.close(rfd)
    check(num.strip().isdigit(), 'Xvfb started (display %r)' % num)
    return x, ':' + num.decode().strip()


def xvfb_outputs():
    """A window per monitor on a real X server: the output named by number
    gets a full-screen window of its size showing its monitor; an output
    that is not there leaves its monitor dark and the log names it and the
    displays there are, while the rest of the wall shows."""
    x, display = start_xvfb('640x480x24')
    try:
        e = env(SDL_VIDEODRIVER='x11', DISPLAY=display)
        with tempfile.TemporaryDirectory() as d:
            cfg = os.path.join(d, 'w.yaml')
            with open(cfg, 'w') as f:
                f.write(BEZEL_CFG)
            out = os.path.join(d, 'o.png')
            r = run([cfg, '--outputs', '0,DP-9', '--frames', '3', '--every-frame', '--screenshot', out,
                     '--renderer', 'software'], env=e)
            check(r.returncode == 0, 'runs with one output missing: %d %s' % (r.returncode, r.stderr[-500:]))
            check('output "DP-9" not found (displays here: 0 ' in r.stderr and 'it stays dark' in r.stderr,
                  'the missing output is named with the displays there are: %s' % r.stderr[-500:])
            check('one window per monitor (1 of 2)' in r.stderr, 'one window of two: %s' % r.stderr[-300:])
            p1 = os.path.join(d, 'o-1.png')
            size = subprocess.run([PNGTOOL, 'size', p1], capture_output=True, text=True).stdout.strip()
            check(size == '640x480', 'the window fills its output (640x480 here): %s' % size)
            # The monitor is 320x240, the output 640x480: stretched, and said once.
            check(r.stderr.count('the picture is stretched') == 1, 'the size mismatch is logged once')
            check(os.path.exists(p1) and pixel(p1, 400, 240) != '000000' and pixel(p1, 200, 240) == '000000',
                  'monitor 1 shows its part of the panel (from x 160 of 320, here 320 of 640)')
            check(not os.path.exists(os.path.join(d, 'o-2.png')), 'no window for the missing output')
    finally:
        x.terminate()
        x.wait(timeout=10)


def xvfb_renderer():
    """Windowed on an X server without a GPU (Xvfb: OpenGL emulated by
    Mesa's llvmpipe), the wall picks SDL's software renderer after asking a
    child process, so the emulated driver is never loaded into the wall:
    its memory stays that of a wall told --renderer software (before, the
    probe in-process left ~70 MB of llvmpipe behind)."""
    if os.environ.get('PANTAU_SANITIZE', 'none') not in ('', 'none'):
        print('skipped: a sanitizer build does not measure memory like the real one')
        sys.exit(77)
    x, display = start_xvfb('800x600x24')
    try:
        e = env(SDL_VIDEODRIVER='x11', DISPLAY=display)
        e.pop('PANTAU_SANITIZE', None)
        rss = {}
        logs = {}
        with tempfile.TemporaryDirectory() as d:
            cfg = os.path.join(d, 'w.yaml')
            with open(cfg, 'w') as f:
                f.write(BEZEL_CFG)
            for how, extra in (('auto', []), ('software', ['--renderer', 'software'])):
                log = open(os.path.join(d, how + '.log'), 'w+')
                p = subprocess.Popen([PANTAU, cfg, '--window', '640x240', '--no-feeds'] + extra, env=e,
                                     stdout=subprocess.DEVNULL, stderr=log)
                deadline = time.monotonic() + 15
                text = ''
                while time.monotonic() < deadline and 'renderer, output' not in text:
                    time.sleep(0.2)
                    # read through a handle of its own: seeking log would
                    # move pantau's write offset (one shared open file)
                    with open(log.name, errors='replace') as r:
                        text = r.read()
                time.sleep(1.0)
                with open('/proc/%d/status' % p.pid) as st:
                    rss[how] = int(re.search(r'VmRSS:\s+(\d+)', st.read()).group(1))
                p.send_signal(signal.SIGTERM)
                p.wait(timeout=10)
                log.seek(0)
                logs[how] = log.read()
                log.close()
        if 'opengl renderer' in logs['auto']:
            print('skipped: a real OpenGL driver here (%s)' % logs['auto'][-300:])
            sys.exit(77)
        # Where Mesa is installed the child finds it emulated; the wall itself
        # never switches away from a GL renderer it made (the old way).
        check('OpenGL is emulated in software here; using' not in logs['auto'] and
              'software renderer, output 640x240' in logs['auto'],
              'software renderer without loading GL in the wall: %s' % logs['auto'][-600:])
        if os.path.exists('/usr/lib/x86_64-linux-gnu/dri/swrast_dri.so'):
            check('emulated in software here (asked in a child process)' in logs['auto'],
                  'the child process found OpenGL emulated: %s' % logs['auto'][-600:])
        check(rss['auto'] < rss['software'] + 12 * 1024,
              'memory like --renderer software: %d KiB against %d KiB' % (rss['auto'], rss['software']))
    finally:
        x.terminate()
        x.wait(timeout=10)


LISTED_CFG = """version: 1
wall:
  displays:
    monitors:
      - { at: [0, 0], size: [320, 180] }
      - { at: [344, 0], size: [320, 180] }
      - { at: [688, 0], size: [180, 320], name: Portrait }
  grid: [4, 2]
  gap: 0
  background: "#000000"
  bezel_color: "#ff00ff"
pages:
  - panels:
      - { text: "", label: "span", at: [1, 0, 3, 1], accent: "#00ff00" }
"""


def outputs():
    """wall.displays.outputs (or --outputs, $PANTAU_OUTPUTS): one window per
    monitor, each showing its own monitor at 1:1 (--screenshot writes what
    each window shows as PATH-N.png); a list that does not match the
    monitors is refused (exit 2)."""
    with tempfile.TemporaryDirectory() as d:
        cfg = os.path.join(d, 'bezel.yaml')
        with open(cfg, 'w') as f:
            f.write(BEZEL_CFG)
        for how, extra, e in (('--outputs auto', ['--outputs', 'auto'], env()),
                              ('PANTAU_OUTPUTS=0,1', [], env(PANTAU_OUTPUTS='0,1')),
                              ('outputs: "0, 1"', [], env())):
            c = cfg
            if not extra and 'PANTAU_OUTPUTS' not in e:
                c = os.path.join(d, 'outputs.yaml')
                with open(c, 'w') as f:
                    f.write(BEZEL_CFG.replace('bezel: [20, 0] }', 'bezel: [20, 0], outputs: "0, 1" }'))
            out = os.path.join(d, 'o.png')
            for k in (1, 2):
                if os.path.exists(os.path.join(d, 'o-%d.png' % k)):
                    os.unlink(os.path.join(d, 'o-%d.png' % k))
            r = run([c, '--headless', '--frames', '1', '--screenshot', out] + extra, env=e)
            check(r.returncode == 0 and 'one window per monitor (2 of 2)' in r.stderr,
                  '%s: two windows: %s' % (how, r.stderr[-600:]))
            for k in (1, 2):
                p = os.path.join(d, 'o-%d.png' % k)
                check(os.path.exists(p), '%s: monitor %d\'s window saved' % (how, k))
                if os.path.exists(p):
                    size = subprocess.run([PNGTOOL, 'size', p], capture_output=True, text=True).stdout.split()
                    check(size == ['320x240'], '%s: monitor %d\'s window is the monitor\'s size: %s' % (how, k, size))
            # The panel covers canvas x 160..499: on monitor 1 (x 0..319)
            # its right half, on monitor 2 (x 340..659) its left half.
            if os.path.exists(os.path.join(d, 'o-2.png')):
                check(pixel(os.path.join(d, 'o-1.png'), 200, 120) != '000000' and
                      pixel(os.path.join(d, 'o-1.png'), 100, 120) == '000000',
                      '%s: monitor 1 shows the panel from x 160 only' % how)
                check(pixel(os.path.join(d, 'o-2.png'), 100, 120) != '000000' and
                      pixel(os.path.join(d, 'o-2.png'), 200, 120) == '000000',
                      '%s: monitor 2 shows it up to x 159 (500 - 340 - 1)' % how)
        # One machine's share: its one monitor, named by its number on the wall.
        for k in (1, 2):
            if os.path.exists(os.path.join(d, 'o-%d.png' % k)):
                os.unlink(os.path.join(d, 'o-%d.png' % k))
        r = run([cfg, '--headless', '--frames', '1', '--monitors', '1,0,1,1', '--outputs', 'DP-2',
                 '--screenshot', os.path.join(d, 'o.png')])
        check(r.returncode == 0 and os.path.exists(os.path.join(d, 'o-2.png')) and
              not os.path.exists(os.path.join(d, 'o-1.png')),
              '--monitors 1,0,1,1 --outputs DP-2: one window, monitor 2: %s' % r.stderr[-400:])
        r = run([cfg, '--headless', '--frames', '1', '--outputs', 'DP-1'])
        check(r.returncode == 2 and '1 output for the 2 monitors this machine drives' in r.stderr,
              'one output for two monitors: exit 2 saying so: %d %s' % (r.returncode, r.stderr))
        r = run([cfg, '--headless', '--frames', '1', '--outputs', 'DP-1,,DP-2'])
        check(r.returncode == 2 and '--outputs DP-1,,DP-2' in r.stderr, 'an empty item: exit 2: %s' % r.stderr)
        # Listed monitors (a portrait one beside two landscape ones): one
        # window each, at its own size; the preview shows the wall with the
        # hole below the short portrait monitor in the bezel colour.
        listed = os.path.join(d, 'listed.yaml')
        with open(listed, 'w') as f:
            f.write(LISTED_CFG)
        r = run([listed, '--headless', '--frames', '1', '--screenshot', os.path.join(d, 'l.png')])
        sizes = [subprocess.run([PNGTOOL, 'size', os.path.join(d, 'l-%d.png' % k)], capture_output=True,
                                text=True).stdout.strip() for k in (1, 2, 3)]
        check(r.returncode == 0 and sizes == ['320x180', '320x180', '180x320'],
              'listed monitors: a window each at its size: %s %s' % (sizes, r.stderr[-300:]))
        p = os.path.join(d, 'p.png')
        r = run([listed, '--preview', '--standalone', '--headless', '--frames', '1', '--window', '868x320',
                 '--screenshot', p])
        got = [pixel(p, x, y) for x, y in ((600, 300), (100, 250), (330, 100), (100, 100), (750, 250))]
        check(r.returncode == 0 and got[:3] == ['ff00ff'] * 3 and 'ff00ff' not in got[3:],
              'preview: the bezel colour below the landscape row and between monitors, not on them: %s' % got)
        r = run([listed, '--headless', '--frames', '1', '--monitors', '0,0,1,1'])
        check(r.returncode == 2 and "each monitor's `node`" in r.stderr,
              '--monitors on a wall of listed monitors: exit 2 saying to use nodes: %s' % r.stderr)
        r = run([listed, '--headless', '--frames', '1', '--window', '688x320', '--screenshot', p])
        check(r.returncode == 0 and pixel(p, 600, 100) != '000000' and 'one window for every monitor' in r.stderr,
              '--window: the listed monitors in one window: %s' % r.stderr[-300:])


ALARMS_CFG = """version: 1
wall: { displays: { columns: 1, rows: 1, size: [400, 300] }, grid: [1, 1], gap: 0 }
pages:
  - panels:
      - { alarms: %s, label: "Alarm", at: [0, 0, 1, 1] }
"""


def alarms_note():
    """The alarms panel's note is drawn on its bottom line: the bottom of the
    panel differs from the same panel without a note, the rest does not."""
    with tempfile.TemporaryDirectory() as d:
        shots = {}
        for name, value in (('plain', '{}'), ('note', '"Piket: 0761-123456"')):
            cfg = os.path.join(d, name + '.yaml')
            with open(cfg, 'w') as f:
                f.write(ALARMS_CFG % value)
            shots[name] = os.path.join(d, name + '.png')
            r = run([cfg, '--headless', '--frames', '1', '--window', '400x300', '--time', '2026-11-25 08:30:00',
                     '--screenshot', shots[name]])
            check(r.returncode == 0, '%s render: %s' % (name, r.stderr))
        bottom = [(x, y) for y in (278, 282, 286) for x in range(12, 200, 4)]
        top = [(x, y) for y in (40, 80, 120) for x in range(10, 390, 40)]
        differ = sum(pixel(shots['plain'], x, y) != pixel(shots['note'], x, y) for x, y in bottom)
        check(differ >= 10, 'the note changes the bottom line (%d of %d sampled pixels differ)' % (differ, len(bottom)))
        same = sum(pixel(shots['plain'], x, y) == pixel(shots['note'], x, y) for x, y in top)
        check(same == len(top), 'the rest of the panel is the same (%d of %d)' % (same, len(top)))


def titles():
    """A label too long for its title bar shrinks (to 3/4 of the bar's
    size at most) before it is cut; one that fits keeps the full size; one
    far too long is cut at the floor size."""
    with tempfile.TemporaryDirectory() as d:
        cfg, dump = os.path.join(d, 't.yaml'), os.path.join(d, 'dump.json')

        def panels(text, window):
            """The panels of one headless frame of text at window."""
            with open(cfg, 'w') as f:
                f.write(text)
            r = run([cfg, '--headless', '--frames', '1', '--window', window, '--dump-scene', dump])
            check(r.returncode == 0, 'render: %s' % r.stderr)
            return json.load(open(dump))['panels']
        ps = panels('version: 1\nwall: { displays: { columns: 1, rows: 1, size: [900, 200] }, grid: [3, 1], gap: 0 }\n'
                    'pages:\n  - panels:\n'
                    '      - { text: "a", id: short, label: "Sudirman", at: [0, 0, 1, 1] }\n'
                    '      - { text: "b", id: longer, label: "Jl. Tuanku Tambusai Ujung Barat", at: [1, 0, 1, 1] }\n'
                    '      - { text: "c", id: huge, label: "Mal Pelayanan Publik Kota Pekanbaru Jalan Jenderal '
                    'Sudirman Nomor 464", at: [2, 0, 1, 1] }\n', '900x200')
        full = ps['short']['title_px']
        check(full > 0 and ps['short']['title_whole'], 'a short label at full size: %s' % ps['short'])
        check(full * 3 // 4 <= ps['longer']['title_px'] < full and ps['longer']['title_whole'],
              'a longer one shrinks and fits whole: %s (full %d)' % (ps['longer'], full))
        check(ps['huge']['title_px'] == full * 3 // 4 and not ps['huge']['title_whole'],
              'a far too long one is cut at the floor size: %s' % ps['huge'])
        # title_clock: shown where there is room, dropped (not run into the
        # label) where there is not.
        ps = panels('version: 1\nwall: { displays: { columns: 1, rows: 1, size: [600, 200] }, grid: [6, 1], gap: 0 }\n'
                    'pages:\n  - panels:\n'
                    '      - { text: "a", id: wide, label: "Sudirman", title_clock: true, at: [0, 0, 5, 1] }\n'
                    '      - { text: "b", id: narrow, label: "Riau", title_clock: true, at: [5, 0, 1, 1] }\n', '600x200')
        check(ps['wide']['title_clock'] and not ps['narrow']['title_clock'] and ps['narrow']['title_px'] > 0,
              'the clock where it fits, not on a 100-px bar: %s %s' % (ps['wide'], ps['narrow']))
        # A tall panel's title grows with it (a 600-px panel: 25 px, not 17).
        tall = panels('version: 1\nwall: { displays: { columns: 1, rows: 1, size: [600, 600] }, grid: [1, 2], gap: 0 }\n'
                    'pages:\n  - panels:\n      - { text: "a", id: tall, label: "Siak", at: [0, 0, 1, 2] }\n', '600x600')['tall']
        check(tall['title_px'] >= full * 14 // 10, 'a tall panel has a bigger title: %s (ordinary %d)' % (tall, full))


def check_codes():
    """--check and argument errors exit 0 / 2 with messages."""
    good = os.path.join(SRC, 'config', 'demo.yaml')
    r = run(['--check', good])
    check(r.returncode == 0 and r.stdout.strip() == 'ok', 'good config: ok / 0, got %d %r' % (r.returncode, r.stdout))
    r = run(['--check', '/nonexistent/wall.yaml'])
    check(r.returncode == 2 and 'cannot read' in r.stderr, 'missing file: exit 2, got %d %r' % (r.returncode, r.stderr))
    with tempfile.NamedTemporaryFile('w', suffix='.yaml', delete=False) as f:
        f.write('version: 1\nlocale: fr\ntitel: x\n')
    r = run(['--check', f.name])
    os.unlink(f.name)
    lines = r.stderr.strip().splitlines()
    check(r.returncode == 2, 'bad config exits 2 (got %d)' % r.returncode)
    check(any(':2:9: locale: expected one of en or id, got "fr"' in l for l in lines), 'locale error: %r' % lines)
    check(any(':3:1: unknown key "titel" (did you mean "title"?)' in l for l in lines), 'typo error: %r' % lines)
    check(any('missing required key "pages"' in l for l in lines), 'all errors reported, not only the first: %r' % lines)
    for args, what in ((['--bogus'], 'unknown option'), (['--frames', 'x'], 'bad --frames'),
                       (['--headless', '--screenshot', 'x.png'], '--screenshot without --frames'),
                       (['--window', '12'], 'bad --window'), (['a.yaml', 'b.yaml'], 'two configs'),
                       (['--window', '800x600px'], '--window with junk'), (['--fps', '30fps'], '--fps with junk'),
                       (['--display', 'x'], '--display not a number'), (['--timeout', '5s'], '--timeout with junk')):
        r = run(args)
        check(r.returncode == 2 and r.stderr.strip(), '%s: exit 2 with a message (got %d)' % (what, r.returncode))
    r = run(['--help'])
    check(r.returncode == 0 and '--preview' in r.stdout and '--check' in r.stdout, '--help lists the modes')


def signals():
    """SIGTERM and SIGINT stop a running wall cleanly (exit 0) and quickly."""
    for sig in (signal.SIGTERM, signal.SIGINT):
        p = subprocess.Popen([PANTAU, '--headless'], env=env(), stderr=subprocess.PIPE, text=True)
        seen = ''
        deadline = time.time() + 20
        while 'renderer, output' not in seen and time.time() < deadline:
            seen += p.stderr.readline()
        check('renderer, output' in seen, 'wall started: %r' % seen)
        time.sleep(0.3)
        t0 = time.time()
        p.send_signal(sig)
        try:
            rc = p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            p.kill()
            rc = 'hung'
        rest = p.stderr.read()
        check(rc == 0, '%s: exit 0, got %s' % (sig.name, rc))
        check(time.time() - t0 < 2, '%s: stopped within 2 s' % sig.name)
        check('shutting down' in rest and 'stopped' in rest, '%s: logged the shutdown: %r' % (sig.name, rest))


SECRET_CFG = """version: 1
sources:
  cam: { video: "rtsp://viewer:${PANTAU_TEST_PASS}@10.0.0.5/main" }
  broker: { mqtt: "mqtts://broker.local:8883", username: wall, password: "${PANTAU_TEST_PASS}" }
  api: { http: "https://aduan.example/api?token=${PANTAU_TEST_TOKEN}", bearer: "${PANTAU_TEST_TOKEN}" }
pages:
  - panels:
      - { video: cam, at: [0, 0, 1, 1], label: "rtsp://viewer:${PANTAU_TEST_PASS}@10.0.0.5" }
"""


def secrets():
    """Secrets from ${ENV} never reach the logs, --print-config or the screen text."""
    e = env(PANTAU_TEST_PASS='s3cr3t-pass', PANTAU_TEST_TOKEN='t0ken-abc123')
    with tempfile.TemporaryDirectory() as d:
        cfg = os.path.join(d, 's.yaml')
        with open(cfg, 'w') as f:
            f.write(SECRET_CFG)
        r = run(['--print-config', cfg], env=e)
        check(r.returncode == 0, 'print-config runs: ' + r.stderr)
        out = r.stdout + r.stderr
        for s in ('s3cr3t-pass', 't0ken-abc123'):
            check(s not in out, 'secret %s absent from --print-config' % s)
        check('rtsp://viewer:***@10.0.0.5/main' in out, 'URL credentials shown as ***')
        check('password: "***"' in out and 'bearer: "***"' in out, 'secret keys shown as ***')
        check('token=***' in out, 'token query parameter redacted')
        r = run([cfg, '--headless', '--frames', '2', '--log-level', 'debug'], env=e)
        for s in ('s3cr3t-pass', 't0ken-abc123'):
            check(s not in r.stderr, 'secret %s absent from the log' % s)
        r = run(['--check', cfg], env=env())
        check(r.returncode == 2 and 'environment variable PANTAU_TEST_PASS is not set' in r.stderr,
              'unset secret variable is an error naming it: %r' % r.stderr)


def reference():
    """The README's key reference is exactly what --print-reference generates."""
    r = run(['--print-reference'])
    check(r.returncode == 0, 'print-reference runs')
    with open(os.path.join(SRC, 'README.md')) as f:
        readme = f.read()
    check(r.stdout in readme, 'README.md holds the current key reference; refresh it with '
          '`./build/pantau --print-reference` (see the README section "Config reference")')


def start_broker(port, d):
    conf = os.path.join(d, 'mosquitto.conf')
    with open(conf, 'w') as f:
        f.write('listener %d 127.0.0.1\nallow_anonymous true\n' % port)
        if os.geteuid() == 0:
            f.write('user root\n')
    p = subprocess.Popen(['mosquitto', '-c', conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import socket
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            socket.create_connection(('127.0.0.1', port), timeout=0.2).close()
            return p
        except OSError:
            time.sleep(0.05)
    p.kill()
    raise RuntimeError('mosquitto did not start')


def reconnect_leaks():
    """Broker lost and back twice, failing MQTT and HTTP retry loops, HTTP polls, a looping video
    file, a refused camera and an HTTP video stream that ends and comes back: no leaks under
    valgrind, or under LeakSanitizer in the sanitizer build.

    Debian 12's valgrind (3.19) stops at an RDTSCP instruction that libhwy (loaded by libavcodec
    through libjxl) executes while loading, before pantau's main() runs. Where that happens this
    test skips in the plain build and the same scenario runs in the ASan/UBSan build, where
    LeakSanitizer checks for leaks at exit and ASan for memory errors throughout."""
    import shutil
    sanitized = os.environ.get('PANTAU_SANITIZE', 'none') != 'none'
    if not sanitized and not shutil.which('valgrind'):
        print('valgrind missing (scripts/deps installs it)')
        sys.exit(1)
    with tempfile.TemporaryDirectory() as d:
        port = free_port()
        hport = free_port()
        with open(os.path.join(d, 'sum.json'), 'w') as f:
            f.write('{"total": 5, "items": [{"k": "a", "t": "1"}, {"k": "b", "t": "2"}]}')
        web = subprocess.Popen([sys.executable, '-m', 'http.server', str(hport), '--bind', '127.0.0.1',
                                '--directory', d], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # A small clip (valgrind decodes ~50x slower), served as a file and
        # as an HTTP MPEG-TS stream that ends after each play and is served
        # again (each end is a reconnect).
        clip = os.path.join(d, 'c.mp4')
        subprocess.run(['ffmpeg', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=10', '-t', '2',
                        '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-g', '10', clip], check=True)
        tsport = free_port()
        tsloop = subprocess.Popen(['sh', '-c', 'while :; do ffmpeg -v quiet -re -i "$0" -c copy -f mpegts '
                                   '-listen 1 "http://127.0.0.1:$1/"; done', clip, str(tsport)],
                                  start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cfg = os.path.join(d, 'v.yaml')
        with open(cfg, 'w') as f:
            f.write('version: 1\nsources:\n  s: { mqtt: "mqtt://127.0.0.1:%d", retry_max: 1s }\n'
                    '  dead: { mqtt: "mqtt://127.0.0.1:%d", retry_max: 1s }\n'
                    '  web: { http: "http://127.0.0.1:%d/sum.json", every: 1s }\n'
                    '  webdead: { http: "http://127.0.0.1:%d/x", every: 1s, retry_max: 2s }\n'
                    '  clip: { video: "file://%s" }\n'
                    '  camdead: { video: "rtsp://127.0.0.1:%d/x", retry_max: 1s }\n'
                    '  ts: { video: "http://127.0.0.1:%d/", retry_min: 200ms, retry_max: 1s }\n'
                    'pages:\n  - panels:\n      - { gauge: s, topic: "x", at: [0, 0, 1, 1] }\n'
                    '      - { table: s, topic: "t/+", at: [1, 0, 1, 1] }\n'
                    '      - { number: dead, topic: "x", at: [2, 0, 1, 1] }\n'
                    '      - { counter: web, value: "$.total", at: [3, 0, 1, 1] }\n'
                    '      - { breakdown: web, path: "$.items", group_by: k, at: [4, 0, 1, 1] }\n'
                    '      - { list: web, path: "$.items", fields: "t,k", at: [5, 0, 1, 1] }\n'
                    '      - { counter: webdead, value: "$.total", at: [0, 1, 1, 1] }\n'
                    '      - { video: clip, at: [1, 1, 1, 1] }\n'
                    '      - { video: camdead, at: [2, 1, 1, 1] }\n'
                    '      - { video: ts, at: [3, 1, 1, 1] }\n'
                    % (port, free_port(), hport, free_port(), clip, free_port(), tsport))
        broker = start_broker(port, d)
        log = os.path.join(d, 'vg.log')
        tool = [] if sanitized else ['valgrind', '--leak-check=full', '--errors-for-leak-kinds=definite',
                                     '--error-exitcode=9', '--log-file=' + log]
        with open(os.path.join(d, 'stderr.log'), 'w') as errf:
            p = subprocess.Popen(tool + [PANTAU, cfg, '--headless', '--window', '320x240', '--fps', '10'],
                                 env=env(), stderr=errf)
        try:
            for cycle in range(2):
                time.sleep(6)
                for i in range(5):
                    subprocess.run(['mosquitto_pub', '-p', str(port), '-t', 't/%d' % i, '-m', str(i)], check=False)
                broker.kill()
                broker.wait()
                time.sleep(3)
                broker = start_broker(port, d)
            time.sleep(5)
        finally:
            p.send_signal(signal.SIGTERM)
            try:
                rc = p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                p.kill()
                rc = 'hung'
            broker.kill()
            web.kill()
            os.killpg(tsloop.pid, signal.SIGKILL)
            tsloop.wait()
        if sanitized:
            err = open(os.path.join(d, 'stderr.log'), errors='replace').read()
            check(rc == 0, 'pantau (ASan/UBSan) exits 0 (got %s)' % rc)
            check('LeakSanitizer' not in err and 'AddressSanitizer' not in err and 'runtime error' not in err,
                  'no leaks or memory errors: ' + err[-3000:])
            return
        text = open(log).read()
        if 'Unrecognised instruction' in text and 'libhwy' in text:
            print('skipped: valgrind 3.19 cannot run libhwy (RDTSCP at load time); the ASan/UBSan run '
                  'checks this scenario with LeakSanitizer')
            sys.exit(77)
        check(rc == 0, 'pantau under valgrind exits 0 (got %s)' % rc)
        check('definitely lost: 0 bytes' in text or 'All heap blocks were freed' in text,
              'no definite leaks:\n' + '\n'.join(l for l in text.splitlines() if 'lost' in l))
        check('ERROR SUMMARY: 0 errors' in text, 'no memory errors: ' +
              ''.join(l for l in text.splitlines() if 'ERROR SUMMARY' in l))


run_cases([golden, bezel, monitors, outputs, xvfb_outputs, xvfb_renderer, bad_bytes, check_codes, signals, secrets, reference, reconnect_leaks, alarms_note, titles])
