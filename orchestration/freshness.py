"""Freshness: a warning when a source has not delivered a new edition for longer than its cadence.

A delivery is a load of new content (raw._loads gains a row only when a file's content changed), not a run: the
nightly refresh re-reads every unchanged file, so "last materialised" would always look fresh. The checks run in
every full refresh and on their own each morning, so a silent publisher is noticed even when nothing arrives.
"""

from datetime import datetime, timedelta, timezone

from dagster import AssetCheckExecutionContext, AssetCheckResult, AssetCheckSeverity, AssetChecksDefinition, \
    AssetKey, asset_check

from orchestration.ingest import LOADS, LOADS_TABLE, raw_table_exists
from orchestration.sources import RAW_SCHEMA, SOURCES, SourceSpec
from orchestration.street import STREET
from orchestration.warehouse import Warehouse

FRESHNESS_CHECK = "delivered_within_cadence"


def last_delivery(warehouse: Warehouse, source: str) -> datetime | None:
    with warehouse.connect(read_only=True) as con:
        if not raw_table_exists(con, LOADS):
            return None
        return con.execute(f"SELECT max(loaded_at) FROM {LOADS_TABLE} WHERE source = ?", [source]).fetchone()[0]


def build_freshness_check(spec: SourceSpec) -> AssetChecksDefinition:
    @asset_check(
        asset=AssetKey([RAW_SCHEMA, spec.name]),
        name=FRESHNESS_CHECK,
        blocking=False,
        description=f"Warns when {spec.publisher} has not delivered a new {spec.name} file for more than "
        f"{spec.cadence_days} days (its usual cadence).",
    )
    def _check(context: AssetCheckExecutionContext, warehouse: Warehouse) -> AssetCheckResult:
        delivered = last_delivery(warehouse, spec.name)
        age = datetime.now(timezone.utc) - delivered if delivered else None
        fresh = age is not None and age <= timedelta(days=spec.cadence_days)
        return AssetCheckResult(
            passed=fresh,
            severity=AssetCheckSeverity.WARN,
            description=(f"last new {spec.name} content loaded {age.days} days ago (cadence {spec.cadence_days} days)"
                         if age is not None else f"no {spec.name} file has been loaded yet"),
            metadata={"last_delivery": delivered.isoformat() if delivered else "never",
                      "cadence_days": spec.cadence_days},
        )

    return _check


freshness_checks = [build_freshness_check(spec) for spec in (*SOURCES, STREET) if spec.cadence_days]
