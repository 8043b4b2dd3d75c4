"""The snapshot sources forcestat ingests: where each file lives, the columns it must have, and its raw table.

Each publisher's file is a cumulative snapshot: a new edition replaces the old one whole. The column lists are the
contract with each publisher: a file whose header differs is refused before anything is loaded. Types are explicit,
so a value of the wrong kind fails at ingest with its line number instead of turning into NULL further down.
A table no header describes (the workforce bulletin's Table_1, whose headers are dates) has a reader of its own
(orchestration/sources/workforce.py), which recognises its files and stages their rows with their sheet and row.
(The street feed, delivered a force-month at a time, is orchestration/street/; the inspection reports are
orchestration/inspections/.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import duckdb

from orchestration.publishers.feeds import Feed
from orchestration.publishers.gov_uk import GovUkAttachments
from orchestration.publishers.nomis import NomisDataset
from orchestration.sources import workforce
from orchestration.warehouse.workbooks import WorkbookLayout

# The Home Office's open data page: recorded crime by force area and the outcomes, as ODS and XLSX attachments.
HOME_OFFICE_PAGE = "/government/statistical-data-sets/police-recorded-crime-and-outcomes-open-data-tables"


class SourceReader(Protocol):
    """A source's own reader, for a publisher's table that is no plain header-and-rows table (the workforce bulletin's
    Table_1, whose headers are dates): it tells its files by their content and stages their rows."""

    def describe(self) -> str:
        """What files it reads, for the list of kinds an unrecognised file is told it could have been."""

    def reads(self, path: Path) -> bool:
        """Is the file of a form it reads (by its name's suffix)?"""

    def first_row(self, path: Path) -> dict[str, str | None] | None:
        """The first row as it would be staged, as text (None when there is none). Raises WorkbookMismatch, with how
        close it came, for a file of its form that is not its table; SourceFileError for one it cannot read."""

    def stage(self, con: duckdb.DuckDBPyConnection, columns: tuple[tuple[str, str], ...], path: Path) -> int:
        """Append the file's rows (in the source's columns) to the delivery table with _source_file, _sheet and _line;
        returns how many. Raises SourceFileError naming the file and the place for a file it cannot stage."""


@dataclass(frozen=True)
class SourceSpec:
    name: str  # raw table name and Dagster asset name (raw/<name>)
    relative_path: str  # the embedded file, relative to the data folder
    columns: tuple[tuple[str, str], ...]  # (column as published, DuckDB type), in file order
    publisher: str
    description: str
    # how often the publisher delivers a new edition; the freshness check warns after this many days without one
    # (None: no regular cadence, e.g. a census or a lookup)
    cadence_days: int | None = None
    # the publisher's own spreadsheet, read as well as the CSV (the embedded file): its sheets and header names
    workbook: WorkbookLayout | None = None
    # a source published in parts (the outcomes: one file a financial year): each file holds one value of this
    # column, and replaces only that part of the raw table
    partition_column: str | None = None
    # where its publisher puts new editions, for the fetch (None: the embedded file is the only edition, e.g. a census)
    feed: Feed | None = None
    # its own reader, for files no CSV header or workbook layout describes (columns are then what it stages)
    reader: SourceReader | None = None
    # a source published in parts: the embedded files besides relative_path, one part each
    more_parts: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [name for name, _ in self.columns]

    @property
    def label(self) -> str:
        return f"{self.publisher} {self.name}"

    def is_workbook(self, path: Path) -> bool:
        """Is this file the publisher's own workbook (read sheet by sheet) rather than a CSV?"""
        return self.workbook is not None and path.suffix.lower() in self.workbook.suffixes

    @property
    def embedded(self) -> tuple[str, ...]:
        """Every embedded file, relative to the data folder (a source published in parts may embed several)."""
        return (self.relative_path, *self.more_parts)


def part_key(value: str) -> str:
    """How a part of a source published in parts is named in the ledger and the archive ("2024/25" -> "2024-25")."""
    return value.replace("/", "-")


def _households_columns() -> tuple[tuple[str, str], ...]:
    tenure = [
        "All categories: Tenure", "Owned: Total", "Owned: Owned outright", "Owned: Owned with a mortgage or loan",
        "Shared ownership (part owned and part rented)", "Social rented: Total",
        "Social rented: Rented from council (Local Authority)", "Social rented: Other social rented",
        "Private rented: Total", "Private rented: Private landlord or letting agency",
        "Private rented: Employer of a household member", "Private rented: Relative or friend of household member",
        "Private rented: Other", "Living rent free",
    ]
    head = (("date", "VARCHAR"), ("geography", "VARCHAR"), ("geography code", "VARCHAR"), ("Rural Urban", "VARCHAR"))
    return head + tuple((f"Tenure: {t}; measures: Value", "BIGINT") for t in tenure)


SOURCES: tuple[SourceSpec, ...] = (
    SourceSpec(
        name="home_office_prc_pfa",
        relative_path="home-office/prc-pfa-mar2013-onwards-tables.csv.gz",
        columns=(
            ("Financial Year", "VARCHAR"), ("Financial Quarter", "INTEGER"), ("Force Name", "VARCHAR"),
            ("Offence Description", "VARCHAR"), ("Offence Group", "VARCHAR"), ("Offence Subgroup", "VARCHAR"),
            ("Offence Code", "VARCHAR"), ("Number of Offences", "BIGINT"),
        ),
        publisher="Home Office",
        description="Police recorded crime open data, Police Force Area table: offences by force, financial-year "
        "quarter and offence code, 2012/13 Q1 onwards.",
        cadence_days=100,  # quarterly
        # published as ODS, one sheet a financial year, named "2012-13" in older editions and "2024_25" in newer
        workbook=WorkbookLayout(suffixes=(".ods", ".xlsx"), sheets=r"\d{4}[-_ /]\d{2}"),
        feed=GovUkAttachments("home_office_prc_pfa", HOME_OFFICE_PAGE,
                              r"prc-pfa-mar2013-onwards-tables-(?P<date>\d{6})\.ods"),
    ),
    SourceSpec(
        name="ons_rolling_crime_pfa",
        relative_path="ons/rec-crime-pfa.csv",
        columns=(
            ("12 months ending", "VARCHAR"), ("PFA", "VARCHAR"), ("Region", "VARCHAR"), ("Offence", "VARCHAR"),
            ("Rolling year total number of offences", "BIGINT"),
        ),
        publisher="ONS",
        description="Recorded crime at Police Force Area level: rolling 12-month totals by offence group, "
        "year ending March 2003 to year ending December 2018.",
    ),
    SourceSpec(
        name="ons_mye4_population",
        relative_path="ons/MYE4_population_mid2001_mid2020_UK_LA_2021geog.csv",
        columns=(("Code", "VARCHAR"), ("Name", "VARCHAR"), ("Geography", "VARCHAR"))
        + tuple((f"Mid-{year}", "BIGINT") for year in range(2020, 2000, -1)),
        publisher="ONS",
        description="Mid-year population estimates by local authority, mid-2001 to mid-2020 (MYE4, April 2021 "
        "boundaries, series as it stood in 2021).",
    ),
    SourceSpec(
        name="ons_mye3_population",
        relative_path="ons/MYE3_components_mid2013_to_mid2014_UK_LA.csv",
        columns=(
            ("Code", "VARCHAR"), ("Name", "VARCHAR"), ("Estimated Population mid-2013", "BIGINT"),
            ("Births", "VARCHAR"), ("Deaths", "VARCHAR"), ("Births minus Deaths", "VARCHAR"),
            ("Internal Migration Inflow", "VARCHAR"), ("Internal Migration Outflow", "VARCHAR"),
            ("Internal Migration Net", "VARCHAR"), ("International Migration Inflow", "VARCHAR"),
            ("International Migration Outflow", "VARCHAR"), ("International Migration Net", "VARCHAR"),
            ("Other", "VARCHAR"), ("Estimated Population mid-2014", "BIGINT"),
        ),
        publisher="ONS",
        description="Mid-2013 and mid-2014 population by local authority as first published (2015), with "
        "components of change (components kept as text: ONS writes ':' where not available).",
    ),
    SourceSpec(
        name="ons_population_series",
        relative_path="ons/nomis_NM_2002_1_all_ages_LA_mid1991_mid2023.csv",
        columns=(("geography_code", "VARCHAR"), ("geography_name", "VARCHAR"), ("date", "INTEGER"),
                 ("value", "DOUBLE"), ("Measure", "VARCHAR")),
        publisher="ONS (Nomis)",
        description="Mid-year population estimates by local authority, mid-1991 to mid-2023, as served after the "
        "mid-2023 release (Nomis NM_2002_1, 2023 boundaries): 2011-Census based to mid-2011, rebased on Census 2021 "
        "from mid-2012. Whole numbers written as decimals ('91058.0').",
        cadence_days=400,  # yearly, each summer
        # all ages, both sexes, the count, for local authorities (TYPE424: districts and unitaries, April 2023) and
        # the countries (TYPE499, for the reconciliation of England and Wales' total); Nomis' columns renamed to the
        # layout of the embedded extract, whose Measure column says what measures=20100 asks for: the population
        feed=NomisDataset("ons_population_series", "NM_2002_1",
                          query={"geography": "TYPE424,TYPE499", "gender": "0", "c_age": "200", "measures": "20100"},
                          columns={"geography_code": "geography_code", "geography_name": "geography_name",
                                   "date": "date", "obs_value": "value"},
                          constants={"Measure": "population"}, file_name="nomis_NM_2002_1_{edition}.csv"),
    ),
    SourceSpec(
        name="ons_pfa_population_mid2024",
        relative_path="ons/pfa_population_mid2024_ons.csv",
        columns=(("PFA 2023 Code", "VARCHAR"), ("PFA 2023 Name", "VARCHAR"), ("Population", "BIGINT")),
        publisher="ONS",
        description="Population estimates for police force areas, mid-2024 (ad hoc release 3194).",
        cadence_days=400,  # yearly, each summer
    ),
    SourceSpec(
        name="census_2011_households",
        relative_path="census/QS405EW_tenure_households_2011_LAD.csv",
        columns=_households_columns(),
        publisher="ONS (2011 Census)",
        description="2011 Census table QS405EW: households by tenure and local authority.",
    ),
    SourceSpec(
        name="census_2021_households",
        relative_path="census/census2021_H01_households_by_LA.csv",
        columns=(("area_code", "VARCHAR"), ("area_name", "VARCHAR"), ("households_2021_census", "BIGINT")),
        publisher="ONS (Census 2021)",
        description="Census 2021 households with at least one usual resident by local authority (first results, "
        "table H01, rounded to the nearest 100), with country, region and county rows.",
    ),
    SourceSpec(
        name="home_office_outcomes",
        relative_path="home-office/outcomes_2024_25.csv.gz",
        columns=(
            ("Financial Year", "VARCHAR"), ("Financial Quarter", "INTEGER"), ("Force", "VARCHAR"),
            ("Offence Group", "VARCHAR"), ("Outcome Group", "VARCHAR"), ("Outcome Type", "INTEGER"),
            ("n", "BIGINT"),
        ),
        publisher="Home Office",
        description="Crime outcomes open data: outcomes assigned to the offences recorded in each financial-year "
        "quarter, by force, offence group and outcome type (0, 'not yet assigned', to 22), one file a year ending "
        "March (2024/25 embedded).",
        cadence_days=400,  # yearly, each July
        # published as XLSX, one workbook a year ending March, the table on its "Outcomes open data" sheet; its
        # force column is "Force Name" and its count "... outcomes for offences recorded in quarter" (the embedded
        # copy's names are a third party's); the other columns (offence codes, outcome descriptions) are not read
        workbook=WorkbookLayout(suffixes=(".xlsx", ".ods"), sheets=r"(?i).*outcomes open data.*",
                                headers={"Force": r"Force( Name)?", "n": r"n|.*outcomes for offences.*"}),
        partition_column="Financial Year",
        # one file a year ending March (2015 onwards); the "alternate" outcomes file is not taken: it double counts
        feed=GovUkAttachments("home_office_outcomes", HOME_OFFICE_PAGE,
                              r"prc-outcomes-open-data-mar(?P<year>\d{4})-tables-(?P<date>\d{6})\.xlsx",
                              part=lambda name: f"{int(name['year']) - 1}/{name['year'][2:]}",
                              period=lambda name: f"{name['year']}-03"),
    ),
    SourceSpec(
        name="ons_lad_pfa_lookup",
        relative_path="lookups/LAD16_CSP16_PFA16_lookup_EW.csv",
        columns=(
            ("LAD16CD", "VARCHAR"), ("LAD16NM", "VARCHAR"), ("CSP16CD", "VARCHAR"), ("CSP16NM", "VARCHAR"),
            ("PFA16CD", "VARCHAR"), ("PFA16NM", "VARCHAR"), ("FID", "INTEGER"),
        ),
        publisher="ONS",
        description="Local authority -> community safety partnership -> police force area lookup, December 2016.",
    ),
    SourceSpec(
        name="hmicfrs_peel_grades",
        relative_path="hmicfrs/peel_grades.csv",
        columns=(
            ("force_name", "VARCHAR"), ("pfa_code", "VARCHAR"), ("cycle", "VARCHAR"), ("pillar", "VARCHAR"),
            ("question", "VARCHAR"), ("grade", "VARCHAR"), ("published_date", "DATE"), ("source", "VARCHAR"),
        ),
        publisher="HMIC/HMICFRS (compiled from force pages and news releases)",
        description="PEEL judgments, one row per force, cycle, pillar and (where graded) question, with the page "
        "each was read from. Every grade must be on its cycle's scale ('Adequate' only from 2021/22).",
        cadence_days=400,  # PEEL reports come out through each inspection year
    ),
    SourceSpec(
        name="home_office_workforce",
        relative_path="home-office/workforce/officer_fte_31mar2025_by_force.csv",
        columns=workforce.COLUMNS,
        publisher="Home Office",
        description="Police officers (full-time equivalent) by force area, region and England and Wales at each 'as "
        "at' date (31 March, 30 September): Table 1 of the bulletin 'Police workforce, England and Wales' as "
        "published (three dates each, 30 September 2014 to 30 September 2019), and the open data table summed by "
        "force (31 March 2025). One part per file, its edition (the latest date it holds); a date in two bulletins "
        "is kept from both, and staging takes the later.",
        cadence_days=200,  # half-yearly, each January and July
        reader=workforce.WorkforceReader(),
        partition_column="edition",
        more_parts=tuple(f"home-office/workforce/{name}" for name in (
            "police-workforce-tabs-30sep15.ods", "police-workforce-tables-sep16.ods",
            "police-workforce-tables-jan17.ods", "police-workforce-sep18-tables.ods",
            "police-workforce-sep19-tables.ods")),
    ),
)

SOURCES_BY_NAME = {spec.name: spec for spec in SOURCES}
