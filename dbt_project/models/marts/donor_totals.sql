-- One row per donor with at least one pledge. Money is counted once: package amounts except
-- headline totals (which restate the sum of their parts), plus items that carry a value of their
-- own and belong to no package (an item inside a package is already in the package amount).
-- Rejected records are counted in rejected_count but add no money.
select
    donor_code,
    any_value(donor_name)                                                    as donor_name,
    count(*)                                                                 as pledge_count,
    count(*) filter (where kind = 'item')                                    as item_count,
    count(*) filter (where kind = 'package')                                 as package_count,
    count(*) filter (where kind = 'support')                                 as support_count,
    coalesce(sum(value_usd) filter (
        where kind = 'package'
          and not coalesce(is_headline_total, false)
          and status <> 'rejected'
    ), 0)                                                                    as packages_value_usd,
    coalesce(sum(value_usd) filter (
        where kind = 'item'
          and value is not null
          and package_pledge_id is null
          and status <> 'rejected'
    ), 0)                                                                    as standalone_items_value_usd,
    packages_value_usd + standalone_items_value_usd                          as total_value_usd,
    count(*) filter (where status = 'delivered')                             as delivered_count,
    count(*) filter (where status = 'rejected')                              as rejected_count
from {{ ref('fct_pledges') }}
group by donor_code
