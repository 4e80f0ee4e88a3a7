"""Reading who the request is made as, and the users administrators manage."""

from __future__ import annotations

import strawberry

from cms.graphql.common import Connection, connection
from cms.graphql.context import Info
from cms.graphql.errors import run_query
from cms.graphql.permissions import gate, public
from cms.graphql.users.types import After, First, User, Viewer
from cms.services import users as service
from cms.services.policy import Action


@strawberry.type
class UserQueries:
    @strawberry.field(extensions=[public()], description="Who the request is made as.")
    async def viewer(self, info: Info) -> Viewer:
        v = info.context.viewer
        row = await info.context.loaders.users.by_id.load(v.user_id) if v.user_id is not None else None
        return Viewer(user=User.from_row(row) if row else None, role=v.role)

    @strawberry.field(extensions=[gate(Action.MANAGE_USERS)], description="ADMIN only: every user, by email.")
    async def users(self, info: Info, first: First = None, after: After = None) -> Connection[User]:
        page = await run_query(info, lambda s: service.list_users(s, first=first, after=after))
        return connection(page, wrap=User.from_row)
