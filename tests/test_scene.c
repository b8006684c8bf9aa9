/* tests/test_scene.c: scene slots, status and frame mailboxes hammered by
 * writer threads while a reader polls, as feeds and the render thread do.
 * Also run under ThreadSanitizer by scripts/test. */
#include "core/scene.h"
#include "check.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#define WRITERS 4
#define WRITES 20000

static _Atomic long frames_alive;
static _Atomic long frames_freed;

struct frame {
    long n;
    long check;  /* always -n: a torn or freed frame would break it */
};

static void frame_unref(void *p)
{
    struct frame *f = p;
    f->check = 12345; /* poison before free */
    free(f);
    atomic_fetch_sub(&frames_alive, 1);
    atomic_fetch_add(&frames_freed, 1);
}

struct writer {
    struct scene_source *src;
    struct scene_slot *slot;
    _Atomic int *done;
};

static void *writer_main(void *arg)
{
    struct writer *w = arg;
    for (long i = 1; i <= WRITES; i++) {
        struct slot_value v = { .type = SLOT_NUMBER, .num = (double)i };
        snprintf(v.text, sizeof(v.text), "%ld", i);
        scene_slot_write(w->slot, &v);
        if (i % 7 == 0) {
            struct frame *f = malloc(sizeof(*f));
            f->n = i;
            f->check = -i;
            atomic_fetch_add(&frames_alive, 1);
            scene_mailbox_put(w->src, f);
        }
        if (i % 1000 == 0) {
            scene_source_set_status(w->src, (i / 1000) % 2 ? SOURCE_LIVE : SOURCE_STALLED, "flip", 0);
        }
        scene_source_count(w->src, SOURCE_BYTES, 10);
    }
    atomic_fetch_add(w->done, 1);
    return NULL;
}

/* What the reader has shown of one source's frames. */
struct shown {
    uint64_t seq;
    long last_frame, taken;
};

/* Render frame `tick` as the render thread does it: the source's current
 * frame; a new one is counted and checked. Returns 1 for a frame that is
 * torn, freed or older than the last shown, else 0. */
static int show_next(struct shown *sh, struct scene_source *src, int64_t tick)
{
    uint64_t seq;
    const struct frame *f = scene_frame_current(src, tick, &seq);
    if (!f || seq == sh->seq) {
        return 0;
    }
    int bad = f->check != -f->n || f->n <= sh->last_frame;
    sh->last_frame = f->n;
    sh->seq = seq;
    sh->taken++;
    return bad;
}

int main(void)
{
    struct scene *s = scene_create();
    struct writer w[WRITERS];
    pthread_t th[WRITERS];
    _Atomic int done = 0;
    char name[32];
    for (int i = 0; i < WRITERS; i++) {
        snprintf(name, sizeof(name), "src-%d", i);
        w[i].src = scene_add_source(s, name);
        scene_source_set_frame_unref(w[i].src, frame_unref);
        w[i].slot = scene_sub_add(w[i].src, "siak/level", "", 1, 0)->slot;
        w[i].done = &done;
    }
    CHECK(scene_sub_add(w[0].src, "siak/level", "", 1, 0)->slot == w[0].slot,
          "a second panel of the same topic and path shares the slot");
    CHECK(scene_find_source(s, "src-2") == w[2].src, "sources are found by name");

    /* Panels poll the source seq: counters and the update time change no
     * pixel and must not bump it; a status change must. */
    struct scene_source *q = scene_add_source(s, "quiet");
    uint64_t seq0 = scene_source_seq(q);
    scene_source_count(q, SOURCE_FRAMES, 1);
    scene_source_count(q, SOURCE_BYTES, 100);
    scene_source_touch(q);
    CHECK(scene_source_seq(q) == seq0, "counters and touch leave the seq alone (%llu -> %llu)",
          (unsigned long long)seq0, (unsigned long long)scene_source_seq(q));
    scene_source_set_status(q, SOURCE_LIVE, NULL, 0);
    CHECK(scene_source_seq(q) > seq0, "a status change bumps the seq");
    struct source_info si;
    scene_source_get(q, &si);
    CHECK(si.counters[SOURCE_FRAMES] == 1 && si.counters[SOURCE_BYTES] == 100 && si.last_update_ms > 0,
          "the counters and update time are still kept");

    for (int i = 0; i < WRITERS; i++) {
        pthread_create(&th[i], NULL, writer_main, &w[i]);
    }
    /* The render thread's side: poll seqs, copy changed values, show the
     * next frame once per render frame (scene_frame_current). */
    uint64_t last_seq[WRITERS] = { 0 };
    long last_value[WRITERS] = { 0 };
    struct shown shown[WRITERS] = { { 0 } };
    long torn = 0, backwards = 0, bad_frames = 0;
    int64_t render_frame = 0;
    while (atomic_load(&done) < WRITERS) {
        for (int i = 0; i < WRITERS; i++) {
            if (scene_slot_seq(w[i].slot) == last_seq[i]) {
                continue;
            }
            struct slot_value v;
            uint64_t seq = scene_slot_read(w[i].slot, &v);
            long n = atol(v.text);
            torn += n != (long)v.num;            /* text and number written together */
            backwards += seq < last_seq[i] || n < last_value[i];
            last_seq[i] = seq;
            last_value[i] = n;
            bad_frames += show_next(&shown[i], w[i].src, ++render_frame);
        }
    }
    for (int i = 0; i < WRITERS; i++) {
        pthread_join(th[i], NULL);
    }
    CHECK_INT(torn, 0, "a reader never sees half of a write");
    CHECK_INT(backwards, 0, "seq and values never go backwards");
    CHECK_INT(bad_frames, 0, "frames arrive whole and newest-first-wins");
    for (int i = 0; i < WRITERS; i++) {
        struct slot_value v;
        CHECK_INT(scene_slot_read(w[i].slot, &v), WRITES, "one seq bump per write");
        CHECK_INT((long)v.num, WRITES, "latest value wins");
        long puts = WRITES / 7;
        /* Show what still waits (at most two frames, one per render frame). */
        for (int k = 0; k < 3; k++) {
            bad_frames += show_next(&shown[i], w[i].src, ++render_frame);
        }
        CHECK_INT(bad_frames, 0, "the frames left arrive whole and in order");
        struct source_info info;
        scene_source_get(w[i].src, &info);
        /* Every frame put is either shown or dropped as stale. */
        CHECK_INT((long)info.counters[SOURCE_FRAMES], puts, "frames counted");
        CHECK_INT(shown[i].taken + (long)info.counters[SOURCE_DROPS], puts, "shown + dropped = put");
        CHECK_INT(shown[i].last_frame, puts * 7, "the newest frame is shown last");
        CHECK_INT((long)info.counters[SOURCE_BYTES], 10L * WRITES, "counters add up");
        CHECK_STR(info.reason, "flip", "status reason copied");
    }
    /* A frame left in a mailbox is released by scene_destroy. */
    struct frame *f = malloc(sizeof(*f));
    f->n = 1;
    f->check = -1;
    atomic_fetch_add(&frames_alive, 1);
    scene_mailbox_put(w[0].src, f);
    scene_destroy(s);
    CHECK_INT(atomic_load(&frames_alive), 0, "no frame leaks: every put frame was released once");

    /* Reasons from the network are sanitised. */
    s = scene_create();
    struct scene_source *src = scene_add_source(s, "x");
    scene_source_set_status(src, SOURCE_RETRYING, "401\nUnauthorized\x1b", 99);
    struct source_info info;
    scene_source_get(src, &info);
    CHECK_STR(info.reason, "401 Unauthorized", "a line break is a space and a stray escape goes, in reasons");
    CHECK_INT(info.retry_at_ms, 99, "retry time kept");
    CHECK_INT(info.status, SOURCE_RETRYING, "status kept");
    scene_destroy(s);
    return check_finish("test_scene");
}
