/*
 * thermal_channel.c — microchannels etched through a layer: a cavity in
 * the manner of 3D-ICE (Sridhar et al., IEEE Trans. Computers 63(10), 2014),
 * homogenised over the grid's cells like its porous two-resistor model.
 *
 * Geometry.  Channels w wide and H tall (the layer's thickness), one every
 * pitch p, run the length L of the package along the flow; the walls
 * between them (p - w wide) are the layer's material.  A cell of the layer
 * is a mixture: walls a fraction phi_s = (p - w) / p, fluid phi_f = w / p.
 * Conduction: through the walls in z (phi_s k_s, the fins), in parallel
 * along the flow (phi_s k_s + phi_f k_f), in series across it
 * (1 / (phi_s / k_s + phi_f / k_f)); heat capacity phi_s c_s + phi_f c_f.
 *
 * Heat transfer.  Fully developed laminar flow in a rectangular duct of
 * aspect ratio a = short / long side, hydraulic diameter D_h = 2 w H / (w + H)
 * (Shah & London, Laminar Flow Forced Convection in Ducts, 1978):
 *   Nu_H1 = 8.235 (1 - 2.0421 a + 3.0853 a^2 - 2.4765 a^3 + 1.0578 a^4
 *                  - 0.1861 a^5),  h = Nu_H1 k_f / D_h,
 * the same h on the side walls, the floor and the ceiling.  Per cell of
 * footprint A: the side walls 2 dz A / p (each z-cell of the layer is a
 * slice of fin, so several z-cells resolve the fin efficiency); the floor
 * (the top cell of the layer below) and the ceiling (the bottom cell of
 * the layer above) w A / p each, through h in series with their half cell.
 * Fully developed Nu ignores the entrance region, where h is higher: the
 * estimate is on the safe side.
 *
 * Coolant.  Each row of cells across the flow carries the flow of the
 * channels it holds (Q dy / W); along the row, each column is a length of
 * channel of uniform wall temperature (Incropera & DeWitt eq. 8.41b, as the
 * cold plate of thermal_coolant.c): with G its conductance to the fluid and
 * T_w the conductance-weighted temperature of its cells,
 *   T_out = T_w - (T_w - T_in) exp(-G / (m_dot c_p)),
 * and its cells see the fluid's mean over it.  The fluid and the grid are
 * solved in turn (thermal.c) until the fluid moves by less than a tolerance;
 * the fluid's heat balance is exact: outlet = inlet + heat / (m_dot c_p).
 *
 * Pressure drop.  Darcy f Re = 96 (1 - 1.3553 a + 1.9467 a^2 - 1.7012 a^3
 * + 0.9564 a^4 - 0.2537 a^5) (Shah & London), so dp = f Re mu u L / (2 D_h^2);
 * friction of the straight channels only (no manifold, entrance or turn
 * losses: a lower bound), pump power dp Q / efficiency.
 */
#include "thermal_internal.h"

#include <math.h>
#include <stdlib.h>

/* Laminar flow in a duct up to this Reynolds number (the usual transition
 * for ducts, Incropera sec. 8.1.1); the correlations need it. */
#define LAMINAR_RE_MAX 2300.0

double cp_channel_fre(double a)
{
    return 96.0 * (1 - 1.3553 * a + 1.9467 * a * a - 1.7012 * pow(a, 3) +
                   0.9564 * pow(a, 4) - 0.2537 * pow(a, 5));
}

double cp_channel_nusselt(double a)
{
    return 8.235 * (1 - 2.0421 * a + 3.0853 * a * a - 2.4765 * pow(a, 3) +
                    1.0578 * pow(a, 4) - 0.1861 * pow(a, 5));
}

int cp_channel_flow_eval(const cp_thermal_spec *t, int layer, cp_channel_flow *out,
                         cp_error *err)
{
    const cp_tlayer *L = &t->layer[layer];
    const cp_channels *c = &L->channels;
    const cp_material *f = &c->fluid;
    double w = c->width_m, H = L->thickness_m, p = c->pitch_m;
    out->length_m = c->axis ? t->size_y_m : t->size_x_m;
    double across = c->axis ? t->size_x_m : t->size_y_m;
    if (!(w > 0 && w < p && c->flow_m3_per_s > 0 && c->pump_efficiency > 0 &&
          c->pump_efficiency <= 1))
        return cp_fail(err, "thermal", 0, 0, "channels of layer '%s': need 0 < width "
                       "< pitch, a flow > 0 and 0 < pump_efficiency <= 1", L->name);
    if (!(f->density_kg_per_m3 > 0 && f->viscosity_pa_s > 0 && f->k_z_w_per_mk > 0))
        return cp_fail(err, "thermal", 0, 0, "channels of layer '%s': the fluid '%s' "
                       "needs density_kg_per_m3 and viscosity_pa_s", L->name, f->name);
    out->channels = across / p;
    out->hydraulic_diameter_m = 2 * w * H / (w + H);
    out->aspect = fmin(w, H) / fmax(w, H);
    double q_channel = c->flow_m3_per_s / out->channels;
    out->velocity_m_per_s = q_channel / (w * H);
    double Dh = out->hydraulic_diameter_m;
    out->reynolds = f->density_kg_per_m3 * out->velocity_m_per_s * Dh / f->viscosity_pa_s;
    out->nusselt = cp_channel_nusselt(out->aspect);
    out->h_w_per_m2k = out->nusselt * f->k_z_w_per_mk / Dh;
    out->dp_pa = cp_channel_fre(out->aspect) * f->viscosity_pa_s * out->velocity_m_per_s *
                 out->length_m / (2 * Dh * Dh);
    out->hydraulic_w = out->dp_pa * c->flow_m3_per_s;
    out->pump_w = out->hydraulic_w / c->pump_efficiency;
    if (!(out->reynolds <= LAMINAR_RE_MAX))
        return cp_fail(err, "thermal", 0, 0, "channels of layer '%s': Reynolds number "
                       "%.0f is above %.0f, beyond the laminar flow the Shah & London "
                       "correlations describe: lower the flow or use more, narrower "
                       "channels", L->name, out->reynolds, LAMINAR_RE_MAX);
    return 0;
}

/* The homogenised material of a channel layer: k_xy along the flow, k_z
 * through the walls; *k_across across the channels. */
void cp_channel_material(const cp_tlayer *L, cp_material *m, double *k_across)
{
    const cp_channels *c = &L->channels;
    double ff = c->width_m / c->pitch_m, fs = 1 - ff;
    const cp_material *s = &L->mat, *f = &c->fluid;
    *m = *s;
    m->k_xy_w_per_mk = fs * s->k_xy_w_per_mk + ff * f->k_xy_w_per_mk;
    m->k_z_w_per_mk = fs * s->k_z_w_per_mk + ff * f->k_z_w_per_mk;
    m->c_j_per_m3k = fs * s->c_j_per_m3k + ff * f->c_j_per_m3k;
    *k_across = 1.0 / (fs / s->k_xy_w_per_mk + ff / f->k_xy_w_per_mk);
}

bool cp_thermal_has_fluid(const cp_thermal_spec *t)
{
    if (t->coolant.flow_m3_per_s > 0)
        return true;
    for (size_t l = 0; l < t->nlayers; l++)
        if (t->layer[l].channels.on)
            return true;
    return false;
}

/* z-cells [*k0, *k1] (inclusive) that touch layer l's fluid: its own, and
 * the floor and ceiling cells of the layers below and above, if any. */
static void wetted_cells(const cp_thermal_grid *g, int l, int *k0, int *k1)
{
    *k0 = g->layer_k0[l] > 0 ? g->layer_k0[l] - 1 : 0;
    *k1 = g->layer_k0[l + 1] < g->nz ? g->layer_k0[l + 1] : g->nz - 1;
}

static double wall(double d, double k, double h)
{
    return 1.0 / (d / (2 * k) + 1.0 / h);
}

/* Conductances to the fluid of layer l's channels, and the fluid at the
 * inlet temperature; m is scratch for a layer's materials per column. */
static int fill_cavity(cp_thermal_grid *g, const cp_thermal_spec *t, int l,
                       const cp_material **m, cp_error *err)
{
    const cp_channels *c = &t->layer[l].channels;
    cp_channel_flow fl;
    if (cp_channel_flow_eval(t, l, &fl, err))
        return -1;
    const double h = fl.h_w_per_m2k, ff = c->width_m / c->pitch_m;
    const size_t a = (size_t)g->nx * g->ny;
    int kw0, kw1;
    wetted_cells(g, l, &kw0, &kw1);
    for (int k = kw0; k <= kw1; k++) {
        int lk = g->klayer[k];
        bool own = lk == l;
        if (!own)
            cp_thermal_layer_materials(g, t, lk, m);
        for (size_t col = 0; col < a; col++) {
            size_t cell = (size_t)k * a + col;
            if (g->gfl[cell] > 0)
                return cp_fail(err, "thermal", 0, 0, "layer '%s' touches the fluid of two "
                               "channel layers: give it 2 or more cells",
                               t->layer[lk].name);
            double A = g->dx[col % (size_t)g->nx] * g->dy[col / (size_t)g->nx];
            /* side walls of the fins in this slice; or floor / ceiling */
            g->gfl[cell] = own ? h * 2 * g->dz[k] / c->pitch_m * A
                               : ff * A * wall(g->dz[k], m[col]->k_z_w_per_mk, h);
            g->tfl[cell] = c->inlet_c;
        }
    }
    return 0;
}

int cp_thermal_channels_setup(cp_thermal_grid *g, const cp_thermal_spec *t, cp_error *err)
{
    bool any = false;
    for (size_t l = 0; l < t->nlayers; l++)
        any = any || t->layer[l].channels.on;
    if (!any)
        return 0;
    const size_t a = (size_t)g->nx * g->ny;
    g->gfl = calloc(g->n, sizeof *g->gfl);
    g->tfl = calloc(g->n, sizeof *g->tfl);
    const cp_material **m = malloc(a * sizeof *m);
    int rc = g->gfl && g->tfl && m ? 0 : cp_fail(err, "thermal", 0, 0, "out of memory");
    for (size_t l = 0; rc == 0 && l < t->nlayers; l++)
        if (t->layer[l].channels.on)
            rc = fill_cavity(g, t, (int)l, m, err);
    free(m);
    return rc;
}

/* The rows across layer l's flow: the flow axis's cell count (*len), the
 * row count (*rows), and the cell of row r, step s along the flow. */
typedef struct rowmap {
    bool along_y;
    int len, rows, nx;
} rowmap;

static rowmap rows_of(const cp_thermal_grid *g, int axis)
{
    rowmap r = {axis == 1, axis == 1 ? g->ny : g->nx, axis == 1 ? g->nx : g->ny, g->nx};
    return r;
}

static size_t col_of(const rowmap *r, int row, int s)
{
    return r->along_y ? (size_t)s * r->nx + row : (size_t)row * r->nx + s;
}

/* m_dot c_p (W/K) of the channels in row r of layer l. */
static double row_mcp(const cp_thermal_grid *g, const cp_thermal_spec *t, int l, int row)
{
    const cp_channels *c = &t->layer[l].channels;
    double w = c->axis ? g->dx[row] : g->dy[row];
    double across = c->axis ? t->size_x_m : t->size_y_m;
    return c->flow_m3_per_s * w / across * c->fluid.c_j_per_m3k;
}

/* The fluid of layer l from the current field, into img[a] (one value per
 * column): along each row, each column a channel of uniform wall
 * temperature T_w (the header's formula). */
static void march(const cp_thermal_grid *g, const cp_thermal_spec *t, int l, double *img)
{
    const cp_channels *c = &t->layer[l].channels;
    const size_t a = (size_t)g->nx * g->ny;
    rowmap rm = rows_of(g, c->axis);
    int kw0, kw1;
    wetted_cells(g, l, &kw0, &kw1);
    for (int row = 0; row < rm.rows; row++) {
        double m = row_mcp(g, t, l, row), tin = c->inlet_c;
        for (int s = 0; s < rm.len; s++) {
            size_t col = col_of(&rm, row, s);
            double G = 0, GT = 0;
            for (int k = kw0; k <= kw1; k++) {
                size_t cell = (size_t)k * a + col;
                G += g->gfl[cell];
                GT += g->gfl[cell] * g->t[cell];
            }
            double tc = tin, tout = tin;
            if (G > 0) {
                double tw = GT / G, n = G / m;
                tout = tw - (tw - tin) * exp(-n);
                tc = tw - (tw - tin) * (n > 1e-12 ? -expm1(-n) / n : 1.0);
            }
            img[col] = tc;
            tin = tout;
        }
    }
}

/* The fluid of every cavity now, one value per column, cavity after cavity. */
void cp_thermal_channels_get(const cp_thermal_grid *g, const cp_thermal_spec *t, double *x)
{
    const size_t a = (size_t)g->nx * g->ny;
    size_t off = 0;
    for (size_t l = 0; l < t->nlayers && g->gfl; l++) {
        if (!t->layer[l].channels.on)
            continue;
        int kw0, kw1;
        wetted_cells(g, (int)l, &kw0, &kw1);
        for (size_t col = 0; col < a; col++)
            x[off + col] = g->tfl[(size_t)kw0 * a + col];
        off += a;
    }
}

/* The fluid of every cavity now (x) and from the field (img, the march). */
void cp_thermal_channels_image(const cp_thermal_grid *g, const cp_thermal_spec *t,
                               double *x, double *img)
{
    const size_t a = (size_t)g->nx * g->ny;
    size_t off = 0;
    cp_thermal_channels_get(g, t, x);
    for (size_t l = 0; l < t->nlayers && g->gfl; l++) {
        if (!t->layer[l].channels.on)
            continue;
        march(g, t, (int)l, img + off);
        off += a;
    }
}

/* Sets every cavity's fluid to v (laid out as the image). */
void cp_thermal_channels_set(cp_thermal_grid *g, const cp_thermal_spec *t, const double *v)
{
    const size_t a = (size_t)g->nx * g->ny;
    size_t off = 0;
    for (size_t l = 0; l < t->nlayers && g->gfl; l++) {
        if (!t->layer[l].channels.on)
            continue;
        int kw0, kw1;
        wetted_cells(g, (int)l, &kw0, &kw1);
        for (int k = kw0; k <= kw1; k++)
            for (size_t col = 0; col < a; col++)
                g->tfl[(size_t)k * a + col] = v[off + col];
        off += a;
    }
}

size_t cp_thermal_cavities(const cp_thermal_spec *t)
{
    size_t n = 0;
    for (size_t l = 0; l < t->nlayers; l++)
        n += t->layer[l].channels.on;
    return n;
}

/* Before the first solve: each column's power straight into the fluid of
 * every cavity's row, shared by the cavities in proportion to their m c_p
 * (one cavity: all of it), the fluid seen at the column's midpoint. */
void cp_thermal_channels_guess(cp_thermal_grid *g, const cp_thermal_spec *t)
{
    if (!g->gfl)
        return;
    const size_t a = (size_t)g->nx * g->ny;
    double mcp_all = 0;
    for (size_t l = 0; l < t->nlayers; l++)
        if (t->layer[l].channels.on)
            mcp_all += t->layer[l].channels.flow_m3_per_s * t->layer[l].channels.fluid.c_j_per_m3k;
    for (size_t l = 0; l < t->nlayers; l++) {
        const cp_channels *c = &t->layer[l].channels;
        if (!c->on)
            continue;
        double share = c->flow_m3_per_s * c->fluid.c_j_per_m3k / mcp_all;
        rowmap rm = rows_of(g, c->axis);
        int kw0, kw1;
        wetted_cells(g, (int)l, &kw0, &kw1);
        for (int row = 0; row < rm.rows; row++) {
            double m = row_mcp(g, t, (int)l, row), tin = c->inlet_c;
            for (int s = 0; s < rm.len; s++) {
                size_t col = col_of(&rm, row, s);
                double q = 0;
                for (int k = 0; k < g->nz; k++)
                    q += g->q[(size_t)k * a + col];
                q *= share;
                for (int k = kw0; k <= kw1; k++)
                    g->tfl[(size_t)k * a + col] = tin + q / (2 * m);
                tin += q / m;
            }
        }
    }
}

/* Each cavity's flow, the heat its fluid takes and its mixed outlet. */
void cp_thermal_channels_stats(const cp_thermal_grid *g, const cp_thermal_spec *t,
                               cp_thermal_result *out)
{
    const size_t a = (size_t)g->nx * g->ny;
    out->ncavities = 0;
    out->heat_out_channels_w = out->pump_w = 0;
    for (size_t l = 0; l < t->nlayers && g->gfl; l++) {
        const cp_channels *c = &t->layer[l].channels;
        if (!c->on)
            continue;
        cp_cavity_result *cv = &out->cavity[out->ncavities++];
        cp_error err;
        cv->layer = (int)l;
        cp_channel_flow_eval(t, (int)l, &cv->flow, &err); /* checked at set-up */
        int kw0, kw1;
        wetted_cells(g, (int)l, &kw0, &kw1);
        double q = 0;
        for (int k = kw0; k <= kw1; k++)
            for (size_t col = 0; col < a; col++) {
                size_t cell = (size_t)k * a + col;
                q += g->gfl[cell] * (g->t[cell] - g->tfl[cell]);
            }
        cv->heat_w = q;
        cv->rise_k = q / (c->flow_m3_per_s * c->fluid.c_j_per_m3k);
        cv->outlet_c = c->inlet_c + cv->rise_k;
        out->heat_out_channels_w += q;
        out->pump_w += cv->flow.pump_w;
    }
}
