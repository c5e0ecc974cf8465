"""The source registry: which folders and pages the refresh reads, loaded from YAML."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import yaml

KINDS = ("folder", "url")
DEFAULT_REGISTRY = Path(__file__).resolve().parent.parent / "sources" / "registry.yaml"


class SourceError(ValueError):
    """A registry or source that cannot be used; the message is meant for the user."""


@dataclass(frozen=True)
class Source:
    id: str
    kind: str
    location: str  # a folder path for `folder`, an address for `url`
    enabled: bool = True
    description: str = ""


def load_registry(path: Path = DEFAULT_REGISTRY) -> list[Source]:
    """All sources declared in the registry file, enabled or not."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise SourceError(f"source registry not found: {path}") from None
    except yaml.YAMLError as exc:
        raise SourceError(f"source registry {path} is not valid YAML: {exc}") from None
    entries = data.get("sources")
    if not isinstance(entries, list):
        raise SourceError(f"source registry {path} has no `sources:` list")
    sources = [_source_from_entry(entry, Path(path).parent, n) for n, entry in enumerate(entries, 1)]
    ids = [s.id for s in sources]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise SourceError(f"source registry {path} repeats ids: {', '.join(duplicates)}")
    return sources


def folder_sources(folders: list[str]) -> list[Source]:
    """Ad-hoc folder sources, as given on the command line."""
    sources = []
    for folder in folders:
        path = Path(folder).expanduser().resolve()
        if not path.is_dir():
            raise SourceError(f"source folder does not exist or is not a folder: {folder}")
        sources.append(Source(id=f"folder:{path.name}", kind="folder", location=str(path)))
    return sources


def _source_from_entry(entry: object, base: Path, n: int) -> Source:
    if not isinstance(entry, dict):
        raise SourceError(f"source #{n} is not a mapping")
    source_id, kind = entry.get("id"), entry.get("kind")
    if not source_id:
        raise SourceError(f"source #{n} has no id")
    if kind not in KINDS:
        raise SourceError(f"source {source_id}: kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if kind == "folder":
        if not entry.get("path"):
            raise SourceError(f"source {source_id}: a folder source needs `path`")
        location = str((base / entry["path"]).resolve())
    else:
        location = str(entry.get("url") or "")
        if urlparse(location).scheme not in ("http", "https"):
            raise SourceError(f"source {source_id}: `url` must be an http(s) address, not {location!r}")
    return Source(
        id=str(source_id),
        kind=kind,
        location=location,
        enabled=bool(entry.get("enabled", True)),
        description=str(entry.get("description") or ""),
    )
