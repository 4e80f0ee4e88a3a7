"""Who may run the section and tag mutations (see tests/graphql/roles.py)."""

from __future__ import annotations

from typing import Any

from cms.vocabulary import Role
from tests import factories
from tests.graphql.roles import EDITORS, PAYLOAD, Cases, new_name, unique


async def a_section(api: Any) -> dict[str, Any]:
    return {"id": (await factories.section(api, f"Section {unique()}"))["id"]}


async def a_tag(api: Any) -> dict[str, Any]:
    body = await api(
        "mutation($name: String!) { createTag(input: {name: $name}) { tag { id } } }",
        {"name": f"Tag {unique()}"},
        role=Role.EDITOR,
    )
    return {"id": body["data"]["createTag"]["tag"]["id"]}


CASES: Cases = {
    "createSection": (
        f"mutation($name: String!) {{ createSection(input: {{name: $name}}) {{ {PAYLOAD} }} }}",
        new_name,
        EDITORS,
    ),
    "updateSection": (
        f'mutation($id: ID!) {{ updateSection(id: $id, input: {{description: "d"}}) {{ {PAYLOAD} }} }}',
        a_section,
        EDITORS,
    ),
    "deleteSection": (f"mutation($id: ID!) {{ deleteSection(id: $id) {{ {PAYLOAD} }} }}", a_section, EDITORS),
    "createTag": (
        f"mutation($name: String!) {{ createTag(input: {{name: $name}}) {{ {PAYLOAD} }} }}",
        new_name,
        EDITORS,
    ),
    "updateTag": (
        f'mutation($id: ID!) {{ updateTag(id: $id, input: {{description: "d"}}) {{ {PAYLOAD} }} }}',
        a_tag,
        EDITORS,
    ),
    "deleteTag": (f"mutation($id: ID!) {{ deleteTag(id: $id) {{ {PAYLOAD} }} }}", a_tag, EDITORS),
}
