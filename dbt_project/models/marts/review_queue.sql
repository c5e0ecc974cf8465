-- What a reviewer should look at next (`pledges review` lists it):
-- - low_confidence: a record whose confidence is below var('review_confidence_threshold');
-- - new_pledge: a pledge first seen after the release this build replaces - every page reporting
--   it was first fetched after the published warehouse file was written (on the first build,
--   with no release yet, every pledge). A pledge that a new extractor version finds in a page
--   fetched earlier is not new by this rule; it comes to review only through its confidence.
-- What a correction already decided (the record, or its pledge as a whole) is left out, and so
-- are pledges a reviewer added. One row per reason and target.
{%- set published = published_warehouse_path() %}

with

release as (
    -- the file's modification time, without reading it; no file: no release yet
    select max(timezone('UTC', last_modified))                as published_at
    from read_blob({{ sql_string(published) }})
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
    inner join pledge_first_seen
        on pledge_first_seen.pledge_id = records.pledge_id
    cross join release
    where records.evidence_rank = 1
        and not records.pledge_reviewed
        and (release.published_at is null or pledge_first_seen.first_seen_at > release.published_at)
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
