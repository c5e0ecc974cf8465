-- One row per aggregate claim: a cumulative or coalition total as a publisher reported it.
-- These overlap each other and the pledges they summarize: read them side by side, never sum
-- them (reconciliation_reported_totals sets each beside the itemized pledges of its scope).
select
    mentions.mention_id                                   as reported_total_id,
    mentions.donor_code                                   as scope_code,
    donors.donor_name                                     as scope_name,
    mentions.value,
    mentions.currency,
    mentions.value_qualifier,
    mentions.value_usd,
    mentions.value_eur,
    mentions.fx_date,
    mentions.announced_date                               as as_of_date,
    mentions.since_date,
    coalesce(
        nullif(trim(mentions.publisher), ''),
        nullif(regexp_extract(mentions.url, '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?([^/?#:]+)', 1), '')
    )                                                     as reported_by,
    mentions.document_id,
    mentions.url,
    mentions.sentence
from {{ ref('int_current_mentions') }} as mentions
left join {{ ref('stg_donors') }} as donors
    on donors.donor_code = mentions.donor_code
where mentions.kind = 'aggregate'
