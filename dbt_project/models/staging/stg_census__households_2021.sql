-- Census 2021 households per area code (local authorities on 2021 boundaries, and country, region and county rows).
select
    area_code as la_code,
    area_name as la_name,
    households_2021_census as households
from {{ source('raw', 'census_2021_households') }}
