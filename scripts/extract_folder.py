"""Parse and extract a folder of saved pages without the pipeline, writing eval-format records.

A quick loop for rule work; the measured figure is the one through `pledges refresh` and
`pledges export`, which run the same functions.

    .venv/bin/python scripts/extract_folder.py ../shared/eval/dev/docs > /tmp/dev.jsonl
    .venv/bin/python scripts/extract_folder.py --trace DIR    # each record also with its rule trace
"""
import json
import sys
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scrapers.extraction import extract_records  # noqa: E402
from scrapers.parsing.parse import parse_document  # noqa: E402
from scrapers.record_format import eval_record  # noqa: E402

args = [a for a in sys.argv[1:] if a != "--trace"]
with_trace = len(args) < len(sys.argv) - 1
for path in sorted(Path(args[0]).iterdir()):
    if path.suffix.lower() not in (".html", ".htm", ".txt"):
        continue
    article = parse_document(path.read_bytes(), "text/plain" if path.suffix == ".txt" else "text/html", str(path))
    for record in extract_records(article):
        row = {**asdict(record), "doc": path.stem}
        out = eval_record(row)
        if with_trace:
            out["trace"] = record.trace
        print(json.dumps(out, default=str))
