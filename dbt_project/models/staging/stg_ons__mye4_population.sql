-- One row per area code and mid-year (the published table is wide: one column per mid-year).
with source as (
    select * from {{ source('raw', 'ons_mye4_population') }}
),

long as (
    unpivot (select * exclude (_source_file, _source_sha256, _loaded_at) from source)
    on columns('^Mid-\d{4}$')
    into name mid_year_label value population
)

select
    "Code" as la_code,
    "Name" as la_name,
    "Geography" as geography,
    cast(right(mid_year_label, 4) as integer) as mid_year,
    population
from long
