-- Change in offences per area and measure: on the same period a year earlier, and on a baseline
-- var('change_baseline_years') years earlier, only between periods that share a definition. Built in two parts by the
-- macro force_change_of (macros/force_change_of.sql), recorded crime and the street feed's ASB incidents, of which a
-- build replaces only the part that changed, as force_rates is (macros/built_in_parts.sql).
{{ built_in_parts_config('force_change') }}
{{ changed_parts('force_change') }}
