"""`node(id)`: any object by its global ID, as the caller may see it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from strawberry.dataloader import DataLoader

from cms.graphql.articles.revisions import revision_node
from cms.graphql.articles.types import Article
from cms.graphql.audit.queries import audit_event
from cms.graphql.authors.types import Author
from cms.graphql.common import Node
from cms.graphql.context import Info
from cms.graphql.ids import BadId, invalid_id, parse_global_id
from cms.graphql.media.types import Media
from cms.graphql.permissions import public
from cms.graphql.taxonomy.types import Section, Tag
from cms.graphql.trending.types import TrendingList
from cms.graphql.users.types import ApiToken, User
from cms.services import policy

Resolve = Callable[[int], Awaitable[Any]]


def _via(
    loader: DataLoader[int, Any], wrap: Callable[[Any], Any], allowed: Callable[[int], bool] | None = None
) -> Resolve:
    async def load(pk: int) -> Any:
        if allowed is not None and not allowed(pk):
            return None
        row = await loader.load(pk)
        return wrap(row) if row is not None else None

    return load


def _resolvers(info: Info) -> dict[str, Resolve]:
    loaders, viewer = info.context.loaders, info.context.viewer
    return {
        # Articles are filtered by their loader, which sees only what the viewer may read.
        "Article": _via(loaders.articles.by_id, Article.from_row),
        "Author": _via(loaders.authors.by_id, Author.from_row),
        "Media": _via(loaders.media.by_id, Media.from_row),
        "Section": _via(loaders.taxonomy.section, Section.from_row),
        "Tag": _via(loaders.taxonomy.tag, Tag.from_row),
        "TrendingList": _via(loaders.trending.by_id, TrendingList.from_row),
        "User": _via(loaders.users.by_id, User.from_row, lambda pk: policy.reads_user(viewer, pk)),
        "ApiToken": _via(loaders.users.token, ApiToken.from_row, lambda pk: policy.reads_tokens(viewer)),
        "Revision": lambda pk: revision_node(info, pk),
        "AuditEvent": lambda pk: audit_event(info, pk),
    }


@strawberry.type
class NodeQueries:
    @strawberry.field(extensions=[public()], description="Any object by its global ID; null when absent or hidden.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        try:
            type_name, pk = parse_global_id(id)
        except BadId as exc:
            raise invalid_id(str(exc)) from None
        resolve = _resolvers(info).get(type_name)
        if resolve is None:
            raise invalid_id(f"no object type is called {type_name}")
        result: Node | None = await resolve(pk)
        return result
