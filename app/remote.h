/* app/remote.h: remote control and health over MQTT. Commands arrive as JSON
 * on <prefix>/cmd (every node) and <prefix>/<node>/cmd, are queued by
 * Paho's thread and executed on the render thread through control_exec,
 * like keys; each gets a reply on <prefix>/<node>/reply. Health is
 * published retained on <prefix>/<node>/health and
 * <prefix>/<node>/sources/<name>, on change and every heartbeat, with
 * <prefix>/<node>/status "online", and "offline" as the last will. */
#ifndef PANTAU_REMOTE_H
#define PANTAU_REMOTE_H

#include <stdbool.h>
#include <stddef.h>

struct app;
struct remote;

#define REMOTE_MAX_COMMAND 4096   /* bytes; bigger payloads are refused unread */
#define REMOTE_QUEUE 256          /* commands waiting; more are refused ("busy") */

/* Starts remote control when cfg->remote.broker names a source; NULL
 * (nothing to do, or the reason logged) otherwise. */
struct remote *remote_start(struct app *a);
/* Render thread, once per frame loop turn: runs queued commands and
 * publishes health that changed or is due. */
void remote_poll(struct remote *r, struct app *a);
/* Render thread, after the turn's own changes: sends them to the other
 * nodes (node sync). */
void remote_flush(struct remote *r, struct app *a);
/* The node's health JSON now, with "state" set to state: caller frees. */
char *remote_health_json(struct app *a, const char *state);
/* Publishes "offline" (status, and health with state "offline"),
 * disconnects, frees. NULL is a no-op. */
void remote_stop(struct remote *r, struct app *a);

struct cfg;
struct wall_cmd;
/* Parses and checks one remote command (JSON, at most REMOTE_MAX_COMMAND
 * bytes) against cfg: 0 with c filled (its strings point into *json, which
 * the caller frees with cJSON_Delete, also on failure), or -1 with why.
 * Pure: no wall, any thread (the fuzzer calls it). */
int remote_parse(const char *payload, size_t len, const struct cfg *cfg, bool debug, struct wall_cmd *c,
                 const char **cmd_name, void **json, char *why, size_t whylen);

/* Builds the JSON command for `pantau --send CMD [ARG]` into out: page N|NAME,
 * enlarge PANEL, ack PANEL, restart-source NAME, debug-freeze MS, or a
 * command without argument. -1 with why for a bad command line. */
int remote_command_json(const char *cmd, const char *arg, const char *id, char *out, size_t outlen, char *why,
                        size_t whylen);

#endif
