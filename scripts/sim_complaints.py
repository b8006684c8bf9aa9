#!/usr/bin/env python3
"""scripts/sim_complaints.py: simulated Pekanbaru public-complaint service
(aduan warga) and public service mall (Mal Pelayanan Publik, MPP) for the
demo wall: a small JSON API over HTTP.

  GET /api/summary  {"total": 48213, "today": 87, "diterima": 41, "diteruskan": 118,
                     "ditindaklanjuti": 305, "selesai": 47749, "updated": "...",
                     "items": [{"id": "ADU-261125-0087", "waktu": "2026-11-25T08:31:05+07:00",
                                "kategori": "Jalan rusak", "kecamatan": "Tampan",
                                "status": "diterima", "judul": "Jalan berlubang di ..."}, ...]}
                    total: every complaint ever filed; today: since 00:00 WIB; the four
                    status counts add up to total; updated: the time of the first reply
                    that carried this data;
                    items: the latest 60, newest first.
                    A new complaint arrives every few seconds at midday (the rate follows
                    the time of day: busy mornings, quiet nights) and each one moves on
                    diterima -> diteruskan -> ditindaklanjuti -> selesai over minutes.
  GET /api/mpp      {"izin_hari_ini": 512, "target": 800, "updated": "...",
                     "layanan": [{"nama": "Dukcapil: KTP-el", "jumlah": 97}, ...]}
                    permits and documents issued today at the MPP: 700 to 1000 a day,
                    rising through opening hours (07:30-16:00 WIB, slower over lunch),
                    flat in the evening, back to 0 at midnight.
  GET /             the list of endpoints

Every JSON reply carries a weak ETag; a request whose If-None-Match matches
gets 304 Not Modified. Replies are gzip-compressed when Accept-Encoding
allows it. Only the standard library is used.

Usage: sim_complaints.py [--host 127.0.0.1] [--port 8089] [--speed 1]
                         [--start HH:MM] [--gap 3] [--seed N] [--quiet] [--verbose]
--start runs the simulated clock from that time of today (WIB), e.g. 09:00
to see the MPP counter rise on an evening demo; --speed makes it run faster.
Stops cleanly on SIGTERM or SIGINT. Exit status 3 when the port is taken."""
import argparse
import datetime
import errno
import gzip
import hashlib
import json
import math
import random
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

WIB = datetime.timezone(datetime.timedelta(hours=7), 'WIB')  # Asia/Jakarta, no DST
STATUSES = ('diterima', 'diteruskan', 'ditindaklanjuti', 'selesai')
ITEMS = 60

# Kecamatan of Pekanbaru: (relative share of complaints, streets, landmarks).
KECAMATAN = {
    'Tampan': (14, ['Jl. HR Soebrantas', 'Jl. Garuda Sakti', 'Jl. Taman Karya', 'Jl. Delima',
                    'Jl. Suka Karya', 'Jl. Cipta Karya'],
               ['simpang Panam', 'Pasar Pagi Arengka', 'SPBU Panam', 'Transmart Panam']),
    'Binawidya': (9, ['Jl. HR Soebrantas', 'Jl. Bangau Sakti', 'Jl. Manyar Sakti', 'Jl. Binawidya',
                      'Jl. Pasir Putih'],
                  ['kampus UNRI', 'kampus UIN Suska', 'Perumahan Bina Widya', 'Pasar Simpang Baru']),
    'Marpoyan Damai': (12, ['Jl. Arifin Ahmad', 'Jl. Kaharuddin Nasution', 'Jl. Paus', 'Jl. Nangka',
                            'Jl. Rambutan', 'Jl. Utama'],
                       ['Bandara SSK II', 'Pasar Pagi Marpoyan', 'simpang Jl. Paus', 'Kantor Camat Marpoyan']),
    'Bukit Raya': (9, ['Jl. Harapan Raya', 'Jl. Imam Munandar', 'Jl. Air Dingin', 'Jl. Kaharuddin Nasution',
                       'Jl. Delima Puri'],
                   ['Pasar Cik Puan', 'simpang Harapan Raya', 'Taman Olahraga Kaca Mayang']),
    'Tenayan Raya': (9, ['Jl. Hangtuah', 'Jl. Badak', 'Jl. Lintas Timur', 'Jl. Budi Luhur',
                         'Jl. Bukit Barisan'],
                     ['Kantor Wali Kota Tenayan', 'Pasar Rumbai Pesisir', 'simpang Jl. Badak']),
    'Kulim': (5, ['Jl. Badak ujung', 'Jl. Sialang Rampai', 'Jl. Lintas Timur', 'Jl. Sialang Bungkuk'],
              ['Kawasan Industri Tenayan', 'SMPN 40', 'simpang Kulim']),
    'Sukajadi': (6, ['Jl. Tuanku Tambusai', 'Jl. Durian', 'Jl. Cempaka', 'Jl. Sumatera',
                     'Jl. Sisingamangaraja'],
                 ['Mal Pekanbaru', 'Pasar Jongkok', 'RSUD Arifin Achmad']),
    'Senapelan': (5, ['Jl. Riau', 'Jl. Ahmad Yani', 'Jl. Senapelan', 'Jl. Kampung Bandar', 'Jl. Pasar Bawah'],
                  ['Pasar Bawah', 'Masjid Raya Senapelan', 'Jembatan Siak III', 'Rumah Singgah Tuan Kadi']),
    'Pekanbaru Kota': (5, ['Jl. Jenderal Sudirman', 'Jl. Gatot Subroto', 'Jl. Ir. H. Juanda', 'Jl. Teratai',
                           'Jl. Cempedak'],
                       ['Pasar Kodim', 'Kantor Pos Besar', 'Plaza Sukaramai', 'Taman Kota']),
    'Sail': (4, ['Jl. Ronggowarsito', 'Jl. Sultan Syarif Kasim', 'Jl. Teuku Umar', 'Jl. Diponegoro'],
             ['Gelanggang Remaja', 'Kantor Gubernur Riau', 'SMAN 1 Pekanbaru']),
    'Lima Puluh': (5, ['Jl. Tanjung Datuk', 'Jl. Sutomo', 'Jl. Pangeran Hidayat', 'Jl. Hangtuah'],
                   ['Pasar Sail', 'Masjid Raya An-Nur', 'Pelabuhan Sungai Duku']),
    'Rumbai': (6, ['Jl. Yos Sudarso', 'Jl. Sekolah', 'Jl. Umban Sari', 'Jl. Sembilang'],
               ['Stadion Rumbai', 'Pasar Rumbai', 'Kompleks PHR Rumbai']),
    'Rumbai Timur': (4, ['Jl. Limbungan', 'Jl. Sri Meranti', 'Jl. Sei Mintan', 'Jl. Tanah Merah'],
                     ['Pelabuhan Okura', 'Pasar Limbungan', 'Jembatan Siak IV']),
    'Rumbai Barat': (3, ['Jl. Muara Fajar', 'Jl. Agrowisata', 'Jl. Yos Sudarso ujung'],
                     ['TPA Muara Fajar', 'Kantor Lurah Muara Fajar']),
    'Payung Sekaki': (6, ['Jl. Soekarno-Hatta', 'Jl. Tuanku Tambusai', 'Jl. Labuh Baru', 'Jl. Air Hitam',
                          'Jl. Kapling'],
                      ['Living World', 'simpang Jl. Soekarno-Hatta', 'Pasar Labuh Baru']),
}

# Categories: (relative share, rainy-season boost, title templates). {jl} a street
# of the complaint's kecamatan, {lm} a landmark there, {kec} the kecamatan, {n} a
# small number.
KATEGORI = {
    'Jalan rusak': (16, 1.2, [
        'Jalan berlubang di {jl} dekat {lm}',
        'Aspal amblas di {jl}, rawan kecelakaan',
        'Lubang besar di tengah {jl} tergenang air',
        'Jalan bergelombang di {jl} depan {lm}',
        'Tambalan jalan di {jl} terkelupas lagi',
    ]),
    'Banjir/genangan': (12, 2.0, [
        'Genangan setinggi {n}0 cm di {jl} setelah hujan',
        'Banjir di {jl} depan {lm}, kendaraan mogok',
        'Air menggenang di {jl} sejak pagi',
        'Rumah warga di sekitar {lm} kemasukan air',
    ]),
    'Sampah': (14, 1.0, [
        'Sampah menumpuk di TPS {jl}',
        'Sampah tidak diangkut {n} hari di {jl}',
        'Tumpukan sampah di bahu {jl} dekat {lm}, bau menyengat',
        'Warga membuang sampah ke parit di {jl}',
    ]),
    'Lampu jalan mati': (10, 1.0, [
        'Lampu jalan mati sepanjang {jl}',
        'PJU padam di {jl} dekat {lm}',
        'Lampu penerangan jalan di {jl} mati {n} malam',
        'Tiang lampu jalan miring di {jl}',
    ]),
    'Drainase tersumbat': (10, 1.6, [
        'Parit tersumbat di {jl}, air meluap ke jalan',
        'Drainase di {jl} depan {lm} penuh lumpur',
        'Gorong-gorong di {jl} tersumbat sampah',
        'Saluran air di {jl} tidak mengalir',
    ]),
    'Pohon tumbang': (5, 1.8, [
        'Pohon tumbang menutup badan jalan di {jl}',
        'Dahan pohon rawan patah di {jl} dekat {lm}',
        'Pohon tumbang menimpa kabel listrik di {jl}',
    ]),
    'Parkir liar': (8, 1.0, [
        'Parkir liar di bahu {jl} depan {lm}',
        'Juru parkir liar memungut tarif tinggi di {lm}',
        'Mobil parkir di trotoar {jl}, pejalan kaki terganggu',
    ]),
    'Kebisingan': (5, 0.8, [
        'Suara musik keras tengah malam di {jl}',
        'Kebisingan bengkel las di {jl} sampai larut malam',
        'Knalpot brong di sekitar {lm} setiap malam',
    ]),
    'Air PDAM': (9, 1.0, [
        'Air PDAM tidak mengalir {n} hari di {jl}',
        'Pipa PDAM bocor di {jl} dekat {lm}',
        'Air PDAM keruh dan berbau di {jl}',
    ]),
    'Pelayanan publik': (11, 1.0, [
        'Antrean lama di Kantor Camat {kec}, petugas tidak ada',
        'Pengurusan KK di kantor lurah {jl} berlarut-larut',
        'Pungutan tanpa kuitansi di Kantor Camat {kec}',
        'Layanan Kantor Camat {kec} tutup sebelum jam kerja berakhir',
        'Surat keterangan domisili di kantor lurah {jl} tak kunjung selesai',
    ]),
}

# MPP services: (name, relative share of the day's permits and documents).
LAYANAN = [
    ('Dukcapil: KTP-el', 17),
    ('Dukcapil: Kartu Keluarga', 13),
    ('Dukcapil: akta kelahiran', 9),
    ('Perizinan berusaha (OSS/NIB)', 12),
    ('Persetujuan Bangunan Gedung (PBG)', 5),
    ('Izin reklame', 3),
    ('Pajak daerah (PBB, BPHTB)', 9),
    ('Samsat: pajak kendaraan', 12),
    ('SKCK (Polresta)', 8),
    ('Paspor (Imigrasi)', 5),
    ('BPJS Kesehatan', 5),
    ('Izin praktik tenaga kesehatan', 2),
]
MPP_TARGET = 800


def weighted(rng, pairs):
    """A key of pairs [(key, weight)] drawn by weight."""
    total = sum(w for _, w in pairs)
    x = rng.uniform(0, total)
    for k, w in pairs:
        x -= w
        if x <= 0:
            return k
    return pairs[-1][0]


def complaint_rhythm(hour):
    """Relative rate of new complaints at this hour of day (WIB), 1.0 at the
    busy late morning: people report on the way to work and in office hours,
    less in the evening, little at night."""
    return (0.12 + 0.88 * math.exp(-((hour - 10.5) / 3.2) ** 2)
            + 0.35 * math.exp(-((hour - 19.5) / 1.5) ** 2))


def mpp_rhythm(hour):
    """Relative rate of permits issued at this hour (WIB): counters open
    07:30-16:00, a peak mid-morning, a dip over lunch, a second wave after."""
    if hour < 7.5 or hour >= 16.0:
        return 0.0
    r = 0.4 + math.exp(-((hour - 10.0) / 1.6) ** 2) + 0.6 * math.exp(-((hour - 14.2) / 1.0) ** 2)
    if 12.0 <= hour < 13.0:
        r *= 0.35
    return r


def _cumulative(rhythm, steps=24 * 60):
    acc, out = 0.0, [0.0]
    for i in range(steps):
        acc += rhythm((i + 0.5) * 24.0 / steps)
        out.append(acc)
    return [v / acc for v in out]


MPP_CUM = _cumulative(mpp_rhythm)
COMPLAINT_CUM = _cumulative(complaint_rhythm)


def day_fraction(cum, hour):
    """Share of a day's total done by this hour, from a cumulative table."""
    x = hour * 60.0
    i = min(int(x), len(cum) - 2)
    return cum[i] + (cum[i + 1] - cum[i]) * (x - i)


def iso(t):
    return datetime.datetime.fromtimestamp(t, WIB).isoformat(timespec='seconds')


class Clock:
    """Simulated wall clock: real time, or from --start at --speed."""

    def __init__(self, start=None, speed=1.0):
        self.real0 = time.time()
        self.mono0 = time.monotonic()
        self.speed = speed
        if start is not None:
            today = datetime.datetime.now(WIB).replace(hour=start[0], minute=start[1], second=0, microsecond=0)
            self.sim0 = today.timestamp()
        else:
            self.sim0 = self.real0

    def now(self):
        return self.sim0 + (time.monotonic() - self.mono0) * self.speed


def hour_of(t):
    d = datetime.datetime.fromtimestamp(t, WIB)
    return d.hour + d.minute / 60.0 + d.second / 3600.0


def day_of(t):
    return datetime.datetime.fromtimestamp(t, WIB).date()


class Complaints:
    """Every complaint filed (counted), the latest ones (kept), their status."""

    def __init__(self, rng, t, mean_gap):
        self.rng = rng
        self.mean_gap = mean_gap            # seconds between complaints at the busiest hour
        self.rainy = datetime.datetime.fromtimestamp(t, WIB).month in (10, 11, 12, 1, 2, 3, 4)
        self.day = day_of(t)
        # A busy city: about 280 complaints a day, of which `today` so far.
        self.today = int(round(280 * day_fraction(COMPLAINT_CUM, hour_of(t)) * rng.uniform(0.85, 1.15)))
        self.total = 48126 + self.today
        self.serial = self.today
        self.items = []                     # the latest ITEMS complaints, newest first
        self.kec = [(k, v[0]) for k, v in KECAMATAN.items()]
        self.kat = [(k, v[0] * (v[1] if self.rainy else 1.0)) for k, v in KATEGORI.items()]
        # The latest complaints, filed before the simulator started, with
        # statuses as far along as their age makes likely.
        back = t
        seeded = []
        for _ in range(ITEMS):
            back -= self._gap(back) * rng.uniform(0.4, 1.6)
            seeded.append(back)
        serial = self.serial
        for when in seeded:  # newest first
            c = self._new(when, serial)
            serial -= 1
            age = t - when
            step = 0
            while step < 3 and age > rng.uniform(60, 300) * (step + 1):
                step += 1
            c['status'] = STATUSES[step]
            c['_next'] = t + rng.uniform(30, 300) * (step + 1)
            self.items.append(c)
        # The older complaints, by status: a backlog still being handled;
        # everything else is done. total = older + the latest ITEMS. The open
        # ones scale with the hour's rhythm, where the running balance of new
        # and finished complaints will keep them.
        busy = complaint_rhythm(hour_of(t))
        self.older = {'diterima': int(busy * rng.randint(35, 55)), 'diteruskan': int(busy * rng.randint(110, 150)),
                      'ditindaklanjuti': int(busy * rng.randint(250, 320))}
        self.older['selesai'] = self.total - len(self.items) - sum(self.older.values())
        self.last_t = t
        self.next_arrival = t + rng.expovariate(1.0 / self._gap(t))
        self.version = 0

    def _gap(self, t):
        return self.mean_gap / max(complaint_rhythm(hour_of(t)), 0.05)

    def _new(self, when, serial):
        rng = self.rng
        kec = weighted(rng, self.kec)
        kat = weighted(rng, self.kat)
        _, streets, landmarks = KECAMATAN[kec]
        title = rng.choice(KATEGORI[kat][2]).format(jl=rng.choice(streets), lm=rng.choice(landmarks), kec=kec,
                                                   n=rng.randint(2, 5))
        d = datetime.datetime.fromtimestamp(when, WIB)
        return {'id': 'ADU-%s-%04d' % (d.strftime('%y%m%d'), max(serial, 1)), 'waktu': iso(when),
                'kategori': kat, 'kecamatan': kec, 'status': 'diterima', 'judul': title}

    def advance(self, t):
        """Brings everything up to simulated time t, in steps of at most 10
        simulated seconds (so a fast --speed keeps the same balance of new and
        finished complaints); True when anything changed."""
        changed = False
        while self.last_t < t:
            changed = self._step(min(t, self.last_t + 10.0)) or changed
        if changed:
            self.version += 1
        return changed

    def _step(self, t):
        rng = self.rng
        changed = False
        while self.next_arrival <= t:
            when = self.next_arrival
            if day_of(when) != self.day:
                self.day, self.today, self.serial = day_of(when), 0, 0
            self.today += 1
            self.total += 1
            self.serial += 1
            c = self._new(when, self.serial)
            c['_next'] = when + rng.uniform(40, 240)
            self.items.insert(0, c)
            for old in self.items[ITEMS:]:
                self.older[old['status']] += 1
            del self.items[ITEMS:]
            self.next_arrival = when + rng.expovariate(1.0 / self._gap(when))
            changed = True
        if day_of(t) != self.day:  # midnight with no complaint yet
            self.day, self.today, self.serial = day_of(t), 0, 0
            changed = True
        # Statuses move on: officers forward complaints, agencies act, close them.
        for c in self.items:
            while c['status'] != 'selesai' and c['_next'] <= t:
                i = STATUSES.index(c['status'])
                c['status'] = STATUSES[i + 1]
                c['_next'] += rng.uniform(60, 600) * (i + 1)
                changed = True
        # The older backlog is worked off too (each step takes a few minutes
        # on average), so the open counts level off instead of piling up.
        dt = max(0.0, t - self.last_t)
        self.last_t = t
        for i, dwell in enumerate((150.0, 400.0, 900.0)):
            s = STATUSES[i]
            expect = self.older[s] * (1.0 - math.exp(-dt / dwell))
            moves = min(self.older[s], int(expect) + (rng.random() < expect - int(expect)))
            if moves:
                self.older[s] -= moves
                self.older[STATUSES[i + 1]] += moves
                changed = True
        return changed

    def doc(self):
        counts = dict(self.older)
        for c in self.items:
            counts[c['status']] += 1
        d = {'total': self.total, 'today': self.today}
        d.update(counts)
        d['items'] = [{k: v for k, v in c.items() if not k.startswith('_')} for c in self.items]
        return d


class Mpp:
    """Permits and documents issued today at the public service mall."""

    def __init__(self, rng, t):
        self.rng = rng
        self.version = 0
        self._new_day(t)
        self.advance(t)

    def _new_day(self, t):
        self.day = day_of(t)
        # Each day's total is drawn from its date: the same all day long.
        self.day_total = random.Random(self.day.toordinal()).randint(700, 1000)
        self.issued = 0
        self.layanan = {name: 0 for name, _ in LAYANAN}

    def advance(self, t):
        if day_of(t) != self.day:
            self._new_day(t)
            self.version += 1
        due = int(self.day_total * day_fraction(MPP_CUM, hour_of(t)))
        if due <= self.issued:
            return False
        for _ in range(due - self.issued):
            self.layanan[weighted(self.rng, LAYANAN)] += 1
        self.issued = due
        self.version += 1
        return True

    def doc(self):
        return {'izin_hari_ini': self.issued, 'target': MPP_TARGET,
                'layanan': [{'nama': n, 'jumlah': self.layanan[n]} for n, _ in LAYANAN]}


class Service:
    """The simulation and its encoded replies, shared by the request threads."""

    def __init__(self, clock, rng, mean_gap):
        self.clock = clock
        self.lock = threading.Lock()
        t = clock.now()
        self.complaints = Complaints(rng, t, mean_gap)
        self.mpp = Mpp(rng, t)
        self.cache = {}  # path -> (version, body, gzipped body, etag)

    def reply(self, path):
        """(body, gzip body, etag) of an endpoint, or None for an unknown path."""
        with self.lock:
            t = self.clock.now()
            if path == '/api/summary':
                model = self.complaints
            elif path == '/api/mpp':
                model = self.mpp
            else:
                return None
            model.advance(t)
            hit = self.cache.get(path)
            if hit and hit[0] == model.version:
                return hit[1:]
            doc = model.doc()
            # The ETag covers the data, not the `updated` stamp (the time of
            # the last change): unchanged data is a 304 as time passes.
            etag = 'W/"%s"' % hashlib.sha1(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:20]
            # `updated` goes after the numbers, before the list.
            doc = dict([(k, v) for k, v in doc.items() if not isinstance(v, list)] + [('updated', iso(t))]
                       + [(k, v) for k, v in doc.items() if isinstance(v, list)])
            body = json.dumps(doc, ensure_ascii=False, separators=(',', ':')).encode()
            entry = (model.version, body, gzip.compress(body, 6, mtime=0), etag)
            self.cache[path] = entry
            return entry[1:]


def accepts_gzip(header):
    """True when an Accept-Encoding header allows gzip (q > 0)."""
    best = None
    for part in (header or '').split(','):
        bits = [b.strip() for b in part.split(';')]
        name = bits[0].lower()
        if name not in ('gzip', 'x-gzip', '*'):
            continue
        q = 1.0
        for b in bits[1:]:
            if b.lower().startswith('q='):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if name != '*' or best is None:
            best = q
    return bool(best and best > 0)


def etag_matches(header, etag):
    """If-None-Match uses weak comparison: W/"x" matches "x" and W/"x"."""
    if not header:
        return False
    if header.strip() == '*':
        return True
    mine = etag[2:] if etag.startswith('W/') else etag
    for tag in header.split(','):
        tag = tag.strip()
        if (tag[2:] if tag.startswith('W/') else tag) == mine:
            return True
    return False


class Handler(BaseHTTPRequestHandler):
    server_version = 'sim-complaints/1.0'
    protocol_version = 'HTTP/1.1'  # keep-alive, as a real API behind nginx
    disable_nagle_algorithm = True  # no Nagle wait between the header and body writes

    def do_GET(self):
        self._serve(head=False)

    def do_HEAD(self):
        self._serve(head=True)

    def _serve(self, head):
        path = self.path.split('?', 1)[0]
        if path in ('/', '/api', '/api/'):
            return self._send(200, json.dumps({'endpoints': ['/api/summary', '/api/mpp']}).encode(), head)
        r = self.server.service.reply(path)
        if r is None:
            return self._send(404, json.dumps({'error': 'not found', 'path': path}).encode(), head)
        body, gz, etag = r
        extra = [('ETag', etag), ('Cache-Control', 'no-cache'), ('Vary', 'Accept-Encoding')]
        if etag_matches(self.headers.get('If-None-Match'), etag):
            return self._send(304, b'', head, extra)
        if accepts_gzip(self.headers.get('Accept-Encoding')):
            return self._send(200, gz, head, extra + [('Content-Encoding', 'gzip')])
        return self._send(200, body, head, extra)

    def _send(self, code, body, head, extra=()):
        self.send_response(code)
        if code != 304:
            self.send_header('Content-Type', 'application/json; charset=utf-8')
            self.send_header('Content-Length', str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        if code != 304 and not head:
            self.wfile.write(body)

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write('sim_complaints: %s %s\n' % (self.address_string(), fmt % args))


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--host', default='127.0.0.1', help='address to listen on (default 127.0.0.1)')
    ap.add_argument('--port', type=int, default=8089, help='port (default 8089)')
    ap.add_argument('--speed', type=float, default=1.0, help='simulated seconds per real second (default 1)')
    ap.add_argument('--start', default=None, metavar='HH:MM',
                    help='start the simulated clock at this time of today, WIB (default: now)')
    ap.add_argument('--gap', type=float, default=3.0,
                    help='mean seconds between complaints at the busiest hour (default 3, the demo\'s pace; '
                         'a real city of a million gets a few hundred a day: about 120)')
    ap.add_argument('--seed', type=int, default=None, help='random seed (default: random)')
    ap.add_argument('--quiet', action='store_true', help='no log lines')
    ap.add_argument('--verbose', action='store_true', help='log every request')
    a = ap.parse_args()
    start = None
    if a.start:
        try:
            h, m = (int(x) for x in a.start.split(':'))
            if not (0 <= h < 24 and 0 <= m < 60):
                raise ValueError
            start = (h, m)
        except ValueError:
            ap.error('--start: expected HH:MM, e.g. 09:00')
    if a.speed <= 0 or a.gap <= 0:
        ap.error('--speed and --gap must be positive')

    def log(msg):
        if not a.quiet:
            print('sim_complaints: ' + msg, file=sys.stderr, flush=True)

    try:
        server = Server((a.host, a.port), Handler)
    except OSError as e:
        print('sim_complaints: cannot listen on %s:%d: %s' % (a.host, a.port, e.strerror or e), file=sys.stderr)
        sys.exit(3 if e.errno == errno.EADDRINUSE else 1)
    server.verbose = a.verbose
    server.service = Service(Clock(start, a.speed), random.Random(a.seed), a.gap)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    t = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.2}, daemon=True)
    t.start()
    log('serving http://%s:%d/api/summary and /api/mpp' % (a.host, server.server_address[1]))
    while not stop.is_set():
        stop.wait(1.0)
    server.shutdown()
    server.server_close()
    t.join(5)
    c = server.service.complaints
    log('stopped (%d complaints today, %d in all)' % (c.today, c.total))


if __name__ == '__main__':
    main()
