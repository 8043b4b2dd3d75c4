-- Where the ONS rolling-year table and the Home Office PRC table cover the same period (y/e March 2013 to
-- y/e December 2018), their counts side by side, per force and for England and Wales, with the reason for a known
-- difference: a classification break (seed classification_breaks), or a difference small enough for the later
-- revisions by forces that the Home Office table carries (vars source_difference_tolerance_*). The rest is
-- unexplained, and the gate warns about it.
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
),

-- period ends the ONS table spells as a day that is not a month end (31 December 2017 as 30-12-2017)
misdated_periods as (
    select period_end, any_value(period_end_as_published) as period_end_as_published
    from {{ ref('stg_ons__rolling_crime_pfa') }}
    where cast(strptime(period_end_as_published, '%d-%m-%Y') as date) <> period_end
    group by period_end
),

compared as (
    select
        with_total.*,
        with_total.prc_offences - with_total.ons_offences as difference,
        100.0 * (with_total.prc_offences - with_total.ons_offences) / nullif(with_total.ons_offences, 0)
            as pct_difference,
        breaks.comparable_from_period_end,
        breaks.what_changed,
        misdated_periods.period_end_as_published
    from with_total
    left join {{ ref('classification_breaks') }} as breaks
        on breaks.measure = with_total.measure and breaks.treatment = 'source_with_new_classification'
    left join misdated_periods using (period_end)
)

select
    compared.area_code,
    areas.area_name,
    compared.area_type,
    compared.period_end,
    compared.measure,
    compared.ons_offences,
    compared.prc_offences,
    compared.difference,
    compared.pct_difference,
    used.crime_source as source_used_in_marts,
    case
        when compared.period_end < compared.comparable_from_period_end then 'classification: ' || compared.what_changed
        when abs(compared.pct_difference) <= {{ var('source_difference_tolerance_pct') }}
            or abs(compared.difference) <= {{ var('source_difference_tolerance_offences') }}
            then 'revision: within what later revisions by forces explain (the Home Office table is a later '
                || 'edition than the ONS table)'
    end
    || coalesce('; the ONS table dates this period ' || compared.period_end_as_published || ' (a typo for '
                || strftime(compared.period_end, '%d-%m-%Y') || ')', '')
        as difference_reason,
    case
        when compared.period_end < compared.comparable_from_period_end then 'classification'
        when abs(compared.pct_difference) <= {{ var('source_difference_tolerance_pct') }}
            or abs(compared.difference) <= {{ var('source_difference_tolerance_offences') }} then 'revision'
        else 'unexplained'
    end as difference_kind
from compared
inner join {{ ref('areas') }} as areas using (area_code)
-- the marts' own choice of source for the period and measure (int_crime_rolling_areas makes it, once)
inner join {{ ref('int_crime_rolling_areas') }} as used using (area_code, period_end, measure)
