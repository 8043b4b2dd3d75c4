"""The rows of a large batch that break a suite's expectations, selected by DuckDB, so that only they travel to GX.

A suite whose meta says `"select_failing_rows": true` (the street marts' latest build: tens of millions of rows at ten
years national; a national month's delivery: 500,000) sends Great Expectations only the rows DuckDB finds breaking at
least one of its expectations, and the batch's row count beside them. GX still evaluates every expectation on those
rows and reports the results. Each expectation allowed here is row-wise (a row passes or fails on its own values), so
its failing rows among the selected ones are exactly its failing rows in the whole batch: the same count, sample and
index columns (source file and line) as GX would report on every row. The SQL only has to select a superset of the
rows GX fails; where DuckDB and GX could disagree it selects more, and GX decides (RE2 matches no more than Python's
`re` for the same pattern: Python's `$` also matches before a final newline, its `\\d` and `\\w` are Unicode).

Allowed: the expectation types below, without `row_condition` or `mostly` (a share of the whole batch, which the
selected rows cannot give). A suite asking for this with anything else is refused when it is read.
"""

from __future__ import annotations

import duckdb

from orchestration.warehouse.files import sql_string

ROW_WISE = ("expect_column_values_to_be_between", "expect_column_values_to_be_in_set",
            "expect_column_values_to_match_regex", "expect_column_values_to_not_be_null")
WHOLE_BATCH_KWARGS = ("row_condition", "condition_parser", "mostly")
NUMERIC_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT",
                 "FLOAT", "DOUBLE")


def problems(expectations: tuple[dict, ...]) -> list[str]:
    """Why these expectations cannot be checked on their failing rows alone (none: they can)."""
    found = []
    for number, expectation in enumerate(expectations, 1):
        if expectation["type"] not in ROW_WISE:
            found.append(f"expectation {number} ({expectation['type']}) is not one of {ROW_WISE}")
        elif set(expectation["kwargs"]) & set(WHOLE_BATCH_KWARGS):
            found.append(f"expectation {number} ({expectation['type']}) has one of {WHOLE_BATCH_KWARGS}")
    return found


def failing_rows_sql(con: duckdb.DuckDBPyConnection, batch_sql: str, columns: str, expectations: tuple[dict, ...],
                     parameters: dict) -> str:
    """A query of the batch's rows (the given columns) that break at least one of the expectations."""
    relation = con.sql(batch_sql)
    types = {name: str(kind) for name, kind in zip(relation.columns, relation.types, strict=True)}
    conditions = [_breaks(expectation, parameters, types) for expectation in expectations]
    return f"SELECT {columns} FROM ({batch_sql}) WHERE " + " OR ".join(f"({c})" for c in conditions)


def _breaks(expectation: dict, parameters: dict, types: dict[str, str]) -> str:
    """The SQL condition true for a row that breaks the expectation (at least where GX says so). GX skips nulls in
    every type but not_null, and so does SQL: a comparison with null is never true."""
    kwargs = {key: parameters[value["$PARAMETER"]] if isinstance(value, dict) and "$PARAMETER" in value else value
              for key, value in expectation["kwargs"].items()}
    name, kind = kwargs["column"], expectation["type"]
    if name not in types:
        raise ValueError(f"{kind}: the batch has no column {name!r}")
    column, column_type = f'"{name}"', types[name]

    def require(ok: bool, what: str) -> None:
        if not ok:
            raise ValueError(f"{kind} on {name!r} ({column_type}): selecting its failing rows in DuckDB needs {what}")

    if kind == "expect_column_values_to_not_be_null":
        return f"{column} IS NULL"
    if kind == "expect_column_values_to_be_between":
        bounds = [kwargs.get("min_value"), kwargs.get("max_value")]
        require(column_type in NUMERIC_TYPES or column_type.startswith("DECIMAL"), "a numeric column")
        require(any(b is not None for b in bounds) and all(b is None or isinstance(b, int | float) for b in bounds),
                "numeric bounds")
        outside = []
        if kwargs.get("min_value") is not None:
            outside.append(f"{column} {'<=' if kwargs.get('strict_min') else '<'} {kwargs['min_value']!r}")
        if kwargs.get("max_value") is not None:
            outside.append(f"{column} {'>=' if kwargs.get('strict_max') else '>'} {kwargs['max_value']!r}")
        return " OR ".join(outside)
    require(column_type == "VARCHAR", "a VARCHAR column")
    if kind == "expect_column_values_to_be_in_set":
        values = list(kwargs["value_set"])
        require(all(isinstance(v, str) for v in values), "a set of strings")
        return f"{column} NOT IN ({', '.join(map(sql_string, values))})" if values else f"{column} IS NOT NULL"
    return f"NOT regexp_matches({column}, {sql_string(kwargs['regex'])})"
