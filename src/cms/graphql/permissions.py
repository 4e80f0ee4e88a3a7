"""Who may use a field, declared on the field; every Query and Mutation field declares it."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission, PermissionExtension

from cms.auth import Role
from cms.graphql.errors import api_error
from cms.services.errors import Code


class Allow(BasePermission):
    """Lets the given roles through (everyone, anonymous included, when `roles` is None).

    Refusal happens before the resolver runs, so nothing is read or written.
    """

    def __init__(self, roles: frozenset[Role] | None) -> None:
        self.roles = roles

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        viewer = info.context.viewer
        if self.roles is None or viewer.role in self.roles:
            return True
        if viewer.is_anonymous:
            raise api_error(Code.UNAUTHENTICATED, "sign in or send a bearer token to do this")
        raise api_error(Code.FORBIDDEN, f"the {viewer.role} role may not do this")


def allow(*roles: Role) -> PermissionExtension:
    return PermissionExtension([Allow(frozenset(roles))], use_directives=False)


def public() -> PermissionExtension:
    return PermissionExtension([Allow(None)], use_directives=False)


ADMIN = (Role.ADMIN,)
EDITORS = (Role.ADMIN, Role.EDITOR)
WRITERS = (Role.ADMIN, Role.EDITOR, Role.AUTHOR)
SIGNED_IN = (Role.ADMIN, Role.EDITOR, Role.AUTHOR, Role.PREVIEW)
