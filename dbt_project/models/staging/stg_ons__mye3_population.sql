-- Mid-2013 and mid-2014 population by area code as first published (2015), one row per area code and mid-year.
with source as (
    select * from {{ source('raw', 'ons_mye3_population') }}
)

select "Code" as la_code, "Name" as la_name, 2013 as mid_year, "Estimated Population mid-2013" as population
from source
union all
select "Code", "Name", 2014, "Estimated Population mid-2014"
from source
