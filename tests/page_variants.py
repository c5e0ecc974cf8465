"""Variants of saved pages that must not change what is extracted from them: another file name,
another site template around the same text, the same blocks of text in another order."""
from __future__ import annotations

import html
import re
from pathlib import Path

from bs4 import BeautifulSoup

BLOCK_TAGS = ["h1", "h2", "h3", "p", "li"]


def page_blocks(path: Path) -> tuple[dict, list[str]]:
    """A page's metadata and its text blocks (the first is the headline where there is one)."""
    raw = path.read_bytes()
    if path.suffix == ".txt":
        lines = [line.strip() for line in raw.decode("utf-8").splitlines() if line.strip()]
        return {"lang": "en"}, lines
    soup = BeautifulSoup(raw, "lxml")
    meta = {
        "lang": soup.html.get("lang", "en") if soup.html else "en",
        "title": soup.title.get_text() if soup.title else "",
        "metas": [str(m) for m in soup.find_all("meta") if m.get("property") or m.get("name")],
        "links": [str(link) for link in soup.find_all("link", rel="canonical")],
    }
    article = soup.find("article") or soup.body
    blocks = [re.sub(r"\s+", " ", b.get_text(" ")).strip() for b in article.find_all(BLOCK_TAGS)
              if not b.find(BLOCK_TAGS)]
    return meta, [b for b in blocks if b]


def another_template(path: Path) -> str:
    """The same text and metadata in a different site layout, with boilerplate that a reader
    ignores (navigation, a related-stories box naming other pledges, cookie banner, footer)."""
    meta, blocks = page_blocks(path)
    headline, body = (blocks[0], blocks[1:]) if path.suffix != ".txt" else ("", blocks)
    paragraphs = "\n".join(f'        <div class="para"><p>{html.escape(b)}</p></div>' for b in body)
    head_extra = "\n".join(reversed(meta.get("metas", []))) + "\n" + "\n".join(meta.get("links", []))
    return f"""<!doctype html>
<html lang="{meta['lang']}">
<head>
<title>{html.escape(meta.get('title', ''))} | Newsroom</title>
{head_extra}
<style>.para {{ margin: 1em }}</style>
<script>window.analytics = {{"page": "story"}};</script>
</head>
<body>
<div id="cookie-banner">We use cookies. Accept all?</div>
<header><nav><ul><li><a href="/">Front page</a></li><li><a href="/world">World</a></li></ul></nav></header>
<main>
  <div class="story">
    {f'<h1 class="headline">{html.escape(headline)}</h1>' if headline else ''}
    <div class="story-body">
{paragraphs}
    </div>
  </div>
</main>
<aside><h3>Related stories</h3><ul><li>Norway to send 40 more CV90 vehicles to Ukraine</li>
<li>Spain pledges Leopard 2 tanks in new package</li></ul></aside>
<footer><p>Copyright Newsroom. All rights reserved.</p></footer>
</body>
</html>
"""


def reordered(path: Path) -> str:
    """The page with its blocks of text in reverse order. A block is a paragraph together with
    the list that its colon introduces; the headline stays first."""
    meta, blocks = page_blocks(path)
    headline, body = (blocks[:1], blocks[1:]) if path.suffix != ".txt" else ([], blocks)
    groups: list[list[str]] = []
    for block in body:
        continues_list = groups and groups[-1][0].rstrip().endswith(":") and len(block) < 200
        if continues_list:
            groups[-1].append(block)
        else:
            groups.append([block])
    ordered = headline + [b for group in reversed(groups) for b in group]
    if path.suffix == ".txt":
        return "\n\n".join(ordered) + "\n"
    head = "\n".join(meta["metas"]) + "\n" + "\n".join(meta["links"])
    tags = [f"<h1>{html.escape(ordered[0])}</h1>"] + [f"<p>{html.escape(b)}</p>" for b in ordered[1:]]
    return (f'<!doctype html><html lang="{meta["lang"]}"><head><title>{html.escape(meta["title"])}</title>\n'
            f"{head}</head><body><article>\n" + "\n".join(tags) + "\n</article></body></html>\n")
