-- Households per force area on each census day held (2011, 2021), summed from local authorities.
with la_households as (
    select la_code, 2011 as census_year, 'census_2011' as vintage, households
    from {{ ref('stg_census__households_2011') }}
    union all
    select la_code, 2021, 'census_2021', households
    from {{ ref('stg_census__households_2021') }}
)

select
    lookup.area_code,
    la_households.census_year,
    la_households.vintage,
    cast(sum(la_households.households) as bigint) as households,
    count(*) as local_authorities
from la_households
inner join {{ ref('int_force_la_lookup') }} as lookup using (la_code)
group by all
