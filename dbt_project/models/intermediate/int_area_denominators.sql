-- Denominators for every area (force, region, England and Wales): population per mid-year and series, and 2011
-- census households. Regions and E&W are sums of their forces, and only where every member force has the figure.
with force_denominators as (
    select area_code, 'population' as denominator_kind, mid_year, population_series as denominator_series,
           population as denominator
    from {{ ref('int_population_by_force') }}
    union all
    select area_code, 'households', 2011, 'census_2011', households
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
        region_code as area_code, denominator_kind, mid_year, denominator_series,
        cast(sum(denominator) as bigint) as denominator
    from with_region
    group by all
    having count(*) = (select member_forces from region_sizes where region_sizes.region_code = with_region.region_code)
),

england_and_wales as (
    select
        'K04000001' as area_code, denominator_kind, mid_year, denominator_series,
        cast(sum(denominator) as bigint) as denominator
    from force_denominators
    group by all
    having count(*) = (select count(*) from {{ ref('forces') }})
)

select
    all_areas.*,
    case all_areas.denominator_series
        when 'mye3_first_published'
            then 'ONS mid-' || mid_year || ' population estimate as first published (MYE3, 2015)'
        when 'mye4_2021_series' then 'ONS mid-' || mid_year || ' population estimate, series as revised to 2021 (MYE4)'
        when 'pfa_mid2024' then 'ONS mid-' || mid_year || ' population estimate for police force areas'
        when 'census_2011' then '2011 Census households (QS405EW)'
    end as denominator_source
from (
    select * exclude (region_code) from with_region
    union all select * from regions
    union all select * from england_and_wales
) as all_areas
