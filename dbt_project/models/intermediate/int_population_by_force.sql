-- Resident population per force area and mid-year, for each estimate series held, summed from local authorities.
with la_estimates as (
    select la_code, mid_year, population, 'mye4_2021_series' as population_series
    from {{ ref('stg_ons__mye4_population') }}
    union all
    select la_code, mid_year, population, 'mye3_first_published' as population_series
    from {{ ref('stg_ons__mye3_population') }}
)

select
    lookup.area_code,
    la_estimates.mid_year,
    la_estimates.population_series,
    cast(sum(la_estimates.population) as bigint) as population,
    count(*) as local_authorities
from la_estimates
inner join {{ ref('int_force_la_lookup') }} as lookup using (la_code)
group by all

union all

select area_code, mid_year, 'pfa_mid2024' as population_series, population, null as local_authorities
from {{ ref('stg_ons__pfa_population_mid2024') }}
