-- Street-level crimes and ASB incidents per force area, month, crime type and last outcome (data.police.uk).
-- A view over the incremental aggregate, so the mart costs nothing to build; the publication copies the force-months
-- built since it last published.
{{ config(materialized='view') }}

select area_code, month, crime_type, last_outcome_category, incident_count, source_file, loaded_at, built_at
from {{ ref('int_street_force_months') }}
