select
    source_file,
    judgment_number,
    {{ canonical_question('question') }} as question,
    grade,
    summary_points,
    lower(pillar) as pillar  -- null: the programme's pillar
from {{ source('raw', 'inspection_report_judgments') }}
