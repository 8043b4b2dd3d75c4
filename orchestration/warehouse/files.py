"""Reading delivered CSV files: content hashes, headers, line endings, and DuckDB's strict reader with readable errors.

Publishers' files arrive plain or gzipped, with or without a UTF-8 byte-order mark, with LF or CRLF line ends, and
now and then with CR CR LF (a CRLF file "saved with CRLF" once more). All of these are read; anything else that is
not the promised table fails with the file, the line and what was expected.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


class SourceFileError(ValueError):
    """A delivered file that cannot be loaded as what it claims to be. The message names the file and the place."""


def file_sha256(path: Path) -> str:
    """The sha256 of a file's content: of a gzipped file, of what it unzips to, so the same data delivered plain (a
    month from data.police.uk's zip) and gzipped (the embedded copy) is the same content, loaded and published once."""
    digest = hashlib.sha256()
    with (gzip.open if is_gzip(path) else open)(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_gzip(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


def open_text(path: Path):
    """A CSV file (plain or gzip, told by its first bytes) opened for csv.reader, without a byte-order mark."""
    opener = gzip.open if is_gzip(path) else open
    return opener(path, "rt", encoding="utf-8-sig", newline="")


def read_header(path: Path) -> list[str] | None:
    """The first row of a CSV file; None for an empty file."""
    try:
        with open_text(path) as handle:
            return next(csv.reader(handle), None)
    except (OSError, EOFError, UnicodeDecodeError, csv.Error) as error:
        raise SourceFileError(f"{path}: cannot be read as a UTF-8 CSV file: {error}") from error


def first_row(path: Path) -> dict[str, str] | None:
    """The first data row of a CSV file, by its header's names; None when it has none."""
    with open_text(path) as handle:
        return next(csv.DictReader(handle), None)


def header_problem(path: Path, found: list[str] | None, expected: Sequence[str], what: str) -> str | None:
    """What is wrong with a file's header row for `what`, in words an operator can act on; None if it is right."""
    expected = list(expected)
    if found is None:
        return f"{path}: the file is empty; expected a header row with the columns of {what}: {expected}"
    if found == expected:
        return None
    missing = [c for c in expected if c not in found]
    unexpected = [c for c in found if c not in expected]
    if len(missing) == 1 and len(unexpected) == 1:
        detail = f"column '{unexpected[0]}' where '{missing[0]}' was expected"
    elif missing or unexpected:
        detail = f"missing {missing}, unexpected {unexpected}"
    else:
        detail = "the same columns in another order"
    return (f"{path}: line 1 (header) does not match {what}: {detail}.\n"
            f"  expected columns: {expected}\n  found columns:    {found}")


def sql_string(text: str) -> str:
    """A SQL string literal (for the places DuckDB takes no parameters: ATTACH, COMMENT ON, struct literals)."""
    return "'" + text.replace("'", "''") + "'"


def read_csv_sql(columns: Sequence[tuple[str, str]], filename: bool = False) -> str:
    """DuckDB read_csv of a file, or a list of files, (as parameter ?) with these columns and types, strictly: a row
    cut short, an extra field or text in a number column fails with the line number. filename: each row also says
    its file (column filename)."""
    spec = "{" + ", ".join(f"{sql_string(name)}: {sql_string(kind)}" for name, kind in columns) + "}"
    return (f"read_csv(?, header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
            f"strict_mode = true, filename = {str(filename).lower()}, columns = {spec})")


def has_doubled_cr(path: Path) -> bool:
    """Whether the file's lines end in CR CR LF (seen in its first 64 KiB), which DuckDB's strict reader refuses."""
    with (gzip.open if is_gzip(path) else open)(path, "rb") as handle:
        return b"\r\r\n" in handle.read(1 << 16)


@contextmanager
def readable_copy(path: Path) -> Iterator[Path]:
    """The file itself, or, when its lines end in CR CR LF, a temporary copy with CRLF ends (DuckDB's strict reader
    refuses the doubled CR; nothing else is changed)."""
    if not has_doubled_cr(path):
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="forcestat-crlf-") as folder:
        copy = Path(folder) / path.name.removesuffix(".gz")
        with (gzip.open if is_gzip(path) else open)(path, "rb") as source, open(copy, "wb") as sink:
            carry = b""
            for block in iter(lambda: source.read(1 << 20), b""):
                block = carry + block
                # keep a trailing CR for the next block, so a CR CR LF split across blocks is still seen
                keep = len(block) - len(block.rstrip(b"\r"))
                carry, block = block[len(block) - keep:], block[: len(block) - keep]
                sink.write(block.replace(b"\r\r\n", b"\r\n"))
            sink.write(carry)
        yield copy


CSV_ERROR = re.compile(r"CSV Error on Line: (\d+)")
ORIGINAL_LINE = re.compile(r"Original Line:\s*\n?(.*)")
COLUMNS_FOUND = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")
CONVERSION = re.compile(r"Could not convert string \"(.*?)\" to '(\w+)'")


def csv_error_message(path: Path, error: Exception, what: str) -> str:
    """DuckDB's CSV error as an operator's sentence: file, line, what was found and what was expected. DuckDB's advice
    on reader options ("Possible fixes: ... strict_mode=false") is dropped: it is not the operator's to change."""
    text = str(error)
    line = CSV_ERROR.search(text)
    place = f"line {line.group(1)}" if line else "somewhere in the file"
    columns = COLUMNS_FOUND.search(text)
    conversion = CONVERSION.search(text)
    original = ORIGINAL_LINE.search(text)
    sample = f"\n  the line reads: {original.group(1).strip()[:300]}" if original and original.group(1).strip() else ""
    if columns:
        expected, found = columns.groups()
        cut = " (the file may be cut short, e.g. copied while it was still being written)" \
            if int(found) < int(expected) else ""
        return f"{path}: {place}: {found} columns where {expected} were expected{cut}{sample}"
    if conversion:
        value, kind = conversion.groups()
        return f"{path}: {place}: '{value}' is not a valid {kind.lower()} ({what} expects a number there){sample}"
    first = text.split("\n", 1)[0].removeprefix("Invalid Input Error: ").removeprefix("Conversion Error: ")
    return f"{path}: {place}: cannot be read as {what}: {first}{sample}"
