{# In an incremental model over the street feed: only the rows loaded since the model's last build (all rows on
   its first build). The model's delete+insert on (area_code, month) then replaces exactly those force-months. #}
{% macro loaded_since_last_build() %}
{% if is_incremental() %}
where loaded_at > (select coalesce(max(loaded_at), '-infinity'::timestamptz) from {{ this }})
{% endif %}
{% endmacro %}
