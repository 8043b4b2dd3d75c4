"""Text of an inspection report, from a .txt extract or a PDF, cleaned of what PDF extraction leaves behind.

The readers work on the report's lines and on one "flowing" string made of them: running headers and footers and page
numbers removed, footnote markers dropped (also where one is fused to a year: "in 20162" -> "in 2016"), words broken
across lines re-joined, and, in the flowing string, every run of whitespace (line breaks, table cells flattened into
lines) collapsed to one space. Sentences and table rows then read the same however the page was laid out.
"""

import re
from collections import Counter
from pathlib import Path

# Hyphenated words whose first part is one of these keep their hyphen when broken across lines
# ("anti-\nsocial" -> "anti-social"); other breaks are a typesetter's hyphenation ("investi-\ngation").
LEXICAL_HYPHEN_PREFIXES = {
    "anti", "co", "cross", "day", "full", "in", "inter", "long", "multi", "non", "part", "post", "pre", "re",
    "self", "short", "well", "year",
}

RUNNING_HEADER = re.compile(r"^\s*(?P<programme>[A-Z][A-Za-z ]*?\b(?:inspection|PEEL)[A-Za-z ]*?\s(?P<year>\d{4}))"
                            r"\s*[–—-]\s*(?P<force>\S.*?)\s*$")
PAGE_NUMBER = re.compile(r"^\s*(?:page\s*)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?\s*$", re.IGNORECASE)


class ReportReadError(ValueError):
    """A report file that cannot be read as text."""


def read_report_text(path: Path) -> str:
    """The raw text of a report: a UTF-8 text file as it is, or the text layer of a PDF."""
    if path.suffix.lower() == ".pdf":
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            pages = [page.extract_text() or "" for page in PdfReader(path).pages]
        except (PdfReadError, OSError, ValueError) as error:
            raise ReportReadError(f"{path}: not a readable PDF: {error}") from error
        text = "\n".join(pages)
        if not text.strip():
            raise ReportReadError(f"{path}: the PDF has no text layer (a scanned image?); nothing to parse")
        return text
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ReportReadError(f"{path}: not UTF-8 text (byte {error.start}): {error.reason}") from error


def find_running_header(lines: list[str]) -> re.Match | None:
    """The report's running header ("Crime inspection 2014 – Lancashire Constabulary"): the most frequent match."""
    matches = [m for m in map(RUNNING_HEADER.match, lines) if m]
    if not matches:
        return None
    commonest, _ = Counter(_header_key(m) for m in matches).most_common(1)[0]
    return next(m for m in matches if _header_key(m) == commonest)


def _header_key(match: re.Match) -> tuple[str, str]:
    """Headers differing only in their dash or spacing are the same header."""
    return match.group("programme").lower(), match.group("force").lower()


def _join_broken_words(text: str) -> str:
    words = set(re.findall(r"\b[\w’']+(?:-[\w’']+)*\b", text.lower()))

    def join(match: re.Match) -> str:
        head, tail = match.group(1), match.group(2)
        if head.lower() in LEXICAL_HYPHEN_PREFIXES or f"{head}-{tail}".lower() in words:
            return f"{head}-"
        return head

    # the tail is only looked at, so a word broken twice ("re-\naccre-\ndited") is joined at both breaks
    # a break may span the blank lines left where a page number or header was taken out
    return re.sub(r"(\w+)-[ \t]*(?:\r?\n[ \t]*){1,4}(?=(\w+))", join, text)


MONTH_NAMES = ("January|February|March|April|May|June|July|August|September|October|November|December")
# a footnote number fused to a year: "in 20162" is 2016 and footnote 2 (a count would be printed "20,162")
FUSED_YEAR = re.compile(rf"\b((?:{MONTH_NAMES}|[Ii]n|since|by|from|to|until|during|of|year|ending) "
                        r"(?:19|20)\d\d)\d{1,2}\b")


def report_lines(raw: str) -> list[str]:
    """The report's lines: headers, footers, page numbers and footnote markers gone, broken words re-joined,
    typographic quotes and hyphens made plain."""
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    header = find_running_header(lines)

    def is_furniture(line: str) -> bool:
        if PAGE_NUMBER.match(line):
            return True
        match = RUNNING_HEADER.match(line)
        return bool(header and match and _header_key(match) == _header_key(header))

    kept = [line for line in lines if not is_furniture(line)]
    text = _join_broken_words("\n".join(kept))
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = text.replace("+/-", "±").replace("\u2011", "-").replace("\u2010", "-")  # non-breaking hyphens
    text = FUSED_YEAR.sub(r"\1", text)
    # footnote markers: a digit or asterisk glued to the end of a word ("offenders1", "dwelling*")
    text = re.sub(r"(?<=[a-z)])(?:\d{1,2}|\*)(?=[\s,.;:)]|$)", "", text, flags=re.MULTILINE)
    return text.split("\n")


def flowing_text(raw: str) -> str:
    """One line of text: the report's lines (report_lines) with every run of whitespace collapsed to one space."""
    text = "\n".join(report_lines(raw))
    text = re.sub(r"\s*•\s*", " • ", text)
    return re.sub(r"\s+", " ", text).strip()
