"""`forcestat`: the warehouse's command line.

    forcestat refresh              bring the published file up to date (nothing to do: says so in a second)
    forcestat fetch [SOURCE ...]   the publishers' new editions into the landing zone (FORCESTAT_FETCH=1)
    forcestat sql ["SELECT ..."]   read-only SQL on the published file: one-shot, or an interactive prompt
    forcestat export [TABLE ...]   published tables (or --query) as Parquet or CSV files
    forcestat ui                   the Dagster UI, the daemon (schedules, landing zone, queue) and the site
    forcestat site [--serve]       build the force profiles and national page from the published file; serve them
    forcestat docs                 dbt docs and the gate's GX Data Docs into the site, readable offline
    forcestat expectations         the quality gate's expectations per table, as markdown
    forcestat prepare              parse the dbt project (make install does it; again after editing the models)
    forcestat report FILE...       what the report readers extract from each file (JSON lines), loading nothing
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from importlib.metadata import version
from pathlib import Path

from orchestration.operations.collector import tune_collector
from orchestration.settings import DEFAULT_SITE_PORT, DEFAULT_UI_PORT, SITE_PORT_ENV, UI_PORT_ENV, Settings


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """The module's text as written, and every option's default in its help (an option without one, or a switch,
    says what it does when it is not given)."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if action.default not in (None, False, argparse.SUPPRESS) and "default" not in text:
            text += " (default: %(default)s)"
        return text


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="forcestat", description=__doc__, formatter_class=HelpFormatter)
    main.add_argument("--version", action="version", version=f"forcestat {version('forcestat')}")
    commands = main.add_subparsers(dest="command", parser_class=lambda **kw: argparse.ArgumentParser(
        formatter_class=HelpFormatter, **kw))
    refresh = commands.add_parser("refresh", help="bring the published file up to date with the current files")
    refresh.add_argument("--force", action="store_true", help="refresh even when nothing has changed")
    refresh.add_argument("-v", "--verbose", action="store_true", help="show every step and dbt node")
    sql = commands.add_parser("sql", help="read-only SQL on the published file")
    sql.add_argument("query", nargs="?", help="statements to run once (separated by ';'); without: a prompt")
    sql.add_argument("--mode", choices=("table", "line", "csv", "markdown", "json"), default="table",
                     help="how results are printed")
    export = commands.add_parser("export", help="published tables (or a query) as Parquet or CSV files")
    export.add_argument("tables", nargs="*", help="tables to export (default: every published table)")
    export.add_argument("--query", help="export the result of this SELECT instead (read-only, published file only)")
    export.add_argument("--name", default="query", help="file name (without extension) for --query")
    export.add_argument("--format", choices=("parquet", "csv"), default="parquet", help="the files' format")
    export.add_argument("--to", type=Path, default=Path("exports"), help="folder to write into")
    fetch = commands.add_parser("fetch", help="fetch the publishers' new editions into the landing zone")
    fetch.add_argument("sources", nargs="*", metavar="SOURCE", help="sources to fetch (default: every source with a "
                       "publisher's feed: " + ", ".join(feed_names()) + ")")
    fetch.add_argument("--since", metavar="YYYY-MM", type=month, help="only editions covering months from this one "
                       "on (a backfill of data.police.uk's months from then; default: every edition not fetched yet)")
    fetch.add_argument("--dry-run", action="store_true", help="list what is new, download nothing")
    ui = commands.add_parser("ui", help="the Dagster UI, the daemon and the site")
    ui.add_argument("--port", type=int, default=int(os.environ.get(UI_PORT_ENV, DEFAULT_UI_PORT)),
                    help=f"the Dagster UI's port on 127.0.0.1 (or {UI_PORT_ENV})")
    ui.add_argument("--site-port", type=int, default=int(os.environ.get(SITE_PORT_ENV, DEFAULT_SITE_PORT)),
                    help=f"the site's port on 127.0.0.1 (or {SITE_PORT_ENV})")
    site = commands.add_parser("site", help="build the profiles and national page; --serve serves them")
    site.add_argument("--serve", action="store_true", help="serve the site on 127.0.0.1 until Ctrl-C")
    site.add_argument("--no-build", dest="build", action="store_false", help="serve the site as it is")
    site.add_argument("--port", type=int, default=int(os.environ.get(SITE_PORT_ENV, DEFAULT_SITE_PORT)),
                      help=f"the port on 127.0.0.1 (or {SITE_PORT_ENV})")
    commands.add_parser("docs", help="build dbt docs and GX Data Docs into the site (readable offline)")
    commands.add_parser("expectations", help="print the quality gate's expectations per table (markdown)")
    commands.add_parser("prepare", help="parse the dbt project (make install runs it; again after editing models)")
    report = commands.add_parser("report", help="what the report readers extract from each file, loading nothing")
    report.add_argument("files", nargs="+", type=Path, help="report texts (.txt) or PDFs")
    return main


def feed_names() -> list[str]:
    from orchestration.deliveries import KINDS

    return [kind.name for kind in KINDS if kind.feed]


def month(text: str) -> str:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a month YYYY-MM")
    return text


def main(argv: list[str] | None = None) -> int:
    tune_collector()
    arguments = parser()
    args = arguments.parse_args(argv)
    if args.command is None:
        arguments.print_help()
        return 0
    settings = Settings.from_env()
    if args.command == "fetch":
        from orchestration.cli.fetch import fetch

        return fetch(settings, args.sources, args.since, args.dry_run)
    if args.command == "sql":
        from orchestration.cli.sql import run_sql

        return run_sql(settings, args.query, args.mode)
    if args.command == "refresh":
        from orchestration.cli.refresh import refresh

        return refresh(settings, force=args.force, verbose=args.verbose)
    if args.command == "export":
        from orchestration.cli.export import export

        return export(settings, args.tables, args.query, args.name, args.to, args.format)
    if args.command == "ui":
        from orchestration.cli.ui import run_ui

        return run_ui(settings, args.port, args.site_port)
    if args.command == "report":
        from orchestration.cli.report import report

        return report(args.files)
    if args.command == "site":
        from orchestration.cli.site import run_site

        return run_site(settings, args.serve, args.port, args.build)
    if args.command == "docs":
        from orchestration.cli.docs import run_docs

        return run_docs(settings)
    if args.command == "prepare":
        from orchestration.settings import DEFAULT_WAREHOUSE_DIR
        from orchestration.transform.runner import prepare

        prepare(Settings.for_warehouse(DEFAULT_WAREHOUSE_DIR))
        return 0
    from orchestration.gate.suites import suites_markdown

    print(suites_markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())
