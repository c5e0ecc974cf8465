"""What the source registry file may say, declared as types, and its first mistake in one line.

YAML guesses types: `enabled: 'false'` is text (which a lax reader takes for true), `id: no` is
false, `id: 2024` a number, `max_items: '5'` text. Booleans, numbers and text are therefore
strict here: a value of another type is refused with a line naming the source and the field,
never converted. Unknown fields are refused too, so that a misspelt setting is not silently
left at its default.
"""
from __future__ import annotations

import datetime
from typing import Annotated, Literal, NamedTuple, get_args
from urllib.parse import urlparse

import soupsieve
import yaml
from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictFloat,
                      StrictInt, StrictStr, StringConstraints, ValidationError, ValidationInfo, field_validator,
                      model_validator)
from pydantic.dataclasses import dataclass

from scrapers.fetching.network_guard import Network, parse_networks

Kind = Literal["folder", "url", "rss", "sitemap", "listing"]
KINDS: tuple[str, ...] = get_args(Kind)
WEB_KINDS = tuple(k for k in KINDS if k != "folder")

# The word after "must be" in an error names what the field wants; `description` says it where
# the type alone would not.
Seconds = Annotated[StrictFloat, Field(ge=0, description="a number of seconds (0 or more)")]
Count = Annotated[StrictInt, Field(ge=0, description="a whole number (0 or more)")]
AtLeastOne = Annotated[StrictInt, Field(ge=1, description="a whole number of at least 1")]


def _one_or_many(value: object) -> object:
    """`keywords: ukrain` means `keywords: [ukrain]`."""
    return [value] if isinstance(value, str) else value


Word = Annotated[StrictStr, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1)]
Keywords = Annotated[tuple[Word, ...], BeforeValidator(_one_or_many), Field(description="a list of words")]
Domain = Annotated[Word, AfterValidator(lambda host: host.lstrip("."))]
Domains = Annotated[tuple[Domain, ...], BeforeValidator(_one_or_many)]


def _networks(value: object) -> tuple[Network, ...]:
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"http setting allow_networks must be a list of CIDRs (such as [127.0.0.0/8]), "
                         f"not {_shown(value)}")
    return parse_networks(value, "http setting allow_networks")


@dataclass(frozen=True, config=ConfigDict(extra="forbid"))
class HttpPolicy:
    """How politely and patiently pages are fetched; the registry's `defaults: http:`."""

    user_agent: StrictStr = ("ukraine-aid-pledges/0.2 (open research warehouse of military-aid announcements; "
                             "reads public releases once a night)")
    timeout_seconds: Seconds = 20.0
    retries: Count = 3
    backoff_seconds: Seconds = 1.0
    max_backoff_seconds: Seconds = 60.0
    max_retry_after_seconds: Seconds = 120.0
    min_interval_seconds: Seconds = 1.0  # between two requests to the same host
    max_bytes: Count = 10 * 1024 * 1024
    max_redirects: Count = 5
    respect_robots: StrictBool = True
    # Time budgets, so that no source, however slow, holds the night: a source stops fetching
    # after its own budget, and every source at the run's; the rest waits for the next run.
    max_seconds_per_source: Seconds = 1800.0
    max_seconds_per_run: Seconds = 5400.0
    # Networks outside the public internet that may be fetched (CIDRs); none by default.
    allow_networks: Annotated[tuple[Network, ...], BeforeValidator(_networks)] = ()


def known_parsers() -> set[str]:
    """The site adapters of scrapers/data/site_adapters.yaml, and the generic extractor."""
    from scrapers.parsing.main_content import GENERIC, load_rules

    return set(load_rules().adapters) | {GENERIC}


def check_http_address(url: str, what: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ValueError(f"{what} must be an http(s) address, not {url!r}")


class SourceEntry(BaseModel):
    """One item of `sources:` as written; sources.py turns it into a Source."""

    model_config = ConfigDict(extra="forbid")

    id: Annotated[StrictStr, Field(min_length=1, description="text")]
    kind: Annotated[Kind, Field(description=f"one of {', '.join(KINDS)}")]
    url: StrictStr | None = Field(None, description="an http(s) address")
    path: StrictStr | None = Field(None, description="a folder, relative to the registry file")
    enabled: StrictBool = True
    description: StrictStr | None = None
    allowed_domains: Domains | None = Field(None, description="a list of host names")
    parser: StrictStr | None = Field(None, description="a site adapter's name or generic")
    language: StrictStr | None = None
    keywords: Keywords = ()  # when absent, the registry's default keywords apply
    max_items: AtLeastOne = 50
    link_selector: StrictStr | None = Field(None, description="a CSS selector")
    next_selector: StrictStr | None = Field(None, description="a CSS selector")
    max_pages: AtLeastOne = 1

    @field_validator("url")
    @classmethod
    def _http_address(cls, url: str | None) -> str | None:
        if url is not None:
            check_http_address(url, "url")
        return url

    @field_validator("link_selector", "next_selector")
    @classmethod
    def _css_selector(cls, selector: str | None, info: ValidationInfo) -> str | None:
        if selector:
            try:
                soupsieve.compile(selector)
            except soupsieve.SelectorSyntaxError as exc:
                raise ValueError(f"{info.field_name} is not a valid CSS selector: "
                                 f"{str(exc).splitlines()[0]}") from None
        return selector

    @field_validator("parser")
    @classmethod
    def _known_parser(cls, parser: str | None) -> str | None:
        adapters = known_parsers()
        if parser and parser not in adapters:
            raise ValueError(f"unknown parser {parser!r} (known: {', '.join(sorted(adapters))})")
        return parser

    @model_validator(mode="after")
    def _what_the_kind_needs(self) -> SourceEntry:
        if self.kind == "folder" and not self.path:
            raise ValueError("a folder source needs `path` (a folder, relative to the registry file)")
        if self.kind != "folder" and not self.url:
            raise ValueError(f"kind {self.kind} needs `url` (an http(s) address)")
        if self.kind == "listing" and not self.link_selector:
            raise ValueError("a listing source needs `link_selector` (CSS selector of article links)")
        return self


def _none_as(empty: object) -> BeforeValidator:
    """A key written with nothing under it (`http:`) counts as written empty."""
    return BeforeValidator(lambda value: empty if value is None else value)


class Defaults(BaseModel):
    model_config = ConfigDict(extra="forbid")

    http: Annotated[HttpPolicy, _none_as({}), Field(description="a mapping of http settings")] = HttpPolicy()
    keywords: Annotated[Keywords, _none_as(())] = ()


class RegistryFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    defaults: Annotated[Defaults, _none_as({}), Field(description="a mapping with http and keywords")] = Defaults()
    sources: list[SourceEntry] = Field(description="a list of sources")

    @model_validator(mode="after")
    def _ids_unique(self) -> RegistryFile:
        ids = [s.id for s in self.sources]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"more than one source has the id {', '.join(repeated)}")
        return self


# --- one line for the user, from pydantic's list of errors -------------------------------------

TYPE_WORDS = {"string_type": "text", "bool_type": "true or false", "int_type": "a whole number",
              "float_type": "a number", "list_type": "a list", "tuple_type": "a list",
              "model_type": "a mapping", "dataclass_type": "a mapping"}
UNKNOWN_FIELD = ("extra_forbidden", "unexpected_keyword_argument")


class _Place(NamedTuple):
    """Where in the file an error is: whom to name, the class declaring the fields there, how a
    field is named to the user, what unknown ones are called, and the rest of the location."""

    subject: str
    owner: type
    field_label: str
    unknown_noun: str
    rest: tuple  # (field,) or (field, index in its list); empty when the whole place is wrong


def first_mistake(error: ValidationError, data: object, path: object) -> str:
    """The first mistake pydantic found, as one line naming the source (by id, or #n when the id
    is itself wrong) and the field; all the unknown fields of that place at once."""
    errors = error.errors(include_url=False)
    places = [_place(e["loc"], data, path) for e in errors]
    where, first = places[0], errors[0]
    unknown = [str(p.rest[0]) for e, p in zip(errors, places)
               if e["type"] in UNKNOWN_FIELD and (p.subject, p.owner) == (where.subject, where.owner)]
    if unknown:
        return (f"{where.subject}: unknown {where.unknown_noun} {', '.join(unknown)} "
                f"(known: {', '.join(where.owner.__pydantic_fields__)})")
    if first["type"] in ("value_error", "assertion_error"):
        return f"{where.subject}: {first['ctx']['error']}"
    if not where.rest:
        return f"{where.subject} is not a mapping"
    info = where.owner.__pydantic_fields__.get(str(where.rest[0]))
    field = where.field_label.format(where.rest[0])
    if first["type"] == "missing":
        wanted = f" (it must be {info.description})" if info and info.description else ""
        return f"{where.subject} has no {field}{wanted}"
    wanted = (info and info.description) or TYPE_WORDS.get(first["type"]) or first["msg"].lower()
    shown = f"{_shown(first['input'])}{_hint(first)}"
    if len(where.rest) > 1:  # an item of a list
        return f"{where.subject}: {field} must be {wanted}; item {where.rest[1] + 1} is {shown}"
    if first["type"] == "string_too_short":
        return f"{where.subject}: {field} must not be empty"
    return f"{where.subject}: {field} must be {wanted}, not {shown}"


def _place(loc: tuple, data: object, path: object) -> _Place:
    registry = f"source registry {path}"
    if loc[:1] == ("sources",) and len(loc) > 1:
        return _Place(f"source {_source_label(data, loc[1])}", SourceEntry, "{}", "fields", loc[2:])
    if loc[:2] == ("defaults", "http") and len(loc) > 2:
        return _Place(registry, HttpPolicy, "http setting {}", "http settings", loc[2:])
    if loc[:1] == ("defaults",) and len(loc) > 1:
        return _Place(registry, Defaults, "default {}", "keys under defaults:", loc[1:])
    return _Place(registry, RegistryFile, "{}", "top-level keys", loc)


def _source_label(data: object, index: int) -> str:
    """A source's id when it has a usable one, else its position (#1 is the first)."""
    entry = data["sources"][index]
    source_id = entry.get("id") if isinstance(entry, dict) else None
    return source_id if isinstance(source_id, str) and source_id else f"#{index + 1}"


def _hint(error: dict) -> str:
    """What to change in the YAML when it typed the value otherwise than meant."""
    value, kind = error["input"], error["type"]
    if kind == "string_type" and isinstance(value, (bool, int, float, datetime.date)):
        return " (quote it in the YAML)"
    if kind in ("bool_type", "int_type", "float_type") and isinstance(value, str):
        try:
            unquoted = yaml.safe_load(value)
        except yaml.YAMLError:
            return ""
        meant = {"bool_type": (bool,), "int_type": (int,), "float_type": (int, float)}[kind]
        if isinstance(unquoted, meant) and (kind == "bool_type") == isinstance(unquoted, bool):
            return " (write it without quotes)"
    return ""


def _shown(value: object) -> str:
    """A value as the user wrote it, within reason."""
    text = value.isoformat() if isinstance(value, datetime.date) else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
