-- Home Office PRC quarters summed to rolling 12-month counts per force and measure at every quarter end where the
-- four quarters ending there are all in the table.
with quarterly as (
    select
        prc.area_code,
        prc.quarter_end,
        map.measure,
        cast(sum(prc.offences) as bigint) as offences
    from {{ ref('stg_home_office__prc_pfa') }} as prc
    inner join {{ ref('measure_offences') }} as map
        on prc.offence_group = map.offence_group
        and (map.offence_subgroup is null or prc.offence_subgroup = map.offence_subgroup)
        -- a mapping applies to the quarters that overlap its validity
        and prc.quarter_end >= map.valid_from
        and (map.valid_to is null or prc.quarter_start <= map.valid_to)
    where prc.area_code is not null
    group by all
),

quarters as (
    select distinct quarter_end from {{ ref('stg_home_office__prc_pfa') }} where area_code is not null
),

grid as (
    select forces.area_code, quarters.quarter_end, measures.measure
    from {{ ref('forces') }} as forces
    cross join quarters
    -- the measures recorded crime counts (asb_incidents comes from the street feed)
    cross join (select distinct measure from {{ ref('measure_offences') }}) as measures
),

rolled as (
    select
        grid.area_code,
        grid.quarter_end as period_end,
        grid.measure,
        cast(sum(coalesce(quarterly.offences, 0)) over last_four as bigint) as offences,
        min(grid.quarter_end) over last_four as first_quarter_end
    from grid
    left join quarterly using (area_code, quarter_end, measure)
    window last_four as (partition by grid.area_code, grid.measure order by grid.quarter_end
                         rows between 3 preceding and current row)
)

select area_code, period_end, measure, offences, 'home_office_prc' as crime_source
from rolled
-- the window must span exactly four consecutive quarters (a gap in the table would make it longer)
where first_quarter_end = last_day(period_end - interval 9 month)
