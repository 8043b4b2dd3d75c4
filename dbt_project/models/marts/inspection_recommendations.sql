-- One row per recommendation, cause of concern or area for improvement of a force inspection report, with its first
-- and final deadlines as written and as dates, and empty status fields for analysts to keep.
select
    reports.area_code,
    areas.area_name,
    reports.programme,
    reports.year,
    reports.source_file as report_file,
    recommendations.recommendation_number,
    recommendations.kind,
    reports.cycle,
    recommendations.question,
    recommendations.recommendation,
    recommendations.deadlines_as_written[1] as deadline_as_written,
    recommendations.deadline_dates[1] as deadline_date,
    recommendations.deadlines_as_written[-1] as final_deadline_as_written,
    recommendations.deadline_dates[-1] as final_deadline_date,
    reports.published_on as report_published_on,
    reports.published_on_basis,
    cast(null as varchar) as status,
    cast(null as date) as status_date,
    cast(null as varchar) as status_note
from {{ ref('stg_hmic__report_recommendations') }} as recommendations
inner join {{ ref('stg_hmic__inspection_reports') }} as reports using (source_file)
inner join {{ ref('areas') }} as areas on areas.area_code = reports.area_code
