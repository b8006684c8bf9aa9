/* tests/fuzz/fuzz_command.c: remote commands (app/remote.c remote_parse)
 * checked against the demo wall's config, on any payload. */
#include "app/control.h"
#include "app/remote.h"
#include "config/config.h"
#include "core/log.h"
#include "feeds/feed.h"
#include "widgets/widget.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct cfg_kinds kinds = { widget_kinds, feed_kinds };
    static struct cfg *cfg;
    if (!cfg) {
        log_setup(LOG_ERROR, fopen("/dev/null", "w"));
        struct cfg_errors errs = { 0 };
        cfg = cfg_load("<demo>", cfg_demo_yaml, &kinds, &errs);
        cfg_errors_finish(&errs);
        if (!cfg) {
            abort();
        }
    }
    struct wall_cmd c;
    const char *name;
    void *json;
    char why[512];
    remote_parse((const char *)data, size, cfg, size % 2 == 0, &c, &name, &json, why, sizeof(why));
    cJSON_Delete(json);
    return 0;
}
