{#- The rolling 12-month counts of every area from those of the forces (force_rows: area_code, period_end, measure,
    offences, crime_source), in the columns int_crime_rolling_recorded and int_crime_rolling_street share: the
    forces' rows, then the regions and England and Wales summed from them (sum_forces_into_areas). -#}
{% macro rolling_counts_with_areas(force_rows) %}
select area_code, 'force' as area_type, period_end, measure, offences, crime_source, 1 as forces_in_sum
from {{ force_rows }}

union all

select area_code, area_type, period_end, measure, offences, crime_source, forces_in_sum
from (
    {{ sum_forces_into_areas(force_rows, keys=['period_end', 'measure'], sums=['offences'],
                             same_values=['crime_source']) }}
)
{% endmacro %}
