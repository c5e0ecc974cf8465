{{ config(meta={'dagster': {'ref': {'name': 'pledges_by_month'}}}) }}  -- shown in Dagster as a check on pledges_by_month
-- pledges_by_month partitions fct_pledges: its counts add up to the pledges per donor, and its
-- package money to donor_totals.packages_value_usd (within a cent per donor, float sums).
with by_month as (
    select donor_code, sum(pledges) as pledges, sum(packages_value_usd) as packages_value_usd
    from {{ ref('pledges_by_month') }}
    group by donor_code
)

select totals.donor_code, totals.pledge_count, by_month.pledges,
       totals.packages_value_usd, by_month.packages_value_usd as by_month_packages_value_usd
from {{ ref('donor_totals') }} as totals
full outer join by_month
    on by_month.donor_code = totals.donor_code
where by_month.pledges is distinct from totals.pledge_count
   or abs(coalesce(by_month.packages_value_usd, -1) - coalesce(totals.packages_value_usd, -2)) > 0.01
