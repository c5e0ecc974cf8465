-- Deduplicated pledges by month of first announcement, donor and category. Package money counts
-- packages without headline totals; items_quantity adds one-off item quantities (rate pledges
-- such as "3,000 shells a month" cannot be added); rejected pledges add neither. Undated pledges
-- are in the rows whose month is null.
select
    cast(date_trunc('month', first_announced_date) as date)                 as month,
    donor_code,
    category,
    count(*)                                                                 as pledges,
    count(*) filter (where kind = 'package')                                 as packages,
    {{ exact_money_sum('value_usd',
        "kind = 'package' and not coalesce(is_headline_total, false) and status <> 'rejected'") }}                                                                    as packages_value_usd,
    {{ exact_money_sum('value_eur',
        "kind = 'package' and not coalesce(is_headline_total, false) and status <> 'rejected'") }}                                                                    as packages_value_eur,
    count(*) filter (where kind = 'item')                                    as items,
    cast(sum(quantity) filter (
        where kind = 'item' and quantity_per is null and status <> 'rejected'
    ) as bigint)                                                             as items_quantity
from {{ ref('fct_pledges') }}
group by all
