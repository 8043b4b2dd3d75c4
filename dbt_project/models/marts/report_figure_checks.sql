-- Every figure a report quotes beside the warehouse's own figure for the same area, measure and period, and
-- whether they agree within the report's rounding, or within the tolerance that later revisions of the data explain.
-- A rate is recomputed with the denominator vintage the report could have used (the newest held that was published
-- before the report; seed population_vintages), not the consistent series force_rates divides by, so a report is
-- compared with the figures of its time; denominator_vintage says which.
with figures as (
    select figures.*, reports.programme, reports.year, reports.published_on as report_published_on
    from {{ ref('stg_hmic__report_figures') }} as figures
    inner join {{ ref('stg_hmic__inspection_reports') }} as reports using (source_file)
),

report_denominators as (
    select
        figures.source_file,
        figures.figure_number,
        denominators.denominator,
        denominators.denominator_vintage,
        denominators.denominator_description
    from figures
    inner join {{ ref('int_area_denominators') }} as denominators
        on figures.unit = 'per_1000_' || denominators.denominator_kind
        and denominators.area_code = figures.area_code
        and denominators.published_on < figures.report_published_on
        and denominators.mid_year <= year(figures.period_end - to_months(figures.period_months) + interval 1 day)
            + {{ var('population_mid_year_offset') }}
    qualify row_number() over (
        partition by figures.source_file, figures.figure_number
        order by denominators.mid_year desc, denominators.published_on desc
    ) = 1
),

matched as (
    select
        figures.*,
        case
            when figures.unit like 'per_1000_%'
                then 1000.0 * rates.offences / coalesce(of_the_time.denominator, rates.denominator)
            when figures.baseline_period_end = last_day(figures.period_end - interval 1 year)
                then changes.pct_change_year
            when figures.baseline_period_end = changes.baseline_period_end then changes.pct_change_baseline
        end as warehouse_value,
        case
            when figures.unit like 'per_1000_%' and rates.rate_per_1000 is not null
                then 'force_rates.offences per 1,000 of the denominator_vintage'
            when figures.baseline_period_end = last_day(figures.period_end - interval 1 year)
                and changes.pct_change_year is not null then 'force_change.pct_change_year'
            when figures.baseline_period_end = changes.baseline_period_end
                and changes.pct_change_baseline is not null then 'force_change.pct_change_baseline'
        end as warehouse_column,
        case when figures.unit like 'per_1000_%' and rates.rate_per_1000 is not null
            then coalesce(of_the_time.denominator_vintage, rates.denominator_vintage)
        end as denominator_vintage,
        case when figures.unit like 'per_1000_%' and rates.rate_per_1000 is not null
            then case when of_the_time.denominator is not null
                then 'the newest vintage held that was published before the report'
                else 'no vintage held from before the report: the consistent series force_rates uses'
            end
        end as denominator_basis,
        -- the denominator is a later estimate than any the report could have used
        figures.unit like 'per_1000_%' and rates.rate_per_1000 is not null and of_the_time.denominator is null
            as later_denominator,
        coalesce(of_the_time.denominator_description, rates.denominator_description) as denominator_description
    from figures
    left join report_denominators as of_the_time using (source_file, figure_number)
    left join {{ ref('force_rates') }} as rates
        on figures.unit like 'per_1000_%'
        and rates.area_code = figures.area_code and rates.period_end = figures.period_end
        and rates.measure = figures.measure and 'per_1000_' || rates.denominator_kind = figures.unit
    left join {{ ref('force_change') }} as changes
        on figures.unit = 'percent_change'
        and changes.area_code = figures.area_code and changes.period_end = figures.period_end
        and changes.measure = figures.measure
),

compared as (
    select
        matched.*,
        warehouse_value - quoted_value as difference,
        round(warehouse_value, decimals) = quoted_value as agrees_within_rounding,
        abs(warehouse_value - quoted_value) <= case
            when unit like 'per_1000_%' then {{ var('figure_tolerance_per_1000') }}
            when unit = 'percent_change' then {{ var('figure_tolerance_percentage_points') }}
        end as within_revision_tolerance,
        case
            when warehouse_value is null then 'not_computable'
            when round(warehouse_value, decimals) = quoted_value then 'reproduced'
            when abs(warehouse_value - quoted_value) <= case
                when unit like 'per_1000_%' then {{ var('figure_tolerance_per_1000') }}
                when unit = 'percent_change' then {{ var('figure_tolerance_percentage_points') }}
            end then 'within_revision_tolerance'
            else 'differs'
        end as check_status
    from matched
)

select
    compared.source_file as report_file,
    compared.programme,
    compared.year,
    compared.figure_number,
    compared.area_code,
    areas.area_name,
    compared.measure_label,
    compared.measure,
    compared.unit,
    compared.period_months,
    compared.period_end,
    compared.baseline_period_end,
    compared.quoted_value,
    compared.decimals,
    compared.plus_minus,
    compared.warehouse_value,
    compared.warehouse_column,
    compared.denominator_vintage,
    compared.denominator_basis,
    compared.difference,
    compared.agrees_within_rounding,
    compared.within_revision_tolerance,
    compared.check_status,
    -- every cause that applies, named: the crime counts are always a later edition than the report's; a rate's
    -- denominator is too when no vintage from before the report is held
    case when compared.check_status in ('within_revision_tolerance', 'differs') then
        case when compared.later_denominator
            then 'two causes: later crime revisions (the crime tables held are later editions than the report used, '
                || 'revised by forces since) and the population vintage (no estimate published before the report is '
                || 'held, so the rate divides by the ' || compared.denominator_description || ')'
            else 'later crime revisions (the crime tables held are later editions than the report used, revised by '
                || 'forces since)'
                || case when compared.unit like 'per_1000_%'
                    then '; the denominator is one of the report''s time (the ' || compared.denominator_description
                        || ')'
                    else '' end
        end
        || case compared.check_status
            when 'within_revision_tolerance' then '; the difference is within what they explain'
            else '; but the difference is more than they usually explain: check the report''s source, period and '
                || 'denominator'
        end
    end as difference_reason,
    case
        when compared.warehouse_value is not null then null
        when compared.measure is null then 'the warehouse holds no measure "' || compared.measure_label || '"'
        when compared.unit in ('count', 'percent') then 'the warehouse holds no ' || compared.unit || ' figures'
        -- the measure in words (seed measures), as the pages name it
        else 'the warehouse holds no figure of ' || lower(measures.label) || ' for this area and period'
    end as not_computable_reason,
    compared.quoted_text
from compared
inner join {{ ref('areas') }} as areas using (area_code)
left join {{ ref('measures') }} as measures using (measure)
