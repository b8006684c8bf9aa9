/* feeds/video_picture.h: turns a decoded frame into the picture a panel
 * draws: for a GPU renderer the YUV420P planes at the stream's size (by
 * reference), for the software renderer a BGRA picture already fitted to
 * the panel's box (two swscale passes, buffers pooled). Pure of the feed's
 * other state, so it is tested on its own (tests/test_video.c). One
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

/* Scaling state kept between frames (contexts, the intermediate picture,
 * the pool of output buffers). Zero-initialised is ready to use. */
struct video_converter {
    struct SwsContext *sws;     /* scaling (and format) pass */
    struct SwsContext *sws_rgb; /* unscaled YUV -> BGRA pass */
    uint8_t *mid[4];            /* the scaled YUV420P picture between the passes */
    int mid_lines[4];
    int mid_w, mid_h;
    struct AVBufferPool *pool;
    size_t pool_size;
};

/* Frees what c holds (outstanding pictures keep their buffers alive). */
void video_converter_finish(struct video_converter *c);
/* The picture for view made from fr (a hardware frame is copied down
 * first); the caller owns it (video_frame_free). NULL on failure. Not laid
 * out yet (view w or h 0): the stream's size, at most 640 wide. */
struct video_frame *video_picture_make(struct video_converter *c, struct AVFrame *fr, const struct source_view *view);
/* Frees a struct video_frame (the mailbox's unref function). NULL: no-op. */
void video_frame_free(void *vf);

#endif
