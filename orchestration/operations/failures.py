"""What happens when a run fails, whatever started it (the landing zone, the schedule, the UI, `forcestat refresh`).

- One alert per failed run (orchestration/warehouse/alerts.py), naming the delivered files if there were any, with
  the errors in plain text: the failed steps' own messages (file, line, value; failed expectations; failing rows).
- A delivery's claimed files: if the run died with its worker (killed; no step failed), they go back to the inbox and
  are run again, up to settings.DELIVERY_ATTEMPTS times; otherwise they are quarantined with the errors beside them.
- If the failed run had already changed the raw layer (its files passed their audit, a later check refused them), a
  run of the same selection without the delivery brings raw back to the current files and republishes; the refused
  data never stays in the build database to be picked up by a later run.
"""


import re

from dagster import (
    DefaultSensorStatus,
    RunFailureSensorContext,
    RunRequest,
    run_failure_sensor,
)

from orchestration.landing.claims import CLAIM_TAG, find_claim, settle_failed_claim
from orchestration.landing.sensors import assets_of
from orchestration.operations.jobs import FULL_REFRESH_JOB, REASON_TAG, full_refresh
from orchestration.settings import SENSOR_INTERVAL_SECONDS, Settings
from orchestration.warehouse.alerts import record_alert

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def failure_messages(context: RunFailureSensorContext) -> list[str]:
    """Each failed step's own error (Dagster wraps it: the innermost cause is the one that says what is wrong)."""
    messages = []
    for event in context.get_step_failure_events():
        error = event.step_failure_data.error
        while error is not None and error.cause is not None:
            error = error.cause
        text = error.message.strip() if error else event.message
        messages.append(f"step {event.step_key} failed: {ANSI.sub('', text)}")
    return messages


def raw_changed_in(context: RunFailureSensorContext, kind: str) -> bool:
    """Did the failed run commit new content to the raw layer (so the build database no longer matches the files
    that are current)?"""
    for key in assets_of(kind):
        event = context.instance.get_latest_materialization_event(key)
        if event and event.run_id == context.dagster_run.run_id:
            changed = event.asset_materialization.metadata.get("changed")
            if changed is None or changed.value:
                return True
    return False


def build_failure_sensor(settings: Settings):
    @run_failure_sensor(name="run_failed", default_status=DefaultSensorStatus.RUNNING, request_job=full_refresh,
                        monitor_all_code_locations=False, minimum_interval_seconds=SENSOR_INTERVAL_SECONDS,
                        description="Alerts every failed run; retries or quarantines the files of a failed delivery, "
                        "and restores the raw layer when the refused data had reached it.")
    def run_failed(context: RunFailureSensorContext):
        run = context.dagster_run
        messages = failure_messages(context)
        worker_died = not messages
        message = "\n\n".join(messages) or ANSI.sub("", context.failure_event.message or "the run failed")
        claim = find_claim(settings.landing_dir, run.tags.get(CLAIM_TAG, "")) if run.tags.get(CLAIM_TAG) else None
        files = ", ".join(f.name for f in claim.files) if claim else None
        record_alert(settings.alerts_file, run.run_id, "run_failed", message, run.run_id, run.job_name, files)
        if claim is None:
            return None
        outcome = settle_failed_claim(claim, run.run_id, run.job_name, message, worker_died, settings)
        context.log.info(f"claim {claim.id} ({files}): {outcome}")
        if outcome == "quarantined" and raw_changed_in(context, claim.kind):
            return RunRequest(run_key=f"restore-{run.run_id}", job_name=FULL_REFRESH_JOB,
                              asset_selection=sorted(run.asset_selection, key=lambda k: k.path)
                              if run.asset_selection else None,
                              tags={REASON_TAG: f"restore the current files after the refused delivery of run "
                                                f"{run.run_id}"})
        return None

    return run_failed
