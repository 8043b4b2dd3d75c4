-- Change in offences per area and measure: on the same period a year earlier, and on a baseline
-- var('change_baseline_years') years earlier. Percentages from unrounded counts.
with counts as (
    select
        counts.area_code,
        counts.area_type,
        counts.period_end,
        counts.measure,
        counts.offences,
        counts.crime_source,
        measures.series_break_date
    from {{ ref('int_crime_rolling_areas') }} as counts
    inner join {{ ref('measures') }} as measures using (measure)
)

select
    current_period.area_code,
    areas.area_name,
    current_period.area_type,
    current_period.period_end,
    current_period.measure,
    current_period.offences,
    current_period.crime_source,
    year_before.offences as offences_year_before,
    100.0 * (current_period.offences - year_before.offences) / nullif(year_before.offences, 0) as pct_change_year,
    cast(last_day(current_period.period_end - to_years({{ var('change_baseline_years') }})) as date)
        as baseline_period_end,
    baseline.offences as offences_baseline,
    baseline.crime_source as crime_source_baseline,
    100.0 * (current_period.offences - baseline.offences) / nullif(baseline.offences, 0) as pct_change_baseline,
    coalesce(
        baseline.period_end < current_period.series_break_date
        and current_period.period_end >= current_period.series_break_date,
        false
    ) as baseline_spans_series_break
from counts as current_period
inner join {{ ref('areas') }} as areas using (area_code)
left join counts as year_before
    on year_before.area_code = current_period.area_code
    and year_before.measure = current_period.measure
    and year_before.period_end = last_day(current_period.period_end - interval 1 year)
left join counts as baseline
    on baseline.area_code = current_period.area_code
    and baseline.measure = current_period.measure
    and baseline.period_end = last_day(current_period.period_end - to_years({{ var('change_baseline_years') }}))
