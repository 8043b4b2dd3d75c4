"""Freshness: a warning when a source has not delivered new content for longer than its cadence.

A delivery is a load of content the source never held before (raw._loads), not a run: the nightly refresh re-reads
unchanged files, and restoring an earlier file after a refused delivery is not news either. The checks run in every
full refresh and on their own each morning, so a silent publisher is noticed even when nothing arrives.
"""


from datetime import UTC, datetime, timedelta

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetKey,
    asset_check,
)

from orchestration.warehouse.database import Warehouse
from orchestration.warehouse.kinds import DeliveryKind
from orchestration.warehouse.ledger import RAW_SCHEMA, last_new_content

FRESHNESS_CHECK = "delivered_within_cadence"


def build_freshness_check(kind: DeliveryKind) -> AssetChecksDefinition:
    days = kind.cadence_days

    @asset_check(
        asset=AssetKey([RAW_SCHEMA, kind.raw_tables[0]]),
        name=FRESHNESS_CHECK,
        blocking=False,
        description=f"Warns when {kind.publisher} has not delivered new {kind.name} content for more than {days} "
        "days (its usual cadence).",
    )
    def _check(context: AssetCheckExecutionContext, warehouse: Warehouse) -> AssetCheckResult:
        with warehouse.connect(context.log.info) as con:
            delivered = last_new_content(con, kind.name)
        age = datetime.now(UTC) - delivered if delivered else None
        return AssetCheckResult(
            passed=age is not None and age <= timedelta(days=days),
            severity=AssetCheckSeverity.WARN,
            description=(f"last new {kind.name} content loaded {age.days} days ago (cadence {days} days)"
                         if age is not None else f"no {kind.name} file has been loaded yet"),
            metadata={"last_delivery": delivered.isoformat() if delivered else "never", "cadence_days": days},
        )

    return _check
