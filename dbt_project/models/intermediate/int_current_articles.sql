-- The current version of every document: among its successfully parsed versions, the one seen
-- last by a fetch (ties broken by version_id). The same rule as orchestration/raw_store.current_articles,
-- which chooses the versions the extractor reads, so mentions and articles always line up.
select
    articles.document_id,
    articles.version_id,
    articles.url,
    articles.source_id,
    articles.title,
    articles.publisher,
    articles.published_date,
    articles.language,
    articles.text,
    articles.parser,
    articles.parser_version,
    articles.parsed_at,
    documents.fetched_at,
    documents.last_seen_at
from {{ ref('stg_articles') }} as articles
inner join {{ ref('stg_documents') }} as documents
    on documents.document_id = articles.document_id
    and documents.version_id = articles.version_id
where articles.parse_status = 'ok'
qualify row_number() over (
    partition by articles.document_id
    order by documents.last_seen_at desc, articles.version_id
) = 1
