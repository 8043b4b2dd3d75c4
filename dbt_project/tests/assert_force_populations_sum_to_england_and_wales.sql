{{ config(meta={'dagster': {'ref': {'name': 'int_population_by_force'}}}) }}
-- The force-area populations of each LA-based series add up to ONS's own England and Wales row (K04000001).
with published_total as (
    select mid_year, population, 'mye4_2021_series' as population_series
    from {{ ref('stg_ons__mye4_population') }} where la_code = 'K04000001'
    union all
    select mid_year, population, 'mye3_first_published'
    from {{ ref('stg_ons__mye3_population') }} where la_code = 'K04000001'
)
select published_total.*, summed.population as sum_of_forces
from published_total
left join (
    select mid_year, population_series, sum(population) as population
    from {{ ref('int_population_by_force') }} group by all
) as summed using (mid_year, population_series)
where summed.population is distinct from published_total.population
