"""CSV exports: one writer for all of them, whose text cells a spreadsheet will not run as formulas."""

import csv
import io

# A cell starting with one of these is a formula to Excel, LibreOffice or Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(cell):
    """A cell as written: text that would start a formula gets a leading apostrophe."""
    if isinstance(cell, str) and cell[:1] in FORMULA_STARTS:
        return "'" + cell
    return cell


def to_csv(header, rows):
    """CSV text of a header and rows, every cell made inert."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([inert(cell) for cell in row])
    return out.getvalue()
