"""The unique constraint settles a race for a slug that both writers saw free."""

from __future__ import annotations

import pytest

from cms.db import Section
from cms.services import save
from cms.services.errors import InputError
from cms.vocabulary import ErrorCode


async def test_losing_a_slug_race_is_already_exists(session):
    winner = Section(name="World", slug="world")
    session.add(winner)
    await save(session, winner)

    async def lose() -> None:
        # As a mutation does: inside a savepoint, the new row pending until save flushes it.
        async with session.begin_nested():
            loser = Section(name="World again", slug="world")
            session.add(loser)
            await save(session, loser)

    with pytest.raises(InputError) as caught:
        await lose()

    [problem] = caught.value.problems
    assert (problem.field, problem.code) == (("input", "slug"), ErrorCode.ALREADY_EXISTS)
