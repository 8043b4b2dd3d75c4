"""Transformations of a report's text that imitate what PDF text extraction produces (used by the parser tests)."""

import re
import textwrap

HEADER = "Crime inspection 2014 - Lancashire Constabulary"


def page_furniture(text: str, lines_per_page: int = 37) -> str:
    """A running header and a page number between every page's worth of lines."""
    lines, out = text.split("\n"), []
    for start in range(0, len(lines), lines_per_page):
        page = start // lines_per_page + 1
        out += [HEADER, ""] + lines[start:start + lines_per_page] + ["", str(page), ""]
    return "\n".join(out)


def rewrap(text: str, width: int = 47) -> str:
    """Every paragraph re-flowed to another width, so lines break mid-sentence in new places."""
    paragraphs = re.split(r"\n\s*\n", text)
    return "\n\n".join(textwrap.fill(" ".join(p.split()), width, break_on_hyphens=False,
                                       break_long_words=False) for p in paragraphs)


def hyphenate(text: str, every: int = 9) -> str:
    """Break every n-th long word across two lines with a hyphen, as a typesetter would."""
    counter = {"n": 0}

    def split(match: re.Match) -> str:
        counter["n"] += 1
        word = match.group(0)
        if counter["n"] % every:
            return word
        return f"{word[: len(word) // 2]}-\n{word[len(word) // 2:]}"

    return re.sub(r"\b[a-z]{10,}\b", split, text)


def footnote_markers(text: str) -> str:
    """Footnote numbers glued to words, as superscripts come out of a PDF."""
    return (text.replace("detection rate (", "detection rate3 (")
            .replace("victim satisfaction rate", "victim satisfaction rate4")
            .replace("Violence with injury 7.4", "Violence with injury5 7.4"))


def flatten_table_cells(text: str) -> str:
    """Each cell of the rates table on a line of its own."""
    return re.sub(r"^([A-Z][A-Za-z -]+?\*?) (\d+\.\d) (\d+\.\d) ?$", r"\1\n\2\n\3", text, flags=re.MULTILINE)


def windows_and_ascii(text: str) -> str:
    """CRLF line ends, straight quotes and a hyphen for the en dash, and +/- for ±."""
    return (text.replace("’", "'").replace("–", "-").replace("±", "+/-").replace("\n", "\r\n"))


VARIANTS = {
    "page-furniture": page_furniture,
    "rewrapped": rewrap,
    "hyphenated": hyphenate,
    "footnote-markers": footnote_markers,
    "flattened-table": flatten_table_cells,
    "crlf-ascii": windows_and_ascii,
    "all-at-once": lambda text: windows_and_ascii(page_furniture(hyphenate(rewrap(footnote_markers(
        flatten_table_cells(text)))))),
}
