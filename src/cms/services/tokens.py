"""Bearer tokens: sign-in sessions and tokens for machines; made, revoked, listed and checked.

Only a SHA-256 digest of a secret is kept; the secret is shown once, when the token is made.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from cms.auth import Viewer
from cms.db import ApiToken, User
from cms.db.base import db_now
from cms.services import audit, policy
from cms.services.errors import NotFound, Problems, Unauthenticated
from cms.services.pagination import Keyset, Page, paginate
from cms.services.text import required_line
from cms.vocabulary import AuditAction, Role, TokenKind

TOKEN_PREFIX = "cms_"  # noqa: S105 - a prefix that makes leaked tokens easy to spot, not a secret
# lastUsedAt is written at most this often per token, not on every request.
_LAST_USED_RESOLUTION = timedelta(minutes=1)


def digest(secret: str) -> bytes:
    # Tokens are 256 random bits: a fast hash is enough, unlike passwords.
    return hashlib.sha256(secret.encode()).digest()


async def issue(
    session: AsyncSession,
    problems: Problems,
    *,
    name: str,
    role: Role,
    expires_at: datetime | None = None,
    lifetime: timedelta | None = None,
    kind: TokenKind = TokenKind.API,
    user_id: int | None = None,
    created_by_id: int | None = None,
) -> tuple[ApiToken, str]:
    """Make a token that expires at `expires_at`, or `lifetime` from now by the database clock;
    returns it with its secret, which is not stored and never shown again. The command that asks
    for it (create_token, users.login) records why in the audit log.

    Raises InputError (empty name, expiry in the past or without a time zone)."""
    name = required_line(problems, ("input", "name"), name, max_length=200)
    if expires_at is not None:
        if expires_at.tzinfo is None:
            problems.add(("input", "expiresAt"), "expiresAt needs a time zone offset")
        elif expires_at <= (await session.execute(select(db_now()))).scalar_one():
            problems.add(("input", "expiresAt"), "expiresAt must lie in the future")
    problems.raise_if_any()
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name,
        role=role.value,
        kind=kind.value,
        secret_hash=digest(secret),
        user_id=user_id,
        created_by_id=created_by_id,
        expires_at=db_now() + lifetime if lifetime is not None else expires_at,
    )
    session.add(token)
    await session.flush()
    return token, secret


async def create_token(
    session: AsyncSession,
    problems: Problems,
    viewer: Viewer,
    *,
    name: str,
    role: Role,
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Make a token for machines, acting as `role` alone, on the viewer's behalf; returns it with
    its secret. Raises InputError (empty name, expiry in the past or without a time zone)."""
    token, secret = await issue(
        session, problems, name=name, role=role, expires_at=expires_at, created_by_id=viewer.user_id
    )
    detail = {"name": token.name, "role": token.role}
    await audit.record(session, viewer, AuditAction.TOKEN_CREATE, ("ApiToken", token.id), detail=detail)
    return token, secret


async def _revoke(session: AsyncSession, viewer: Viewer, token_id: int) -> ApiToken:
    token = await session.get(ApiToken, token_id, with_for_update=True, populate_existing=True)
    if (
        token is None
        or token.revoked_at is not None
        or not policy.may_revoke_token(viewer, user_id=token.user_id, created_by_id=token.created_by_id)
    ):
        raise NotFound("no such token")
    token.revoked_at = db_now()
    await session.flush()
    return token


async def revoke_token(session: AsyncSession, viewer: Viewer, token_id: int) -> None:
    """Revoke a token from now on, if the viewer may (see `policy.may_revoke_token`).

    Raises NotFound (no such token, already revoked, or one the viewer may not revoke: the
    answer is the same, so it never hints that someone else's token exists)."""
    token = await _revoke(session, viewer, token_id)
    await audit.record(session, viewer, AuditAction.TOKEN_REVOKE, ("ApiToken", token.id), detail={"name": token.name})


async def logout(session: AsyncSession, viewer: Viewer) -> int:
    """Revoke the token the viewer's request was made with; returns its id.

    Raises Unauthenticated, Forbidden (an API token acting as a role alone: those are revoked
    with revoke_token, so that no script ends a shared machine credential by signing out),
    NotFound (already revoked meanwhile)."""
    policy.require_account(viewer)
    if viewer.token_id is None:  # a viewer with an account always came with a token
        raise Unauthenticated("sign in to sign out")
    await _revoke(session, viewer, viewer.token_id)
    await audit.record(session, viewer, AuditAction.LOGOUT, ("ApiToken", viewer.token_id))
    return viewer.token_id


def _live() -> list[ColumnElement[bool]]:
    """Tokens that still work: not revoked, not expired by the database clock."""
    return [ApiToken.revoked_at.is_(None), or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > db_now())]


_NEWEST_TOKENS: Keyset[ApiToken] = Keyset(
    "token:created:desc",
    ApiToken.created_at,
    ApiToken.id,
    True,
    lambda t: t.created_at.isoformat(),
    datetime.fromisoformat,
)


async def own_tokens(session: AsyncSession, viewer: Viewer, *, first: int | None, after: str | None) -> Page[ApiToken]:
    """The viewer's live tokens, newest first: their sign-in sessions and the API tokens they made.

    Raises Unauthenticated, Forbidden (no account), InputError (page size, cursor)."""
    user_id = policy.require_account(viewer)
    mine = or_(ApiToken.user_id == user_id, ApiToken.created_by_id == user_id)
    return await paginate(session, ApiToken, [mine, *_live()], _NEWEST_TOKENS, first=first, after=after)


async def authenticate(session: AsyncSession, secret: str) -> Viewer:
    """The viewer a bearer secret stands for.

    Raises Unauthenticated (unknown, expired, revoked, or its user is disabled)."""
    row = (
        await session.execute(
            select(
                ApiToken.id,
                ApiToken.role,
                ApiToken.user_id,
                or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < db_now() - _LAST_USED_RESOLUTION),
                User.author_id,
                User.role,
            )
            .outerjoin(User, User.id == ApiToken.user_id)
            .where(
                ApiToken.secret_hash == digest(secret),
                *_live(),
                # A disabled user's tokens stop working at once, and work again if re-enabled.
                or_(ApiToken.user_id.is_(None), User.disabled_at.is_(None)),
            )
        )
    ).one_or_none()
    if row is None:
        raise Unauthenticated("the token is unknown, expired or revoked, or its user is disabled")
    token_id, role, user_id, stale, author_id, user_role = row
    if stale:
        await session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=db_now()))
    # A login session follows its user's current role; an API token keeps the one it was given.
    return Viewer(role=Role(user_role or role), user_id=user_id, author_id=author_id, token_id=token_id)


async def tokens_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[ApiToken | None]:
    rows = {t.id: t for t in await session.scalars(select(ApiToken).where(ApiToken.id.in_(ids)))}
    return [rows.get(i) for i in ids]
