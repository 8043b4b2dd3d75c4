{# Reports ask about "the constabulary", grade tables about "the force": one wording, so the two can be joined. #}
{% macro canonical_question(column) -%}
    nullif(trim(regexp_replace({{ column }}, '\bthe (constabulary|service)\b', 'the force', 'g')), '')
{%- endmacro %}
