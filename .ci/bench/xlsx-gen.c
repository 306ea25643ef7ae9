/* Writes a CSV export (.ci/bench/leads-gen.py) as an .xlsx the way 企查查 does: one
 * sheet, shared strings, a bold header. Usage: xlsx-gen IN.csv OUT.xlsx
 * (Simple CSV: quoted fields with "" and line breaks are handled.) */
#include <xlsxwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    FILE *in = fopen(argv[1], "rb");
    if (!in) { perror(argv[1]); return 1; }
    lxw_workbook *workbook = workbook_new(argv[2]);
    lxw_worksheet *sheet = workbook_add_worksheet(workbook, "Sheet1");
    lxw_format *bold = workbook_add_format(workbook);
    format_set_bold(bold);
    size_t cap = 1 << 20, len = 0;
    char *field = malloc(cap);
    int c, quoted = 0, row = 0, col = 0;
    /* Skip a UTF-8 BOM. */
    int b1 = fgetc(in), b2 = fgetc(in), b3 = fgetc(in);
    if (!(b1 == 0xEF && b2 == 0xBB && b3 == 0xBF)) { fseek(in, 0, SEEK_SET); }
    for (;;) {
        c = fgetc(in);
        if (c == EOF || (!quoted && (c == ',' || c == '\n'))) {
            if (len > 0 && field[len - 1] == '\r' && c == '\n') len--;
            field[len] = 0;
            if (len > 0) worksheet_write_string(sheet, row, col, field, row == 0 ? bold : NULL);
            len = 0;
            if (c == ',') { col++; continue; }
            row++; col = 0;
            if (c == EOF) break;
            continue;
        }
        if (c == '"') {
            if (quoted) {
                int next = fgetc(in);
                if (next == '"') { field[len++] = '"'; continue; }
                quoted = 0;
                if (next != EOF) ungetc(next, in);
                continue;
            }
            if (len == 0) { quoted = 1; continue; }
        }
        if (len + 2 >= cap) { cap *= 2; field = realloc(field, cap); }
        field[len++] = (char)c;
    }
    return workbook_close(workbook);
}
