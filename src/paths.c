/*
 * paths.c — where the bundled data and presets are, and paths as a reader
 * should see them.
 *
 * The data directory (catalog/, sources.yaml, and in an install scenarios/)
 * is looked for, in order: $CPOSIM_DATA; next to the library, or the
 * program the library is linked into (a build tree's data/ beside build/, an
 * install's share/cposim beside lib/ or bin/); then the directory compiled
 * in from the Makefile's DATADIR.  So a program linked against an installed
 * libcposim needs no hard-coded /usr/local/share/cposim, and a copy staged
 * with DESTDIR finds its own data.  Nothing here is cached: each call looks
 * again (no process-wide state, safe from any thread).
 */
#define _GNU_SOURCE /* dladdr */
#include "internal.h"

#include <dlfcn.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef CPOSIM_DATADIR
#define CPOSIM_DATADIR "/usr/local/share/cposim"
#endif

/* Lexically removes "./", "//" and "dir/../" so messages show a readable
 * path (build/../data/../scenarios/x.yaml reads scenarios/x.yaml).  A
 * symbolic link is not followed: "a/link/.." is taken as "a". */
void cp_path_normalize(char *path, size_t len)
{
    enum { MAX_SEG = 256 };
    char *seg[MAX_SEG];
    size_t n = 0, lead = 0; /* lead: ".." that cannot be collapsed */
    bool abs = path[0] == '/';
    char *copy = strdup(path), *out = malloc(len);
    if (!copy || !out) {
        free(copy);
        free(out);
        return; /* left as it was */
    }
    char *save = NULL;
    for (char *t = strtok_r(copy, "/", &save); t && n < MAX_SEG;
         t = strtok_r(NULL, "/", &save)) {
        if (strcmp(t, ".") == 0)
            continue;
        if (strcmp(t, "..") == 0 && n > lead) {
            n--;
            continue;
        }
        if (strcmp(t, "..") == 0 && abs)
            continue;
        seg[n++] = t;
        if (strcmp(t, "..") == 0)
            lead = n;
    }
    size_t at = 0;
    out[0] = '\0';
    if (abs && len > 1)
        out[at++] = '/', out[at] = '\0';
    for (size_t i = 0; i < n && at < len; i++)
        at += (size_t)snprintf(out + at, len - at, "%s%s", i ? "/" : "", seg[i]);
    cp_strlcpy(path, n || abs ? out : ".", len);
    free(copy);
    free(out);
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* base/rel, normalised, when base/rel/has is a directory. */
static bool found(const char *base, const char *rel, const char *has, char *out, size_t len)
{
    char cand[PATH_MAX + 64];
    snprintf(cand, sizeof cand, "%s/%s/%s", base, rel, has);
    if (!is_dir(cand))
        return false;
    snprintf(out, len, "%s/%s", base, rel);
    cp_path_normalize(out, len);
    return true;
}

/* The data beside a binary in dir bin: bin/../data (build tree, where the
 * binaries are in build/) or bin/../share/cposim (an install). */
static bool beside(const char *file, char *out, size_t len)
{
    char copy[PATH_MAX];
    if (!file || file[0] != '/')
        return false;
    cp_strlcpy(copy, file, sizeof copy);
    const char *bin = dirname(copy);
    return found(bin, "../data", "catalog", out, len) ||
           found(bin, "../share/cposim", "catalog", out, len);
}

int cp_data_dir(char *out, size_t len)
{
    const char *env = getenv("CPOSIM_DATA");
    if (env && *env) {
        snprintf(out, len, "%s", env);
        cp_path_normalize(out, len);
        return is_dir(out) ? 0 : -1;
    }
    Dl_info info;
    if (dladdr((void *)cp_data_dir, &info) && beside(info.dli_fname, out, len))
        return 0; /* the library's own directory (libcposim.so) */
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        if (beside(exe, out, len))
            return 0; /* the program's (linked with libcposim.a) */
    }
    snprintf(out, len, "%s", CPOSIM_DATADIR);
    return is_dir(out) ? 0 : -1;
}

int cp_preset_dir(const char *data_dir, char *out, size_t len)
{
    /* an install keeps presets in the data directory, a build tree beside it */
    if (found(data_dir, "scenarios", ".", out, len) ||
        found(data_dir, "../scenarios", ".", out, len))
        return 0;
    snprintf(out, len, "%s/scenarios", data_dir);
    cp_path_normalize(out, len);
    return -1;
}
