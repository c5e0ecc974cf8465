select
    system_id,
    canonical_name,
    category,
    is_munition,
    parent_system_id,
    generic,
    aliases
from {{ ref('stg_systems') }}
