-- The ONS rolling-year table in the same shape as int_crime_rolling_prc: one row per force, period end and measure.
select
    ons.area_code,
    ons.period_end,
    map.measure,
    cast(sum(ons.offences) as bigint) as offences,
    'ons_rolling_year' as crime_source
from {{ ref('stg_ons__rolling_crime_pfa') }} as ons
inner join {{ ref('measure_offences') }} as map
    on ons.offence_group = map.offence_group
    and (map.offence_subgroup is null or ons.offence_subgroup = map.offence_subgroup)
    -- a mapping applies to the 12-month periods that overlap its validity
    and ons.period_end >= map.valid_from
    and (map.valid_to is null or ons.period_end - interval 12 month < map.valid_to)
where ons.area_code is not null
group by all
