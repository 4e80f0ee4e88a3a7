"""Users, the viewer and API tokens as clients read them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from cms.db import ApiToken as ApiTokenRow
from cms.db import User as UserRow
from cms.graphql.authors.types import Author
from cms.graphql.common import Connection, Node, connection
from cms.graphql.context import Info
from cms.graphql.errors import UserError, run_query
from cms.graphql.ids import to_global_id
from cms.graphql.permissions import gate, own_account
from cms.services import tokens
from cms.services.policy import Action
from cms.vocabulary import Role, TokenKind

First = Annotated[int | None, strawberry.argument(description="Page size: 20 by default, at most 100.")]
After = Annotated[str | None, strawberry.argument(description="The endCursor of the previous page.")]


@strawberry.type(description="A person who signs in.")
class User(Node):
    name: str = strawberry.field(description="Their name.")
    role: Role = strawberry.field(description="What they may do.")
    disabled: bool = strawberry.field(
        description="A disabled user cannot sign in, and every token of theirs is refused until re-enabled."
    )
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
            disabled=u.disabled_at is not None,
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


@strawberry.type(description="A bearer token: a sign-in session, or a token for machines; its secret is shown once.")
class ApiToken(Node):
    name: str = strawberry.field(description="What it is for; a sign-in session is named after when it began.")
    role: Role = strawberry.field(
        description="What it may do; a sign-in session acts with its user's current role instead."
    )
    kind: TokenKind = strawberry.field(description="A sign-in session (LOGIN) or a token for machines (API).")
    created_at: datetime = strawberry.field(description="When it was made.")
    expires_at: datetime | None = strawberry.field(description="When it stops working; null for never.")
    last_used_at: datetime | None = strawberry.field(description="When it was last used (to the minute).")
    _pk: strawberry.Private[int]

    @classmethod
    def from_row(cls, t: ApiTokenRow) -> ApiToken:
        return cls(
            id=strawberry.ID(to_global_id("ApiToken", t.id)),
            name=t.name,
            role=Role(t.role),
            kind=TokenKind(t.kind),
            created_at=t.created_at,
            expires_at=t.expires_at,
            last_used_at=t.last_used_at,
            _pk=t.id,
        )

    @strawberry.field(description="Whether this request is made with this token.")
    def current(self, info: Info) -> bool:
        return info.context.viewer.token_id == self._pk


@strawberry.type(description="Who the request is made as; null fields mean anonymous.")
class Viewer:
    user: User | None = strawberry.field(description="The signed-in user; null for API tokens and anonymous.")
    role: Role | None = strawberry.field(description="The role the request acts with.")

    @strawberry.field(
        extensions=[gate(Action.OWN_ACCOUNT)],
        description=(
            "Your live tokens, newest first: your sign-in sessions and the API tokens you made; revoked "
            "and expired ones are left out. For signed-in users only: an API token has no account."
        ),
    )
    async def tokens(self, info: Info, first: First = None, after: After = None) -> Connection[ApiToken]:
        viewer = info.context.viewer
        page = await run_query(info, lambda s: tokens.own_tokens(s, viewer, first=first, after=after))
        return connection(page, wrap=ApiToken.from_row)


@strawberry.type(description="The result of createUser, updateUser and changePassword.")
class UserPayload:
    user: User | None = strawberry.field(description="The user as saved; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the input was refused.")


@strawberry.type(description="The result of login.")
class LoginPayload:
    token: str | None = strawberry.field(description="Bearer token for the Authorization header; shown once.")
    user: User | None = strawberry.field(description="Who signed in.")
    user_errors: list[UserError] = strawberry.field(
        description="Why sign-in failed: a wrong email or password (INVALID), or too many failures (RATE_LIMITED)."
    )


@strawberry.type(description="The result of createApiToken.")
class CreateApiTokenPayload:
    api_token: ApiToken | None = strawberry.field(description="The token's record.")
    token: str | None = strawberry.field(description="The secret itself; it is never shown again.")
    user_errors: list[UserError] = strawberry.field(description="Why the input was refused.")
