"""Publication: the marts that passed the gate, copied into a new file that then becomes the analysts' file at once.

Each publication is a file of its own, published/publications/<time>-<run>/forcestat.duckdb (a folder each, so the
database is always called "forcestat" in SQL), and published/forcestat.duckdb is a symbolic link to the newest,
swapped with os.replace() (atomic on one filesystem).
A reader holding the old file keeps reading it; a new connection opens the new one; nobody meets a half-written file
or the pipeline's lock. A publication interrupted at any point (kill -9 included) leaves only a stray .tmp file,
which the next publication removes.

A publication starts as a copy of the current one. The marts this run built - and the gate passed, or this step would
not run - replace their copies: an incremental mart (keyed by area and month, with built_at) force-month by
force-month, any other mart whole unless it holds exactly the rows already published (a street month that changes no
ASB rate rebuilds force_rates with the same 78k rows: kept, not copied again). Marts this run did not build are
carried over as they were published, so a mart a failed run left in the build database is never published by a
later run.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.settings import PUBLICATIONS_KEPT, Settings
from orchestration.warehouse.fetched import FETCHED
from orchestration.warehouse.files import sql_string
from orchestration.warehouse.ledger import LOADS_TABLE

MARTS_SCHEMA = "marts"
BOOKKEEPING = ("publication", "publication_sources")
DB = "pub"  # the new publication, attached to the build database's connection
PUBLISHED_NAME = "forcestat.duckdb"


@dataclass
class Publication:
    path: Path
    row_counts: dict[str, int] = field(default_factory=dict)
    rewritten: list[str] = field(default_factory=list)  # copied whole from the build database
    unchanged: list[str] = field(default_factory=list)  # built again with the rows already published: kept
    incremental: dict[str, int] = field(default_factory=dict)  # rows replaced force-month by force-month
    carried: list[str] = field(default_factory=list)  # as in the previous publication


def current_publication(settings: Settings) -> Path | None:
    """The file the analysts' link points to, if anything is published."""
    link = settings.published_db
    return link.resolve() if link.exists() else None


def _tidy(settings: Settings, keep: Path | None) -> None:
    """Remove what interrupted publications left (.tmp folders, with any WAL in them) and publications beyond the last
    few (a reader holding one of those keeps reading it: the kernel keeps an open file)."""
    folder = settings.publications_dir
    for leftover in folder.glob("*.tmp"):
        shutil.rmtree(leftover, ignore_errors=True)
    published = sorted(p for p in folder.glob("*") if p.is_dir() and not p.name.endswith(".tmp"))
    for old in published[:-PUBLICATIONS_KEPT]:
        if keep is None or old != keep.parent:
            shutil.rmtree(old, ignore_errors=True)


def _columns(con: duckdb.DuckDBPyConnection, database: str, schema: str, table: str) -> list[tuple[str, str]]:
    return con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = ? AND "
                       "schema_name = ? AND table_name = ? ORDER BY column_index", [database, schema, table]).fetchall()


def _tables(con: duckdb.DuckDBPyConnection, database: str, schema: str) -> list[str]:
    """The tables and views of a schema."""
    return [name for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? UNION ALL "
        "SELECT view_name FROM duckdb_views() WHERE database_name = ? AND schema_name = ? AND NOT internal",
        [database, schema, database, schema]).fetchall()]


def _same_columns(con: duckdb.DuckDBPyConnection, build_db: str, table: str) -> bool:
    """Whether the build's mart and the published copy have the same columns, of the same types, in the same order."""
    return _columns(con, DB, "main", table) == _columns(con, build_db, MARTS_SCHEMA, table)


def fingerprint(con: duckdb.DuckDBPyConnection, database: str, schema: str, table: str) -> tuple:
    """A table in three values: its columns and their types in order, its row count and the sum of its rows' hashes
    (5 ms for 78k rows). Two tables with equal fingerprints hold the same rows unless two 64-bit hash sums collide at
    the same count. The marts built in parts tell a changed part by the same count and hash sum
    (dbt_project/macros/built_in_parts.sql), the site a part it can keep (site/parts.py)."""
    count, hashes = con.execute(f'SELECT count(*), sum(hash(t)::HUGEINT) FROM "{database}"."{schema}"."{table}" AS t'
                                ).fetchone()
    return _columns(con, database, schema, table), count, hashes


def _same_rows(con: duckdb.DuckDBPyConnection, build_db: str, table: str) -> bool:
    """Whether the build's mart holds exactly the published copy's rows (where copying them takes 0.2 s)."""
    return fingerprint(con, build_db, MARTS_SCHEMA, table) == fingerprint(con, DB, "main", table)


def _sync_incremental(con: duckdb.DuckDBPyConnection, build_db: str, table: str,
                      incremental_key: list[str]) -> int | None:
    """Bring the publication's copy of an incremental mart up to date force-month by force-month: the force-months
    built since the published copy replace theirs, force-months no longer in the build are dropped. None when that is
    not possible (columns changed) or the result disagrees with the build (then the mart is copied whole).

    A build stamps every row it writes with its built_at, so the force-months built since the copy are found among
    the newest rows alone (at 120 months held, the LSOA mart's 18.5M rows were grouped by key in both copies: 0.6 s a
    publication), as the street models find what was loaded since their last build by loaded_at. A force-month dropped
    from the build leaves the copy with more rows than the build: only then is every key of both compared."""
    build, published = f'{MARTS_SCHEMA}."{table}"', f'{DB}.main."{table}"'
    if not _same_columns(con, build_db, table):
        return None
    key = ", ".join(incremental_key)
    replaced = _replace_keys(con, build, published, incremental_key, f"""SELECT DISTINCT {key} FROM {build}
        WHERE built_at > (SELECT coalesce(max(built_at), '-infinity'::TIMESTAMPTZ) FROM {published})""")
    if _same_count(con, build, published):
        return replaced
    replaced += _replace_keys(con, build, published, incremental_key, f"""
        WITH built AS (SELECT {key}, max(built_at) AS built_at FROM {build} GROUP BY ALL),
             held AS (SELECT {key}, max(built_at) AS built_at FROM {published} GROUP BY ALL)
        SELECT {key} FROM held FULL JOIN built USING ({key}) WHERE held.built_at IS DISTINCT FROM built.built_at""")
    return replaced if _same_count(con, build, published) else None


def _replace_keys(con: duckdb.DuckDBPyConnection, build: str, published: str, incremental_key: list[str],
                  keys: str) -> int:
    """Replace the published copy's rows of the keys the query finds with the build's (none, for a key the build no
    longer has); returns how many rows were inserted."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE changed_keys AS {keys}")
    # joined on each key column, not a tuple IN a subquery: DuckDB then skips the row groups whose months no changed
    # key has (at 120 months held, the LSOA mart's delete and insert 0.1 s where they were 0.4 s)
    matching = " AND ".join(f"held.{column} = changed_keys.{column}" for column in incremental_key)
    con.execute(f"DELETE FROM {published} AS held USING changed_keys WHERE {matching}")
    inserted = con.execute(f"INSERT INTO {published} SELECT * FROM {build} SEMI JOIN changed_keys "
                           f"USING ({', '.join(incremental_key)})").fetchone()[0]
    con.execute("DROP TABLE changed_keys")
    return inserted


def _same_count(con: duckdb.DuckDBPyConnection, build: str, published: str) -> bool:
    return con.execute(f"SELECT (SELECT count(*) FROM {published}) = (SELECT count(*) FROM {build})").fetchone()[0]


def _sources(con: duckdb.DuckDBPyConnection, fetched: Path) -> None:
    """publication_sources: the file each source (and part) was built from, and where its publisher serves it when
    the fetch brought it (the fetch's ledger, by sha256)."""
    addresses = "(SELECT NULL::VARCHAR AS sha256, NULL::VARCHAR AS url, NULL::VARCHAR AS edition, " \
                "NULL::VARCHAR AS fetched_at WHERE false)"
    if fetched.exists():
        addresses = (f"(SELECT sha256, url, edition, fetched_at FROM read_json({sql_string(str(fetched))}, "
                     "format = 'newline_delimited', columns = {sha256: 'VARCHAR', url: 'VARCHAR', edition: 'VARCHAR', "
                     "fetched_at: 'VARCHAR'}) WHERE sha256 IS NOT NULL "
                     "QUALIFY row_number() OVER (PARTITION BY sha256 ORDER BY fetched_at DESC) = 1)")
    con.execute(f"""CREATE OR REPLACE TABLE {DB}.main.publication_sources AS
        SELECT loads.source, loads.partition_key, loads.source_file, loads.source_sha256, loads.rows, loads.loaded_at,
               fetched.url AS fetched_from, fetched.edition, fetched.fetched_at::TIMESTAMPTZ AS fetched_at
        FROM (SELECT * FROM {LOADS_TABLE}
              QUALIFY row_number() OVER (PARTITION BY source, partition_key ORDER BY loaded_at DESC) = 1
                  AND source_sha256 IS NOT NULL) AS loads
        LEFT JOIN {addresses} AS fetched ON fetched.sha256 = loads.source_sha256
        ORDER BY loads.source, loads.partition_key""")
    con.execute(f"COMMENT ON TABLE {DB}.main.publication_sources IS 'The source files this publication was built "
                "from (name, SHA-256, rows, when loaded): one per source and, for a source in parts, per part "
                "(partition_key: a street force-month <force id>|<YYYY-MM>, an outcomes year, a report file); "
                "fetched_from, edition and fetched_at say where and when its publisher served it, when the "
                "warehouse fetched it (null for the embedded files and files dropped by hand).'")


def _describe(con: duckdb.DuckDBPyConnection, table: str, description: tuple[str, dict[str, str]] | None) -> None:
    """The descriptions of the mart's .yml (dbt's manifest), so `duckdb_columns()` documents the published file."""
    if not description:
        return
    text, columns = description
    if text:
        con.execute(f'COMMENT ON TABLE {DB}.main."{table}" IS {sql_string(" ".join(text.split()))}')
    for column, column_text in columns.items():
        if column_text:
            con.execute(f'COMMENT ON COLUMN {DB}.main."{table}"."{column}" IS {sql_string(column_text)}')


def publish(con: duckdb.DuckDBPyConnection, settings: Settings, run_id: str, built: set[str] | None,
            code_version: str, descriptions: dict[str, tuple[str, dict[str, str]]] | None = None,
            incremental_key: list[str] | None = None) -> Publication:
    """Publish from the build database (con). built: the marts this run built and the gate passed (None: all);
    descriptions: each mart's and its columns' (from dbt's manifest); incremental_key: the key incremental marts
    replace their rows by (the dbt variable street_key), None to copy every mart whole."""
    folder = settings.publications_dir
    folder.mkdir(parents=True, exist_ok=True)
    previous = current_publication(settings)
    _tidy(settings, previous)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{stamp}-{run_id[:8]}" / PUBLISHED_NAME
    staging = target.parent.with_name(target.parent.name + ".tmp") / PUBLISHED_NAME
    staging.parent.mkdir()
    if previous:
        shutil.copyfile(previous, staging)
    build_db = con.execute("SELECT current_database()").fetchone()[0]
    marts = _tables(con, build_db, MARTS_SCHEMA)
    if not marts:
        raise RuntimeError(f"{settings.build_db}: schema {MARTS_SCHEMA} holds no tables; nothing to publish")
    publication = Publication(path=target)
    con.execute(f"ATTACH {sql_string(str(staging))} AS {DB}")
    try:
        _fill(con, run_id, built, code_version, build_db, marts, descriptions or {}, publication,
              incremental_key or [])
        _sources(con, settings.fetch_dir / FETCHED)
    except BaseException:
        con.execute(f"DETACH {DB}")
        shutil.rmtree(staging.parent, ignore_errors=True)
        raise
    con.execute(f"DETACH {DB}")  # checkpoints the new file and closes it
    os.replace(staging.parent, target.parent)
    link = settings.published_db.with_name(settings.published_db.name + ".link.tmp")
    link.unlink(missing_ok=True)
    link.symlink_to(target.relative_to(settings.published_db.parent))
    os.replace(link, settings.published_db)
    return publication


def _fill(con: duckdb.DuckDBPyConnection, run_id: str, built: set[str] | None, code_version: str, build_db: str,
          marts: list[str], descriptions: dict[str, tuple[str, dict[str, str]]], publication: Publication,
          incremental_key: list[str]) -> None:
    """Write the attached publication: marts built by this run replaced, the others carried, then bookkeeping."""
    held = set(_tables(con, DB, "main")) - set(BOOKKEEPING)
    for stale in held - set(marts):  # a mart dropped from the project
        con.execute(f'DROP TABLE {DB}.main."{stale}"')
    for table in marts:
        if table in held and built is not None and table not in built:
            publication.carried.append(table)
        else:
            columns = [name for name, _ in _columns(con, build_db, MARTS_SCHEMA, table)]
            replaced = None
            if table in held and incremental_key and "built_at" in columns and all(
                    key in columns for key in incremental_key):
                replaced = _sync_incremental(con, build_db, table, incremental_key)
            if replaced is not None:
                publication.incremental[table] = replaced
            elif table in held and _same_rows(con, build_db, table):
                publication.unchanged.append(table)
            else:
                con.execute(f'CREATE OR REPLACE TABLE {DB}.main."{table}" AS '
                            f'SELECT * FROM {MARTS_SCHEMA}."{table}"')
                publication.rewritten.append(table)
            _describe(con, table, descriptions.get(table))  # the descriptions may have changed all the same
        publication.row_counts[table] = con.execute(f'SELECT count(*) FROM {DB}.main."{table}"').fetchone()[0]
    con.execute(f"""CREATE OR REPLACE TABLE {DB}.main.publication AS
                    SELECT now() AS published_at, ? AS dagster_run_id, ? AS tables, ? AS code_version""",
                [run_id, len(marts), code_version])
    con.execute(f"COMMENT ON TABLE {DB}.main.publication IS 'When this file was published, by which Dagster run, "
                "and from which version of the code (a hash of the models, seeds, suites and pipeline code).'")
