"""No event holds a password, a password hash, a token's secret or its digest: neither as stored
nor as auditEvents shows it."""

from __future__ import annotations

import json

from sqlalchemy import select

from cms.db import ApiToken, AuditEvent, User
from cms.vocabulary import Role
from tests.graphql.users.operations import CREATE_TOKEN, LOGIN, PASSWORD, login, make_user

CHANGE = """
mutation($current: String!, $new: String!) {
  changePassword(currentPassword: $current, newPassword: $new) { userErrors { code } }
}
"""
NEW, WRONG, GUESS = "a brand new passphrase", "not the password at all", "a guess for nobody"


async def test_sign_ins_password_changes_and_tokens_leave_no_secret_in_the_log(api, session):
    await make_user(api, role="ADMIN")
    hashed = select(User.password_hash).where(User.email == "editor@example.com")
    hashes = [await session.scalar(hashed)]
    await api(LOGIN, {"email": "editor@example.com", "password": WRONG})
    await api(LOGIN, {"email": "nobody@example.com", "password": GUESS})
    first = await login(api)
    await api(CHANGE, {"current": PASSWORD, "new": NEW}, token=first)
    machine = (await api(CREATE_TOKEN, {"input": {"name": "web", "role": "PREVIEW"}}, token=first))["data"][
        "createApiToken"
    ]["token"]
    second = await login(api, password=NEW)
    await api("mutation { logout { userErrors { code } } }", token=second)

    log = select(AuditEvent.action, AuditEvent.changed_fields, AuditEvent.detail).order_by(AuditEvent.id)
    rows = (await session.execute(log)).all()
    shown = await api(
        "{ auditEvents(first: 100) { edges { node { action changedFields detail actorToken { name } } } } }",
        role=Role.ADMIN,
    )
    hashes.append(await session.scalar(hashed))
    digests = list((await session.scalars(select(ApiToken.secret_hash))).all())
    secrets = [PASSWORD, NEW, WRONG, GUESS, first, machine, second, *hashes, *(d.hex() for d in digests)]
    assert [action for action, _, _ in rows] == [
        "user.create",
        "session.login_failed",
        "session.login_failed",
        "session.login",
        "user.password_change",
        "token.create",
        "session.login",
        "session.logout",
    ]
    assert len(shown["data"]["auditEvents"]["edges"]) == len(rows)
    stored = json.dumps([[list(fields), detail] for _, fields, detail in rows])
    for text in (stored, json.dumps(shown)):
        assert [s for s in secrets if s in text] == []
