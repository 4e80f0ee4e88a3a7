"""One line of JSON from a row and back, and one column's values checked on their way in.

Written (`dumps`): times in one format, UTC with microseconds (`2026-11-29T12:00:00.000000+00:00`,
PostgreSQL's own precision, so nothing is rounded), bytes as lowercase hex (a sha256 reads as
`sha256sum` prints it), dates as ISO 8601; JSON documents, arrays, numbers and text as
themselves. Read (`decoder`): the same, checked against the column, so that a wrong value is
refused with its line number rather than by the database in the middle of a batch, and turned
into what asyncpg's COPY takes for the column.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import orjson
from sqlalchemy import ARRAY, JSON, BigInteger, Boolean, Column, Date, DateTime, Float, Integer, LargeBinary, String
from sqlalchemy.types import TypeEngine

# Turns a value read from a line into the column's value; raises ValueError saying what is wrong.
Decode = Callable[[Any], Any]

_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_APPEND_NEWLINE


def dumps(line: dict[str, Any]) -> bytes:
    """One line of the file, newline included; keys in the order the dict holds them."""
    return orjson.dumps(line, default=_written, option=_OPTIONS)


def _written(value: Any) -> Any:
    # orjson writes datetimes itself, but leaves out a zero fraction of a second: passed through
    # to here, every time has the same shape.
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"the export cannot write {type(value).__name__}")


def decoder(column: Column[Any]) -> Decode:
    """How a value of `column` is read back; None only where the column allows it.

    Raises TypeError for a type no export knows yet, so that a new column fails the tests."""
    decode = _decoder(column.type)
    if not column.nullable:

        def required(value: Any) -> Any:
            if value is None:
                raise ValueError("cannot be null")
            return decode(value)

        return required
    return lambda value: None if value is None else decode(value)


def _decoder(type_: TypeEngine[Any]) -> Decode:
    if isinstance(type_, LargeBinary):
        return _bytes
    if isinstance(type_, DateTime):
        return _aware_datetime if type_.timezone else _naive_datetime
    if isinstance(type_, Date):
        return _date
    # Before String: a JSON document is kept whole, whatever it holds.
    if isinstance(type_, JSON):
        return _json
    if isinstance(type_, ARRAY):
        item = _decoder(type_.item_type)
        return lambda value: [item(v) for v in _typed(value, list, "a list")]
    if isinstance(type_, Boolean):
        return lambda value: _typed(value, bool, "true or false")
    if isinstance(type_, Integer):
        return _integer(63 if isinstance(type_, BigInteger) else 31)
    if isinstance(type_, Float):
        return _float
    if isinstance(type_, String):
        return _text
    raise TypeError(f"the export cannot read a column of type {type_!r}")


def shown(value: Any) -> str:
    """A value as the operator reads it in a message, cut short."""
    text = orjson.dumps(value, default=repr).decode()
    return text if len(text) <= 40 else f"{text[:37]}..."


def _typed(value: Any, kind: type, what: str) -> Any:
    if not isinstance(value, kind):
        raise ValueError(f"expected {what}, not {shown(value)}")
    return value


def _text(value: Any) -> str:
    text: str = _typed(value, str, "a string")
    if "\x00" in text:
        raise ValueError("a string cannot hold a NUL character")
    return text


def _integer(bits: int) -> Decode:
    def decode(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected a whole number, not {shown(value)}")
        if not -(2**bits) <= value < 2**bits:
            raise ValueError(f"{value} is out of range")
        return value

    return decode


def _float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a number, not {shown(value)}")
    return float(value)


def _bytes(value: Any) -> bytes:
    try:
        return bytes.fromhex(_typed(value, str, "hexadecimal bytes"))
    except ValueError:
        raise ValueError(f"expected hexadecimal bytes, not {shown(value)}") from None


def _aware_datetime(value: Any) -> datetime:
    parsed = _naive_datetime(value)
    if parsed.tzinfo is None:
        raise ValueError(f"expected a time with its offset, not {shown(value)}")
    return parsed


def _naive_datetime(value: Any) -> datetime:
    try:
        return datetime.fromisoformat(_typed(value, str, "an ISO 8601 time"))
    except ValueError:
        raise ValueError(f"expected an ISO 8601 time, not {shown(value)}") from None


def _date(value: Any) -> date:
    try:
        return date.fromisoformat(_typed(value, str, "an ISO 8601 date"))
    except ValueError:
        raise ValueError(f"expected an ISO 8601 date, not {shown(value)}") from None


def _json(value: Any) -> str:
    # COPY takes a jsonb value as its text: the codec SQLAlchemy's asyncpg dialect installs on
    # every connection (and asyncpg's own) encodes a str.
    try:
        return orjson.dumps(value).decode()
    except orjson.JSONEncodeError as exc:  # nested deeper than orjson writes
        raise ValueError(f"a JSON document that cannot be stored: {exc}") from None
