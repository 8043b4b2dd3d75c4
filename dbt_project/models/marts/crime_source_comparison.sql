-- Where the ONS rolling-year table and the Home Office PRC table cover the same period (y/e March 2013 to
-- y/e December 2018), their counts side by side, per force and for England and Wales, with the reason for a known
-- difference, in this order: a classification break (seed classification_breaks); a difference found in the two
-- tables and recorded in the seed crime_source_differences (offences recoded or left out by one table, a force's
-- resubmission of some quarters), which also explains the measures that count the measure it names when the rest
-- of their difference is within revisions; a difference small enough for the later revisions by forces that the
-- Home Office table carries (macro within_revision_tolerance). The rest is unexplained, and the gate warns about it.
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

-- measure counts part_measure: every offence group or subgroup of part_measure is counted in measure (seed
-- measure_offences; violence against the person, victim-based crime and crime excluding fraud count stalking and
-- harassment)
mappings as (
    select measure, offence_group, offence_subgroup, count(*) over (partition by measure) as mappings_of_measure
    from (select distinct measure, offence_group, offence_subgroup from {{ ref('measure_offences') }})
),

counted_within as (
    select whole.measure, part.measure as part_measure
    from mappings as part
    inner join mappings as whole
        on whole.offence_group = part.offence_group
        and (whole.offence_subgroup is null or whole.offence_subgroup = part.offence_subgroup)
    group by whole.measure, part.measure
    having count(distinct (part.offence_group, part.offence_subgroup)) = any_value(part.mappings_of_measure)
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
),

found_in_the_tables as (
    select
        compared.area_code,
        compared.period_end,
        compared.measure,
        differences.difference_kind,
        differences.reason
            || case when differences.measure <> compared.measure
                then ' (The difference lies in ' || lower(gap_measure.label) || ', which this measure counts; the '
                    || 'rest of it is within what revisions explain.)'
                else '' end as reason
    from compared
    inner join {{ ref('crime_source_differences') }} as differences
        on differences.area_code = compared.area_code
        and compared.period_end between differences.first_period_end and differences.last_period_end
    left join {{ ref('measures') }} as gap_measure on gap_measure.measure = differences.measure
    left join counted_within
        on counted_within.measure = compared.measure and counted_within.part_measure = differences.measure
    left join compared as gap
        on gap.area_code = compared.area_code and gap.period_end = compared.period_end
        and gap.measure = differences.measure
    where compared.difference <> 0
        and (differences.measure is null  -- every measure of the area and periods
             or (counted_within.measure is not null
                 and {{ within_revision_tolerance('compared.difference - gap.difference', 'compared.ons_offences') }}))
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
        when found.reason is not null then found.difference_kind || ': ' || found.reason
        when {{ within_revision_tolerance('compared.difference', 'compared.ons_offences') }}
            then 'revision: within what later revisions by forces explain (the Home Office table is a later '
                || 'edition than the ONS table)'
    end
    || coalesce('; the ONS table dates this period ' || compared.period_end_as_published || ' (a typo for '
                || strftime(compared.period_end, '%d-%m-%Y') || ')', '')
        as difference_reason,
    case
        when compared.period_end < compared.comparable_from_period_end then 'classification'
        when found.reason is not null then found.difference_kind
        when {{ within_revision_tolerance('compared.difference', 'compared.ons_offences') }} then 'revision'
        else 'unexplained'
    end as difference_kind
from compared
inner join {{ ref('areas') }} as areas using (area_code)
-- the marts' own choice of source for the period and measure (int_crime_rolling_recorded makes it, once)
inner join {{ ref('int_crime_rolling_recorded') }} as used using (area_code, period_end, measure)
left join found_in_the_tables as found using (area_code, period_end, measure)
