-- PEEL grades as published, one row per force, cycle, pillar and question (null question = the pillar's grade).
select
    pfa_code as area_code,
    force_name,
    cycle,
    cast(left(cycle, 4) as integer) as cycle_year,
    lower(pillar) as pillar,
    {{ canonical_question('question') }} as question,
    grade,
    published_date as published_on,
    source as source_url
from {{ source('raw', 'hmicfrs_peel_grades') }}
