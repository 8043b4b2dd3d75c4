-- Every local authority code the census and population tables use, mapped to the authority that holds its area on
-- the 2023 boundaries of the population series: a code replaced by a merger (seed la_code_changes) goes to its
-- successor, followed through later mergers (Taunton Deane -> Somerset West and Taunton in 2019 -> Somerset in
-- 2023). Every merger lies inside one force area, so the households of 2011 and 2021 can be compared authority by
-- authority on one set of boundaries.
with recursive replaced as (
    select trim(unnest(string_split(replaces, ','))) as la_code, la_code as successor
    from {{ ref('la_code_changes') }}
),

successors(la_code, successor) as (
    select la_code, successor from replaced
    union all
    select successors.la_code, replaced.successor
    from successors
    inner join replaced on replaced.la_code = successors.successor
)

select
    codes.la_code,
    coalesce(latest.successor, codes.la_code) as la_code_2023
from {{ ref('int_force_la_lookup') }} as codes
left join (
    -- the last successor: one that no later merger replaced
    select la_code, successor from successors where successor not in (select la_code from replaced)
) as latest using (la_code)
