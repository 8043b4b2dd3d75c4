-- Home Office crime outcomes, one row per reporting body, financial-year quarter, offence group and outcome type as
-- published (the file's offence-code rows, whose codes it does not carry, are summed); names resolved to codes and
-- outcome types to the framework's groups (seed outcome_types).
with source as (
    select
        "Financial Year" as financial_year,
        "Financial Quarter" as financial_quarter,
        "Force" as force_name,
        "Offence Group" as offence_group,
        "Outcome Type" as outcome_type,
        "Outcome Group" as outcome_group_as_published,
        cast(sum(n) as bigint) as outcomes
    from {{ source('raw', 'home_office_outcomes') }}
    group by all
)

select
    source.*,
    make_date(cast(left(financial_year, 4) as integer), 4, 1) + to_months(3 * (financial_quarter - 1))
        as quarter_start,
    types.outcome_group,
    types.outcome_group_label,
    aliases.reporting_body_code,
    forces.area_code
from source
left join {{ ref('outcome_types') }} as types using (outcome_type)
left join {{ ref('reporting_body_aliases') }} as aliases
    on lower(trim(source.force_name)) = lower(aliases.name_variant)
left join {{ ref('forces') }} as forces
    on aliases.reporting_body_code = forces.area_code
