-- One row per reviewer's correction (a line of corrections/*.csv): what it decided, who decided
-- it, when and why, and whether it applies to this build. One that does not (its target is no
-- longer in the warehouse, a cell does not read, ...) says why in `problem`; the check
-- every_correction_applies warns about it. Nothing a reviewer wrote is dropped silently.
select
    correction_id,
    action,
    target_id,
    target_type,
    pledge_id,
    donor_code,
    system_id,
    coalesce(added_kind, kind)                                as kind,
    quantity,
    value,
    currency,
    status,
    announced_date,
    url,
    sentence,
    reason,
    reviewer,
    decided_at,
    source_file,
    problem is null                                           as applied,
    problem
from {{ ref('int_corrections_checked') }}
