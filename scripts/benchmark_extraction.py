"""Extraction speed on 5 KB articles: prints milliseconds per article (target: under 5 ms, one core).

    .venv/bin/python scripts/benchmark_extraction.py [--rounds 20]
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scrapers.extraction import extract_records  # noqa: E402
from scrapers.models import Article  # noqa: E402
from scrapers.parsing.parse import parse_document  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent / "sources" / "sample"


def five_kb_articles() -> list[Article]:
    """Each sample page's text, repeated or cut to about 5,000 characters."""
    articles = []
    for page in sorted(SAMPLE.glob("*.*")):
        if page.suffix not in (".html", ".txt"):
            continue
        parsed = parse_document(page.read_bytes(), "text/plain" if page.suffix == ".txt" else "text/html", str(page))
        text = parsed.text
        while len(text) < 5000:
            text += "\n\n" + parsed.text
        articles.append(Article(parsed.title, text[:5000], parsed.published_date, parsed.language, parsed.publisher, ""))
    return articles


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds
    articles = five_kb_articles()
    extract_records(articles[0])  # load the taxonomy and compile patterns once, outside the timing
    per_round, cpu_per_round = [], []
    for _ in range(rounds):
        started, cpu_started = time.perf_counter(), time.process_time()
        for article in articles:
            extract_records(article)
        per_round.append((time.perf_counter() - started) / len(articles) * 1000)
        cpu_per_round.append((time.process_time() - cpu_started) / len(articles) * 1000)
    print(f"{len(articles)} articles of 5,000 characters, {rounds} rounds")
    print(f"extraction: median {statistics.median(per_round):.2f} ms per article, best {min(per_round):.2f} ms")
    # The same rounds in CPU time of this process: on a shared machine the wall clock also counts
    # the time other processes had the core, the CPU time does not.
    print(f"cpu time:   median {statistics.median(cpu_per_round):.2f} ms per article, best {min(cpu_per_round):.2f} ms")


if __name__ == "__main__":
    main()
