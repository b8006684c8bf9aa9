/* config/schema.h: the typed schema table every config key is described by.
 * One row gives a key's type, target field, default, range, help text and
 * whether it is secret and whether a change needs a restart; the loader, `pantau --check`,
 * `--print-config` and the README key reference all read the same rows.
 * Pure data and parsers: any thread may use them. */
#ifndef PANTAU_CONFIG_SCHEMA_H
#define PANTAU_CONFIG_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cfg_type {
    CFG_STRING,   /* char *, owned by the config */
    CFG_URL,      /* char *; credentials in it are redacted when printed */
    CFG_SECRET,   /* char *; printed as "***", registered with the log scrubber */
    CFG_INT,      /* int, range min..max */
    CFG_DOUBLE,   /* double, range min..max */
    CFG_BOOL,     /* bool: true/false, yes/no, on/off */
    CFG_DURATION, /* int64_t milliseconds: "250ms", "30s", "5m", "2h", "1m30s" */
    CFG_COLOR,    /* uint32_t 0xRRGGBBAA: "#rrggbb", "#rrggbbaa" or a name */
    CFG_SIZE,     /* int[2]: [w, h] or "WxH", each in min..max */
    CFG_CELLS,    /* int[4]: [col, row, w, h] on the layout grid */
    CFG_ENUM,     /* int: index into choices */
    CFG_MAP,      /* nested mapping whose keys (sub) fill the same struct */
    CFG_PAIRS,    /* char *: a mapping of names to texts, stored "name=value\n..."
                     (HTTP headers, filters); ${NAME} expanded in values */
    CFG_LIST,     /* a list of mappings: items of item_size bytes, each filled by
                     sub, stored as a pointer at off and a size_t count at
                     count_off; at most max items */
};

struct cfg_key {
    const char *name;
    enum cfg_type type;
    size_t off;                  /* offset of the field in its struct */
    const char *def;             /* default, in config syntax; NULL: none */
    double min, max;             /* range (min == max: unchecked) */
    const char *const *choices;  /* CFG_ENUM: NULL-terminated */
    bool required;
    const char *help;
    const struct cfg_key *sub;   /* CFG_MAP: its keys, NULL-name terminated */
    bool allow_empty;            /* CFG_URL: "" allowed; CFG_CELLS: [c, r, 0, 0] allowed;
                                    CFG_DOUBLE: "" or no value means not set (NAN) */
    size_t pos_off;              /* CFG_POS(): where the value's struct cfg_pos goes; 0: none */
    bool restart;                /* a changed value applies only after a restart (a reload
                                    keeps the old one and says so); a CFG_MAP marks its keys */
    size_t item_size, count_off; /* CFG_LIST: one item's struct, where the count goes */
};

/* offsetof + 1 of a struct cfg_pos field, so that 0 can mean "none". */
#define CFG_POS(type, field) (offsetof(struct type, field) + 1)

/* offsetof shorthand for schema rows. */
#define CFG_OFF(type, field) offsetof(struct type, field)

/* A kind of panel or source: the key naming the kind (its value is the
 * source name, text or URL), the kind's own keys, and the size of the struct
 * they fill (which the config allocates as `opts`). */
struct cfg_kind {
    const char *name;
    const char *value_help;      /* what the kind key's value is */
    enum cfg_type value_type;    /* CFG_STRING or CFG_URL */
    const char *source_kind;     /* panels: the source kind they read, or NULL */
    bool value_optional;         /* `clock:` with an empty value is allowed */
    const char *value_def;
    const struct cfg_key *keys;  /* terminated by a row with name == NULL */
    size_t opts_size;
    /* Optional cross-check of a parsed opts struct; -1 with a message
     * (naming the key first, "topic: ...") makes it a config error. */
    int (*check)(const void *opts, char *err, size_t errlen);
    const void *impl;            /* the kind's ops (feed_ops / widget_ops); NULL: not built */
    /* Sources: the URL schemes the kind takes ("mqtt", "mqtts", NULL); --check
     * refuses others, a URL without a host, or a port outside 1-65535. */
    const char *const *schemes;
};

/* The kinds a config may use, NULL-terminated tables: panel kinds from
 * widgets/kinds.c, source kinds from feeds/kinds.c. The program passes them
 * in (app/main.c), so config/ names and links no feed or widget. */
struct cfg_kinds {
    const struct cfg_kind *const *panels;
    const struct cfg_kind *const *sources;
};

/* True when every key of keys has the same value in the structs a and b
 * (texts compared, secrets included). */
bool cfg_fields_equal(const struct cfg_key *keys, const void *a, const void *b);
/* Appends to out ("a.b, c") the keys marked restart (or under a CFG_MAP
 * marked restart, or all when inherited) whose values differ in a and b. */
void cfg_restart_changes(const struct cfg_key *keys, const void *a, const void *b, const char *prefix,
                         bool inherited, char *out, size_t outlen);

/* Scalar parsers, one per type. Return 0, or -1 with a reason that completes
 * "expected ..." written to err. */
int cfg_parse_duration(const char *s, int64_t *ms, char *err, size_t errlen);
int cfg_parse_color(const char *s, uint32_t *rgba, char *err, size_t errlen);
int cfg_parse_size(const char *s, int out[2], char *err, size_t errlen);
int cfg_parse_bool(const char *s, bool *out, char *err, size_t errlen);
/* Formatters, the inverse of the parsers (round-trip exact). */
void cfg_format_duration(int64_t ms, char *out, size_t outlen);
void cfg_format_color(uint32_t rgba, char *out, size_t outlen);

#endif
