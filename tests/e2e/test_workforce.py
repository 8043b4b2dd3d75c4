"""The Home Office workforce on the real data: officers as the bulletins publish them (read here on their own, cell by
cell, not by forcestat's reader), regions and England and Wales as sums of their forces agreeing with the bulletins'
subtotal rows, the later revision of each date, the ratios recomputed independently, and bulletins delivered through
the landing zone: a damaged one refused naming its sheet and row, a newer one taking over the dates it revises."""

import math
import re
from datetime import date, datetime

import pytest

from orchestration.sources.specs import SOURCES_BY_NAME
from tests.helpers import DATA_DIR, ENGLAND_AND_WALES, LANCASHIRE, publication_target, published

WORKFORCE = SOURCES_BY_NAME["home_office_workforce"]
FOLDER = DATA_DIR / "home-office" / "workforce"
SEP15, SEP19 = FOLDER / "police-workforce-tabs-30sep15.ods", FOLDER / "police-workforce-sep19-tables.ods"
BULLETINS = [FOLDER / name for name in ("police-workforce-tabs-30sep15.ods", "police-workforce-tables-sep16.ods",
                                        "police-workforce-tables-jan17.ods", "police-workforce-sep18-tables.ods",
                                        "police-workforce-sep19-tables.ods")]  # oldest first
NOT_AREAS = ("Central Service Secondments", "British Transport Police", "Total")  # below the E&W row


def table_1(path) -> list[list]:
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Table_1").to_python(skip_empty_area=False)


def figures(path) -> dict[tuple[str, date], float]:
    """(name as published without its footnote digits, as-at date) -> officers, for every row of a bulletin's Table_1
    above the rows that are in no force area. A region's name keeps its trailing space, as the bulletins tell the West
    Midlands region ("West Midlands ") from its force ("West Midlands")."""
    rows = table_1(path)
    header = next(row for row in rows if sum(isinstance(cell, datetime) for cell in row) == 3)
    dates = {i: cell.date() for i, cell in enumerate(header) if isinstance(cell, datetime)}
    found = {}
    for row in rows[rows.index(header) + 1:]:
        name = re.sub(r"\d+$", "", str(row[0]))  # "Wiltshire1"
        if name.strip() in NOT_AREAS:
            return found
        if name.strip():
            found.update({(name, as_at): row[i] for i, as_at in dates.items()})
    raise AssertionError(f"{path.name}: no rows after England and Wales")


SPELLINGS = {"Avon and Somerset": "Avon & Somerset", "Devon and Cornwall": "Devon & Cornwall",
             "City of London": "London, City of", "England and Wales": "Total 43 forces", "East of England": "Eastern ",
             "Yorkshire and The Humber": "Yorkshire and the Humber ", "Wales": "Wales"}


def bulletin_name(area_type: str, name: str) -> str:
    """How the bulletins name an area of the marts."""
    return SPELLINGS.get(name, f"{name} " if area_type == "region" else name)


def test_lancashire_at_31_march_2015_is_the_bulletins_figure(snapshot_settings):
    bulletin = figures(SEP15)[("Lancashire", date(2015, 3, 31))]
    [(officers, edition, source_file)] = published(snapshot_settings, """SELECT officers_fte, source_edition,
        source_file FROM force_workforce WHERE area_code = ? AND as_at = '2015-03-31'""", [LANCASHIRE])
    assert bulletin == 2918.82 and officers == bulletin
    assert (edition, source_file) == (date(2015, 9, 30), SEP15.name)  # the only bulletin giving March 2015


def latest_bulletin_figures() -> dict[tuple[str, date], float]:
    """Each date's figures from the latest bulletin giving it."""
    found = {}
    for path in BULLETINS:
        found.update(figures(path))
    return found


def test_regions_and_england_and_wales_agree_with_the_bulletins_own_rows(snapshot_settings):
    bulletins = latest_bulletin_figures()
    rows = published(snapshot_settings, """SELECT as_at, area_type, area_name, officers_fte, officers_fte_published
        FROM force_workforce WHERE area_type <> 'force' AND as_at < '2020-01-01'""")
    subtotals = [bulletins[(bulletin_name(area_type, name), as_at)] for as_at, area_type, name, _, _ in rows]
    differences = [abs(row[3] - subtotal) for row, subtotal in zip(rows, subtotals, strict=True)]
    assert len(rows) == 11 * 11 and max(differences) < 0.5  # 10 regions and E&W at 11 dates, within rounding
    assert [row[4] for row in rows] == subtotals
    ew = dict(published(snapshot_settings, "SELECT as_at, officers_fte FROM force_workforce WHERE area_code = ?",
                        [ENGLAND_AND_WALES]))
    assert abs(ew[date(2019, 9, 30)] - 124783.972765) < 0.5 and abs(ew[date(2014, 9, 30)] - 127077.36) < 0.5
    assert ew[date(2025, 3, 31)] == pytest.approx(146442.46, abs=0.005)  # the 43 forces of the open data


def test_the_later_revision_wins_where_a_date_is_in_two_bulletins(snapshot_settings):
    rows = published(snapshot_settings, """SELECT area_name, as_at, officers_fte, officers_fte_previous_edition,
        source_edition FROM force_workforce WHERE area_type = 'force' AND as_at < '2020-01-01'""")
    revised, compared = {}, 0
    for earlier, later in zip(BULLETINS, BULLETINS[1:], strict=False):
        old, new = figures(earlier), figures(later)
        for name, as_at, officers, previous, edition in rows:
            key = (bulletin_name("force", name), as_at)
            if key in old and key in new:  # the 30 September both give
                assert (officers, previous) == (new[key], old[key]) and edition == max(d for _, d in new)
                compared += 1
                if abs(officers - previous) > 0.005:  # beyond the last digit (the rest is floating-point noise)
                    revised[(name, as_at.isoformat())] = round(officers - previous, 2)
    assert compared == 4 * 43 and revised == {("Metropolitan Police", "2015-09-30"): 389.79,
                                              ("Cumbria", "2015-09-30"): -1.0, ("Northumbria", "2018-09-30"): 11.0}
    [(sep15, previous)] = published(snapshot_settings, """SELECT officers_fte, officers_fte_previous_edition
        FROM force_workforce WHERE area_code = ? AND as_at = '2015-09-30'""", [ENGLAND_AND_WALES])
    assert (round(sep15, 2), round(previous, 2)) == (125573.55, 125184.76)


def test_the_ratios_and_ranks_equal_an_independent_recomputation(snapshot_settings):
    bulletins = latest_bulletin_figures()
    population = dict(((code, year), denominator) for code, year, denominator in published(snapshot_settings, """
        SELECT DISTINCT area_code, year(period_start), denominator FROM force_rates
        WHERE measure = 'crime_excluding_fraud'"""))  # the denominator of a period is that of the year it starts in
    offences = dict(((code, end), count) for code, end, count in published(snapshot_settings, """
        SELECT area_code, period_end, offences FROM force_rates WHERE measure = 'crime_excluding_fraud'"""))
    rows = published(snapshot_settings, """SELECT area_code, area_name, area_type, as_at, officers_fte, population,
        officers_per_1000, crimes_per_officer, rank_officers_per_1000, rank_crimes_per_officer, in_force_comparisons
        FROM force_workforce""")
    assert len(rows) == 12 * 54
    for code, name, area_type, as_at, officers, people, per_1000, per_officer, *_ in rows:
        if area_type == "force" and as_at.year < 2020:
            assert officers == bulletins[(bulletin_name(area_type, name), as_at)]
        assert people == population[(code, as_at.year)]
        assert per_1000 == pytest.approx(1000 * officers / people, rel=1e-12)
        assert per_officer == pytest.approx(offences[(code, as_at)] / officers, rel=1e-12)
    # ranked on the figures as the site shows them (2 and 1 decimals): forces showing the same figure share a rank
    shared = 0
    for as_at in {row[3] for row in rows}:
        ranked = [row for row in rows if row[3] == as_at and row[10]]
        assert len(ranked) == 42  # the City of London is not ranked
        for column, rank, decimals in ((6, 8, 2), (7, 9, 1)):
            shown = [displayed(row[column], decimals) for row in ranked]
            assert [row[rank] for row in ranked] == [1 + sum(other > mine for other in shown) for mine in shown]
            shared += len(shown) - len(set(shown))
    assert shared > 0  # the real figures do tie as shown (the unrounded ratios never do)


def displayed(value: float, decimals: int) -> float:
    """Rounded half away from zero, as DuckDB's round() and the site show it."""
    scale = 10 ** decimals
    return math.floor(value * scale + 0.5) / scale


def bulletin_copy(tmp_path, name, change):
    """The Sep 2019 bulletin's Table_1 as a new workbook, its header dates written as text ("30 September 2019", as the
    Home Office writes them in its other tables), after `change(rows)`."""
    from tests.publishers.workbooks import write_ods

    rows = [[f"{cell.day} {cell:%B %Y}" if isinstance(cell, datetime) else cell for cell in row]
            for row in table_1(SEP19)]
    change(rows)
    return write_ods(tmp_path / name, {"Index": [["Police Workforce, England and Wales"]], "Table_1": rows})


LANCASHIRE_ROW, NORTH_WEST_ROW, TOTAL_ROW = 15, 11, 60  # in the Sep 2019 bulletin's Table_1


def test_a_damaged_bulletin_is_refused_naming_its_sheet_and_row(warehouse, tmp_path):
    settings = warehouse.settings
    before = publication_target(settings)
    damaged = bulletin_copy(tmp_path, "police-workforce-sep19-damaged.ods",
                            lambda rows: rows[LANCASHIRE_ROW - 1].__setitem__(3, -2897.909))
    [run] = warehouse.deliver(damaged)
    assert not run.success
    [quarantined] = settings.quarantine_dir.glob("*/police-workforce-sep19-damaged.ods")
    error = quarantined.with_name(quarantined.name + ".error.txt").read_text()
    assert "refused by the quality gate" in error and "Officers (FTE) are positive" in error
    assert "sheet 'Table_1' row 15 (area_name 'Lancashire')" in error
    # the region's and England and Wales' sums no longer hold either
    assert "row 60 (area_name 'Total 43 forces'" in error and "row 11 (area_name 'North West'" in error
    assert publication_target(settings) == before


def test_a_newer_bulletin_takes_over_the_dates_it_revises(warehouse, tmp_path):
    """A bulletin of 31 March 2020 (made from the September 2019 one: its dates moved on by six months, Lancashire's
    September 2019 revised by 10 FTE with its region and E&W, March 2020 invented as 1% more)."""
    settings = warehouse.settings

    def move_on(rows):
        rows[0][0] = ("Table 1: Police officers by police force area, England and Wales, 31 March 2019, 30 September "
                      "2019 and 31 March 2020 (FTE)")
        rows[5][1:4] = ["31 March 2019", "30 September 2019", "31 March 20201"]  # a footnote digit fused to the year
        for number, row in enumerate(rows[6:TOTAL_ROW], 7):
            revision = 10 if number in (LANCASHIRE_ROW, NORTH_WEST_ROW, TOTAL_ROW) else 0
            row[1:4] = [row[2], row[3] + revision, row[3] * 1.01]

    sep19 = figures(SEP19)
    [run] = warehouse.deliver(bulletin_copy(tmp_path, "police-workforce-mar20-tables.ods", move_on))
    assert run.success
    rows = {as_at: rest for as_at, *rest in published(settings, """SELECT as_at, officers_fte,
        officers_fte_previous_edition, source_edition FROM force_workforce WHERE area_code = ?""", [LANCASHIRE])}
    new = date(2020, 3, 31)
    assert rows[date(2019, 9, 30)] == [sep19[("Lancashire", date(2019, 9, 30))] + 10,
                                       sep19[("Lancashire", date(2019, 9, 30))], new]
    assert rows[date(2019, 3, 31)] == [sep19[("Lancashire", date(2019, 3, 31))]] * 2 + [new]
    assert rows[date(2018, 9, 30)][2] == date(2019, 9, 30)  # not in the new bulletin: the one before still gives it
    assert rows[new] == [sep19[("Lancashire", date(2019, 9, 30))] * 1.01, None, new]
    assert published(settings, "SELECT count(*) FROM force_workforce WHERE as_at = ?", [new]) == [(54,)]
    assert list((settings.archive_dir / "home_office_workforce" / "2020-03-31").glob("*/*.ods"))
