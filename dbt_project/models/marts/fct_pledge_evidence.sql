-- The bridge between pledges and their reports: one row per (pledge, mention), with what that
-- document said. A pledge reported by three pages has three rows here and one in fct_pledges.
-- The record's own fields (kind, donor, system, figures, status, channel, date) make this the
-- per-document view of the pledges, as the extractor read them and reviewers corrected them
-- (`corrected`, `correction_reason`; a rejected record is not here, an added one is).
select
    pledge_id,
    mention_id,
    evidence_rank,
    document_id,
    url,
    title,
    publisher,
    announced_date,
    kind,
    donor_code,
    system_id,
    system_name,
    category,
    is_munition,
    quantity,
    quantity_per,
    quantity_qualifier,
    value,
    currency,
    value_qualifier,
    value_usd,
    value_eur,
    status,
    channel,
    is_headline_total,
    sentence,
    rule_trace,
    span_start,
    span_end,
    confidence,
    extractor_version,
    corrected,
    correction_reason,
    confirmed,
    is_added
from {{ ref('int_pledges_corrected') }}
