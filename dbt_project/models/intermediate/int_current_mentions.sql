-- Mentions extracted from the current version of their document only, with the article's
-- title, publisher, publication date and a hash of its text. Mentions of superseded versions
-- are dropped.
select
    mentions.*,
    articles.title,
    articles.publisher,
    articles.published_date,
    md5(nullif(trim(articles.text), '')) as article_text_hash
from {{ ref('stg_pledge_mentions') }} as mentions
inner join {{ ref('int_current_articles') }} as articles
    on articles.document_id = mentions.document_id
    and articles.version_id = mentions.version_id
