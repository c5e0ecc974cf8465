-- Every correction line (stg_corrections) with what it is about and whether it can apply to this
-- build. Corrections are keyed by the stable ids: a target_id is a record (a mention_id of
-- int_pledges_deduplicated), a pledge (a pledge_id), or a pledge a reviewer added earlier
-- ('added-' followed by the add's correction_id). A line that cannot apply - its target is not in
-- this build, a cell that does not read, a donor or system not in the reference data - keeps a
-- `problem` and applies to nothing; fct_corrections lists it and a warning check reports it.
with

corrections as (
    select
        *,
        count(*) over (partition by correction_id)            as lines_with_this_id
    from {{ ref('stg_corrections') }}
),

records as (
    select mention_id, pledge_id
    from {{ ref('int_pledges_deduplicated') }}
),

pledges as (
    select distinct pledge_id
    from records
),

-- a system named by its id or its canonical name, in any letter case
system_names as (
    select lower(system_id) as name, system_id from {{ ref('stg_systems') }}
    union
    select lower(canonical_name), system_id from {{ ref('stg_systems') }}
),

resolved as (
    select
        corrections.*,
        case when corrections.action = 'add' then coalesce(
            corrections.kind,
            case
                when corrections.system is not null then 'item'
                when corrections.value is not null then 'package'
                else 'support'
            end
        ) end                                                 as added_kind,
        (
            select any_value(system_names.system_id)
            from system_names
            where system_names.name = lower(corrections.system)
        )                                                     as system_id,
        donors.donor_code is not null                         as donor_known
    from corrections
    left join {{ ref('stg_donors') }} as donors
        on donors.donor_code = corrections.donor_code
),

-- what is wrong with the line itself, whatever the build holds (first problem found)
checked_lines as (
    select
        *,
        case
            when correction_id is null then 'no correction_id'
            when lines_with_this_id > 1 then 'correction_id ' || correction_id || ' is used by more than one line'
            when action is null or action not in ('reject', 'confirm', 'set', 'add')
                then 'unknown action ' || coalesce('"' || action || '"', '(empty)') || ' (reject, confirm, set or add)'
            when reason is null then 'no reason'
            when reviewer is null then 'no reviewer'
            when decided_at is null then 'no decided_at, or not a timestamp'
            when len(unreadable_fields) > 0 then 'unreadable ' || array_to_string(unreadable_fields, ', ')
            when donor_code is not null and not donor_known then 'unknown donor ' || donor_code
            when system is not null and system_id is null then 'unknown system ' || system
            when kind is not null and kind not in ('item', 'package', 'support')
                then 'unknown kind ' || kind || ' (item, package or support)'
            when status is not null and status not in ('{{ var("pledge_statuses") | join("', '") }}')
                then 'unknown status ' || status
            when currency is not null and not regexp_full_match(currency, '[A-Z]{3}')
                then 'currency ' || currency || ' is not a three-letter ISO code'
            when quantity < 0 or value < 0 then 'negative quantity or value'
            when announced_date > current_date then 'date ' || announced_date || ' is in the future'
            when action = 'add' and target_id is not null then 'add takes no target_id'
            when action = 'add' and (donor_code is null or url is null or sentence is null)
                then 'add needs donor, url and sentence'
            when action = 'add' and added_kind = 'item' and system_id is null then 'an added item needs a system'
            when action = 'add' and added_kind = 'package' and (value is null or currency is null)
                then 'an added package needs a value and currency'
            when action <> 'add' and target_id is null then action || ' needs a target_id'
            when action = 'set' and coalesce(donor_code, system, quantity::varchar, value::varchar, currency,
                                             status, announced_date::varchar) is null
                then 'set changes no field'
        end                                                   as line_problem
    from resolved
),

added as (
    select 'added-' || correction_id                          as pledge_id
    from checked_lines
    where action = 'add' and line_problem is null
)

select
    checked_lines.* exclude (lines_with_this_id, donor_known, line_problem),
    case
        when checked_lines.action = 'add' then 'new pledge'
        when records.mention_id is not null then 'record'
        when pledges.pledge_id is not null or added.pledge_id is not null then 'pledge'
    end                                                       as target_type,
    case
        when checked_lines.action = 'add' then 'added-' || checked_lines.correction_id
        else coalesce(records.pledge_id, pledges.pledge_id, added.pledge_id)
    end                                                       as pledge_id,
    coalesce(
        checked_lines.line_problem,
        case
            when checked_lines.action <> 'add'
                and records.mention_id is null and pledges.pledge_id is null and added.pledge_id is null
                then 'target not found: no record or pledge ' || checked_lines.target_id || ' in this build'
        end
    )                                                         as problem
from checked_lines
left join records
    on records.mention_id = checked_lines.target_id
left join pledges
    on pledges.pledge_id = checked_lines.target_id
left join added
    on added.pledge_id = checked_lines.target_id
