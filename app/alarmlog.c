/* app/alarmlog.c: the alarm log (see alarmlog.h). Render thread only. */
#include "alarmlog.h"
#include "../core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_BYTES 384
#define TAIL_BYTES ((size_t)64 * 1024)

struct alarm_log {
    char *path;                 /* "": memory only */
    int fd;                     /* -1: not open (memory only, or failing) */
    bool failing;               /* the failure was logged; quiet until it works */
    struct log *log;
    char recent[ALARM_LOG_RECENT][LINE_MAX_BYTES];
    size_t n, next;             /* entries kept; where the next goes */
    uint64_t count;             /* events since the start */
};

uint64_t alarm_log_count(const struct alarm_log *al)
{
    return al ? al->count : 0;
}

const char *alarm_event_name(enum alarm_event ev)
{
    return ev == ALARM_RAISED ? "RAISED" : ev == ALARM_CLEARED ? "CLEARED" : "ACKED";
}

static void keep(struct alarm_log *al, const char *line, size_t len)
{
    if (len >= LINE_MAX_BYTES) {
        len = LINE_MAX_BYTES - 1;
    }
    memcpy(al->recent[al->next], line, len);
    al->recent[al->next][len] = '\0';
    al->next = (al->next + 1) % ALARM_LOG_RECENT;
    if (al->n < ALARM_LOG_RECENT) {
        al->n++;
    }
}

/* The last entries of the file, so the overlay shows what happened before
 * a restart. */
static void read_tail(struct alarm_log *al)
{
    int fd = open(al->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return;
    }
    struct stat st;
    char *buf = NULL;
    ssize_t got = -1;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        off_t tail = (off_t)TAIL_BYTES;
        off_t from = st.st_size > tail ? st.st_size - tail : 0;
        buf = xcalloc(1, TAIL_BYTES + 1);
        got = pread(fd, buf, TAIL_BYTES, from);
        if (got > 0 && from > 0) {
            /* Drop the first, partial line. */
            char *nl = memchr(buf, '\n', (size_t)got);
            size_t skip = nl ? (size_t)(nl - buf) + 1 : (size_t)got;
            memmove(buf, buf + skip, (size_t)got - skip);
            got -= (ssize_t)skip;
        }
    }
    close(fd);
    for (ssize_t i = 0, start = 0; i < got; i++) {
        if (buf[i] == '\n') {
            if (i > start) {
                keep(al, buf + start, (size_t)(i - start));
            }
            start = i + 1;
        }
    }
    free(buf);
}

static void open_file(struct alarm_log *al)
{
    al->fd = open(al->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (al->fd < 0 && !al->failing) {
        al->failing = true;
        log_warn(al->log, "alarm log %s: %s; alarms are not written to it until it can be opened", al->path,
                 errno_text(errno));
    } else if (al->fd >= 0 && al->failing) {
        al->failing = false;
        log_info(al->log, "alarm log %s: writing again", al->path);
    }
}

struct alarm_log *alarm_log_open(const char *path, struct log *log)
{
    struct alarm_log *al = xcalloc(1, sizeof(*al));
    al->path = xstrdup(path ? path : "");
    al->fd = -1;
    al->log = log;
    if (al->path[0]) {
        read_tail(al);
        open_file(al);
    }
    return al;
}

void alarm_log_close(struct alarm_log *al)
{
    if (!al) {
        return;
    }
    if (al->fd >= 0) {
        close(al->fd);
    }
    free(al->path);
    free(al);
}

/* A field without tabs, line breaks or other control characters. */
static void field(char *out, size_t outlen, const char *in)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)(in ? in : ""); *p && o + 1 < outlen; p++) {
        char c = (char)*p;
        if (*p < 0x20 || *p == 0x7f) {
            c = ' ';
        }
        out[o++] = c;
    }
    out[o] = '\0';
}

/* Past ALARM_LOG_ROTATE the file becomes path.1 (the one before is
 * dropped) and a new one is started. */
static void rotate_if_big(struct alarm_log *al)
{
    struct stat st;
    if (al->fd < 0 || fstat(al->fd, &st) != 0 || st.st_size < ALARM_LOG_ROTATE) {
        return;
    }
    char *old = xasprintf("%s.1", al->path);
    if (rename(al->path, old) == 0) {
        log_info(al->log, "alarm log %s: %lld bytes, moved to %s", al->path, (long long)st.st_size, old);
        close(al->fd);
        open_file(al);
    }
    free(old);
}

void alarm_log_event(struct alarm_log *al, int64_t when, enum alarm_event ev, const struct alarm *a,
                     const char *who)
{
    char stamp[48] = "";
    time_t t = (time_t)when;
    struct tm tm;
    if (localtime_r(&t, &tm)) {
        strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S %z", &tm);
    }
    char id[64], label[96], value[64], by[64], line[LINE_MAX_BYTES];
    field(id, sizeof(id), a->panel_id);
    field(label, sizeof(label), a->label);
    field(value, sizeof(value), a->value);
    field(by, sizeof(by), who);
    int len = snprintf(line, sizeof(line), "%s\t%s\t%s\t%s\t%s\t%s\n", stamp, alarm_event_name(ev), id, label, value,
                       by);
    if (len < 0) {
        return;
    }
    size_t n = (size_t)len < sizeof(line) ? (size_t)len : sizeof(line) - 1;
    line[n - 1] = '\n';
    keep(al, line, n - 1);
    al->count++;
    log_info(al->log, "alarm %s: %s (%s) %s%s%s", alarm_event_name(ev), id, label, value, by[0] ? " by " : "", by);
    if (!al->path[0]) {
        return;
    }
    if (al->fd < 0) {
        open_file(al);
    }
    if (al->fd >= 0) {
        ssize_t w = write(al->fd, line, n);
        if (w != (ssize_t)n) {
            if (!al->failing) {
                al->failing = true;
                log_warn(al->log, "alarm log %s: %s", al->path, w < 0 ? errno_text(errno) : "short write");
            }
            close(al->fd);
            al->fd = -1;
            return;
        }
        rotate_if_big(al);
    }
}

size_t alarm_log_recent(const struct alarm_log *al, const char **lines, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < al->n && k < max; i++) {
        lines[k++] = al->recent[(al->next + ALARM_LOG_RECENT - 1 - i) % ALARM_LOG_RECENT];
    }
    return k;
}
