-- Deduplication: every pledge record (item, package, support) of a current article, assigned to
-- ONE pledge. One row per mention; pledge_id says which pledge it is evidence of.
--
-- 1. Window clusters. Records of the same kind, donor and status, and the same system (items:
--    quantity does not matter) or currency (packages), are read in date order; a record joins the
--    earliest open cluster whose first record was announced at most `dedup_window_days` earlier,
--    that holds no record of its own document and, for packages, whose first value is within
--    `dedup_value_tolerance` of its own. Otherwise it opens a new cluster. So two records of one
--    page are never merged (two Javelin lines of two packages stay two pledges), and a cluster
--    never spans more than the window (two $1 billion packages months apart are two pledges).
-- 2. Undated records cannot be placed in a window: they cluster only within their own text -
--    the records at the same position of documents whose text is identical (one release
--    saved under two addresses); a record of a unique text is a pledge of its own.
-- 3. Status over time. A delivered or rejected cluster of an item or package is evidence of the
--    nearest earlier pledged cluster of the same donor and system (packages: same currency and a
--    value within the tolerance), announced any time strictly before it and sharing no
--    document with it; without one it is a pledge of its own.
-- The pledge's records are ordered by announcement date (undated last), document, position
-- (evidence_rank): the first one gives the evidence columns of fct_pledges.
-- 4. Pledge ids last from one release to the next (see pledge_ids below): a pledge whose records
--    were published before keeps the id they were published under; a new pledge gets a hash of
--    its first mention_id.
-- A table, not a view like the rest of the layer: the walk is computed once per build and read
-- by three marts.
{{ config(materialized='table') }}

{#- The walk's state, and each record it reads: list_reduce wants them of one type (see walked). -#}
{%- set walk_state -%}
struct(
    reading_order bigint,
    kind varchar,
    announced_date date,
    value double,
    document_id varchar,
    open_clusters struct(anchor bigint, anchor_date date, anchor_value double, documents varchar[])[],
    anchors bigint[]
)
{%- endset %}

with

mentions as (
    select
        *,
        -- what two records must share to be reports of the same pledge, besides kind and donor
        case kind
            when 'item' then coalesce(
                system_id, 'name:' || lower(trim(system_name)), 'category:' || category, 'unknown')
            when 'package' then coalesce(currency, 'no currency')
            else ''
        end                                                   as match_key,
        case status when 'rejected' then 3 when 'delivered' then 2 else 1 end as status_rank
    from {{ ref('int_current_mentions') }}
    where kind in ('item', 'package', 'support')
),

ordered as (
    select
        *,
        kind || '|' || donor_code || '|' || status || '|' || match_key as partition_key,
        -- the reading order of all records: by date (undated last), document, position
        row_number() over (
            order by announced_date nulls last, document_id, span_start, mention_id
        )                                                     as reading_order
    from mentions
),

-- The walk below is sequential, so it is split into the largest pieces that cannot affect each
-- other, walked side by side:
-- - packages whose amounts are too far apart ever to match: sorted by amount, a partition's
--   packages start a new value class wherever an amount is more than the tolerance above the one
--   before (with a margin of 1% of the tolerance, far above rounding). Amounts of different
--   classes differ by more than the tolerance, so their records never share a cluster and never
--   change what another one can join. Null amounts match only null amounts: a class of their own.
-- - segments: wherever two consecutive dated records of a class are more than the window apart,
--   every cluster open at the first has closed by the second.
-- Clusters are numbered per partition in the order their first records were read, as the walk
-- opens them.
dated as (
    select
        *,
        case
            when kind <> 'package' then false
            else lag(reading_order) over by_value is null
                or (value is null) <> (lag(value) over by_value is null)
                or coalesce(
                    lag(value) over by_value >= 0
                        and value - lag(value) over by_value
                            > {{ var('dedup_value_tolerance') }} * 1.01 * value,
                    false
                )
        end                                                   as starts_value_class
    from ordered
    where announced_date is not null
    window by_value as (partition by partition_key order by value nulls last, reading_order)
),

classed as (
    select
        *,
        sum(starts_value_class::integer) over (
            partition by partition_key order by value nulls last, reading_order
        )                                                     as value_class
    from dated
),

segmented as (
    select
        *,
        sum(starts_segment::integer) over (
            partition by partition_key, value_class order by reading_order
        )                                                     as segment_no
    from (
        select
            *,
            coalesce(
                announced_date - lag(announced_date) over (
                    partition by partition_key, value_class order by reading_order
                ) > {{ var('dedup_window_days') }},
                true
            )                                                 as starts_segment
        from classed
    )
),

segments as (
    select
        list(
            {
                'reading_order': reading_order,
                'kind': kind,
                'announced_date': announced_date,
                'value': value,
                'document_id': document_id,
                'open_clusters': null,
                'anchors': null
            }::{{ walk_state }}
            order by reading_order
        )                                                     as records
    from segmented
    group by partition_key, value_class, segment_no
),

-- Walk each segment in reading order, one record per step. The state: the clusters opened so far
-- that may still be open (each known by the reading_order of its first record, its anchor), and
-- the anchor of the cluster each record read so far joined. chosen (the inner lambda's
-- parameter) is the earliest open cluster the record can join, null when it opens a new one.
-- Clusters past the window are dropped when a cluster opens; until then the choice skips them.
-- Every value the lambdas read is a lambda parameter: DuckDB 1.5.6's list_reduce pairs a column
-- of the row read inside its lambda with the wrong row when the lists differ in length.
-- The longest segments are walked together (order by): list_reduce steps through a batch of rows
-- as many times as its longest list has elements.
walked as (
    select
        records,
        list_reduce(records, lambda state, record: list_transform(
            [list_filter(state.open_clusters, lambda c:
                record.announced_date - c.anchor_date <= {{ var('dedup_window_days') }}
                and not list_contains(c.documents, record.document_id)
                and (
                    record.kind <> 'package'
                    or coalesce(
                        abs(record.value - c.anchor_value)
                            <= {{ var('dedup_value_tolerance') }} * greatest(abs(record.value), abs(c.anchor_value)),
                        record.value is null and c.anchor_value is null
                    )
                )
            )[1].anchor],
            lambda chosen: {
                'reading_order': null,
                'kind': null,
                'announced_date': null,
                'value': null,
                'document_id': null,
                'open_clusters': case
                    when chosen is null then list_append(
                        list_filter(state.open_clusters, lambda c:
                            record.announced_date - c.anchor_date <= {{ var('dedup_window_days') }}),
                        {
                            'anchor': record.reading_order,
                            'anchor_date': record.announced_date,
                            'anchor_value': record.value,
                            'documents': [record.document_id]
                        }
                    )
                    else list_transform(state.open_clusters, lambda c: case
                        when c.anchor = chosen then {
                            'anchor': c.anchor,
                            'anchor_date': c.anchor_date,
                            'anchor_value': c.anchor_value,
                            'documents': list_append(c.documents, record.document_id)
                        }
                        else c
                    end)
                end,
                'anchors': list_append(state.anchors, coalesce(chosen, record.reading_order))
            }::{{ walk_state }}
        )[1], {
            'reading_order': null,
            'kind': null,
            'announced_date': null,
            'value': null,
            'document_id': null,
            'open_clusters': [],
            'anchors': []
        }::{{ walk_state }})                                  as walked
    from (select * from segments order by len(records) desc)
),

walk as (
    select
        unnest(list_transform(records, lambda r: r.reading_order)) as reading_order,
        unnest(walked.anchors)                                as anchor_order
    from walked
),

clustered as (
    select
        dated.* exclude (starts_value_class),
        dated.partition_key || '#' || dense_rank() over (
            partition by dated.partition_key order by walk.anchor_order
        )                                                     as cluster_key
    from dated
    inner join walk
        on walk.reading_order = dated.reading_order

    union all by name

    select
        *,
        case
            when article_text_hash is null then 'mention:' || mention_id
            else partition_key || '#text:' || article_text_hash || '#' || row_number() over (
                partition by partition_key, article_text_hash, document_id order by reading_order
            )
        end                                                   as cluster_key
    from ordered
    where announced_date is null
),

clusters as (
    select
        cluster_key,
        any_value(kind)                                       as kind,
        any_value(donor_code)                                 as donor_code,
        any_value(status)                                     as status,
        any_value(match_key)                                  as match_key,
        min(reading_order)                                    as anchor_order,
        min(announced_date)                                   as anchor_date,
        arg_min(value, reading_order)                         as anchor_value,
        list(distinct document_id)                            as documents
    from clustered
    group by cluster_key
),

-- a delivered or rejected cluster -> the nearest earlier pledged cluster it reports on
status_links as (
    select
        outcome.cluster_key                                   as outcome_cluster_key,
        pledged.cluster_key                                   as pledged_cluster_key
    from clusters as outcome
    inner join clusters as pledged
        on pledged.kind = outcome.kind
        and pledged.donor_code = outcome.donor_code
        and pledged.match_key = outcome.match_key
        and pledged.status = 'pledged'
        and pledged.anchor_date < outcome.anchor_date
        and not list_has_any(pledged.documents, outcome.documents)
        and (
            outcome.kind <> 'package'
            or coalesce(
                abs(outcome.anchor_value - pledged.anchor_value)
                    <= {{ var('dedup_value_tolerance') }} * greatest(abs(outcome.anchor_value), abs(pledged.anchor_value)),
                outcome.anchor_value is null and pledged.anchor_value is null
            )
        )
    where outcome.status in ('delivered', 'rejected')
        and outcome.kind in ('item', 'package')
    qualify row_number() over (
        partition by outcome.cluster_key
        order by pledged.anchor_date desc, pledged.anchor_order
    ) = 1
),

assigned as (
    select
        clustered.*,
        coalesce(status_links.pledged_cluster_key, clustered.cluster_key) as pledge_key
    from clustered
    left join status_links
        on status_links.outcome_cluster_key = clustered.cluster_key
),

ranked as (
    select
        *,
        row_number() over (partition by pledge_key order by reading_order) as evidence_rank,
        -- the status the pledge holds: the latest delivered or rejected report (ties: rejected
        -- over delivered); a pledge with none is pledged
        first_value(status) over (
            partition by pledge_key
            order by (status <> 'pledged') desc, announced_date desc nulls last, status_rank desc, reading_order
        )                                                     as pledge_status
    from assigned
),

pledges as (
    select
        pledge_key,
        arg_min(mention_id, reading_order)                    as first_mention_id,
        count(distinct document_id)                           as evidence_count,
        min(quantity)                                         as quantity_min,
        max(quantity)                                         as quantity_max,
        count(distinct quantity) > 1 or count(distinct value) > 1 as figures_disagree,
        min(announced_date) filter (where status = pledge_status) as pledge_status_date
    from ranked
    group by pledge_key
),

-- Carrying ids forward. raw.released_pledge_ids holds the id each record was last published
-- under (orchestration/pledge_ids.py writes it after each publication; it outlives dbt's
-- rebuilds). A pledge takes the released id its records share most, so a new report of it - an
-- earlier one too, which becomes its first record - leaves its id alone. An id goes to one pledge
-- only: when pledges merge or split, the pledge and the id must each be the other's best match
-- (most records shared; ties: the one holding the earliest shared record, then the smaller id).
carry_candidates as (
    select
        ranked.pledge_key,
        released.pledge_id                                    as released_pledge_id,
        count(*)                                              as shared_records,
        min(ranked.reading_order)                             as earliest_shared
    from ranked
    inner join {{ ref('stg_released_pledge_ids') }} as released
        on released.mention_id = ranked.mention_id
    group by ranked.pledge_key, released.pledge_id
),

carried as (
    select pledge_key, released_pledge_id
    from carry_candidates
    qualify row_number() over (
            partition by pledge_key order by shared_records desc, earliest_shared, released_pledge_id
        ) = 1
        and row_number() over (
            partition by released_pledge_id order by shared_records desc, earliest_shared, pledge_key
        ) = 1
),

-- Every other pledge is new: the hash of its first mention_id, unless a released pledge had that
-- id (it went to another pledge above), when a second hash keeps the two apart.
pledge_ids as (
    select
        pledges.pledge_key,
        coalesce(
            carried.released_pledge_id,
            case
                when substr(md5(pledges.first_mention_id), 1, 20) in (
                    select pledge_id from {{ ref('stg_released_pledge_ids') }}
                ) then substr(md5('pledge:' || pledges.first_mention_id), 1, 20)
                else substr(md5(pledges.first_mention_id), 1, 20)
            end
        )                                                     as pledge_id
    from pledges
    left join carried
        on carried.pledge_key = pledges.pledge_key
)

select
    pledge_ids.pledge_id,
    ranked.mention_id,
    ranked.evidence_rank,
    pledges.first_mention_id,
    ranked.cluster_key,
    ranked.kind,
    ranked.donor_code,
    ranked.system_id,
    ranked.system_name,
    case when ranked.kind = 'package' then coalesce(ranked.category, 'financial') else ranked.category end as category,
    ranked.is_munition,
    ranked.quantity,
    ranked.quantity_per,
    ranked.quantity_qualifier,
    ranked.value,
    ranked.currency,
    ranked.value_qualifier,
    ranked.value_usd,
    ranked.value_eur,
    ranked.fx_rate_usd,
    ranked.fx_rate_eur,
    ranked.fx_date,
    ranked.status,
    ranked.channel,
    ranked.announced_date,
    ranked.package_mention_id,
    ranked.is_headline_total,
    ranked.document_id,
    ranked.version_id,
    ranked.url,
    ranked.title,
    ranked.publisher,
    ranked.published_date,
    ranked.sentence,
    ranked.rule_trace,
    ranked.span_start,
    ranked.span_end,
    ranked.confidence,
    ranked.extractor_version,
    pledges.evidence_count,
    pledges.quantity_min,
    pledges.quantity_max,
    pledges.figures_disagree,
    ranked.pledge_status,
    pledges.pledge_status_date
from ranked
inner join pledges
    on pledges.pledge_key = ranked.pledge_key
inner join pledge_ids
    on pledge_ids.pledge_key = ranked.pledge_key
