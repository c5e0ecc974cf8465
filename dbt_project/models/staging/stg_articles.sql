-- One row per parsed page version (successful or not).
select
    cast(version_id as varchar)     as version_id,
    cast(document_id as varchar)    as document_id,
    cast(url as varchar)            as url,
    cast(source_id as varchar)      as source_id,
    cast(title as varchar)          as title,
    cast(publisher as varchar)      as publisher,
    cast(published_date as date)    as published_date,
    cast(language as varchar)       as language,
    cast(text as varchar)           as text,
    cast(parser as varchar)         as parser,
    cast(parser_version as varchar) as parser_version,
    cast(parse_status as varchar)   as parse_status,
    cast(error as varchar)          as error,
    cast(parsed_at as timestamp)    as parsed_at
from {{ source('raw', 'articles') }}
