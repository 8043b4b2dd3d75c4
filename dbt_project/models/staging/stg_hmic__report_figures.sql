select
    source_file,
    figure_number,
    measure_label,
    measure,
    area_code,
    value as quoted_value,
    decimals,
    unit,
    period_end,
    period_months,
    baseline_period_end,
    plus_minus,
    quoted_text
from {{ source('raw', 'inspection_report_figures') }}
