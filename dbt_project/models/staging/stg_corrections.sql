-- One row per line of the reviewers' corrections files (corrections/*.csv, see its README),
-- every cell read as text and cast here. A cell that does not read as its type becomes null and is
-- named in unreadable_fields, so that int_corrections_checked reports the line as not applied
-- instead of a typo stopping the whole night's build. A column left out of a file reads as empty.
{%- set files = corrections_files() %}

with lines as (
    {%- if files %}
    select *
    from read_csv(
        [{% for file in files %}{{ sql_string(file) }}{{ ", " if not loop.last }}{% endfor %}],
        header = true, all_varchar = true, union_by_name = true, filename = true,
        delim = ',', quote = '"', escape = '"'
    )
    union all by name
    {%- endif %}
    select
        null::varchar as correction_id, null::varchar as action, null::varchar as target_id,
        null::varchar as donor, null::varchar as system, null::varchar as kind,
        null::varchar as quantity, null::varchar as value, null::varchar as currency,
        null::varchar as status, null::varchar as date, null::varchar as url,
        null::varchar as sentence, null::varchar as reason, null::varchar as reviewer,
        null::varchar as decided_at, null::varchar as filename
    where false
),

cells as (
    select
        nullif(trim(correction_id), '')                      as correction_id,
        lower(nullif(trim(action), ''))                      as action,
        nullif(trim(target_id), '')                          as target_id,
        upper(nullif(trim(donor), ''))                       as donor,
        nullif(trim(system), '')                             as system,
        lower(nullif(trim(kind), ''))                        as kind,
        nullif(replace(trim(quantity), ',', ''), '')         as quantity_text,
        nullif(replace(trim(value), ',', ''), '')            as value_text,
        upper(nullif(trim(currency), ''))                    as currency,
        lower(nullif(trim(status), ''))                      as status,
        nullif(trim(date), '')                               as date_text,
        nullif(trim(url), '')                                as url,
        nullif(trim(sentence), '')                           as sentence,
        nullif(trim(reason), '')                             as reason,
        nullif(trim(reviewer), '')                           as reviewer,
        nullif(trim(decided_at), '')                         as decided_at_text,
        parse_filename(filename)                             as source_file
    from lines
    -- a blank line of a hand-edited file is not a correction
    where coalesce(correction_id, action, target_id, reason) is not null
)

select
    correction_id,
    action,
    target_id,
    donor                                                    as donor_code,
    system,
    kind,
    try_cast(quantity_text as bigint)                        as quantity,
    try_cast(value_text as double)                           as value,
    currency,
    status,
    try_cast(date_text as date)                              as announced_date,
    url,
    sentence,
    reason,
    reviewer,
    try_cast(decided_at_text as timestamp)                   as decided_at,
    source_file,
    list_filter([
        case when quantity_text is not null and try_cast(quantity_text as bigint) is null then 'quantity' end,
        case when value_text is not null and try_cast(value_text as double) is null then 'value' end,
        case when date_text is not null and try_cast(date_text as date) is null then 'date' end,
        case when decided_at_text is not null and try_cast(decided_at_text as timestamp) is null then 'decided_at' end
    ], lambda field: field is not null)                      as unreadable_fields
from cells
