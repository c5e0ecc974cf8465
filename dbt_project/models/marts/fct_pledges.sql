-- One row per pledge after deduplication (int_pledges_deduplicated): the same claim reported by
-- several documents is one row, its reports are in fct_pledge_evidence. Aggregate claims ("more
-- than $95 billion since 2022") are in fct_reported_totals and never here.
-- Reviewers' corrections are applied (int_pledges_corrected): rejected records and pledges are
-- left out, `corrected` and `correction_reason` say what a reviewer changed.
-- Figures come from the earliest record that states them (records in reading order: announcement
-- date, document, position), never averaged; the evidence columns are the earliest record's.
with evidence as (
    select * from {{ ref('int_pledges_corrected') }}
),

pledges as (
    select
        pledge_id,
        arg_min(
            {
                'quantity': quantity,
                'quantity_per': quantity_per,
                'quantity_qualifier': quantity_qualifier
            },
            evidence_rank
        ) filter (where quantity is not null)                 as stated_quantity,
        arg_min(
            {
                'value': value,
                'currency': currency,
                'value_qualifier': value_qualifier,
                'value_usd': value_usd,
                'value_eur': value_eur,
                'fx_rate_usd': fx_rate_usd,
                'fx_rate_eur': fx_rate_eur,
                'fx_date': fx_date
            },
            evidence_rank
        ) filter (where value is not null)                    as stated_value,
        arg_min(channel, evidence_rank) filter (where channel is not null) as channel,
        arg_min(package_mention_id, evidence_rank) filter (where package_mention_id is not null) as package_mention_id,
        -- a headline total in any report: never add it to the packages it sums
        bool_or(is_headline_total)                            as is_headline_total
    from evidence
    group by pledge_id
),

package_of_mention as (
    select mention_id, pledge_id
    from evidence
    where kind = 'package'
)

select
    earliest.pledge_id,
    earliest.kind,
    earliest.donor_code,
    donors.donor_name,
    earliest.system_id,
    coalesce(systems.canonical_name, earliest.system_name)      as system_name,
    earliest.category,
    aid_types.aid_type,
    aid_types.aid_type_basis,
    earliest.is_munition,
    pledges.stated_quantity.quantity                          as quantity,
    earliest.quantity_min,
    earliest.quantity_max,
    pledges.stated_quantity.quantity_per                      as quantity_per,
    pledges.stated_quantity.quantity_qualifier                as quantity_qualifier,
    pledges.stated_value.value                                as value,
    pledges.stated_value.currency                             as currency,
    pledges.stated_value.value_qualifier                      as value_qualifier,
    pledges.stated_value.value_usd                            as value_usd,
    pledges.stated_value.value_eur                            as value_eur,
    pledges.stated_value.fx_rate_usd                          as fx_rate_usd,
    pledges.stated_value.fx_rate_eur                          as fx_rate_eur,
    pledges.stated_value.fx_date                              as fx_date,
    earliest.pledge_status                                       as status,
    earliest.pledge_status_date                                  as status_date,
    earliest.announced_date                                      as first_announced_date,
    earliest.announced_date,
    pledges.channel,
    package_of_mention.pledge_id                              as package_pledge_id,
    pledges.is_headline_total,
    earliest.evidence_count,
    earliest.figures_disagree,
    earliest.mention_id                                          as first_mention_id,
    earliest.document_id,
    earliest.url,
    earliest.title,
    earliest.publisher,
    earliest.sentence,
    earliest.span_start,
    earliest.span_end,
    earliest.confidence,
    earliest.extractor_version,
    earliest.pledge_corrected                                    as corrected,
    earliest.pledge_correction_reason                            as correction_reason,
    earliest.pledge_confirmed                                    as confirmed,
    earliest.is_added
from evidence as earliest
inner join pledges
    on pledges.pledge_id = earliest.pledge_id
left join package_of_mention
    on package_of_mention.mention_id = pledges.package_mention_id
left join {{ ref('stg_donors') }} as donors
    on donors.donor_code = earliest.donor_code
left join {{ ref('stg_systems') }} as systems
    on systems.system_id = earliest.system_id
left join {{ ref('int_pledge_aid_types') }} as aid_types
    on aid_types.pledge_id = earliest.pledge_id
where earliest.evidence_rank = 1
