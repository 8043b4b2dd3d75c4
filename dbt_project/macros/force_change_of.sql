{#- The changes of force_change from one part of the counts (int_crime_rolling_recorded or int_crime_rolling_street):
    each compares an area's measure with itself, so the changes of each part are those of the whole. -#}
{% macro force_change_of(counts) %}
-- Change in offences per area and measure: on the same period a year earlier, and on a baseline
-- var('change_baseline_years') years earlier. Percentages from unrounded counts, and only between periods that share
-- a definition: where a change of definition (seed classification_breaks, treatment not_comparable) lies between
-- the two periods or inside either, the percentage is null, comparable_* is false and the reason is given.
with counts as (
    select
        counts.area_code,
        counts.area_type,
        counts.period_end,
        counts.measure,
        counts.offences,
        counts.crime_source,
        breaks.what_changed,
        breaks.break_date
    from {{ counts }} as counts
    left join {{ ref('classification_breaks') }} as breaks
        on breaks.measure = counts.measure and breaks.treatment = 'not_comparable'
),

paired as (
    select
        current_period.*,
        year_before.offences as offences_year_before,
        cast(last_day(current_period.period_end - to_years({{ var('change_baseline_years') }})) as date)
            as baseline_period_end,
        baseline.offences as offences_baseline,
        baseline.crime_source as crime_source_baseline
    from counts as current_period
    left join counts as year_before
        on year_before.area_code = current_period.area_code
        and year_before.measure = current_period.measure
        and year_before.period_end = last_day(current_period.period_end - interval 1 year)
    left join counts as baseline
        on baseline.area_code = current_period.area_code
        and baseline.measure = current_period.measure
        and baseline.period_end = last_day(current_period.period_end - to_years({{ var('change_baseline_years') }}))
),

sides as (
    select
        paired.*,
        {{ side_of_break('period_end', 'break_date') }} as side_of_break,
        {{ side_of_break('last_day(period_end - interval 1 year)', 'break_date') }} as side_year_before,
        {{ side_of_break('baseline_period_end', 'break_date') }} as side_baseline
    from paired
),

compared as (
    select
        sides.*,
        -- comparable when there is no break for the measure, or both periods lie wholly on the same side of it
        side_of_break = 'no_break' or (side_of_break = side_year_before and side_of_break <> 'across')
            as comparable_year,
        side_of_break = 'no_break' or (side_of_break = side_baseline and side_of_break <> 'across')
            as comparable_baseline
    from sides
)

select
    compared.area_code,
    areas.area_name,
    compared.area_type,
    compared.period_end,
    compared.measure,
    compared.offences,
    compared.crime_source,
    compared.offences_year_before,
    case when comparable_year then
        100.0 * (compared.offences - compared.offences_year_before) / nullif(compared.offences_year_before, 0)
    end as pct_change_year,
    comparable_year,
    case when not comparable_year then
        'The two periods do not share a definition: ' || compared.what_changed
    end as year_not_comparable_reason,
    compared.baseline_period_end,
    compared.offences_baseline,
    compared.crime_source_baseline,
    case when comparable_baseline then
        100.0 * (compared.offences - compared.offences_baseline) / nullif(compared.offences_baseline, 0)
    end as pct_change_baseline,
    comparable_baseline,
    case when not comparable_baseline then
        'The two periods do not share a definition: ' || compared.what_changed
    end as baseline_not_comparable_reason
from compared
inner join {{ ref('int_areas') }} as areas using (area_code)
{% endmacro %}
