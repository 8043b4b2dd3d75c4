"""`forcestat sql`: read-only SQL on the published file, for analysts.

One-shot (`forcestat sql "SELECT ...; SELECT ..."`) prints every statement's result; interactive, it keeps a history
(~/.forcestat_sql_history), completes table and column names, ends statements at ';', and takes dot commands:
.tables, .schema TABLE, .describe TABLE (the column descriptions), .mode table|line|csv|markdown|json, .quit.
Ctrl-C cancels the running query, not the session. Errors are one line. Doubles print rounded to 3 decimals in
table and markdown mode (csv and json print them exactly). The connection is sealed (orchestration/publication/
reader.py): no ATTACH, no COPY TO, no reading or writing other files; exporting is `forcestat export`.
"""

from __future__ import annotations

import csv
import json
import math
import sys
import threading
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import duckdb
from tabulate import tabulate

from orchestration.publication.reader import NotPublished, connect
from orchestration.settings import Settings

MODES = ("table", "line", "csv", "markdown", "json")
HISTORY = Path.home() / ".forcestat_sql_history"
HELP = """.tables                 the published tables, with their row counts and descriptions
.schema TABLE           its columns and types
.describe TABLE         its columns, types and descriptions
.mode table|line|csv|markdown|json   how results print (line: one field a line, for wide rows)
.quit                   leave (or Ctrl-D); Ctrl-C cancels a running query"""


class Session:
    def __init__(self, con: duckdb.DuckDBPyConnection, out=None):
        self.con, self.out, self.mode = con, out or sys.stdout, "table"  # stdout as it is now (a test replaces it)

    def statements(self, text: str) -> list[str]:
        return [s.strip() for s in self._split(text) if s.strip()]

    @staticmethod
    def _split(text: str) -> list[str]:
        """Split on ';' outside quotes."""
        parts, current, quote = [], [], None
        for char in text:
            if quote:
                quote = None if char == quote else quote
            elif char in ("'", '"'):
                quote = char
            elif char == ";":
                parts.append("".join(current))
                current = []
                continue
            current.append(char)
        parts.append("".join(current))
        return parts

    def run(self, text: str) -> bool:
        """Run statements or a dot command; print results; return False if anything failed."""
        text = text.strip()
        if text.startswith("."):
            return self.dot(text)
        ok = True
        for statement in self.statements(text):
            try:
                relation = self._execute(statement)
            except KeyboardInterrupt:
                print("query cancelled", file=sys.stderr)
                return False
            except duckdb.Error as error:
                print(f"error: {one_line(error)}", file=sys.stderr)
                ok = False
                continue
            if relation is not None:
                self.show(relation)
        return ok

    def _execute(self, statement: str):
        """Run a statement in a thread, so Ctrl-C can interrupt DuckDB instead of ending the session."""
        result: dict = {}

        def work():
            try:
                result["relation"] = self.con.sql(statement)
                if result["relation"] is not None:
                    result["rows"] = result["relation"].fetchall()  # materialise here, where it can be interrupted
            except BaseException as error:  # noqa: BLE001 - handed to the calling thread
                result["error"] = error

        thread = threading.Thread(target=work, daemon=True)
        thread.start()
        try:
            while thread.is_alive():
                thread.join(0.1)
        except KeyboardInterrupt:
            self.con.interrupt()
            thread.join()
            raise
        if "error" in result:
            raise result["error"]
        return result.get("relation")

    def show(self, relation) -> None:
        # every mode but table prints the values DuckDB hands to Python (a DATE stays a date; NULL is empty in csv,
        # null in json, NULL otherwise), not a pandas frame's, which widen DATE to TIMESTAMP and NULL to nan
        if self.mode == "csv":
            writer = csv.writer(self.out, lineterminator="\n")
            writer.writerow(relation.columns)
            writer.writerows(relation.fetchall())
            return
        if self.mode == "json":
            records = [dict(zip(relation.columns, map(finite, row), strict=True)) for row in relation.fetchall()]
            print(json.dumps(records, indent=1, default=json_value, allow_nan=False), file=self.out)
            return
        rounded = relation.project(", ".join(
            f'round("{name}", 3) AS "{name}"' if str(kind).startswith(("DOUBLE", "FLOAT", "DECIMAL"))
            else f'"{name}"' for name, kind in zip(relation.columns, relation.types, strict=True)))
        if self.mode == "table":  # DuckDB's table fits the terminal's width, eliding columns and rows it cannot show
            print(rounded, file=self.out)
            rows = rounded.count("*").fetchall()[0][0]
        else:
            records = rounded.fetchall()
            rows = len(records)
            if self.mode == "markdown":
                print(tabulate(records, headers=rounded.columns, tablefmt="pipe", missingval="NULL"), file=self.out)
            else:  # line: one field a line, for rows too wide for the terminal
                width = max(len(name) for name in rounded.columns)
                for number, record in enumerate(records, 1):
                    print(f"-- row {number}", file=self.out)
                    print("\n".join(f"{name:>{width}} = {'NULL' if value is None else value}"
                                    for name, value in zip(rounded.columns, record, strict=True)), file=self.out)
        print(f"({rows} row{'s' if rows != 1 else ''})", file=self.out)

    def dot(self, text: str) -> bool:
        command, _, argument = text.partition(" ")
        argument = argument.strip().rstrip(";")
        if command in (".quit", ".exit"):
            raise EOFError
        if command == ".help":
            print(HELP, file=self.out)
        elif command == ".tables":
            self.show(self.con.sql("SELECT table_name, estimated_size AS rows, comment AS description "
                                   "FROM duckdb_tables() ORDER BY table_name"))
        elif command in (".schema", ".describe") and argument:
            columns = "column_name, data_type" + (", comment AS description" if command == ".describe" else "")
            relation = self.con.execute(f"SELECT {columns} FROM duckdb_columns() WHERE table_name = ? "
                                        "ORDER BY column_index", [argument])
            frame = relation.df()
            if frame.empty:
                print(f"error: no table {argument} (.tables lists them)", file=sys.stderr)
                return False
            print(frame.to_markdown(index=False) if command == ".describe" else frame.to_string(index=False),
                  file=self.out)
        elif command == ".mode" and argument in MODES:
            self.mode = argument
        else:
            print(f"error: unknown or incomplete command {text!r}; .help lists them", file=sys.stderr)
            return False
        return True

    def names(self) -> list[str]:
        return sorted({name for (name,) in self.con.execute(
            "SELECT table_name FROM duckdb_tables() UNION SELECT column_name FROM duckdb_columns()").fetchall()})


def finite(value):
    """JSON has no NaN or infinity: null, as for a missing value."""
    return None if isinstance(value, float) and not math.isfinite(value) else value


def json_value(value):
    """JSON for what the json module cannot write itself: dates and times as ISO text (a DATE as 2014-06-30),
    decimals as numbers."""
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, UUID):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def one_line(error: Exception) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return " ".join(lines[:2])[:400]


def run_sql(settings: Settings, query: str | None, mode: str = "table") -> int:
    try:
        con = connect(settings)
    except NotPublished as error:
        print(error, file=sys.stderr)
        return 1
    session = Session(con)
    session.mode = mode
    if query:
        return 0 if session.run(query) else 1
    return interactive(session, settings)


def interactive(session: Session, settings: Settings) -> int:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.completion import WordCompleter
    from prompt_toolkit.history import FileHistory

    prompt = PromptSession(history=FileHistory(str(HISTORY)), complete_while_typing=False,
                           completer=WordCompleter(session.names() + [".tables", ".schema", ".describe", ".mode"],
                                                   ignore_case=True, sentence=True))
    print(f"forcestat: {settings.published_db} (read-only). Statements end with ';'. .help lists the commands.")
    buffer: list[str] = []
    while True:
        try:
            line = prompt.prompt("forcestat> " if not buffer else "      ...> ")
        except KeyboardInterrupt:
            buffer = []  # Ctrl-C at the prompt clears the statement being typed
            continue
        except EOFError:
            return 0
        if not buffer and line.strip().startswith("."):
            try:
                session.run(line)
            except EOFError:
                return 0
            continue
        buffer.append(line)
        if line.rstrip().endswith(";"):
            session.run("\n".join(buffer))
            buffer = []
