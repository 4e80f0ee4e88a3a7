"""Users, passwords and bearer tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from cms.auth import Viewer
from cms.db import ApiToken, Author, User
from cms.db.base import db_now
from cms.services.errors import InputError, NotFound, Problem, Problems, Unauthenticated
from cms.services.text import required_line
from cms.vocabulary import ErrorCode, Role

MIN_PASSWORD = 12
TOKEN_PREFIX = "cms_"  # noqa: S105 - a prefix that makes leaked tokens easy to spot, not a secret
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_hasher = PasswordHasher()
# Verified against when the email is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")
# lastUsedAt is written at most this often per token, not on every request.
_LAST_USED_RESOLUTION = timedelta(minutes=1)


def _digest(secret: str) -> bytes:
    # Tokens are 256 random bits: a fast hash is enough, unlike passwords.
    return hashlib.sha256(secret.encode()).digest()


def check_password(problems: Problems, path: Sequence[str], password: str) -> None:
    if len(password) < MIN_PASSWORD:
        problems.add(path, f"a password has at least {MIN_PASSWORD} characters")
    elif len(password) > 1000:
        problems.add(path, "a password has at most 1000 characters")


async def users_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[User | None]:
    rows = {u.id: u for u in await session.scalars(select(User).where(User.id.in_(ids)))}
    return [rows.get(i) for i in ids]


async def create_user(
    session: AsyncSession,
    problems: Problems,
    *,
    email: str,
    name: str,
    role: Role,
    password: str,
    author_id: int | None = None,
) -> User:
    """Create a user with a hashed password.

    Raises InputError (bad or taken email, short password, unknown author)."""
    email = email.strip().lower()
    if not _EMAIL.match(email) or len(email) > 320:
        problems.add(("input", "email"), "email must look like name@example.com")
    elif await session.scalar(select(User.id).where(User.email == email)) is not None:
        problems.add(("input", "email"), "a user with this email exists", ErrorCode.ALREADY_EXISTS)
    name = required_line(problems, ("input", "name"), name, max_length=200)
    check_password(problems, ("input", "password"), password)
    if author_id is not None and await session.get(Author, author_id) is None:
        problems.add(("input", "authorId"), "no such author", ErrorCode.NOT_FOUND)
    problems.raise_if_any()
    user = User(email=email, name=name, role=role.value, password_hash=_hasher.hash(password), author_id=author_id)
    session.add(user)
    await session.flush()
    return user


async def login(session: AsyncSession, problems: Problems, *, email: str, password: str, days: int) -> tuple[User, str]:
    """Check a password and open a session token. Raises InputError (wrong email or password)."""
    user = (await session.scalars(select(User).where(User.email == email.strip().lower()))).one_or_none()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
        ok = user is not None
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or user is None:
        # One answer for a wrong email and a wrong password: nothing tells which accounts exist.
        raise InputError([Problem(("password",), "the email or password is wrong")])
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    _, secret = await create_token(
        session,
        problems,
        name=f"login {datetime.now(UTC):%Y-%m-%d %H:%M}",
        role=Role(user.role),
        kind="login",
        user_id=user.id,
        created_by_id=user.id,
        lifetime=timedelta(days=days),
    )
    return user, secret


async def create_token(
    session: AsyncSession,
    problems: Problems,
    *,
    name: str,
    role: Role,
    expires_at: datetime | None = None,
    lifetime: timedelta | None = None,
    kind: str = "api",
    user_id: int | None = None,
    created_by_id: int | None = None,
) -> tuple[ApiToken, str]:
    """Make a token that expires at `expires_at`, or `lifetime` from now by the database clock;
    returns it with its secret, which is not stored and never shown again.

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
        kind=kind,
        secret_hash=_digest(secret),
        user_id=user_id,
        created_by_id=created_by_id,
        expires_at=db_now() + lifetime if lifetime is not None else expires_at,
    )
    session.add(token)
    await session.flush()
    return token, secret


async def revoke_token(session: AsyncSession, token_id: int) -> None:
    """Revoke a token from now on. Raises NotFound (no such token, or already revoked)."""
    result = await session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=db_now())
        .returning(ApiToken.id)
    )
    if result.scalar_one_or_none() is None:
        raise NotFound("no such token")


async def authenticate(session: AsyncSession, secret: str) -> Viewer:
    """The viewer a bearer secret stands for. Raises Unauthenticated (unknown, expired, revoked)."""
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
                ApiToken.secret_hash == _digest(secret),
                ApiToken.revoked_at.is_(None),
                or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > db_now()),
            )
        )
    ).one_or_none()
    if row is None:
        raise Unauthenticated("the token is unknown, expired or revoked")
    token_id, role, user_id, stale, author_id, user_role = row
    if stale:
        await session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=db_now()))
    # A login session follows its user's current role; an API token keeps the one it was given.
    return Viewer(role=Role(user_role or role), user_id=user_id, author_id=author_id, token_id=token_id)


async def tokens_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[ApiToken | None]:
    rows = {t.id: t for t in await session.scalars(select(ApiToken).where(ApiToken.id.in_(ids)))}
    return [rows.get(i) for i in ids]
