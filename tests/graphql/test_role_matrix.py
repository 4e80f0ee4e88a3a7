"""Every mutation, as each of the five roles: who gets through, who is refused, and that a
refusal writes nothing. Each domain lists its mutations in its `matrix.py`; a mutation without
a row fails the first test."""

from __future__ import annotations

import pytest

from cms.graphql.schema import make_schema
from tests.graphql.articles.matrix import CASES as ARTICLES
from tests.graphql.authors.matrix import CASES as AUTHORS
from tests.graphql.media.matrix import CASES as MEDIA
from tests.graphql.roles import Cases, check_roles
from tests.graphql.taxonomy.matrix import CASES as TAXONOMY
from tests.graphql.trending.matrix import CASES as TRENDING
from tests.graphql.users.matrix import CASES as USERS

CASES: Cases = {**USERS, **AUTHORS, **MEDIA, **TAXONOMY, **ARTICLES, **TRENDING}


def test_every_mutation_has_a_matrix():
    assert set(CASES) == set(make_schema()._schema.mutation_type.fields)


@pytest.mark.parametrize("mutation", sorted(CASES))
async def test_roles(api, session, mutation):
    document, setup, allowed = CASES[mutation]
    await check_roles(api, session, document, setup, allowed)
