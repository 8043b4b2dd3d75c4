"""The smallest Dagster job, for the tests of the run launcher (a run of it needs no warehouse). At module level so
that a run worker can load it from its origin (`reconstructable`)."""

from dagster import in_process_executor, job, op


@op
def nothing():
    return None


@job(executor_def=in_process_executor)  # as the code location's jobs (and no process spawned for the op)
def trivial():
    nothing()
