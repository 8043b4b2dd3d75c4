-- Households per force area and mid-year (2001 to the last mid-year of the population series), summed from the local
-- authority estimates of int_households_by_la. The mid-years the population series holds for force areas only (the
-- mid-2024 force-area release) carry the force's last local-authority estimate forward with its population, as
-- after 2021 (households per resident held at the Census 2021 value).
with by_authorities as (
    select
        lookup.area_code,
        households.mid_year,
        households.vintage,
        -- fsum: a sum of fractional households whose order does not move its last bit (a plain sum of an exact .5
        -- rounded either way from one build to the next)
        cast(round(fsum(households.households)) as bigint) as households,
        count(*) as local_authorities
    from {{ ref('int_households_by_la') }} as households
    inner join {{ ref('int_force_la_lookup') }} as lookup using (la_code)
    group by all
),

population as (
    select population.area_code, population.mid_year, population.population
    from {{ ref('int_population_by_force') }} as population
    inner join {{ ref('population_vintages') }} as vintages
        on vintages.vintage = population.vintage and vintages.consistent_series
),

last_estimate as (
    select * from by_authorities
    qualify mid_year = max(mid_year) over ()
)

select area_code, mid_year, vintage, households, local_authorities from by_authorities

union all

select
    last_estimate.area_code,
    later.mid_year,
    'households_2021_census_per_resident' as vintage,
    cast(round(last_estimate.households * later.population / at_last.population) as bigint) as households,
    null as local_authorities
from last_estimate
inner join population as at_last
    on at_last.area_code = last_estimate.area_code and at_last.mid_year = last_estimate.mid_year
inner join population as later
    on later.area_code = last_estimate.area_code and later.mid_year > last_estimate.mid_year
