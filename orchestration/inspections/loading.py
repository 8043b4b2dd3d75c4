"""Load parsed inspection reports into raw tables: one transaction per report file, so a bad file loads nothing
and leaves every other report as it was."""

from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.inspections.files import SOURCE
from orchestration.inspections.programmes import programmes
from orchestration.inspections.records import ReportParseError
from orchestration.inspections.report_parser import parse_report
from orchestration.inspections.report_text import ReportReadError
from orchestration.warehouse.files import file_sha256
from orchestration.warehouse.ledger import RAW_SCHEMA, ensure_raw_schema, record_load
from orchestration.warehouse.reference import force_codes_by_name

REPORT_TABLES = {
    "inspection_reports": """source_file VARCHAR PRIMARY KEY, source_sha256 VARCHAR NOT NULL,
        loaded_at TIMESTAMP WITH TIME ZONE NOT NULL, force_name VARCHAR NOT NULL, area_code VARCHAR NOT NULL,
        programme VARCHAR NOT NULL, year INTEGER NOT NULL, cycle VARCHAR NOT NULL, pillar VARCHAR NOT NULL,
        published_on DATE NOT NULL, published_on_basis VARCHAR NOT NULL, layout VARCHAR""",
    "inspection_report_judgments": """source_file VARCHAR NOT NULL, judgment_number INTEGER NOT NULL,
        question VARCHAR, grade VARCHAR NOT NULL, summary_points VARCHAR[] NOT NULL, pillar VARCHAR""",
    "inspection_report_recommendations": """source_file VARCHAR NOT NULL, recommendation_number INTEGER NOT NULL,
        question VARCHAR, text VARCHAR NOT NULL, deadlines_as_written VARCHAR[] NOT NULL,
        deadline_dates DATE[] NOT NULL, kind VARCHAR""",
    "inspection_report_figures": """source_file VARCHAR NOT NULL, figure_number INTEGER NOT NULL,
        measure_label VARCHAR NOT NULL, measure VARCHAR, area_code VARCHAR NOT NULL, value DOUBLE NOT NULL,
        decimals INTEGER NOT NULL, unit VARCHAR NOT NULL, period_end DATE, period_months INTEGER,
        baseline_period_end DATE, plus_minus DOUBLE, quoted_text VARCHAR NOT NULL""",
}


@dataclass(frozen=True)
class ReportLoad:
    path: Path
    changed: bool
    judgments: int = 0
    recommendations: int = 0
    figures: int = 0


# columns added when the PEEL layouts came: a warehouse made before has its tables altered (existing rows: null)
ADDED_COLUMNS = {"inspection_reports": ["layout VARCHAR"],
                 "inspection_report_judgments": ["pillar VARCHAR"],
                 "inspection_report_recommendations": ["kind VARCHAR"]}


def ensure_report_tables(con: duckdb.DuckDBPyConnection) -> None:
    ensure_raw_schema(con)
    for table, columns in REPORT_TABLES.items():
        con.execute(f"CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}.{table} ({columns})")
    for table, columns in ADDED_COLUMNS.items():
        for column in columns:
            con.execute(f"ALTER TABLE {RAW_SCHEMA}.{table} ADD COLUMN IF NOT EXISTS {column}")
    # PEEL 2021/22 onwards grade areas, not questions
    con.execute(f"ALTER TABLE {RAW_SCHEMA}.inspection_report_judgments ALTER COLUMN question DROP NOT NULL")


def load_report(con: duckdb.DuckDBPyConnection, path: Path, run_id: str | None = None) -> ReportLoad:
    """Parse one report and replace its rows; raises ReportParseError/ReportReadError and loads nothing if bad."""
    ensure_report_tables(con)
    sha256 = file_sha256(path)
    loaded = con.execute(f"SELECT source_sha256 FROM {RAW_SCHEMA}.inspection_reports WHERE source_file = ?",
                         [path.name]).fetchone()
    if loaded and loaded[0] == sha256:
        return ReportLoad(path, changed=False)

    report, force_code = parse_report(path, force_codes_by_name())
    programme = programmes()[(report.programme.lower(), report.year)]
    published_on_basis = report.published_on_basis or programme.published_on_basis

    con.execute("BEGIN TRANSACTION")
    try:
        for table in REPORT_TABLES:
            con.execute(f"DELETE FROM {RAW_SCHEMA}.{table} WHERE source_file = ?", [path.name])
        con.execute(
            f"INSERT INTO {RAW_SCHEMA}.inspection_reports BY NAME SELECT ? AS source_file, ? AS source_sha256, "
            "now() AS loaded_at, ? AS force_name, ? AS area_code, ? AS programme, ? AS year, ? AS cycle, ? AS pillar, "
            "? AS published_on, ? AS published_on_basis, ? AS layout",
            [path.name, sha256, report.force_name, force_code, report.programme, report.year, programme.cycle,
             programme.pillar, report.published_on, published_on_basis, report.layout])
        if report.judgments:
            con.executemany(
                f"INSERT INTO {RAW_SCHEMA}.inspection_report_judgments BY NAME SELECT ? AS source_file, "
                "? AS judgment_number, ? AS question, ? AS grade, ? AS summary_points, ? AS pillar",
                [[path.name, n, j.question, j.grade, list(j.summary_points), j.pillar]
                 for n, j in enumerate(report.judgments, 1)])
        if report.recommendations:
            con.executemany(
                f"INSERT INTO {RAW_SCHEMA}.inspection_report_recommendations BY NAME SELECT ? AS source_file, "
                "? AS recommendation_number, ? AS question, ? AS text, ? AS deadlines_as_written, "
                "? AS deadline_dates, ? AS kind",
                [[path.name, n, r.question, r.text, list(r.deadlines_as_written), list(r.deadline_dates), r.kind]
                 for n, r in enumerate(report.recommendations, 1)])
        if report.figures:
            con.executemany(
                f"INSERT INTO {RAW_SCHEMA}.inspection_report_figures VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [[path.name, n, f.measure_label, f.measure, f.area_code, f.value, f.decimals, f.unit, f.period_end,
                  f.period_months, f.baseline_period_end, f.plus_minus, f.quoted_text]
                 for n, f in enumerate(report.figures, 1)])
        record_load(con, SOURCE, path.name, path.name, sha256, len(report.judgments), run_id)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return ReportLoad(path, changed=True, judgments=len(report.judgments),
                      recommendations=len(report.recommendations), figures=len(report.figures))


def load_reports(con: duckdb.DuckDBPyConnection, paths: list[Path],
                 run_id: str | None = None) -> tuple[list[ReportLoad], list[str]]:
    """Load each report on its own; return the loads and the errors of the files that could not be loaded."""
    ensure_report_tables(con)  # with no report at all, the tables still exist (empty) for the models over them
    loads, errors = [], []
    for path in paths:
        try:
            loads.append(load_report(con, path, run_id))
        except (ReportParseError, ReportReadError) as error:
            errors.append(str(error))
    return loads, errors
