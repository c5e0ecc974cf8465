-- The reconciliation_reported_totals model as it stood before the daily-aggregate rewrite (commit 921a93c), kept
-- as the reference the rewrite must match row for row (tests/test_dbt_linear_models.py,
-- scripts/benchmark_dbt_models.py). Compiled by hand: dbt's output with the project vars
-- substituted (dedup_window_days 14, dedup_value_tolerance 0.01, all_donor_scopes [UDCG]) and
-- its input named without a database, so the caller decides what it is (a view of the built
-- warehouse, or synthetic rows in the benchmark): fct_reported_totals and fct_pledges.
-- Do not edit to follow the model: it is the old behaviour, on purpose.
with claims as (
    select * from fct_reported_totals
),

pledges as (
    select
        donor_code,
        first_announced_date,
        value_usd,
        status <> 'rejected'
            and value_usd is not null
            and (
                (kind = 'package' and not coalesce(is_headline_total, false))
                or (kind = 'item' and value is not null and package_pledge_id is null)
            )                                                 as is_itemized_money
    from fct_pledges
),

claim_pledges as (
    select
        claims.reported_total_id,
        pledges.*
    from claims
    inner join pledges
        on claims.scope_code in ('UDCG')
        or pledges.donor_code = claims.scope_code
),

periods as (
    select
        claims.reported_total_id,
        coalesce(claims.since_date, min(claim_pledges.first_announced_date)) as period_start,
        claims.as_of_date                                     as period_end
    from claims
    left join claim_pledges
        on claim_pledges.reported_total_id = claims.reported_total_id
    group by claims.reported_total_id, claims.since_date, claims.as_of_date
),

sums as (
    select
        periods.reported_total_id,
        count(claim_pledges.reported_total_id) filter (
            where claim_pledges.is_itemized_money
              and claim_pledges.first_announced_date >= periods.period_start
              and (periods.period_end is null or claim_pledges.first_announced_date <= periods.period_end)
        )                                                     as itemized_pledge_count,
        cast(coalesce(sum(cast(claim_pledges.value_usd as decimal(38, 2))) filter (where claim_pledges.is_itemized_money
              and claim_pledges.first_announced_date >= periods.period_start
              and (periods.period_end is null or claim_pledges.first_announced_date <= periods.period_end)), 0) as double)
                                                              as itemized_value_usd,
        count(claim_pledges.reported_total_id) filter (
            where claim_pledges.is_itemized_money and claim_pledges.first_announced_date is null
        )                                                     as undated_pledges_excluded
    from periods
    left join claim_pledges
        on claim_pledges.reported_total_id = periods.reported_total_id
    group by periods.reported_total_id
)

select
    claims.reported_total_id,
    claims.scope_code,
    claims.scope_name,
    claims.reported_by,
    claims.value                                              as claimed_value,
    claims.currency                                           as claimed_currency,
    claims.value_qualifier,
    claims.value_usd                                          as claimed_value_usd,
    claims.as_of_date,
    claims.since_date,
    periods.period_start,
    periods.period_end,
    sums.itemized_pledge_count,
    sums.itemized_value_usd,
    claims.value_usd - sums.itemized_value_usd                as gap_usd,
    (claims.value_usd - sums.itemized_value_usd) / nullif(claims.value_usd, 0) as gap_share,
    sums.undated_pledges_excluded,
    claims.document_id,
    claims.url,
    claims.sentence
from claims
inner join periods
    on periods.reported_total_id = claims.reported_total_id
inner join sums
    on sums.reported_total_id = claims.reported_total_id
