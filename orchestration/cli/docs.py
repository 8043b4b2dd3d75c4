"""`forcestat docs` (`make docs`): dbt docs and GX Data Docs into the site (orchestration/site/docs.py), then the
site's pages again, so they link them."""

from __future__ import annotations

from orchestration.settings import Settings
from orchestration.site.build import build_site
from orchestration.site.docs import build_docs


def run_docs(settings: Settings) -> int:
    built = build_docs(settings)
    for name, page in built.items():
        print(f"forcestat docs: {name} -> {page}")
    if settings.published_db.exists():  # the site's pages link the docs once they are there
        build_site(settings)
    print("serve them with the site: forcestat site --serve (then /docs/dbt/ and /docs/gx/)")
    return 0
