{{ config(meta={'dagster': {'ref': {'name': 'pledges_by_month'}}}) }}  -- shown in Dagster as a check on pledges_by_month
-- pledges_by_month partitions fct_pledges: its counts add up to the pledges per donor, and its
-- package money to donor_totals.packages_value_usd, to the cent. Both are exact sums of cents
-- stored as doubles, and a double below $7 x 10^13 (2^46) holds every cent amount closely enough
-- to give it back as decimal(38, 2); the months are added as decimals, not as doubles, whose
-- rounding already passes a cent at $5 x 10^13 (tests/test_dbt_linear_models.py).
with by_month as (
    select
        donor_code,
        sum(pledges)                                                     as pledges,
        sum(cast(packages_value_usd as decimal(38, 2)))                  as packages_value_usd
    from {{ ref('pledges_by_month') }}
    group by donor_code
)

select totals.donor_code, totals.pledge_count, by_month.pledges,
       totals.packages_value_usd, by_month.packages_value_usd as by_month_packages_value_usd
from {{ ref('donor_totals') }} as totals
full outer join by_month
    on by_month.donor_code = totals.donor_code
where by_month.pledges is distinct from totals.pledge_count
   or by_month.packages_value_usd is distinct from cast(totals.packages_value_usd as decimal(38, 2))
