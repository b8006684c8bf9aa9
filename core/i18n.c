/* core/i18n.c: English and Indonesian strings and date names. Any thread. */
#include "i18n.h"
#include "util.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const strings[2][TR_COUNT] = {
    {
        [TR_CONNECTING] = "CONNECTING",
        [TR_NO_SIGNAL] = "NO SIGNAL",
        [TR_LIVE] = "LIVE",
        [TR_STALLED] = "STALLED",
        [TR_DISABLED] = "DISABLED",
        [TR_WAITING] = "WAITING FOR DATA",
        [TR_NO_NEW_DATA] = "nothing new",
        [TR_NEXT_TRY] = "retry in",
        [TR_PAGE] = "Page",
        [TR_QUIT_CONFIRM] = "Quit the wall? Press Y to quit, any other key to stay.",
        [TR_SCREENSHOT_SAVED] = "Screenshot saved:",
        [TR_SCREENSHOT_FAILED] = "Screenshot failed:",
        [TR_HELP_TITLE] = "Keys",
        [TR_HELP_CLOSE] = "F1 or Esc closes this help",
        [TR_STATS_TITLE] = "Stats",
        [TR_BADGE_LIVE] = "LIVE",
        [TR_BADGE_CONNECTING] = "CONN",
        [TR_BADGE_NO_SIGNAL] = "NO SIGNAL",
        [TR_BADGE_STALLED] = "STALLED",
        [TR_BADGE_OFF] = "OFF",
        [TR_OFFLINE] = "offline",
        [TR_STALE] = "stale",
        [TR_MORE] = "more",
        [TR_NO_ALARMS] = "No alarms",
        [TR_OTHERS] = "others",
        [TR_TODAY] = "today",
        [TR_UPDATED] = "updated",
        [TR_STATS_FRAME] = "frame p50 %.2f ms  p99 %.2f ms  max %.2f ms  %.1f fps  (%ld drawn)",
        [TR_STATS_TEXT_CACHE] = "text cache %zu entries, %.1f MB, %llu hits, %llu renders, %llu evicted",
        [TR_STATS_SOURCE] = "frames %llu drops %llu errors %llu reconnects %llu",
        [TR_CAMERAS_LIVE] = "%zu/%zu cameras live",
        [TR_ALARMS_OPEN] = "%zu alarm(s)",
        [TR_TOUR_HELD] = "TOUR HELD",
        [TR_TOUR_RESUMED] = "Tour resumed",
        [TR_PANEL] = "Panel",
        [TR_CONNECTING_NOW] = "connecting\xe2\x80\xa6",
        [TR_DAMAGED] = "DAMAGED %llu/min",
        [TR_BADGE_BAD_DATA] = "BAD DATA",
        [TR_ACK_ALL_CONFIRM] = "Acknowledge all %zu open alarms? Press Y (or click the alarm list again); any other key cancels.",
        [TR_NO_OPEN_ALARM] = "No open alarm to acknowledge",
        [TR_ACK_SELECT_HINT] = "No open alarm on this panel. %zu open elsewhere: select its panel and press A, or Shift+A for all.",
        [TR_ACKED_ONE] = "\xe2\x9c\x93 Acknowledged: %s (%s) \xc2\xb7 %s \xc2\xb7 %s",
        [TR_ACKED_N] = "\xe2\x9c\x93 %d alarms acknowledged \xc2\xb7 %s \xc2\xb7 %s",
        [TR_BY_KEYBOARD] = "keyboard",
        [TR_BY_MOUSE] = "mouse",
        [TR_BY_REMOTE] = "remote command",
        [TR_BY_SYNC] = "another node",
        [TR_BY_ACK_TOPIC] = "acknowledgement topic",
        [TR_BAND_NORMAL] = "Normal",
        [TR_BAND_WARN] = "WARNING",
        [TR_BAND_ALARM] = "ALARM",
        [TR_BAND_WARN_AT] = "warning",
        [TR_BAND_ALARM_AT] = "alarm",
        [TR_HYSTERESIS] = "hysteresis",
        [TR_ALARM_ACTIVE] = "ACTIVE",
        [TR_ALARM_ENDED] = "ENDED",
        [TR_ALARM_ACKED] = "\xe2\x9c\x93 ACK",
        [TR_ALARM_LOG_TITLE] = "Alarm log",
        [TR_ALARM_LOG_MEMORY] = "not written to a file (alarm_log)",
        [TR_ALARM_LOG_EMPTY] = "No alarm yet",
        [TR_EV_RAISED] = "raised",
        [TR_EV_CLEARED] = "cleared",
        [TR_EV_ACKED] = "acknowledged",
        [TR_STATS_DROPS] = "drops",
        [TR_STATS_ERRORS] = "errors",
        [TR_ALIGN_TITLE] = "Alignment pattern \xe2\x80\x94 G closes it",
        [TR_ALIGN_MONITOR] = "Monitor %d",
        [TR_ALIGN_PLACE] = "column %d, row %d \xc2\xb7 %dx%d",
        [TR_ALIGN_DRIVEN] = "node %s \xc2\xb7 output %s",
        [TR_ALIGN_AT] = "%dx%d at %d, %d",
    },
    {
        [TR_CONNECTING] = "MENYAMBUNG",
        [TR_NO_SIGNAL] = "TIDAK ADA SINYAL",
        [TR_LIVE] = "LANGSUNG",
        [TR_STALLED] = "MACET",
        [TR_DISABLED] = "NONAKTIF",
        [TR_WAITING] = "MENUNGGU DATA",
        [TR_NO_NEW_DATA] = "tidak ada data baru",
        [TR_NEXT_TRY] = "coba lagi dalam",
        [TR_PAGE] = "Halaman",
        [TR_QUIT_CONFIRM] = "Keluar dari layar? Tekan Y untuk keluar, tombol lain untuk tetap.",
        [TR_SCREENSHOT_SAVED] = "Tangkapan layar disimpan:",
        [TR_SCREENSHOT_FAILED] = "Tangkapan layar gagal:",
        [TR_HELP_TITLE] = "Tombol",
        [TR_HELP_CLOSE] = "F1 atau Esc menutup bantuan ini",
        [TR_STATS_TITLE] = "Statistik",
        [TR_BADGE_LIVE] = "LANGSUNG",
        [TR_BADGE_CONNECTING] = "SAMBUNG",
        [TR_BADGE_NO_SIGNAL] = "TAK ADA SINYAL",
        [TR_BADGE_STALLED] = "MACET",
        [TR_BADGE_OFF] = "MATI",
        [TR_OFFLINE] = "terputus",
        [TR_STALE] = "basi",
        [TR_MORE] = "lagi",
        [TR_NO_ALARMS] = "Tidak ada alarm",
        [TR_OTHERS] = "lainnya",
        [TR_TODAY] = "hari ini",
        [TR_UPDATED] = "diperbarui",
        [TR_STATS_FRAME] = "bingkai p50 %.2f ms  p99 %.2f ms  maks %.2f ms  %.1f fps  (%ld digambar)",
        [TR_STATS_TEXT_CACHE] = "cache teks %zu entri, %.1f MB, %llu kena, %llu render, %llu dibuang",
        [TR_STATS_SOURCE] = "bingkai %llu dibuang %llu galat %llu sambung ulang %llu",
        [TR_CAMERAS_LIVE] = "%zu/%zu kamera hidup",
        [TR_ALARMS_OPEN] = "%zu alarm",
        [TR_TOUR_HELD] = "TUR DITAHAN",
        [TR_TOUR_RESUMED] = "Tur berlanjut",
        [TR_PANEL] = "Panel nomor",
        [TR_CONNECTING_NOW] = "menyambung\xe2\x80\xa6",
        [TR_DAMAGED] = "RUSAK %llu/mnt",
        [TR_BADGE_BAD_DATA] = "DATA SALAH",
        [TR_ACK_ALL_CONFIRM] = "Akui semua %zu alarm terbuka? Tekan Y (atau klik daftar alarm lagi); tombol lain membatalkan.",
        [TR_NO_OPEN_ALARM] = "Tidak ada alarm terbuka untuk diakui",
        [TR_ACK_SELECT_HINT] = "Panel ini tidak beralarm. %zu terbuka di tempat lain: pilih panelnya lalu tekan A, atau Shift+A untuk semua.",
        [TR_ACKED_ONE] = "\xe2\x9c\x93 Diakui: %s (%s) \xc2\xb7 %s \xc2\xb7 %s",
        [TR_ACKED_N] = "\xe2\x9c\x93 %d alarm diakui \xc2\xb7 %s \xc2\xb7 %s",
        [TR_BY_KEYBOARD] = "papan ketik",
        [TR_BY_MOUSE] = "tetikus",
        [TR_BY_REMOTE] = "perintah jarak jauh",
        [TR_BY_SYNC] = "node lain",
        [TR_BY_ACK_TOPIC] = "topik pengakuan",
        [TR_BAND_NORMAL] = "Normal",
        [TR_BAND_WARN] = "PERINGATAN",
        [TR_BAND_ALARM] = "ALARM",
        [TR_BAND_WARN_AT] = "peringatan",
        [TR_BAND_ALARM_AT] = "alarm",
        [TR_HYSTERESIS] = "histeresis",
        [TR_ALARM_ACTIVE] = "AKTIF",
        [TR_ALARM_ENDED] = "BERAKHIR",
        [TR_ALARM_ACKED] = "\xe2\x9c\x93 DIAKUI",
        [TR_ALARM_LOG_TITLE] = "Catatan alarm",
        [TR_ALARM_LOG_MEMORY] = "tidak ditulis ke berkas (alarm_log)",
        [TR_ALARM_LOG_EMPTY] = "Belum ada alarm",
        [TR_EV_RAISED] = "muncul",
        [TR_EV_CLEARED] = "berakhir",
        [TR_EV_ACKED] = "diakui",
        [TR_STATS_DROPS] = "dibuang",
        [TR_STATS_ERRORS] = "galat",
        [TR_ALIGN_TITLE] = "Pola penyelarasan \xe2\x80\x94 G menutupnya",
        [TR_ALIGN_MONITOR] = "Layar %d",
        [TR_ALIGN_PLACE] = "kolom %d, baris %d \xc2\xb7 %dx%d",
        [TR_ALIGN_DRIVEN] = "simpul %s \xc2\xb7 keluaran %s",
        [TR_ALIGN_AT] = "%dx%d di %d, %d",
    },
};

static const char *const help_en[] = {
    "Arrows", "select a panel",
    "1-9, 0", "select panel 1-10; two digits quickly: panel 11-99",
    "Enter", "enlarge the selected panel",
    "Esc", "back to the wall / close overlays",
    "PageUp / PageDown", "previous / next page",
    "H", "hold the page tour here / resume it",
    "F1", "this help",
    "i", "stats overlay (frame times, sources)",
    "L", "alarm log (the last raises, clears and acknowledgements)",
    "G", "alignment pattern over the whole wall (bezels, monitor names)",
    "A", "acknowledge the selected panel's alarm",
    "Shift+A, then Y", "acknowledge all alarms",
    "F12", "save a screenshot",
    "Ctrl+Q, then Y", "quit",
    "Mouse (preview)", "click selects, double-click enlarges, wheel turns pages, right button: help",
    NULL,
};

static const char *const help_id[] = {
    "Panah", "pilih panel",
    "1-9, 0", "pilih panel 1-10; dua angka cepat: panel 11-99",
    "Enter", "perbesar panel terpilih",
    "Esc", "kembali ke dinding / tutup tampilan",
    "PageUp / PageDown", "halaman sebelumnya / berikutnya",
    "H", "tahan tur halaman di sini / lanjutkan",
    "F1", "bantuan ini",
    "i", "statistik (waktu bingkai, sumber)",
    "L", "catatan alarm (muncul, berakhir, diakui terakhir)",
    "G", "pola penyelarasan di seluruh dinding (bezel, nama layar)",
    "A", "akui alarm panel terpilih",
    "Shift+A, lalu Y", "akui semua alarm",
    "F12", "simpan tangkapan layar",
    "Ctrl+Q, lalu Y", "keluar",
    "Tetikus (pratinjau)", "klik memilih, klik ganda memperbesar, roda: halaman, tombol kanan: bantuan",
    NULL,
};

const char *tr(int locale, enum tr_id id)
{
    if (locale < 0 || locale > 1 || id < 0 || id >= TR_COUNT) {
        locale = 0;
    }
    return strings[locale][id];
}

/* Failure reasons (what feeds/ writes into a source's status, and payload
 * errors shown on panels): English pattern, Indonesian. %s stands for a
 * variable part (a number, a codec, a path), kept as it is. The i18n test
 * checks that every reason format in feeds/ has a row here. */
static const char *const reasons[][2] = {
    /* video (feeds/video.c) */
    { "timeout: no data in %s s", "batas waktu: tidak ada data dalam %s dtk" },
    { "timeout: no answer in %s s", "batas waktu: tidak ada jawaban dalam %s dtk" },
    { "401 unauthorised (check user and password)", "401 tidak berwenang (periksa pengguna dan kata sandi)" },
    { "403 forbidden", "403 dilarang" },
    { "404 not found (check the path)", "404 tidak ditemukan (periksa path-nya)" },
    { "400 bad request", "400 permintaan salah" },
    { "refused by the server (4xx)", "ditolak server (4xx)" },
    { "server error (5xx)", "galat server (5xx)" },
    { "connection refused", "sambungan ditolak" },
    { "host unreachable", "host tak terjangkau" },
    { "timeout", "batas waktu habis" },
    { "connection reset", "sambungan terputus" },
    { "file not found", "berkas tidak ditemukan" },
    { "stream ended", "siaran berakhir" },
    { "the camera closed the connection", "kamera menutup sambungan" },
    { "invalid data (not a supported stream)", "data tidak sah (bukan siaran yang didukung)" },
    { "unsupported protocol", "protokol tidak didukung" },
    { "no video in the stream", "tidak ada video dalam siaran" },
    { "unsupported codec %s", "codec %s tidak didukung" },
    { "cannot decode %s", "tidak bisa mendekode %s" },
    /* values (feeds/payload.c, feeds/extract.c) */
    { "\"%s\": send numbers with a decimal point, no separators (412.5)",
      "\"%s\": kirim angka dengan titik desimal, tanpa pemisah (412.5)" },
    { "%s: %s is negative: a count cannot be", "%s: %s negatif: jumlah tidak bisa negatif" },
    { "%s: %s is not a plausible count (over 10^15)", "%s: %s bukan jumlah yang masuk akal (lebih dari 10^15)" },
    { "%s: %s is not a whole number (a thousands separator? send 12345)",
      "%s: %s bukan bilangan bulat (pemisah ribuan? kirim 12345)" },
    /* HTTP (feeds/http.c) */
    { "host name not found", "nama host tidak ditemukan" },
    { "no reply within %s", "tidak ada balasan dalam %s" },
    { "reply cut short (the connection closed early)", "balasan terpotong (sambungan tertutup terlalu awal)" },
    { "empty reply (the server closed the connection)", "balasan kosong (server menutup sambungan)" },
    { "TLS: the certificate of %s is not trusted or not made out to it (set ca: to the CA that signed it)",
      "TLS: sertifikat %s tidak dipercaya atau bukan untuk nama itu (isi ca: dengan CA yang menandatanganinya)" },
    { "TLS handshake with %s failed (is it https? see ca:, cert:)",
      "jabat tangan TLS dengan %s gagal (benarkah https? lihat ca:, cert:)" },
    { "TLS with %s failed: %s (check ca: and that the broker's certificate names %s)",
      "TLS dengan %s gagal: %s (periksa ca: dan bahwa sertifikat broker menyebut %s)" },
    { "cannot start a thread", "tidak bisa memulai thread" },
    { "reply larger than max_size (%s bytes)", "balasan lebih besar dari max_size (%s bita)" },
    { "HTTP %s (check bearer / username / password)", "HTTP %s (periksa bearer / username / password)" },
    { "HTTP %s (check the URL)", "HTTP %s (periksa URL-nya)" },
    { "HTTP %s (too many requests)", "HTTP %s (terlalu banyak permintaan)" },
    { "HTTP %s", "HTTP %s" },
    { "URL must start with http:// or https://", "URL harus diawali http:// atau https://" },
    { "reply is not valid JSON", "balasan bukan JSON yang sah" },
    { "empty reply", "balasan kosong" },
    { "reply is HTML, not JSON (a login or error page?)",
      "balasan berupa HTML, bukan JSON (halaman login atau galat?)" },
    { "curl_easy_init failed", "curl_easy_init gagal" },
    { "cannot start the HTTP thread", "utas HTTP tidak bisa dimulai" },
    /* MQTT (feeds/mqtt.c) */
    { "broker refused the MQTT protocol version", "broker menolak versi protokol MQTT" },
    { "broker refused the client id", "broker menolak client id" },
    { "broker unavailable", "broker tidak tersedia" },
    { "bad user name or password", "nama pengguna atau kata sandi salah" },
    { "not authorised (check username and password)", "tidak berwenang (periksa username dan password)" },
    { "cannot connect (code %s)", "tidak bisa tersambung (kode %s)" },
    { "URL must start with mqtt:// or mqtts://", "URL harus diawali mqtt:// atau mqtts://" },
    { "cannot create the MQTT client (%s)", "klien MQTT tidak bisa dibuat (%s)" },
    { "connect request failed (%s)", "permintaan sambungan gagal (%s)" },
    { "connection lost", "sambungan terputus" },
    /* any feed (feeds/feed.c, app/main.c) */
    { "%s feed not available in this build", "feed %s tidak tersedia di build ini" },
    { "feeds off (--no-feeds)", "feed dimatikan (--no-feeds)" },
    /* payloads (feeds/payload.c), shown on the panel of the value */
    { "%s: not a finite number", "%s: bukan bilangan terhingga" },
    { "not a finite number", "bukan bilangan terhingga" },
    { "empty payload", "payload kosong" },
    { "%s: missing in the payload", "%s: tidak ada di payload" },
    { "%s: missing in the payload (it has %s)", "%s: tidak ada di payload (yang ada: %s)" },
    { "%s: missing in the payload (the list has only %s)", "%s: tidak ada di payload (daftarnya hanya %s)" },
    { "%s: missing in the payload (what is before it is %s, not %s)",
      "%s: tidak ada di payload (sebelumnya %s, bukan %s)" },
    { "%s: expected a number, boolean or text, got %s", "%s: seharusnya angka, boolean atau teks, ternyata %s" },
    { "payload of %s bytes is over the %s KB limit", "payload %s bita melebihi batas %s KB" },
    { "payload is not valid UTF-8 text", "payload bukan teks UTF-8 yang sah" },
    { "payload is not valid JSON (a path is set)", "payload bukan JSON yang sah (path diisi)" },
    { "payload is not valid JSON", "payload bukan JSON yang sah" },
    { "%s: empty payload", "%s: payload kosong" },
    /* HTTP values (feeds/extract.c, feeds/http.c) */
    { "%s: expected a number, got \"%s\"", "%s: seharusnya angka, ternyata \"%s\"" },
    { "%s: expected a list, got %s", "%s: seharusnya daftar, ternyata %s" },
    { "bad path", "path salah" },
};

bool tr_reason_entry(size_t i, const char **en, const char **id)
{
    if (i >= sizeof(reasons) / sizeof(reasons[0])) {
        return false;
    }
    *en = reasons[i][0];
    *id = reasons[i][1];
    return true;
}

#define MAX_PARTS 4

/* Matches text against pattern (literal text and %s wildcards, each
 * non-empty and as short as possible, the last one to the end). On a match
 * fills parts[] (pointers into text, lengths) and returns their number;
 * -1 otherwise. */
static int match(const char *pat, const char *text, const char *part[], size_t len[])
{
    int n = 0;
    while (*pat) {
        if (pat[0] == '%' && pat[1] == 's') {
            pat += 2;
            if (n == MAX_PARTS || !*text) {
                return -1;
            }
            /* the literal that follows the wildcard, up to the next %s */
            const char *next = strstr(pat, "%s");
            size_t lit = next ? (size_t)(next - pat) : strlen(pat);
            const char *at;
            if (lit == 0) {
                at = next ? text + 1 : text + strlen(text);
            } else if (!next) {
                /* the pattern's tail must end the text */
                size_t tl = strlen(text);
                if (tl <= lit || strcmp(text + tl - lit, pat) != 0) {
                    return -1;
                }
                at = text + tl - lit;
            } else {
                char want[160];
                snprintf(want, sizeof(want), "%.*s", (int)lit, pat);
                at = strstr(text + 1, want);
                if (!at) {
                    return -1;
                }
            }
            part[n] = text;
            len[n] = (size_t)(at - text);
            n++;
            text = at;
            continue;
        }
        if (*pat != *text) {
            return -1;
        }
        pat++;
        text++;
    }
    return *text ? -1 : n;
}

const char *tr_reason(int locale, const char *reason, char *out, size_t outlen)
{
    snprintf(out, outlen, "%s", reason ? reason : "");
    if (locale != 1 || !reason || !reason[0]) {
        return out;
    }
    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
        const char *part[MAX_PARTS];
        size_t len[MAX_PARTS];
        int n = match(reasons[i][0], reason, part, len);
        if (n < 0) {
            continue;
        }
        /* Fill the Indonesian pattern's %s in order. */
        size_t o = 0;
        int k = 0;
        for (const char *p = reasons[i][1]; *p && o + 1 < outlen; p++) {
            if (p[0] == '%' && p[1] == 's' && k < n) {
                int w = snprintf(out + o, outlen - o, "%.*s", (int)len[k], part[k]);
                o += w > 0 ? (size_t)w : 0;
                o = o < outlen ? o : outlen - 1;
                k++;
                p++;
            } else {
                out[o++] = *p;
            }
        }
        out[o] = '\0';
        return out;
    }
    return out;
}

const char *const *tr_help(int locale)
{
    return locale == 1 ? help_id : help_en;
}

static const char *const days[2][7] = {
    { "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday" },
    { "Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu" },
};
static const char *const months[2][12] = {
    { "January", "February", "March", "April", "May", "June", "July", "August", "September",
      "October", "November", "December" },
    { "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
      "Oktober", "November", "Desember" },
};

char *i18n_format_time(int locale, const char *fmt, int64_t t, char *out, size_t outlen)
{
    int l = locale == 1 ? 1 : 0;
    time_t tt = (time_t)t;
    struct tm tm;
    localtime_r(&tt, &tm);
    size_t len = 0;
    out[0] = '\0';
    for (const char *p = fmt; *p && len + 1 < outlen; p++) {
        if (*p != '%' || !p[1]) {
            out[len++] = *p;
            out[len] = '\0';
            continue;
        }
        p++;
        char buf[48];
        switch (*p) {
        case 'H': snprintf(buf, sizeof(buf), "%02d", tm.tm_hour); break;
        case 'M': snprintf(buf, sizeof(buf), "%02d", tm.tm_min); break;
        case 'S': snprintf(buf, sizeof(buf), "%02d", tm.tm_sec); break;
        case 'd': snprintf(buf, sizeof(buf), "%02d", tm.tm_mday); break;
        case 'e': snprintf(buf, sizeof(buf), "%d", tm.tm_mday); break;
        case 'm': snprintf(buf, sizeof(buf), "%02d", tm.tm_mon + 1); break;
        case 'Y': snprintf(buf, sizeof(buf), "%d", tm.tm_year + 1900); break;
        case 'y': snprintf(buf, sizeof(buf), "%02d", tm.tm_year % 100); break;
        case 'A': snprintf(buf, sizeof(buf), "%s", days[l][tm.tm_wday]); break;
        case 'a': snprintf(buf, sizeof(buf), "%.3s", days[l][tm.tm_wday]); break;
        case 'B': snprintf(buf, sizeof(buf), "%s", months[l][tm.tm_mon]); break;
        case 'b': snprintf(buf, sizeof(buf), "%.3s", months[l][tm.tm_mon]); break;
        case 'Z': strftime(buf, sizeof(buf), "%Z", &tm); break;
        case '%': snprintf(buf, sizeof(buf), "%%"); break;
        default: snprintf(buf, sizeof(buf), "%%%c", *p); break;
        }
        len += (size_t)snprintf(out + len, outlen - len, "%s", buf);
        if (len >= outlen) {
            len = outlen - 1;
        }
    }
    return out;
}

char *i18n_format_number(int locale, double v, int decimals, char *out, size_t outlen)
{
    if (v != v || v > 1e300 || v < -1e300) {
        snprintf(out, outlen, "\xe2\x80\x93");
        return out;
    }
    if (decimals < 0) {
        decimals = 0;
    }
    if (decimals > 6) {
        decimals = 6;
    }
    char raw[64];
    snprintf(raw, sizeof(raw), "%.*f", decimals, v);
    if (strcmp(raw, "-0") == 0 || (raw[0] == '-' && strspn(raw + 1, "0.") == strlen(raw + 1))) {
        memmove(raw, raw + 1, strlen(raw)); /* no "-0,0" */
    }
    char thousands = locale == 1 ? '.' : ',';
    char point = locale == 1 ? ',' : '.';
    const char *digits = raw[0] == '-' ? raw + 1 : raw;
    size_t int_len = strcspn(digits, ".");
    size_t len = 0;
    if (raw[0] == '-' && len + 1 < outlen) {
        out[len++] = '-';
    }
    for (size_t i = 0; i < int_len && len + 2 < outlen; i++) {
        if (i > 0 && (int_len - i) % 3 == 0) {
            out[len++] = thousands;
        }
        out[len++] = digits[i];
    }
    if (digits[int_len] == '.') {
        if (len + 1 < outlen) {
            out[len++] = point;
        }
        for (const char *d = digits + int_len + 1; *d && len + 1 < outlen; d++) {
            out[len++] = *d;
        }
    }
    out[len] = '\0';
    return out;
}
