"""Freshness: a warning when a source is behind its publisher, saying which case it is.

- "the publisher has a newer edition we have not published": the fetch saw an edition listed that is not loaded
  (not fetched yet, or fetched and refused, or waiting in the landing zone);
- "the publisher has published nothing within its cadence": the newest edition it lists has been listed for longer
  than the source's cadence (the publisher is late, not the warehouse);
- without the fetch (FORCESTAT_FETCH off, nothing seen yet): new content has not been loaded within the cadence.
A load of content the source never held before is a delivery (raw._loads); a reload is not. The checks run in every
full refresh and on their own each morning.
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
from orchestration.warehouse.fetched import fetched, state
from orchestration.warehouse.kinds import DeliveryKind
from orchestration.warehouse.ledger import LOADS_TABLE, RAW_SCHEMA, last_new_content, table_exists

FRESHNESS_CHECK = "delivered_within_cadence"


def loaded_sha256s(con, source: str) -> set[str]:
    if not table_exists(con, RAW_SCHEMA, "_loads"):
        return set()
    return {sha for (sha,) in con.execute(f"SELECT DISTINCT source_sha256 FROM {LOADS_TABLE} WHERE source = ? "
                                          "AND source_sha256 IS NOT NULL", [source]).fetchall()}


def verdict(kind: DeliveryKind, seen: dict | None, files: list[dict], loaded: set[str],
            delivered: datetime | None, now: datetime) -> tuple[bool, str]:
    """(passed, what to say) for one source."""
    days = kind.cadence_days
    if seen:
        newest = seen["newest"]
        of_newest = [f for f in files if f["source"] == kind.name and f["edition"] == newest]
        missing = [f["file"] for f in of_newest if f["landed"] and f["sha256"] not in loaded]
        if not of_newest or missing:
            what = "not fetched yet" if not of_newest else f"fetched, not loaded: {missing[:3]}"
            return False, (f"the publisher has a newer edition we have not published: {newest} (listed since "
                           f"{seen['since'][:10]}; {what})")
        listed_for = now - datetime.fromisoformat(seen["since"])
        if listed_for > timedelta(days=days):
            return False, (f"the publisher has published nothing within its cadence: its newest edition, {newest}, "
                           f"has been listed for {listed_for.days} days (cadence {days} days)")
        return True, f"the publisher's newest edition, {newest}, is published"
    if delivered is None:
        return False, f"no {kind.name} file has been loaded yet (and the fetch has not looked at the publisher)"
    age = now - delivered
    return age <= timedelta(days=days), (f"last new {kind.name} content loaded {age.days} days ago (cadence {days} "
                                         "days; the fetch has not looked at the publisher)")


def build_freshness_check(kind: DeliveryKind) -> AssetChecksDefinition:
    @asset_check(
        asset=AssetKey([RAW_SCHEMA, kind.raw_tables[0]]),
        name=FRESHNESS_CHECK,
        blocking=False,
        description=f"Warns when {kind.name} is behind {kind.publisher}: a newer edition listed and not published, "
        f"or nothing new from the publisher for more than {kind.cadence_days} days (its usual cadence).",
    )
    def _check(context: AssetCheckExecutionContext, warehouse: Warehouse) -> AssetCheckResult:
        settings = warehouse.settings
        with warehouse.connect(context.log.info) as con:
            delivered = last_new_content(con, kind.name)
            loaded = loaded_sha256s(con, kind.name)
        seen = state(settings.fetch_dir).get(kind.name)
        passed, description = verdict(kind, seen, fetched(settings.fetch_dir), loaded, delivered, datetime.now(UTC))
        return AssetCheckResult(
            passed=passed, severity=AssetCheckSeverity.WARN, description=description,
            metadata={"last_delivery": delivered.isoformat() if delivered else "never", "cadence_days":
                      kind.cadence_days, "publisher_newest": seen["newest"] if seen else "not looked at"})

    return _check
