"""`forcestat fetch [SOURCE ...] [--since YYYY-MM] [--dry-run]`: the publishers' new editions into the landing zone,
by hand or for a backfill, with a progress bar; the landing sensor (or `forcestat refresh`) loads them as it loads
any delivery. Like the nightly fetch, it acts only with FORCESTAT_FETCH=1, so an air-gapped machine never tries."""

from __future__ import annotations

import sys

from orchestration.settings import FETCH_ENV, Settings, fetch_enabled


def fetch(settings: Settings, sources: list[str], since: str | None, dry_run: bool) -> int:
    from tqdm import tqdm

    from orchestration.deliveries import KINDS
    from orchestration.fetch.fetching import client_for, fetch_kind, place_for

    if not fetch_enabled():
        print(f"forcestat fetch: fetching is off on this machine; set {FETCH_ENV}=1 to let the warehouse ask its "
              "publishers (FORCESTAT_DATA_POLICE_UK_URL, FORCESTAT_GOV_UK_URL and FORCESTAT_NOMIS_URL point it "
              "elsewhere than the real hosts)", file=sys.stderr)
        return 2
    fed = {kind.name: kind for kind in KINDS if kind.feed}
    unknown = [name for name in sources if name not in fed]
    if unknown:
        print(f"forcestat fetch: no publisher's feed for {unknown}; the sources with one: {sorted(fed)}",
              file=sys.stderr)
        return 2
    failed = 0
    client = client_for(settings)
    try:
        with place_for(settings) as place:
            for name in sources or list(fed):
                with tqdm(desc=f"{name:<22}", unit=" files", file=sys.stderr, leave=True) as bar:
                    report = fetch_kind(fed[name], settings, client, place, since, dry_run, bar.update)
                print(f"  {report.describe()}", flush=True)
                if dry_run:
                    for edition in report.new:
                        print(f"    new: {edition.key or ''} {edition.edition} {edition.url}")
                failed += report.error is not None
    finally:
        client.close()
    if not dry_run:
        print(f"forcestat fetch: files are in {settings.landing_dir}; the landing sensor (forcestat ui) loads and "
              "publishes them, or run forcestat refresh")
    return 1 if failed else 0
