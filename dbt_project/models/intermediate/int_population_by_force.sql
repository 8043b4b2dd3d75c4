-- Resident population per force area, mid-year and vintage, summed from local authorities: the consistent series
-- (Nomis NM_2002_1 to mid-2023, the mid-2024 force-area release) and the earlier vintages held for reports.
with la_estimates as (
    select la_code, mid_year, population, vintage
    from {{ ref('stg_ons__population_series') }}
    where mid_year >= 2001
    union all
    select la_code, mid_year, population, 'mye4_as_of_2021'
    from {{ ref('stg_ons__mye4_population') }}
    union all
    select la_code, mid_year, population, 'mye3_first_published_' || mid_year
    from {{ ref('stg_ons__mye3_population') }}
)

select
    lookup.area_code,
    la_estimates.mid_year,
    la_estimates.vintage,
    cast(sum(la_estimates.population) as bigint) as population,
    count(*) as local_authorities
from la_estimates
inner join {{ ref('int_force_la_lookup') }} as lookup using (la_code)
group by all

union all

select area_code, mid_year, 'pfa_mid2024', population, null
from {{ ref('stg_ons__pfa_population_mid2024') }}
