"""Users, the viewer and API tokens as clients read them."""

from __future__ import annotations

from datetime import datetime

import strawberry

from cms.db import ApiToken as ApiTokenRow
from cms.db import User as UserRow
from cms.graphql.authors.types import Author
from cms.graphql.common import Node
from cms.graphql.context import Info
from cms.graphql.errors import UserError
from cms.graphql.ids import to_global_id
from cms.graphql.permissions import own_account
from cms.vocabulary import Role


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
            role=Role(u.role),
            _pk=u.id,
            _email=u.email,
            _author_id=u.author_id,
            _signed_in_now=signed_in_now,
        )

    @strawberry.field(
        extensions=[own_account()], description="Their sign-in email; only for themselves and administrators."
    )
    def email(self) -> str:
        return self._email

    @strawberry.field(description="The byline an AUTHOR writes as.")
    async def author(self, info: Info) -> Author | None:
        if self._author_id is None:
            return None
        row = await info.context.loaders.authors.by_id.load(self._author_id)
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
            role=Role(t.role),
            created_at=t.created_at,
            expires_at=t.expires_at,
            last_used_at=t.last_used_at,
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


@strawberry.type(description="The result of createApiToken.")
class CreateApiTokenPayload:
    api_token: ApiToken | None = strawberry.field(description="The token's record.")
    token: str | None = strawberry.field(description="The secret itself; it is never shown again.")
    user_errors: list[UserError] = strawberry.field(description="Why the input was refused.")
