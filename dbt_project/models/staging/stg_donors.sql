-- Donors (seed made from ISO 3166-1 plus groups) with their aliases (seed) as a sorted list.
with aliases as (
    select
        donor_code,
        list_sort(list_distinct(list(trim(alias)))) as aliases
    from {{ ref('donor_aliases') }}
    where nullif(trim(alias), '') is not null
    group by donor_code
)

select
    cast(donors.donor_code as varchar)               as donor_code,
    cast(donors.donor_name as varchar)               as donor_name,
    cast(donors.donor_type as varchar)               as donor_type,
    cast(nullif(donors.alpha_2, '') as varchar)      as alpha_2,
    coalesce(aliases.aliases, cast([] as varchar[])) as aliases
from {{ ref('donors') }} as donors
left join aliases using (donor_code)
