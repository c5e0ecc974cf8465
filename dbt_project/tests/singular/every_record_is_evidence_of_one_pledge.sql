{{ config(meta={'dagster': {'ref': {'name': 'fct_pledge_evidence'}}}) }}  -- shown in Dagster as a check on fct_pledge_evidence
-- Deduplication loses no record: every item, package or support record of a current article is
-- in fct_pledge_evidence (its uniqueness there is tested on mention_id), and nothing else is.
select coalesce(records.mention_id, evidence.mention_id) as mention_id,
       records.mention_id is null                        as only_in_evidence
from (
    select mention_id
    from {{ ref('int_current_mentions') }}
    where kind in ('item', 'package', 'support')
) as records
full outer join {{ ref('fct_pledge_evidence') }} as evidence
    on evidence.mention_id = records.mention_id
where records.mention_id is null or evidence.mention_id is null
