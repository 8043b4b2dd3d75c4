select
    source_file,
    source_sha256,
    area_code,
    force_name,
    programme,
    year,
    cycle,
    cast(left(cycle, 4) as integer) as cycle_year,
    pillar,
    published_on,
    published_on_basis,
    coalesce(layout, 'crime_inspection_2014') as layout  -- reports loaded before the PEEL layouts came
from {{ source('raw', 'inspection_reports') }}
