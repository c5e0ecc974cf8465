-- Every reported total beside what the itemized pledges of its scope add up to over the same
-- period, in US dollars. Scope: the codes in var all_donor_scopes (UDCG) cover every donor; any
-- other code (USA, DEU, EU...) covers that donor's own pledges. Period: from since_date (or the
-- scope's earliest dated pledge when none is stated) to as_of_date (open-ended when the claim has
-- no date). Itemized money is counted as in donor_totals: packages without headline totals plus
-- stand-alone items with a value, rejected pledges excluded; undated pledges cannot be placed in
-- a period and are counted apart.
with claims as (
    select * from {{ ref('fct_reported_totals') }}
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
    from {{ ref('fct_pledges') }}
),

claim_pledges as (
    select
        claims.reported_total_id,
        pledges.*
    from claims
    inner join pledges
        on claims.scope_code in (
            {%- for scope in var('all_donor_scopes') %}'{{ scope }}'{{ ", " if not loop.last }}{% endfor -%}
        )
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
        {{ exact_money_sum('claim_pledges.value_usd',
            "claim_pledges.is_itemized_money
              and claim_pledges.first_announced_date >= periods.period_start
              and (periods.period_end is null or claim_pledges.first_announced_date <= periods.period_end)") }}
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
