/* feeds/video_state.h: the state of one video source, shared by its
 * thread and reconnect policy (video.c) and its stream session
 * (video_session.c). Fields under "Feed thread only" are the feed thread's;
 * stop, mu and cv are how the main thread asks it to stop. */
#ifndef PANTAU_FEED_VIDEO_STATE_H
#define PANTAU_FEED_VIDEO_STATE_H

#include "feed.h"
#include "video.h"
#include "video_picture.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct AVBufferRef;

#define LAG_MAX_MS 800          /* live: further behind than this drops to the next key frame */
#define SUB_HYSTERESIS 0.8      /* back to the substream below 80 % of substream_below */

enum { SESSION_SWITCH = 1 };    /* session() result: reopen on the other stream */

struct vfeed {
    struct feed *f;
    const struct video_source_opts *o;
    pthread_t thread;
    bool started;
    atomic_bool stop;
    unsigned jitter_seed;       /* rand_r state of the backoff's jitter (feed thread) */
    pthread_mutex_t mu;         /* guards nothing but the cond's wait */
    pthread_cond_t cv;
    int threads;                /* decoder threads */
    int64_t stall_ms;

    /* Feed thread only. */
    int64_t deadline_ms;        /* interrupt: 0 none */
    bool timed_out;
    const char *waiting_for;    /* "answer" or "data" */
    int64_t backoff_ms;
    bool frame_threads;         /* the decoder uses frame threads: no per-frame decode time */
    bool had_frame;             /* since the feed started: keep status RETRYING, not CONNECTING */
    bool live_now;              /* this session has decoded a frame */
    int64_t last_frame_ms, last_packet_ms;
    bool stalled;
    bool shown;                 /* the panel is on the displayed page */
    bool use_sub;
    int64_t sub_change_since;   /* when the wish to switch began, 0: none */
    struct video_converter conv;
    struct AVBufferRef *hw_device;
    bool hw_failed;             /* no VA-API device: not tried again */
    /* live lag tracking */
    int64_t lag_base;           /* min(arrival - pts) seen, ms */
    bool need_key;
    /* per-second stats */
    int64_t stat_t0;
    uint64_t stat_in, stat_out, stat_bytes;
    double dec_ms_sum;
    int dec_n;
    double latency_ms;
    char last_error[64];        /* the latest stream error, for the stats line */
    int64_t last_error_ms;
    int src_w, src_h;
    char codec[24];
};

/* video.c */
/* Whether the feed was asked to stop. Any thread. */
bool video_stopping(struct vfeed *v);
/* Waits up to ms or until stop; returns true when stopping. */
bool video_nap(struct vfeed *v, int64_t ms);

/* video_session.c */
/* Which stream the on-screen size asks for (the substream for a small
 * picture), with hysteresis and a 1 s settle time. */
bool video_want_sub(struct vfeed *v, int64_t now);
/* One connection to url: open, decode until it fails, the stream to use
 * changes or the feed stops. Returns SESSION_SWITCH, or a negative AVERROR
 * with the reason in why. */
int video_session(struct vfeed *v, const char *url, bool sub, char *why, size_t whylen);

#endif
