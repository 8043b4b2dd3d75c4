"""Writing the Home Office's spreadsheets from the real data, for the local publishers' server: OpenDocument (.ods)
and Office Open XML (.xlsx) workbooks, streamed sheet by sheet (a table of 700,000 rows stays small in memory).

Only what a reader needs is written: the sheets, their rows, each cell as a number or as text exactly as given; no
styles. Values are never changed: a number stays the number, a text cell the text.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

Rows = Iterable[Sequence[object]]
BATCH_ROWS = 5_000  # rows formatted before each write into the zip (one write a row took a third of the time)
COMPRESS_LEVEL = 1  # the fastest: a reader does not care, and a session writes 27 MB of workbooks

ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""
ODS_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            "<office:body><office:spreadsheet>")
ODS_TAIL = "</office:spreadsheet></office:body></office:document-content>"


# A cell's value is a number when its type is int or float (type(), not isinstance: a bool is text), anything else is
# text. Rows are formatted a batch at a time in one loop, each text's cell made once: half the time of a call a cell.
def _ods_rows(batch: list[Sequence[object]], texts: dict[str, str]) -> str:
    """Rows of cells: a number as a float cell, text as a string cell (each text's cell made once: texts)."""
    cells = []
    for row in batch:
        cells.append("<table:table-row>")
        for value in row:
            kind = type(value)
            if kind is int or kind is float:
                cells.append(f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}'
                             "</text:p></table:table-cell>")
            elif value is None or value == "":
                cells.append("<table:table-cell/>")
            else:
                text = str(value)
                cell = texts.get(text)
                if cell is None:
                    cell = texts[text] = (f'<table:table-cell office:value-type="string"><text:p>{escape(text)}'
                                          "</text:p></table:table-cell>")
                cells.append(cell)
        cells.append("</table:table-row>")
    return "".join(cells)


def _batches(rows: Rows) -> Iterable[list[Sequence[object]]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH_ROWS:
            yield batch
            batch = []
    if batch:
        yield batch


def write_ods(path: Path, sheets: dict[str, Rows]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as book:
        book.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet",
                      compress_type=zipfile.ZIP_STORED)  # first and stored, as the format asks
        book.writestr("META-INF/manifest.xml", ODS_MANIFEST)
        with book.open("content.xml", "w") as content:
            content.write(ODS_HEAD.encode())
            texts: dict[str, str] = {}
            for name, rows in sheets.items():
                content.write(f"<table:table table:name={quoteattr(name)}>".encode())
                for batch in _batches(rows):
                    content.write(_ods_rows(batch, texts).encode())
                content.write(b"</table:table>")
            content.write(ODS_TAIL.encode())
    return path


SPREADSHEETML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
XLSX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SPREADSHEETML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SPREADSHEETML}.sharedStrings+xml"/>'
    "{sheets}</Types>")
XLSX_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"'
    ' Target="xl/workbook.xml"/></Relationships>')


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _xlsx_rows(first: int, batch: list[Sequence[object]], columns: list[str], strings: dict[str, int]) -> str:
    """Rows of cells numbered from `first`; text goes to the workbook's shared strings, as spreadsheet programs
    write it. An empty cell is left out."""
    cells = []
    for number, row in enumerate(batch, first):
        cells.append(f'<row r="{number}">')
        for column, value in zip(columns, row, strict=False):  # a shorter row: its cells, no more
            kind = type(value)
            if kind is int or kind is float:
                cells.append(f'<c r="{column}{number}"><v>{value}</v></c>')
            elif value is not None and value != "":
                text = str(value)
                index = strings.get(text)
                if index is None:
                    index = strings[text] = len(strings)
                cells.append(f'<c r="{column}{number}" t="s"><v>{index}</v></c>')
        cells.append("</row>")
    return "".join(cells)


def write_xlsx(path: Path, sheets: dict[str, Rows]) -> Path:
    names = list(sheets)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as book:
        book.writestr("[Content_Types].xml", XLSX_TYPES.format(sheets="".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{SPREADSHEETML}.worksheet+xml"/>'
            for n in range(1, len(names) + 1))))
        book.writestr("_rels/.rels", XLSX_ROOT_RELS)
        book.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook '
                      'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                      + "".join(f"<sheet name={quoteattr(name)} sheetId=\"{n}\" r:id=\"rId{n}\"/>"
                                for n, name in enumerate(names, 1)) + "</sheets></workbook>")
        book.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                      + "".join(f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/'
                                f'2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>'
                                for n in range(1, len(names) + 1))
                      + f'<Relationship Id="rId{len(names) + 1}" Type="http://schemas.openxmlformats.org/'
                      'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        strings: dict[str, int] = {}
        for n, name in enumerate(names, 1):
            with book.open(f"xl/worksheets/sheet{n}.xml", "w") as sheet:
                sheet.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet '
                            b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
                number = 0
                for batch in _batches(sheets[name]):
                    columns = [_column(i) for i in range(max(map(len, batch)))]
                    sheet.write(_xlsx_rows(number + 1, batch, columns, strings).encode())
                    number += len(batch)
                sheet.write(b"</sheetData></worksheet>")
        book.writestr("xl/sharedStrings.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst '
                      f'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" '
                      f'uniqueCount="{len(strings)}">'
                      + "".join(f'<si><t xml:space="preserve">{escape(text)}</t></si>' for text in strings)
                      + "</sst>")
    return path
