/*
 * test_thermal.c — the thermal grid against closed forms: a 1-D stack
 * (series resistances), a heated patch on a slab (Fourier series) with grid
 * refinement, energy balance, the RC step response and its long-time limit,
 * and the electro-thermal fixed point of a leaky ASIC (GSL root finding).
 */
#include "testutil.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <string.h>

static cp_material mat(double k, double c)
{
    return (cp_material){.k_xy_w_per_mk = k, .k_z_w_per_mk = k, .c_j_per_m3k = c};
}

/* L x L package, given layers (thickness m, k), one block covering all of
 * layer 0 with power p; top h at 25 C, bottom adiabatic. */
static void slab_spec(cp_thermal_spec *t, double L, int n, const double *th,
                      const double *k, int nl, double p, double h)
{
    memset(t, 0, sizeof *t);
    t->block = test_blocks();
    t->size_x_m = t->size_y_m = L;
    t->nx = t->ny = n;
    t->nlayers = (size_t)nl;
    for (int l = 0; l < nl; l++) {
        t->layer[l].thickness_m = th[l];
        t->layer[l].cells = 1;
        t->layer[l].mat = mat(k[l], 2e6);
    }
    t->nblocks = 1;
    t->block[0] = (cp_tblock){.layer = 0, .x0_m = 0, .y0_m = 0, .x1_m = L, .y1_m = L,
                              .src = CP_SRC_FIXED, .power_w = p};
    t->top = (cp_boundary){h, 25};
    t->bottom = (cp_boundary){0, 25};
    t->tolerance = 1e-12;
    t->theta = 0.5;
}

static void run_steady(cp_thermal_spec *t, cp_solver_kind kind, cp_thermal_result *r,
                       cp_thermal_grid **gout)
{
    cp_thermal_grid *g;
    cp_error err;
    cp_thermal_result_free(r); /* a result run before with r */
    t->solver = kind;
    assert_int_equal(cp_thermal_grid_create(t, &g, &err), 0);
    if (cp_thermal_steady(g, t, NULL, NULL, r, &err)) {
        print_error("%s\n", err.msg);
        fail();
    }
    if (gout)
        *gout = g;
    else
        cp_thermal_grid_free(g);
}

/* 1-D: the block heats the bottom face of layer 0 (adiabatic below), so
 * the heated face is at T = Ta + P (sum t/k + 1/h) / A: by hand
 * 25 + 100 (0.5e-3/130 + 50e-6/4 + 2e-3/400 + 1e-4) / 1e-4 = 146.346 C,
 * to 0.1 K with one cell per layer, both solvers.  (A cell centre is
 * P dz0 / (2 k0 A) = 1.92 K short of it: the old reported temperature.) */
static void test_series_stack(void **state)
{
    (void)state;
    const double L = 0.01, th[3] = {0.5e-3, 50e-6, 2e-3}, k[3] = {130, 4, 400};
    const double P = 100, h = 1e4, A = L * L;
    double R = (th[0] / k[0] + th[1] / k[1] + th[2] / k[2] + 1 / h) / A;
    cp_solver_kind kinds[2] = {CP_SOLVER_PFMG, CP_SOLVER_CHOLMOD};
    for (int s = 0; s < 2; s++) {
        cp_thermal_spec t;
        cp_thermal_result r = {0};
        slab_spec(&t, L, 8, th, k, 3, P, h);
        run_steady(&t, kinds[s], &r, NULL);
        double want = 25 + P * R;
        assert_near(want, 146.346, 0.001);
        assert_near(r.block[0].mean_c, want, 0.1);
        assert_near(r.block[0].max_c, want, 0.1);
        assert_near(r.max_c, want, 0.1);
        /* energy balance: heat leaving = power, 1e-6 relative */
        assert_near(r.heat_out_top_w + r.heat_out_bottom_w, P, 1e-6 * P);
        cp_thermal_result_free(&r);
    }
}

/* Overlapping blocks are independent sources whose powers add: 60 W over
 * the whole of layer 0 plus 40 W over the same area is the 100 W stack of
 * test_series_stack, 146.346 C at the heated face, for both blocks (the
 * second on a refined grid, whose lines fall on the blocks' edges). */
static void test_overlapping_blocks_add(void **state)
{
    (void)state;
    const double L = 0.01, th[3] = {0.5e-3, 50e-6, 2e-3}, k[3] = {130, 4, 400};
    cp_thermal_spec t;
    cp_thermal_result r = {0};
    slab_spec(&t, L, 8, th, k, 3, 60, 1e4);
    t.nblocks = 2;
    t.block[1] = t.block[0];
    t.block[1].power_w = 40;
    for (int refine = 0; refine < 2; refine++) {
        t.refine = refine;
        run_steady(&t, CP_SOLVER_CHOLMOD, &r, NULL);
        assert_near(r.block[0].max_c, 146.346, 0.1);
        assert_near(r.block[1].mean_c, 146.346, 0.1);
        assert_near(r.total_power_w, 100, 1e-9);
    }
    cp_thermal_result_free(&r);
}

/* A cold plate whose water warms along x: 200 W over a 20 x 20 mm copper
 * plate 2 mm thick (k_z 400, in-plane k made negligible so that every
 * column is one-dimensional), h = 1e4 to water entering at 30 C at
 * 0.2 L/min.  m_dot c_p = 0.2e-3/60 m3/s x 4.166e6 J/m3K = 13.887 W/K, so
 * the water leaves P / (m_dot c_p) = 14.402 K warmer (all heat leaves
 * through the top: the bottom is adiabatic).  Each of the 32 strips across
 * the flow takes P/32 and sees the water's mean over it, so the heated
 * face over the whole plate averages
 *   T_in + P / (2 m_dot c_p) + (P/A) (t/k + 1/h)
 * = 30 + 7.201 + 5e5 (5e-6 + 1e-4) = 89.701 C,
 * and the last strip is the hottest, its water at T_in + (31.5/32) 14.402 K:
 *   30 + 14.177 + 52.5 = 96.677 C  (the strips' own mean differs from the
 * midpoint of their in- and outlet by N/12 of a strip's rise, N = G/(m c_p)
 * = 0.009: 0.0003 K). */
static void test_coolant_rise(void **state)
{
    (void)state;
    const double L = 0.02, th[1] = {2e-3}, k[1] = {400}, P = 200;
    cp_thermal_spec t;
    cp_thermal_result r = {0};
    slab_spec(&t, L, 32, th, k, 1, P, 1e4);
    t.layer[0].mat.k_xy_w_per_mk = 1e-3;
    t.top.ambient_c = 30;
    t.coolant = (cp_coolant){.flow_m3_per_s = 0.2e-3 / 60, .fluid = mat(0.61, 4.166e6)};
    const double mc = 0.2e-3 / 60 * 4.166e6, rise = P / mc;
    assert_near(rise, 14.402, 0.001);
    run_steady(&t, CP_SOLVER_CHOLMOD, &r, NULL);
    print_message("coolant: rise %.4f K (P/mc %.4f), face mean %.3f max %.3f C\n",
                  r.coolant_rise_k, rise, r.block[0].mean_c, r.block[0].max_c);
    assert_near(r.coolant_rise_k, rise, 1e-3 * rise);
    assert_near(r.coolant_outlet_c, 30 + rise, 1e-3 * rise);
    assert_near(r.block[0].mean_c, 30 + rise / 2 + P / (L * L) * (2e-3 / 400 + 1e-4), 0.05);
    assert_near(r.block[0].max_c, 30 + rise * 31.5 / 32 + P / (L * L) * (2e-3 / 400 + 1e-4),
                0.05);
    /* along y instead: the same rise and mean */
    t.coolant.axis = 1;
    run_steady(&t, CP_SOLVER_CHOLMOD, &r, NULL);
    assert_near(r.coolant_rise_k, rise, 1e-3 * rise);
    assert_near(r.block[0].mean_c, 30 + rise / 2 + P / (L * L) * (2e-3 / 400 + 1e-4), 0.05);
    cp_thermal_result_free(&r);
}

/* A layer of two materials, its parts' outlines off the coarse grid: a
 * 1 mm layer of fill (k_z 10) with a part of k_z 100 over x in [3.3, 7.1)
 * mm of a 10 x 10 mm package, in-plane conduction made negligible so every
 * column is one-dimensional; 100 W over the whole bottom face (adiabatic),
 * h = 1e4 to 25 C on top, q = 1e6 W/m2.  By hand, on the heated face:
 *   part columns  25 + 1e6 (1e-3/100 + 1e-4) = 135 C,
 *   fill columns  25 + 1e6 (1e-3/10 + 1e-4)  = 225 C,
 *   area mean     225 - 0.38 x 90            = 190.8 C
 * (the part covers 3.8 / 10 of the area: the refined grid has lines at its
 * edges, so the fraction is exact). */
static void test_layer_parts(void **state)
{
    (void)state;
    const double L = 0.01, th[1] = {1e-3}, k[1] = {10};
    cp_thermal_spec t;
    cp_thermal_result r = {0};
    slab_spec(&t, L, 8, th, k, 1, 100, 1e4);
    t.refine = true;
    t.layer[0].mat.k_xy_w_per_mk = 1e-3;
    t.layer[0].nparts = 1;
    t.layer[0].part[0] = (cp_tpart){.name = "fast", .x0_m = 3.3e-3, .y0_m = 0, .x1_m = 7.1e-3,
                                    .y1_m = L, .mat = mat(100, 2e6)};
    t.layer[0].part[0].mat.k_xy_w_per_mk = 1e-3;
    run_steady(&t, CP_SOLVER_CHOLMOD, &r, NULL);
    assert_near(r.block[0].mean_c, 190.8, 0.1);
    assert_near(r.block[0].max_c, 225, 0.1);
    /* a second, later part over the first wins where they overlap: fill
     * material again over [3.3, 5.2): the fast part keeps 1.9 mm, mean
     * 225 - 0.19 x 90 = 207.9 C */
    t.layer[0].nparts = 2;
    t.layer[0].part[1] = (cp_tpart){.name = "slow", .x0_m = 3.3e-3, .y0_m = 0,
                                    .x1_m = 5.2e-3, .y1_m = L, .mat = t.layer[0].mat};
    run_steady(&t, CP_SOLVER_CHOLMOD, &r, NULL);
    assert_near(r.block[0].mean_c, 207.9, 0.1);
    cp_thermal_result_free(&r);
}

/* A die smaller than its package: 20 x 20 mm of silicon (0.75 mm) in mould
 * compound on a 40 x 40 mm package, a 10 x 10 mm 100 W block at its centre,
 * under a 2 mm copper lid with h = 2e4 to 25 C.  As a part of the die layer
 * on a refined grid (largest cell 1.25 mm: 32 x 32 x 3 cells) it must match
 * the old filler trick (a 0 W block carrying die_material over the die's
 * outline) on a uniform 0.25 mm grid with 8 cells through the die (160 x
 * 160 x 9), within 0.5 K.  Measured: max 49.35 against 49.40 C, mean 45.90
 * against 45.49 C (largest cell 2.5 mm: 46.06; 0.625 mm: 45.63). */
static void die_on_package(cp_thermal_spec *t, bool part)
{
    const double L = 0.04, th[2] = {0.75e-3, 2e-3}, k[2] = {0.9, 400};
    slab_spec(t, L, 32, th, k, 2, 100, 2e4);
    t->block[0] = (cp_tblock){.name = "hot", .layer = 0, .x0_m = 0.015, .y0_m = 0.015,
                              .x1_m = 0.025, .y1_m = 0.025, .src = CP_SRC_FIXED,
                              .power_w = 100};
    if (part) {
        t->refine = true;
        t->layer[0].cells = 0;
        t->layer[0].nparts = 1;
        t->layer[0].part[0] = (cp_tpart){.name = "die", .x0_m = 0.01, .y0_m = 0.01,
                                         .x1_m = 0.03, .y1_m = 0.03, .mat = mat(130, 1.63e6)};
        return;
    }
    t->nx = t->ny = 160;
    t->layer[0].cells = 8;
    t->layer[0].has_dies = true;
    t->layer[0].die_mat = mat(130, 1.63e6);
    t->nblocks = 2;
    t->block[1] = (cp_tblock){.name = "die", .layer = 0, .x0_m = 0.01, .y0_m = 0.01,
                              .x1_m = 0.03, .y1_m = 0.03, .src = CP_SRC_FIXED};
}

static void test_part_matches_filler(void **state)
{
    (void)state;
    cp_thermal_spec t;
    cp_thermal_result part = {0}, filler = {0};
    die_on_package(&t, true);
    run_steady(&t, CP_SOLVER_PFMG, &part, NULL);
    die_on_package(&t, false);
    run_steady(&t, CP_SOLVER_PFMG, &filler, NULL);
    print_message("die as a part (%dx%dx%d): max %.3f mean %.3f C; filler trick (%dx%dx%d): "
                  "max %.3f mean %.3f C\n", part.grid_nx, part.grid_ny, part.grid_nz,
                  part.block[0].max_c, part.block[0].mean_c, filler.grid_nx, filler.grid_ny,
                  filler.grid_nz, filler.block[0].max_c, filler.block[0].mean_c);
    assert_near(part.block[0].max_c, filler.block[0].max_c, 0.5);
    assert_near(part.block[0].mean_c, filler.block[0].mean_c, 0.5);
    cp_thermal_result_free(&part);
    cp_thermal_result_free(&filler);
}

/* 1-D, cooled on both sides: a die (0.78 mm, k 130) heated on its bottom
 * face sits on a substrate (1 mm, k 20); h = 1e4 on top, 5e3 below, both
 * at 25 C, 1 cm2, 100 W.  Per unit area the paths are
 *   up   R_u = 0.78e-3/130 + 1/1e4 = 1.06e-4 m2K/W,
 *   down R_d = 1e-3/20 + 1/5e3     = 2.50e-4 m2K/W,
 * in parallel from the face: T = 25 + (P/A) R_u R_d / (R_u + R_d)
 * = 25 + 1e6 * 7.444e-5 = 99.44 C; the heat splits R_d : R_u, so
 * 100 * 2.5 / 3.56 = 70.22 W leaves through the top.  To 0.1 K with one
 * cell per layer (the face heat divides between the cells around it). */
static void test_heated_face_two_sided(void **state)
{
    (void)state;
    const double L = 0.01, th[2] = {1e-3, 0.78e-3}, k[2] = {20, 130};
    const double Ru = 0.78e-3 / 130 + 1 / 1e4, Rd = 1e-3 / 20 + 1 / 5e3;
    const double want = 25 + 100 / (L * L) * Ru * Rd / (Ru + Rd);
    assert_near(want, 99.44, 0.01);
    cp_solver_kind kinds[2] = {CP_SOLVER_PFMG, CP_SOLVER_CHOLMOD};
    for (int s = 0; s < 2; s++) {
        cp_thermal_spec t;
        cp_thermal_result r = {0};
        slab_spec(&t, L, 4, th, k, 2, 100, 1e4);
        t.block[0].layer = 1;
        t.bottom = (cp_boundary){5e3, 25};
        run_steady(&t, kinds[s], &r, NULL);
        assert_near(r.block[0].max_c, want, 0.1);
        assert_near(r.block[0].mean_c, want, 0.1);
        assert_near(r.heat_out_top_w, 100 * Rd / (Ru + Rd), 1e-3);
        assert_near(r.heat_out_top_w + r.heat_out_bottom_w, 100, 1e-6 * 100);
        /* heated at the bottom of the whole stack: part of the face heat
         * goes straight to the bottom ambient, and is counted there */
        t.block[0].layer = 0;
        run_steady(&t, kinds[s], &r, NULL);
        double ru = 1e-3 / 20 + 0.78e-3 / 130 + 1 / 1e4, rd = 1 / 5e3;
        assert_near(r.block[0].max_c, 25 + 1e6 * ru * rd / (ru + rd), 0.1);
        assert_near(r.heat_out_bottom_w, 100 * ru / (ru + rd), 1e-3);
        cp_thermal_result_free(&r);
    }
}

/* Patch heat source of flux q0 on the bottom face (z = 0) of a slab with
 * T = 0 on top (z = H) and adiabatic elsewhere: cosine-series solution,
 * averaged over the patch at depth z (Carslaw & Jaeger, ch. 16). */
static double patch_mean(double L, double H, double k, double q0, double a1, double a2,
                         double z)
{
    const int M = 300;
    double c[301], sum = 0, w = a2 - a1;
    for (int m = 0; m <= M; m++) /* integral of cos(m pi x / L) over the patch */
        c[m] = m == 0 ? w : L / (m * M_PI) * (sin(m * M_PI * a2 / L) - sin(m * M_PI * a1 / L));
    for (int m = 0; m <= M; m++)
        for (int n = 0; n <= M; n++) {
            double em = m ? 2 : 1, en = n ? 2 : 1;
            double qmn = q0 * em * en / (L * L) * c[m] * c[n];
            double lam = M_PI * sqrt((double)(m * m + n * n)) / L;
            double Z = lam == 0 ? (H - z) / k
                                : sinh(lam * (H - z)) / (k * lam * cosh(lam * H));
            sum += qmn * Z * c[m] * c[n] / (w * w);
        }
    return sum;
}

static double patch_error(int n, int cells)
{
    const double L = 0.02, H = 2e-3, k = 150, P = 20;
    const double a1 = 0.0075, a2 = 0.0125; /* a 5 x 5 mm patch in the centre */
    cp_thermal_spec t;
    double th[1] = {H}, kk[1] = {k};
    slab_spec(&t, L, n, th, kk, 1, 0, 0);
    t.layer[0].cells = cells;
    t.block[0] = (cp_tblock){.layer = 0, .x0_m = a1, .y0_m = a1, .x1_m = a2, .y1_m = a2,
                             .src = CP_SRC_FIXED, .power_w = P};
    t.top = (cp_boundary){1e12, 0};
    t.bottom = (cp_boundary){0, 0};
    cp_thermal_result r = {0};
    cp_thermal_grid *g;
    run_steady(&t, CP_SOLVER_PFMG, &r, &g);
    /* power is deposited in the lowest z-cell: its mean over the patch,
     * against the series at the cell-centre depth */
    const double *T = cp_thermal_temps(g);
    double sum = 0, dz = H / cells;
    int cnt = 0;
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) {
            double x = (i + 0.5) * L / n, y = (j + 0.5) * L / n;
            if (x > a1 && x < a2 && y > a1 && y < a2)
                sum += T[j * n + i], cnt++;
        }
    cp_thermal_grid_free(g);
    cp_thermal_result_free(&r);
    double got = sum / cnt;
    double want = patch_mean(L, H, k, P / ((a2 - a1) * (a2 - a1)), a1, a2, dz / 2);
    double err = fabs(got - want) / want;
    print_message("patch %dx%dx%d: grid %.4f C, series %.4f C, error %.3f %%\n", n, n,
                  cells, got, want, 100 * err);
    return err;
}

/* A square spot of side a and flux q0 centred on the bottom face (z = 0)
 * of an L x L x H slab (conductivity k), convection h to 0 C on top,
 * adiabatic elsewhere.  Cosine series: with lambda_mn = pi sqrt(m^2 + n^2)/L
 * and the flux's coefficients q_mn, each mode obeys T'' = lambda^2 T with
 * -k T'(0) = q_mn and -k T'(H) = h T(H), so on the heated face
 *   T_mn(0) = q_mn (1 + r tanh(lambda H)) / (k lambda (tanh(lambda H) + r)),
 *   r = h / (k lambda);  the m = n = 0 mode is q_00 (H / k + 1 / h).
 * Returns the face temperature at the spot's centre (peak), its mean over
 * the spot, and the temperature at the middle of the spot's edge x = a2. */
static void spot_series_stack(double L, int nl, const double *H, const double *k, double h,
                              double q0, double a, double *peak, double *mean, double *edge);
static void spot_series(double L, double H, double k, double h, double q0, double a,
                        double *peak, double *mean, double *edge)
{
    spot_series_stack(L, 1, &H, &k, h, q0, a, peak, mean, edge);
}

/* The same on a stack of nl layers (bottom first, the spot under layer 0):
 * each mode's impedance Z = T / q is carried down from the top (1 / h)
 * through every layer by
 *   Z <- (Z + tanh(lambda t) / (k lambda)) / (1 + k lambda Z tanh(lambda t))
 * (Z <- Z + t / k for the mean mode), the thermal-quadrupole form of the
 * single-slab expression above (Maillet et al., Thermal Quadrupoles, 2000). */
static void spot_series_stack(double L, int nl, const double *H, const double *k, double h,
                              double q0, double a, double *peak, double *mean, double *edge)
{
    enum { M = 1200 };
    static double c[M + 1], cc[M + 1], ce[M + 1];
    const double a1 = (L - a) / 2, a2 = (L + a) / 2;
    for (int m = 0; m <= M; m++) { /* integral of cos(m pi x / L) over the spot, and
                                    * cos(m pi / 2) at the centre */
        c[m] = m == 0 ? a : L / (m * M_PI) * (sin(m * M_PI * a2 / L) - sin(m * M_PI * a1 / L));
        cc[m] = m % 2 ? 0 : (m % 4 ? -1 : 1);
        ce[m] = cos(m * M_PI * a2 / L);
    }
    double pk = 0, mn = 0, ed = 0;
    for (int m = 0; m <= M; m++)
        for (int n = 0; n <= M; n++) {
            if (c[m] == 0 || c[n] == 0)
                continue;
            double em = m ? 2 : 1, en = n ? 2 : 1;
            double qmn = q0 * em * en / (L * L) * c[m] * c[n];
            double lam = M_PI * sqrt((double)(m * m + n * n)) / L, Z = 1 / h;
            for (int l = nl - 1; l >= 0; l--) {
                if (lam == 0) {
                    Z += H[l] / k[l];
                } else {
                    double th = tanh(lam * H[l]), kl = k[l] * lam;
                    Z = (Z + th / kl) / (1 + kl * Z * th);
                }
            }
            pk += qmn * Z * cc[m] * cc[n];
            mn += qmn * Z * c[m] * c[n] / (a * a);
            ed += qmn * Z * ce[m] * cc[n];
        }
    *peak = pk;
    *mean = mn;
    *edge = ed;
}

/* The issue-12 hot spot: 0.5 mm square at 1 kW/cm2 (2.5 W) on a 10 x 10 mm
 * silicon die 0.75 mm thick (k 130) under a cold plate (h 2e4 to 25 C).
 * The refined grid (largest cell 10/16 mm, lines at the spot's edges,
 * graded through the die from its heated face) must give the spot's peak
 * and mean within 1 K of the series. */
static void test_hot_spot_refined(void **state)
{
    (void)state;
    const double L = 0.01, H = 0.75e-3, k = 130, h = 2e4, a = 0.5e-3, q0 = 1e7;
    double peak, mean, edge;
    spot_series(L, H, k, h, q0, a, &peak, &mean, &edge);
    cp_thermal_spec t;
    double th[1] = {H}, kk[1] = {k};
    slab_spec(&t, L, 16, th, kk, 1, 0, h);
    t.refine = true;
    t.layer[0].cells = 0; /* automatic: graded from the heated face */
    t.block[0] = (cp_tblock){.layer = 0, .x0_m = (L - a) / 2, .y0_m = (L - a) / 2,
                             .x1_m = (L + a) / 2, .y1_m = (L + a) / 2,
                             .src = CP_SRC_FIXED, .power_w = q0 * a * a};
    cp_thermal_result r = {0};
    cp_thermal_grid *g;
    run_steady(&t, CP_SOLVER_PFMG, &r, &g);
    print_message("hot spot: series peak %.2f mean %.2f C; refined grid %dx%dx%d "
                  "(smallest cell %.3f mm): max %.2f mean %.2f C\n", 25 + peak, 25 + mean,
                  r.grid_nx, r.grid_ny, r.grid_nz, r.min_cell_m * 1e3, r.block[0].max_c,
                  r.block[0].mean_c);
    cp_thermal_grid_free(g);
    assert_near(r.block[0].max_c, 25 + peak, 1.0);
    assert_near(r.block[0].mean_c, 25 + mean, 1.0);
    assert_near(r.max_c, 25 + peak, 1.0);
    assert_true(r.grid_nx * r.grid_ny * r.grid_nz < 100000); /* cheap, not brute force */
    cp_thermal_result_free(&r);
}

/* The same spot with an unpowered block beside it, sharing the spot's edge
 * x = a2: the block's hottest point is the middle of that edge, where the
 * series gives the face temperature (16.72 K above the coolant against
 * the spot's 23.61 K peak).  Its reported max must be that, not the centre
 * of its first cell, half a cell away (2.8 K lower before the max took the
 * block's outline). */
static void test_block_max_on_edge(void **state)
{
    (void)state;
    const double L = 0.01, H = 0.75e-3, k = 130, h = 2e4, a = 0.5e-3, q0 = 1e7;
    const double a1 = (L - a) / 2, a2 = (L + a) / 2;
    double peak, mean, edge;
    spot_series(L, H, k, h, q0, a, &peak, &mean, &edge);
    cp_thermal_spec t;
    double th[1] = {H}, kk[1] = {k};
    slab_spec(&t, L, 16, th, kk, 1, 0, h);
    t.refine = true;
    t.layer[0].cells = 0;
    t.nblocks = 2;
    t.block[0] = (cp_tblock){.layer = 0, .x0_m = a1, .y0_m = a1, .x1_m = a2, .y1_m = a2,
                             .src = CP_SRC_FIXED, .power_w = q0 * a * a};
    t.block[1] = (cp_tblock){.layer = 0, .x0_m = a2, .y0_m = a1, .x1_m = a2 + 2 * a,
                             .y1_m = a2, .src = CP_SRC_FIXED, .power_w = 0};
    cp_thermal_result r = {0};
    run_steady(&t, CP_SOLVER_PFMG, &r, NULL);
    print_message("neighbour of the spot: series at the shared edge %.2f C, block max %.2f C\n",
                  25 + edge, r.block[1].max_c);
    assert_near(edge, 16.72, 0.01);
    assert_near(r.block[1].max_c, 25 + edge, 0.2);
    assert_near(r.block[0].max_c, 25 + peak, 1.0); /* the spot still peaks in its centre */
    cp_thermal_result_free(&r);
}

/* A 2 mm square block of 40 W (1 kW/cm2) on a 0.15 mm silicon die over a
 * 6 mm copper plate (10 x 10 mm, h 2e4 to 25 C): heat spreads sideways in
 * the plate, which one cell through its thickness conducts only at its
 * mid-plane.  The grid cuts the plate into cells no taller than the
 * largest cell is wide (10 / 32 mm: 20 cells) and gives the series' peak
 * 82.78 C and mean 77.34 C (52 K above the coolant) to 0.39 and 1.15 K;
 * with one cell through the plate it gave 124.3 and 110.3 C.  (The mean
 * converges at first order: 79.41 / 78.49 / 77.82 C at nx 16 / 32 / 64,
 * the face temperature's one-dimensional step at the block's edges.) */
static void test_thick_spreader(void **state)
{
    (void)state;
    const double L = 0.01, a = 2e-3, q0 = 1e7, h = 2e4;
    double H[2] = {0.15e-3, 6e-3}, k[2] = {130, 400};
    double peak, mean, edge;
    spot_series_stack(L, 2, H, k, h, q0, a, &peak, &mean, &edge);
    cp_thermal_spec t;
    slab_spec(&t, L, 32, H, k, 2, 0, h);
    t.refine = true;
    t.layer[0].cells = t.layer[1].cells = 0; /* automatic */
    t.block[0] = (cp_tblock){.layer = 0, .x0_m = (L - a) / 2, .y0_m = (L - a) / 2,
                             .x1_m = (L + a) / 2, .y1_m = (L + a) / 2,
                             .src = CP_SRC_FIXED, .power_w = q0 * a * a};
    cp_thermal_result r = {0};
    run_steady(&t, CP_SOLVER_PFMG, &r, NULL);
    print_message("spot on a thick spreader: series peak %.2f mean %.2f C; grid %dx%dx%d: "
                  "max %.2f mean %.2f C\n", 25 + peak, 25 + mean, r.grid_nx, r.grid_ny,
                  r.grid_nz, r.block[0].max_c, r.block[0].mean_c);
    assert_near(peak, 57.78, 0.01);
    assert_near(r.block[0].max_c, 25 + peak, 0.5);
    assert_near(r.block[0].mean_c, 25 + mean, 1.5);
    cp_thermal_result_free(&r);
}

static void test_patch_source_converges(void **state)
{
    (void)state;
    double e1 = patch_error(16, 4), e2 = patch_error(32, 8), e3 = patch_error(64, 16);
    assert_true(e2 < 0.7 * e1);
    assert_true(e3 < 0.7 * e2);
    assert_true(e3 < 0.02);
}

/* A thin copper plate (10 x 10 x 1 mm, k = 400, rho c = 3.45e6) dissipating
 * P into h = 1000 W/m2K: a lumped RC with R = (th / 2k + 1/h) / A, C = rho c A th. */
static void rc_plate(cp_thermal_spec *t, double P, double *R, double *tau)
{
    const double L = 0.01, th[1] = {1e-3}, k[1] = {400}, h = 1000, A = L * L;
    slab_spec(t, L, 4, th, k, 1, P, h);
    t->layer[0].mat.c_j_per_m3k = 3.45e6;
    *R = (th[0] / (2 * k[0]) + 1 / h) / A;
    *tau = *R * 3.45e6 * A * th[0];
    t->solver = CP_SOLVER_CHOLMOD;
}

/* Single thin copper layer: lumped RC, T = Ta + P R (1 - exp(-t / RC)). */
static void test_rc_step(void **state)
{
    (void)state;
    const double P = 1;
    cp_thermal_spec t;
    double R, tau;
    rc_plate(&t, P, &R, &tau);
    cp_thermal_grid *g;
    cp_error err;
    assert_int_equal(cp_thermal_grid_create(&t, &g, &err), 0);
    cp_thermal_set_uniform(g, 25);
    double dt = tau / 100, worst = 0;
    for (int s = 1; s <= 500; s++) {
        assert_int_equal(cp_thermal_step(g, &t, dt, &err), 0);
        double want = P * R * (1 - exp(-s * dt / tau));
        double got = cp_thermal_temps(g)[0] - 25;
        worst = fmax(worst, fabs(got - want) / (P * R));
    }
    print_message("RC step: tau %.3f s, worst error %.2e of the final rise\n", tau, worst);
    assert_true(worst < 0.01);
    /* long-time limit = steady state */
    for (int s = 0; s < 200; s++)
        assert_int_equal(cp_thermal_step(g, &t, tau / 2, &err), 0);
    double transient_end = cp_thermal_temps(g)[0];
    cp_thermal_grid_free(g);
    cp_thermal_result r = {0};
    run_steady(&t, CP_SOLVER_PFMG, &r, &g);
    assert_near(transient_end, cp_thermal_temps(g)[0], 1e-6 * transient_end);
    cp_thermal_grid_free(g);
    /* the heated face (bottom, adiabatic) is th / (2 k A) above the centre */
    assert_near(r.block[0].mean_c - 25, P * (R + 1e-3 / (2 * 400 * 1e-4)), 1e-6 * P * R);
    cp_thermal_result_free(&r);
}

/* A power trace drives a transient: the RC block above dissipates P0 from
 * t = 0 and, from the trace row at t1 = tau, P1 = 3 P0.  By hand:
 *   t <= t1:  T - Ta = P0 R (1 - exp(-t / tau))
 *   t >  t1:  T - Ta = P1 R + (P0 R (1 - exp(-t1 / tau)) - P1 R) exp(-(t - t1) / tau)
 * The spec is input only: the run leaves it as it was (the powers a run
 * works with are the grid's). */
typedef struct rc_trace {
    double R, tau, t1, p0, p1, worst;
    const cp_thermal_spec *t;
} rc_trace;

static int rc_sample(double time_s, const cp_thermal_grid *g, const cp_thermal_spec *t,
                     void *ctx)
{
    rc_trace *x = ctx;
    (void)t;
    double at_t1 = x->p0 * x->R * (1 - exp(-x->t1 / x->tau));
    double want = time_s <= x->t1 + 1e-12
                      ? x->p0 * x->R * (1 - exp(-time_s / x->tau))
                      : x->p1 * x->R + (at_t1 - x->p1 * x->R) * exp(-(time_s - x->t1) / x->tau);
    double got = cp_thermal_temps(g)[0] - 25;
    x->worst = fmax(x->worst, fabs(got - want) / (x->p1 * x->R));
    return 0;
}

static void test_traced_transient(void **state)
{
    (void)state;
    const double P = 1;
    cp_thermal_spec t;
    double R, tau;
    rc_plate(&t, P, &R, &tau);
    t.dt_s = tau / 100;
    t.t_end_s = 4 * tau;
    cp_trace_event ev[1] = {{tau, 0, 3 * P}};
    cp_trace tr = {1, ev};
    cp_thermal_spec before = t;
    cp_thermal_grid *g;
    cp_error err;
    assert_int_equal(cp_thermal_grid_create(&t, &g, &err), 0);
    cp_thermal_set_uniform(g, 25);
    rc_trace x = {R, tau, tau, P, 3 * P, 0, &t};
    assert_int_equal(cp_thermal_transient(g, &t, &tr, 1, rc_sample, &x, &err), 0);
    print_message("traced RC transient: worst error %.2e of the final rise\n", x.worst);
    assert_true(x.worst < 0.01);
    assert_near(cp_thermal_powers(g)[0], 3 * P, 0); /* the trace's power, in the grid */
    assert_memory_equal(&before, &t, sizeof t);     /* the spec as given */
    cp_thermal_grid_free(g);
}

/* A leaky ASIC on a 1-D stack: T = Ta + R P0 [(1-f) + f 2^((T-Tr)/Td)]. */
typedef struct { double ta, R, p0, f, tr, td; } leak_t;

static double leak_eq(double T, void *p)
{
    const leak_t *x = p;
    return x->ta + x->R * x->p0 * ((1 - x->f) + x->f * exp2((T - x->tr) / x->td)) - T;
}

static void setup_leaky(cp_thermal_spec *t, cp_design *d, cp_result *r, double h)
{
    const double L = 0.02, th[2] = {0.8e-3, 2e-3}, k[2] = {130, 400};
    slab_spec(t, L, 8, th, k, 2, 0, h);
    t->block[0].src = CP_SRC_ASIC;
    t->coupled = true;
    t->coupling = (cp_coupling){.leakage_fraction = 0.3, .leakage_ref_c = 85,
                                .leakage_doubling_k = 20, .max_iterations = 200,
                                .tolerance_k = 1e-6};
    memset(d, 0, sizeof *d);
    memset(r, 0, sizeof *r);
    d->has_asic = true;
    r->asic_w = 300;
}

static void test_leakage_fixed_point(void **state)
{
    (void)state;
    cp_thermal_spec t;
    cp_design d;
    cp_result r;
    setup_leaky(&t, &d, &r, 2e4);
    const double A = 0.02 * 0.02;
    /* the junction (the die's heated bottom face, adiabatic below) */
    leak_t x = {25, (0.8e-3 / 130 + 2e-3 / 400 + 1 / 2e4) / A, 300, 0.3, 85, 20};
    gsl_function F = {leak_eq, &x};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    gsl_root_fsolver_set(s, &F, 25, 120); /* the stable (lower) root */
    double root = 0;
    for (int i = 0; i < 100; i++) {
        gsl_root_fsolver_iterate(s);
        root = gsl_root_fsolver_root(s);
        if (gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s),
                                   1e-9, 0) == GSL_SUCCESS)
            break;
    }
    gsl_root_fsolver_free(s);
    cp_thermal_grid *g;
    cp_error err;
    cp_thermal_result res = {0};
    cp_thermal_spec before = t;
    assert_int_equal(cp_thermal_grid_create(&t, &g, &err), 0);
    assert_int_equal(cp_thermal_steady(g, &t, &d, &r, &res, &err), 0);
    /* the coupled powers are the grid's; the spec is as it was given */
    assert_memory_equal(&before, &t, sizeof t);
    assert_near(cp_thermal_powers(g)[0], res.asic_w, 1e-9 * res.asic_w);
    cp_thermal_grid_free(g);
    print_message("leakage fixed point: grid %.4f C in %d iterations, root %.4f C\n",
                  res.block[0].mean_c, res.iterations, root);
    assert_true(res.converged);
    assert_false(res.runaway);
    assert_near(res.block[0].mean_c, root, 0.005 * (root - 25));
    assert_near(res.asic_w, 300 * ((1 - 0.3) + 0.3 * exp2((root - 85) / 20)), 0.5);
    /* a weak heat sink has no fixed point: runaway is reported, not looped */
    cp_thermal_result_free(&res);
    setup_leaky(&t, &d, &r, 3000);
    assert_int_equal(cp_thermal_grid_create(&t, &g, &err), 0);
    assert_int_equal(cp_thermal_steady(g, &t, &d, &r, &res, &err), 0);
    cp_thermal_grid_free(g);
    assert_true(res.runaway);
    assert_false(res.converged);
    cp_thermal_result_free(&res);
}

/* The library never starts MPI: a PFMG-PCG solve without it is an error
 * that says what to do, and MPI is still down afterwards (the old solver
 * called MPI_Init and atexit itself).  CHOLMOD needs no MPI: the 1-D stack of
 * test_series_stack, one 1 mm layer of k = 100 under 10 W on 1 cm2, h = 1e4,
 * heated face: T = 25 + 10 (1e-3/100 + 1/1e4) / 1e-4 = 25 + 10 * 1.1 = 36 C. */
static void test_pfmg_needs_mpi(void **state)
{
    (void)state;
    cp_thermal_spec t;
    const double th[1] = {1e-3}, k[1] = {100};
    slab_spec(&t, 1e-2, 8, th, k, 1, 10, 1e4);
    t.solver = CP_SOLVER_PFMG;
    cp_thermal_grid *g;
    cp_thermal_result r = {0};
    cp_error err = {0};
    assert_false(cp_mpi_ready());
    assert_int_equal(cp_thermal_grid_create(&t, &g, &err), 0);
    assert_int_equal(cp_thermal_solver_kind(g, &t, false), CP_SOLVER_PFMG);
    assert_int_equal(cp_thermal_steady(g, &t, NULL, NULL, &r, &err), -1);
    assert_non_null(strstr(err.msg, "needs MPI"));
    assert_non_null(strstr(err.msg, "cp_init"));
    cp_thermal_grid_free(g);
    assert_false(cp_mpi_ready());

    t.solver = CP_SOLVER_CHOLMOD;
    assert_int_equal(cp_thermal_grid_create(&t, &g, &err), 0);
    assert_int_equal(cp_thermal_steady(g, &t, NULL, NULL, &r, &err), 0);
    cp_thermal_grid_free(g);
    assert_near(r.max_c, 36.0, 0.1);
    assert_false(cp_mpi_ready());

    /* auto: a grid this small is factorised without MPI's start-up */
    cp_thermal_result_free(&r);
    t.solver = CP_SOLVER_AUTO;
    assert_int_equal(cp_thermal_grid_create(&t, &g, &err), 0);
    assert_int_equal(cp_thermal_solver_kind(g, &t, false), CP_SOLVER_CHOLMOD);
    assert_int_equal(cp_thermal_steady(g, &t, NULL, NULL, &r, &err), 0);
    cp_thermal_grid_free(g);
    assert_near(r.max_c, 36.0, 0.1);
    assert_false(cp_mpi_ready());
    cp_thermal_result_free(&r);
}

/* A block whose temperature is not a number never passes its limit: the
 * old check `!(margin < 0)` let NaN through as "pass" (issue 12). */
static void test_nan_never_passes(void **state)
{
    (void)state;
    cp_thermal_spec t;
    const double th[1] = {1e-3}, k[1] = {100};
    slab_spec(&t, 1e-2, 4, th, k, 1, 10, 1e4);
    t.block[0].limit_c = 105;
    cp_thermal_grid *g;
    cp_error err = {0};
    assert_int_equal(cp_thermal_grid_create(&t, &g, &err), 0);
    cp_thermal_set_uniform(g, NAN);
    cp_thermal_result r = {0};
    cp_thermal_block_stats(g, &t, &r);
    assert_false(r.block[0].pass);
    assert_false(r.worst_margin_k >= 0);
    t.block[0].limit_c = 0; /* no limit: nothing to pass, but not a pass either */
    cp_thermal_block_stats(g, &t, &r);
    assert_false(r.block[0].pass);
    cp_thermal_grid_free(g);
    cp_thermal_result_free(&r);
}

/* Regression guard, not validation: on the refined grid the cold-plate
 * preset's block temperatures barely depend on the largest cell (measured:
 * core max 66.34 C at nx = 16, 66.32 C at nx = 64; before the refinement a
 * 16 x 16 grid could not even see the 2 mm SerDes blocks). */
static double preset_core_max(const cp_catalog *cat, int n)
{
    char nx[40], ny[40];
    snprintf(nx, sizeof nx, "thermal.grid.nx=%d", n);
    snprintf(ny, sizeof ny, "thermal.grid.ny=%d", n);
    const char *sets[2] = {nx, ny};
    cp_design d;
    cp_result r;
    eval_preset(cat, "thermal-bailly-51t-coldplate", sets, 2, &d, &r);
    char path[1024];
    snprintf(path, sizeof path, "%s/../scenarios/thermal-bailly-51t-coldplate.yaml",
             data_dir());
    cp_thermal_spec *t = malloc(sizeof *t);
    cp_error err = {0};
    assert_int_equal(cp_thermal_load(path, cat, sets, 2, t, &err), 0);
    cp_thermal_grid *g;
    cp_thermal_result res = {0};
    assert_int_equal(cp_thermal_grid_create(t, &g, &err), 0);
    assert_int_equal(cp_thermal_steady(g, t, &d, &r, &res, &err), 0);
    assert_true(res.converged);
    cp_thermal_grid_free(g);
    cp_thermal_spec_free(t);
    free(t);
    double max_c = res.block[0].max_c;
    cp_thermal_result_free(&res);
    return max_c;
}

/* The preset's grid (largest cell package / 64, lid and sink base cut into
 * cells no taller than that) against one twice as fine in x, y and the
 * unpowered layers' z.  Measured: 67.98 / 67.41 / 67.27 C at nx 32 / 64 /
 * 128, differences 0.57 then 0.14 K (second order: the limit is ~67.22 C). */
static void test_preset_refinement(void **state)
{
    (void)state;
    cp_catalog *cat = load_catalog();
    double coarse = preset_core_max(cat, 64), fine = preset_core_max(cat, 128);
    print_message("cold-plate preset, core max: nx 64 %.3f C, nx 128 %.3f C\n", coarse, fine);
    assert_near(coarse, fine, 0.2);
    cp_catalog_free(cat);
}

int main(void)
{
    const struct CMUnitTest no_mpi[] = {
        cmocka_unit_test(test_pfmg_needs_mpi),
        cmocka_unit_test(test_nan_never_passes),
    };
    int failed = cmocka_run_group_tests_name("thermal without MPI", no_mpi, NULL, NULL);
    cp_error err = {0};
    if (cp_init(NULL, NULL, CP_INIT_MPI, &err)) {
        fprintf(stderr, "cp_init: %s\n", err.msg);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_series_stack),
        cmocka_unit_test(test_heated_face_two_sided),
        cmocka_unit_test(test_overlapping_blocks_add),
        cmocka_unit_test(test_coolant_rise),
        cmocka_unit_test(test_layer_parts),
        cmocka_unit_test(test_part_matches_filler),
        cmocka_unit_test(test_preset_refinement),
        cmocka_unit_test(test_patch_source_converges),
        cmocka_unit_test(test_block_max_on_edge),
        cmocka_unit_test(test_thick_spreader),
        cmocka_unit_test(test_hot_spot_refined),
        cmocka_unit_test(test_rc_step),
        cmocka_unit_test(test_traced_transient),
        cmocka_unit_test(test_leakage_fixed_point),
    };
    failed += cmocka_run_group_tests_name("thermal", tests, NULL, NULL);
    cp_finalize();
    return failed;
}
