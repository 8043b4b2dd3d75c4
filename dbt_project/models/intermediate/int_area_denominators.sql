-- Denominators for every area (force, region, England and Wales): population and households per mid-year, in every
-- vintage held. Regions and E&W are sums of their forces, and only where every member force has the figure.
-- denominator_source names the estimate as the seed population_vintages does; denominator_description says it in
-- plain words, for pages (described_as with the year filled in).
with force_denominators as (
    select area_code, 'population' as denominator_kind, mid_year, vintage as denominator_vintage,
           population as denominator
    from {{ ref('int_population_by_force') }}
    union all
    select area_code, 'households', mid_year, vintage, households
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
        || case when all_areas.denominator_vintage like 'census_%' then ', census ' else ', mid-' end
        || all_areas.mid_year as denominator_source,
    replace(vintages.described_as, '{year}', cast(all_areas.mid_year as varchar)) as denominator_description
from (
    select * from forces
    union all
    select area_code, denominator_kind, mid_year, denominator_vintage, denominator from regions_and_country
) as all_areas
inner join {{ ref('population_vintages') }} as vintages on vintages.vintage = all_areas.denominator_vintage
