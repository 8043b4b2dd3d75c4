"""`forcestat docs` (`make docs`): the dbt docs and the quality gate's GX Data Docs, into the site, readable offline.

- dbt: `dbt docs generate --static --empty-catalog`, one self-contained page (models, columns and their contracts'
  types, descriptions, tests, lineage) read from the project, not from the warehouse, so it never waits for the
  pipeline's writer; with anonymous usage statistics off (dbt_project.yml), so the page loads no tracker. It goes to
  site/docs/dbt/index.html.
- GX: every suite in expectations/, as GX's own Data Docs made to work offline (orchestration/gate/data_docs.py), into
  site/docs/gx/.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from orchestration.gate.data_docs import suites_docs
from orchestration.settings import DBT_PROJECT_DIR, Settings

# Two addresses dbt's static page requests that do not exist (404s in every browser): its menu icons are bound with a
# plain attribute the browser requests before AngularJS fills it in (ng-attr- binds it once filled in), and its
# favicon link is an unexpanded build-time template.
DBT_PAGE_MENDS = {
    'xlink:href="{{ getIcon': 'ng-attr-xlink:href="{{ getIcon',
    "href=\"${require('./assets/favicons/favicon.ico')}\"": 'href="data:,"',
}


def build_docs(settings: Settings) -> dict[str, Path]:
    docs = settings.site_dir / "docs"
    return {"dbt": dbt_docs(docs / "dbt"), "gx": suites_docs(docs / "gx")}


def dbt_docs(folder: Path) -> Path:
    from dbt.cli.main import dbtRunner

    with tempfile.TemporaryDirectory() as target:  # not the runs' target folder: its manifest is the code location's
        result = dbtRunner().invoke([
            "docs", "generate", "--static", "--empty-catalog", "--project-dir", str(DBT_PROJECT_DIR),
            "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", target, "--log-path", target,
            # an in-memory database: the docs read nothing from the warehouse and never wait for its writer
            "--vars", json.dumps({"build_db": ":memory:"}), "--quiet"])
        if not result.success:
            raise RuntimeError(f"dbt docs generate failed: {result.exception}")
        folder.mkdir(parents=True, exist_ok=True)
        page = (Path(target) / "static_index.html").read_text()
        for broken, mended in DBT_PAGE_MENDS.items():
            page = page.replace(broken, mended)
        (folder / "index.html").write_text(page)
    return folder / "index.html"
