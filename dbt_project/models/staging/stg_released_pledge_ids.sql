-- The pledge id each record was last published under, renamed and cast: what the deduplication
-- carries forward so that a pledge keeps its id from one release to the next.
select
    cast(mention_id as varchar)    as mention_id,
    cast(pledge_id as varchar)     as pledge_id,
    cast(released_at as timestamp) as released_at
from {{ source('raw', 'released_pledge_ids') }}
