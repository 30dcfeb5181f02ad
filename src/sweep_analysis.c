/*
 * sweep_analysis.c — what a sweep's results say: how many points ran,
 * failed and met the constraints; each output's range and median; the best
 * feasible point per objective; the Pareto front of the feasible points over
 * the objectives (pareto.c); Spearman rank correlation of every output with
 * every parameter over the points that ran (the tornado, generalised).
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int cp_sweep_summarize(const cp_sweep_table *t, cp_sweep_summary *s, cp_error *err)
{
    memset(s, 0, sizeof *s);
    size_t n = t->nrows, P = t->nparams, O = t->noutputs, M = t->nobjectives;
    s->rows = n;
    s->front = calloc(n ? n : 1, 1);
    double *col = malloc((n ? n : 1) * sizeof *col), *par = malloc((n ? n : 1) * sizeof *par);
    double *obj = malloc((n ? n : 1) * (M ? M : 1) * sizeof *obj);
    if (!s->front || !col || !par || !obj) {
        free(col), free(par), free(obj);
        cp_sweep_summary_free(s);
        return cp_fail(err, "sweep", 0, 0, "out of memory for %zu points", n);
    }
    for (size_t i = 0; i < n; i++) {
        s->ok += t->ok[i];
        s->failed += !t->ok[i];
        s->feasible += t->ok[i] && t->feasible[i];
    }
    for (size_t k = 0; k < O; k++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (t->ok[i])
                col[m++] = t->outputs[i * O + k];
        double q[3] = {NAN, NAN, NAN}, p[3] = {0, 0.5, 1};
        if (m && cp_quantiles(col, m, p, 3, q, err)) {
            free(col), free(par), free(obj);
            cp_sweep_summary_free(s);
            return -1;
        }
        s->out_min[k] = q[0], s->out_median[k] = q[1], s->out_max[k] = q[2];
        for (size_t j = 0; j < P; j++) {
            size_t c = 0;
            for (size_t i = 0; i < n; i++)
                if (t->ok[i])
                    par[c++] = t->values[i * P + j];
            s->rho[j][k] = m > 2 ? cp_spearman(par, col, m) : NAN;
        }
    }
    for (size_t r = 0; r < M; r++) {
        s->best[r] = -1;
        const cp_sweep_rule *o = &t->objective[r];
        for (size_t i = 0; i < n; i++) {
            if (!t->ok[i] || !t->feasible[i])
                continue;
            double v = t->outputs[i * O + (size_t)o->id];
            double b = s->best[r] < 0 ? NAN : t->outputs[(size_t)s->best[r] * O + (size_t)o->id];
            if (s->best[r] < 0 || (o->maximize ? v > b : v < b))
                s->best[r] = (long)i;
        }
    }
    if (M > 0) { /* infeasible or failed points never enter the front */
        for (size_t i = 0; i < n; i++)
            for (size_t r = 0; r < M; r++) {
                double v = t->outputs[i * O + (size_t)t->objective[r].id];
                obj[i * M + r] = t->ok[i] && t->feasible[i]
                                     ? (t->objective[r].maximize ? -v : v) : NAN;
            }
        s->pareto = cp_pareto(obj, n, M, s->front);
    }
    free(col), free(par), free(obj);
    return 0;
}

void cp_sweep_summary_free(cp_sweep_summary *s)
{
    free(s->front);
    s->front = NULL;
}
