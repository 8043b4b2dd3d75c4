select
    "PFA 2023 Code" as area_code,
    "PFA 2023 Name" as force_name,
    2024 as mid_year,
    "Population" as population
from {{ source('raw', 'ons_pfa_population_mid2024') }}
