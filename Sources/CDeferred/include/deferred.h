// C libraries that only some commands use, loaded (dlopen) the first time one of those
// commands needs them instead of at every start. Linked, libxml2 (with ICU) and
// libxlsxwriter (with OpenSSL's libcrypto and minizip) cost every process about 2 ms
// before main, and make every later symbol lookup, such as those of Graphviz's plugins,
// search more libraries (docs/performance.md, eighteenth pass).
//
// For each library: a load function, to be called (and its failure reported) before any
// of the library's functions, and for each function `f` chainmap calls, an accessor
// `chainmap_f()` that gives `f` itself, typed by the library's own header:
// `chainmap_f()(arguments)` calls it. See deferred.c.
#ifndef CHAINMAP_DEFERRED_H
#define CHAINMAP_DEFERRED_H

// libxml2's parser. Debian builds libxml2 with ICU, whose headers clash with the ICU
// inside Foundation; chainmap uses no ICU part of libxml2 (only pointers to its
// encoding handlers), so the ICU declarations are left out.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>

#include <xlsxwriter.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The functions of libxml2 that chainmap calls (reading the sheets of .xlsx files);
/// xmlInitParser is called by the load function.
#define CHAINMAP_XML2_FUNCTIONS(X) \
    X(xmlInitParser) X(xmlCreatePushParserCtxt) X(xmlCtxtUseOptions) X(xmlParseChunk) X(xmlFreeParserCtxt) \
    X(xmlCtxtGetLastError)

/// The functions of libxlsxwriter that chainmap calls (writing workbooks).
#define CHAINMAP_XLSXWRITER_FUNCTIONS(X) \
    X(workbook_new_opt) X(workbook_set_properties) X(workbook_add_worksheet) X(workbook_add_format) \
    X(workbook_close) X(format_set_align) X(format_set_bg_color) X(format_set_bold) X(format_set_bottom) \
    X(format_set_num_format) X(format_set_text_wrap) X(worksheet_autofilter) X(worksheet_fit_to_pages) \
    X(worksheet_freeze_panes) X(worksheet_repeat_columns) X(worksheet_repeat_rows) X(worksheet_set_column) \
    X(worksheet_set_footer) X(worksheet_set_landscape) X(worksheet_set_margins) X(worksheet_set_paper) \
    X(worksheet_set_row) X(worksheet_write_number) X(worksheet_write_string) X(lxw_strerror)

#define CHAINMAP_DEFERRED_ACCESSOR(name) __typeof__(&name) chainmap_##name(void);
CHAINMAP_XML2_FUNCTIONS(CHAINMAP_DEFERRED_ACCESSOR)
CHAINMAP_XLSXWRITER_FUNCTIONS(CHAINMAP_DEFERRED_ACCESSOR)

/// Loads libxml2 once; 1 when it and every function chainmap calls are there, else 0
/// with `*message` saying what is missing (a string that lives as long as the process).
int chainmap_xml2_load(const char **message);

/// Loads libxlsxwriter once, as ``chainmap_xml2_load`` loads libxml2.
int chainmap_xlsxwriter_load(const char **message);

#ifdef __cplusplus
}
#endif

#endif
