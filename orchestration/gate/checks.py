"""The quality gate on the warehouse's tables: every suite that is not a delivery's, run in one step after dbt and
before publication (the delivery suites run inside the ingest steps, before anything reaches raw)."""

import time

from dagster import AssetCheckExecutionContext, AssetCheckKey, AssetChecksDefinition, Failure, multi_asset_check

from orchestration.gate.resource import Gate
from orchestration.gate.suites import Suite, load_suites, summarise
from orchestration.warehouse.database import Warehouse


def table_suites() -> list[Suite]:
    return [suite for suite in load_suites() if not suite.at_ingest]


def build_gate_checks() -> AssetChecksDefinition:
    suites = table_suites()

    @multi_asset_check(
        specs=[spec for suite in suites for spec in suite.check_specs()],
        can_subset=True,
        name="quality_gate",
        description="The Great Expectations suites of the marts and the tables they are reconciled with.",
    )
    def quality_gate(context: AssetCheckExecutionContext, warehouse: Warehouse, gate: Gate):
        selected = context.selected_asset_check_keys
        refused = []
        with warehouse.connect(context.log.info) as con:
            for suite in suites:
                keys = {AssetCheckKey(suite.gates, spec.name) for spec in suite.check_specs()}
                if not keys & selected:
                    continue
                started = time.perf_counter()
                outcome = gate.evaluate(con, suite)
                context.log.info(f"{suite.name}: {outcome.rows:,} rows in {time.perf_counter() - started:.2f} s")
                refused += [f"{suite.name}: {summarise(f)}" for f in outcome.failed_of("critical")]
                for result in gate.results(outcome):
                    if AssetCheckKey(result.asset_key, result.check_name) in selected:
                        yield result
        if refused:
            # the blocking checks above already stop publication; this says why, in the run's failure
            raise Failure(description=f"the quality gate refused {len(refused)} expectations:\n"
                          + "\n".join(refused))

    return quality_gate
