/* app/sync.h: the nodes of one wall in step over the broker (no protocol of
 * our own). The wall's shared state (page and since when, enlarged panel,
 * tour held) is one retained JSON message on <prefix>/state: a node that
 * changes it (a key, a command, the leader's tour) publishes it, every node
 * applies a newer one, and a node that (re)starts gets it at once. Only the
 * leader turns the tour's pages (remote.leader when online, else the first
 * online node by name); a preview follows and steers but never leads.
 * While the broker is away each node turns its own pages, in step with the
 * others by the same timers, and takes the leader's state when it returns.
 * Which nodes are online comes from their retained <prefix>/<node>/status.
 * Messages arrive on Paho's thread (sync_message); the rest runs on the
 * render thread (sync_poll). */
#ifndef PANTAU_SYNC_H
#define PANTAU_SYNC_H

#include <stdbool.h>
#include <stddef.h>

struct app;
struct sync;
struct mqtt_link;

struct sync *sync_create(const char *prefix, const char *node, const char *leader, bool preview);
void sync_destroy(struct sync *s);
/* Paho's thread: true when topic was sync's (state or a node status). */
bool sync_message(struct sync *s, const char *topic, const void *payload, size_t len);
/* The link (re)connected (Paho's thread). */
void sync_connected(struct sync *s);
/* Render thread, every loop turn: applies a newer shared state, decides
 * who turns the pages, publishes this node's changes. */
void sync_poll(struct sync *s, struct app *a, struct mqtt_link *link);
/* Render thread, after the loop turn's own changes (the tour's): publishes
 * this node's changes of the shared state and its acknowledgements. */
void sync_flush(struct sync *s, struct app *a, struct mqtt_link *link);
/* The leader's name now ("" unknown), for health. */
const char *sync_leader(const struct sync *s);

#endif
