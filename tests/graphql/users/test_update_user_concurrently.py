"""Two administrators demoting each other at the same instant: one wins, and an ADMIN remains."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from cms.vocabulary import Role
from tests.graphql.users.operations import UPDATE_USER, login, make_user

WAITING = text(
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
    "AND wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE%'"
)


async def test_two_admins_demoting_each_other_leave_one_admin(committed_api, engine):
    ann = (await make_user(committed_api, email="ann@example.com", role="ADMIN"))["user"]
    bob = (await make_user(committed_api, email="bob@example.com", role="ADMIN"))["user"]
    ann_token, bob_token = await login(committed_api, "ann@example.com"), await login(committed_api, "bob@example.com")

    async with engine.connect() as blocker, engine.connect() as probe:
        # Hold the admin rows so that both requests are surely waiting on them at once.
        await blocker.begin()
        await blocker.execute(text("SELECT id FROM users WHERE role = 'ADMIN' FOR UPDATE"))
        tasks = [
            asyncio.create_task(committed_api(UPDATE_USER, {"id": target, "input": {"role": "EDITOR"}}, token=token))
            for target, token in ((bob["id"], ann_token), (ann["id"], bob_token))
        ]
        waiting = 0
        for _ in range(100):
            waiting = await probe.scalar(WAITING)
            await probe.rollback()  # a fresh snapshot of pg_stat_activity each time
            if waiting == 2:
                break
            await asyncio.sleep(0.05)
        assert waiting == 2, "both updates should be waiting on the admin rows at once"
        await blocker.rollback()
    results = [r["data"]["updateUser"] for r in await asyncio.gather(*tasks)]

    demoted = [r for r in results if r["user"]]
    refused = [r for r in results if r["userErrors"]]
    assert len(demoted) == 1
    assert refused[0]["userErrors"] == [
        {
            "field": ["input", "role"],
            "message": "this is the last active ADMIN and cannot be demoted; make another user ADMIN first",
            "code": "CONFLICT",
        }
    ]
    listed = await committed_api("{ users { edges { node { email role } } } }", role=Role.ADMIN)
    roles = sorted(e["node"]["role"] for e in listed["data"]["users"]["edges"])
    assert roles == ["ADMIN", "EDITOR"]
