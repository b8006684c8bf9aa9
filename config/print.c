/* config/print.c: writes a loaded config back as YAML (--print-config) with
 * secrets replaced by "***", and the key reference (--print-reference) for
 * the README, both from the same schema rows the loader reads. Main thread. */
#include "config.h"
#include "../core/util.h"

#include <math.h>
#include <string.h>

static void put_quoted(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\t': fputs("\\t", out); break;
        case '$':
            /* The loader expands ${NAME}: keep a literal one literal. */
            fputs(p[1] == '{' ? "$$" : "$", out);
            break;
        default:
            if (*p < 0x20 || *p == 0x7f) {
                fprintf(out, "\\x%02x", *p);
            } else {
                fputc(*p, out);
            }
        }
    }
    fputc('"', out);
}

/* Writes one value in config syntax. Secrets print as "***" when set. */
static void put_value(FILE *out, const struct cfg_key *k, const void *base)
{
    const void *src = (const char *)base + k->off;
    char buf[256];
    switch (k->type) {
    case CFG_STRING:
        put_quoted(out, *(char *const *)src);
        break;
    case CFG_URL:
        redact_url(*(char *const *)src, buf, sizeof(buf));
        put_quoted(out, buf);
        break;
    case CFG_SECRET: {
        const char *s = *(char *const *)src;
        put_quoted(out, s && *s ? "***" : "");
        break;
    }
    case CFG_INT:
        fprintf(out, "%d", *(const int *)src);
        break;
    case CFG_DOUBLE:
        if (isnan(*(const double *)src)) {
            fputs("\"\"", out); /* not set */
        } else {
            fprintf(out, "%.17g", *(const double *)src);
        }
        break;
    case CFG_BOOL:
        fputs(*(const bool *)src ? "true" : "false", out);
        break;
    case CFG_DURATION:
        cfg_format_duration(*(const int64_t *)src, buf, sizeof(buf));
        fputs(buf, out);
        break;
    case CFG_COLOR:
        cfg_format_color(*(const uint32_t *)src, buf, sizeof(buf));
        fprintf(out, "\"%s\"", buf);
        break;
    case CFG_SIZE: {
        const int *v = src;
        fprintf(out, "[%d, %d]", v[0], v[1]);
        break;
    }
    case CFG_CELLS: {
        const int *v = src;
        fprintf(out, "[%d, %d, %d, %d]", v[0], v[1], v[2], v[3]);
        break;
    }
    case CFG_ENUM:
        fputs(k->choices[*(const int *)src], out);
        break;
    case CFG_PAIRS: {
        /* { name: "value", ... }; values that look like secrets are hidden */
        const char *p = *(char *const *)src;
        fputc('{', out);
        bool first = true;
        while (p && *p) {
            size_t line = strcspn(p, "\n");
            const char *eq = memchr(p, '=', line);
            char name[128], value[512];
            snprintf(name, sizeof(name), "%.*s", (int)(eq ? eq - p : (long)line), p);
            snprintf(value, sizeof(value), "%.*s", eq ? (int)(line - (size_t)(eq - p) - 1) : 0, eq ? eq + 1 : "");
            bool secret = strcasestr(name, "auth") || strcasestr(name, "token") || strcasestr(name, "key") ||
                          strcasestr(name, "secret") || strcasestr(name, "pass") || strcasestr(name, "cookie");
            fprintf(out, "%s %s: ", first ? "" : ",", name);
            put_quoted(out, secret ? "***" : value);
            first = false;
            p += line + (p[line] == '\n');
        }
        fputs(first ? "}" : " }", out);
        break;
    }
    case CFG_MAP:
        break;
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
    switch (k->type) {
    case CFG_STRING: return "text";
    case CFG_URL: return "URL";
    case CFG_SECRET: return "secret";
    case CFG_INT: return "integer";
    case CFG_DOUBLE: return "number";
    case CFG_BOOL: return "boolean";
    case CFG_DURATION: return "duration";
    case CFG_COLOR: return "colour";
    case CFG_SIZE: return "size";
    case CFG_CELLS: return "cells";
    case CFG_ENUM: return "choice";
    case CFG_MAP: return "mapping";
    case CFG_PAIRS: return "mapping";
    }
    return "?";
}

static void ref_rows(FILE *out, const char *prefix, const struct cfg_key *keys)
{
    for (const struct cfg_key *k = keys; k && k->name; k++) {
        if (k->type == CFG_MAP) {
            char sub[128];
            snprintf(sub, sizeof(sub), "%s%s.", prefix, k->name);
            ref_rows(out, sub, k->sub);
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
            sscanf(k->def, "%d,%d,%d,%d", &v[0], &v[1], &v[2], &v[3]);
            snprintf(def, sizeof(def), "`[%d, %d, %d, %d]`", v[0], v[1], v[2], v[3]);
        } else {
            snprintf(def, sizeof(def), "`%s`", k->def && *k->def ? k->def : "\"\"");
        }
        fprintf(out, "| `%s%s` | %s | %s | %s | %s%s |\n", prefix, k->name, type_name(k), def, range,
                k->help, k->type == CFG_SECRET ? " Printed as `***`; use `${NAME}`." : "");
    }
}

static void ref_kinds(FILE *out, const char *what, const struct cfg_kind *const *kinds)
{
    for (size_t i = 0; kinds[i]; i++) {
        const struct cfg_kind *kd = kinds[i];
        fprintf(out, "\n#### %s `%s`\n\n`%s:` %s%s%s", what, kd->name, kd->name, kd->value_help,
                kd->value_optional ? " Default: " : "", kd->value_optional ? "" : "");
        if (kd->value_optional) {
            fprintf(out, "`%s`.", kd->value_def);
        }
        fputs("\n\n", out);
        if (kd->keys && kd->keys->name) {
            fputs("| key | type | default | range | meaning |\n|---|---|---|---|---|\n", out);
            ref_rows(out, "", kd->keys);
        } else {
            fputs("No other keys.\n", out);
        }
    }
}

void cfg_print_reference(FILE *out, const struct cfg_kinds *kinds)
{
    static const char header[] = "| key | type | default | range | meaning |\n|---|---|---|---|---|\n";
    fputs("<!-- generated by `pantau --print-reference`; do not edit by hand -->\n", out);
    fputs("#### Top level\n\n", out);
    fputs(header, out);
    ref_rows(out, "", cfg_top_keys());
    fputs("\n#### `wall:`\n\n", out);
    fputs(header, out);
    ref_rows(out, "wall.", cfg_wall_keys());
    fputs("\n#### `pages:` (a list; each page)\n\n", out);
    fputs(header, out);
    ref_rows(out, "", cfg_page_keys());
    fputs("| `panels` | list | | | The page's panels. |\n", out);
    fputs("\n#### Every panel\n\n", out);
    fputs(header, out);
    ref_rows(out, "", cfg_panel_keys());
    ref_kinds(out, "Panel", kinds->panels);
    fputs("\n#### Every source (`sources:` maps a name to one source)\n", out);
    ref_kinds(out, "Source", kinds->sources);
    fputs("<!-- end of generated reference -->\n", out);
}
