{{ force_change_of(ref('int_crime_rolling_recorded')) }}
