"""Ingest assets on the real sample files: row counts, provenance, idempotence, and refusal of a wrong file."""

import csv
import gzip
import hashlib
import shutil

import duckdb
import pytest
from dagster import materialize

from orchestration.assets.ingest_assets import ingest_assets
from orchestration.ingest import SourceFileError, load_source_file
from orchestration.sources import SOURCES, SOURCES_BY_NAME
from orchestration.warehouse import Warehouse
from tests.conftest import DATA_DIR, make_settings


def data_rows(path) -> int:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def test_every_ingest_asset_loads_its_real_file_with_provenance(tmp_path):
    settings = make_settings(tmp_path)
    result = materialize(ingest_assets, resources={"warehouse": Warehouse.from_settings(settings)})
    assert result.success
    con = duckdb.connect(str(settings.build_db), read_only=True)
    for spec in SOURCES:
        path = DATA_DIR / spec.relative_path
        rows, files, hashes, undated = con.execute(
            f"SELECT count(*), count(DISTINCT _source_file), any_value(_source_sha256), "
            f"count(*) FILTER (WHERE _loaded_at IS NULL) FROM raw.{spec.name}"
        ).fetchone()
        assert rows == data_rows(path), spec.name
        assert (files, hashes, undated) == (1, hashlib.sha256(path.read_bytes()).hexdigest(), 0), spec.name
    assert con.execute("SELECT count(*) FROM raw._loads").fetchone()[0] == len(SOURCES)


def test_loading_the_same_file_again_changes_nothing(tmp_path):
    spec = SOURCES_BY_NAME["ons_rolling_crime_pfa"]
    con = duckdb.connect(str(tmp_path / "build.duckdb"))
    first = load_source_file(con, spec, DATA_DIR / spec.relative_path)
    loaded_at = con.execute(f"SELECT max(_loaded_at) FROM raw.{spec.name}").fetchone()[0]
    again = load_source_file(con, spec, DATA_DIR / spec.relative_path)
    assert (first.changed, again.changed, again.rows) == (True, False, first.rows)
    assert con.execute(f"SELECT count(*), max(_loaded_at) FROM raw.{spec.name}").fetchone() == (first.rows, loaded_at)
    assert con.execute("SELECT count(*) FROM raw._loads").fetchone()[0] == 1


def raw_fingerprint(con, table):
    return con.execute(f"SELECT count(*), sum(hash(COLUMNS(*))) FROM {table}").fetchall()


def test_wrong_header_fails_naming_file_and_columns_and_loads_nothing(tmp_path):
    spec = SOURCES_BY_NAME["ons_rolling_crime_pfa"]
    con = duckdb.connect(str(tmp_path / "build.duckdb"))
    load_source_file(con, spec, DATA_DIR / spec.relative_path)
    before = raw_fingerprint(con, f"raw.{spec.name}")

    bad = tmp_path / "rec-crime-pfa-renamed.csv"
    text = (DATA_DIR / spec.relative_path).read_text()
    bad.write_text(text.replace("Rolling year total number of offences", "Offences", 1))
    with pytest.raises(SourceFileError) as error:
        load_source_file(con, spec, bad)
    message = str(error.value)
    assert str(bad) in message and "line 1" in message
    assert "'Rolling year total number of offences'" in message  # expected
    assert "'Offences'" in message  # found
    assert raw_fingerprint(con, f"raw.{spec.name}") == before
    assert con.execute("SELECT count(*) FROM raw._loads").fetchone()[0] == 1


@pytest.mark.parametrize(
    "mangle, expected_in_message",
    [
        (lambda text: text[: len(text) // 2], "line"),  # cut off in the middle of a row
        (lambda text: text.replace(",Lancashire,North West,Bicycle theft,", ",Lancashire,North West,Bicycle theft,x", 1),
         "line"),  # text in a numeric column
        (lambda text: text.splitlines(keepends=True)[0], "no data rows"),  # header only
        (lambda text: "", "empty"),
    ],
    ids=["truncated", "text-in-number", "header-only", "empty"],
)
def test_malformed_file_fails_with_place_and_loads_nothing(tmp_path, mangle, expected_in_message):
    spec = SOURCES_BY_NAME["ons_rolling_crime_pfa"]
    con = duckdb.connect(str(tmp_path / "build.duckdb"))
    load_source_file(con, spec, DATA_DIR / spec.relative_path)
    before = raw_fingerprint(con, f"raw.{spec.name}")
    bad = tmp_path / "bad.csv"
    bad.write_text(mangle((DATA_DIR / spec.relative_path).read_text()))
    with pytest.raises(SourceFileError) as error:
        load_source_file(con, spec, bad)
    assert str(bad) in str(error.value) and expected_in_message in str(error.value).lower()
    assert raw_fingerprint(con, f"raw.{spec.name}") == before


def test_wrong_header_through_dagster_leaves_warehouse_and_publication_untouched(refreshed, tmp_path):
    settings, defs, _ = refreshed
    published_bytes = settings.published_db.read_bytes()
    spec = SOURCES_BY_NAME["home_office_prc_pfa"]
    with duckdb.connect(str(settings.build_db), read_only=True) as con:
        before = raw_fingerprint(con, f"raw.{spec.name}")

    bad = tmp_path / "prc-renamed.csv.gz"
    with gzip.open(DATA_DIR / spec.relative_path, "rt") as src, gzip.open(bad, "wt") as dst:
        dst.write(src.readline().replace("Force Name", "Police Force"))
        shutil.copyfileobj(src, dst)
    result = defs.resolve_job_def("full_refresh").execute_in_process(
        run_config={"ops": {"raw__home_office_prc_pfa": {"config": {"path": str(bad)}}}}, raise_on_error=False
    )
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    assert failure.step_key == "raw__home_office_prc_pfa"
    assert str(bad) in str(failure.event_specific_data.error) and "Police Force" in str(failure.event_specific_data.error)
    assert not any(e.event_type_value == "STEP_START" and e.step_key.startswith("published")
                   for e in result.all_events)
    with duckdb.connect(str(settings.build_db), read_only=True) as con:
        assert raw_fingerprint(con, f"raw.{spec.name}") == before
    assert settings.published_db.read_bytes() == published_bytes
