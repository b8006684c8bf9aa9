/* tests/test_video.c: where a video picture goes in its panel (the feed
 * scales to exactly that size, so panel and feed must agree), and how the
 * on-screen views of one source's panels merge into what the feed reads. */
#include "core/scene.h"
#include "widgets/video.h"
#include "feeds/video_picture.h"
#include "feeds/video.h"
#include "check.h"

#include <libavutil/frame.h>
#include <libswscale/swscale.h>
#include <stdlib.h>
#include <string.h>

#include <stdbool.h>
#include <stdint.h>

static int released;

static void count_release(void *frame)
{
    (void)frame;
    released++;
}

struct fit_case {
    SDL_Rect box;
    int w, h, sar_num, sar_den, fit;
    SDL_Rect want;
    const char *why;
};

static const struct fit_case fits[] = {
    { { 0, 0, 320, 270 }, 720, 576, 1, 1, 0, { 0, 7, 320, 256 }, "contain: D1 4:5 pixels letterboxed top and bottom" },
    { { 0, 0, 320, 270 }, 720, 576, 16, 15, 0, { 0, 15, 320, 240 }, "contain honours a 16:15 sample aspect (4:3 picture)" },
    { { 10, 20, 400, 100 }, 640, 360, 1, 1, 0, { 121, 20, 178, 100 }, "contain: pillarboxed and centred in an offset box" },
    { { 0, 0, 320, 180 }, 640, 480, 1, 1, 1, { 0, -30, 320, 240 }, "cover: fills the width, overflows the height (cropped)" },
    { { 0, 0, 320, 270 }, 1920, 1080, 1, 1, 1, { -80, 0, 480, 270 }, "cover: fills the height, overflows the width" },
    { { 5, 5, 300, 100 }, 640, 480, 1, 1, 2, { 5, 5, 300, 100 }, "stretch: the whole box" },
    { { 0, 0, 320, 180 }, 0, 0, 1, 1, 0, { 0, 0, 320, 180 }, "no picture size yet: the box" },
    { { 0, 0, 320, 180 }, 1920, 1080, 1, 1, 0, { 0, 0, 320, 180 }, "same aspect: exactly the box" },
};

/* A w x h YUV420P frame of one colour (Y, U, V). */
static AVFrame *solid(int w, int h, int y, int u, int v, int sar_num, int sar_den)
{
    AVFrame *f = av_frame_alloc();
    f->format = AV_PIX_FMT_YUV420P;
    f->width = w;
    f->height = h;
    f->sample_aspect_ratio = (AVRational){ sar_num, sar_den };
    av_frame_get_buffer(f, 0);
    for (int r = 0; r < h; r++) {
        memset(f->data[0] + r * f->linesize[0], y, (size_t)w);
    }
    for (int r = 0; r < (h + 1) / 2; r++) {
        memset(f->data[1] + r * f->linesize[1], u, (size_t)(w + 1) / 2);
        memset(f->data[2] + r * f->linesize[2], v, (size_t)(w + 1) / 2);
    }
    return f;
}

/* The picture conversion on its own (feeds/video_picture.c): the size a
 * panel asks for, its fit and the sample aspect, YUV to BGRA colour on the
 * render side, GPU planes. */
static void test_pictures(void)
{
    struct video_converter c = { 0 };
    static const struct {
        int w, h, sar_num, sar_den;
        struct source_view view;
        int want_w, want_h, want_fmt;
        const char *why;
    } cases[] = {
        { 640, 480, 1, 1, { 400, 300, true, false, VIEW_FIT_CONTAIN }, 400, 300, AV_PIX_FMT_YUV420P, "4:3 fills a 4:3 box" },
        { 640, 480, 1, 1, { 400, 100, true, false, VIEW_FIT_CONTAIN }, 133, 100, AV_PIX_FMT_YUV420P, "contain: limited by height" },
        { 640, 480, 1, 1, { 400, 100, true, false, VIEW_FIT_COVER }, 400, 300, AV_PIX_FMT_YUV420P, "cover: the box's width" },
        { 640, 480, 1, 1, { 400, 100, true, false, VIEW_FIT_STRETCH }, 400, 100, AV_PIX_FMT_YUV420P, "stretch: the box" },
        { 720, 576, 16, 11, { 1048, 576, true, false, VIEW_FIT_CONTAIN }, 1048, 576, AV_PIX_FMT_YUV420P,
          "D1 with 16:11 pixels is 1048 wide at 576" },
        { 320, 240, 1, 1, { 960, 720, true, false, VIEW_FIT_CONTAIN }, 960, 720, AV_PIX_FMT_YUV420P, "scaled up" },
        { 1920, 1080, 1, 1, { 0, 0, false, false, VIEW_FIT_CONTAIN }, 640, 360, AV_PIX_FMT_YUV420P,
          "not laid out: at most 640 wide" },
        { 640, 480, 1, 1, { 400, 300, true, true, VIEW_FIT_CONTAIN }, 640, 480, AV_PIX_FMT_YUV420P,
          "GPU: the planes at the stream's size" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        /* Pure red in limited-range BT.601: Y 81, U 90, V 240. */
        AVFrame *in = solid(cases[i].w, cases[i].h, 81, 90, 240, cases[i].sar_num, cases[i].sar_den);
        struct video_frame *vf = video_picture_make(&c, in, &cases[i].view);
        CHECK(vf != NULL, "%s: a picture", cases[i].why);
        if (vf) {
            const AVFrame *out = vf->av;
            CHECK(out->width == cases[i].want_w && out->height == cases[i].want_h && out->format == cases[i].want_fmt,
                  "%s: want %dx%d fmt %d, got %dx%d fmt %d", cases[i].why, cases[i].want_w, cases[i].want_h,
                  cases[i].want_fmt, out->width, out->height, out->format);
            CHECK(vf->src_w == cases[i].w && vf->src_h == cases[i].h && vf->sar_num == cases[i].sar_num,
                  "%s: the source's size and aspect travel with it", cases[i].why);
            if (!cases[i].view.planes) {
                /* The render thread's conversion, into a buffer with the
                 * slack it promises to need and no more. */
                int pitch = VIDEO_BGRA_PITCH(out->width);
                size_t size = (size_t)pitch * (size_t)out->height;
                uint8_t *bgra = malloc(size + VIDEO_BGRA_SLACK);
                struct video_scaler sc = { 0 };
                CHECK(bgra && video_picture_bgra(&sc, vf, bgra, pitch) == 0, "%s: converted to BGRA", cases[i].why);
                if (bgra) {
                    const uint8_t *px = bgra + (size_t)(out->height / 2) * (size_t)pitch + (size_t)(out->width / 2) * 4;
                    CHECK(px[2] > 220 && px[1] < 40 && px[0] < 40, "%s: red in BGRA (got B%d G%d R%d)", cases[i].why,
                          px[0], px[1], px[2]);
                    const uint8_t *last = bgra + size - (size_t)pitch + (size_t)(out->width - 1) * 4;
                    CHECK(last[2] > 220 && last[1] < 40, "%s: the last pixel red too (got B%d G%d R%d)", cases[i].why, last[0], last[1], last[2]);
                }
                free(bgra);
                CHECK(video_picture_bgra(&sc, vf, (uint8_t[4]){ 0 }, 4) == -1 || out->width <= 1,
                      "%s: a pitch without room for the last run is refused", cases[i].why);
                video_scaler_free(&sc);
            }
        }
        video_frame_free(vf);
        av_frame_free(&in);
    }
    /* Full range (MJPEG cameras: YUVJ420P) stays full range, whether the
     * picture is passed on at its own size (by reference) or scaled: Y 16
     * is dark grey 16, not the black it would be read as limited range. */
    static const int boxes[][2] = { { 400, 300 }, { 200, 150 } };
    for (size_t i = 0; i < 2; i++) {
        AVFrame *in = solid(400, 300, 16, 128, 128, 1, 1);
        in->format = AV_PIX_FMT_YUVJ420P;
        struct source_view view = { boxes[i][0], boxes[i][1], true, false, VIEW_FIT_CONTAIN };
        struct video_frame *vf = video_picture_make(&c, in, &view);
        int pitch = VIDEO_BGRA_PITCH(boxes[i][0]);
        uint8_t *bgra = malloc((size_t)pitch * (size_t)boxes[i][1] + VIDEO_BGRA_SLACK);
        struct video_scaler sc = { 0 };
        CHECK(vf && bgra && video_picture_bgra(&sc, vf, bgra, pitch) == 0, "full range %dx%d: converted", boxes[i][0],
              boxes[i][1]);
        if (vf && bgra) {
            const uint8_t *px = bgra + (size_t)(boxes[i][1] / 2) * (size_t)pitch + (size_t)(boxes[i][0] / 2) * 4;
            CHECK(px[0] >= 13 && px[0] <= 19 && px[1] >= 13 && px[1] <= 19 && px[2] >= 13 && px[2] <= 19,
                  "full range %dx%d: Y 16 is grey 16 (got B%d G%d R%d)", boxes[i][0], boxes[i][1], px[0], px[1], px[2]);
        }
        video_scaler_free(&sc);
        free(bgra);
        video_frame_free(vf);
        av_frame_free(&in);
    }
    video_frame_free(NULL);
    video_converter_finish(&c);
}

/* A scaler is set up once per shape of picture, not once per picture:
 * the shapes swscale alters during set-up (BGRA of an odd width, a YUVJ
 * source) included, which sws_getCachedContext set up again every time. */
static void test_scaler_reuse(void)
{
    static const struct {
        int w, h, fmt;
        const char *why;
    } shapes[] = {
        { 293, 234, AV_PIX_FMT_YUV420P, "odd width" },
        { 294, 234, AV_PIX_FMT_YUV420P, "even width" },
        { 293, 235, AV_PIX_FMT_YUVJ420P, "full range, odd width and height" },
    };
    for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        int w = shapes[i].w, h = shapes[i].h;
        AVFrame *f = solid(w, h, 81, 90, 240, 1, 1);
        f->format = shapes[i].fmt;
        struct video_frame vf = { .av = f, .src_w = w, .src_h = h, .sar_num = 1, .sar_den = 1 };
        int pitch = VIDEO_BGRA_PITCH(w) + VIDEO_BGRA_OVERRUN;
        uint8_t *bgra = calloc((size_t)pitch * (size_t)h + VIDEO_BGRA_SLACK, 1);
        uint8_t *save = malloc((size_t)h * VIDEO_BGRA_OVERRUN);
        struct video_scaler sc = { 0 };
        for (int n = 0; n < 5; n++) {
            CHECK(video_picture_bgra(&sc, &vf, bgra, pitch) == 0, "%s: converted", shapes[i].why);
            CHECK(video_picture_bgra_into(&sc, &vf, bgra, pitch, save) == 0, "%s: converted in place", shapes[i].why);
        }
        CHECK(sc.setups == 1, "%s: one set-up for 10 conversions, got %llu", shapes[i].why, sc.setups);
        const uint8_t *px = bgra + (size_t)(h - 1) * (size_t)pitch + (size_t)(w - 1) * 4;
        CHECK(px[2] > 220 && px[1] < 40 && px[0] < 40, "%s: the last pixel red (got B%d G%d R%d)", shapes[i].why,
              px[0], px[1], px[2]);
        /* A different shape sets up again, and back again too. */
        f->width = w - 1;
        vf.src_w = w - 1;
        CHECK(video_picture_bgra(&sc, &vf, bgra, pitch) == 0 && sc.setups == 2, "%s: a new width, a new set-up",
              shapes[i].why);
        f->width = w;
        vf.src_w = w;
        CHECK(video_picture_bgra(&sc, &vf, bgra, pitch) == 0 && sc.setups == 3, "%s: the old width again",
              shapes[i].why);
        video_scaler_free(&sc);
        free(save);
        free(bgra);
        av_frame_free(&f);
    }
    /* The feed's scaling pass: a full-range D1 source into a panel. */
    struct video_converter c = { 0 };
    AVFrame *in = solid(720, 576, 16, 128, 128, 1, 1);
    in->format = AV_PIX_FMT_YUVJ420P;
    struct source_view view = { 293, 234, true, false, VIEW_FIT_CONTAIN };
    for (int n = 0; n < 5; n++) {
        struct video_frame *vf = video_picture_make(&c, in, &view);
        CHECK(vf != NULL, "full-range D1 scaled");
        video_frame_free(vf);
    }
#if defined(__SSE2__)
    CHECK(c.shrink.setups == 1 && c.scale.setups == 0, "full-range D1 shrunk 5 times: one set-up, no swscale (got %llu, %llu)",
          c.shrink.setups, c.scale.setups);
#else
    CHECK(c.scale.setups == 1, "full-range D1 scaled 5 times: one set-up, got %llu", c.scale.setups);
#endif
    av_frame_free(&in);
    video_converter_finish(&c);
}

/* Straight into a bigger image: swscale's own overrun stays within
 * VIDEO_BGRA_OVERRUN (the bound the window path relies on), and with the
 * save-and-restore nothing outside the picture changes while every pixel
 * of it is written. Random pictures, widths across every SIMD remainder. */
static void test_into(void)
{
    const int pitch = 4096, rows = 160, x0 = 40, y0 = 5;
    uint8_t *canvas = malloc((size_t)pitch * rows);
    uint8_t *save = malloc((size_t)rows * VIDEO_BGRA_OVERRUN);
    int worst = 0, changed_outside = 0, unwritten = 0;
    unsigned seed = 1;
    for (int fmt = 0; fmt < 2; fmt++) {
        for (int w = 1; w <= 400; w += w < 48 ? 1 : 13) {
            for (int h = 1; h <= 140; h += h < 6 ? 1 : 45) {
                AVFrame *f = solid(w, h, 0, 0, 0, 1, 1);
                f->format = fmt ? AV_PIX_FMT_YUVJ420P : AV_PIX_FMT_YUV420P;
                for (int p = 0; p < 3; p++) {
                    for (int y = 0; y < (p ? (h + 1) / 2 : h); y++) {
                        for (int x = 0; x < (p ? (w + 1) / 2 : w); x++) {
                            seed = seed * 1103515245u + 12345u;
                            f->data[p][y * f->linesize[p] + x] = (uint8_t)(seed >> 16);
                        }
                    }
                }
                struct video_frame vf = { .av = f, .src_w = w, .src_h = h, .sar_num = 1, .sar_den = 1 };
                struct video_scaler sc = { 0 };
                /* swscale alone: how far past each row it writes */
                memset(canvas, 0xa5, (size_t)pitch * rows);
                struct SwsContext *sws =
                    sws_getContext(w, h, f->format, w, h, AV_PIX_FMT_BGRA, SWS_BILINEAR, NULL, NULL, NULL);
                uint8_t *planes[4] = { canvas + (size_t)y0 * pitch + x0 * 4, NULL, NULL, NULL };
                int lines[4] = { pitch, 0, 0, 0 };
                sws_scale(sws, (const uint8_t *const *)f->data, f->linesize, 0, h, planes, lines);
                for (int y = y0; y < y0 + h; y++) {
                    for (int b = (x0 + w) * 4; b < pitch; b++) {
                        if (canvas[(size_t)y * pitch + b] != 0xa5 && b - (x0 + w) * 4 + 1 > worst) {
                            worst = b - (x0 + w) * 4 + 1;
                        }
                    }
                }
                /* the wrapped conversion */
                memset(canvas, 0xa5, (size_t)pitch * rows);
                CHECK(video_picture_bgra_into(&sc, &vf, canvas + (size_t)y0 * pitch + x0 * 4, pitch, save) == 0,
                      "%dx%d converted", w, h);
                for (int y = 0; y < rows; y++) {
                    for (int b = 0; b < pitch; b++) {
                        bool in = y >= y0 && y < y0 + h && b >= x0 * 4 && b < (x0 + w) * 4;
                        uint8_t v = canvas[(size_t)y * pitch + b];
                        if (!in && v != 0xa5) {
                            changed_outside++;
                        } else if (in && b % 4 == 3 && v != 0xff) {
                            unwritten++; /* BGRA's alpha is 255 wherever swscale wrote */
                        }
                    }
                }
                sws_freeContext(sws);
                video_scaler_free(&sc);
                av_frame_free(&f);
            }
        }
    }
    /* At the right edge of the image: the bytes after each row run on into
     * the start of the next row (left of the picture) and are put back. */
    int wrap_changed = 0, wrap_unwritten = 0;
    for (int w = 1; w <= 300; w += w < 40 ? 1 : 17) {
        int h = 7 + w % 5, wx0 = 20, wy0 = 2;
        int wpitch = (wx0 + w) * 4 + 20; /* 20 bytes of room: 44 run on */
        size_t wsize = (size_t)wpitch * (size_t)(wy0 + h + 1);
        AVFrame *f = solid(w, h, 81, 90, 240, 1, 1); /* red */
        struct video_frame vf = { .av = f, .src_w = w, .src_h = h, .sar_num = 1, .sar_den = 1 };
        struct video_scaler sc = { 0 };
        memset(canvas, 0xa5, wsize);
        CHECK(video_picture_bgra_into(&sc, &vf, canvas + (size_t)wy0 * wpitch + wx0 * 4, wpitch, save) == 0,
              "%dx%d at the edge converted", w, h);
        for (size_t i = 0; i < wsize; i++) {
            int y = (int)(i / (size_t)wpitch), b = (int)(i % (size_t)wpitch);
            bool in = y >= wy0 && y < wy0 + h && b >= wx0 * 4 && b < (wx0 + w) * 4;
            if (!in && canvas[i] != 0xa5) {
                wrap_changed++;
            } else if (in && b % 4 == 2 && canvas[i] < 200) {
                wrap_unwritten++; /* red's R byte */
            }
        }
        video_scaler_free(&sc);
        av_frame_free(&f);
    }
    CHECK_INT(wrap_changed, 0, "at the right edge: bytes outside the picture changed");
    CHECK_INT(wrap_unwritten, 0, "at the right edge: picture pixels not red");
    CHECK(worst <= VIDEO_BGRA_OVERRUN, "swscale writes at most VIDEO_BGRA_OVERRUN (%d) bytes past a row: %d",
          VIDEO_BGRA_OVERRUN, worst);
    CHECK_INT(changed_outside, 0, "bytes outside the picture changed");
    CHECK_INT(unwritten, 0, "picture pixels left unwritten");
    AVFrame *small = solid(64, 8, 0, 128, 128, 1, 1);
    struct video_frame vf = { .av = small, .src_w = 64, .src_h = 8 };
    struct video_scaler sc = { 0 };
    CHECK(video_picture_bgra_into(&sc, &vf, canvas, 64 * 4 + VIDEO_BGRA_OVERRUN - 1, save) == -1,
          "a row without the room after it is refused");
    av_frame_free(&small);
    video_scaler_free(&sc);
    free(canvas);
    free(save);
}

/* Where video_picture_bgra_into may write: the room after each row. */
static void test_into_fits(void)
{
    const int pitch = 1920 * 4, rows = 1080;
    CHECK(video_bgra_into_fits(pitch, rows, 8, 30, 293, 234), "room to the right: fits");
    CHECK(video_bgra_into_fits(pitch, rows, 1920 - 293, 30, 293, 234),
          "at the right edge: the overrun runs into the next row's start, left of the picture");
    CHECK(!video_bgra_into_fits(pitch, rows, 1920 - 293, rows - 234, 293, 234),
          "at the right edge on the last rows: no next row to run into");
    CHECK(video_bgra_into_fits(pitch, rows, 1920 - 293 - 16, rows - 234, 293, 234),
          "16 pixels of room on the last rows: fits");
    CHECK(!video_bgra_into_fits(pitch, rows, 1920 - 293 - 15, rows - 234, 293, 234),
          "15 pixels of room on the last rows: does not");
    int narrow = (10 + 50) * 4 + 20; /* 20 bytes of room: 44 run on into the next row */
    CHECK(!video_bgra_into_fits(narrow, 100, 10, 0, 50, 10), "44 bytes over, 40 left of the picture: does not fit");
    CHECK(video_bgra_into_fits(narrow + 4, 100, 11, 0, 50, 10), "44 bytes over, 44 left of the picture: fits");
    CHECK(!video_bgra_into_fits(pitch, rows, 1900, 0, 293, 234), "past the right edge: does not fit");
    CHECK(!video_bgra_into_fits(pitch, rows, 0, 900, 293, 234), "past the bottom: does not fit");
    CHECK(!video_bgra_into_fits(pitch, rows, -1, 0, 293, 234), "left of the image: does not fit");
}

/* A plane of w x h with pitch exactly w in its own allocation, so that
 * ASan sees any read past it: a smooth pattern with noise, seeded. */
static uint8_t *pattern_plane(int w, int h, unsigned seed)
{
    uint8_t *p = malloc((size_t)w * (size_t)h);
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            seed = seed * 1103515245u + 12345u;
            int v = 128 + (x * 7 + y * 3) % 90 - 45 + (int)((seed >> 16) % 41) - 20 + ((x / 9 + y / 5) % 2) * 60 - 30;
            p[(size_t)y * (size_t)w + (size_t)x] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
        }
    }
    return p;
}

/* feeds/video_shrink.c against swscale's area filter, which it replaces
 * for shrinking 4:2:0 pictures: the same pixels within 2 (rounding of the
 * weights) and rounded the same way (no bias), nothing written past a row, flat colour kept exactly, shapes
 * it does not do refused (the caller then uses swscale), and weights set
 * up once per shape. */
static void test_shrink(void)
{
#if !defined(__SSE2__)
    struct video_shrink none = { 0 };
    const uint8_t *planes[3] = { NULL, NULL, NULL };
    int pitches[3] = { 0, 0, 0 };
    CHECK(video_shrink(&none, planes, pitches, 720, 576, NULL, pitches, 293, 234) == -1,
          "without SSE2 every shape is left to swscale");
    return;
#endif
    static const struct {
        int sw, sh, dw, dh, taps;
        const char *why;
    } cases[] = {
        { 720, 576, 293, 234, 4, "D1 into a 6x4 wall's panel" },
        { 352, 288, 293, 234, 4, "substream, barely shrunk" },
        { 721, 577, 293, 235, 4, "odd sizes everywhere" },
        { 1920, 1080, 293, 165, 8, "1080p into a small panel: 8 taps" },
        { 640, 480, 133, 100, 8, "4.8 times smaller" },
        { 1920, 1080, 945, 531, 4, "1080p into a quarter of the wall" },
        { 720, 576, 720, 288, 4, "only the height shrinks" },
        { 720, 576, 360, 576, 4, "only the width shrinks: one row a sum" },
        { 100, 100, 15, 15, 8, "6.7 times smaller, tiny" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int sw = cases[i].sw, sh = cases[i].sh, dw = cases[i].dw, dh = cases[i].dh;
        int cw = (sw + 1) / 2, ch = (sh + 1) / 2, dcw = (dw + 1) / 2, dch = (dh + 1) / 2;
        const uint8_t *src[3] = { pattern_plane(sw, sh, 1), pattern_plane(cw, ch, 2), pattern_plane(cw, ch, 3) };
        int src_pitch[3] = { sw, cw, cw };
        int pitch[3] = { dw + 40, dcw + 40, dcw + 40 };
        uint8_t *dst[3];
        for (int p = 0; p < 3; p++) {
            dst[p] = malloc((size_t)pitch[p] * (size_t)(p ? dch : dh));
            memset(dst[p], 0xa5, (size_t)pitch[p] * (size_t)(p ? dch : dh));
        }
        struct video_shrink vs = { 0 };
        int rc = video_shrink(&vs, src, src_pitch, sw, sh, dst, pitch, dw, dh);
        CHECK(rc == 0 && vs.y[0].taps == cases[i].taps, "%s: shrunk with %d taps (rc %d, %d taps)", cases[i].why,
              cases[i].taps, rc, vs.y[0].taps);
        AVFrame *ref = solid(dw, dh, 0, 0, 0, 1, 1); /* overwritten by swscale below */
        struct SwsContext *sws =
            sws_getContext(sw, sh, AV_PIX_FMT_YUV420P, dw, dh, AV_PIX_FMT_YUV420P, SWS_AREA, NULL, NULL, NULL);
        sws_scale(sws, src, src_pitch, 0, sh, ref->data, ref->linesize);
        for (int p = 0; p < 3 && rc == 0; p++) {
            int w = p ? dcw : dw, h = p ? dch : dh, worst = 0, outside = 0;
            long sum = 0, bias = 0;
            for (int y = 0; y < h; y++) {
                const uint8_t *a = dst[p] + (size_t)y * (size_t)pitch[p], *b = ref->data[p] + (size_t)y * ref->linesize[p];
                for (int x = 0; x < w; x++) {
                    int d = abs(a[x] - b[x]);
                    worst = d > worst ? d : worst;
                    sum += d;
                    bias += a[x] - b[x];
                }
                for (int x = w; x < pitch[p]; x++) {
                    outside += a[x] != 0xa5;
                }
            }
            CHECK(worst <= 2 && sum <= (long)w * h * 3 / 4,
                  "%s, plane %d: as swscale's area filter within 2, mean under 0.75 (worst %d, mean %.2f)",
                  cases[i].why, p, worst, (double)sum / w / h);
            CHECK(labs(bias) * 4 <= (long)w * h, "%s, plane %d: rounded, not truncated: no bias against swscale (mean %+.2f)",
                  cases[i].why, p, (double)bias / w / h);
            CHECK(outside == 0, "%s, plane %d: nothing written past a row (%d bytes were)", cases[i].why, p, outside);
        }
        /* The same shape again: no new set-up, the same pixels. */
        uint8_t first = dst[0][0];
        dst[0][0] ^= 0xff;
        CHECK(video_shrink(&vs, src, src_pitch, sw, sh, dst, pitch, dw, dh) == 0 && vs.setups == 1 && dst[0][0] == first,
              "%s: the same shape again, one set-up (got %llu)", cases[i].why, vs.setups);
        sws_freeContext(sws);
        av_frame_free(&ref);
        video_shrink_free(&vs);
        for (int p = 0; p < 3; p++) {
            free((void *)src[p]);
            free(dst[p]);
        }
    }

    /* Flat colour stays exactly that colour (weights sum to exactly one). */
    AVFrame *in = solid(720, 576, 81, 90, 240, 1, 1);
    AVFrame *out = solid(293, 234, 0, 0, 0, 1, 1); /* overwritten by the shrink */
    struct video_shrink vs = { 0 };
    CHECK(video_shrink(&vs, (const uint8_t *const *)in->data, in->linesize, 720, 576, out->data, out->linesize, 293,
                       234) == 0,
          "flat D1: shrunk");
    int off = 0;
    for (int y = 0; y < 234; y++) {
        for (int x = 0; x < 293; x++) {
            off += out->data[0][y * out->linesize[0] + x] != 81;
        }
    }
    for (int y = 0; y < 117; y++) {
        for (int x = 0; x < 147; x++) {
            off += out->data[1][y * out->linesize[1] + x] != 90 || out->data[2][y * out->linesize[2] + x] != 240;
        }
    }
    CHECK(off == 0, "flat D1: every pixel keeps Y 81 U 90 V 240 (%d did not)", off);

    /* Shapes it does not do: growing, the same size, more than 7 times
     * smaller, chroma planes under 4 pixels. Refused without writing, and a
     * refused shape is not set up again each picture. */
    static const int refused[][4] = { { 720, 576, 800, 600 }, { 720, 576, 720, 576 }, { 720, 576, 293, 600 },
                                      { 1920, 1080, 200, 150 }, { 6, 6, 3, 3 } };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        const int *r = refused[i];
        memset(out->data[0], 7, (size_t)out->linesize[0] * 234);
        unsigned long long before = vs.setups;
        int rc1 = video_shrink(&vs, (const uint8_t *const *)in->data, in->linesize, r[0], r[1], out->data, out->linesize,
                               r[2], r[3]);
        int rc2 = video_shrink(&vs, (const uint8_t *const *)in->data, in->linesize, r[0], r[1], out->data, out->linesize,
                               r[2], r[3]);
        CHECK(rc1 == -1 && rc2 == -1 && out->data[0][0] == 7 && vs.setups == before + 1,
              "%dx%d to %dx%d: refused, nothing written, set up once (rc %d %d, %llu set-ups)", r[0], r[1], r[2], r[3], rc1,
              rc2, vs.setups - before);
    }
    video_shrink_free(&vs);
    av_frame_free(&out);
    av_frame_free(&in);
}

int main(void)
{
    test_shrink();
    test_into();
    test_into_fits();
    test_scaler_reuse();
    /* The reconnect probe slows down as an outage grows. */
    CHECK(video_probe_every(0) == 500 && video_probe_every(29999) == 500, "first 30 s: every 0.5 s");
    CHECK(video_probe_every(30000) == 2000 && video_probe_every(299999) == 2000, "to 5 min: every 2 s");
    CHECK(video_probe_every(300000) == 10000 && video_probe_every(3600000) == 10000, "after: every 10 s");
    {
        /* An hour down: connections a probe makes (the backoff's own
         * attempts come on top, one per retry_max). */
        long probes = 0;
        for (int64_t t = 0; t < 3600000; t += video_probe_every(t)) {
            probes++;
        }
        CHECK(probes > 400 && probes < 600, "an hour down: %ld probes (was 7200 at 0.5 s)", probes);
    }

    for (size_t i = 0; i < sizeof(fits) / sizeof(fits[0]); i++) {
        const struct fit_case *c = &fits[i];
        SDL_Rect r;
        video_fit_rect(c->box, c->w, c->h, c->sar_num, c->sar_den, c->fit, &r);
        CHECK(r.x == c->want.x && r.y == c->want.y && r.w == c->want.w && r.h == c->want.h,
              "%s: got %d,%d %dx%d want %d,%d %dx%d", c->why, r.x, r.y, r.w, r.h, c->want.x, c->want.y, c->want.w,
              c->want.h);
    }

    struct scene *s = scene_create();
    struct scene_source *src = scene_add_source(s, "cam");
    struct source_view v;
    scene_source_get_view(src, &v);
    CHECK(v.w == 0 && v.h == 0 && !v.shown, "no panel has drawn yet: unknown size, not shown");

    /* Frame 1: a big panel on a hidden page and a small one on screen. The
     * one on screen decides (the big one is not being looked at). */
    scene_source_set_view(src, &(struct source_view){ 960, 540, false, false, VIEW_FIT_CONTAIN }, 1);
    scene_source_set_view(src, &(struct source_view){ 320, 180, true, false, VIEW_FIT_CONTAIN }, 1);
    scene_source_get_view(src, &v);
    CHECK(v.w == 320 && v.h == 180 && v.shown, "shown panel outranks a bigger hidden one: %dx%d", v.w, v.h);

    /* Frame 2: both on screen: the largest wins. */
    scene_source_set_view(src, &(struct source_view){ 960, 540, true, false, VIEW_FIT_CONTAIN }, 2);
    scene_source_set_view(src, &(struct source_view){ 320, 180, true, false, VIEW_FIT_CONTAIN }, 2);
    scene_source_get_view(src, &v);
    CHECK(v.w == 960 && v.shown, "two shown panels: the larger (%d)", v.w);

    /* Frame 3 and 4: neither shown (page flipped away): still connected at
     * the last size, marked hidden so the feed decodes key frames only. */
    scene_source_set_view(src, &(struct source_view){ 960, 540, false, false, VIEW_FIT_CONTAIN }, 3);
    scene_source_set_view(src, &(struct source_view){ 960, 540, false, false, VIEW_FIT_CONTAIN }, 4);
    scene_source_get_view(src, &v);
    CHECK(!v.shown && v.w == 960, "hidden everywhere: not shown (w %d)", v.w);

    /* A GPU renderer asks for planes. */
    scene_source_set_view(src, &(struct source_view){ 960, 540, true, true, VIEW_FIT_CONTAIN }, 5);
    scene_source_set_view(src, &(struct source_view){ 960, 540, true, true, VIEW_FIT_CONTAIN }, 6);
    scene_source_get_view(src, &v);
    CHECK(v.planes, "planes requested");

    /* The mailbox keeps two frames: a pair decoded within one display
     * frame is shown on consecutive frames; a third drops the oldest. */
    static int f1, f2, f3, f4;
    scene_source_set_frame_unref(src, count_release);
    uint64_t seq;
    CHECK(scene_frame_current(src, 100, &seq) == NULL && seq == 0, "no frame yet");
    scene_mailbox_put(src, &f1);
    scene_mailbox_put(src, &f2);
    scene_mailbox_put(src, &f3);
    struct source_info info;
    scene_source_get(src, &info);
    CHECK(info.counters[SOURCE_FRAMES] == 3 && info.counters[SOURCE_DROPS] == 1 && released == 1,
          "three puts, the oldest dropped (drops %llu, released %d)", (unsigned long long)info.counters[SOURCE_DROPS],
          released);
    CHECK(scene_frame_current(src, 101, &seq) == &f2 && seq == 2, "render frame 1 shows frame 2 (seq %llu)",
          (unsigned long long)seq);
    CHECK(scene_frame_current(src, 101, &seq) == &f2, "a second panel in the same render frame sees the same frame");
    CHECK(scene_frame_current(src, 102, &seq) == &f3 && seq == 3 && released == 2,
          "render frame 2 shows frame 3; frame 2 released (%d)", released);
    CHECK(scene_frame_current(src, 103, &seq) == &f3 && seq == 3, "nothing new: frame 3 stays");
    scene_mailbox_put(src, &f4);
    scene_destroy(s);
    CHECK_INT(released, 4, "the shown and the waiting frame are released with the scene");
    test_pictures();
    return check_finish("test_video");
}
