/* tests/fuzz/fuzz_config.c: the config loader (YAML -> schema -> checks)
 * on any bytes: never crashes, leaks or hangs; errors come as lines. */
#include "config/config.h"
#include "core/log.h"
#include "feeds/feed.h"
#include "widgets/widget.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct cfg_kinds kinds = { widget_kinds, feed_kinds };
    static int once;
    if (!once) {
        once = 1;
        log_setup(LOG_ERROR, fopen("/dev/null", "w")); /* quiet */
        setenv("FUZZ_VAR", "value", 1);
    }
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    struct cfg_errors errs = { 0 };
    struct cfg *c = cfg_load("fuzz.yaml", text, &kinds, &errs);
    if (c) {
        FILE *null = fopen("/dev/null", "w");
        if (null) {
            cfg_print(c, null); /* printing back what loaded must not crash either */
            fclose(null);
        }
        cfg_destroy(c);
    }
    cfg_errors_finish(&errs);
    free(text);
    return 0;
}
