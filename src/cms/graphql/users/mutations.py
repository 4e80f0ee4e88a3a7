"""Signing in and out, one's own password, and what administrators do with users and tokens."""

from __future__ import annotations

from typing import Annotated

import strawberry

from cms.graphql.common import DeletePayload, run_delete
from cms.graphql.context import Info
from cms.graphql.errors import UserError, run_mutation, run_on
from cms.graphql.ids import decode_field, to_global_id
from cms.graphql.permissions import gate
from cms.graphql.users.inputs import CreateApiTokenInput, CreateUserInput, UpdateUserInput, to_fields
from cms.graphql.users.types import ApiToken, CreateApiTokenPayload, LoginPayload, User, UserPayload
from cms.services import throttle, tokens
from cms.services import users as service
from cms.services.errors import Problems
from cms.services.policy import Action

Id = Annotated[strawberry.ID, strawberry.argument(description="The global ID.")]


@strawberry.type
class UserMutations:
    @strawberry.mutation(
        extensions=[gate(Action.SIGN_IN)],
        description=(
            "Sign in with email and password. Repeated failures for one account or from one address are "
            "answered slowly, then refused for a while with RATE_LIMITED, whether or not the email exists."
        ),
    )
    async def login(
        self,
        info: Info,
        email: Annotated[str, strawberry.argument(description="The sign-in email, in any case.")],
        password: Annotated[str, strawberry.argument(description="The password.")],
    ) -> LoginPayload:
        context = info.context
        attempt = throttle.Attempt(
            context.sessionmaker, throttle.Limits.of(context.settings), email=email, address=context.client_address
        )
        try:
            # Counted in a transaction of its own, before the password is checked: neither this
            # mutation's savepoint nor the operation's transaction can roll the count back.
            await attempt.admit()
        except throttle.RateLimited as exc:
            return LoginPayload(token=None, user=None, user_errors=[UserError.of(p) for p in exc.problems])
        problems = Problems()
        days, address = context.settings.login_token_days, context.client_address
        result, errors = await run_mutation(
            info,
            problems,
            lambda s: service.login(s, problems, email=email, password=password, days=days, address=address),
        )
        if result is None:
            await attempt.failed()
            return LoginPayload(token=None, user=None, user_errors=errors)
        await attempt.succeeded()
        user, secret = result
        return LoginPayload(token=secret, user=User.from_row(user, signed_in_now=True), user_errors=[])

    @strawberry.mutation(
        extensions=[gate(Action.OWN_ACCOUNT)],
        description=(
            "Sign out: revokes the sign-in session this request is made with. An API token is refused "
            "(FORBIDDEN): it is revoked with revokeApiToken."
        ),
    )
    async def logout(self, info: Info) -> DeletePayload:
        viewer = info.context.viewer
        token_id, errors = await run_mutation(info, Problems(), lambda s: tokens.logout(s, viewer))
        deleted = strawberry.ID(to_global_id("ApiToken", token_id)) if token_id is not None else None
        return DeletePayload(deleted_id=deleted, user_errors=errors)

    @strawberry.mutation(
        extensions=[gate(Action.OWN_ACCOUNT)],
        description=(
            "Change your own password; your other sign-in sessions end, this one and your API tokens "
            "stay. For signed-in users only."
        ),
    )
    async def change_password(
        self,
        info: Info,
        current_password: Annotated[str, strawberry.argument(description="The password you have now.")],
        new_password: Annotated[str, strawberry.argument(description="At least 12 characters.")],
    ) -> UserPayload:
        problems = Problems()
        viewer = info.context.viewer
        row, errors = await run_mutation(
            info, problems, lambda s: service.change_password(s, problems, viewer, current_password, new_password)
        )
        return UserPayload(user=User.from_row(row) if row else None, user_errors=errors)

    @strawberry.mutation(extensions=[gate(Action.MANAGE_USERS)], description="ADMIN only.")
    async def create_user(
        self, info: Info, input: Annotated[CreateUserInput, strawberry.argument(description="The new user.")]
    ) -> UserPayload:
        problems = Problems()
        viewer = info.context.viewer
        author_id = decode_field(problems, ("input", "authorId"), input.author_id, "Author")
        row, errors = await run_mutation(
            info,
            problems,
            lambda s: service.create_user(
                s,
                problems,
                viewer,
                email=input.email,
                name=input.name,
                role=input.role,
                password=input.password,
                author_id=author_id,
            ),
        )
        return UserPayload(user=User.from_row(row) if row else None, user_errors=errors)

    @strawberry.mutation(
        extensions=[gate(Action.MANAGE_USERS)],
        description=(
            "ADMIN only: change a user; only the fields given. The last active ADMIN cannot be demoted "
            "or disabled (CONFLICT)."
        ),
    )
    async def update_user(
        self,
        info: Info,
        id: Id,
        input: Annotated[UpdateUserInput, strawberry.argument(description="What to change.")],
    ) -> UserPayload:
        problems = Problems()
        fields = to_fields(problems, input)
        viewer = info.context.viewer
        row, errors = await run_on(
            info, problems, id, "User", lambda s, pk: service.update_user(s, problems, viewer, pk, fields)
        )
        return UserPayload(user=User.from_row(row) if row else None, user_errors=errors)

    @strawberry.mutation(
        extensions=[gate(Action.MANAGE_USERS)],
        description=(
            "ADMIN only: delete a user and their sign-in sessions; the API tokens they made keep working. "
            "The last active ADMIN cannot be deleted (CONFLICT)."
        ),
    )
    async def delete_user(self, info: Info, id: Id) -> DeletePayload:
        viewer = info.context.viewer
        return await run_delete(info, id, "User", lambda s, pk: service.delete_user(s, viewer, pk))

    @strawberry.mutation(extensions=[gate(Action.MANAGE_TOKENS)], description="ADMIN only: a token for a machine.")
    async def create_api_token(
        self, info: Info, input: Annotated[CreateApiTokenInput, strawberry.argument(description="The new token.")]
    ) -> CreateApiTokenPayload:
        problems = Problems()
        viewer = info.context.viewer
        result, errors = await run_mutation(
            info,
            problems,
            lambda s: tokens.create_token(
                s, problems, viewer, name=input.name, role=input.role, expires_at=input.expires_at
            ),
        )
        if result is None:
            return CreateApiTokenPayload(api_token=None, token=None, user_errors=errors)
        row, secret = result
        return CreateApiTokenPayload(api_token=ApiToken.from_row(row), token=secret, user_errors=[])

    @strawberry.mutation(
        extensions=[gate(Action.REVOKE_TOKENS)],
        description=(
            "The token stops working at once. ADMIN revokes any token; every other signed-in user their "
            "own (their sessions and the API tokens they made); any other is NOT_FOUND."
        ),
    )
    async def revoke_api_token(self, info: Info, id: Id) -> DeletePayload:
        viewer = info.context.viewer
        return await run_delete(info, id, "ApiToken", lambda s, pk: tokens.revoke_token(s, viewer, pk))
