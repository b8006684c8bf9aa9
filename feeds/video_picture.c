/* feeds/video_picture.c: a decoded frame into the picture its panel draws
 * (see video_picture.h). Runs on the source's feed thread. */
#include "video_picture.h"
#include "video.h"
#include "../core/util.h"

#include <libavutil/frame.h>
#include <libavutil/hwcontext.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>

#include <stdbool.h>
#include <stdlib.h>

#define SWS_OVERRUN 256         /* swscale's SIMD YUV->BGRA writes past the last row: 32 bytes
                                   measured (FFmpeg 5.1, x86 AVX2); room for wider vectors */

void video_converter_finish(struct video_converter *v)
{
    sws_freeContext(v->sws);
    sws_freeContext(v->sws_rgb);
    av_freep(&v->mid[0]);
    av_buffer_pool_uninit(&v->pool);
    *v = (struct video_converter){ 0 };
}

void video_frame_free(void *p)
{
    struct video_frame *vf = p;
    if (vf) {
        AVFrame *av = vf->av;
        av_frame_free(&av);
        free(vf);
    }
}

/* A frame of dw x dh in dfmt (BGRA from the buffer pool, or YUV420P) made
 * from in. For BGRA it takes two swscale passes: YUV to YUV420P at the
 * target size (area filter when shrinking, bilinear when growing), then an
 * unscaled YUV to BGRA conversion; both have SIMD paths, while swscale's
 * one-pass scaled RGB output does not (measured here for D1 to 293x234:
 * 0.18 ms against 0.47 ms with fast_bilinear). NULL on failure. */
static AVFrame *convert(struct video_converter *v, const AVFrame *in, int dw, int dh, enum AVPixelFormat dfmt)
{
    AVFrame *out = av_frame_alloc();
    if (!out) {
        return NULL;
    }
    out->format = dfmt;
    out->width = dw;
    out->height = dh;
    const uint8_t *const *data = (const uint8_t *const *)in->data;
    const int *lines = in->linesize;
    enum AVPixelFormat fmt = in->format;
    int h = in->height;
    bool yuv420 = fmt == AV_PIX_FMT_YUV420P || fmt == AV_PIX_FMT_YUVJ420P;
    if (dfmt != AV_PIX_FMT_BGRA) {
        v->sws = sws_getCachedContext(v->sws, in->width, in->height, fmt, dw, dh, dfmt, SWS_BILINEAR, NULL, NULL,
                                      NULL);
        if (!v->sws || av_frame_get_buffer(out, 0) < 0) {
            goto fail;
        }
        sws_scale(v->sws, data, lines, 0, h, out->data, out->linesize);
        return out;
    }
    if (!yuv420 || in->width != dw || in->height != dh) {
        if (v->mid_w != dw || v->mid_h != dh) {
            av_freep(&v->mid[0]);
            v->mid_w = v->mid_h = 0;
            if (av_image_alloc(v->mid, v->mid_lines, dw, dh, AV_PIX_FMT_YUV420P, 32) < 0) {
                goto fail;
            }
            v->mid_w = dw;
            v->mid_h = dh;
        }
        int flags = dw < in->width ? SWS_AREA : SWS_BILINEAR;
        v->sws = sws_getCachedContext(v->sws, in->width, in->height, fmt, dw, dh, AV_PIX_FMT_YUV420P, flags, NULL,
                                      NULL, NULL);
        if (!v->sws) {
            goto fail;
        }
        sws_scale(v->sws, data, lines, 0, h, v->mid, v->mid_lines);
        data = (const uint8_t *const *)v->mid;
        lines = v->mid_lines;
        fmt = AV_PIX_FMT_YUV420P;
        h = dh;
    }
    v->sws_rgb = sws_getCachedContext(v->sws_rgb, dw, dh, fmt, dw, dh, AV_PIX_FMT_BGRA, SWS_BILINEAR, NULL, NULL,
                                      NULL);
    int size = av_image_get_buffer_size(AV_PIX_FMT_BGRA, dw, dh, 32);
    if (!v->sws_rgb || size < 0) {
        goto fail;
    }
    if (!v->pool || v->pool_size != (size_t)size) {
        av_buffer_pool_uninit(&v->pool); /* outstanding buffers keep the old pool alive */
        v->pool = av_buffer_pool_init((size_t)size + SWS_OVERRUN, NULL);
        v->pool_size = (size_t)size;
    }
    out->buf[0] = v->pool ? av_buffer_pool_get(v->pool) : NULL;
    if (!out->buf[0] ||
        av_image_fill_arrays(out->data, out->linesize, out->buf[0]->data, AV_PIX_FMT_BGRA, dw, dh, 32) < 0) {
        goto fail;
    }
    sws_scale(v->sws_rgb, data, lines, 0, h, out->data, out->linesize);
    return out;
fail:
    av_frame_free(&out);
    return NULL;
}

struct video_frame *video_picture_make(struct video_converter *v, AVFrame *fr, const struct source_view *view)
{
    AVFrame *sw = fr;
    AVFrame *tmp = NULL;
    if (fr->hw_frames_ctx) {
        tmp = av_frame_alloc();
        if (!tmp || av_hwframe_transfer_data(tmp, fr, 0) < 0) {
            av_frame_free(&tmp);
            return NULL;
        }
        sw = tmp;
    }
    AVFrame *out = NULL;
    bool yuv420 = sw->format == AV_PIX_FMT_YUV420P || sw->format == AV_PIX_FMT_YUVJ420P;
    int dw, dh;
    enum AVPixelFormat dfmt;
    if (view->planes) {
        dw = sw->width;
        dh = sw->height;
        dfmt = AV_PIX_FMT_YUV420P;
    } else {
        dw = sw->width;
        dh = sw->height;
        if (view->w > 0 && view->h > 0) {
            view_fit_size(view->w, view->h, sw->width, sw->height, sw->sample_aspect_ratio.num,
                          sw->sample_aspect_ratio.den, view->fit, &dw, &dh);
        } else if (dw > 640) { /* not laid out (no panel shows it): something modest */
            dh = (int)((int64_t)dh * 640 / dw);
            dw = 640;
        }
        dfmt = AV_PIX_FMT_BGRA;
    }
    if (view->planes && yuv420) {
        out = av_frame_clone(sw);
        if (out) {
            out->format = AV_PIX_FMT_YUV420P;
        }
    } else {
        out = convert(v, sw, dw, dh, dfmt);
    }
    if (!out) {
        av_frame_free(&tmp);
        return NULL;
    }
    struct video_frame *vf = xcalloc(1, sizeof(*vf));
    vf->av = out;
    vf->src_w = sw->width;
    vf->src_h = sw->height;
    vf->sar_num = sw->sample_aspect_ratio.num > 0 ? sw->sample_aspect_ratio.num : 1;
    vf->sar_den = sw->sample_aspect_ratio.den > 0 ? sw->sample_aspect_ratio.den : 1;
    av_frame_free(&tmp);
    return vf;
}
