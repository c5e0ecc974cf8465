-- One row per fetched version of a page (document_id, version_id). The page bytes (content BLOB)
-- stay in raw.documents: nothing downstream reads them and they would only weigh on the views.
select
    cast(document_id as varchar)    as document_id,
    cast(version_id as varchar)     as version_id,
    cast(source_id as varchar)      as source_id,
    cast(source_kind as varchar)    as source_kind,
    cast(url as varchar)            as url,
    cast(fetched_at as timestamp)   as fetched_at,
    cast(last_seen_at as timestamp) as last_seen_at,
    cast(fetch_status as varchar)   as fetch_status,
    cast(http_status as integer)    as http_status,
    cast(error as varchar)          as error,
    cast(content_type as varchar)   as content_type,
    cast(size_bytes as bigint)      as size_bytes,
    cast(etag as varchar)           as etag,
    cast(last_modified as varchar)  as last_modified,
    cast(parser as varchar)         as parser,
    cast(language_hint as varchar)  as language_hint
from {{ source('raw', 'documents') }}
