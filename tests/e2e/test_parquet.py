"""Each publication's tables as Parquet files, for tools that do not read DuckDB."""

import duckdb

from orchestration.publication.parquet import write_parquet
from orchestration.publication.publish import current_publication
from tests.helpers import LANCASHIRE, published, settings_for


def test_parquet_files_hold_every_published_table_as_published(snapshot_settings, tmp_path):
    target = settings_for(tmp_path / "elsewhere")  # its published/parquet folder, away from the snapshot
    rows = write_parquet(target, current_publication(snapshot_settings))
    tables = published(snapshot_settings, "SELECT table_name, estimated_size FROM duckdb_tables()")
    assert set(rows) == {name for name, _ in tables} and "force_rates" in rows
    files = sorted(p.name for p in target.parquet_dir.iterdir())
    assert files == sorted(f"{name}.parquet" for name in rows)
    for name, count in rows.items():
        assert count == published(snapshot_settings, f'SELECT count(*) FROM "{name}"')[0][0]
        assert duckdb.execute(f"SELECT count(*) FROM '{target.parquet_dir / name}.parquet'").fetchone()[0] == count
    query = "SELECT rate_per_1000, denominator_vintage FROM {} WHERE area_code = ? AND period_end = '2014-06-30' " \
            "AND measure = 'crime_excluding_fraud'"
    from_parquet = duckdb.execute(query.format(f"'{target.parquet_dir / 'force_rates.parquet'}'"),
                                  [LANCASHIRE]).fetchall()
    assert from_parquet == published(snapshot_settings, query.format("force_rates"), [LANCASHIRE])
    # a second publication's files replace the first's whole
    (target.parquet_dir / "stale.parquet").write_bytes(b"")
    write_parquet(target, current_publication(snapshot_settings))
    assert not (target.parquet_dir / "stale.parquet").exists()


def test_forcestat_export_and_sql_json_keep_the_published_types(snapshot_settings, tmp_path, capsys):
    """`forcestat export` and `forcestat sql --mode json` on the real publication: a DATE stays a DATE."""
    import json

    from orchestration.cli.export import export
    from orchestration.cli.sql import run_sql

    tables = ("force_rates", "force_change", "inspection_recommendations")
    assert export(snapshot_settings, list(tables), None, "query", tmp_path, "parquet") == 0
    for table in tables:
        exported = duckdb.execute(f"DESCRIBE SELECT * FROM '{tmp_path / table}.parquet'").fetchall()
        assert [row[:2] for row in exported] == published(
            snapshot_settings, "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? "
                               "ORDER BY column_index", [table]), table
    capsys.readouterr()
    assert run_sql(snapshot_settings, "SELECT period_end, baseline_period_end FROM force_change WHERE area_code = "
                                      f"'{LANCASHIRE}' AND measure = 'crime_excluding_fraud' AND period_end = "
                                      "'2014-06-30'", "json") == 0
    assert json.loads(capsys.readouterr().out) == [{"period_end": "2014-06-30", "baseline_period_end": "2010-06-30"}]
