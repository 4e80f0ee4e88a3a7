"""The status machine of an article: state x action x role -> next state, in one table.

Every command that changes an article asks `next_state` first; `services.policy` turns a refusal
into the right error (FORBIDDEN for a role that may not, INVALID for a step the state does not
allow). Ownership (an AUTHOR acts on their own bylines only) is the policy's, not the table's.

| from \\ action | update | submit | return | publish | unpublish | archive | restore | delete |
|---|---|---|---|---|---|---|---|---|
| DRAFT | W: DRAFT | W: IN_REVIEW | | E: PUBLISHED | | E: ARCHIVED | | W |
| IN_REVIEW | A: DRAFT, E: IN_REVIEW | | E: DRAFT | E: PUBLISHED | | E: ARCHIVED | | W |
| SCHEDULED | E: SCHEDULED | | | E: PUBLISHED | E: DRAFT | E: ARCHIVED | | E |
| PUBLISHED | E: PUBLISHED | | | E: PUBLISHED | E: DRAFT | E: ARCHIVED | | E |
| ARCHIVED | | | | | | | E: DRAFT | E |

W: writers (AUTHOR on their own articles, EDITOR, ADMIN); A: AUTHOR; E: editors (EDITOR, ADMIN).
Publish stores PUBLISHED: an article whose publish time is ahead is SCHEDULED until then.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from cms.vocabulary import ArticleStatus, Role


class ArticleAction(enum.StrEnum):
    UPDATE = "update"
    SUBMIT = "submit"
    RETURN = "return"
    PUBLISH = "publish"
    UNPUBLISH = "unpublish"
    ARCHIVE = "archive"
    RESTORE = "restore"
    DELETE = "delete"


S = ArticleStatus
A = ArticleAction
_LIVE = (S.SCHEDULED, S.PUBLISHED)
_NOT_ARCHIVED = (S.DRAFT, S.IN_REVIEW, S.SCHEDULED, S.PUBLISHED)
_EDITORS = (Role.ADMIN, Role.EDITOR)
_WRITERS = (Role.ADMIN, Role.EDITOR, Role.AUTHOR)

# (action, from these states, by these roles, to this state); None keeps the state as it is.
_RULES: list[tuple[ArticleAction, Iterable[ArticleStatus], Iterable[Role], ArticleStatus | None]] = [
    (A.UPDATE, [S.DRAFT], _WRITERS, None),
    # An author's change takes their article out of review, to be submitted again.
    (A.UPDATE, [S.IN_REVIEW], [Role.AUTHOR], S.DRAFT),
    (A.UPDATE, [S.IN_REVIEW, *_LIVE], _EDITORS, None),
    (A.SUBMIT, [S.DRAFT], _WRITERS, S.IN_REVIEW),
    (A.RETURN, [S.IN_REVIEW], _EDITORS, S.DRAFT),
    (A.PUBLISH, _NOT_ARCHIVED, _EDITORS, S.PUBLISHED),
    (A.UNPUBLISH, _LIVE, _EDITORS, S.DRAFT),
    (A.ARCHIVE, _NOT_ARCHIVED, _EDITORS, S.ARCHIVED),
    (A.RESTORE, [S.ARCHIVED], _EDITORS, S.DRAFT),
    (A.DELETE, [S.DRAFT, S.IN_REVIEW], _WRITERS, None),
    (A.DELETE, [*_LIVE, S.ARCHIVED], _EDITORS, None),
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
