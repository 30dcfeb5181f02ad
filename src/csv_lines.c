/*
 * csv_lines.c — reading the data files cposim takes as CSV (power traces,
 * job traces): a regular file of bounded size, read a physical line at a
 * time with its line number kept (an optional UTF-8 byte order mark, LF or
 * CR LF, '#' comments, blank lines and a header line skipped), each data row
 * handed to the loader's parser; and the path of such a file named in a
 * scenario resolved beside that file.
 */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* One physical line into row (without its CR LF): 1, or 0 at the end of the
 * file.  Characters that do not fit are consumed and counted in *dropped,
 * NUL bytes in *nul, so line numbers stay those of the file. */
static int read_line(FILE *f, char *row, size_t cap, size_t *dropped, size_t *nul)
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

static bool blank(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return *s == '\0';
}

int cp_csv_each(const char *path, const char *header, const char *rows, cp_csv_row_fn row,
                void *ctx, int *lines, cp_error *err)
{
    *lines = 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return cp_fail(err, path, 0, 0, "cannot open: %s", strerror(errno));
    struct stat st = {0};
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) ||
        (unsigned long long)st.st_size > CP_TRACE_MAX_BYTES) {
        fclose(f);
        return cp_fail(err, path, 0, 0, "cannot read: %s",
                       S_ISREG(st.st_mode) ? "larger than " CP_TRACE_MAX_BYTES_TEXT
                                           : "not a regular file");
    }
    char buf[CP_TRACE_MAX_LINE + 2];
    int line = 0, rc = 0;
    size_t n = 0, dropped, nul, hl = strlen(header);
    while (rc == 0 && read_line(f, buf, sizeof buf, &dropped, &nul)) {
        char *r = buf;
        if (++line == 1 && strncmp(r, "\xEF\xBB\xBF", 3) == 0)
            r += 3; /* a UTF-8 byte order mark, as spreadsheets write */
        if (nul)
            rc = cp_fail(err, path, line, 1, "NUL byte; expected text");
        else if (r[0] == '#' || blank(r) || strncmp(r, header, hl) == 0)
            continue;
        else if (dropped)
            rc = cp_fail(err, path, line, CP_TRACE_MAX_LINE + 1,
                         "line longer than %d characters", CP_TRACE_MAX_LINE);
        else if (n++ >= CP_TRACE_MAX_ROWS)
            rc = cp_fail(err, path, line, 1, "more than %d %s", CP_TRACE_MAX_ROWS, rows);
        else
            rc = row(ctx, path, line, r, err);
    }
    fclose(f);
    *lines = line;
    return rc ? -1 : 0;
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
