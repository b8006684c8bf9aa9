"""bench/benchlib.py: what the benchmarks share: free ports, CPU time and
memory of a process read from /proc, fd counts, and the least-squares
memory slope. Standard library only; Linux /proc."""
import os
import socket
import statistics

TICK = os.sysconf('SC_CLK_TCK')


_ports_given = set()


def free_port():
    """A TCP port of 127.0.0.1 free right now, never one given before in
    this process (two calls in a row may otherwise get the same port)."""
    while True:
        with socket.socket() as s:
            s.bind(('127.0.0.1', 0))
            port = s.getsockname()[1]
        if port not in _ports_given:
            _ports_given.add(port)
            return port


def stat_cpu(path):
    """utime + stime (s) from a /proc/.../stat file."""
    with open(path) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def proc_cpu(pid):
    """CPU seconds of a process, all its threads."""
    return stat_cpu('/proc/%d/stat' % pid)


def rss_kib(pid):
    """Resident memory of a process in KiB; 0 once it is gone."""
    try:
        with open('/proc/%d/status' % pid) as f:
            for line in f:
                if line.startswith('VmRSS:'):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def n_fds(pid):
    """Open file descriptors of a process."""
    return len(os.listdir('/proc/%d/fd' % pid))


def slope_kib_per_min(pts):
    """Least-squares slope per minute of (seconds, KiB) points; NaN for
    fewer than three."""
    if len(pts) < 3:
        return float('nan')
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx * 60 if sxx else float('nan')
