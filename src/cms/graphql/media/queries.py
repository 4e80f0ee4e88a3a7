"""Reading media: one item by ID."""

from __future__ import annotations

import strawberry

from cms.graphql.context import Info
from cms.graphql.ids import query_id
from cms.graphql.media.types import Media
from cms.graphql.permissions import public


@strawberry.type
class MediaQueries:
    @strawberry.field(extensions=[public()], description="One media item by ID.")
    async def media(self, info: Info, id: strawberry.ID) -> Media | None:
        row = await info.context.loaders.media.by_id.load(query_id(id, "Media"))
        return Media.from_row(row) if row else None
