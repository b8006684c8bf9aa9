/* core/scene.c: sources, latest-value slots and frame mailboxes shared by
 * feed threads (writers, one per source) and the render thread (reader).
 * Each source has one private mutex guarding every mutable field below; it
 * is held only to copy small structs or swap a pointer. Sequence numbers
 * are also kept in atomics so a reader can skip unchanged sources without
 * taking the lock. */
#include "scene.h"
#include "util.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct scene_slot {
    char *key;                  /* immutable after set-up */
    struct scene_source *src;
    /* Guarded by src->mu. */
    struct slot_value value;
    bool have_peak;             /* peak_hi/lo hold numbers not yet read */
    struct slot_point *hist;    /* ring of hist_cap points (set-up), or NULL */
    size_t hist_cap, hist_head, hist_n;
    int64_t hist_gap;           /* min ms between kept points (set-up) */
    _Atomic uint64_t seq;       /* written under src->mu, readable without it */
};

struct scene_table {
    struct scene_source *src;
    size_t max_rows;            /* immutable */
    /* Guarded by src->mu: rows sorted by key. */
    struct table_row *rows;
    size_t n_rows;
    uint64_t overflow;          /* distinct keys that found no room */
    uint64_t *seen;             /* hash set of those keys (OVERFLOW_SET slots) */
    _Atomic uint64_t seq;
};

struct sub_entry {
    struct scene_sub pub;       /* what feeds see */
    char *filter, *path;        /* owned copies behind pub's pointers */
    char *key;                  /* spec subs: what the spec extracts, as text */
};

struct scene_source {
    char *name;                 /* immutable after set-up */
    struct scene_slot **slots;  /* array immutable after set-up */
    size_t n_slots;
    struct sub_entry **subs;    /* immutable after set-up */
    size_t n_subs;
    void (*unref)(void *frame); /* set once at set-up */

    pthread_mutex_t mu;
    /* Guarded by mu. */
    struct source_info info;
    void *frame;                /* newest frame not yet taken, or NULL */
    uint64_t frame_seq;
    void *prev;                 /* the one before it, also not taken yet */
    /* Render thread only (scene_frame_current): the last frame taken. */
    void *shown_frame;
    uint64_t shown_seq;
    int64_t shown_tick;
    struct source_view view_cur;    /* being merged during frame view_frame */
    struct source_view view_done;   /* the previous frame's merge */
    int64_t view_frame;
    _Atomic uint64_t seq;       /* mirror of info.seq for lock-free checks */
};

struct scene {
    struct scene_source **sources;
    size_t n_sources;
};

const char *source_status_name(enum source_status st)
{
    static const char *const names[] = { "disabled", "connecting", "live", "stalled", "retrying" };
    return (unsigned)st < sizeof(names) / sizeof(names[0]) ? names[st] : "?";
}

static void source_free(struct scene_source *src);

struct scene *scene_create(void)
{
    return xcalloc(1, sizeof(struct scene));
}

void scene_destroy(struct scene *s)
{
    if (!s) {
        return;
    }
    for (size_t i = 0; i < s->n_sources; i++) {
        source_free(s->sources[i]);
    }
    free(s->sources);
    free(s);
}

void scene_remove_source(struct scene *s, struct scene_source *src)
{
    for (size_t i = 0; i < s->n_sources; i++) {
        if (s->sources[i] == src) {
            memmove(&s->sources[i], &s->sources[i + 1], (s->n_sources - i - 1) * sizeof(*s->sources));
            s->n_sources--;
            source_free(src);
            return;
        }
    }
}

void scene_order_sources(struct scene *s, const char *const *names, size_t n)
{
    size_t placed = 0;
    for (size_t k = 0; k < n; k++) {
        for (size_t i = placed; i < s->n_sources; i++) {
            if (strcmp(s->sources[i]->name, names[k]) == 0) {
                struct scene_source *t = s->sources[i];
                memmove(&s->sources[placed + 1], &s->sources[placed], (i - placed) * sizeof(*s->sources));
                s->sources[placed++] = t;
                break;
            }
        }
    }
}

static void source_free(struct scene_source *src)
{
    {
        if (src->shown_frame && src->unref) {
            src->unref(src->shown_frame);
        }
        if (src->prev && src->unref) {
            src->unref(src->prev);
        }
        if (src->frame && src->unref) {
            src->unref(src->frame);
        }
        for (size_t j = 0; j < src->n_slots; j++) {
            free(src->slots[j]->key);
            free(src->slots[j]->hist);
            free(src->slots[j]);
        }
        free(src->slots);
        for (size_t j = 0; j < src->n_subs; j++) {
            struct sub_entry *e = src->subs[j];
            if (e->pub.table) {
                free(e->pub.table->seen);
                free(e->pub.table->rows);
                free(e->pub.table);
            }
            free(e->filter);
            free(e->path);
            free(e->key);
            free(e);
        }
        free(src->subs);
        pthread_mutex_destroy(&src->mu);
        free(src->name);
        free(src);
    }
}

struct scene_source *scene_add_source(struct scene *s, const char *name)
{
    struct scene_source *src = xcalloc(1, sizeof(*src));
    src->name = xstrdup(name);
    pthread_mutex_init(&src->mu, NULL);
    src->info.status = SOURCE_DISABLED;
    src->info.status_since_ms = now_ms();
    s->sources = xrealloc(s->sources, (s->n_sources + 1) * sizeof(*s->sources));
    s->sources[s->n_sources++] = src;
    return src;
}

struct scene_source *scene_find_source(const struct scene *s, const char *name)
{
    for (size_t i = 0; i < s->n_sources; i++) {
        if (strcmp(s->sources[i]->name, name) == 0) {
            return s->sources[i];
        }
    }
    return NULL;
}

size_t scene_n_sources(const struct scene *s)
{
    return s->n_sources;
}

struct scene_source *scene_source_at(const struct scene *s, size_t i)
{
    return i < s->n_sources ? s->sources[i] : NULL;
}

const char *scene_source_name(const struct scene_source *src)
{
    return src->name;
}

/* The slot for key (topic and path) of src, created at set-up. */
static struct scene_slot *slot_get(struct scene_source *src, const char *key)
{
    for (size_t i = 0; i < src->n_slots; i++) {
        if (strcmp(src->slots[i]->key, key) == 0) {
            return src->slots[i];
        }
    }
    struct scene_slot *slot = xcalloc(1, sizeof(*slot));
    slot->key = xstrdup(key);
    slot->src = src;
    src->slots = xrealloc(src->slots, (src->n_slots + 1) * sizeof(*src->slots));
    src->slots[src->n_slots++] = slot;
    return slot;
}

/* mu held. */
static void bump(struct scene_source *src)
{
    src->info.seq++;
    atomic_store(&src->seq, src->info.seq);
}

void scene_source_set_status(struct scene_source *src, enum source_status st,
                             const char *reason, int64_t retry_at_ms)
{
    char clean[sizeof(src->info.reason)];
    sanitize_text(reason ? reason : "", clean, sizeof(clean));
    pthread_mutex_lock(&src->mu);
    if (src->info.status != st) {
        src->info.status_since_ms = now_ms();
    }
    src->info.status = st;
    memcpy(src->info.reason, clean, sizeof(clean));
    src->info.retry_at_ms = retry_at_ms;
    bump(src);
    pthread_mutex_unlock(&src->mu);
}

/* Counters and the last update time change no panel's pixels (the stats
 * overlay and the dump read them afresh), so they do not bump the seq: a
 * broker's every message would otherwise redraw every panel of it. */
void scene_source_count(struct scene_source *src, enum source_counter c, uint64_t n)
{
    pthread_mutex_lock(&src->mu);
    src->info.counters[c] += n;
    pthread_mutex_unlock(&src->mu);
}

void scene_source_touch(struct scene_source *src)
{
    int64_t t = now_ms();
    pthread_mutex_lock(&src->mu);
    src->info.last_update_ms = t;
    pthread_mutex_unlock(&src->mu);
}

void scene_source_get(struct scene_source *src, struct source_info *out)
{
    pthread_mutex_lock(&src->mu);
    *out = src->info;
    pthread_mutex_unlock(&src->mu);
}

uint64_t scene_source_seq(struct scene_source *src)
{
    return atomic_load(&src->seq);
}

/* A panel on screen outranks one on a hidden page; among equals the
 * largest wins. */
static void merge_view(struct source_view *into, const struct source_view *v)
{
    if ((v->shown && !into->shown) || (v->shown == into->shown && v->w * v->h > into->w * into->h)) {
        into->w = v->w;
        into->h = v->h;
    }
    into->shown |= v->shown;
    into->planes |= v->planes;
}

void view_fit_size(int box_w, int box_h, int src_w, int src_h, int sar_num, int sar_den, int fit, int *w, int *h)
{
    *w = box_w;
    *h = box_h;
    if (fit == VIEW_FIT_STRETCH || src_w <= 0 || src_h <= 0 || box_w <= 0 || box_h <= 0) {
        return;
    }
    /* Display aspect = (src_w * sar) / src_h. */
    double dar = (double)src_w * (sar_num > 0 ? sar_num : 1) / ((double)src_h * (sar_den > 0 ? sar_den : 1));
    int fw = box_w, fh = (int)(box_w / dar + 0.5);
    bool too_tall = fh > box_h;
    if (fit == VIEW_FIT_CONTAIN ? too_tall : !too_tall) {
        fh = box_h;
        fw = (int)(box_h * dar + 0.5);
    }
    *w = fw > 0 ? fw : 1;
    *h = fh > 0 ? fh : 1;
}

void scene_source_set_view(struct scene_source *src, const struct source_view *v, int64_t frame_ms)
{
    pthread_mutex_lock(&src->mu);
    if (frame_ms != src->view_frame) {
        src->view_done = src->view_cur;
        src->view_cur = *v;
        src->view_frame = frame_ms;
    } else {
        merge_view(&src->view_cur, v);
    }
    pthread_mutex_unlock(&src->mu);
}

void scene_source_get_view(struct scene_source *src, struct source_view *out)
{
    pthread_mutex_lock(&src->mu);
    *out = src->view_done;
    merge_view(out, &src->view_cur);
    pthread_mutex_unlock(&src->mu);
}

void scene_source_set_detail(struct scene_source *src, const char *text)
{
    char clean[sizeof(src->info.detail)];
    sanitize_text(text ? text : "", clean, sizeof(clean));
    pthread_mutex_lock(&src->mu);
    memcpy(src->info.detail, clean, sizeof(clean));
    pthread_mutex_unlock(&src->mu);
}

/* Copies a new value over an old one, keeping the error bookkeeping. */
static void set_value(struct slot_value *dst, const struct slot_value *v)
{
    char error[sizeof(dst->error)];
    memcpy(error, dst->error, sizeof(error));
    uint64_t errors = dst->errors;
    int64_t error_ms = dst->error_ms;
    double hi = dst->peak_hi, lo = dst->peak_lo;
    *dst = *v;
    dst->text[sizeof(dst->text) - 1] = '\0';
    memcpy(dst->error, error, sizeof(error));
    dst->errors = errors;
    dst->error_ms = error_ms;
    dst->peak_hi = hi;
    dst->peak_lo = lo;
}

/* mu held. See scene_slot_keep_history. */
static void history_add(struct scene_slot *slot, int64_t t, double v)
{
    size_t cap = slot->hist_cap;
    if (slot->hist_n >= 1 && slot->hist_gap > 0) {
        struct slot_point *last = &slot->hist[(slot->hist_head + cap - 1) % cap];
        if (t - last->time_ms < slot->hist_gap) {
            double before = slot->hist_n >= 2 ? slot->hist[(slot->hist_head + cap - 2) % cap].value : last->value;
            if (fabs(v - before) > fabs(last->value - before)) {
                last->value = v;
            }
            return;
        }
    }
    slot->hist[slot->hist_head] = (struct slot_point){ t, v };
    slot->hist_head = (slot->hist_head + 1) % cap;
    if (slot->hist_n < cap) {
        slot->hist_n++;
    }
}

void scene_slot_write(struct scene_slot *slot, const struct slot_value *v)
{
    struct scene_source *src = slot->src;
    pthread_mutex_lock(&src->mu);
    set_value(&slot->value, v);
    if (v->type == SLOT_NUMBER || v->type == SLOT_BOOL) {
        if (!slot->have_peak || v->num > slot->value.peak_hi) {
            slot->value.peak_hi = v->num;
        }
        if (!slot->have_peak || v->num < slot->value.peak_lo) {
            slot->value.peak_lo = v->num;
        }
        slot->have_peak = true;
        if (slot->hist) {
            history_add(slot, v->time_ms, v->num);
        }
    }
    atomic_store(&slot->seq, atomic_load(&slot->seq) + 1);
    pthread_mutex_unlock(&src->mu);
}

uint64_t scene_slot_read(struct scene_slot *slot, struct slot_value *out)
{
    struct scene_source *src = slot->src;
    pthread_mutex_lock(&src->mu);
    *out = slot->value;
    if (!slot->have_peak) {
        out->peak_hi = out->peak_lo = out->num;
    }
    slot->have_peak = false; /* the next read reports only newer extremes */
    uint64_t seq = atomic_load(&slot->seq);
    pthread_mutex_unlock(&src->mu);
    return seq;
}

void scene_slot_keep_history(struct scene_slot *slot, size_t points, int64_t min_gap_ms)
{
    if (points == 0) {
        return;
    }
    /* Locked: after a hot reload the source's feed may still be writing. */
    pthread_mutex_lock(&slot->src->mu);
    if (!slot->hist || min_gap_ms < slot->hist_gap) {
        slot->hist_gap = min_gap_ms > 0 ? min_gap_ms : 0;
    }
    if (points > slot->hist_cap) {
        /* A longer history starts empty (at set-up nothing was written). */
        free(slot->hist);
        slot->hist = xcalloc(points, sizeof(*slot->hist));
        slot->hist_cap = points;
        slot->hist_head = slot->hist_n = 0;
    }
    pthread_mutex_unlock(&slot->src->mu);
}

size_t scene_slot_history(struct scene_slot *slot, struct slot_point *out, size_t max)
{
    struct scene_source *src = slot->src;
    pthread_mutex_lock(&src->mu);
    size_t n = slot->hist_n < max ? slot->hist_n : max;
    if (!slot->hist_cap) {
        n = 0; /* a slot without history */
    }
    /* the newest n points, oldest first */
    size_t start = n ? (slot->hist_head + slot->hist_cap - n) % slot->hist_cap : 0;
    for (size_t i = 0; i < n; i++) {
        out[i] = slot->hist[(start + i) % slot->hist_cap];
    }
    pthread_mutex_unlock(&src->mu);
    return n;
}

static void set_error(struct slot_value *v, const char *msg)
{
    sanitize_text(msg, v->error, sizeof(v->error));
    v->errors++;
    v->error_ms = now_ms();
}

void scene_slot_error(struct scene_slot *slot, const char *msg)
{
    struct scene_source *src = slot->src;
    pthread_mutex_lock(&src->mu);
    set_error(&slot->value, msg);
    atomic_store(&slot->seq, atomic_load(&slot->seq) + 1);
    pthread_mutex_unlock(&src->mu);
}

bool scene_topic_matches(const char *filter, const char *topic)
{
    /* Topics starting with $ are not matched by a leading wildcard (MQTT 4.7.2). */
    if (topic[0] == '$' && (filter[0] == '+' || filter[0] == '#')) {
        return false;
    }
    const char *f = filter, *t = topic;
    for (;;) {
        if (f[0] == '#' && f[1] == '\0') {
            return true;
        }
        size_t fl = strcspn(f, "/"), tl = strcspn(t, "/");
        if (!(fl == 1 && f[0] == '+') && (fl != tl || strncmp(f, t, fl) != 0)) {
            return false;
        }
        f += fl;
        t += tl;
        if (*f == '\0' || *t == '\0') {
            /* "a/#" also matches "a" itself */
            return *f == *t || strcmp(f, "/#") == 0;
        }
        f++;
        t++;
    }
}

const struct scene_sub *scene_sub_add(struct scene_source *src, const char *filter,
                                      const char *path, int qos, size_t max_rows)
{
    path = path ? path : "";
    for (size_t i = 0; i < src->n_subs; i++) {
        struct sub_entry *e = src->subs[i];
        if (strcmp(e->filter, filter) == 0 && strcmp(e->path, path) == 0) {
            if (qos > e->pub.qos) {
                e->pub.qos = qos; /* shared subscription: the highest QoS asked */
            }
            return &e->pub;
        }
    }
    struct sub_entry *e = xcalloc(1, sizeof(*e));
    e->filter = xstrdup(filter);
    e->path = xstrdup(path);
    e->pub.filter = e->filter;
    e->pub.path = e->path;
    e->pub.qos = qos;
    if (strpbrk(filter, "+#")) {
        struct scene_table *t = xcalloc(1, sizeof(*t));
        t->src = src;
        t->max_rows = max_rows ? max_rows : 256;
        e->pub.table = t;
    } else {
        char *key = xasprintf("%s\x1f%s", filter, path);
        e->pub.slot = slot_get(src, key);
        free(key);
    }
    src->subs = xrealloc(src->subs, (src->n_subs + 1) * sizeof(*src->subs));
    src->subs[src->n_subs++] = e;
    return &e->pub;
}

const struct scene_sub *scene_sub_add_raw(struct scene_source *src, const char *filter)
{
    /* A path no value sub uses keeps raw subs apart from parsed ones. */
    const struct scene_sub *sub = scene_sub_add(src, filter, "\x01raw", 1, 0);
    for (size_t i = 0; i < src->n_subs; i++) {
        if (&src->subs[i]->pub == sub) {
            src->subs[i]->pub.raw = true;
        }
    }
    return sub;
}

const struct scene_sub *scene_sub_add_spec(struct scene_source *src, const void *spec, const char *path,
                                           const char *key, bool table, size_t max_rows)
{
    /* The same extraction asked again (another panel, or the same panel
     * after a hot reload) shares the entry and keeps its value. */
    for (size_t i = 0; i < src->n_subs; i++) {
        struct sub_entry *e = src->subs[i];
        if (e->key && strcmp(e->key, key) == 0 && (e->pub.table != NULL) == table) {
            e->pub.spec = spec;
            return &e->pub;
        }
    }
    struct sub_entry *e = xcalloc(1, sizeof(*e));
    e->filter = xstrdup("");
    e->path = xstrdup(path ? path : "");
    e->key = xstrdup(key);
    e->pub.filter = e->filter;
    e->pub.path = e->path;
    e->pub.spec = spec;
    if (table) {
        struct scene_table *t = xcalloc(1, sizeof(*t));
        t->src = src;
        t->max_rows = max_rows ? max_rows : 64;
        e->pub.table = t;
    } else {
        char *slot_key = xasprintf("\x02spec:%s", key);
        e->pub.slot = slot_get(src, slot_key);
        free(slot_key);
    }
    src->subs = xrealloc(src->subs, (src->n_subs + 1) * sizeof(*src->subs));
    src->subs[src->n_subs++] = e;
    return &e->pub;
}

void scene_source_release_specs(struct scene_source *src)
{
    for (size_t i = 0; i < src->n_subs; i++) {
        src->subs[i]->pub.spec = NULL;
    }
}

size_t scene_n_subs(const struct scene_source *src)
{
    return src->n_subs;
}

const struct scene_sub *scene_sub_at(const struct scene_source *src, size_t i)
{
    return i < src->n_subs ? &src->subs[i]->pub : NULL;
}

/* Remembers up to this many distinct overflowing keys; beyond, the count
 * stops growing (the table shows "+4096 more" at most). */
#define OVERFLOW_SET 4096

/* Counts key once as overflow. mu held. */
static void note_overflow(struct scene_table *t, const char *key)
{
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        h = (h ^ *p) * 1099511628211ull;
    }
    h |= 1; /* 0 marks an empty slot */
    if (!t->seen) {
        t->seen = xcalloc(OVERFLOW_SET, sizeof(*t->seen));
    }
    for (size_t i = 0; i < OVERFLOW_SET; i++) {
        size_t j = (size_t)(h + i) % OVERFLOW_SET;
        if (t->seen[j] == h) {
            return;
        }
        if (t->seen[j] == 0) {
            if (i < OVERFLOW_SET / 2) { /* keep the set half empty */
                t->seen[j] = h;
                t->overflow++;
            }
            return;
        }
    }
}

/* Finds or inserts the row for key (sorted); NULL when full. mu held. */
static struct table_row *table_row(struct scene_table *t, const char *key)
{
    size_t lo = 0, hi = t->n_rows;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(t->rows[mid].key, key);
        if (c == 0) {
            return &t->rows[mid];
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (t->n_rows >= t->max_rows) {
        note_overflow(t, key);
        return NULL;
    }
    if (!t->rows) {
        t->rows = xcalloc(t->max_rows, sizeof(*t->rows));
    }
    memmove(&t->rows[lo + 1], &t->rows[lo], (t->n_rows - lo) * sizeof(*t->rows));
    memset(&t->rows[lo], 0, sizeof(t->rows[lo]));
    snprintf(t->rows[lo].key, sizeof(t->rows[lo].key), "%s", key);
    t->n_rows++;
    return &t->rows[lo];
}

/* A row's key: the topic, or for a topic too long for the row, its start,
 * "…" and a hash of the whole (still one row per topic). */
static const char *row_key(const char *topic, char out[sizeof(((struct table_row *)0)->key)])
{
    size_t cap = sizeof(((struct table_row *)0)->key);
    size_t len = strlen(topic);
    if (len < cap) {
        return topic;
    }
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h = (h ^ (unsigned char)topic[i]) * 1099511628211ULL;
    }
    size_t keep = cap - 1 - 3 - 17;
    while (keep > 0 && ((unsigned char)topic[keep] & 0xc0) == 0x80) {
        keep--; /* not inside a character */
    }
    snprintf(out, cap, "%.*s\xe2\x80\xa6%016llx", (int)keep, topic, (unsigned long long)h);
    return out;
}

void scene_table_write(struct scene_table *t, const char *topic, const struct slot_value *v)
{
    char kb[sizeof(((struct table_row *)0)->key)];
    const char *key = row_key(topic, kb);
    pthread_mutex_lock(&t->src->mu);
    struct table_row *r = table_row(t, key);
    if (r) {
        set_value(&r->value, v);
        r->value.peak_hi = r->value.peak_lo = v->num;
    }
    atomic_store(&t->seq, atomic_load(&t->seq) + 1);
    pthread_mutex_unlock(&t->src->mu);
}

void scene_table_error(struct scene_table *t, const char *topic, const char *msg)
{
    char kb[sizeof(((struct table_row *)0)->key)];
    const char *key = row_key(topic, kb);
    pthread_mutex_lock(&t->src->mu);
    struct table_row *r = table_row(t, key);
    if (r) {
        set_error(&r->value, msg);
    }
    atomic_store(&t->seq, atomic_load(&t->seq) + 1);
    pthread_mutex_unlock(&t->src->mu);
}

size_t scene_table_read(struct scene_table *t, struct table_row *out, size_t max, uint64_t *overflow)
{
    pthread_mutex_lock(&t->src->mu);
    size_t n = t->n_rows < max ? t->n_rows : max;
    if (n) {
        memcpy(out, t->rows, n * sizeof(*out));
    }
    if (overflow) {
        *overflow = t->overflow;
    }
    pthread_mutex_unlock(&t->src->mu);
    return n;
}

void scene_table_replace(struct scene_table *t, const struct table_row *rows, size_t n)
{
    pthread_mutex_lock(&t->src->mu);
    if (!t->rows) {
        t->rows = xcalloc(t->max_rows, sizeof(*t->rows));
    }
    t->n_rows = n < t->max_rows ? n : t->max_rows;
    memcpy(t->rows, rows, t->n_rows * sizeof(*rows));
    t->overflow = n - t->n_rows;
    atomic_store(&t->seq, atomic_load(&t->seq) + 1);
    pthread_mutex_unlock(&t->src->mu);
}

void scene_slot_refresh(struct scene_slot *slot, int64_t time_ms)
{
    pthread_mutex_lock(&slot->src->mu);
    if (slot->value.type != SLOT_EMPTY) {
        slot->value.time_ms = time_ms;
        atomic_store(&slot->seq, atomic_load(&slot->seq) + 1);
    }
    pthread_mutex_unlock(&slot->src->mu);
}

void scene_table_refresh(struct scene_table *t, int64_t time_ms)
{
    pthread_mutex_lock(&t->src->mu);
    for (size_t i = 0; i < t->n_rows; i++) {
        t->rows[i].value.time_ms = time_ms;
    }
    atomic_store(&t->seq, atomic_load(&t->seq) + 1);
    pthread_mutex_unlock(&t->src->mu);
}

uint64_t scene_table_seq(struct scene_table *t)
{
    return atomic_load(&t->seq);
}

uint64_t scene_slot_seq(struct scene_slot *slot)
{
    return atomic_load(&slot->seq);
}

void scene_source_set_frame_unref(struct scene_source *src, void (*unref)(void *frame))
{
    src->unref = unref;
}

void scene_mailbox_put(struct scene_source *src, void *frame)
{
    pthread_mutex_lock(&src->mu);
    void *old = NULL;
    if (src->frame) {
        /* Two frames wait at most: the render thread takes one per frame,
         * so a pair decoded back to back (network or scheduling jitter) is
         * shown on consecutive frames instead of losing one; a third means
         * the display is behind, and the oldest goes. */
        old = src->prev;
        src->prev = src->frame;
    }
    src->frame = frame;
    src->frame_seq++;
    src->info.counters[SOURCE_FRAMES]++;
    if (old) {
        src->info.counters[SOURCE_DROPS]++;
    }
    bump(src);
    pthread_mutex_unlock(&src->mu);
    /* Released outside the lock: unref may be slow (it frees buffers). */
    if (old && src->unref) {
        src->unref(old);
    }
}

/* The oldest waiting frame (one per render frame keeps the cadence). */
static void *take_next(struct scene_source *src, uint64_t *seq)
{
    pthread_mutex_lock(&src->mu);
    void *f;
    if (src->prev) {
        f = src->prev;
        src->prev = NULL;
        *seq = src->frame_seq - 1;
    } else {
        f = src->frame;
        src->frame = NULL;
        *seq = src->frame_seq;
    }
    pthread_mutex_unlock(&src->mu);
    return f;
}

const void *scene_frame_current(struct scene_source *src, int64_t frame_ms, uint64_t *seq)
{
    if (frame_ms != src->shown_tick) {
        src->shown_tick = frame_ms;
        uint64_t s;
        void *f = take_next(src, &s);
        if (f) {
            if (src->shown_frame && src->unref) {
                src->unref(src->shown_frame);
            }
            src->shown_frame = f;
            src->shown_seq = s;
        }
    }
    if (seq) {
        *seq = src->shown_frame ? src->shown_seq : 0;
    }
    return src->shown_frame;
}
