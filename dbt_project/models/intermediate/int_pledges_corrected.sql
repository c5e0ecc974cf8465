-- The deduplicated records (int_pledges_deduplicated) with the reviewers' corrections applied: one
-- row per record, as there, plus one per pledge a reviewer added. The marts read this model.
-- - reject: a rejected record is left out; a rejected pledge is left out with all its records.
-- - confirm: the record (or every record of the pledge) is marked confirmed; nothing changes.
-- - set: the fields given replace the record's (or every record's of the pledge); money in another
--   currency than the page's loses its conversion (the day's rates belong to the page's currency).
-- - add: a record of its own pledge ('added-' || correction_id), on the page of its url when the
--   warehouse holds it.
-- When decisions on one target disagree, the latest (decided_at, then correction_id) wins.
-- Corrections apply after deduplication: they never merge or split pledges. The pledge-level
-- columns (evidence_rank and count, figure ranges, current status) are computed again from the
-- records kept, by the same rules as int_pledges_deduplicated.
{{ config(materialized='table') }}

with

corrections as (
    select
        *,
        {'decided_at': decided_at, 'correction_id': correction_id} as decision_order
    from {{ ref('int_corrections_checked') }}
    where problem is null
),

-- the pages reviewers' added pledges cite, only: every article's text through a window took
-- more than the build's memory at 100,000 pages
pages as (
    select document_id, version_id, url, title, publisher, published_date, text
    from {{ ref('int_current_articles') }}
    where url in (select url from corrections where action = 'add')
    qualify row_number() over (partition by url order by document_id) = 1
),

added as (
    select
        corrections.pledge_id,
        corrections.pledge_id                                 as mention_id,
        1                                                     as evidence_rank,
        corrections.added_kind                                as kind,
        corrections.donor_code,
        corrections.system_id,
        systems.canonical_name                                as system_name,
        case
            when corrections.added_kind = 'package' then 'financial'
            else systems.category
        end                                                   as category,
        systems.is_munition,
        corrections.quantity,
        corrections.value,
        corrections.currency,
        case when corrections.currency = 'USD' then corrections.value end as value_usd,
        case when corrections.currency = 'EUR' then corrections.value end as value_eur,
        coalesce(corrections.status, 'pledged')               as status,
        corrections.announced_date,
        false                                                 as is_headline_total,
        pages.document_id,
        pages.version_id,
        corrections.url,
        pages.title,
        pages.publisher,
        pages.published_date,
        corrections.sentence,
        'added by a reviewer'                                 as rule_trace,
        -- where the sentence is on the stored page, if it is there word for word
        (nullif(strpos(pages.text, corrections.sentence), 0) - 1)::integer as span_start,
        (nullif(strpos(pages.text, corrections.sentence), 0) - 1 + length(corrections.sentence))::integer as span_end,
        true                                                  as is_added
    from corrections
    left join {{ ref('stg_systems') }} as systems
        on systems.system_id = corrections.system_id
    left join pages
        on pages.url = corrections.url
    where corrections.action = 'add'
),

records as (
    select * from {{ ref('int_pledges_deduplicated') }}
    union all by name
    select * from added
),

-- every correction that applies, with each record it concerns
touching as (
    select records.mention_id, records.pledge_id, corrections.* exclude (pledge_id)
    from records
    inner join corrections
        on corrections.target_type = 'record' and corrections.target_id = records.mention_id
    union all
    select records.mention_id, records.pledge_id, corrections.* exclude (pledge_id)
    from records
    inner join corrections
        on corrections.target_type = 'pledge' and corrections.target_id = records.pledge_id
    union all
    select records.mention_id, records.pledge_id, corrections.* exclude (pledge_id)
    from records
    inner join corrections
        on corrections.action = 'add' and corrections.pledge_id = records.mention_id
),

decisions as (
    select
        mention_id,
        arg_max(action, decision_order) filter (where action in ('reject', 'confirm')) as verdict,
        arg_max(donor_code, decision_order) filter (where action = 'set' and donor_code is not null) as set_donor_code,
        arg_max(system_id, decision_order) filter (where action = 'set' and system_id is not null) as set_system_id,
        arg_max(quantity, decision_order) filter (where action = 'set' and quantity is not null) as set_quantity,
        arg_max(value, decision_order) filter (where action = 'set' and value is not null) as set_value,
        arg_max(currency, decision_order) filter (where action = 'set' and currency is not null) as set_currency,
        arg_max(status, decision_order) filter (where action = 'set' and status is not null) as set_status,
        arg_max(announced_date, decision_order) filter (where action = 'set' and announced_date is not null) as set_date,
        arg_max(reason, decision_order) filter (where action in ('reject', 'confirm')) as verdict_reason,
        list(reason order by decision_order) filter (where action in ('set', 'add')) as change_reasons
    from touching
    group by mention_id
),

applied as (
    select
        records.* replace (
            coalesce(decisions.set_donor_code, records.donor_code) as donor_code,
            coalesce(decisions.set_system_id, records.system_id) as system_id,
            case
                when decisions.set_system_id is null then records.system_name
                else set_systems.canonical_name
            end                                               as system_name,
            case
                when decisions.set_system_id is null or records.kind = 'package' then records.category
                else set_systems.category
            end                                               as category,
            case
                when decisions.set_system_id is null then records.is_munition
                else set_systems.is_munition
            end                                               as is_munition,
            coalesce(decisions.set_quantity, records.quantity) as quantity,
            coalesce(decisions.set_value, records.value)      as value,
            coalesce(decisions.set_currency, records.currency) as currency,
            {#- A new amount keeps the page's rates; a new currency drops them (and the conversions):
                the rate of another currency on that day is not what the page was converted with. #}
            {%- set currency_changed = "decisions.set_currency is not null and decisions.set_currency is distinct from records.currency" %}
            {%- for code, suffix in [('USD', 'usd'), ('EUR', 'eur')] %}
            case
                when decisions.set_value is null and decisions.set_currency is null then records.value_{{ suffix }}
                when coalesce(decisions.set_currency, records.currency) = '{{ code }}'
                    then coalesce(decisions.set_value, records.value)
                when not ({{ currency_changed }})
                    then round(coalesce(decisions.set_value, records.value) * records.fx_rate_{{ suffix }}, 2)
            end                                               as value_{{ suffix }},
            {%- endfor %}
            {%- for rate_column in ['fx_rate_usd', 'fx_rate_eur', 'fx_date'] %}
            case when {{ currency_changed }} then null else records.{{ rate_column }} end as {{ rate_column }},
            {%- endfor %}
            coalesce(decisions.set_status, records.status)    as status,
            coalesce(decisions.set_date, records.announced_date) as announced_date
        ),
        coalesce(decisions.verdict = 'reject', false)         as rejected,
        coalesce(decisions.verdict = 'confirm', false)        as confirmed,
        -- a reviewer decided something about this record, or about its whole pledge
        decisions.mention_id is not null                      as reviewed,
        decisions.change_reasons is not null                  as corrected,
        array_to_string(decisions.change_reasons, '; ')       as correction_reason,
        -- what changed the pledge through this record: its sets, and its rejection if it holds
        list_concat(
            coalesce(decisions.change_reasons, []),
            case when decisions.verdict = 'reject' then [decisions.verdict_reason] else [] end
        )                                                     as pledge_change_reasons
    from records
    left join decisions
        on decisions.mention_id = records.mention_id
    left join {{ ref('stg_systems') }} as set_systems
        on set_systems.system_id = decisions.set_system_id
),

-- why each pledge differs from what the extractor made of the pages (rejections included)
pledge_reasons as (
    select
        pledge_id,
        string_agg(distinct reason, '; ' order by reason)     as reasons
    from (select pledge_id, unnest(pledge_change_reasons) as reason from applied)
    group by pledge_id
),

kept as (
    select
        * exclude (rejected, pledge_change_reasons) replace (
            row_number() over (partition by pledge_id order by evidence_rank, mention_id) as evidence_rank
        ),
        case status when 'rejected' then 3 when 'delivered' then 2 else 1 end as status_rank
    from applied
    where not rejected
),

-- the pledge's current status: its latest delivered or rejected report (ties: rejected over
-- delivered), else pledged - as in int_pledges_deduplicated
with_status as (
    select
        * replace (
            first_value(status) over (
                partition by pledge_id
                order by (status <> 'pledged') desc, announced_date desc nulls last, status_rank desc, evidence_rank
            )                                                 as pledge_status
        )
    from kept
),

pledges as (
    select
        pledge_id,
        arg_min(mention_id, evidence_rank)                    as first_mention_id,
        -- a reviewer's record on a page the warehouse does not hold counts its url as a document
        count(distinct coalesce(document_id, 'url:' || url))  as evidence_count,
        min(quantity)                                         as quantity_min,
        max(quantity)                                         as quantity_max,
        count(distinct quantity) > 1 or count(distinct value) > 1 as figures_disagree,
        min(announced_date) filter (where status = pledge_status) as pledge_status_date,
        bool_and(confirmed)                                   as pledge_confirmed,
        bool_and(reviewed)                                    as pledge_reviewed
    from with_status
    group by pledge_id
)

select
    with_status.* exclude (status_rank) replace (
        pledges.first_mention_id                              as first_mention_id,
        pledges.evidence_count                                as evidence_count,
        pledges.quantity_min                                  as quantity_min,
        pledges.quantity_max                                  as quantity_max,
        pledges.figures_disagree                              as figures_disagree,
        pledges.pledge_status_date                            as pledge_status_date,
        coalesce(with_status.is_added, false)                 as is_added
    ),
    pledge_reasons.reasons is not null                        as pledge_corrected,
    pledge_reasons.reasons                                    as pledge_correction_reason,
    pledges.pledge_confirmed,
    pledges.pledge_reviewed
from with_status
inner join pledges
    on pledges.pledge_id = with_status.pledge_id
left join pledge_reasons
    on pledge_reasons.pledge_id = with_status.pledge_id
