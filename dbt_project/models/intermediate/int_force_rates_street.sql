{{ force_rates_of(ref('int_crime_rolling_street')) }}
