{# Where a 12-month period ending period_end lies against a classification break: wholly 'before' it, wholly
   'after' it, or 'across' it (part under each definition). Two periods are comparable only when both lie wholly
   on the same side. #}

{% macro side_of_break(period_end, break_date) %}
case
    when {{ break_date }} is null then 'no_break'
    when {{ period_end }} < {{ break_date }} then 'before'
    when {{ period_end }} - interval 12 month + interval 1 day >= {{ break_date }} then 'after'
    else 'across'
end
{% endmacro %}
