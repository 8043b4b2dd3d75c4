"""Freshness: a warning when a source has not delivered new content for longer than its cadence.

A delivery is a load of content the source never held before (raw._loads), not a run: the nightly refresh re-reads
unchanged files, and restoring an earlier file after a refused delivery is not news either. The checks run in every
full refresh and on their own each morning, so a silent publisher is noticed even when nothing arrives.
"""


from dataclasses import dataclass
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
from orchestration.warehouse.ledger import last_new_content

FRESHNESS_CHECK = "delivered_within_cadence"


@dataclass(frozen=True)
class Cadence:
    asset_key: AssetKey
    source: str  # as recorded in raw._loads
    publisher: str
    days: int


def build_freshness_check(cadence: Cadence) -> AssetChecksDefinition:
    @asset_check(
        asset=cadence.asset_key,
        name=FRESHNESS_CHECK,
        blocking=False,
        description=f"Warns when {cadence.publisher} has not delivered new {cadence.source} content for more than "
        f"{cadence.days} days (its usual cadence).",
    )
    def _check(context: AssetCheckExecutionContext, warehouse: Warehouse) -> AssetCheckResult:
        with warehouse.connect(context.log.info) as con:
            delivered = last_new_content(con, cadence.source)
        age = datetime.now(UTC) - delivered if delivered else None
        return AssetCheckResult(
            passed=age is not None and age <= timedelta(days=cadence.days),
            severity=AssetCheckSeverity.WARN,
            description=(f"last new {cadence.source} content loaded {age.days} days ago (cadence {cadence.days} "
                         "days)" if age is not None else f"no {cadence.source} file has been loaded yet"),
            metadata={"last_delivery": delivered.isoformat() if delivered else "never",
                      "cadence_days": cadence.days},
        )

    return _check
