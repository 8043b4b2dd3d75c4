{# The one wording of a graded question, so the two sources of a grade can be joined: reports ask about "the
   constabulary" (or "the service"), the grades table about "the force"; typographic apostrophes made plain, runs of
   whitespace (a PDF's line breaks) made one space; an empty question is none (a pillar's or an area's own grade).
   Applied in staging to both sources; the report readers keep a question as written. #}
{% macro canonical_question(column) -%}
    nullif(trim(regexp_replace(regexp_replace(replace({{ column }}, '’', ''''),
                                              '\bthe (constabulary|service)\b', 'the force', 'g'),
                               '\s+', ' ', 'g')), '')
{%- endmacro %}
