"""forcestat's own "most similar forces" for each force: a choice of peers the profiles offer beside the default (the
other forces of the region). It is not HMIC's most similar groups (which weigh other variables, some unpublished);
the profiles say so, and describe the method with METHOD.

For each ranked force, in the latest 12 months held: the population density (residents per square kilometre of its
area, from the ONS boundaries the map draws; on a log scale, as densities span two orders of magnitude), the
households per resident, and the crime mix (each of eight offence groups' share of crime excluding fraud). Each is
standardised across the forces (z-scores); the three kinds weigh the same (each share an eighth of the crime mix);
a force's most similar forces are the SIMILAR nearest by that distance.
"""

from __future__ import annotations

import math
import statistics

import duckdb

SIMILAR = 7
CRIME_MIX = ("violence_against_the_person", "sexual_offences", "robbery", "theft_offences",
             "criminal_damage_and_arson", "drug_offences", "possession_of_weapons_offences", "public_order_offences")
EARTH_RADIUS_KM = 6371.0088
METHOD = (f"forcestat's own method, not HMIC's most similar groups: the {SIMILAR} forces nearest to this one in "
          "population density (residents per square kilometre, on a log scale), households per resident and crime mix "
          "(the shares of eight offence groups in crime excluding fraud), each standardised across the forces and the "
          "three weighed equally, in the latest 12 months held.")


def ring_km2(ring: list[list[float]]) -> float:
    """The area of a ring of (longitude, latitude) points on the sphere (the spherical excess, as d3 and turf do)."""
    total = 0.0
    for (lon1, lat1), (lon2, lat2) in zip(ring, ring[1:] + ring[:1], strict=True):
        total += math.radians(lon2 - lon1) * (2 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2)))
    return abs(total) * EARTH_RADIUS_KM ** 2 / 2


def area_km2(geometry: dict) -> float:
    """A Polygon's or MultiPolygon's area: its outer rings less its holes."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return sum(ring_km2(outer) - sum(ring_km2(hole) for hole in holes) for outer, *holes in polygons)


def _standardised(values: dict[str, float]) -> dict[str, float]:
    mean, spread = statistics.fmean(values.values()), statistics.pstdev(values.values())
    return {code: (value - mean) / spread if spread else 0.0 for code, value in values.items()}


def similar_forces(con: duckdb.DuckDBPyConnection, boundaries: dict) -> dict[str, list[str]]:
    """Each ranked force's most similar forces (area codes, nearest first)."""
    area = {f["properties"]["PFA23CD"]: area_km2(f["geometry"]) for f in boundaries["features"]}
    rows = con.execute("""
        WITH latest AS (SELECT max(period_end) AS period_end FROM force_rates WHERE measure = 'crime_excluding_fraud')
        SELECT area_code, measure, offences, denominator FROM force_rates JOIN latest USING (period_end)
        WHERE area_type = 'force' AND in_force_comparisons""").fetchall()
    offences = {(code, measure): count for code, measure, count, _ in rows}
    denominators = {(code, measure): denominator for code, measure, _, denominator in rows}
    forces = sorted({code for code, *_ in rows})
    population = {code: denominators[(code, "crime_excluding_fraud")] for code in forces}
    def share(measure: str) -> dict[str, float]:
        return {code: offences[(code, measure)] / offences[(code, "crime_excluding_fraud")] for code in forces}

    variables = [  # (weight, standardised values)
        (1.0, _standardised({code: math.log(population[code] / area[code]) for code in forces})),
        (1.0, _standardised({code: denominators[(code, "domestic_burglary")] / population[code] for code in forces})),
        *((1 / len(CRIME_MIX), _standardised(share(measure))) for measure in CRIME_MIX),
    ]

    def distance(one: str, other: str) -> float:
        return math.sqrt(sum(weight * (values[one] - values[other]) ** 2 for weight, values in variables))

    return {code: sorted((o for o in forces if o != code), key=lambda other: distance(code, other))[:SIMILAR]
            for code in forces}
