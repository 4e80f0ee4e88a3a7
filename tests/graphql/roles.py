"""The five-role matrix: run an operation as anonymous, PREVIEW, AUTHOR, EDITOR and ADMIN, and
check who gets through, who is refused with which code, and that a refusal writes nothing.

Each domain lists its mutations in `tests/graphql/<domain>/matrix.py` (CASES); the setups below
make what the operations act on, fresh for every role."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from cms.db import Base
from cms.vocabulary import Role
from tests import factories

ROLES: list[Role | None] = [None, Role.PREVIEW, Role.AUTHOR, Role.EDITOR, Role.ADMIN]
EVERYONE = set(ROLES)
SIGNED_IN = {Role.PREVIEW, Role.AUTHOR, Role.EDITOR, Role.ADMIN}
WRITERS = {Role.AUTHOR, Role.EDITOR, Role.ADMIN}
EDITORS = {Role.EDITOR, Role.ADMIN}
ADMINS = {Role.ADMIN}
PAYLOAD = "userErrors { code }"
REFUSALS = {"UNAUTHENTICATED", "FORBIDDEN"}
# Written by authentication itself, before and whatever the operation does.
_NOT_CONTENT = {"api_tokens": "last_used_at"}

Setup = Callable[[Any], Awaitable[dict[str, Any]]]
Cases = dict[str, tuple[str, Setup, set[Role | None]]]


def unique() -> str:
    return secrets.token_hex(4)


async def nothing(api: Any) -> dict[str, Any]:
    return {}


async def new_name(api: Any) -> dict[str, Any]:
    return {"name": f"Name {unique()}"}


async def a_live_article(api: Any) -> dict[str, Any]:
    return {"id": (await factories.published_article(api, title=f"Live {unique()}"))["id"]}


def role_name(role: Role | None) -> str:
    return role.value if role else "anonymous"


async def snapshot(session: AsyncSession) -> dict[str, list[str]]:
    """Every table's rows, to prove that nothing was written."""
    tables = {}
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.columns if c.name != _NOT_CONTENT.get(table.name)]
        tables[table.name] = sorted(repr(tuple(row)) for row in await session.execute(select(*columns)))
    return tables


async def check_roles(
    api: Any, session: AsyncSession, document: str, setup: Setup, allowed: set[Role | None]
) -> dict[str, str]:
    """Runs `document` once per role, each on variables from a fresh `setup`; returns what each
    role got: "allowed", or the refusal's code. Refused roles must have written nothing."""
    outcomes = {}
    for role in ROLES:
        variables = await setup(api)
        before = await snapshot(session)
        body = await api(document, variables, role=role)
        codes = [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
        if any(code in REFUSALS for code in codes):
            assert body["data"] is None, body
            assert len(codes) == 1, body
            assert await snapshot(session) == before, f"{role_name(role)} was refused but something was written"
            outcomes[role_name(role)] = codes[0]
        else:
            assert codes == [], body
            outcomes[role_name(role)] = "allowed"
    expected = {
        role_name(r): "allowed" if r in allowed else ("UNAUTHENTICATED" if r is None else "FORBIDDEN") for r in ROLES
    }
    assert outcomes == expected
    return outcomes
