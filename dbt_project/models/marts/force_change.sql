-- The changes (macros/force_change_of.sql, which says what each row holds) of its two parts, recorded crime and the
-- street feed's ASB incidents, of which a build replaces only a part that changed (macros/built_in_parts.sql).
{{ built_in_parts_config('force_change') }}
{{ changed_parts('force_change') }}
