-- Households per force area on 2011 census day, summed from local authorities.
select
    lookup.area_code,
    cast(sum(households.households) as bigint) as households,
    count(*) as local_authorities
from {{ ref('stg_census__households_2011') }} as households
inner join {{ ref('int_force_la_lookup') }} as lookup using (la_code)
group by all
