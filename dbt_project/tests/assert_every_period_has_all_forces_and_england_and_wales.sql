-- Every period end and measure of recorded crime has all 43 forces and England and Wales (the sum of all 43). The
-- street feed (ASB) is exempt: it holds the forces and months delivered so far.
select period_end, measure,
       count(*) filter (where area_type = 'force') as forces,
       max(forces_in_sum) filter (where area_code = 'K04000001') as forces_in_ew
from {{ ref('int_crime_rolling_areas') }}
where crime_source <> 'police_uk_street'
group by period_end, measure
having count(*) filter (where area_type = 'force') <> 43
    or coalesce(max(forces_in_sum) filter (where area_code = 'K04000001'), 0) <> 43
