"""How failures reach clients: userErrors for expected input problems, coded GraphQL errors for
the rest. Every error carries `extensions.code`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from cms.graphql.context import Info
from cms.graphql.ids import BadId, decode_id, id_problem
from cms.services.errors import DomainError, InputError, NotFound, Problem, Problems
from cms.vocabulary import ErrorCode
from graphql import GraphQLError

T = TypeVar("T")


@strawberry.type(description="A problem with the caller's input; mutations return these instead of raising.")
class UserError:
    field: list[str] | None = strawberry.field(description='Path to the offending input field, e.g. ["input", "slug"].')
    message: str = strawberry.field(description="What is wrong, in words for the editor.")
    code: ErrorCode = strawberry.field(description="What kind of problem it is.")

    @classmethod
    def of(cls, problem: Problem) -> UserError:
        return cls(field=list(problem.field) if problem.field else None, message=problem.message, code=problem.code)


def api_error(code: ErrorCode, message: str, **extensions: object) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code.value, **extensions})


def to_graphql_error(exc: DomainError) -> GraphQLError:
    """A domain error raised outside a mutation's input checks, as a coded GraphQL error."""
    if isinstance(exc, InputError):
        first = exc.problems[0]
        return api_error(first.code, exc.message, field=list(first.field or ()))
    return api_error(exc.code, exc.message)


async def run_query(info: Info, action: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run a read on the operation's session; domain errors become coded GraphQL errors."""
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
            found = problems.items or [Problem((id_field,), exc.message, ErrorCode.NOT_FOUND)]
            return None, [UserError.of(p) for p in found]
        except DomainError as exc:
            raise to_graphql_error(exc) from None
    info.context.loaders.clear_all()
    return result, []


async def run_on(
    info: Info,
    problems: Problems,
    id: str,
    type_name: str,
    action: Callable[[AsyncSession, int], Awaitable[T]],
) -> tuple[T | None, list[UserError]]:
    """`run_mutation` on the object `id` names; an ID that does not decode as `type_name` is
    reported once, as INVALID at ["id"], and the command does not run."""
    try:
        pk = decode_id(id, type_name)
    except BadId as exc:
        return None, [UserError.of(p) for p in (id_problem(("id",), exc), *problems.items)]
    return await run_mutation(info, problems, lambda session: action(session, pk))
