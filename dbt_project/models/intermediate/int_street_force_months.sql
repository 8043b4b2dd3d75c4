-- Street-level crimes and ASB incidents per force area, month, crime type and last outcome: the street feed's
-- aggregate that both the street_crime_monthly mart and the ASB rolling counts read. Incremental: a build reads only
-- the force-months loaded since the last one and replaces exactly those (delete+insert on var('street_key')), so a
-- new month costs work in proportion to that month.
{{ street_increment_config() }}

select
    area_code,
    month,
    crime_type,
    last_outcome_category,
    cast(count(*) as bigint) as incident_count,
    max(source_file) as source_file,
    max(loaded_at) as loaded_at,
    cast('{{ run_started_at }}' as timestamptz) as built_at
from {{ ref('stg_police_uk__street') }}
{{ loaded_since_last_build() }}
group by area_code, month, crime_type, last_outcome_category
