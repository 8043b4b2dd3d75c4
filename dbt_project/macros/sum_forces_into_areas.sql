{# Regions and England and Wales as sums of their forces, only where every member force is present: a region's row
   exists when all its forces (seed forces) have a row for the key, England and Wales's (K04000001) when all 43 do.
   force_rows: a relation with one row per force (area_code) and key; keys: the other key columns; sums: the columns
   summed; sum_type: what they are summed as - 'bigint' (counts: exact) or 'double' (fractional figures such as
   officers in full-time equivalents; summed with fsum, Kahan-compensated, so the sum does not depend on the order
   the rows arrive in beyond the last bit); same_values: columns equal across the forces, any one taken (e.g. the
   source of a figure). Gives area_code, area_type ('region' or 'country'), the keys, the sums, same_values and
   forces_in_sum. #}

{% macro sum_forces_into_areas(force_rows, keys, sums, same_values=[], sum_type='bigint') %}
{%- if sum_type not in ('bigint', 'double') -%}
    {{ exceptions.raise_compiler_error("sum_forces_into_areas: sum_type is 'bigint' or 'double', not '" ~ sum_type ~ "'") }}
{%- endif -%}
{%- set levels = [('region', 'membership.region_code', 'forces_in_region'),
                  ('country', "'K04000001'", 'forces_in_country')] -%}
{%- for area_type, area_code, members in levels %}
{% if not loop.first %}union all{% endif %}
select
    {{ area_code }} as area_code,
    '{{ area_type }}' as area_type,
    {%- for column in keys %}
    force_rows.{{ column }},
    {%- endfor %}
    {%- for column in sums %}
    {% if sum_type == 'double' -%}
    fsum(cast(force_rows.{{ column }} as double)) as {{ column }},
    {%- else -%}
    cast(sum(force_rows.{{ column }}) as bigint) as {{ column }},
    {%- endif %}
    {%- endfor %}
    {%- for column in same_values %}
    any_value(force_rows.{{ column }}) as {{ column }},
    {%- endfor %}
    count(*) as forces_in_sum
from {{ force_rows }} as force_rows
inner join (
    select
        area_code,
        region_code,
        count(*) over (partition by region_code) as forces_in_region,
        count(*) over () as forces_in_country
    from {{ ref('forces') }}
) as membership on membership.area_code = force_rows.area_code
group by {% if area_type == 'region' %}membership.region_code, {% endif %}
    {%- for column in keys %} force_rows.{{ column }}{% if not loop.last %},{% endif %}{% endfor %}
having count(*) = any_value(membership.{{ members }})
{%- endfor %}
{% endmacro %}
