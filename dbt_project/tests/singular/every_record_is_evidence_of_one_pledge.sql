{{ config(meta={'dagster': {'ref': {'name': 'fct_pledge_evidence'}}}) }}  -- shown in Dagster as a check on fct_pledge_evidence
-- Deduplication loses no record: every item, package or support record of a current article is
-- in fct_pledge_evidence (its uniqueness there is tested on mention_id), and nothing else is -
-- except what reviewers decided: a record rejected (itself or its pledge) is left out, a record a
-- reviewer added is in.
with rejected as (
    -- records whose latest reject-or-confirm decision (on the record or on its pledge) is reject
    select deduplicated.mention_id
    from {{ ref('int_pledges_deduplicated') }} as deduplicated
    inner join {{ ref('int_corrections_checked') }} as corrections
        on corrections.problem is null
        and corrections.action in ('reject', 'confirm')
        and corrections.target_id in (deduplicated.mention_id, deduplicated.pledge_id)
    group by deduplicated.mention_id
    having arg_max(corrections.action, {'at': corrections.decided_at, 'id': corrections.correction_id}) = 'reject'
)

select coalesce(records.mention_id, evidence.mention_id) as mention_id,
       records.mention_id is null                        as only_in_evidence
from (
    select mention_id
    from {{ ref('int_current_mentions') }}
    where kind in ('item', 'package', 'support')
        and mention_id not in (select mention_id from rejected)
) as records
full outer join {{ ref('fct_pledge_evidence') }} as evidence
    on evidence.mention_id = records.mention_id
where (records.mention_id is null and not evidence.is_added) or evidence.mention_id is null
