-- The int_pledges_deduplicated model as it stood before the linear-time rewrite (commit 921a93c), kept
-- as the reference the rewrite must match row for row (tests/test_dbt_linear_models.py,
-- scripts/benchmark_dbt_models.py). Compiled by hand: dbt's output with the project vars
-- substituted (dedup_window_days 14, dedup_value_tolerance 0.01, all_donor_scopes [UDCG]) and
-- its input named without a database, so the caller decides what it is (a view of the built
-- warehouse, or synthetic rows in the benchmark): int_current_mentions.
-- Do not edit to follow the model: it is the old behaviour, on purpose.
with recursive

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
    from int_current_mentions
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

dated as (
    select
        *,
        row_number() over (partition by partition_key order by reading_order) as position
    from ordered
    where announced_date is not null
),

-- Walk each partition in date order, one record per step, keeping the clusters still open
-- (first record at most the window earlier) as state.
walk as (
    select
        partition_key,
        position,
        1                                                     as cluster_no,
        1                                                     as clusters_opened,
        [{
            'no': 1,
            'anchor_date': announced_date,
            'anchor_value': value,
            'documents': [document_id]
        }]                                                    as open_clusters
    from dated
    where position = 1

    union all

    select
        partition_key,
        position,
        coalesce(chosen.no, clusters_opened + 1)              as cluster_no,
        clusters_opened + case when chosen is null then 1 else 0 end as clusters_opened,
        list_filter(
            case
                when chosen is null then list_append(open_clusters, {
                    'no': clusters_opened + 1,
                    'anchor_date': announced_date,
                    'anchor_value': value,
                    'documents': [document_id]
                })
                else list_transform(open_clusters, lambda c: case
                    when c.no = chosen.no then {
                        'no': c.no,
                        'anchor_date': c.anchor_date,
                        'anchor_value': c.anchor_value,
                        'documents': list_append(c.documents, document_id)
                    }
                    else c
                end)
            end,
            lambda c: announced_date - c.anchor_date <= 14
        )                                                     as open_clusters
    from (
        select
            step.partition_key,
            step.position,
            step.announced_date,
            step.value,
            step.document_id,
            walk.clusters_opened,
            walk.open_clusters,
            list_filter(walk.open_clusters, lambda c:
                step.announced_date - c.anchor_date <= 14
                and not list_contains(c.documents, step.document_id)
                and (
                    step.kind <> 'package'
                    or coalesce(
                        abs(step.value - c.anchor_value)
                            <= 0.01 * greatest(abs(step.value), abs(c.anchor_value)),
                        step.value is null and c.anchor_value is null
                    )
                )
            )[1]                                              as chosen
        from walk
        inner join dated as step
            on step.partition_key = walk.partition_key
            and step.position = walk.position + 1
    )
),

clustered as (
    select
        dated.* exclude (position),
        dated.partition_key || '#' || walk.cluster_no         as cluster_key
    from dated
    inner join walk
        on walk.partition_key = dated.partition_key
        and walk.position = dated.position

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
                    <= 0.01 * greatest(abs(outcome.anchor_value), abs(pledged.anchor_value)),
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
)

select
    substr(md5(pledges.first_mention_id), 1, 20)              as pledge_id,
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
