-- What kind of aid each pledge is - military, financial or humanitarian - beside its category
-- (which says "financial" for every money package, a drawdown of weapons included). In order:
--   an item is military aid, unless its category is humanitarian;
--   a package paid through a U.S. channel (PDA, USAI, FMF) or holding items is military aid;
--   else the words of the sentences that report it (seed aid_type_cues): a military word wins,
--   then humanitarian, then financial;
--   else military aid, the aid this warehouse collects (aid_type_basis says "default").
-- Cues match at the start of a word: the sentence is reduced to its words, and the match is a
-- substring test on those (a regular expression built from the seed would not be a constant,
-- which DuckDB compiles again on every row: minutes at 500,000 mentions instead of seconds).
-- Read after the reviewers' corrections, so that an added pledge has its aid type too.
with evidence as (
    select
        pledge_id,
        mention_id,
        kind,
        category,
        channel,
        package_mention_id,
        evidence_rank,
        ' ' || trim(regexp_replace(lower(sentence), '[^\p{L}]+', ' ', 'g')) as words
    from {{ ref('int_pledges_corrected') }}
),

cues as (
    select distinct aid_type, ' ' || trim(regexp_replace(lower(cue), '[^\p{L}]+', ' ', 'g')) as cue
    from {{ ref('aid_type_cues') }}
),

cue_hits as (
    select
        evidence.pledge_id,
        bool_or(cues.aid_type = 'military')     as military_cue,
        bool_or(cues.aid_type = 'humanitarian') as humanitarian_cue,
        bool_or(cues.aid_type = 'financial')    as financial_cue
    from evidence
    inner join cues
        on contains(evidence.words, cues.cue)
    where evidence.kind <> 'item'
    group by evidence.pledge_id
),

packages_with_items as (
    select distinct packages.pledge_id
    from evidence as items
    inner join evidence as packages
        on packages.mention_id = items.package_mention_id
    where items.kind = 'item' and packages.kind = 'package'
),

pledges as (
    select
        pledge_id,
        arg_min(kind, evidence_rank)     as kind,
        arg_min(category, evidence_rank) as category,
        bool_or(channel is not null)     as has_channel
    from evidence
    group by pledge_id
),

decided as (
    select
        pledges.pledge_id,
        case
            when pledges.kind = 'item' and pledges.category = 'humanitarian'
                then ['humanitarian', 'item category']
            when pledges.kind = 'item' then ['military', 'item']
            when pledges.has_channel then ['military', 'channel']
            when packages_with_items.pledge_id is not null then ['military', 'items in package']
            when cue_hits.military_cue then ['military', 'words']
            when cue_hits.humanitarian_cue then ['humanitarian', 'words']
            when cue_hits.financial_cue then ['financial', 'words']
            else ['military', 'default']
        end as decision
    from pledges
    left join packages_with_items
        on packages_with_items.pledge_id = pledges.pledge_id
    left join cue_hits
        on cue_hits.pledge_id = pledges.pledge_id
)

select
    pledge_id,
    decision[1] as aid_type,
    decision[2] as aid_type_basis
from decided
