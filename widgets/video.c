/* widgets/video.c: the video panel. Render thread only. Each frame it tells
 * its source how big the picture is on screen (the feed scales to exactly
 * that, or sends YUV planes to a GPU renderer) and takes the newest picture
 * from the mailbox: a GPU renderer gets it as a YUV texture; the software
 * renderer keeps a reference and converts it to BGRA when drawing,
 * straight into the window's surface where the picture sits whole inside
 * the panel (else into a texture SDL copies). When the source is not live
 * the last picture stays, dimmed, under "NO SIGNAL — reason — age"; with no
 * picture yet the status placeholder shows. */
#include "video.h"
#include "draw.h"
#include "status.h"
#include "widget.h"
#include "../core/i18n.h"
#include "../core/util.h"
#include "../feeds/video.h"
#include "../feeds/video_picture.h"

#include <cJSON.h>
#include <libavutil/frame.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const char *const fits[] = { "contain", "cover", "stretch", NULL };

static const struct cfg_key keys[] = {
    { "fit", CFG_ENUM, CFG_OFF(video_panel_opts, fit), "contain", .choices = fits,
      .help = "How the picture fills the panel: contain (letterbox), cover (crop) or stretch." },
    { NULL },
};

#define DAMAGE_WINDOW 60 /* seconds */

struct vpanel {
    SDL_Texture *tex;
    int tex_w, tex_h;       /* the picture in it (a BGRA texture has spare room right and below) */
    struct video_scaler sws; /* software: YUV to BGRA */
    Uint32 tex_fmt;
    /* Software: the newest picture (a reference; its size is the AVFrame's), and whether
     * the texture holds it already. */
    struct AVFrame *held;
    bool tex_current;
    bool direct;            /* the last draw went straight onto the window */
    uint8_t *strip;         /* the bytes right of the picture, saved (video_picture_bgra_into) */
    size_t strip_size;
    int src_w, src_h, sar_num, sar_den;
    bool has_picture;
    uint64_t frames;        /* pictures uploaded */
    uint64_t last_seq;
    SDL_Rect box;           /* where it was last drawn; w = 0: never */
    /* Damaged pictures: the source's count once a second for a minute. */
    uint64_t damaged[DAMAGE_WINDOW + 1];
    size_t damaged_n;
    int64_t damaged_second;
    uint64_t damaged_per_min;   /* shown on the picture when > 0 */
    SDL_Rect tag;               /* where that was drawn (tests) */
    /* The letterbox bars as last drawn around the picture at bars_pic in
     * bars_box, with nothing over them since (a live picture): a partial
     * redraw (the surface still holds them) leaves them. */
    bool bars_valid;
    SDL_Rect bars_box, bars_pic;
    uint64_t bars_kept;         /* bars left as they were (describe: tests) */
};

void video_fit_rect(SDL_Rect box, int src_w, int src_h, int sar_num, int sar_den, int fit, SDL_Rect *out)
{
    *out = box;
    view_fit_size(box.w, box.h, src_w, src_h, sar_num, sar_den, fit, &out->w, &out->h);
    out->x = box.x + (box.w - out->w) / 2;
    out->y = box.y + (box.h - out->h) / 2;
}

static int create(struct panel *p)
{
    p->priv = calloc(1, sizeof(struct vpanel));
    return p->priv ? 0 : -12;
}

static void destroy(struct panel *p)
{
    struct vpanel *vp = p->priv;
    if (vp && vp->tex) {
        SDL_DestroyTexture(vp->tex);
    }
    if (vp) {
        video_scaler_free(&vp->sws);
        av_frame_free(&vp->held);
        free(vp->strip);
    }
    free(vp);
    p->priv = NULL;
}

/* A streaming texture for a w x h picture (plus spare columns and rows,
 * see upload). */
static bool ensure_texture(struct vpanel *vp, SDL_Renderer *r, Uint32 fmt, int w, int h, int spare_cols,
                           int spare_rows)
{
    if (vp->tex && vp->tex_fmt == fmt && vp->tex_w == w && vp->tex_h == h) {
        return true;
    }
    if (vp->tex) {
        SDL_DestroyTexture(vp->tex);
    }
    vp->tex = SDL_CreateTexture(r, fmt, SDL_TEXTUREACCESS_STREAMING, w + spare_cols, h + spare_rows);
    if (!vp->tex) {
        SDL_Log("video panel: cannot create a %dx%d texture: %s", w, h, SDL_GetError());
        return false;
    }
    SDL_SetTextureBlendMode(vp->tex, SDL_BLENDMODE_NONE);
    vp->tex_fmt = fmt;
    vp->tex_w = w;
    vp->tex_h = h;
    return true;
}

/* The software renderer's conversion of the held picture into the
 * texture (the fallback where it cannot go straight onto the window). */
static bool convert_to_texture(struct vpanel *vp, SDL_Renderer *r)
{
    if (vp->tex_current && vp->tex) {
        return true;
    }
    /* The texture is wider (to a multiple of 8 pixels) and taller than the
     * picture by what swscale's SIMD writes beyond it. XRGB8888 (RGB888)
     * is the window surface's own format, so SDL's copy is a row copy,
     * not a per-pixel alpha mask. */
    const struct video_frame vf = { .av = vp->held, .src_w = vp->src_w, .src_h = vp->src_h };
    int hw = vp->held->width, hh = vp->held->height;
    int tw = VIDEO_BGRA_PITCH(hw) / 4;
    int spare = 1 + VIDEO_BGRA_SLACK / (tw * 4);
    void *px;
    int pitch;
    if (!ensure_texture(vp, r, SDL_PIXELFORMAT_RGB888, hw, hh, tw - hw, spare) ||
        SDL_LockTexture(vp->tex, NULL, &px, &pitch) != 0) {
        return false;
    }
    int rc = video_picture_bgra(&vp->sws, &vf, px, pitch);
    SDL_UnlockTexture(vp->tex);
    vp->tex_current = rc == 0;
    return rc == 0;
}

static void upload(struct vpanel *vp, SDL_Renderer *r, bool gpu, const struct video_frame *vf)
{
    const AVFrame *f = vf->av;
    if (gpu) {
        if (!ensure_texture(vp, r, SDL_PIXELFORMAT_IYUV, f->width, f->height, 0, 0)) {
            return;
        }
        SDL_UpdateYUVTexture(vp->tex, NULL, f->data[0], f->linesize[0], f->data[1], f->linesize[1], f->data[2],
                             f->linesize[2]);
    } else {
        /* Software: the picture comes in YUV at its drawn size; a
         * reference is all it takes until it is drawn (a source holds 1.5
         * bytes a pixel, and a picture is converted once, where it shows). */
        AVFrame *ref = av_frame_clone(f);
        if (!ref) {
            return;
        }
        av_frame_free(&vp->held);
        vp->held = ref;
        vp->tex_current = false;
    }
    vp->src_w = vf->src_w;
    vp->src_h = vf->src_h;
    vp->sar_num = vf->sar_num;
    vp->sar_den = vf->sar_den;
    vp->has_picture = true;
    vp->frames++;
}

/* Once a second: how many damaged pictures the source had in the last
 * minute. True when that changed. */
static bool sample_damage(struct vpanel *vp, struct scene_source *src, int64_t now)
{
    int64_t second = now / 1000;
    if (second == vp->damaged_second) {
        return false;
    }
    vp->damaged_second = second;
    struct source_info si;
    scene_source_get(src, &si);
    if (vp->damaged_n == DAMAGE_WINDOW + 1) {
        memmove(vp->damaged, vp->damaged + 1, DAMAGE_WINDOW * sizeof(vp->damaged[0]));
        vp->damaged_n--;
    }
    vp->damaged[vp->damaged_n++] = si.counters[SOURCE_DAMAGED];
    uint64_t per_min = vp->damaged[vp->damaged_n - 1] - vp->damaged[0];
    bool changed = per_min != vp->damaged_per_min;
    vp->damaged_per_min = per_min;
    return changed;
}

static bool update(struct panel *p, const struct draw_ctx *dc)
{
    struct vpanel *vp = p->priv;
    bool damage_changed = sample_damage(vp, p->source, dc->now_ms);
    const struct video_panel_opts *o = p->cfg->opts;
    struct source_view view = { vp->box.w, vp->box.h, p->page == dc->page, dc->gpu, o->fit };
    scene_source_set_view(p->source, &view, dc->now_ms);
    if (!view.shown) {
        /* Not on screen: no upload; the source keeps the newest frame for
         * when this page comes up. */
        return widget_poll_source(p);
    }
    bool changed = damage_changed;
    uint64_t seq;
    const struct video_frame *vf = scene_frame_current(p->source, dc->now_ms, &seq);
    if (vf && seq != vp->last_seq) {
        upload(vp, dc->r, dc->gpu, vf);
        vp->last_seq = seq;
        changed = true;
    }
    return widget_poll_source(p) || changed;
}

/* Laid out (before the feeds start, and on every layout change): the
 * source learns the box now, so its first picture already comes at the size
 * it is drawn. */
static void place(struct panel *p, const struct draw_ctx *dc, SDL_Rect box)
{
    struct vpanel *vp = p->priv;
    const struct video_panel_opts *o = p->cfg->opts;
    vp->box = box;
    struct source_view view = { box.w, box.h, p->page == dc->page, dc->gpu, o->fit };
    scene_source_set_view(p->source, &view, dc->now_ms);
}

/* The software renderer: the held picture converted straight into the
 * window's surface at pic, when it sits there whole (not cropped, at the
 * size the feed made it, inside the clip, with the converter's room after
 * each row) and the surface is BGRA in memory. False: draw it another way. */
static bool draw_direct(struct vpanel *vp, SDL_Renderer *r, SDL_Rect pic, SDL_Rect clip)
{
    if (!SDL_RectEquals(&pic, &clip) || pic.w != vp->held->width || pic.h != vp->held->height) {
        return false;
    }
    SDL_Rect area;
    SDL_Surface *s = draw_direct_surface(r, &area);
    if (!s || SDL_BYTEORDER != SDL_LIL_ENDIAN ||
        (s->format->format != SDL_PIXELFORMAT_RGB888 && s->format->format != SDL_PIXELFORMAT_ARGB8888)) {
        return false;
    }
    if (pic.x < area.x || pic.y < area.y || pic.x + pic.w > area.x + area.w || pic.y + pic.h > area.y + area.h) {
        return false;
    }
    if (!video_bgra_into_fits(s->pitch, s->h, pic.x, pic.y, pic.w, pic.h)) {
        return false;
    }
    size_t need = (size_t)pic.h * VIDEO_BGRA_OVERRUN;
    if (vp->strip_size < need) {
        free(vp->strip);
        vp->strip = xmalloc(need);
        vp->strip_size = need;
    }
    const struct video_frame vf = { .av = vp->held, .src_w = vp->src_w, .src_h = vp->src_h };
    uint8_t *dst = (uint8_t *)s->pixels + (size_t)pic.y * (size_t)s->pitch + (size_t)pic.x * 4;
    if (video_picture_bgra_into(&vp->sws, &vf, dst, s->pitch, vp->strip) != 0) {
        return false;
    }
    if (vp->tex) { /* not needed while the picture goes straight on */
        SDL_DestroyTexture(vp->tex);
        vp->tex = NULL;
        vp->tex_current = false;
    }
    vp->direct = true;
    return true;
}

static void draw(struct panel *p, struct draw_ctx *dc, SDL_Rect box)
{
    struct vpanel *vp = p->priv;
    const struct video_panel_opts *o = p->cfg->opts;
    vp->box = box;
    bool bars_were_valid = vp->bars_valid;
    vp->bars_valid = false; /* until the bars are drawn below with a live picture */
    if (!vp->has_picture || !(dc->gpu ? vp->tex != NULL : vp->held != NULL)) {
        if (p->info.status == SOURCE_LIVE) {
            status_draw_waiting(dc, box, &p->info, "", p->info.status_since_ms);
        } else {
            status_draw_placeholder(dc, box, &p->info);
        }
        return;
    }
    SDL_Rect pic;
    video_fit_rect(box, vp->src_w, vp->src_h, vp->sar_num, vp->sar_den, o->fit, &pic);
    SDL_Rect clip;
    if (!SDL_IntersectRect(&pic, &box, &clip)) {
        draw_fill(dc->r, box, 0x000000ffu);
        return;
    }
    /* The letterbox bars only: the picture covers the rest (opaque()).
     * Left as they are when this frame would draw them the same. */
    if (dc->partial && bars_were_valid && SDL_RectEquals(&vp->bars_box, &box) && SDL_RectEquals(&vp->bars_pic, &clip)) {
        vp->bars_kept++;
    } else {
        draw_fill_uncovered(dc->r, box, &clip, 1, 0x000000ffu);
    }
    vp->bars_valid = p->info.status == SOURCE_LIVE; /* else dimmed below, and dimming adds up */
    vp->bars_box = box;
    vp->bars_pic = clip;
    vp->direct = false;
    if (dc->gpu || !draw_direct(vp, dc->r, pic, clip)) {
        if (!dc->gpu && !convert_to_texture(vp, dc->r)) {
            draw_fill(dc->r, clip, 0x000000ffu);
        } else {
            /* The visible part of the picture in texture pixels (cover crops). */
            SDL_Rect srcr = {
                (int)((int64_t)(clip.x - pic.x) * vp->tex_w / pic.w),
                (int)((int64_t)(clip.y - pic.y) * vp->tex_h / pic.h),
                (int)((int64_t)clip.w * vp->tex_w / pic.w),
                (int)((int64_t)clip.h * vp->tex_h / pic.h),
            };
            SDL_RenderCopy(dc->r, vp->tex, &srcr, &clip);
        }
    }
    if (vp->damaged_per_min && p->info.status == SOURCE_LIVE) {
        /* Pictures decoded with errors are shown (a damaged picture beats a
         * frozen one) but never as if all were well: the rate, in amber,
         * bottom left of the picture. */
        char text[64];
        snprintf(text, sizeof(text), tr(dc->locale, TR_DAMAGED), (unsigned long long)vp->damaged_per_min);
        int fs = widget_px(dc, 13);
        int pad = widget_px(dc, 4);
        int tw, th;
        text_measure(dc->text, text, fs, true, &tw, &th);
        SDL_Rect tag = { clip.x + pad, clip.y + clip.h - th - 3 * pad, tw + 2 * pad, th + pad };
        draw_fill(dc->r, tag, COLOR_WARN);
        text_draw(dc->text, text, fs, true, 0x000000ffu, tag.x + pad, tag.y + pad / 2, tw, TEXT_LEFT);
        vp->tag = tag;
    } else {
        vp->tag = (SDL_Rect){ 0, 0, 0, 0 };
    }
    status_draw_over_picture(dc, box, &p->info);
}

static void describe(struct panel *p, void *obj)
{
    struct vpanel *vp = p->priv;
    cJSON_AddBoolToObject(obj, "has_picture", vp->has_picture);
    cJSON_AddNumberToObject(obj, "frames_shown", (double)vp->frames);
    cJSON_AddNumberToObject(obj, "src_w", vp->src_w);
    cJSON_AddNumberToObject(obj, "src_h", vp->src_h);
    /* The picture as the renderer takes it: BGRA for software (converted
     * straight onto the window when "direct"), YUV planes for a GPU. */
    cJSON_AddNumberToObject(obj, "tex_w", vp->held ? vp->held->width : vp->tex_w);
    cJSON_AddNumberToObject(obj, "tex_h", vp->held ? vp->held->height : vp->tex_h);
    cJSON_AddStringToObject(obj, "tex_format",
                            vp->held ? "bgra" : !vp->tex ? "" : vp->tex_fmt == SDL_PIXELFORMAT_IYUV ? "iyuv" : "bgra");
    cJSON_AddBoolToObject(obj, "direct", vp->direct);
    cJSON_AddNumberToObject(obj, "bars_kept", (double)vp->bars_kept);
    cJSON_AddStringToObject(obj, "detail", p->info.detail);
    cJSON_AddNumberToObject(obj, "damaged_per_min", (double)vp->damaged_per_min);
    cJSON_AddNumberToObject(obj, "damaged_tag_x", vp->tag.x);
    cJSON_AddNumberToObject(obj, "damaged_tag_y", vp->tag.y);
    cJSON_AddNumberToObject(obj, "damaged_tag_w", vp->tag.w);
    char next[64];
    cJSON_AddStringToObject(obj, "next_try", status_next_try(&p->info, CFG_LOCALE_EN, now_ms(), next, sizeof(next)));
}

/* With a picture, draw() paints the whole body: the picture and black
 * bars around it. */
static bool opaque(const struct panel *p)
{
    const struct vpanel *vp = p->priv;
    return vp->has_picture && (vp->tex || vp->held);
}

static const struct widget_ops ops = {
    .kind = "video",
    .create = create,
    .update = update,
    .draw = draw,
    .opaque = opaque,
    .place = place,
    .destroy = destroy,
    .describe = describe,
};

const struct cfg_kind video_panel_kind = {
    .name = "video",
    .value_help = "the name of a video source defined under sources.",
    .value_type = CFG_STRING,
    .source_kind = "video",
    .keys = keys,
    .opts_size = sizeof(struct video_panel_opts),
    .impl = &ops,
};
