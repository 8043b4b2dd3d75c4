-- Households per local authority (2023 boundaries) and mid-year, 2001-2023: an estimate between and around the two
-- censuses held, so that a rate per 1,000 households never steps when the census changes.
-- - 2011 and 2021: the census counts (census day, late March, taken as the year's figure);
-- - 2012-2020: linear between the two censuses, authority by authority;
-- - 2001-2010 and 2022-2023: the nearest census's households per resident, times the authority's mid-year
--   population (the same population vintage on both sides of the ratio: 2011-Census based before 2011, Census 2021
--   based after 2021), so households move with the population.
with census as (
    select boundaries.la_code_2023 as la_code, counts.census_year, sum(counts.households) as households
    from (
        select la_code, 2011 as census_year, households from {{ ref('stg_census__households_2011') }}
        union all
        select la_code, 2021, households from {{ ref('stg_census__households_2021') }}
    ) as counts
    inner join {{ ref('int_la_on_2023_boundaries') }} as boundaries using (la_code)
    group by all
),

population as (
    -- the consistent series (a vintage from the seed population_vintages), local authorities only
    select la_code, mid_year, population
    from {{ ref('stg_ons__population_series') }}
    where vintage is not null and mid_year >= 2001
        and la_code in (select la_code_2023 from {{ ref('int_la_on_2023_boundaries') }})
),

anchored as (
    select
        population.la_code,
        population.mid_year,
        population.population,
        any_value(population.population) filter (where population.mid_year = 2011) over by_la as population_2011,
        any_value(population.population) filter (where population.mid_year = 2021) over by_la as population_2021,
        census_2011.households as households_2011,
        census_2021.households as households_2021
    from population
    inner join census as census_2011 on census_2011.la_code = population.la_code and census_2011.census_year = 2011
    inner join census as census_2021 on census_2021.la_code = population.la_code and census_2021.census_year = 2021
    window by_la as (partition by population.la_code)
)

select
    la_code,
    mid_year,
    case
        when mid_year < 2011 then households_2011 * population / population_2011
        when mid_year <= 2021 then households_2011 + (households_2021 - households_2011) * (mid_year - 2011) / 10
        else households_2021 * population / population_2021
    end as households,
    case
        when mid_year < 2011 then 'households_2011_census_per_resident'
        when mid_year = 2011 then 'census_2011'
        when mid_year < 2021 then 'households_between_censuses'
        when mid_year = 2021 then 'census_2021'
        else 'households_2021_census_per_resident'
    end as vintage
from anchored
