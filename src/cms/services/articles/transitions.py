"""The status machine of an article: state x action x role -> next state, in one table.

Every command that changes an article asks `next_state` first; `services.policy` turns a refusal
into the right error (FORBIDDEN for a role that may not, INVALID for a step the state does not
allow). Ownership (an AUTHOR acts on their own bylines only) is the policy's, not the table's.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from cms.vocabulary import ArticleStatus, Role


class ArticleAction(enum.StrEnum):
    UPDATE = "update"
    PUBLISH = "publish"
    UNPUBLISH = "unpublish"
    DELETE = "delete"


S = ArticleStatus
_EVERY = tuple(ArticleStatus)
_UNPUBLISHED = (S.DRAFT, S.IN_REVIEW)
_OUT = (S.SCHEDULED, S.PUBLISHED, S.ARCHIVED)
_EDITORS = (Role.ADMIN, Role.EDITOR)
_WRITERS = (Role.ADMIN, Role.EDITOR, Role.AUTHOR)

# (action, from these states, by these roles, to this state); None keeps the state as it is, and
# a deleted article has no state. PUBLISHED with a publish time ahead is shown as SCHEDULED.
_RULES: list[tuple[ArticleAction, Iterable[ArticleStatus], Iterable[Role], ArticleStatus | None]] = [
    (ArticleAction.UPDATE, _UNPUBLISHED, _WRITERS, None),
    (ArticleAction.UPDATE, _OUT, _EDITORS, None),
    (ArticleAction.DELETE, _UNPUBLISHED, _WRITERS, None),
    (ArticleAction.DELETE, _OUT, _EDITORS, None),
    (ArticleAction.PUBLISH, _EVERY, _EDITORS, S.PUBLISHED),
    (ArticleAction.UNPUBLISH, _EVERY, _EDITORS, S.DRAFT),
]

TABLE: dict[tuple[ArticleStatus, ArticleAction, Role], ArticleStatus | None] = {
    (state, action, role): to for action, states, roles, to in _RULES for state in states for role in roles
}


class NotAllowed(Exception):
    """The step is not in the table for this state and role."""

    def __init__(self, state: ArticleStatus, action: ArticleAction, *, by_any_role: bool) -> None:
        super().__init__(f"cannot {action} an article that is {state}")
        self.state, self.action, self.by_any_role = state, action, by_any_role


def next_state(state: ArticleStatus, action: ArticleAction, role: Role) -> ArticleStatus:
    """The state after `action`; raises NotAllowed when the table has no such step."""
    key = (state, action, role)
    if key not in TABLE:
        by_any = any((state, action, r) in TABLE for r in Role)
        raise NotAllowed(state, action, by_any_role=by_any)
    return TABLE[key] or state


def allowed_actions(state: ArticleStatus, role: Role) -> list[ArticleAction]:
    """What `role` may do to an article in `state`, in the table's order."""
    return [a for a in ArticleAction if (state, a, role) in TABLE]
