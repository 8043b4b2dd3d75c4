select
    source_file,
    recommendation_number,
    {{ canonical_question('question') }} as question,
    text as recommendation,
    deadlines_as_written,
    deadline_dates,
    coalesce(kind, 'recommendation') as kind  -- recommendation, cause_of_concern or area_for_improvement
from {{ source('raw', 'inspection_report_recommendations') }}
