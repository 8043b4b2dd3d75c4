-- Every area the marts report on: the 43 force areas, the ONS regions (Wales counted as one) and England and Wales.
-- Published as the mart areas; the intermediate models that need the areas (the parts of force_rates and
-- force_change) read them here, so the layers still flow one way.
select
    forces.area_code,
    forces.force_name as area_name,
    'force' as area_type,
    forces.force_full_name as force_full_name,
    forces.region_code,
    regions.region_name,
    forces.country,
    forces.in_force_comparisons,
    nullif(forces.comparison_note, '') as comparison_note
from {{ ref('forces') }} as forces
inner join {{ ref('regions') }} as regions using (region_code)

union all

select region_code, region_name, 'region', null, region_code, region_name, country, false, null
from {{ ref('regions') }}

union all

select 'K04000001', 'England and Wales', 'country', null, null, null, 'England and Wales', false, null
