/* feeds/video_picture.h: turns a decoded frame into the picture a panel
 * draws: for a GPU renderer the YUV420P planes at the stream's size (by
 * reference), for the software renderer a YUV 4:2:0 picture already fitted
 * to the panel's box (one swscale pass, buffers pooled; by reference when
 * the stream already has that size), which the render thread converts to
 * BGRA straight into the panel's texture (video_picture_bgra). Pure of the
 * feed's other state, so it is tested on its own (tests/test_video.c). One
 * converter per source; its feed thread only. */
#ifndef PANTAU_FEED_VIDEO_PICTURE_H
#define PANTAU_FEED_VIDEO_PICTURE_H

#include "../core/scene.h"

#include <stddef.h>
#include <stdint.h>

struct AVFrame;
struct AVBufferPool;
struct SwsContext;
struct video_frame;

/* Scaling state kept between frames (the context, the pool of output
 * buffers). Zero-initialised is ready to use. */
struct video_converter {
    struct SwsContext *sws;     /* scaling (and format) pass */
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
 * at dst, pitch bytes a row, at its own size; *sws is the caller's cached
 * context (zero at first; free with sws_freeContext). swscale's SIMD
 * converts rows in runs of 8 pixels and skips the last run when the pitch
 * has no room for it (FFmpeg 5.1: an odd width's last 3-7 pixels stayed
 * unwritten), so pitch must be at least VIDEO_BGRA_PITCH(width); and dst
 * must have VIDEO_BGRA_SLACK bytes of room after the last row. 0, or -1
 * (pitch too small, or no context for the picture). Any one thread per
 * context (the render thread). */
#define VIDEO_BGRA_PITCH(w) ((((w) + 7) / 8) * 8 * 4)
#define VIDEO_BGRA_SLACK 256
int video_picture_bgra(struct SwsContext **sws, const struct video_frame *vf, uint8_t *dst, int pitch);
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
int video_picture_bgra_into(struct SwsContext **sws, const struct video_frame *vf, uint8_t *dst, int pitch,
                            uint8_t *save);
/* Frees a struct video_frame (the mailbox's unref function). NULL: no-op. */
void video_frame_free(void *vf);

#endif
