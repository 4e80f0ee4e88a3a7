"""How failures reach clients: userErrors for expected input problems, coded GraphQL errors for
the rest. Every error carries `extensions.code`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeAlias, TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from cms.graphql.context import Info
from cms.services.errors import Code, DomainError, InputError, NotFound, Problem, Problems
from graphql import GraphQLError

T = TypeVar("T")

strawberry.enum(Code, name="ErrorCode", description="What kind of problem an error reports.")
ErrorCode: TypeAlias = Code


@strawberry.type(description="A problem with the caller's input; mutations return these instead of raising.")
class UserError:
    field: list[str] | None = strawberry.field(description='Path to the offending input field, e.g. ["input", "slug"].')
    message: str = strawberry.field(description="What is wrong, in words for the editor.")
    code: ErrorCode = strawberry.field(description="What kind of problem it is.")

    @classmethod
    def of(cls, problem: Problem) -> UserError:
        return cls(field=list(problem.field) if problem.field else None, message=problem.message, code=problem.code)


def api_error(code: Code | str, message: str, **extensions: object) -> GraphQLError:
    return GraphQLError(message, extensions={"code": str(code), **extensions})


def to_graphql_error(exc: DomainError) -> GraphQLError:
    """A domain error raised in a query, as a coded GraphQL error."""
    if isinstance(exc, InputError):
        first = exc.problems[0]
        return api_error(first.code, exc.message, field=list(first.field or ()))
    return api_error(exc.code, exc.message)


async def run_query(info: Info, action: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run a read on the request's session; domain errors become coded GraphQL errors."""
    async with info.context.db() as session:
        try:
            return await action(session)
        except DomainError as exc:
            raise to_graphql_error(exc) from None


async def run_mutation(
    info: Info,
    problems: Problems,
    action: Callable[[AsyncSession], Awaitable[T]],
    *,
    id_field: str = "id",
) -> tuple[T | None, list[UserError]]:
    """Run a command inside a savepoint: on any refusal its writes are undone, nothing else.

    `problems` may already hold what the API layer found (IDs that do not decode); the command
    still runs, so that one call reports every problem of the input. Returns the result, or
    the user errors that explain the refusal. Forbidden and Unauthenticated are not input
    problems: they are raised as top-level errors.
    """
    async with info.context.db() as session:
        try:
            async with session.begin_nested():
                result = await action(session)
                problems.raise_if_any()
        except InputError as exc:
            return None, [UserError.of(p) for p in exc.problems]
        except NotFound as exc:
            found = problems.items or [Problem((id_field,), exc.message, Code.NOT_FOUND)]
            return None, [UserError.of(p) for p in found]
        except DomainError as exc:
            raise to_graphql_error(exc) from None
    info.context.loaders.clear_all()
    return result, []
