select
    source_file,
    recommendation_number,
    {{ canonical_question('question') }} as question,
    text as recommendation,
    deadlines_as_written,
    deadline_dates
from {{ source('raw', 'inspection_report_recommendations') }}
