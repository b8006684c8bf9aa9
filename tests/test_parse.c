/* tests/test_parse.c: the one parser per scalar type (durations, colours,
 * sizes, booleans) and their formatters' round trip. */
#include "config/schema.h"
#include "check.h"

#include <stdint.h>

static void test_durations(void)
{
    static const struct {
        const char *in;
        int ok;
        int64_t ms;
        const char *why;
    } cases[] = {
        { "30s", 1, 30000, "seconds" },
        { "5m", 1, 300000, "minutes" },
        { "250ms", 1, 250, "milliseconds" },
        { "2h", 1, 7200000, "hours" },
        { "1d", 1, 86400000, "days" },
        { "1m30s", 1, 90000, "compound" },
        { "1h30m15s", 1, 5415000, "three parts" },
        { "1.5s", 1, 1500, "fraction" },
        { "0", 1, 0, "bare zero" },
        { "0s", 1, 0, "zero seconds" },
        { "30", 0, 0, "a bare number is ambiguous" },
        { "5 minutes", 0, 0, "words are not units" },
        { "30s1m", 0, 0, "units must shrink" },
        { "1m1m", 0, 0, "a unit only once" },
        { "-5s", 0, 0, "negative" },
        { "", 0, 0, "empty" },
        { "s", 0, 0, "unit without number" },
        { "10x", 0, 0, "unknown unit" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t ms = -1;
        char err[128];
        int rc = cfg_parse_duration(cases[i].in, &ms, err, sizeof(err));
        CHECK_INT(rc == 0, cases[i].ok, cases[i].why);
        if (cases[i].ok && rc == 0) {
            CHECK_INT(ms, cases[i].ms, cases[i].why);
        }
    }
    static const int64_t rt[] = { 0, 1, 250, 1000, 90000, 90500, 3600000, 5415000, 86400000 + 1 };
    for (size_t i = 0; i < sizeof(rt) / sizeof(rt[0]); i++) {
        char buf[64], err[128];
        int64_t back = -1;
        cfg_format_duration(rt[i], buf, sizeof(buf));
        CHECK(cfg_parse_duration(buf, &back, err, sizeof(err)) == 0 && back == rt[i],
              "round trip %lld -> \"%s\" -> %lld", (long long)rt[i], buf, (long long)back);
    }
}

static void test_colors(void)
{
    static const struct {
        const char *in;
        int ok;
        uint32_t rgba;
        const char *why;
    } cases[] = {
        { "#ff8000", 1, 0xff8000ff, "#rrggbb is opaque" },
        { "#FF8000", 1, 0xff8000ff, "upper-case hex" },
        { "#11223380", 1, 0x11223380, "#rrggbbaa" },
        { "white", 1, 0xffffffff, "name" },
        { "Amber", 1, 0xffb300ff, "names ignore case" },
        { "transparent", 1, 0x00000000, "transparent" },
        { "#fff", 0, 0, "short hex is not accepted (ambiguous alpha)" },
        { "#gg0000", 0, 0, "not hex" },
        { "ff8000", 0, 0, "missing #" },
        { "merah", 0, 0, "unknown name" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint32_t c = 0;
        char err[256];
        int rc = cfg_parse_color(cases[i].in, &c, err, sizeof(err));
        CHECK_INT(rc == 0, cases[i].ok, cases[i].why);
        if (cases[i].ok && rc == 0) {
            CHECK_INT(c, cases[i].rgba, cases[i].why);
            char buf[16];
            uint32_t back = 0;
            cfg_format_color(c, buf, sizeof(buf));
            CHECK(cfg_parse_color(buf, &back, err, sizeof(err)) == 0 && back == c, "colour round trip %s", buf);
        }
    }
}

static void test_sizes_bools(void)
{
    int s[2];
    char err[128];
    CHECK(cfg_parse_size("1920x1080", s, err, sizeof(err)) == 0 && s[0] == 1920 && s[1] == 1080, "WxH");
    CHECK(cfg_parse_size("1920X1080", s, err, sizeof(err)) == 0, "capital X");
    CHECK(cfg_parse_size("1920", s, err, sizeof(err)) < 0, "one number");
    CHECK(cfg_parse_size("x1080", s, err, sizeof(err)) < 0, "missing width");
    CHECK(cfg_parse_size("1920x", s, err, sizeof(err)) < 0, "missing height");
    CHECK(cfg_parse_size("-5x10", s, err, sizeof(err)) < 0, "negative");
    CHECK(cfg_parse_size("1920x1080x3", s, err, sizeof(err)) < 0, "trailing junk");
    bool b;
    CHECK(cfg_parse_bool("yes", &b, err, sizeof(err)) == 0 && b, "yes");
    CHECK(cfg_parse_bool("off", &b, err, sizeof(err)) == 0 && !b, "off");
    CHECK(cfg_parse_bool("maybe", &b, err, sizeof(err)) < 0, "maybe");
}

int main(void)
{
    test_durations();
    test_colors();
    test_sizes_bools();
    return check_finish("test_parse");
}
