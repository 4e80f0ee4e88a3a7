"""Who may do what: the policy's decisions and the article transition table behind them."""

from __future__ import annotations

import pytest

from cms.auth import ANONYMOUS, Viewer
from cms.services import policy
from cms.services.articles.transitions import ArticleAction, allowed_actions, next_state
from cms.services.errors import Forbidden, InputError, Unauthenticated
from cms.vocabulary import ArticleStatus, ErrorCode, Role

S = ArticleStatus
AUTHOR = Viewer(role=Role.AUTHOR, user_id=7, author_id=3)
EDITOR = Viewer(role=Role.EDITOR, user_id=8)


@pytest.mark.parametrize(
    ("state", "role", "actions"),
    [
        (S.DRAFT, Role.AUTHOR, "update submit delete"),
        (S.DRAFT, Role.EDITOR, "update submit publish archive delete"),
        (S.IN_REVIEW, Role.AUTHOR, "update delete"),
        (S.IN_REVIEW, Role.EDITOR, "update return publish archive delete"),
        (S.SCHEDULED, Role.AUTHOR, ""),
        (S.SCHEDULED, Role.EDITOR, "update publish unpublish archive delete"),
        (S.PUBLISHED, Role.EDITOR, "update publish unpublish archive delete"),
        (S.ARCHIVED, Role.EDITOR, "restore delete"),
        (S.ARCHIVED, Role.ADMIN, "restore delete"),
        (S.PUBLISHED, Role.PREVIEW, ""),
    ],
)
def test_what_each_role_may_do_from_each_state(state, role, actions):
    assert allowed_actions(state, role) == [ArticleAction(a) for a in actions.split()]


def test_an_author_edit_takes_an_article_out_of_review_an_editor_edit_does_not():
    assert next_state(S.IN_REVIEW, ArticleAction.UPDATE, Role.AUTHOR) is S.DRAFT
    assert next_state(S.IN_REVIEW, ArticleAction.UPDATE, Role.EDITOR) is S.IN_REVIEW


def test_a_step_no_role_may_take_is_invalid_and_names_what_is_allowed():
    with pytest.raises(InputError) as refused:
        policy.article_step(EDITOR, ArticleAction.PUBLISH, S.ARCHIVED, bylined=False)
    [problem] = refused.value.problems
    assert (problem.code, problem.message) == (
        ErrorCode.INVALID,
        "cannot publish an article that is ARCHIVED; allowed: restore, delete",
    )


@pytest.mark.parametrize(
    ("action", "state", "to"),
    [
        (ArticleAction.PUBLISH, S.DRAFT, S.PUBLISHED),
        (ArticleAction.PUBLISH, S.SCHEDULED, S.PUBLISHED),
        (ArticleAction.UNPUBLISH, S.PUBLISHED, S.DRAFT),
        (ArticleAction.UPDATE, S.IN_REVIEW, S.IN_REVIEW),
        (ArticleAction.ARCHIVE, S.SCHEDULED, S.ARCHIVED),
        (ArticleAction.RESTORE, S.ARCHIVED, S.DRAFT),
        (ArticleAction.RETURN, S.IN_REVIEW, S.DRAFT),
    ],
)
def test_next_state(action, state, to):
    assert next_state(state, action, Role.EDITOR) is to


def test_an_author_acts_on_their_own_unpublished_articles_only():
    assert policy.article_step(AUTHOR, ArticleAction.UPDATE, S.DRAFT, bylined=True) is S.DRAFT
    with pytest.raises(Forbidden, match="authors may change only their own unpublished drafts"):
        policy.article_step(AUTHOR, ArticleAction.UPDATE, S.DRAFT, bylined=False)
    with pytest.raises(Forbidden, match="authors may change only their own unpublished drafts"):
        policy.article_step(AUTHOR, ArticleAction.UPDATE, S.PUBLISHED, bylined=True)
    with pytest.raises(Forbidden):
        policy.article_step(AUTHOR, ArticleAction.PUBLISH, S.DRAFT, bylined=True)


def test_editors_act_on_any_article():
    assert policy.article_step(EDITOR, ArticleAction.DELETE, S.PUBLISHED, bylined=False) is S.PUBLISHED
    assert policy.article_step(EDITOR, ArticleAction.PUBLISH, S.IN_REVIEW, bylined=False) is S.PUBLISHED


def test_anonymous_callers_are_asked_to_sign_in():
    with pytest.raises(Unauthenticated):
        policy.require(ANONYMOUS, policy.Action.WRITE_ARTICLES)
    with pytest.raises(Unauthenticated):
        policy.article_step(ANONYMOUS, ArticleAction.UPDATE, S.DRAFT, bylined=False)


@pytest.mark.parametrize(
    ("viewer", "registered_by", "allowed"),
    [
        (EDITOR, None, True),
        (EDITOR, 99, True),
        (AUTHOR, 7, True),
        (AUTHOR, 99, False),
        (AUTHOR, None, False),
        (Viewer(role=Role.AUTHOR), None, False),  # an AUTHOR token with no user registers nothing of its own
        (Viewer(role=Role.PREVIEW, user_id=7), 7, False),
    ],
    ids=["editor-unowned", "editor-other", "author-own", "author-other", "author-unowned", "author-token", "preview"],
)
def test_who_may_change_media(viewer, registered_by, allowed):
    if allowed:
        policy.require_media_change(viewer, registered_by)
    else:
        with pytest.raises(Forbidden):
            policy.require_media_change(viewer, registered_by)


def test_accounts_are_for_their_user_and_admins():
    assert policy.reads_user(Viewer(role=Role.ADMIN, user_id=1), 5)
    assert policy.reads_user(Viewer(role=Role.EDITOR, user_id=5), 5)
    assert not policy.reads_user(Viewer(role=Role.EDITOR, user_id=4), 5)
    assert not policy.reads_user(Viewer(role=Role.EDITOR), 5)
    policy.require_user_read(ANONYMOUS, 5, signed_in_now=True)
    with pytest.raises(Forbidden):
        policy.require_user_read(Viewer(role=Role.EDITOR, user_id=4), 5)


def test_unpublished_articles_are_read_by_editors_previewers_and_their_own_author():
    assert [policy.reads_unpublished(Viewer(role=r)) for r in Role] == [True, True, False, True]
    assert policy.own_byline(AUTHOR) == 3
    assert policy.own_byline(Viewer(role=Role.EDITOR, author_id=3)) is None
