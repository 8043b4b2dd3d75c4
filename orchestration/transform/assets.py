"""The dbt project as Dagster assets: seeds, staging, intermediate and marts, with dbt tests as asset checks."""


from dagster import AssetExecutionContext
from dagster_dbt import dbt_assets

from orchestration.transform.project import LayeredTranslator, dbt_project
from orchestration.transform.runner import build
from orchestration.warehouse.database import Warehouse

MARTS_SCHEMA = "marts"


def build_dbt_assets():
    if not dbt_project.manifest_path.exists():
        raise FileNotFoundError(f"{dbt_project.manifest_path}: the dbt manifest has not been prepared; run `make "
                                "install` (it runs `forcestat prepare`, a `dbt parse` as the runs invoke dbt)")

    @dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=LayeredTranslator())
    def dbt_models(context: AssetExecutionContext, warehouse: Warehouse):
        """`dbt build` of the selected models and their tests, in dependency order; a failing test stops what
        depends on it."""
        yield from build(context, warehouse.settings, lambda: warehouse.connect(context.log.info), MARTS_SCHEMA)

    return dbt_models
