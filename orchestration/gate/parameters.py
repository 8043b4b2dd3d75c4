"""Suite parameters: the reference values expectations compare with ({"$PARAMETER": name} in a suite), read from the
dbt seeds, so a list of names or a plausible range lives in one place and dbt and the gate agree on it."""

from __future__ import annotations

from functools import cache

from orchestration.warehouse.reference import force_codes_by_name, seed_rows


@cache
def suite_parameters() -> dict[str, list]:
    aliases = seed_rows("reporting_body_aliases")
    forces = seed_rows("forces")
    territorial = set(force_codes_by_name().values())
    classification = seed_rows("ons_offence_classification")
    return {
        # every spelling of a force or national body the crime tables use (a new spelling fails, naming it)
        "reporting_body_names": sorted({row["name_variant"] for row in aliases}),
        # the 43 forces as data.police.uk writes them in "Reported by" and "Falls within"
        "territorial_force_names": sorted({row["name_variant"] for row in aliases
                                           if row["reporting_body_code"] in territorial}),
        "street_crime_types": sorted(row["crime_type"] for row in seed_rows("street_crime_types")),
        "offence_groups": sorted({row["offence_group"] for row in seed_rows("measure_offences")}
                                 | {row["offence_group"] for row in classification} | {"Fraud offences"}),
        "ons_offences": sorted(row["ons_offence"] for row in classification),
        # the outcomes table also lists fraud under its pre-2013 name (always 0 there: fraud is recorded centrally)
        "outcome_offence_groups": sorted({row["offence_group"] for row in seed_rows("measure_offences")}
                                         | {row["offence_group"] for row in classification}
                                         | {"Fraud offences to 2012/13"}),
        # each outcome type with the group the framework counts it in, as "type|group as published"
        "outcome_types_and_groups": sorted(f"{row['outcome_type']}|{row['outcome_group_label']}"
                                           for row in seed_rows("outcome_types")),
        "peel_grades": sorted({row["grade"] for row in seed_rows("grade_scales")}),
        "measures": sorted(row["measure"] for row in seed_rows("measures")),
        "grades_four_tier": sorted({row["grade"] for row in seed_rows("grade_scales")
                                    if int(row["first_cycle_year"]) <= 2020}),
        "grades_five_tier": sorted({row["grade"] for row in seed_rows("grade_scales")
                                    if int(row["last_cycle_year"]) >= 2021}),
        "force_codes": sorted(set(force_codes_by_name().values())),
        # how many areas the marts hold, from the seed forces: 43 forces, of which 42 ranked (the City of London is
        # not), in 10 regions (Wales as one), and England and Wales
        "force_count": len(forces),
        "ranked_force_count": sum(row["in_force_comparisons"] == "true" for row in forces),
        "area_count": len(forces) + len({row["region_code"] for row in forces}) + 1,
        # the plausible range of each measure's rate for a force (seed measures): outside it, the gate refuses
        **{f"rate_low__{row['measure']}": float(row["plausible_low"]) for row in seed_rows("measures")},
        **{f"rate_high__{row['measure']}": float(row["plausible_high"]) for row in seed_rows("measures")},
    }
