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
    },
};

static const char *const help_en[] = {
    "Arrows", "select a panel",
    "1-9, 0", "select panel 1-10 of the page",
    "Enter", "enlarge the selected panel",
    "Esc", "back to the wall / close overlays",
    "PageUp / PageDown", "previous / next page",
    "F1", "this help",
    "i", "stats overlay (frame times, sources)",
    "A", "acknowledge alarms (the selected panel's, else all)",
    "F12", "save a screenshot",
    "Ctrl+Q, then Y", "quit",
    "Mouse (preview)", "click selects, double-click enlarges",
    NULL,
};

static const char *const help_id[] = {
    "Panah", "pilih panel",
    "1-9, 0", "pilih panel 1-10 di halaman ini",
    "Enter", "perbesar panel terpilih",
    "Esc", "kembali ke dinding / tutup tampilan",
    "PageUp / PageDown", "halaman sebelumnya / berikutnya",
    "F1", "bantuan ini",
    "i", "statistik (waktu bingkai, sumber)",
    "A", "akui alarm (panel terpilih, atau semua)",
    "F12", "simpan tangkapan layar",
    "Ctrl+Q, lalu Y", "keluar",
    "Tetikus (pratinjau)", "klik memilih, klik ganda memperbesar",
    NULL,
};

const char *tr(int locale, enum tr_id id)
{
    if (locale < 0 || locale > 1 || id < 0 || id >= TR_COUNT) {
        locale = 0;
    }
    return strings[locale][id];
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
