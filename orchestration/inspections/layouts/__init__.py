"""The report layouts the warehouse reads, one reader module each, in the order they are tried.

A layout module has NAME, DESCRIPTION, LOOKS_FOR (what recognises it, for error messages), recognise(raw text) ->
bool, and read(raw text, path, Context) -> (Report, force code). To add a layout: write its module (the PEEL readers
share layouts/peel.py and layouts/prose.py), list it here, add its programmes to the seed inspection_programmes,
and keep two real texts of it under tests/fixtures/inspections/.
"""

from orchestration.inspections.layouts import (
    crime_inspection_2014,
    peel_2014,
    peel_2015_2017,
    peel_2018_19,
    peel_2021_25,
)

LAYOUTS = (crime_inspection_2014, peel_2014, peel_2015_2017, peel_2018_19, peel_2021_25)


def layout_of(raw: str):
    """The first layout that recognises the text, or None."""
    return next((layout for layout in LAYOUTS if layout.recognise(raw)), None)


def supported() -> str:
    """Each supported layout and what recognises it, one per line."""
    return "\n".join(f"  - {layout.NAME}: {layout.DESCRIPTION}; looks for {layout.LOOKS_FOR}" for layout in LAYOUTS)
