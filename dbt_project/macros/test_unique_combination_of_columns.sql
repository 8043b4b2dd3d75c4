{# Rows are unique on a combination of columns (what dbt_utils.unique_combination_of_columns does, without the
   package: packages would need a download at install time). #}
{% test unique_combination_of_columns(model, columns) %}
select {{ columns | join(', ') }}, count(*) as copies
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
