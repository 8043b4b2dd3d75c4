"""The dbt project as Dagster assets: seeds, staging, intermediate and marts, with dbt tests as asset checks."""

import importlib.metadata
import os
import subprocess
from functools import cached_property
from pathlib import Path
from typing import Any, Mapping

from dagster import AssetExecutionContext, AssetKey, AutomationCondition
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets
from packaging import version

from orchestration.automation import ON_NEW_UPSTREAM_DATA
from orchestration.street import ensure_street_table
from orchestration.settings import DBT_EXECUTABLE, DBT_PROJECT_DIR
from orchestration.warehouse import Warehouse

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)

# Files whose change makes the manifest stale.
_DBT_SOURCE_GLOBS = ("*.yml", "models/**/*", "seeds/**/*", "macros/**/*", "tests/**/*")


def ensure_manifest() -> Path:
    """Run `dbt parse` when the manifest is missing or older than any file of the dbt project.

    dagster-dbt only re-parses under `dagster dev`; the CLI and the tests need the same guarantee, and skipping a
    fresh parse saves ~3 s of every refresh. Needs FORCESTAT_BUILD_DB exported (profiles.yml reads it).
    """
    manifest = dbt_project.manifest_path
    newest_source = max(
        path.stat().st_mtime for pattern in _DBT_SOURCE_GLOBS for path in DBT_PROJECT_DIR.glob(pattern)
        if path.is_file()
    )
    if not manifest.exists() or manifest.stat().st_mtime < newest_source:
        subprocess.run(
            [DBT_EXECUTABLE, "parse", "--quiet",
             "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)],
            check=True, cwd=DBT_PROJECT_DIR,
        )
    return manifest


class PinnedDbtCliResource(DbtCliResource):
    """DbtCliResource that reads the dbt version from package metadata instead of running `dbt --version`.

    dagster-dbt runs `dbt --version` once per run to tell dbt-core from the Fusion engine; on this machine that is
    3.4 s of interpreter start-up, a fifth of a refresh. dbt-core is pinned and installed beside this code, so its
    package version is the answer.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))


class LayeredTranslator(DagsterDbtTranslator):
    """Asset keys and groups follow the warehouse layers: ["marts", "force_rates"] in group "marts"."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)  # tied to the ingest assets by meta.dagster.asset_key
        return AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props["schema"]

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return ["team:forcestat"]

    def get_automation_condition(self, dbt_resource_props: Mapping[str, Any]) -> AutomationCondition | None:
        # models follow their raw data; seeds change only with the code, and a deploy runs the full refresh
        return ON_NEW_UPSTREAM_DATA if dbt_resource_props["resource_type"] != "seed" else None


def build_dbt_assets():
    @dbt_assets(manifest=ensure_manifest(), project=dbt_project, dagster_dbt_translator=LayeredTranslator())
    def dbt_models(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse):
        """`dbt build`: seeds, models and their tests, in dependency order; a failing test stops what depends on it."""
        # profiles.yml reads the database path from the environment; set it from the resource so dbt always
        # writes the file this run's ingest assets wrote, whatever the process environment said before.
        os.environ["FORCESTAT_BUILD_DB"] = warehouse.build_db
        # The street feed's table must exist for its views even before its first month is loaded.
        with warehouse.connect() as con:
            ensure_street_table(con)
        # Reusing the project's target folder lets dbt partial-parse (dagster-dbt defaults to a fresh folder per
        # run, which costs a full parse each time); runs never overlap, as the job runs in one process.
        yield from dbt.cli(["build"], context=context, target_path=dbt_project.target_path).stream()

    return dbt_models
