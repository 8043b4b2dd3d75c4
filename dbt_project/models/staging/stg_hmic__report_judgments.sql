select
    source_file,
    judgment_number,
    {{ canonical_question('question') }} as question,
    grade,
    summary_points
from {{ source('raw', 'inspection_report_judgments') }}
