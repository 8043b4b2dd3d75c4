{# Whether a difference between the two crime tables is small enough for the later revisions by forces that the Home
   Office table carries: within var('source_difference_tolerance_pct') percent of the ONS count, or within
   var('source_difference_tolerance_offences') offences. #}
{% macro within_revision_tolerance(difference, ons_offences) -%}
    (abs(100.0 * ({{ difference }}) / nullif({{ ons_offences }}, 0)) <= {{ var('source_difference_tolerance_pct') }}
     or abs({{ difference }}) <= {{ var('source_difference_tolerance_offences') }})
{%- endmacro %}
