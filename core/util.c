/* core/util.c: helpers shared by every module (see util.h). Thread-safe. */
#include "util.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#ifdef __GLIBC__
#include <malloc.h> /* malloc_trim */
#include <sys/mman.h>
#include <unistd.h>
#endif

static void oom(size_t n)
{
    fprintf(stderr, "pantau: out of memory allocating %zu bytes\n", n);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        oom(n);
    }
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) {
        oom(n * size);
    }
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        oom(n);
    }
    return q;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *d = xmalloc(len + 1);
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return xstrdup("");
    }
    char *s = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Fake clock: written once at start-up by main or a test, read by all. */
static _Atomic int64_t fake_base = -1;
static _Atomic int64_t fake_mono0;
static _Atomic bool fake_advance;

void util_fake_time(int64_t t, bool advance)
{
    atomic_store(&fake_mono0, now_ms());
    atomic_store(&fake_advance, advance);
    atomic_store(&fake_base, t);
}

int64_t wall_time(void)
{
    int64_t base = atomic_load(&fake_base);
    if (base < 0) {
        return (int64_t)time(NULL);
    }
    if (!atomic_load(&fake_advance)) {
        return base;
    }
    return base + (now_ms() - atomic_load(&fake_mono0)) / 1000;
}

static bool secret_param(const char *name, size_t len)
{
    static const char *const names[] = {
        "token", "access_token", "key", "apikey", "api_key", "password",
        "pass", "pwd", "secret", "auth", "signature", "sig", "credentials",
    };
    for (size_t i = 0; i < ARRAY_LEN(names); i++) {
        if (strlen(names[i]) == len && strncasecmp(name, names[i], len) == 0) {
            return true;
        }
    }
    return false;
}

/* Appends to a bounded buffer; silently truncates. */
struct sbuf {
    char *p;
    size_t len, cap;
};

static void sb_putn(struct sbuf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n && b->len + 1 < b->cap; i++) {
        b->p[b->len++] = s[i];
    }
    b->p[b->len] = '\0';
}

char *url_host(const char *url, char *out, size_t outlen)
{
    if (!outlen) {
        return out;
    }
    out[0] = '\0';
    const char *h = url ? strstr(url, "://") : NULL;
    if (!h) {
        return out;
    }
    h += 3;
    size_t len = strcspn(h, "/?#");
    for (size_t i = len; i > 0; i--) {
        if (h[i - 1] == '@') { /* the last '@' ends the userinfo */
            len -= i;
            h += i;
            break;
        }
    }
    size_t n;
    if (h[0] == '[') {
        const char *close = memchr(h, ']', len);
        h++;
        n = close ? (size_t)(close - h) : len - 1;
    } else {
        const char *colon = memchr(h, ':', len);
        n = colon ? (size_t)(colon - h) : len;
    }
    snprintf(out, outlen, "%.*s", (int)n, h);
    return out;
}

char *redact_url(const char *url, char *out, size_t outlen)
{
    struct sbuf b = { out, 0, outlen };
    if (!outlen) {
        return out;
    }
    out[0] = '\0';
    if (!url) {
        return out;
    }
    const char *p = url;
    const char *scheme = strstr(url, "://");
    if (scheme) {
        const char *auth = scheme + 3;
        size_t hostlen = strcspn(auth, "/?#");
        const char *at = NULL;
        for (const char *q = auth; q < auth + hostlen; q++) {
            if (*q == '@') {
                at = q; /* the last '@' ends the userinfo */
            }
        }
        sb_putn(&b, url, (size_t)(auth - url));
        if (at) {
            const char *colon = memchr(auth, ':', (size_t)(at - auth));
            if (colon) {
                sb_putn(&b, auth, (size_t)(colon - auth));
                sb_putn(&b, ":***", 4);
            } else {
                sb_putn(&b, "***", 3); /* a bare token as user name */
            }
            p = at;
        } else {
            p = auth;
        }
    }
    /* Copy up to the query, then each parameter, redacting secret ones. */
    size_t pre = strcspn(p, "?");
    sb_putn(&b, p, pre);
    p += pre;
    if (*p != '?') {
        return out;
    }
    sb_putn(&b, "?", 1);
    p++;
    while (*p) {
        size_t plen = strcspn(p, "&#");
        size_t nlen = strcspn(p, "=&#");
        if (nlen < plen && secret_param(p, nlen)) {
            sb_putn(&b, p, nlen + 1);
            sb_putn(&b, "***", 3);
        } else {
            sb_putn(&b, p, plen);
        }
        p += plen;
        if (*p == '&') {
            sb_putn(&b, "&", 1);
            p++;
        } else if (*p == '#') {
            sb_putn(&b, p, strlen(p));
            break;
        }
    }
    return out;
}

void url_each_secret(const char *url, void (*fn)(const char *secret))
{
    if (!url) {
        return;
    }
    /* redact_url marks every secret with "***": walk both strings together. */
    size_t n = strlen(url);
    char *red = xmalloc(n + 64);
    redact_url(url, red, n + 64);
    const char *u = url, *r = red;
    while (*r) {
        if (strncmp(r, "***", 3) == 0 && strncmp(u, "***", 3) != 0) {
            /* The secret runs in url until the text after *** resumes. */
            const char *after = r + 3;
            size_t alen = strcspn(after, "&#@");
            const char *end;
            if (*after == '\0') {
                end = u + strlen(u);
            } else {
                const char *hit = strstr(u, after[0] == '@' ? "@" : after);
                if (after[0] == '@') {
                    /* userinfo ends at the last '@' before the path */
                    const char *host_end = u + strcspn(u, "/?#");
                    hit = NULL;
                    for (const char *q = u; q < host_end; q++) {
                        if (*q == '@') {
                            hit = q;
                        }
                    }
                }
                end = hit ? hit : u + strcspn(u, "&#");
            }
            (void)alen;
            char *secret = xstrndup(u, (size_t)(end - u));
            fn(secret);
            free(secret);
            u = end;
            r = after;
            continue;
        }
        u++;
        r++;
    }
    free(red);
}

/* Length of the valid UTF-8 sequence at s, 0 if invalid. */
static size_t utf8_len(const unsigned char *s)
{
    if (s[0] < 0x80) {
        return 1;
    }
    size_t n;
    unsigned min;
    unsigned cp;
    if ((s[0] & 0xe0) == 0xc0) {
        n = 2, cp = s[0] & 0x1f, min = 0x80;
    } else if ((s[0] & 0xf0) == 0xe0) {
        n = 3, cp = s[0] & 0x0f, min = 0x800;
    } else if ((s[0] & 0xf8) == 0xf0) {
        n = 4, cp = s[0] & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return 0;
    }
    /* C1 control characters are control characters too. */
    if (cp >= 0x80 && cp < 0xa0) {
        return 0;
    }
    return n;
}

char *sanitize_text(const char *in, char *out, size_t outlen)
{
    struct sbuf b = { out, 0, outlen };
    if (!outlen) {
        return out;
    }
    out[0] = '\0';
    const unsigned char *s = (const unsigned char *)(in ? in : "");
    while (*s) {
        if (*s == 0x1b) {
            /* A terminal escape (colours, cursor moves): dropped whole, so
             * "\e[31mRED" shows as "RED", not "?[31mRED". */
            s++;
            if (*s == '[') {
                s++;
                while (*s >= 0x20 && *s <= 0x3f) {
                    s++; /* parameters and intermediates */
                }
                if (*s >= 0x40 && *s <= 0x7e) {
                    s++; /* the final byte */
                }
            } else if (*s >= 0x20 && *s <= 0x7e) {
                s++;
            }
            continue;
        }
        if (*s == '\n' || *s == '\r' || *s == '\t') {
            sb_putn(&b, " ", 1); /* line breaks and tabs: one line of text */
            s++;
            continue;
        }
        size_t n = utf8_len(s);
        if (n == 1 && (*s < 0x20 || *s == 0x7f)) {
            s++; /* other control characters: nothing to show */
            continue;
        }
        if (n == 0) {
            /* Not UTF-8 (or a C1 control): a visible mark, the text goes on. */
            sb_putn(&b, "?", 1);
            s++;
            continue;
        }
        if (b.len + n + 1 > b.cap) {
            break; /* never cut a character in half */
        }
        sb_putn(&b, (const char *)s, n);
        s += n;
    }
    return out;
}

int edit_distance(const char *a, const char *b)
{
    /* Optimal string alignment: a swap of two neighbours ("gird" for
     * "grid") counts as one edit, like a missing or wrong letter. */
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63) {
        return 99;
    }
    int d[64][64];
    for (size_t i = 0; i <= la; i++) {
        d[i][0] = (int)i;
    }
    for (size_t j = 0; j <= lb; j++) {
        d[0][j] = (int)j;
    }
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int best = d[i - 1][j - 1] + cost;
            if (d[i - 1][j] + 1 < best) {
                best = d[i - 1][j] + 1;
            }
            if (d[i][j - 1] + 1 < best) {
                best = d[i][j - 1] + 1;
            }
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best) {
                best = d[i - 2][j - 2] + 1;
            }
            d[i][j] = best;
        }
    }
    return d[la][lb];
}

void format_age(int64_t ms, char *out, size_t outlen)
{
    int64_t s = ms < 0 ? 0 : ms / 1000;
    if (s < 60) {
        snprintf(out, outlen, "%d s", (int)s);
    } else if (s < 3600) {
        snprintf(out, outlen, "%d:%02d", (int)(s / 60), (int)(s % 60));
    } else {
        snprintf(out, outlen, "%d:%02d:%02d", (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60));
    }
}

struct timespec util_deadline(int64_t ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += (time_t)(ms / 1000);
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

/* A sanitizer replaces malloc: glibc's arenas are then never set up and
 * malloc_trim walks a null arena list (ASan caught it: SEGV in mtrim). */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define PANTAU_OWN_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define PANTAU_OWN_MALLOC 1
#endif
#endif

void mem_setup(void)
{
#if defined(__GLIBC__) && !defined(PANTAU_OWN_MALLOC)
    /* A wall runs for months while decoder, probe and connect threads come
     * and go. glibc gives threads that allocate at the same moment arenas
     * of their own, up to 8 per core, and never gives an arena back: the
     * soak saw RSS climb for 25 minutes (in-use heap flat, free-but-held
     * heap growing) as reconnect storms made new arenas, then level off.
     * Two arenas level it off at once and lower; the threads' allocations
     * are few (pictures come from pools), so the lock costs nothing seen. */
    mallopt(M_ARENA_MAX, 2); // NOLINT(concurrency-mt-unsafe): main calls it before any thread
    /* Blocks of 64 KiB and more (decoder tables, packet and picture
     * buffers) are mapped on their own and go back to the system when
     * freed. glibc's own threshold climbs to the largest block freed (up
     * to 32 MiB), after which such blocks sit in the heap and leave holes
     * it cannot return: 7-9 MB more RSS on a 24-camera wall (bench/video).
     * The blocks come from pools, so the extra mmap calls are few. */
    mallopt(M_MMAP_THRESHOLD, 64 * 1024); // NOLINT(concurrency-mt-unsafe): as above
#endif
}

size_t mem_release_zero_pages(void *p, size_t n)
{
#if defined(__linux__) && defined(MADV_DONTNEED)
    long ps = sysconf(_SC_PAGESIZE);
    if (!p || ps <= 0) {
        return 0;
    }
    uintptr_t page = (uintptr_t)ps;
    uintptr_t a = ((uintptr_t)p + page - 1) & ~(page - 1), end = ((uintptr_t)p + n) & ~(page - 1);
    size_t dropped = 0;
    uintptr_t run = 0; /* start of the current run of zero pages, 0: none */
    for (; a <= end; a += page) {
        bool zero = false;
        if (a < end) {
            const unsigned char *b = (const unsigned char *)a;
            uint64_t any = 0;
            for (size_t i = 0; i < page; i += sizeof(uint64_t)) {
                uint64_t w;
                memcpy(&w, b + i, sizeof(w)); /* a plain load; no aliasing question */
                any |= w;
            }
            zero = any == 0;
        }
        if (zero && !run) {
            run = a;
        } else if (!zero && run) {
            if (madvise((void *)run, a - run, MADV_DONTNEED) == 0) {
                dropped += a - run;
            }
            run = 0;
        }
    }
    return dropped;
#else
    (void)p;
    (void)n;
    return 0;
#endif
}

void mem_trim(void)
{
#if defined(__GLIBC__) && !defined(PANTAU_OWN_MALLOC)
    malloc_trim(0);
#endif
}

const char *errno_text(int e)
{
    static _Thread_local char buf[128];
    return strerror_r(e, buf, sizeof(buf)); /* the GNU one: returns the text */
}
