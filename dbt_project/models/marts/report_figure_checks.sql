-- Every figure a report quotes beside the warehouse's own figure for the same area, measure and period, and
-- whether they agree within the report's rounding, or within the tolerance that later revisions of the data explain.
with figures as (
    select figures.*, reports.programme, reports.year
    from {{ ref('stg_hmic__report_figures') }} as figures
    inner join {{ ref('stg_hmic__inspection_reports') }} as reports using (source_file)
),

matched as (
    select
        figures.*,
        case
            when figures.unit like 'per_1000_%' then rates.rate_per_1000
            when figures.baseline_period_end = last_day(figures.period_end - interval 1 year)
                then changes.pct_change_year
            when figures.baseline_period_end = changes.baseline_period_end then changes.pct_change_baseline
        end as warehouse_value,
        case
            when figures.unit like 'per_1000_%' and rates.rate_per_1000 is not null then 'force_rates.rate_per_1000'
            when figures.baseline_period_end = last_day(figures.period_end - interval 1 year)
                and changes.pct_change_year is not null then 'force_change.pct_change_year'
            when figures.baseline_period_end = changes.baseline_period_end
                and changes.pct_change_baseline is not null then 'force_change.pct_change_baseline'
        end as warehouse_column
    from figures
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
    compared.difference,
    compared.agrees_within_rounding,
    compared.within_revision_tolerance,
    compared.check_status,
    case compared.check_status
        when 'within_revision_tolerance'
            then 'the crime tables and population estimates held are later revisions than the report used; the '
                || 'difference is within what revisions explain'
        when 'differs'
            then 'differs by more than later revisions explain: check the report''s source, period and denominator'
    end as difference_reason,
    case
        when compared.warehouse_value is not null then null
        when compared.measure is null then 'the warehouse holds no measure "' || compared.measure_label || '"'
        when compared.unit in ('count', 'percent') then 'the warehouse holds no ' || compared.unit || ' figures'
        else 'the warehouse holds no ' || compared.measure || ' figure for this area and period'
    end as not_computable_reason,
    compared.quoted_text
from compared
inner join {{ ref('areas') }} as areas using (area_code)
