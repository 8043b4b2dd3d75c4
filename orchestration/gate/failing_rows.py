"""The rows of a large batch that break a suite's expectations, selected by DuckDB, so that only they travel to GX.

A suite whose meta says `"select_failing_rows": true` (the street marts' latest build: tens of millions of rows at ten
years national; a national month's delivery: 500,000) sends Great Expectations only the rows DuckDB finds breaking at
least one of its expectations, and the batch's row count beside them. GX still evaluates every expectation on those
rows and reports the results. Each expectation allowed here is row-wise (a row passes or fails on its own values), so
its failing rows among the selected ones are exactly its failing rows in the whole batch: the same count, sample and
index columns (source file and line) as GX would report on every row. The SQL only has to select a superset of the
rows GX fails; where DuckDB and GX could disagree it selects more, and GX decides (RE2 matches no more than Python's
`re` for the same pattern: Python's `$` also matches before a final newline, its `\\d` and `\\w` are Unicode).

Allowed: the expectation types below, without `mostly` (a share of the whole batch, which the selected rows cannot
give). A row_condition (pandas syntax) may compare columns with strings (==, !=, in, not in), name boolean columns and
combine them with and, or, not: DuckDB takes every row where it is not false, so a row where a null leaves the
condition unknown goes to GX, which decides. A suite asking for this with anything else is refused when it is read.
"""

from __future__ import annotations

import re

import duckdb

from orchestration.warehouse.files import sql_string

ROW_WISE = ("expect_column_values_to_be_between", "expect_column_values_to_be_in_set",
            "expect_column_values_to_match_regex", "expect_column_values_to_not_be_null",
            "expect_column_pair_values_a_to_be_greater_than_b")
WHOLE_BATCH_KWARGS = ("mostly",)
CONDITION_TOKEN = re.compile(
    r"""\s*(?:(?P<string>"[^"]*"|'[^']*')|(?P<operator>==|!=|[\[\](),])|(?P<word>[A-Za-z_]\w*))""")
CONDITION_WORDS = {"and": "AND", "or": "OR", "not": "NOT", "in": "IN", "True": "TRUE", "False": "FALSE"}
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
        elif "row_condition" in expectation["kwargs"]:
            try:
                if expectation["kwargs"].get("condition_parser") != "pandas":
                    raise ValueError("its condition_parser is not pandas")
                condition_sql(expectation["kwargs"]["row_condition"], None)
            except ValueError as error:
                found.append(f"expectation {number} ({expectation['type']}): row_condition {error}")
    return found


def condition_sql(condition: str, columns: set[str] | None) -> str:
    """A pandas row_condition as SQL, token by token (columns: those the batch has, None: not checked)."""
    translated, position = [], 0
    while position < len(condition.rstrip()):
        token = CONDITION_TOKEN.match(condition, position)
        if not token:
            raise ValueError(f"{condition!r}: cannot read it from {condition[position:]!r}")
        position = token.end()
        if token["string"]:
            translated.append(sql_string(token["string"][1:-1]))
        elif token["operator"]:
            translated.append({"==": "=", "!=": "<>", "[": "(", "]": ")"}.get(token["operator"], token["operator"]))
        elif token["word"] in CONDITION_WORDS:
            translated.append(CONDITION_WORDS[token["word"]])
        elif columns is not None and token["word"] not in columns:
            raise ValueError(f"{condition!r}: the batch has no column {token['word']!r}")
        else:
            translated.append(f'"{token["word"]}"')
    return " ".join(translated)


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
    breaks = _breaks_on_its_rows(expectation["type"], kwargs, types)
    if "row_condition" in kwargs:
        # Kleene logic: a condition SQL finds false is false whatever a null stands for, so pandas finds it false too
        return f"({condition_sql(kwargs['row_condition'], set(types))}) IS NOT FALSE AND ({breaks})"
    return breaks


def _breaks_on_its_rows(kind: str, kwargs: dict, types: dict[str, str]) -> str:
    if kind == "expect_column_pair_values_a_to_be_greater_than_b":
        pair = [kwargs["column_A"], kwargs["column_B"]]
        for name in pair:
            if name not in types or not (types[name] in NUMERIC_TYPES or types[name].startswith("DECIMAL")):
                raise ValueError(f"{kind}: selecting its failing rows in DuckDB needs numeric columns {pair}")
        a, b = (f'"{name}"' for name in pair)
        # every row where A is not above B (or equal) or either is null or NaN (DuckDB orders NaN above all numbers,
        # pandas compares it as false): GX applies ignore_row_if
        greater = f"{a} >= {b}" if kwargs.get("or_equal") else f"{a} > {b}"
        nan = [f"isnan({column})" for column, name in ((a, pair[0]), (b, pair[1]))
               if types[name] in ("FLOAT", "DOUBLE")]
        return " OR ".join([f"({greater}) IS NOT TRUE", *nan])
    name = kwargs["column"]
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
    if kind == "expect_column_values_to_be_in_set":
        values = list(kwargs["value_set"])
        if column_type in NUMERIC_TYPES or column_type.startswith("DECIMAL"):
            require(all(isinstance(v, int | float) and not isinstance(v, bool) for v in values), "a set of numbers")
            literals = [repr(v) for v in values]
        else:
            require(column_type == "VARCHAR" and all(isinstance(v, str) for v in values),
                    "a VARCHAR column with a set of strings, or a numeric one with numbers")
            literals = [sql_string(v) for v in values]
        return f"{column} NOT IN ({', '.join(literals)})" if values else f"{column} IS NOT NULL"
    require(column_type == "VARCHAR", "a VARCHAR column")
    return f"NOT regexp_matches({column}, {sql_string(kwargs['regex'])})"
