/* json_writer.h — small helpers over a libfyaml document for JSON reports. */
#ifndef CPOSIM_JSON_WRITER_H
#define CPOSIM_JSON_WRITER_H

#include "cposim.h"

#include <libfyaml.h>

typedef struct jw {
    struct fy_document *doc;
    int failed;
} jw;

struct fy_node *jw_str(jw *w, const char *s);
struct fy_node *jw_num(jw *w, double x);
struct fy_node *jw_bool(jw *w, bool b);
struct fy_node *jw_map(jw *w);
struct fy_node *jw_seq(jw *w);
void jw_put(jw *w, struct fy_node *map, const char *key, struct fy_node *v);
void jw_push(jw *w, struct fy_node *seq, struct fy_node *v);
/* The uncertainty analysis as a JSON mapping (src/report_uncertainty.c),
 * for the TCO report to carry. */
struct fy_node *cp_unc_json(jw *w, const cp_tco_case *a, const cp_tco_case *b,
                            const cp_unc_result *r);
/* A CSV text field (RFC 4180): quoted, a quote doubled (src/json_writer.c). */
void cp_csv_field(FILE *f, const char *s);
/* Emits root as indented JSON to f and frees the document; 0 on success. */
int jw_emit(jw *w, struct fy_node *root, FILE *f);

#endif
