/* core/log.h: the one log module. Levels, timestamps, tagged child loggers,
 * repeated lines collapsed, registered secrets scrubbed from every line.
 * Any thread may log. */
#ifndef PANTAU_LOG_H
#define PANTAU_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* A tagged logger, e.g. "feed/cam-sudirman". Owned by whoever created it. */
struct log;

/* Global set-up, called by main (or a test) before threads start. out is the
 * stream lines go to (stderr when NULL); the log does not close it. */
void log_setup(enum log_level level, FILE *out);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* Parses "error|warn|info|debug"; returns -1 when unknown. */
int log_parse_level(const char *s);
/* Repeats of one line within this window are summarised (default 10 s). */
void log_set_burst_ms(long ms);
/* Prints any pending "repeated N times" summaries; call before exit. */
void log_flush(void);
/* Frees the secrets and loggers' bookkeeping at exit. */
void log_shutdown(void);

/* Remember a secret value (password, token): it is replaced by "***" in
 * every line logged afterwards. Copies s. Values shorter than 3 bytes are
 * ignored (they would mangle ordinary text). */
void log_add_secret(const char *s);

/* Replaces every registered secret in s (in place; never lengthens it). */
void log_scrub(char *s);

/* Creates a logger tagged `tag`; the caller owns it. */
struct log *log_create(const char *tag);
void log_destroy(struct log *l);

bool log_enabled(enum log_level level);
void log_msg(struct log *l, enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void log_vmsg(struct log *l, enum log_level level, const char *fmt, va_list ap);

/* The level is checked before anything is formatted. */
#define log_error(l, ...) do { if (log_enabled(LOG_ERROR)) log_msg((l), LOG_ERROR, __VA_ARGS__); } while (0)
#define log_warn(l, ...)  do { if (log_enabled(LOG_WARN))  log_msg((l), LOG_WARN,  __VA_ARGS__); } while (0)
#define log_info(l, ...)  do { if (log_enabled(LOG_INFO))  log_msg((l), LOG_INFO,  __VA_ARGS__); } while (0)
#define log_debug(l, ...) do { if (log_enabled(LOG_DEBUG)) log_msg((l), LOG_DEBUG, __VA_ARGS__); } while (0)

#endif
