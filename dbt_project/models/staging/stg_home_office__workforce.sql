-- Police officers (FTE) per area and "as at" date, one row per edition that gives the date, as read from each
-- bulletin's Table 1 (forces, region subtotal rows, England and Wales) or the open data table (forces); the names were
-- resolved to codes when read (orchestration/sources/workforce.py). Each bulletin gives three dates and revises the
-- ones the bulletin before it also gave: is_latest_edition marks the figure of the latest edition holding the date,
-- and officers_fte_previous_edition keeps what the edition before it said.
select
    area_code,
    area_name as area_name_as_published,
    area_type,
    as_at,
    cast(edition as date) as edition,
    officers_fte,
    row_number() over (partition by area_code, as_at order by edition desc) = 1 as is_latest_edition,
    lead(officers_fte) over (partition by area_code, as_at order by edition desc) as officers_fte_previous_edition,
    _source_file as source_file
from {{ source('raw', 'home_office_workforce') }}
