-- One row per area, 12-month period end and measure: offences, denominator (from one consistent series, with its
-- vintage and a plain description), the rate per 1,000 and at the measure's own scale (seed measures: rate_per, per
-- million for homicide), and the comparisons (England and Wales, region, rank among forces). Built in two parts by
-- the macro force_rates_of (macros/force_rates_of.sql): recorded crime, and the street feed's ASB incidents, so that a
-- new street month recomputes only the ASB rates (a twentieth of the rows) and copies the rest.
select * from {{ ref('int_force_rates_recorded') }}
union all
select * from {{ ref('int_force_rates_street') }}
