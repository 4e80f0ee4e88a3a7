from __future__ import annotations

from datetime import datetime
from typing import Any, TypeAlias

import strawberry
from strawberry.permission import BasePermission, PermissionExtension

from cms.auth import Role as RoleEnum
from cms.db import ApiToken as ApiTokenRow
from cms.db import User as UserRow
from cms.graphql.authors.types import Author
from cms.graphql.common import Node
from cms.graphql.context import Info
from cms.graphql.errors import UserError, api_error
from cms.graphql.ids import to_global_id
from cms.services.errors import Code

strawberry.enum(RoleEnum, name="Role", description="What a user or token may do.")
Role: TypeAlias = RoleEnum


class SelfOrAdmin(BasePermission):
    """A user's private details are for that user and for administrators."""

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        viewer = info.context.viewer
        if viewer.role is RoleEnum.ADMIN or (viewer.user_id is not None and viewer.user_id == source._pk):
            return True
        if source._signed_in_now:  # the user who just proved their password in `login`
            return True
        raise api_error(Code.FORBIDDEN, "only the user and administrators see this")


@strawberry.type(description="A person who signs in.")
class User(Node):
    name: str = strawberry.field(description="Their name.")
    role: Role = strawberry.field(description="What they may do.")
    _pk: strawberry.Private[int]
    _email: strawberry.Private[str]
    _author_id: strawberry.Private[int | None]
    _signed_in_now: strawberry.Private[bool] = False

    @classmethod
    def from_row(cls, u: UserRow, *, signed_in_now: bool = False) -> User:
        return cls(
            id=strawberry.ID(to_global_id("User", u.id)),
            name=u.name,
            role=RoleEnum(u.role),
            _pk=u.id,
            _email=u.email,
            _author_id=u.author_id,
            _signed_in_now=signed_in_now,
        )

    @strawberry.field(
        extensions=[PermissionExtension([SelfOrAdmin()], use_directives=False)],
        description="Their sign-in email; only for themselves and administrators.",
    )
    def email(self) -> str:
        return self._email

    @strawberry.field(description="The byline an AUTHOR writes as.")
    async def author(self, info: Info) -> Author | None:
        if self._author_id is None:
            return None
        row = await info.context.loaders.author.load(self._author_id)
        return Author.from_row(row) if row else None


@strawberry.type(description="Who the request is made as; null fields mean anonymous.")
class Viewer:
    user: User | None = strawberry.field(description="The signed-in user; null for API tokens and anonymous.")
    role: Role | None = strawberry.field(description="The role the request acts with.")


@strawberry.type(description="A bearer token for machines; its secret is shown once.")
class ApiToken(Node):
    name: str = strawberry.field(description="What it is for.")
    role: Role = strawberry.field(description="What it may do.")
    created_at: datetime = strawberry.field(description="When it was made.")
    expires_at: datetime | None = strawberry.field(description="When it stops working; null for never.")
    last_used_at: datetime | None = strawberry.field(description="When it was last used (to the minute).")

    @classmethod
    def from_row(cls, t: ApiTokenRow) -> ApiToken:
        return cls(
            id=strawberry.ID(to_global_id("ApiToken", t.id)),
            name=t.name,
            role=RoleEnum(t.role),
            created_at=t.created_at,
            expires_at=t.expires_at,
            last_used_at=t.last_used_at,
        )


@strawberry.input(description="A new user.")
class CreateUserInput:
    email: str = strawberry.field(description="Sign-in email, unique.")
    name: str = strawberry.field(description="Their name.")
    role: Role = strawberry.field(description="What they may do.")
    password: str = strawberry.field(description="At least 12 characters; stored only as a slow salted hash.")
    author_id: strawberry.ID | None = strawberry.field(
        default=None, description="Links an AUTHOR user to the byline whose articles they may edit."
    )


@strawberry.type(description="The result of createUser.")
class UserPayload:
    user: User | None = strawberry.field(description="The user as saved; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the input was refused.")


@strawberry.type(description="The result of login.")
class LoginPayload:
    token: str | None = strawberry.field(description="Bearer token for the Authorization header; shown once.")
    user: User | None = strawberry.field(description="Who signed in.")
    user_errors: list[UserError] = strawberry.field(description="Why sign-in failed.")


@strawberry.input(description="A new API token.")
class CreateApiTokenInput:
    name: str = strawberry.field(description="What it is for, e.g. 'web frontend'.")
    role: Role = strawberry.field(description="What it may do.")
    expires_at: datetime | None = strawberry.field(default=None, description="When it stops working.")


@strawberry.type(description="The result of createApiToken.")
class CreateApiTokenPayload:
    api_token: ApiToken | None = strawberry.field(description="The token's record.")
    token: str | None = strawberry.field(description="The secret itself; it is never shown again.")
    user_errors: list[UserError] = strawberry.field(description="Why the input was refused.")
