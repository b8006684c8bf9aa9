/* core/i18n.h: the wall's built-in strings in English and Indonesian, and
 * locale-aware date formatting. Pure functions; any thread. */
#ifndef PANTAU_I18N_H
#define PANTAU_I18N_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tr_id {
    TR_CONNECTING,
    TR_NO_SIGNAL,
    TR_LIVE,
    TR_STALLED,
    TR_DISABLED,
    TR_WAITING,
    TR_NO_NEW_DATA,
    TR_NEXT_TRY,
    TR_PAGE,
    TR_QUIT_CONFIRM,
    TR_SCREENSHOT_SAVED,
    TR_SCREENSHOT_FAILED,
    TR_HELP_TITLE,
    TR_HELP_CLOSE,
    TR_STATS_TITLE,
    TR_BADGE_LIVE,
    TR_BADGE_CONNECTING,
    TR_BADGE_NO_SIGNAL,
    TR_BADGE_STALLED,
    TR_BADGE_OFF,
    TR_OFFLINE,         /* "offline · 0:12" */
    TR_STALE,           /* "stale · 2:05" */
    TR_MORE,            /* "+3 more" (a number before it) */
    TR_NO_ALARMS,
    TR_OTHERS,          /* a breakdown's remaining groups */
    TR_TODAY,
    TR_UPDATED,
    TR_STATS_FRAME,     /* stats overlay labels */
    TR_STATS_TEXT_CACHE,
    TR_STATS_SOURCE,
    TR_CAMERAS_LIVE,    /* status line: "%zu/%zu cameras live" */
    TR_ALARMS_OPEN,     /* status line: "%zu alarm(s)" */
    TR_TOUR_HELD,       /* status line and toast */
    TR_TOUR_RESUMED,
    TR_PANEL,           /* "Panel 12" (typed digits) */
    TR_CONNECTING_NOW,  /* a retry under way (its time has come) */
    TR_DAMAGED,         /* "%llu damaged/min" on a video panel */
    TR_BADGE_BAD_DATA,  /* title badge: live source, bad latest payload */
    TR_ACK_ALL_CONFIRM, /* "acknowledge all %zu? Y" */
    TR_NO_OPEN_ALARM,   /* A or Shift+A with nothing to acknowledge */
    TR_ACK_SELECT_HINT, /* A with no open alarm on the selected panel: "%zu open ..." */
    TR_ACKED_ONE,       /* toast: label, value, who, when */
    TR_ACKED_N,         /* toast: count, who, when */
    TR_BY_KEYBOARD,     /* who acknowledged */
    TR_BY_MOUSE,
    TR_BY_REMOTE,
    TR_BY_SYNC,
    TR_BY_ACK_TOPIC,
    TR_BAND_NORMAL,     /* the enlarged sensor's band line */
    TR_BAND_WARN,
    TR_BAND_ALARM,
    TR_BAND_WARN_AT,    /* "warn >= 30" */
    TR_BAND_ALARM_AT,
    TR_HYSTERESIS,
    TR_ALARM_ACTIVE,    /* the alarm list's state words, in this order */
    TR_ALARM_ENDED,
    TR_ALARM_ACKED,
    TR_ALARM_LOG_TITLE, /* the L overlay */
    TR_ALARM_LOG_MEMORY, /* no file configured */
    TR_ALARM_LOG_EMPTY,
    TR_EV_RAISED,       /* its event words, in this order */
    TR_EV_CLEARED,
    TR_EV_ACKED,
    TR_STATS_DROPS,     /* a panel's own stats line */
    TR_STATS_ERRORS,
    TR_ALIGN_TITLE,     /* the alignment pattern (G) */
    TR_ALIGN_MONITOR,   /* "Monitor %d" */
    TR_ALIGN_PLACE,     /* "column %d, row %d · %dx%d" */
    TR_ALIGN_DRIVEN,    /* "node %s · output %s" */
    TR_ALIGN_AT,        /* "%dx%d at %d, %d" (a listed monitor) */
    TR_COUNT,
};

/* The string for id in locale (enum cfg_locale). */
const char *tr(int locale, enum tr_id id);

/* A failure reason as the feeds write it (English, also in the log), in
 * locale: looked up in the reason catalogue (patterns with %s for the
 * variable parts, e.g. "unsupported codec %s"), the variable parts kept.
 * Text that matches no pattern is returned as it is (a library's own
 * message). Returns out. */
const char *tr_reason(int locale, const char *reason, char *out, size_t outlen);

/* The reason catalogue, for tests: pattern i in English and Indonesian;
 * false past the end. */
bool tr_reason_entry(size_t i, const char **en, const char **id);

/* The help overlay's lines: pairs of key and meaning, NULL-terminated. */
const char *const *tr_help(int locale);

/* strftime-like formatting with the locale's day and month names: %H %M %S
 * %d %m %Y %y %A %a %B %b %%. Returns out. */
char *i18n_format_time(int locale, const char *fmt, int64_t t, char *out, size_t outlen);

/* A number with the locale's separators: en 1,234.5; id 1.234,5. NaN and
 * infinities print as "–". Returns out. */
char *i18n_format_number(int locale, double v, int decimals, char *out, size_t outlen);

#endif
