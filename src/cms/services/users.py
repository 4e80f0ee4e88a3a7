"""Users and their passwords: accounts, sign-in, the last administrator."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from cms.auth import Viewer
from cms.db import ApiToken, Author, User
from cms.db.base import db_now
from cms.services import UNSET, audit, policy, save, tokens
from cms.services.errors import InputError, NotFound, Problem, Problems, Unauthenticated
from cms.services.pagination import Keyset, Page, paginate, text_key
from cms.services.text import required_line
from cms.vocabulary import AuditAction, ErrorCode, Role, TokenKind

MIN_PASSWORD = 12
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_hasher = PasswordHasher()
# Verified against when the email is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


async def _verify(password_hash: str | None, password: str) -> bool:
    """Whether the password matches; without a hash, verified against a dummy one all the same.

    Argon2 takes a good fraction of a second on purpose: in a thread, so other requests go on."""
    try:
        await asyncio.to_thread(_hasher.verify, password_hash or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    return password_hash is not None


async def _hash(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


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
    viewer: Viewer,
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
    user = User(email=email, name=name, role=role.value, password_hash=await _hash(password), author_id=author_id)
    session.add(user)
    await session.flush()
    await audit.record(session, viewer, AuditAction.USER_CREATE, ("User", user.id), detail=_names(user))
    return user


def _names(user: User) -> dict[str, str]:
    """What the log keeps to tell a user by, once changed or deleted; never the password hash."""
    return {"email": user.email, "name": user.name, "role": user.role}


_BY_EMAIL: Keyset[User] = Keyset("user:email", User.email, User.id, False, lambda u: u.email, text_key)


async def list_users(session: AsyncSession, *, first: int | None, after: str | None) -> Page[User]:
    """Every user, by email. Raises InputError (page size, cursor)."""
    return await paginate(session, User, [], _BY_EMAIL, first=first, after=after)


@dataclass
class UserFields:
    """What updateUser changes: only the fields not left as UNSET."""

    name: str | None = UNSET
    role: Role | None = UNSET
    disabled: bool | None = UNSET
    author_id: int | None = UNSET


def _last_admin(change: str) -> str:
    return f"this is the last active ADMIN and cannot be {change}; make another user ADMIN first"


def _is_active_admin(user: User) -> bool:
    return user.role == Role.ADMIN.value and user.disabled_at is None


def _state(user: User) -> dict[str, object]:
    """What updateUser changes, by the API's field names."""
    return {"name": user.name, "role": user.role, "disabled": user.disabled_at is not None, "authorId": user.author_id}


async def _lock_with_admins(session: AsyncSession, user_id: int) -> tuple[User | None, int]:
    """Lock the user and every active ADMIN; returns the user and how many active ADMINs there are.

    Two administrators demoting each other at once must not leave none: both lock the same rows
    in the same order (by id, so they cannot deadlock), and the second counts after the first
    has committed (PostgreSQL re-checks a locked row that changed meanwhile against the WHERE)."""
    rows = (
        await session.scalars(
            select(User)
            .where(or_(User.id == user_id, and_(User.role == Role.ADMIN.value, User.disabled_at.is_(None))))
            .order_by(User.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).all()
    return next((u for u in rows if u.id == user_id), None), sum(1 for u in rows if _is_active_admin(u))


async def update_user(
    session: AsyncSession, problems: Problems, viewer: Viewer, user_id: int, fields: UserFields
) -> User:
    """Change the fields given. A disabled user cannot sign in, and their tokens stop working.

    Raises NotFound, InputError (empty name, unknown author, CONFLICT: the last active ADMIN
    would be demoted or disabled)."""
    user, admins = await _lock_with_admins(session, user_id)
    if user is None:
        raise NotFound("no such user")
    before = _state(user)
    if fields.name is not UNSET:
        user.name = required_line(problems, ("input", "name"), fields.name or "", max_length=200)
    if fields.role is not UNSET:
        if fields.role is None:
            problems.add(("input", "role"), "role must not be null")
        elif fields.role is not Role.ADMIN and _is_active_admin(user) and admins <= 1:
            problems.add(("input", "role"), _last_admin("demoted"), ErrorCode.CONFLICT)
        else:
            user.role = fields.role.value
    if fields.disabled is not UNSET:
        if fields.disabled is None:
            problems.add(("input", "disabled"), "disabled must not be null")
        elif fields.disabled and _is_active_admin(user) and admins <= 1:
            problems.add(("input", "disabled"), _last_admin("disabled"), ErrorCode.CONFLICT)
        elif fields.disabled != (user.disabled_at is not None):
            user.disabled_at = db_now() if fields.disabled else None
    if fields.author_id is not UNSET:
        if fields.author_id is not None and await session.get(Author, fields.author_id) is None:
            problems.add(("input", "authorId"), "no such author", ErrorCode.NOT_FOUND)
        user.author_id = fields.author_id
    problems.raise_if_any()
    user.updated_at = db_now()
    await save(session, user)
    after = _state(user)
    changed = [key for key, value in after.items() if before[key] != value]
    # Who was given which role, or shut out: the log keeps the new values of these two.
    detail: dict[str, Any] = {key: after[key] for key in ("role", "disabled") if key in changed}
    await audit.record(session, viewer, AuditAction.USER_UPDATE, ("User", user.id), fields=changed, detail=detail)
    return user


async def delete_user(session: AsyncSession, viewer: Viewer, user_id: int) -> None:
    """Delete a user and their sign-in sessions; the API tokens they made keep working.

    Raises NotFound, InputError (CONFLICT: the last active ADMIN)."""
    user, admins = await _lock_with_admins(session, user_id)
    if user is None:
        raise NotFound("no such user")
    if _is_active_admin(user) and admins <= 1:
        raise InputError([Problem(("id",), _last_admin("deleted"), ErrorCode.CONFLICT)])
    # Written before the delete: an administrator deleting their own account deletes the session
    # they act with, which an event written afterwards could not refer to (a foreign key); written
    # before, the database clears the reference, as it does for any deleted actor.
    await audit.record(session, viewer, AuditAction.USER_DELETE, ("User", user.id), detail=_names(user))
    await session.delete(user)
    await session.flush()


async def change_password(session: AsyncSession, problems: Problems, viewer: Viewer, current: str, new: str) -> User:
    """Set the viewer's own password, and end their other sign-in sessions (not the one in use,
    nor the API tokens they made).

    Raises Unauthenticated, Forbidden (no account), InputError (wrong current password; a new
    one too short, too long or unchanged)."""
    user = await session.get(User, policy.require_account(viewer), with_for_update=True)
    if user is None:  # deleted since the request was authenticated
        raise Unauthenticated("your account no longer exists")
    right = await _verify(user.password_hash, current)
    if not right:
        problems.add(("currentPassword",), "the current password is wrong")
    check_password(problems, ("newPassword",), new)
    if right and new == current:
        problems.add(("newPassword",), "the new password must differ from the current one")
    problems.raise_if_any()
    user.password_hash = await _hash(new)
    user.updated_at = db_now()
    others = [ApiToken.user_id == user.id, ApiToken.kind == TokenKind.LOGIN.value, ApiToken.revoked_at.is_(None)]
    if viewer.token_id is not None:
        others.append(ApiToken.id != viewer.token_id)
    ended = await session.scalars(update(ApiToken).where(*others).values(revoked_at=db_now()).returning(ApiToken.id))
    detail = {"sessionsEnded": len(ended.all())}
    await save(session, user)
    await audit.record(session, viewer, AuditAction.USER_PASSWORD_CHANGE, ("User", user.id), detail=detail)
    return user


async def login(
    session: AsyncSession, problems: Problems, *, email: str, password: str, days: int, address: str | None = None
) -> tuple[User, str]:
    """Check a password and open a session token; `address` is the client's, for the audit log.
    A failure is recorded by the throttle (throttle.Attempt.failed), whose transaction outlives
    this one.

    Raises InputError (wrong email or password, or a disabled user)."""
    user = (await session.scalars(select(User).where(User.email == email.strip().lower()))).one_or_none()
    ok = await _verify(user.password_hash if user else None, password)
    if not ok or user is None or user.disabled_at is not None:
        # One answer for a wrong email, a wrong password and a disabled user: nothing tells which
        # accounts exist, nor confirms the password of a disabled one.
        raise InputError([Problem(("password",), "the email or password is wrong")])
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = await _hash(password)
    token, secret = await tokens.issue(
        session,
        problems,
        name=f"login {datetime.now(UTC):%Y-%m-%d %H:%M}",
        role=Role(user.role),
        kind=TokenKind.LOGIN,
        user_id=user.id,
        created_by_id=user.id,
        lifetime=timedelta(days=days),
    )
    # The actor is the user, acting with the session just opened.
    actor = Viewer(user_id=user.id, token_id=token.id)
    await audit.record(session, actor, AuditAction.LOGIN, ("ApiToken", token.id), detail={"address": address})
    return user, secret
