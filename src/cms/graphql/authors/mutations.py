from __future__ import annotations

import strawberry

from cms.graphql.authors.types import Author, AuthorPayload, CreateAuthorInput, UpdateAuthorInput
from cms.graphql.common import DeletePayload, run_delete
from cms.graphql.context import Info
from cms.graphql.errors import run_mutation
from cms.graphql.ids import decode_field
from cms.graphql.permissions import EDITORS, allow
from cms.services import authors as service
from cms.services.errors import Problems


def _fields(problems: Problems, data: CreateAuthorInput | UpdateAuthorInput) -> service.AuthorFields:
    f = service.AuthorFields()
    for name in ("name", "slug", "bio"):
        value = getattr(data, name)
        if value is not strawberry.UNSET:
            setattr(f, name, value)
    if data.avatar_id is not strawberry.UNSET:
        f.avatar_id = decode_field(problems, ("input", "avatarId"), data.avatar_id, "Media")
    return f


@strawberry.type
class AuthorMutations:
    @strawberry.mutation(extensions=[allow(*EDITORS)], description="Create an author.")
    async def create_author(self, info: Info, input: CreateAuthorInput) -> AuthorPayload:
        problems = Problems()
        fields = _fields(problems, input)
        row, errors = await run_mutation(info, problems, lambda s: service.create_author(s, problems, fields))
        return AuthorPayload(author=Author.from_row(row) if row else None, user_errors=errors)

    @strawberry.mutation(extensions=[allow(*EDITORS)], description="Change an author; only the fields given.")
    async def update_author(self, info: Info, id: strawberry.ID, input: UpdateAuthorInput) -> AuthorPayload:
        problems = Problems()
        pk = decode_field(problems, ("id",), id, "Author")
        fields = _fields(problems, input)
        row, errors = await run_mutation(info, problems, lambda s: service.update_author(s, problems, pk or 0, fields))
        return AuthorPayload(author=Author.from_row(row) if row else None, user_errors=errors)

    @strawberry.mutation(extensions=[allow(*EDITORS)], description="Delete an author with no bylines.")
    async def delete_author(self, info: Info, id: strawberry.ID) -> DeletePayload:
        return await run_delete(info, id, "Author", service.delete_author)
