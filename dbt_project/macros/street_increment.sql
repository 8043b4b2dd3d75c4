{# The street feed's incremental models (configured by street_increment_config) are keyed by var('street_key')
   (area_code, month): a build replaces the force-months loaded since the model's last build, and drops those the raw
   layer no longer holds. #}

{% macro street_increment_config() %}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=var('street_key'),
    on_schema_change='fail',
    post_hook=['{{ drop_removed_force_months() }}']
) }}
{% endmacro %}

{% macro loaded_since_last_build() %}
{% if is_incremental() %}
where loaded_at > (select coalesce(max(loaded_at), '-infinity'::timestamptz) from {{ this }})
{% endif %}
{% endmacro %}

{% macro drop_removed_force_months() %}
delete from {{ this }} where (area_code, month) in (
    select (area_code, month) from {{ ref('stg_police_uk__street_loads') }} where removed)
{% endmacro %}
