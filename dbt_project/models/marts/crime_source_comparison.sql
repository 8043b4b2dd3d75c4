-- Where the ONS rolling-year table and the Home Office PRC table cover the same period (y/e March 2013 to
-- y/e December 2018), their counts side by side, per force and for England and Wales.
with both_sources as (
    select
        coalesce(ons.area_code, prc.area_code) as area_code,
        coalesce(ons.period_end, prc.period_end) as period_end,
        coalesce(ons.measure, prc.measure) as measure,
        ons.offences as ons_offences,
        prc.offences as prc_offences
    from {{ ref('int_crime_rolling_ons') }} as ons
    inner join {{ ref('int_crime_rolling_prc') }} as prc using (area_code, period_end, measure)
),

with_total as (
    select area_code, 'force' as area_type, period_end, measure, ons_offences, prc_offences from both_sources
    union all
    select
        'K04000001', 'country', period_end, measure,
        cast(sum(ons_offences) as bigint), cast(sum(prc_offences) as bigint)
    from both_sources
    group by period_end, measure
)

select
    with_total.area_code,
    areas.area_name,
    with_total.area_type,
    with_total.period_end,
    with_total.measure,
    with_total.ons_offences,
    with_total.prc_offences,
    with_total.prc_offences - with_total.ons_offences as difference,
    100.0 * (with_total.prc_offences - with_total.ons_offences) / nullif(with_total.ons_offences, 0) as pct_difference,
    case when with_total.period_end >= cast('{{ var("prc_first_period_end") }}' as date)
        then 'home_office_prc' else 'ons_rolling_year' end as source_used_in_marts
from with_total
inner join {{ ref('areas') }} as areas using (area_code)
