-- Crime outcomes per area, financial year, offence group and outcome group: the outcomes assigned (by the time of
-- the Home Office's extract) to the offences recorded in the year, with each group's share of those offences (the
-- charge/summons rate is the charged_summonsed share). Outcome groups come from the framework (seed
-- outcome_types); regions and England and Wales are sums of their forces. Only complete financial years (all four
-- quarters) are published; fraud, recorded centrally, is not a force's.
with force_outcomes as (
    select
        area_code,
        financial_year,
        cast(min(quarter_start) as date) as period_start,
        offence_group,
        outcome_group,
        any_value(outcome_group_label) as outcome_group_label,
        cast(sum(outcomes) as bigint) as outcomes
    from {{ ref('stg_home_office__outcomes') }}
    where area_code is not null and offence_group not like 'Fraud%'
    group by area_code, financial_year, offence_group, outcome_group
    having count(distinct financial_quarter) = 4
),

with_total as (
    select * from force_outcomes
    union all
    select area_code, financial_year, period_start, 'All offences', outcome_group, any_value(outcome_group_label),
           cast(sum(outcomes) as bigint)
    from force_outcomes
    group by all
),

forces as (
    select with_total.*
    from with_total
    inner join {{ ref('forces') }} as forces using (area_code)
),

regions_and_country as (
    {{ sum_forces_into_areas('forces', keys=['financial_year', 'period_start', 'offence_group', 'outcome_group'],
                             sums=['outcomes'], same_values=['outcome_group_label']) }}
),

all_areas as (
    select area_code, 'force' as area_type, financial_year, period_start, offence_group, outcome_group,
           outcome_group_label, outcomes
    from forces
    union all
    select area_code, area_type, financial_year, period_start, offence_group, outcome_group, outcome_group_label,
           outcomes
    from regions_and_country
)

select
    all_areas.area_code,
    areas.area_name,
    all_areas.area_type,
    all_areas.financial_year,
    all_areas.period_start,
    cast(all_areas.period_start + interval 12 month - interval 1 day as date) as period_end,
    all_areas.offence_group,
    all_areas.outcome_group,
    all_areas.outcome_group_label,
    all_areas.outcomes,
    cast(sum(all_areas.outcomes) over offences as bigint) as offences_recorded,
    100.0 * all_areas.outcomes / nullif(sum(all_areas.outcomes) over offences, 0) as pct_of_offences
from all_areas
inner join {{ ref('areas') }} as areas using (area_code)
window offences as (partition by all_areas.area_code, all_areas.financial_year, all_areas.offence_group)
