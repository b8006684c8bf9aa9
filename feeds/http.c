/* feeds/http.c: HTTP(S) JSON sources, polled by one thread running one
 * libcurl multi handle for every HTTP source (connection reuse, no thread
 * per source).
 *
 * Each source keeps its own easy handle (so keep-alive connections and TLS
 * sessions are reused) and a schedule: polled every `every`; after an
 * error (refused, timeout, 5xx, bad JSON, too large) the next try backs
 * off, doubling up to retry_max, or waits as long as Retry-After asks. A
 * 304 reply to If-None-Match / If-Modified-Since keeps the values and
 * restarts their age. The thread parses each reply once and evaluates
 * every panel's extraction spec (feeds/extract.h) on it, writing slots and
 * tables. The main thread only adds and removes sources; curl_multi_wakeup
 * makes both take effect at once. */
#include "http.h"
#include "extract.h"
#include "feed.h"
#include "../core/util.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char *const methods[] = { "GET", "POST", NULL };

static const struct cfg_key keys[] = {
    { "every", CFG_DURATION, CFG_OFF(http_source_opts, every), "30s", 1000, 86400000,
      .help = "Poll interval: from the end of one reply to the next request." },
    { "timeout", CFG_DURATION, CFG_OFF(http_source_opts, timeout), "10s", 100, 600000,
      .help = "Give up on one request after this long." },
    { "method", CFG_ENUM, CFG_OFF(http_source_opts, method), "GET", .choices = methods,
      .help = "GET, or POST with body." },
    { "body", CFG_STRING, CFG_OFF(http_source_opts, body), "", .help = "Request body for POST (sent as JSON)." },
    { "headers", CFG_PAIRS, CFG_OFF(http_source_opts, headers), "",
      .help = "Extra request headers, e.g. { X-Api-Key: \"${KEY}\" }; values of auth-like names print as ***." },
    { "bearer", CFG_SECRET, CFG_OFF(http_source_opts, bearer), "",
      .help = "Bearer token sent as Authorization: Bearer." },
    { "username", CFG_STRING, CFG_OFF(http_source_opts, username), "", .help = "Basic auth user name." },
    { "password", CFG_SECRET, CFG_OFF(http_source_opts, password), "", .help = "Basic auth password." },
    { "ca", CFG_STRING, CFG_OFF(http_source_opts, ca), "",
      .help = "https: PEM file of the CA that signed the server's certificate; empty: the system's CAs." },
    { "verify", CFG_BOOL, CFG_OFF(http_source_opts, verify), "true",
      .help = "https: check the certificate and host name. Turning it off is logged as a warning." },
    { "max_size", CFG_INT, CFG_OFF(http_source_opts, max_size), "4194304", 1024, 1073741824,
      .help = "Largest reply accepted, in bytes; a larger one is an error." },
    { "retry_max", CFG_DURATION, CFG_OFF(http_source_opts, retry_max), "5m", 1000, 86400000,
      .help = "Longest wait between tries after errors (they double from `every`); a Retry-After "
              "header from the server may ask for longer, up to an hour." },
    { NULL },
};

struct sub_state {
    const struct scene_sub *sub;
    struct payload_path *path;
};

struct http_src {
    struct feed *f;
    CURL *easy;
    struct curl_slist *headers;
    char *buf;
    size_t len, cap;
    bool too_big;
    char etag[256], last_modified[256];             /* of the last reply applied */
    char new_etag[256], new_last_modified[256];     /* of the reply being read */
    long retry_after_s;
    bool html;
    int64_t next_due;
    int failures;
    bool in_flight;
    bool removing;              /* stop() asked; the thread drops it */
    struct sub_state *subs;
    size_t n_subs;
    char shown_url[512];
    struct http_src *next;
};

/* The one poller shared by all HTTP sources. */
static struct {
    pthread_mutex_t mu;
    pthread_cond_t cond;
    pthread_t thread;
    bool running;
    CURLM *multi;
    /* Guarded by mu: sources, and sources being added or removed. */
    struct http_src *list;
    int removals_pending;
    bool stop;
} poller = { .mu = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER };

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
    struct http_src *s = ctx;
    const struct http_source_opts *o = s->f->cfg->opts;
    size_t add = size * n;
    if (s->len + add > (size_t)o->max_size) {
        s->too_big = true;
        return 0; /* aborts the transfer: CURLE_WRITE_ERROR */
    }
    if (s->len + add + 1 > s->cap) {
        s->cap = (s->len + add + 1) * 2;
        s->buf = xrealloc(s->buf, s->cap);
    }
    memcpy(s->buf + s->len, data, add);
    s->len += add;
    s->buf[s->len] = '\0';
    return add;
}

/* Copies a header's value (trimmed) when line is "name: value". */
static bool header_value(const char *line, size_t len, const char *name, char *out, size_t outlen)
{
    size_t nl = strlen(name);
    if (len <= nl + 1 || strncasecmp(line, name, nl) != 0 || line[nl] != ':') {
        return false;
    }
    const char *v = line + nl + 1;
    size_t vl = len - nl - 1;
    while (vl && isspace((unsigned char)*v)) {
        v++, vl--;
    }
    while (vl && isspace((unsigned char)v[vl - 1])) {
        vl--;
    }
    snprintf(out, outlen, "%.*s", (int)vl, v);
    return true;
}

static size_t on_header(char *data, size_t size, size_t n, void *ctx)
{
    struct http_src *s = ctx;
    size_t len = size * n;
    char v[256];
    if (header_value(data, len, "ETag", v, sizeof(v))) {
        snprintf(s->new_etag, sizeof(s->new_etag), "%s", v);
    } else if (header_value(data, len, "Last-Modified", v, sizeof(v))) {
        snprintf(s->new_last_modified, sizeof(s->new_last_modified), "%s", v);
    } else if (header_value(data, len, "Retry-After", v, sizeof(v))) {
        char *end;
        long secs = strtol(v, &end, 10);
        if (end != v && *end == '\0') {
            s->retry_after_s = secs;
        } else {
            time_t when = curl_getdate(v, NULL); /* an HTTP date */
            s->retry_after_s = when > 0 ? (long)(when - time(NULL)) : 0;
        }
    } else if (header_value(data, len, "Content-Type", v, sizeof(v))) {
        s->html = strcasestr(v, "html") != NULL;
    }
    return len;
}

/* Sets the per-request parts: conditional headers and the fixed ones. */
static void prepare(struct http_src *s)
{
    const struct http_source_opts *o = s->f->cfg->opts;
    curl_slist_free_all(s->headers);
    s->headers = NULL;
    s->headers = curl_slist_append(s->headers, "Accept: application/json");
    const char *p = o->headers;
    while (p && *p) {
        size_t line = strcspn(p, "\n");
        const char *eq = memchr(p, '=', line);
        if (eq) {
            char *h = xasprintf("%.*s: %.*s", (int)(eq - p), p, (int)(line - (size_t)(eq - p) - 1), eq + 1);
            s->headers = curl_slist_append(s->headers, h);
            free(h);
        }
        p += line + (p[line] == '\n');
    }
    if (o->bearer[0]) {
        char *h = xasprintf("Authorization: Bearer %s", o->bearer);
        s->headers = curl_slist_append(s->headers, h);
        free(h);
    }
    if (o->method == 1) {
        s->headers = curl_slist_append(s->headers, "Content-Type: application/json");
    }
    if (s->etag[0]) {
        char *h = xasprintf("If-None-Match: %s", s->etag);
        s->headers = curl_slist_append(s->headers, h);
        free(h);
    } else if (s->last_modified[0]) {
        char *h = xasprintf("If-Modified-Since: %s", s->last_modified);
        s->headers = curl_slist_append(s->headers, h);
        free(h);
    }
    curl_easy_setopt(s->easy, CURLOPT_HTTPHEADER, s->headers);
    s->len = 0;
    s->new_etag[0] = s->new_last_modified[0] = '\0';
    s->too_big = false;
    s->retry_after_s = 0;
    s->html = false;
}

static void fail(struct http_src *s, const char *why)
{
    const struct http_source_opts *o = s->f->cfg->opts;
    s->failures++;
    /* every, 2x, 4x ... up to retry_max; Retry-After when the server asks for longer */
    int64_t delay = o->every;
    for (int i = 1; i < s->failures && delay < o->retry_max; i++) {
        delay *= 2;
    }
    if (delay > o->retry_max) {
        delay = o->retry_max;
    }
    if (s->retry_after_s > 0 && s->retry_after_s * 1000 > delay) {
        /* The server's own Retry-After wins over retry_max, up to an hour. */
        delay = s->retry_after_s * 1000 > 3600000 ? 3600000 : s->retry_after_s * 1000;
    }
    s->next_due = now_ms() + delay;
    scene_source_count(s->f->src, SOURCE_ERRORS, 1);
    scene_source_set_status(s->f->src, SOURCE_RETRYING, why, s->next_due);
    log_warn(s->f->log, "%s: %s", s->shown_url, why);
}

static void apply(struct http_src *s)
{
    char err[160];
    if (s->html) {
        fail(s, "reply is HTML, not JSON (a login or error page?)");
        return;
    }
    cJSON *root = cJSON_ParseWithLength(s->buf ? s->buf : "", s->len);
    if (!root) {
        fail(s, s->len ? "reply is not valid JSON" : "empty reply");
        return;
    }
    int64_t now = now_ms();
    size_t bad = 0;
    char first_err[160] = "";
    static struct table_row rows[256];
    for (size_t i = 0; i < s->n_subs; i++) {
        const struct scene_sub *sub = s->subs[i].sub;
        const struct extract_spec *spec = sub->spec;
        struct slot_value v;
        size_t n = 0;
        size_t max = sizeof(rows) / sizeof(rows[0]);
        if (!s->subs[i].path ||
            extract_eval(root, spec, s->subs[i].path, &v, rows, max, &n, err, sizeof(err)) < 0) {
            bad++;
            if (!s->subs[i].path) {
                snprintf(err, sizeof(err), "bad path");
            }
            log_warn(s->f->log, "%s: %s", s->shown_url, err);
            if (!first_err[0]) {
                snprintf(first_err, sizeof(first_err), "%s", err);
            }
            if (sub->slot) {
                scene_slot_error(sub->slot, err);
            } else if (sub->table) {
                scene_table_error(sub->table, "\x7f", err);
            }
            continue;
        }
        if (sub->slot) {
            v.time_ms = now;
            scene_slot_write(sub->slot, &v);
        } else if (sub->table) {
            for (size_t r = 0; r < n; r++) {
                rows[r].value.time_ms = now;
            }
            scene_table_replace(sub->table, rows, n);
        }
    }
    cJSON_Delete(root);
    if (bad && bad == s->n_subs) {
        /* Nothing usable: like any bad reply, keep the values, say why (the
         * first panel's problem), back off. */
        fail(s, first_err);
        return;
    }
    /* Only a reply that was used may be confirmed later by a 304. */
    snprintf(s->etag, sizeof(s->etag), "%s", s->new_etag);
    snprintf(s->last_modified, sizeof(s->last_modified), "%s", s->new_last_modified);
    scene_source_count(s->f->src, bad ? SOURCE_ERRORS : SOURCE_FRAMES, 1);
    scene_source_touch(s->f->src);
    scene_source_set_status(s->f->src, SOURCE_LIVE, NULL, 0);
    if (bad) {
        /* Some panels' paths fit, some do not: those show their error; poll
         * less often until the reply fits them all. */
        s->failures++;
        const struct http_source_opts *o = s->f->cfg->opts;
        int64_t delay = o->every;
        for (int i = 1; i < s->failures && delay < o->retry_max; i++) {
            delay *= 2;
        }
        s->next_due = now_ms() + (delay < o->retry_max ? delay : o->retry_max);
        scene_source_count(s->f->src, SOURCE_ERRORS, 1);
    } else {
        s->failures = 0;
    }
}

static void done(struct http_src *s, CURLcode rc)
{
    const struct http_source_opts *o = s->f->cfg->opts;
    s->in_flight = false;
    curl_multi_remove_handle(poller.multi, s->easy);
    long status = 0;
    curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_off_t got = 0;
    curl_easy_getinfo(s->easy, CURLINFO_SIZE_DOWNLOAD_T, &got);
    scene_source_count(s->f->src, SOURCE_BYTES, (uint64_t)(got > 0 ? got : 0));
    char why[200];
    if (rc != CURLE_OK) {
        switch (rc) {
        case CURLE_COULDNT_CONNECT: snprintf(why, sizeof(why), "connection refused"); break;
        case CURLE_COULDNT_RESOLVE_HOST: snprintf(why, sizeof(why), "host name not found"); break;
        case CURLE_OPERATION_TIMEDOUT: {
            char t[32];
            cfg_format_duration(o->timeout, t, sizeof(t));
            snprintf(why, sizeof(why), "no reply within %s", t);
            break;
        }
        case CURLE_PARTIAL_FILE:
            snprintf(why, sizeof(why), "reply cut short (the connection closed early)");
            break;
        case CURLE_GOT_NOTHING:
            snprintf(why, sizeof(why), "empty reply (the server closed the connection)");
            break;
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CONNECT_ERROR: {
            char host[128];
            url_host(s->f->cfg->url, host, sizeof(host));
            snprintf(why, sizeof(why), rc == CURLE_PEER_FAILED_VERIFICATION
                                           ? "TLS: the certificate of %s is not trusted or not made out to it "
                                             "(set ca: to the CA that signed it)"
                                           : "TLS handshake with %s failed (is it https? see ca:, cert:)",
                     host);
            break;
        }
        case CURLE_FILESIZE_EXCEEDED:
        case CURLE_WRITE_ERROR:
            if (s->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
                snprintf(why, sizeof(why), "reply larger than max_size (%d bytes)", o->max_size);
                break;
            }
            /* fall through */
        default: snprintf(why, sizeof(why), "%s", curl_easy_strerror(rc)); break;
        }
        fail(s, why);
        return;
    }
    if (status == 304) {
        /* Unchanged: the values stand, confirmed now. */
        int64_t now = now_ms();
        for (size_t i = 0; i < s->n_subs; i++) {
            if (s->subs[i].sub->slot) {
                scene_slot_refresh(s->subs[i].sub->slot, now);
            } else if (s->subs[i].sub->table) {
                scene_table_refresh(s->subs[i].sub->table, now);
            }
        }
        scene_source_touch(s->f->src);
        scene_source_count(s->f->src, SOURCE_FRAMES, 1);
        s->failures = 0;
        scene_source_set_status(s->f->src, SOURCE_LIVE, NULL, 0);
    } else if (status >= 200 && status < 300) {
        apply(s);
    } else {
        const char *hint = status == 401 || status == 403 ? " (check bearer / username / password)"
                         : status == 404 ? " (check the URL)" : status == 429 ? " (too many requests)" : "";
        snprintf(why, sizeof(why), "HTTP %ld%s", status, hint);
        fail(s, why);
        return;
    }
    if (s->failures == 0) {
        s->next_due = now_ms() + o->every;
    }
}

static void start_request(struct http_src *s)
{
    prepare(s);
    s->in_flight = true;
    curl_multi_add_handle(poller.multi, s->easy);
}

static void free_src(struct http_src *s)
{
    if (s->easy) {
        curl_easy_cleanup(s->easy);
    }
    curl_slist_free_all(s->headers);
    for (size_t i = 0; i < s->n_subs; i++) {
        payload_path_free(s->subs[i].path);
    }
    free(s->subs);
    free(s->buf);
    free(s);
}

static void *poll_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&poller.mu);
    while (!poller.stop) {
        /* Drop sources being stopped; start the due ones. */
        int64_t now = now_ms();
        int64_t wait = 1000;
        for (struct http_src **pp = &poller.list; *pp;) {
            struct http_src *s = *pp;
            if (s->removing) {
                if (s->in_flight) {
                    curl_multi_remove_handle(poller.multi, s->easy);
                }
                *pp = s->next;
                free_src(s);
                poller.removals_pending--;
                pthread_cond_broadcast(&poller.cond);
                continue;
            }
            if (!s->in_flight && now >= s->next_due) {
                start_request(s);
            } else if (!s->in_flight && s->next_due - now < wait) {
                wait = s->next_due - now;
            }
            pp = &s->next;
        }
        pthread_mutex_unlock(&poller.mu);
        int running = 0;
        curl_multi_perform(poller.multi, &running);
        CURLMsg *msg;
        int left;
        pthread_mutex_lock(&poller.mu);
        while ((msg = curl_multi_info_read(poller.multi, &left)) != NULL) {
            if (msg->msg != CURLMSG_DONE) {
                continue;
            }
            struct http_src *s = NULL;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&s);
            if (s && !s->removing) {
                done(s, msg->data.result);
            }
        }
        pthread_mutex_unlock(&poller.mu);
        /* Sleeps until a socket is ready, the next poll is due, or a wakeup. */
        curl_multi_poll(poller.multi, NULL, 0, (int)(wait < 1 ? 1 : wait), NULL);
        pthread_mutex_lock(&poller.mu);
    }
    pthread_mutex_unlock(&poller.mu);
    return NULL;
}

static int start(struct feed *f)
{
    const struct http_source_opts *o = f->cfg->opts;
    struct http_src *s = xcalloc(1, sizeof(*s));
    s->f = f;
    redact_url(f->cfg->url, s->shown_url, sizeof(s->shown_url));
    if (strncmp(f->cfg->url, "http://", 7) != 0 && strncmp(f->cfg->url, "https://", 8) != 0) {
        scene_source_set_status(f->src, SOURCE_DISABLED, "URL must start with http:// or https://", 0);
        free_src(s);
        return -1;
    }
    size_t n = scene_n_subs(f->src);
    s->subs = xcalloc(n ? n : 1, sizeof(*s->subs));
    for (size_t i = 0; i < n; i++) {
        char err[160];
        const struct scene_sub *sub = scene_sub_at(f->src, i);
        if (!sub->spec) {
            continue; /* its panel went away in a hot reload */
        }
        s->subs[s->n_subs].sub = sub;
        s->subs[s->n_subs].path = payload_path_compile(sub->path, err, sizeof(err));
        if (!s->subs[s->n_subs].path) {
            log_error(f->log, "%s", err);
        }
        s->n_subs++;
    }
    s->easy = curl_easy_init();
    if (!s->easy) {
        scene_source_set_status(f->src, SOURCE_DISABLED, "curl_easy_init failed", 0);
        free_src(s);
        return -1;
    }
    CURL *e = s->easy;
    curl_easy_setopt(e, CURLOPT_URL, f->cfg->url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)s);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, s);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, ""); /* gzip, deflate, br as curl supports */
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, 3L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)o->timeout);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)(o->timeout < 5000 ? o->timeout : 5000));
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "pantau/" PANTAU_VERSION);
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_size);
    if (o->username[0] || o->password[0]) {
        curl_easy_setopt(e, CURLOPT_USERNAME, o->username);
        curl_easy_setopt(e, CURLOPT_PASSWORD, o->password);
    }
    if (o->method == 1) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, o->body);
    }
    if (o->ca[0]) {
        curl_easy_setopt(e, CURLOPT_CAINFO, o->ca);
    }
    if (!o->verify) {
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
        log_warn(f->log, "TLS certificate verification is OFF for %s (verify: false): anyone on the "
                         "network path can impersonate this server", s->shown_url);
    }
    f->priv = s;
    scene_source_set_status(f->src, SOURCE_CONNECTING, NULL, 0);
    pthread_mutex_lock(&poller.mu);
    if (!poller.running) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        poller.multi = curl_multi_init();
        /* No per-host connection limit: each source has one handle, so one
         * connection at most, and a slow endpoint must not queue the
         * others of the same server behind it. Keep every connection for
         * reuse: curl's default cache (4 x the handles added) shrinks as
         * handles finish and would reconnect (and redo TLS) each poll. */
        curl_multi_setopt(poller.multi, CURLMOPT_MAXCONNECTS, 1024L);
        poller.stop = false;
        if (pthread_create(&poller.thread, NULL, poll_main, NULL) != 0) {
            pthread_mutex_unlock(&poller.mu);
            scene_source_set_status(f->src, SOURCE_DISABLED, "cannot start the HTTP thread", 0);
            f->priv = NULL;
            free_src(s);
            return -1;
        }
        poller.running = true;
    }
    /* Spread the first polls of many sources over a second, so a server
     * is not hit by every source at the same instant. */
    static unsigned started;
    s->next_due = now_ms() + (int64_t)(started++ % 20) * 50;
    s->next = poller.list;
    poller.list = s;
    pthread_mutex_unlock(&poller.mu);
    curl_multi_wakeup(poller.multi);
    return 0;
}

static void stop(struct feed *f)
{
    struct http_src *s = f->priv;
    if (!s) {
        return;
    }
    pthread_mutex_lock(&poller.mu);
    s->removing = true;
    poller.removals_pending++;
    curl_multi_wakeup(poller.multi);
    /* The poller frees it on its next turn (bounded: curl_multi_poll wakes). */
    while (poller.removals_pending > 0) {
        pthread_cond_wait(&poller.cond, &poller.mu);
    }
    bool last = poller.list == NULL;
    if (last) {
        poller.stop = true;
    }
    pthread_mutex_unlock(&poller.mu);
    f->priv = NULL;
    if (last) {
        curl_multi_wakeup(poller.multi);
        pthread_join(poller.thread, NULL);
        curl_multi_cleanup(poller.multi);
        poller.multi = NULL;
        poller.running = false;
        curl_global_cleanup();
    }
}

static const struct feed_ops ops = {
    .kind = "http",
    .start = start,
    .stop = stop,
};

static const char *const schemes[] = { "http", "https", NULL };

const struct cfg_kind http_source_kind = {
    .name = "http",
    .value_help = "the URL of a JSON API, http:// or https://.",
    .value_type = CFG_URL,
    .keys = keys,
    .opts_size = sizeof(struct http_source_opts),
    .schemes = schemes,
    .impl = &ops,
};
