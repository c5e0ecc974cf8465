"""The shared record format of ../shared/eval (one JSON object per pledge and document)."""
from __future__ import annotations

from datetime import date
from typing import Any


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)[:10]


def eval_record(row: dict[str, Any]) -> dict[str, Any]:
    """Map a pledge or reported-total row (warehouse column names) to the eval record format."""
    return {
        "doc": row["doc"],
        "kind": row["kind"],
        "donor": row["donor_code"],
        "system": row.get("system_name"),
        "system_id": row.get("system_id"),
        "is_munition": row.get("is_munition"),
        "category": row.get("category") or ("financial" if row["kind"] in ("package", "aggregate") else None),
        "quantity": row.get("quantity"),
        "quantity_per": row.get("quantity_per"),
        "quantity_qualifier": row.get("quantity_qualifier"),
        "value": row.get("value"),
        "currency": row.get("currency"),
        "value_qualifier": row.get("value_qualifier"),
        "value_usd": row.get("value_usd"),
        "status": row.get("status"),
        "channel": row.get("channel"),
        "date": _iso(row.get("announced_date")),
        "since": _iso(row.get("since_date")),
        "is_headline_total": row.get("is_headline_total"),
        "url": row.get("url"),
        "sentence": row.get("sentence"),
    }
