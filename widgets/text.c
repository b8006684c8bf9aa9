/* widgets/text.c: static text, word-wrapped, vertically centred. Render
 * thread. Wrapping measures words through the text cache, so an unchanged
 * text costs lookups, not renders, each frame. */
#include "text.h"
#include "widget.h"
#include "../core/util.h"

#include <string.h>

static const char *const aligns[] = { "left", "center", "right", NULL };

static const struct cfg_key keys[] = {
    { "size", CFG_INT, CFG_OFF(text_panel_opts, size), "28", 6, 400,
      .help = "Font size in wall pixels." },
    { "bold", CFG_BOOL, CFG_OFF(text_panel_opts, bold), "false", .help = "Bold text." },
    { "align", CFG_ENUM, CFG_OFF(text_panel_opts, align), "center", .choices = aligns,
      .help = "Horizontal alignment." },
    { "color", CFG_COLOR, CFG_OFF(text_panel_opts, color), "#e8edf2",
      .help = "Text colour." },
    { NULL },
};

#define MAX_LINES 64

/* Splits text into lines that fit width w: explicit newlines, then greedy
 * word wrap. Writes into buf (lines NUL-separated); returns the count. */
static int wrap(struct text_cache *tc, const char *text, int size, bool bold, int w, char *buf,
                size_t buflen, const char **lines)
{
    int n = 0;
    size_t used = 0;
    const char *p = text;
    while (*p && n < MAX_LINES) {
        size_t para = strcspn(p, "\n");
        char line[512] = "";
        size_t llen = 0;
        const char *q = p;
        const char *end = p + para;
        while (q < end && n < MAX_LINES) {
            while (q < end && *q == ' ') {
                q++;
            }
            size_t wl = 0;
            while (q + wl < end && q[wl] != ' ') {
                wl++;
            }
            if (!wl) {
                break;
            }
            char trial[1100];
            if (wl > sizeof(line) / 2) {
                wl = sizeof(line) / 2; /* an absurdly long word is cut in pieces */
            }
            snprintf(trial, sizeof(trial), "%s%s%.*s", line, llen ? " " : "", (int)wl, q);
            int tw, th;
            text_measure(tc, trial, size, bold, &tw, &th);
            if ((tw > w || llen + 1 + wl >= sizeof(line)) && llen) {
                size_t add = strlen(line) + 1;
                if (used + add > buflen) {
                    return n;
                }
                memcpy(buf + used, line, add);
                lines[n++] = buf + used;
                used += add;
                snprintf(line, sizeof(line), "%.*s", (int)wl, q);
            } else {
                size_t tl = strlen(trial);
                memcpy(line, trial, tl < sizeof(line) ? tl + 1 : sizeof(line));
                line[sizeof(line) - 1] = '\0';
            }
            llen = strlen(line);
            q += wl;
        }
        if (n < MAX_LINES) {
            size_t add = strlen(line) + 1;
            if (used + add > buflen) {
                return n;
            }
            memcpy(buf + used, line, add);
            lines[n++] = buf + used;
            used += add;
        }
        p = end;
        if (*p == '\n') {
            p++;
        }
    }
    return n;
}

static void draw(struct panel *p, struct draw_ctx *dc, SDL_Rect box)
{
    const struct text_panel_opts *o = p->cfg->opts;
    int size = widget_px(dc, o->size);
    int pad = widget_px(dc, 10);
    int w = box.w - 2 * pad;
    if (w <= 0) {
        return;
    }
    char buf[4096];
    const char *lines[MAX_LINES];
    int n = wrap(dc->text, p->cfg->value, size, o->bold, w, buf, sizeof(buf), lines);
    int lh = text_line_height(dc->text, size, o->bold);
    int fit = box.h / (lh ? lh : 1);
    if (n > fit) {
        n = fit; /* what does not fit is cut; the last line keeps its ellipsis */
    }
    int y = box.y + (box.h - n * lh) / 2;
    static const enum text_align map[] = { TEXT_LEFT, TEXT_CENTER, TEXT_RIGHT };
    for (int i = 0; i < n; i++) {
        text_draw(dc->text, lines[i], size, o->bold, o->color, box.x + pad, y + i * lh, w, map[o->align]);
    }
}

static const struct widget_ops ops = {
    .kind = "text",
    .draw = draw,
};

const struct cfg_kind text_panel_kind = {
    .name = "text",
    .value_help = "the text to show; \\n starts a new line, long lines wrap.",
    .value_type = CFG_STRING,
    .keys = keys,
    .opts_size = sizeof(struct text_panel_opts),
    .impl = &ops,
};
