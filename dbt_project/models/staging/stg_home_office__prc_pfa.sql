-- One row per reporting body, financial-year quarter and offence code, as published; names resolved to codes.
with source as (
    select * from {{ source('raw', 'home_office_prc_pfa') }}
),

renamed as (
    select
        "Financial Year" as financial_year,
        "Financial Quarter" as financial_quarter,
        "Force Name" as force_name,
        "Offence Description" as offence_description,
        "Offence Group" as offence_group,
        "Offence Subgroup" as offence_subgroup,
        "Offence Code" as offence_code,
        "Number of Offences" as offences,
        -- financial year 2013/14 starts on 1 April 2013; quarter 1 is April-June
        make_date(cast(left("Financial Year", 4) as integer), 4, 1)
            + to_months(3 * ("Financial Quarter" - 1)) as quarter_start,
        _source_file,
        _source_sha256
    from source
)

select
    renamed.*,
    cast(last_day(quarter_start + interval 2 month) as date) as quarter_end,
    aliases.reporting_body_code,
    forces.area_code
from renamed
left join {{ ref('reporting_body_aliases') }} as aliases
    on lower(trim(renamed.force_name)) = lower(aliases.name_variant)
left join {{ ref('forces') }} as forces
    on aliases.reporting_body_code = forces.area_code
