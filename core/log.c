/* core/log.c: levels, timestamps, repeat collapsing and secret scrubbing.
 * Any thread may log; one mutex serialises output and the repeat state. */
#include "log.h"
#include "util.h"

#include <pthread.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#define LINE_MAX_LEN 1024

struct log {
    char tag[64];
    /* Guarded by mu: the last line, for collapsing repeats. */
    char last[LINE_MAX_LEN];
    enum log_level last_level;
    long repeats;
    long long first_repeat_ms;
    long long last_ms;
    struct log *next;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static _Atomic int cur_level = LOG_INFO;
/* Guarded by mu. */
static FILE *out_stream;
static long burst_ms = 10000;
static char **secrets;
static size_t n_secrets;
static struct log *loggers;  /* every live logger, for log_flush */

static const char *const level_names[] = { "ERROR", "WARN", "INFO", "DEBUG" };

void log_setup(enum log_level level, FILE *out)
{
    pthread_mutex_lock(&mu);
    out_stream = out;
    pthread_mutex_unlock(&mu);
    log_set_level(level);
}

void log_set_level(enum log_level level)
{
    atomic_store(&cur_level, (int)level);
}

enum log_level log_get_level(void)
{
    return (enum log_level)atomic_load(&cur_level);
}

bool log_enabled(enum log_level level)
{
    return (int)level <= atomic_load(&cur_level);
}

int log_parse_level(const char *s)
{
    static const char *const names[] = { "error", "warn", "info", "debug" };
    for (size_t i = 0; i < ARRAY_LEN(names); i++) {
        if (strcmp(s, names[i]) == 0) {
            return (int)i;
        }
    }
    return -1;
}

void log_set_burst_ms(long ms)
{
    pthread_mutex_lock(&mu);
    burst_ms = ms;
    pthread_mutex_unlock(&mu);
}

void log_add_secret(const char *s)
{
    if (!s || strlen(s) < 3) {
        return;
    }
    pthread_mutex_lock(&mu);
    for (size_t i = 0; i < n_secrets; i++) {
        if (strcmp(secrets[i], s) == 0) {
            pthread_mutex_unlock(&mu);
            return;
        }
    }
    secrets = xrealloc(secrets, (n_secrets + 1) * sizeof(*secrets));
    secrets[n_secrets++] = xstrdup(s);
    pthread_mutex_unlock(&mu);
}

/* Replaces every registered secret in line (in place, bounded). mu held. */
static void scrub(char *line, size_t cap)
{
    for (size_t i = 0; i < n_secrets; i++) {
        size_t slen = strlen(secrets[i]);
        char *hit;
        while ((hit = strstr(line, secrets[i])) != NULL) {
            size_t tail = strlen(hit + slen);
            if ((size_t)(hit - line) + 3 + tail + 1 > cap) {
                tail = cap - (size_t)(hit - line) - 4;
            }
            memmove(hit + 3, hit + slen, tail);
            hit[3 + tail] = '\0';
            memcpy(hit, "***", 3);
        }
    }
}

void log_scrub(char *s)
{
    pthread_mutex_lock(&mu);
    scrub(s, strlen(s) + 1);
    pthread_mutex_unlock(&mu);
}

static void emit(const char *tag, enum log_level level, const char *text)
{
    FILE *f = out_stream ? out_stream : stderr;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    localtime_r(&ts.tv_sec, &tm);
    char stamp[32];
    strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
    fprintf(f, "%s.%03ld [%s] %s %s\n", stamp, ts.tv_nsec / 1000000, tag,
            level_names[level], text);
    fflush(f);
}

/* Prints the pending summary of l, if any. mu held. */
static void flush_repeats(struct log *l)
{
    if (l->repeats > 0) {
        char msg[LINE_MAX_LEN + 64];
        long span = (long)((l->last_ms - l->first_repeat_ms + 999) / 1000);
        snprintf(msg, sizeof(msg), "... last message repeated %ld times in %ld s", l->repeats,
                 span < 1 ? 1 : span);
        emit(l->tag, l->last_level, msg);
        l->repeats = 0;
    }
}

void log_vmsg(struct log *l, enum log_level level, const char *fmt, va_list ap)
{
    if (!log_enabled(level)) {
        return;
    }
    char raw[LINE_MAX_LEN];
    vsnprintf(raw, sizeof(raw), fmt, ap);
    char line[LINE_MAX_LEN];
    /* Messages may quote network text: strip control characters. */
    sanitize_text(raw, line, sizeof(line));
    pthread_mutex_lock(&mu);
    scrub(line, sizeof(line));
    long long t = now_ms();
    if (!l) {
        emit("pantau", level, line);
    } else if (level == l->last_level && strcmp(line, l->last) == 0 &&
               t - l->last_ms < burst_ms) {
        if (l->repeats == 0) {
            l->first_repeat_ms = t;
        }
        l->repeats++;
        l->last_ms = t;
        /* Long bursts still report once a window, so the log never goes quiet. */
        if (t - l->first_repeat_ms >= burst_ms) {
            flush_repeats(l);
        }
    } else {
        flush_repeats(l);
        emit(l->tag, level, line);
        snprintf(l->last, sizeof(l->last), "%s", line);
        l->last_level = level;
        l->last_ms = t;
    }
    pthread_mutex_unlock(&mu);
}

void log_msg(struct log *l, enum log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vmsg(l, level, fmt, ap);
    va_end(ap);
}

struct log *log_create(const char *tag)
{
    struct log *l = xcalloc(1, sizeof(*l));
    snprintf(l->tag, sizeof(l->tag), "%s", tag);
    l->last_ms = -1000000000;
    pthread_mutex_lock(&mu);
    l->next = loggers;
    loggers = l;
    pthread_mutex_unlock(&mu);
    return l;
}

void log_destroy(struct log *l)
{
    if (!l) {
        return;
    }
    pthread_mutex_lock(&mu);
    flush_repeats(l);
    for (struct log **pp = &loggers; *pp; pp = &(*pp)->next) {
        if (*pp == l) {
            *pp = l->next;
            break;
        }
    }
    pthread_mutex_unlock(&mu);
    free(l);
}

void log_flush(void)
{
    pthread_mutex_lock(&mu);
    for (struct log *l = loggers; l; l = l->next) {
        flush_repeats(l);
    }
    pthread_mutex_unlock(&mu);
}

void log_shutdown(void)
{
    log_flush();
    pthread_mutex_lock(&mu);
    for (size_t i = 0; i < n_secrets; i++) {
        free(secrets[i]);
    }
    free(secrets);
    secrets = NULL;
    n_secrets = 0;
    pthread_mutex_unlock(&mu);
}
