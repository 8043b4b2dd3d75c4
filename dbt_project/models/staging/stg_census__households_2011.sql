select
    "geography code" as la_code,
    "geography" as la_name,
    "Tenure: All categories: Tenure; measures: Value" as households
from {{ source('raw', 'census_2011_households') }}
