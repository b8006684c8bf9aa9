/* config/parse.c: one parser and one formatter per scalar type (durations,
 * colours, sizes, booleans). Pure functions; any thread. */
#include "schema.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int cfg_parse_duration(const char *s, int64_t *ms, char *err, size_t errlen)
{
    static const struct {
        const char *unit;
        double ms;
    } units[] = {
        { "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 }, { "d", 86400000 },
    };
    const char *p = s;
    double total = 0;
    double last_unit = INFINITY;
    if (strcmp(s, "0") == 0) {
        *ms = 0;
        return 0;
    }
    if (!*p) {
        goto bad;
    }
    while (*p) {
        if (!isdigit((unsigned char)*p)) {
            goto bad;
        }
        char *end;
        errno = 0;
        double v = strtod(p, &end);
        if (errno || end == p) {
            goto bad;
        }
        p = end;
        size_t ulen = 0;
        while (isalpha((unsigned char)p[ulen])) {
            ulen++;
        }
        double mult = -1;
        for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
            if (strlen(units[i].unit) == ulen && strncmp(p, units[i].unit, ulen) == 0) {
                mult = units[i].ms;
            }
        }
        /* Units must go from large to small, each once: "1m30s", not "30s1m". */
        if (mult < 0 || mult >= last_unit) {
            goto bad;
        }
        last_unit = mult;
        total += v * mult;
        p += ulen;
    }
    if (total > 1e15) {
        goto bad;
    }
    *ms = (int64_t)llround(total);
    return 0;
bad:
    snprintf(err, errlen, "a duration such as 250ms, 30s, 5m, 1h30m");
    return -1;
}

void cfg_format_duration(int64_t ms, char *out, size_t outlen)
{
    if (ms == 0) {
        snprintf(out, outlen, "0s");
        return;
    }
    static const struct {
        const char *unit;
        int64_t ms;
    } units[] = {
        { "d", 86400000 }, { "h", 3600000 }, { "m", 60000 }, { "s", 1000 }, { "ms", 1 },
    };
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]) && len < outlen; i++) {
        int64_t n = ms / units[i].ms;
        if (n) {
            len += (size_t)snprintf(out + len, outlen - len, "%lld%s", (long long)n, units[i].unit);
            ms -= n * units[i].ms;
        }
    }
}

static const struct {
    const char *name;
    uint32_t rgba;
} color_names[] = {
    { "black", 0x000000ff },  { "white", 0xffffffff },   { "red", 0xe53935ff },
    { "green", 0x43a047ff },  { "blue", 0x1e88e5ff },    { "yellow", 0xfdd835ff },
    { "amber", 0xffb300ff },  { "orange", 0xfb8c00ff },  { "grey", 0x9e9e9eff },
    { "gray", 0x9e9e9eff },   { "cyan", 0x00acc1ff },    { "magenta", 0xd81b60ff },
    { "navy", 0x0d1b3eff },   { "teal", 0x00897bff },    { "transparent", 0x00000000 },
};

int cfg_parse_color(const char *s, uint32_t *rgba, char *err, size_t errlen)
{
    size_t n = strlen(s);
    if (s[0] == '#' && (n == 7 || n == 9)) {
        uint32_t v = 0;
        for (size_t i = 1; i < n; i++) {
            int c = tolower((unsigned char)s[i]);
            if (!isxdigit(c)) {
                goto bad;
            }
            v = v * 16 + (uint32_t)(isdigit(c) ? c - '0' : c - 'a' + 10);
        }
        *rgba = n == 7 ? (v << 8) | 0xff : v;
        return 0;
    }
    for (size_t i = 0; i < sizeof(color_names) / sizeof(color_names[0]); i++) {
        if (strcasecmp(s, color_names[i].name) == 0) {
            *rgba = color_names[i].rgba;
            return 0;
        }
    }
bad:
    snprintf(err, errlen, "a colour: #rrggbb, #rrggbbaa or a name (black, white, red, green, "
                          "blue, yellow, amber, orange, grey, cyan, magenta, navy, teal)");
    return -1;
}

void cfg_format_color(uint32_t rgba, char *out, size_t outlen)
{
    if ((rgba & 0xff) == 0xff) {
        snprintf(out, outlen, "#%06x", (unsigned)(rgba >> 8));
    } else {
        snprintf(out, outlen, "#%08x", (unsigned)rgba);
    }
}

int cfg_parse_size(const char *s, int out[2], char *err, size_t errlen)
{
    char *end;
    errno = 0;
    long w = strtol(s, &end, 10);
    if (errno || end == s || (*end != 'x' && *end != 'X') || !isdigit((unsigned char)s[0])) {
        goto bad;
    }
    const char *h_s = end + 1;
    if (!isdigit((unsigned char)*h_s)) {
        goto bad;
    }
    long h = strtol(h_s, &end, 10);
    if (errno || *end || w > 100000 || h > 100000) {
        goto bad;
    }
    out[0] = (int)w;
    out[1] = (int)h;
    return 0;
bad:
    snprintf(err, errlen, "a size: [width, height] or \"WIDTHxHEIGHT\"");
    return -1;
}

int cfg_parse_bool(const char *s, bool *out, char *err, size_t errlen)
{
    static const char *const yes[] = { "true", "yes", "on" };
    static const char *const no[] = { "false", "no", "off" };
    for (size_t i = 0; i < 3; i++) {
        if (strcmp(s, yes[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcmp(s, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    snprintf(err, errlen, "true or false");
    return -1;
}
