-- Every period end and measure of recorded crime has every force of the seed forces and England and Wales (the sum
-- of all of them). The street feed's counts (int_crime_rolling_street) are not held to it: they hold the forces and
-- months delivered so far.
with expected as (select count(*) as forces from {{ ref('forces') }})

select period_end, measure,
       count(*) filter (where area_type = 'force') as forces,
       max(forces_in_sum) filter (where area_code = 'K04000001') as forces_in_ew
from {{ ref('int_crime_rolling_recorded') }}
group by period_end, measure
having count(*) filter (where area_type = 'force') <> (select forces from expected)
    or coalesce(max(forces_in_sum) filter (where area_code = 'K04000001'), 0) <> (select forces from expected)
