/* tests/test_i18n.c: every string a person sees in both languages. Each
 * catalogue string and each failure reason of the reason catalogue is
 * rendered in English and Indonesian (the reasons also inside every status
 * line a panel or the stats overlay shows) and must be translated, with its
 * variable parts kept. tests/i18n_test.py checks that every reason the feeds
 * can produce has a catalogue row. */
#include "core/i18n.h"
#include "core/scene.h"
#include "widgets/status.h"
#include "check.h"

#include <stdio.h>
#include <string.h>

/* pattern with each %s replaced by a sample ("V1", "V2", ...) */
static void instantiate(const char *pat, char *out, size_t outlen)
{
    size_t o = 0;
    int k = 0;
    for (const char *p = pat; *p && o + 4 < outlen; p++) {
        if (p[0] == '%' && p[1] == 's') {
            o += (size_t)snprintf(out + o, outlen - o, "V%d", ++k);
            p++;
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
}

int main(void)
{
    /* The fixed strings: present in both, and different. */
    for (int id = 0; id < TR_COUNT; id++) {
        const char *en = tr(0, (enum tr_id)id), *in = tr(1, (enum tr_id)id);
        CHECK(en && in && en[0] && in[0], "string %d present in both languages", id);
        /* Words Indonesian takes as they are ("Normal", "alarm"). */
        bool same_word = id == TR_BAND_NORMAL || id == TR_BAND_ALARM || id == TR_BAND_ALARM_AT;
        CHECK(en && in && (same_word || strcmp(en, in) != 0), "string %d translated: \"%s\"", id, en ? en : "");
    }

    /* Every reason: translated, variable parts kept, English unchanged. */
    const char *en, *in;
    size_t n = 0;
    for (size_t i = 0; tr_reason_entry(i, &en, &in); i++, n++) {
        char sample[256], got[512], want[512], same[512];
        instantiate(en, sample, sizeof(sample));
        instantiate(in, want, sizeof(want));
        tr_reason(1, sample, got, sizeof(got));
        CHECK_STR(got, want, sample);
        if (strcmp(en, "HTTP %s") != 0) { /* a status code needs no words */
            CHECK(strcmp(got, sample) != 0, "reason \"%s\" is translated", en);
        }
        tr_reason(0, sample, same, sizeof(same));
        CHECK_STR(same, sample, "English stays as the feed wrote it");

        /* In every status line that carries a reason. */
        static const enum source_status st[] = { SOURCE_RETRYING, SOURCE_DISABLED, SOURCE_STALLED };
        for (size_t s = 0; s < sizeof(st) / sizeof(st[0]); s++) {
            struct source_info info = { .status = st[s], .status_since_ms = 1000 };
            snprintf(info.reason, sizeof(info.reason), "%.150s", sample);
            char line[512];
            status_summary(&info, 1, 13000, line, sizeof(line));
            CHECK(strstr(line, want) != NULL, "status %d line shows \"%s\" in Indonesian: %s", (int)st[s], sample,
                  line);
        }
    }
    CHECK(n >= 50, "the reason catalogue has its rows (%zu)", n);

    /* Wildcards match the shortest part; text no row matches is kept. */
    char got[256];
    CHECK_STR(tr_reason(1, "unsupported codec hevc", got, sizeof(got)), "codec hevc tidak didukung", "one part");
    CHECK_STR(tr_reason(1, "$.a.b: expected a number, boolean or text, got a list", got, sizeof(got)),
              "$.a.b: seharusnya angka, boolean atau teks, ternyata a list", "two parts");
    CHECK_STR(tr_reason(1, "Connection timed out after 5001 ms", got, sizeof(got)),
              "Connection timed out after 5001 ms", "a library's own message passes through");
    CHECK_STR(tr_reason(1, "", got, sizeof(got)), "", "empty stays empty");

    /* Status words without a reason. */
    struct source_info live = { .status = SOURCE_LIVE };
    char line[256];
    CHECK_STR(status_summary(&live, 1, 0, line, sizeof(line)), "LANGSUNG", "live in Indonesian");
    struct source_info stalled = { .status = SOURCE_STALLED, .status_since_ms = 0 };
    status_summary(&stalled, 1, 5000, line, sizeof(line));
    CHECK(strstr(line, "MACET") && strstr(line, "tidak ada data baru"), "stalled in Indonesian: %s", line);
    return check_finish("test_i18n");
}
