"""Street files into raw.police_uk_street, force-month by force-month, on real national files: each file replaces
its own force-month; a bad file is refused on its own; sync holds exactly the current files."""

import shutil

import duckdb
import pytest

from orchestration.gate.resource import Gate
from orchestration.street.load import load_files, sync
from tests.helpers import NATIONAL, OTHER_FORCES, csv_rows, plain_copy, text_of

JANUARY = NATIONAL / "2014-01"


@pytest.fixture
def gate(tmp_path):
    return Gate(data_docs_dir=str(tmp_path / "docs"),
                data_docs_url="http://127.0.0.1:3001/data-docs")


def held(con):
    return dict(con.execute("SELECT _force_id || '|' || strftime(_month, '%Y-%m'), count(*) FROM raw.police_uk_street "
                            "GROUP BY ALL").fetchall())


def test_a_batch_loads_each_good_file_and_refuses_the_bad_one_alone(tmp_path, gate):
    con = duckdb.connect(str(tmp_path / "build.duckdb"))
    good = [plain_copy(JANUARY / f"2014-01-{force}-street.csv.gz", tmp_path)
            for force in ("kent", "devon-and-cornwall", "city-of-london")]
    text = text_of(JANUARY / "2014-01-surrey-street.csv.gz")
    cut = tmp_path / "2014-01-surrey-street.csv"
    cut.write_text(text[: len(text) // 3])
    mixed = tmp_path / "2014-01-cumbria-street.csv"
    mixed.write_text(text_of(JANUARY / "2014-01-cumbria-street.csv.gz").replace(",2014-01,", ",2014-02,", 7)
                     .replace(",2014-02,", ",2014-01,", 1))
    btp = OTHER_FORCES / "2014-01-btp-street.csv"
    batch = load_files(con, [*good, cut, mixed, btp], gate, "run-1")
    status = {f.path.name: f.status for f in batch.files}
    assert status == {**{p.name: "loaded" for p in good}, cut.name: "refused", mixed.name: "refused",
                      btp.name: "not ingested"}
    reasons = {f.path.name: f.reason for f in batch.files if f.reason}
    assert "were expected (the file may be cut short" in reasons[cut.name]
    assert "line 3: Month '2014-02'" in reasons[mixed.name] and "6 rows differ" in reasons[mixed.name]
    assert held(con) == {"kent|2014-01": csv_rows(good[0]), "devon-and-cornwall|2014-01": csv_rows(good[1]),
                         "city-of-london|2014-01": csv_rows(good[2])}


def test_a_corrected_file_replaces_only_its_own_force_month(tmp_path, gate):
    con = duckdb.connect(str(tmp_path / "build.duckdb"))
    kent, devon = (plain_copy(JANUARY / f"2014-01-{force}-street.csv.gz", tmp_path) for force in
                   ("kent", "devon-and-cornwall"))
    load_files(con, [kent, devon], gate)
    loaded_at = con.execute("SELECT max(_loaded_at) FROM raw.police_uk_street WHERE _force_id = 'devon-and-cornwall'"
                            ).fetchone()[0]
    lines = kent.read_text().splitlines(keepends=True)
    kent.write_text("".join(lines[:-100]))  # a corrected file with 100 records fewer
    batch = load_files(con, [kent, devon], gate)
    assert {f.path.name: f.status for f in batch.files} == {kent.name: "loaded", devon.name: "unchanged"}
    assert held(con)["kent|2014-01"] == len(lines) - 101
    assert con.execute("SELECT max(_loaded_at) FROM raw.police_uk_street WHERE _force_id = 'devon-and-cornwall'"
                       ).fetchone()[0] == loaded_at


def test_sync_holds_exactly_the_current_files(tmp_path, gate):
    data_dir, archive = tmp_path / "data", tmp_path / "archive"
    street = data_dir / "police-uk" / "street"
    street.mkdir(parents=True)
    for force in ("kent", "surrey"):
        shutil.copy(JANUARY / f"2014-01-{force}-street.csv.gz", street)
    con = duckdb.connect(str(tmp_path / "build.duckdb"))
    load_files(con, [plain_copy(JANUARY / "2014-01-cumbria-street.csv.gz", tmp_path)], gate)  # never archived
    batch = sync(con, data_dir, archive, gate)
    assert sorted(f.path.name for f in batch.having("loaded")) == ["2014-01-kent-street.csv.gz",
                                                                    "2014-01-surrey-street.csv.gz"]
    assert [m.label for m in batch.removed] == ["Cumbria Constabulary 2014-01"]
    assert sorted(held(con)) == ["kent|2014-01", "surrey|2014-01"]
    assert con.execute("SELECT force_id, removed FROM raw.police_uk_street_months ORDER BY 1").fetchall() == [
        ("cumbria", True), ("kent", False), ("surrey", False)]
    again = sync(con, data_dir, archive, gate)
    assert not again.changed and again.files == [] and again.removed == []  # nothing new: nothing read or audited
