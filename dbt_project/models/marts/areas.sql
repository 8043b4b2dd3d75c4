-- Every area the marts report on (int_areas): the 43 force areas, the ONS regions (Wales counted as one) and
-- England and Wales.
select * from {{ ref('int_areas') }}
