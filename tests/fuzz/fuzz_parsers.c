/* tests/fuzz/fuzz_parsers.c: the small parsers every config value and
 * network text goes through: durations, colours, sizes, booleans, URL
 * redaction, text cleaning, broker URLs. */
#include "config/schema.h"
#include "core/util.h"
#include "feeds/mqtt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    char err[256], out[512];
    int64_t ms;
    uint32_t rgba;
    int wh[2];
    bool b;
    if (cfg_parse_duration(s, &ms, err, sizeof(err)) == 0) {
        cfg_format_duration(ms, out, sizeof(out));
    }
    if (cfg_parse_color(s, &rgba, err, sizeof(err)) == 0) {
        cfg_format_color(rgba, out, sizeof(out));
    }
    cfg_parse_size(s, wh, err, sizeof(err));
    cfg_parse_bool(s, &b, err, sizeof(err));
    redact_url(s, out, sizeof(out));
    redact_url(s, out, 8); /* a small buffer */
    sanitize_text(s, out, sizeof(out));
    sanitize_text(s, out, 5);
    bool tls;
    mqtt_paho_uri(s, out, sizeof(out), &tls);
    free(s);
    return 0;
}
