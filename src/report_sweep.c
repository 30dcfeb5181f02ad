/*
 * report_sweep.c — a sweep's results: the summary table, JSON and CSV.
 * Formatting only; the numbers come from the store and sweep_analysis.c.
 */
#include "json_writer.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void print_row(FILE *f, const cp_sweep_table *t, size_t i)
{
    for (size_t j = 0; j < t->nparams; j++)
        fprintf(f, "%s%s=%.6g", j ? ", " : "    ", t->param[j], t->values[i * t->nparams + j]);
    fputs("\n     ->", f);
    for (size_t k = 0; k < t->noutputs; k++)
        fprintf(f, " %s=%.6g", t->output[k], t->outputs[i * t->noutputs + k]);
    fputc('\n', f);
}

void cp_report_sweep(FILE *f, const cp_sweep_table *t, const cp_sweep_summary *s)
{
    fprintf(f, "sweep %s: %s of %s%s%s (cposim %s)\n", t->name, t->command, t->scenario,
            t->vs[0] ? " --vs " : "", t->vs, t->version);
    fprintf(f, "%zu points: %zu ran, %zu failed, %zu feasible\n\n", s->rows, s->ok, s->failed,
            s->feasible);
    fprintf(f, "  %-32s %14s %14s %14s\n", "output", "min", "median", "max");
    for (size_t k = 0; k < t->noutputs; k++)
        fprintf(f, "  %-32.32s %14.6g %14.6g %14.6g\n", t->output[k], s->out_min[k],
                s->out_median[k], s->out_max[k]);
    for (size_t r = 0; r < t->nobjectives; r++) {
        fprintf(f, "\nbest feasible for %s %s:\n", t->objective[r].maximize ? "max" : "min",
                t->objective[r].output);
        if (s->best[r] < 0)
            fputs("    none: no point meets the constraints\n", f);
        else
            print_row(f, t, (size_t)s->best[r]);
    }
    if (t->nobjectives > 1) {
        fputs("\nPareto front over", f);
        for (size_t r = 0; r < t->nobjectives; r++)
            fprintf(f, "%s %s %s", r ? "," : "", t->objective[r].maximize ? "max" : "min",
                    t->objective[r].output);
        fprintf(f, ": %zu point(s)%s\n", s->pareto, s->pareto > 10 ? " (first 10)" : "");
        for (size_t i = 0, shown = 0; i < s->rows && shown < 10; i++)
            if (s->front[i]) {
                print_row(f, t, i);
                shown++;
            }
    }
    fprintf(f, "\nsensitivity (Spearman rank correlation, output vs parameter):\n  %-32s",
            "");
    for (size_t j = 0; j < t->nparams; j++) {
        const char *p = strrchr(t->param[j], '.');
        fprintf(f, " %14.14s", p ? p + 1 : t->param[j]);
    }
    fputc('\n', f);
    for (size_t k = 0; k < t->noutputs; k++) {
        fprintf(f, "  %-32.32s", t->output[k]);
        for (size_t j = 0; j < t->nparams; j++)
            if (isnan(s->rho[j][k]))
                fprintf(f, " %14s", "constant");
            else
                fprintf(f, " %14.3f", s->rho[j][k]);
        fputc('\n', f);
    }
    for (size_t i = 0, shown = 0; i < s->rows && shown < 3; i++)
        if (!t->ok[i]) {
            fprintf(f, "%sfailed point %zu: %s\n", shown ? "" : "\n", t->seq[i],
                    t->error[i] ? t->error[i] : "");
            shown++;
        }
}

static struct fy_node *row_json(jw *w, const cp_sweep_table *t, const cp_sweep_summary *s,
                                size_t i)
{
    char hex[24];
    struct fy_node *m = jw_map(w), *pv = jw_map(w), *ov = jw_map(w);
    snprintf(hex, sizeof hex, "%016llx", t->hash[i]);
    jw_put(w, m, "hash", jw_str(w, hex));
    jw_put(w, m, "seq", jw_num(w, (double)t->seq[i]));
    jw_put(w, m, "status", jw_str(w, t->ok[i] ? "ok" : "failed"));
    jw_put(w, m, "feasible", jw_bool(w, t->feasible[i]));
    jw_put(w, m, "pareto", jw_bool(w, s->front[i]));
    for (size_t j = 0; j < t->nparams; j++)
        jw_put(w, pv, t->param[j], jw_num(w, t->values[i * t->nparams + j]));
    for (size_t k = 0; k < t->noutputs; k++)
        jw_put(w, ov, t->output[k], jw_num(w, t->outputs[i * t->noutputs + k]));
    jw_put(w, m, "parameters", pv);
    jw_put(w, m, "outputs", ov);
    if (!t->ok[i])
        jw_put(w, m, "error", jw_str(w, t->error[i] ? t->error[i] : ""));
    return m;
}

int cp_report_sweep_json(FILE *f, const cp_sweep_table *t, const cp_sweep_summary *s)
{
    jw w = {fy_document_create(NULL), 0};
    if (!w.doc)
        return -1;
    struct fy_node *root = jw_map(&w), *outs = jw_seq(&w), *best = jw_seq(&w),
                   *sens = jw_seq(&w), *pts = jw_seq(&w);
    jw_put(&w, root, "name", jw_str(&w, t->name));
    jw_put(&w, root, "command", jw_str(&w, t->command));
    jw_put(&w, root, "scenario", jw_str(&w, t->scenario));
    if (t->vs[0])
        jw_put(&w, root, "vs", jw_str(&w, t->vs));
    jw_put(&w, root, "cposim_version", jw_str(&w, t->version));
    jw_put(&w, root, "points", jw_num(&w, (double)s->rows));
    jw_put(&w, root, "ran", jw_num(&w, (double)s->ok));
    jw_put(&w, root, "failed", jw_num(&w, (double)s->failed));
    jw_put(&w, root, "feasible", jw_num(&w, (double)s->feasible));
    jw_put(&w, root, "pareto", jw_num(&w, (double)s->pareto));
    for (size_t k = 0; k < t->noutputs; k++) {
        struct fy_node *o = jw_map(&w);
        jw_put(&w, o, "name", jw_str(&w, t->output[k]));
        jw_put(&w, o, "min", jw_num(&w, s->out_min[k]));
        jw_put(&w, o, "median", jw_num(&w, s->out_median[k]));
        jw_put(&w, o, "max", jw_num(&w, s->out_max[k]));
        jw_push(&w, outs, o);
        for (size_t j = 0; j < t->nparams; j++) {
            struct fy_node *x = jw_map(&w);
            jw_put(&w, x, "output", jw_str(&w, t->output[k]));
            jw_put(&w, x, "parameter", jw_str(&w, t->param[j]));
            jw_put(&w, x, "spearman", jw_num(&w, s->rho[j][k]));
            jw_push(&w, sens, x);
        }
    }
    for (size_t r = 0; r < t->nobjectives; r++) {
        struct fy_node *b = jw_map(&w);
        jw_put(&w, b, "objective", jw_str(&w, t->objective[r].output));
        jw_put(&w, b, "goal", jw_str(&w, t->objective[r].maximize ? "max" : "min"));
        jw_put(&w, b, "seq", s->best[r] < 0 ? jw_num(&w, NAN)
                                            : jw_num(&w, (double)t->seq[s->best[r]]));
        jw_push(&w, best, b);
    }
    for (size_t i = 0; i < t->nrows; i++)
        jw_push(&w, pts, row_json(&w, t, s, i));
    jw_put(&w, root, "outputs", outs);
    jw_put(&w, root, "best", best);
    jw_put(&w, root, "sensitivity", sens);
    jw_put(&w, root, "rows", pts);
    return jw_emit(&w, root, f);
}

int cp_report_sweep_csv(FILE *f, const cp_sweep_table *t, const cp_sweep_summary *s)
{
    fputs("hash,seq,status,feasible,pareto", f);
    for (size_t j = 0; j < t->nparams; j++)
        fputc(',', f), cp_csv_field(f, t->param[j]);
    for (size_t k = 0; k < t->noutputs; k++)
        fputc(',', f), cp_csv_field(f, t->output[k]);
    fputs(",error\r\n", f);
    for (size_t i = 0; i < t->nrows; i++) {
        fprintf(f, "%016llx,%zu,%s,%d,%d", t->hash[i], t->seq[i], t->ok[i] ? "ok" : "failed",
                t->feasible[i], s->front[i]);
        for (size_t j = 0; j < t->nparams; j++)
            fprintf(f, ",%.17g", t->values[i * t->nparams + j]);
        for (size_t k = 0; k < t->noutputs; k++) {
            double v = t->outputs[i * t->noutputs + k];
            if (isfinite(v))
                fprintf(f, ",%.17g", v);
            else
                fputc(',', f);
        }
        fputc(',', f);
        if (!t->ok[i])
            cp_csv_field(f, t->error[i] ? t->error[i] : "");
        fputs("\r\n", f);
    }
    return ferror(f) ? -1 : 0;
}
