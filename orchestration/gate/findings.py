"""Every expectation of a suite checked by DuckDB on the suite's rows, where they are: what fails, on how many rows,
a sample of the values, and the failing rows' index columns (the file, the line or sheet and row, the force or area).

The nine expectation types the suites use are the rules below, written as GX evaluates them: nulls are skipped by
every type but the null ones (and NaN, as pandas does); a pandas row_condition is translated to SQL token by token
(comparisons, in, and, or, not, strings, numbers); a regular expression's final `$` also matches before a final
newline, as in Python; uniqueness counts every row of a repeated value (GX's "unexpected" rows). A suite whose rows
break nothing passes here, without Great Expectations; where a critical expectation fails, GX itself validates the rows
found (orchestration/gate/validation.py) and its verdict and Data Docs are the refusal's. The SQL may find more than GX
would (RE2 against Python's `re`, NaN): never fewer, and GX then decides.
"""

from __future__ import annotations

import json
import re

import duckdb

from orchestration.warehouse.files import sql_string

SAMPLE_SIZE = 10
ROW_WISE = ("expect_column_values_to_be_between", "expect_column_values_to_be_in_set",
            "expect_column_values_to_match_regex", "expect_column_values_to_not_be_null",
            "expect_column_values_to_be_null", "expect_column_pair_values_a_to_be_greater_than_b")
REPEATS = ("expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique")
TABLE = ("expect_table_row_count_to_equal",)
TYPES = ROW_WISE + REPEATS + TABLE
CONDITION_TOKEN = re.compile(r"""\s*(?:(?P<string>"[^"]*"|'[^']*')|(?P<number>-?\d+(?:\.\d+)?)"""
                             r"""|(?P<operator>==|!=|<=|>=|<|>|[\[\](),])|(?P<word>[A-Za-z_]\w*))""")
CONDITION_WORDS = {"and": "AND", "or": "OR", "not": "NOT", "in": "IN", "True": "TRUE", "False": "FALSE"}
NUMERIC_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT",
                 "FLOAT", "DOUBLE")


def problems(expectations: tuple[dict, ...]) -> list[str]:
    """Why an expectation cannot be checked here (none: every one can)."""
    found = []
    for number, expectation in enumerate(expectations, 1):
        kwargs = expectation["kwargs"]
        if expectation["type"] not in TYPES:
            found.append(f"expectation {number} ({expectation['type']}) is not one of {TYPES}")
        elif "mostly" in kwargs:
            found.append(f"expectation {number} ({expectation['type']}): 'mostly' is not used here; write the rule "
                         "as a bound on a query's rows instead")
        elif "row_condition" in kwargs:
            try:
                if kwargs.get("condition_parser") != "pandas":
                    raise ValueError("its condition_parser is not pandas")
                condition_sql(kwargs["row_condition"], None)
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
        elif token["number"]:
            translated.append(token["number"])
        elif token["operator"]:
            translated.append({"==": "=", "!=": "<>", "[": "(", "]": ")"}.get(token["operator"], token["operator"]))
        elif token["word"] in CONDITION_WORDS:
            translated.append(CONDITION_WORDS[token["word"]])
        elif columns is not None and token["word"] not in columns:
            raise ValueError(f"{condition!r}: the batch has no column {token['word']!r}")
        else:
            translated.append(f'"{token["word"]}"')
    return " ".join(translated)


def resolved(kwargs: dict, parameters: dict) -> dict:
    return {key: parameters[value["$PARAMETER"]] if isinstance(value, dict) and "$PARAMETER" in value else value
            for key, value in kwargs.items()}


def plain(value):
    """A value as JSON carries it (dates as text)."""
    return json.loads(json.dumps(value, default=str))


def column_types(con: duckdb.DuckDBPyConnection, batch_sql: str) -> dict[str, str]:
    relation = con.sql(batch_sql)
    return {name: str(kind) for name, kind in zip(relation.columns, relation.types, strict=True)}


def find(con: duckdb.DuckDBPyConnection, batch_sql: str, expectations: tuple[dict, ...], parameters: dict,
         index_columns: tuple[str, ...]) -> tuple[int, list[dict]]:
    """(rows in the batch, one finding per failed expectation). A finding: expectation, description, column,
    severity, failing_rows, sample (up to ten values), by (every failing row's index values, per index column) and
    examples (up to ten failing rows: their index columns and the value)."""
    types = column_types(con, batch_sql)
    checks = [(expectation, resolved(expectation["kwargs"], parameters)) for expectation in expectations]
    # the batch's rows and every row-wise expectation's failing rows counted in one pass over the batch (a street
    # mart's latest build is millions of rows); a uniqueness needs its own query
    row_wise = [index for index, (expectation, _) in enumerate(checks) if expectation["type"] in ROW_WISE]
    counted = con.execute("SELECT count(*)" + "".join(
        f", count(*) FILTER (WHERE {failing_where(checks[index][0]['type'], checks[index][1], types)})"
        for index in row_wise) + f" FROM ({batch_sql})").fetchone()
    rows, counts = counted[0], dict(zip(row_wise, counted[1:], strict=True))
    found = []
    for index, (expectation, kwargs) in enumerate(checks):
        kind = expectation["type"]
        column = kwargs.get("column") or kwargs.get("column_list") or (
            [kwargs["column_A"], kwargs["column_B"]] if "column_A" in kwargs else None)
        finding = {"expectation": kind, "description": expectation.get("description"), "column": column,
                   "severity": expectation["severity"]}
        if kind in TABLE:
            if rows != kwargs["value"]:
                found.append({**finding, "failing_rows": None, "sample": [rows], "by": {}, "examples": []})
            continue
        failing = failing_sql(batch_sql, kind, kwargs, types)
        count = counts[index] if index in counts else con.execute(f"SELECT count(*) FROM ({failing})").fetchone()[0]
        if count == 0:
            continue
        values = column if isinstance(column, list) else [column]
        shown = [c for c in index_columns if c in types]
        order = ", ".join(f'"{c}"' for c in shown) or "1"
        picked = con.execute(f"SELECT {', '.join(f'{chr(34)}{c}{chr(34)}' for c in dict.fromkeys(shown + values))} "
                             f"FROM ({failing}) ORDER BY {order} LIMIT {SAMPLE_SIZE}").fetchall()
        names = list(dict.fromkeys(shown + values))
        examples = [plain(dict(zip(names, row, strict=True))) for row in picked]
        if kind == "expect_compound_columns_to_be_unique":
            sample = [{c: example[c] for c in values} for example in examples]
        elif len(values) == 2:
            sample = [[example[values[0]], example[values[1]]] for example in examples]
        else:
            sample = [example[values[0]] for example in examples]
        by = {c: sorted(str(value) for (value,) in con.execute(f'SELECT DISTINCT "{c}" FROM ({failing})').fetchall())
              for c in shown}
        found.append({**finding, "failing_rows": count, "sample": sample, "by": by, "examples": examples})
    return rows, found


def failing_sql(batch_sql: str, kind: str, kwargs: dict, types: dict[str, str]) -> str:
    """The batch's rows that break the expectation."""
    if kind in REPEATS:
        columns = kwargs.get("column_list") or [kwargs["column"]]
        keys = ", ".join(f'"{c}"' for c in columns)
        kept = " OR ".join(f'"{c}" IS NOT NULL' for c in columns)  # GX skips rows whose values are all missing
        return (f"SELECT * EXCLUDE (repeats) FROM (SELECT *, count(*) OVER (PARTITION BY {keys}) AS repeats "
                f"FROM ({batch_sql}) WHERE {_condition(kwargs, types)} AND ({kept})) WHERE repeats > 1")
    return f"SELECT * FROM ({batch_sql}) WHERE {failing_where(kind, kwargs, types)}"


def failing_where(kind: str, kwargs: dict, types: dict[str, str]) -> str:
    """Whether a row breaks a row-wise expectation, as SQL."""
    return f"{_condition(kwargs, types)} AND ({_breaks(kind, kwargs, types)})"


def _condition(kwargs: dict, types: dict[str, str]) -> str:
    """The rows an expectation applies to: its pandas row_condition, or all."""
    if "row_condition" not in kwargs:
        return "TRUE"
    return f"({condition_sql(kwargs['row_condition'], set(types))}) IS TRUE"


def _breaks(kind: str, kwargs: dict, types: dict[str, str]) -> str:
    if kind == "expect_column_pair_values_a_to_be_greater_than_b":
        pair = [kwargs["column_A"], kwargs["column_B"]]
        for name in pair:
            if name not in types or not (types[name] in NUMERIC_TYPES or types[name].startswith(
                    ("DECIMAL", "DATE", "TIMESTAMP"))):
                raise ValueError(f"{kind}: needs numeric or date columns {pair}")
        a, b = (f'"{name}"' for name in pair)
        ignored = {"either_value_is_missing": f"{a} IS NULL OR {b} IS NULL",
                   "both_values_are_missing": f"{a} IS NULL AND {b} IS NULL"}.get(kwargs.get("ignore_row_if"), "FALSE")
        greater = f"{a} >= {b}" if kwargs.get("or_equal") else f"{a} > {b}"
        # a null or NaN compares false in pandas: such a row fails unless ignored
        nan = [f"isnan({column})" for column, name in ((a, pair[0]), (b, pair[1])) if types[name] in ("FLOAT",
                                                                                                     "DOUBLE")]
        return f"NOT ({ignored}) AND (({greater}) IS NOT TRUE{''.join(f' OR {n}' for n in nan)})"
    name = kwargs["column"]
    if name not in types:
        raise ValueError(f"{kind}: the batch has no column {name!r}")
    column, column_type = f'"{name}"', types[name]
    numeric = column_type in NUMERIC_TYPES or column_type.startswith("DECIMAL")

    def require(ok: bool, what: str) -> None:
        if not ok:
            raise ValueError(f"{kind} on {name!r} ({column_type}): needs {what}")

    floating = column_type in ("FLOAT", "DOUBLE")
    if kind == "expect_column_values_to_not_be_null":  # pandas holds NaN for a missing number
        return f"{column} IS NULL" + (f" OR isnan({column})" if floating else "")
    if kind == "expect_column_values_to_be_null":
        return f"{column} IS NOT NULL" + (f" AND NOT isnan({column})" if floating else "")
    if floating:  # GX skips a NaN as missing; DuckDB would order it above every number
        return f"NOT isnan({column}) AND ({_breaks_value(kind, kwargs, column, column_type, numeric, require)})"
    return _breaks_value(kind, kwargs, column, column_type, numeric, require)


def _breaks_value(kind: str, kwargs: dict, column: str, column_type: str, numeric: bool, require) -> str:
    if kind == "expect_column_values_to_be_between":
        bounds = [kwargs.get("min_value"), kwargs.get("max_value")]
        require(numeric, "a numeric column")
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
        if numeric:
            require(all(isinstance(v, int | float) and not isinstance(v, bool) for v in values), "a set of numbers")
            literals = [repr(v) for v in values]
        elif column_type == "BOOLEAN":
            require(all(isinstance(v, bool) for v in values), "a set of true and false")
            literals = [str(v).upper() for v in values]
        else:
            require(column_type == "VARCHAR" and all(isinstance(v, str) for v in values),
                    "a VARCHAR column with a set of strings, a numeric one with numbers, or a BOOLEAN one")
            literals = [sql_string(v) for v in values]
        return f"{column} NOT IN ({', '.join(literals)})" if values else f"{column} IS NOT NULL"
    require(column_type == "VARCHAR", "a VARCHAR column")
    return f"NOT regexp_matches({column}, {sql_string(python_end(kwargs['regex']))})"


def python_end(regex: str) -> str:
    """A pattern for RE2 whose final `$` matches where Python's does: at the end, or before a final newline."""
    return regex[:-1] + "\\n?$" if regex.endswith("$") and not regex.endswith("\\$") else regex
