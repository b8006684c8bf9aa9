/* widgets/status.h: how a source's status looks: the title-bar badge, the
 * one-line summary ("NO SIGNAL — connection refused — 12 s") and the body
 * placeholder every feed panel shows until its source is live. Render
 * thread (status_summary is pure and any thread may call it). */
#ifndef PANTAU_STATUS_H
#define PANTAU_STATUS_H

#include "widget.h"

/* Badge text and colour for a status. */
void status_badge(const struct source_info *info, int locale, const char **text, uint32_t *rgba);
/* The line under a NO SIGNAL reason: "retry in 4 s" while waiting,
 * "connecting…" once the attempt is under way; "" otherwise. */
const char *status_next_try(const struct source_info *info, int locale, int64_t now_ms, char *out, size_t outlen);
/* "HEADLINE — reason — age" in the locale; age counts from the last status
 * change. Returns out. */
char *status_summary(const struct source_info *info, int locale, int64_t now_ms, char *out,
                     size_t outlen);
/* Draws a centred headline in colour with "detail — age" under it (age
 * counted from since_ms; none when since_ms is 0). */
void status_draw_message(struct draw_ctx *dc, SDL_Rect box, const char *headline, uint32_t color,
                         const char *detail, int64_t since_ms);
/* What a panel whose source is up but has given it nothing usable yet
 * shows: "WAITING FOR DATA — detail — age" while the source is live, the
 * source's own placeholder otherwise. */
void status_draw_waiting(struct draw_ctx *dc, SDL_Rect box, const struct source_info *info, const char *detail,
                         int64_t since_ms);
/* The last line of a panel that keeps showing its last data: "offline ·
 * 0:12" in red while the source is down, else the extraction error (if
 * any) in amber, else "stale · 2:05" (dim) when data_ms, the time of the
 * data shown, is 0 < data_ms < now - stale_after. Draws nothing when all is
 * well. */
void status_draw_footer(struct draw_ctx *dc, SDL_Rect line, const struct source_info *info, const char *error,
                        int64_t data_ms, int64_t stale_after, int size);
/* The newest update time of rows (0: none): when a table's data came. */
int64_t status_rows_time(const struct table_row *rows, size_t n);
/* Over a picture that is no longer live (video's last frame): dims box and
 * draws "HEADLINE" with "reason — age" under it. Draws nothing while live. */
void status_draw_over_picture(struct draw_ctx *dc, SDL_Rect box, const struct source_info *info);
/* Draws the placeholder for info into box. */
void status_draw_placeholder(struct draw_ctx *dc, SDL_Rect box, const struct source_info *info);

#endif
