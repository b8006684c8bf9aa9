/* app/scene.c: sources, latest-value slots and frame mailboxes shared by
 * feed threads (writers, one per source) and the render thread (reader).
 * Each source has one private mutex guarding every mutable field below; it
 * is held only to copy small structs or swap a pointer. Sequence numbers
 * are also kept in atomics so a reader can skip unchanged sources without
 * taking the lock. */
#include "scene.h"
#include "util.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct scene_slot {
    char *key;                  /* immutable after set-up */
    struct scene_source *src;
    /* Guarded by src->mu. */
    struct slot_value value;
    _Atomic uint64_t seq;       /* written under src->mu, readable without it */
};

struct scene_source {
    char *name;                 /* immutable after set-up */
    struct scene_slot **slots;  /* array immutable after set-up */
    size_t n_slots;
    void (*unref)(void *frame); /* set once at set-up */

    pthread_mutex_t mu;
    /* Guarded by mu. */
    struct source_info info;
    void *frame;                /* newest frame not yet taken, or NULL */
    uint64_t frame_seq;
    int view_w, view_h;
    _Atomic uint64_t seq;       /* mirror of info.seq for lock-free checks */
};

struct scene {
    struct scene_source **sources;
    size_t n_sources;
};

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
        struct scene_source *src = s->sources[i];
        if (src->frame && src->unref) {
            src->unref(src->frame);
        }
        for (size_t j = 0; j < src->n_slots; j++) {
            free(src->slots[j]->key);
            free(src->slots[j]);
        }
        free(src->slots);
        pthread_mutex_destroy(&src->mu);
        free(src->name);
        free(src);
    }
    free(s->sources);
    free(s);
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

struct scene_slot *scene_slot_find(const struct scene_source *src, const char *key)
{
    for (size_t i = 0; i < src->n_slots; i++) {
        if (strcmp(src->slots[i]->key, key) == 0) {
            return src->slots[i];
        }
    }
    return NULL;
}

struct scene_slot *scene_slot_get(struct scene_source *src, const char *key)
{
    struct scene_slot *slot = scene_slot_find(src, key);
    if (slot) {
        return slot;
    }
    slot = xcalloc(1, sizeof(*slot));
    slot->key = xstrdup(key);
    slot->src = src;
    src->slots = xrealloc(src->slots, (src->n_slots + 1) * sizeof(*src->slots));
    src->slots[src->n_slots++] = slot;
    return slot;
}

size_t scene_n_slots(const struct scene_source *src)
{
    return src->n_slots;
}

struct scene_slot *scene_slot_at(const struct scene_source *src, size_t i)
{
    return i < src->n_slots ? src->slots[i] : NULL;
}

const char *scene_slot_key(const struct scene_slot *slot)
{
    return slot->key;
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

void scene_source_count(struct scene_source *src, enum source_counter c, uint64_t n)
{
    pthread_mutex_lock(&src->mu);
    src->info.counters[c] += n;
    bump(src);
    pthread_mutex_unlock(&src->mu);
}

void scene_source_touch(struct scene_source *src)
{
    int64_t t = now_ms();
    pthread_mutex_lock(&src->mu);
    src->info.last_update_ms = t;
    bump(src);
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

void scene_source_set_view_size(struct scene_source *src, int w, int h)
{
    pthread_mutex_lock(&src->mu);
    src->view_w = w;
    src->view_h = h;
    pthread_mutex_unlock(&src->mu);
}

void scene_source_get_view_size(struct scene_source *src, int *w, int *h)
{
    pthread_mutex_lock(&src->mu);
    *w = src->view_w;
    *h = src->view_h;
    pthread_mutex_unlock(&src->mu);
}

void scene_slot_write(struct scene_slot *slot, const struct slot_value *v)
{
    struct scene_source *src = slot->src;
    pthread_mutex_lock(&src->mu);
    slot->value = *v;
    slot->value.text[sizeof(slot->value.text) - 1] = '\0';
    atomic_store(&slot->seq, atomic_load(&slot->seq) + 1);
    pthread_mutex_unlock(&src->mu);
}

uint64_t scene_slot_read(struct scene_slot *slot, struct slot_value *out)
{
    struct scene_source *src = slot->src;
    pthread_mutex_lock(&src->mu);
    *out = slot->value;
    uint64_t seq = atomic_load(&slot->seq);
    pthread_mutex_unlock(&src->mu);
    return seq;
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
    void *old = src->frame;
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

void *scene_mailbox_take(struct scene_source *src, uint64_t *seq)
{
    pthread_mutex_lock(&src->mu);
    void *f = src->frame;
    src->frame = NULL;
    if (seq) {
        *seq = src->frame_seq;
    }
    pthread_mutex_unlock(&src->mu);
    return f;
}

void scene_frame_release(struct scene_source *src, void *frame)
{
    if (frame && src->unref) {
        src->unref(frame);
    }
}
