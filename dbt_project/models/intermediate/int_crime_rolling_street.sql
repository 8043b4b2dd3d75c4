-- ASB incidents over 12 months per force, at quarter ends where all 12 months of street data are held, and per region
-- and England and Wales where every member force's are (the street feed may hold some forces only). Reads the street
-- feed's incremental aggregate, so it costs the same whatever the history held. The counts of recorded crime are
-- int_crime_rolling_recorded, in the same columns.
with months as (
    select
        area_code,
        month,
        coalesce(sum(incident_count) filter (where crime_type = 'Anti-social behaviour'), 0) as asb_incidents
    from {{ ref('int_street_force_months') }}
    group by area_code, month
),

rolled as (
    select
        area_code,
        last_day(month) as period_end,
        sum(asb_incidents) over last_twelve as offences,
        count(*) over last_twelve as months_held
    from months
    window last_twelve as (partition by area_code order by month
                           range between interval 11 month preceding and current row)
),

forces as (
    select
        rolled.area_code,
        cast(rolled.period_end as date) as period_end,
        'asb_incidents' as measure,
        cast(rolled.offences as bigint) as offences,
        'police_uk_street' as crime_source
    from rolled
    inner join {{ ref('forces') }} as forces using (area_code)
    where rolled.months_held = 12 and month(rolled.period_end) in (3, 6, 9, 12)
)

{{ rolling_counts_with_areas('forces') }}
