"""Signing in, and what administrators do with users and tokens."""

from __future__ import annotations

import strawberry

from cms.graphql.common import DeletePayload, run_delete
from cms.graphql.context import Info
from cms.graphql.errors import run_mutation
from cms.graphql.ids import decode_field
from cms.graphql.permissions import gate
from cms.graphql.users.inputs import CreateApiTokenInput, CreateUserInput
from cms.graphql.users.types import ApiToken, CreateApiTokenPayload, LoginPayload, User, UserPayload
from cms.services import users as service
from cms.services.errors import Problems
from cms.services.policy import Action


@strawberry.type
class UserMutations:
    @strawberry.mutation(extensions=[gate(Action.SIGN_IN)], description="Sign in with email and password.")
    async def login(self, info: Info, email: str, password: str) -> LoginPayload:
        problems = Problems()
        days = info.context.settings.login_token_days
        result, errors = await run_mutation(
            info, problems, lambda s: service.login(s, problems, email=email, password=password, days=days)
        )
        if result is None:
            return LoginPayload(token=None, user=None, user_errors=errors)
        user, secret = result
        return LoginPayload(token=secret, user=User.from_row(user, signed_in_now=True), user_errors=[])

    @strawberry.mutation(extensions=[gate(Action.MANAGE_USERS)], description="ADMIN only.")
    async def create_user(self, info: Info, input: CreateUserInput) -> UserPayload:
        problems = Problems()
        author_id = decode_field(problems, ("input", "authorId"), input.author_id, "Author")
        row, errors = await run_mutation(
            info,
            problems,
            lambda s: service.create_user(
                s,
                problems,
                email=input.email,
                name=input.name,
                role=input.role,
                password=input.password,
                author_id=author_id,
            ),
        )
        return UserPayload(user=User.from_row(row) if row else None, user_errors=errors)

    @strawberry.mutation(extensions=[gate(Action.MANAGE_TOKENS)], description="ADMIN only: a token for a machine.")
    async def create_api_token(self, info: Info, input: CreateApiTokenInput) -> CreateApiTokenPayload:
        problems = Problems()
        viewer = info.context.viewer
        result, errors = await run_mutation(
            info,
            problems,
            lambda s: service.create_token(
                s,
                problems,
                name=input.name,
                role=input.role,
                expires_at=input.expires_at,
                created_by_id=viewer.user_id,
            ),
        )
        if result is None:
            return CreateApiTokenPayload(api_token=None, token=None, user_errors=errors)
        row, secret = result
        return CreateApiTokenPayload(api_token=ApiToken.from_row(row), token=secret, user_errors=[])

    @strawberry.mutation(
        extensions=[gate(Action.MANAGE_TOKENS)], description="ADMIN only: the token stops working at once."
    )
    async def revoke_api_token(self, info: Info, id: strawberry.ID) -> DeletePayload:
        return await run_delete(info, id, "ApiToken", service.revoke_token)
