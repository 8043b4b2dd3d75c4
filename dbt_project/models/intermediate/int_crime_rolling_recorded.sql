-- Rolling 12-month counts of recorded crime for every area: forces from the source chosen for the period (ONS
-- rolling-year table before var('prc_first_period_end'), Home Office PRC from then on, except where the seed
-- classification_breaks says PRC's early quarters use an old classification for a measure: the ONS table until that
-- measure's comparable_from_period_end), regions and England and Wales as sums of their forces. The street feed's
-- counts (ASB) are int_crime_rolling_street: the rates and changes are built from each part apart, so a new street
-- month does not rebuild these.
with prc_from as (
    select
        measure,
        coalesce(
            max(comparable_from_period_end) filter (where treatment = 'source_with_new_classification'),
            cast('{{ var("prc_first_period_end") }}' as date)
        ) as prc_first_period_end
    from (select distinct measure from {{ ref('measure_offences') }})
    left join {{ ref('classification_breaks') }} using (measure)
    group by measure
),

chosen as (
    select ons.* from {{ ref('int_crime_rolling_ons') }} as ons
    inner join prc_from using (measure)
    where ons.period_end < prc_from.prc_first_period_end
    union all
    select prc.* from {{ ref('int_crime_rolling_prc') }} as prc
    inner join prc_from using (measure)
    where prc.period_end >= prc_from.prc_first_period_end
),

forces as (
    select chosen.*
    from chosen
    inner join {{ ref('forces') }} as forces using (area_code)
)

{{ rolling_counts_with_areas('forces') }}
