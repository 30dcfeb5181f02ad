/* cli_scenario.c — the scenario a command-line argument names, and whether
 * it is the kind the command takes, checked before anything is loaded: a
 * user who types a preset's name wrongly, or gives `eval` a fabric, is told
 * what to type instead (issue 13 items 5 and 6). */
#include "cli.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* The preset directories, most specific first: those of --data DIR (or
 * $CPOSIM_DATA), then the bundled ones, which a user's own data directory
 * does not hide (its presets of the same name win). */
static size_t preset_dirs(const char *data_dir, char dirs[2][4096])
{
    char bundled[4096];
    size_t n = 0;
    if (cp_preset_dir(data_dir, dirs[n], sizeof dirs[n]) == 0)
        n++;
    if (cp_data_dir(bundled, sizeof bundled) == 0 &&
        cp_preset_dir(bundled, dirs[n], sizeof dirs[n]) == 0 &&
        (n == 0 || strcmp(dirs[0], dirs[n]) != 0))
        n++;
    return n;
}

/* Edit distance of a and b, ignoring case (Wagner-Fischer, one row). */
size_t cli_distance(const char *a, const char *b)
{
    size_t nb = strlen(b), row[256];
    if (nb >= sizeof row / sizeof *row)
        return (size_t)-1;
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; a[i - 1]; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t sub = diag + (tolower((unsigned char)a[i - 1]) !=
                                 tolower((unsigned char)b[j - 1]));
            size_t best = up + 1 < row[j - 1] + 1 ? up + 1 : row[j - 1] + 1;
            row[j] = sub < best ? sub : best;
            diag = up;
        }
    }
    return row[nb];
}

/* name without a trailing .yaml */
static size_t stem_len(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && !strcmp(name + n - 5, ".yaml") ? n - 5 : n;
}

/* The .yaml files of dir nearest to name (a wrong case, a letter or two
 * off: at most a third of the name), as "a, b" into out; "" when none is. */
static void nearest(const char *dir, const char *name, bool as_path, char *out, size_t len)
{
    char want[256], stem[256];
    snprintf(want, sizeof want, "%.*s", (int)stem_len(name), name);
    size_t best = strlen(want) / 3 + 1, at = 0;
    out[0] = '\0';
    for (int pass = 0; pass < 2; pass++) { /* the best distance, then its names */
        DIR *d = opendir(dir);
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL) {
            size_t n = stem_len(e->d_name);
            if (n == strlen(e->d_name) || n >= sizeof stem)
                continue; /* not a .yaml file */
            snprintf(stem, sizeof stem, "%.*s", (int)n, e->d_name);
            size_t k = cli_distance(want, stem);
            if (pass == 0 && k < best)
                best = k;
            else if (pass == 1 && k == best && at < len)
                at += as_path ? (size_t)snprintf(out + at, len - at, "%s%s/%s",
                                                 at ? ", " : "", dir, e->d_name)
                              : (size_t)snprintf(out + at, len - at, "%s%s", at ? ", " : "",
                                                 stem);
        }
        if (d)
            closedir(d);
    }
}

/* A path as given, or a preset by name.  A missing file is reported with
 * where it was looked for and the nearest names there. */
int cli_scenario_path(const char *data_dir, const char *arg, char *out, size_t len)
{
    char near[1024];
    if (is_file(arg)) {
        snprintf(out, len, "%s", arg);
        return 0;
    }
    if (strchr(arg, '/')) { /* a path: the nearest files beside it */
        char dir[4096];
        const char *slash = strrchr(arg, '/');
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - arg), arg);
        snprintf(out, len, "%s", arg);
        nearest(dir[0] ? dir : "/", slash + 1, true, near, sizeof near);
        fprintf(stderr, "%s: no such file%s%s%s\n", arg, near[0] ? " (did you mean " : "",
                near, near[0] ? "?)" : "");
        return 2;
    }
    char dirs[2][4096];
    size_t n = preset_dirs(data_dir, dirs);
    for (size_t i = 0; i < n; i++) {
        snprintf(out, len, "%s/%s%s", dirs[i], arg, stem_len(arg) == strlen(arg) ? ".yaml" : "");
        if (is_file(out))
            return 0;
    }
    char where[8300] = "";
    for (size_t i = 0, at = 0; i < n; i++)
        at += (size_t)snprintf(where + at, sizeof where - at, "%s%s", i ? " and " : "",
                               dirs[i]);
    near[0] = '\0';
    for (size_t i = 0; i < n && !near[0]; i++)
        nearest(dirs[i], arg, false, near, sizeof near);
    if (n == 0)
        fprintf(stderr, "cposim: no scenario '%s': not a file, and no preset directory "
                        "was found beside %s\n", arg, data_dir);
    else if (near[0])
        fprintf(stderr, "cposim: no scenario '%s': not a file, nor a preset in %s; did you "
                        "mean %s?\n", arg, where, near);
    else
        fprintf(stderr, "cposim: no scenario '%s': not a file, nor a preset in %s (`ls %s` "
                        "lists them)\n", arg, where, dirs[0]);
    return 2;
}

/* What each kind is called, and the command that takes it. */
static const struct {
    const char *what;
    const char *cmd, *after; /* try `cmd ARG after` */
} kinds[] = {
    [CP_INPUT_SWITCH] = {"a switch design", "cposim eval", ""},
    [CP_INPUT_THERMAL] = {"a package scenario (with a 'thermal' section)", "cposim thermal", ""},
    [CP_INPUT_FABRIC] = {"a fabric scenario", "cposim fabric", ""},
    [CP_INPUT_SWEEP_DB] = {"a sweep's results store", "cposim sweep show", ""},
    [CP_INPUT_SWEEP_SPEC] = {"a sweep spec", "cposim sweep", " -o RESULTS.db"},
};

int cli_scenario(const char *data_dir, const char *arg, unsigned accept,
                 char *out, size_t len, cp_input_kind *kind)
{
    int rc = cli_scenario_path(data_dir, arg, out, len);
    if (rc)
        return rc;
    cp_input_kind k = CP_INPUT_SWITCH;
    cp_error err = {0};
    if (cp_scenario_kind(out, &k, &err))
        return 0; /* it does not load: the command's loader says why */
    if (kind)
        *kind = k;
    if (accept & (1u << k))
        return 0;
    cp_input_kind want = accept & (1u << CP_INPUT_SWITCH)    ? CP_INPUT_SWITCH
                         : accept & (1u << CP_INPUT_THERMAL) ? CP_INPUT_THERMAL
                         : accept & (1u << CP_INPUT_FABRIC)  ? CP_INPUT_FABRIC
                                                             : CP_INPUT_SWEEP_SPEC;
    fprintf(stderr, "%s: %s, not %s: try `%s %s%s`\n", out, kinds[k].what, kinds[want].what,
            kinds[k].cmd, arg, kinds[k].after);
    return 2;
}
