-- Denominators for every area (force, region, England and Wales): population per mid-year and households per census
-- year, in every vintage held. Regions and E&W are sums of their forces, and only where every member force has the
-- figure.
with force_denominators as (
    select area_code, 'population' as denominator_kind, mid_year, vintage as denominator_vintage,
           population as denominator
    from {{ ref('int_population_by_force') }}
    union all
    select area_code, 'households', census_year, vintage, households
    from {{ ref('int_households_by_force') }}
),

forces as (
    select force_denominators.*
    from force_denominators
    inner join {{ ref('forces') }} as forces using (area_code)
),

regions_and_country as (
    {{ sum_forces_into_areas('forces', keys=['denominator_kind', 'mid_year', 'denominator_vintage'],
                             sums=['denominator']) }}
)

select
    all_areas.*,
    vintages.consistent_series,
    vintages.published_on,
    vintages.description
        || case all_areas.denominator_kind when 'population' then ', mid-' else ', census ' end
        || all_areas.mid_year as denominator_source
from (
    select * from forces
    union all
    select area_code, denominator_kind, mid_year, denominator_vintage, denominator from regions_and_country
) as all_areas
inner join {{ ref('population_vintages') }} as vintages on vintages.vintage = all_areas.denominator_vintage
