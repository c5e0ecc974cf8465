-- One row per donor with at least one pledge, over deduplicated pledges (a package reported by
-- three pages counts once). Money is counted once: package amounts except headline totals
-- (which restate the sum of their parts), plus items that carry a value of their own and belong
-- to no package (an item inside a package is already in the package amount). Rejected pledges
-- are counted in rejected_count but add no money. The same sums in US dollars and in euros.
with pledges as (
    select
        *,
        kind = 'package'
            and not coalesce(is_headline_total, false)
            and status <> 'rejected'                                         as counts_as_package,
        kind = 'item'
            and value is not null
            and package_pledge_id is null
            and status <> 'rejected'                                         as counts_as_standalone_item
    from {{ ref('fct_pledges') }}
)

select
    donor_code,
    any_value(donor_name)                                                    as donor_name,
    count(*)                                                                 as pledge_count,
    count(*) filter (where kind = 'item')                                    as item_count,
    count(*) filter (where kind = 'package')                                 as package_count,
    count(*) filter (where kind = 'support')                                 as support_count,
    {{ exact_money_sum('value_usd', 'counts_as_package') }}             as packages_value_usd,
    {{ exact_money_sum('value_usd', 'counts_as_standalone_item') }}     as standalone_items_value_usd,
    packages_value_usd + standalone_items_value_usd                          as total_value_usd,
    {{ exact_money_sum('value_eur', 'counts_as_package') }}             as packages_value_eur,
    {{ exact_money_sum('value_eur', 'counts_as_standalone_item') }}     as standalone_items_value_eur,
    packages_value_eur + standalone_items_value_eur                          as total_value_eur,
    count(*) filter (where status = 'delivered')                             as delivered_count,
    count(*) filter (where status = 'rejected')                              as rejected_count
from pledges
group by donor_code
