"""The dbt project as dagster-dbt sees it, and how its nodes become assets: keys and groups follow the warehouse layers
(["marts", "force_rates"] in group "marts"), dbt sources are tied to the ingest assets by meta.dagster.asset_key.

The manifest the definitions are built from is prepared at install time by `forcestat prepare` (`make install`):
`dbt parse` with exactly the arguments the runs use for the default warehouse (orchestration/transform/runner.py),
so that parse is also the default warehouse's partial-parse state and its first refresh parses nothing again.
(dagster-dbt's `project prepare-and-package` parses with other arguments: the first run then re-parsed, 4 s.)
Loading the definitions never runs dbt.
"""

from __future__ import annotations

from collections.abc import Mapping
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
