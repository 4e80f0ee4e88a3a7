"""`node(id)`: any object by its global ID, as the caller may see it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry

from cms.auth import Role
from cms.graphql.articles.types import Article
from cms.graphql.authors.types import Author
from cms.graphql.common import Node
from cms.graphql.context import Info
from cms.graphql.errors import api_error
from cms.graphql.ids import BadId, parse_global_id
from cms.graphql.media.types import Media
from cms.graphql.permissions import public
from cms.graphql.taxonomy.types import Section, Tag
from cms.graphql.trending.types import TrendingList
from cms.graphql.users.types import ApiToken, User
from cms.services.errors import Code


def _resolvers(info: Info) -> dict[str, Callable[[int], Awaitable[Any]]]:
    loaders, viewer = info.context.loaders, info.context.viewer

    def via(loader: Any, wrap: Any) -> Callable[[int], Awaitable[Any]]:
        async def load(pk: int) -> Any:
            row = await loader.load(pk)
            return wrap(row) if row is not None else None

        return load

    async def user(pk: int) -> Any:
        # Other people's accounts are for administrators only.
        if viewer.role is Role.ADMIN or viewer.user_id == pk:
            return await via(loaders.user, User.from_row)(pk)
        return None

    async def token(pk: int) -> Any:
        return await via(loaders.token, ApiToken.from_row)(pk) if viewer.role is Role.ADMIN else None

    return {
        "Article": via(loaders.article, Article.from_row),
        "Author": via(loaders.author, Author.from_row),
        "Media": via(loaders.media, Media.from_row),
        "Section": via(loaders.section, Section.from_row),
        "Tag": via(loaders.tag, Tag.from_row),
        "TrendingList": via(loaders.trending_list, TrendingList.from_row),
        "User": user,
        "ApiToken": token,
    }


@strawberry.type
class NodeQueries:
    @strawberry.field(extensions=[public()], description="Any object by its global ID; null when absent or hidden.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        try:
            type_name, pk = parse_global_id(id)
        except BadId as exc:
            raise api_error(Code.INVALID, f"id: {exc}", field=["id"]) from None
        resolve = _resolvers(info).get(type_name)
        if resolve is None:
            raise api_error(Code.INVALID, f"id: no object type is called {type_name}", field=["id"])
        result: Node | None = await resolve(pk)
        return result
