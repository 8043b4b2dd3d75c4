"""The dbt project as dagster-dbt sees it, and how its nodes become assets: keys and groups follow the warehouse layers
(["marts", "force_rates"] in group "marts"), dbt sources are tied to the ingest assets by meta.dagster.asset_key.

The manifest the definitions are built from is prepared at install time by `forcestat prepare` (`make install`):
`dbt parse` with exactly the arguments the runs use for the default warehouse (orchestration/transform/runner.py),
so that parse is also the default warehouse's partial-parse state and its first refresh parses nothing again.
(dagster-dbt's `project prepare-and-package` parses with other arguments: the first run then re-parsed, 4 s.)
Loading the definitions never runs dbt.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dagster import AssetKey
from dagster_dbt import DagsterDbtTranslator, DbtProject

from orchestration.settings import DBT_PROJECT_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)

OWNERS = ["team:forcestat"]


class LayeredTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)  # the ingest asset named by meta.dagster.asset_key
        return AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props["schema"]

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return OWNERS


def project_var(name: str):
    """A variable of dbt_project.yml, its one home (the street feed's incremental key, read by the publication)."""
    import yaml

    return yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())["vars"][name]


def mart_descriptions(manifest_path: Path, schema: str) -> dict[str, tuple[str, dict[str, str]]]:
    """table -> (description, {column: description}) of every model in a schema, from a dbt manifest: the one home
    of the published tables' documentation (their .yml files), carried into the published file as comments."""
    manifest = json.loads(manifest_path.read_text())
    return {node["alias"] or node["name"]: (node.get("description") or "",
                                            {name: column.get("description") or ""
                                             for name, column in node.get("columns", {}).items()})
            for node in manifest["nodes"].values()
            if node["resource_type"] == "model" and node["schema"] == schema}
