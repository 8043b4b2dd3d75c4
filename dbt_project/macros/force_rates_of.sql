{#- The rates of force_rates from one part of the counts (int_crime_rolling_recorded or int_crime_rolling_street):
    everything here is per measure (ranks and the England and Wales and region rates by period and measure, the series
    note by area and measure), so the rates of each part are those of the whole, and a street month rebuilds only its
    own (int_force_rates_street). -#}
{% macro force_rates_of(counts) %}
-- One row per area, 12-month period end and measure: offences, denominator (from one consistent series, with its
-- vintage and a plain description), the rate per 1,000 and at the measure's own scale (seed measures: rate_per, per
-- million for homicide), and the comparisons (England and Wales, region, rank among forces).
with counts as (
    select
        counts.*,
        cast(counts.period_end - interval 12 month + interval 1 day as date) as period_start,
        measures.label as measure_label,
        measures.denominator_kind,
        measures.rate_per,
        breaks.treatment as break_treatment,
        breaks.comparable_from_period_end,
        breaks.what_changed,
        {{ side_of_break('counts.period_end', 'breaks.break_date') }} as side_of_break
    from {{ counts }} as counts
    inner join {{ ref('measures') }} as measures using (measure)
    left join {{ ref('classification_breaks') }} as breaks using (measure)
),

wanted as (
    select distinct
        area_code,
        denominator_kind,
        year(period_start) + {{ var('population_mid_year_offset') }} as wanted_year
    from counts
),

-- For each wanted year: the consistent series' figure for that year, else the nearest year held before it (else
-- after it). Population and households: every mid-year 2001-2024 (households estimated between and around the two
-- censuses, int_households_by_la), so a period starting in 2025 divides by mid-2024 and says so in its note.
chosen_denominator as (
    select
        wanted.area_code,
        wanted.denominator_kind,
        wanted.wanted_year,
        denominators.mid_year,
        denominators.denominator,
        denominators.denominator_vintage,
        denominators.denominator_source
            || case when denominators.mid_year < wanted.wanted_year
                    then '; mid-' || wanted.wanted_year || ' not yet published'
                    when denominators.mid_year > wanted.wanted_year
                    then '; mid-' || wanted.wanted_year || ' not held'
                    else '' end
            as denominator_source,
        denominators.denominator_description
    from wanted
    inner join {{ ref('int_area_denominators') }} as denominators
        on wanted.area_code = denominators.area_code
        and wanted.denominator_kind = denominators.denominator_kind
        and denominators.consistent_series
    qualify row_number() over (
        partition by wanted.area_code, wanted.denominator_kind, wanted.wanted_year
        order by denominators.mid_year > wanted.wanted_year, abs(wanted.wanted_year - denominators.mid_year)
    ) = 1
),

rated as (
    select
        counts.area_code,
        areas.area_name,
        counts.area_type,
        areas.region_code,
        counts.period_start,
        counts.period_end,
        counts.measure,
        counts.measure_label,
        counts.offences,
        counts.crime_source,
        chosen.denominator,
        counts.denominator_kind,
        chosen.denominator_vintage,
        chosen.denominator_source,
        chosen.denominator_description,
        chosen.mid_year as denominator_mid_year,
        1000.0 * counts.offences / chosen.denominator as rate_per_1000,
        counts.rate_per,
        areas.in_force_comparisons,
        areas.comparison_note,
        case
            when counts.side_of_break = 'across'
                then 'This 12-month period spans a change of definition: ' || counts.what_changed
            when counts.side_of_break = 'after' and counts.break_treatment = 'not_comparable'
                then 'Not comparable with periods before the change of definition: ' || counts.what_changed
            when counts.period_end < counts.comparable_from_period_end
                and counts.period_end >= cast('{{ var("prc_first_period_end") }}' as date)
                then 'Counted from the ONS table: ' || counts.what_changed
        end as definition_note,
        -- the rule (var population_mid_year_offset) asks for the mid-year of the year the period starts in; where
        -- that is not held, the nearest held is used: say which, and why
        case
            when chosen.mid_year < chosen.wanted_year
                then 'Divides by the mid-' || chosen.mid_year || ' ' || counts.denominator_kind || ' estimate, the '
                    || 'latest held: mid-' || chosen.wanted_year || ' (the year the period starts in) is not yet '
                    || 'published'
            when chosen.mid_year > chosen.wanted_year
                then 'Divides by the mid-' || chosen.mid_year || ' ' || counts.denominator_kind || ' estimate, the '
                    || 'earliest held: mid-' || chosen.wanted_year || ' (the year the period starts in) is not held'
        end as carried_forward_note
    from counts
    inner join {{ ref('int_areas') }} as areas using (area_code)
    left join chosen_denominator as chosen
        on counts.area_code = chosen.area_code
        and counts.denominator_kind = chosen.denominator_kind
        and chosen.wanted_year = year(counts.period_start) + {{ var('population_mid_year_offset') }}
),

with_scale_and_series_note as (
    select
        rated.*,
        -- the rate at the measure's scale (seed measures: per million for homicide); rate_per / 1000 is exact (1,
        -- 100 or 1000), so at rate_per 1000 this is rate_per_1000 itself
        rated.rate_per_1000 * (cast(rated.rate_per as double) / 1000) as rate_at_scale,
        -- where the population's vintage differs from the one a year earlier, a change in the rate over the year
        -- is partly a change of series: say so (to rebased estimates in 2012 and the force-area release in 2024).
        -- Households are one continuous estimate through and between the censuses: their vintages name the method
        -- of each year, not a change of series.
        case when rated.denominator_kind = 'population' and first_value(rated.denominator_vintage) over (
                partition by rated.area_code, rated.measure order by rated.period_end
                range between interval 12 month preceding and interval 12 month preceding
            ) <> rated.denominator_vintage
            then 'Denominator series changed over the last 12 months: ' || rated.denominator_source
        end as series_note
    from rated
)

select
    rated.area_code,
    rated.area_name,
    rated.area_type,
    rated.period_start,
    rated.period_end,
    rated.measure,
    rated.measure_label,
    rated.offences,
    rated.crime_source,
    rated.denominator,
    rated.denominator_kind,
    rated.denominator_vintage,
    rated.denominator_source,
    rated.denominator_description,
    rated.denominator_mid_year,
    rated.rate_per_1000,
    ew.rate_per_1000 as ew_rate_per_1000,
    region.rate_per_1000 as region_rate_per_1000,
    rated.rate_per,
    rated.rate_at_scale,
    ew.rate_at_scale as ew_rate_at_scale,
    region.rate_at_scale as region_rate_at_scale,
    {{ rank_among_forces('rated.rate_per_1000', ['rated.period_end', 'rated.measure'],
                         'rated.in_force_comparisons') }} as rank_among_forces,
    {{ rank_among_forces('rated.rate_per_1000', ['rated.period_end', 'rated.measure'],
                         'rated.in_force_comparisons', shown='round(rated.rate_at_scale, 1)') }} as rank_displayed,
    rated.in_force_comparisons,
    nullif(concat_ws(' | ', rated.comparison_note, rated.definition_note, rated.series_note,
                     rated.carried_forward_note), '') as note
from with_scale_and_series_note as rated
left join with_scale_and_series_note as ew
    on ew.area_code = 'K04000001' and ew.period_end = rated.period_end and ew.measure = rated.measure
left join with_scale_and_series_note as region
    on region.area_code = rated.region_code and region.area_type = 'region'
    and region.period_end = rated.period_end and region.measure = rated.measure
{% endmacro %}
