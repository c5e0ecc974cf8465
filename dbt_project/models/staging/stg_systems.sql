-- The weapon-system taxonomy (seed), with its pipe-separated aliases split into a sorted list.
select
    cast(system_id as varchar)        as system_id,
    cast(canonical_name as varchar)   as canonical_name,
    cast(category as varchar)         as category,
    cast(is_munition as boolean)      as is_munition,
    cast(nullif(trim(parent_system_id), '') as varchar) as parent_system_id,
    cast(generic as boolean)          as generic,
    list_sort(list_distinct(
        [trim(alias) for alias in string_split(coalesce(aliases, ''), '|') if trim(alias) <> '']
    ))                                as aliases
from {{ ref('systems') }}
