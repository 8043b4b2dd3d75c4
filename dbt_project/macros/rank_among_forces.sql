{# A force's rank among the forces compared (1 = the highest value) within each group of `within` (e.g. a period
   and a measure): null for an area not compared (`compared` false: the City of London, regions, England and Wales)
   and where the value is null. `shown`: the value as the pages print it, when the rank is to follow that figure
   (forces showing the same figure share the better rank); by default the value itself. #}

{% macro rank_among_forces(value, within, compared, shown=none) %}
    case when {{ compared }} and {{ value }} is not null then
        rank() over (partition by {{ within | join(', ') }}, {{ compared }}, {{ value }} is null
                     order by {{ shown or value }} desc)
    end
{%- endmacro %}
