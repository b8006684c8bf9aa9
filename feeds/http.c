/* feeds/http.c: config schema of HTTP JSON sources. The curl-multi feed
 * plugs in through .impl. */
#include "http.h"

#include <stddef.h>

static const struct cfg_key keys[] = {
    { "every", CFG_DURATION, CFG_OFF(http_source_opts, every), "30s", 1000, 86400000, .reload = true,
      .help = "Poll interval." },
    { "timeout", CFG_DURATION, CFG_OFF(http_source_opts, timeout), "10s", 100, 600000,
      .help = "Give up on one request after this long." },
    { "bearer", CFG_SECRET, CFG_OFF(http_source_opts, bearer), "",
      .help = "Bearer token sent as Authorization: Bearer." },
    { "username", CFG_STRING, CFG_OFF(http_source_opts, username), "", .help = "Basic auth user name." },
    { "password", CFG_SECRET, CFG_OFF(http_source_opts, password), "", .help = "Basic auth password." },
    { NULL },
};

const struct cfg_kind http_source_kind = {
    .name = "http",
    .value_help = "the URL of a JSON API, http:// or https://.",
    .value_type = CFG_URL,
    .keys = keys,
    .opts_size = sizeof(struct http_source_opts),
    .impl = NULL,
};
