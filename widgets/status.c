/* widgets/status.c: status badge, summary line and placeholder. */
#include "status.h"
#include "draw.h"
#include "../core/i18n.h"
#include "../core/util.h"

#include <stdio.h>

static enum tr_id headline(enum source_status st)
{
    switch (st) {
    case SOURCE_CONNECTING: return TR_CONNECTING;
    case SOURCE_LIVE: return TR_LIVE;
    case SOURCE_STALLED: return TR_STALLED;
    case SOURCE_RETRYING: return TR_NO_SIGNAL;
    case SOURCE_DISABLED: break;
    }
    return TR_DISABLED;
}

static uint32_t status_color(enum source_status st)
{
    switch (st) {
    case SOURCE_CONNECTING: return COLOR_WARN;
    case SOURCE_LIVE: return COLOR_LIVE;
    case SOURCE_STALLED: return COLOR_WARN;
    case SOURCE_RETRYING: return COLOR_ALARM;
    case SOURCE_DISABLED: break;
    }
    return COLOR_OFF;
}

void status_badge(const struct source_info *info, int locale, const char **text, uint32_t *rgba)
{
    static const enum tr_id badges[] = {
        [SOURCE_DISABLED] = TR_BADGE_OFF,
        [SOURCE_CONNECTING] = TR_BADGE_CONNECTING,
        [SOURCE_LIVE] = TR_BADGE_LIVE,
        [SOURCE_STALLED] = TR_BADGE_STALLED,
        [SOURCE_RETRYING] = TR_BADGE_NO_SIGNAL,
    };
    *text = tr(locale, badges[info->status]);
    *rgba = status_color(info->status);
}

char *status_summary(const struct source_info *info, int locale, int64_t now_ms, char *out,
                     size_t outlen)
{
    char age[32];
    format_age(now_ms - info->status_since_ms, age, sizeof(age));
    const char *head = tr(locale, headline(info->status));
    if (info->status == SOURCE_STALLED && !info->reason[0]) {
        snprintf(out, outlen, "%s \xe2\x80\x94 %s \xe2\x80\x94 %s", head, tr(locale, TR_NO_NEW_DATA), age);
    } else if (info->reason[0]) {
        char reason[sizeof(info->reason) * 2];
        tr_reason(locale, info->reason, reason, sizeof(reason));
        snprintf(out, outlen, "%s \xe2\x80\x94 %s \xe2\x80\x94 %s", head, reason, age);
    } else if (info->status == SOURCE_LIVE || info->status == SOURCE_DISABLED) {
        snprintf(out, outlen, "%s", head);
    } else {
        snprintf(out, outlen, "%s \xe2\x80\x94 %s", head, age);
    }
    return out;
}

/* Draws a reason wrapped into n lines, centred in [x, x + avail), with the
 * age (cached characters, aw wide) after the last line; with no lines the
 * age alone when with_age. Returns the y below what it drew. */
static int draw_reason(struct draw_ctx *dc, char lines[][TEXT_WRAP_LINE], int n, const char *age, int aw, int size,
                       int x, int avail, int y, int lh, bool with_age)
{
    for (int i = 0; i < n; i++) {
        bool last = i == n - 1;
        int rw, rh;
        text_measure(dc->text, lines[i], size, false, &rw, &rh);
        int room = last ? avail - aw : avail;
        rw = rw > room ? (room > 0 ? room : 0) : rw;
        int x0 = x + (avail - rw - (last ? aw : 0)) / 2;
        x0 = x0 < x ? x : x0;
        if (rw > 0) {
            rw = text_draw(dc->text, lines[i], size, false, COLOR_TEXT, x0, y, rw, TEXT_LEFT);
        }
        if (last) {
            text_draw_chars(dc->text, age, size, false, COLOR_TEXT, x0 + rw, y, 0, TEXT_LEFT);
        }
        y += lh;
    }
    if (!n && with_age) {
        text_draw_chars(dc->text, age, size, false, COLOR_TEXT, x + (avail - aw) / 2, y, 0, TEXT_LEFT);
        y += lh;
    }
    return y;
}

void status_draw_message(struct draw_ctx *dc, SDL_Rect box, const char *headline, uint32_t color,
                         const char *detail, int64_t since_ms)
{
    draw_fill(dc->r, (SDL_Rect){ box.x, box.y, box.w, widget_px(dc, 4) }, color);
    int big = widget_px(dc, (float)box.h / dc->scale > 120 ? 24 : 17);
    int small = widget_px(dc, (float)box.h / dc->scale > 120 ? 15 : 12);
    int lh_big = text_line_height(dc->text, big, true);
    int lh_small = text_line_height(dc->text, small, false);
    int pad = widget_px(dc, 8);
    char age[40] = "";
    if (since_ms > 0) {
        char v[32];
        format_age(dc->now_ms - since_ms, v, sizeof(v));
        snprintf(age, sizeof(age), "%s%s", detail[0] ? " \xe2\x80\x94 " : "", v);
    }
    int avail = box.w - 2 * pad;
    int aw = text_width_chars(dc->text, age, small, false);
    /* A long reason wraps (up to three lines) instead of being cut at both
     * ends: its start says what, its end often the count. */
    char lines[3][TEXT_WRAP_LINE];
    int n = detail[0] ? text_wrap(dc->text, detail, small, false, avail - aw, lines, 3) : 0;
    int y = box.y + (box.h - lh_big - (n ? n : 1) * lh_small) / 2;
    text_draw(dc->text, headline, big, true, color, box.x + pad, y, box.w - 2 * pad, TEXT_CENTER);
    y += lh_big;
    draw_reason(dc, lines, n, age, aw, small, box.x + pad, avail, y, lh_small, true);
}

void status_draw_over_picture(struct draw_ctx *dc, SDL_Rect box, const struct source_info *info)
{
    if (info->status == SOURCE_LIVE) {
        return;
    }
    draw_fill(dc->r, box, 0x000000a0u); /* the picture stays visible, dimmed */
    char said[sizeof(info->reason) * 2];
    const char *reason = info->reason[0] ? tr_reason(dc->locale, info->reason, said, sizeof(said))
                       : info->status == SOURCE_STALLED ? tr(dc->locale, TR_NO_NEW_DATA) : "";
    status_draw_message(dc, box, tr(dc->locale, headline(info->status)), status_color(info->status), reason,
                        info->status_since_ms);
}

void status_draw_placeholder(struct draw_ctx *dc, SDL_Rect box, const struct source_info *info)
{
    uint32_t color = status_color(info->status);
    /* A coloured rule at the top says the state even from across the room. */
    SDL_Rect rule = { box.x, box.y, box.w, widget_px(dc, 4) };
    draw_fill(dc->r, rule, color);
    int big = widget_px(dc, (float)box.h / dc->scale > 120 ? 26 : 18);
    int small = widget_px(dc, (float)box.h / dc->scale > 120 ? 15 : 12);
    int lh_big = text_line_height(dc->text, big, true);
    int lh_small = text_line_height(dc->text, small, false);
    int pad = widget_px(dc, 8);
    int avail = box.w - 2 * pad;
    /* The reason is rendered once; the age, which changes every second, is
     * composed from cached characters. A long reason wraps. */
    char age[40];
    char ageval[32];
    format_age(dc->now_ms - info->status_since_ms, ageval, sizeof(ageval));
    char said[sizeof(info->reason) * 2];
    const char *reason = info->reason[0] ? tr_reason(dc->locale, info->reason, said, sizeof(said))
                       : info->status == SOURCE_STALLED ? tr(dc->locale, TR_NO_NEW_DATA) : "";
    snprintf(age, sizeof(age), "%s%s", reason[0] ? " \xe2\x80\x94 " : "", ageval);
    int aw = text_width_chars(dc->text, age, small, false);
    char lines[3][TEXT_WRAP_LINE];
    int n = reason[0] ? text_wrap(dc->text, reason, small, false, avail - aw, lines, 3) : 0;
    bool age_line = n > 0 || info->status != SOURCE_LIVE;
    char next[128];
    bool retry = status_next_try(info, dc->locale, dc->now_ms, next, sizeof(next))[0] != '\0';
    int rows = (n ? n : age_line ? 1 : 0) + (retry ? 1 : 0);
    int y = box.y + (box.h - lh_big - rows * lh_small) / 2;
    text_draw(dc->text, tr(dc->locale, headline(info->status)), big, true, color, box.x + pad, y, avail,
              TEXT_CENTER);
    y += lh_big;
    y = draw_reason(dc, lines, n, age, aw, small, box.x + pad, avail, y, lh_small, age_line);
    if (retry) {
        text_draw_chars(dc->text, next, small, false, COLOR_DIM_TEXT, box.x + pad, y, avail, TEXT_CENTER);
    }
}

const char *status_next_try(const struct source_info *info, int locale, int64_t now_ms, char *out, size_t outlen)
{
    out[0] = '\0';
    if (info->status != SOURCE_RETRYING || info->retry_at_ms <= 0) {
        return out;
    }
    /* The wait is over and the attempt is running (a camera that accepts
     * and does not answer keeps it running up to its timeout): "retry in
     * 0 s" would be a lie. */
    if (info->retry_at_ms <= now_ms) {
        snprintf(out, outlen, "%s", tr(locale, TR_CONNECTING_NOW));
        return out;
    }
    char in[32];
    format_age(info->retry_at_ms - now_ms + 999, in, sizeof(in)); /* a countdown rounds up */
    snprintf(out, outlen, "%s %s", tr(locale, TR_NEXT_TRY), in);
    return out;
}

void status_draw_waiting(struct draw_ctx *dc, SDL_Rect box, const struct source_info *info, const char *detail,
                         int64_t since_ms)
{
    if (info->status == SOURCE_LIVE) {
        char said[256];
        status_draw_message(dc, box, tr(dc->locale, TR_WAITING), COLOR_WARN, tr_reason(dc->locale, detail, said, sizeof(said)),
                            since_ms ? since_ms : info->status_since_ms);
    } else {
        status_draw_placeholder(dc, box, info);
    }
}

int64_t status_rows_time(const struct table_row *rows, size_t n)
{
    int64_t t = 0;
    for (size_t i = 0; i < n; i++) {
        t = rows[i].value.time_ms > t ? rows[i].value.time_ms : t;
    }
    return t;
}

void status_draw_footer(struct draw_ctx *dc, SDL_Rect line, const struct source_info *info, const char *error,
                        int64_t data_ms, int64_t stale_after, int size)
{
    bool offline = info->status != SOURCE_LIVE;
    if (!offline && !error) {
        if (data_ms > 0 && dc->now_ms - data_ms > stale_after) {
            char text[64], age[32];
            format_age(dc->now_ms - data_ms, age, sizeof(age));
            snprintf(text, sizeof(text), "%s \xc2\xb7 %s", tr(dc->locale, TR_STALE), age);
            text_draw_chars(dc->text, text, size, false, COLOR_DIM_TEXT, line.x, line.y, line.w, TEXT_LEFT);
        }
        return;
    }
    char text[200], age[32];
    if (offline) {
        /* "offline · 0:12 · the reason" (the age from cached characters,
         * the reason cut with an ellipsis to fit). */
        format_age(dc->now_ms - info->status_since_ms, age, sizeof(age));
        snprintf(text, sizeof(text), "%s \xc2\xb7 %s", tr(dc->locale, TR_OFFLINE), age);
        int w = text_draw_chars(dc->text, text, size, false, COLOR_ALARM, line.x, line.y, line.w, TEXT_LEFT);
        if (info->reason[0] && line.w - w > size * 3) {
            char said[sizeof(info->reason) * 2], with_dot[sizeof(said) + 8];
            tr_reason(dc->locale, info->reason, said, sizeof(said));
            snprintf(with_dot, sizeof(with_dot), " \xc2\xb7 %s", said);
            text_draw(dc->text, with_dot, size, false, COLOR_ALARM, line.x + w, line.y, line.w - w, TEXT_LEFT);
        }
        return;
    }
    tr_reason(dc->locale, error, text, sizeof(text));
    text_draw(dc->text, text, size, false, COLOR_WARN, line.x, line.y, line.w, TEXT_LEFT);
}
