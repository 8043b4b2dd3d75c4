-- One row per area, 12-month period end and measure: offences, denominator, rate per 1,000, and the comparisons
-- (England and Wales, region, rank among forces).
with counts as (
    select
        counts.*,
        cast(counts.period_end - interval 12 month + interval 1 day as date) as period_start,
        measures.label as measure_label,
        measures.denominator_kind,
        measures.series_break_date,
        measures.series_break_note
    from {{ ref('int_crime_rolling_areas') }} as counts
    inner join {{ ref('measures') }} as measures using (measure)
),

wanted as (
    select distinct
        area_code,
        denominator_kind,
        case denominator_kind
            when 'population' then year(period_start) + {{ var('population_mid_year_offset') }}
            else 2011
        end as wanted_mid_year
    from counts
),

-- For each wanted mid-year: the newest estimate held at or before it, preferring the series named by
-- var('prefer_population_as_first_published') where two series cover the same mid-year.
chosen_denominator as (
    select
        wanted.area_code,
        wanted.denominator_kind,
        wanted.wanted_mid_year,
        denominators.mid_year,
        denominators.denominator,
        denominators.denominator_source
            || case when denominators.mid_year <> wanted.wanted_mid_year
                    then '; mid-' || wanted.wanted_mid_year || ' wanted, not held' else '' end
            as denominator_source
    from wanted
    inner join {{ ref('int_area_denominators') }} as denominators
        on wanted.area_code = denominators.area_code
        and wanted.denominator_kind = denominators.denominator_kind
        and denominators.mid_year <= wanted.wanted_mid_year
    qualify row_number() over (
        partition by wanted.area_code, wanted.denominator_kind, wanted.wanted_mid_year
        order by
            denominators.mid_year desc,
            case denominators.denominator_series
                when 'mye3_first_published' then {{ 1 if var('prefer_population_as_first_published') else 3 }}
                when 'mye4_2021_series' then 2
                else 4
            end
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
        chosen.denominator_source,
        chosen.mid_year as denominator_mid_year,
        1000.0 * counts.offences / chosen.denominator as rate_per_1000,
        areas.in_force_comparisons,
        concat_ws('; ',
            areas.comparison_note,
            case when counts.period_end >= counts.series_break_date then counts.series_break_note end
        ) as note
    from counts
    inner join {{ ref('areas') }} as areas using (area_code)
    left join chosen_denominator as chosen
        on counts.area_code = chosen.area_code
        and counts.denominator_kind = chosen.denominator_kind
        and chosen.wanted_mid_year = case counts.denominator_kind
            when 'population' then year(counts.period_start) + {{ var('population_mid_year_offset') }}
            else 2011 end
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
    rated.denominator_source,
    rated.denominator_mid_year,
    rated.rate_per_1000,
    ew.rate_per_1000 as ew_rate_per_1000,
    region.rate_per_1000 as region_rate_per_1000,
    case when rated.in_force_comparisons then
        rank() over (partition by rated.period_end, rated.measure, rated.in_force_comparisons
                     order by rated.rate_per_1000 desc)
    end as rank_among_forces,
    rated.in_force_comparisons,
    nullif(rated.note, '') as note
from rated
left join rated as ew
    on ew.area_code = 'K04000001' and ew.period_end = rated.period_end and ew.measure = rated.measure
left join rated as region
    on region.area_code = rated.region_code and region.area_type = 'region'
    and region.period_end = rated.period_end and region.measure = rated.measure
