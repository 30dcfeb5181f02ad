/*
 * report_doc.h — the report as a document, inside libcposim (not installed):
 * src/report_html.c keeps its blocks (headings, paragraphs, tables, figures)
 * and writes the HTML; the builders (src/report_fig_*.c) append to it.
 */
#ifndef CPOSIM_REPORT_DOC_H
#define CPOSIM_REPORT_DOC_H

#include "plot.h"

/* Starts a section with a heading (h2). */
int rep_section(cp_report *rep, const char *heading, cp_error *err);
/* A paragraph of plain text (escaped when written). */
int rep_para(cp_report *rep, const char *text, cp_error *err);
/* Draws p as SVG (and PNG when the report asks for it) and appends it as a
 * figure: slug names its files ("power-breakdown"), the caption is followed
 * by "Source: <source>; cposim <version>." */
int rep_figure(cp_report *rep, const plot *p, const char *slug, const char *caption,
               const char *source, cp_error *err);
/* A table: ncols header cells, then rows of ncols cells each. */
int rep_table(cp_report *rep, const char *caption, size_t ncols, const char *const *head,
              cp_error *err);
int rep_row(cp_report *rep, const char *const *cells, cp_error *err);

/* snprintf into a fresh buffer of the builder's (for cells and captions). */
#define REP_CELL 96

#endif
