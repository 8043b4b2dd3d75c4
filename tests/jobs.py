"""The smallest Dagster job, for the tests of the run launcher (a run of it needs no warehouse). At module level so
that a run worker can load it from its origin (`reconstructable`)."""

from dagster import job, op


@op
def nothing():
    return None


@job
def trivial():
    nothing()
