-- data.police.uk street-level records with the force's ONS code. A view: the incremental marts read only the rows
-- loaded since their last build (DuckDB skips older row groups by their _loaded_at min/max).
select
    forces.area_code,
    street._force_id as data_police_uk_id,
    street._month as month,
    street."Crime ID" as crime_id,
    street."Crime type" as crime_type,
    street."Last outcome category" as last_outcome_category,
    street."LSOA code" as lsoa_code,
    street."LSOA name" as lsoa_name,
    street."Longitude" as longitude,
    street."Latitude" as latitude,
    street._source_file as source_file,
    street._loaded_at as loaded_at
from {{ source('raw', 'police_uk_street') }} as street
inner join {{ ref('forces') }} as forces on forces.data_police_uk_id = street._force_id
