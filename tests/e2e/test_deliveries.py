"""Deliveries through the landing zone, the real sensors and the real job (the daemon's part played in this process):
a new edition, a national street month in one run, a late correction, refused files and what happens after."""

import csv
import gzip
import zipfile
from pathlib import Path

import pytest

from orchestration.landing.claims import claims, make_claim
from orchestration.publication.changes import changes_since_publication
from orchestration.sources.specs import SOURCES_BY_NAME
from orchestration.warehouse.alerts import read_alerts
from orchestration.warehouse.archive import current_delivery
from tests.helpers import (
    DATA_DIR,
    LANCASHIRE,
    NATIONAL,
    OTHER_FORCES,
    build_rows,
    csv_rows,
    plain_copy,
    publication_target,
    published,
    settled,
    text_of,
)

PRC = SOURCES_BY_NAME["home_office_prc_pfa"]
HOUSEHOLDS = SOURCES_BY_NAME["census_2011_households"]


def edition(tmp_path, spec, old, new, name):
    text = text_of(DATA_DIR / spec.relative_path)
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1))
    return path


def test_a_new_edition_runs_only_what_depends_on_it_and_becomes_current(warehouse, tmp_path):
    settings = warehouse.settings
    robbery = ("SELECT offences FROM force_rates WHERE area_code = ? AND measure = 'robbery' "
               "AND period_end = '2014-03-31'")
    [(before,)] = published(settings, robbery, [LANCASHIRE])
    # one quarter of Lancashire's robbery restated: 100 more offences in 2013/14 Q1 (in the year to March 2014)
    row = next(line for line in text_of(DATA_DIR / PRC.relative_path).splitlines()
               if line.startswith("2013/14,1,Lancashire,") and ",Robbery," in line)
    count = int(row.rsplit(",", 1)[1])
    delivered = edition(tmp_path, PRC, row, row.rsplit(",", 1)[0] + f",{count + 100}", "prc-2026-q1.csv")
    [run] = warehouse.deliver(delivered)
    assert run.success
    materialized = {e.asset_key.to_user_string() for e in run.get_asset_materialization_events()}
    assert "raw/home_office_prc_pfa" in materialized and "published/forcestat_duckdb" in materialized
    assert "raw/police_uk_street" not in materialized and "marts/inspection_judgments" not in materialized
    assert published(settings, robbery, [LANCASHIRE]) == [(before + 100,)]
    current = current_delivery(PRC.name, settings.archive_dir)
    assert current.path.name == "prc-2026-q1.csv" and not claims(settings.landing_dir)
    assert not changes_since_publication(settings).sources
    # the same content again is a duplicate: archived as such, no run
    again = tmp_path / "again.csv"
    again.write_bytes(current.path.read_bytes())
    assert warehouse.deliver(again) == []
    assert list((settings.archive_dir / "duplicates").glob("*/again.csv"))


def test_a_national_month_is_one_run_and_a_late_correction_reloads_only_its_force_month(warehouse, tmp_path):
    settings = warehouse.settings
    files = [plain_copy(path, tmp_path) for path in sorted((NATIONAL / "2014-02").glob("*.csv.gz"))]
    files.append(OTHER_FORCES / "2014-01-btp-street.csv")  # a real file of a force the warehouse does not ingest
    [run] = warehouse.deliver(*files)
    assert run.success
    expected = {f.name.split("-", 2)[2].removesuffix("-street.csv"): csv_rows(f) for f in files[:-1]}
    held = dict(published(settings, "SELECT split_part(partition_key, '|', 1), rows FROM publication_sources WHERE "
                                    "source = 'police_uk_street' AND partition_key LIKE '%|2014-02'"))
    assert held == expected and len(held) == 41  # every force of the month, exactly its file's rows
    by_area = dict(published(settings, "SELECT area_code, sum(incident_count) FROM street_crime_monthly WHERE month = "
                                       "'2014-02-01' GROUP BY ALL"))
    assert len(by_area) == 41 and sum(by_area.values()) == sum(expected.values())
    assert list((settings.archive_dir / "not_ingested").glob("*/2014-01-btp-street.csv"))

    # Kent sends a corrected February: only Kent's February is reloaded
    months = "SELECT force_id || '|' || strftime(month, '%Y-%m'), loaded_at FROM raw.police_uk_street_months"
    loaded_before = dict(build_rows(settings, months))
    kent = tmp_path / "correction" / "2014-02-kent-street.csv"
    kent.parent.mkdir()
    lines = (tmp_path / "2014-02-kent-street.csv").read_text().splitlines(keepends=True)
    kent.write_text("".join(lines[:-10]))
    [run] = warehouse.deliver(kent)
    assert run.success
    loaded_after = dict(build_rows(settings, months))
    changed = {key for key in loaded_after if loaded_after[key] != loaded_before.get(key)}
    assert changed == {"kent|2014-02"}
    assert published(settings, "SELECT rows FROM publication_sources WHERE partition_key = 'kent|2014-02'") == [
        (expected["kent"] - 10,)]


def relabelled(source, month: str, folder) -> Path:
    """A real street file of another month, its rows relabelled as month (YYYY-MM)."""
    target = folder / f"{month}-{source.name.split('-', 2)[2].removesuffix('.gz')}"
    with gzip.open(source, "rt", encoding="utf-8-sig", newline="") as plain, open(target, "w", newline="") as out:
        rows = csv.reader(plain)
        writer = csv.writer(out)
        writer.writerow(next(rows))
        writer.writerows([row[0], month, *row[2:]] for row in rows)
    return target


def test_a_year_of_street_months_gives_an_asb_rate_and_rebuilds_only_the_street_part(warehouse, tmp_path):
    """Lancashire's ten embedded months and two more (January and February relabelled as November and December 2014)
    make its first year of ASB incidents: the rate counts the twelve files' ASB rows and divides by the population
    its recorded crime divides by. The run rebuilds the street feed's part of force_rates and force_change only; their
    recorded crime rows and the marts made from them are carried over as they were."""
    settings = warehouse.settings
    recorded = "SELECT * FROM {} WHERE measure <> 'asb_incidents' ORDER BY area_code, period_end, measure"
    before = {mart: published(settings, recorded.format(mart)) for mart in ("force_rates", "force_change")}
    embedded = sorted((DATA_DIR / "police-uk" / "street").glob("2014-*-lancashire-street.csv.gz"))
    delivered = [relabelled(embedded[0], "2014-11", tmp_path), relabelled(embedded[1], "2014-12", tmp_path)]
    [run] = warehouse.deliver(*delivered)
    assert run.success
    materialized = {e.asset_key.to_user_string() for e in run.get_asset_materialization_events()}
    assert {"intermediate/int_force_rates_street", "intermediate/int_force_change_street", "marts/force_rates",
            "marts/force_change", "published/forcestat_duckdb"} <= materialized
    assert not materialized & {"intermediate/int_force_rates_recorded", "intermediate/int_force_change_recorded",
                               "marts/crime_source_comparison", "marts/force_workforce"}
    assert {mart: published(settings, recorded.format(mart)) for mart in before} == before

    asb = sum(row["Crime type"] == "Anti-social behaviour" for path in [*embedded, *delivered]
              for row in csv.DictReader(text_of(path).splitlines()))
    [(area, offences, rate, rank, ew_rate)] = published(settings, """SELECT area_code, offences, rate_per_1000,
        rank_among_forces, ew_rate_per_1000 FROM force_rates WHERE measure = 'asb_incidents'""")
    [(population,)] = published(settings, """SELECT denominator FROM force_rates WHERE area_code = ? AND
        measure = 'crime_excluding_fraud' AND period_end = '2014-12-31'""", [LANCASHIRE])
    assert (area, offences) == (LANCASHIRE, asb)
    assert rate == pytest.approx(1000 * asb / population)
    assert rank == 1 and ew_rate is None  # the only force with a year held; England and Wales needs all 43
    assert published(settings, """SELECT period_end::VARCHAR, offences_year_before FROM force_change
        WHERE measure = 'asb_incidents'""") == [("2014-12-31", None)]


def test_a_batch_with_bad_files_publishes_the_good_ones_and_quarantines_each_bad_one(warehouse, tmp_path):
    settings = warehouse.settings
    good = plain_copy(NATIONAL / "2014-01" / "2014-01-kent-street.csv.gz", tmp_path)
    saved_twice = tmp_path / "2014-01-surrey-street.csv"  # a CRLF file saved with CRLF once more: CR CR LF
    saved_twice.write_bytes(gzip.decompress((NATIONAL / "2014-01" / "2014-01-surrey-street.csv.gz").read_bytes())
                            .replace(b"\r\n", b"\r\r\n"))
    text = text_of(NATIONAL / "2014-01" / "2014-01-sussex-street.csv.gz")
    cut = tmp_path / "2014-01-sussex-street.csv"
    cut.write_text(text[: len(text) // 2])
    [run] = warehouse.deliver(good, saved_twice, cut)
    assert run.success
    assert published(settings, "SELECT split_part(partition_key, '|', 1) FROM publication_sources WHERE "
                               "partition_key LIKE '%|2014-01' AND partition_key NOT LIKE 'lancashire%' ORDER BY 1"
                     ) == [("kent",), ("surrey",)]
    [quarantined] = settings.quarantine_dir.glob("*/2014-01-sussex-street.csv")
    error = quarantined.with_name(quarantined.name + ".error.txt").read_text()
    assert f"line {text[: len(text) // 2].count(chr(10)) + 1}:" in error and "were expected" in error
    [alert] = [a for a in read_alerts(settings.alerts_file) if a["kind"] == "refused_file"]
    assert alert["run_id"] == run.run_id and alert["file"].endswith("2014-01-sussex-street.csv")
    # the gate's verdict on the batch is a warning (the good files are published), not a failure
    [check] = [e.asset_check_evaluation_data for e in run.all_events if e.event_type_value ==
               "ASSET_CHECK_EVALUATION" and e.asset_check_evaluation_data.check_name == "gx_raw_police_uk_street"]
    assert check.passed or check.severity.value == "WARN"


def test_a_refused_edition_is_quarantined_with_one_alert_and_the_same_file_is_taken_again(warehouse, tmp_path):
    settings = warehouse.settings
    before = publication_target(settings)
    bad = edition(tmp_path, PRC, ",Lancashire,", ",Lancashrie,", "prc-misspelt.csv")
    [run] = warehouse.deliver(bad)
    assert not run.success
    [quarantined] = settings.quarantine_dir.glob("*/prc-misspelt.csv")
    error = quarantined.with_name("prc-misspelt.csv.error.txt").read_text()
    assert "refused by the quality gate" in error and "Lancashrie" in error and "line " in error
    assert [a["run_id"] for a in read_alerts(settings.alerts_file)] == [run.run_id]
    assert publication_target(settings) == before
    assert not changes_since_publication(settings).sources  # raw never held the refused rows: nothing to restore
    # dropped again (after a fix, or as it is): processed again, not skipped
    quarantined.rename(settings.landing_dir / "prc-misspelt.csv")
    [again] = warehouse.deliver(settings.landing_dir / "prc-misspelt.csv")
    assert not again.success and again.run_id != run.run_id
    assert len(read_alerts(settings.alerts_file)) == 2


def test_a_delivery_refused_after_loading_is_undone_by_a_restoring_run(warehouse, tmp_path):
    """Households a thousand times too small for Lancashire's districts pass the raw audit (each is plausible for
    some district) but put Lancashire's burglary rate out of range: the marts' gate refuses the publication."""
    settings = warehouse.settings
    lancashire = {code for (code,) in build_rows(settings, "SELECT la_code FROM staging.stg_ons__lad_pfa_lookup "
                                                           "WHERE area_code = ?", [LANCASHIRE])}
    with open(DATA_DIR / HOUSEHOLDS.relative_path, newline="") as handle:
        rows = list(csv.reader(handle))
    for fields in rows[1:]:
        if fields[2] in lancashire:
            fields[4] = str(int(fields[4]) // 1000 + 600)
    bad = tmp_path / "households.csv"
    with open(bad, "w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    before = publication_target(settings)
    rate = "SELECT rate_per_1000 FROM force_rates WHERE area_code = ? AND measure = 'domestic_burglary' AND " \
           "period_end = '2014-06-30'"
    published_rate = published(settings, rate, [LANCASHIRE])
    [run] = warehouse.deliver(bad)
    assert not run.success
    failure = next(str(e.event_specific_data.error) for e in run.all_events if e.event_type_value == "STEP_FAILURE")
    assert "domestic_burglary" in failure and "plausible range" in failure
    assert publication_target(settings) == before
    [restore] = warehouse.follow_ups
    assert restore.run_key == f"restore-{run.run_id}"
    assert changes_since_publication(settings).sources  # raw holds the refused file until the restore has run
    assert warehouse.run(restore).success
    assert not changes_since_publication(settings).sources
    assert published(settings, rate, [LANCASHIRE]) == published_rate
    assert list(settings.quarantine_dir.glob("*/households.csv"))


def test_files_that_are_nothing_we_ingest_are_quarantined_at_once_saying_why(warehouse, tmp_path):
    settings = warehouse.settings
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "minutes.csv").write_text("date,item\n2014-01-01,budget\n")
    renamed = edition(tmp_path, PRC, "Number of Offences", "Offences Number", "prc-renamed.csv")
    assert warehouse.deliver(tmp_path / "empty.csv", tmp_path / "minutes.csv", renamed) == []
    errors = {p.name.removesuffix(".error.txt"): p.read_text() for p in settings.quarantine_dir.glob("*.error.txt")}
    assert "the file is empty" in errors["empty.csv"]
    assert "none of the kinds the warehouse ingests" in errors["minutes.csv"]
    assert "home_office_prc_pfa" in errors["minutes.csv"]
    assert "column 'Offences Number' where 'Number of Offences' was expected" in errors["prc-renamed.csv"]
    assert "none of the kinds" not in errors["prc-renamed.csv"]  # the close kind is named, not every kind
    assert len([a for a in read_alerts(settings.alerts_file) if a["kind"] == "refused_file"]) == 3


def test_a_data_police_uk_zip_is_one_run_of_its_street_files(warehouse, tmp_path):
    settings = warehouse.settings
    landed = tmp_path / "2014-02.zip"
    with zipfile.ZipFile(landed, "w", zipfile.ZIP_DEFLATED) as archive:
        for force in ("cumbria", "dorset"):
            archive.writestr(f"2014-02/2014-02-{force}-street.csv",
                             gzip.decompress((NATIONAL / "2014-02" / f"2014-02-{force}-street.csv.gz").read_bytes()))
        archive.writestr("2014-02/2014-02-cumbria-outcomes.csv", "Crime ID,Month\n")
    [run] = warehouse.deliver(landed)
    assert run.success
    assert published(settings, "SELECT partition_key FROM publication_sources WHERE partition_key LIKE '%|2014-02' "
                               "AND partition_key NOT LIKE 'lancashire%' ORDER BY 1") == [
        ("cumbria|2014-02",), ("dorset|2014-02",)]
    assert list((settings.archive_dir / "containers").glob("*/2014-02.zip"))
    assert list((settings.archive_dir / "police_uk_street" / "dorset" / "2014-02").glob("*/2014-02-dorset-street.csv"))


def test_claims_nothing_settled_are_settled_by_the_next_look(warehouse, tmp_path, monkeypatch):
    settings = warehouse.settings
    import orchestration.landing.sensors as sensors

    monkeypatch.setattr(sensors, "CLAIM_ORPHAN_SECONDS", 0)
    orphan = settled(plain_copy(NATIONAL / "2014-02" / "2014-02-dorset-street.csv.gz", tmp_path))
    stranded = make_claim([(orphan, "0" * 64, "police_uk_street/dorset/2014-02")], settings.landing_dir,
                          "police_uk_street")
    # the claim has no run (the daemon stopped between claiming and creating it): its file goes back to the inbox
    # and is taken again, in a claim and a run of its own
    [request] = warehouse.look()
    [claim] = claims(settings.landing_dir)
    assert claim.id != stranded.id and request.tags["forcestat/claim"] == claim.id
    assert request.tags["forcestat/delivery"] == orphan.name
