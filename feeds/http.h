/* feeds/http.h: HTTP(S) JSON API sources, polled by one curl-multi thread
 * shared by every HTTP source. Panels register extraction specs
 * (feeds/extract.h) as scene subs. */
#ifndef PANTAU_FEED_HTTP_H
#define PANTAU_FEED_HTTP_H

#include "../config/schema.h"

#include <stdbool.h>
#include <stdint.h>

struct http_source_opts {
    int64_t every;
    int64_t timeout;
    int method;             /* 0 GET, 1 POST */
    char *body;
    char *headers;          /* "Name=value\n..." */
    char *bearer;
    char *username;
    char *password;
    char *ca;
    bool verify;
    int max_size;
    int64_t retry_max;
};

extern const struct cfg_kind http_source_kind;

#endif
