-- One row per taxonomy system with at least one (deduplicated) pledge. quantity_total adds the one-off
-- quantities (rate pledges such as "3,000 shells a month" cannot be added) of records that
-- were not rejected.
with pledges as (
    select *
    from {{ ref('fct_pledges') }}
    where system_id is not null
)

select
    pledges.system_id,
    any_value(systems.canonical_name)                                        as canonical_name,
    any_value(systems.category)                                              as category,
    any_value(systems.is_munition)                                           as is_munition,
    count(*)                                                                 as pledge_count,
    count(distinct pledges.donor_code)                                       as donor_count,
    cast(sum(pledges.quantity) filter (
        where pledges.quantity_per is null and pledges.status <> 'rejected'
    ) as bigint)                                                             as quantity_total,
    array_to_string(list_sort(list(distinct pledges.donor_code)), ', ')     as donors
from pledges
left join {{ ref('dim_systems') }} as systems
    on systems.system_id = pledges.system_id
group by pledges.system_id
