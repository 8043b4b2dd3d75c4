-- One row per reporting body, 12-month period and offence group, as published; names resolved to codes.
with source as (
    select * from {{ source('raw', 'ons_rolling_crime_pfa') }}
)

select
    "12 months ending" as period_end_as_published,
    -- Periods end on the last day of a quarter's last month; the file spells 31 December 2017 as 30-12-2017, so the
    -- date is taken to the end of its month (a genuine non-month-end date would still fail the quarter-end test).
    cast(last_day(strptime("12 months ending", '%d-%m-%Y')) as date) as period_end,
    "PFA" as force_name,
    "Region" as region_name,
    "Offence" as ons_offence,
    classification.offence_group,
    classification.offence_subgroup,
    "Rolling year total number of offences" as offences,
    aliases.reporting_body_code,
    forces.area_code,
    _source_file,
    _source_sha256
from source
left join {{ ref('ons_offence_classification') }} as classification
    on source."Offence" = classification.ons_offence
left join {{ ref('reporting_body_aliases') }} as aliases
    on lower(trim(source."PFA")) = lower(aliases.name_variant)
left join {{ ref('forces') }} as forces
    on aliases.reporting_body_code = forces.area_code
