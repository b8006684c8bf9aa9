/* feeds/video_shrink.h: shrinks a YUV 4:2:0 picture to a panel's size with
 * area weights (each output pixel is the mean of the source pixels it
 * covers, fractions counted, so nothing aliases), the same filter as
 * swscale's SWS_AREA and within 2 of its values, for less: 0.64 of its
 * time for a D1 picture alone, 0.76 for a 352x288 substream (both into
 * 293x234); within the decoding loop, where reading the just-decoded
 * picture back costs more, 0.75-0.8 of swscale's added time for D1 and
 * 0.7-0.75 for the substream.
 *
 * Why not swscale: on the 24-camera wall its area pass (D1 to 293x234) was
 * a tenth of Pantau's CPU, 0.2 ms a picture; this does the two separable
 * passes directly, with no general pipeline around them:
 * vertical first (whole rows, vectorised, only the source rows that have
 * a weight), then horizontal over the few rows left (SSE2 multiply-add,
 * eight outputs a step). x86-64 only: without SSE2 it refuses
 * every shape and swscale does the work.
 *
 * Pure, no FFmpeg types; one shrinker per source, its feed thread only.
 * Tested against swscale in tests/test_video.c. */
#ifndef PANTAU_FEED_VIDEO_SHRINK_H
#define PANTAU_FEED_VIDEO_SHRINK_H

#include <stdint.h>

/* Weights for one axis of one plane: output i is the sum over k < taps of
 * w[i * taps + k] x source[start[i] + k]. */
struct shrink_axis {
    int from, to, taps;
    int *start;
    int16_t *w;
};

/* Kept between pictures of the same shape. Zero-initialised is ready to
 * use; video_shrink_free releases it. */
struct video_shrink {
    int sw, sh, dw, dh, ok;        /* the shape set up, and whether it is one this does */
    struct shrink_axis x[2], y[2]; /* [0] luma, [1] chroma */
    int16_t *row;                  /* one row of vertical sums */
    unsigned long long setups;     /* shapes set up (tests: once per shape) */
};

void video_shrink_free(struct video_shrink *s);

/* Shrinks the three planes of a sw x sh YUV 4:2:0 picture (chroma planes
 * (sw + 1) / 2 x (sh + 1) / 2) into dw x dh ones at dst (pitches in
 * dst_pitch; nothing past each row's width is written). 0, or -1 when this
 * shape is not one it does: a dimension grows, nothing shrinks, an axis
 * shrunk so much that an output pixel covers more than 8 source pixels
 * (about 7 times), or a plane with fewer pixels on an axis than its filter
 * has taps (4, or 8 beyond 3 times smaller); the caller falls back to
 * swscale. Nothing is written then. */
int video_shrink(struct video_shrink *s, const uint8_t *const src[3], const int src_pitch[3], int sw, int sh,
                 uint8_t *const dst[3], const int dst_pitch[3], int dw, int dh);

#endif
