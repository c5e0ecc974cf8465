{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'fct_corrections'}}}) }}  -- a warning check on fct_corrections
-- Every reviewer's correction applies to this build. One that does not - its record or pledge is
-- no longer in the warehouse, or its line cannot be read - is listed here with the reason, and
-- in fct_corrections with applied false: a warning, not a failed night, since the rest of the
-- corrections and the data are still good.
select correction_id, action, target_id, source_file, problem
from {{ ref('fct_corrections') }}
where not applied
