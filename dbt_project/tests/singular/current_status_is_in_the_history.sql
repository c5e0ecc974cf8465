{{ config(meta={'dagster': {'ref': {'name': 'fct_pledge_status_history'}}}) }}  -- shown in Dagster as a check on fct_pledge_status_history
-- Each pledge has exactly one current row in fct_pledge_status_history, and it carries the
-- pledge's status and status_date.
select pledges.pledge_id, pledges.status, pledges.status_date, history.current_rows
from {{ ref('fct_pledges') }} as pledges
left join (
    select
        pledge_id,
        count(*) filter (where is_current_status)                              as current_rows,
        any_value(status) filter (where is_current_status)                     as status,
        any_value(first_reported_date) filter (where is_current_status)        as first_reported_date
    from {{ ref('fct_pledge_status_history') }}
    group by pledge_id
) as history
    on history.pledge_id = pledges.pledge_id
where history.current_rows is distinct from 1
   or history.status is distinct from pledges.status
   or history.first_reported_date is distinct from pledges.status_date
