"""Writing authors: create, update, delete."""

from __future__ import annotations

import strawberry

from cms.graphql.authors.inputs import CreateAuthorInput, UpdateAuthorInput, to_fields
from cms.graphql.authors.types import Author, AuthorPayload
from cms.graphql.common import DeletePayload, run_delete
from cms.graphql.context import Info
from cms.graphql.errors import run_mutation, run_on
from cms.graphql.permissions import gate
from cms.services import authors as service
from cms.services.errors import Problems
from cms.services.policy import Action


@strawberry.type
class AuthorMutations:
    @strawberry.mutation(extensions=[gate(Action.MANAGE_AUTHORS)], description="Create an author.")
    async def create_author(self, info: Info, input: CreateAuthorInput) -> AuthorPayload:
        problems = Problems()
        fields = to_fields(problems, input)
        viewer = info.context.viewer
        row, errors = await run_mutation(info, problems, lambda s: service.create_author(s, problems, viewer, fields))
        return AuthorPayload(author=Author.from_row(row) if row else None, user_errors=errors)

    @strawberry.mutation(
        extensions=[gate(Action.MANAGE_AUTHORS)], description="Change an author; only the fields given."
    )
    async def update_author(self, info: Info, id: strawberry.ID, input: UpdateAuthorInput) -> AuthorPayload:
        problems = Problems()
        fields = to_fields(problems, input)
        viewer = info.context.viewer
        row, errors = await run_on(
            info, problems, id, "Author", lambda s, pk: service.update_author(s, problems, viewer, pk, fields)
        )
        return AuthorPayload(author=Author.from_row(row) if row else None, user_errors=errors)

    @strawberry.mutation(extensions=[gate(Action.MANAGE_AUTHORS)], description="Delete an author with no bylines.")
    async def delete_author(self, info: Info, id: strawberry.ID) -> DeletePayload:
        viewer = info.context.viewer
        return await run_delete(info, id, "Author", lambda s, pk: service.delete_author(s, viewer, pk))
