-- One row per force, cycle, pillar (or area) or question, and source (a report text or the PEEL grades table), with
-- the previous cycle's grade for the same pillar/question and how the sources compare. Where sources disagree, every
-- row is kept (sources_agree false on each, and the gate warns) and the force's history takes the preferred one:
-- the inspectorate's own page for that force (a grades-table row citing a justiceinspectorates.gov.uk page under the
-- force's name), then a report text, then any other page (a newspaper, a list of press releases).
with judgments as (
    select
        judgments.*,
        coalesce(judgments.question, '(pillar grade)') as question_key,
        case
            when judgments.source_kind = 'grades_table'
                and regexp_matches(judgments.source, 'justiceinspectorates\.gov\.uk/.*/' || forces.data_police_uk_id
                                                     || '([/?-]|$)') then 1
            when judgments.source_kind = 'report' then 2
            else 3
        end as source_preference
    from {{ ref('int_inspection_judgments') }} as judgments
    inner join {{ ref('forces') }} as forces using (area_code)
),

-- one grade per force, cycle and question for the history: the preferred source's
per_cycle as (
    select area_code, pillar, question_key, cycle, cycle_year, grade, grade_rank, grade_scale, source_kind, source
    from judgments
    qualify row_number() over (
        partition by area_code, pillar, question_key, cycle order by source_preference, source_kind, source) = 1
),

history as (
    select
        per_cycle.*,
        lag(cycle) over by_question as previous_cycle,
        lag(grade) over by_question as previous_grade,
        lag(grade_rank) over by_question as previous_grade_rank,
        lag(grade_scale) over by_question as previous_grade_scale
    from per_cycle
    window by_question as (partition by area_code, pillar, question_key order by cycle_year)
),

-- the other source's grade; several texts of one kind (a force page and a press release) may grade the same thing
other_source as (
    select area_code, cycle, pillar, question_key, source_kind, string_agg(distinct grade, ' / ' order by grade) as grade,
           count(distinct grade) as grades, min(grade) as any_grade
    from judgments
    group by area_code, cycle, pillar, question_key, source_kind
)

select
    judgments.area_code,
    areas.area_name,
    judgments.cycle,
    judgments.pillar,
    judgments.question,
    judgments.grade,
    judgments.grade_rank,
    judgments.grade_scale,
    history.previous_cycle,
    history.previous_grade,
    case
        when history.previous_grade is null then null
        when judgments.grade_rank is null or history.previous_grade_rank is null
            or judgments.grade_scale <> history.previous_grade_scale then 'not comparable'
        when judgments.grade_rank < history.previous_grade_rank then 'better'
        when judgments.grade_rank > history.previous_grade_rank then 'worse'
        else 'same'
    end as grade_change,
    judgments.source_kind,
    judgments.source,
    other.grade as other_source_grade,
    case when other.grade is not null then other.grades = 1 and other.any_grade = judgments.grade end as sources_agree,
    history.source_kind = judgments.source_kind and history.source = judgments.source as preferred_source
from judgments
inner join {{ ref('areas') }} as areas using (area_code)
left join history
    on history.area_code = judgments.area_code and history.pillar = judgments.pillar
    and history.question_key = judgments.question_key and history.cycle = judgments.cycle
left join other_source as other
    on other.area_code = judgments.area_code and other.cycle = judgments.cycle
    and other.pillar = judgments.pillar and other.question_key = judgments.question_key
    and other.source_kind <> judgments.source_kind
