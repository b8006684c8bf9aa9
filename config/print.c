/* config/print.c: writes a loaded config back as YAML (--print-config) with
 * secrets replaced by "***", and the key reference (--print-reference) for
 * the README, both from the same schema rows the loader reads. Main thread. */
#include "config.h"
#include "types.h"
#include "../core/util.h"

#include <math.h>
#include <string.h>

/* Writes one value in config syntax. Secrets print as "***" when set. */
static void put_value(FILE *out, const struct cfg_key *k, const void *base)
{
    const struct cfg_type_ops *t = cfg_type(k->type);
    if (t->print) {
        t->print(out, k, (const char *)base + k->off);
    }
}

static void put_keys(FILE *out, const struct cfg_key *keys, const void *base, int indent,
                     bool *first_item)
{
    for (const struct cfg_key *k = keys; k && k->name; k++) {
        /* The first key of a list item goes after its "- ". */
        if (first_item && *first_item) {
            *first_item = false;
        } else {
            fprintf(out, "%*s", indent, "");
        }
        fprintf(out, "%s:", k->name);
        if (k->type == CFG_MAP) {
            fputc('\n', out);
            put_keys(out, k->sub, base, indent + 2, NULL);
            continue;
        }
        if (k->type == CFG_LIST) {
            const char *items = *(char *const *)((const char *)base + k->off);
            size_t n = *(const size_t *)((const char *)base + k->count_off);
            fputs(n ? "\n" : " []\n", out);
            for (size_t i = 0; i < n; i++) {
                bool first = true;
                fprintf(out, "%*s- ", indent + 2, "");
                put_keys(out, k->sub, items + i * k->item_size, indent + 4, &first);
            }
            continue;
        }
        fputc(' ', out);
        put_value(out, k, base);
        fputc('\n', out);
    }
}

static void put_kind_value(FILE *out, const struct cfg_kind *kind, const char *value)
{
    struct cfg_key k = { .name = kind->name, .type = kind->value_type };
    fprintf(out, "%s: ", kind->name);
    put_value(out, &k, &value);
    fputc('\n', out);
}

void cfg_print(const struct cfg *c, FILE *out)
{
    fputs("# effective configuration written by pantau --print-config (secrets shown as ***)\n", out);
    put_keys(out, cfg_top_keys(), c, 0, NULL);
    fputs("wall:\n", out);
    put_keys(out, cfg_wall_keys(), &c->wall, 2, NULL);
    fputs(c->n_sources ? "sources:\n" : "sources: {}\n", out);
    for (size_t i = 0; i < c->n_sources; i++) {
        const struct cfg_source *s = &c->sources[i];
        fprintf(out, "  %s:\n    ", s->name);
        put_kind_value(out, s->kind, s->url);
        put_keys(out, cfg_source_keys(), s, 4, NULL);
        put_keys(out, s->kind->keys, s->opts, 4, NULL);
    }
    fputs("pages:\n", out);
    for (size_t i = 0; i < c->n_pages; i++) {
        const struct cfg_page *pg = &c->pages[i];
        bool first = true;
        fputs("  - ", out);
        put_keys(out, cfg_page_keys(), pg, 4, &first);
        fputs("    panels:\n", out);
        for (size_t j = 0; j < pg->n_panels; j++) {
            const struct cfg_panel *p = &pg->panels[j];
            fputs("      - ", out);
            put_kind_value(out, p->kind, p->value);
            put_keys(out, cfg_panel_keys(), p, 8, NULL);
            put_keys(out, p->kind->keys, p->opts, 8, NULL);
        }
    }
}

static const char *type_name(const struct cfg_key *k)
{
    return cfg_type(k->type)->name;
}

/* live: what a reload does with a changed key that is not marked restart
 * ("live", or "source restarts" for a source's keys). */
static void ref_rows(FILE *out, const char *prefix, const struct cfg_key *keys, const char *live, bool restart)
{
    for (const struct cfg_key *k = keys; k && k->name; k++) {
        if (k->type == CFG_MAP) {
            char sub[128];
            snprintf(sub, sizeof(sub), "%s%s.", prefix, k->name);
            ref_rows(out, sub, k->sub, live, restart || k->restart);
            continue;
        }
        if (k->type == CFG_LIST) {
            fprintf(out, "| `%s%s` | list | `[]` | at most %.0f items | %s | %s |\n", prefix, k->name, k->max,
                    restart || k->restart ? "restart" : live, k->help);
            char sub[128];
            snprintf(sub, sizeof(sub), "%s%s[].", prefix, k->name);
            ref_rows(out, sub, k->sub, live, restart || k->restart);
            continue;
        }
        char range[96] = "";
        if (k->type == CFG_ENUM) {
            size_t len = 0;
            for (int i = 0; k->choices[i]; i++) {
                len += (size_t)snprintf(range + len, sizeof(range) - len, "%s`%s`", i ? ", " : "", k->choices[i]);
            }
        } else if ((k->min != 0 || k->max != 0) && k->type == CFG_DURATION) {
            char lo[32], hi[32];
            cfg_format_duration((int64_t)k->min, lo, sizeof(lo));
            cfg_format_duration((int64_t)k->max, hi, sizeof(hi));
            snprintf(range, sizeof(range), "%s – %s", lo, hi);
        } else if (k->min == k->max && k->min != 0) {
            snprintf(range, sizeof(range), "%.15g", k->min);
        } else if (k->min != 0 || k->max != 0) {
            snprintf(range, sizeof(range), "%.15g – %.15g", k->min, k->max);
        }
        char def[96];
        if (k->required) {
            snprintf(def, sizeof(def), "*required*");
        } else if (k->type == CFG_CELLS) {
            int v[4] = { 0, 0, 0, 0 };
            sscanf(k->def, "%d,%d,%d,%d", &v[0], &v[1], &v[2], &v[3]); // NOLINT(cert-err34-c): the schema's own default
            snprintf(def, sizeof(def), "`[%d, %d, %d, %d]`", v[0], v[1], v[2], v[3]);
        } else {
            snprintf(def, sizeof(def), "`%s`", k->def && *k->def ? k->def : "\"\"");
        }
        fprintf(out, "| `%s%s` | %s | %s | %s | %s | %s%s |\n", prefix, k->name, type_name(k), def, range,
                restart || k->restart ? "restart" : live, k->help,
                k->type == CFG_SECRET ? " Printed as `***`; use `${NAME}`." : "");
    }
}

#define REF_HEADER "| key | type | default | range | on reload | meaning |\n|---|---|---|---|---|---|\n"

static void ref_kinds(FILE *out, const char *what, const struct cfg_kind *const *kinds, const char *live)
{
    for (size_t i = 0; kinds[i]; i++) {
        const struct cfg_kind *kd = kinds[i];
        fprintf(out, "\n#### %s `%s`\n\n`%s:` %s%s", what, kd->name, kd->name, kd->value_help,
                kd->value_optional ? " Default: " : "");
        if (kd->value_optional) {
            fprintf(out, "`%s`.", kd->value_def);
        }
        fputs("\n\n", out);
        if (kd->keys && kd->keys->name) {
            fputs(REF_HEADER, out);
            ref_rows(out, "", kd->keys, live, false);
        } else {
            fputs("No other keys.\n", out);
        }
    }
}

void cfg_print_reference(FILE *out, const struct cfg_kinds *kinds)
{
    static const char header[] = REF_HEADER;
    fputs("<!-- generated by `pantau --print-reference`; do not edit by hand -->\n", out);
    fputs("The column *on reload* says what a hot reload (SIGHUP, saving the file, the `reload` command) "
          "does with a changed value: *live* applies it at once, *source restarts* reconnects that one "
          "source (the others keep playing), *restart* keeps the old value until Pantau is restarted "
          "(the log says so).\n\n", out);
    fputs("#### Top level\n\n", out);
    fputs(header, out);
    ref_rows(out, "", cfg_top_keys(), "live", false);
    fputs("\n#### `wall:`\n\n", out);
    fputs(header, out);
    ref_rows(out, "wall.", cfg_wall_keys(), "live", false);
    fputs("\n#### `pages:` (a list; each page)\n\n", out);
    fputs(header, out);
    ref_rows(out, "", cfg_page_keys(), "live", false);
    fputs("| `panels` | list | | | live | The page's panels. |\n", out);
    fputs("\n#### Every panel\n\n", out);
    fputs(header, out);
    ref_rows(out, "", cfg_panel_keys(), "live", false);
    ref_kinds(out, "Panel", kinds->panels, "live");
    fputs("\n#### Every source (`sources:` maps a name to one source)\n\n", out);
    fputs(header, out);
    ref_rows(out, "", cfg_source_keys(), "live", false);
    ref_kinds(out, "Source", kinds->sources, "source restarts");
    fputs("<!-- end of generated reference -->\n", out);
}
