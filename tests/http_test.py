#!/usr/bin/env python3
"""Integration tests of the HTTP JSON feed and its panels (counter,
breakdown, list) against a test API served from this process: values,
polling interval, ETag / 304, gzip, errors with backoff and Retry-After,
bearer tokens kept secret, HTTPS with a CA of our own, and the counter's
"today" across midnight. Each test starts its own server(s) on free ports of
127.0.0.1 and its own headless pantau, and reads pantau's state from
--dump-scene (written on SIGUSR2).
Usage: http_test.py PANTAU PNGTOOL SRCDIR TEST (TEST is one of the functions
below)."""
import gzip
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import use_system_python, PANTAU, TEST, Pantau, check, env, failures, run_cases, wait_for  # noqa: E402,F401

try:
    import ssl
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
except ImportError:
    use_system_python('the ssl and http.server modules')



# --- fixtures: complaints (aduan) of Pekanbaru -------------------------------

KATEGORI = ['Jalan rusak'] * 7 + ['Banjir'] * 5 + ['Sampah'] * 4 + ['Lampu jalan'] * 3 + ['Drainase'] * 2 + \
           ['Pohon tumbang']
KECAMATAN = ['Tampan', 'Marpoyan Damai', 'Sukajadi', 'Senapelan', 'Bukit Raya', 'Rumbai']
STATUS = ['diterima', 'diteruskan', 'ditindaklanjuti', 'selesai']
JUDUL = {'Jalan rusak': 'Jalan berlubang di Jl. HR Soebrantas', 'Banjir': 'Genangan setinggi lutut di Jl. Arifin Achmad',
         'Sampah': 'Sampah menumpuk di TPS liar', 'Lampu jalan': 'Lampu jalan padam sepanjang 200 m',
         'Drainase': 'Parit tersumbat di Jl. Tuanku Tambusai', 'Pohon tumbang': 'Pohon tumbang menutup badan jalan'}


def aduan_items():
    """22 complaints, in no particular time order (the list must sort)."""
    items = []
    for i, kat in enumerate(KATEGORI):
        items.append({
            'id': 'ADU-%04d' % (4100 + i),
            'kategori': kat,
            'kecamatan': KECAMATAN[i % len(KECAMATAN)],
            # 7 and 60 are coprime: 22 distinct minutes, shuffled.
            'waktu': '2026-11-25T%02d:%02d:00+07:00' % (6 + i % 5, (i * 7) % 60),
            'status': STATUS[(i * 3) % len(STATUS)],
            'judul': JUDUL[kat],
            'pelapor': {'kanal': ['whatsapp', 'web', 'call center'][i % 3]},
        })
    return items


def aduan_doc(total=1234, today=22, items=None):
    return {'total': total, 'today': today, 'updated': '2026-11-25T08:30:00+07:00',
            'items': aduan_items() if items is None else items}


def newest(items, fields, limit, sort_by='waktu'):
    """What a list panel should show: the newest items, chosen fields."""
    s = sorted(items, key=lambda x: x.get(sort_by, ''), reverse=True) if sort_by else items
    return [[str(it.get(f, '')) for f in fields] for it in s[:limit]]


def groups(items, by, where=None):
    """[(name, count)] largest first, ties by name."""
    c = {}
    for it in items:
        if where and any(it.get(k) != v for k, v in where.items()):
            continue
        c[it[by]] = c.get(it[by], 0) + 1
    return sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))


# --- the test API -------------------------------------------------------------

class Route:
    """What one path answers. mode: ok (200 JSON), 500, 503 (Retry-After),
    401, sleep (answers after `sleep` s), truncated (Content-Length promises
    more than is sent), badjson (cut JSON, honest length), empty, big (a
    valid JSON body of `big` bytes with Content-Length), bigstream (same,
    without Content-Length), html (200 text/html), wrongtype (JSON with
    the wrong types at the panels' paths), redirect (302 to location)."""

    def __init__(self, doc=None, mode='ok', **kw):
        self.doc, self.mode = doc, mode
        self.etag = None            # sent on 200 (and honoured: 304 on If-None-Match)
        self.last_modified = None   # sent on 200 (and honoured: 304 on If-Modified-Since)
        self.error_etag = None      # an ETag sent with an error reply
        self.gzip = False           # gzip when Accept-Encoding allows
        self.raw = None             # bytes served instead of doc (mode ok)
        self.retry_after = '3'
        self.sleep = 0
        self.big = 0
        self.location = None
        self.bearer = None          # when set, other Authorization headers get 401
        self.__dict__.update(kw)


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'   # keep-alive, as curl expects

    def setup(self):
        super().setup()
        with self.server.api.lock:
            self.server.api.conns.add(self.connection)

    def finish(self):
        try:
            super().finish()
        finally:
            with self.server.api.lock:
                self.server.api.conns.discard(self.connection)

    def do_GET(self):
        self.server.api.handle(self)

    do_POST = do_GET

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    ssl_ctx = None

    def finish_request(self, request, client_address):
        # The TLS handshake runs in the connection's own thread, so a client
        # that rejects our certificate cannot stall the accept loop.
        if self.ssl_ctx:
            try:
                request = self.ssl_ctx.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError) as e:
                with self.api.lock:
                    self.api.tls_failures.append((time.monotonic(), str(e)))
                return
        self.RequestHandlerClass(request, client_address, self)

    def handle_error(self, request, client_address):
        pass  # a client that went away (timeouts) is part of the tests


class Api:
    """An HTTP(S) server on a free port of 127.0.0.1 serving routes, logging
    every request: {t (monotonic, arrival), method, path, headers (lower-case
    names), status, gzip}."""

    def __init__(self, tls=None):
        self.lock = threading.Lock()
        self.routes = {}
        self.requests = []
        self.tls_failures = []
        self.conns = set()
        self.closing = threading.Event()
        self.httpd = Server(('127.0.0.1', 0), Handler)
        self.httpd.api = self
        if tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(tls[0], tls[1])
            self.httpd.ssl_ctx = ctx
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={'poll_interval': 0.05}, daemon=True)
        self.thread.start()

    def url(self, path, scheme='http'):
        return '%s://127.0.0.1:%d%s' % (scheme, self.port, path)

    def route(self, path, *a, **kw):
        r = Route(*a, **kw)
        with self.lock:
            self.routes[path] = r
        return r

    def set(self, path, **kw):
        """Changes a route atomically (between two requests)."""
        with self.lock:
            self.routes[path].__dict__.update(kw)

    def log(self, path=None):
        with self.lock:
            return [dict(r) for r in self.requests if path is None or r['path'].split('?')[0] == path]

    def close(self):
        """Stops listening and drops every open connection: from now on a
        client gets 'connection refused'."""
        self.closing.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        with self.lock:
            conns = list(self.conns)
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    # One request.
    def handle(self, h):
        rec = {'t': time.monotonic(), 'method': h.command, 'path': h.path,
               'headers': {k.lower(): v for k, v in h.headers.items()}, 'status': None, 'gzip': False}
        n = int(h.headers.get('Content-Length') or 0)
        rec['body'] = h.rfile.read(n) if n else b''
        with self.lock:
            self.requests.append(rec)
            route = self.routes.get(h.path.split('?')[0])
            r = Route(**route.__dict__) if route else None  # a snapshot: the test may change it
        if r is None:
            return self.send(h, rec, 404, b'{"error": "not found"}')
        hdr = rec['headers']
        if r.bearer is not None and hdr.get('authorization') != 'Bearer ' + r.bearer:
            return self.send(h, rec, 401, b'{"error": "unauthorized"}', extra={'WWW-Authenticate': 'Bearer'})
        doc = json.dumps(r.doc).encode() if r.doc is not None else b'{}'
        m = r.mode
        err_extra = {'ETag': r.error_etag} if r.error_etag else {}
        if m == 'ok' or m == 'sleep':
            if m == 'sleep' and self.closing.wait(r.sleep):
                return
            if r.etag and hdr.get('if-none-match') == r.etag:
                return self.send(h, rec, 304, b'', extra={'ETag': r.etag})
            if r.last_modified and hdr.get('if-modified-since') == r.last_modified:
                return self.send(h, rec, 304, b'', extra={'Last-Modified': r.last_modified})
            extra = {}
            if r.etag:
                extra['ETag'] = r.etag
            if r.last_modified:
                extra['Last-Modified'] = r.last_modified
            return self.send(h, rec, 200, r.raw if r.raw is not None else doc, extra=extra, gz=r.gzip)
        if m == '500':
            return self.send(h, rec, 500, b'{"error": "internal"}', extra=err_extra)
        if m == '503':
            return self.send(h, rec, 503, b'{"error": "maintenance"}', extra={'Retry-After': r.retry_after})
        if m == '401':
            return self.send(h, rec, 401, b'{"error": "unauthorized"}')
        if m == 'redirect':
            return self.send(h, rec, 302, b'', extra={'Location': r.location})
        if m == 'truncated':
            rec['status'] = 200
            try:
                h.send_response(200)
                h.send_header('Content-Type', 'application/json')
                h.send_header('Content-Length', str(len(doc)))
                h.end_headers()
                h.wfile.write(doc[:len(doc) // 2])
                h.wfile.flush()
                h.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            h.close_connection = True
            return
        if m == 'badjson':
            return self.send(h, rec, 200, doc[:len(doc) // 2], extra=err_extra)
        if m == 'empty':
            return self.send(h, rec, 200, b'')
        if m in ('big', 'bigstream'):
            pad = max(0, r.big - len(doc) - 20)
            body = json.dumps(dict(r.doc or {}, pad='x' * pad)).encode()
            return self.send(h, rec, 200, body, length=(m == 'big'))
        if m == 'html':
            return self.send(h, rec, 200, b'<!DOCTYPE html><html><body><h1>Masuk</h1><form>login</form></body></html>',
                             ctype='text/html; charset=utf-8', extra=err_extra)
        if m == 'wrongtype':
            bad = {'total': 'banyak', 'today': [22], 'items': {'ADU-4100': r.doc['items'][0] if r.doc else {}}}
            return self.send(h, rec, 200, json.dumps(bad).encode())
        raise RuntimeError('unknown mode ' + m)

    def send(self, h, rec, status, body, ctype='application/json', extra=None, gz=False, length=True):
        rec['status'] = status
        if gz and 'gzip' in rec['headers'].get('accept-encoding', ''):
            body = gzip.compress(body)
            rec['gzip'] = True
        try:
            h.send_response(status)
            if status != 304:
                h.send_header('Content-Type', ctype)
            if rec['gzip']:
                h.send_header('Content-Encoding', 'gzip')
            for k, v in (extra or {}).items():
                h.send_header(k, v)
            if length:
                h.send_header('Content-Length', str(len(body)))
            else:
                h.send_header('Connection', 'close')
                h.close_connection = True
            h.end_headers()
            if status != 304:
                h.wfile.write(body)
            h.wfile.flush()
        except OSError:
            h.close_connection = True


# --- pantau -----------------------------------------------------------------

class Rig:
    """A temp dir plus every server and pantau a test starts; all stopped
    (pantau first) at the end, logs printed when something failed."""

    def __init__(self):
        self.apis, self.pantaus = [], []

    def __enter__(self):
        self.tmp = tempfile.TemporaryDirectory(prefix='pantau-http-')
        self.d = self.tmp.name
        return self

    def api(self, **kw):
        a = Api(**kw)
        self.apis.append(a)
        return a

    def pantau(self, cfg_text, **kw):
        p = Pantau(self.d, cfg_text, **kw)
        self.pantaus.append(p)
        return p

    def __exit__(self, *exc):
        try:
            for p in self.pantaus:
                rc = p.stop()
                check(rc == 0, '%s: exit 0 on SIGTERM, got %s' % (p.name, rc))
            if len(failures) or exc[0]:
                for p in self.pantaus:
                    print('--- %s log (tail) ---\n%s' % (p.name, p.log()[-4000:]), file=sys.stderr)
                for a in self.apis:
                    print('--- server :%d requests (last 30) ---' % a.port, file=sys.stderr)
                    t0 = a.requests[0]['t'] if a.requests else 0
                    for r in a.log()[-30:]:
                        print('  %7.3f %s %s -> %s%s' % (r['t'] - t0, r['method'], r['path'], r['status'],
                                                         ' gzip' if r['gzip'] else ''), file=sys.stderr)
        finally:
            for a in self.apis:
                if not a.closing.is_set():
                    a.close()
            self.tmp.cleanup()
        return False


def wall_cfg(sources, panels, columns=4, rows=1, top=''):
    """One monitor of columns x rows cells, gap 0. sources: {name: 'http: "...", every: 1s, ...'}."""
    return ('version: 1\n%swall:\n  displays: { columns: 1, rows: 1, size: [800, 400] }\n'
            '  grid: [%d, %d]\n  gap: 0\nsources:\n%spages:\n  - panels:\n%s') % (
        top, columns, rows, ''.join('  %s: { %s }\n' % kv for kv in sources.items()),
        ''.join('      - %s\n' % p for p in panels))


def panel(d, pid):
    return d['panels'][pid]


def source(d, name):
    return d['sources'][name]


def gaps(times):
    return [round(b - a, 3) for a, b in zip(times, times[1:])]


def counter_is(pid, value):
    return lambda d: panel(d, pid)['has_value'] and panel(d, pid)['value'] == value


# --- tests -----------------------------------------------------------------


POST_BODY = '{"kecamatan": "Tampan", "status": ["diterima", "diteruskan"]}'


def values():
    """A counter (value + today from the API, and count of a filtered list),
    a breakdown (top groups) and a list (newest items) show what the API
    says; a new reply replaces them."""
    with Rig() as r:
        api = r.api()
        items = aduan_items()
        api.route('/api/summary', aduan_doc(items=items))
        # A list without sort_by (document order) where the first field of
        # the first item is missing: its place must stay empty.
        odd = [dict(items[0]), dict(items[1])]
        del odd[0]['waktu']
        # A long title with a multi-byte character where the list's row text
        # is cut.
        long_judul = ('Jalan amblas dan berlubang dalam sepanjang kurang lebih dua ratus meter di depan sekolah, '
                      'sudah tiga kali dilaporkan warga namun belum ada perbaikan')
        long_judul = (long_judul + ' ' * 155)[:155].rstrip().ljust(155, '.') + '\u2014 mohon segera ditindaklanjuti'
        longitem = {'waktu': '2026-11-25T09:00:00+07:00', 'kecamatan': 'Sukajadi', 'judul': long_judul}
        api.route('/api/odd', {'items': odd})
        api.route('/api/cari', {'total': 42})
        api.route('/api/long', {'items': [longitem]})
        cfg = wall_cfg({'aduan': 'http: "%s", every: 1s, timeout: 2s, headers: { X-Test: "1" }'
                        % api.url('/api/summary'),
                        'odd': 'http: "%s", every: 1s' % api.url('/api/odd'),
                        'long': 'http: "%s", every: 1s' % api.url('/api/long'),
                        'cari': 'http: "%s", every: 1s, method: POST, body: \'%s\''
                                % (api.url('/api/cari'), POST_BODY)}, [
            '{ counter: aduan, value: "$.total", today: "$.today", unit: "aduan", at: [0, 0, 1, 1], id: total }',
            '{ counter: aduan, count: "$.items", where: { status: "selesai" }, at: [1, 0, 1, 1], id: done }',
            '{ counter: aduan, count: "$.items", at: [1, 1, 1, 1], id: all }',
            '{ breakdown: aduan, path: "$.items", group_by: kategori, top: 5, at: [2, 0, 1, 1], id: cats }',
            '{ breakdown: aduan, path: "$.items", group_by: kecamatan, where: { status: "diterima" }, '
            'at: [2, 1, 1, 1], id: kec }',
            '{ list: aduan, path: "$.items", fields: "waktu,kecamatan,judul", sort_by: waktu, limit: 5, '
            'at: [3, 0, 1, 1], id: latest }',
            '{ list: odd, path: "$.items", fields: "waktu,kecamatan,judul", limit: 3, at: [0, 1, 1, 1], id: odd }',
            '{ list: long, path: "$.items", fields: "waktu,kecamatan,judul", at: [3, 1, 1, 1], id: long }',
            '{ counter: cari, value: "$.total", at: [0, 2, 1, 1], id: cari }',
        ], rows=3)
        p = r.pantau(cfg)

        def want_all(total, today, items):
            n_done = sum(1 for it in items if it['status'] == 'selesai')
            latest = newest(items, ['waktu', 'kecamatan', 'judul'], 5)
            return lambda d: (counter_is('total', total)(d) and panel(d, 'total')['today'] == today
                              and counter_is('done', n_done)(d) and counter_is('all', len(items))(d)
                              and panel(d, 'latest')['items'] == latest
                              and [g['name'] for g in panel(d, 'cats')['groups']][:1] == [groups(items, 'kategori')[0][0]])

        ok, d = p.wait_dump(want_all(1234, 22, items), 10)
        check(ok, 'values shown: %s' % json.dumps(d['panels'], ensure_ascii=False))
        check(source(d, 'aduan')['status'] == 'live' and source(d, 'aduan')['reason'] == '',
              'source live, no reason: %s' % source(d, 'aduan'))
        check(source(d, 'aduan')['errors'] == 0 and source(d, 'aduan')['frames'] >= 1 and source(d, 'aduan')['bytes'] > 0,
              'frames and bytes counted, no errors: %s' % source(d, 'aduan'))
        for pid in ('total', 'done', 'all'):
            c = panel(d, pid)
            check(c['kind'] == 'counter' and not c['offline'] and not c['stale'] and c['errors'] == 0 and c['error'] == '',
                  '%s: a live, fresh counter without errors: %s' % (pid, c))
        check(panel(d, 'total')['today'] == 22, 'today from $.today: 22, got %s' % panel(d, 'total').get('today'))
        n_done = sum(1 for it in items if it['status'] == 'selesai')
        check(panel(d, 'done')['value'] == n_done, 'count where status=selesai: %d, got %s' % (n_done, panel(d, 'done').get('value')))
        # Breakdown: the top 5 categories, largest first (the sixth, Pohon
        # tumbang, is one of "the rest").
        want = groups(items, 'kategori')
        got = [(g['name'], g['count']) for g in panel(d, 'cats')['groups']]
        check(got[:5] == want[:5], 'breakdown by kategori, top 5: %s, got %s' % (want[:5], got[:5]))
        check(len(got) == 5, 'the dump describes what the panel shows: 5 groups, got %d' % len(got))
        others = panel(d, 'cats')['others']
        check(others == sum(c for _, c in want[5:]), 'the rest summed as "others": %s, got %s' % (want[5:], others))
        check(sum(c for _, c in got) + others == len(items), 'shown groups + others add up to the %d items: %s + %s'
              % (len(items), got, others))
        want = groups(items, 'kecamatan', {'status': 'diterima'})
        got = [(g['name'], g['count']) for g in panel(d, 'kec')['groups']]
        check(got == want, 'breakdown by kecamatan where status=diterima: %s, got %s' % (want, got))
        want = newest(items, ['waktu', 'kecamatan', 'judul'], 5)
        check(panel(d, 'latest')['items'] == want, 'list: the 5 newest by waktu: %s, got %s'
              % (want, panel(d, 'latest')['items']))
        for pid in ('cats', 'kec', 'latest'):
            check(not panel(d, pid)['offline'] and 'error' not in panel(d, pid), '%s: online, no error' % pid)
        # A missing member keeps its column: [ "", kecamatan, judul ].
        ok, d = p.wait_dump(lambda d: len(panel(d, 'odd')['items']) == 2, 5)
        got = panel(d, 'odd')['items']
        want = [['', odd[0]['kecamatan'], odd[0]['judul']], [odd[1]['waktu'], odd[1]['kecamatan'], odd[1]['judul']]]
        check(got == want, 'list: an item without waktu keeps its three columns (the time column empty, not the '
              'kecamatan in it): want %s, got %s' % (want, got))
        # The long title: cut, but never inside a character.
        ok, d = p.wait_dump(lambda d: len(panel(d, 'long')['items']) == 1, 5)
        check(ok, 'long item listed: %s' % panel(d, 'long'))
        if ok:
            fields = panel(d, 'long')['items'][0]
            # Cut with an ellipsis (the row's room is shared by its fields).
            shown = fields[2].rstrip('\ufffd')
            check(fields[:2] == [longitem['waktu'], 'Sukajadi'] and shown.endswith('\u2026') and
                  long_judul.startswith(shown[:-1]), 'long title shown from its start, cut with "…": %s' % fields)
            check('\ufffd' not in fields[2], 'long title cut between characters, not inside one: %r' % fields[2][-8:])
        # Request shape.
        req = api.log('/api/summary')
        check(len(req) >= 1 and req[0]['method'] == 'GET', 'GET requests: %s' % [x['method'] for x in req])
        h = req[0]['headers']
        check(h.get('x-test') == '1', 'configured header X-Test: 1 sent: %s' % h)
        check('json' in h.get('accept', ''), 'Accept: application/json sent: %r' % h.get('accept'))
        check(h.get('user-agent', '').startswith('pantau/'), 'User-Agent pantau/<version>: %r' % h.get('user-agent'))
        check(len({x['path'] for x in req}) == 1 and req[0]['path'] == '/api/summary', 'the configured path: %s' % req[0]['path'])
        # POST with its JSON body.
        ok, d = p.wait_dump(counter_is('cari', 42), 5)
        check(ok, 'POST source: value 42: %s' % panel(d, 'cari'))
        req = api.log('/api/cari')
        check(req and req[0]['method'] == 'POST' and req[0]['body'] == POST_BODY.encode()
              and 'json' in req[0]['headers'].get('content-type', ''),
              'method: POST sends the body as JSON: %s' % ((req and (req[0]['method'], req[0]['body'],
                                                                    req[0]['headers'].get('content-type'))),))
        # A new reply: one more complaint, the newest, and new totals.
        new = {'id': 'ADU-4200', 'kategori': 'Banjir', 'kecamatan': 'Rumbai', 'waktu': '2026-11-25T11:59:00+07:00',
               'status': 'selesai', 'judul': 'Air meluap dari Sungai Siak', 'pelapor': {'kanal': 'web'}}
        items2 = items + [new]
        api.set('/api/summary', doc=aduan_doc(total=1235, today=23, items=items2))
        ok, d = p.wait_dump(want_all(1235, 23, items2), 5)
        check(ok, 'new reply shown within 5 s: %s' % json.dumps(d['panels'], ensure_ascii=False))
        check(panel(d, 'latest')['items'][0] == [new['waktu'], 'Rumbai', new['judul']], 'the new complaint tops the list')
        check(panel(d, 'total')['delta'] == 1, 'counter delta since the previous poll: +1, got %s' % panel(d, 'total').get('delta'))
        got = [(g['name'], g['count']) for g in panel(d, 'cats')['groups']][:5]
        check(got == groups(items2, 'kategori')[:5], 'breakdown updated: %s' % got)


def interval():
    """every: 1s polls about once a second, every: 2s every two; a slow
    reply of one source does not hold back the other (one thread, many
    transfers); the first poll comes right after the start."""
    with Rig() as r:
        api = r.api()
        api.route('/fast', aduan_doc())
        api.route('/slow', aduan_doc(total=7), mode='sleep', sleep=1.5)
        cfg = wall_cfg({'fast': 'http: "%s", every: 1s, timeout: 2s' % api.url('/fast'),
                        'slow': 'http: "%s", every: 2s, timeout: 5s' % api.url('/slow')}, [
            '{ counter: fast, value: "$.total", at: [0, 0, 1, 1], id: fast }',
            '{ counter: slow, value: "$.total", at: [1, 0, 1, 1], id: slow }',
        ])
        p = r.pantau(cfg)
        check(wait_for(lambda: len(api.log('/fast')) >= 8 and len(api.log('/slow')) >= 3, 15),
              'enough polls within 15 s: fast %d, slow %d' % (len(api.log('/fast')), len(api.log('/slow'))))
        fast = [x['t'] for x in api.log('/fast')]
        slow = [x['t'] for x in api.log('/slow')]
        check(fast[0] - p.t_launch < 3, 'first poll %.2f s after launch (< 3 s)' % (fast[0] - p.t_launch))
        g = gaps(fast)
        print('fast gaps: %s' % g)
        check(all(0.95 <= x <= 1.4 for x in g), 'every: 1s -> requests 1 s apart (0.95 .. 1.4 s): %s' % g)
        # every counts from the end of the previous reply: 2 s + the 1.5 s answer.
        g = gaps(slow)
        print('slow gaps: %s' % g)
        check(all(3.4 <= x <= 4.0 for x in g), 'every: 2s with a 1.5 s answer -> 3.5 s apart (3.4 .. 4.0 s): %s' % g)
        during = [t for t in fast if any(s < t < s + 1.4 for s in slow)]
        check(len(during) >= 2, 'fast polls go on while a slow reply is pending: %d of %d' % (len(during), len(fast)))
        ok, d = p.wait_dump(lambda d: counter_is('fast', 1234)(d) and counter_is('slow', 7)(d), 5)
        check(ok, 'both values shown: %s' % d['panels'])
        check(source(d, 'slow')['status'] == 'live' and source(d, 'slow')['errors'] == 0, 'slow source live: %s' % source(d, 'slow'))


def host_limit():
    """Four slow replies from one host do not hold back a fifth source of the
    same host: it still polls every second, without errors."""
    with Rig() as r:
        api = r.api()
        srcs, panels = {}, []
        for i in range(4):
            api.route('/lambat%d' % i, aduan_doc(total=i), mode='sleep', sleep=3)
            srcs['s%d' % i] = 'http: "%s", every: 1s, timeout: 10s' % api.url('/lambat%d' % i)
            panels.append('{ counter: s%d, value: "$.total", at: [%d, 0, 1, 1], id: s%d }' % (i, i, i))
        api.route('/cepat', aduan_doc())
        srcs['cepat'] = 'http: "%s", every: 1s, timeout: 2s' % api.url('/cepat')
        panels.append('{ counter: cepat, value: "$.total", at: [0, 1, 1, 1], id: cepat }')
        p = r.pantau(wall_cfg(srcs, panels, columns=4, rows=2))
        ok, d = p.wait_dump(counter_is('cepat', 1234), 10)
        check(ok, 'fast source: value: %s' % panel(d, 'cepat'))
        t0 = time.monotonic()
        n0 = len(api.log('/cepat'))
        wait_for(lambda: len(api.log('/cepat')) >= n0 + 6 or time.monotonic() - t0 > 8, 9)
        g = gaps([x['t'] for x in api.log('/cepat')[n0:]])
        print('fast source gaps while four slow replies are pending: %s' % g)
        check(len(g) >= 5 and all(x <= 1.4 for x in g), 'fast source still polled every second (<= 1.4 s apart) '
              'while four slow sources of the same host wait: %s' % g)
        d = p.dump()
        check(source(d, 'cepat')['errors'] == 0 and source(d, 'cepat')['status'] == 'live',
              'fast source: no errors, live: %s' % source(d, 'cepat'))


def etag_304():
    """With an ETag (or Last-Modified), the next polls are conditional; 304
    keeps the values, the source live and the values fresh. A changed
    document is fetched in full. An ETag that came with a rejected reply is
    not used."""
    with Rig() as r:
        api = r.api()
        api.route('/e', aduan_doc(), etag='"aduan-v1"')
        api.route('/lm', aduan_doc(total=50), last_modified='Wed, 25 Nov 2026 01:00:00 GMT')
        cfg = wall_cfg({'e': 'http: "%s", every: 1s' % api.url('/e'),
                        'lm': 'http: "%s", every: 1s' % api.url('/lm')}, [
            '{ counter: e, value: "$.total", stale_after: 2s, at: [0, 0, 1, 1], id: total }',
            '{ list: e, path: "$.items", fields: "waktu,judul", sort_by: waktu, limit: 3, stale_after: 2s, '
            'at: [1, 0, 1, 1], id: latest }',
            '{ counter: lm, value: "$.total", stale_after: 2s, at: [2, 0, 1, 1], id: lm }',
        ])
        p = r.pantau(cfg)
        ok, d = p.wait_dump(lambda d: counter_is('total', 1234)(d) and counter_is('lm', 50)(d), 10)
        check(ok, 'first values: %s' % d['panels'])
        t_first = time.monotonic()
        # 4 more polls: all conditional, all answered 304.
        check(wait_for(lambda: len([x for x in api.log('/e') if x['status'] == 304]) >= 4, 10), '304 replies seen')
        log = api.log('/e')
        check(log[0]['status'] == 200 and 'if-none-match' not in log[0]['headers'], 'first request plain, 200')
        cond = [x for x in log[1:] if x['status'] is not None]
        check(all(x['headers'].get('if-none-match') == '"aduan-v1"' for x in cond),
              'later requests carry If-None-Match: "aduan-v1": %s' % [x['headers'].get('if-none-match') for x in cond])
        check(all(x['status'] == 304 for x in cond), 'and get 304: %s' % [x['status'] for x in cond])
        g = gaps([x['t'] for x in log])
        check(all(0.95 <= x <= 1.4 for x in g), '304 replies keep the 1 s interval (no backoff): %s' % g)
        lm = api.log('/lm')
        check(any(x['status'] == 304 and x['headers'].get('if-modified-since') == 'Wed, 25 Nov 2026 01:00:00 GMT'
                  for x in lm), 'Last-Modified: If-Modified-Since sent and 304 taken: %s'
              % [(x['headers'].get('if-modified-since'), x['status']) for x in lm])
        # 304s for > 2 s (stale_after) after the value: still fresh, live.
        wait_for(lambda: time.monotonic() - t_first > 3.5, 5)
        d = p.dump()
        for pid in ('total', 'lm'):
            c = panel(d, pid)
            check(c['has_value'] and not c['stale'] and not c['offline'] and c['errors'] == 0,
                  '%s: kept, fresh (304 restarts the age), online: %s' % (pid, c))
        check(panel(d, 'total')['value'] == 1234 and panel(d, 'total')['delta'] == 0, 'value unchanged, delta 0: %s'
              % panel(d, 'total'))
        check(len(panel(d, 'latest')['items']) == 3 and not panel(d, 'latest')['offline'], 'list kept: %s' % panel(d, 'latest'))
        for s in ('e', 'lm'):
            check(source(d, s)['status'] == 'live' and source(d, s)['errors'] == 0, '%s: live, no errors: %s' % (s, source(d, s)))
        # Changed: a 200 with the new document and ETag.
        api.set('/e', doc=aduan_doc(total=1300), etag='"aduan-v2"')
        ok, d = p.wait_dump(counter_is('total', 1300), 5)
        check(ok, 'changed document fetched (1300): %s' % panel(d, 'total'))
        n = len(api.log('/e'))
        check(wait_for(lambda: len(api.log('/e')) >= n + 2, 5), 'polling goes on')
        last = api.log('/e')[-1]
        check(last['headers'].get('if-none-match') == '"aduan-v2"' and last['status'] == 304,
              'then If-None-Match: "aduan-v2" -> 304: %s %s' % (last['headers'].get('if-none-match'), last['status']))
        # A broken reply (cut JSON) that carries an ETag, and a server that
        # would answer 304 to it: pantau rejected that body, so it must not
        # ask for it by its ETag, and must not turn live on the 304.
        api.set('/e', mode='badjson', error_etag='"rusak"', etag='"rusak"')
        ok, d = p.wait_dump(lambda d: source(d, 'e')['status'] == 'retrying', 5)
        check(ok, 'cut JSON: retrying: %s' % source(d, 'e'))
        n = len(api.log('/e'))
        seen = source(d, 'e')['frames'] + source(d, 'e')['errors']
        api.set('/e', mode='ok')  # still "rusak": 304 if asked by that ETag
        check(wait_for(lambda: len([x for x in api.log('/e')[n:] if x['status'] is not None]) >= 1, 8), 'polled again')
        nxt = [x for x in api.log('/e')[n:] if x['status'] is not None][0]
        check(nxt['headers'].get('if-none-match') != '"rusak"',
              'after a rejected reply with ETag "rusak", the next request does not send If-None-Match: "rusak" '
              '(got %r, answered %s)' % (nxt['headers'].get('if-none-match'), nxt['status']))
        # Once pantau has counted that reply (as a frame or an error):
        ok, d = p.wait_dump(lambda d: source(d, 'e')['frames'] + source(d, 'e')['errors'] > seen, 5)
        check(ok, 'the reply to the next request was counted: %s' % source(d, 'e'))
        if nxt['status'] == 304:
            check(source(d, 'e')['status'] != 'live',
                  'a 304 for the rejected body does not make the source live with the old values: %s'
                  % source(d, 'e'))


def gzip_():
    """gzip replies when Accept-Encoding allows: values right. A small gzip
    reply that inflates past max_size is refused."""
    with Rig() as r:
        api = r.api()
        items = aduan_items()
        api.route('/gz', aduan_doc(items=items), gzip=True)
        bomb = json.dumps({'total': 9, 'pad': ' ' * (8 << 20)}).encode()
        api.route('/bomb', raw=bomb, gzip=True)
        cfg = wall_cfg({'gz': 'http: "%s", every: 1s' % api.url('/gz'),
                        'bomb': 'http: "%s", every: 1s, max_size: 1048576' % api.url('/bomb')}, [
            '{ counter: gz, value: "$.total", at: [0, 0, 1, 1], id: total }',
            '{ breakdown: gz, path: "$.items", group_by: kategori, top: 5, at: [1, 0, 1, 1], id: cats }',
            '{ list: gz, path: "$.items", fields: "waktu,kecamatan,judul", sort_by: waktu, limit: 5, '
            'at: [2, 0, 1, 1], id: latest }',
            '{ counter: bomb, value: "$.total", at: [3, 0, 1, 1], id: bomb }',
        ])
        p = r.pantau(cfg)
        ok, d = p.wait_dump(lambda d: counter_is('total', 1234)(d) and len(panel(d, 'latest')['items']) == 5, 10)
        check(ok, 'values over gzip: %s' % json.dumps(d['panels'], ensure_ascii=False))
        req = api.log('/gz')
        check(req and 'gzip' in req[0]['headers'].get('accept-encoding', ''),
              'Accept-Encoding offers gzip: %r' % (req and req[0]['headers'].get('accept-encoding')))
        check(req and req[0]['gzip'], 'the reply was gzipped')
        check(panel(d, 'latest')['items'] == newest(items, ['waktu', 'kecamatan', 'judul'], 5), 'list right after gunzip')
        got = [(g['name'], g['count']) for g in panel(d, 'cats')['groups']][:5]
        check(got == groups(items, 'kategori')[:5], 'breakdown right after gunzip: %s' % got)
        check(source(d, 'gz')['errors'] == 0 and source(d, 'gz')['status'] == 'live', 'gz live: %s' % source(d, 'gz'))
        print('bytes counted for %d gzip replies: %d (the JSON is %d bytes, gzipped %d)'
              % (source(d, 'gz')['frames'], source(d, 'gz')['bytes'], len(json.dumps(aduan_doc(items=items))),
                 len(gzip.compress(json.dumps(aduan_doc(items=items)).encode()))))
        # The bomb: ~8 KB on the wire, 8 MB inflated, max_size 1 MB.
        ok, d = p.wait_dump(lambda d: source(d, 'bomb')['errors'] >= 1, 10)
        check(ok and source(d, 'bomb')['status'] == 'retrying', 'gzip bomb refused: %s' % source(d, 'bomb'))
        check('max_size' in source(d, 'bomb')['reason'], 'reason names max_size: %r' % source(d, 'bomb')['reason'])
        check(not panel(d, 'bomb')['has_value'], 'no value from the bomb: %s' % panel(d, 'bomb'))
        check(p.alive(), 'pantau still running')


# Error modes: (source name, route kwargs, extra source keys, words one of
# which the reason must contain).
ERRORS = [
    ('e500', {'mode': '500'}, '', ['500']),
    ('e503', {'mode': '503', 'retry_after': '3'}, '', ['503']),
    ('slow', {'mode': 'sleep', 'sleep': 3}, ', timeout: 1s', ['within', 'timeout', 'timed out']),
    ('cut', {'mode': 'truncated'}, '', ['partial', 'JSON', 'truncat', 'short']),
    ('badjson', {'mode': 'badjson'}, '', ['JSON']),
    ('empty', {'mode': 'empty'}, '', ['empty']),
    ('big', {'mode': 'big', 'big': 20000}, ', max_size: 8192', ['max_size']),
    ('bigstream', {'mode': 'bigstream', 'big': 20000}, ', max_size: 8192', ['max_size']),
    ('html', {'mode': 'html'}, '', ['HTML']),
    ('wrongtype', {'mode': 'wrongtype'}, '', ['$.total', 'number']),
]


def errors():
    """Each failure (HTTP 500, 503 + Retry-After, no reply within timeout,
    connection refused, truncated / cut / empty / too large / HTML replies,
    wrong types at the path) gives retrying with a reason, keeps the last
    good value marked offline, counts errors and backs off (1 s, 2 s, 4 s
    ... ; Retry-After: 3 waits 3 s). Back to good: live again."""
    with Rig() as r:
        api = r.api()
        gone = r.api()   # closed below: connection refused
        items = aduan_items()
        for name, _, _, _ in ERRORS:
            api.route('/' + name, aduan_doc(items=items))
        gone.route('/refused', aduan_doc(items=items))
        srcs = {name: 'http: "%s", every: 1s, retry_max: 1m%s' % (api.url('/' + name), extra)
                for name, _, extra, _ in ERRORS}
        srcs['refused'] = 'http: "%s", every: 1s, timeout: 2s' % gone.url('/refused')
        names = list(srcs)
        panels = ['{ counter: %s, value: "$.total", at: [%d, %d, 1, 1], id: %s }' % (n, i % 6, i // 6, n)
                  for i, n in enumerate(names)]
        panels += ['{ breakdown: e500, path: "$.items", group_by: kategori, at: [5, 1, 1, 1], id: cats }',
                   '{ list: wrongtype, path: "$.items", fields: "waktu,judul", sort_by: waktu, limit: 3, '
                   'at: [5, 2, 1, 1], id: latest }',
                   '{ breakdown: wrongtype, path: "$.items", group_by: kategori, at: [4, 2, 1, 1], id: wcats }']
        p = r.pantau(wall_cfg(srcs, panels, columns=6, rows=3), window='900x450')
        ok, d = p.wait_dump(lambda d: all(counter_is(n, 1234)(d) and source(d, n)['status'] == 'live' for n in names)
                            and panel(d, 'cats')['groups'] and panel(d, 'latest')['items'] and panel(d, 'wcats')['groups'], 10)
        check(ok, 'all sources live with values first: %s' % json.dumps(d['sources']))
        before = d
        # Everything goes wrong at once; the sources fail independently.
        for name, kw, _, _ in ERRORS:
            api.set('/' + name, **kw)
        gone.close()
        t_bad = time.monotonic()
        n_before = {name: len(api.log('/' + name)) for name, _, _, _ in ERRORS}

        def bad_requests(name):
            return [x for x in api.log('/' + name)[n_before[name]:]]
        # Error counts over time, from dumps: the refused source has no
        # server log, so its tries are seen as its errors counter growing.
        err_times = {n: [] for n in names}
        last_err = {n: source(before, n)['errors'] for n in names}

        def enough():
            d = p.dump()
            for n in names:
                e = source(d, n)['errors']
                if e > last_err[n]:
                    err_times[n].extend([time.monotonic()] * (e - last_err[n]))
                    last_err[n] = e
            return all(len(bad_requests(n)) >= 4 for n, _, _, _ in ERRORS) and len(err_times['refused']) >= 4
        check(wait_for(enough, 25, step=0.05), 'four failed tries of each source within 25 s: %s refused %d'
              % ({n: len(bad_requests(n)) for n, _, _, _ in ERRORS}, len(err_times['refused'])))
        print('failures took %.1f s' % (time.monotonic() - t_bad))
        d = p.dump()
        for name, kw, _, words in ERRORS + [('refused', {}, '', ['refused'])]:
            s = source(d, name)
            c = panel(d, name)
            check(s['status'] == 'retrying', '%s: status retrying, got %s (%r)' % (name, s['status'], s['reason']))
            check(any(w.lower() in s['reason'].lower() for w in words),
                  '%s: reason mentions one of %s, got %r' % (name, words, s['reason']))
            check(s['errors'] >= source(before, name)['errors'] + 3, '%s: errors counter grows: %d -> %d'
                  % (name, source(before, name)['errors'], s['errors']))
            check(c['has_value'] and c['value'] == 1234, '%s: last good value 1234 kept: %s' % (name, c))
            check(c['offline'] or c['stale'] or c['errors'] > 0, '%s: the kept value is marked (offline, stale or '
                  'error): %s' % (name, c))
            # Backoff: the tries after the first failure wait 1 s, 2 s, 4 s
            # (measured between request arrivals; a request that hangs until
            # the timeout adds the same to each gap).
            times = [x['t'] for x in bad_requests(name)] if name != 'refused' else err_times[name]
            g = gaps(times[:4])
            print('%s: reason %r, gaps between failed tries %s' % (name, s['reason'], g))
            if len(g) == 3:
                if name == 'e503':
                    check(g[0] >= 2.95, 'e503 with Retry-After: 3: next try >= 3 s later, got %.2f s' % g[0])
                else:
                    check(g[1] > g[0] + 0.6 and g[2] > g[1] + 1.4,
                          '%s: backoff doubles (about 1, 2, 4 s apart): %s' % (name, g))
        # The other panels of failing sources keep their content, marked.
        c = panel(d, 'cats')
        check(c['offline'] and [x['name'] for x in c['groups']] == [x['name'] for x in panel(before, 'cats')['groups']],
              'breakdown of a failing source: groups kept, offline: %s' % c)
        for pid in ('latest', 'wcats'):
            c = panel(d, pid)
            key = 'items' if pid == 'latest' else 'groups'
            check(c[key] == panel(before, pid)[key], '%s: wrong types: content kept: %s' % (pid, c))
            check('$.items' in c.get('error', '') or c['offline'], '%s: wrong types: marked with an error naming '
                  '$.items, or offline: %s' % (pid, c))
        # All good again: every source live with the new total.
        for name, _, _, _ in ERRORS:
            api.set('/' + name, mode='ok', doc=aduan_doc(total=1240, items=items))
        ok, d = p.wait_dump(lambda d: all(counter_is(n, 1240)(d) and source(d, n)['status'] == 'live'
                                          for n, _, _, _ in ERRORS), 20)
        check(ok, 'all back to live with 1240 within 20 s: %s' % json.dumps(d['sources']))
        for n, _, _, _ in ERRORS:
            check(not panel(d, n)['offline'] and source(d, n)['reason'] == '', '%s: online, no reason' % n)
        errs = {n: source(d, n)['errors'] for n, _, _, _ in ERRORS}
        cnt = {n: len(api.log('/' + n)) for n, _, _, _ in ERRORS}
        check(wait_for(lambda: all(len(api.log('/' + n)) >= cnt[n] + 2 for n in cnt), 6), 'polling resumed')
        d = p.dump()
        check({n: source(d, n)['errors'] for n in errs} == errs, 'no new errors once good: %s -> %s'
              % (errs, {n: source(d, n)['errors'] for n in errs}))
        for n in cnt:
            g = gaps([x['t'] for x in api.log('/' + n)[-3:]])
            check(all(x < 1.5 for x in g), '%s: back to the 1 s interval: %s' % (n, g))
        check(p.alive(), 'pantau still running')


def bearer():
    """The bearer token and API key are sent, and never appear in the log
    (debug), the scene dump or --print-config; a redirect to another host
    does not carry them; a wrong token reads as HTTP 401."""
    token, key, wrong = 'tok-Rahasia-8841xyz', 'kunci-Api-5521qq', 'tok-Salah-0000zz'
    with Rig() as r:
        api = r.api()
        api.route('/api/summary', aduan_doc(), bearer=token)
        api.route('/moved', mode='redirect', location='http://localhost:%d/landing' % api.port)
        api.route('/landing', aduan_doc(total=77))
        e = env(PANTAU_TEST_TOKEN=token, PANTAU_TEST_KEY=key, PANTAU_TEST_WRONG=wrong)
        cfg = wall_cfg({
            'aduan': 'http: "%s?token=${PANTAU_TEST_TOKEN}", every: 1s, bearer: "${PANTAU_TEST_TOKEN}", '
                     'headers: { X-Api-Key: "${PANTAU_TEST_KEY}", X-Test: "1" }' % api.url('/api/summary'),
            'moved': 'http: "%s", every: 1s, bearer: "${PANTAU_TEST_TOKEN}"' % api.url('/moved'),
            'wrong': 'http: "%s", every: 1s, bearer: "${PANTAU_TEST_WRONG}"' % api.url('/api/summary'),
        }, ['{ counter: aduan, value: "$.total", at: [0, 0, 1, 1], id: total }',
            '{ counter: moved, value: "$.total", at: [1, 0, 1, 1], id: moved }',
            '{ counter: wrong, value: "$.total", at: [2, 0, 1, 1], id: wrong }'])
        p = r.pantau(cfg, e=e)
        ok, d = p.wait_dump(lambda d: counter_is('total', 1234)(d) and counter_is('moved', 77)(d)
                            and source(d, 'wrong')['status'] == 'retrying', 10)
        check(ok, 'right token: value; redirect followed; wrong token: retrying: %s' % json.dumps(d))
        good = [x for x in api.log('/api/summary') if x['status'] == 200]
        check(good and good[0]['headers'].get('authorization') == 'Bearer ' + token,
              'Authorization: Bearer <token> sent')
        check(good and good[0]['headers'].get('x-api-key') == key and good[0]['headers'].get('x-test') == '1',
              'headers X-Api-Key and X-Test sent')
        check(good and good[0]['path'] == '/api/summary?token=' + token, 'token in the query sent: %s'
              % (good and good[0]['path']))
        check('401' in source(d, 'wrong')['reason'], 'wrong token: reason says HTTP 401: %r' % source(d, 'wrong')['reason'])
        check(not panel(d, 'wrong')['has_value'], 'wrong token: no value')
        land = api.log('/landing')
        check(land and 'authorization' not in land[0]['headers'],
              'redirect to another host (localhost) does not carry the token: %s' % (land and land[0]['headers']))
        # An error reply on the good source: the URL is logged (redacted).
        api.set('/api/summary', mode='500')
        ok, d = p.wait_dump(lambda d: source(d, 'aduan')['status'] == 'retrying', 5)
        check(ok, '500 on the token source: retrying')
        p.stop()
        log = p.log()
        with open(p.dump_path, 'rb') as f:
            dump = f.read().decode('utf-8', 'replace')
        for s, what in ((token, 'bearer token'), (key, 'API key header'), (wrong, 'wrong token')):
            check(s not in log, '%s absent from the debug log' % what)
            check(s not in dump, '%s absent from the scene dump' % what)
        check('/api/summary' in log, 'the failing URL is logged (redacted): %s' % log[-600:])
        pc = subprocess.run([PANTAU, '--print-config', p.cfg], capture_output=True, text=True, env=e, timeout=30)
        check(pc.returncode == 0, '--print-config runs: %s' % pc.stderr)
        out = pc.stdout + pc.stderr
        for s, what in ((token, 'bearer token'), (key, 'API key header'), (wrong, 'wrong token')):
            check(s not in out, '%s absent from --print-config' % what)
        check('bearer: "***"' in out, 'bearer printed as ***')
        check('token=***' in out, 'token query parameter printed as ***')
        check('X-Api-Key: "***"' in out, 'the X-Api-Key header printed as ***: %s'
              % [l for l in out.splitlines() if 'X-' in l])
        check('X-Test' in out and '"1"' in out, 'a harmless header is printed: %s' % [l for l in out.splitlines() if 'X-' in l])


def make_certs(d):
    """A CA and a server certificate for 127.0.0.1/localhost signed by it."""
    def ossl(*args):
        subprocess.run(['openssl'] + list(args), cwd=d, check=True, capture_output=True)
    ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
    ossl('req', '-x509', *ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=pantau test CA',
         '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign')
    ossl('req', *ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost')
    with open(os.path.join(d, 'ext.cnf'), 'w') as f:
        f.write('subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n'
                'extendedKeyUsage=serverAuth\n')
    ossl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
         '-out', 'server.pem', '-days', '2', '-extfile', 'ext.cnf')
    return [os.path.join(d, n) for n in ('ca.pem', 'server.pem', 'server.key')]


def https():
    """https with ca: values flow; without ca: retrying with a TLS reason
    and no value, tried again; verify: false flows with a warning."""
    with Rig() as r:
        ca, cert, key = make_certs(r.d)
        api = r.api(tls=(cert, key))
        api.route('/api/summary', aduan_doc())
        url = api.url('/api/summary', 'https')
        cfg = wall_cfg({'withca': 'http: "%s", every: 1s, ca: "%s", verify: true' % (url, ca),
                        'noca': 'http: "%s", every: 1s' % url,
                        'insecure': 'http: "%s", every: 1s, verify: false' % url}, [
            '{ counter: withca, value: "$.total", at: [0, 0, 1, 1], id: withca }',
            '{ list: withca, path: "$.items", fields: "waktu,judul", sort_by: waktu, limit: 3, at: [1, 0, 1, 1], id: latest }',
            '{ counter: noca, value: "$.total", at: [2, 0, 1, 1], id: noca }',
            '{ counter: insecure, value: "$.total", at: [3, 0, 1, 1], id: insecure }'])
        p = r.pantau(cfg)
        ok, d = p.wait_dump(lambda d: counter_is('withca', 1234)(d) and len(panel(d, 'latest')['items']) == 3
                            and source(d, 'noca')['status'] == 'retrying', 10)
        check(ok, 'with ca: values; without: retrying: %s' % json.dumps(d))
        check(source(d, 'withca')['status'] == 'live' and source(d, 'withca')['errors'] == 0, 'with ca: live')
        s = source(d, 'noca')
        check(any(w in s['reason'] for w in ('TLS', 'certificate', 'SSL')), 'without ca: a TLS reason: %r' % s['reason'])
        check('127.0.0.1' in s['reason'], 'the TLS reason names the host: %r' % s['reason'])
        check(not panel(d, 'noca')['has_value'], 'without ca: no value: %s' % panel(d, 'noca'))
        check(wait_for(lambda: len(api.tls_failures) >= 2, 10), 'without ca: tried again (%d failed handshakes)'
              % len(api.tls_failures))
        ok, d = p.wait_dump(counter_is('insecure', 1234), 5)
        check(ok, 'verify: false: value flows: %s' % panel(d, 'insecure'))
        check('verification is OFF' in p.log() or 'verify: false' in p.log(), 'verify: false logged as a warning')
        d = p.dump()
        check(not panel(d, 'noca')['has_value'] and source(d, 'noca')['status'] == 'retrying', 'without ca: still no value')
        check(all(x['path'] == '/api/summary' for x in api.log()), 'requests over TLS reached the server')


def day_rollover():
    """Counter without today: the change since local midnight (config
    timezone), counted from the values seen: it restarts at midnight."""
    with Rig() as r:
        api = r.api()
        api.route('/api/summary', aduan_doc(total=500))
        api.route('/down', aduan_doc(total=300))
        cfg = wall_cfg({'aduan': 'http: "%s", every: 1s' % api.url('/api/summary'),
                        'down': 'http: "%s", every: 1s' % api.url('/down')}, [
            '{ counter: aduan, value: "$.total", at: [0, 0, 1, 1], id: total }',
            '{ counter: aduan, value: "$.total", today: "$.today", at: [1, 0, 1, 1], id: api_today }',
            '{ counter: down, value: "$.total", at: [2, 0, 1, 1], id: down }'],
            top='timezone: Asia/Jakarta\n')
        # The config's zone counts, not the process's TZ. Midnight comes 8 s
        # after the clock starts (pantau sets it before it says "starting").
        start = '2026-11-25 23:59:52'
        p = r.pantau(cfg, e=env(TZ='America/New_York'), args=['--time-from', start])
        midnight_earliest = p.t_launch + 8.0
        midnight_latest = p.t_started + 8.0
        ok, d = p.wait_dump(lambda d: counter_is('total', 500)(d) and counter_is('down', 300)(d), 5)
        check(ok, 'first values 500, 300: %s' % d['panels'])
        check(panel(d, 'total')['today'] == 0, 'today counts from the first value seen: 0, got %s' % panel(d, 'total').get('today'))
        api.set('/api/summary', doc=aduan_doc(total=507))
        api.set('/down', doc=aduan_doc(total=304))
        ok, d = p.wait_dump(lambda d: counter_is('total', 507)(d) and counter_is('down', 304)(d), 5)
        t_seen = time.monotonic()
        check(ok, 'value 507: %s' % panel(d, 'total'))
        if not check(t_seen < midnight_earliest - 0.5, 'saw 507 before midnight (%.1f s after launch, midnight at '
                     '%.1f s at the earliest); machine too slow for this test' % (t_seen - p.t_launch, 8.0)):
            return
        check(panel(d, 'total')['today'] == 7 and panel(d, 'total')['delta'] == 7,
              'before midnight: today +7, delta +7: %s' % panel(d, 'total'))
        check(panel(d, 'api_today')['today'] == 22, 'with today: the API value 22: %s' % panel(d, 'api_today'))
        check(panel(d, 'down')['today'] == 4, 'second source before midnight: today +4: %s' % panel(d, 'down'))
        # The second source fails from now on, across midnight.
        api.set('/down', mode='500')
        check(p.wait_dump(lambda d: source(d, 'down')['status'] == 'retrying', 3)[0], 'second source down')
        # After midnight (the total still 507): today starts again from 507.
        wait_for(lambda: time.monotonic() > midnight_latest + 1.5, 12)
        ok, d = p.wait_dump(lambda d: panel(d, 'total')['today'] == 0, 3)
        check(ok, 'after midnight: today back to 0 (base = the last value of yesterday): %s' % panel(d, 'total'))
        dn = panel(d, 'down')
        check(dn['value'] == 304 and dn['offline'], 'source down across midnight: 304 kept, offline: %s' % dn)
        check(dn['today'] == 0, 'source down across midnight: "today" no longer shows yesterday\'s +4 '
              '(no value seen today yet), got %s' % dn.get('today'))
        api.set('/api/summary', doc=aduan_doc(total=510))
        ok, d = p.wait_dump(counter_is('total', 510), 5)
        check(ok and panel(d, 'total')['today'] == 3, 'new day: 507 -> 510 is today +3: %s' % panel(d, 'total'))
        check(panel(d, 'api_today')['today'] == 22, 'with today: still the API value: %s' % panel(d, 'api_today'))


def stale():
    """stale_after on counter, breakdown and list: polled every 4 s, stale
    after 1 s: each panel turns stale between polls (greyed, "stale · age")
    and fresh again with the next poll, while the source stays live."""
    with Rig() as r:
        api = r.api()
        api.route('/api/summary', aduan_doc())
        cfg = wall_cfg({'aduan': 'http: "%s", every: 4s, timeout: 2s' % api.url('/api/summary')}, [
            '{ counter: aduan, value: "$.total", stale_after: 1s, at: [0, 0, 1, 1], id: total }',
            '{ breakdown: aduan, path: "$.items", group_by: kategori, stale_after: 1s, at: [1, 0, 1, 1], id: cats }',
            '{ list: aduan, path: "$.items", fields: "waktu,judul", stale_after: 1s, at: [2, 0, 1, 1], id: latest }',
            '{ breakdown: aduan, path: "$.items", group_by: kecamatan, at: [3, 0, 1, 1], id: kec }',
        ])
        p = r.pantau(cfg)
        ids = ('total', 'cats', 'latest')
        check(wait_for(lambda: len(api.log('/api/summary')) >= 1, 10), 'first poll')
        ok, d = p.wait_dump(lambda d: all(panel(d, i).get('stale') is False for i in ids)
                            and panel(d, 'cats')['groups'], 2)
        check(ok, 'fresh right after the first poll: %s' % {i: panel(d, i).get('stale') for i in ids})
        t_poll = api.log('/api/summary')[-1]['t']
        ok, d = p.wait_dump(lambda d: all(panel(d, i)['stale'] for i in ids), 4)
        check(ok, 'stale 1 s after the poll, before the next: %s' % {i: panel(d, i)['stale'] for i in ids})
        check(time.monotonic() - t_poll < 4, 'stale seen before the next poll (%.1f s)' % (time.monotonic() - t_poll))
        check(source(d, 'aduan')['status'] == 'live', 'the source stays live: %s' % source(d, 'aduan'))
        check(not panel(d, 'kec')['stale'], 'a panel with the default stale_after (5m) is not stale: %s'
              % panel(d, 'kec'))
        check(wait_for(lambda: len(api.log('/api/summary')) >= 2, 6), 'second poll')
        ok, d = p.wait_dump(lambda d: not any(panel(d, i)['stale'] for i in ids), 2)
        check(ok, 'fresh again after the next poll: %s' % {i: panel(d, i)['stale'] for i in ids})


def pages():
    """page_every: a list with more items than fit turns its pages at that
    pace (1 s here); one with page_every: 3600s does not (pages turn on
    wall-clock boundaries, so it may turn once if the test straddles one)."""
    with Rig() as r:
        api = r.api()
        api.route('/api/summary', aduan_doc())
        cfg = wall_cfg({'aduan': 'http: "%s", every: 30s' % api.url('/api/summary')}, [
            '{ list: aduan, path: "$.items", fields: "waktu,judul", limit: 12, page_every: 1s, '
            'at: [0, 0, 1, 1], id: fast }',
            '{ list: aduan, path: "$.items", fields: "waktu,judul", limit: 12, page_every: 3600s, '
            'at: [1, 0, 1, 1], id: slow }',
        ], columns=2, rows=3)
        p = r.pantau(cfg)
        ok, d = p.wait_dump(lambda d: panel(d, 'fast')['pages'] > 1 and panel(d, 'slow')['pages'] > 1, 10)
        check(ok, 'both lists have more than one page: %s / %s' % (panel(d, 'fast'), panel(d, 'slow')))
        seen, slow = set(), []
        t0 = time.monotonic()
        while time.monotonic() - t0 < 3.5:
            d = p.dump()
            seen.add(panel(d, 'fast')['page'])
            if not slow or slow[-1] != panel(d, 'slow')['page']:
                slow.append(panel(d, 'slow')['page'])
            time.sleep(0.2)
        check(len(seen) >= 3, 'page_every: 1s shows at least 3 pages in 3.5 s: %s' % sorted(seen))
        check(len(slow) <= 2, 'page_every: 3600s turns at most once (at an hour boundary) in 3.5 s: %s' % slow)


def big_counts():
    """Numbers a wall must not show as good: a counter's total as "12.345"
    (an Indonesian thousands separator), 1e36 or -1 is refused with the
    reason on the panel; a breakdown of 100,000 items keeps its counts clear
    of their bars."""
    with Rig() as r:
        api = r.api()
        api.route('/dot', {'total': '12.345'})
        api.route('/huge', {'total': 1e36})
        api.route('/neg', {'total': -1})
        many = [{'kategori': 'Banjir' if i % 3 else 'Sampah'} for i in range(100000)]
        api.route('/many', {'total': 100000, 'items': many})
        cfg = wall_cfg({n: 'http: "%s", every: 1s' % api.url('/' + n) for n in ('dot', 'huge', 'neg', 'many')}, [
            '{ counter: dot, value: "$.total", at: [0, 0, 1, 1], id: dot }',
            '{ counter: huge, value: "$.total", at: [1, 0, 1, 1], id: huge }',
            '{ counter: neg, value: "$.total", at: [2, 0, 1, 1], id: neg }',
            '{ breakdown: many, path: "$.items", group_by: kategori, at: [3, 0, 1, 1], id: cats }',
        ])
        p = r.pantau(cfg)
        want = {'dot': 'not a whole number', 'huge': 'not a plausible count', 'neg': 'is negative'}
        ok, d = p.wait_dump(lambda d: all(want[k] in panel(d, k).get('error', '') for k in want) and
                            panel(d, 'cats')['groups'], 10)
        for k, w in want.items():
            pn = panel(d, k)
            check(w in pn.get('error', '') and not pn.get('has_value'), '%s: no value, the reason says "%s": %s'
                  % (k, w, pn))
            check(source(d, k)['errors'] >= 1, '%s: counted as an error' % k)
        cats = panel(d, 'cats')
        got = [(g['name'], g['count']) for g in cats['groups']]
        check(got == [('Banjir', 66666), ('Sampah', 33334)], '100,000 items grouped: %s' % got)
        check(cats['bar_end'] > 0 and cats['bar_end'] < cats['num_x'],
              'the longest bar ends (x %d) before the counts start (x %d)' % (cats['bar_end'], cats['num_x']))


run_cases([values, interval, host_limit, etag_304, gzip_, errors, bearer, https, day_rollover, stale, pages,
           big_counts])
