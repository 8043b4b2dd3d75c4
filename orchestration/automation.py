"""Declarative automation: new raw data flows downstream on its own. The publication is requested in the same run as
the marts it follows, so their blocking checks (the quality gate) run first and a failure skips it; the publish
asset also refuses marts whose latest gate failed in any earlier run (orchestration/assets/publish.py).

Dagster's eager() condition waits until no dependency is missing. The street feed is partitioned by force and
month and will always have missing partitions (no one holds every force since December 2010), so the condition
here is eager() with the street asset left out of that clause.
"""

from dagster import AssetKey, AssetSelection, AutomationCondition, AutomationConditionSensorDefinition, \
    DefaultSensorStatus

from orchestration.sources import RAW_SCHEMA
from orchestration.street import STREET

STREET_KEY = AssetKey([RAW_SCHEMA, STREET.name])

ON_NEW_UPSTREAM_DATA = (
    AutomationCondition.any_deps_updated().since_last_handled()
    & ~AutomationCondition.any_deps_missing().ignore(AssetSelection.assets(STREET_KEY))
    & ~AutomationCondition.any_deps_in_progress()
    & ~AutomationCondition.in_progress()
).with_label("on new upstream data")

automation_sensor = AutomationConditionSensorDefinition(
    "downstream_automation",
    target=AssetSelection.all(),
    default_status=DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    use_user_code_server=True,
    description="Requests runs of the dbt models and the publication when their upstream data changed.",
)
