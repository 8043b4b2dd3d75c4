"""GX Data Docs that work offline: the pages of the gate's suites (`forcestat docs`) and of a failed suite's validation
(orchestration/gate/validation.py).

GX's pages load Bootstrap, jQuery, Font Awesome and Vega from CDNs; those exact packages are installed from the npm
registry (data_docs_assets/package-lock.json, `npm ci`, which `make install` runs) and each CDN address in the pages
is rewritten to a copy beside them, so the pages are styled and their lists filled with no network. GX's logo images
point off the machine and are dropped.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

ASSETS_DIR = Path(__file__).parent / "data_docs_assets"
NODE_MODULES = ASSETS_DIR / "node_modules"
# CDN address in GX's page templates -> file of the npm packages in data_docs_assets/package.json
CDN_FILES = {
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css":
        "@forevolve/bootstrap-dark/dist/css/bootstrap-prefers-dark.css",
    "https://cdn.jsdelivr.net/npm/vega-embed@6": "vega-embed/build/vega-embed.min.js",
    "https://cdn.jsdelivr.net/npm/vega-lite@5": "vega-lite/build/vega-lite.min.js",
    "https://cdn.jsdelivr.net/npm/vega@5": "vega/build/vega.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css":
        "bootstrap-datepicker/dist/css/bootstrap-datepicker.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js":
        "bootstrap-datepicker/dist/js/bootstrap-datepicker.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css":
        "@fortawesome/fontawesome-free/css/all.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper.js/dist/umd/popper.min.js",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/dist/jquery.min.js",
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap/dist/css/bootstrap.min.css",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap/dist/js/bootstrap.min.js",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css":
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.css",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css":
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css":
        "bootstrap-table/dist/bootstrap-table.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js":
        "bootstrap-table/dist/bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js":
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.min.js",
}
FONT_AWESOME_FONTS = "@fortawesome/fontawesome-free/webfonts"  # all.min.css loads ../webfonts/*
OFF_MACHINE_IMAGE = re.compile(r'<img[^>]+src="https://great-expectations-web-assets[^"]*"[^>]*>')


def assets_installed() -> bool:
    return all((NODE_MODULES / path).exists() for path in CDN_FILES.values())


def install_assets() -> None:
    """The npm packages of GX's pages, as locked (`npm ci`), unless they are installed already."""
    if assets_installed():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(f"npm is needed once to install the GX Data Docs assets ({ASSETS_DIR}): install Node.js "
                           "and npm")
    subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=ASSETS_DIR, check=True)


def suites_docs(folder: Path) -> Path:
    """Every suite in expectations/ (an expectation written once per seed row expanded, as it runs), as GX's Data
    Docs under folder, working offline."""
    import great_expectations as gx

    from orchestration.gate.suites import load_suites

    install_assets()
    shutil.rmtree(folder, ignore_errors=True)
    context = gx.get_context(mode="ephemeral")
    for suite in load_suites():
        context.suites.add(gx.ExpectationSuite(name=suite.name, expectations=list(suite.expectations),
                                               meta={"notes": suite.notes}))
    context.add_data_docs_site("forcestat", {
        "class_name": "SiteBuilder",
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": f"{folder}/"},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    })
    context.build_data_docs(site_names=["forcestat"])
    localise(folder)
    return folder / "index.html"


def localise(folder: Path) -> bool:
    """Make the GX Data Docs pages under folder load their scripts and styles from a copy beside them (folder/vendor).
    The quality gate calls this for the pages of a failed suite too; without the npm packages installed
    (`make install` installs them) the pages keep their CDN addresses and it says so (False)."""
    if not assets_installed():
        return False
    vendor = folder / "vendor"
    for path in CDN_FILES.values():
        (vendor / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(NODE_MODULES / path, vendor / path)
    shutil.copytree(NODE_MODULES / FONT_AWESOME_FONTS, vendor / FONT_AWESOME_FONTS, dirs_exist_ok=True)
    for page in folder.rglob("*.html"):
        page.write_text(offline(page.read_text(), page, vendor))
    return True


def offline(html: str, page: Path, vendor: Path) -> str:
    """A GX page loading its scripts and styles from the local copies and no image from off the machine (links to
    GX's own web pages stay: they load nothing until followed)."""
    for address, path in CDN_FILES.items():
        html = html.replace(address, os.path.relpath(vendor / path, page.parent))
    return OFF_MACHINE_IMAGE.sub("", html)
