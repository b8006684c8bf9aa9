/* feeds/video_session.c: one connection of a video source: open the
 * stream and its decoder, read, skip to live, decode, pace files, deliver
 * pictures, notice stalls, and say why it ended. Runs on the source's feed
 * thread (feeds/video.c decides when to connect and to which stream). */
#include "video_state.h"
#include "../core/util.h"

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/hwcontext.h>
#include <libavutil/pixdesc.h>
#include <libavutil/time.h>

#include <errno.h>
#include <malloc.h> /* malloc_usable_size */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}     /* set on the main thread before threads start */

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
    if (video_stopping(v)) {
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
    case AVERROR_EOF:
        /* A file's end is an end; a network stream's is the camera (or the
         * recorder) hanging up: a normal end it is not. */
        snprintf(out, outlen, "%s", strncmp(v->f->cfg->url, "file:", 5) == 0 || !strstr(v->f->cfg->url, "://")
                                        ? "stream ended" : "the camera closed the connection");
        return;
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
bool video_want_sub(struct vfeed *v, int64_t now)
{
    if (!v->o->substream || !v->o->substream[0]) {
        return false;
    }
    struct source_view view;
    scene_source_get_view(v->f->src, &view);
    int pic_w = picture_width(&view, v->src_w, v->src_h);
    bool want = v->use_sub;
    if (pic_w == 0) { // NOLINT(bugprone-branch-clone): two reasons for the substream, kept apart
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
    /* What a URL may make FFmpeg open: a file source its file, a network
     * source the network only. A playlist or redirect from a camera or web
     * server naming file:, pipe:, fd:, data: or concat: is refused, so no
     * reply can make the wall read a local file. */
    av_dict_set(d, "protocol_whitelist",
                strncmp(url, "file:", 5) == 0
                    ? "file"
                    : "rtsp,rtsps,rtp,srtp,udp,tcp,tls,http,https,httpproxy,crypto,srt,rtmp,rtmps,rtmpt,rtmpts",
                0);
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
#ifdef __GLIBC__
    /* The decoder's private context comes zeroed and mostly stays so:
     * FFmpeg 5.1's H.264 one is 765 KB, of which a decoder writes 11 to 13
     * pages in a stream's life (measured). Zeroing made all of it resident:
     * 18 MB for 24 cameras. Its zero pages go back now and come back,
     * zeroed, if the decoder ever writes them. */
    if (dec->priv_data) {
        mem_release_zero_pages(dec->priv_data, malloc_usable_size(dec->priv_data));
    }
#endif
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
    /* With frame threads a packet is decoded on another thread while the
     * next ones are sent: timing send to receive measures the hand-off,
     * not the decoding. */
    v->frame_threads = (dec->active_thread_type & FF_THREAD_FRAME) && dec->thread_count > 1;
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
    char dec[48];
    if (v->frame_threads) {
        snprintf(dec, sizeof(dec), "dec on %d threads", v->threads);
    } else {
        snprintf(dec, sizeof(dec), "dec %.1f ms", v->dec_n ? v->dec_ms_sum / v->dec_n : 0.0);
    }
    snprintf(text, sizeof(text), "%dx%d %s%s \xc2\xb7 in %.1f out %.1f fps \xc2\xb7 %.0f kbps \xc2\xb7 %s%s%s",
             v->src_w, v->src_h, v->codec, sub ? " sub" : "", (double)v->stat_in / dt, (double)v->stat_out / dt,
             (double)v->stat_bytes * 8.0 / 1000.0 / dt, dec, lat, err);
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

/* One connection's state; the feed thread's own. */
struct session {
    const char *url;
    bool sub;                   /* on the substream */
    bool paced;                 /* a file: played at its pace, looped */
    AVFormatContext *ic;
    AVCodecContext *dec;
    AVPacket *pkt;
    AVFrame *fr;
    AVStream *st;
    int vs;                     /* the video stream's index */
    struct source_view view;    /* read once per packet */
    /* Pacing (files): pts 0 plays at wall time play_t0; each loop adds the
     * file's length (loop_off). */
    int64_t play_t0, loop_off, last_pts_ms, first_pts;
    int64_t first_dts;          /* the file's first video packet (where a loop seeks to) */
};

/* Opens url and its video decoder into s. Returns 0, or a negative AVERROR;
 * *why_set tells whether why already holds the reason. */
static int open_stream(struct vfeed *v, struct session *s, char *why, size_t whylen, bool *why_set)
{
    s->ic = avformat_alloc_context();
    s->pkt = av_packet_alloc();
    s->fr = av_frame_alloc();
    if (!s->ic || !s->pkt || !s->fr) {
        return AVERROR(ENOMEM);
    }
    s->ic->interrupt_callback = (AVIOInterruptCB){ interrupt_cb, v };
    AVDictionary *opts = NULL;
    open_options(v, s->url, &opts);
    v->timed_out = false;
    v->waiting_for = "answer";
    v->deadline_ms = now_ms() + v->o->timeout;
    int rc = avformat_open_input(&s->ic, s->url, NULL, &opts);
    av_dict_free(&opts);
    if (rc < 0) {
        return rc; /* s->ic was freed */
    }
    rc = avformat_find_stream_info(s->ic, NULL);
    if (rc < 0) {
        return rc;
    }
    const AVCodec *codec = NULL;
    s->vs = av_find_best_stream(s->ic, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (s->vs < 0) {
        if (s->vs == AVERROR_DECODER_NOT_FOUND) {
            int any = av_find_best_stream(s->ic, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
            snprintf(why, whylen, "unsupported codec %s",
                     any >= 0 ? avcodec_get_name(s->ic->streams[any]->codecpar->codec_id) : "?");
            *why_set = true;
        }
        return s->vs;
    }
    for (unsigned i = 0; i < s->ic->nb_streams; i++) {
        s->ic->streams[i]->discard = (int)i == s->vs ? AVDISCARD_DEFAULT : AVDISCARD_ALL;
    }
    s->st = s->ic->streams[s->vs];
    rc = open_decoder(v, s->st, codec, &s->dec);
    if (rc < 0) {
        snprintf(why, whylen, "cannot decode %s", codec->name);
        *why_set = true;
        return rc;
    }
    snprintf(v->codec, sizeof(v->codec), "%s", codec->name);
    s->paced = is_paced(s->ic, s->url);
    log_info(v->f->log, "opened %s stream: %s %dx%d%s", s->sub ? "sub" : "main", codec->name,
             s->st->codecpar->width, s->st->codecpar->height, s->paced ? ", paced file" : ", live");
    return 0;
}

static void close_stream(struct session *s)
{
    avcodec_free_context(&s->dec);
    avformat_close_input(&s->ic);
    av_packet_free(&s->pkt);
    av_frame_free(&s->fr);
}

static void decode_packet(struct vfeed *v, struct session *s);

/* End of a file: the frames still in the decoder (B-frames wait there) are
 * shown, then back to the start, time running on. The seek goes to the
 * first packet's decode time: a seek to the start time (a presentation
 * time, later than the first decode time when the file has B-frames)
 * lands after the key frame, and everything decoded from there is
 * garbage. After the seek nothing is decoded before a key frame. Returns
 * 0, or < 0 when it cannot seek (the session ends and reopens the file). */
static int loop_file(struct vfeed *v, struct session *s)
{
    decode_packet(v, s); /* s->pkt is empty at EOF: drains the decoder */
    s->loop_off = s->last_pts_ms + 40;
    avcodec_flush_buffers(s->dec);
    int64_t to = s->first_dts != AV_NOPTS_VALUE ? s->first_dts
               : s->st->start_time != AV_NOPTS_VALUE ? s->st->start_time : 0;
    int rc = av_seek_frame(s->ic, s->vs, to, AVSEEK_FLAG_BACKWARD);
    if (rc < 0) {
        rc = av_seek_frame(s->ic, -1, 0, AVSEEK_FLAG_BYTE); /* formats without an index */
    }
    s->first_pts = AV_NOPTS_VALUE;
    v->need_key = true;
    return rc < 0 ? rc : 0;
}

/* Whether the packet in s->pkt is to be decoded. Live: when decoding fell
 * behind (or the panel was hidden and decoded key frames only), everything
 * up to the next key frame is dropped (and unref'd here). */
static bool want_packet(struct vfeed *v, struct session *s, int64_t now)
{
    AVPacket *pkt = s->pkt;
    bool key = pkt->flags & AV_PKT_FLAG_KEY;
    if (!s->paced && pkt->pts != AV_NOPTS_VALUE) {
        int64_t pts_ms = av_rescale_q(pkt->pts, s->st->time_base, (AVRational){ 1, 1000 });
        int64_t off = now - pts_ms;
        if (off < v->lag_base) {
            v->lag_base = off;
        }
        if (off - v->lag_base > LAG_MAX_MS && !v->need_key) {
            log_info(v->f->log, "%lld ms behind live: skipping to the next key frame", (long long)(off - v->lag_base));
            v->need_key = true;
        }
    }
    if (!s->view.shown && !key) {
        v->need_key = true; /* back on screen: resume at a key frame */
    }
    if (v->need_key) {
        if (!key) {
            if (v->live_now && s->view.shown) {
                scene_source_count(v->f->src, SOURCE_DROPS, 1);
            }
            av_packet_unref(pkt);
            return false;
        }
        v->need_key = false;
        v->lag_base = INT64_MAX;
    }
    return true;
}

/* Files: waits until the frame with pts is due. Live RTSP with RTCP sender
 * reports: notes the capture-to-decode latency. Returns true when stopping. */
static bool pace(struct vfeed *v, struct session *s, int64_t pts)
{
    if (s->paced && pts != AV_NOPTS_VALUE) {
        if (s->first_pts == AV_NOPTS_VALUE) {
            s->first_pts = pts;
            if (!s->play_t0) {
                s->play_t0 = now_ms();
            }
        }
        int64_t pts_ms = av_rescale_q(pts - s->first_pts, s->st->time_base, (AVRational){ 1, 1000 }) + s->loop_off;
        s->last_pts_ms = pts_ms;
        int64_t wait = s->play_t0 + pts_ms - now_ms();
        if (wait > 1000) {
            wait = 1000; /* a pts jump must not freeze the panel */
            s->play_t0 = now_ms() + 1000 - pts_ms;
        } else if (wait < -1000) {
            s->play_t0 = now_ms() - pts_ms; /* fell far behind: catch up, do not race */
        }
        return wait > 0 && video_nap(v, wait);
    }
    AVFormatContext *ic = s->ic;
    if (ic->start_time_realtime > 0 && ic->start_time_realtime != AV_NOPTS_VALUE && pts != AV_NOPTS_VALUE) {
        int64_t start = s->st->start_time != AV_NOPTS_VALUE ? s->st->start_time : 0;
        int64_t cap_us = ic->start_time_realtime + av_rescale_q(pts - start, s->st->time_base, AV_TIME_BASE_Q);
        v->latency_ms = (double)(av_gettime() - cap_us) / 1000.0;
    }
    return false;
}

/* Hands the decoded frame in s->fr to the panel (the mailbox) and marks
 * the source live. */
static void deliver(struct vfeed *v, struct session *s)
{
    struct scene_source *src = v->f->src;
    AVFrame *fr = s->fr;
    v->src_w = fr->width;
    v->src_h = fr->height;
    struct video_frame *vf = video_picture_make(&v->conv, fr, &s->view);
    if (!vf) {
        scene_source_count(src, SOURCE_ERRORS, 1);
        note_error(v, "cannot convert a %dx%d %s frame", fr->width, fr->height,
                   av_get_pix_fmt_name(fr->format) ? av_get_pix_fmt_name(fr->format) : "?");
        av_frame_unref(fr);
        return;
    }
    av_frame_unref(fr);
    scene_mailbox_put(src, vf); /* counts the frame */
    scene_source_touch(src);
    v->stat_out++;
    v->last_frame_ms = now_ms();
    if (!v->live_now || v->stalled) {
        if (v->stalled) {
            log_info(v->f->log, "frames again");
        } else {
            log_info(v->f->log, "live (%s stream)", s->sub ? "sub" : "main");
        }
        v->live_now = true;
        v->stalled = false;
        v->had_frame = true;
        v->backoff_ms = 0;
        scene_source_set_status(src, SOURCE_LIVE, NULL, 0);
    }
}

/* Decodes the packet in s->pkt and delivers every frame it yields. A bad
 * packet or frame is counted and noted; the stream goes on. */
static void decode_packet(struct vfeed *v, struct session *s)
{
    struct scene_source *src = v->f->src;
    v->stat_in++;
    int64_t t_dec = now_us();
    int rc = avcodec_send_packet(s->dec, s->pkt);
    av_packet_unref(s->pkt);
    if (rc < 0 && rc != AVERROR(EAGAIN)) {
        scene_source_count(src, SOURCE_ERRORS, 1);
        note_error(v, "bad packet: %s", av_err2str(rc));
        return;
    }
    while ((rc = avcodec_receive_frame(s->dec, s->fr)) == 0) {
        v->dec_ms_sum += (double)(now_us() - t_dec) / 1000.0;
        v->dec_n++;
        if (s->fr->decode_error_flags || (s->fr->flags & AV_FRAME_FLAG_CORRUPT)) {
            scene_source_count(src, SOURCE_ERRORS, 1);
            scene_source_count(src, SOURCE_DAMAGED, 1);
            note_error(v, "damaged frame (shown anyway)");
        }
        if (pace(v, s, s->fr->best_effort_timestamp)) {
            av_frame_unref(s->fr);
            return; /* stopping: the session loop sees it */
        }
        deliver(v, s);
    }
    if (rc != AVERROR(EAGAIN) && rc != AVERROR_EOF && rc < 0) {
        scene_source_count(src, SOURCE_ERRORS, 1);
        note_error(v, "decode error: %s", av_err2str(rc));
    }
}

int video_session(struct vfeed *v, const char *url, bool sub, char *why, size_t whylen)
{
    struct session s = { .url = url, .sub = sub, .first_pts = AV_NOPTS_VALUE, .first_dts = AV_NOPTS_VALUE };
    bool why_set = false;
    int rc = open_stream(v, &s, why, whylen, &why_set);
    if (rc == 0) {
        v->live_now = false;
        v->stalled = false;
        v->need_key = true;
        v->lag_base = INT64_MAX;
        v->last_packet_ms = v->last_frame_ms = now_ms();
        v->stat_t0 = now_ms();
        v->waiting_for = "data";
    }
    while (rc == 0) {
        int64_t now = now_ms();
        if (video_stopping(v)) {
            rc = AVERROR_EXIT;
            break;
        }
        if (video_want_sub(v, now) != sub) {
            log_info(v->f->log, "switching to the %s stream", sub ? "main" : "sub");
            rc = SESSION_SWITCH;
            break;
        }
        scene_source_get_view(v->f->src, &s.view);
        tune_decoder(v, s.dec, &s.view);
        v->shown = s.view.shown;
        check_stall(v, now);
        publish_stats(v, now, sub);
        v->deadline_ms = now + v->o->timeout;
        v->timed_out = false;
        rc = av_read_frame(s.ic, s.pkt);
        if (rc >= 0 && v->timed_out) {
            /* The read timed out but handed back a packet it had buffered:
             * old data, not a sign of life (taking it as one would restart
             * the no-data timer and double the time to NO SIGNAL). */
            av_packet_unref(s.pkt);
            rc = AVERROR(ETIMEDOUT);
            break;
        }
        if (rc == AVERROR_EOF && s.paced) {
            rc = loop_file(v, &s);
            continue;
        }
        if (rc < 0) {
            break;
        }
        if (s.pkt->stream_index != s.vs) {
            av_packet_unref(s.pkt);
            continue;
        }
        if (s.first_dts == AV_NOPTS_VALUE) {
            s.first_dts = s.pkt->dts != AV_NOPTS_VALUE ? s.pkt->dts : s.pkt->pts;
        }
        now = now_ms();
        v->last_packet_ms = now;
        v->stat_bytes += (uint64_t)s.pkt->size;
        scene_source_count(v->f->src, SOURCE_BYTES, (uint64_t)s.pkt->size);
        if (want_packet(v, &s, now)) {
            decode_packet(v, &s);
        }
    }
    if (!why_set && rc < 0 && (rc != AVERROR_EXIT || v->timed_out)) {
        describe_error(v, rc, why, whylen);
    }
    v->deadline_ms = 0;
    close_stream(&s);
    mem_trim(); /* the decoder's pools, freed in this thread's arena */
    v->live_now = false;
    return rc;
}
