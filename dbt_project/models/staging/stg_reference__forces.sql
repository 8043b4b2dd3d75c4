select
    nullif(pfa_code, '') as area_code,
    pfa_name as force_name,
    force_name as force_full_name,
    data_police_uk_id,
    country,
    ons_region_derived as region_name,
    special_case_note
from {{ source('raw', 'forces_reference') }}
