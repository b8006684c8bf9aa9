/* app/alarmlog.h: the alarm log: every raise, clear and acknowledgement,
 * one line each, appended to a file that survives restarts (the config's
 * alarm_log), and the last entries kept for the wall's alarm-log overlay
 * (key L) and the scene dump. Render thread only. */
#ifndef PANTAU_ALARMLOG_H
#define PANTAU_ALARMLOG_H

#include "../core/alarms.h"
#include "../core/log.h"

#include <stddef.h>
#include <stdint.h>

#define ALARM_LOG_RECENT 32          /* entries kept for the overlay */
#define ALARM_LOG_ROTATE (8L << 20)  /* bytes: the file becomes FILE.1 past this */

struct alarm_log;

/* Opens (creates, appends to) path and reads its last entries; path ""
 * keeps entries in memory only. Never fails: a file that cannot be
 * written is logged once (in log) and the wall goes on. */
struct alarm_log *alarm_log_open(const char *path, struct log *log);
void alarm_log_close(struct alarm_log *al);

/* One event: when (wall clock seconds), what, which alarm, and who
 * acknowledged it (ALARM_ACKED; NULL otherwise). */
void alarm_log_event(struct alarm_log *al, int64_t when, enum alarm_event ev, const struct alarm *a,
                     const char *who);

/* The last entries, newest first: lines[i] point into al (valid until the
 * next event). Returns how many (at most max). Each line: "YYYY-MM-DD
 * HH:MM:SS\tEVENT\tid\tlabel\tvalue\twho". */
size_t alarm_log_recent(const struct alarm_log *al, const char **lines, size_t max);

/* How many events since the start (not counting those read back from the
 * file): a reader that remembers it knows how many recent lines are new. */
uint64_t alarm_log_count(const struct alarm_log *al);

/* The words of an event in the file (RAISED, CLEARED, ACKED). */
const char *alarm_event_name(enum alarm_event ev);

#endif
