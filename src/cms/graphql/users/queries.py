"""Reading who the request is made as."""

from __future__ import annotations

import strawberry

from cms.graphql.context import Info
from cms.graphql.permissions import public
from cms.graphql.users.types import User, Viewer


@strawberry.type
class UserQueries:
    @strawberry.field(extensions=[public()], description="Who the request is made as.")
    async def viewer(self, info: Info) -> Viewer:
        v = info.context.viewer
        row = await info.context.loaders.users.by_id.load(v.user_id) if v.user_id is not None else None
        return Viewer(user=User.from_row(row) if row else None, role=v.role)
