-- The street feed's force-months as the loads ledger holds them now, with the force's ONS code.
select
    forces.area_code,
    months.force_id as data_police_uk_id,
    months.month,
    months.source_file,
    months.source_sha256,
    months.rows,
    months.loaded_at,
    months.removed
from {{ source('raw', 'police_uk_street_months') }} as months
inner join {{ ref('forces') }} as forces on forces.data_police_uk_id = months.force_id
