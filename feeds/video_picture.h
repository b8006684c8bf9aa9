/* feeds/video_picture.h: turns a decoded frame into the picture a panel
 * draws: for a GPU renderer the YUV420P planes at the stream's size (by
 * reference), for the software renderer a YUV 4:2:0 picture already fitted
 * to the panel's box (one pass: video_shrink when a 4:2:0 picture shrinks,
 * else swscale; buffers pooled; by reference when the stream already has
 * that size), which the render thread converts to
 * BGRA straight into the panel's texture (video_picture_bgra). Pure of the
 * feed's other state, so it is tested on its own (tests/test_video.c). One
 * converter per source; its feed thread only. */
#ifndef PANTAU_FEED_VIDEO_PICTURE_H
#define PANTAU_FEED_VIDEO_PICTURE_H

#include "../core/scene.h"
#include "video_shrink.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct AVFrame;
struct AVBufferPool;
struct video_frame;

/* A swscale context kept for the next picture of the same shape.
 * sws_getCachedContext cannot do this: it compares the request with what
 * the context holds after set-up, which swscale changes for some requests
 * (FFmpeg 5.1: BGRA output of an odd width gains SWS_FULL_CHR_H_INT; a
 * YUVJ source becomes YUV plus a range), so those were set up again for
 * every picture (0.08-0.17 ms each, three times the conversion itself).
 * This compares the request with the last request. Zero-initialised is
 * ready to use; video_scaler_free releases it. */
struct video_scaler {
    struct SwsContext *sws;
    int src_w, src_h, src_fmt, dst_w, dst_h, dst_fmt, flags;
    unsigned long long setups; /* contexts made (tests: once per shape) */
};
void video_scaler_free(struct video_scaler *s);

/* Scaling state kept between frames (the context, the pool of output
 * buffers). Zero-initialised is ready to use. */
struct video_converter {
    struct video_shrink shrink; /* YUV 4:2:0 shrunk (most cameras into most panels) */
    struct video_scaler scale;  /* everything else: growing, other formats */
    struct AVBufferPool *pool;
    size_t pool_size;
};

/* Frees what c holds (outstanding pictures keep their buffers alive). */
void video_converter_finish(struct video_converter *c);
/* The picture for view made from fr (a hardware frame is copied down
 * first); the caller owns it (video_frame_free). NULL on failure. Not laid
 * out yet (view w or h 0): the stream's size, at most 640 wide. */
struct video_frame *video_picture_make(struct video_converter *c, struct AVFrame *fr, const struct source_view *view);
/* Converts a software picture (YUV 4:2:0, limited or full range) to BGRA
 * at dst, pitch bytes a row, at its own size; sc is the caller's
 * (video_scaler_free when done). swscale's SIMD
 * converts rows in runs of 8 pixels and skips the last run when the pitch
 * has no room for it (FFmpeg 5.1: an odd width's last 3-7 pixels stayed
 * unwritten), so pitch must be at least VIDEO_BGRA_PITCH(width); and dst
 * must have VIDEO_BGRA_SLACK bytes of room after the last row. 0, or -1
 * (pitch too small, or no context for the picture). Any one thread per
 * context (the render thread). */
#define VIDEO_BGRA_PITCH(w) ((((w) + 7) / 8) * 8 * 4)
#define VIDEO_BGRA_SLACK 256
int video_picture_bgra(struct video_scaler *sc, const struct video_frame *vf, uint8_t *dst, int pitch);
/* The same into a bigger image that holds other pixels right of the
 * picture (the software renderer's window surface): with that much room
 * swscale's SIMD rounds each row up to its run and writes up to 15 pixels
 * past the picture's right edge (FFmpeg 5.1 AVX2; tests/test_video.c
 * checks the bound). The VIDEO_BGRA_OVERRUN bytes after each row's
 * width x 4 must be dst's memory and not the picture's (they may run on
 * into the start of the next row, left of the picture); they are saved in
 * save (height x VIDEO_BGRA_OVERRUN bytes, the caller's) before the
 * conversion and put back after, so nothing beside the picture changes.
 * 0, or -1 (a pitch shorter than a row and its overrun, or no context). */
#define VIDEO_BGRA_OVERRUN 64
int video_picture_bgra_into(struct video_scaler *sc, const struct video_frame *vf, uint8_t *dst, int pitch,
                            uint8_t *save);
/* Whether a w x h picture at pixel (x, y) of an image of rows rows, pitch
 * bytes each, 4 bytes a pixel, has the room video_picture_bgra_into needs
 * after each of its rows: in the row itself, or, at the image's right
 * edge, in the first bytes of the next row, as long as there is a next row
 * and those bytes stay left of the picture (they are put back all the
 * same). */
bool video_bgra_into_fits(int pitch, int rows, int x, int y, int w, int h);
/* Frees a struct video_frame (the mailbox's unref function). NULL: no-op. */
void video_frame_free(void *vf);

#endif
