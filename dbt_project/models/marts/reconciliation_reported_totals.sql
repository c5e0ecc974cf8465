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

-- Pledges are added per scope and day before they meet the claims: a claim reads one row per day
-- of its scope, never every pledge (a claim of all donors would otherwise read them all).
-- scope_key: the donor, or null for the scopes covering every donor. Money stays an exact decimal
-- until the claim's sum, so the sum is the same as adding the pledges one by one.
scope_days as (
    select
        donor_code                                            as scope_key,  -- null: the day of every donor
        first_announced_date                                  as day,
        count(*) filter (where is_itemized_money)             as itemized_pledges,
        sum(cast(value_usd as decimal(38, 2))) filter (where is_itemized_money) as itemized_value_usd
    from pledges
    group by grouping sets ((donor_code, first_announced_date), (first_announced_date))
),

claim_days as (
    select
        claims.reported_total_id,
        claims.since_date,
        claims.as_of_date,
        scope_days.day,
        scope_days.itemized_pledges,
        scope_days.itemized_value_usd
    from claims
    left join scope_days
        on scope_days.scope_key is not distinct from case
            when claims.scope_code in (
                {%- for scope in var('all_donor_scopes') %}'{{ scope }}'{{ ", " if not loop.last }}{% endfor -%}
            ) then null
            else claims.scope_code
        end
),

periods as (
    select
        reported_total_id,
        coalesce(since_date, min(day))                        as period_start,
        as_of_date                                            as period_end
    from claim_days
    group by reported_total_id, since_date, as_of_date
),

sums as (
    select
        periods.reported_total_id,
        cast(coalesce(sum(claim_days.itemized_pledges) filter (
            where claim_days.day >= periods.period_start
              and (periods.period_end is null or claim_days.day <= periods.period_end)
        ), 0) as bigint)                                      as itemized_pledge_count,
        {{ exact_money_sum('claim_days.itemized_value_usd',
            "claim_days.day >= periods.period_start
              and (periods.period_end is null or claim_days.day <= periods.period_end)") }}
                                                              as itemized_value_usd,
        cast(coalesce(sum(claim_days.itemized_pledges) filter (
            where claim_days.day is null
        ), 0) as bigint)                                      as undated_pledges_excluded
    from periods
    inner join claim_days
        on claim_days.reported_total_id = periods.reported_total_id
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
