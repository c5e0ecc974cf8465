select
    donor_code,
    donor_name,
    donor_type,
    alpha_2,
    aliases
from {{ ref('stg_donors') }}
