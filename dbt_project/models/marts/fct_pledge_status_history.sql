-- Status over time: one row per pledge and status it was reported with, at the first date it was
-- reported so and by the first document that did (in reading order). The row whose status is the
-- pledge's current status (fct_pledges.status) has is_current_status.
select
    pledge_id,
    status,
    min(announced_date)                                       as first_reported_date,
    arg_min(document_id, evidence_rank)                       as document_id,
    arg_min(url, evidence_rank)                               as url,
    arg_min(mention_id, evidence_rank)                        as mention_id,
    count(*)                                                  as report_count,
    count(distinct document_id)                               as document_count,
    bool_or(status = pledge_status)                           as is_current_status
from {{ ref('int_pledges_corrected') }}
group by pledge_id, status
