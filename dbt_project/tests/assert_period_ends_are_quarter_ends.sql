{{ config(meta={'dagster': {'ref': {'name': 'stg_ons__rolling_crime_pfa'}}}) }}
-- Both crime sources report 12-month periods ending on the last day of March, June, September or December.
select 'ons_rolling_year' as source, period_end_as_published as value
from {{ ref('stg_ons__rolling_crime_pfa') }}
where month(period_end) not in (3, 6, 9, 12)
union all
select 'home_office_prc', cast(quarter_end as varchar)
from {{ ref('stg_home_office__prc_pfa') }}
where month(quarter_end) not in (3, 6, 9, 12) or quarter_end <> last_day(quarter_end)
