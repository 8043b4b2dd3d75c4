-- Street-level crimes and ASB incidents per LSOA (the ~35,000 small areas data.police.uk snaps locations to), month
-- and crime type: the table for hot-spot queries. Incremental like int_street_force_months.
{{ street_increment_config() }}

select
    area_code,
    month,
    lsoa_code,
    max(lsoa_name) as lsoa_name,
    crime_type,
    cast(count(*) as bigint) as incident_count,
    max(loaded_at) as loaded_at,
    cast('{{ run_started_at }}' as timestamptz) as built_at
from {{ ref('stg_police_uk__street') }}
{{ loaded_since_last_build() }}
group by area_code, month, lsoa_code, crime_type
