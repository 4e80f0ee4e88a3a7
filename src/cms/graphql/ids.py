"""Relay global IDs: base64 of "Type:id", decoded only as the type the caller expects.

Every ID a client sends is decoded here, once: input IDs record an INVALID problem at their
path (and the command is not run on them), argument IDs raise a coded INVALID error.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence

from cms.services.errors import Problem, Problems
from cms.vocabulary import ErrorCode
from graphql import GraphQLError


class BadId(ValueError):
    pass


def to_global_id(type_name: str, id: int) -> str:
    return base64.b64encode(f"{type_name}:{id}".encode()).decode()


def parse_global_id(value: str) -> tuple[str, int]:
    """(type name, database id); raises BadId when it is not one of our IDs."""
    try:
        type_name, _, raw = base64.b64decode(value, validate=True).decode().partition(":")
        id = int(raw)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadId("not a valid ID") from None
    if not type_name or id <= 0 or to_global_id(type_name, id) != value:
        raise BadId("not a valid ID")
    return type_name, id


def decode_id(value: str, expected: str) -> int:
    """The database id in a global ID of the expected type; raises BadId otherwise."""
    type_name, id = parse_global_id(value)
    if type_name != expected:
        raise BadId(f"expected {expected}, got {type_name}")
    return id


def id_problem(path: Sequence[str], exc: BadId) -> Problem:
    name = f"{path[-2]}[{path[-1]}]" if path[-1].isdigit() and len(path) > 1 else path[-1]
    return Problem(tuple(path), f"{name}: {exc}", ErrorCode.INVALID)


def decode_field(problems: Problems, path: Sequence[str], value: str | None, expected: str) -> int | None:
    """Decode an input ID, recording a problem at `path` instead of raising."""
    if value is None:
        return None
    try:
        return decode_id(value, expected)
    except BadId as exc:
        problems.items.append(id_problem(path, exc))
        return None


def decode_list(problems: Problems, path: Sequence[str], values: Sequence[str], expected: str) -> list[int]:
    ids = [decode_field(problems, [*path, str(i)], v, expected) for i, v in enumerate(values)]
    return [i for i in ids if i is not None]


def invalid_id(message: str) -> GraphQLError:
    return GraphQLError(f"id: {message}", extensions={"code": ErrorCode.INVALID.value, "field": ["id"]})


def query_id(value: str, expected: str) -> int:
    """The database id in a query argument; raises a coded INVALID error otherwise."""
    try:
        return decode_id(value, expected)
    except BadId as exc:
        raise invalid_id(str(exc)) from None


def lookup_id(id: str | None, slug: str | None, expected: str) -> int | None:
    """For a lookup by `id` or `slug`: the database id, or None to look up by slug.

    Raises a coded INVALID error unless exactly one of the two is given."""
    if (id is None) == (slug is None):
        raise GraphQLError("give exactly one of id and slug", extensions={"code": ErrorCode.INVALID.value})
    return None if id is None else query_id(id, expected)
