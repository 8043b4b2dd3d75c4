"""Freshness says which case a stale source is: behind its publisher, or a publisher behind its cadence."""

from datetime import UTC, datetime, timedelta

from orchestration.deliveries import KINDS_BY_NAME
from orchestration.operations.freshness import verdict

PRC = KINDS_BY_NAME["home_office_prc_pfa"]  # cadence 100 days
NOW = datetime(2026, 12, 6, tzinfo=UTC)


def seen(newest: str, days_ago: int) -> dict:
    return {"newest": newest, "since": (NOW - timedelta(days=days_ago)).isoformat()}


def file(edition: str, sha: str | None, landed: bool) -> dict:
    return {"source": PRC.name, "edition": edition, "file": f"prc-{edition}.ods", "sha256": sha, "landed": landed}


def test_a_newer_edition_not_published_is_said_so():
    passed, said = verdict(PRC, seen("2026-10-23", 3), [file("2026-07-23", "a", True)], {"a"}, NOW, NOW)
    assert not passed and said.startswith("the publisher has a newer edition we have not published: 2026-10-23")
    assert "not fetched yet" in said
    passed, said = verdict(PRC, seen("2026-10-23", 3), [file("2026-10-23", "b", True)], {"a"}, NOW, NOW)
    assert not passed and "fetched, not loaded: ['prc-2026-10-23.ods']" in said  # refused, or waiting to load


def test_a_publisher_silent_for_longer_than_its_cadence_is_said_so():
    files = [file("2026-07-23", "a", True)]
    passed, said = verdict(PRC, seen("2026-07-23", 120), files, {"a"}, NOW - timedelta(days=120), NOW)
    assert not passed and said.startswith("the publisher has published nothing within its cadence")
    assert "listed for 120 days (cadence 100 days)" in said
    assert verdict(PRC, seen("2026-07-23", 30), files, {"a"}, NOW, NOW)[0]
    # an edition whose content the warehouse held already (not landed again) is published too
    assert verdict(PRC, seen("2026-07-23", 30), [file("2026-07-23", "c", False)], {"a"}, NOW, NOW)[0]


def test_without_the_fetch_the_last_new_content_decides():
    assert verdict(PRC, None, [], set(), NOW - timedelta(days=10), NOW)[0]
    passed, said = verdict(PRC, None, [], set(), NOW - timedelta(days=150), NOW)
    assert not passed and "loaded 150 days ago (cadence 100 days" in said
