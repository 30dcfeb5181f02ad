/*
 * csv_lines.c — reading the data files cposim takes as CSV (power traces,
 * job traces): one physical line at a time with its line number kept, and
 * the path of such a file named in a scenario resolved beside that file.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

int cp_csv_read_line(FILE *f, char *row, size_t cap, size_t *dropped, size_t *nul)
{
    size_t len = 0;
    int c;
    *dropped = *nul = 0;
    while ((c = getc(f)) != EOF && c != '\n') {
        *nul += c == 0;
        if (len + 1 < cap)
            row[len++] = (char)c;
        else
            ++*dropped;
    }
    if (c == EOF && len == 0)
        return 0;
    while (len > 0 && row[len - 1] == '\r')
        len--;
    row[len] = '\0';
    return 1;
}

bool cp_csv_blank(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return *s == '\0';
}

int cp_csv_path_beside(const cp_node *n, char *path, size_t cap, const char *what,
                       cp_error *err)
{
    size_t len = strlen(path);
    /* only CSV files: a row error quotes a field, which must never be a
     * piece of some other file (trace: /etc/shadow) */
    if (len < 5 || strcmp(path + len - 4, ".csv") != 0)
        return cp_node_fail(err, n, "trace '%s' is not a %s (expected a name ending in .csv)", path,
                            what);
    if (path[0] == '/' || !n->file)
        return 0;
    char dir[CP_TEXT_MAX], *slash;
    cp_strlcpy(dir, n->file, sizeof dir);
    slash = strrchr(dir, '/');
    if (!slash)
        return 0;
    *slash = '\0';
    char full[2 * CP_TEXT_MAX];
    snprintf(full, sizeof full, "%s/%s", dir, path);
    if (strlen(full) >= cap)
        return cp_node_fail(err, n, "%s path too long", what);
    cp_strlcpy(path, full, cap);
    return 0;
}
