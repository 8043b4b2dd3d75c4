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

with_region as (
    select force_denominators.*, forces.region_code
    from force_denominators
    inner join {{ ref('forces') }} as forces using (area_code)
),

region_sizes as (
    select region_code, count(*) as member_forces from {{ ref('forces') }} group by region_code
),

regions as (
    select
        region_code as area_code, denominator_kind, mid_year, denominator_vintage,
        cast(sum(denominator) as bigint) as denominator
    from with_region
    group by all
    having count(*) = (select member_forces from region_sizes where region_sizes.region_code = with_region.region_code)
),

england_and_wales as (
    select
        'K04000001' as area_code, denominator_kind, mid_year, denominator_vintage,
        cast(sum(denominator) as bigint) as denominator
    from force_denominators
    group by all
    having count(*) = (select count(*) from {{ ref('forces') }})
)

select
    all_areas.*,
    vintages.consistent_series,
    vintages.published_on,
    vintages.description
        || case all_areas.denominator_kind when 'population' then ', mid-' else ', census ' end
        || all_areas.mid_year as denominator_source
from (
    select * exclude (region_code) from with_region
    union all select * from regions
    union all select * from england_and_wales
) as all_areas
inner join {{ ref('population_vintages') }} as vintages on vintages.vintage = all_areas.denominator_vintage
