select
    "LAD16CD" as la_code,
    "LAD16NM" as la_name,
    "CSP16CD" as csp_code,
    "CSP16NM" as csp_name,
    "PFA16CD" as area_code,
    "PFA16NM" as force_name
from {{ source('raw', 'ons_lad_pfa_lookup') }}
