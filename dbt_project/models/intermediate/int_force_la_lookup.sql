-- Every local authority code the population and household tables use, mapped to its police force area: the ONS
-- December 2016 lookup, plus the authorities created by later mergers (each wholly inside one force area).
select la_code, area_code, 'ONS LAD16-PFA16 lookup' as mapped_by
from {{ ref('stg_ons__lad_pfa_lookup') }}
union all
select la_code, area_code, 'la_code_changes seed (merged after 2016)' as mapped_by
from {{ ref('la_code_changes') }}
