/* feeds/video.c: the video feed. One thread per source opens the stream
 * (libavformat), decodes it (libavcodec) and puts the newest picture in the
 * source's frame mailbox: full-size YUV planes for a GPU renderer, or a BGRA
 * picture already scaled to the panel (swscale) for the software renderer.
 * Every blocking call is bounded by the interrupt callback (stop, timeout),
 * so a dead camera never holds a thread or shutdown. Lost streams retry
 * forever with jittered exponential backoff; the last picture stays on the
 * panel meanwhile. Writes only to its scene_source. */
#include "video.h"
#include "feed.h"
#include "video_picture.h"
#include "../core/util.h"

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/hwcontext.h>
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
#include <libavutil/time.h>
#include <libswscale/swscale.h>

#include <errno.h>
#include <stdarg.h>
#include <netdb.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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
#define PROBE_EVERY_MS 500      /* while waiting to reconnect: is the camera's port back? */
#define PROBE_TIMEOUT_MS 200
#define LAG_MAX_MS 800          /* live: further behind than this drops to the next key frame */
#define SUB_HYSTERESIS 0.8      /* back to the substream below 80 % of substream_below */

enum { SESSION_SWITCH = 1 };    /* session() result: reopen on the other stream */

struct vfeed {
    struct feed *f;
    const struct video_source_opts *o;
    pthread_t thread;
    bool started;
    atomic_bool stop;
    pthread_mutex_t mu;         /* guards nothing but the cond's wait */
    pthread_cond_t cv;
    int threads;                /* decoder threads */
    int64_t stall_ms;

    /* Feed thread only. */
    int64_t deadline_ms;        /* interrupt: 0 none */
    bool timed_out;
    const char *waiting_for;    /* "answer" or "data" */
    int64_t backoff_ms;
    bool had_frame;             /* since the feed started: keep status RETRYING, not CONNECTING */
    bool live_now;              /* this session has decoded a frame */
    int64_t last_frame_ms, last_packet_ms;
    bool stalled;
    bool shown;                 /* the panel is on the displayed page */
    bool use_sub;
    int64_t sub_change_since;   /* when the wish to switch began, 0: none */
    struct video_converter conv;
    AVBufferRef *hw_device;
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


static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}     /* set on the main thread before threads start */

static bool stopping(struct vfeed *v)
{
    return atomic_load(&v->stop);
}

/* Waits up to ms or until stop; returns true when stopping. */
static bool nap(struct vfeed *v, int64_t ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t ns = ts.tv_nsec + (ms % 1000) * 1000000;
    ts.tv_sec += (time_t)(ms / 1000 + ns / 1000000000);
    ts.tv_nsec = (long)(ns % 1000000000);
    pthread_mutex_lock(&v->mu);
    while (!stopping(v)) {
        if (pthread_cond_timedwait(&v->cv, &v->mu, &ts) == ETIMEDOUT) {
            break;
        }
    }
    pthread_mutex_unlock(&v->mu);
    return stopping(v);
}

static void check_stall(struct vfeed *v, int64_t now)
{
    if (!v->live_now || v->stalled) {
        return;
    }
    /* A hidden panel decodes key frames only: packets are its sign of life. */
    int64_t last = v->shown ? v->last_frame_ms : v->last_packet_ms;
    if (now - last > v->stall_ms) {
        v->stalled = true;
        scene_source_set_status(v->f->src, SOURCE_STALLED, NULL, 0);
        log_warn(v->f->log, "stalled: no new frame for %lld ms", (long long)(now - last));
    }
}

/* FFmpeg calls this from inside every blocking operation. */
static int interrupt_cb(void *opaque)
{
    struct vfeed *v = opaque;
    if (stopping(v)) {
        return 1;
    }
    int64_t now = now_ms();
    check_stall(v, now);
    if (v->deadline_ms && now > v->deadline_ms) {
        v->timed_out = true;
        return 1;
    }
    return 0;
}

/* A short, secret-free reason for an FFmpeg error. */
static void describe_error(struct vfeed *v, int rc, char *out, size_t outlen)
{
    if (v->timed_out) {
        snprintf(out, outlen, "timeout: no %s in %lld s", v->waiting_for, (long long)(v->o->timeout / 1000));
        return;
    }
    switch (rc) {
    case AVERROR_HTTP_UNAUTHORIZED: snprintf(out, outlen, "401 unauthorised (check user and password)"); return;
    case AVERROR_HTTP_FORBIDDEN: snprintf(out, outlen, "403 forbidden"); return;
    case AVERROR_HTTP_NOT_FOUND: snprintf(out, outlen, "404 not found (check the path)"); return;
    case AVERROR_HTTP_BAD_REQUEST: snprintf(out, outlen, "400 bad request"); return;
    case AVERROR_HTTP_OTHER_4XX: snprintf(out, outlen, "refused by the server (4xx)"); return;
    case AVERROR_HTTP_SERVER_ERROR: snprintf(out, outlen, "server error (5xx)"); return;
    case AVERROR(ECONNREFUSED): snprintf(out, outlen, "connection refused"); return;
    case AVERROR(EHOSTUNREACH):
    case AVERROR(ENETUNREACH): snprintf(out, outlen, "host unreachable"); return;
    case AVERROR(ETIMEDOUT): snprintf(out, outlen, "timeout"); return;
    case AVERROR(ECONNRESET):
    case AVERROR(EPIPE): snprintf(out, outlen, "connection reset"); return;
    case AVERROR(ENOENT): snprintf(out, outlen, "file not found"); return;
    case AVERROR_EOF: snprintf(out, outlen, "stream ended"); return;
    case AVERROR_INVALIDDATA: snprintf(out, outlen, "invalid data (not a supported stream)"); return;
    case AVERROR_PROTOCOL_NOT_FOUND: snprintf(out, outlen, "unsupported protocol"); return;
    case AVERROR_STREAM_NOT_FOUND: snprintf(out, outlen, "no video in the stream"); return;
    default: break;
    }
    char msg[AV_ERROR_MAX_STRING_SIZE];
    av_strerror(rc, msg, sizeof(msg));
    snprintf(out, outlen, "%s", msg);
}

/* How wide a src_w x src_h picture is drawn in the view's box; 0 when not
 * laid out. The stream's sample aspect is left out: close enough for the
 * choice of stream and decoder settings. */
static int picture_width(const struct source_view *view, int src_w, int src_h)
{
    int w, h;
    if (view->w <= 0 || view->h <= 0) {
        return 0;
    }
    view_fit_size(view->w, view->h, src_w, src_h, 1, 1, view->fit, &w, &h);
    return w;
}

/* Which stream the on-screen size asks for, with hysteresis and a 1 s
 * settle time so a resize or a page flip does not bounce the connection. */
static bool want_sub(struct vfeed *v, int64_t now)
{
    if (!v->o->substream || !v->o->substream[0]) {
        return false;
    }
    struct source_view view;
    scene_source_get_view(v->f->src, &view);
    int pic_w = picture_width(&view, v->src_w, v->src_h);
    bool want = v->use_sub;
    if (pic_w == 0) {
        want = true; /* not laid out: start small */
    } else if (v->use_sub && pic_w >= v->o->substream_below) {
        want = false;
    } else if (!v->use_sub && pic_w < v->o->substream_below * SUB_HYSTERESIS) {
        want = true;
    }
    if (want == v->use_sub) {
        v->sub_change_since = 0;
        return want;
    }
    /* Enlarging switches at once (a supervisor is looking); shrinking waits,
     * except to start small before any stream was opened (no size known). */
    if (!want || pic_w == 0 || v->src_w == 0) {
        return want;
    }
    if (!v->sub_change_since) {
        v->sub_change_since = now;
    }
    return now - v->sub_change_since >= 1000 ? want : v->use_sub;
}

static void open_options(struct vfeed *v, const char *url, AVDictionary **d)
{
    char us[32];
    snprintf(us, sizeof(us), "%lld", (long long)v->o->timeout * 1000);
    if (strncmp(url, "rtsp", 4) == 0) {
        if (v->o->transport != VIDEO_AUTO) {
            av_dict_set(d, "rtsp_transport", v->o->transport == VIDEO_TCP ? "tcp" : "udp", 0);
        }
        av_dict_set(d, "timeout", us, 0);       /* socket I/O */
        av_dict_set(d, "max_delay", "500000", 0); /* UDP reordering buffer: 0.5 s */
    } else if (strncmp(url, "http", 4) == 0) {
        av_dict_set(d, "rw_timeout", us, 0);
    }
    /* Cameras announce their streams; a long probe only delays the picture. */
    av_dict_set(d, "analyzeduration", "1000000", 0);
    av_dict_set(d, "probesize", "1000000", 0);
    /* The frame rate is counted, not probed: probing it reads ~20 frames
     * (0.8 s at 25 fps) more on every (re)connect. */
    av_dict_set(d, "fpsprobesize", "0", 0);
}

/* Paced playback (files, finite streams) vs newest-frame (live). */
static bool is_paced(const AVFormatContext *ic, const char *url)
{
    if (strncmp(url, "rtsp", 4) == 0 || strncmp(url, "rtp", 3) == 0 || strncmp(url, "udp", 3) == 0) {
        return false;
    }
    return ic->duration != AV_NOPTS_VALUE && ic->duration > 0;
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

/* FFmpeg's get_format callback: the hardware format when offered (the
 * decoder only gets this callback with a VA-API device), else software. */
static enum AVPixelFormat get_hw_format(AVCodecContext *ctx, const enum AVPixelFormat *fmts)
{
    (void)ctx;
    for (const enum AVPixelFormat *p = fmts; *p != AV_PIX_FMT_NONE; p++) {
        if (*p == AV_PIX_FMT_VAAPI) {
            return *p;
        }
    }
    /* The hardware cannot take this stream: decode in software. */
    for (const enum AVPixelFormat *p = fmts; *p != AV_PIX_FMT_NONE; p++) {
        const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(*p);
        if (d && !(d->flags & AV_PIX_FMT_FLAG_HWACCEL)) {
            return *p;
        }
    }
    return AV_PIX_FMT_NONE;
}

static int open_decoder(struct vfeed *v, AVStream *st, const AVCodec *codec, AVCodecContext **out)
{
    AVCodecContext *dec = avcodec_alloc_context3(codec);
    if (!dec) {
        return AVERROR(ENOMEM);
    }
    int rc = avcodec_parameters_to_context(dec, st->codecpar);
    if (rc < 0) {
        avcodec_free_context(&dec);
        return rc;
    }
    dec->pkt_timebase = st->time_base;
    dec->thread_count = v->threads;
    dec->flags2 |= AV_CODEC_FLAG2_SHOW_ALL; /* a damaged frame beats a frozen one */
    if (v->o->hwdec == VIDEO_HWDEC_VAAPI) {
        if (!v->hw_device && !v->hw_failed &&
            av_hwdevice_ctx_create(&v->hw_device, AV_HWDEVICE_TYPE_VAAPI, NULL, NULL, 0) < 0) {
            /* Said once: the device will not appear between reconnects. */
            log_info(v->f->log, "hwdec: no VA-API device; decoding in software");
            v->hw_device = NULL;
            v->hw_failed = true;
        }
        if (v->hw_device) {
            dec->hw_device_ctx = av_buffer_ref(v->hw_device);
            dec->get_format = get_hw_format;
        }
    }
    rc = avcodec_open2(dec, codec, NULL);
    if (rc < 0) {
        avcodec_free_context(&dec);
        return rc;
    }
    *out = dec;
    return 0;
}

/* A bad packet or frame: logged (repeats collapse), kept for the stats
 * line. The stream goes on. */
static void note_error(struct vfeed *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note_error(struct vfeed *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->last_error, sizeof(v->last_error), fmt, ap);
    va_end(ap);
    v->last_error_ms = now_ms();
    log_warn(v->f->log, "%s", v->last_error);
}

static void publish_stats(struct vfeed *v, int64_t now, bool sub)
{
    double dt = (double)(now - v->stat_t0) / 1000.0;
    if (dt < 1.0) {
        return;
    }
    char text[256], lat[32] = "", err[128] = "";
    if (v->latency_ms > 0) {
        snprintf(lat, sizeof(lat), " \xc2\xb7 lat %.0f ms", v->latency_ms);
    }
    if (v->last_error_ms) {
        snprintf(err, sizeof(err), " \xc2\xb7 last error %llds ago: %s", (long long)((now - v->last_error_ms) / 1000),
                 v->last_error);
    }
    snprintf(text, sizeof(text), "%dx%d %s%s \xc2\xb7 in %.1f out %.1f fps \xc2\xb7 %.0f kbps \xc2\xb7 dec %.1f ms%s%s",
             v->src_w, v->src_h, v->codec, sub ? " sub" : "", (double)v->stat_in / dt, (double)v->stat_out / dt,
             (double)v->stat_bytes * 8.0 / 1000.0 / dt, v->dec_n ? v->dec_ms_sum / v->dec_n : 0.0, lat, err);
    scene_source_set_detail(v->f->src, text);
    v->stat_t0 = now;
    v->stat_in = v->stat_out = v->stat_bytes = 0;
    v->dec_ms_sum = 0;
    v->dec_n = 0;
}

/* Decoder settings that follow what is on screen. */
static void tune_decoder(struct vfeed *v, AVCodecContext *dec, const struct source_view *view)
{
    enum AVDiscard frame = AVDISCARD_DEFAULT, loop = AVDISCARD_DEFAULT;
    int pic_w = picture_width(view, dec->width, dec->height);
    bool small = pic_w > 0 && dec->width > 0 && pic_w * 2 <= dec->width;
    if (!view->shown) {
        frame = AVDISCARD_NONKEY;
        loop = AVDISCARD_ALL;
    } else if (v->o->decode == VIDEO_DECODE_FAST) {
        frame = AVDISCARD_NONREF;
        loop = small ? AVDISCARD_ALL : AVDISCARD_NONREF;
    } else if (v->o->decode == VIDEO_DECODE_AUTO && small) {
        loop = AVDISCARD_ALL;
    }
    dec->skip_frame = frame;
    dec->skip_loop_filter = loop;
}

/* One connection: open, decode until it fails, the stream to use changes or
 * the feed stops. Returns SESSION_SWITCH, or a negative AVERROR with the
 * reason in why. */
static int session(struct vfeed *v, const char *url, bool sub, char *why, size_t whylen)
{
    struct scene_source *src = v->f->src;
    AVFormatContext *ic = avformat_alloc_context();
    AVCodecContext *dec = NULL;
    AVPacket *pkt = av_packet_alloc();
    AVFrame *fr = av_frame_alloc();
    AVDictionary *opts = NULL;
    int rc;
    if (!ic || !pkt || !fr) {
        rc = AVERROR(ENOMEM);
        goto fail;
    }
    ic->interrupt_callback = (AVIOInterruptCB){ interrupt_cb, v };
    open_options(v, url, &opts);
    v->timed_out = false;
    v->waiting_for = "answer";
    v->deadline_ms = now_ms() + v->o->timeout;
    rc = avformat_open_input(&ic, url, NULL, &opts);
    av_dict_free(&opts);
    if (rc < 0) {
        goto fail; /* ic was freed */
    }
    rc = avformat_find_stream_info(ic, NULL);
    if (rc < 0) {
        goto fail;
    }
    const AVCodec *codec = NULL;
    int vs = av_find_best_stream(ic, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (vs < 0) {
        rc = vs;
        if (vs == AVERROR_DECODER_NOT_FOUND) {
            int any = av_find_best_stream(ic, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
            snprintf(why, whylen, "unsupported codec %s",
                     any >= 0 ? avcodec_get_name(ic->streams[any]->codecpar->codec_id) : "?");
            why = NULL;
        }
        goto fail;
    }
    for (unsigned i = 0; i < ic->nb_streams; i++) {
        ic->streams[i]->discard = (int)i == vs ? AVDISCARD_DEFAULT : AVDISCARD_ALL;
    }
    AVStream *st = ic->streams[vs];
    rc = open_decoder(v, st, codec, &dec);
    if (rc < 0) {
        snprintf(why, whylen, "cannot decode %s", codec->name);
        why = NULL;
        goto fail;
    }
    snprintf(v->codec, sizeof(v->codec), "%s", codec->name);
    bool paced = is_paced(ic, url);
    log_info(v->f->log, "opened %s stream: %s %dx%d%s", sub ? "sub" : "main", codec->name, st->codecpar->width,
             st->codecpar->height, paced ? ", paced file" : ", live");

    /* Pacing (files): pts 0 plays at wall time play_t0; each loop adds the
     * file's length. */
    int64_t play_t0 = 0, loop_off = 0, last_pts_ms = 0, first_pts = AV_NOPTS_VALUE;
    v->live_now = false;
    v->stalled = false;
    v->need_key = true;
    v->lag_base = INT64_MAX;
    v->last_packet_ms = v->last_frame_ms = now_ms();
    v->stat_t0 = now_ms();
    v->waiting_for = "data";
    for (;;) {
        int64_t now = now_ms();
        if (stopping(v)) {
            rc = AVERROR_EXIT;
            break;
        }
        if (want_sub(v, now) != sub) {
            log_info(v->f->log, "switching to the %s stream", sub ? "main" : "sub");
            rc = SESSION_SWITCH;
            break;
        }
        struct source_view view;
        scene_source_get_view(src, &view);
        tune_decoder(v, dec, &view);
        v->shown = view.shown;
        check_stall(v, now);
        publish_stats(v, now, sub);
        v->deadline_ms = now + v->o->timeout;
        v->timed_out = false;
        rc = av_read_frame(ic, pkt);
        if (rc == AVERROR_EOF && paced) {
            /* Loop: back to the start, time keeps running. */
            loop_off = last_pts_ms + 40;
            avcodec_flush_buffers(dec);
            if (av_seek_frame(ic, vs, st->start_time != AV_NOPTS_VALUE ? st->start_time : 0, AVSEEK_FLAG_BACKWARD) < 0) {
                break;
            }
            first_pts = AV_NOPTS_VALUE;
            continue;
        }
        if (rc < 0) {
            break;
        }
        now = now_ms();
        if (pkt->stream_index != vs) {
            av_packet_unref(pkt);
            continue;
        }
        v->last_packet_ms = now;
        v->stat_bytes += (uint64_t)pkt->size;
        scene_source_count(src, SOURCE_BYTES, (uint64_t)pkt->size);
        bool key = pkt->flags & AV_PKT_FLAG_KEY;
        /* Live: when decoding falls behind (or the panel was hidden and
         * decoded key frames only), skip to the next key frame. */
        if (!paced && pkt->pts != AV_NOPTS_VALUE) {
            int64_t pts_ms = av_rescale_q(pkt->pts, st->time_base, (AVRational){ 1, 1000 });
            int64_t off = now - pts_ms;
            if (off < v->lag_base) {
                v->lag_base = off;
            }
            if (off - v->lag_base > LAG_MAX_MS && !v->need_key) {
                log_info(v->f->log, "%lld ms behind live: skipping to the next key frame",
                         (long long)(off - v->lag_base));
                v->need_key = true;
            }
        }
        if (!view.shown && !key) {
            v->need_key = true; /* back on screen: resume at a key frame */
        }
        if (v->need_key) {
            if (!key) {
                if (v->live_now && view.shown) {
                    scene_source_count(src, SOURCE_DROPS, 1);
                }
                av_packet_unref(pkt);
                continue;
            }
            v->need_key = false;
            v->lag_base = INT64_MAX;
        }
        v->stat_in++;
        int64_t t_dec = now_us();
        rc = avcodec_send_packet(dec, pkt);
        av_packet_unref(pkt);
        if (rc < 0 && rc != AVERROR(EAGAIN)) {
            scene_source_count(src, SOURCE_ERRORS, 1);
            note_error(v, "bad packet: %s", av_err2str(rc));
            continue;
        }
        while ((rc = avcodec_receive_frame(dec, fr)) == 0) {
            v->dec_ms_sum += (double)(now_us() - t_dec) / 1000.0;
            v->dec_n++;
            if (fr->decode_error_flags || (fr->flags & AV_FRAME_FLAG_CORRUPT)) {
                scene_source_count(src, SOURCE_ERRORS, 1);
                note_error(v, "damaged frame (shown anyway)");
            }
            int64_t pts = fr->best_effort_timestamp;
            if (paced && pts != AV_NOPTS_VALUE) {
                if (first_pts == AV_NOPTS_VALUE) {
                    first_pts = pts;
                    if (!play_t0) {
                        play_t0 = now_ms();
                    }
                }
                int64_t pts_ms = av_rescale_q(pts - first_pts, st->time_base, (AVRational){ 1, 1000 }) + loop_off;
                last_pts_ms = pts_ms;
                int64_t wait = play_t0 + pts_ms - now_ms();
                if (wait > 1000) {
                    wait = 1000; /* a pts jump must not freeze the panel */
                    play_t0 = now_ms() + 1000 - pts_ms;
                } else if (wait < -1000) {
                    play_t0 = now_ms() - pts_ms; /* fell far behind: catch up, do not race */
                }
                if (wait > 0 && nap(v, wait)) {
                    break;
                }
            } else if (ic->start_time_realtime > 0 && ic->start_time_realtime != AV_NOPTS_VALUE &&
                       pts != AV_NOPTS_VALUE) {
                /* RTSP with RTCP sender reports: capture time is known. */
                int64_t start = st->start_time != AV_NOPTS_VALUE ? st->start_time : 0;
                int64_t cap_us = ic->start_time_realtime + av_rescale_q(pts - start, st->time_base, AV_TIME_BASE_Q);
                v->latency_ms = (double)(av_gettime() - cap_us) / 1000.0;
            }
            v->src_w = fr->width;
            v->src_h = fr->height;
            struct video_frame *vf = video_picture_make(&v->conv, fr, &view);
            av_frame_unref(fr);
            if (!vf) {
                scene_source_count(src, SOURCE_ERRORS, 1);
                note_error(v, "cannot convert a %dx%d %s frame", fr->width, fr->height,
                           av_get_pix_fmt_name(fr->format) ? av_get_pix_fmt_name(fr->format) : "?");
                continue;
            }
            scene_mailbox_put(src, vf); /* counts the frame */
            scene_source_touch(src);
            v->stat_out++;
            v->last_frame_ms = now_ms();
            if (!v->live_now || v->stalled) {
                if (v->stalled) {
                    log_info(v->f->log, "frames again");
                } else {
                    log_info(v->f->log, "live (%s stream)", sub ? "sub" : "main");
                }
                v->live_now = true;
                v->stalled = false;
                v->had_frame = true;
                v->backoff_ms = 0;
                scene_source_set_status(src, SOURCE_LIVE, NULL, 0);
            }
        }
        if (rc != AVERROR(EAGAIN) && rc != AVERROR_EOF && rc < 0) {
            scene_source_count(src, SOURCE_ERRORS, 1);
            note_error(v, "decode error: %s", av_err2str(rc));
        }
        rc = 0;
    }
fail:
    if (rc < 0 && rc != AVERROR_EXIT && why) {
        describe_error(v, rc, why, whylen);
    } else if (rc == AVERROR_EXIT && v->timed_out && why) {
        describe_error(v, rc, why, whylen);
    }
    v->deadline_ms = 0;
    avcodec_free_context(&dec);
    avformat_close_input(&ic);
    av_packet_free(&pkt);
    av_frame_free(&fr);
    v->live_now = false;
    return rc;
}

static int tcp_probe_one(const struct addrinfo *ai)
{
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int up = 0;
    if (fd >= 0) {
        int rc = connect(fd, ai->ai_addr, ai->ai_addrlen);
        if (rc == 0) {
            up = 1;
        } else if (errno == EINPROGRESS) {
            struct pollfd pfd = { .fd = fd, .events = POLLOUT };
            int err = 0;
            socklen_t len = sizeof(err);
            if (poll(&pfd, 1, PROBE_TIMEOUT_MS) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 &&
                err == 0) {
                up = 1;
            }
        }
        close(fd);
    }
    return up;
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
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV };
    struct addrinfo *ai = NULL;
    char ps[16];
    snprintf(ps, sizeof(ps), "%d", port);
    if (getaddrinfo(host, ps, &hints, &ai) != 0) {
        return NULL;
    }
    return ai;
}

/* 1: one of the addresses (a name may have IPv6 and IPv4 ones) accepts
 * TCP connections, 0: none does. Bounded by PROBE_TIMEOUT_MS each. */
static int tcp_probe(const struct addrinfo *list)
{
    for (const struct addrinfo *ai = list; ai; ai = ai->ai_next) {
        if (tcp_probe_one(ai)) {
            return 1;
        }
    }
    return 0;
}

/* Waits ms before the next attempt, or less: when the camera's port was
 * seen closed and then opens again, the wait ends at once, so a camera
 * that comes back is live within a connection's time, whatever the backoff
 * has grown to. refused: the attempt just made found the port closed (a
 * camera back before the first probe must not wait out the backoff).
 * Returns true when stopping. */
static bool wait_to_retry(struct vfeed *v, const char *url, int64_t ms, bool refused)
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
            stopping = nap(v, left);
            break;
        }
        if (nap(v, left < PROBE_EVERY_MS ? left : PROBE_EVERY_MS)) {
            stopping = true;
            break;
        }
        if (!tcp_probe(ai)) {
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
        log_debug(v->f->log, "cannot lower the decoder's priority: %s", strerror(errno));
    }
    struct scene_source *src = v->f->src;
    const char *main_url = v->f->cfg->url;
    char why[160], last_why[160] = "";
    char shown_url[512];
    while (!stopping(v)) {
        bool sub = want_sub(v, now_ms());
        v->use_sub = sub;
        const char *url = sub ? v->o->substream : main_url;
        why[0] = '\0';
        int rc = session(v, url, sub, why, sizeof(why));
        if (stopping(v)) {
            break;
        }
        if (v->had_frame && v->backoff_ms == 0) {
            last_why[0] = '\0'; /* it was live: a new outage */
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
        int64_t wait = v->backoff_ms * (80 + rand() % 41) / 100;
        /* Once per outage and reason; the retries themselves are debug. */
        bool same = strcmp(why, last_why) == 0;
        log_msg(v->f->log, same ? LOG_DEBUG : LOG_WARN, "%s: %s; retrying in %.1f s",
                redact_url(url, shown_url, sizeof(shown_url)), why, (double)wait / 1000.0);
        snprintf(last_why, sizeof(last_why), "%s", why);
        scene_source_count(src, SOURCE_RECONNECTS, 1);
        scene_source_set_status(src, SOURCE_RETRYING, why, now_ms() + wait);
        if (wait_to_retry(v, url, wait, rc == AVERROR(ECONNREFUSED))) {
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

const struct cfg_kind video_source_kind = {
    .name = "video",
    .value_help = "the stream URL (rtsp://, rtsps://, http(s)://, file:///path); put credentials in ${NAME}.",
    .value_type = CFG_URL,
    .keys = keys,
    .opts_size = sizeof(struct video_source_opts),
    .impl = &ops,
};
