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
#include <string.h>

#define SWS_OVERRUN 256         /* swscale's SIMD paths may write past a plane's last row;
                                   room for wide vectors */

void video_scaler_free(struct video_scaler *s)
{
    sws_freeContext(s->sws);
    *s = (struct video_scaler){ 0 };
}

/* The context for this request: the last one when the request is the
 * same, else a new one (see struct video_scaler). NULL when swscale cannot
 * do it. */
static struct SwsContext *scaler_get(struct video_scaler *s, int src_w, int src_h, int src_fmt, int dst_w, int dst_h,
                                     int dst_fmt, int flags)
{
    if (s->sws && s->src_w == src_w && s->src_h == src_h && s->src_fmt == src_fmt && s->dst_w == dst_w &&
        s->dst_h == dst_h && s->dst_fmt == dst_fmt && s->flags == flags) {
        return s->sws;
    }
    sws_freeContext(s->sws);
    unsigned long long setups = s->setups + 1;
    *s = (struct video_scaler){ .src_w = src_w, .src_h = src_h, .src_fmt = src_fmt, .dst_w = dst_w, .dst_h = dst_h,
                                .dst_fmt = dst_fmt, .flags = flags, .setups = setups };
    s->sws = sws_getContext(src_w, src_h, src_fmt, dst_w, dst_h, dst_fmt, flags, NULL, NULL, NULL);
    return s->sws;
}

/* The context converting f to BGRA at its own size. */
static struct SwsContext *bgra_scaler(struct video_scaler *s, const AVFrame *f)
{
    return scaler_get(s, f->width, f->height, f->format, f->width, f->height, AV_PIX_FMT_BGRA, SWS_BILINEAR);
}

void video_converter_finish(struct video_converter *v)
{
    video_shrink_free(&v->shrink);
    video_scaler_free(&v->scale);
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

/* A YUV 4:2:0 frame of dw x dh made from in, in a buffer from the pool:
 * area weights when shrinking (every source pixel counts, so nothing
 * aliases): video_shrink for 4:2:0 sources, which keeps their range (a
 * YUVJ420P source gives YUVJ420P), swscale's area filter for the rest;
 * swscale's bilinear when growing. yuv420: in is YUV(J)420P. NULL on failure. */
static AVFrame *convert(struct video_converter *v, const AVFrame *in, bool yuv420, int dw, int dh)
{
    AVFrame *out = av_frame_alloc();
    if (!out) {
        return NULL;
    }
    out->format = AV_PIX_FMT_YUV420P;
    out->width = dw;
    out->height = dh;
    int size = av_image_get_buffer_size(AV_PIX_FMT_YUV420P, dw, dh, 32);
    if (size < 0) {
        goto fail;
    }
    if (!v->pool || v->pool_size != (size_t)size) {
        av_buffer_pool_uninit(&v->pool); /* outstanding buffers keep the old pool alive */
        v->pool = av_buffer_pool_init((size_t)size + SWS_OVERRUN, NULL);
        v->pool_size = (size_t)size;
    }
    out->buf[0] = v->pool ? av_buffer_pool_get(v->pool) : NULL;
    if (!out->buf[0] ||
        av_image_fill_arrays(out->data, out->linesize, out->buf[0]->data, AV_PIX_FMT_YUV420P, dw, dh, 32) < 0) {
        goto fail;
    }
    if (yuv420 &&
        video_shrink(&v->shrink, (const uint8_t *const *)in->data, in->linesize, in->width, in->height, out->data,
                     out->linesize, dw, dh) == 0) {
        out->format = in->format; /* the same kind of samples, fewer */
        return out;
    }
    int flags = dw < in->width ? SWS_AREA : SWS_BILINEAR;
    struct SwsContext *sws = scaler_get(&v->scale, in->width, in->height, in->format, dw, dh, AV_PIX_FMT_YUV420P, flags);
    if (!sws) {
        goto fail;
    }
    sws_scale(sws, (const uint8_t *const *)in->data, in->linesize, 0, in->height, out->data, out->linesize);
    return out;
fail:
    av_frame_free(&out);
    return NULL;
}

int video_picture_bgra(struct video_scaler *sc, const struct video_frame *vf, uint8_t *dst, int pitch)
{
    const AVFrame *f = vf->av;
    struct SwsContext *sws = pitch >= VIDEO_BGRA_PITCH(f->width) ? bgra_scaler(sc, f) : NULL;
    if (!sws) {
        return -1;
    }
    uint8_t *planes[4] = { dst, NULL, NULL, NULL };
    int lines[4] = { pitch, 0, 0, 0 };
    sws_scale(sws, (const uint8_t *const *)f->data, f->linesize, 0, f->height, planes, lines);
    return 0;
}

int video_picture_bgra_into(struct video_scaler *sc, const struct video_frame *vf, uint8_t *dst, int pitch,
                            uint8_t *save)
{
    const AVFrame *f = vf->av;
    size_t row = (size_t)f->width * 4;
    struct SwsContext *sws = (size_t)pitch >= row + VIDEO_BGRA_OVERRUN ? bgra_scaler(sc, f) : NULL;
    if (!sws) {
        return -1;
    }
    for (int y = 0; y < f->height; y++) {
        memcpy(save + (size_t)y * VIDEO_BGRA_OVERRUN, dst + (size_t)y * (size_t)pitch + row, VIDEO_BGRA_OVERRUN);
    }
    uint8_t *planes[4] = { dst, NULL, NULL, NULL };
    int lines[4] = { pitch, 0, 0, 0 };
    sws_scale(sws, (const uint8_t *const *)f->data, f->linesize, 0, f->height, planes, lines);
    for (int y = 0; y < f->height; y++) {
        memcpy(dst + (size_t)y * (size_t)pitch + row, save + (size_t)y * VIDEO_BGRA_OVERRUN, VIDEO_BGRA_OVERRUN);
    }
    return 0;
}

bool video_bgra_into_fits(int pitch, int rows, int x, int y, int w, int h)
{
    if (x < 0 || y < 0 || w <= 0 || h <= 0 || (int64_t)(x + w) * 4 > pitch || y + h > rows) {
        return false;
    }
    size_t room = (size_t)pitch - (size_t)(x + w) * 4;
    return room >= VIDEO_BGRA_OVERRUN || (y + h < rows && VIDEO_BGRA_OVERRUN - room <= (size_t)x * 4);
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
    int dw = sw->width, dh = sw->height;
    if (!view->planes) {
        if (view->w > 0 && view->h > 0) {
            view_fit_size(view->w, view->h, sw->width, sw->height, sw->sample_aspect_ratio.num,
                          sw->sample_aspect_ratio.den, view->fit, &dw, &dh);
        } else if (dw > 640) { /* not laid out (no panel shows it): something modest */
            dh = (int)((int64_t)dh * 640 / dw);
            dw = 640;
        }
    }
    if (yuv420 && dw == sw->width && dh == sw->height) {
        out = av_frame_clone(sw); /* by reference: no copy */
        if (out && view->planes) {
            out->format = AV_PIX_FMT_YUV420P; /* what the GPU's texture takes */
        }
    } else {
        out = convert(v, sw, yuv420, dw, dh);
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
