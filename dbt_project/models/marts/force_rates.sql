-- The rates (macros/force_rates_of.sql, which says what each row holds) of its two parts, recorded crime and the street
-- feed's ASB incidents, of which a build replaces only a part that changed (macros/built_in_parts.sql): a new street
-- month rewrites the ASB rates.
{{ built_in_parts_config('force_rates') }}
{{ changed_parts('force_rates') }}
