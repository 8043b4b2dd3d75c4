"""Great Expectations' own validation of a suite, for a refusal: on the rows DuckDB found failing (or a whole small
batch), its verdict, its counts and samples, and its Data Docs page. Imported only when a critical expectation
fails: GX's import takes 5-7 s, and a run whose data pass never pays it.

GX 1.x has no maintained Dagster integration, and its SQL datasource does not work on DuckDB, hence DuckDB ->
pandas -> an ephemeral GX context, kept for the life of the process.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

SAMPLE_SIZE = 10


@cache
def _context():
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)  # no tqdm bars in run logs
    return context, context.data_sources.add_pandas(name="warehouse")


def validate(name: str, expectations: list[dict], frame, parameters: dict, index_columns: list[str],
             data_docs_dir: Path | None) -> dict:
    """Run a suite on a batch (a pandas frame). Returns {"failed": [...], "data_docs": path|None}; every failed
    expectation names its type, column, severity, failing rows, a sample of failing values, the distinct values of
    the index columns among the failing rows (e.g. the source files and lines), and the first failing rows (their
    index columns and the value)."""
    import great_expectations as gx

    context, source = _context()
    for store in (context.validation_definitions, context.suites):  # a second run of a suite replaces the first
        try:
            store.delete(name)
        except Exception:  # noqa: BLE001 - GX raises its own types for "not there", none of them public
            pass
    suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=expectations))
    if len(suite.expectations) != len(expectations):
        # GX logs and drops an expectation it cannot build; a gate must not silently lose one
        raise ValueError(f"suite {name}: some expectations are not valid GX configurations")
    asset_name = f"{name}_batch"
    try:
        asset = source.get_asset(asset_name)
    except LookupError:
        asset = source.add_dataframe_asset(name=asset_name)
    batch = next(iter(asset.batch_definitions), None) or asset.add_batch_definition_whole_dataframe("all")
    validation = context.validation_definitions.add(gx.ValidationDefinition(name=name, suite=suite, data=batch))
    result_format = {"result_format": "COMPLETE" if index_columns else "SUMMARY",
                     "partial_unexpected_count": SAMPLE_SIZE}
    if index_columns:
        result_format["unexpected_index_column_names"] = index_columns
    results = validation.run(batch_parameters={"dataframe": frame}, expectation_parameters=parameters,
                             result_format=result_format)
    failed = [_failure(result, index_columns) for result in results.results if not result.success]
    docs = None
    if failed and data_docs_dir:
        docs = _render_data_docs(context, name, Path(data_docs_dir))
    return {"failed": failed, "data_docs": docs}


def _failure(result, index_columns: list[str]) -> dict:
    config = result.expectation_config
    kwargs = config.kwargs
    details = result.result or {}
    if result.exception_info and result.exception_info.get("raised_exception"):
        failing, sample = None, [result.exception_info.get("exception_message", "")]  # could not be evaluated
    elif "partial_unexpected_list" in details:
        failing, sample = details.get("unexpected_count"), [_plain(v) for v in details["partial_unexpected_list"]]
    else:
        failing, sample = None, [_plain(details.get("observed_value"))]
    rows = [row for row in details.get("unexpected_index_list") or [] if isinstance(row, dict)]
    indexed = {column: sorted({str(row.get(column)) for row in rows}) for column in index_columns}
    return {
        "expectation": config.type,
        "description": config.description,
        "column": kwargs.get("column") or kwargs.get("column_list")
        or ([kwargs["column_A"], kwargs["column_B"]] if "column_A" in kwargs else None),
        "severity": config.severity.value,
        "failing_rows": failing,
        "sample": sample[:SAMPLE_SIZE],
        "by": indexed,
        "examples": [_plain(row) for row in rows[:SAMPLE_SIZE]],
    }


def _plain(value):
    """A value as JSON can carry it: numpy's numbers as numbers, dates and the rest as text."""
    return json.loads(json.dumps(value, default=lambda v: v.item() if hasattr(v, "item") else str(v)))


def _render_data_docs(context, name: str, folder: Path) -> str:
    """GX's Data Docs site for this suite's latest validation, under folder/<suite>/ (rendered only on failure:
    it costs about half a second a suite)."""
    from orchestration.gate.data_docs import localise

    # one site per suite and folder (a process may gate several warehouses: the tests do)
    site = f"docs_{name}_{abs(hash(str(folder)))}"
    if site not in (context.get_config().data_docs_sites or {}):
        context.add_data_docs_site(site, {
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": f"{folder / name}/"},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        })
    context.build_data_docs(site_names=[site])
    localise(folder / name)  # its scripts and styles from a local copy, so the page works offline
    return str(folder / name / "index.html")
