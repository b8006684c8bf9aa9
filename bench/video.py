#!/usr/bin/env python3
"""bench/video.py: the cost of the video wall against what decoding alone costs,
on generated H.264 clips served by tests/rtsp_server on a free 127.0.0.1 port;
pantau (software renderer, 1920x1080, --fps 60) on generated configs, headless
and in a window on an X server (Xvfb), the way a wall without a GPU runs.

Clips (made once with ffmpeg/libx264 veryfast, -g 50, yuv420p, 25 fps, 20 s,
cached in $XDG_CACHE_HOME/pantau-bench): set a, 4 contents (testsrc2, SMPTE
bars + temporal noise, mandelbrot, life), each as D1 720x576 ~1.5 Mbit/s,
substream 352x288 ~400 kbit/s and 1080p ~5 Mbit/s; set b, 6 other contents
(cellular automaton, gradients, sierpinski, testsrc, HD bars, a dark noisy
night scene), each in H.264 Baseline and Main, with light sensor noise and a
small box moving across (12 D1 clips). The server loops them forever on 24
mounts /d1-NN, /sub-NN and /b-NN and 4 mounts /hd-N.

(0) Decode floor: CPU (getrusage of the children) of
    `ffmpeg -threads 1 -i CLIP -f null -` per distinct clip, best of 2; the
    floor of a wall = sum over its streams of clip CPU s / clip length s.
    Reported beside it (not targets), for set a, set b and the substreams,
    each 24 ffmpeg -threads 1 at once over a min(SECONDS, 20)-s window after
    8 s of start-up (deblocking skipped where pantau skips it): the clips
    decoded at real time from the files (-re, looped), which shows what
    interleaving 24 decoders costs on these cores; and the same 24 RTSP
    streams received over TCP from the bench's server and decoded, which
    adds what receiving them costs: the work pantau's wall does, less
    shrinking and drawing.
(1) D1 walls: 24 video sources (RTSP over TCP), one panel each on a 6x4 grid,
    on set a and on set b, each headless and windowed (--window 1920x1080 on
    its own Xvfb, whose CPU is measured in the same window and counted with
    pantau's). Once every source is live and after 5 s of warm-up, for
    SECONDS s: pantau's CPU (/proc/PID/stat, all threads) in cores, its RSS
    every 2 s, frames decoded / dropped per source and pictures uploaded per
    panel (--dump-scene via SIGUSR2 at both ends of the window) against the
    frames sent (25 fps x window x 24), frame times (--stats at exit), and
    the RTSP server's own CPU over the same window (it shares the cores).
(2) The same wall with a 352x288 substream per source (panels are narrower
    than substream_below, so pantau plays the substreams), against the
    substreams' own floor; and 4 x 1080p on a 2x2 grid against its floor.
    Both measured for min(SECONDS, 30) s.
(3) Peers on the same 24 D1 URLs (set a), same warm-up and window: mpv (when
    mpv and Xvfb are installed) playing one 6x4 xstack mosaic
    (--lavfi-complex) on its own Xvfb 1920x1080 with --vo=x11 (its X server
    counted with it); and ffmpeg's own xstack mosaic to -f null (no display;
    min(SECONDS, 30) s).

Usage: bench/video.py [BUILD_DIR] [SECONDS]   (default build/, 60 s; ~14 min,
plus ~3 min to make the clips the first time)
Targets (issue 14): pantau <= 1.15 x the decode floor, >= 99% of the frames
sent shown, frame time p99 <= 25 ms (1.5 frames at 60 Hz), RSS <= 200 MB, on
both sets, headless and windowed; mpv >= 1.8 x pantau (scaled to real-time
work when mpv falls behind); the substream wall <= 1.3 x its own floor. The
last lines print them as one table. Needs ffmpeg and ffprobe; mpv and Xvfb
for the mpv peer and the windowed runs."""
import json
import os
import resource
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import free_port, proc_cpu, rss_kib  # noqa: E402

here = os.path.dirname(os.path.abspath(__file__))
build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '..', 'build')
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 60.0
pantau = os.path.join(build, 'pantau')
rtsp_server = os.path.join(build, 'tests', 'rtsp_server')
pace_tool = os.path.join(build, 'bench', 'pace')
env = dict(os.environ, SDL_VIDEODRIVER='offscreen')

FPS = 60
FRAME_MS = 1000.0 / FPS
P99_TARGET_MS = 1.5 * FRAME_MS
CLIP_FPS, CLIP_SECONDS, GOP = 25, 20, 50
STREAMS, HD_STREAMS = 24, 4
COLS, ROWS = 6, 4
TILE_W, TILE_H = 320, 180  # mosaic tiles: 6x4 of them stacked (1920x720), padded to 1920x1080
SETS = {  # name: (width, height, kbit/s)
    'd1': (720, 576, 1500),
    'sub': (352, 288, 400),
    'hd': (1920, 1080, 5000),
}
# lavfi sources; {w}x{h} the clip size, {qw}x{qh} a quarter of it (life: 4x4-pixel cells).
CONTENTS = (
    ('testsrc2', 'testsrc2=size={w}x{h}:rate={r}'),
    ('barsnoise', 'smptebars=size={w}x{h}:rate={r},noise=alls=12:allf=t+u'),
    ('mandelbrot', 'mandelbrot=size={w}x{h}:rate={r}'),
    ('life', 'life=size={qw}x{qh}:rate={r}:mold=10:ratio=0.2:death_color=#102030:life_color=#e0f0ff:'
             'mold_color=#a06020,scale={w}:{h}:flags=neighbor'),
)
# The second set ('b'): other contents, half H.264 Baseline and half Main,
# light sensor noise over each and a small box moving across it (a passing
# car), D1 at the same bitrate. 6 contents x 2 profiles = 12 clips; the 24
# streams play each twice.
CONTENTS_B = (
    ('cellauto', 'cellauto=size={w}x{h}:rate={r}:rule=110:random_fill_ratio=0.3:scroll=1'),
    ('gradients', 'gradients=size={w}x{h}:rate={r}:speed=0.03'),
    ('sierpinski', 'sierpinski=size={w}x{h}:rate={r}'),
    ('testsrc', 'testsrc=size={w}x{h}:rate={r}'),
    ('hdbars', 'smptehdbars=size={w}x{h}:rate={r}'),
    ('night', 'color=c=0x202428:size={w}x{h}:rate={r},noise=alls=20:allf=t+u'),
)
PROFILES_B = ('baseline', 'main')
B_OVERLAY = ('[bg];color=c=0xf0f0e0:size=56x36:rate={r}[car];'
             "[bg][car]overlay=x='mod(t*140,W-w)':y='H/3+mod(t*30,H/3)':shortest=1,format=yuv420p[v]")
WARMUP = 5.0
SAMPLE_EVERY = 2.0
LIVE_TIMEOUT = 60.0
SHORT = 30.0  # s: the substream, 1080p and ffmpeg-mosaic windows at most
REF_SECONDS = 20.0  # s: the windows of the decoding references (interleaved, over RTSP) at most
REF_STARTUP = WARMUP + 3.0  # s: their start-up (connecting, probing, opening), not counted
ref_secs = min(seconds, REF_SECONDS)  # s: their windows in this run
PACE_ROUNDS = 50  # bench/pace: rounds of one frame of each stream, 3 blocks each way (about 15 s)
TARGETS = {'floor': 1.15, 'mpv': 1.8, 'shown': 0.99, 'p99_ms': P99_TARGET_MS, 'rss_mb': 200.0, 'sub': 1.3}
TICK = os.sysconf('SC_CLK_TCK')


T0 = time.monotonic()


def progress(msg):
    print('bench/video: [%3.0f s] %s' % (time.monotonic() - T0, msg), file=sys.stderr, flush=True)


def fail(msg):
    sys.exit('bench/video: ' + msg)


def thread_cpu(pid):
    """{tid: CPU s} of a process's live threads."""
    out = {}
    for tid in os.listdir('/proc/%d/task' % pid):
        try:
            with open('/proc/%d/task/%s/stat' % (pid, tid)) as f:
                fields = f.read().rsplit(')', 1)[1].split()
            out[int(tid)] = (int(fields[11]) + int(fields[12])) / TICK
        except (FileNotFoundError, ProcessLookupError):
            pass
    return out


def machine_busy():
    """(busy, total) CPU ticks of the whole machine so far (/proc/stat; idle and iowait are not busy)."""
    with open('/proc/stat') as f:
        v = [int(x) for x in f.readline().split()[1:]]
    total = sum(v[:8])  # guest time is already in user
    return total - v[3] - v[4], total


def run_wait(pid, tid):
    """s a thread has waited on a run queue for a CPU so far (/proc schedstat); None without schedstats."""
    try:
        with open('/proc/%d/task/%d/schedstat' % (pid, tid)) as f:
            return int(f.read().split()[1]) / 1e9
    except (OSError, ValueError, IndexError):
        return None


def stop_group(p, timeout=10):
    """SIGTERM to the process group of p (started with start_new_session), then SIGKILL."""
    if p is None:
        return None
    if p.poll() is None:
        try:
            os.killpg(p.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(p.pid, signal.SIGKILL)  # stragglers in the group
    except ProcessLookupError:
        pass
    return p.wait()


def tail(f, n=3000):
    """The last n characters of the log file f that a child writes to, read
    through a handle of its own: seeking f would move the child's write
    offset too (they share one open file), and a line the child wrote
    between that seek and the read landed at the start of the file, over
    the first lines ("pantau did not start" once, with its feeds live)."""
    f.flush()
    with open(f.name, errors='replace') as r:
        return r.read()[-n:]


# ------------------------------------------------------------------ clips

def cache_dir():
    base = os.environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache')
    d = os.path.join(base, 'pantau-bench')
    os.makedirs(d, exist_ok=True)
    return d


def probe(path):
    r = subprocess.run(['ffprobe', '-v', 'error', '-show_entries', 'format=duration,size',
                        '-of', 'json', path], capture_output=True, text=True)
    if r.returncode != 0:
        return None
    fmt = json.loads(r.stdout)['format']
    dur = float(fmt['duration'])
    return {'path': path, 'duration': dur, 'kbps': int(fmt['size']) * 8 / dur / 1000}


def cached_clip(name, source_args, profile_args, kbps):
    """The clip named name in the cache, made with ffmpeg (x264 veryfast,
    -g GOP, CLIP_SECONDS s at kbps) from source_args when missing or cut
    short; its probe() info."""
    path = os.path.join(cache_dir(), name)
    if os.path.exists(path):
        info = probe(path)
        if info and info['duration'] > CLIP_SECONDS - 1:
            return info
    progress('making %s' % name)
    tmp = path + '.part'
    r = subprocess.run(['ffmpeg', '-v', 'error', '-y'] + source_args +
                       ['-t', str(CLIP_SECONDS), '-c:v', 'libx264', '-preset', 'veryfast'] + profile_args +
                       ['-g', str(GOP), '-pix_fmt', 'yuv420p', '-b:v', '%dk' % kbps, '-maxrate', '%dk' % kbps,
                        '-bufsize', '%dk' % (2 * kbps), '-an', '-movflags', '+faststart', '-f', 'mp4', tmp],
                       capture_output=True, text=True)
    if r.returncode != 0:
        fail('ffmpeg could not make %s:\n%s' % (name, r.stderr[-2000:]))
    os.replace(tmp, path)
    return probe(path)


def make_clip(kind, content, src):
    w, h, kbps = SETS[kind]
    name = '%s-%s-%dx%d-%dfps-%dk-g%d-%ds-x264veryfast.mp4' % (
        kind, content, w, h, CLIP_FPS, kbps, GOP, CLIP_SECONDS)
    lavfi = src.format(w=w, h=h, qw=w // 4, qh=h // 4, r=CLIP_FPS)
    return cached_clip(name, ['-f', 'lavfi', '-i', lavfi], [], kbps)


def make_clip_b(content, src, profile):
    w, h, kbps = SETS['d1']
    name = 'b-%s-%s-%dx%d-%dfps-%dk-g%d-%ds-noise-box-x264veryfast.mp4' % (
        content, profile, w, h, CLIP_FPS, kbps, GOP, CLIP_SECONDS)
    graph = (src + ',noise=alls=6:allf=t' + B_OVERLAY).format(w=w, h=h, r=CLIP_FPS)
    return cached_clip(name, ['-filter_complex', graph, '-map', '[v]'], ['-profile:v', profile], kbps)


def clips():
    """{kind: [clip info per content]}; 'b' the second set (12 clips)."""
    out = {kind: [make_clip(kind, name, src) for name, src in CONTENTS] for kind in SETS}
    out['b'] = []
    for name, src in CONTENTS_B:
        for prof in PROFILES_B:
            out['b'].append(dict(make_clip_b(name, src, prof), name='%s/%s' % (name, prof)))
    return out


# ------------------------------------------------------------ decode floor

def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def decode_cpu(path):
    """CPU s of decoding the whole clip on one thread, best of 2."""
    best = float('inf')
    for _ in range(2):
        c0 = children_cpu()
        r = subprocess.run(['ffmpeg', '-v', 'error', '-threads', '1', '-i', path, '-f', 'null', '-'],
                           capture_output=True, text=True)
        if r.returncode != 0:
            fail('ffmpeg could not decode %s:\n%s' % (path, r.stderr[-2000:]))
        best = min(best, children_cpu() - c0)
    return best


def floors(cl):
    """Per clip set: per-clip cores for one stream, and the floor of its wall."""
    out = {}
    for kind, infos in cl.items():
        progress('decode floor, %s clips' % kind)
        per = [decode_cpu(c['path']) / c['duration'] for c in infos]
        n = HD_STREAMS if kind == 'hd' else STREAMS
        out[kind] = {'per_clip': per, 'streams': n, 'cores': sum(per[i % len(per)] for i in range(n))}
    return out


def pace(infos, n):
    """bench/pace on n streams of these clips: one thread decoding them in
    turn back to back, and paced as n cameras' frames arrive (a timer sleep
    before each decode); the CPU of a frame both ways, and of one sleep."""
    r = subprocess.run([pace_tool, str(PACE_ROUNDS), str(n)] + [c['path'] for c in infos],
                       capture_output=True, text=True)
    if r.returncode != 0:
        fail('bench/pace failed:\n%s' % (r.stderr[-2000:] or r.stdout[-2000:]))
    return json.loads(r.stdout.strip().splitlines()[-1])


def floor_ms(floor):
    """The decode floor's CPU for one frame of one stream, in ms."""
    return floor['cores'] * 1000.0 / (CLIP_FPS * floor['streams'])


def skips_deblocking(kind):
    """Whether pantau skips the loop filter on this set's walls: D1 in a
    293 px panel is shown at half size or less; the 352x288 substream is not."""
    return kind != 'sub'


def ffmpeg_group(args_per_stream, skip_loop, secs):
    """Cores of one ffmpeg per stream (each with its input args), all at
    once, over a window of secs s after REF_STARTUP s (connecting, probing
    and opening are not counted: pantau's own windows start once it is live,
    too); deblocking skipped if skip_loop."""
    skip = ['-skip_loop_filter', 'all'] if skip_loop else []
    ps = {'ffmpeg-%02d' % i: subprocess.Popen(['ffmpeg', '-v', 'error', '-nostdin', '-threads', '1'] + skip + a +
                                              ['-f', 'null', '-'], stdout=subprocess.DEVNULL,
                                              stderr=subprocess.DEVNULL, start_new_session=True)
          for i, a in enumerate(args_per_stream)}
    try:
        time.sleep(REF_STARTUP)
        _, cores, _, _ = measure(ps, secs)
    except RuntimeError as e:
        fail('decoding references: %s' % e)
    finally:
        for p in ps.values():
            stop_group(p)
    return sum(c for k, c in cores.items() if k != 'machine')


def interleaved(infos, n, skip_loop, secs):
    """Cores of n ffmpeg decoding at real time at once (-re, -threads 1,
    looped; deblocking skipped where pantau skips it, for pictures shown at
    half size or less), the clips in turn: the decoding a wall of n cameras
    does, interleaved on the machine's cores, without the network or any
    drawing."""
    return ffmpeg_group([['-re', '-stream_loop', '-1', '-i', infos[i % len(infos)]['path']] for i in range(n)],
                        skip_loop, secs)


def over_rtsp(server, mounts, skip_loop, secs):
    """Cores of one ffmpeg per mount receiving and decoding it from the
    bench's RTSP server (TCP, as pantau's walls here): the same streams,
    transport and decoder as pantau's wall, without shrinking or drawing."""
    return ffmpeg_group([['-rtsp_transport', 'tcp', '-i', server.url(m)] for m in mounts], skip_loop, secs)


# ------------------------------------------------------------- rtsp server

class Server:
    """tests/rtsp_server with every mount; its own process group."""

    def __init__(self, d, cl):
        self.mounts = [('/d1-%02d' % i, cl['d1'][i % 4]['path']) for i in range(STREAMS)]
        self.mounts += [('/sub-%02d' % i, cl['sub'][i % 4]['path']) for i in range(STREAMS)]
        self.mounts += [('/hd-%d' % i, cl['hd'][i % 4]['path']) for i in range(HD_STREAMS)]
        self.mounts += [('/b-%02d' % i, cl['b'][i % len(cl['b'])]['path']) for i in range(STREAMS)]
        args = [rtsp_server, '--address', '127.0.0.1']
        for path, clip in self.mounts:
            args += ['--mount', '%s=file:%s' % (path, clip)]
        self.log = open(os.path.join(d, 'rtsp_server.log'), 'w+')
        self.p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.log, start_new_session=True)
        self.port = None
        line = b''
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and self.p.poll() is None:
            if select.select([self.p.stdout], [], [], 0.1)[0]:
                ch = os.read(self.p.stdout.fileno(), 1)
                if not ch:
                    break
                line += ch
                if ch == b'\n':
                    if line.startswith(b'PORT '):
                        self.port = int(line.split()[1])
                        return
                    line = b''
        self.stop()
        fail('rtsp_server did not start (no PORT line):\n' + tail(self.log))

    def url(self, mount):
        return 'rtsp://127.0.0.1:%d%s' % (self.port, mount)

    def check(self, mount, w, h):
        r = subprocess.run(['ffprobe', '-v', 'error', '-rtsp_transport', 'tcp', '-select_streams', 'v',
                            '-show_entries', 'stream=codec_name,width,height', '-of', 'json', self.url(mount)],
                           capture_output=True, text=True, timeout=30)
        st = json.loads(r.stdout or '{}').get('streams') if r.returncode == 0 else None
        if not st or (st[0].get('width'), st[0].get('height')) != (w, h):
            fail('rtsp_server: ffprobe %s: %s %s\nserver log:\n%s' % (
                self.url(mount), r.stdout, r.stderr[-1000:], tail(self.log)))
        return '%s %dx%d' % (st[0]['codec_name'], w, h)

    def stop(self):
        stop_group(self.p)


# ------------------------------------------------------------------- window

def measure(procs, secs):
    """CPU cores and max RSS of each pid in procs ({name: Popen}) over secs s.
    Returns (elapsed, {name: cores}, {name: [RSS KiB samples]}, {name: {tid: cores}}); cores
    also holds 'machine': the busy cores of the whole machine over the window (/proc/stat)."""
    m0 = machine_busy()
    cpu0 = {k: proc_cpu(p.pid) for k, p in procs.items()}
    th0 = {k: thread_cpu(p.pid) for k, p in procs.items()}
    t0 = time.monotonic()
    rss = {k: [rss_kib(p.pid)] for k, p in procs.items()}
    next_sample = t0 + SAMPLE_EVERY
    while time.monotonic() < t0 + secs:
        time.sleep(max(0.0, min(next_sample, t0 + secs) - time.monotonic()))
        for k, p in procs.items():
            if p.poll() is not None:
                raise RuntimeError('%s exited %d during the measured window' % (k, p.returncode))
        if time.monotonic() >= next_sample:
            for k, p in procs.items():
                rss[k].append(rss_kib(p.pid))
            next_sample += SAMPLE_EVERY
    cpu1 = {k: proc_cpu(p.pid) for k, p in procs.items()}
    th1 = {k: thread_cpu(p.pid) for k, p in procs.items()}
    m1 = machine_busy()
    el = time.monotonic() - t0
    for k, p in procs.items():
        rss[k].append(rss_kib(p.pid))
    threads = {k: {tid: (c - th0[k].get(tid, 0.0)) / el for tid, c in th1[k].items()} for k in procs}
    cores = {k: (cpu1[k] - cpu0[k]) / el for k in procs}
    cores['machine'] = (m1[0] - m0[0]) / max(1, m1[1] - m0[1]) * os.cpu_count()
    return el, cores, rss, threads


# ------------------------------------------------------------------- pantau

WALL = """version: 1
wall:
  displays: { columns: 1, rows: 1, size: [1920, 1080] }
  grid: [%d, %d]
sources:
%s
pages:
  - panels:
%s
"""


def wall_config(server, mains, subs=None, cols=COLS, rows=ROWS):
    sources, panels = [], []
    for i, m in enumerate(mains):
        sub = ', substream: "%s"' % server.url(subs[i]) if subs else ''
        sources.append('  cam%02d: { video: "%s", transport: tcp%s }' % (i, server.url(m), sub))
        panels.append('      - { id: v%02d, video: cam%02d, at: [%d, %d, 1, 1], label: "%s" }' % (
            i, i, i % cols, i // cols, m.lstrip('/')))
    return WALL % (cols, rows, '\n'.join(sources), '\n'.join(panels))


class Wall:
    """One headless pantau on a config, with its stats and dump files."""

    def __init__(self, d, name, cfg_text, display=None):
        self.name = name
        self.cfg = os.path.join(d, name + '.yaml')
        with open(self.cfg, 'w') as f:
            f.write(cfg_text)
        check = subprocess.run([pantau, '--check', self.cfg], capture_output=True, text=True)
        if check.returncode != 0:
            fail('%s: generated config rejected:\n%s%s' % (name, check.stdout, check.stderr))
        self.stats = os.path.join(d, name + '-stats.json')
        self.dump = os.path.join(d, name + '-scene.json')
        self.log = open(os.path.join(d, name + '.log'), 'w+')
        self.started = time.monotonic()
        args = [pantau, self.cfg, '--renderer', 'software', '--fps', str(FPS), '--stats', self.stats,
                '--dump-scene', self.dump, '--log-level', 'info']
        if display:  # a window on an X server, as a wall without a GPU runs
            run_env = dict(os.environ, DISPLAY=display, SDL_VIDEODRIVER='x11')
            args += ['--window', '1920x1080']
        else:
            run_env = env
            args += ['--headless']
        self.p = subprocess.Popen(args, env=run_env, stdout=subprocess.DEVNULL, stderr=self.log,
                                  start_new_session=True)
        # SIGUSR2 kills a pantau that has not yet set its handlers: wait for its first line.
        deadline = time.monotonic() + 20
        while 'starting on' not in tail(self.log, 10 ** 6):
            if self.p.poll() is not None or time.monotonic() > deadline:
                stop_group(self.p)
                fail('%s: pantau did not start:\n%s' % (name, tail(self.log)))
            time.sleep(0.05)

    def scene(self):
        """A scene dump now (SIGUSR2); (monotonic time of the request, dump)."""
        try:
            os.unlink(self.dump)
        except FileNotFoundError:
            pass
        t = time.monotonic()
        self.p.send_signal(signal.SIGUSR2)
        deadline = t + 5
        while time.monotonic() < deadline:
            try:
                with open(self.dump) as f:
                    return t, json.load(f)
            except (FileNotFoundError, ValueError):
                time.sleep(0.01)
        raise RuntimeError('no scene dump from pantau within 5 s')

    def wait_live(self):
        """Until every source is live; s it took since start."""
        deadline = time.monotonic() + LIVE_TIMEOUT
        while True:
            if self.p.poll() is not None:
                raise RuntimeError('pantau exited %d before every source was live' % self.p.returncode)
            _, sc = self.scene()
            srcs = sc['sources']
            if all(s['status'] == 'live' for s in srcs.values()):
                return time.monotonic() - self.started
            if time.monotonic() > deadline:
                bad = ['%s: %s %s' % (k, s['status'], s['reason']) for k, s in sorted(srcs.items())
                       if s['status'] != 'live']
                raise RuntimeError('%d of %d sources not live after %.0f s:\n  %s' % (
                    len(bad), len(srcs), LIVE_TIMEOUT, '\n  '.join(bad)))
            time.sleep(0.5)

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
        try:
            rc = self.p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            stop_group(self.p)
            raise RuntimeError('pantau did not stop on SIGTERM')
        if rc != 0:
            raise RuntimeError('pantau exited %d' % rc)
        with open(self.stats) as f:
            s = json.load(f)
        s['lifetime'] = time.monotonic() - self.started
        s['warnings'] = [l for l in tail(self.log, 10 ** 7).splitlines() if ' WARN ' in l or ' ERROR ' in l]
        return s

    def kill(self):
        stop_group(self.p, timeout=5)


def start_xvfb(d, tag, size='1920x1080'):
    """An Xvfb of its own, one screen of size (24-bit); (display, Popen, log) or raises RuntimeError."""
    if not shutil.which('Xvfb'):
        raise RuntimeError('Xvfb not installed')
    n = free_display()
    if n is None:
        raise RuntimeError('no free X display number')
    log = open(os.path.join(d, 'xvfb-%s.log' % tag), 'w+')
    x = subprocess.Popen(['Xvfb', ':%d' % n, '-screen', '0', size + 'x24', '-nolisten', 'tcp'],
                         stdout=log, stderr=log, start_new_session=True)
    deadline = time.monotonic() + 10
    while not os.path.exists('/tmp/.X11-unix/X%d' % n):
        if x.poll() is not None or time.monotonic() > deadline:
            stop_group(x)
            log.close()
            raise RuntimeError('Xvfb :%d did not start: %s' % (n, tail(log, 300).strip()))
        time.sleep(0.05)
    return ':%d' % n, x, log


def run_pantau(d, server, name, cfg_text, secs, n_sources, windowed=False):
    """windowed: pantau in a 1920x1080 window on its own Xvfb, whose CPU is
    measured in the same window (x_core) and counted with pantau's."""
    progress('%s: pantau on %d sources%s' % (name, n_sources, ', windowed under Xvfb' if windowed else ''))
    xvfb = None
    if windowed:
        try:
            display, xvfb, xlog = start_xvfb(d, name)
        except RuntimeError as e:
            fail('%s: %s' % (name, e))
        w = Wall(d, name, cfg_text, display=display)
    else:
        w = Wall(d, name, cfg_text)
    procs = {'pantau': w.p, 'server': server.p}
    if xvfb:
        procs['x'] = xvfb
    try:
        live = w.wait_live()
        progress('%s: every source live after %.1f s; warm-up %.0f s, then %.0f s measured' % (
            name, live, WARMUP, secs))
        time.sleep(WARMUP)
        ta, sa = w.scene()
        wait0 = run_wait(w.p.pid, w.p.pid)
        el, cores, rss, threads = measure(procs, secs)
        wait1 = run_wait(w.p.pid, w.p.pid)
        tb, sb = w.scene()
        s = w.stop()
    except (RuntimeError, OSError, ValueError) as e:
        w.kill()
        fail('%s: %s\npantau log (tail):\n%s' % (name, e, tail(w.log)))
    finally:
        w.kill()
        w.log.close()
        if xvfb:
            stop_group(xvfb)
            xlog.close()

    def delta(kind, key):
        return sum(sb[kind][k][key] - sa[kind][k][key] for k in sb[kind] if
                   kind == 'sources' or sb[kind][k]['kind'] == 'video')

    dump_el = tb - ta
    s.update(name=name, live_s=live, secs=el, dump_secs=dump_el, n=n_sources, core=cores['pantau'],
             server_core=cores['server'], machine=cores['machine'], rss=rss['pantau'], server_rss=rss['server'],
             render_core=threads['pantau'].get(w.p.pid, 0.0),
             render_wait=(wait1 - wait0) / el if wait0 is not None and wait1 is not None else None,
             decoded=delta('sources', 'frames'), drops=delta('sources', 'drops'),
             shown=delta('panels', 'frames_shown'), sent=CLIP_FPS * dump_el * n_sources,
             reconnects=delta('sources', 'reconnects'), errors=delta('sources', 'errors'),
             scene=sb, windowed=windowed, x_core=cores.get('x', 0.0), x_rss=rss.get('x', [0]))
    s['machine'] -= s['x_core']  # 'others' counts neither pantau, its server nor its X server
    return s


# -------------------------------------------------------------------- peers

def xstack_graph(n, fmt_in):
    """n inputs scaled to 320x180 tiles and stacked 6x4 into a 1920x1080 [vo]."""
    scale = ';'.join('%sscale=%d:%d,setsar=1[t%d]' % (fmt_in(i), TILE_W, TILE_H, i) for i in range(n))
    layout = '|'.join('%d_%d' % (TILE_W * (i % COLS), TILE_H * (i // COLS)) for i in range(n))
    stack = ''.join('[t%d]' % i for i in range(n))
    return scale + ';' + stack + 'xstack=inputs=%d:layout=%s,pad=1920:1080[vo]' % (n, layout)


def free_display():
    for n in range(90, 200):
        if not os.path.exists('/tmp/.X11-unix/X%d' % n) and not os.path.exists('/tmp/.X%d-lock' % n):
            return n
    return None


def mpv_ipc(sock_path, *cmd):
    """One mpv JSON IPC command; its data or None."""
    try:
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(2)
            s.connect(sock_path)
            s.sendall((json.dumps({'command': list(cmd), 'request_id': 1}) + '\n').encode())
            buf = b''
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    return None
                buf += chunk
                while b'\n' in buf:
                    line, buf = buf.split(b'\n', 1)
                    msg = json.loads(line)
                    if msg.get('request_id') == 1:
                        return msg.get('data') if msg.get('error') == 'success' else None
    except (OSError, ValueError):
        return None


def run_mpv(d, server, secs):
    """mpv playing the 24 D1 URLs as one xstack mosaic; (result, why-not)."""
    if not shutil.which('mpv') or not shutil.which('Xvfb'):
        return None, 'mpv or Xvfb not installed'
    progress('mpv: Xvfb, mosaic of %d D1 streams' % STREAMS)
    mlog = open(os.path.join(d, 'mpv.log'), 'w+')
    xvfb = mpv = xlog = None
    try:
        try:
            display, xvfb, xlog = start_xvfb(d, 'mpv')
        except RuntimeError as e:
            return None, str(e)
        sock = os.path.join(d, 'mpv.sock')
        urls = [server.url('/d1-%02d' % i) for i in range(STREAMS)]
        graph = xstack_graph(STREAMS, lambda i: '[vid%d]' % (i + 1))
        cmd = ['mpv', '--no-config', '--vo=x11', '--untimed=no', '--no-audio', '--no-osc', '--really-quiet',
               '--rtsp-transport=tcp', '--geometry=1920x1080+0+0', '--input-ipc-server=' + sock,
               '--lavfi-complex=' + graph, urls[0]]
        # --external-files is a ':'-separated list and URLs hold ':': one -append per URL.
        cmd += ['--external-files-append=' + u for u in urls[1:]]
        mpv = subprocess.Popen(cmd, env=dict(os.environ, DISPLAY=display), stdout=mlog, stderr=mlog,
                               start_new_session=True)
        # Playing: the playback position moves.
        started = time.monotonic()
        deadline = started + LIVE_TIMEOUT
        pos0 = None
        while True:
            if mpv.poll() is not None:
                return None, 'mpv exited %d before playing: %s' % (mpv.returncode, tail(mlog, 500).strip())
            if time.monotonic() > deadline:
                return None, 'mpv did not play within %.0f s: %s' % (LIVE_TIMEOUT, tail(mlog, 500).strip())
            pos = mpv_ipc(sock, 'get_property', 'time-pos')
            if pos is not None and pos0 is not None and pos > pos0:
                break
            pos0 = pos if pos is not None else pos0
            time.sleep(0.5)
        live = time.monotonic() - started
        progress('mpv: playing after %.1f s; warm-up %.0f s, then %.0f s measured' % (live, WARMUP, secs))
        time.sleep(WARMUP)
        props = ('frame-drop-count', 'decoder-frame-drop-count', 'time-pos', 'estimated-vf-fps')
        a = {k: mpv_ipc(sock, 'get_property', k) for k in props}
        try:
            el, cores, rss, _ = measure({'mpv': mpv, 'server': server.p, 'x': xvfb}, secs)
        except RuntimeError as e:
            return None, '%s: %s' % (e, tail(mlog, 500).strip())
        b = {k: mpv_ipc(sock, 'get_property', k) for k in props}
        width = mpv_ipc(sock, 'get_property', 'width')
        height = mpv_ipc(sock, 'get_property', 'height')

        def diff(k):
            return b[k] - a[k] if isinstance(a[k], (int, float)) and isinstance(b[k], (int, float)) else None

        return {'secs': el, 'core': cores['mpv'], 'server_core': cores['server'],
                'machine': cores['machine'] - cores['x'], 'x_core': cores['x'],
                'rss': rss['mpv'],
                'live_s': live, 'vo_drops': diff('frame-drop-count'), 'dec_drops': diff('decoder-frame-drop-count'),
                'pos_advance': diff('time-pos'), 'vf_fps': b['estimated-vf-fps'], 'size': (width, height)}, None
    finally:
        stop_group(mpv)
        stop_group(xvfb)
        if xlog:
            xlog.close()
        mlog.close()


def run_ffmpeg_mosaic(d, server, secs):
    """ffmpeg decoding the 24 D1 URLs into one xstack mosaic, to -f null; (result, why-not)."""
    progress('ffmpeg: xstack mosaic of %d D1 streams to -f null' % STREAMS)
    cmd = ['ffmpeg', '-v', 'error', '-nostdin', '-progress', 'pipe:1', '-stats_period', '1']
    for i in range(STREAMS):
        cmd += ['-rtsp_transport', 'tcp', '-i', server.url('/d1-%02d' % i)]
    cmd += ['-filter_complex', xstack_graph(STREAMS, lambda i: '[%d:v]' % i), '-map', '[vo]', '-f', 'null', '-']
    log = open(os.path.join(d, 'ffmpeg-mosaic.log'), 'w+')
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, start_new_session=True)
    frame = [0]
    buf = [b'']

    def read_progress(until):
        while time.monotonic() < until:
            if not select.select([p.stdout], [], [], max(0.0, min(0.2, until - time.monotonic())))[0]:
                continue
            chunk = os.read(p.stdout.fileno(), 65536)
            if not chunk:
                return
            buf[0] += chunk
            while b'\n' in buf[0]:
                line, buf[0] = buf[0].split(b'\n', 1)
                if line.startswith(b'frame='):
                    frame[0] = int(line[6:])

    try:
        started = time.monotonic()
        while frame[0] == 0:
            if p.poll() is not None:
                return None, 'ffmpeg exited %d: %s' % (p.returncode, tail(log, 500).strip())
            if time.monotonic() > started + LIVE_TIMEOUT:
                return None, 'no output frame within %.0f s' % LIVE_TIMEOUT
            read_progress(time.monotonic() + 0.5)
        live = time.monotonic() - started
        read_progress(time.monotonic() + WARMUP)
        # The window; the progress pipe is read as the window ends (it is small: one report a second).
        f0 = frame[0]
        try:
            el, cores, rss, _ = measure({'ffmpeg': p, 'server': server.p}, secs)
        except RuntimeError as e:
            return None, '%s: %s' % (e, tail(log, 500).strip())
        read_progress(time.monotonic() + 1.2)
        return {'secs': el, 'core': cores['ffmpeg'], 'server_core': cores['server'], 'machine': cores['machine'],
                'rss': rss['ffmpeg'],
                'live_s': live, 'out_fps': (frame[0] - f0) / (el + 1.2)}, None
    finally:
        stop_group(p)
        log.close()


# --------------------------------------------------------------------- main

def main():
    for tool in (pantau, pace_tool):
        if not os.access(tool, os.X_OK):
            fail('%s not found; build first (meson compile -C build)' % tool)
    for tool in ('ffmpeg', 'ffprobe'):
        if not shutil.which(tool):
            fail('%s not found (Debian: apt-get install ffmpeg)' % tool)
    deadline = time.monotonic() + 300
    while not os.access(rtsp_server, os.X_OK):
        if time.monotonic() > deadline:
            fail('%s not found; build first (meson compile -C build)' % rtsp_server)
        progress('waiting for %s' % rtsp_server)
        time.sleep(10)
    t_start = time.monotonic()
    cl = clips()
    fl = floors(cl)
    progress('decode, %d sub clips in one thread, back to back and paced (bench/pace)' % STREAMS)
    fl['sub']['pace'] = pace(cl['sub'], STREAMS)
    for kind in ('d1', 'b', 'sub'):
        progress('decode, %d %s clips interleaved at real time (%.0f s)' % (STREAMS, kind, ref_secs))
        fl[kind]['interleaved'] = interleaved(cl[kind], STREAMS, skips_deblocking(kind), ref_secs)
    res = {}
    with tempfile.TemporaryDirectory() as d:
        server = Server(d, cl)
        try:
            progress('rtsp_server on port %d, %d mounts' % (server.port, len(server.mounts)))
            checked = [server.check('/d1-00', 720, 576), server.check('/sub-00', 352, 288),
                       server.check('/hd-0', 1920, 1080), server.check('/b-01', 720, 576)]
            d1 = ['/d1-%02d' % i for i in range(STREAMS)]
            sub = ['/sub-%02d' % i for i in range(STREAMS)]
            hd = ['/hd-%d' % i for i in range(HD_STREAMS)]
            short = min(seconds, SHORT)
            b = ['/b-%02d' % i for i in range(STREAMS)]
            res['d1'] = run_pantau(d, server, 'd1', wall_config(server, d1), seconds, STREAMS)
            res['d1w'] = run_pantau(d, server, 'd1w', wall_config(server, d1), seconds, STREAMS, windowed=True)
            res['b'] = run_pantau(d, server, 'b', wall_config(server, b), seconds, STREAMS)
            res['bw'] = run_pantau(d, server, 'bw', wall_config(server, b), seconds, STREAMS, windowed=True)
            res['mpv'], res['mpv_why'] = run_mpv(d, server, seconds)
            res['sub'] = run_pantau(d, server, 'sub', wall_config(server, d1, sub), short, STREAMS)
            res['hd'] = run_pantau(d, server, 'hd', wall_config(server, hd, cols=2, rows=2), short, HD_STREAMS)
            res['ffmpeg'], res['ffmpeg_why'] = run_ffmpeg_mosaic(d, server, short)
            for kind, mounts in (('d1', d1), ('b', b), ('sub', sub)):
                progress('decode, the %d %s streams over RTSP by %d ffmpeg (%.0f s)' % (
                    STREAMS, kind, STREAMS, ref_secs))
                fl[kind]['rtsp'] = over_rtsp(server, mounts, skips_deblocking(kind), ref_secs)
        finally:
            server.stop()
    report(cl, fl, checked, res, time.monotonic() - t_start)


def mb(kib):
    return kib / 1024.0


def report(cl, fl, checked, res, took):
    d1, sub, hd, mpv, ff = res['d1'], res['sub'], res['hd'], res['mpv'], res['ffmpeg']
    print('bench/video: tests/rtsp_server on 127.0.0.1 (RTSP over TCP, clips looped at real time), pantau '
          'headless 1920x1080, software renderer, --fps %d; %d CPUs; %.0f s in all' % (FPS, os.cpu_count(), took))
    print()
    print('clips (%d fps, -g %d, libx264 veryfast, %d s; cached in %s):' % (CLIP_FPS, GOP, CLIP_SECONDS, cache_dir()))
    print('    %-12s %-10s %s' % ('', 'size', ''.join('%-22s' % c[0] for c in CONTENTS)))
    for kind in SETS:
        w, h, kbps = SETS[kind]
        print('    %-12s %-10s %s' % ('%s %dk' % (kind, kbps), '%dx%d' % (w, h), ''.join(
            '%-22s' % ('%4.0f kbit/s %5.1f%%' % (c['kbps'], 100 * per)) for c, per in zip(cl[kind], fl[kind]['per_clip']))))
    print('    %-12s %-10s %s' % ('b 1500k', '720x576', '(second set: %s)' % ', '.join(
        '%s %.0f kbit/s %.1f%%' % (c['name'], c['kbps'], 100 * per) for c, per in zip(cl['b'], fl['b']['per_clip']))))
    print('    kbit/s as encoded; % of one core to decode one stream in real time (ffmpeg -threads 1 -f null,')
    print('    best of 2). Server check (ffprobe over RTSP): %s.' % ', '.join(checked))
    print('decode floor (sum over the streams): 24 x D1 %.2f cores, second set 24 x D1 %.2f cores, 24 x 352x288 %.2f '
          'cores, 4 x 1080p %.2f cores' % (fl['d1']['cores'], fl['b']['cores'], fl['sub']['cores'], fl['hd']['cores']))
    print()
    rows = [('pantau 24 x D1 (6x4)', d1, fl['d1']), ('pantau D1, window+X', res['d1w'], fl['d1']),
            ('pantau set b 24 x D1', res['b'], fl['b']), ('pantau set b, window+X', res['bw'], fl['b']),
            ('pantau 24 x D1 + subs', sub, fl['d1']), ('pantau 4 x 1080p (2x2)', hd, fl['hd'])]
    peers = [(n, x) for n, x in (('mpv mosaic 24 x D1', mpv), ('ffmpeg mosaic 24 x D1', ff)) if x]
    print('%-24s %6s %6s %7s %7s %7s %7s %6s %7s %7s %7s %7s %6s %6s' % (
        '', 'window', 'cores', '/floor', 'sent', 'decoded', 'shown', 'drops', 'p50 ms', 'p99 ms', 'max ms',
        'RSS max', 'server', 'others'))
    for label, s, floor in rows:
        print('%-24s %5.0fs %6.2f %6.2fx %7.0f %7d %7d %6d %7.2f %7.2f %7.2f %4.0f MB %6.2f %6.2f' % (
            label, s['secs'], s['core'] + s['x_core'], (s['core'] + s['x_core']) / floor['cores'], s['sent'], s['decoded'], s['shown'], s['drops'],
            s['p50_ms'], s['p99_ms'], s['max_ms'], mb(max(s['rss'])), s['server_core'], others(s)))
    for label, s in peers:
        print('%-24s %5.0fs %6.2f %6.2fx %7s %7s %7s %6s %7s %7s %7s %4.0f MB %6.2f %6.2f' % (
            label, s['secs'], s['core'] + s.get('x_core', 0.0), (s['core'] + s.get('x_core', 0.0)) / fl['d1']['cores'], '-', '-', '-',
            '%d' % s['vo_drops'] if s.get('vo_drops') is not None else '-', '-', '-', '-', mb(max(s['rss'])),
            s['server_core'], others(s)))
    print('cores: CPU of the whole process (all threads, /proc utime+stime) over the window, plus its X server\'s for')
    print('the windowed rows and mpv (Xvfb, measured in the same window); /floor: against the')
    print('decode floor of its streams (the substream wall against the D1 floor). sent = %d fps x window x streams;'
          % CLIP_FPS)
    print('decoded: frames the sources decoded and handed over; shown: pictures the panels uploaded; drops: frames')
    print('the sources skipped to catch up with live (mpv: frames its vo dropped); from --dump-scene at both ends')
    print('of the window. p50/p99/max: time to render one frame, wall clock (--stats at exit: the last 1024 frames')
    print('rendered, or the whole run if fewer).')
    print('server: rtsp_server CPU in the same window; others: every other process on the machine (/proc/stat busy')
    print('minus the two), all in cores out of %d: the server and others compete for the same CPUs.' % os.cpu_count())
    print()
    for label, s, floor in rows:
        per = s['core'] * s['secs'] * 1000.0 / max(1, s['decoded'])
        floor_per = floor_ms(floor)
        print('%s: live after %.1f s; %.2f ms CPU per decoded frame (floor %.2f ms: %.2f x); render thread %.2f cores '
              '(%.2f ms CPU per rendered frame, --stats), %s; other threads %.2f cores; %d frames rendered in '
              '%.0f s (%.1f/s); reconnects %d, decode errors %d; RSS every %.0f s (MB): %s' % (
                  label, s['live_s'], per, floor_per, per / floor_per, s['render_core'], s['cpu_ms_per_frame'],
                  'run-queue wait n/a' if s['render_wait'] is None else
                  'waited for a CPU %.0f ms per second' % (1000 * s['render_wait']),
                  s['core'] - s['render_core'], s['frames'], s['lifetime'], s['frames'] / s['lifetime'],
                  s['reconnects'], s['errors'], SAMPLE_EVERY, ' '.join('%.0f' % mb(x) for x in s['rss'])))
        if s['warnings']:
            print('    pantau warnings/errors logged: %d, e.g. %s' % (len(s['warnings']), s['warnings'][0]))
    print('    e.g. cam00: "%s"' % d1['scene']['sources']['cam00']['detail'])
    srcs = list(sub['scene']['sources'].values())
    on_sub = sum(1 for src in srcs if ' sub' in src['detail'])
    w352 = sum(1 for p in sub['scene']['panels'].values() if p.get('src_w') == 352)
    print('substream wall: %d of %d sources on the substream (" sub" in detail), %d of %d panels showing 352 px '
          'pictures; e.g. "%s"' % (on_sub, len(srcs), w352, len(srcs), srcs[0]['detail'] if srcs else ''))
    if mpv:
        adv = mpv['pos_advance']
        print('mpv: playing after %.1f s; output %sx%s; playback advanced %s s in the %.0f s window (%s of real time); '
              'vo drops %s, decoder drops %s; estimated filter fps %s' % (
                  mpv['live_s'], mpv['size'][0], mpv['size'][1], '-' if adv is None else '%.1f' % adv, mpv['secs'],
                  '-' if adv is None else '%.0f%%' % (100 * adv / mpv['secs']), mpv['vo_drops'], mpv['dec_drops'],
                  '-' if mpv['vf_fps'] is None else '%.1f' % mpv['vf_fps']))
    else:
        print('mpv: n/a (%s)' % res['mpv_why'])
    if ff:
        print('ffmpeg mosaic: first frame after %.1f s; %.1f mosaic frames/s out' % (ff['live_s'], ff['out_fps']))
    else:
        print('ffmpeg mosaic: n/a (%s)' % res['ffmpeg_why'])
    busy = [(label, others(s)) for label, s, _ in rows] + [(label, others(s)) for label, s in peers]
    if max(o for _, o in busy) > 0.1:
        print('NOTE: the machine was not idle: other processes used up to %.2f cores during a window (%s); where the'
              % (max(o for _, o in busy), ', '.join('%s %.2f' % x for x in busy)))
        print('      CPUs were saturated, pantau and the peers got less than they asked for.')
    print()

    def verdict(ok):
        return 'met' if ok else 'NOT met'

    cols = [('set a, headless', d1, fl['d1']), ('set a, window + X', res['d1w'], fl['d1']),
            ('set b, headless', res['b'], fl['b']), ('set b, window + X', res['bw'], fl['b'])]

    def cores(x):
        return x['core'] + x.get('x_core', 0.0)

    def row(name, fn):
        cells = [fn(x, f) for _, x, f in cols]
        print('| %s | %s |' % (name, ' | '.join(c for c in cells)))
        return cells

    def cell(value, ok):
        return '%s %s' % (value, 'met' if ok else '**NOT met**')

    print('Targets, 24 x D1 (the windowed runs count the X server with pantau):')
    print()
    print('| target | %s |' % ' | '.join(n for n, _, _ in cols))
    print('|---|%s' % ('---|' * len(cols)))
    row('cores / decode floor <= %.2f x' % TARGETS['floor'], lambda x, f: cell(
        '%.2f / %.2f = %.2f x' % (cores(x), f['cores'], cores(x) / f['cores']), cores(x) / f['cores'] <= TARGETS['floor']))
    row('frames shown / sent >= %.0f %%' % (100 * TARGETS['shown']), lambda x, f: cell(
        '%.1f %%' % (100 * x['shown'] / x['sent']), x['shown'] / x['sent'] >= TARGETS['shown']))
    row('frame time p99 <= %.0f ms' % TARGETS['p99_ms'], lambda x, f: cell(
        '%.1f ms (p50 %.1f)' % (x['p99_ms'], x['p50_ms']), x['p99_ms'] <= TARGETS['p99_ms']))
    row('RSS <= %.0f MB' % TARGETS['rss_mb'], lambda x, f: cell(
        '%.0f MB' % mb(max(x['rss'])), mb(max(x['rss'])) <= TARGETS['rss_mb']))
    row('render thread', lambda x, f: '%.2f cores, %.2f ms CPU a frame' % (x['render_core'], x['cpu_ms_per_frame']))
    row('X server', lambda x, f: '%.2f cores, %.0f MB' % (x['x_core'], mb(max(x['x_rss']))) if x['windowed'] else '-')
    if mpv:
        # mpv (with its X server) against pantau headless and against pantau windowed (with its X server).
        adv = mpv['pos_advance']

        def vs_mpv(x, f):
            if f is not fl['d1']:
                return '-'
            r = cores(mpv) / cores(x)
            text = '%.2f / %.2f = %.2f x' % (cores(mpv), cores(x), r)
            if adv and x['decoded']:
                # mpv fell behind real time: its CPU for the work it did, scaled to the full work.
                full = cores(mpv) * mpv['secs'] / adv / (cores(x) * x['sent'] / x['decoded'])
                text += '; scaled to real time %.2f x' % full
                r = full
            return cell(text, r >= TARGETS['mpv'])
        row('mpv mosaic (+ X) / pantau >= %.1f x' % TARGETS['mpv'], vs_mpv)
    row('(report) cores / the same 24 streams decoded interleaved', lambda x, f: '%.2f / %.2f = %.2f x' % (
        cores(x), f['interleaved'], cores(x) / f['interleaved']))
    row('(report) cores / 24 ffmpeg on the same RTSP streams', lambda x, f: '%.2f / %.2f = %.2f x' % (
        cores(x), f['rtsp'], cores(x) / f['rtsp']))
    print()
    print('decoding references (report only; each 24 ffmpeg -threads 1 at once, %.0f s windows after %.0f s of '
          'start-up, deblocking skipped where pantau skips it: D1 in a 293 px panel, not the substream):' % (
              ref_secs, REF_STARTUP))
    for kind, label in (('d1', 'set a 24 x D1'), ('b', 'set b 24 x D1'), ('sub', '24 x 352x288')):
        f = fl[kind]
        print('    %-14s floor %.2f cores; interleaved from the files at real time (-re, looped) %.2f cores = %.2f x '
              'the floor; over RTSP/TCP from the same server %.2f cores = %.2f x' % (
                  label, f['cores'], f['interleaved'], f['interleaved'] / f['cores'], f['rtsp'],
                  f['rtsp'] / f['cores']))
    print('    interleaved: the decoding a 24-camera wall does on these cores, without the network or any drawing; '
          'over RTSP: the same streams, transport and decoder as pantau\'s wall, without shrinking or drawing. '
          'What pantau adds is the rest.')
    pc = fl['sub']['pace']
    print('    the real-time pace (bench/pace: %d x 352x288 in one thread, packets in memory, one frame of each in '
          'turn): back to back %.3f ms CPU a frame (floor %.3f); each decode %.2f ms after the last, sleeping '
          'between, %.3f ms = %.2f x (the decoding calls alone %.3f -> %.3f ms = %.2f x); one timer sleep and wake '
          '%.0f us of CPU' % (
              pc['streams'], pc['b2b_ms'], floor_ms(fl['sub']), pc['slot_ms'],
              pc['paced_ms'], pc['paced_ms'] / pc['b2b_ms'], pc['b2b_dec_ms'], pc['paced_dec_ms'],
              pc['paced_dec_ms'] / pc['b2b_dec_ms'], pc['timer_wake_us']))
    if mpv and mpv['pos_advance']:
        print('mpv played %.0f%% of real time: scaled = (mpv + X cores) x window / playback advance, against pantau\'s '
              'cores x frames sent / frames decoded.' % (100 * mpv['pos_advance'] / mpv['secs']))
    else:
        print('mpv: n/a (%s)' % res['mpv_why'])
    r = sub['core'] / fl['sub']['cores']
    print('target substream wall <= %.1f x its own 352x288 decode floor: %s (%.2f x: %.2f cores vs %.2f; %.2f x the D1 '
          'floor; shown %.1f%% of sent); (report) %.2f x the substreams interleaved, %.2f x 24 ffmpeg on the same '
          'RTSP streams' % (
              TARGETS['sub'], verdict(r <= TARGETS['sub']), r, sub['core'], fl['sub']['cores'],
              sub['core'] / fl['d1']['cores'], 100 * sub['shown'] / sub['sent'],
              sub['core'] / fl['sub']['interleaved'], sub['core'] / fl['sub']['rtsp']))
    print('4 x 1080p pantau / floor (report only): %.2f x (%.2f cores vs %.2f); shown %.1f%% of sent (%d of %.0f)' % (
        hd['core'] / fl['hd']['cores'], hd['core'], fl['hd']['cores'], 100 * hd['shown'] / hd['sent'], hd['shown'],
        hd['sent']))
    sys.stdout.flush()


def others(s):
    """Cores the rest of the machine used in a window: busy minus the measured process and the server."""
    return max(0.0, s['machine'] - s['core'] - s['server_core'])


if __name__ == '__main__':
    main()
