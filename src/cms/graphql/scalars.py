"""Scalars with one format everywhere: every instant leaves as RFC 3339 in UTC with milliseconds."""

from __future__ import annotations

from datetime import UTC, datetime

from strawberry.schema.types.base_scalars import wrap_parser
from strawberry.types.scalar import ScalarDefinition


def serialize_datetime(value: datetime) -> str:
    """An instant as 2026-11-29T08:48:18.123Z: UTC, fixed width, what JavaScript's toISOString
    writes, so frontends can compare and sort them as text."""
    utc = value.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


DATETIME = ScalarDefinition(
    name="DateTime",
    description=(
        "An instant in RFC 3339. Read as UTC with milliseconds, e.g. 2026-11-29T08:48:18.123Z; "
        "written with any offset, e.g. 2026-11-29T09:48:18+01:00 (an offset is required)."
    ),
    specified_by_url="https://datatracker.ietf.org/doc/html/rfc3339",
    serialize=serialize_datetime,
    parse_value=wrap_parser(datetime.fromisoformat, "DateTime"),
    parse_literal=None,
    origin=datetime,
)
