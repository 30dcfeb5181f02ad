/*
 * hotspot_case.c — the HotSpot comparison of bench/hotspot.sh.
 *
 *   hotspot_case write SCENARIO DIR   HotSpot's input files for the scenario's
 *                                     package (DIR/case.flp, case.ptrace,
 *                                     case.lcf, case.args) and the reference
 *                                     (DIR/reference.txt)
 *   hotspot_case grid SCENARIO DIR STEADY N
 *                                     block mean and max of a HotSpot grid
 *                                     steady file (N x N cells, layer 0)
 *   hotspot_case error SCENARIO DIR TABLE
 *                                     the worst block mean and max error (K)
 *                                     of a "name mean max" table (- : stdin)
 *                                     against DIR/reference.txt
 *
 * The case is one HotSpot can express exactly: every layer as large as the
 * package and of one isotropic material, blocks heating layer 0, adiabatic
 * bottom and sides, and the top held by one convection resistance; HotSpot
 * always appends a spreader and a sink, so the scenario's last two layers
 * are those, as large as the die (HotSpot's overhangs are given 1 um, which
 * carry no heat to speak of).
 *
 * The reference is the exact steady solution of that stack with the block
 * powers as fluxes on the bottom face of layer 0 (the junction plane): a
 * double cosine series (adiabatic sides) whose every mode
 * lambda = pi sqrt(m^2 + n^2) / L decays through the layers by the
 * impedance Z = T / q carried from the top (Z = 1 / h) down each layer of
 * conductivity k and thickness t:
 *     Z <- (Z + tanh(lambda t) / (k lambda)) / (1 + k lambda Z tanh(lambda t)),
 * and Z <- Z + t / k for the mean (Carslaw & Jaeger 1959, ch. 16; Maillet
 * et al., Thermal Quadrupoles, 2000).  Block means integrate each mode over
 * the block exactly; block maxima take the largest of 121 x 121 points over
 * each block.  Modes to 1024 x 1024: the last doubling moves no block value
 * by more than 1 mK (printed).
 */
#include "bench.h"
#include "cposim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MODES 1024
#define SAMPLES 121
#define OVERHANG_M 1e-6

static cp_thermal_spec g_t;

static int load(const char *scen)
{
    const char *data = getenv("CPOSIM_DATA") ? getenv("CPOSIM_DATA") : "data";
    cp_catalog *cat;
    cp_error err;
    char buf[1024];
    if (cp_catalog_load(data, &cat, &err) ||
        cp_thermal_load(scen, cat, NULL, 0, &g_t, &err)) {
        fprintf(stderr, "%s\n", cp_error_format(&err, buf, sizeof buf));
        return -1;
    }
    const cp_thermal_spec *t = &g_t;
    const char *why = NULL;
    if (t->size_x_m != t->size_y_m)
        why = "the package is not square";
    else if (t->nlayers < 3)
        why = "fewer than three layers (HotSpot adds a spreader and a sink)";
    else if (t->bottom.h_w_per_m2k != 0 || t->top.h_w_per_m2k <= 0)
        why = "the bottom is not adiabatic or the top is not cooled";
    else if (t->coupled || t->coolant.flow_m3_per_s > 0 || t->sink.on)
        why = "coupling, a coolant or a heat sink";
    for (size_t l = 0; !why && l < t->nlayers; l++) {
        const cp_tlayer *L = &t->layer[l];
        if (L->nparts || L->has_dies || L->channels.on ||
            L->mat.k_xy_w_per_mk != L->mat.k_z_w_per_mk)
            why = "a layer with parts, dies, channels or anisotropy";
    }
    for (size_t b = 0; !why && b < t->nblocks; b++)
        if (t->block[b].layer != 0 || t->block[b].src != CP_SRC_FIXED)
            why = "a block not on layer 0 or without a fixed power";
    if (why) {
        fprintf(stderr, "%s: not a HotSpot case: %s\n", scen, why);
        return -1;
    }
    return 0;
}

/* integral of cos(m pi x / L) over [a, b] */
static double cos_int(int m, double L, double a, double b)
{
    if (m == 0)
        return b - a;
    double w = m * M_PI / L;
    return (sin(w * b) - sin(w * a)) / w;
}

/* T - ambient on the junction face for each mode: q_mn Z_mn, modes < M. */
static void mode_amplitudes(int M, double *A)
{
    const cp_thermal_spec *t = &g_t;
    double L = t->size_x_m;
    double *ix = malloc(sizeof *ix * M * t->nblocks), *iy = malloc(sizeof *iy * M * t->nblocks);
    for (size_t b = 0; b < t->nblocks; b++)
        for (int m = 0; m < M; m++) {
            ix[b * M + m] = cos_int(m, L, t->block[b].x0_m, t->block[b].x1_m);
            iy[b * M + m] = cos_int(m, L, t->block[b].y0_m, t->block[b].y1_m);
        }
    for (int m = 0; m < M; m++)
        for (int n = 0; n < M; n++) {
            double q = 0;
            for (size_t b = 0; b < t->nblocks; b++) {
                const cp_tblock *B = &t->block[b];
                double flux = B->power_w / ((B->x1_m - B->x0_m) * (B->y1_m - B->y0_m));
                q += flux * ix[b * M + m] * iy[b * M + n];
            }
            q *= (m ? 2.0 : 1.0) * (n ? 2.0 : 1.0) / (L * L);
            double lam = M_PI * sqrt((double)m * m + (double)n * n) / L;
            double Z = 1 / t->top.h_w_per_m2k;
            for (size_t l = t->nlayers; l-- > 0;) {
                double k = t->layer[l].mat.k_z_w_per_mk, th = t->layer[l].thickness_m;
                if (lam == 0) {
                    Z += th / k;
                } else {
                    double tl = tanh(lam * th), kl = k * lam;
                    Z = (Z + tl / kl) / (1 + kl * Z * tl);
                }
            }
            A[m * M + n] = q * Z;
        }
    free(ix);
    free(iy);
}

/* Block means and maxima (C) from the first M x M modes. */
static void reference(int M, double *mean, double *max)
{
    const cp_thermal_spec *t = &g_t;
    double L = t->size_x_m, amb = t->top.ambient_c;
    double *A = malloc(sizeof *A * M * M);
    mode_amplitudes(M, A);
    double *cx = malloc(sizeof *cx * M * SAMPLES), *cy = malloc(sizeof *cy * M * SAMPLES);
    double *B = malloc(sizeof *B * M * SAMPLES);
    for (size_t b = 0; b < t->nblocks; b++) {
        const cp_tblock *K = &t->block[b];
        double s = 0;
        for (int m = 0; m < M; m++)
            for (int n = 0; n < M; n++)
                s += A[m * M + n] * cos_int(m, L, K->x0_m, K->x1_m) *
                     cos_int(n, L, K->y0_m, K->y1_m);
        mean[b] = amb + s / ((K->x1_m - K->x0_m) * (K->y1_m - K->y0_m));
        for (int m = 0; m < M; m++)
            for (int i = 0; i < SAMPLES; i++) {
                double x = K->x0_m + (K->x1_m - K->x0_m) * i / (SAMPLES - 1);
                double y = K->y0_m + (K->y1_m - K->y0_m) * i / (SAMPLES - 1);
                cx[m * SAMPLES + i] = cos(m * M_PI * x / L);
                cy[m * SAMPLES + i] = cos(m * M_PI * y / L);
            }
        for (int m = 0; m < M; m++) /* B[m][j] = sum_n A[m][n] cy[n][j] */
            for (int j = 0; j < SAMPLES; j++) {
                double v = 0;
                for (int n = 0; n < M; n++)
                    v += A[m * M + n] * cy[n * SAMPLES + j];
                B[m * SAMPLES + j] = v;
            }
        max[b] = -INFINITY;
        for (int i = 0; i < SAMPLES; i++)
            for (int j = 0; j < SAMPLES; j++) {
                double v = 0;
                for (int m = 0; m < M; m++)
                    v += cx[m * SAMPLES + i] * B[m * SAMPLES + j];
                if (amb + v > max[b])
                    max[b] = amb + v;
            }
    }
    free(A);
    free(cx);
    free(cy);
    free(B);
}

static FILE *open_in(const char *dir, const char *name, const char *mode)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, mode);
    if (!f)
        perror(path);
    return f;
}

static int write_case(const char *dir)
{
    const cp_thermal_spec *t = &g_t;
    size_t nl = t->nlayers;
    FILE *flp = open_in(dir, "case.flp", "w"), *pt = open_in(dir, "case.ptrace", "w");
    FILE *lcf = open_in(dir, "case.lcf", "w"), *args = open_in(dir, "case.args", "w");
    FILE *ref = open_in(dir, "reference.txt", "w");
    if (!flp || !pt || !lcf || !args || !ref)
        return -1;
    for (size_t b = 0; b < t->nblocks; b++) {
        const cp_tblock *B = &t->block[b];
        fprintf(flp, "%s\t%.9g\t%.9g\t%.9g\t%.9g\n", B->name, B->x1_m - B->x0_m,
                B->y1_m - B->y0_m, B->x0_m, B->y0_m);
        fprintf(pt, "%s%s", b ? "\t" : "", B->name);
    }
    fputc('\n', pt);
    for (size_t b = 0; b < t->nblocks; b++)
        fprintf(pt, "%s%.9g", b ? "\t" : "", t->block[b].power_w);
    fputc('\n', pt);
    /* LCF: every layer but the last two (HotSpot's spreader and sink);
     * resistivity in m K / W, heat capacity in J / m^3 K */
    for (size_t l = 0; l + 2 < nl; l++)
        fprintf(lcf, "%zu\nY\n%s\n%.9g\n%.9g\n%.9g\ncase.flp\n\n", l, l == 0 ? "Y" : "N",
                t->layer[l].mat.c_j_per_m3k, 1 / t->layer[l].mat.k_z_w_per_mk,
                t->layer[l].thickness_m);
    const cp_tlayer *sp = &t->layer[nl - 2], *sk = &t->layer[nl - 1];
    double L = t->size_x_m;
    fprintf(args,
            "-s_spreader %.12g -t_spreader %.9g -k_spreader %.9g -p_spreader %.9g "
            "-s_sink %.12g -t_sink %.9g -k_sink %.9g -p_sink %.9g "
            "-r_convec %.12g -ambient %.9g -init_temp %.9g -model_secondary 0\n",
            L + 2 * OVERHANG_M, sp->thickness_m, sp->mat.k_z_w_per_mk, sp->mat.c_j_per_m3k,
            L + 4 * OVERHANG_M, sk->thickness_m, sk->mat.k_z_w_per_mk, sk->mat.c_j_per_m3k,
            1 / (t->top.h_w_per_m2k * L * L), t->top.ambient_c + 273.15,
            t->top.ambient_c + 273.15);
    size_t nb = t->nblocks;
    double *mean = malloc(sizeof *mean * nb * 4), *max = mean + nb;
    double *mean2 = max + nb, *max2 = mean2 + nb;
    double t0 = now_s();
    reference(MODES / 2, mean2, max2);
    reference(MODES, mean, max);
    double d = 0;
    for (size_t b = 0; b < nb; b++)
        d = fmax(d, fmax(fabs(mean[b] - mean2[b]), fabs(max[b] - max2[b])));
    fprintf(ref, "# block mean_c max_c on the junction face; %d x %d modes, "
                 "%.2g K from %d x %d\n", MODES, MODES, d, MODES / 2, MODES / 2);
    for (size_t b = 0; b < nb; b++)
        fprintf(ref, "%s %.6f %.6f\n", t->block[b].name, mean[b], max[b]);
    fprintf(stderr, "reference: %d x %d modes in %.1f s, %.2g K from %d x %d\n", MODES,
            MODES, now_s() - t0, d, MODES / 2, MODES / 2);
    free(mean);
    fclose(flp);
    fclose(pt);
    fclose(lcf);
    fclose(args);
    return fclose(ref) ? -1 : 0;
}

/* HotSpot's grid steady file: "index temperature_K" lines, layer 0 first,
 * row 0 at the top of the floorplan (largest y). */
static int grid_table(const char *path, int N)
{
    const cp_thermal_spec *t = &g_t;
    FILE *f = fopen(path, "r");
    if (!f)
        return perror(path), -1;
    double *T = malloc(sizeof *T * N * N);
    char line[256];
    int got = 0;
    while (got < N * N && fgets(line, sizeof line, f)) {
        int idx;
        double v;
        if (sscanf(line, "%d %lf", &idx, &v) == 2 && idx == got)
            T[got++] = v - 273.15;
    }
    fclose(f);
    if (got < N * N) {
        fprintf(stderr, "%s: %d of %d cells of layer 0\n", path, got, N * N);
        return -1;
    }
    double L = t->size_x_m, c = L / N;
    for (size_t b = 0; b < t->nblocks; b++) {
        const cp_tblock *B = &t->block[b];
        double s = 0, w = 0, mx = -INFINITY;
        for (int r = 0; r < N; r++)
            for (int q = 0; q < N; q++) { /* area of the cell in the block */
                double x0 = q * c, y0 = (N - 1 - r) * c;
                double ox = fmin(x0 + c, B->x1_m) - fmax(x0, B->x0_m);
                double oy = fmin(y0 + c, B->y1_m) - fmax(y0, B->y0_m);
                if (ox <= 0 || oy <= 0)
                    continue;
                s += ox * oy * T[r * N + q];
                w += ox * oy;
                mx = fmax(mx, T[r * N + q]);
            }
        printf("%s %.6f %.6f\n", B->name, s / w, mx);
    }
    free(T);
    return 0;
}

static int error_of(const char *dir, const char *table)
{
    const cp_thermal_spec *t = &g_t;
    size_t nb = t->nblocks;
    double *ref = calloc(nb * 2, sizeof *ref);
    char name[128], line[512];
    FILE *f = open_in(dir, "reference.txt", "r");
    if (!f)
        return -1;
    size_t got = 0;
    while (fgets(line, sizeof line, f)) {
        double a, b;
        if (line[0] != '#' && sscanf(line, "%127s %lf %lf", name, &a, &b) == 3 &&
            got < nb && !strcmp(name, t->block[got].name))
            ref[2 * got] = a, ref[2 * got + 1] = b, got++;
    }
    fclose(f);
    FILE *g = strcmp(table, "-") ? fopen(table, "r") : stdin;
    if (!g || got != nb)
        return fprintf(stderr, "%s: unreadable or not this case\n", table), -1;
    double emean = 0, emax = 0;
    size_t seen = 0;
    while (fgets(line, sizeof line, g)) {
        double a, b;
        if (sscanf(line, "%127s %lf %lf", name, &a, &b) != 3)
            continue;
        for (size_t k = 0; k < nb; k++)
            if (!strcmp(name, t->block[k].name)) {
                emean = fmax(emean, fabs(a - ref[2 * k]));
                emax = fmax(emax, fabs(b - ref[2 * k + 1]));
                seen++;
            }
    }
    if (g != stdin)
        fclose(g);
    free(ref);
    if (seen != nb)
        return fprintf(stderr, "%s: %zu of %zu blocks\n", table, seen, nb), -1;
    printf("%.3f %.3f\n", emean, emax); /* worst block mean, worst block max (K) */
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && !strcmp(argv[1], "write"))
        return load(argv[2]) || write_case(argv[3]) ? 1 : 0;
    if (argc >= 6 && !strcmp(argv[1], "grid"))
        return load(argv[2]) || grid_table(argv[4], atoi(argv[5])) ? 1 : 0;
    if (argc >= 5 && !strcmp(argv[1], "error"))
        return load(argv[2]) || error_of(argv[3], argv[4]) ? 1 : 0;
    fprintf(stderr, "usage: hotspot_case write SCENARIO DIR | grid SCENARIO DIR STEADY N | "
                    "error SCENARIO DIR TABLE\n");
    return 2;
}
