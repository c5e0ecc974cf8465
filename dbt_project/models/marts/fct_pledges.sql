-- One row per pledge record (item, package or support) of a current article. Aggregate claims
-- ("more than $95 billion since 2022") are in fct_reported_totals and never here.
select
    mentions.mention_id                                   as pledge_id,
    mentions.kind,
    mentions.donor_code,
    donors.donor_name,
    mentions.system_id,
    coalesce(systems.canonical_name, mentions.system_name) as system_name,
    mentions.category,
    mentions.is_munition,
    mentions.quantity,
    mentions.quantity_per,
    mentions.quantity_qualifier,
    mentions.value,
    mentions.currency,
    mentions.value_qualifier,
    mentions.value_usd,
    mentions.fx_rate_usd,
    mentions.status,
    mentions.channel,
    mentions.announced_date,
    mentions.package_mention_id                           as package_pledge_id,
    mentions.is_headline_total,
    mentions.document_id,
    mentions.url,
    mentions.title,
    mentions.publisher,
    mentions.sentence,
    mentions.span_start,
    mentions.span_end,
    mentions.confidence,
    mentions.extractor_version
from {{ ref('int_current_mentions') }} as mentions
left join {{ ref('stg_donors') }} as donors
    on donors.donor_code = mentions.donor_code
left join {{ ref('stg_systems') }} as systems
    on systems.system_id = mentions.system_id
where mentions.kind in ('item', 'package', 'support')
