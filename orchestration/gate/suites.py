"""The expectation suites in expectations/: what each gates, which rows it reads, and its results as Dagster checks.

A suite file is a Great Expectations 1.x suite (name, expectations with type, kwargs, severity, description) plus
a `meta` saying which asset it gates and which rows make its batch:
- "delivery": the rows of an incoming delivery, before they reach the raw table (every suite of a raw table runs in
  the ingest step, on the delivery: a query suite of a raw table reads the `delivery` table too);
- "table": the whole table of the gated asset;
- "latest_build": the rows of an incremental table's latest build (`built_at`), so the cost does not grow with history;
- "query": a query (meta.query) over the delivery or over warehouse tables; the tables it reads besides the gated one
  are listed in meta.reads and become declared dependencies of the check.
meta.index_columns name what a failing row is shown by: the file and its line (or sheet and row), the force or area.
Values that come from reference data (force names, crime types, grades, bounds, how many forces there are) are GX
suite parameters ({"$PARAMETER": name}), filled from the dbt seeds by orchestration/gate/parameters.py. An expectation
with "for_each": "<seed>" is written once and stands for one expectation per row of that seed, with each "{column}"
in its strings replaced by the row's value: a rule for every measure checks a new measure without an edit.

Each suite gives up to two Dagster checks: gx_<suite> (blocking, severity ERROR: its "critical" expectations) and
gx_<suite>_warnings (not blocking, severity WARN: its "warning" expectations), so a known warning never makes the
blocking check look failed. How a suite is evaluated: orchestration/gate/resource.py.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from dagster import AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, AssetKey, MetadataValue

from orchestration.gate import findings
from orchestration.settings import EXPECTATIONS_DIR
from orchestration.warehouse.ledger import RAW_SCHEMA
from orchestration.warehouse.reference import seed_rows
from orchestration.warehouse.staging import DELIVERY_TABLE

ROW_SOURCES = ("delivery", "table", "latest_build", "query")
CONDITION_WORDS = {"and", "or", "not", "in", "True", "False", "None"}
SEVERITIES = ("critical", "warning")


@dataclass(frozen=True)
class Suite:
    path: Path
    name: str
    gates: AssetKey
    rows: str
    query: str | None
    reads: tuple[AssetKey, ...]
    index_columns: tuple[str, ...]
    notes: str
    expectations: tuple[dict, ...]  # as GX runs them: every "for_each" expectation expanded
    written: tuple[dict, ...]  # as the suite file writes them

    @classmethod
    def read(cls, path: Path) -> Suite:
        definition = json.loads(path.read_text())
        meta = definition.get("meta", {})
        problems = []
        if "gates" not in meta:
            problems.append("meta.gates (the asset it gates, e.g. marts.force_rates) is missing")
        if meta.get("rows") not in ROW_SOURCES:
            problems.append(f"meta.rows must be one of {ROW_SOURCES}")
        if (meta.get("rows") == "query") != bool(meta.get("query")):
            problems.append("meta.query is needed exactly when meta.rows is 'query'")
        if meta.get("rows") == "delivery" and not meta.get("gates", "").startswith(f"{RAW_SCHEMA}."):
            problems.append("only a raw table's suite reads deliveries")
        if not definition.get("expectations"):
            problems.append("it has no expectations")
        for number, expectation in enumerate(definition.get("expectations", []), 1):
            if expectation.get("severity") not in SEVERITIES:
                problems.append(f"expectation {number} ({expectation.get('type')}) has no severity {SEVERITIES}")
        if problems:
            raise ValueError(f"{path}: " + "; ".join(problems))
        written = tuple(definition["expectations"])
        expectations = tuple(expanded for expectation in written for expanded in expand(expectation))
        problems += findings.problems(expectations)
        if problems:
            raise ValueError(f"{path}: " + "; ".join(problems))
        return cls(path=path, name=definition["name"], gates=AssetKey(meta["gates"].split(".")), rows=meta["rows"],
                   query=meta.get("query"), reads=tuple(AssetKey(t.split(".")) for t in meta.get("reads", [])),
                   index_columns=tuple(meta.get("index_columns", [])), notes=meta.get("notes", ""),
                   expectations=expectations, written=written)

    @property
    def at_ingest(self) -> bool:
        """A raw table's suites audit each delivery in the ingest step, before it reaches the table."""
        return self.gates.path[0] == RAW_SCHEMA

    @property
    def table(self) -> str:
        return ".".join(self.gates.path)

    def expectations_of(self, severity: str) -> list[dict]:
        return [e for e in self.expectations if e["severity"] == severity]

    @property
    def check_name(self) -> str:
        return f"gx_{self.name}"

    @property
    def warnings_check_name(self) -> str:
        return f"gx_{self.name}_warnings"

    def check_specs(self) -> list[AssetCheckSpec]:
        specs = []
        if self.expectations_of("critical"):
            specs.append(AssetCheckSpec(
                self.check_name, asset=self.gates, blocking=True, additional_deps=self.reads,
                description=f"Great Expectations suite {self.path.name}: {len(self.expectations_of('critical'))} "
                            f"critical expectations on {self.rows_description}; a failure blocks publication."))
        if self.expectations_of("warning"):
            specs.append(AssetCheckSpec(
                self.warnings_check_name, asset=self.gates, blocking=False, additional_deps=self.reads,
                description=f"Great Expectations suite {self.path.name}: {len(self.expectations_of('warning'))} "
                            f"warning expectations on {self.rows_description}; shown, never blocking."))
        return specs

    @property
    def rows_description(self) -> str:
        return {"delivery": "each delivery before it is loaded", "table": "the whole table",
                "latest_build": "the rows of the latest build", "query": "a query"}[self.rows]

    @property
    def columns(self) -> list[str]:
        """The columns its expectations read (those named, those in row conditions, the index columns): only these
        travel to GX. Empty when none is named (a table-level expectation): then the whole row goes."""
        names = set(self.index_columns)
        for expectation in self.expectations:
            kwargs = expectation["kwargs"]
            names |= {kwargs[key] for key in ("column", "column_A", "column_B") if key in kwargs}
            names |= set(kwargs.get("column_list", []))
            if "row_condition" in kwargs:
                unquoted = re.sub(r"'[^']*'|\"[^\"]*\"", " ", kwargs["row_condition"])
                names |= set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", unquoted)) - CONDITION_WORDS
        return sorted(names)

    def batch_sql(self) -> str:
        if self.rows == "delivery":
            return f"SELECT * FROM {DELIVERY_TABLE}"
        if self.rows == "table":
            return f"SELECT * FROM {self.table}"
        if self.rows == "latest_build":
            return f"SELECT * FROM {self.table} WHERE built_at = (SELECT max(built_at) FROM {self.table})"
        return self.query


def expand(expectation: dict) -> list[dict]:
    """One expectation, or for "for_each": "<seed>" one per row of the seed, "{column}" replaced by the row's value."""
    seed = expectation.get("for_each")
    if seed is None:
        return [expectation]
    template = {key: value for key, value in expectation.items() if key != "for_each"}

    def fill(value, row):
        if isinstance(value, str):
            return re.sub(r"\{(\w+)\}", lambda match: row[match[1]], value)
        if isinstance(value, dict):
            return {key: fill(inner, row) for key, inner in value.items()}
        if isinstance(value, list):
            return [fill(inner, row) for inner in value]
        return value

    return [fill(template, row) for row in seed_rows(seed)]


@cache
def load_suites(expectations_dir: Path = EXPECTATIONS_DIR) -> tuple[Suite, ...]:
    return tuple(Suite.read(path) for path in sorted(expectations_dir.glob("*.json")))


def suites_gating(key: AssetKey) -> list[Suite]:
    return [suite for suite in load_suites() if suite.gates == key]


@dataclass(frozen=True)
class Outcome:
    suite: Suite
    failed: list[dict]
    rows: int
    data_docs: str | None

    def failed_of(self, severity: str) -> list[dict]:
        return [f for f in self.failed if f["severity"] == severity]

    def rejected(self, column: str) -> set[str]:
        """Values of an index column (e.g. the source file) among rows that failed a critical expectation. A critical
        failure that names no row (a table-level expectation) rejects the whole batch: returns {"*"}."""
        values: set[str] = set()
        for failure in self.failed_of("critical"):
            by = failure.get("by", {}).get(column)
            values |= set(by) if by else {"*"}
        return values


def check_results(outcome: Outcome, data_docs_url: str | None = None) -> list[AssetCheckResult]:
    """The suite's outcome as its Dagster check results (the warnings check only when it has warnings)."""
    suite = outcome.suite
    results = []
    for severity, name, level in (("critical", suite.check_name, AssetCheckSeverity.ERROR),
                                  ("warning", suite.warnings_check_name, AssetCheckSeverity.WARN)):
        if not suite.expectations_of(severity):
            continue
        failed = outcome.failed_of(severity)
        metadata = {"suite_file": suite.path.name, "expectations": len(suite.expectations_of(severity)),
                    "rows_validated": outcome.rows, "failed_expectations": MetadataValue.json(failed)}
        if failed and data_docs_url:
            metadata["data_docs"] = MetadataValue.url(data_docs_url)
        description = (f"{len(failed)} of {len(suite.expectations_of(severity))} {severity} expectations failed: "
                       + "; ".join(summarise(f) for f in failed)) if failed else None
        results.append(AssetCheckResult(asset_key=suite.gates, check_name=name, passed=not failed, severity=level,
                                        metadata=metadata, description=description[:2000] if description else None))
    return results


def place(example: dict, column) -> str:
    """A failing row in words: where it is (line, or sheet and row), its keys (force, area) and the value, e.g.
    "line 5 (PFA 'Lancashire', 12 months ending '15-05-2003'): end_month 5"."""
    columns = column if isinstance(column, list) else [column]
    sheet = f"sheet {example['_sheet']!r}" if example.get("_sheet") else ""
    line = (f"row {example['_line']}" if sheet else f"line {example['_line']}") if "_line" in example else ""
    where = " ".join(filter(None, [sheet, line]))
    keys = ", ".join(f"{key} {value!r}" for key, value in example.items()
                     if key not in ("_sheet", "_line", "_source_file", *columns))
    value = ", ".join(f"{c} {example.get(c)!r}" for c in columns if c in example)
    return " ".join(filter(None, [where, f"({keys})" if keys else "", value])).strip() or repr(example)


def summarise(failure: dict) -> str:
    """One line for one failed expectation: what, on which column, how many rows, and the first rows as they are
    (their line or sheet and row, their force or area, and the value); a whole-table one, the value observed."""
    column = failure.get("column")
    on = f" on {column}" if column else ""
    count = f", {failure['failing_rows']} rows" if failure.get("failing_rows") is not None else ""
    examples = failure.get("examples") or []
    shown = "; ".join(place(example, column) for example in examples[:3]) if examples else str(failure["sample"][:3])
    return f"{failure.get('description') or failure['expectation']}{on}{count}, e.g. {shown}"


def suites_markdown() -> str:
    """Every suite's expectations, as expectations/README.md shows them (`forcestat expectations`)."""
    lines = ["# Expectation suites", "",
             "Great Expectations suites, run as Dagster asset checks. A raw table's suites audit each delivery in its",
             "ingest step, before anything reaches the table; the others run after dbt, before publication. `critical`",
             "expectations make the blocking check `gx_<suite>` (a failure refuses the delivery or holds the",
             "publication back); `warning` ones make `gx_<suite>_warnings`, shown and never blocking. Parameters",
             "(`$PARAMETER`) come from the dbt seeds. Generated by `forcestat expectations > expectations/README.md`",
             "(a test keeps it in step).", "",
             "What is where: structure (types, not null, unique keys, relationships, closed code lists) is in the dbt",
             "contracts and tests of the models; ranges, distributions, plausibility, reconciliations and counts from",
             "the seeds are in these suites, never repeating a contract. Every expectation is checked by DuckDB where",
             "the rows are; where a critical one fails, Great Expectations validates the rows found and writes the",
             "refusal's Data Docs (orchestration/gate/).", ""]
    for suite in load_suites():
        lines += [f"## `{suite.name}`: {suite.table} ({suite.rows_description})", "", suite.notes, "",
                  "| severity | expectation | on | what it means |", "|---|---|---|---|"]
        for expectation in suite.written:
            kwargs = expectation["kwargs"]
            on = kwargs.get("column") or ", ".join(kwargs.get("column_list", [])) or \
                ", ".join(filter(None, [kwargs.get("column_A"), kwargs.get("column_B")])) or "rows"
            condition = f" where {kwargs['row_condition']}" if kwargs.get("row_condition") else ""
            each = f" (one for each row of seed `{expectation['for_each']}`)" if "for_each" in expectation else ""
            lines.append(f"| {expectation['severity']} | `{expectation['type']}` | {on}{condition}{each} | "
                         f"{expectation.get('description', '').replace('|', '/')} |")
        lines.append("")
    return "\n".join(lines)
