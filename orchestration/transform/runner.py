"""`dbt build` in the run's own process, through dbt's programmatic entry point (dbtRunner), its results turned into
Dagster events: a materialization per model and seed, a check result per dbt test.

dagster-dbt's DbtCliResource runs `dbt --version` and then dbt itself as a subprocess on every run: about 6 s of
interpreter start-up and imports on this machine, more than the models take. In-process, dbt's import costs under a
second (dagster-dbt has already loaded most of it) and its partial-parse state stays valid from run to run, because
each warehouse has its own target folder and always passes dbt the same variables. dbt-duckdb keeps one connection
to the build database for the whole invocation (profiles.yml keep_open: true; without it the file was closed and
opened again whenever no node held it), and invoke() closes it when dbt returns, so nothing in this process keeps a
handle to the file into the steps after dbt. The run workers' server parses the project before it forks the runs
(parse_ahead), and compiles its macros once the first run is forked (compile_macros), so a run's build starts from a
manifest (and, but for the first run's, the templates) already in memory instead of parsing and compiling first.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass

from dagster import (
    AssetCheckKey,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetExecutionContext,
    Failure,
    MaterializeResult,
    MetadataValue,
)

from orchestration.settings import DBT_PROJECT_DIR, Settings

UNIQUE_ID = "dagster_dbt/unique_id"  # dagster-dbt's metadata key naming the dbt node behind an asset or a check
SAMPLE_ROWS = 10
THREADS = 2
# a manifest parsed before its run (parse_ahead), by the dbt target folder and variables it is for
_parsed_ahead: dict[tuple[str, str], object] = {}


@dataclass(frozen=True)
class NodeResult:
    unique_id: str
    name: str
    resource_type: str
    status: str  # success, error, skipped (models, seeds); pass, fail, warn, error, skipped (tests)
    message: str | None
    failures: int | None
    relation: str | None  # schema.name of a model or seed stored as a table (a view's rows are its inputs')
    compiled_sql: str | None  # of a test, to show its failing rows
    severity: str  # of a test: error or warn
    seconds: float


def dbt_args(settings: Settings, select: list[str] | None, command: str = "build") -> list[str]:
    args = [command, "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
            "--target-path", str(settings.dbt_target_dir), "--log-path", str(settings.dbt_target_dir),
            "--vars", json.dumps(settings.dbt_vars()), "--threads", str(THREADS), "--quiet",
            # no debug log file (every statement, ~5% of a build): a failed node's message and rows go into the run's
            # events, and dbt's errors into its captured output
            "--log-level-file", "none"]
    if command == "build":
        # a build's results come back in this process; writing manifest.json twice and run_results.json cost ~1 s
        # a run (the partial-parse state is written all the same; the publication reads the prepared manifest)
        args.append("--no-write-json")
    return args + (["--select", *select] if select else [])


def prepare(settings: Settings) -> None:
    """`dbt parse` as the runs invoke dbt: the manifest the code location is built from, and (for the default
    warehouse, whose target folder is the project's) the partial-parse state its first run starts from."""
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(dbt_args(settings, None, command="parse"))
    if not result.success:
        raise SystemExit(f"dbt parse failed: {result.exception}")


def _parse_key(settings: Settings) -> tuple[str, str]:
    return str(settings.dbt_target_dir), json.dumps(settings.dbt_vars(), sort_keys=True)


def parse_ahead(settings: Settings):
    """Parse the project as a build of these settings would, and keep the manifest for the next build of them in
    this process, which takes it (once) instead of parsing; returns it, or None when the parse failed (the build then
    parses again and reports why). The run workers' server does this before it forks any run (run_worker.py), so
    each run's build starts from the manifest in memory; the server is set aside when the code changes, so the
    manifest is always the code's on disk. Parse reads the project and the partial-parse state, not the database."""
    from dbt.cli.main import dbtRunner

    try:
        result = dbtRunner().invoke(dbt_args(settings, None, command="parse") + ["--no-write-json"])
    except Exception:  # noqa: BLE001 - a server that could not parse still forks runs, which parse for themselves
        return None
    if not result.success:
        return None
    _parsed_ahead[_parse_key(settings)] = result.result
    return result.result


def compile_macros(manifest) -> None:
    """Compile every macro's Jinja template into dbt's template cache, where a build would compile the ~110 it calls on
    first use: the first build in a process paid ~0.6 CPU-s more than the next (compiling templates, importing the
    build task), and a forked run's build is always the first in its process. The run workers' server calls this
    once, after forking its first run (all 521 macros: ~1.2 s, once per server). dbt's cache is keyed by the macro's
    text, so a changed macro is simply compiled again; it is dbt's own module-level cache (dbt_common.clients.jinja,
    not a public API: re-check when upgrading dbt)."""
    import dbt.task.build  # noqa: F401  the build task's modules, imported by a build's first invocation
    from dbt_common.clients.jinja import template_cache

    for macro in manifest.macros.values():
        # one that does not compile is left for the build that calls it, to fail there with dbt's own error
        with contextlib.suppress(Exception):
            template_cache.get_node_template(macro)


def invoke(args: list[str], manifest=None) -> list[NodeResult]:
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    from dbt.cli.main import dbtRunner  # imported here: only the run that builds needs dbt loaded

    try:
        result = dbtRunner(manifest=manifest).invoke(args)
    finally:  # the connection dbt-duckdb kept open for the invocation (keep_open)
        environment = DuckDBConnectionManager._ENV  # dbt-duckdb's own place for it; env() raises when there is none
        if environment is not None:
            environment.close()
        DuckDBConnectionManager.close_all_connections()
    if result.result is None or not hasattr(result.result, "results"):
        raise Failure(description=f"dbt could not run: {result.exception}")
    nodes = []
    for node_result in result.result.results:
        node = node_result.node
        nodes.append(NodeResult(
            unique_id=node.unique_id, name=node.name, resource_type=node.resource_type.value,
            status=str(node_result.status.value if hasattr(node_result.status, "value") else node_result.status),
            message=node_result.message, failures=node_result.failures,
            relation=f"{node.schema}.{node.alias or node.name}" if node.resource_type.value == "seed"
            or node.resource_type.value == "model" and node.config.materialized != "view" else None,
            compiled_sql=getattr(node, "compiled_code", None) if node.resource_type.value == "test" else None,
            severity=str(node.config.get("severity", "error")).lower(), seconds=node_result.execution_time))
    return nodes


def build(context: AssetExecutionContext, settings: Settings, connect,
          marts_schema: str) -> Iterator[MaterializeResult | AssetCheckResult]:
    """Build the selected models (and their tests) and yield their Dagster events; fail naming every dbt node that
    failed, with the failing rows of failed tests."""
    assets_def = context.assets_def
    selected = context.selected_asset_keys
    keys_by_id = {spec.metadata[UNIQUE_ID]: spec.key for spec in assets_def.specs if spec.key in selected}
    checks_by_id = {spec.metadata[UNIQUE_ID]: spec.key for spec in assets_def.check_specs}
    # always name the nodes: in a run of a subset, the subsetted definition's keys are only the selected ones
    started = time.perf_counter()
    nodes = invoke(dbt_args(settings, sorted(uid.split(".")[-1] for uid in keys_by_id)),
                   manifest=_parsed_ahead.pop(_parse_key(settings), None))
    context.log.info(f"dbt built {len(nodes)} nodes in {time.perf_counter() - started:.1f} s "
                     f"({sum(node.seconds for node in nodes):.1f} s of node time on {THREADS} threads)")

    problems = []
    checked = set()
    with connect() as con:
        for node in nodes:
            if node.resource_type in ("model", "seed") and node.unique_id in keys_by_id:
                if node.status == "success":
                    yield MaterializeResult(asset_key=keys_by_id[node.unique_id],
                                            metadata=_model_metadata(con, node, marts_schema, settings.site_url))
                elif node.status == "error":
                    problems.append(f"{node.resource_type} {node.name}: {node.message}")
                else:
                    problems.append(f"{node.resource_type} {node.name} was skipped (something upstream failed)")
            elif node.resource_type == "test":
                check_key = checks_by_id.get(node.unique_id)
                sample = _failing_rows(con, node) if node.status in ("fail", "warn") else []
                if node.status in ("fail", "error") and node.severity == "error":
                    problems.append(f"test {node.name}: {node.message or node.status}"
                                    + (f"; failing rows: {sample[:3]}" if sample else ""))
                if check_key is not None and check_key in context.selected_asset_check_keys:
                    checked.add(check_key)
                    yield _check_result(check_key, node, sample)
    # Dagster lets publication proceed past a blocking check that emitted nothing: a test dbt did not run must stop
    # the run instead, or the mart would be published unchecked
    unchecked = sorted(key.to_user_string()
                       for key in context.selected_asset_check_keys & set(checks_by_id.values()) - checked)
    problems += [f"test {key} was selected but dbt did not run it" for key in unchecked]
    if problems:
        raise Failure(description=f"dbt build: {len(problems)} problems:\n" + "\n".join(problems),
                      metadata={"problems": MetadataValue.json(problems)})


def _model_metadata(con, node: NodeResult, marts_schema: str, site_url: str) -> dict:
    metadata = {"dbt_seconds": round(node.seconds, 3)}
    if node.relation:
        metadata["dagster/row_count"] = con.execute(f"SELECT count(*) FROM {node.relation}").fetchone()[0]
        if node.relation.startswith(f"{marts_schema}."):
            preview = con.execute(f"SELECT * FROM {node.relation} LIMIT 5").df()
            metadata["preview"] = MetadataValue.md(preview.to_markdown(index=False))
            # the site the published marts feed (served by `forcestat ui`), and this model's page in the dbt docs
            metadata["profiles"] = MetadataValue.url(f"{site_url}/index.html")
            metadata["docs"] = MetadataValue.url(f"{site_url}/docs/dbt/index.html#!/model/{node.unique_id}")
    return metadata


def _failing_rows(con, node: NodeResult) -> list[str]:
    """The rows a failed dbt test found (its compiled query, re-run with a limit): the values an operator needs."""
    if not node.compiled_sql:
        return []
    try:
        frame = con.execute(f"SELECT * FROM ({node.compiled_sql}) LIMIT {SAMPLE_ROWS}").df()
    except Exception as error:  # noqa: BLE001 - a sample is a courtesy; the test's own result stands
        return [f"(could not list the failing rows: {error})"]
    return [json.dumps(row, default=str) for row in frame.to_dict("records")]


def _check_result(key: AssetCheckKey, node: NodeResult, sample: list[str]) -> AssetCheckResult:
    passed = node.status == "pass"
    return AssetCheckResult(
        asset_key=key.asset_key, check_name=key.name, passed=passed,
        severity=AssetCheckSeverity.WARN if node.severity == "warn" else AssetCheckSeverity.ERROR,
        description=None if passed else f"{node.message or node.status}" + (f": {sample[0]}" if sample else ""),
        metadata={"dbt_status": node.status, "failing_rows": node.failures or 0,
                  "failing_rows_sample": MetadataValue.json(sample)})

