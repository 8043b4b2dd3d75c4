-- Change in offences per area and measure: on the same period a year earlier, and on a baseline
-- var('change_baseline_years') years earlier, only between periods that share a definition. Built in two parts by the
-- macro force_change_of (macros/force_change_of.sql), recorded crime and the street feed's ASB incidents, as
-- force_rates is.
select * from {{ ref('int_force_change_recorded') }}
union all
select * from {{ ref('int_force_change_street') }}
