"""Who may use a field, declared on the field and decided by `services.policy`.

Every Query and Mutation field declares a permission (deny by default; a test walks the
schema); refusal happens before the resolver runs, so nothing is read or written.
"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission, PermissionExtension

from cms.graphql.errors import to_graphql_error
from cms.services import policy
from cms.services.errors import DomainError
from cms.services.policy import Action


class Gate(BasePermission):
    """Lets through the viewers whose role may start `action`."""

    def __init__(self, action: Action) -> None:
        self.action = action

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        try:
            policy.require(info.context.viewer, self.action)
        except DomainError as exc:
            raise to_graphql_error(exc) from None
        return True


class OwnAccount(BasePermission):
    """A user's private details: for the user, administrators, and whoever just signed in as them."""

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        try:
            policy.require_user_read(info.context.viewer, source._pk, signed_in_now=source._signed_in_now)
        except DomainError as exc:
            raise to_graphql_error(exc) from None
        return True


class DeskView(BasePermission):
    """The desk's side of an article (revisions, review note, last editor): for editors and the
    article's own author. The source is an Article; its bylines load once for every such field.
    `silently` refuses with null (the field's extension fails silently) instead of an error."""

    def __init__(self, *, silently: bool = False) -> None:
        self.silently = silently

    async def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        viewer = info.context.viewer
        own = policy.own_byline(viewer)
        bylined = own is not None and any(a.id == own for a in await source._bylines(info))
        try:
            policy.require_desk_view(viewer, bylined=bylined)
        except DomainError as exc:
            if self.silently:
                return False
            raise to_graphql_error(exc) from None
        return True


def gate(action: Action) -> PermissionExtension:
    return PermissionExtension([Gate(action)], use_directives=False)


def public() -> PermissionExtension:
    """Open to everyone, anonymous callers included; what they see is still filtered by the policy."""
    return gate(Action.READ)


def own_account() -> PermissionExtension:
    return PermissionExtension([OwnAccount()], use_directives=False)


def desk_view(*, silently: bool = False) -> PermissionExtension:
    """For editors and the article's own author; `silently` answers others with null instead of
    an error (for nullable fields that a frontend asks for alongside public ones)."""
    return PermissionExtension([DeskView(silently=silently)], use_directives=False, fail_silently=silently)
