/* cmd_yield.c — `cposim yield` (package yield Monte Carlo and cost of a good
 * unit).  `cposim comply` is in cmd_comply.c. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>

#define CURVE_POINTS 11
#define CURVE_SIGMA_HI_UM 1.0   /* from perfect placement to a poor bonder */
#define CURVE_PACKAGES_SHARE 10 /* each curve point runs packages / 10 */
#define COST_POINTS 25
#define COST_VOLUME_LO 1e2
#define COST_VOLUME_HI 1e7

typedef struct ystate {
    cli_opts *o;
    cp_design d;
    cp_result r;
    cp_mfg m;
    cp_yield_spec s;
    cp_yield_result y;
    cp_unit_cost c;
    cp_yield_curve yc;
    cp_cost_curve cc;
} ystate;

static int load_design(cli_opts *o, cp_catalog **cat, char *dir, size_t dlen, char *path,
                       size_t plen, cp_design *d, cp_result *r)
{
    cp_error err = {0};
    if (cli_load_catalog(o, cat, dir, dlen))
        return 2;
    if (cli_scenario(dir, o->args[1], CLI_KIND(CP_INPUT_SWITCH), path, plen, NULL))
        return 2;
    if (cp_scenario_load(path, *cat, o->sets, o->nsets, d, &err)) {
        cli_print_error(&err);
        return 2;
    }
    cp_design_eval(d, r);
    return 0;
}

static void emit_yield(FILE *f, void *ctx)
{
    const ystate *x = ctx;
    const cp_yield_result *y = &x->y;
    const cp_unit_cost *c = &x->c;
    if (x->o->format == FMT_JSON) {
        fprintf(f, "{\"name\": \"%s\", \"process\": \"%s\", \"packages\": %.0f, "
                   "\"engines\": %g, \"lanes_per_engine\": %g, \"spare_lanes\": %g, "
                   "\"lane_margin_db\": %.6g, \"sigma_um\": %.6g, \"p_coupling_fail\": %.6g,\n"
                   " \"engine_first_pass\": %.6g, \"engine_yield\": %.6g, "
                   "\"attaches_per_engine\": %.6g, \"package_yield\": %.6g, "
                   "\"package_yield_ci95\": [%.6g, %.6g], \"pluggable_package_yield\": %.6g,\n"
                   " \"good_engine_usd\": %.2f, \"started_package_usd\": %.2f, "
                   "\"good_package_usd\": %.2f, \"cpo_switch_usd\": %.2f, \"cpo_port_usd\": %.2f, "
                   "\"pluggable_switch_usd\": %.2f, \"pluggable_port_usd\": %.2f, "
                   "\"volume\": %g, \"crossover_volume\": %.6g,\n \"yield_vs_sigma\": [",
                x->d.name, x->m.process.name, y->packages, x->s.engines, x->s.lanes,
                x->s.spare_lanes, x->s.margin_db, y->sigma_um, y->p_coupling_fail,
                y->engine_first_pass, y->engine_yield, y->attaches_per_engine,
                y->package_yield, y->package_yield_lo, y->package_yield_hi,
                y->pluggable_package_yield, c->good_engine_usd, c->started_package_usd,
                c->good_package_usd, c->cpo_switch_usd, c->cpo_port_usd,
                c->pluggable_switch_usd, c->pluggable_port_usd, x->m.volume,
                c->crossover_volume);
        for (size_t i = 0; i < x->yc.n; i++)
            fprintf(f, "%s{\"sigma_um\": %.4g, \"package_yield\": %.6g}", i ? ", " : "",
                    x->yc.sigma_um[i], x->yc.yield[i]);
        fprintf(f, "],\n \"cost_per_port_vs_volume\": [");
        for (size_t i = 0; i < x->cc.n; i++)
            fprintf(f, "%s{\"volume\": %.6g, \"cpo_port_usd\": %.2f, \"pluggable_port_usd\": "
                       "%.2f}", i ? ", " : "", x->cc.volume[i], x->cc.cpo_port_usd[i],
                    x->cc.pluggable_port_usd[i]);
        fprintf(f, "]}\n");
        return;
    }
    fprintf(f, "%s — manufacturing yield and cost (%s, %.0f packages)\n", x->d.name,
            x->m.process.name, y->packages);
    fprintf(f, "  %g engines x %g lanes (+%g spare), lane margin %.2f dB, placement sigma "
               "%.3f um per axis\n", x->s.engines, x->s.lanes, x->s.spare_lanes,
            x->s.margin_db, y->sigma_um);
    fprintf(f, "  one coupling fails          %10.3g\n", y->p_coupling_fail);
    fprintf(f, "  engine attach, first pass   %9.2f %%\n", 100 * y->engine_first_pass);
    fprintf(f, "  engine after rework         %9.2f %%   (%.3f attaches per engine)\n",
            100 * y->engine_yield, y->attaches_per_engine);
    fprintf(f, "  package yield               %9.2f %%   [%.2f, %.2f] 95 %%\n",
            100 * y->package_yield, 100 * y->package_yield_lo, 100 * y->package_yield_hi);
    fprintf(f, "  pluggable package (ASIC)    %9.2f %%   a bad module scraps only itself\n",
            100 * y->pluggable_package_yield);
    fprintf(f, "\n  cost of a good engine       %10.0f USD\n", c->good_engine_usd);
    fprintf(f, "  started / good package      %10.0f / %.0f USD\n", c->started_package_usd,
            c->good_package_usd);
    fprintf(f, "  CPO switch (build)          %10.0f USD, %.0f per port at %g switches "
               "(R&D %.0f per switch)\n", c->cpo_switch_usd, c->cpo_port_usd, x->m.volume,
            c->rd_per_switch_usd);
    fprintf(f, "  pluggable switch + optics   %10.0f USD, %.0f per port\n",
            c->pluggable_switch_usd, c->pluggable_port_usd);
    if (c->crossover_volume > 0)
        fprintf(f, "  CPO is cheaper per port above %.0f switches shipped\n",
                c->crossover_volume);
    else
        fprintf(f, "  CPO is not cheaper per port at any volume\n");
    fprintf(f, "\n  sigma um   package yield\n");
    for (size_t i = 0; i < x->yc.n; i++)
        fprintf(f, "  %8.2f   %8.2f %%\n", x->yc.sigma_um[i], 100 * x->yc.yield[i]);
}

static int write_figure(const char *dir, const char *name, const char *fmt, char *data,
                        size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.%s", dir, name, fmt);
    int rc = cli_write_bytes(path, data, len);
    free(data);
    return rc;
}

static int figures(const ystate *x)
{
    static const char *const fmts[] = {"svg", "png"};
    char title[160];
    for (int k = 0; k < (cp_report_png_available() ? 2 : 1); k++) {
        char *data = NULL;
        size_t len = 0;
        cp_error err = {0};
        snprintf(title, sizeof title, "%s: package yield vs placement sigma", x->d.name);
        if (cp_yield_curve_figure(&x->yc, title, fmts[k], &data, &len, &err))
            return cli_print_error(&err), 1;
        if (write_figure(x->o->figures, "yield-vs-sigma", fmts[k], data, len))
            return 1;
        snprintf(title, sizeof title, "%s: cost per port vs volume", x->d.name);
        if (cp_cost_curve_figure(&x->cc, title, fmts[k], &data, &len, &err))
            return cli_print_error(&err), 1;
        if (write_figure(x->o->figures, "cost-vs-volume", fmts[k], data, len))
            return 1;
    }
    return 0;
}

int cmd_yield(cli_opts *o)
{
    if (o->nargs != 2)
        return cli_usage_error("yield");
    if (cli_output_check(o->output))
        return 1;
    ystate *x = calloc(1, sizeof *x);
    cp_catalog *cat = NULL;
    char dir[4096], path[4096];
    cp_error err = {0};
    int rc = x ? load_design(o, &cat, dir, sizeof dir, path, sizeof path, &x->d, &x->r) : 1;
    if (rc == 0 && (cp_mfg_load(path, cat, o->sets, o->nsets, &x->m, &err) ||
                    cp_yield_spec_of(&x->d, &x->r, &x->m, &x->s, &err) ||
                    cp_yield_run(&x->s, o->threads, &x->y, &err) ||
                    cp_unit_cost_eval(&x->m, &x->s, &x->y, x->r.ports, x->m.volume, &x->c,
                                      &err)))
        rc = 2;
    if (rc == 0) {
        cp_yield_spec t = x->s;
        t.packages = t.packages / CURVE_PACKAGES_SHARE < 1 ? 1
                                                           : t.packages / CURVE_PACKAGES_SHARE;
        if (cp_yield_sigma_curve(&t, 0, CURVE_SIGMA_HI_UM, CURVE_POINTS, o->threads, &x->yc,
                                 &err) ||
            cp_cost_volume_curve(&x->m, &x->s, &x->y, x->r.ports, COST_VOLUME_LO,
                                 COST_VOLUME_HI, COST_POINTS, &x->cc, &err))
            rc = 2;
    }
    if (rc == 2 && err.msg[0])
        cli_print_error(&err);
    if (x)
        x->o = o;
    if (rc == 0 && o->figures)
        rc = figures(x);
    if (rc == 0)
        rc = cli_output(o, emit_yield, x);
    cp_catalog_free(cat);
    free(x);
    return rc;
}
