-- ONS mid-year population per local authority (2023 boundaries) and mid-year, from the newest series held (Nomis
-- NM_2002_1 after the mid-2023 release), with its vintage from the seed population_vintages. Country, region and
-- county rows are kept for the reconciliation (their codes are not local authorities).
select
    series.geography_code as la_code,
    series.geography_name as la_name,
    series."date" as mid_year,
    cast(series.value as bigint) as population,
    vintages.vintage
from {{ source('raw', 'ons_population_series') }} as series
left join {{ ref('population_vintages') }} as vintages
    on vintages.consistent_series and vintages.denominator_kind = 'population'
    and series."date" between vintages.first_year and vintages.last_year
    and vintages.vintage like 'mye_%'
where series.Measure = 'population'
