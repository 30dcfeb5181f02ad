/*
 * report_html.c — the report as a document (headings, paragraphs, tables,
 * figures, in the order the builders added them) and its HTML.
 *
 * The HTML needs nothing but itself: styles inline, every figure an inline
 * <svg> (PLplot's SVG with its XML prologue and namespace declarations left
 * out, which HTML does not need), no URL of any kind; the ids inside a
 * figure (PLplot's clip paths) are prefixed with the figure's number, since
 * every PLplot SVG uses the same ones and ids are the whole document's.  A short inline script
 * marks each figure whose drawing has a non-empty bounding box with
 * data-rendered="1", so that a browser test can tell that every figure drew.
 * All text from the inputs (names, titles) is escaped.
 */
#include "report_doc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { BLK_SECTION, BLK_PARA, BLK_TABLE, BLK_FIGURE } blk_kind;

typedef struct rep_fig {
    char id[96];
    char title[160];
    char *caption;
    char *svg, *png;
    size_t svg_len, png_len;
} rep_fig;

typedef struct rep_block {
    blk_kind kind;
    char *text;                  /* heading, paragraph, table caption */
    size_t fig;                  /* BLK_FIGURE: index into figs */
    size_t ncols, nrows;         /* BLK_TABLE: header is row 0 */
    char **cell;                 /* [(nrows) * ncols] */
} rep_block;

struct cp_report {
    char title[CP_TEXT_MAX];
    unsigned flags;
    rep_block *blk;
    size_t nblk, blk_cap;
    rep_fig *fig;
    size_t nfig, fig_cap;
};

static int oom(cp_error *err) { return cp_fail(err, "report", 0, 0, "out of memory"); }

int cp_report_create(const char *title, unsigned flags, cp_report **out, cp_error *err)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return oom(err);
    snprintf((*out)->title, sizeof (*out)->title, "%s", title ? title : "cposim report");
    (*out)->flags = flags;
    return 0;
}

void cp_report_free(cp_report *rep)
{
    if (!rep)
        return;
    for (size_t i = 0; i < rep->nblk; i++) {
        free(rep->blk[i].text);
        for (size_t k = 0; k < rep->blk[i].nrows * rep->blk[i].ncols; k++)
            free(rep->blk[i].cell[k]);
        free(rep->blk[i].cell);
    }
    for (size_t i = 0; i < rep->nfig; i++) {
        free(rep->fig[i].caption);
        free(rep->fig[i].svg);
        free(rep->fig[i].png);
    }
    free(rep->blk);
    free(rep->fig);
    free(rep);
}

static char *dup(const char *s)
{
    size_t n = strlen(s ? s : "") + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s ? s : "", n);
    return d;
}

static rep_block *add_block(cp_report *rep, blk_kind kind, const char *text, cp_error *err)
{
    if (rep->nblk == rep->blk_cap) {
        size_t cap = rep->blk_cap ? 2 * rep->blk_cap : 16;
        rep_block *b = realloc(rep->blk, cap * sizeof *b);
        if (!b)
            return oom(err), NULL;
        rep->blk = b;
        rep->blk_cap = cap;
    }
    rep_block *b = &rep->blk[rep->nblk];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    if (text && !(b->text = dup(text)))
        return oom(err), NULL;
    rep->nblk++;
    return b;
}

int rep_section(cp_report *rep, const char *heading, cp_error *err)
{
    return add_block(rep, BLK_SECTION, heading, err) ? 0 : -1;
}

int rep_para(cp_report *rep, const char *text, cp_error *err)
{
    return add_block(rep, BLK_PARA, text, err) ? 0 : -1;
}

int rep_table(cp_report *rep, const char *caption, size_t ncols, const char *const *head,
              cp_error *err)
{
    rep_block *b = add_block(rep, BLK_TABLE, caption, err);
    if (!b)
        return -1;
    b->ncols = ncols;
    return rep_row(rep, head, err);
}

int rep_row(cp_report *rep, const char *const *cells, cp_error *err)
{
    rep_block *b = rep->nblk ? &rep->blk[rep->nblk - 1] : NULL;
    if (!b || b->kind != BLK_TABLE)
        return cp_fail(err, "report", 0, 0, "a table row outside a table");
    char **c = realloc(b->cell, (b->nrows + 1) * b->ncols * sizeof *c);
    if (!c)
        return oom(err);
    b->cell = c;
    for (size_t k = 0; k < b->ncols; k++)
        c[b->nrows * b->ncols + k] = NULL;
    b->nrows++;
    for (size_t k = 0; k < b->ncols; k++)
        if (!(c[(b->nrows - 1) * b->ncols + k] = dup(cells[k])))
            return oom(err);
    return 0;
}

/* lower-case letters, digits and '-' */
static void slugify(char *dst, size_t len, size_t number, const char *slug)
{
    size_t at = (size_t)snprintf(dst, len, "%02zu-", number);
    for (const char *s = slug; *s && at + 1 < len; s++) {
        char c = *s;
        c = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (ok || (at > 0 && dst[at - 1] != '-'))
            dst[at++] = ok ? c : '-';
    }
    while (at > 0 && dst[at - 1] == '-')
        at--;
    dst[at] = '\0';
}

int rep_figure(cp_report *rep, const plot *p, const char *slug, const char *caption,
               const char *source, cp_error *err)
{
    if (rep->nfig == rep->fig_cap) {
        size_t cap = rep->fig_cap ? 2 * rep->fig_cap : 8;
        rep_fig *f = realloc(rep->fig, cap * sizeof *f);
        if (!f)
            return oom(err);
        rep->fig = f;
        rep->fig_cap = cap;
    }
    rep_fig *f = &rep->fig[rep->nfig];
    memset(f, 0, sizeof *f);
    slugify(f->id, sizeof f->id, rep->nfig + 1, slug);
    snprintf(f->title, sizeof f->title, "%s", p->title);
    size_t n = strlen(caption) + strlen(source) + 64;
    f->caption = malloc(n);
    if (!f->caption)
        return oom(err);
    snprintf(f->caption, n, "%s Source: %s; cposim %s.", caption, source, CPOSIM_VERSION);
    int rc = plot_render(p, "svg", &f->svg, &f->svg_len, err);
    if (rc == 0 && (rep->flags & CP_REPORT_PNG))
        rc = plot_render(p, "png", &f->png, &f->png_len, err);
    if (rc == 0 && !add_block(rep, BLK_FIGURE, NULL, err))
        rc = -1;
    if (rc) {
        free(f->caption);
        free(f->svg);
        free(f->png);
        return -1;
    }
    rep->blk[rep->nblk - 1].fig = rep->nfig++;
    return 0;
}

size_t cp_report_nfigures(const cp_report *rep) { return rep->nfig; }

int cp_report_figure_get(const cp_report *rep, size_t i, cp_report_figure *out)
{
    if (i >= rep->nfig)
        return -1;
    const rep_fig *f = &rep->fig[i];
    *out = (cp_report_figure){f->id, f->title, f->caption, f->svg, f->svg_len, f->png,
                              f->png_len};
    return 0;
}

/* ------------------------------------------------------------------- HTML */

static void esc(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
}

static const char *skip(const char *s, const char *end, const char *what)
{
    size_t n = strlen(what);
    return (size_t)(end - s) >= n && memcmp(s, what, n) == 0 ? s + n : NULL;
}

/* PLplot's SVG from its <svg element on, without the namespace declarations
 * (not needed inline in HTML, and they are the document's only URLs), each
 * run of white space with a line break in it made one space. */
static void inline_svg(FILE *f, const rep_fig *fig, size_t number)
{
    const char *s = fig->svg, *end = fig->svg + fig->svg_len;
    const char *at = NULL;
    for (const char *c = s; c + 4 <= end && !at; c++)
        if (memcmp(c, "<svg", 4) == 0)
            at = c;
    if (!at)
        return;
    static const char *const drop[] = {"xmlns=\"http://www.w3.org/2000/svg\"",
                                       "xmlns:xlink=\"http://www.w3.org/1999/xlink\""};
    fputs("<svg role=\"img\" aria-label=\"", f);
    esc(f, fig->title);
    fputc('"', f);
    for (const char *c = at + 4; c < end;) {
        const char *next = NULL;
        for (size_t k = 0; k < 2 && !next; k++)
            next = skip(c, end, drop[k]);
        if (next) {
            c = next;
            continue;
        }
        /* ids are the document's, not the figure's: each figure's own
         * (PLplot's clip paths, text-clipping0 in every figure) get its prefix */
        if ((next = skip(c, end, "id=\"")) || (next = skip(c, end, "url(#"))) {
            fwrite(c, 1, (size_t)(next - c), f);
            fprintf(f, "f%zu-", number);
            c = next;
            continue;
        }
        if (*c == '\n' || *c == ' ' || *c == '\t' || *c == '\r') {
            const char *w = c;
            bool nl = false;
            while (w < end && (*w == '\n' || *w == ' ' || *w == '\t' || *w == '\r'))
                nl |= *w++ == '\n';
            if (nl) {
                fputc(' ', f);
                c = w;
                continue;
            }
        }
        fputc(*c++, f);
    }
    fputc('\n', f);
}

static const char style[] =
    "body{font-family:sans-serif;margin:2em auto;max-width:1000px;color:#222;padding:0 1em}"
    "h1{font-size:1.6em}h2{font-size:1.25em;border-bottom:1px solid #ccc;margin-top:2em}"
    "figure{margin:1.5em 0;padding:0}figure svg{width:100%;height:auto;display:block}"
    "figcaption{font-size:.9em;color:#444;margin-top:.3em}"
    "table{border-collapse:collapse;margin:1em 0;font-size:.9em}"
    "th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}"
    "th:first-child,td:first-child{text-align:left}caption{text-align:left;"
    "font-weight:bold;padding:.3em 0}.meta{color:#555;font-size:.9em}";

/* Marks every figure whose SVG drew something (a bounding box > 0). */
static const char script[] =
    "(function(){var f=document.querySelectorAll('figure.cp-fig'),n=0;"
    "for(var i=0;i<f.length;i++){var s=f[i].querySelector('svg');if(!s)continue;"
    "var b=s.getBBox();if(b.width>0&&b.height>0){f[i].setAttribute('data-rendered','1');n++;}}"
    "document.body.setAttribute('data-figures-rendered',String(n));})();";

static void table(FILE *f, const rep_block *b)
{
    fputs("<table>", f);
    if (b->text && *b->text) {
        fputs("<caption>", f);
        esc(f, b->text);
        fputs("</caption>", f);
    }
    for (size_t r = 0; r < b->nrows; r++) {
        fputs("\n<tr>", f);
        for (size_t k = 0; k < b->ncols; k++) {
            fputs(r ? "<td>" : "<th>", f);
            esc(f, b->cell[r * b->ncols + k]);
            fputs(r ? "</td>" : "</th>", f);
        }
        fputs("</tr>", f);
    }
    fputs("\n</table>\n", f);
}

static void figure(FILE *f, const cp_report *rep, size_t i)
{
    const rep_fig *g = &rep->fig[i];
    fprintf(f, "<figure class=\"cp-fig\" id=\"fig-%s\" data-figure=\"%s\">\n", g->id, g->id);
    inline_svg(f, g, i + 1);
    fprintf(f, "<figcaption><b>Figure %zu.</b> ", i + 1);
    esc(f, g->caption);
    fputs("</figcaption>\n</figure>\n", f);
}

int cp_report_html(FILE *f, const cp_report *rep)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>", f);
    esc(f, rep->title);
    fprintf(f, "</title>\n<meta name=\"generator\" content=\"cposim %s\">\n<style>%s</style>\n"
               "</head>\n<body data-figures=\"%zu\">\n<h1>",
            CPOSIM_VERSION, style, rep->nfig);
    esc(f, rep->title);
    fprintf(f, "</h1>\n<p class=\"meta\">cposim %s &middot; %zu figure%s &middot; every "
               "figure drawn by PLplot; this file needs no network.</p>\n",
            CPOSIM_VERSION, rep->nfig, rep->nfig == 1 ? "" : "s");
    bool open = false;
    for (size_t i = 0; i < rep->nblk; i++) {
        const rep_block *b = &rep->blk[i];
        switch (b->kind) {
        case BLK_SECTION:
            fputs(open ? "</section>\n<section>\n<h2>" : "<section>\n<h2>", f);
            esc(f, b->text);
            fputs("</h2>\n", f);
            open = true;
            break;
        case BLK_PARA:
            fputs("<p>", f);
            esc(f, b->text);
            fputs("</p>\n", f);
            break;
        case BLK_TABLE: table(f, b); break;
        case BLK_FIGURE: figure(f, rep, b->fig); break;
        }
    }
    if (open)
        fputs("</section>\n", f);
    fprintf(f, "<script>%s</script>\n</body>\n</html>\n", script);
    return ferror(f) ? -1 : 0;
}
