"""The progress console of `forcestat refresh`: one line per phase, the run's last phase included, and dbt's nodes
counted."""

from dagster import AssetCheckResult, AssetCheckSpec, DagsterInstance, Definitions, MaterializeResult, asset, job, op

from orchestration.operations.progress import LOGGERS, progress_run_config


@op
def raw__home_office_prc_pfa():  # a delivery kind's loading step
    return 1


@op
def published__site(_value):
    return None


@job(logger_defs=LOGGERS)
def two_phases():
    published__site(raw__home_office_prc_pfa())


def test_every_phase_gets_its_line_the_last_one_too(capsys):
    result = two_phases.execute_in_process(instance=DagsterInstance.ephemeral(),
                                           run_config=progress_run_config(verbose=False))
    assert result.success
    lines = [line.split() for line in capsys.readouterr().err.splitlines() if line.startswith("  ")]
    assert [line[:3] for line in lines] == [["ingest", "1", "steps"], ["site", "1", "steps"]]


@asset(name="dbt_models", check_specs=[AssetCheckSpec("not_null", asset="dbt_models")])
def dbt_models():  # the dbt step: a model built and its test run
    yield MaterializeResult()
    yield AssetCheckResult(passed=True)


def test_the_dbt_phase_counts_its_models_and_tests(capsys):
    run = Definitions(assets=[dbt_models], loggers=LOGGERS).resolve_implicit_global_asset_job_def()
    assert run.execute_in_process(instance=DagsterInstance.ephemeral(),
                                  run_config=progress_run_config(verbose=False)).success
    lines = [line.split() for line in capsys.readouterr().err.splitlines() if line.startswith("  ")]
    assert [line[:3] for line in lines] == [["dbt", "2", "models,"]]
