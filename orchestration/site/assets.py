"""The site asset: after each publication, the profiles and the national page are rebuilt from the new file."""

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from orchestration.publication.assets import PUBLISHED_KEY
from orchestration.site.build import build_site
from orchestration.warehouse.database import Warehouse

SITE_KEY = AssetKey(["published", "site"])


@asset(
    key=SITE_KEY,
    deps=[PUBLISHED_KEY],
    group_name="publish",
    owners=["team:forcestat"],
    kinds={"html"},
    description="The analysts' site, warehouse/published/site/: a profile page per force, region and England and "
    "Wales (the seed report's crime table, change sentences and figure for any period, anti-social behaviour, "
    "outcomes, inspections, report figure checks) and a national map and league table, built from the publication "
    "just made. Served by `forcestat ui` and `forcestat site --serve`; opens from disk too.",
)
def site(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
    settings = warehouse.settings
    summary = build_site(settings)
    context.log.info(f"site: {summary.pages} pages, {summary.bytes / 1e6:.1f} MB, built in {summary.seconds} s "
                     f"from {summary.publication}; {len(summary.taken)} of its {summary.parts} parts taken from the "
                     f"last build ({', '.join(summary.taken) or 'none'})")
    return MaterializeResult(metadata={
        "national_page": MetadataValue.url(f"{settings.site_url}/index.html"),
        "pages": summary.pages,
        "megabytes": round(summary.bytes / 1e6, 1),
        "publication": summary.publication,
        "parts_taken": MetadataValue.text(", ".join(summary.taken) or "none"),
    })
