"""Who may run the author mutations (see tests/graphql/roles.py)."""

from __future__ import annotations

from typing import Any

from tests import factories
from tests.graphql.roles import EDITORS, PAYLOAD, Cases, new_name, unique


async def an_author(api: Any) -> dict[str, Any]:
    return {"id": (await factories.author(api, f"Author {unique()}"))["id"]}


CASES: Cases = {
    "createAuthor": (
        f"mutation($name: String!) {{ createAuthor(input: {{name: $name}}) {{ {PAYLOAD} }} }}",
        new_name,
        EDITORS,
    ),
    "updateAuthor": (
        f'mutation($id: ID!) {{ updateAuthor(id: $id, input: {{bio: "b"}}) {{ {PAYLOAD} }} }}',
        an_author,
        EDITORS,
    ),
    "deleteAuthor": (f"mutation($id: ID!) {{ deleteAuthor(id: $id) {{ {PAYLOAD} }} }}", an_author, EDITORS),
}
