/* feeds/video.c: the video feed. One thread per source opens the stream
 * (libavformat), decodes it (libavcodec) and puts the newest picture in the
 * source's frame mailbox: full-size YUV planes for a GPU renderer, or a YUV
 * picture already scaled to the panel (swscale) for the software renderer.
 * Every blocking call is bounded by the interrupt callback (stop, timeout),
 * so a dead camera never holds a thread or shutdown. Lost streams retry
 * forever with jittered exponential backoff; the last picture stays on the
 * panel meanwhile. Writes only to its scene_source.
 *
 * This file: the thread, when and where to (re)connect (backoff, the port
 * probe, main or substream), FFmpeg's set-up and log, the kind's keys. One
 * connection is video_session.c; decoded frames become pictures in
 * video_picture.c; the state they share is video_state.h. */
#include "video.h"
#include "feed.h"
#include "probe.h"
#include "video_state.h"
#include "../core/util.h"

#include <libavformat/avformat.h>

#include <errno.h>
#include <stdarg.h>
#include <netdb.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const transports[] = { "tcp", "udp", "auto", NULL };
static const char *const decodes[] = { "auto", "full", "fast", NULL };
static const char *const hwdecs[] = { "none", "vaapi", NULL };

static const struct cfg_key keys[] = {
    { "transport", CFG_ENUM, CFG_OFF(video_source_opts, transport), "tcp", .choices = transports,
      .help = "RTSP transport: tcp (reliable through firewalls), udp, or auto (UDP, then TCP)." },
    { "stall_after", CFG_DURATION, CFG_OFF(video_source_opts, stall_after), "0s", 0, 86400000,
      .help = "Mark the camera frozen after this long without a new frame; 0s uses wall.stall_after." },
    { "substream", CFG_URL, CFG_OFF(video_source_opts, substream), "", .allow_empty = true,
      .help = "Lower-resolution stream used while the panel is small; empty: always the main stream." },
    { "substream_below", CFG_INT, CFG_OFF(video_source_opts, substream_below), "640", 16, 16384,
      .help = "Use the substream while the picture is narrower than this many screen pixels." },
    { "timeout", CFG_DURATION, CFG_OFF(video_source_opts, timeout), "10s", 500, 600000,
      .help = "Give up opening, or reading a stream that sends nothing, after this long; then reconnect." },
    { "retry_min", CFG_DURATION, CFG_OFF(video_source_opts, retry_min), "500ms", 50, 60000,
      .help = "First wait before reconnecting; it doubles after each failure up to retry_max." },
    { "retry_max", CFG_DURATION, CFG_OFF(video_source_opts, retry_max), "30s", 500, 3600000,
      .help = "Longest wait between reconnect attempts." },
    { "decode", CFG_ENUM, CFG_OFF(video_source_opts, decode), "auto", .choices = decodes,
      .help = "auto: skip the deblocking filter while the picture is shown much smaller than the stream; "
              "full: never skip; fast: also skip non-reference frames (lower frame rate)." },
    { "hwdec", CFG_ENUM, CFG_OFF(video_source_opts, hwdec), "none", .choices = hwdecs,
      .help = "Hardware decoding: vaapi when a VA-API device is present, else software." },
    { "threads", CFG_INT, CFG_OFF(video_source_opts, threads), "0", 0, 16,
      .help = "Decoder threads; 0 shares the cores between all video sources." },
    { NULL },
};

#define FEED_NICE 5              /* decoder threads' nice value (render thread: 0) */

bool video_stopping(struct vfeed *v)
{
    return atomic_load(&v->stop);
}

/* Waits up to ms or until stop; returns true when stopping. */
bool video_nap(struct vfeed *v, int64_t ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t ns = ts.tv_nsec + (ms % 1000) * 1000000;
    ts.tv_sec += (time_t)(ms / 1000 + ns / 1000000000);
    ts.tv_nsec = (long)(ns % 1000000000);
    pthread_mutex_lock(&v->mu);
    while (!video_stopping(v)) {
        if (pthread_cond_timedwait(&v->cv, &v->mu, &ts) == ETIMEDOUT) {
            break;
        }
    }
    pthread_mutex_unlock(&v->mu);
    return video_stopping(v);
}

/* Decoder threads: the cores shared among the wall's video sources. */
static int pick_threads(const struct cfg *wall_cfg)
{
    int n_video = 0;
    for (size_t i = 0; i < wall_cfg->n_sources; i++) {
        n_video += wall_cfg->sources[i].kind == &video_source_kind;
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (cores < 1) {
        cores = 1;
    }
    long t = cores / (n_video > 0 ? n_video : 1);
    return t < 1 ? 1 : t > 4 ? 4 : (int)t;
}

int64_t video_probe_every(int64_t down_ms)
{
    return probe_every(down_ms);
}

/* The address of url's host:port for the reconnect probe; NULL when it
 * cannot be told (not a network URL, or the name does not resolve). A host
 * name is resolved here, on the feed's thread, once per wait: FFmpeg's own
 * open resolves the same way, and the result is cached for the probes. */
static struct addrinfo *probe_address(const char *url)
{
    char proto[16], auth[256], host[256], path[16];
    int port = -1;
    av_url_split(proto, sizeof(proto), auth, sizeof(auth), host, sizeof(host), &port, path, sizeof(path), url);
    static const struct { const char *proto; int port; } defaults[] = {
        { "rtsp", 554 }, { "rtsps", 322 }, { "http", 80 }, { "https", 443 },
    };
    for (size_t i = 0; port < 0 && i < sizeof(defaults) / sizeof(defaults[0]); i++) {
        if (strcmp(proto, defaults[i].proto) == 0) {
            port = defaults[i].port;
        }
    }
    if (port <= 0 || !host[0]) {
        return NULL;
    }
    return probe_resolve(host, port);
}

/* Waits ms before the next attempt, or less: when the camera's port was
 * seen closed and then opens again, the wait ends at once, so a camera
 * that comes back is live within a connection's time, whatever the backoff
 * has grown to. refused: the attempt just made found the port closed (a
 * camera back before the first probe must not wait out the backoff).
 * Returns true when stopping. */
static bool wait_to_retry(struct vfeed *v, const char *url, int64_t ms, bool refused, int64_t down_since)
{
    int64_t end = now_ms() + ms;
    bool seen_down = refused;
    struct addrinfo *ai = probe_address(url);
    bool stopping = false;
    for (;;) {
        int64_t left = end - now_ms();
        if (left <= 0) {
            break;
        }
        if (!ai) { /* cannot probe: the backoff decides */
            stopping = video_nap(v, left);
            break;
        }
        int64_t every = video_probe_every(now_ms() - down_since);
        if (video_nap(v, left < every ? left : every)) {
            stopping = true;
            break;
        }
        if (!probe_tcp(ai)) {
            seen_down = true;
        } else if (seen_down) {
            log_debug(v->f->log, "the port answers again: reconnecting now");
            break;
        }
    }
    if (ai) {
        freeaddrinfo(ai);
    }
    return stopping;
}

static void *run(void *arg)
{
    struct vfeed *v = arg;
    /* Decoders yield to the render thread: with 24 busy decoders at equal
     * priority the scheduler gives the frame loop 1/25 of the CPU and the
     * whole wall stutters. When the CPU is short, a decoder falls behind and
     * skips to live instead (Linux: nice is per thread; FFmpeg's decoder
     * threads inherit it). */
    if (setpriority(PRIO_PROCESS, (id_t)gettid(), FEED_NICE) != 0) {
        log_debug(v->f->log, "cannot lower the decoder's priority: %s", errno_text(errno));
    }
    struct scene_source *src = v->f->src;
    const char *main_url = v->f->cfg->url;
    char why[160], last_why[160] = "";
    char shown_url[512];
    int64_t down_since = now_ms(); /* start of the outage (or of the first try) */
    while (!video_stopping(v)) {
        bool sub = video_want_sub(v, now_ms());
        v->use_sub = sub;
        const char *url = sub ? v->o->substream : main_url;
        why[0] = '\0';
        int rc = video_session(v, url, sub, why, sizeof(why));
        if (video_stopping(v)) {
            break;
        }
        if (v->had_frame && v->backoff_ms == 0) {
            last_why[0] = '\0'; /* it was live: a new outage */
            down_since = now_ms();
        }
        if (rc == SESSION_SWITCH) {
            v->use_sub = !sub;
            continue; /* the last picture stays until the new stream's first frame */
        }
        if (!why[0]) {
            snprintf(why, sizeof(why), "stream ended");
        }
        /* Backoff: 0.5 s doubling to retry_max, jittered +-20 %; reset by a
         * decoded frame. */
        v->backoff_ms = v->backoff_ms ? v->backoff_ms * 2 : v->o->retry_min;
        if (v->backoff_ms > v->o->retry_max) {
            v->backoff_ms = v->o->retry_max;
        }
        int64_t wait = v->backoff_ms * (80 + (int64_t)(rand_r(&v->jitter_seed) % 41)) / 100;
        /* Once per outage and reason; the retries themselves are debug. */
        bool same = strcmp(why, last_why) == 0;
        log_msg(v->f->log, same ? LOG_DEBUG : LOG_WARN, "%s: %s; retrying in %.1f s",
                redact_url(url, shown_url, sizeof(shown_url)), why, (double)wait / 1000.0);
        snprintf(last_why, sizeof(last_why), "%s", why);
        scene_source_count(src, SOURCE_RECONNECTS, 1);
        scene_source_set_status(src, SOURCE_RETRYING, why, now_ms() + wait);
        if (wait_to_retry(v, url, wait, rc == AVERROR(ECONNREFUSED), down_since)) {
            break;
        }
    }
    return NULL;
}

/* FFmpeg's own log goes through ours (secrets scrubbed, repeats collapsed).
 * Its warnings about damaged streams are frequent and already counted per
 * source, so they go to debug. */
static struct log *av_logger;

static void av_log_cb(void *avcl, int level, const char *fmt, va_list ap)
{
    (void)avcl;
    if (level > AV_LOG_WARNING || !av_logger) {
        return;
    }
    enum log_level ll = level <= AV_LOG_FATAL ? LOG_ERROR : LOG_DEBUG;
    if (!log_enabled(ll)) {
        return;
    }
    char line[512];
    vsnprintf(line, sizeof(line), fmt, ap);
    size_t n = strlen(line);
    if (n && line[n - 1] == '\n') {
        line[n - 1] = '\0';
    }
    log_msg(av_logger, ll, "%s", line);
}

static pthread_once_t av_once = PTHREAD_ONCE_INIT;

static void av_setup(void)
{
    av_logger = log_create("ffmpeg");
    av_log_set_callback(av_log_cb);
    avformat_network_init();
}

static int start(struct feed *f)
{
    pthread_once(&av_once, av_setup);
    struct vfeed *v = xcalloc(1, sizeof(*v));
    v->jitter_seed = (unsigned)now_ms() ^ (unsigned)(uintptr_t)v;
    v->f = f;
    v->o = f->cfg->opts;
    v->stall_ms = v->o->stall_after ? v->o->stall_after : f->wall_cfg->wall.stall_after;
    v->threads = v->o->threads ? v->o->threads : pick_threads(f->wall_cfg);
    pthread_mutex_init(&v->mu, NULL);
    pthread_cond_init(&v->cv, NULL);
    f->priv = v;
    scene_source_set_frame_unref(f->src, video_frame_free);
    if (pthread_create(&v->thread, NULL, run, v) != 0) {
        return -EAGAIN;
    }
    v->started = true;
    return 0;
}

static void request_stop(struct feed *f)
{
    struct vfeed *v = f->priv;
    if (!v) {
        return;
    }
    pthread_mutex_lock(&v->mu);
    atomic_store(&v->stop, true);
    pthread_cond_broadcast(&v->cv);
    pthread_mutex_unlock(&v->mu);
}

static void stop(struct feed *f)
{
    struct vfeed *v = f->priv;
    if (!v) {
        return;
    }
    request_stop(f);
    if (v->started) {
        pthread_join(v->thread, NULL);
    }
    video_converter_finish(&v->conv);
    av_buffer_unref(&v->hw_device);
    pthread_mutex_destroy(&v->mu);
    pthread_cond_destroy(&v->cv);
    free(v);
    f->priv = NULL;
}

static const struct feed_ops ops = {
    .kind = "video",
    .start = start,
    .request_stop = request_stop,
    .stop = stop,
};

static const char *const schemes[] = { "rtsp", "rtsps", "http", "https", "file", "udp", "rtp", "srt", "rtmp", "tcp", NULL };

const struct cfg_kind video_source_kind = {
    .name = "video",
    .value_help = "the stream URL (rtsp://, rtsps://, http(s)://, file:///path); put credentials in ${NAME}.",
    .value_type = CFG_URL,
    .keys = keys,
    .opts_size = sizeof(struct video_source_opts),
    .schemes = schemes,
    .impl = &ops,
};
