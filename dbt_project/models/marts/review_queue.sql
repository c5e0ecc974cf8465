-- What a reviewer should look at next (`pledges review` lists it):
-- - low_confidence: a record whose confidence is below var('review_confidence_threshold');
-- - new_pledge: a pledge no release has published yet - its pledge_id is not among the ids the
--   last releases published (raw.released_pledge_ids, carried forward by int_pledges_deduplicated;
--   on the first build every pledge). This also catches a pledge that a new extractor version
--   finds in a page fetched long ago.
-- What a correction already decided (the record, or its pledge as a whole) is left out, and so
-- are pledges a reviewer added. One row per reason and target.
with

released as (
    select distinct pledge_id
    from {{ ref('stg_released_pledge_ids') }}
),

records as (
    select *
    from {{ ref('int_pledges_corrected') }}
    where not is_added
),

first_fetches as (
    select document_id, min(fetched_at) as first_fetched_at
    from {{ ref('stg_documents') }}
    group by document_id
),

pledge_first_seen as (
    select records.pledge_id, min(first_fetches.first_fetched_at) as first_seen_at
    from records
    inner join first_fetches
        on first_fetches.document_id = records.document_id
    group by records.pledge_id
),

candidates as (
    select
        'low_confidence'                                      as queue_reason,
        records.mention_id                                    as target_id,
        records.*
    from records
    where records.confidence < {{ var('review_confidence_threshold') }}
        and not records.reviewed

    union all by name

    select
        'new_pledge'                                          as queue_reason,
        records.pledge_id                                     as target_id,
        records.*
    from records
    anti join released
        on released.pledge_id = records.pledge_id
    where records.evidence_rank = 1
        and not records.pledge_reviewed
)

select
    candidates.queue_reason || ':' || candidates.target_id    as queue_item_id,
    candidates.queue_reason,
    candidates.target_id,
    candidates.pledge_id,
    case when candidates.queue_reason = 'low_confidence' then candidates.mention_id end as mention_id,
    candidates.kind,
    candidates.donor_code,
    candidates.system_id,
    candidates.system_name,
    candidates.quantity,
    candidates.value,
    candidates.currency,
    candidates.status,
    candidates.announced_date,
    candidates.confidence,
    candidates.evidence_count,
    pledge_first_seen.first_seen_at,
    candidates.url,
    candidates.sentence,
    candidates.rule_trace
from candidates
left join pledge_first_seen
    on pledge_first_seen.pledge_id = candidates.pledge_id
