"""The bad-input catalogue: each bad delivery, run through the real full_refresh job, is stopped before
publication by a named check (or by the ingest contract, naming file and line), and the published file stays
byte-identical. After each case the good file is loaded again."""

import gzip

import pytest
from dagster import AssetKey

from orchestration.sources import SOURCES_BY_NAME
from tests.conftest import DATA_DIR


def text_of(source: str) -> str:
    path = DATA_DIR / SOURCES_BY_NAME[source].relative_path
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        return handle.read()


def replace_once(old: str, new: str):
    def mangle(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)
    return mangle


def drop_lines(predicate):
    def mangle(text: str) -> str:
        lines = text.splitlines(keepends=True)
        kept = [lines[0]] + [line for line in lines[1:] if not predicate(line)]
        assert len(kept) < len(lines)
        return "".join(kept)
    return mangle


def doubled(text: str) -> str:
    header, _, rows = text.partition("\n")
    return header + "\n" + rows + rows


def adequate_in_2016(text: str) -> str:
    lines = text.splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if ",2016,efficiency,,Good," in line)
    lines[index] = lines[index].replace(",Good,", ",Adequate,")
    return "".join(lines)


# (case, source, mangle, how it must be stopped: ("check", check name, batch or None) or ("ingest", message part))
CATALOGUE = [
    ("unknown-force-name", "home_office_prc_pfa", replace_once(",Lancashire,", ",Lancashire Constab Area,"),
     ("check", "not_null_stg_home_office__prc_pfa_reporting_body_code", None)),
    ("negative-population", "ons_mye3_population", replace_once("E07000117,Burnley,86894,", "E07000117,Burnley,-86894,"),
     ("check", "gx_raw_ons_mye3_population", "bad_populations")),
    ("missing-population", "ons_mye3_population", replace_once("E07000117,Burnley,86894,", "E07000117,Burnley,,"),
     ("check", "gx_raw_ons_mye3_population", "bad_populations")),
    ("missing-quarter", "home_office_prc_pfa", drop_lines(lambda line: line.startswith("2016/17,2,")),
     ("check", "gx_raw_home_office_prc_pfa", "missing_quarters")),
    ("rows-delivered-twice", "home_office_prc_pfa", doubled,
     ("check", "gx_raw_home_office_prc_pfa", "duplicates")),
    ("period-end-not-quarter-end", "ons_rolling_crime_pfa", lambda t: t.replace("30-06-2010,", "15-05-2010,"),
     ("check", "gx_raw_ons_rolling_crime_pfa", "period_ends")),
    ("grade-not-on-its-scale", "hmicfrs_peel_grades", adequate_in_2016,
     ("ingest", "grade 'Adequate' is not on the 2016 scale")),
    ("renamed-column-header", "ons_rolling_crime_pfa", replace_once("Rolling year total", "Rolling total"),
     ("ingest", "line 1 (header) does not match")),
    ("empty-file", "ons_rolling_crime_pfa", lambda text: "", ("ingest", "the file is empty")),
    ("truncated-mid-row", "ons_rolling_crime_pfa", lambda text: text[: len(text) // 2], ("ingest", "line")),
    ("text-in-numeric-column", "ons_rolling_crime_pfa",
     replace_once("Lancashire,North West,Bicycle theft,", "Lancashire,North West,Bicycle theft,about "),
     ("ingest", "Could not convert")),
]


@pytest.mark.parametrize("case, source, mangle, stopped_by", CATALOGUE, ids=[case[0] for case in CATALOGUE])
def test_bad_delivery_is_stopped_before_publication(refreshed, tmp_path, case, source, mangle, stopped_by):
    settings, defs, _ = refreshed
    published_bytes = settings.published_db.read_bytes()
    bad = tmp_path / f"{case}.csv"
    bad.write_text(mangle(text_of(source)), encoding="utf-8")
    job = defs.resolve_job_def("full_refresh")
    try:
        result = job.execute_in_process(
            run_config={"ops": {f"raw__{source}": {"config": {"path": str(bad)}}}}, raise_on_error=False)
        assert not result.success
        assert not any(e.event_type_value == "STEP_START" and e.step_key.startswith("published")
                       for e in result.all_events)
        if stopped_by[0] == "check":
            _, check_name, batch = stopped_by
            evaluation = next(e.asset_check_evaluation_data for e in result.all_events
                              if e.event_type_value == "ASSET_CHECK_EVALUATION"
                              and e.asset_check_evaluation_data.check_name == check_name)
            assert not evaluation.passed
            if batch:
                failed = evaluation.metadata["failed_expectations"].value
                assert any(f["batch"] == batch and f["severity"] == "critical" and f["sample"] for f in failed), \
                    failed
        else:
            failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
            message = str(failure.event_specific_data.error)
            assert failure.step_key == f"raw__{source}"
            assert str(bad) in message and stopped_by[1] in message
        assert settings.published_db.read_bytes() == published_bytes
    finally:
        restore = job.execute_in_process(asset_selection=[AssetKey(["raw", source])])
        assert restore.success
