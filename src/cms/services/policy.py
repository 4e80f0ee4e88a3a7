"""Who may read and who may change what: every access decision of the CMS, in one place.

The GraphQL field permissions ask `require` before a resolver runs (nothing is read or written
when it refuses); `node()` and the services ask the object-level questions, which need the
object itself (whose article, whose media, whose account). A refusal raises Unauthenticated
when the caller sent no credentials and Forbidden otherwise; callers report both as top-level
errors, never as userErrors.

| role      | may                                                                          |
|-----------|------------------------------------------------------------------------------|
| anonymous | read published articles and everything public; sign in                      |
| PREVIEW   | also read drafts and scheduled articles                                      |
| AUTHOR    | write and delete their own unpublished drafts; register media and edit what |
|           | they registered                                                              |
| EDITOR    | everything about content: publish, authors, media, sections, trending lists |
| ADMIN     | also users and tokens                                                        |

Every user with an account, whatever their role, changes their own password and lists and
revokes their own tokens; an API token that acts as a role alone has no account to do it with.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

from cms.auth import Viewer
from cms.services.articles.transitions import ArticleAction, NotAllowed, allowed_actions, next_state
from cms.services.errors import DomainError, Forbidden, InputError, Problem, Unauthenticated
from cms.vocabulary import ArticleStatus, ErrorCode, Role


class Action(enum.StrEnum):
    """What an API operation does, as far as access is concerned."""

    READ = "read"
    SIGN_IN = "sign_in"
    WRITE_ARTICLES = "write_articles"
    PUBLISH_ARTICLES = "publish_articles"
    MANAGE_AUTHORS = "manage_authors"
    REGISTER_MEDIA = "register_media"
    DELETE_MEDIA = "delete_media"
    MANAGE_TAXONOMY = "manage_taxonomy"
    MANAGE_TRENDING = "manage_trending"
    READ_AUDIT = "read_audit"
    MANAGE_USERS = "manage_users"
    MANAGE_TOKENS = "manage_tokens"
    # The caller's own account: change their password, list their tokens, sign out.
    OWN_ACCOUNT = "own_account"
    # Revoke a token: administrators any, everyone else their own (see may_revoke_token).
    REVOKE_TOKENS = "revoke_tokens"


EDITORS = frozenset({Role.ADMIN, Role.EDITOR})
WRITERS = EDITORS | {Role.AUTHOR}

# Who may start each action; None lets everyone through, anonymous callers included. The
# object-level rules below then narrow what an AUTHOR may touch.
ROLES: dict[Action, frozenset[Role] | None] = {
    Action.READ: None,
    Action.SIGN_IN: None,
    Action.WRITE_ARTICLES: WRITERS,
    Action.PUBLISH_ARTICLES: EDITORS,
    Action.MANAGE_AUTHORS: EDITORS,
    Action.REGISTER_MEDIA: WRITERS,
    Action.DELETE_MEDIA: EDITORS,
    Action.MANAGE_TAXONOMY: EDITORS,
    Action.MANAGE_TRENDING: EDITORS,
    Action.READ_AUDIT: frozenset({Role.ADMIN}),
    Action.MANAGE_USERS: frozenset({Role.ADMIN}),
    Action.MANAGE_TOKENS: frozenset({Role.ADMIN}),
    Action.OWN_ACCOUNT: frozenset(Role),
    Action.REVOKE_TOKENS: frozenset(Role),
}

# Roles that may start an action only with a user account behind the request: an API token that
# acts as a role alone has no account of its own. An ADMIN's such token may still revoke any token.
_NEEDS_ACCOUNT: dict[Action, frozenset[Role]] = {
    Action.OWN_ACCOUNT: frozenset(Role),
    Action.REVOKE_TOKENS: frozenset(Role) - {Role.ADMIN},
}

# Roles that read every article, unpublished ones included.
_READS_UNPUBLISHED = frozenset({Role.ADMIN, Role.EDITOR, Role.PREVIEW})


def _refuse(viewer: Viewer, message: str) -> DomainError:
    if viewer.is_anonymous:
        return Unauthenticated("sign in or send a bearer token to do this")
    return Forbidden(message)


def _lacks_account(viewer: Viewer, action: Action) -> bool:
    return viewer.user_id is None and viewer.role in _NEEDS_ACCOUNT.get(action, frozenset())


def allows(viewer: Viewer, action: Action) -> bool:
    roles = ROLES[action]
    return (roles is None or viewer.role in roles) and not _lacks_account(viewer, action)


def require(viewer: Viewer, action: Action) -> None:
    """Raises Unauthenticated or Forbidden unless the viewer's role may start `action` (and,
    where it needs one, the request is made as a user with an account)."""
    if _lacks_account(viewer, action):
        raise _refuse(viewer, "this is for signed-in users: an API token acts as a role alone and has no account")
    if not allows(viewer, action):
        raise _refuse(viewer, f"the {viewer.role} role may not do this")


# Articles


def reads_unpublished(viewer: Viewer) -> bool:
    """Whether the viewer reads every article, drafts and scheduled ones included."""
    return viewer.role in _READS_UNPUBLISHED


def own_byline(viewer: Viewer) -> int | None:
    """The byline whose unpublished articles the viewer may read and write (an AUTHOR's own)."""
    return viewer.author_id if viewer.role is Role.AUTHOR else None


def require_byline(viewer: Viewer) -> None:
    """An AUTHOR writes as a byline; raises Forbidden for one whose account has none."""
    if viewer.role is Role.AUTHOR and viewer.author_id is None:
        raise Forbidden("your account is not linked to an author byline")


def require_own_byline_kept(viewer: Viewer, author_ids: Sequence[int]) -> None:
    """An AUTHOR may not take their own byline off an article; raises Forbidden."""
    if viewer.role is Role.AUTHOR and viewer.author_id not in author_ids:
        raise Forbidden("your own byline must stay on the article")


def article_step(viewer: Viewer, action: ArticleAction, state: ArticleStatus, *, bylined: bool) -> ArticleStatus:
    """The state `action` takes an article to, if the viewer may take that step.

    Raises Forbidden (a role the table does not allow, or an AUTHOR acting on another's
    article), InputError (INVALID: no role may take that step from this state)."""
    if viewer.role is None:
        raise _refuse(viewer, "")
    try:
        to = next_state(state, action, viewer.role)
    except NotAllowed as exc:
        if exc.by_any_role:
            raise Forbidden(_author_refusal() if viewer.role is Role.AUTHOR else str(exc)) from None
        allowed = ", ".join(allowed_actions(state, viewer.role)) or "nothing"
        raise InputError([Problem(("id",), f"{exc}; allowed: {allowed}", ErrorCode.INVALID)]) from None
    if viewer.role is Role.AUTHOR and not bylined:
        raise Forbidden(_author_refusal())
    return to


def sees_desk(viewer: Viewer, *, bylined: bool) -> bool:
    """The desk's side of an article (its revisions, review note and preview links): for editors
    and for the article's own author."""
    return viewer.role in EDITORS or (viewer.role is Role.AUTHOR and bylined)


def require_desk_view(viewer: Viewer, *, bylined: bool) -> None:
    """sees_desk, or raise Unauthenticated, Forbidden."""
    if sees_desk(viewer, bylined=bylined):
        return
    raise _refuse(viewer, "only editors and the article's own author see this")


def _author_refusal() -> str:
    return "authors may change only their own unpublished drafts"


# Media


def require_media_change(viewer: Viewer, registered_by: int | None) -> None:
    """Editors change any media; an AUTHOR only what they registered themselves.

    Raises Unauthenticated, Forbidden."""
    require(viewer, Action.REGISTER_MEDIA)
    if viewer.role in EDITORS:
        return
    if viewer.user_id is None or registered_by != viewer.user_id:
        raise Forbidden("authors may change only media they registered")


# Accounts


def reads_user(viewer: Viewer, user_id: int) -> bool:
    """Accounts are for administrators and for their own user."""
    return viewer.role is Role.ADMIN or (viewer.user_id is not None and viewer.user_id == user_id)


def require_user_read(viewer: Viewer, user_id: int, *, signed_in_now: bool = False) -> None:
    """Private account details (the email): the user, administrators, and whoever just proved
    the password in `login`. Raises Forbidden."""
    if not (signed_in_now or reads_user(viewer, user_id)):
        raise _refuse(viewer, "only the user and administrators see this")


def reads_tokens(viewer: Viewer) -> bool:
    return allows(viewer, Action.MANAGE_TOKENS)


def require_account(viewer: Viewer) -> int:
    """The id of the user the request is made as. Raises Unauthenticated (anonymous), Forbidden
    (an API token that acts as a role alone)."""
    require(viewer, Action.OWN_ACCOUNT)
    if viewer.user_id is None:  # refused by require already; this narrows the type
        raise Forbidden("this is for signed-in users")
    return viewer.user_id


def may_revoke_token(viewer: Viewer, *, user_id: int | None, created_by_id: int | None) -> bool:
    """Administrators revoke any token; everyone else only their own: their sign-in sessions and
    the API tokens they made. Callers answer "no such token" otherwise, never FORBIDDEN, so that
    nothing hints another user's token exists."""
    if viewer.role is Role.ADMIN:
        return True
    return viewer.user_id is not None and viewer.user_id in (user_id, created_by_id)
