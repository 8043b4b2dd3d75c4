-- Street-level crimes and ASB incidents per force area, month, crime type and last outcome. Incremental: a run
-- reads only the force-months loaded since the last build and replaces exactly those (delete+insert on the key),
-- so a new month costs work in proportion to that month.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['area_code', 'month'],
    on_schema_change='fail'
) }}

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
