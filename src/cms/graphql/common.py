"""Types every domain shares: Node, connections, PageInfo, ordering, delete payloads."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from cms.graphql.context import Info
from cms.graphql.errors import UserError, run_on
from cms.services.errors import Problems
from cms.services.pagination import Page

T = TypeVar("T")
R = TypeVar("R")


@strawberry.interface(description="An object with a global ID, fetchable with `node(id)`.")
class Node:
    id: strawberry.ID = strawberry.field(description="The global ID.")


@strawberry.type(description="Where a page stands in its list (Relay).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more items follow this page.")
    has_previous_page: bool = strawberry.field(
        description="Whether items precede this page; always false when paging forward with `after`."
    )
    start_cursor: str | None = strawberry.field(description="The cursor of the first item.")
    end_cursor: str | None = strawberry.field(description="Pass as `after` to read the next page.")


@strawberry.type(description="An item of a list with its cursor.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Pass as `after` to read the items after this one.")
    node: T = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list (Relay connection).")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The items of this page.")
    page_info: PageInfo = strawberry.field(description="Where this page stands.")
    _page: strawberry.Private[Page[Any]]

    @strawberry.field(description="How many items the whole list holds.")
    async def total_count(self, info: Info) -> int:
        # Counted only when asked for, on the request's session, in turn with sibling fields.
        async with info.context.db():
            return await self._page.count()


def connection(page: Page[R], wrap: Callable[[R], T]) -> Connection[T]:
    """A connection over a page of ORM rows, each wrapped as a GraphQL type by `wrap`."""
    edges = [Edge(cursor=c, node=wrap(item)) for item, c in zip(page.items, page.cursors, strict=True)]
    info = PageInfo(
        has_next_page=page.has_next,
        has_previous_page=False,
        start_cursor=page.cursors[0] if page.cursors else None,
        end_cursor=page.cursors[-1] if page.cursors else None,
    )
    return Connection(edges=edges, page_info=info, _page=page)


@strawberry.type(description="The result of a delete.")
class DeletePayload:
    deleted_id: strawberry.ID | None = strawberry.field(description="The global ID of what was deleted.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was deleted, if so.")


async def run_delete(
    info: Info, id: strawberry.ID, type_name: str, action: Callable[[AsyncSession, int], Awaitable[None]]
) -> DeletePayload:
    """Decode `id` as `type_name` and run a delete command on it, as a DeletePayload."""
    _, errors = await run_on(info, Problems(), id, type_name, action)
    return DeletePayload(deleted_id=None if errors else id, user_errors=errors)
