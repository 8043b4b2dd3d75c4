"""Great Expectations validation of one suite against one batch. Runs in the gate service or a gate worker
(orchestration/gate/worker.py); it reads the batch from the Parquet file the run wrote, and imports no Dagster.

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


def warm() -> None:
    """Import GX and build the context (the 5-7 s the service and the worker exist to hide)."""
    import duckdb  # noqa: F401 - read_parquet's import, paid here too

    _context()


def validate(request: dict) -> dict:
    """Run a suite on a batch. The request: name, expectations (the suite's), batch (a Parquet file), parameters,
    index_columns, data_docs_dir. Returns {"failed": [...], "rows": n, "data_docs": path|None}; every failed
    expectation names its type, column, severity, failing rows, a sample of failing values and, when index columns
    are given, the distinct values of those columns among the failing rows (e.g. the source files and lines)."""
    import duckdb
    import great_expectations as gx

    context, source = _context()
    name, index_columns, data_docs_dir = request["name"], request["index_columns"], request["data_docs_dir"]
    frame = duckdb.read_parquet(request["batch"]).df()
    for store in (context.validation_definitions, context.suites):  # a second run of a suite replaces the first
        try:
            store.delete(name)
        except Exception:  # noqa: BLE001 - GX raises its own types for "not there", none of them public
            pass
    expectations = request["expectations"]
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
    results = validation.run(batch_parameters={"dataframe": frame}, expectation_parameters=request["parameters"],
                             result_format=result_format)
    failed = [_failure(result, index_columns) for result in results.results if not result.success]
    docs = None
    if failed and data_docs_dir:
        docs = _render_data_docs(context, name, Path(data_docs_dir))
    return {"failed": failed, "rows": len(frame), "data_docs": docs}


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
    indexed = {column: sorted({str(row.get(column)) for row in details.get("unexpected_index_list") or []
                               if isinstance(row, dict)}) for column in index_columns}
    return {
        "expectation": config.type,
        "description": config.description,
        "column": kwargs.get("column") or kwargs.get("column_list")
        or ([kwargs["column_A"], kwargs["column_B"]] if "column_A" in kwargs else None),
        "severity": config.severity.value,
        "failing_rows": failing,
        "sample": sample[:SAMPLE_SIZE],
        "by": indexed,
    }


def _plain(value):
    """A value as JSON can carry it (numpy numbers, dates, tuples)."""
    return json.loads(json.dumps(value, default=str))


def _render_data_docs(context, name: str, folder: Path) -> str:
    """GX's Data Docs site for this suite's latest validation, under folder/<suite>/ (rendered only on failure:
    it costs about half a second a suite)."""
    from orchestration.gate.data_docs import localise

    site = f"docs_{name}_{abs(hash(str(folder)))}"  # one site per suite and folder (a worker serves many runs)
    if site not in (context.get_config().data_docs_sites or {}):
        context.add_data_docs_site(site, {
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": f"{folder / name}/"},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        })
    context.build_data_docs(site_names=[site])
    localise(folder / name)  # its scripts and styles from a local copy, so the page works offline
    return str(folder / name / "index.html")
