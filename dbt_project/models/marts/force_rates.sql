-- One row per area, 12-month period end and measure: offences, denominator (from one consistent series, with its
-- vintage and a plain description), the rate per 1,000 and at the measure's own scale (seed measures: rate_per, per
-- million for homicide), and the comparisons (England and Wales, region, rank among forces). Built in two parts by
-- the macro force_rates_of (macros/force_rates_of.sql), recorded crime and the street feed's ASB incidents, of which
-- a build replaces only the part that changed (macros/built_in_parts.sql): a new street month rewrites the ASB rates.
{{ built_in_parts_config('force_rates') }}
{{ changed_parts('force_rates') }}
