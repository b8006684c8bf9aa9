#!/usr/bin/env python3
"""scripts/sim_sensors.py: simulated Pekanbaru sensors for the demo wall.

Publishes, about once a second per sensor, as retained messages (so a wall
that connects later gets every value at once):

  sungai/siak/level          {"level_cm": 503.2, "ts": 1764034200}  Siak river level at
                             Jembatan Siak IV; drifts between ~380 and ~520 cm over a
                             15-minute cycle, crossing warn 400 / alarm 500 now and then
  cuaca/hujan                rain in mm/h (0 when dry; showers rise and fade)
  udara/ispu                 air quality index ISPU (haze drifts it around 60 to 120)
  lalin/<simpang>/kendaraan  {"per_menit": 64, "hari_ini": 18234, "ts": ...} traffic
                             counters at the camera junctions
  parkir/<name>/occupancy    car-park occupancy in % (mal-ska, living-world, pasar-bawah,
                             ramayana, transmart, rsud)
  genset/status              RUN or STOP (the centre runs on its generator; now and then
                             it trips for half a minute)
  ups/on_battery             true while the generator is stopped, else false

Usage: sim_sensors.py [--host 127.0.0.1] [--port 1883] [--interval 1] [--speed 1]
                      [--seed N] [--once] [--quiet]
Stops cleanly on SIGTERM or SIGINT. Needs paho-mqtt (Debian: python3-paho-mqtt)."""
import argparse
import json
import math
import os
import random
import signal
import sys
import threading
import time

try:
    import paho.mqtt.client as mqtt
except ImportError:
    # A python3 from pyenv/venv first in PATH does not see Debian's
    # python3-paho-mqtt: use the system interpreter that does.
    SYSTEM_PY = '/usr/bin/python3'
    if (os.access(SYSTEM_PY, os.X_OK) and not os.environ.get('PANTAU_SIM_REEXEC')
            and os.path.realpath(sys.executable) != os.path.realpath(SYSTEM_PY)):
        os.environ['PANTAU_SIM_REEXEC'] = '1'
        os.execv(SYSTEM_PY, [SYSTEM_PY] + sys.argv)
    sys.exit('sim_sensors: needs the paho-mqtt module (Debian: apt-get install python3-paho-mqtt)')

CAR_PARKS = {
    # name: (typical occupancy %, how much it swings)
    'mal-ska': (86.0, 7.0),
    'living-world': (74.0, 9.0),
    'pasar-bawah': (93.0, 4.0),
    'ramayana': (61.0, 10.0),
    'transmart': (81.0, 8.0),
    'rsud': (90.0, 5.0),
}
JUNCTIONS = {
    # camera junctions: vehicles per minute at midday
    'sudirman': 95.0,
    'harapan-raya': 70.0,
    'tuanku-tambusai': 80.0,
    'jl-riau': 55.0,
}
WIB = 7 * 3600  # Asia/Jakarta, no daylight saving


def clamp(v, lo, hi):
    return lo if v < lo else hi if v > hi else v


class Sensors:
    """The state of every simulated sensor; step(t) advances to sim time t (s)."""

    def __init__(self, rng):
        self.rng = rng
        self.siak_noise = 0.0
        self.rain = 0.0
        # Start in a shower (November is the rainy season in Riau).
        self.shower = {'start': -240.0, 'length': 900.0, 'peak': 28.0}
        self.ispu = 88.0
        self.parks = {k: clamp(v[0] + rng.uniform(-3, 3), 0, 100) for k, v in CAR_PARKS.items()}
        self.today = {}
        self.genset_run = True
        self.next_trip = rng.uniform(200, 320)
        self.trip_until = 0.0
        self.last_t = 0.0

    def siak_level(self, t):
        # Two slow tides of the river plus a little sensor noise. At t = 0 the
        # river stands just above the alarm line, so the demo starts with one.
        p = t + 150.0
        base = 452 + 60 * math.sin(2 * math.pi * p / 900) + 10 * math.sin(2 * math.pi * p / 131)
        self.siak_noise = 0.9 * self.siak_noise + self.rng.gauss(0, 0.6)
        return base + self.siak_noise

    def step(self, t, wall):
        dt = max(0.0, t - self.last_t)
        self.last_t = t
        rng = self.rng
        # Rain: showers of 5 to 25 minutes that swell and fade; dry spells between.
        s = self.shower
        if s is not None:
            x = (t - s['start']) / s['length']
            if x >= 1:
                self.shower = None
                self.rain = 0.0
            else:
                self.rain = max(0.0, s['peak'] * math.sin(math.pi * x) ** 2 + rng.gauss(0, 0.8))
        elif rng.random() < dt / 1200:
            self.shower = {'start': t, 'length': rng.uniform(300, 1500), 'peak': rng.uniform(4, 45)}
        # Air quality: a mean-reverting walk around 90 (haze comes and goes).
        self.ispu += 0.002 * (90 - self.ispu) * dt + rng.gauss(0, 1.0) * math.sqrt(max(dt, 0.01))
        self.ispu = clamp(self.ispu, 30, 250)
        # Car parks: mean-reverting walks around their usual occupancy.
        for name, (mean, swing) in CAR_PARKS.items():
            v = self.parks[name]
            v += 0.01 * (mean - v) * dt + rng.gauss(0, swing * 0.06) * math.sqrt(max(dt, 0.01))
            self.parks[name] = clamp(v, 5, 100)
        # Generator trips now and then for 20 to 45 s; the UPS carries the load.
        if self.genset_run and t >= self.next_trip:
            self.genset_run = False
            self.trip_until = t + rng.uniform(20, 45)
        elif not self.genset_run and t >= self.trip_until:
            self.genset_run = True
            self.next_trip = t + rng.uniform(180, 420)
        # Traffic: rush hours at 07-09 and 16-18 WIB, quiet at night.
        hour = ((wall + WIB) % 86400) / 3600.0
        profile = (0.25 + 0.75 * math.exp(-((hour - 13) / 5.0) ** 2)
                   + 0.6 * math.exp(-((hour - 7.7) / 0.9) ** 2) + 0.6 * math.exp(-((hour - 17.2) / 1.0) ** 2))
        rates = {}
        for name, base in JUNCTIONS.items():
            rate = max(0.0, base * profile * (1 + rng.gauss(0, 0.08)))
            if name not in self.today:
                # Vehicles counted since midnight, roughly.
                self.today[name] = int(base * 60 * hour * 0.7)
            self.today[name] += int(round(rate * dt / 60.0 + rng.random() - 0.5)) if dt else 0
            rates[name] = rate
        return rates

    def messages(self, t, wall):
        rates = self.step(t, wall)
        ts = int(wall)
        yield 'sungai/siak/level', json.dumps({'level_cm': round(self.siak_level(t), 1), 'ts': ts})
        yield 'cuaca/hujan', '%.1f' % self.rain
        yield 'udara/ispu', '%.0f' % self.ispu
        for name, rate in rates.items():
            yield ('lalin/%s/kendaraan' % name,
                   json.dumps({'per_menit': int(round(rate)), 'hari_ini': self.today[name], 'ts': ts}))
        for name, v in self.parks.items():
            yield 'parkir/%s/occupancy' % name, '%.1f' % v
        yield 'genset/status', 'RUN' if self.genset_run else 'STOP'
        yield 'ups/on_battery', 'false' if self.genset_run else 'true'


def make_client(client_id):
    # paho-mqtt 2.x wants the callback API version; 1.x (Debian 12) has none.
    if hasattr(mqtt, 'CallbackAPIVersion'):
        return mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=True)
    return mqtt.Client(client_id=client_id, clean_session=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--host', default='127.0.0.1', help='broker host (default 127.0.0.1)')
    ap.add_argument('--port', type=int, default=1883, help='broker port (default 1883)')
    ap.add_argument('--interval', type=float, default=1.0, help='seconds between rounds (default 1)')
    ap.add_argument('--speed', type=float, default=1.0,
                    help='simulated seconds per real second, e.g. 10 to see the river rise and fall')
    ap.add_argument('--seed', type=int, default=None, help='random seed (default: random)')
    ap.add_argument('--wait', type=float, default=10.0, help='seconds to wait for the broker (default 10)')
    ap.add_argument('--once', action='store_true', help='publish one retained round and exit')
    ap.add_argument('--quiet', action='store_true', help='no log lines')
    a = ap.parse_args()

    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    def log(msg):
        if not a.quiet:
            print('sim_sensors: ' + msg, file=sys.stderr, flush=True)

    client = make_client('pantau-sim-%d' % os.getpid())
    client.reconnect_delay_set(1, 5)
    deadline = time.monotonic() + a.wait
    while True:
        try:
            client.connect(a.host, a.port, keepalive=30)
            break
        except OSError as e:
            if stop.is_set() or time.monotonic() >= deadline:
                sys.exit('sim_sensors: cannot connect to %s:%d: %s' % (a.host, a.port, e))
            stop.wait(0.2)
    client.loop_start()
    log('publishing to %s:%d every %g s' % (a.host, a.port, a.interval))

    sensors = Sensors(random.Random(a.seed))
    t0 = time.monotonic()
    n = 0
    sent = 0
    while not stop.is_set():
        t = (time.monotonic() - t0) * a.speed
        infos = [client.publish(topic, payload, qos=1, retain=True)
                 for topic, payload in sensors.messages(t, time.time())]
        sent += len(infos)
        if a.once:
            for info in infos:
                info.wait_for_publish()
            break
        n += 1
        # Rounds on a fixed schedule; a slow round does not shift the next ones.
        stop.wait(max(0.0, t0 + n * a.interval - time.monotonic()))
    client.disconnect()
    client.loop_stop()
    log('stopped after %d messages' % sent)


if __name__ == '__main__':
    main()
