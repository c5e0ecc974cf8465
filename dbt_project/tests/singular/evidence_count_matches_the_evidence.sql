{{ config(meta={'dagster': {'ref': {'name': 'fct_pledges'}}}) }}  -- shown in Dagster as a check on fct_pledges
-- Every pledge's evidence_count is the number of distinct documents among its rows in
-- fct_pledge_evidence (an added record's url when it has no document), and its evidence columns are those of its first (evidence_rank 1) row.
select pledges.pledge_id, pledges.evidence_count, evidence.documents
from {{ ref('fct_pledges') }} as pledges
left join (
    select
        pledge_id,
        -- a reviewer's pledge on a page the warehouse does not hold counts its url
        count(distinct coalesce(document_id, 'url:' || url)) as documents,
        arg_min(mention_id, evidence_rank)                   as first_mention_id
    from {{ ref('fct_pledge_evidence') }}
    group by pledge_id
) as evidence
    on evidence.pledge_id = pledges.pledge_id
where evidence.documents is distinct from pledges.evidence_count
   or evidence.first_mention_id is distinct from pledges.first_mention_id
