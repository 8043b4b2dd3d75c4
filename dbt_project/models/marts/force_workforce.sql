-- One row per area and "as at" date held: police officers (FTE) from the latest edition giving the date, officers per
-- 1,000 residents and recorded crimes per officer, beside England and Wales and the region, ranked among forces.
-- Regions and England and Wales are sums of their forces (only where every member force is held), set beside the
-- bulletin's own subtotal row (officers_fte_published), which the gate holds them to within rounding.
with latest as (
    select * from {{ ref('stg_home_office__workforce') }} where is_latest_edition
),

forces as (
    select latest.area_code, latest.as_at, latest.officers_fte, latest.edition, latest.source_file
    from latest
    inner join {{ ref('forces') }} as forces using (area_code)
),

-- the regions and England and Wales: the FTE summed as doubles (their fractions kept)
officers as (
    select area_code, as_at, officers_fte, edition, source_file
    from forces
    union all
    select area_code, as_at, officers_fte, edition, source_file
    from ({{ sum_forces_into_areas('forces', keys=['as_at'], sums=['officers_fte'], sum_type='double',
                                   same_values=['edition', 'source_file']) }})
),

-- the population of the mid-year of the as-at date's year (30 September 2014 -> mid-2014), from the one consistent
-- series force_rates divides by; where that mid-year is not held, the nearest held before it (else after it), said
-- in the note
population as (
    select
        officers.area_code,
        officers.as_at,
        denominators.mid_year,
        denominators.denominator as population,
        denominators.denominator_vintage as population_vintage
    from officers
    inner join {{ ref('int_area_denominators') }} as denominators
        on denominators.area_code = officers.area_code
        and denominators.denominator_kind = 'population'
        and denominators.consistent_series
    qualify row_number() over (
        partition by officers.area_code, officers.as_at
        order by denominators.mid_year > year(officers.as_at), abs(year(officers.as_at) - denominators.mid_year)
    ) = 1
),

-- recorded crime (excluding fraud) in the 12 months to the as-at date, as force_rates counts it (from its recorded
-- crime part: a new street month does not rebuild this mart)
crime as (
    select area_code, period_start, period_end, offences, crime_source
    from {{ ref('int_force_rates_recorded') }}
    where measure = 'crime_excluding_fraud'
),

rated as (
    select
        officers.area_code,
        areas.area_name,
        areas.area_type,
        areas.region_code,
        officers.as_at,
        officers.officers_fte,
        latest.officers_fte as officers_fte_published,
        latest.officers_fte_previous_edition,
        officers.edition as source_edition,
        officers.source_file,
        population.population,
        population.mid_year as population_mid_year,
        population.population_vintage,
        1000.0 * officers.officers_fte / population.population as officers_per_1000,
        crime.period_start as crime_period_start,
        crime.offences,
        crime.crime_source,
        crime.offences / officers.officers_fte as crimes_per_officer,
        areas.in_force_comparisons,
        areas.comparison_note,
        case
            when population.mid_year < year(officers.as_at)
                then 'Divides by the mid-' || population.mid_year || ' population estimate, the latest held: mid-'
                    || year(officers.as_at) || ' (the year of the as-at date) is not yet published'
            when population.mid_year > year(officers.as_at)
                then 'Divides by the mid-' || population.mid_year || ' population estimate, the earliest held: mid-'
                    || year(officers.as_at) || ' (the year of the as-at date) is not held'
        end as carried_forward_note
    from officers
    inner join {{ ref('areas') }} as areas using (area_code)
    left join latest using (area_code, as_at)
    left join population using (area_code, as_at)
    left join crime on crime.area_code = officers.area_code and crime.period_end = officers.as_at
)

select
    rated.area_code,
    rated.area_name,
    rated.area_type,
    rated.as_at,
    rated.officers_fte,
    rated.officers_fte_published,
    rated.officers_fte_previous_edition,
    rated.source_edition,
    rated.source_file,
    rated.population,
    rated.population_mid_year,
    rated.population_vintage,
    rated.officers_per_1000,
    ew.officers_per_1000 as ew_officers_per_1000,
    region.officers_per_1000 as region_officers_per_1000,
    {{ rank_among_forces('rated.officers_per_1000', ['rated.as_at'], 'rated.in_force_comparisons',
                         shown='round(rated.officers_per_1000, 2)') }} as rank_officers_per_1000,
    rated.crime_period_start,
    rated.offences,
    rated.crime_source,
    rated.crimes_per_officer,
    ew.crimes_per_officer as ew_crimes_per_officer,
    region.crimes_per_officer as region_crimes_per_officer,
    {{ rank_among_forces('rated.crimes_per_officer', ['rated.as_at'], 'rated.in_force_comparisons',
                         shown='round(rated.crimes_per_officer, 1)') }} as rank_crimes_per_officer,
    rated.in_force_comparisons,
    nullif(concat_ws(' | ', rated.comparison_note, rated.carried_forward_note), '') as note
from rated
left join rated as ew on ew.area_code = 'K04000001' and ew.as_at = rated.as_at
left join rated as region
    on region.area_code = rated.region_code and region.area_type = 'region' and region.as_at = rated.as_at
