-- Every judgment from both sources - report texts and the PEEL grades table - with its rank on its cycle's scale.
with judgments as (
    -- a report grading several pillars (or, from 2021/22, areas) names each judgment's own
    select reports.area_code, reports.cycle, reports.cycle_year, coalesce(judgments.pillar, reports.pillar) as pillar,
           judgments.question,
           judgments.grade, 'report' as source_kind, reports.source_file as source
    from {{ ref('stg_hmic__report_judgments') }} as judgments
    inner join {{ ref('stg_hmic__inspection_reports') }} as reports using (source_file)
    union all
    select area_code, cycle, cycle_year, pillar, question, grade, 'grades_table', source_url
    from {{ ref('stg_hmicfrs__peel_grades') }}
)

select judgments.*, scales.scale as grade_scale, scales.rank_on_scale as grade_rank
from judgments
left join {{ ref('grade_scales') }} as scales
    on judgments.grade = scales.grade
    and judgments.cycle_year between scales.first_cycle_year and scales.last_cycle_year
