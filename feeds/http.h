/* feeds/http.h: HTTP JSON API sources. The curl-multi feed arrives with the
 * HTTP issue; today this kind is configured and validated and its sources
 * show DISABLED with a reason. */
#ifndef PANTAU_FEED_HTTP_H
#define PANTAU_FEED_HTTP_H

#include "../config/schema.h"

#include <stdint.h>

struct http_source_opts {
    int64_t every;
    int64_t timeout;
    char *bearer;
    char *username;
    char *password;
};

extern const struct cfg_kind http_source_kind;

#endif
