#!/usr/bin/env python3
"""Hot reload with video playing (real RTSP server) and MQTT values (real
mosquitto): a reload that changes only a label keeps every camera's session
(no reconnect, frames keep coming, the picture never goes), cameras added
and removed, a broken file refused with file:line:col while the wall runs
on, an editor's save (write and rename) noticed by itself, a changed camera
restarted alone, an MQTT client kept, and 100 reloads with flat memory and
file descriptors.
Usage: reload_test.py PANTAU PNGTOOL SRCDIR TEST [RTSP_SERVER]."""
import os
import re
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, run_cases, wait_for  # noqa: E402
import video_test as vt  # noqa: E402
from video_test import Rig, has_picture, is_live, need_rtsp, panel, src  # noqa: E402

RED = 'pattern:solid-color:color=0xFF0000:size=320x240'
BLUE = 'pattern:solid-color:color=0x0000FF:size=320x240'
GREEN = 'pattern:solid-color:color=0x00FF00:size=320x240'


def cfg(r, srv, cams, labels=None, extra_panels=(), top=''):
    """A 3-cell wall with a video panel per camera (id = camera name) and
    a text panel."""
    labels = labels or {}
    sources = {c: 'video: "%s"' % srv.url('/' + c) for c in cams}
    panels = ['{ video: %s, id: %s, at: [%d, 0, 1, 1], label: "%s" }' % (c, c, i, labels.get(c, c.upper()))
              for i, c in enumerate(cams)]
    panels += list(extra_panels)
    return top + vt.wall_cfg(r.d, sources, [panels], (900, 240), (4, 1))


def write(p, text, rename=False):
    """Writes the config as an editor does (a temp file renamed over it) or
    in place."""
    if rename:
        tmp = p.cfg + '.swp'
        with open(tmp, 'w') as f:
            f.write(text)
        os.rename(tmp, p.cfg)
    else:
        with open(p.cfg, 'w') as f:
            f.write(text)


def reloaded(p, n, timeout=10):
    """Waits until the log says "reloaded" n times in all."""
    return wait_for(lambda: p.log().count('reloaded ') >= n, timeout)


def start(r, cams, mounts):
    need_rtsp()
    srv = r.rtsp(['/%s=%s' % m for m in mounts])
    p = r.pantau(cfg(r, srv, cams), window='900x240')
    ok, d = p.wait_dump(lambda d: is_live(*cams)(d) and has_picture(*cams)(d), 20)
    check(ok, 'cameras live with a picture before the reload: %s' % d.get('sources'))
    return srv, p, d


def label():
    """Only labels change (SIGHUP): no reconnect, the same sessions keep
    sending frames, the picture is there in the very first dump after the
    reload, the new label is shown."""
    with Rig() as r:
        srv, p, before = start(r, ['a', 'b'], [('a', RED), ('b', BLUE)])
        write(p, cfg(r, srv, ['a', 'b'], {'a': 'Simpang Sudirman'}))
        # No settle time: SIGHUP reloads at once, and the file watcher
        # would reload too; either way one reload.
        p.p.send_signal(signal.SIGHUP)
        check(reloaded(p, 1), 'the log says reloaded')
        d = p.dump()
        check(panel(d, 'a')['label'] == 'Simpang Sudirman', 'new label in force: %r' % panel(d, 'a')['label'])
        check(has_picture('a', 'b')(d), 'both panels have their picture right after the reload: %s' % d['panels'])
        check(is_live('a', 'b')(d), 'both still live right after the reload')
        for c in 'ab':
            check(src(d, c)['reconnects'] == src(before, c)['reconnects'] == 0,
                  '%s: no reconnect (%d)' % (c, src(d, c)['reconnects']))
        f0 = src(d, 'a')['frames']
        vt.pause(1.0)
        d2 = p.dump()
        check(src(d2, 'a')['frames'] >= f0 + 15, 'frames keep flowing: %d -> %d in 1 s' % (f0, src(d2, 'a')['frames']))
        check(src(d2, 'a')['reconnects'] == 0, 'still no reconnect')
        check('1 unchanged' not in p.log() and '2 unchanged' in p.log(), 'the log counts 2 unchanged sources')
        # The RTSP server saw one session per camera only.
        check(p.log().count('live (main stream)') == 2, 'each camera went live once: %d'
              % p.log().count('live (main stream)'))


def file_change():
    """An editor's save (temp file renamed over the config) reloads by
    itself; a save with the same text does not."""
    with Rig() as r:
        srv, p, _ = start(r, ['a'], [('a', RED)])
        write(p, cfg(r, srv, ['a'], {'a': 'Jembatan Siak'}), rename=True)
        check(reloaded(p, 1, 5), 'a changed file is reloaded without a signal')
        check(panel(p.dump(), 'a')['label'] == 'Jembatan Siak', 'new label')
        write(p, cfg(r, srv, ['a'], {'a': 'Jembatan Siak'}), rename=True)
        vt.pause(1.5)
        check(p.log().count('reloaded ') == 1, 'the same text again: no second reload')


def add_remove():
    """Camera c added, b removed: c goes live, b is gone from the scene, a
    keeps its session."""
    with Rig() as r:
        srv, p, _ = start(r, ['a', 'b'], [('a', RED), ('b', BLUE), ('c', GREEN)])
        write(p, cfg(r, srv, ['a', 'c']))
        p.p.send_signal(signal.SIGHUP)
        check(reloaded(p, 1), 'reloaded')
        ok, d = p.wait_dump(lambda d: is_live('a', 'c')(d) and has_picture('c')(d), 15)
        check(ok, 'new camera c live with a picture: %s' % d['sources'])
        check('b' not in d['sources'] and 'b' not in d['panels'], 'removed camera b is gone: %s' % list(d['sources']))
        check(src(d, 'a')['reconnects'] == 0 and p.log().count('[feed/a] INFO live') == 1,
              'camera a kept its session')
        shot = p.screenshot()
        # c is in the second cell (225 px wide); its picture centre is green.
        x, y = vt.centre(vt.picture((225, 0, 225, 240), 320, 240))
        vt.check_colour(shot, x, y, vt.GREEN, 'camera c drawn in the second cell')


def changed_source():
    """Only camera b's URL changes: b restarts on the new stream, a does not."""
    with Rig() as r:
        srv, p, _ = start(r, ['a', 'b'], [('a', RED), ('b', BLUE), ('g', GREEN)])
        text = cfg(r, srv, ['a', 'b']).replace(srv.url('/b'), srv.url('/g'))
        write(p, text)
        p.p.send_signal(signal.SIGHUP)
        check(reloaded(p, 1), 'reloaded')
        check('1 changed (restarted)' in p.log(), 'the log says one source changed')
        ok, d = p.wait_dump(lambda d: is_live('a', 'b')(d) and has_picture('b')(d), 15)
        check(ok, 'b live again: %s' % d['sources'])
        shot = p.screenshot()
        x, y = vt.centre(vt.picture((225, 0, 225, 240), 320, 240))
        vt.check_colour(shot, x, y, vt.GREEN, 'b shows the new stream')
        check(p.log().count('[feed/a] INFO live') == 1, 'a kept its session')


def broken():
    """A file with an error: the error with file:line:col in the log, the
    wall unchanged and playing; fixed, it reloads."""
    with Rig() as r:
        srv, p, before = start(r, ['a'], [('a', RED)])
        good = cfg(r, srv, ['a'], {'a': 'Before'})
        write(p, good)
        p.p.send_signal(signal.SIGHUP)
        check(reloaded(p, 1), 'first reload')
        bad = good.replace('gap: 0', 'gap: lots')
        write(p, bad)
        p.p.send_signal(signal.SIGHUP)
        check(wait_for(lambda: 'reload refused' in p.log(), 10), 'the log says the reload was refused')
        m = re.search(r'%s:(\d+):(\d+): wall\.gap' % re.escape(p.cfg), p.log())
        line = bad.split('\n').index('  gap: lots') + 1
        check(m and int(m.group(1)) == line, 'the error names %s:%d:col (wall.gap): %s'
              % (p.cfg, line, p.log()[-800:]))
        d = p.dump()
        check(panel(d, 'a')['label'] == 'Before' and is_live('a')(d) and has_picture('a')(d),
              'the wall runs on unchanged')
        f0 = src(d, 'a')['frames']
        vt.pause(0.8)
        check(src(p.dump(), 'a')['frames'] > f0 + 10, 'frames keep flowing')
        write(p, cfg(r, srv, ['a'], {'a': 'After'}))
        p.p.send_signal(signal.SIGHUP)
        check(reloaded(p, 2), 'the fixed file reloads')
        check(panel(p.dump(), 'a')['label'] == 'After', 'fixed file in force')


def proc_fds(pid):
    return len(os.listdir('/proc/%d/fd' % pid))


def proc_rss_kb(pid):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return 0


def many():
    """100 reloads in a row with two cameras playing: file descriptors and
    threads flat, RSS within 3 MB after a warm-up of 20, no reconnect."""
    with Rig() as r:
        srv, p, _ = start(r, ['a', 'b'], [('a', RED), ('b', BLUE)])
        texts = [cfg(r, srv, ['a', 'b'], {'a': 'Label %d' % i}) for i in range(2)]
        pid = p.p.pid

        def reload_n(n0, count):
            for i in range(count):
                write(p, texts[(n0 + i) % 2])
                p.p.send_signal(signal.SIGHUP)
                if not reloaded(p, n0 + i + 1):
                    return False
            return True
        check(reload_n(0, 20), '20 reloads')
        vt.pause(0.5)
        fds0, rss0 = proc_fds(pid), proc_rss_kb(pid)
        threads0 = len(os.listdir('/proc/%d/task' % pid))
        check(reload_n(20, 80), '80 more reloads')
        vt.pause(0.5)
        fds1, rss1 = proc_fds(pid), proc_rss_kb(pid)
        threads1 = len(os.listdir('/proc/%d/task' % pid))
        print('fds %d -> %d, threads %d -> %d, RSS %d -> %d kB' % (fds0, fds1, threads0, threads1, rss0, rss1))
        check(fds1 <= fds0, 'fds flat: %d -> %d' % (fds0, fds1))
        check(threads1 <= threads0, 'threads flat: %d -> %d' % (threads0, threads1))
        if os.environ.get('PANTAU_SANITIZE', 'none') in ('', 'none'):
            # (ASan keeps freed memory in quarantine: RSS says nothing
            # there; LeakSanitizer checks the same run for leaks at exit.)
            check(rss1 - rss0 < 3072, 'RSS within 3 MB: %d -> %d kB' % (rss0, rss1))
        d = p.dump()
        check(is_live('a', 'b')(d) and src(d, 'a')['reconnects'] == 0, 'still live, never reconnected')


def mqtt_kept():
    """An MQTT source whose settings did not change keeps its client: a
    label change shows the value at once with no reconnect; a panel on a
    new topic makes it subscribe again (retained values come back)."""
    import mqtt_test as mt
    with mt.Rig() as r:
        b = r.broker()
        pub = r.publisher(b.port)
        pub.pub('t/a', '21.5', retain=True)
        pub.pub('t/b', '7', retain=True)
        one = ['{ number: s, id: a, topic: "t/a", label: "A", at: [0, 0, 1, 1] }']
        p = r.live_pantau(mt.wall_cfg(b.port, one))
        check(p.wait_dump(mt.has_values(a=21.5), 5)[0], 'value shown')
        with open(p.cfg, 'w') as f:
            f.write(mt.wall_cfg(b.port, [one[0].replace('"A"', '"Suhu"')]))
        p.p.send_signal(signal.SIGHUP)
        check(reloaded(p, 1), 'reloaded')
        d = p.dump()
        check(mt.has_values(a=21.5)(d), 'value there right after the reload: %s' % d['panels'])
        check(d['sources']['s']['reconnects'] == 0 and p.log().count('connected to') == 1, 'no reconnect')
        two = one + ['{ number: s, id: b, topic: "t/b", label: "B", at: [1, 0, 1, 1] }']
        with open(p.cfg, 'w') as f:
            f.write(mt.wall_cfg(b.port, two))
        p.p.send_signal(signal.SIGHUP)
        check(reloaded(p, 2), 'reloaded again')
        ok, d = p.wait_dump(mt.has_values(a=21.5, b=7), 5)
        check(ok, 'the new topic subscribed: %s' % d['panels'])


def state_kept():
    """The page shown, the enlarged panel and an acknowledged alarm survive
    a reload; the alarm goes with its panel."""
    import mqtt_test as mt
    import remote_test as rt
    with mt.Rig() as r:
        b = r.broker()
        pub = r.publisher(b.port)
        lis = rt.Listener(b.port)
        try:
            p = r.live_pantau(rt.cfg(b.port))
            pub.pub('t/suhu', '45')
            check(p.wait_dump(lambda d: any(a['panel'] == 'suhu' and a['active'] for a in d['alarms']), 5)[0],
                  'alarm raised')
            check(rt.command(pub, lis, {'cmd': 'ack', 'panel': 'suhu'}).get('ok'), 'acknowledged')
            check(rt.command(pub, lis, {'cmd': 'enlarge', 'panel': 'air'}).get('ok'), 'air enlarged')
            text = rt.cfg(b.port).replace('label: "Suhu"', 'label: "Suhu ruang server"')
            with open(p.cfg, 'w') as f:
                f.write(text)
            p.p.send_signal(signal.SIGHUP)
            check(reloaded(p, 1), 'reloaded')
            d = p.dump()
            check(d['wall']['page'] == 0 and d['wall']['enlarged'] == 1, 'page and enlarged panel kept: %s' % d['wall'])
            al = [a for a in d['alarms'] if a['panel'] == 'suhu']
            check(al and al[0]['active'] and al[0]['acked'], 'the alarm is still there, acknowledged: %s' % d['alarms'])
            check(panel(d, 'suhu')['label'] == 'Suhu ruang server', 'new label')
            # The page gains a panel in front: the enlarged one is found by id.
            text2 = text.replace("    panels:\n      - { number: s, id: suhu", "    panels:\n      - { text: \"Baru\", "
                                 "id: baru, at: [0, 0, 1, 1] }\n      - { number: s, id: suhu", 1)
            text2 = text2.replace('id: suhu, topic: "t/suhu", label: "Suhu ruang server", at: [0, 0, 1, 1]',
                                  'id: suhu, topic: "t/suhu", label: "Suhu ruang server", at: [1, 0, 1, 1]')
            text2 = text2.replace('id: air, topic: "t/air", label: "Air", at: [1, 0, 1, 1]',
                                  'id: air, topic: "t/air", label: "Air", at: [0, 0, 1, 1]')
            text2 = text2.replace('grid: [2, 1]', 'grid: [2, 2]').replace('{ text: "Baru", id: baru, at: [0, 0, 1, 1] }',
                                                                          '{ text: "Baru", id: baru, at: [0, 1, 2, 1] }')
            with open(p.cfg, 'w') as f:
                f.write(text2)
            p.p.send_signal(signal.SIGHUP)
            check(reloaded(p, 2), 'reloaded with a new first panel: %s' % p.log()[-600:])
            d = p.dump()
            check(d['wall']['enlarged'] == 2, 'the enlarged panel followed its id to index 2: %s' % d['wall'])
            # The alarm's panel removed: the alarm goes.
            text3 = '\n'.join(l for l in text.split('\n') if 'id: suhu' not in l) + '\n'
            with open(p.cfg, 'w') as f:
                f.write(text3)
            p.p.send_signal(signal.SIGHUP)
            check(reloaded(p, 3), 'reloaded without the panel')
            d = p.dump()
            check(not [a for a in d['alarms'] if a['panel'] == 'suhu'], 'its alarm went with it: %s' % d['alarms'])
        finally:
            lis.close()


def restart_keys():
    """A key that applies only after a restart (timezone, remote.*): the
    reload applies the rest and the log names the key; a live key (the
    title) changes at once."""
    import tempfile
    from harness import Pantau
    text = ('version: 1\ntitle: "Satu"\ntimezone: "Asia/Jakarta"\nwall:\n  displays: { columns: 1, rows: 1, '
            'size: [300, 100] }\n  grid: [1, 1]\npages:\n  - panels:\n      - { text: "a", id: t, at: [0, 0, 1, 1], '
            'label: "A" }\n')
    with tempfile.TemporaryDirectory() as d:
        p = Pantau(d, text, window='300x100')
        try:
            with open(p.cfg, 'w') as f:
                f.write(text.replace('Asia/Jakarta', 'Asia/Makassar').replace('label: "A"', 'label: "B"'))
            p.p.send_signal(signal.SIGHUP)
            check(reloaded(p, 1), 'reloaded')
            check('timezone changed: applies after a restart' in p.log(), 'the log names the restart-only key: %s'
                  % p.log()[-600:])
            check(panel(p.dump(), 't')['label'] == 'B', 'the live change applied')
        finally:
            check(p.stop() == 0, 'exit 0')


if __name__ == '__main__':
    run_cases([label, file_change, add_remove, changed_source, broken, many, mqtt_kept, state_kept, restart_keys])
